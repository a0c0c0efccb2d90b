"""Pages of letters of credit: the list, the register form, the credit's page (examination,
amendments, drawings, countdowns, timeline), and the order page's credit panel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.guards import parse_id
from gendan.core.views import run_action
from gendan.documents.pdf.company import company
from gendan.exportdocs.forms_credits import (
    AmendmentReceiveForm,
    AmendmentRequestForm,
    CreditFilterForm,
    CreditForm,
    DocumentRowsFormSet,
    ReasonForm,
    VersionForm,
    documents_of,
    documents_required_lines,
)
from gendan.exportdocs.models import CreditAmendment, DocumentKind, LetterOfCredit
from gendan.exportdocs.selectors.credits import (
    credit_countdowns,
    credit_drawings,
    credit_drawn,
    credit_for_order,
    credit_get_for_user,
    credit_list,
    credit_queryset,
    credit_undrawn,
    order_is_paid_by_credit,
)
from gendan.exportdocs.services.amendments import (
    amendment_accept,
    amendment_receive,
    amendment_refuse,
    amendment_request,
    amendment_request_text,
)
from gendan.exportdocs.services.credits import (
    ADD,
    CHANGE,
    CREDIT,
    CREDIT_FIELDS,
    LIVE,
    credit_cancel,
    credit_close,
    credit_register,
    credit_update,
)
from gendan.exportdocs.services.examination import EXAMINE, credit_examine
from gendan.parties.models import Customer
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_queryset

# An L/C order waits for its credit from confirmation until it ships (催证).
AWAITING_STATES = (SalesOrder.Status.CONFIRMED, SalesOrder.Status.IN_PRODUCTION, SalesOrder.Status.READY,
                   SalesOrder.Status.ON_HOLD)


def credit_order_panel(request, order) -> dict | None:
    """The order page's panel (rank 45): the order's credit, or "waiting for the L/C" for an
    order paid by L/C without one. Hidden for other orders and for roles that may not see credits."""
    if not request.user.has_perm("exportdocs.view_letterofcredit"):
        return None
    credit = credit_for_order(order)
    if credit is None and not (order_is_paid_by_credit(order) and order.status in AWAITING_STATES
                               and order.shipment_status != SalesOrder.ShipmentStatus.SHIPPED):
        return None
    today = timezone.localdate()
    return {"credit": credit, "waiting": credit is None,
            "undrawn": credit_undrawn(credit) if credit else None,
            "expiry_days": (credit.expiry_date - today).days if credit else None,
            "can_add": request.user.has_perm("exportdocs.add_letterofcredit")}


# --- the list, the register form, the credit's page ------------------------------------------

VIEW = "exportdocs.view_letterofcredit"
PER_PAGE = 50


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _customers(user):
    ids = credit_queryset(user).order_by().values("customer_id")
    return Customer.objects.filter(pk__in=ids).order_by("code")


@login_required
def credit_list_page(request):
    """The credits the user may see: filters status, customer, expiring within N days, search."""
    _need(request, VIEW)
    form = CreditFilterForm(request.GET or None, customers=_customers(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {**filters, "customer": filters["customer"].pk if filters.get("customer") else None}
    page = Paginator(credit_list(user=request.user, filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for credit in page.object_list:
        credit.expiry_days = (credit.expiry_date - today).days
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "exportdocs/credits/list.html", {
        "title": _("Letters of credit"), "form": form, "page": page, "querystring": query.urlencode(),
        "may_add": request.user.has_perm(ADD)})


@login_required
def credit_add(request):
    """Register a credit (``?order=<id>``: for that order and its customer)."""
    _need(request, ADD)
    initial, customer = {"received_on": timezone.localdate(), "presentation_days": 21, "insurance_pct": 110,
                         "partial_shipments": "allowed", "transhipment": "allowed", "tenor": "sight"}, None
    order_id = parse_id(request.GET.get("order"))
    if order_id and request.method != "POST":
        order = order_queryset(request.user).filter(pk=order_id).first()
        if order is not None:
            customer = order.customer
            initial |= {"customer": customer.pk, "orders": [order.pk], "currency": order.currency_id,
                        "incoterm": order.incoterm, "incoterm_place": order.incoterm_place,
                        "port_of_loading": order.port_of_loading, "port_of_discharge": order.port_of_destination,
                        "amount": order.total_amount, "applicant": customer.name_en or customer.display_name,
                        "beneficiary": company().get("beneficiary", "")}
    form = CreditForm(request.POST or None, user=request.user, customer=customer, initial=initial)
    docs = DocumentRowsFormSet(request.POST or None, prefix="docs")
    return _credit_form(request, form, docs, lambda data: credit_register(by=request.user, data=data),
                        title=_("Register a letter of credit"), message=_("Credit registered."))


@login_required
def credit_edit(request, pk: int):
    """Correct the register entry (the bank's changes come as amendments)."""
    credit = credit_get_for_user(user=request.user, pk=pk)
    _need(request, CHANGE)
    initial = {name: getattr(credit, name) for name in CREDIT_FIELDS if name != "documents_required"}
    initial |= {"currency": credit.currency_id, "orders": list(credit.orders.values_list("pk", flat=True)),
                "version": credit.version}
    form = CreditForm(request.POST or None, user=request.user, customer=credit.customer, initial=initial,
                      editing=True)
    docs = DocumentRowsFormSet(request.POST or None, prefix="docs", initial=credit.documents_required)

    def call(data):
        return credit_update(by=request.user, credit=credit, version=form.cleaned_data.get("version"), data=data)

    return _credit_form(request, form, docs, call, title=_("Edit credit %(no)s") % {"no": credit.number},
                        message=_("Credit saved."), credit=credit)


def _credit_form(request, form, docs, call, *, title, message, credit=None):
    status = 200
    if request.method == "POST":
        if form.is_valid() and docs.is_valid():
            try:
                result = call(form.service_data(documents_of(docs)))
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, message)
                return redirect(result.get_absolute_url())
        else:
            status = 400
    return render(request, "exportdocs/credits/form.html", {"title": title, "form": form, "docs": docs,
                                                              "credit": credit}, status=status)


