"""A change order reaches the factory: the production orders it touches are re-issued as new
versions, and the factory's re-acknowledgement is recorded.

When a change order applies (``sales.events.OrderRevisionApplying``), every open production
order making a changed line (all of them for a change in the order's header) is flagged; an
issued one (issued, accepted, in production, or already awaiting) whose content changed for the
factory — a line's quantity, description, product, unit or colour × size, the ex-factory date
(its due date moves by as many days), the packing, marks or special requirements — becomes
version N+1: its lines follow the order line when it is the only production order making it
(never below what is already produced: kept there, and said so), the changes are kept line by
line (old → new), a PDF marked "Version N — supersedes version N-1" is stored and e-mailed to
the factory after commit, and the production order waits for the factory's re-acknowledgement
(``awaiting_reack``). A change only of prices or money terms is not the factory's business: the
order is flagged, not re-issued.

The re-acknowledgement (``production_order_reacknowledge``) takes it back to where it was
(accepted, or in production), with the factory's new committed date if it moved (the T&A's
forecast follows, as for an acceptance); a refusal (``production_order_reack_refuse``) keeps it
waiting, with the reason, and escalates it on the board. The version's states:
``production.workflows.VERSION``; docs/workflows/production-order.md.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core import versions as core_versions
from gendan.core.domain_events import publish
from gendan.core.guards import reason_required, refuse, require
from gendan.core.money import format_quantity, line_amount, sum_amounts
from gendan.core.services import check_version
from gendan.production import rules
from gendan.production.events import (
    ORDER_REACK_ACCEPTED,
    ORDER_REACK_REFUSED,
    ORDER_REISSUED,
    ORDER_STEP,
    ProductionOrderFlagged,
    ProductionOrderReacknowledged,
    ProductionOrderReackRefused,
    ProductionOrderReissued,
    order_step_params,
)
from gendan.production.models import (
    VERSION_FIELDS,
    ProductionOrder,
    ProductionOrderLine,
    ProductionOrderVersion,
)
from gendan.production.pdf import render_production_order
from gendan.production.services.common import CHANGE, order_note, production_order_lock, require_owner
from gendan.production.workflows import OPEN, PRODUCTION_ORDER, REACK_OPEN, REISSUABLE, VERSION
from gendan.sales.services.substates import order_refresh_substates

log = logging.getLogger("gendan.production")
P = ProductionOrder.Status
V = ProductionOrderVersion.Reack

# What of the order's header the factory works to (the rest — money, ports, terms — is not its business).
HEADER_FOR_FACTORY = ("ex_factory_date", "packing_requirements", "shipping_marks", "special_requirements")
LINE_FOR_FACTORY = ("product_id", "description", "unit", "cell")


# --- what changed, in words -------------------------------------------------------------------


def change_lines(changes: list[dict]) -> list[str]:
    """The version's changes, one line each, in the active language: "Line 1 quantity: 1,000 → 1,200"."""
    out = []
    for row in changes:
        label = str(VERSION_FIELDS.get(row["field"], row["field"]))
        if row.get("cell"):
            label = f"{label} {row['cell']}"
        values = {"n": row["line"], "field": label, "old": row.get("old") or "—", "new": row.get("new") or "—"}
        out.append((_("Line %(n)s %(field)s: %(old)s → %(new)s") if row["line"]
                    else _("%(field)s: %(old)s → %(new)s")) % values)
    return out


def changes_param(changes: list[dict]) -> dict:
    """The changes as a timeline parameter kept in both languages."""
    return core_versions.changes_param(change_lines, changes)


def _product_codes(diff: list[dict]) -> dict[str, str]:
    ids = {d[k] for d in diff if d["field"] == "product_id" for k in ("old", "new") if d[k]}
    return {str(pk): code for pk, code in Product.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
            .values_list("pk", "code")}


