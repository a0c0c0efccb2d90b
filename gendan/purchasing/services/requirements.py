"""Material requirements: derived from the BOMs of what a production order makes, confirmed
with the BOM, given a supplier and an ETA by purchasing, and followed up to "materials in".

The need date of a production order's materials is its planned start when the production
order has one (``planned_start``, set by planning), otherwise its due date (the factory's
committed one once it accepted) minus the
production days: quantity ÷ the workshop's daily capacity when known, else
``DEFAULT_PRODUCTION_DAYS``; never less than ``MIN_PRODUCTION_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog.models import BomLine, Product
from gendan.core.domain_events import publish
from gendan.core.errors import BusinessError, NotAllowed, ValidationFailed
from gendan.core.events import changes_between, event_record, snapshot
from gendan.core.guards import refuse, require
from gendan.core.models import Event
from gendan.core.money import format_quantity
from gendan.core.services import lock_row
from gendan.parties.models import Supplier
from gendan.production.models import ProductionOrder
from gendan.purchasing import events, rules
from gendan.purchasing.errors import PurchasingError
from gendan.purchasing.models import (
    ZERO,
    BomConfirmation,
    GoodsReceiptLine,
    MaterialRequirement,
    PurchaseCoverage,
    PurchaseOrder,
    PurchaseOrderLine,
)

R = MaterialRequirement.Status
DEFAULT_PRODUCTION_DAYS = 10
MIN_PRODUCTION_DAYS = 3
# Units counted in whole pieces: a requirement is rounded up to the next whole unit.
COUNTED_UNITS = {Product.Unit.PCS, Product.Unit.SET, Product.Unit.PAIR, Product.Unit.ROLL}
# Purchase orders that count as "ordered" for a requirement's status.
ORDERED_STATES = [PurchaseOrder.Status.SENT, PurchaseOrder.Status.CONFIRMED, PurchaseOrder.Status.PARTLY_RECEIVED,
                  PurchaseOrder.Status.RECEIVED, PurchaseOrder.Status.CLOSED]
INACTIVE_PRODUCTION = [ProductionOrder.Status.CANCELLED, ProductionOrder.Status.CLOSED]


def need_date_for(production_order: ProductionOrder, quantity: Decimal | None = None) -> dt.date:
    """The day the materials must be in: the planned start, else due date − production days."""
    planned = getattr(production_order, "planned_start", None)
    if isinstance(planned, dt.date):
        return planned
    if quantity is None:
        quantity = sum((line.quantity for line in production_order.lines.all()), ZERO)
    capacity = production_order.supplier.daily_capacity
    days = math.ceil(quantity / capacity) if capacity else DEFAULT_PRODUCTION_DAYS
    due = getattr(production_order, "due", None) or production_order.due_date  # the factory's committed date
    return due - dt.timedelta(days=max(days, MIN_PRODUCTION_DAYS))


def required_rounded(quantity: Decimal, unit: str) -> Decimal:
    """Round a gross requirement up: whole units for counted units, else to 0.001."""
    step = Decimal("1") if unit in COUNTED_UNITS else Decimal("0.001")
    return quantity.quantize(step, rounding=ROUND_CEILING)


def bom_quantities(production_order: ProductionOrder) -> dict[int, Decimal]:
    """Component id → gross quantity (with scrap, rounded up) for everything the order makes."""
    made: dict[int, Decimal] = defaultdict(Decimal)
    for line in production_order.lines.all():
        if line.order_line.product_id:
            made[line.order_line.product_id] += line.quantity
    gross: dict[int, Decimal] = defaultdict(Decimal)
    units: dict[int, str] = {}
    for bom in BomLine.objects.filter(product_id__in=made).select_related("component").order_by("sort_order", "id"):
        gross[bom.component_id] += made[bom.product_id] * bom.quantity * (1 + bom.scrap_percent / 100)
        units[bom.component_id] = bom.component.unit
    return {component: required_rounded(qty, units[component]) for component, qty in gross.items()}


def usual_suppliers(component_ids) -> dict[int, int]:
    """Component id → the supplier it was last bought from (the catalog keeps no usual
    supplier, so the purchase history is the memory)."""
    rows = (PurchaseOrderLine.objects.filter(material_id__in=list(component_ids))
            .exclude(purchase_order__status=PurchaseOrder.Status.CANCELLED)
            .values("material_id").annotate(last=Max("purchase_order_id")))
    last_po = {row["material_id"]: row["last"] for row in rows}
    suppliers = dict(PurchaseOrder.objects.filter(pk__in=set(last_po.values())).values_list("pk", "supplier_id"))
    return {material: suppliers[po] for material, po in last_po.items()}


def _lock_production_order(production_order_id: int) -> ProductionOrder:
    return lock_row(ProductionOrder.objects.select_related("supplier", "sales_order"), production_order_id,
                    not_found="No such production order.")


def requirements_derive(*, actor: User, production_order: ProductionOrder) -> list[MaterialRequirement]:
    """Create or update one requirement per BOM component of ``production_order``.

    Idempotent: deriving again changes only what the BOM or the quantities changed. Supplier,
    purchaser, ETA and receipts are kept. A requirement the BOM no longer needs is deleted
    only when nothing was ordered or received for it; otherwise its quantity goes to 0 and it
    is flagged, as is one that received more than now needed.
    """
    if not actor.has_perm("purchasing.confirm_bom") and not actor.has_perm("purchasing.change_materialrequirement"):
        raise NotAllowed(_("Your role may not derive material requirements."))
    return requirements_rederive(actor=actor, production_order=production_order)


def requirements_rederive(*, actor: User, production_order: ProductionOrder) -> list[MaterialRequirement]:
    """The derivation of ``requirements_derive``, for a use case that already decided who may
    start it (a change order re-issuing the production order: ``services.versions``)."""
    with transaction.atomic():
        production_order = _lock_production_order(production_order.pk)
        if production_order.status in INACTIVE_PRODUCTION:
            raise ValidationFailed(_("Production order %(po)s is %(status)s: it needs no materials any more.") % {
                "po": production_order, "status": production_order.get_status_display()})
        if not BomConfirmation.objects.filter(production_order=production_order).exists():
            raise BusinessError(_("BOM rule: confirm the BOM of %(po)s first; its requirements come from the "
                                  "confirmed BOM.") % {"po": production_order}, code=PurchasingError.BOM_NOT_CONFIRMED)
        wanted = bom_quantities(production_order)
        need = need_date_for(production_order)
        existing = {r.component_id: r for r in MaterialRequirement.objects.select_for_update()
                    .filter(production_order=production_order).select_related("component")}
        defaults = usual_suppliers(set(wanted) - set(existing))
        components = Product.objects.in_bulk(list(wanted))
        summary = []
        for component_id, quantity in wanted.items():
            requirement = existing.pop(component_id, None)
            component = components[component_id]
            if requirement is None:
                requirement = MaterialRequirement.objects.create(
                    production_order=production_order, component=component, required_quantity=quantity,
                    unit=component.unit, need_date=need, supplier_id=defaults.get(component_id),
                    purchaser=actor if actor.has_perm("purchasing.change_materialrequirement") else None)
                event_record(actor=actor, obj=requirement, verb=Event.Verb.CREATED, kind=events.REQUIREMENT_CREATED,
                             params={"qty": str(quantity), "unit": component.unit, "day": need.isoformat()})
                summary.append(f"+{component.code} {quantity}")
                continue
            flag = ""
            if requirement.received_quantity > quantity:
                flag = _("Received %(received)s, the BOM now needs %(qty)s: decide what to do with the rest.") % {
                    "received": format_quantity(requirement.received_quantity), "qty": format_quantity(quantity)}
            changes = _apply(requirement, required_quantity=quantity, need_date=need, flag=flag)
            if changes:
                event_record(actor=actor, obj=requirement, verb=Event.Verb.UPDATED, changes=changes,
                             kind=events.REQUIREMENT_REDERIVED)
                if "required_quantity" in changes:
                    summary.append(f"{component.code} {changes['required_quantity']['old']} → {quantity}")
        for requirement in existing.values():  # no longer in any BOM of this production order
            if requirement.received_quantity == 0 and not requirement.coverages.exists():
                event_record(actor=actor, obj=requirement, verb=Event.Verb.DELETED, kind=events.REQUIREMENT_DROPPED)
                summary.append(f"−{requirement.component.code}")
                requirement.delete()
                continue
            flag = _("No longer in the BOM; %(received)s received, already ordered: cancel or keep the goods.") % {
                "received": format_quantity(requirement.received_quantity)}
            changes = _apply(requirement, required_quantity=ZERO, flag=flag)
            if changes:
                event_record(actor=actor, obj=requirement, verb=Event.Verb.UPDATED, changes=changes,
                             kind=events.REQUIREMENT_NOT_IN_BOM, params={"received": str(requirement.received_quantity)})
                summary.append(f"⚑{requirement.component.code}")
        if summary:
            params = {"po": str(production_order), "changes": ", ".join(summary)}
            for obj in (production_order, production_order.sales_order):
                event_record(actor=actor, obj=obj, verb=Event.Verb.NOTE, kind=events.REQUIREMENTS_CHANGED,
                             params=params)
            materials_follow_up(actor=actor, order=production_order.sales_order)
        return list(MaterialRequirement.objects.filter(production_order=production_order)
                    .select_related("component", "supplier"))


def _apply(requirement: MaterialRequirement, **values) -> dict:
    """Set ``values`` on a locked requirement, refresh its status, save what changed."""
    names = [*values, "status"]
    before = snapshot(requirement, names)
    for name, value in values.items():
        setattr(requirement, name, value)
    requirement.status = requirement_status(requirement)
    changes = changes_between(before, requirement)
    if changes:
        requirement.version += 1
        requirement.save(update_fields=[requirement._meta.get_field(n).attname for n in changes]
                         + ["version", "updated_at"])
    return changes


def requirement_status(requirement: MaterialRequirement) -> str:
    """Derived: received / partly received from the receipts, ordered when a purchase order that
    went to the supplier covers it, else open. A requirement of 0 (no longer needed) is done."""
    if requirement.received_quantity >= requirement.required_quantity:
        return R.RECEIVED
    if requirement.received_quantity > 0:
        return R.PARTLY_RECEIVED
    if requirement.pk and PurchaseCoverage.objects.filter(
            requirement=requirement, line__purchase_order__status__in=ORDERED_STATES).exists():
        return R.ORDERED
    return R.OPEN


def bom_confirm(*, actor: User, production_order_id: int, note: str = "") -> BomConfirmation:
    """Record that engineering confirmed the BOM of the production order (T&A: BOM confirmed),
    and derive its material requirements."""
    with transaction.atomic():
        production_order = _lock_production_order(production_order_id)
        refuse(rules.bom_confirm_check(production_order, user=actor))
        confirmation = BomConfirmation.objects.create(production_order=production_order, confirmed_by=actor,
                                                      note=note[:300])
        confirmed = events.BomConfirmed(
            actor=actor, order=production_order.sales_order, production_order=production_order, reason=note,
            all_confirmed=not ProductionOrder.objects.filter(sales_order=production_order.sales_order).exclude(
                status__in=INACTIVE_PRODUCTION).filter(bom_confirmation__isnull=True).exists())
        event_record(actor=actor, obj=production_order, verb=Event.Verb.NOTE, reason=note, kind=confirmed.kind,
                     params=confirmed.params())
        publish(confirmed)
        requirements_derive(actor=actor, production_order=production_order)
        return confirmation


def requirement_update(*, actor: User, requirement_id: int, expected_version: int | None,
                       supplier: Supplier | None = None, eta: dt.date | None = None,
                       purchaser: User | None = None, reason: str = "") -> MaterialRequirement:
    """Purchasing sets who supplies a material, who chases it and when it arrives."""
    require(actor, "purchasing.change_materialrequirement",
            message=_("Only purchasing sets suppliers and ETAs of materials."))
    with transaction.atomic():
        requirement = lock_row(MaterialRequirement.objects.select_related("production_order__sales_order", "component"),
                               requirement_id, expected_version=expected_version, not_found="No such requirement.")
        errors = {}
        if supplier is not None and (supplier.kind != Supplier.Kind.MATERIAL_SUPPLIER or not supplier.is_active):
            errors["supplier"] = _("Choose an active material supplier.")
        if eta is not None and eta < requirement.production_order.created_at.date() - dt.timedelta(days=365):
            errors["eta"] = _("This ETA is more than a year before the production order: check the date.")
        if purchaser is not None and not purchaser.has_perm("purchasing.change_materialrequirement"):
            errors["purchaser"] = _("The purchaser must be someone in purchasing.")
        if errors:
            raise ValidationFailed(next(iter(errors.values())), fields=errors)
        old_eta = requirement.eta
        changes = _apply(requirement, supplier=supplier, eta=eta, purchaser=purchaser or requirement.purchaser or actor)
        if not changes:
            return requirement
        event_record(actor=actor, obj=requirement, verb=Event.Verb.UPDATED, changes=changes, reason=reason)
        if "eta" in changes or "supplier" in changes:
            order = requirement.production_order.sales_order
            event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, reason=reason,
                         kind=events.MATERIAL_PLAN_CHANGED, params={
                             "material": requirement.component.code, "po": str(requirement.production_order),
                             "old": old_eta.isoformat() if old_eta else "—", "new": eta.isoformat() if eta else "—",
                             "supplier": supplier.code if supplier else "—"})
            materials_follow_up(actor=actor, order=order)
        return requirement


def requirements_refresh(*, actor: User, requirement_ids) -> None:
    """Recompute received quantity, last arrival, ETA and status of requirements after their
    purchase orders changed (sent, confirmed, ETA noted, goods received, cancelled); then
    follow up the materials of every order concerned. Call inside the writing transaction."""
    requirement_ids = set(requirement_ids)
    if not requirement_ids:
        return
    received = defaultdict(lambda: ZERO, PurchaseCoverage.objects.filter(requirement_id__in=requirement_ids)
                           .values("requirement_id").annotate(total=Sum("received_quantity"))
                           .values_list("requirement_id", "total"))
    etas: dict[int, dt.date | None] = {}
    active = set()
    bought_from: dict[int, PurchaseOrder] = {}
    for coverage in (PurchaseCoverage.objects.filter(requirement_id__in=requirement_ids)
                     .select_related("line__purchase_order__supplier", "line__purchase_order__purchaser")):
        if coverage.line.purchase_order.status == PurchaseOrder.Status.CANCELLED:
            etas.setdefault(coverage.requirement_id, None)  # its ETA went with the cancelled order
            continue
        active.add(coverage.requirement_id)
        bought_from[coverage.requirement_id] = coverage.line.purchase_order  # whom to chase for it
        if coverage.line.eta and coverage.received_quantity < coverage.quantity:
            current = etas.get(coverage.requirement_id)
            etas[coverage.requirement_id] = max(current, coverage.line.eta) if current else coverage.line.eta
    arrivals = dict(GoodsReceiptLine.objects.filter(line__coverages__requirement_id__in=requirement_ids)
                    .values("line__coverages__requirement_id").annotate(last=Max("receipt__received_on"))
                    .values_list("line__coverages__requirement_id", "last"))
    orders = {}
    for requirement in (MaterialRequirement.objects.select_for_update(of=("self",)).filter(pk__in=requirement_ids)
                        .select_related("production_order__sales_order", "component", "supplier")):
        values = {"received_quantity": received[requirement.pk], "arrived_on": arrivals.get(requirement.pk)}
        if requirement.pk in bought_from:
            values["supplier"] = bought_from[requirement.pk].supplier
            values["purchaser"] = requirement.purchaser or bought_from[requirement.pk].purchaser
        if etas.get(requirement.pk) is not None or (requirement.pk in etas and requirement.pk not in active):
            values["eta"] = etas[requirement.pk]
        changes = _apply(requirement, **values)
        if changes:
            event_record(actor=actor, obj=requirement, verb=Event.Verb.UPDATED, changes=changes)
            orders[requirement.production_order.sales_order_id] = requirement.production_order.sales_order
    for order in orders.values():
        materials_follow_up(actor=actor, order=order)


def materials_follow_up(*, actor: User, order) -> None:
    """Say where the order's materials stand (``purchasing.events``): every ETA known
    (``MaterialEtasConfirmed``); everything received (``MaterialsReceived``); otherwise the
    latest ETA, today for one that passed without the goods (``MaterialsExpected``). The T&A
    hears it: "material ETAs confirmed", "materials in" and its forecast (a late one puts the
    order at risk)."""
    rows = list(MaterialRequirement.objects.filter(production_order__sales_order=order)
                .exclude(production_order__status__in=INACTIVE_PRODUCTION)
                .select_related("component", "supplier"))
    if not rows:
        return
    pending = [r for r in rows if r.status != R.RECEIVED]
    if all(r.eta or r.status == R.RECEIVED for r in rows):
        publish(events.MaterialEtasConfirmed(actor=actor, order=order))
    if not pending:
        last = max((r.arrived_on for r in rows if r.arrived_on), default=timezone.localdate())
        publish(events.MaterialsReceived(actor=actor, order=order, on=last))
        return
    with_eta = [r for r in pending if r.eta]
    if with_eta:
        # An ETA that passed without the goods means "not before today".
        today = timezone.localdate()
        latest = max(with_eta, key=lambda r: (max(r.eta, today), r.pk))
        publish(events.MaterialsExpected(actor=actor, order=order, on=max(latest.eta, today), requirement=latest))
