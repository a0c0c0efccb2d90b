"""Production order use cases: create on production release or for quantity not yet allocated,
edit the draft, the transitions of ``production/workflows.py`` (issue → accept → start →
finish → close, hold / resume, cancel), the manager's first-article override, and the flags
and cancellations the sales order sends.

Every use case is keyword-only, checks the actor's permission, locks the sales order and then
the production order (always in that order), checks the guard from ``production.rules`` (the
one the page's buttons use), writes the event on the production order and on its sales order,
recomputes the order's production status and tells the T&A plan — in one transaction. The
email of an issued order goes out after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import BusinessError, Kind, NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.core.money import MoneyError, line_amount, sum_amounts, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import check_version
from gendan.parties.models import Supplier
from gendan.production import rules
from gendan.production.models import Department, ProductionOrder, ProductionOrderLine
from gendan.production.selectors import allocated_quantities, may_edit, production_order_queryset
from gendan.production.workflows import OPEN, check_transition
from gendan.sales.models import SalesOrder
from gendan.sales.rules import Check
from gendan.sales.services.orders import lock_order, order_refresh_substates, require
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached

__all__ = ["allocated_quantities"]  # re-exported for the sales order's release page

log = logging.getLogger(__name__)

P = ProductionOrder.Status
PRODUCING_KINDS = {Supplier.Kind.OWN_WORKSHOP: ProductionOrder.Kind.OWN_WORKSHOP,
                   Supplier.Kind.OUTSOURCED_FACTORY: ProductionOrder.Kind.OUTSOURCED}
# In the order of ``Department`` (the edit form keeps that order).
DEFAULT_SIGN_OFF = [Department.MERCHANDISING, Department.PRODUCTION, Department.QUALITY, Department.MANAGEMENT]
DEFAULT_COPY_TO = [Department.MERCHANDISING, Department.WAREHOUSE, Department.PRODUCTION, Department.QUALITY,
                   Department.PURCHASING, Department.FINANCE]
CHANGE = "production.change_productionorder"
MIN_REASON = 5


# --- helpers -----------------------------------------------------------------------------


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def refuse(check: Check) -> None:
    """Raise the refusal a guard gave: a state that does not allow the step is a conflict (409),
    as is a rule that holds the order back (first article, short production, issue rules)."""
    if check.allowed:
        return
    if check.code == "transition_not_allowed":
        raise TransitionNotAllowed(check.reason, code=check.code)
    raise BusinessError(check.reason, code=check.code, kind=Kind.GATE)


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        msg = _("Write the reason for %(what)s (it goes on the timeline of the production order and the order).") % {
            "what": what}
        raise ValidationFailed(msg, fields={"reason": msg})
    return text[:300]


def _require_owner(actor: User, order: SalesOrder) -> None:
    if not may_edit(actor, order):
        raise NotAllowed(_("Production orders of %(order)s are issued by the production planner or the order's "
                           "merchandiser.") % {"order": order})


def _lock(actor: User, production_order_id: int) -> tuple[SalesOrder, ProductionOrder]:
    """Lock the production order's sales order, then the production order (with its lines
    prefetched). 404 when the actor may not see it. Call inside a transaction."""
    order_id = production_order_queryset(actor).filter(pk=_int_or_none(production_order_id)).values_list(
        "sales_order_id", flat=True).first()
    if order_id is None:
        raise Http404("No such production order.")
    order = lock_order(actor, order_id)
    production_order = (ProductionOrder.objects.select_for_update(of=("self",))
                        .select_related("supplier", "sales_order__customer", "currency")
                        .prefetch_related("lines__order_line__product", "lines__order_line__cells")
                        .get(pk=production_order_id))
    production_order.sales_order = order
    return order, production_order


def _order_note(*, actor: User, order: SalesOrder, production_order: ProductionOrder, message: str,
                reason: str = "", verb: str = Event.Verb.NOTE) -> Event:
    """The production order's step on the sales order's timeline."""
    return event_record(actor=actor, obj=order, verb=verb, reason=reason,
                        message=_("Production order %(po)s (%(supplier)s): %(what)s") % {
                            "po": production_order.number, "supplier": production_order.supplier.code,
                            "what": message})


def _status_label(value: str) -> str:
    return str(P(value).label)


# --- creation ----------------------------------------------------------------------------


def _supplier_recipients(supplier: Supplier, order: SalesOrder) -> str:
    addresses = [supplier.email, getattr(order.merchandiser, "email", "")]
    return "\n".join(dict.fromkeys(a for a in addresses if a))


def _create(*, actor: User, order: SalesOrder, assignments: list[dict]) -> list[ProductionOrder]:
    """Create one draft production order per assignment ``{"supplier", "due_date", "lines": {line_id: qty}}``;
    refused when a quantity is more than the order line still needs. Call holding the order lock."""
    if not assignments:
        msg = _("Choose the workshop or factory that will make the goods.")
        raise ValidationFailed(msg, fields={"supplier": msg})
    order_lines = {line.pk: line for line in order.lines.select_related("product")}
    already = allocated_quantities(order)
    created = []
    for index, assignment in enumerate(assignments):
        supplier = assignment.get("supplier")
        if not isinstance(supplier, Supplier) or supplier.kind not in PRODUCING_KINDS or not supplier.is_active:
            msg = _("Production goes to an active own workshop or outsourced factory.")
            raise ValidationFailed(msg, fields={"supplier": msg})
        due = assignment.get("due_date")
        if not isinstance(due, dt.date) or due < timezone.localdate():
            msg = _("Give a due date that is not in the past.")
            raise ValidationFailed(msg, fields={"due_date": msg})
        wanted = assignment.get("lines") or {pk: line.quantity - already.get(pk, 0) for pk, line in order_lines.items()}
        rows = []
        for line_id, raw_qty in wanted.items():
            line = order_lines.get(_int_or_none(line_id))
            if line is None:
                msg = _("Line %(id)s is not on this order.") % {"id": line_id}
                raise ValidationFailed(msg, fields={"lines": msg})
            qty = _quantity(raw_qty, line.line_no)
            if qty == 0:  # this line is not given to this workshop / factory
                continue
            _check_allocation(line, qty, already.get(line.pk, Decimal(0)))
            already[line.pk] = already.get(line.pk, 0) + qty
            rows.append((line, qty))
        if not rows:
            raise ValidationFailed(_("Assignment %(n)d has no quantity to produce.") % {"n": index + 1})
        kind = PRODUCING_KINDS[supplier.kind]
        currency = "CNY" if kind == ProductionOrder.Kind.OUTSOURCED else None
        production_order = ProductionOrder.objects.create(
            number=number_next(code="production_order"), sales_order=order, supplier=supplier, kind=kind,
            due_date=due, created_by=actor, currency_id=currency, notes=assignment.get("notes", ""),
            sign_off=list(DEFAULT_SIGN_OFF), copy_to=list(DEFAULT_COPY_TO),
            email_to=_supplier_recipients(supplier, order))
        lines = []
        for line, qty in rows:
            product = line.product
            lines.append(ProductionOrderLine(
                production_order=production_order, order_line=line, quantity=qty,
                spec=getattr(product, "spec", "") or "", surface_finish=getattr(product, "surface_finish", "") or "",
                packing_requirements=order.packing_requirements, quality_requirements=order.special_requirements))
        ProductionOrderLine.objects.bulk_create(lines)
        event_record(actor=actor, obj=production_order, verb=Event.Verb.CREATED,
                     message=_("Released from %(order)s") % {"order": order})
        created.append(production_order)
    return created


def _quantity(raw, line_no: int) -> Decimal:
    field = f"lines[{line_no - 1}].quantity"
    try:
        qty = to_decimal(raw if raw not in (None, "") else "0")
    except MoneyError:
        msg = _("Line %(n)d: enter a number.") % {"n": line_no}
        raise ValidationFailed(msg, fields={field: msg}) from None
    if qty < 0:
        msg = _("Line %(n)d: the quantity may not be negative.") % {"n": line_no}
        raise ValidationFailed(msg, fields={field: msg})
    return qty


def _check_allocation(line, qty: Decimal, already: Decimal) -> None:
    """Refuse giving ``qty`` of order line ``line`` to production when ``already`` is allocated."""
    left = line.quantity - already
    if qty > left:
        msg = _("Line %(n)d: %(qty)s is more than the %(left)s still to be allocated (ordered %(ordered)s). "
                "More than ordered needs a change order.") % {
            "n": line.line_no, "qty": qty, "left": left, "ordered": line.quantity}
        raise ValidationFailed(msg, fields={f"lines[{line.line_no - 1}].quantity": msg}, code="over_allocated")


def production_orders_create_from_release(*, actor: User, order, assignments: list[dict]) -> list[ProductionOrder]:
    """Create one draft production order per assignment ``{"supplier", "due_date", "lines": {line_id: qty}}``.

    An assignment without ``lines`` takes every line's whole open quantity. Refused: no
    assignment, a supplier that does not produce (forwarder, courier, material supplier),
    a due date in the past, quantities ≤ 0, or more than the order line still needs.
    Call inside the transaction holding the sales order lock.
    """
    return _create(actor=actor, order=order, assignments=assignments)


def production_order_add(*, actor: User, order_id: int, supplier: Supplier, due_date: dt.date,
                         lines: Mapping[int, object] | None = None, notes: str = "",
                         expected_version: int | None = None) -> ProductionOrder:
    """Add a production order for quantity of an order in production that no production order
    holds yet (a second factory, a line released later). ``lines`` maps order line ids to
    quantities; without it the whole unallocated quantity is taken. More than ordered is refused:
    that needs a change order."""
    require(actor, "production.add_productionorder")
    with transaction.atomic():
        order = lock_order(actor, order_id)
        _require_owner(actor, order)
        check_version(order, expected_version)
        allocated = allocated_quantities(order)
        unallocated = {line.pk: line.quantity - allocated.get(line.pk, 0) for line in order.lines.all()}
        refuse(rules.add_check(order, unallocated))
        [production_order] = _create(actor=actor, order=order, assignments=[
            {"supplier": supplier, "due_date": due_date, "lines": dict(lines or {}), "notes": notes}])
        _order_note(actor=actor, order=order, production_order=production_order, message=_("added (draft)"))
        order_refresh_substates(order, actor=actor)
    return production_order


# --- editing the draft -------------------------------------------------------------------

HEADER_FIELDS = ["due_date", "document", "sign_off", "copy_to", "email_to", "notes"]
LINE_TEXT_FIELDS = ["spec", "surface_finish", "packing_requirements", "quality_requirements"]


def _clean_departments(values, field: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in Department.values]
    if unknown:
        msg = _("Unknown department: %(d)s.") % {"d": ", ".join(map(str, unknown))}
        raise ValidationFailed(msg, fields={field: msg})
    return [d for d in Department.values if d in values]  # the usual order, no repeats


def _clean_emails(text: str) -> str:
    addresses = [a.strip() for a in str(text or "").replace(",", "\n").replace(";", "\n").splitlines() if a.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            msg = _("“%(address)s” is not an email address.") % {"address": address[:80]}
            raise ValidationFailed(msg, fields={"email_to": msg}) from None
    return "\n".join(dict.fromkeys(addresses))


def _clean_header(production_order: ProductionOrder, data: Mapping) -> dict:
    clean = {}
    if "due_date" in data:
        due = data["due_date"]
        if not isinstance(due, dt.date) or due < timezone.localdate():
            msg = _("Give a due date that is not in the past.")
            raise ValidationFailed(msg, fields={"due_date": msg})
        clean["due_date"] = due
    if "document" in data:
        if data["document"] not in ProductionOrder.Document.values:
            msg = _("Choose the kind of document.")
            raise ValidationFailed(msg, fields={"document": msg})
        clean["document"] = data["document"]
    for field in ("sign_off", "copy_to"):
        if field in data:
            clean[field] = _clean_departments(data[field], field)
    if "email_to" in data:
        clean["email_to"] = _clean_emails(data["email_to"])
    if "notes" in data:
        clean["notes"] = str(data["notes"] or "").strip()
    return clean


def _clean_line(production_order: ProductionOrder, line: ProductionOrderLine, values: Mapping,
                allocated: Mapping[int, Decimal]) -> dict:
    n = line.order_line.line_no
    clean: dict = {}
    if "quantity" in values:
        qty = _quantity(values["quantity"], n)
        if qty == 0:
            msg = _("Line %(n)d: a production order line needs a quantity; cancel the order to give none.") % {"n": n}
            raise ValidationFailed(msg, fields={f"lines[{n - 1}].quantity": msg})
        # What other production orders hold of this order line, plus the new quantity.
        _check_allocation(line.order_line, qty, allocated.get(line.order_line_id, Decimal(0)) - line.quantity)
        clean["quantity"] = qty
    if "unit_cost" in values:
        raw = values["unit_cost"]
        if raw in (None, ""):
            clean["unit_cost"] = None
        else:
            try:
                cost = to_decimal(raw)
            except MoneyError:
                cost = None
            if cost is None or cost < 0 or cost != cost.quantize(Decimal("0.0001")):
                msg = _("Line %(n)d: the unit cost is a number ≥ 0 with at most 4 decimals.") % {"n": n}
                raise ValidationFailed(msg, fields={f"lines[{n - 1}].unit_cost": msg})
            clean["unit_cost"] = cost
    for field in LINE_TEXT_FIELDS:
        if field in values:
            limit = ProductionOrderLine._meta.get_field(field).max_length or 2000
            clean[field] = str(values[field] or "").strip()[:limit]
    return clean


def production_order_update(*, actor: User, production_order_id: int, data: Mapping | None = None,
                            lines: Mapping[int, Mapping] | None = None,
                            expected_version: int | None = None) -> ProductionOrder:
    """Edit a draft: due date, document kind, sign-off, distribution, notes, and per line
    (``{production_order_line_id: {...}}``) quantity, unit cost, spec, surface finish, packing
    and quality requirements. Amounts are recomputed (quantity × unit cost, rounded per line;
    total = sum of the lines). A stale version is refused with 409."""
    require(actor, CHANGE)
    with transaction.atomic():
        order, production_order = _lock(actor, production_order_id)
        _require_owner(actor, order)
        check_version(production_order, expected_version)
        refuse(rules.edit_check(production_order))
        header = _clean_header(production_order, data or {})
        by_id = {line.pk: line for line in production_order.lines.all()}
        allocated = allocated_quantities(order)
        line_changes: list[tuple[ProductionOrderLine, dict]] = []
        for raw_id, values in (lines or {}).items():
            line = by_id.get(_int_or_none(raw_id))
            if line is None:
                msg = _("Line %(id)s is not on this production order.") % {"id": raw_id}
                raise ValidationFailed(msg, fields={"lines": msg})
            line_changes.append((line, _clean_line(production_order, line, values, allocated)))

        changes: dict[str, dict[str, str]] = {}
        for field, new in header.items():
            old = getattr(production_order, field)
            if old != new and not (isinstance(new, list) and set(old) == set(new)):
                changes[field] = {"old": _show(old), "new": _show(new)}
                setattr(production_order, field, new)
        currency = production_order.currency_id or "CNY"
        for line, values in line_changes:
            for field, new in values.items():
                old = getattr(line, field)
                if old != new:
                    changes[f"line {line.order_line.line_no} {field}"] = {"old": _show(old), "new": _show(new)}
                    setattr(line, field, new)
            line.amount = line_amount(line.quantity, line.unit_cost, currency) if line.unit_cost is not None \
                else Decimal(0)
            line.save(update_fields=["quantity", "unit_cost", "amount", *LINE_TEXT_FIELDS])
        total = sum_amounts([line.amount for line in by_id.values()], currency)
        if total != production_order.total_cost:
            changes["total_cost"] = {"old": _show(production_order.total_cost), "new": _show(total)}
            production_order.total_cost = total
        if not changes:
            return production_order
        production_order.version += 1
        production_order.save(update_fields=[*HEADER_FIELDS, "total_cost", "version", "updated_at"])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.UPDATED, changes=changes)
    return production_order


def _show(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(Department(v).label) for v in value)
    if value is None:
        return ""
    return str(value)


# --- transitions -------------------------------------------------------------------------


def _transition(*, actor: User, production_order_id: int, to: str | None, check: Callable[[ProductionOrder], Check],
                expected_version: int | None, reason: str = "", perm: str = CHANGE,
                apply: Callable[[SalesOrder, ProductionOrder], list[str]] | None = None,
                after: Callable[[SalesOrder, ProductionOrder, Event], None] | None = None) -> ProductionOrder:
    """Lock, check version and guard, move ``status → to`` (``None``: to where ``apply`` put it),
    record the events, recompute the order's production status, then ``after`` (T&A hooks)."""
    require(actor, perm)
    with transaction.atomic():
        order, production_order = _lock(actor, production_order_id)
        _require_owner(actor, order)
        check_version(production_order, expected_version)
        refuse(check(production_order))
        old = production_order.status
        fields = apply(order, production_order) if apply else []
        new = to or production_order.status
        production_order.status = old
        check_transition(production_order, new)
        production_order.status = new
        production_order.version += 1
        production_order.save(update_fields=["status", "version", "updated_at", *fields])
        event = event_record(actor=actor, obj=production_order, verb=Event.Verb.STATE_CHANGED, reason=reason,
                             changes={"status": {"old": old, "new": new}})
        _order_note(actor=actor, order=order, production_order=production_order, reason=reason,
                    message=f"{_status_label(old)} → {_status_label(new)}")
        order_refresh_substates(order, actor=actor)
        if after:
            after(order, production_order, event)
    return production_order


