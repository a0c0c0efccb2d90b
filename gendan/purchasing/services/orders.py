"""Purchase orders for materials: create and edit (draft), send, supplier confirmation,
cancel, close, and the supplier's progress notes. Goods received: ``receipts.py``.

Lines are ``{"material": Product, "quantity", "unit_price", "eta": date | None,
"covers": [{"requirement": id, "quantity"}] | [id, …] | None}``; without ``covers`` a line covers
the open requirements of its material (with a list of ids: of those), oldest need first, up to
its quantity.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core.errors import ValidationFailed
from gendan.core.events import choice, event_record
from gendan.core.guards import parse_id, reason_required, refuse, require
from gendan.core.models import Currency, Event
from gendan.core.money import MoneyError, format_quantity, line_amount, sum_amounts, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import lock_row
from gendan.parties.models import Supplier
from gendan.purchasing import events, rules
from gendan.purchasing.models import (
    ZERO,
    MaterialRequirement,
    PurchaseCoverage,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierProgressNote,
)
from gendan.purchasing.services.notifications import purchase_order_email
from gendan.purchasing.services.requirements import INACTIVE_PRODUCTION, requirements_refresh
from gendan.purchasing.workflows import check_transition
from gendan.sales.models import SalesOrder

P = PurchaseOrder.Status
PRICE_PLACES = Decimal("0.0001")
MAX_QTY = Decimal("99999999999")


CHANGE = "purchasing.change_purchaseorder"


def _require(actor: User) -> None:
    require(actor, CHANGE, message=_("Only purchasing manages purchase orders."))


def _decimal(raw, field: str, label: str, errors: dict) -> Decimal | None:
    try:
        value = to_decimal(raw if raw not in (None, "") else "")
    except MoneyError:
        errors[field] = _("%(label)s: enter a number.") % {"label": label}
        return None
    return value


def _clean_header(*, supplier, currency, over_receipt_percent) -> tuple[Supplier, str, Decimal]:
    errors = {}
    if not isinstance(supplier, Supplier) or supplier.kind != Supplier.Kind.MATERIAL_SUPPLIER or not supplier.is_active:
        errors["supplier"] = _("Materials are bought from an active material supplier.")
    code = getattr(currency, "pk", currency)
    if not Currency.objects.filter(pk=code, is_active=True).exists():
        errors["currency"] = _("Choose a currency in use.")
    tolerance = _decimal(over_receipt_percent if over_receipt_percent not in (None, "") else "0",
                         "over_receipt_percent", _("tolerance"), errors)
    if tolerance is not None and not ZERO <= tolerance <= 100:
        errors["over_receipt_percent"] = _("The tolerance is between 0 and 100 %.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    return supplier, code, tolerance


def _clean_lines(lines: list[dict], *, currency: str, order_date: dt.date, exclude_po: int | None) -> list[dict]:
    """Validate the lines and their coverage; return them with Decimal values and amounts."""
    if not lines:
        msg = _("Add at least one line: material, quantity and unit price.")
        raise ValidationFailed(msg, fields={"lines": msg})
    errors: dict[str, str] = {}
    cleaned = []
    for n, raw in enumerate(lines, start=1):
        prefix = f"lines[{n - 1}]"
        material = raw.get("material")
        if not isinstance(material, Product) or not material.can_be_component:
            errors[f"{prefix}.material"] = _("Line %(n)d: choose a material (component or packaging).") % {"n": n}
        qty = _decimal(raw.get("quantity"), f"{prefix}.quantity", _("Line %(n)d quantity") % {"n": n}, errors)
        if qty is not None and not ZERO < qty <= MAX_QTY:
            errors[f"{prefix}.quantity"] = _("Line %(n)d: the quantity must be more than 0.") % {"n": n}
        price = _decimal(raw.get("unit_price"), f"{prefix}.unit_price", _("Line %(n)d unit price") % {"n": n}, errors)
        if price is not None and (price < 0 or price != price.quantize(PRICE_PLACES) or price > MAX_QTY):
            errors[f"{prefix}.unit_price"] = _("Line %(n)d: a unit price is 0 or more, with up to 4 decimals.") % {
                "n": n}
        eta = raw.get("eta")
        if eta is not None and not isinstance(eta, dt.date):
            errors[f"{prefix}.eta"] = _("Line %(n)d: the ETA is not a date.") % {"n": n}
        elif eta is not None and eta < order_date:
            errors[f"{prefix}.eta"] = _("Line %(n)d: the ETA %(eta)s is before the order date %(day)s.") % {
                "n": n, "eta": eta, "day": order_date}
        if errors:
            continue
        covers = _clean_covers(raw.get("covers"), material=material, quantity=qty, n=n, prefix=prefix,
                               exclude_po=exclude_po, errors=errors)
        cleaned.append({"material": material, "quantity": qty, "unit_price": price, "eta": eta, "covers": covers,
                        "amount": line_amount(qty, price, currency)})
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    return cleaned


def uncovered_quantities(requirement_ids, *, exclude_po: int | None = None) -> dict[int, Decimal]:
    """Requirement id → what is still needed and not covered by a (non-cancelled) purchase order."""
    requirements = dict(MaterialRequirement.objects.filter(pk__in=list(requirement_ids))
                        .values_list("pk", "required_quantity"))
    covered = (PurchaseCoverage.objects.filter(requirement_id__in=list(requirements))
               .exclude(line__purchase_order__status=P.CANCELLED))
    if exclude_po:
        covered = covered.exclude(line__purchase_order_id=exclude_po)
    done = dict(covered.values("requirement_id").annotate(total=Sum("quantity")).values_list("requirement_id", "total"))
    return {pk: max(required - done.get(pk, ZERO), ZERO) for pk, required in requirements.items()}


def _clean_covers(covers, *, material: Product, quantity: Decimal, n: int, prefix: str, exclude_po: int | None,
                  errors: dict) -> list[tuple[int, Decimal]]:
    field = f"{prefix}.covers"
    if covers is None or all(isinstance(c, int) for c in covers):
        # Automatic: the open requirements of this material (or of those listed), oldest need first.
        pool = (MaterialRequirement.objects.filter(component=material)
                .exclude(status=MaterialRequirement.Status.RECEIVED)
                .exclude(production_order__status__in=INACTIVE_PRODUCTION))
        if covers:
            pool = pool.filter(pk__in=covers)
        candidates = list(pool.order_by("need_date", "pk").values_list("pk", flat=True)[:200])
        free = uncovered_quantities(candidates, exclude_po=exclude_po)
        left, result = quantity, []
        for pk in candidates:
            take = min(left, free.get(pk, ZERO))
            if take > 0:
                result.append((pk, take))
                left -= take
            if left <= 0:
                break
        return result
    wanted: dict[int, Decimal] = {}
    for cover in covers:
        requirement = cover.get("requirement")
        pk = getattr(requirement, "pk", requirement)
        qty = _decimal(cover.get("quantity"), field, _("Line %(n)d covered quantity") % {"n": n}, errors)
        if qty is None:
            return []
        if qty <= 0:
            errors[field] = _("Line %(n)d: a covered quantity must be more than 0.") % {"n": n}
            return []
        key = parse_id(pk) or 0  # beyond 64 bits (or not a number): not found, said below
        wanted[key] = wanted.get(key, ZERO) + qty
    if sum(wanted.values(), ZERO) > quantity:
        errors[field] = _("Line %(n)d covers %(covered)s of requirements but orders only %(qty)s.") % {
            "n": n, "covered": format_quantity(sum(wanted.values(), ZERO)), "qty": format_quantity(quantity)}
        return []
    found = {r.pk: r for r in MaterialRequirement.objects.filter(pk__in=list(wanted)).select_related("component")}
    free = uncovered_quantities(list(found), exclude_po=exclude_po)
    for pk, qty in wanted.items():
        requirement = found.get(pk)
        if requirement is None or requirement.component_id != material.pk:
            errors[field] = _("Line %(n)d: requirement %(id)s is not for this material.") % {"n": n, "id": pk}
            return []
        if qty > free[pk]:
            errors[field] = _("Line %(n)d: %(req)s still needs only %(free)s uncovered, not %(qty)s.") % {
                "n": n, "req": requirement, "free": format_quantity(free[pk]), "qty": format_quantity(qty)}
            return []
    return list(wanted.items())


def _write_lines(purchase_order: PurchaseOrder, lines: list[dict]) -> set[int]:
    touched = set()
    for n, line in enumerate(lines, start=1):
        row = PurchaseOrderLine.objects.create(
            purchase_order=purchase_order, line_no=n, material=line["material"], quantity=line["quantity"],
            unit=line["material"].unit, unit_price=line["unit_price"], amount=line["amount"], eta=line["eta"])
        PurchaseCoverage.objects.bulk_create(
            [PurchaseCoverage(line=row, requirement_id=pk, quantity=qty) for pk, qty in line["covers"]])
        touched.update(pk for pk, _qty in line["covers"])
    return touched


def _sales_orders_note(*, actor: User, requirement_ids, kind: str, params: dict, reason: str = "") -> None:
    """The event on each sales order whose materials this purchase order buys (its timeline)."""
    for order in SalesOrder.objects.filter(
            production_orders__material_requirements__pk__in=list(requirement_ids)).distinct():
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=kind, params=params, reason=reason)


def _requirement_ids(purchase_order: PurchaseOrder) -> set[int]:
    return set(PurchaseCoverage.objects.filter(line__purchase_order=purchase_order)
               .values_list("requirement_id", flat=True))


def purchase_order_create(*, actor: User, supplier: Supplier, currency, lines: list[dict], notes: str = "",
                          over_receipt_percent=ZERO, order_date: dt.date | None = None) -> PurchaseOrder:
    """A draft purchase order to a material supplier, numbered from the "purchase_order" sequence."""
    _require(actor)
    order_date = order_date or timezone.localdate()
    with transaction.atomic():
        supplier, code, tolerance = _clean_header(supplier=supplier, currency=currency,
                                                  over_receipt_percent=over_receipt_percent)
        cleaned = _clean_lines(lines, currency=code, order_date=order_date, exclude_po=None)
        purchase_order = PurchaseOrder.objects.create(
            number=number_next(code="purchase_order"), supplier=supplier, currency_id=code, purchaser=actor,
            order_date=order_date, notes=notes, over_receipt_percent=tolerance,
            total_amount=sum_amounts([line["amount"] for line in cleaned], code))
        touched = _write_lines(purchase_order, cleaned)
        event_record(actor=actor, obj=purchase_order, verb=Event.Verb.CREATED, kind=events.PO_CREATED, params={
            "n": len(cleaned), "currency": code, "total": str(purchase_order.total_amount)})
        _sales_orders_note(actor=actor, requirement_ids=touched, kind=events.PO_COVERS_ORDER,
                           params={"po": str(purchase_order), "supplier": str(supplier)})
        return purchase_order


def purchase_order_update(*, actor: User, purchase_order_id: int, expected_version: int | None, supplier: Supplier,
                          currency, lines: list[dict], notes: str = "", over_receipt_percent=ZERO) -> PurchaseOrder:
    """Replace the header and lines of a draft purchase order."""
    _require(actor)
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        refuse(rules.edit_check(purchase_order))
        supplier, code, tolerance = _clean_header(supplier=supplier, currency=currency,
                                                  over_receipt_percent=over_receipt_percent)
        cleaned = _clean_lines(lines, currency=code, order_date=purchase_order.order_date,
                               exclude_po=purchase_order.pk)
        before = {"supplier": str(purchase_order.supplier), "currency": purchase_order.currency_id,
                  "total_amount": format(purchase_order.total_amount.normalize(), "f")}
        touched = _requirement_ids(purchase_order)
        PurchaseOrderLine.objects.filter(purchase_order=purchase_order).delete()
        purchase_order.supplier, purchase_order.currency_id, purchase_order.notes = supplier, code, notes
        purchase_order.over_receipt_percent = tolerance
        purchase_order.total_amount = sum_amounts([line["amount"] for line in cleaned], code)
        purchase_order.version += 1
        purchase_order.save()
        touched |= _write_lines(purchase_order, cleaned)
        after = {"supplier": str(supplier), "currency": code,
                 "total_amount": format(purchase_order.total_amount.normalize(), "f")}
        changes = {k: {"old": before[k], "new": after[k]} for k in before if before[k] != after[k]}
        event_record(actor=actor, obj=purchase_order, verb=Event.Verb.UPDATED, changes=changes,
                     kind=events.PO_LINES_REPLACED, params={"n": len(cleaned)})
        requirements_refresh(actor=actor, requirement_ids=touched)
        return purchase_order


def _transition(*, actor: User, purchase_order: PurchaseOrder, to: str, reason: str = "", kind: str = "",
                params: dict | None = None) -> None:
    """Move the purchase order to ``to`` (the workflow table decides), with its row (``kind`` +
    ``params`` say more than the status change) and a row on each sales order it buys for."""
    old = purchase_order.status
    check_transition(purchase_order, to)
    purchase_order.status = to
    purchase_order.version += 1
    purchase_order.save()
    event_record(actor=actor, obj=purchase_order, verb=Event.Verb.STATE_CHANGED, reason=reason, kind=kind,
                 params=params, changes={"status": {"old": old, "new": to}})
    touched = _requirement_ids(purchase_order)
    _sales_orders_note(actor=actor, requirement_ids=touched, reason=reason, kind=events.PO_STATUS_ON_ORDER, params={
        "po": str(purchase_order), "supplier": purchase_order.supplier.code,
        "status": choice(PurchaseOrder, "status", to)})
    requirements_refresh(actor=actor, requirement_ids=touched)


def lock(purchase_order_id: int, expected_version: int | None) -> PurchaseOrder:
    """Lock the purchase order (404 when missing), refusing a stale ``expected_version`` (409)."""
    return lock_row(PurchaseOrder.objects.select_related("supplier"), purchase_order_id,
                    expected_version=expected_version, not_found="No such purchase order.")


def purchase_order_send(*, actor: User, purchase_order_id: int, expected_version: int | None = None
                        ) -> PurchaseOrder:
    """The purchase order goes to the supplier: its requirements count as ordered, and its PDF is
    e-mailed to the supplier after commit (``notifications.purchase_order_email``)."""
    _require(actor)
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        refuse(rules.send_check(purchase_order))
        purchase_order.sent_at = timezone.now()
        purchase_order.email_sent_at, purchase_order.email_error = None, ""
        _transition(actor=actor, purchase_order=purchase_order, to=P.SENT)
        transaction.on_commit(lambda: purchase_order_email(purchase_order_id=purchase_order.pk))
        return purchase_order


def purchase_order_confirm(*, actor: User, purchase_order_id: int, expected_version: int | None = None,
                           etas: dict[int, dt.date] | None = None) -> PurchaseOrder:
    """The supplier confirmed the order and committed an ETA per line (``etas``: line id →
    date, filling or changing the lines' ETAs). The ETAs go to the covered requirements."""
    _require(actor)
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        refuse(rules.confirm_check(purchase_order, etas_complete=False))  # the state first: nothing changes
        lines = list(purchase_order.lines.all())
        errors = {}
        for line in lines:
            eta = (etas or {}).get(line.pk, line.eta)
            if eta is not None and (not isinstance(eta, dt.date) or eta < purchase_order.order_date):
                errors[f"eta_{line.pk}"] = _("Line %(n)d: the ETA cannot be before the order date %(day)s.") % {
                    "n": line.line_no, "day": purchase_order.order_date}
            elif eta != line.eta:
                event_record(actor=actor, obj=purchase_order, verb=Event.Verb.UPDATED, changes={
                    f"line {line.line_no}.eta": {"old": str(line.eta or ""), "new": str(eta or "")}})
                line.eta = eta
                line.save(update_fields=["eta"])
        if errors:
            raise ValidationFailed(next(iter(errors.values())), fields=errors)
        refuse(rules.confirm_check(purchase_order))
        purchase_order.confirmed_at = timezone.now()
        _transition(actor=actor, purchase_order=purchase_order, to=P.CONFIRMED, kind=events.PO_CONFIRMED,
                    params={"etas": ", ".join(f"{line.line_no}: {line.eta}" for line in lines)})
        return purchase_order


def purchase_order_cancel(*, actor: User, purchase_order_id: int, reason: str,
                          expected_version: int | None = None) -> PurchaseOrder:
    """Cancel a purchase order nothing was received on; its requirements are open again."""
    _require(actor)
    reason = reason_required(reason, _("cancelling the purchase order"))
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        refuse(rules.cancel_check(purchase_order))
        purchase_order.cancel_reason = reason[:300]
        _transition(actor=actor, purchase_order=purchase_order, to=P.CANCELLED, reason=purchase_order.cancel_reason)
        return purchase_order


def purchase_order_close(*, actor: User, purchase_order_id: int, reason: str = "",
                         expected_version: int | None = None) -> PurchaseOrder:
    """Close a received purchase order; a partly received one only with the reason the rest
    will not come (its requirements stay short until covered again)."""
    _require(actor)
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        refuse(rules.close_check(purchase_order))
        if purchase_order.status == P.PARTLY_RECEIVED:  # the rest will not come: say why
            reason_required(reason, _("closing before everything was received"))
        touched = _requirement_ids(purchase_order)
        # The undelivered rest no longer covers anything: those requirements need ordering again.
        for coverage in PurchaseCoverage.objects.filter(line__purchase_order=purchase_order):
            if coverage.received_quantity < coverage.quantity:
                if coverage.received_quantity == 0:
                    coverage.delete()
                else:
                    coverage.quantity = coverage.received_quantity
                    coverage.save(update_fields=["quantity"])
        _transition(actor=actor, purchase_order=purchase_order, to=P.CLOSED, reason=(reason or "").strip()[:300])
        requirements_refresh(actor=actor, requirement_ids=touched)
        return purchase_order


def progress_note_add(*, actor: User, purchase_order_id: int, noted_on: dt.date, text: str,
                      new_eta: dt.date | None = None, line_id: int | None = None) -> SupplierProgressNote:
    """Record what the supplier said when chased; a new ETA moves the lines' ETAs (one line or
    every open one), their requirements' ETAs and the order's "materials in" forecast."""
    _require(actor)
    errors = {}
    today = timezone.localdate()
    if not isinstance(noted_on, dt.date) or noted_on > today:
        errors["noted_on"] = _("The date of the note cannot be in the future.")
    if not (text or "").strip():
        errors["text"] = _("Write what the supplier said.")
    if new_eta is not None and (not isinstance(new_eta, dt.date) or new_eta < today - dt.timedelta(days=1)):
        errors["new_eta"] = _("A new ETA cannot be in the past.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, None)
        refuse(rules.note_check(purchase_order))
        line = None
        if line_id:
            line = purchase_order.lines.filter(pk=line_id).first()
            if line is None:
                raise ValidationFailed(_("That line is not on this purchase order."), fields={"line": _("Unknown line.")})
        note = SupplierProgressNote.objects.create(purchase_order=purchase_order, line=line, noted_on=noted_on,
                                                   text=text.strip(), new_eta=new_eta, recorded_by=actor)
        changes = {}
        if new_eta is not None:
            lines = [line] if line else [x for x in purchase_order.lines.all() if x.outstanding_quantity > 0]
            for row in lines:
                if row.eta != new_eta:
                    changes[f"line {row.line_no}.eta"] = {"old": str(row.eta or ""), "new": str(new_eta)}
                    row.eta = new_eta
                    row.save(update_fields=["eta"])
        purchase_order.version += 1
        purchase_order.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=purchase_order, verb=Event.Verb.NOTE, changes=changes, message=note.text)
        if changes:
            touched = _requirement_ids(purchase_order)
            _sales_orders_note(actor=actor, requirement_ids=touched, kind=events.SUPPLIER_NEW_ETA, params={
                "supplier": purchase_order.supplier.code, "po": str(purchase_order), "eta": new_eta.isoformat(),
                "text": note.text})
            requirements_refresh(actor=actor, requirement_ids=touched)
        return note
