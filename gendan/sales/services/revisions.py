"""Change orders: a change to a confirmed order (quantity, price, spec, colour, dates) becomes
revision N+1 with a readable diff. It takes effect only after the customer confirms it in
writing and by phone; then the payment plan is re-derived (finance), the PI is re-issued and
every production order it touches is flagged — the issued ones re-issued to the factory as a new
version, and their materials' purchase orders to the suppliers (production, purchasing: they
hear ``OrderRevisionApplying``) — DESIGN §2, "change" gate, no
override. A change order that loosens the money terms (``sales.money_terms``: deposit, payment
method, credit days, price, amount, currency) also needs the approval of a manager or finance
other than its proposer (``order_revision_approve``) before it applies. The revision's states:
docs/workflows/sales-order.md (``sales.workflows.REVISION``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import reason_required, refuse, require
from gendan.sales import rules
from gendan.sales.errors import SalesError
from gendan.sales.events import (
    OrderRevisionApplied,
    OrderRevisionApplying,
    RevisionApprovalRequested,
    RevisionMoneyTermsApproved,
    RevisionProposed,
    RevisionWithdrawn,
)
from gendan.sales.models import OrderRevision, SalesOrder, SalesOrderCell, SalesOrderLine
from gendan.sales.money_terms import money_terms_loosened
from gendan.sales.services.documents import documents_reissue
from gendan.sales.services.lines import (
    HEADER_FIELDS,
    _s,
    check_large_amount,
    collect_lines,
    diff_snapshots,
    snapshot_lines,
    snapshot_order,
)
from gendan.sales.services.orders import apply_header, collect, lock_order, validate_dates
from gendan.sales.services.substates import order_refresh_substates
from gendan.sales.workflows import REVISION

R = OrderRevision.Status


def order_revise(
    *, actor: User, order_id: int, data: Mapping[str, Any], lines: list[dict] | None, reason: str,
    expected_version: int | None = None, confirm_large_amount: bool = False, validate_only: bool = False,
) -> OrderRevision | None:
    """Propose revision N+1 of a confirmed order. Nothing on the order changes until the
    customer confirms the revision and it is applied (``order_revision_apply``). Every wrong
    field of the header and the lines is refused at once; ``validate_only`` checks and saves
    nothing."""
    require(actor, "sales.change_salesorder")
    errors = FieldErrors()
    try:
        reason = reason_required(reason, _("changing the order"))
    except ValidationFailed as exc:
        collect(errors, exc)
    with transaction.atomic():
        order = lock_order(actor, order_id, expected_version=expected_version)
        refuse(rules.revise_check(order))
        current = snapshot_order(order)
        # Build the proposed order on an unsaved copy, so nothing is written to the real row.
        proposed = SalesOrder.objects.get(pk=order.pk)
        apply_header(proposed, data, errors)
        validate_dates(proposed, errors)
        if lines is None:
            new_lines = current["lines"]
            total = order.total_amount
        else:
            line_errors = FieldErrors()
            clean, total = collect_lines(lines, currency=proposed.currency_id, errors=line_errors)
            if total != order.total_amount:
                check_large_amount(total, proposed.currency_id, confirmed=confirm_large_amount, errors=line_errors)
            if not line_errors:
                try:
                    _check_lines_against_progress(order, clean)
                except ValidationFailed as exc:
                    collect(line_errors, exc)
            for name, message in line_errors.items():
                errors.add(name, message, line_errors.code)
            new_lines = snapshot_lines(clean)
        errors.raise_any()
        if validate_only:
            return None

        new = {"header": {name: _s(getattr(proposed, name)) for name in HEADER_FIELDS}, "lines": new_lines,
               "total_amount": _s(total)}
        diff = diff_snapshots(current, new)
        if not diff:
            raise ValidationFailed(_("Nothing was changed."), code=SalesError.NO_CHANGE)
        # Withdrawn revisions keep their numbers (and their confirmations) in the history.
        last = order.revisions.order_by("-revision_no").values_list("revision_no", flat=True).first() or 0
        revision = OrderRevision.objects.create(order=order, revision_no=max(last, order.revision_no) + 1,
                                                reason=reason,
                                                snapshot=new, diff=diff, created_by=actor)
        publish(RevisionProposed(actor=actor, order=order, reason=reason, revision=revision))
        loosened = money_terms_loosened(current, new)
        if loosened:
            publish(RevisionApprovalRequested(actor=actor, order=order, revision=revision, loosened=loosened))
    return revision


def order_revision_approve(*, actor: User, order_id: int, reason: str) -> OrderRevision:
    """Approve the loosened money terms of the pending change order (``sales.money_terms``):
    a manager or finance, never its proposer, with a reason that goes on the timeline. The
    customer's confirmations are still needed before it is applied."""
    require(actor, "sales.approve_money_terms",
            message=_("Only a manager or finance may approve a change order that loosens the money terms."))
    reason = reason_required(reason, _("approving the loosened money terms"))
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(rules.revision_approve_check(actor, order))
        revision = order.revisions.select_for_update().get(status=R.PENDING)
        loosened = rules.revision_loosened(order, revision)
        revision.approved_by, revision.approved_at, revision.approval_reason = actor, timezone.now(), reason[:300]
        revision.save(update_fields=["approved_by", "approved_at", "approval_reason", "updated_at"])
        publish(RevisionMoneyTermsApproved(actor=actor, order=order, reason=reason, revision=revision,
                                           loosened=loosened))
    return revision


