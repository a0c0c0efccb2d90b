"""Form helpers shared by every app's pages."""

from __future__ import annotations

from django import forms

from gendan.core.errors import BusinessError, ValidationFailed
from gendan.core.guards import parse_date


def add_business_error(form: forms.Form, exc: BusinessError) -> None:
    """Show a service's refusal on the form: field messages on their fields, the rest on top."""
    placed = False
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed or exc.code in ("conflict",):
        form.add_error(None, str(exc.message))


class BusinessDateField(forms.DateField):
    """A date typed for a business record (PO, ex-factory, ETA, receipt …): refused outside the
    years Gendan accepts (``core.guards.parse_date``: 2000–2099) with the same message as the API,
    so 0001-01-01 or 9999-12-31 never reach a service or the database."""

    def clean(self, value):
        date = super().clean(value)
        if date is None:
            return date
        try:
            return parse_date(date, field="date")
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.fields["date"][0], code="invalid_date") from None


class VersionField(forms.IntegerField):
    """The version the user loaded; sent back so a stale save is refused (409)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class BootstrapLikeMixin:
    """Give every widget the CSS class of our stylesheet and mark required fields.

    A form may declare ``sections = [(legend, [field names]), …]``; ``core/_form.html``
    then renders one fieldset per section (fields not listed go into a last one).
    """

    sections: list = []

    def fieldsets(self):
        listed = set()
        result = []
        for legend, names in self.sections:
            fields = [self[name] for name in names if name in self.fields and not self[name].is_hidden]
            listed.update(names)
            if fields:
                result.append((legend, fields))
        rest = [bf for bf in self.visible_fields() if bf.name not in listed]
        if rest:
            result.append(("", rest))
        return result

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            field.widget.attrs["class"] = (css + " input").strip()
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
