"""Pages of customer credit: the list of customers with a limit, a hold or a dunning level; a
customer's credit page (limit, hold, dunning level, reminders, disputes, open receivables) with
finance's and managers' actions; and the order page's credit panel (hold, limit, exposure, a
manager's approval over the limit). Thin: every rule is in ``services.credit`` / ``disputes``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.guards import parse_id
from gendan.core.listing import Column, GroupBy, ListPageView, Typeahead
from gendan.core.models import Currency
from gendan.core.xlsx import DATE, INTEGER, MONEY
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset, customer_scope
from gendan.receivables.forms_credit import (
    ApprovalForm,
    CreditFilterForm,
    DisputeForm,
    HoldForm,
    LimitForm,
    SettleForm,
)
from gendan.receivables.models import Dispute
from gendan.receivables.selectors import credit as sel
from gendan.receivables.services import credit as svc
from gendan.receivables.services.disputes import OPEN as DISPUTE_OPEN
from gendan.receivables.services.disputes import SETTLE as DISPUTE_SETTLE
from gendan.receivables.services.disputes import dispute_open, dispute_settle
from gendan.receivables.services.dunning import RUN
from gendan.sales import panels
from gendan.sales.models import SalesOrder

VIEW = sel.VIEW


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _customer(request, pk) -> object:
    customer = customer_queryset(request.user).filter(pk=parse_id(pk) or 0).first()
    if customer is None:
        raise Http404(_("No such customer."))
    return customer


# --- the order page's panel -----------------------------------------------------------------------------


def credit_order_panel(request, order) -> dict | None:
    """Shown when the customer is on hold, has a limit or a dunning level; the limit's
    exposure is weighed only for a draft (what confirming would do)."""
    if not request.user.has_perm(VIEW):
        return None
    credit = svc.credit_row_seen(order)  # what the gates read for this page, else one query
    if credit is None:
        return None
    has_limit = credit["credit_limit"] is not None and credit["limit_currency_id"]
    approvals = list(sel.order_approvals(order.pk)) if has_limit else []
    if not (credit["on_hold"] or has_limit or credit["dunning_level"]):
        return None
    exposure = None
    over = False
    if has_limit and order.status == SalesOrder.Status.DRAFT:
        exposure = svc.exposure_for(order, limit_currency=credit["limit_currency_id"])
        over = exposure.total > credit["credit_limit"]
    may_approve = bool(over) and bool(svc.approval_check(request.user, order))
    return {"credit": credit, "exposure": exposure, "over": over, "approvals": approvals,
            "hold_reason": svc.hold_reason_text(credit["hold_reason"]), "may_approve": may_approve,
            "approval_form": ApprovalForm(initial={"order": order.pk})}


@login_required
@require_POST
def order_credit_approve(request, order_pk: int):
    """A manager approves the order over the credit limit (from the order's panel)."""
    _need(request, svc.APPROVE)
    from gendan.sales.selectors import order_get_for_user

    order = order_get_for_user(user=request.user, pk=order_pk)
    form = ApprovalForm(request.POST)
    form.is_valid()
    try:
        svc.credit_limit_approve(actor=request.user, order_id=order.pk, reason=form.cleaned_data.get("reason", ""),
                                 exposure=form.cleaned_data.get("exposure") or None)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
        response = panels.order_page(request, order)
        response.status_code = error_status(exc)
        return response
    messages.success(request, _("Approved over the credit limit: the order can be confirmed."))
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/receivables/") else order.get_absolute_url())


# --- the list and the customer's page ----------------------------------------------------------------


def _customer_label(credit) -> str:
    return f"{credit.customer.code} {credit.customer.display_name}"


def _credit_customers(view):
    """The customers the typeahead may name: those of the user's scope with a credit row."""
    return Customer.objects.filter(customer_scope(view.request.user), credit__isnull=False).order_by("code")


class CreditListView(ListPageView):
    """Customers with a credit limit, a hold or a dunning level (``sel.credit_list``, scoped to the
    customers the user sees): filters, sort, columns, groupings, saved views, Excel export."""

    template_name = "receivables/credit/list.html"
    results_template_name = "receivables/credit/_list_results.html"
    title = gettext_lazy("Customer credit")
    export_name = "customer-credit"
    filter_form_class = CreditFilterForm
    default_sort = ""  # the selector's order: on hold first, then the highest dunning level
    export_totals_by = "limit_currency"
    columns = [
        Column("customer", gettext_lazy("customer"), value=_customer_label, link=True, sort="customer__code"),
        Column("merchandiser", gettext_lazy("merchandiser"), default=False,
               value=lambda c: str(c.customer.merchandiser) if c.customer.merchandiser_id else "",
               sort="customer__merchandiser__username"),
        Column("on_hold", gettext_lazy("credit hold"), sort="on_hold"),
        Column("hold_since", gettext_lazy("on hold since"), sort="hold_since",
               value=lambda c: timezone.localtime(c.hold_since).date() if c.on_hold and c.hold_since else None,
               format=DATE),
        Column("hold_reason", gettext_lazy("reason for the hold"), default=False,
               value=lambda c: svc.hold_reason_text(c.hold_reason) if c.on_hold else ""),
        Column("dunning_level", gettext_lazy("dunning level"), sort="dunning_level", numeric=True, format=INTEGER),
        Column("last_dunned_on", gettext_lazy("last reminder"), sort="last_dunned_on", format=DATE),
        Column("credit_limit", gettext_lazy("credit limit"), sort="credit_limit", numeric=True, format=MONEY,
               total=True),
        Column("limit_currency", gettext_lazy("limit currency"), value=lambda c: c.limit_currency_id or "",
               sort="limit_currency_id"),
        Column("exposure", gettext_lazy("open on live orders"), value=sel.credit_exposure, sort="exposure_cny",
               numeric=True, format=MONEY, total=True),
        Column("over_limit", gettext_lazy("over the limit"), value=sel.credit_over_limit),
    ]
    group_by = [
        GroupBy("limit_currency", gettext_lazy("limit currency"), "limit_currency_id"),
        GroupBy("dunning_level", gettext_lazy("dunning level"), "dunning_level"),
        GroupBy("on_hold", gettext_lazy("credit hold"), "on_hold"),
        GroupBy("merchandiser", gettext_lazy("merchandiser"), "customer__merchandiser_id",
                display=lambda c: str(c.customer.merchandiser) if c.customer.merchandiser_id else "—"),
    ]
    group_money = ("credit_limit", "limit_currency_id")
    typeahead = {"customer": Typeahead(_credit_customers)}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _need(request, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return sel.credit_list(user=self.request.user)

    def filter_queryset(self, qs, data):
        qs = sel.credit_list(user=self.request.user, filters={k: v for k, v in data.items() if k != "customer"})
        qs, _rest = self.typeahead_filter(qs, data, "customer", "customer")
        return qs

    def row_url(self, obj) -> str:
        return reverse("receivables:customer_credit", args=[obj.customer_id])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"may_run": self.request.user.has_perm(RUN)}


credit_list_page = CreditListView.as_view()


def _credit_page(request, customer, *, status: int = 200, error: BusinessError | None = None, forms=None):
    credit = sel.credit_or_blank(customer)
    user = request.user
    forms = forms or {}
    context = {
        "customer": customer, "credit": credit, "hold_reason": svc.hold_reason_text(credit.hold_reason),
        "receivables": sel.open_receivables(customer.pk),
        "notices": list(sel.customer_notices(customer.pk)),
        "disputes": list(sel.customer_disputes(customer.pk)),
        "instalments": list(sel.open_instalments(customer.pk)) if user.has_perm(DISPUTE_OPEN) else [],
        "drafts": list(SalesOrder.objects.filter(customer=customer, status=SalesOrder.Status.DRAFT)
                       .order_by("-id")[:20]) if user.has_perm(svc.APPROVE) and credit.credit_limit is not None
        else [],
        "may_limit": user.has_perm(svc.SET_LIMIT), "may_hold": user.has_perm(svc.HOLD),
        "may_approve": user.has_perm(svc.APPROVE), "may_dispute": user.has_perm(DISPUTE_OPEN),
        "may_settle": user.has_perm(DISPUTE_SETTLE),
        "currencies": list(Currency.objects.filter(is_active=True).values_list("code", flat=True)),
        "limit_form": forms.get("limit") or LimitForm(initial={
            "credit_limit": credit.credit_limit if credit.credit_limit is not None else "",
            "limit_currency": credit.limit_currency_id or customer.default_currency_id, "version": credit.version}),
        "hold_form": forms.get("hold") or HoldForm(initial={"version": credit.version}),
        "dispute_form": forms.get("dispute") or DisputeForm(),
        "approval_form": forms.get("approval") or ApprovalForm(),
        "events": timeline_for(customer, limit=50),
        "error": error,
    }
    return render(request, "receivables/credit/detail.html", context, status=status)


@login_required
def customer_credit(request, pk: int):
    _need(request, VIEW)
    return _credit_page(request, _customer(request, pk))


def _act(request, pk, *, form, key: str, call, success: str):
    customer = _customer(request, pk)
    form.is_valid()
    try:
        call(customer, form.cleaned_data)
    except BusinessError as exc:
        add_business_error(form, exc)
        return _credit_page(request, customer, status=error_status(exc), error=exc, forms={key: form})
    messages.success(request, success)
    return redirect(reverse("receivables:customer_credit", args=[customer.pk]))


@login_required
@require_POST
def credit_limit_post(request, pk: int):
    _need(request, svc.SET_LIMIT)
    return _act(request, pk, form=LimitForm(request.POST), key="limit", success=_("Credit limit saved."),
                call=lambda c, d: svc.credit_limit_set(
                    actor=request.user, customer_id=c.pk, credit_limit=d.get("credit_limit"),
                    currency=d.get("limit_currency"), expected_version=d.get("version"), reason=d.get("reason", "")))


@login_required
@require_POST
def credit_hold_post(request, pk: int):
    _need(request, svc.HOLD)
    return _act(request, pk, form=HoldForm(request.POST), key="hold", success=_("The customer is on credit hold."),
                call=lambda c, d: svc.credit_hold_put(actor=request.user, customer_id=c.pk, reason=d.get("reason", ""),
                                                      expected_version=d.get("version")))


@login_required
@require_POST
def credit_lift_post(request, pk: int):
    _need(request, svc.HOLD)
    return _act(request, pk, form=HoldForm(request.POST), key="hold", success=_("Credit hold lifted."),
                call=lambda c, d: svc.credit_hold_lift(actor=request.user, customer_id=c.pk,
                                                       reason=d.get("reason", ""), expected_version=d.get("version")))


@login_required
@require_POST
def credit_approve_post(request, pk: int):
    _need(request, svc.APPROVE)
    return _act(request, pk, form=ApprovalForm(request.POST), key="approval",
                success=_("Approved over the credit limit: the order can be confirmed."),
                call=lambda c, d: svc.credit_limit_approve(
                    actor=request.user, order_id=_order_of(c, d.get("order")), reason=d.get("reason", ""),
                    exposure=d.get("exposure") or None))


def _order_of(customer, value) -> int:
    """The draft of this customer chosen on its credit page (another customer's order: not found)."""
    pk = parse_id(value) or 0
    return pk if SalesOrder.objects.filter(pk=pk, customer=customer).exists() else 0


@login_required
@require_POST
def dispute_open_post(request, pk: int):
    _need(request, DISPUTE_OPEN)
    return _act(request, pk, form=DisputeForm(request.POST), key="dispute", success=_("Amount put in dispute."),
                call=lambda c, d: dispute_open(actor=request.user, plan_item_id=_item_of(c, d.get("plan_item")),
                                               amount=d.get("amount"), reason=d.get("reason", "")))


def _item_of(customer, value) -> int:
    from gendan.finance.models import PaymentPlanItem

    pk = parse_id(value) or 0
    return pk if PaymentPlanItem.objects.filter(pk=pk, order__customer=customer).exists() else 0


@login_required
@require_POST
def dispute_settle_post(request, pk: int, dispute_pk: int):
    _need(request, DISPUTE_SETTLE)
    customer = _customer(request, pk)
    if not Dispute.objects.filter(pk=dispute_pk, plan_item__order__customer=customer).exists():
        raise Http404(_("No such dispute."))
    return _act(request, pk, form=SettleForm(request.POST), key="settle", success=_("Dispute settled."),
                call=lambda c, d: dispute_settle(actor=request.user, dispute_id=dispute_pk,
                                                 settlement=d.get("settlement", "")))