def _plan(production_order: ProductionOrder, revision, diff: list[dict], codes: dict[str, str],
          shared: set[int]) -> tuple[list[dict], dict[int, tuple]]:
    """What version N+1 changes for the factory: the rows (old → new) and the new quantity and
    amount of each line whose quantity follows the order line."""
    rows: list[dict] = []
    updates: dict[int, tuple] = {}
    currency = production_order.currency_id or "CNY"
    for line in production_order.lines.all():
        order_line = line.order_line
        n = order_line.line_no
        for d in diff:
            if d["line"] == n and d["field"] in LINE_FOR_FACTORY:
                old, new = d.get("old", ""), d.get("new", "")
                if d["field"] == "product_id":
                    old, new = codes.get(str(old), old), codes.get(str(new), new)
                rows.append({"line": n, "field": d["field"], "cell": d.get("cell", ""), "old": old, "new": new})
        if line.pk in shared:  # split over several production orders: the planner allocates the change
            continue
        wanted = order_line.quantity
        if wanted == line.quantity:
            continue
        new_qty = max(wanted, line.produced_quantity)
        if new_qty != line.quantity:
            amount = line_amount(new_qty, line.unit_cost, currency) if line.unit_cost is not None else line.amount
            rows.append({"line": n, "field": "quantity", "old": format_quantity(line.quantity),
                         "new": format_quantity(new_qty)})
            if amount != line.amount:
                rows.append({"line": n, "field": "amount", "old": f"{line.amount:,.2f}", "new": f"{amount:,.2f}"})
            updates[line.pk] = (new_qty, amount)
        if wanted < line.produced_quantity:
            rows.append({"line": n, "field": "kept_at_produced", "old": format_quantity(wanted),
                         "new": format_quantity(line.produced_quantity)})
    for d in diff:
        if d["line"] == 0 and d["field"] in HEADER_FOR_FACTORY:
            rows.append({"line": 0, "field": d["field"], "old": d.get("old", ""), "new": d.get("new", "")})
    return rows, updates


def _due_shift(diff: list[dict]) -> int:
    """Days the order's ex-factory date moved (0: it did not)."""
    for d in diff:
        if d["line"] == 0 and d["field"] == "ex_factory_date" and d.get("old") and d.get("new"):
            return (dt.date.fromisoformat(d["new"]) - dt.date.fromisoformat(d["old"])).days
    return 0


# --- the re-issue -----------------------------------------------------------------------------


def production_orders_reissue_for_revision(*, actor: User, order, revision, line_nos: set[int], all_lines: bool
                                           ) -> list[ProductionOrder]:
    """Flag every open production order that makes a changed line (all of them for a change in
    the order's header) and re-issue the issued ones the change touches as a new version.
    Runs inside ``order_revision_apply``'s transaction (the order is locked); returns the
    production orders flagged (re-issued ones included)."""
    qs = ProductionOrder.objects.filter(sales_order=order, status__in=OPEN)
    if not all_lines:
        touched = ProductionOrderLine.objects.filter(order_line__order=order, order_line__line_no__in=line_nos)
        qs = qs.filter(pk__in=touched.values("production_order_id"))
    production_orders = list(qs.select_for_update(of=("self",)).select_related("supplier", "currency").prefetch_related(
        "lines__order_line__product", "lines__order_line__cells"))
    diff = list(revision.diff or [])
    codes = _product_codes(diff)
    # Lines of an order line that more than one live production order makes.
    makers: dict[int, int] = {}
    for line in ProductionOrderLine.objects.filter(order_line__order=order).exclude(
            production_order__status=P.CANCELLED).values_list("order_line_id", flat=True):
        makers[line] = makers.get(line, 0) + 1
    flagged = []
    for production_order in production_orders:
        production_order.sales_order = order
        production_order.change_revision_no = revision.revision_no
        production_order.change_reason = revision.reason[:300]
        production_order.version += 1
        production_order.save(update_fields=["change_revision_no", "change_reason", "version", "updated_at"])
        publish(ProductionOrderFlagged(actor=actor, order=order, production_order=production_order,
                                       revision_no=revision.revision_no, reason=revision.reason))
        flagged.append(production_order)
        if production_order.status in REISSUABLE:
            shared = {line.pk for line in production_order.lines.all() if makers.get(line.order_line_id, 0) > 1}
            _reissue(actor=actor, order=order, production_order=production_order, revision=revision, diff=diff,
                     codes=codes, shared=shared)
    return flagged


