"""The shipment page's "bill of lading" and "shipping advice" sections (``sections``: ranks 40
and 50), their actions, and the order's "release the original B/L".

The draft form starts empty: the merchandiser types what the forwarder's draft says, the
expected value of each field next to it; the differences of the last check are highlighted in
a table (expected vs found). Confirm (with the reason when differences remain), issue, release
(disabled with the rule's reason while the terms hold it back), send the shipping advice (its
text previewed). Each POST calls one service through ``core.views.run_action``; a refusal shows
the shipment's page as it stands with the message and the input kept, with the one mapping's
status; a success goes back to the shipment's page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.guards import OK
from gendan.core.views import run_action
from gendan.sales.forms import VersionForm
from gendan.sales.views.order_actions import run_order_action
from gendan.shipping import sections
from gendan.shipping.forms_bills import BillConfirmForm, BillDraftForm, BillIssueForm, BillReleaseForm
from gendan.shipping.models import BillOfLading, Shipment
from gendan.shipping.rules import (
    advice_check,
    bill_draft_check,
    bill_issue_check,
    bill_release_check,
    release_kinds,
)
from gendan.shipping.selectors import shipment_get_for_user
from gendan.shipping.services.advice import SEND, advice_recipients, advice_send, advice_text
from gendan.shipping.services.bills import (
    CHANGE,
    CHECKED_FIELDS,
    RELEASE,
    bill_confirm,
    bill_draft_receive,
    bill_expected,
    bill_issue,
    bill_release,
    order_release_bills,
)
from gendan.shipping.views_shipments import shipment_detail
from gendan.shipping.workflows import BILL

BL = BillOfLading.Status
# The B/L's boxes shown in the check table, in its order (the checked ones and the rest).
SHOWN_FIELDS = ("bl_no", "shipper", "consignee", "notify_party", "port_of_loading", "port_of_discharge",
                "place_of_delivery", "vessel", "voyage", "marks", "description", "packages", "gross_kg", "cbm",
                "containers", "freight")


def _shipment(request, pk: int) -> Shipment:
    """The shipment of an order the user may see (404 otherwise)."""
    return shipment_get_for_user(user=request.user, pk=pk)


def _bill(request, pk: int) -> BillOfLading:
    bill = get_object_or_404(BillOfLading.objects.select_related("shipment"), pk=pk)
    bill.shipment = _shipment(request, bill.shipment_id)
    return bill


def _back(shipment: Shipment, section: str = "bill") -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + f"#section-{section}"


def _label(field: str) -> str:
    if field == "voyage":
        return _("voyage / flight no.")
    return str(BillOfLading._meta.get_field(field).verbose_name)


def _value(value) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def bill_section(request, shipment: Shipment) -> dict | None:
    """The B/L of the shipment: the check table, the forms of the next steps; ``None`` for a role
    that does not see bills."""
    user = request.user
    if not user.has_perm("shipping.view_billoflading"):
        return None
    refusal = getattr(request, "bill_refusal", None) or {}
    bill = BillOfLading.objects.filter(shipment=shipment).first()
    if bill is not None:
        bill.shipment = shipment
    expected = bill_expected(shipment)
    differing = {d["field"] for d in (bill.differences if bill else [])}
    rows = [{"field": f, "label": _label(f), "expected": _value(expected.get(f)) if f in CHECKED_FIELDS else "",
             "found": _value(getattr(bill, f)) if bill else "", "differs": f in differing, "checked": f in CHECKED_FIELDS}
            for f in SHOWN_FIELDS]
    may_change, may_release = user.has_perm(CHANGE), user.has_perm(RELEASE)

    def bound(key):
        return refusal.get("form") if refusal.get("key") == key else None

    draft_check = bill_draft_check(shipment, bill)
    context = {"bill": bill, "rows": rows, "expected": {r["field"]: r["expected"] for r in rows},
               "differences": [r for r in rows if r["differs"]], "draft_form": None, "draft_check": draft_check,
               "confirm_form": None, "issue_form": None, "issue_check": OK, "release_form": None,
               "release_check": OK, "may_change": may_change, "may_release": may_release,
               "error": refusal.get("error"), "error_key": refusal.get("key")}
    if may_change and draft_check:
        context["draft_form"] = bound("draft") or BillDraftForm(shipment=shipment, bill=bill, prefix="draft")
        context["draft_fields"] = [(context["draft_form"][f], context["expected"].get(f, ""))
                                   for f in context["draft_form"].fields if f not in ("version",)]
    if bill is not None and may_change and BILL.can(bill, BL.CONFIRMED):
        context["confirm_form"] = bound("confirm") or BillConfirmForm(bill=bill, prefix="confirm")
    if bill is not None and may_change and bill.status == BL.CONFIRMED:
        context["issue_check"] = bill_issue_check(bill)
        if context["issue_check"]:
            context["issue_form"] = bound("issue") or BillIssueForm(bill=bill, prefix="issue")
    if bill is not None and may_release and bill.status == BL.ISSUED:
        context["release_check"] = bill_release_check(bill, shipment.order)
        context["release_form"] = bound("release") or BillReleaseForm(bill=bill, kinds=release_kinds(bill),
                                                                      prefix="release")
    return context


def advice_section(request, shipment: Shipment) -> dict | None:
    """The shipping advice: its deadline, when it went, the preview of its text, the button."""
    user = request.user
    if not user.has_perm("shipping.view_shipment"):
        return None
    check = advice_check(shipment)
    subject = body = ""
    if check:
        subject, body = advice_text(shipment)
    due = shipment.advice_due_at
    return {"check": check, "may_send": user.has_perm(SEND), "subject": subject, "body": body,
            "recipients": advice_recipients(shipment.order), "due_at": due, "sent_at": shipment.advice_sent_at,
            "overdue": bool(due and not shipment.advice_sent_at and due < timezone.now()),
            "error": getattr(request, "advice_refusal", None)}


sections.register("bill", template="shipping/shipment/_bill.html", context=bill_section, rank=40)
sections.register("advice", template="shipping/shipment/_advice.html", context=advice_section, rank=50)


def _refused(request, shipment: Shipment, key: str):
    def refused(exc, form):
        request.bill_refusal = {"key": key, "form": form, "error": exc}
        return shipment_detail(request, shipment.pk)
    return refused


@login_required
@require_POST
def bill_draft_page(request, pk: int):
    shipment = _shipment(request, pk)
    bill = BillOfLading.objects.filter(shipment=shipment).first()
    form = BillDraftForm(request.POST, shipment=shipment, bill=bill, prefix="draft")

    def call(data):
        return bill_draft_receive(actor=request.user, shipment_id=shipment.pk, data=form.data_for_service(),
                                  kind=data["kind"], expected_version=data.get("version"))

    def done(bill):
        if bill.differences:
            return _("Draft %(n)s checked: %(count)d differences, highlighted below.") % {
                "n": bill.draft_no, "count": len(bill.differences)}
        return _("Draft %(n)s checked: it matches the shipment.") % {"n": bill.draft_no}

    return run_action(request, form=form, call=call, refused=_refused(request, shipment, "draft"),
                      success_message=done, success_url=_back(shipment))


@login_required
@require_POST
def bill_confirm_page(request, pk: int):
    bill = _bill(request, pk)
    form = BillConfirmForm(request.POST, bill=bill, prefix="confirm")
    return run_action(request, form=form, refused=_refused(request, bill.shipment, "confirm"),
                      call=lambda d: bill_confirm(actor=request.user, bill_id=bill.pk,
                                                  accept_reason=d.get("accept_reason", ""),
                                                  expected_version=d.get("version")),
                      success_message=_("B/L draft confirmed."), success_url=_back(bill.shipment))


@login_required
@require_POST
def bill_issue_page(request, pk: int):
    bill = _bill(request, pk)
    form = BillIssueForm(request.POST, bill=bill, prefix="issue")
    return run_action(request, form=form, refused=_refused(request, bill.shipment, "issue"),
                      call=lambda d: bill_issue(actor=request.user, bill_id=bill.pk, bl_no=d["bl_no"],
                                                on_board_on=d["on_board_on"], issued_on=d.get("issued_on"),
                                                originals=d.get("originals") or 3,
                                                expected_version=d.get("version")),
                      success_message=lambda b: _("B/L %(no)s issued.") % {"no": b.bl_no},
                      success_url=_back(bill.shipment))


@login_required
@require_POST
def bill_release_page(request, pk: int):
    bill = _bill(request, pk)
    form = BillReleaseForm(request.POST, bill=bill, kinds=release_kinds(bill), prefix="release")
    return run_action(request, form=form, refused=_refused(request, bill.shipment, "release"),
                      call=lambda d: bill_release(actor=request.user, bill_id=bill.pk,
                                                  release_kind=d["release_kind"], expected_version=d.get("version")),
                      success_message=lambda b: _("B/L %(no)s released to the customer.") % {"no": b.bl_no},
                      success_url=_back(bill.shipment))


@login_required
@require_POST
def advice_send_page(request, pk: int):
    shipment = _shipment(request, pk)

    def refused(exc, _form):
        request.advice_refusal = exc
        return shipment_detail(request, shipment.pk)

    return run_action(request, refused=refused, call=lambda _d: advice_send(actor=request.user,
                                                                             shipment_id=shipment.pk),
                      success_message=_("The shipping advice is being emailed to the customer."),
                      success_url=_back(shipment, "advice"))


def _order_version(request) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


@login_required
@require_POST
def order_release_bills_page(request, pk: int):
    """The order page's "Release original B/L": every issued bill of its shipped shipments."""
    return run_order_action(
        request, pk, action="release_original_bl", success=_("Original B/L released."),
        call=lambda order, _d: order_release_bills(actor=request.user, order_id=order.pk,
                                                   expected_version=_order_version(request)))
