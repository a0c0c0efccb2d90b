"""Forms of the communication log, meetings, delay notices and reminder settings. They parse
input only; the rules are in ``tracking.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.forms import BootstrapLikeMixin, BusinessDateField, VersionField
from gendan.tracking.models import Communication

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommunicationForm(BootstrapLikeMixin, forms.Form):
    channel = forms.ChoiceField(label=_("channel"), choices=[
        c for c in Communication.Channel.choices if c[0] != Communication.Channel.NOTE])
    direction = forms.ChoiceField(label=_("direction"), choices=[
        d for d in Communication.Direction.choices if d[0] != Communication.Direction.INTERNAL],
        widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(label=_("when"), input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput())
    contact = forms.ModelChoiceField(label=_("contact"), queryset=None, required=False,
                                     empty_label=_("— another person —"))
    contact_name = forms.CharField(label=_("contact person"), max_length=80, required=False,
                                   help_text=_("When the person is not one of the customer's contacts."))
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea, required=False)
    reply_to = forms.ModelChoiceField(label=_("in reply to"), queryset=None, required=False,
                                      empty_label=_("— every message received before it —"),
                                      help_text=_("For a message to the customer: the message it answers."))
    follow_up_date = BusinessDateField(label=_("follow up on"), required=False, widget=DateInput(),
                                     help_text=_("Puts this on your chase board on that day."))
    attachment = forms.FileField(label=_("attachment"), required=False,
                                 help_text=_("The email (.eml), fax or photo: PDF, image, Office or text, up to 20 MB."))

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = customer.contacts.all()
        self.fields["reply_to"].queryset = Communication.objects.filter(
            customer=customer, direction=Communication.Direction.INBOUND, reply_due__isnull=False,
            replied_by__isnull=True).order_by("-occurred_at")
        self.fields["reply_to"].label_from_instance = lambda c: f"{c} · {c.summary[:60]}"
        # The summary is required by the service, which says why; the browser must not hide that.
        self.fields["summary"].widget.attrs["required"] = True


class MeetingForm(BootstrapLikeMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=120, required=False)
    starts_at = forms.DateTimeField(label=_("starts at"), input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput())
    location = forms.CharField(label=_("place"), max_length=120, required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("attendees"), queryset=None,
                                               widget=forms.SelectMultiple(attrs={"size": 8}))
    agenda = forms.CharField(label=_("agenda"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(is_active=True).order_by("full_name", "username")


class MinutesForm(BootstrapLikeMixin, forms.Form):
    """The minutes and up to ``ROWS`` new action items."""

    ROWS = 6
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 10}), required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs["rows"] = 10
        for i in range(self.ROWS):
            self.fields[f"action-{i}-description"] = forms.CharField(label=_("action"), max_length=300,
                                                                     required=False)
            self.fields[f"action-{i}-owner"] = forms.ModelChoiceField(label=_("owner"), queryset=owners,
                                                                      required=False)
            self.fields[f"action-{i}-due_date"] = BusinessDateField(label=_("due date"), required=False,
                                                                  widget=DateInput())
            self.fields[f"action-{i}-order"] = forms.CharField(label=_("sales order no."), max_length=30,
                                                               required=False)
            for name in ("description", "owner", "due_date", "order"):
                self.fields[f"action-{i}-{name}"].widget.attrs["class"] = "input"

    def fieldsets(self):
        return [("", [self["minutes"]])]

    def action_rows(self):
        return [(i, [self[f"action-{i}-{n}"] for n in ("description", "owner", "due_date", "order")])
                for i in range(self.ROWS)]

    def actions(self) -> list[dict]:
        """The filled-in rows, each with ``row`` (its number on the form) for placing errors."""
        rows = []
        for i in range(self.ROWS):
            get = self.cleaned_data.get
            description, owner = get(f"action-{i}-description"), get(f"action-{i}-owner")
            due, order = get(f"action-{i}-due_date"), get(f"action-{i}-order")
            if not (description or owner or due or order):
                continue
            rows.append({"row": i, "description": description or "", "owner_id": owner.pk if owner else None,
                         "due_date": due, "order_number": order or ""})
        return rows


class CancelForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class DelayNoticeForm(BootstrapLikeMixin, forms.Form):
    subject = forms.CharField(label=_("subject"), max_length=200, required=False)
    body = forms.CharField(label=_("letter"), widget=forms.Textarea, required=False)
    version = VersionField()
    discard_reason = forms.CharField(label=_("reason for not sending"), max_length=300, required=False,
                                     help_text=_("Only when you discard the draft."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 16


class ChasePreferenceForm(BootstrapLikeMixin, forms.Form):
    digest_enabled = forms.BooleanField(label=_("send me the daily digest email"), required=False)
    digest_time = forms.TimeField(label=_("send it at"), required=False, input_formats=["%H:%M", "%H:%M:%S"],
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                  help_text=_("Empty: the company's default time."))
    horizon_days = forms.IntegerField(label=_("look ahead (days)"), min_value=1, max_value=60)


class ChatterForm(forms.Form):
    """A note or message on the order's chatter; the service parses the @mentions."""

    kind = forms.ChoiceField(label=_("what"), choices=[
        ("note", _("Note for colleagues")), ("out", _("Message sent to the customer")),
        ("in", _("Message from the customer"))], initial="note")
    channel = forms.ChoiceField(label=_("channel"), required=False, initial="email", choices=[
        c for c in Communication.Channel.choices if c[0] != Communication.Channel.NOTE],
        help_text=_("For a message: how it was sent or received."))
    text = forms.CharField(label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Write @ and a colleague's user name or full name to put it on their "
                                       "chase board, e.g. @merch2 or @王芳."))