def _reissue(*, actor: User, order, production_order: ProductionOrder, revision, diff, codes, shared) -> None:
    rows, updates = _plan(production_order, revision, diff, codes, shared)
    shift = _due_shift(diff)
    new_due = production_order.due_date + dt.timedelta(days=shift) if shift else production_order.due_date
    if new_due != production_order.due_date:
        rows.append({"line": 0, "field": "due_date", "old": production_order.due_date.isoformat(),
                     "new": new_due.isoformat()})
    if not rows:
        return  # nothing the factory works to changed (prices, terms): flagged only
    currency = production_order.currency_id or "CNY"
    lines = list(production_order.lines.all())
    for line in lines:
        if line.pk in updates:
            line.quantity, line.amount = updates[line.pk]
            line.save(update_fields=["quantity", "amount"])
    old_total = production_order.total_cost
    if updates:  # an own workshop's order has no currency but may book costs (in CNY), as on its edit
        production_order.total_cost = sum_amounts([line.amount for line in lines], currency)
    if production_order.total_cost != old_total:
        rows.append({"line": 0, "field": "total_cost", "old": f"{old_total:,.2f}",
                     "new": f"{production_order.total_cost:,.2f}"})
    production_order.due_date = new_due
    core_versions.versions_supersede_open(production_order.versions, workflow=VERSION, open_states=REACK_OPEN)
    old_status = production_order.status
    if old_status != P.AWAITING_REACK:
        PRODUCTION_ORDER.move(production_order, P.AWAITING_REACK)
        production_order.reack_from = old_status
    production_order.doc_version += 1
    version = ProductionOrderVersion.objects.create(
        production_order=production_order, number=production_order.doc_version, revision_no=revision.revision_no,
        reason=revision.reason[:300], changes=rows, created_by=actor, reack_status=V.AWAITING)
    production_order.version += 1
    production_order.save(update_fields=["due_date", "total_cost", "status", "reack_from", "doc_version", "version",
                                         "updated_at"])
    pdf = render_production_order(production_order=production_order, version=version)
    version.pdf.save(f"{production_order.number}-v{version.number}.pdf", ContentFile(pdf), save=True)
    what = changes_param(rows)
    status_changes = {"status": {"old": old_status, "new": P.AWAITING_REACK}} if old_status != P.AWAITING_REACK else {}
    publish(ProductionOrderReissued(actor=actor, order=order, production_order=production_order,
                                    reason=revision.reason, version=version, what=what, changes=status_changes,
                                    quantities=bool(updates)))
    order_note(actor=actor, order=order, kind=ORDER_REISSUED, reason=revision.reason,
               params=order_step_params(production_order, n=version.number, what=what))
    transaction.on_commit(lambda: production_order_version_email(version_id=version.pk))


# --- the e-mail to the factory ----------------------------------------------------------------


def version_recipients(production_order: ProductionOrder) -> list[str]:
    """Who gets a re-issued version: an outsourced factory's address and its contacts' (main
    contact first); an own workshop's is the one who issued the order (the planner who answers
    for it). Then the order's distribution list; each address once."""
    supplier = production_order.supplier
    found: list[str] = []
    if production_order.kind == ProductionOrder.Kind.OUTSOURCED:
        found += [supplier.email] + [c.email for c in supplier.contacts.order_by("-is_primary", "pk")]
    elif production_order.issued_by_id:
        found.append(production_order.issued_by.email)
    found += production_order.email_recipients
    seen: list[str] = []
    for address in found:
        address = (address or "").strip()
        if address and address.lower() not in {s.lower() for s in seen}:
            seen.append(address)
    return seen


def production_order_version_email(*, version_id: int) -> None:
    """E-mail version N's PDF to the factory (after commit; a sent one is not re-sent). A failure
    is kept on the version and shown on the production order's page."""
    version = ProductionOrderVersion.objects.select_related(
        "production_order__supplier", "production_order__sales_order", "production_order__issued_by").get(pk=version_id)
    production_order = version.production_order
    if version.email_sent_at or not version.pdf:
        return
    to = version_recipients(production_order)
    title, n, sales_number = production_order.title_zh, version.number, production_order.sales_order.number
    body = core_versions.version_email_body(
        change_lines=change_lines, changes=version.changes,
        greeting=f"{production_order.supplier.name_zh or production_order.supplier.display_name}：",
        zh_intro=f"因订单 {sales_number} 变更，{title} {production_order.number} 现发第 {n} 版"
                 f"（取代第 {n - 1} 版），见附件。变更内容：",
        zh_ask="请按新版本执行，回签确认；交期如有变化，请告知新的承诺交期。",
        en_intro=f"Order {sales_number} has changed: {production_order.number} is re-issued as "
                 f"version {n} (supersedes version {n - 1}), attached. What changed:",
        en_ask="Please acknowledge it and tell us your committed date if it moved.")
    core_versions.version_email_send(
        version, to=to, no_address="no e-mail address for the factory, its contacts or the distribution list",
        subject=f"{title} {production_order.number} 第 {n} 版 / Version {n}", body=body,
        filename=f"{production_order.number}-v{n}.pdf", log=log, what=f"production order {production_order.pk}")


