"""Quotations (报价单): draft → sent → accepted / rejected / expired (``sales.workflows.QUOTATION``,
docs/workflows/quotation.md). An accepted quotation becomes a draft sales order in the same
action. Each transition publishes its event (``sales.events``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import OK, Check, no, parse_date, refuse, require
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import full_clean_or_raise, lock_row
from gendan.parties.selectors import customer_get_for_user
from gendan.sales.errors import QuotationError
from gendan.sales.events import QuotationAccepted, QuotationExpired, QuotationRejected, QuotationSent
from gendan.sales.models import Quotation, QuotationLine, SalesOrder
from gendan.sales.selectors import quotation_queryset
from gendan.sales.services.lines import MAX_UNIT_PRICE, PRICE_PLACES, CleanLine, collect_lines
from gendan.sales.services.orders import _currency, collect, order_create
from gendan.sales.workflows import QUOTATION

Q = Quotation.Status
HEADER = ["currency", "incoterm", "incoterm_place", "payment_method", "deposit_percent", "payment_days",
          "payment_terms_note", "quoted_on", "valid_until", "packing", "notes"]


def _lock(actor: User, pk: int, *, expected_version: int | None = None) -> Quotation:
    return lock_row(quotation_queryset(actor), pk, expected_version=expected_version, not_found="No such quotation.")


# --- guards (the page shows a button when its guard allows; the service checks again) ------


def quotation_edit_check(quotation: Quotation) -> Check:
    """A quotation's lines and terms may change until it is sent."""
    if not QUOTATION.can(quotation, Q.SENT):
        return no(QuotationError.NOT_EDITABLE, _("Only a draft quotation can be edited."))
    return OK


def quotation_send_check(quotation: Quotation) -> Check:
    return QUOTATION.check(quotation, Q.SENT)


def quotation_decide_check(quotation: Quotation) -> Check:
    """May the customer's answer (accepted / rejected) be recorded?"""
    return QUOTATION.check(quotation, Q.ACCEPTED)


def quotation_accept_check(quotation: Quotation, *, today: dt.date | None = None) -> Check:
    check = QUOTATION.check(quotation, Q.ACCEPTED)
    if check and quotation.valid_until < (today or timezone.localdate()):
        return no(QuotationError.QUOTATION_EXPIRED, _("This quotation expired on %(date)s; send a new one.")
                  % {"date": quotation.valid_until})
    return check


def _apply(quotation: Quotation, data: Mapping[str, Any], errors: FieldErrors) -> None:
    """Set the header fields found in ``data``; each wrong one is added to ``errors``."""
    for name in HEADER:
        if name in data:
            if name == "currency":
                try:
                    quotation.currency = _currency(data[name])
                except ValidationFailed as exc:
                    collect(errors, exc)
            else:
                setattr(quotation, name, data[name])
    dates_ok = True
    for name in ("quoted_on", "valid_until"):
        if name in data:  # 0001-01-01 or 9999-12-31 are refused, as everywhere (2000–2099)
            try:
                setattr(quotation, name, parse_date(getattr(quotation, name), field=name))
            except ValidationFailed as exc:
                collect(errors, exc)
                dates_ok = False
    if dates_ok and quotation.valid_until and quotation.quoted_on and quotation.valid_until < quotation.quoted_on:
        errors.add("valid_until", _("The validity date cannot be before the quotation date."),
                   CoreError.DATES_OUT_OF_ORDER)


def _check_costs(clean: list[CleanLine], errors: FieldErrors) -> None:
    """The factory cost of each line: blank, or a number ≥ 0 within a unit price's bounds."""
    for line in clean:
        cost = line.extra.get("factory_cost")
        if cost in (None, ""):
            line.extra["factory_cost"] = None
            continue
        field = f"lines[{line.line_no - 1}].factory_cost"
        try:
            cost = to_decimal(cost)
        except MoneyError:
            errors.add(field, _("Line %(n)d: factory cost must be a number.") % {"n": line.line_no})
            continue
        if cost < 0:
            errors.add(field, _("Line %(n)d: factory cost may not be negative.") % {"n": line.line_no})
        elif cost > MAX_UNIT_PRICE or cost != cost.quantize(Decimal(1).scaleb(-PRICE_PLACES)):
            errors.add(field, _("Line %(n)d: factory cost must be at most %(max)s with at most %(places)d "
                                "decimals.") % {
                "n": line.line_no, "max": number_format(MAX_UNIT_PRICE, use_l10n=True, force_grouping=True),
                "places": PRICE_PLACES})
        else:
            line.extra["factory_cost"] = cost


def _check(quotation: Quotation, data: Mapping[str, Any], lines: list[dict] | None, *,
           exclude: list[str] | None = None) -> list[CleanLine] | None:
    """Check the header and every line (and its cost) at once: one ``ValidationFailed`` naming
    every wrong field, the header's first. Sets the total; returns the clean lines."""
    errors, line_errors = FieldErrors(), FieldErrors()
    _apply(quotation, data, errors)
    clean = None
    if lines is not None:
        clean, total = collect_lines(lines, currency=quotation.currency_id, errors=line_errors)
        _check_costs(clean, line_errors)
        quotation.total_amount = total
    try:
        full_clean_or_raise(quotation, exclude=exclude)
    except ValidationFailed as exc:
        collect(errors, exc)
    for name, message in line_errors.items():
        errors.add(name, message, line_errors.code)
    errors.raise_any()
    return clean