def production_order_issue(*, actor: User, production_order_id: int,
                           expected_version: int | None = None) -> ProductionOrder:
    """Issue the draft: its PDF (numbered by the production order no., Chinese, amounts in 大写)
    is stored and, after commit, emailed to the distribution list."""
    from gendan.production.pdf import render_production_order

    def apply(order, production_order) -> list[str]:
        production_order.issued_at = timezone.now()
        production_order.issued_by = actor
        production_order.email_sent_at, production_order.email_error = None, ""
        pdf = render_production_order(production_order=production_order)
        production_order.pdf.save(f"{production_order.number}.pdf", ContentFile(pdf), save=False)
        return ["issued_at", "issued_by", "pdf", "email_sent_at", "email_error"]

    def after(order, production_order, event) -> None:
        transaction.on_commit(lambda: production_order_email(production_order_id=production_order.pk))

    return _transition(actor=actor, production_order_id=production_order_id, to=P.ISSUED, check=rules.issue_check,
                       expected_version=expected_version, apply=apply, after=after)


def production_order_email(*, production_order_id: int) -> None:
    """Email the issued PDF to the distribution list (after commit; a sent one is not re-sent).
    A failure is recorded on the production order and shown on its page."""
    production_order = ProductionOrder.objects.select_related("sales_order", "supplier").get(pk=production_order_id)
    if production_order.email_sent_at or not production_order.pdf:
        return
    title = production_order.title_zh
    body = "\n".join([
        f"{production_order.supplier.name_zh or production_order.supplier.display_name}：",
        "",
        f"附件为{title} {production_order.number}（订单 {production_order.sales_order.number}），"
        f"交期 {production_order.due_date:%Y-%m-%d}。",
        "请确认回签并告知承诺交期。",
        "",
        str(settings.GENDAN_COMPANY_NAME.get("zh-hans", settings.GENDAN_COMPANY_NAME["en"])),
    ])
    email = EmailMessage(subject=f"{title} {production_order.number}", body=body,
                         to=production_order.email_recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    with production_order.pdf.open("rb") as fh:
        email.attach(f"{production_order.number}.pdf", fh.read(), "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: the order stays issued, the page shows the error
        log.warning("production order %s: email failed: %s", production_order.pk, exc)
        ProductionOrder.objects.filter(pk=production_order.pk).update(email_error=str(exc)[:300])
        return
    ProductionOrder.objects.filter(pk=production_order.pk).update(email_sent_at=timezone.now(), email_error="")


def production_order_accept(*, actor: User, production_order_id: int, committed_due_date: dt.date,
                            expected_version: int | None = None) -> ProductionOrder:
    """The factory (or workshop) accepts the order and commits to a due date; the T&A plan's
    production-finished forecast moves to the latest committed date of the order."""
    if not isinstance(committed_due_date, dt.date) or committed_due_date < timezone.localdate():
        msg = _("Give the due date the factory committed to (not in the past).")
        raise ValidationFailed(msg, fields={"committed_due_date": msg})

    def apply(order, production_order) -> list[str]:
        production_order.committed_due_date = committed_due_date
        return ["committed_due_date"]

    def after(order, production_order, event) -> None:
        latest = (order.production_orders.exclude(status=P.CANCELLED).exclude(committed_due_date=None)
                  .aggregate(d=Max("committed_due_date"))["d"])
        milestone_forecast(order=order, key=Milestone.PRODUCTION_FINISHED, actor=actor, on=latest,
                           reason=_("%(supplier)s committed to %(date)s for production order %(po)s") % {
                               "supplier": production_order.supplier.code, "date": committed_due_date,
                               "po": production_order.number})

    return _transition(actor=actor, production_order_id=production_order_id, to=P.ACCEPTED, check=rules.accept_check,
                       expected_version=expected_version, apply=apply, after=after)


def production_order_start(*, actor: User, production_order_id: int,
                           expected_version: int | None = None) -> ProductionOrder:
    """Mass production starts: refused by the first-article rule (quality) unless a manager
    overrode it. The first production order of the order to start completes the T&A milestone."""

    def apply(order, production_order) -> list[str]:
        production_order.started_at = timezone.now()
        return ["started_at"]

    def after(order, production_order, event) -> None:
        others = order.production_orders.exclude(pk=production_order.pk).exclude(started_at=None)
        if not others.exists():
            milestone_reached(order=order, key=Milestone.PRODUCTION_STARTED, actor=actor, event=event)

    return _transition(actor=actor, production_order_id=production_order_id, to=P.IN_PRODUCTION,
                       check=rules.start_check, expected_version=expected_version, apply=apply, after=after)


def production_order_override_first_article(*, actor: User, production_order_id: int, reason: str,
                                            expected_version: int | None = None) -> ProductionOrder:
    """A manager lets production start without the approved first article, with a written reason."""
    require(actor, "production.override_first_article")
    reason = _reason(reason, _("overriding the first-article rule"))
    with transaction.atomic():
        order, production_order = _lock(actor, production_order_id)
        check_version(production_order, expected_version)
        refuse(rules.override_first_article_check(production_order))
        production_order.first_article_override = True
        production_order.first_article_override_reason = reason
        production_order.version += 1
        production_order.save(update_fields=["first_article_override", "first_article_override_reason", "version",
                                             "updated_at"])
        message = _("first-article rule overridden by %(user)s") % {"user": actor}
        event_record(actor=actor, obj=production_order, verb=Event.Verb.OVERRIDE, reason=reason, message=message,
                     changes={"first_article_override": {"old": "0", "new": "1"}})
        _order_note(actor=actor, order=order, production_order=production_order, message=message, reason=reason,
                    verb=Event.Verb.OVERRIDE)
    return production_order


def production_order_finish(*, actor: User, production_order_id: int, reason: str = "",
                            expected_version: int | None = None) -> ProductionOrder:
    """Production is finished: every line produced, or — by a manager or planner — short of the
    quantity with a reason. When every production order of the order is finished, so is the
    order's production (T&A milestone)."""
    short_reason = (reason or "").strip()

    def check(production_order) -> Check:
        result = rules.finish_check(production_order)
        if result or result.code != "short_production":
            return result
        if not actor.has_perm("production.finish_short"):
            raise NotAllowed(result.reason + " " + _("Only a manager or the production planner may finish short."))
        _reason(short_reason, _("finishing short of the quantity"))
        return Check(True)

    def apply(order, production_order) -> list[str]:
        production_order.finished_at = timezone.now()
        short = rules.short_lines(production_order)
        production_order.status_reason = (_("Finished short (%(lines)s): %(reason)s") % {
            "lines": "; ".join(short), "reason": short_reason})[:300] if short else ""
        return ["finished_at", "status_reason"]

    def after(order, production_order, event) -> None:
        if order.production_status == SalesOrder.ProductionStatus.FINISHED:
            milestone_reached(order=order, key=Milestone.PRODUCTION_FINISHED, actor=actor, event=event)

    return _transition(actor=actor, production_order_id=production_order_id, to=P.FINISHED, check=check,
                       expected_version=expected_version, apply=apply, after=after,
                       reason=short_reason if short_reason else "")


def production_order_close(*, actor: User, production_order_id: int,
                           expected_version: int | None = None) -> ProductionOrder:
    """Close a finished production order (goods handed over, the factory's account settled)."""
    return _transition(actor=actor, production_order_id=production_order_id, to=P.CLOSED, check=rules.close_check,
                       expected_version=expected_version)


def production_order_hold(*, actor: User, production_order_id: int, reason: str,
                          expected_version: int | None = None) -> ProductionOrder:
    """Put an issued, accepted or running production order on hold, with a reason; it resumes
    to the state it was held from."""
    reason = _reason(reason, _("putting the production order on hold"))

    def apply(order, production_order) -> list[str]:
        production_order.held_from = production_order.status
        production_order.status_reason = reason
        return ["held_from", "status_reason"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.ON_HOLD, check=rules.hold_check,
                       expected_version=expected_version, reason=reason, apply=apply)


def production_order_resume(*, actor: User, production_order_id: int,
                            expected_version: int | None = None) -> ProductionOrder:
    """Resume a production order on hold to where it was."""

    def apply(order, production_order) -> list[str]:
        production_order.status = production_order.held_from or P.ISSUED
        production_order.held_from = ""
        production_order.status_reason = ""
        return ["held_from", "status_reason"]

    return _transition(actor=actor, production_order_id=production_order_id, to=None, check=rules.resume_check,
                       expected_version=expected_version, apply=apply)


def production_order_cancel(*, actor: User, production_order_id: int, reason: str,
                            expected_version: int | None = None) -> ProductionOrder:
    """Cancel a production order on which nothing is produced yet, with a reason; its quantity
    becomes free to allocate to another production order."""
    reason = _reason(reason, _("cancelling the production order"))

    def apply(order, production_order) -> list[str]:
        production_order.status_reason = reason
        production_order.held_from = ""
        return ["status_reason", "held_from"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.CANCELLED,
                       check=rules.cancel_check, expected_version=expected_version, reason=reason, apply=apply)


# --- what the sales order sends ----------------------------------------------------------


def production_orders_flag_change(*, actor: User, order, revision, line_nos: set[int], all_lines: bool
                                  ) -> list[ProductionOrder]:
    """Flag every open production order that makes a changed line (or all of them when the
    change is in the order's header, e.g. the ex-factory date)."""
    qs = ProductionOrder.objects.filter(sales_order=order, status__in=OPEN)
    if not all_lines:
        touched = ProductionOrderLine.objects.filter(order_line__order=order, order_line__line_no__in=line_nos)
        qs = qs.filter(pk__in=touched.values("production_order_id"))
    flagged = []
    for production_order in qs.select_for_update():
        production_order.change_flag = _("Order revision %(n)d changed: %(reason)s") % {
            "n": revision.revision_no, "reason": revision.reason}
        production_order.change_revision_no = revision.revision_no
        production_order.version += 1
        production_order.save(update_fields=["change_flag", "change_revision_no", "version", "updated_at"])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.NOTE, reason=revision.reason,
                     message=production_order.change_flag)
        flagged.append(production_order)
    return flagged


def production_orders_cancel_for_order(*, actor: User, order, reason: str) -> list[ProductionOrder]:
    """Cancel the open production orders of a cancelled sales order. Call holding the order lock."""
    cancelled = []
    for production_order in ProductionOrder.objects.select_for_update().filter(sales_order=order, status__in=OPEN):
        old = production_order.status
        production_order.status = P.CANCELLED
        production_order.status_reason = reason[:300]
        production_order.version += 1
        production_order.save(update_fields=["status", "status_reason", "version", "updated_at"])
        event_record(actor=actor, obj=production_order, verb=Event.Verb.STATE_CHANGED, reason=reason,
                     changes={"status": {"old": old, "new": P.CANCELLED}})
        cancelled.append(production_order)
    return cancelled