# --- the factory's re-acknowledgement ---------------------------------------------------------


def _open_version(production_order: ProductionOrder) -> ProductionOrderVersion:
    """The latest version, once the production order is found waiting for its re-acknowledgement."""
    refuse(rules.reack_check(production_order))
    return core_versions.version_latest_for_update(production_order.versions, missing=_(
        "Production order %(po)s has no re-issued version.") % {"po": production_order})


def production_order_reacknowledge(*, actor: User, production_order_id: int, committed_due_date: dt.date | None = None,
                                   note: str = "", expected_version: int | None = None) -> ProductionOrder:
    """The factory accepted version N: the production order goes back to where it was (accepted,
    or in production), with the factory's new committed date if it moved (``None``: the date
    stands); the T&A's "production finished" forecast follows."""
    require(actor, CHANGE)
    core_versions.answer_date_check(committed_due_date, field="committed_due_date",
                                    message=_("Give the due date the factory committed to (not in the past)."))
    with transaction.atomic():
        order, production_order = production_order_lock(actor, production_order_id)
        require_owner(actor, order)
        check_version(production_order, expected_version)
        version = _open_version(production_order)
        VERSION.ensure(version, V.ACCEPTED)
        old = production_order.status
        target = P.IN_PRODUCTION if production_order.reack_from == P.IN_PRODUCTION else P.ACCEPTED
        PRODUCTION_ORDER.move(production_order, target)
        committed = committed_due_date or production_order.committed_due_date or production_order.due_date
        production_order.committed_due_date = committed
        production_order.reack_from = ""
        production_order.version += 1
        production_order.save(update_fields=["status", "committed_due_date", "reack_from", "version", "updated_at"])
        core_versions.version_answer_record(version, workflow=VERSION, status=V.ACCEPTED, actor=actor,
                                            reason=(note or "").strip(), committed_due_date=committed)
        order_note(actor=actor, order=order, kind=ORDER_STEP, params=order_step_params(production_order, old=old,
                                                                                       new=target))
        order_note(actor=actor, order=order, kind=ORDER_REACK_ACCEPTED, reason=version.reack_reason,
                   params=order_step_params(production_order, n=version.number, day=committed.isoformat()))
        order_refresh_substates(order, actor=actor)
        publish(ProductionOrderReacknowledged(
            actor=actor, order=order, production_order=production_order, reason=version.reack_reason,
            committed_due_date=committed, number=version.number, changes={"status": {"old": old, "new": target}}))
    return production_order


def production_order_reack_refuse(*, actor: User, production_order_id: int, reason: str,
                                  expected_version: int | None = None) -> ProductionOrder:
    """The factory refused version N (``reason``: what it said). The production order keeps
    waiting for its re-acknowledgement and is escalated on the board at once."""
    require(actor, CHANGE)
    reason = reason_required(reason, _("recording the factory's refusal"))
    with transaction.atomic():
        order, production_order = production_order_lock(actor, production_order_id)
        require_owner(actor, order)
        check_version(production_order, expected_version)
        version = _open_version(production_order)
        VERSION.ensure(version, V.REFUSED)
        core_versions.version_answer_record(version, workflow=VERSION, status=V.REFUSED, actor=actor, reason=reason)
        production_order.version += 1
        production_order.save(update_fields=["version", "updated_at"])
        order_note(actor=actor, order=order, kind=ORDER_REACK_REFUSED, reason=version.reack_reason,
                   params=order_step_params(production_order, n=version.number))
        publish(ProductionOrderReackRefused(actor=actor, order=order, production_order=production_order,
                                            reason=version.reack_reason, number=version.number))
    return production_order
