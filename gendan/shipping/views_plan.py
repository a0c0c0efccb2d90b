"""The shipping plan's pages: the order page's shipments (in the shipping panel) with the form
to plan a shipment, and the shipment page's sections "plan" (lines and colour × size cells,
change, cancel) and "notices" (the shipping notice's versions with their PDF, issue / re-issue).

Each POST calls one service through ``core.views.run_action``; a refusal shows the page it came
from as it stands — the order's or the shipment's — with the message next to the input and the
one mapping's status. A change to a shipment whose notice was already issued is saved as it is;
the message and the notices section then offer the next version (the services' choice: the
merchandiser writes what changed, and the factory and the warehouse get it by email).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.guards import OK
from gendan.core.views import run_action
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user
from gendan.shipping import sections
from gendan.shipping.forms_plan import NoticeIssueForm, ShipmentCancelForm, ShipmentPlanForm
from gendan.shipping.models import Shipment, ShippingNotice
from gendan.shipping.rules import (
    notice_issue_check,
    shipment_cancel_check,
    shipment_edit_check,
    shipment_plan_check,
)
from gendan.shipping.selectors import notice_outdated, order_shipments
from gendan.shipping.services.notices import ISSUE, notice_issue
from gendan.shipping.services.plan import CHANGE, PLAN, shipment_cancel, shipment_plan, shipment_update
from gendan.shipping.views_shipments import shipment_detail

VIEW = "shipping.view_shipment"


def shipment_url(shipment: Shipment, anchor: str = "") -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + (f"#{anchor}" if anchor else "")


# --- the order page: the order's shipments and "plan a shipment" --------------------------------


def order_shipments_panel(request, order) -> dict | None:
    """The order's shipments (newest first) and the plan form; ``None`` for a role that does
    not see shipments. Its own queries: the shipments with lines and notices, the quantities."""
    user = request.user
    if not user.has_perm(VIEW):
        return None
    refusal = getattr(request, "plan_refusal", None) or {}
    rows = []
    for shipment in order_shipments(order):
        lines = list(shipment.lines.all())
        notices = sorted(shipment.notices.all(), key=lambda n: -n.revision)
        rows.append({"s": shipment, "url": shipment_url(shipment), "lines": lines,
                     "quantity": sum((ln.quantity for ln in lines), 0),
                     "cartons": sum((ln.cartons or 0 for ln in lines), 0), "notice": notices[0] if notices else None})
    form, check = None, OK
    if user.has_perm(PLAN):
        check = shipment_plan_check(order)
        if check:
            form = refusal.get("form") if refusal.get("key") == "plan" else ShipmentPlanForm(order=order,
                                                                                               prefix="plan")
    return {"rows": rows, "form": form, "check": check, "may_plan": user.has_perm(PLAN),
            "error": refusal.get("error") if refusal.get("key") == "plan" else None}


@login_required
@require_POST
def shipment_plan_page(request, pk: int):
    order = order_get_for_user(user=request.user, pk=pk)
    form = ShipmentPlanForm(request.POST, order=order, prefix="plan")

    def call(data):
        return shipment_plan(actor=request.user, order_id=order.pk, **form.content(), **form.plan_fields(),
                             expected_version=data.get("version"))

    def refused(exc, bound):
        request.plan_refusal = {"key": "plan", "form": bound, "error": exc}
        return panels.order_page(request, order_get_for_user(user=request.user, pk=order.pk))

    return run_action(request, form=form, call=call, refused=refused,
                      success_message=lambda s: _("Shipment %(no)s planned.") % {"no": s.number},
                      success_url=lambda s: shipment_url(s))


# --- the shipment page: the "plan" and "notices" sections -------------------------------------


def _shipment(request, pk: int) -> Shipment:
    """The shipment of an order the user may see (404 otherwise)."""
    shipment = get_object_or_404(Shipment, pk=pk)
    shipment.order = order_get_for_user(user=request.user, pk=shipment.order_id)
    return shipment


def _refusal(request, key: str):
    refusal = getattr(request, "plan_refusal", None) or {}
    return refusal if refusal.get("key") == key else {}


def plan_section(request, shipment: Shipment) -> dict | None:
    """The shipment's lines with their cells; the change and cancel forms where allowed."""
    user = request.user
    if not user.has_perm(VIEW):
        return None
    key_edit, key_cancel = f"edit-{shipment.pk}", f"cancel-{shipment.pk}"
    edit = cancel = None
    if user.has_perm(CHANGE) and shipment_edit_check(shipment):
        edit = _refusal(request, key_edit).get("form") or ShipmentPlanForm(order=shipment.order, shipment=shipment,
                                                                           prefix=key_edit)
    cancel_check = shipment_cancel_check(shipment)
    if user.has_perm(CHANGE) and cancel_check:
        cancel = _refusal(request, key_cancel).get("form") or ShipmentCancelForm(shipment=shipment, prefix=key_cancel)
    error = _refusal(request, key_edit).get("error") or _refusal(request, key_cancel).get("error")
    return {"lines": list(shipment.lines.all()), "edit": edit, "cancel": cancel, "error": error,
            "cancel_check": cancel_check if user.has_perm(CHANGE) and shipment.status != Shipment.Status.CANCELLED
            else OK}


