"""Quotations (报价单): draft → sent → accepted / rejected / expired. An accepted quotation
becomes a draft sales order in the same action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import TransitionNotAllowed, ValidationFailed
from gendan.core.events import event_record
from gendan.core.models import Event
from gendan.core.money import MoneyError, to_decimal
from gendan.core.numbering import number_next
from gendan.core.services import check_version, full_clean_or_raise
from gendan.parties.selectors import customer_get_for_user
from gendan.sales.models import Quotation, QuotationLine, SalesOrder
from gendan.sales.selectors import quotation_queryset
from gendan.sales.services.lines import clean_lines
from gendan.sales.services.orders import _currency, require

Q = Quotation.Status
HEADER = ["currency", "incoterm", "incoterm_place", "payment_method", "deposit_percent", "payment_days",
          "payment_terms_note", "quoted_on", "valid_until", "packing", "notes"]


def _lock(actor: User, pk: int) -> Quotation:
    try:
        return quotation_queryset(actor).select_for_update(of=("self",)).get(pk=pk)
    except (Quotation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such quotation.") from None


def _apply(quotation: Quotation, data: Mapping[str, Any]) -> None:
    for name in HEADER:
        if name in data:
            if name == "currency":
                quotation.currency = _currency(data[name])
            else:
                setattr(quotation, name, data[name])
    if quotation.valid_until and quotation.quoted_on and quotation.valid_until < quotation.quoted_on:
        msg = _("The validity date cannot be before the quotation date.")
        raise ValidationFailed(msg, fields={"valid_until": msg})


def _write_lines(quotation: Quotation, lines: list[dict]) -> None:
    clean, total = clean_lines(lines, currency=quotation.currency_id)
    for line in clean:
        cost = line.extra.get("factory_cost")
        if cost in (None, ""):
            line.extra["factory_cost"] = None
            continue
        field = f"lines[{line.line_no - 1}].factory_cost"
        try:
            cost = to_decimal(cost)
        except MoneyError:
            msg = _("Line %(n)d: factory cost must be a number.") % {"n": line.line_no}
            raise ValidationFailed(msg, fields={field: msg}) from None
        if cost < 0:
            msg = _("Line %(n)d: factory cost may not be negative.") % {"n": line.line_no}
            raise ValidationFailed(msg, fields={field: msg})
        line.extra["factory_cost"] = cost
    quotation.total_amount = total
    quotation.save()
    quotation.lines.all().delete()
    QuotationLine.objects.bulk_create([
        QuotationLine(quotation=quotation, line_no=ln.line_no, product=ln.product, variant=ln.extra.get("variant"),
                      description=ln.description, quantity=ln.quantity, unit=ln.unit, unit_price=ln.unit_price,
                      amount=ln.amount, factory_cost=ln.extra.get("factory_cost") or None,
                      cost_supplier=ln.extra.get("cost_supplier"))
        for ln in clean
    ])


def quotation_create(*, actor: User, customer_id: int, data: Mapping[str, Any], lines: list[dict]) -> Quotation:
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
    _apply(quotation, data)
    with transaction.atomic():
        quotation.number = number_next(code="quotation")
        full_clean_or_raise(quotation)
        quotation.save()
        _write_lines(quotation, lines)
        event_record(actor=actor, obj=quotation, verb=Event.Verb.CREATED)
    return quotation


def quotation_update(*, actor: User, quotation_id: int, data: Mapping[str, Any], lines: list[dict] | None,
                     expected_version: int | None) -> Quotation:
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        check_version(quotation, expected_version)
        if quotation.status != Q.DRAFT:
            raise ValidationFailed(_("Only a draft quotation can be edited."), code="not_editable")
        _apply(quotation, data)
        full_clean_or_raise(quotation)
        quotation.version += 1
        quotation.save()
        if lines is not None:
            _write_lines(quotation, lines)
        event_record(actor=actor, obj=quotation, verb=Event.Verb.UPDATED)
    return quotation


def _transition(quotation: Quotation, allowed_from: set[str], to: str) -> str:
    if quotation.status not in allowed_from:
        raise TransitionNotAllowed(_("A “%(current)s” quotation cannot become “%(target)s”.")
                                   % {"current": quotation.get_status_display(), "target": Q(to).label})
    old = quotation.status
    quotation.status = to
    return old


def quotation_send(*, actor: User, quotation_id: int) -> Quotation:
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        if not quotation.lines.exists():
            raise ValidationFailed(_("A quotation needs at least one line."))
        old = _transition(quotation, {Q.DRAFT}, Q.SENT)
        quotation.sent_at = timezone.now()
        quotation.save()
        event_record(actor=actor, obj=quotation, verb=Event.Verb.STATE_CHANGED,
                     changes={"status": {"old": old, "new": Q.SENT}})
    return quotation


def quotation_accept(*, actor: User, quotation_id: int, customer_po_no: str, customer_po_date: dt.date,
                     ex_factory_date: dt.date, note: str = "") -> SalesOrder:
    """The customer accepted: create the draft sales order from the quotation in one step."""
    from gendan.sales.services.orders import order_create

    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        if quotation.status == Q.SENT and quotation.valid_until < timezone.localdate():
            raise ValidationFailed(_("This quotation expired on %(date)s; send a new one.")
                                   % {"date": quotation.valid_until}, code="quotation_expired")
        old = _transition(quotation, {Q.SENT}, Q.ACCEPTED)
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
        })
        event_record(actor=actor, obj=quotation, verb=Event.Verb.STATE_CHANGED,
                     changes={"status": {"old": old, "new": Q.ACCEPTED}},
                     message=_("Sales order created (draft #%(id)s)") % {"id": order.pk})
    return order


def quotation_reject(*, actor: User, quotation_id: int, note: str = "") -> Quotation:
    require(actor, "sales.change_quotation")
    with transaction.atomic():
        quotation = _lock(actor, quotation_id)
        old = _transition(quotation, {Q.SENT}, Q.REJECTED)
        quotation.decided_at, quotation.decision_note = timezone.now(), note
        quotation.save()
        event_record(actor=actor, obj=quotation, verb=Event.Verb.STATE_CHANGED, reason=note,
                     changes={"status": {"old": old, "new": Q.REJECTED}})
    return quotation


def quotations_expire(*, today: dt.date | None = None) -> int:
    """Mark sent quotations past their validity date as expired (run daily). Returns the count."""
    today = today or timezone.localdate()
    count = 0
    for pk in Quotation.objects.filter(status=Q.SENT, valid_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            quotation = Quotation.objects.select_for_update().get(pk=pk)
            if quotation.status != Q.SENT:
                continue
            quotation.status = Q.EXPIRED
            quotation.save(update_fields=["status", "updated_at"])
            event_record(actor=None, obj=quotation, verb=Event.Verb.STATE_CHANGED,
                         changes={"status": {"old": Q.SENT, "new": Q.EXPIRED}},
                         message=_("validity date %(date)s passed") % {"date": quotation.valid_until})
            count += 1
    return count
