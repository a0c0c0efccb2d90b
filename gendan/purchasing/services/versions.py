"""A change order reaches the material suppliers: when a production order is re-issued with new
quantities (``production.events.ProductionOrderReissued``), its confirmed BOM is derived again
(BOM × the new quantity) and every purchase order with the supplier (sent, confirmed, partly
received) that covers a requirement whose quantity changed is re-issued as a new version:

- more needed → the newest covering line orders the difference;
- less needed → the covering lines, newest first, order less — never below what was already
  received: what cannot be taken back is kept and said so on the version ("not lowered below
  what was already received"), never lowered silently; a line that would order nothing is
  removed (unless it is the purchase order's only line: then it is kept and said so).

Each version keeps its changes line by line (old → new), its PDF marked "Version N — supersedes
version N-1" is e-mailed to the supplier after commit, and the supplier's re-acknowledgement is
recorded by the buyer (``purchase_order_reacknowledge``: accepted, with a new ETA if it moved —
the requirements and the T&A's "materials in" forecast follow — or ``purchase_order_reack_refuse``
with the reason: it stays open and is escalated on the board). The purchase order's own status
does not change. The version's states: ``purchasing.workflows.VERSION``; docs/workflows/purchasing.md.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core import versions as core_versions
from gendan.core.events import event_record
from gendan.core.guards import reason_required
from gendan.core.models import Event
from gendan.core.money import format_quantity, line_amount, sum_amounts
from gendan.production.events import ProductionOrderReissued
from gendan.production.models import ProductionOrder
from gendan.purchasing import events
from gendan.purchasing.models import (
    VERSION_FIELDS,
    ZERO,
    BomConfirmation,
    MaterialRequirement,
    PurchaseCoverage,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderVersion,
)
from gendan.purchasing.pdf import render_purchase_order
from gendan.purchasing.services.notifications import recipients
from gendan.purchasing.services.orders import _require, _requirement_ids, _sales_orders_note, lock
from gendan.purchasing.services.requirements import requirements_rederive, requirements_refresh
from gendan.purchasing.workflows import REACK_OPEN, REISSUABLE, VERSION

log = logging.getLogger(__name__)
V = PurchaseOrderVersion.Reack


def change_lines(changes: list[dict]) -> list[str]:
    """The version's changes, one line each, in the active language."""
    out = []
    for row in changes:
        label = str(VERSION_FIELDS.get(row["field"], row["field"]))
        values = {"n": row.get("line") or "", "material": row.get("material", ""), "field": label,
                  "old": row.get("old") or "—", "new": row.get("new") or "—"}
        out.append((_("Line %(n)s %(material)s %(field)s: %(old)s → %(new)s") if row.get("line")
                    else _("%(field)s: %(old)s → %(new)s")) % values)
    return out


def changes_param(changes: list[dict]) -> dict:
    """The changes as a timeline parameter kept in both languages."""
    return core_versions.changes_param(change_lines, changes)


def on_production_order_reissued(event: ProductionOrderReissued) -> None:
    if event.quantities:
        purchase_orders_reissue_for_production_order(actor=event.actor, production_order=event.production_order,
                                                     reason=event.reason)