def notices_section(request, shipment: Shipment) -> dict | None:
    """The notice's versions (newest first) with their PDF and email state; the issue form."""
    user = request.user
    if not user.has_perm("shipping.view_shippingnotice"):
        return None
    notices = sorted(shipment.notices.all(), key=lambda n: -n.revision)
    key = f"notice-{shipment.pk}"
    form, check = None, notice_issue_check(shipment)
    if user.has_perm(ISSUE) and check:
        form = _refusal(request, key).get("form") or NoticeIssueForm(previous=notices[0] if notices else None,
                                                                     prefix=key)
    return {"notices": notices, "form": form, "check": check, "may_issue": user.has_perm(ISSUE),
            "outdated": notice_outdated(shipment) if notices else False,
            "next_revision": notices[0].revision + 1 if notices else 1, "error": _refusal(request, key).get("error")}


sections.register("plan", template="shipping/shipment/_plan.html", context=plan_section, rank=10)
sections.register("notices", template="shipping/shipment/_notices.html", context=notices_section, rank=20)


def _refused(request, shipment: Shipment, key: str):
    def refused(exc, form):
        request.plan_refusal = {"key": key, "form": form, "error": exc}
        return shipment_detail(request, shipment.pk)
    return refused


@login_required
@require_POST
def shipment_edit_page(request, pk: int):
    shipment = _shipment(request, pk)
    key = f"edit-{shipment.pk}"
    form = ShipmentPlanForm(request.POST, order=shipment.order, shipment=shipment, prefix=key)

    def call(data):
        changes = form.plan_fields()
        if form.with_lines:
            changes.update(form.content())
        return shipment_update(actor=request.user, shipment_id=shipment.pk, data=changes,
                               expected_version=data.get("version"))

    def message(updated):
        text = _("Shipment %(no)s saved.") % {"no": updated.number}
        if getattr(updated, "notice_outdated", False):
            text += " " + _("Its shipping notice was issued before this change: issue the next version so the "
                            "factory and the warehouse work from it.")
        return text

    return run_action(request, form=form, call=call, refused=_refused(request, shipment, key),
                      success_message=message,
                      success_url=lambda s: shipment_url(s, "section-notices" if getattr(s, "notice_outdated", False)
                                                         else "section-plan"))


@login_required
@require_POST
def shipment_cancel_page(request, pk: int):
    shipment = _shipment(request, pk)
    key = f"cancel-{shipment.pk}"
    form = ShipmentCancelForm(request.POST, shipment=shipment, prefix=key)

    def call(data):
        return shipment_cancel(actor=request.user, shipment_id=shipment.pk, reason=data.get("reason", ""),
                               expected_version=data.get("version"))

    return run_action(request, form=form, call=call, refused=_refused(request, shipment, key),
                      success_message=lambda s: _("Shipment %(no)s cancelled.") % {"no": s.number},
                      success_url=lambda s: shipment_url(s))


@login_required
@require_POST
def notice_issue_page(request, pk: int):
    shipment = _shipment(request, pk)
    key = f"notice-{shipment.pk}"
    previous = ShippingNotice.objects.filter(shipment=shipment).order_by("-revision").first()
    form = NoticeIssueForm(request.POST, previous=previous, prefix=key)

    def call(data):
        factory = data.get("factory")
        return notice_issue(actor=request.user, shipment_id=shipment.pk, factory_id=factory.pk if factory else None,
                            change_note=data.get("change_note", ""))

    return run_action(request, form=form, call=call, refused=_refused(request, shipment, key),
                      success_message=lambda n: _("Shipping notice %(no)s version %(v)s issued; it is emailed to "
                                                  "the factory and the warehouse.") % {"no": n.number, "v": n.revision},
                      success_url=lambda n: shipment_url(shipment, "section-notices"))
