"""List pages: filters, sorting, pagination and an Excel export of exactly what the list shows.

A list page declares its columns once (``Column``); the HTML table and the .xlsx
export both read them, so the export can never drift from the page. The queryset
comes from the entity's scoped selector, so an export never contains a row the
user could not open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView

from gendan.core.xlsx import AUTO, XlsxColumn, xlsx_response


@dataclass
class Column:
    key: str
    label: Any  # lazy translated string
    value: Callable[[Any], Any] | None = None  # default: attribute ``key`` (dotted allowed)
    sort: str | None = None  # ORM ordering field; None = not sortable
    link: bool = False  # render as a link to the row's get_absolute_url
    numeric: bool = False
    # The export (gendan.core.xlsx): the number format (xlsx.MONEY, QUANTITY, INTEGER, DATE …;
    # AUTO goes by the value), whether the totals row adds the column up, and ``export``: the
    # columns this one becomes in the export, e.g. "produced / quantity" (text on the page) as
    # two numeric columns.
    format: str = AUTO
    total: bool = False
    export: list[Column] | None = None

    def get(self, obj: Any) -> Any:
        if self.value is not None:
            return self.value(obj)
        value: Any = obj
        for part in self.key.split("."):
            value = getattr(value, part, None)
            if value is None:
                return ""
            if callable(value) and not isinstance(value, QuerySet):
                value = value()
        return value


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}" if abs(value) >= 1000 else str(value)
    return str(value)


@dataclass
class SortState:
    key: str = ""
    descending: bool = False
    options: dict[str, str] = field(default_factory=dict)


class ListPageView(LoginRequiredMixin, TemplateView):
    """Base view for a filtered, sorted, paginated list with ``?export=xlsx``.

    Subclasses set ``columns``, ``filter_form_class``, ``default_sort`` and implement
    ``get_base_queryset()`` (the scoped selector) and ``filter_queryset(qs, data)``.
    """

    template_name = "core/list.html"
    columns: list[Column] = []
    filter_form_class: type[forms.Form] | None = None
    default_sort = ""
    title: Any = ""
    export_name = "export"
    create_url_name: str | None = None
    create_permission: str | None = None
    breadcrumbs: list[tuple[Any, str | None]] = []
    # The export: at most this many rows (a note says when it stopped there), and the column
    # (a key of ``export_columns``) whose value splits the totals, e.g. "currency_id".
    export_max_rows = 50_000
    export_totals_by: str | None = None

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, qs: QuerySet, data: dict) -> QuerySet:
        return qs

    def get_filter_form(self) -> forms.Form | None:
        if not self.filter_form_class:
            return None
        return self.filter_form_class(self.request.GET or None)

    def get_sort(self) -> SortState:
        options = {c.key: c.sort for c in self.columns if c.sort}
        raw = self.request.GET.get("sort", self.default_sort)
        key = raw.lstrip("-")
        if key not in options:
            key, raw = self.default_sort.lstrip("-"), self.default_sort
        return SortState(key=key, descending=raw.startswith("-"), options=options)

    def get_rows_queryset(self) -> tuple[QuerySet, forms.Form | None, SortState]:
        qs = self.get_base_queryset()
        form = self.get_filter_form()
        if form is not None and form.is_bound and form.is_valid():
            qs = self.filter_queryset(qs, form.cleaned_data)
        sort = self.get_sort()
        if sort.key:
            order = sort.options[sort.key]
            qs = qs.order_by(("-" if sort.descending else "") + order, "-pk" if sort.descending else "pk")
        return qs, form, sort

    def get(self, request, *args, **kwargs):
        qs, form, sort = self.get_rows_queryset()
        if request.GET.get("export") == "xlsx":
            self.export_form = form
            return self.export(qs)
        paginator = Paginator(qs, settings.GENDAN_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        rows = [(obj, [display(c.get(obj)) for c in self.columns]) for obj in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        export_query = query.copy()
        export_query["export"] = "xlsx"
        context = self.get_context_data(
            form=form,
            page=page,
            rows=rows,
            columns=self.columns,
            sort=sort,
            querystring=query.urlencode(),
            sort_querystring=sort_query.urlencode(),
            export_querystring=export_query.urlencode(),
            title=self.title,
            breadcrumbs=self.breadcrumbs,
            create_url_name=self.create_url_name
            if not self.create_permission or request.user.has_perm(self.create_permission)
            else None,
        )
        if request.htmx and request.htmx.target == "list-results":
            return self.response_class(request, "core/_list_results.html", context)
        return self.render_to_response(context)

    def export_columns(self) -> list[Column]:
        """The columns of the export: the page's, each replaced by its ``export`` columns if any."""
        return [part for c in self.columns for part in (c.export or [c])]

    def export_filters(self, form: forms.Form | None, sort: SortState | None = None) -> list[tuple[str, str]]:
        """The filters applied, in words: (the field's label, what was chosen), in the user's
        language; then the sort order if it is not the default."""
        from django.utils.translation import gettext as _

        described: list[tuple[str, str]] = []
        if form is not None and form.is_bound and form.is_valid():
            for name, bound_field in form.fields.items():
                value = form.cleaned_data.get(name)
                if value is None or value is False or (isinstance(value, str) and not value.strip()) \
                        or (isinstance(value, (list, tuple, set, QuerySet)) and not value):
                    continue
                described.append((str(bound_field.label or name), _describe(bound_field, value)))
        if sort is not None and sort.key and self.request.GET.get("sort"):
            label = next((str(c.label) for c in self.columns if c.key == sort.key), sort.key)
            described.append((_("sorted by"), _("%(column)s, descending") % {"column": label}
                              if sort.descending else label))
        return described

    def export(self, qs: QuerySet) -> HttpResponse:
        columns = self.export_columns()
        keys = [c.key for c in columns]
        limit = self.export_max_rows
        rows = ([c.get(obj) for c in columns] for obj in qs[: limit + 1].iterator(chunk_size=2000))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        form = getattr(self, "export_form", None) or self.get_filter_form()
        user = getattr(self.request, "user", None)
        return xlsx_response(
            filename=f"{slugify(self.export_name) or 'export'}-{stamp}.xlsx",
            sheet_title=str(self.title)[:31] or "Sheet1",
            columns=[XlsxColumn(str(c.label), format=c.format, total=c.total) for c in columns],
            rows=rows,
            title=str(self.title),
            filters=self.export_filters(form, self.get_sort()),
            exported_by=str(user) if user is not None and user.is_authenticated else "",
            totals_by=keys.index(self.export_totals_by) if self.export_totals_by in keys else None,
            truncated_at=limit,
        )


def _describe(field: forms.Field, value: Any) -> str:
    """What a filter field's cleaned value reads as on the page (a choice's label, not its code)."""
    from django.utils.translation import gettext as _

    if isinstance(value, (list, tuple, set, QuerySet)):
        return ", ".join(_describe(field, v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value))
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        flat: dict[str, str] = {}
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                flat.update({str(k): str(v) for k, v in label})
            else:
                flat[str(key)] = str(label)
        return flat.get(str(value), str(value))
    return display(value)