def purchase_orders_reissue_for_production_order(*, actor: User, production_order: ProductionOrder,
                                                 reason: str = "") -> list[PurchaseOrderVersion]:
    """Derive the materials of ``production_order`` again (its BOM confirmed) and re-issue the
    purchase orders with the supplier whose requirements changed. Inside the change order's
    transaction; returns the new versions."""
    if not BomConfirmation.objects.filter(production_order=production_order).exists():
        return []  # no confirmed BOM yet: its requirements are derived when it is confirmed
    before = dict(MaterialRequirement.objects.filter(production_order=production_order)
                  .values_list("pk", "required_quantity"))
    requirements_rederive(actor=actor, production_order=production_order)
    after = dict(MaterialRequirement.objects.filter(production_order=production_order)
                 .values_list("pk", "required_quantity"))
    deltas = {pk: after.get(pk, ZERO) - old for pk, old in before.items() if after.get(pk, ZERO) != old}
    if not deltas:
        return []
    coverages = list(PurchaseCoverage.objects.filter(requirement_id__in=deltas,
                                                     line__purchase_order__status__in=REISSUABLE)
                     .order_by("-line__purchase_order_id", "-pk").values_list("pk", "requirement_id",
                                                                             "line__purchase_order_id"))
    purchase_orders = {pk: lock(pk, None) for pk in sorted({po for _c, _r, po in coverages})}
    if not purchase_orders:
        return []
    lines = {line.pk: line for line in PurchaseOrderLine.objects.select_for_update().filter(
        purchase_order_id__in=purchase_orders).select_related("material")}
    old_qty = {pk: line.quantity for pk, line in lines.items()}
    line_counts: dict[int, int] = {}
    for line in lines.values():
        line_counts[line.purchase_order_id] = line_counts.get(line.purchase_order_id, 0) + 1
    notes: dict[int, list[dict]] = {}
    removed: set[int] = set()
    cover_rows = {c.pk: c for c in PurchaseCoverage.objects.select_for_update().filter(
        pk__in=[pk for pk, _r, _p in coverages])}
    for requirement_id, delta in deltas.items():
        mine = [cover_rows[pk] for pk, req, _p in coverages if req == requirement_id]
        if not mine:
            continue  # not ordered from a supplier yet: the requirement shows what is open
        if delta > 0:
            coverage = mine[0]
            coverage.quantity += delta
            coverage.save(update_fields=["quantity"])
            lines[coverage.line_id].quantity += delta
            continue
        left = -delta
        for coverage in mine:
            line = lines[coverage.line_id]
            room = min(coverage.quantity - coverage.received_quantity, line.quantity - line.received_quantity)
            take = min(room, left)
            if line.quantity - take <= 0 and line_counts[line.purchase_order_id] == 1:
                notes.setdefault(line.purchase_order_id, []).append({
                    "line": line.line_no, "material": line.material.code, "field": "only_line_kept",
                    "old": format_quantity(line.quantity - take), "new": format_quantity(line.quantity)})
                left -= take
                continue
            if take <= 0:
                continue
            coverage.quantity -= take
            line.quantity -= take
            left -= take
            if coverage.quantity <= 0:
                coverage.delete()
            else:
                coverage.save(update_fields=["quantity"])
            if left <= 0:
                break
        if left > 0:
            line = lines[mine[0].line_id]
            notes.setdefault(line.purchase_order_id, []).append({
                "line": line.line_no, "material": line.material.code, "field": "kept_at_received",
                "old": format_quantity(line.quantity - left), "new": format_quantity(line.quantity)})
    versions = []
    for po_id, purchase_order in purchase_orders.items():
        rows: list[dict] = []
        po_lines = sorted((line for line in lines.values() if line.purchase_order_id == po_id), key=lambda x: x.line_no)
        for line in po_lines:
            if line.quantity == old_qty[line.pk]:
                continue
            code = line.material.code
            if line.quantity <= 0:
                rows.append({"line": line.line_no, "material": code, "field": "line_removed",
                             "old": format_quantity(old_qty[line.pk]), "new": "0"})
                line.coverages.all().delete()
                line.delete()
                removed.add(line.pk)
                continue
            amount = line_amount(line.quantity, line.unit_price, purchase_order.currency_id)
            rows.append({"line": line.line_no, "material": code, "field": "quantity",
                         "old": format_quantity(old_qty[line.pk]), "new": format_quantity(line.quantity)})
            if amount != line.amount:
                rows.append({"line": line.line_no, "material": code, "field": "amount",
                             "old": f"{line.amount:,.2f}", "new": f"{amount:,.2f}"})
            line.amount = amount
            line.save(update_fields=["quantity", "amount"])
        rows += notes.get(po_id, [])
        if not rows:
            continue
        old_total = purchase_order.total_amount
        purchase_order.total_amount = sum_amounts([line.amount for line in po_lines if line.pk not in removed],
                                                  purchase_order.currency_id)
        if purchase_order.total_amount != old_total:
            rows.append({"line": 0, "field": "total_amount", "old": f"{old_total:,.2f}",
                         "new": f"{purchase_order.total_amount:,.2f}"})
        versions.append(_new_version(actor=actor, purchase_order=purchase_order, rows=rows, reason=reason))
    return versions


def _new_version(*, actor: User, purchase_order: PurchaseOrder, rows: list[dict], reason: str) -> PurchaseOrderVersion:
    core_versions.versions_supersede_open(purchase_order.versions, workflow=VERSION, open_states=REACK_OPEN)
    purchase_order.doc_version += 1
    purchase_order.version += 1
    purchase_order.save(update_fields=["total_amount", "doc_version", "version", "updated_at"])
    version = PurchaseOrderVersion.objects.create(purchase_order=purchase_order, number=purchase_order.doc_version,
                                                  reason=(reason or "")[:300], changes=rows, created_by=actor)
    fresh = PurchaseOrder.objects.select_related("supplier", "currency", "purchaser").prefetch_related(
        "lines__material", "supplier__contacts").get(pk=purchase_order.pk)
    pdf = render_purchase_order(purchase_order=fresh, version=version)
    version.pdf.save(f"{purchase_order.number}-v{version.number}.pdf", ContentFile(pdf), save=True)
    what = changes_param(rows)
    event_record(actor=actor, obj=purchase_order, verb=Event.Verb.UPDATED, reason=reason, kind=events.PO_REISSUED,
                 params={"n": version.number, "what": what})
    touched = _requirement_ids(purchase_order)
    _sales_orders_note(actor=actor, requirement_ids=touched, reason=reason, kind=events.PO_REISSUED_ON_ORDER,
                       params={"po": str(purchase_order), "supplier": purchase_order.supplier.code,
                               "n": version.number, "what": what})
    requirements_refresh(actor=actor, requirement_ids=touched)
    transaction.on_commit(lambda: purchase_order_version_email(version_id=version.pk))
    return version