def _detail_context(request, credit) -> dict:
    user = request.user
    today = timezone.localdate()
    amendments = list(credit.amendments.select_related("created_by", "decided_by").order_by("-sequence"))
    live = credit.status in LIVE
    may_decide = user.has_perm(EXAMINE) and live
    for a in amendments:
        a.rows = [{"field": str(LetterOfCredit._meta.get_field(name).verbose_name), "old": c.get("from", ""),
                   "new": c.get("shown", c.get("to", ""))} for name, c in (a.changes or {}).items()]
        a.may_decide = may_decide and a.status == CreditAmendment.Status.RECEIVED
    return {
        "credit": credit, "title": str(credit), "orders": list(credit.orders.select_related("customer")),
        "findings": credit.findings or [], "amendments": amendments,
        "drawings": list(credit_drawings(credit)), "drawn": credit_drawn(credit), "undrawn": credit_undrawn(credit),
        "countdowns": credit_countdowns(credit, today=today),
        "documents": [{"label": DocumentKind(r["kind"]).label if r.get("kind") in DocumentKind.values else r.get(
            "kind"), **r} for r in credit.documents_required or []],
        "events": timeline_for(credit),
        "may_examine": user.has_perm(EXAMINE) and live,
        "may_change": user.has_perm(CHANGE) and live,
        "may_request": user.has_perm("exportdocs.add_creditamendment") and live,
        "may_receive": user.has_perm("exportdocs.change_creditamendment") and live,
        "may_cancel": user.has_perm(CHANGE) and CREDIT.can(credit, LetterOfCredit.Status.CANCELLED),
        "may_close": user.has_perm(CHANGE) and CREDIT.can(credit, LetterOfCredit.Status.CLOSED),
        "request_form": AmendmentRequestForm(initial={"text": amendment_request_text(credit),
                                                      "version": credit.version}),
        "receive_form": AmendmentReceiveForm(initial={
            "version": credit.version, "documents_required": documents_required_lines(credit.documents_required)}),
        "reason_form": ReasonForm(initial={"version": credit.version}),
        "close_form": ReasonForm(initial={"version": credit.version}),
    }


