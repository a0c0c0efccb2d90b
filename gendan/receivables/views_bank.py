"""Pages of bank statements: the list, the upload, a statement with its lines and the
proposals, and a line's page where finance confirms (or changes) the proposal, sets the line
aside or links it to the receipt that already records it. Finance works here; managers read;
other roles get 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.listing import Column, GroupBy, ListPageView
from gendan.core.xlsx import DATE, DATETIME, INTEGER
from gendan.parties.selectors import customer_queryset
from gendan.receivables.forms_bank import (
    AllocationFormSet,
    BankUploadForm,
    LineConfirmForm,
    SetAsideForm,
    StatementFilterForm,
    StatementListFilterForm,
    allocations_of,
    order_numbers_of,
)
from gendan.receivables.models import BankStatementLine
from gendan.receivables.selectors.bank import (
    PAYABLE_STATES,
    VIEW,
    line_get_for_user,
    line_proposals,
    statement_counts,
    statement_get_for_user,
    statement_lines,
    statement_list,
)
from gendan.receivables.services.bank import (
    DECIDE,
    IMPORT,
    RECORD,
    bank_line_confirm,
    bank_line_link,
    bank_line_reopen,
    bank_line_set_aside,
    bank_statement_import,
)
from gendan.sales.selectors import order_queryset

PER_PAGE = 50


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _customers(user):
    return customer_queryset(user).select_related(None).only(
        "id", "code", "name_en", "name_zh", "short_name").order_by("code")


def _may_decide(user) -> bool:
    return user.has_perm(DECIDE) and user.has_perm(RECORD)


class StatementListView(ListPageView):
    """The imported bank statements (``statement_list``): filters account, currency, period,
    lines to match; groupings currency, account, month; saved views; Excel export."""

    template_name = "receivables/bank_list.html"
    results_template_name = "receivables/_bank_list_results.html"
    title = gettext_lazy("Bank statements")
    export_name = "bank-statements"
    filter_form_class = StatementListFilterForm
    default_sort = ""  # newest import first (the selector's order)
    columns = [
        Column("filename", gettext_lazy("file"), link=True, sort="filename"),
        Column("layout", gettext_lazy("layout"), value=lambda s: s.get_layout_display(), default=False),
        Column("currency", gettext_lazy("currency"), value=lambda s: s.currency_id, sort="currency_id"),
        Column("account", gettext_lazy("account"), sort="account"),
        Column("period_start", gettext_lazy("period from"), sort="period_start", format=DATE),
        Column("period_end", gettext_lazy("period to"), sort="period_end", format=DATE),
        Column("lines_count", gettext_lazy("credit lines"), sort="lines_count", numeric=True, format=INTEGER,
               total=True),
        Column("open_count", gettext_lazy("to match"), sort="open_count", numeric=True, format=INTEGER, total=True),
        Column("imported_at", gettext_lazy("imported at"), sort="imported_at", format=DATETIME),
        Column("imported_by", gettext_lazy("imported by"), value=lambda s: str(s.imported_by)),
    ]
    group_by = [
        GroupBy("currency", gettext_lazy("currency"), "currency_id"),
        GroupBy("account", gettext_lazy("account"), "account"),
        GroupBy.month("month", gettext_lazy("month of the period"), "period_start"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _need(request, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return statement_list(user=self.request.user)

    def filter_queryset(self, qs, data):
        return statement_list(user=self.request.user, filters=data)

    def row_url(self, obj) -> str:
        return reverse("receivables:bank_statement", args=[obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"may_import": self.request.user.has_perm(IMPORT)}


statement_list_page = StatementListView.as_view()


@login_required
def statement_upload(request):
    _need(request, IMPORT)
    form = BankUploadForm(request.POST or None, request.FILES or None)
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                result = bank_statement_import(actor=request.user, upload=form.cleaned_data["file"],
                                               currency=form.cleaned_data["currency"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status, error = error_status(exc), exc
            else:
                text = _("%(n)d credit lines imported; %(d)d debit lines skipped.") % {
                    "n": result.statement.lines_count, "d": result.debits_skipped}
                if result.other_currency_skipped:
                    text += " " + _("%(n)d lines in other currencies skipped.") % {"n": result.other_currency_skipped}
                messages.success(request, text)
                return redirect("receivables:bank_statement", pk=result.statement.pk)
        else:
            status = 400
    return render(request, "receivables/bank_upload.html", {"title": _("Import a bank statement"), "form": form,
                                                            "error": error}, status=status)


@login_required
def statement_detail(request, pk: int):
    _need(request, VIEW)
    statement = statement_get_for_user(user=request.user, pk=pk)
    filters = StatementFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page = Paginator(statement_lines(statement, status=status), PER_PAGE).get_page(request.GET.get("page"))
    lines = list(page.object_list)
    proposals = line_proposals(lines, user=request.user, currency=statement.currency_id)
    rows = [{"line": ln, "proposal": proposals[ln.pk]} for ln in lines]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "receivables/bank_detail.html", {
        "title": _("Bank statement %(file)s") % {"file": statement.filename}, "statement": statement,
        "rows": rows, "page": page, "filters": filters, "counts": statement_counts(statement),
        "querystring": query.urlencode(), "may_decide": _may_decide(request.user),
        "events": timeline_for(statement)})


def _line_context(request, line, proposal, form, allocations, aside_form) -> dict:
    return {"title": _("Line %(line)d of %(file)s") % {"line": line.line_no, "file": line.statement.filename},
            "line": line, "statement": line.statement, "proposal": proposal, "form": form,
            "allocations": allocations, "aside_form": aside_form, "may_decide": _may_decide(request.user),
            "open": line.status == BankStatementLine.Status.OPEN}


@login_required
def line_page(request, pk: int):
    """GET: the line with its proposal as a pre-filled form. POST: confirm what the form says."""
    _need(request, VIEW)
    line = line_get_for_user(user=request.user, pk=pk)
    proposal = line_proposals([line], user=request.user, currency=line.statement.currency_id)[line.pk]
    customers = _customers(request.user)
    status = 200
    if request.method == "POST":
        if not _may_decide(request.user):
            raise PermissionDenied
        form = LineConfirmForm(request.POST, customers=customers)
        allocations = AllocationFormSet(request.POST, prefix="alloc")
        if form.is_valid() and allocations.is_valid():
            numbers = order_numbers_of(allocations)
            by_number = dict(order_queryset(request.user).filter(
                number__in=numbers, currency_id=line.statement.currency_id, status__in=PAYABLE_STATES,
            ).values_list("number", "pk")) if numbers else {}
            rows = allocations_of(allocations, {k.upper(): v for k, v in by_number.items()})
            if rows is not None:
                data = form.cleaned_data
                try:
                    receipt = bank_line_confirm(
                        actor=request.user, line_id=line.pk, customer_id=data["customer"].pk, allocations=rows,
                        bank_charges=data.get("bank_charges"), bank_reference=data.get("bank_reference"),
                        note=data.get("note", ""))
                except BusinessError as exc:
                    add_business_error(form, exc)
                    status = error_status(exc)
                else:
                    messages.success(request, _("Receipt %(no)s recorded.") % {"no": receipt.number})
                    return redirect("receivables:bank_statement", pk=line.statement_id)
            else:
                status = 400
        else:
            status = 400
    else:
        initial = {"customer": proposal.customer.pk if proposal.customer else None,
                   "bank_reference": line.reference, "bank_charges": proposal.bank_charges}
        form = LineConfirmForm(initial=initial, customers=customers)
        allocations = AllocationFormSet(prefix="alloc", initial=[
            {"order": a.order.number, "amount": a.amount} for a in proposal.allocations])
    return render(request, "receivables/bank_line.html",
                  _line_context(request, line, proposal, form, allocations, SetAsideForm()), status=status)


@login_required
@require_POST
def line_set_aside(request, pk: int):
    _need(request, VIEW)
    line = line_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(DECIDE):
        raise PermissionDenied
    aside = SetAsideForm(request.POST)
    try:
        bank_line_set_aside(actor=request.user, line_id=line.pk,
                            note=aside.data.get("note", "") if not aside.is_valid() else aside.cleaned_data["note"])
    except BusinessError as exc:
        add_business_error(aside, exc)
        proposal = line_proposals([line], user=request.user, currency=line.statement.currency_id)[line.pk]
        context = _line_context(request, line, proposal, LineConfirmForm(customers=_customers(request.user)),
                                AllocationFormSet(prefix="alloc"), aside)
        context["error"] = exc
        return render(request, "receivables/bank_line.html", context, status=error_status(exc))
    messages.success(request, _("Line %(line)d set aside.") % {"line": line.line_no})
    return redirect("receivables:bank_statement", pk=line.statement_id)


@login_required
@require_POST
def line_link(request, pk: int):
    _need(request, VIEW)
    line = line_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(DECIDE):
        raise PermissionDenied
    try:
        bank_line_link(actor=request.user, line_id=line.pk)
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("receivables:bank_line", pk=line.pk)
    messages.success(request, _("Line %(line)d marked as recorded.") % {"line": line.line_no})
    return redirect("receivables:bank_statement", pk=line.statement_id)


@login_required
@require_POST
def line_reopen(request, pk: int):
    """Undo "set aside": the line is open to match again (the reason goes on the statement's timeline)."""
    _need(request, VIEW)
    line = line_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(DECIDE):
        raise PermissionDenied
    try:
        bank_line_reopen(actor=request.user, line_id=line.pk, reason=request.POST.get("reason", ""))
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("receivables:bank_line", pk=line.pk)
    messages.success(request, _("Line %(line)d is open to match again.") % {"line": line.line_no})
    return redirect("receivables:bank_line", pk=line.pk)
