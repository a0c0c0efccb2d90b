"""Pages of supplier statements (对账单): the list, issue (or reissue), the statement's page
(totals, lines, disputes, reply, send, timeline), its PDF and Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.events import timeline_for
from gendan.core.guards import parse_id
from gendan.core.views import run_action, run_service_form
from gendan.payables.forms_invoices import ReplyForm, SettleForm, StatementFilterForm, StatementIssueForm
from gendan.payables.models import StatementDispute, SupplierStatement
from gendan.payables.pdf_statement import statement_pdf
from gendan.payables.selectors.statements import month_closed, statement_get, statement_list
from gendan.payables.services.statements import (
    ISSUE,
    LIVE,
    REPLY,
    SETTLE,
    dispute_settle,
    statement_issue,
    statement_reply,
    statement_send,
)
from gendan.payables.xlsx_payables import statement_xlsx_bytes

VIEW = "payables.view_supplierstatement"
PER_PAGE = 50
KIND_LABELS = {"delivery": "delivered", "invoice": "invoice", "payment": "payment"}


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
def statement_list_page(request):
    _need(request, VIEW)
    form = StatementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(statement_list(user=request.user, filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "payables/statements/list.html", {
        "title": _("Supplier statements"), "form": form, "page": page, "querystring": query.urlencode(),
        "may_issue": request.user.has_perm(ISSUE)})


@login_required
def statement_issue_page(request):
    """Issue the statement of a supplier for a month (again: a reissue that replaces the live one)."""
    _need(request, ISSUE)
    last_month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m")
    initial = {"month": last_month, "currency": "CNY"}
    if parse_id(request.GET.get("supplier")):
        initial["supplier"] = parse_id(request.GET.get("supplier"))
    if request.GET.get("month"):
        initial["month"] = request.GET["month"][:7]
    form = StatementIssueForm(request.POST or None, initial=initial)
    return run_service_form(request, form=form, call=lambda f: statement_issue(
        actor=request.user, supplier_id=f.cleaned_data["supplier"].pk, month=f.cleaned_data["month"],
        currency=f.cleaned_data["currency"].pk, send=f.cleaned_data.get("send", False)),
        template="payables/statements/form.html", context={"title": _("Issue a supplier statement")},
        success_message=_("Statement issued."), success_url=lambda s: s.get_absolute_url())


def _lines(statement) -> list[dict]:
    labels = {"delivery": _("delivered"), "invoice": _("invoice"), "payment": _("payment")}
    disputed = {d.line_ref: d for d in statement.disputes.all()}
    return [{**x, "kind_label": labels.get(x["kind"], x["kind"]), "dispute": disputed.get(x["ref"])}
            for x in statement.lines or []]


def _detail_context(request, statement) -> dict:
    user = request.user
    live = statement.status in LIVE
    disputes = list(statement.disputes.select_related("recorded_by", "settled_by"))
    return {
        "statement": statement, "title": statement.number, "lines": _lines(statement), "disputes": disputes,
        "events": timeline_for(statement), "month_closed": month_closed(statement.month, timezone.localdate()),
        "may_reply": user.has_perm(REPLY) and live, "may_send": user.has_perm(ISSUE) and live,
        "may_reissue": user.has_perm(ISSUE) and live, "may_settle": user.has_perm(SETTLE),
        "reply_form": ReplyForm(), "settle_form": SettleForm(),
    }


@login_required
def statement_detail(request, pk: int):
    _need(request, VIEW)
    statement = statement_get(user=request.user, pk=pk)
    return render(request, "payables/statements/detail.html", _detail_context(request, statement))


@login_required
def statement_file(request, pk: int, fmt: str):
    """The statement as PDF (in the reader's language: Chinese with the English beside it, or
    English) or Excel."""
    _need(request, VIEW)
    statement = statement_get(user=request.user, pk=pk)
    if fmt == "pdf":
        body = statement_pdf(statement, language=get_language() or "en")
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{statement.number}.pdf"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(statement_xlsx_bytes(statement),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{statement.number}.xlsx"'
        return response
    raise Http404


def _action(request, pk: int, form_class, call, message, *, form_key: str):
    _need(request, VIEW)
    statement = statement_get(user=request.user, pk=pk)
    form = form_class(request.POST) if form_class else None

    def refused(exc, bound):
        context = _detail_context(request, statement_get(user=request.user, pk=pk))
        context["error"] = exc
        if bound is not None:
            context[form_key] = bound
        return render(request, "payables/statements/detail.html", context)

    return run_action(request, form=form, call=lambda data: call(statement, data), success_message=message,
                      success_url=lambda result: getattr(result, "get_absolute_url", statement.get_absolute_url)()
                      if isinstance(result, SupplierStatement) else statement.get_absolute_url(),
                      refused=refused)


@login_required
@require_POST
def statement_reply_page(request, pk: int):
    _need(request, REPLY)

    def call(statement, data):
        form = ReplyForm(request.POST)
        form.is_valid()
        return statement_reply(actor=request.user, statement_id=statement.pk, outcome=data["outcome"],
                               note=data.get("note", ""), disputes=form.dispute_rows())

    return _action(request, pk, ReplyForm, call, _("Reply recorded."), form_key="reply_form")


@login_required
@require_POST
def statement_send_page(request, pk: int):
    _need(request, ISSUE)
    return _action(request, pk, None, lambda s, d: statement_send(actor=request.user, statement_id=s.pk),
                   _("The statement is being e-mailed to the supplier."), form_key="")


@login_required
@require_POST
def statement_reissue_page(request, pk: int):
    _need(request, ISSUE)
    return _action(request, pk, None, lambda s, d: statement_issue(
        actor=request.user, supplier_id=s.supplier_id, month=s.month, currency=s.currency_id),
        _("Statement reissued: the new one replaces it."), form_key="")


@login_required
@require_POST
def dispute_settle_page(request, pk: int, dispute_pk: int):
    _need(request, SETTLE)
    statement = statement_get(user=request.user, pk=pk)
    dispute = StatementDispute.objects.filter(statement=statement, pk=parse_id(dispute_pk) or 0).first()
    if dispute is None:
        raise Http404(_("No such disputed line."))
    return _action(request, pk, SettleForm, lambda s, d: dispute_settle(
        actor=request.user, dispute_id=dispute.pk, settlement=d["settlement"]),
        _("Disputed line settled."), form_key="settle_form")