@login_required
def credit_detail(request, pk: int):
    """The credit: its fields, linked orders, findings, amendments, drawings, countdowns, timeline."""
    credit = credit_get_for_user(user=request.user, pk=pk)
    return render(request, "exportdocs/credits/detail.html", _detail_context(request, credit))


def _action(request, pk: int, form_class, call, message: str, *, form_key: str):
    """Run one action of the credit's page; a refusal shows the page as it stands with the message."""
    credit = credit_get_for_user(user=request.user, pk=pk)
    form = form_class(request.POST) if form_class else None

    def refused(exc, bound):
        context = _detail_context(request, credit_get_for_user(user=request.user, pk=pk))
        context["error"] = exc
        if bound is not None:
            context[form_key] = bound
        return render(request, "exportdocs/credits/detail.html", context)

    return run_action(request, form=form, call=lambda data: call(credit, data), success_message=message,
                      success_url=credit.get_absolute_url(), refused=refused)


@login_required
@require_POST
def credit_examine_page(request, pk: int):
    return _action(request, pk, VersionForm, lambda c, d: credit_examine(by=request.user, credit=c,
                                                                          version=d.get("version")),
                   _("Credit examined."), form_key="examine_form")


@login_required
@require_POST
def credit_cancel_page(request, pk: int):
    return _action(request, pk, ReasonForm, lambda c, d: credit_cancel(by=request.user, credit=c, reason=d["reason"],
                                                                        version=d.get("version")),
                   _("Credit cancelled."), form_key="reason_form")


@login_required
@require_POST
def credit_close_page(request, pk: int):
    return _action(request, pk, ReasonForm, lambda c, d: credit_close(by=request.user, credit=c, reason=d["reason"],
                                                                       version=d.get("version")),
                   _("Credit closed."), form_key="close_form")


@login_required
@require_POST
def amendment_request_page(request, pk: int):
    return _action(request, pk, AmendmentRequestForm, lambda c, d: amendment_request(
        by=request.user, credit=c, text=d.get("text", ""), email=d.get("email", False), version=d.get("version")),
        _("Amendment requested."), form_key="request_form")


@login_required
@require_POST
def amendment_receive_page(request, pk: int):
    def call(credit, data):
        form = AmendmentReceiveForm(request.POST)
        form.is_valid()
        return amendment_receive(by=request.user, credit=credit, changes=form.changes(),
                                 received_on=data.get("received_on"), version=data.get("version"))

    return _action(request, pk, AmendmentReceiveForm, call, _("Amendment recorded: accept or refuse it."),
                   form_key="receive_form")


def _amendment(request, pk: int, amendment_pk: int) -> CreditAmendment:
    credit = credit_get_for_user(user=request.user, pk=pk)
    found = credit.amendments.filter(pk=parse_id(amendment_pk) or 0).first()
    if found is None:
        raise Http404(_("No such amendment."))
    return found


@login_required
@require_POST
def amendment_accept_page(request, pk: int, amendment_pk: int):
    amendment = _amendment(request, pk, amendment_pk)
    return _action(request, pk, VersionForm, lambda c, d: amendment_accept(
        by=request.user, amendment=amendment, version=d.get("version")),
        _("Amendment accepted; the credit was examined again."), form_key="examine_form")


@login_required
@require_POST
def amendment_refuse_page(request, pk: int, amendment_pk: int):
    amendment = _amendment(request, pk, amendment_pk)
    return _action(request, pk, ReasonForm, lambda c, d: amendment_refuse(
        by=request.user, amendment=amendment, reason=d.get("reason", ""), version=d.get("version")),
        _("Amendment refused; the credit stays as it was."), form_key="reason_form")
