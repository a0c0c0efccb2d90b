"""Pages of the ledger part: a customer's ledger (with its open money), its statement of account
(page, PDF, Excel, e-mail), the aging (filters, Excel, chart) and the aging buckets; and the
order page's panel of instalments. Thin: selectors read, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.receivables.forms_ledger import AgingFilterForm, AgingPolicyForm, StatementForm
from gendan.receivables.models import StatementSend
from gendan.receivables.pdf_statement import render_statement_pdf
from gendan.receivables.selectors.aging import aging_report, chart_bars
from gendan.receivables.selectors.ledger import VIEW, ledger_customer_get, ledger_for, order_instalments
from gendan.receivables.services.aging import CHANGE as CHANGE_POLICY
from gendan.receivables.services.aging import aging_policy_get, aging_policy_set
from gendan.receivables.services.statements import (
    SEND,
    default_period,
    statement_for,
    statement_send,
)
from gendan.receivables.xlsx_ledger import (
    aging_columns,
    aging_row_values,
    aging_xlsx,
    entry_text,
    statement_xlsx,
)


def _require_view(request) -> None:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied(_("You may not see receivables."))


@login_required
def ledger_page(request, pk: int):
    _require_view(request)
    currency = (request.GET.get("currency") or "").upper()[:3] or None
    ledger = ledger_for(user=request.user, customer_id=pk, currency=currency)
    for c in ledger.currencies:
        for e in c.entries:
            e.text = entry_text(e)
    start, end = default_period()
    sends = StatementSend.objects.filter(customer=ledger.customer).order_by("-requested_at")[:10]
    return render(request, "receivables/ledger.html", {
        "title": _("Ledger of %(customer)s") % {"customer": ledger.customer.code}, "ledger": ledger,
        "customer": ledger.customer, "currency": currency,
        "open_orders": [o for o in ledger.orders if o.balance],
        "statement_query": f"start={start.isoformat()}&end={end.isoformat()}", "sends": sends})


@login_required
def statement_page(request, pk: int):
    """GET: the statement for ``start``–``end`` (``format=pdf`` / ``xlsx`` to download); POST
    (finance): e-mail it to the customer."""
    _require_view(request)
    customer = ledger_customer_get(user=request.user, pk=pk)
    start, end = default_period()
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = StatementForm(data, initial={"start": start.isoformat(), "end": end.isoformat()})
    values = {"start": start, "end": end, "lang": ""}
    status = 200
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
    elif form.is_bound and (request.method == "POST" or request.GET.keys() - {"format"}):
        status = 400  # a period asked for but not given in full: say which date is missing
    may_send = request.user.has_perm(SEND)
    statement = None
    if request.method == "POST":
        if not may_send:
            raise PermissionDenied(_("Only finance sends statements of account."))
    if request.method == "POST" and status == 200:
        try:
            send = statement_send(actor=request.user, customer_id=customer.pk, start=values.get("start"),
                                  end=values.get("end"), language=values.get("lang") or None)
        except BusinessError as exc:
            add_business_error(form, exc)
            status = error_status(exc)
        else:
            messages.success(request, _("The statement is being e-mailed to %(to)s.") % {"to": send.sent_to})
            return redirect(reverse("receivables:ledger", args=[customer.pk]))
    if status == 200:
        try:
            statement = statement_for(user=request.user, customer_id=customer.pk, start=values.get("start"),
                                      end=values.get("end"), language=values.get("lang") or None)
        except BusinessError as exc:
            add_business_error(form, exc)
            status = error_status(exc)
    fmt = request.GET.get("format")
    if statement is not None and fmt == "pdf":
        response = HttpResponse(render_statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{statement.number}.pdf"'
        return response
    if statement is not None and fmt == "xlsx":
        return statement_xlsx(statement)
    if statement is not None:
        for c in statement.currencies:
            for e in c.movements:
                e.text = entry_text(e)
    query = request.GET.urlencode() if request.method == "GET" and request.GET else \
        f"start={start.isoformat()}&end={end.isoformat()}"
    return render(request, "receivables/statement.html", {
        "title": _("Statement of account"), "customer": customer, "statement": statement, "form": form,
        "may_send": may_send, "query": query.replace("&format=pdf", "").replace("&format=xlsx", "")}, status=status)


AGING_PAGE = 100  # rows a page; the totals, the chart and the Excel cover every row of the filter


@login_required
def aging_page(request):
    _require_view(request)
    form = AgingFilterForm(request.GET or None)
    group, currency = "customer", None
    if form.is_bound and form.is_valid():
        group = form.cleaned_data.get("group") or "customer"
        currency = form.cleaned_data.get("currency") or None
    report = aging_report(user=request.user, group=group, currency=currency)
    if request.GET.get("export") == "xlsx":
        return aging_xlsx(report)
    page = Paginator(report.rows, AGING_PAGE).get_page(request.GET.get("page"))
    rows = [{"row": row, "values": aging_row_values(row)} for row in page.object_list]
    totals = [{"row": row, "values": aging_row_values(row)} for row in report.totals]
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("page", None)
    return render(request, "receivables/aging.html", {
        "title": _("Aging of receivables"), "report": report, "form": form, "rows": rows, "totals": totals,
        "page": page,
        "columns": aging_columns(report), "bars": chart_bars(report), "query": query.urlencode(),
        "may_edit_buckets": request.user.has_perm(CHANGE_POLICY), "today": timezone.localdate()})


@login_required
def aging_policy_page(request):
    if not request.user.has_perm(CHANGE_POLICY):
        raise PermissionDenied(_("Only finance and managers change the aging buckets."))
    policy = aging_policy_get()
    form = AgingPolicyForm(request.POST or None, initial={"bounds": policy.bounds})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                aging_policy_set(actor=request.user, bounds=form.cleaned_data["bounds"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("The aging buckets are saved."))
                return redirect(reverse("receivables:aging"))
        else:
            status = 400
    return render(request, "receivables/aging_policy.html", {
        "title": _("Aging buckets"), "form": form, "policy": policy, "timeline": timeline_for(policy)},
        status=status)


def ledger_order_panel(request, order) -> dict | None:
    """The order page's panel: its instalments, received, open, due date and rule, days overdue."""
    if not request.user.has_perm(VIEW) or order.status == order.Status.DRAFT:
        return None
    rows = order_instalments(order)
    if not rows:
        return None
    return {"rows": rows, "currency": order.currency_id,
            "ledger_url": reverse("receivables:ledger", args=[order.customer_id])}
