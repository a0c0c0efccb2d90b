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

from gendan.core.xlsx import xlsx_response


@dataclass
class Column:
    key: str
    label: Any  # lazy translated string
    value: Callable[[Any], Any] | None = None  # default: attribute ``key`` (dotted allowed)
    sort: str | None = None  # ORM ordering field; None = not sortable
    link: bool = False  # render as a link to the row's get_absolute_url
    numeric: bool = False

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

    def export(self, qs: QuerySet) -> HttpResponse:
        headers = [str(c.label) for c in self.columns]
        rows = ([c.get(obj) for c in self.columns] for obj in qs.iterator(chunk_size=2000))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(
            filename=f"{slugify(self.export_name) or 'export'}-{stamp}.xlsx",
            sheet_title=str(self.title)[:31] or "Sheet1",
            headers=headers,
            rows=rows,
        )