def _check_lines_against_progress(order: SalesOrder, clean) -> None:
    """A revision may not take away what has shipped, nor drop a line a production order makes."""
    by_no = {ln.line_no: ln for ln in clean}
    errors = {}
    for line in order.lines.all():
        new = by_no.get(line.line_no)
        if new is None:
            if line.shipped_quantity > 0 or line.production_lines.exists():
                errors[f"lines[{line.line_no - 1}]"] = _(
                    "Line %(n)d is already in production or shipped; reduce its quantity instead of removing it."
                ) % {"n": line.line_no}
        elif new.quantity < line.shipped_quantity:
            errors[f"lines[{line.line_no - 1}].quantity"] = _(
                "Line %(n)d: %(shipped)s have already shipped; the quantity cannot be lower."
            ) % {"n": line.line_no, "shipped": line.shipped_quantity}
    if errors:
        # the proposed lines contradict what is stored (made, shipped): a rule no schema states
        raise ValidationFailed(next(iter(errors.values())), code=CoreError.VALUES_INCONSISTENT, fields=errors)


def order_revision_apply(*, actor: User, order_id: int) -> SalesOrder:
    """Make the confirmed change order effective: update the order; finance re-derives the
    payment plan and production flags the production orders it touches
    (``OrderRevisionApplying``); re-issue the current PI / contract; the T&A re-plans
    (``OrderRevisionApplied``)."""
    require(actor, "sales.confirm_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(rules.revision_apply_check(order))
        revision = order.revisions.select_for_update().get(status=R.PENDING)
        snap = revision.snapshot
        header = snap["header"]
        data = {name.removesuffix("_id"): header[name] or None for name in HEADER_FIELDS}
        for name in ("incoterm_place", "payment_terms_note", "port_of_loading", "port_of_destination",
                     "packing_requirements", "shipping_marks", "special_requirements", "customer_po_no"):
            data[name] = header[name] or ""
        data["deposit_percent"] = Decimal(header["deposit_percent"])
        data["payment_days"] = int(header["payment_days"] or 0)
        apply_header(order, data)
        for name in ("customer_po_date", "ex_factory_date", "requested_delivery_date"):
            setattr(order, name, header[name] or None)
        changed_lines = _apply_lines(order, snap["lines"])
        order.total_amount = Decimal(snap["total_amount"])
        order.revision_no = revision.revision_no
        order.version += 1
        order.save()
        order.refresh_from_db()
        header_changed = any(d["line"] == 0 and d["field"] != "total_amount" for d in revision.diff)
        applying = publish(OrderRevisionApplying(actor=actor, order=order, revision=revision,
                                                 changed_lines=changed_lines, header_changed=header_changed))
        order_refresh_substates(order, actor=actor)
        REVISION.move(revision, R.EFFECTIVE)
        revision.effective_at = timezone.now()
        revision.save(update_fields=["status", "effective_at", "updated_at"])
        reissued = documents_reissue(actor=actor, order=order)
        publish(OrderRevisionApplied(actor=actor, order=order, reason=revision.reason, revision=revision,
                                     documents=reissued, flagged=applying.flagged,
                                     changes={"revision_no": {"old": str(revision.revision_no - 1),
                                                              "new": str(revision.revision_no)}}))
    return order


def _apply_lines(order: SalesOrder, lines: list[dict]) -> set[int]:
    """Update lines in place by line number (production and shipment rows keep pointing at
    them); return the numbers of lines whose content changed."""
    existing = {line.line_no: line for line in order.lines.prefetch_related("cells")}
    wanted = {ln["line_no"]: ln for ln in lines}
    changed: set[int] = set()
    for no, line in existing.items():
        if no not in wanted:
            line.delete()
            changed.add(no)
    products = Product.objects.in_bulk([ln["product_id"] for ln in lines if ln.get("product_id")])
    for no, data in wanted.items():
        line = existing.get(no) or SalesOrderLine(order=order, line_no=no)
        old = (line.product_id, line.description, line.unit, _s(line.unit_price) if line.pk else None,
               _s(line.quantity) if line.pk else None,
               sorted((c.colour, c.size, _s(c.quantity)) for c in line.cells.all()) if line.pk else [])
        line.product = products.get(data.get("product_id"))
        line.description, line.unit = data["description"], data["unit"]
        line.unit_price, line.quantity, line.amount = (Decimal(data["unit_price"]), Decimal(data["quantity"]),
                                                       Decimal(data["amount"]))
        line.save()
        line.cells.all().delete()
        SalesOrderCell.objects.bulk_create([
            SalesOrderCell(line=line, colour=c["colour"], size=c["size"], quantity=Decimal(c["quantity"]),
                           variant_id=c.get("variant_id")) for c in data.get("cells", [])])
        new = (line.product_id, line.description, line.unit, _s(line.unit_price), _s(line.quantity),
               sorted((c["colour"], c["size"], _s(Decimal(c["quantity"]))) for c in data.get("cells", [])))
        if old != new:
            changed.add(no)
    return changed


def order_revision_withdraw(*, actor: User, order_id: int, reason: str) -> OrderRevision:
    """Withdraw the change order waiting for the customer; the order stays as it is."""
    require(actor, "sales.change_salesorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(rules.revision_withdraw_check(order))
        revision = order.revisions.select_for_update().get(status=R.PENDING)
        REVISION.move(revision, R.WITHDRAWN)
        revision.save(update_fields=["status", "updated_at"])
        publish(RevisionWithdrawn(actor=actor, order=order, reason=reason, revision=revision))
    return revision
