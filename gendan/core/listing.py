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
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.views.generic import TemplateView

from gendan.core import saved_lists
from gendan.core.money import format_money
from gendan.core.xlsx import AUTO, GroupRow, XlsxColumn, xlsx_response


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
    # The column chooser: ``default`` False = an optional column, hidden until chosen;
    # ``select`` the relations (select_related paths) only this column reads, fetched only
    # while it is shown. The first column (the row's link) is always shown.
    default: bool = True
    select: tuple[str, ...] = ()

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
class GroupBy:
    """A way to group a list: ``expr`` (a field name or an ORM expression) is the group's key,
    computed by the database; ``display`` turns a row of the group into the group's header
    (default: the key as it reads)."""

    key: str
    label: Any
    expr: Any
    display: Callable[[Any], Any] | None = None
    select: tuple[str, ...] = ()  # relations the header reads (select_related while grouped)
    # A grouping computed by a function of a plain column (a month of a date): the rows are
    # ordered by that column (``order``), each row's key is ``key_of(row)`` in Python, and the
    # subtotals' query computes ``expr`` only on the rows ``span(keys)`` selects — SQLite runs
    # date functions in Python, once per row, and 100 000 of them take seconds.
    order: str | None = None
    key_of: Callable[[Any], Any] | None = None
    span: Callable[[list], Q] | None = None
    bucket: Callable[[Any], Any] | None = None  # the ``order`` column's value → the group key

    def expression(self):
        return F(self.expr) if isinstance(self.expr, str) else self.expr

    def row_key(self, obj: Any) -> Any:
        return self.key_of(obj) if self.key_of is not None else getattr(obj, GROUP_ATTR, None)

    def header(self, obj: Any) -> str:
        if self.display is not None:
            return display(self.display(obj))
        value = self.row_key(obj)
        return display(value) if value not in (None, "") else "—"

    @classmethod
    def month(cls, key: str, label: Any, field: str) -> GroupBy:
        """Group by the month of the date ``field`` (headers "2026-03")."""

        def first_day(obj):
            value = getattr(obj, field, None)
            return value.replace(day=1) if value else None

        def span(keys: list) -> Q:
            months = [k for k in keys if k is not None]
            condition = Q(pk__in=[])
            if months:
                last = max(months)
                after = last.replace(year=last.year + 1, month=1) if last.month == 12 else last.replace(month=last.month + 1)
                condition |= Q(**{f"{field}__gte": min(months), f"{field}__lt": after})
            if None in keys:
                condition |= Q(**{f"{field}__isnull": True})
            return condition

        return cls(key, label, TruncMonth(field), display=lambda o: first_day(o).strftime("%Y-%m") if first_day(o) else "—",
                   order=field, key_of=first_day, span=span, bucket=lambda v: v.replace(day=1) if v else None)


@dataclass
class Typeahead:
    """A big choice filter typed into instead of picked from a drop-down: ``choices(view)``
    is the scoped queryset the user may learn names from, ``search`` its lookups for a typed
    term, ``value`` what the input receives (a code) and ``label`` what the suggestion reads."""

    choices: Callable[[Any], QuerySet]
    search: tuple[str, ...] = ("code__istartswith", "name_zh__icontains", "name_en__icontains")
    exact: str = "code__iexact"
    value: Callable[[Any], str] = lambda obj: obj.code
    label: Callable[[Any], str] = lambda obj: f"{obj.code} {obj.display_name}"
    limit: int = 20

    def matching(self, view, term: str) -> QuerySet:
        """What a typed term means: the one choice with exactly that code, else every choice whose
        name or code contains it."""
        term = (term or "").strip()[:100]
        qs = self.choices(view)
        if not term:
            return qs.none()
        exact = qs.filter(**{self.exact: term})
        if exact.exists():
            return exact
        condition = Q()
        for lookup in self.search:
            condition |= Q(**{lookup: term})
        return qs.filter(condition)