def purchase_order_version_email(*, version_id: int) -> None:
    """E-mail version N's PDF to the supplier (after commit; a sent one is not re-sent)."""
    version = PurchaseOrderVersion.objects.select_related("purchase_order__supplier").get(pk=version_id)
    po = version.purchase_order
    if version.email_sent_at or not version.pdf:
        return
    to = recipients(po)
    n = version.number
    body = core_versions.version_email_body(
        change_lines=change_lines, changes=version.changes,
        greeting=f"{po.supplier.name_zh or po.supplier.display_name}：",
        zh_intro=f"因客户订单变更，采购单 {po.number} 现发第 {n} 版（取代第 {n - 1} 版），见附件。变更内容：",
        zh_ask="请确认新版本，交货期如有变化请回复新的交货日期。",
        en_intro=f"A customer's change order changed what we need: purchase order {po.number} is re-issued as "
                 f"version {n} (supersedes version {n - 1}), attached. What changed:",
        en_ask="Please acknowledge it and tell us the new delivery date if it moved.")
    core_versions.version_email_send(
        version, to=to, no_address="no e-mail address for the supplier or its contacts",
        subject=f"采购单 Purchase order {po.number} 第 {n} 版 / Version {n}", body=body,
        filename=f"{po.number}-v{n}.pdf", log=log, what=f"purchase order {po.pk}")


# --- the supplier's re-acknowledgement --------------------------------------------------------


def _latest(purchase_order: PurchaseOrder) -> PurchaseOrderVersion:
    return core_versions.version_latest_for_update(purchase_order.versions, missing=_(
        "Purchase order %(po)s has no re-issued version to acknowledge.") % {"po": purchase_order})


def purchase_order_reacknowledge(*, actor: User, purchase_order_id: int, new_eta: dt.date | None = None,
                                 note: str = "", expected_version: int | None = None) -> PurchaseOrderVersion:
    """The supplier accepted version N; with ``new_eta`` the changed lines' ETA moves (and the
    requirements' ETAs and the T&A's "materials in" forecast with it)."""
    _require(actor)
    core_versions.answer_date_check(new_eta, field="new_eta", message=_("A new ETA cannot be in the past."))
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        version = _latest(purchase_order)
        core_versions.version_answer_record(version, workflow=VERSION, status=V.ACCEPTED, actor=actor,
                                            reason=(note or "").strip(), new_eta=new_eta)
        changes = {}
        if new_eta is not None:
            changed = {row["line"] for row in version.changes if row.get("line")}
            for line in purchase_order.lines.filter(line_no__in=changed):
                if line.eta != new_eta and line.outstanding_quantity > 0:
                    changes[f"line {line.line_no}.eta"] = {"old": str(line.eta or ""), "new": str(new_eta)}
                    line.eta = new_eta
                    line.save(update_fields=["eta"])
        purchase_order.version += 1
        purchase_order.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=purchase_order, verb=Event.Verb.NOTE, reason=version.reack_reason,
                     changes=changes, kind=events.PO_REACK_ACCEPTED,
                     params={"n": version.number, "eta": new_eta.isoformat() if new_eta else "—"})
        if changes:
            touched = _requirement_ids(purchase_order)
            _sales_orders_note(actor=actor, requirement_ids=touched, kind=events.SUPPLIER_NEW_ETA, params={
                "supplier": purchase_order.supplier.code, "po": str(purchase_order), "eta": new_eta.isoformat(),
                "text": version.reack_reason or "—"})
            requirements_refresh(actor=actor, requirement_ids=touched)
    return version


def purchase_order_reack_refuse(*, actor: User, purchase_order_id: int, reason: str,
                                expected_version: int | None = None) -> PurchaseOrderVersion:
    """The supplier refused version N (``reason``): it stays open and is escalated on the board."""
    _require(actor)
    reason = reason_required(reason, _("recording the supplier's refusal"))
    with transaction.atomic():
        purchase_order = lock(purchase_order_id, expected_version)
        version = _latest(purchase_order)
        core_versions.version_answer_record(version, workflow=VERSION, status=V.REFUSED, actor=actor, reason=reason)
        purchase_order.version += 1
        purchase_order.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=purchase_order, verb=Event.Verb.NOTE, reason=version.reack_reason,
                     kind=events.PO_REACK_REFUSED, params={"n": version.number})
        _sales_orders_note(actor=actor, requirement_ids=_requirement_ids(purchase_order), reason=version.reack_reason,
                           kind=events.PO_REACK_REFUSED_ON_ORDER, params={
                               "po": str(purchase_order), "supplier": purchase_order.supplier.code,
                               "n": version.number})
    return version