def _write_lines(quotation: Quotation, clean: list[CleanLine]) -> None:
    quotation.save()
    quotation.lines.all().delete()
    QuotationLine.objects.bulk_create([
        QuotationLine(quotation=quotation, line_no=ln.line_no, product=ln.product, variant=ln.extra.get("variant"),
                      description=ln.description, quantity=ln.quantity, unit=ln.unit, unit_price=ln.unit_price,
                      amount=ln.amount, factory_cost=ln.extra.get("factory_cost") or None,
                      cost_supplier=ln.extra.get("cost_supplier"))
        for ln in clean
    ])


def quotation_create(*, actor: User, customer_id: int, data: Mapping[str, Any], lines: list[dict],
                     validate_only: bool = False) -> Quotation | None:
    """A draft quotation. Every wrong field of the header and the lines is refused at once;
    ``validate_only`` checks and saves nothing."""
    require(actor, "sales.add_quotation")
    customer = customer_get_for_user(user=actor, pk=customer_id)
    today = timezone.localdate()
    quotation = Quotation(
        customer=customer, currency_id=customer.default_currency_id, incoterm=customer.incoterm,
        incoterm_place=customer.incoterm_place, payment_method=customer.payment_method,
        deposit_percent=customer.deposit_percent, payment_days=customer.payment_days,
        payment_terms_note=customer.payment_terms_note, quoted_on=today, valid_until=today + dt.timedelta(days=30),
        salesperson=customer.salesperson, created_by=actor,
    )
    clean = _check(quotation, data, lines, exclude=["number"])
    if validate_only:
        return None
    with transaction.atomic():
        quotation.number = number_next(code="quotation")
        full_clean_or_raise(quotation)
        quotation.save()
        _write_lines(quotation, clean)
        event_record(actor=actor, obj=quotation, verb=Event.Verb.CREATED)
    return quotation


def quotation_update(*, actor: User, quotation_id: int, data: Mapping[str, Any], lines: list[dict] | None,
                     expected_version: int | None, validate_only: bool = False) -> Quotation:
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id, expected_version=expected_version)
        refuse(quotation_edit_check(quotation))
        clean = _check(quotation, data, lines)
        if validate_only:
            return quotation
        quotation.version += 1
        quotation.save()
        if clean is not None:
            _write_lines(quotation, clean)
        event_record(actor=actor, obj=quotation, verb=Event.Verb.UPDATED)
    return quotation


def _status_change(old: str, new: str) -> dict:
    return {"status": {"old": old, "new": new}}


def quotation_send(*, actor: User, quotation_id: int) -> Quotation:
    """Mark the quotation as sent to the customer (draft → sent); it needs a line."""
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        refuse(quotation_send_check(quotation))
        if not quotation.lines.exists():
            raise ValidationFailed(_("A quotation needs at least one line."))
        old = QUOTATION.move(quotation, Q.SENT)
        quotation.sent_at = timezone.now()
        quotation.save()
        publish(QuotationSent(actor=actor, quotation=quotation, changes=_status_change(old, Q.SENT)))
    return quotation


def quotation_accept(*, actor: User, quotation_id: int, customer_po_no: str, customer_po_date: dt.date,
                     ex_factory_date: dt.date, note: str = "") -> SalesOrder:
    """The customer accepted: create the draft sales order from the quotation in one step (sent →
    accepted). Refused after the validity date."""
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        refuse(quotation_accept_check(quotation))
        old = QUOTATION.move(quotation, Q.ACCEPTED)
        quotation.decided_at, quotation.decision_note = timezone.now(), note
        quotation.save()
        lines = [{"product": ln.product, "description": ln.description, "unit": ln.unit,
                  "unit_price": ln.unit_price, "quantity": ln.quantity} for ln in quotation.lines.all()]
        order = order_create(actor=actor, customer_id=quotation.customer_id, lines=lines, quotation=quotation, data={
            "customer_po_no": customer_po_no, "customer_po_date": customer_po_date, "ex_factory_date": ex_factory_date,
            "currency": quotation.currency_id, "incoterm": quotation.incoterm, "incoterm_place": quotation.incoterm_place,
            "payment_method": quotation.payment_method, "deposit_percent": quotation.deposit_percent,
            "payment_days": quotation.payment_days, "payment_terms_note": quotation.payment_terms_note,
            "packing_requirements": quotation.packing,
        # The customer accepted the amounts the quotation showed: no second question here (the
        # quotation page has no place to ask it, and a large amount would block the acceptance).
        }, confirm_large_amount=True)
        publish(QuotationAccepted(actor=actor, quotation=quotation, order=order,
                                  changes=_status_change(old, Q.ACCEPTED)))
    return order


def quotation_reject(*, actor: User, quotation_id: int, note: str = "") -> Quotation:
    """The customer said no (sent → rejected); ``note`` is their answer."""
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        old = QUOTATION.move(quotation, Q.REJECTED)
        quotation.decided_at, quotation.decision_note = timezone.now(), note
        quotation.save()
        publish(QuotationRejected(actor=actor, quotation=quotation, reason=note,
                                  changes=_status_change(old, Q.REJECTED)))
    return quotation


def quotations_expire(*, today: dt.date | None = None) -> int:
    """Mark sent quotations past their validity date as expired (run daily). Returns the count."""
    today = today or timezone.localdate()
    count = 0
    expiring = QUOTATION.sources(Q.EXPIRED)
    for pk in Quotation.objects.filter(status__in=expiring, valid_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            quotation = Quotation.objects.select_for_update().get(pk=pk)
            if not QUOTATION.can(quotation, Q.EXPIRED):  # decided meanwhile
                continue
            old = QUOTATION.move(quotation, Q.EXPIRED)
            quotation.save(update_fields=["status", "updated_at"])
            publish(QuotationExpired(actor=None, quotation=quotation, changes=_status_change(old, Q.EXPIRED)))
            count += 1
    return count