class TypeaheadInput(forms.TextInput):
    """A text input that suggests matches as you type (``core/static/gendan/lists.js`` asks the
    list page's ``?typeahead=<field>&term=…``); without JavaScript a plain text filter."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update({"data-typeahead": name, "list": f"typeahead-{name}"})
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="typeahead-{}"></datalist>', html, name)


GROUP_ATTR = "list_group_key"
NO_SAVED_VIEW = "0"


@dataclass
class SortState:
    key: str = ""
    descending: bool = False
    options: dict[str, str] = field(default_factory=dict)


class ListPageView(LoginRequiredMixin, TemplateView):
    """Base view for a filtered, sorted, paginated list with ``?export=xlsx``.

    Subclasses set ``columns``, ``filter_form_class``, ``default_sort`` and implement
    ``get_base_queryset()`` (the scoped selector) and ``filter_queryset(qs, data)``.

    Every list also gets (issue 11, "lists that scale"): the column chooser (``?cols=``, the
    columns with ``default=False`` hidden until chosen), grouping (``group_by``, ``?group=``:
    group headers with counts and per-currency subtotals of ``group_money``, one aggregate
    query), saved views per person (``?view=<id>``; the user's default opens a bare list) and
    typeahead filters (``typeahead``: ``?typeahead=<field>&term=…`` answers JSON).
    """

    template_name = "core/list.html"
    results_template_name = "core/_list_results.html"
    columns: list[Column] = []
    filter_form_class: type[forms.Form] | None = None
    default_sort = ""
    title: Any = ""
    export_name = "export"
    list_key = ""  # the saved views' key; default: export_name
    create_url_name: str | None = None
    create_permission: str | None = None
    breadcrumbs: list[tuple[Any, str | None]] = []
    # The export: at most this many rows (a note says when it stopped there), and the column
    # (a key of ``export_columns``) whose value splits the totals, e.g. "currency_id".
    export_max_rows = 50_000
    export_totals_by: str | None = None
    group_by: list[GroupBy] = []
    group_money: tuple[str, str] | None = None  # (amount field, currency field) summed per group
    typeahead: dict[str, Typeahead] = {}

    saved_view = None
    _user_saved_views: list | None = None
    saved_view_errors: list[str] = []

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, qs: QuerySet, data: dict) -> QuerySet:
        return qs

    def get_list_key(self) -> str:
        return self.list_key or self.export_name

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

    # --- the column chooser ---------------------------------------------------------------

    def chosen_keys(self) -> list[str] | None:
        """The column keys asked for in ``?cols=`` (None: the default set)."""
        request = getattr(self, "request", None)
        if request is None:
            return None
        keys = [k for raw in request.GET.getlist("cols") for k in raw.split(",") if k]
        return keys or None

    def get_visible_columns(self) -> list[Column]:
        chosen = self.chosen_keys()
        if chosen is None:
            return [c for c in self.columns if c.default] or list(self.columns)
        wanted = set(chosen)
        return [c for i, c in enumerate(self.columns) if i == 0 or c.key in wanted]

    def columns_changed(self) -> bool:
        return [c.key for c in self.get_visible_columns()] != [c.key for c in self.columns if c.default]

    def select_for_columns(self, qs: QuerySet, columns: list[Column]) -> QuerySet:
        paths = [p for c in columns for part in (c.export or [c]) for p in (part.select or c.select)]
        return qs.select_related(*dict.fromkeys(paths)) if paths else qs

    # --- grouping -------------------------------------------------------------------------

    def get_group(self) -> GroupBy | None:
        key = self.request.GET.get("group", "")
        return next((g for g in self.group_by if g.key == key), None)

    def group_queryset(self, qs: QuerySet, group: GroupBy) -> QuerySet:
        ordering = list(qs.query.order_by) or ["-pk"]
        if group.select:
            qs = qs.select_related(*group.select)
        if group.order:
            return qs.order_by(F(group.order).asc(nulls_last=True), *ordering)
        return qs.annotate(**{GROUP_ATTR: group.expression()}).order_by(
            F(GROUP_ATTR).asc(nulls_last=True), *ordering)

    def group_totals(self, qs: QuerySet, keys: list[Any]) -> dict[Any, dict]:
        """{group key: {"count": n, "sums": [(currency, Decimal)]}} for ``keys``, from one
        aggregate query over the filtered rows (never by reading them)."""
        if not keys:
            return {}
        group = self.get_group()
        base = qs.order_by()
        if any(getattr(a, "contains_aggregate", False) for name, a in base.query.annotations.items()
               if name != GROUP_ATTR):
            # Rows annotated with aggregates (sums over their lines): group their ids instead.
            base = base.model._default_manager.filter(pk__in=base.values("pk"))
        if group.span is not None:
            # the database sums per value of the plain column (a day) over these groups' rows only;
            # the few sums per day are added into their month here — no date function per row
            condition = group.span(keys)
            fields = [group.order]
        else:
            if GROUP_ATTR not in base.query.annotations:
                base = base.annotate(**{GROUP_ATTR: group.expression()})
            present = [k for k in keys if k is not None]
            condition = Q(**{f"{GROUP_ATTR}__in": present}) if present else Q(pk__in=[])
            if None in keys:
                condition |= Q(**{f"{GROUP_ATTR}__isnull": True})
            fields = [GROUP_ATTR]
        aggregates = {"n": Count("pk")}
        if self.group_money:
            amount, currency = self.group_money
            fields.append(currency)
            aggregates["total"] = Sum(amount)
        totals: dict[Any, dict] = {}
        sums: dict[Any, dict[Any, Decimal]] = {}
        for row in base.filter(condition).values(*fields).annotate(**aggregates).order_by(*fields):
            key = group.bucket(row[group.order]) if group.span is not None else row[GROUP_ATTR]
            entry = totals.setdefault(key, {"count": 0, "sums": []})
            entry["count"] += row["n"]
            if self.group_money and row.get("total") is not None:
                per_currency = sums.setdefault(key, {})
                currency = row[self.group_money[1]]
                per_currency[currency] = per_currency.get(currency, Decimal(0)) + Decimal(row["total"])
        for key, per_currency in sums.items():
            totals[key]["sums"] = sorted(per_currency.items(), key=lambda item: str(item[0]))
        return totals

    # --- saved views ----------------------------------------------------------------------

    def user_saved_views(self) -> list:
        """The user's saved views of this list, read once per request (one query): the menu,
        the default view of a bare list and ``?view=<id>`` all come from it."""
        if self._user_saved_views is None:
            self._user_saved_views = saved_lists.saved_views_for(user=self.request.user, list_key=self.get_list_key())
        return self._user_saved_views

    def apply_saved_view(self, request) -> None:
        """``?view=<id>`` alone opens a saved view (its query replaces the request's); a bare
        list opens the user's default one; ``?view=0`` none."""
        params = request.GET
        chosen = params.get("view", "")
        others = [k for k in params if k not in ("view", "page", "export")]
        view = None
        if chosen and chosen != NO_SAVED_VIEW and not others:
            try:
                pk = int(chosen)
            except (ValueError, OverflowError):
                raise Http404("No such saved view.") from None
            view = next((v for v in self.user_saved_views() if v.pk == pk), None)
            if view is None:  # another person's is a 404 like a missing one
                raise Http404("No such saved view.")
        elif not params:
            view = next((v for v in self.user_saved_views() if v.is_default), None)
        if view is None:
            if "view" in params:
                query = params.copy()
                query.pop("view")
                request.GET = query
            return
        query = QueryDict(view.query, mutable=True)
        for name in ("page", "export"):
            if name in params:
                query[name] = params[name]
        request.GET = query
        self.saved_view = view

    def check_saved_view(self, form: forms.Form | None) -> list[str]:
        """What of the applied saved view no longer fits the list (a filter's value, a column,
        a grouping), in words; the rest of it still applies."""
        from django.utils.translation import gettext as _

        problems = []
        if form is not None and form.is_bound and not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                problems.append(f"{label}: {' '.join(errors)}")
        known = {c.key for c in self.columns}
        for key in self.chosen_keys() or []:
            if key not in known:
                problems.append(_("column “%(key)s” no longer exists") % {"key": key})
        group = self.request.GET.get("group", "")
        if group and self.get_group() is None:
            problems.append(_("grouping “%(key)s” no longer exists") % {"key": group})
        return problems

    # --- typeahead ------------------------------------------------------------------------

    def typeahead_response(self, name: str) -> HttpResponse:
        source = self.typeahead.get(name)
        if source is None:
            raise Http404("No such filter.")
        term = self.request.GET.get("term", "").strip()[:100]
        results = []
        if term:
            condition = Q()
            for lookup in source.search:
                condition |= Q(**{lookup: term})
            for obj in source.choices(self).filter(condition)[: source.limit]:
                results.append({"value": source.value(obj), "label": source.label(obj)})
        response = JsonResponse({"results": results})
        response["Cache-Control"] = "private, no-store"
        return response

    def typeahead_filter(self, qs: QuerySet, data: dict, name: str, lookup: str) -> tuple[QuerySet, dict]:
        """Filter ``qs`` by the text typed into the typeahead ``name`` (``lookup`` names the rows'
        relation, e.g. "customer"); returns the queryset and ``data`` without that field."""
        text = data.get(name)
        rest = {k: v for k, v in data.items() if k != name}
        if not text:
            return qs, rest
        matching = self.typeahead[name].matching(self, text)
        return qs.filter(**{f"{lookup}__in": matching.values("pk")}), rest

    # --- the page -------------------------------------------------------------------------

    def get_rows_queryset(self) -> tuple[QuerySet, forms.Form | None, SortState]:
        qs = self.get_base_queryset()
        form = self.get_filter_form()
        if form is not None and form.is_bound:
            if form.is_valid():
                qs = self.filter_queryset(qs, form.cleaned_data)
            elif self.saved_view is not None:  # what still fits of a saved view applies
                qs = self.filter_queryset(qs, {k: v for k, v in form.cleaned_data.items() if k not in form.errors})
        sort = self.get_sort()
        if sort.key:
            order = sort.options[sort.key]
            qs = qs.order_by(("-" if sort.descending else "") + order, "-pk" if sort.descending else "pk")
        return qs, form, sort

    def get(self, request, *args, **kwargs):
        if request.GET.get("typeahead"):
            return self.typeahead_response(request.GET["typeahead"])
        self.apply_saved_view(request)
        qs, form, sort = self.get_rows_queryset()
        self.saved_view_errors = self.check_saved_view(form) if self.saved_view is not None else []
        group = self.get_group()
        if group is not None:
            qs = self.group_queryset(qs, group)
        if request.GET.get("export") == "xlsx":
            self.export_form = form
            return self.export(qs)
        visible = self.get_visible_columns()
        qs = self.select_for_columns(qs, visible)
        paginator = Paginator(qs, settings.GENDAN_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        objects = self.page_rows(page)
        rows = [(obj, self.row_cells(obj, visible)) for obj in objects]
        items = self.page_items(rows, group, qs)
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        export_query = query.copy()
        export_query["export"] = "xlsx"
        chosen = {c.key for c in visible}
        context = self.get_context_data(
            form=form,
            page=page,
            rows=rows,
            items=items,
            group=group,
            group_choices=self.group_by,
            columns=visible,
            all_columns=[(c, c.key in chosen, i == 0) for i, c in enumerate(self.columns)],
            sort=sort,
            querystring=query.urlencode(),
            sort_querystring=sort_query.urlencode(),
            export_querystring=export_query.urlencode(),
            saved_query=saved_lists.clean_query(query.urlencode()),
            saved_views=self.user_saved_views(),
            saved_view=self.saved_view,
            saved_view_errors=self.saved_view_errors,
            list_key=self.get_list_key(),
            results_template=self.results_template_name,
            list_path=request.path,
            title=self.title,
            breadcrumbs=self.breadcrumbs,
            create_url_name=self.create_url_name
            if not self.create_permission or request.user.has_perm(self.create_permission)
            else None,
        )
        if request.htmx and request.htmx.target == "list-results":
            return self.response_class(request, self.results_template_name, context)
        return self.render_to_response(context)

    def page_rows(self, page) -> list:
        """The page's rows: their ids first, sorted and cut to the page over narrow rows, then
        those rows whole with what their columns select and annotate — the database sorts ids,
        not every row of the list joined to its relations (SQLite builds each sorted row whole
        before the page is cut). A list that fits on one page is read at once."""
        if page.paginator.count <= page.paginator.per_page:
            return list(page.object_list)
        ids = list(page.object_list.values_list("pk", flat=True))
        if not ids:
            return []
        rows = {obj.pk: obj for obj in page.paginator.object_list.filter(pk__in=ids)}
        return [rows[pk] for pk in ids]

    def row_cells(self, obj, columns: list[Column]) -> list[str]:
        """A row's plain values, one per shown column (what the table shows unless its row
        template makes a cell itself)."""
        return [display(c.get(obj)) for c in columns]

    def page_items(self, rows: list, group: GroupBy | None, qs: QuerySet) -> list[dict]:
        """The table's body: the rows, each group's header before its first row on the page
        (with the whole group's count and subtotals, not only this page's)."""
        columns = self.get_visible_columns()
        if group is None:
            return [{"obj": obj, "cells": cells, "pairs": list(zip(columns, cells, strict=True)),
                     "url": self._row_url(obj)} for obj, cells in rows]
        keys = list(dict.fromkeys(group.row_key(obj) for obj, _cells in rows))
        totals = self.group_totals(qs, keys)
        items: list[dict] = []
        current: Any = object()
        for obj, cells in rows:
            key = group.row_key(obj)
            if key != current:
                current = key
                found = totals.get(key, {"count": 0, "sums": []})
                items.append({"header": group.header(obj), "count": found["count"],
                              "sums": [format_money(amount, currency) if currency else display(amount)
                                       for currency, amount in found["sums"]]})
            items.append({"obj": obj, "cells": cells, "pairs": list(zip(columns, cells, strict=True)),
                          "url": self._row_url(obj)})
        return items

    def _row_url(self, obj) -> str | None:
        # None: the template asks the row itself (obj.get_absolute_url), as before; only a list
        # that declares its row_url pays for it on every row
        return self.row_url(obj) if type(self).row_url is not ListPageView.row_url else None

    def row_url(self, obj) -> str:
        """Where a row's first cell links: the row's own page by default; a list whose rows
        open elsewhere (the progress list: the progress grid) says so here. Empty for rows
        without a page of their own."""
        url = getattr(obj, "get_absolute_url", "")
        return url() if callable(url) else url

    def export_columns(self) -> list[Column]:
        """The columns of the export: the page's shown ones, each replaced by its ``export``
        columns if any."""
        visible = {c.key for c in self.get_visible_columns()}
        # the column splitting the totals (the currency) stays, shown or not
        return [part for c in self.columns
                if c.key in visible or any(p.key == self.export_totals_by for p in (c.export or [c]))
                for part in (c.export or [c])]

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
                if name in self.typeahead:  # the customer typed: named as the one it picks
                    found = list(self.typeahead[name].matching(self, value)[:2])
                    text = self.typeahead[name].label(found[0]) if len(found) == 1 else str(value)
                    described.append((str(bound_field.label or name), text))
                    continue
                described.append((str(bound_field.label or name), _describe(bound_field, value)))
        group = self.get_group()
        if group is not None:
            described.append((_("grouped by"), str(group.label)))
        if sort is not None and sort.key and self.request.GET.get("sort"):
            label = next((str(c.label) for c in self.columns if c.key == sort.key), sort.key)
            described.append((_("sorted by"), _("%(column)s, descending") % {"column": label}
                              if sort.descending else label))
        return described

    def export(self, qs: QuerySet) -> HttpResponse:
        columns = self.export_columns()
        qs = self.select_for_columns(qs, self.get_visible_columns())
        keys = [c.key for c in columns]
        limit = self.export_max_rows
        rows = ([c.get(obj) for c in columns] for obj in qs[: limit + 1].iterator(chunk_size=2000))
        group = self.get_group()
        if group is not None:
            rows = self.grouped_export_rows(qs[: limit + 1], columns, group)
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


    def grouped_export_rows(self, qs: QuerySet, columns: list[Column], group: GroupBy):
        """The export's rows in their groups: a header row before each group, its rows, then a
        subtotal row per currency (or one, without ``export_totals_by``) adding up the columns
        marked ``total``."""
        from django.utils.translation import gettext as _

        keys = [c.key for c in columns]
        split = keys.index(self.export_totals_by) if self.export_totals_by in keys else None
        n = len(columns)

        def subtotals(header, count, sums):
            for currency in sorted(sums, key=str):
                out: list[Any] = [""] * n
                out[0] = _("Subtotal %(group)s (%(count)s rows)") % {"group": header, "count": count}
                if split is not None and split != 0:
                    out[split] = currency
                for i, column in enumerate(columns):
                    if column.total:
                        out[i] = sums[currency][i]
                yield GroupRow(out, kind="subtotal")

        current: Any = object()
        header, count, sums = "", 0, {}
        for obj in qs.iterator(chunk_size=2000):
            key = group.row_key(obj)
            if key != current:
                if count:
                    yield from subtotals(header, count, sums)
                current, header, count, sums = key, group.header(obj), 0, {}
                yield GroupRow([f"{group.label}: {header}"] + [""] * (n - 1), kind="header")
            row = [c.get(obj) for c in columns]
            count += 1
            bucket = sums.setdefault(row[split] if split is not None else "", [Decimal(0)] * n)
            for i, column in enumerate(columns):
                value = row[i]
                if column.total and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    bucket[i] += Decimal(value)
            yield row
        if count:
            yield from subtotals(header, count, sums)


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
