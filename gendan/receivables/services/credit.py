"""A customer's credit: the limit (额度) finance or a manager sets, the credit hold the last
dunning level (or finance) puts on and only finance lifts, and a manager's approval that lets
one order be confirmed over the limit.

- **credit hold** (``credit_hold_check``, gate on the order's CONFIRM, SHIP and
  RELEASE_ORIGINAL_BL): one query; the refusal names the rule, since when, what is overdue and
  who lifts it.
- **credit limit** (``credit_limit_check``, gate on CONFIRM): the exposure — open instalments of
  the customer's confirmed orders, the part of those orders not yet in an instalment, and this
  order's total — converted to the limit's currency at finance's booked rates (CNY per unit),
  may not exceed the limit unless a manager approved *this* order for at least that exposure
  (``credit_limit_approve``; a second person: not the order's merchandiser nor its creator).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.gates import per_gate_pass
from gendan.core.guards import OK, Check, no, reason_required, refuse, require
from gendan.core.models import Currency, Event
from gendan.core.money import MoneyError, check_precision, format_money, round_money, to_decimal
from gendan.core.services import check_version
from gendan.finance.models import PaymentPlanItem
from gendan.finance.rates import rate_on
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset
from gendan.receivables.errors import CreditError
from gendan.receivables.events_credit import (
    CreditHoldLifted,
    CreditHoldPut,
    CreditLimitApproved,
    CreditLimitSet,
)
from gendan.receivables.models import CreditLimitApproval, CustomerCredit, DunningNotice
from gendan.sales.models import SalesOrder

S = SalesOrder.Status
ZERO = Decimal("0")

SET_LIMIT = "receivables.change_customercredit"  # finance, manager
HOLD = "receivables.hold_customercredit"  # finance
APPROVE = "receivables.add_creditlimitapproval"  # manager
# The largest limit a person may type: beyond it, a typing mistake (and beyond the column).
MAX_LIMIT = Decimal("9999999999999.99")
# A hold the dunning run put on keeps its level here, and is told in the reader's language.
DUNNING_HOLD_PREFIX = "dunning:"


def live_orders_q(prefix: str = "") -> Q:
    """Confirmed orders not cancelled, closed or completed (an order on hold from a confirmed state too)."""
    status = f"{prefix}status"
    return (Q(**{f"{status}__in": [S.CONFIRMED, S.IN_PRODUCTION, S.READY, S.SHIPPED]})
            | (Q(**{status: S.ON_HOLD}) & ~Q(**{f"{prefix}held_from": S.DRAFT})))


def credit_of(customer_id: int, *, lock: bool = False) -> CustomerCredit:
    """The customer's credit row (created on first use); locked when ``lock``."""
    credit, _created = CustomerCredit.objects.get_or_create(customer_id=customer_id)
    if lock:
        credit = CustomerCredit.objects.select_for_update().get(pk=credit.pk)
    return credit


def hold_reason_text(reason: str) -> str:
    """The reason of a hold in the reader's language (a dunning hold keeps only its level)."""
    if reason.startswith(DUNNING_HOLD_PREFIX):
        return _("dunning level %(level)s reached") % {"level": reason[len(DUNNING_HOLD_PREFIX):]}
    return reason


def _overdue_text(overdue: dict | None) -> str:
    if not overdue:
        return "—"
    return ", ".join(format_money(Decimal(str(v)), cur) for cur, v in sorted(overdue.items()))


# --- the credit hold gate ---------------------------------------------------------------------


CREDIT_ROW_FIELDS = ("on_hold", "hold_since", "hold_reason", "credit_limit", "limit_currency_id", "dunning_level",
                     "version")


def credit_row(order: SalesOrder) -> dict | None:
    """The customer's credit as the gates and the order's panel read it: one query, with the latest
    reminder's overdue amounts (None: the customer has no credit row — no limit, never on hold).
    Read once per gate check of an action (``per_gate_pass``): confirming asks the hold, then the limit."""
    row = per_gate_pass(("receivables.credit_row", order.customer_id), lambda: _credit_row(order.customer_id))
    order._receivables_credit_seen = (order.customer_id, row)  # for the page's panel (display only)
    return row


def _credit_row(customer_id: int) -> dict | None:
    latest = DunningNotice.objects.filter(customer_id=OuterRef("customer_id")).order_by("-id")
    row = (CustomerCredit.objects.filter(customer_id=customer_id)
           .annotate(overdue_now=Subquery(latest.values("overdue")[:1]))
           .values("customer_id", "overdue_now", *CREDIT_ROW_FIELDS).first())
    if row is not None and isinstance(row["overdue_now"], str):  # SQLite hands a JSON subquery back as text
        row["overdue_now"] = json.loads(row["overdue_now"])
    return row


def credit_row_seen(order: SalesOrder) -> dict | None:
    """``credit_row`` for a page's panel: the row a gate check of this request already read on
    this order object, else read now. Rules never use it (they read afresh)."""
    seen = getattr(order, "_receivables_credit_seen", None)
    if seen is not None and seen[0] == order.customer_id:
        return seen[1]
    return credit_row(order)


def credit_hold_check(order: SalesOrder) -> Check:
    """Is the order's customer on credit hold? One query (``credit_row``)."""
    row = credit_row(order)
    if row is None or not row["on_hold"]:
        return OK
    since = timezone.localtime(row["hold_since"]).date().isoformat() if row["hold_since"] else "—"
    return no(CreditError.GATE_CREDIT_HOLD, _(
        "Credit hold: the customer is on credit hold since %(since)s (%(reason)s), overdue %(overdue)s; "
        "new orders are not confirmed, goods and original documents not released until finance lifts it."
    ) % {"since": since, "reason": hold_reason_text(row["hold_reason"]), "overdue": _overdue_text(row["overdue_now"])})


def credit_hold_blocked_q() -> Q:
    """Orders whose customer is on credit hold (the order list's "blocked by rule" filter)."""
    return Q(customer__credit__on_hold=True)


# --- exposure and the credit limit gate ---------------------------------------------------------


@dataclass
class Exposure:
    """What the customer would owe if ``order`` were confirmed, in the limit's currency."""

    currency: str
    open_receivables: Decimal = ZERO
    not_invoiced: Decimal = ZERO
    this_order: Decimal = ZERO
    missing_rates: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.open_receivables + self.not_invoiced + self.this_order


def exposure_for(order: SalesOrder, *, limit_currency: str, today: dt.date | None = None) -> Exposure:
    """The customer's exposure with ``order`` confirmed, converted to ``limit_currency`` (two queries
    plus one per foreign currency's rate)."""
    today = today or timezone.localdate()
    per_currency: dict[str, list[Decimal]] = {}
    open_items = (PaymentPlanItem.objects.filter(live_orders_q("order__"), order__customer_id=order.customer_id)
                  .exclude(order_id=order.pk).values("order__currency_id")
                  .annotate(open=Sum(Greatest(F("amount") - F("received_amount"), Value(ZERO),
                                              output_field=DecimalField(max_digits=18, decimal_places=2)))))
    for row in open_items:
        per_currency.setdefault(row["order__currency_id"], [ZERO, ZERO, ZERO])[0] += row["open"] or ZERO
    planned = PaymentPlanItem.objects.filter(order_id=OuterRef("pk")).values("order_id").annotate(
        s=Sum("amount")).values("s")
    orders = (SalesOrder.objects.filter(live_orders_q(), customer_id=order.customer_id).exclude(pk=order.pk)
              .annotate(planned=Coalesce(Subquery(planned), Value(ZERO),
                                         output_field=DecimalField(max_digits=18, decimal_places=2)))
              .values("currency_id", "total_amount", "planned"))
    for row in orders:
        rest = max(row["total_amount"] - row["planned"], ZERO)
        per_currency.setdefault(row["currency_id"], [ZERO, ZERO, ZERO])[1] += rest
    per_currency.setdefault(order.currency_id, [ZERO, ZERO, ZERO])[2] += order.total_amount
    exposure = Exposure(currency=limit_currency)
    target = None
    for currency, (open_amount, rest, this) in per_currency.items():
        if not (open_amount or rest or this):
            continue
        if currency == limit_currency:
            factor = Decimal("1")
        else:
            source = rate_on(currency, today)
            if target is None:
                target = rate_on(limit_currency, today) or Decimal("0")
            if source is None or not target:
                exposure.missing_rates.append(currency if source is None else limit_currency)
                continue
            factor = source / target
        exposure.open_receivables += open_amount * factor
        exposure.not_invoiced += rest * factor
        exposure.this_order += this * factor
    exposure.open_receivables = round_money(exposure.open_receivables, limit_currency)
    exposure.not_invoiced = round_money(exposure.not_invoiced, limit_currency)
    exposure.this_order = round_money(exposure.this_order, limit_currency)
    return exposure


def credit_limit_check(order: SalesOrder) -> Check:
    """May the order be confirmed under its customer's credit limit (or a manager's approval)?"""
    limit = credit_row(order)
    if limit is None or limit["credit_limit"] is None or not limit["limit_currency_id"]:
        return OK
    currency = limit["limit_currency_id"]
    exposure = exposure_for(order, limit_currency=currency)
    if exposure.missing_rates:
        return no(CreditError.GATE_CREDIT_LIMIT, _(
            "Credit limit rule: finance has booked no exchange rate of %(currencies)s, so the exposure cannot be "
            "weighed against the limit of %(limit)s. Finance books the rate first.")
            % {"currencies": ", ".join(sorted(set(exposure.missing_rates))),
               "limit": format_money(limit["credit_limit"], currency)})
    if exposure.total <= limit["credit_limit"]:
        return OK
    approved = (CreditLimitApproval.objects.filter(order_id=order.pk, currency_id=currency,
                                                   exposure__gte=exposure.total).exists())
    if approved:
        return OK
    return no(CreditError.GATE_CREDIT_LIMIT, _(
        "Credit limit rule: confirming takes the customer's exposure to %(exposure)s (open receivables "
        "%(open)s, orders not yet due %(rest)s, this order %(this)s), over the limit of %(limit)s by %(excess)s. "
        "A manager approves this order over the limit, with a reason.")
        % {"exposure": format_money(exposure.total, currency),
           "open": format_money(exposure.open_receivables, currency),
           "rest": format_money(exposure.not_invoiced, currency),
           "this": format_money(exposure.this_order, currency),
           "limit": format_money(limit["credit_limit"], currency),
           "excess": format_money(exposure.total - limit["credit_limit"], currency)})


# --- set the limit ----------------------------------------------------------------------------------


def _customer(actor: User, customer_id: Any) -> Customer:
    from django.http import Http404

    from gendan.core.guards import id_or_zero

    customer = customer_queryset(actor).filter(pk=id_or_zero(customer_id)).first()
    if customer is None:
        raise Http404(_("No such customer."))
    return customer


def parse_limit(value: Any, currency: str | None) -> tuple[Decimal | None, str | None]:
    """A limit typed by a person: empty (no limit), or an amount from 0 with a currency."""
    if value in (None, ""):
        return None, None
    msg = ""
    try:
        amount = to_decimal(value)
    except (MoneyError, ValueError, TypeError):
        amount, msg = None, _("“%(value)s” is not an amount.") % {"value": str(value)[:40]}
    if amount is not None:
        if amount < 0:
            msg = _("A credit limit may not be negative.")
        elif amount > MAX_LIMIT:
            msg = _("A credit limit of more than %(max)s is a typing mistake.") % {"max": f"{MAX_LIMIT:,}"}
    if msg:
        raise ValidationFailed(msg, code=CreditError.CREDIT_LIMIT_INVALID, fields={"credit_limit": msg})
    code = (currency or "").strip().upper()
    if not code or not Currency.objects.filter(code=code, is_active=True).exists():
        msg = _("Choose the currency of the limit.")
        raise ValidationFailed(msg, code=CreditError.CREDIT_LIMIT_INVALID, fields={"limit_currency": msg})
    try:
        amount = check_precision(amount, code)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), code=CreditError.CREDIT_LIMIT_INVALID,
                               fields={"credit_limit": str(exc)}) from None
    return amount, code


def credit_limit_set(*, actor: User, customer_id: Any, credit_limit: Any, currency: str | None = None,
                     expected_version: int | None = None, reason: str = "") -> CustomerCredit:
    """Set (or remove, with an empty amount) the customer's credit limit. Finance or a manager."""
    require(actor, SET_LIMIT, message=_("Only finance or a manager sets a credit limit."))
    amount, code = parse_limit(credit_limit, currency)
    with transaction.atomic():
        customer = _customer(actor, customer_id)
        credit = credit_of(customer.pk, lock=True)
        check_version(credit, expected_version)
        old = (format_money(credit.credit_limit, credit.limit_currency_id)
               if credit.credit_limit is not None and credit.limit_currency_id else "")
        new = format_money(amount, code) if amount is not None else ""
        if old == new:
            return credit
        credit.credit_limit, credit.limit_currency_id = amount, code
        credit.version += 1
        credit.save(update_fields=["credit_limit", "limit_currency", "version", "updated_at"])
        publish(CreditLimitSet(actor=actor, customer=customer, old=old, limit=new, reason=reason.strip()[:1000]))
    return credit


# --- hold and lift --------------------------------------------------------------------------------------


def open_orders_of(customer_id: int):
    """Orders whose timeline shows the customer's hold: drafts and live orders."""
    return SalesOrder.objects.filter(Q(status=S.DRAFT) | live_orders_q(), customer_id=customer_id)


def hold_apply(*, credit: CustomerCredit, customer: Customer, actor: User | None, reason: str, why: str) -> None:
    """Put the (locked) credit on hold and tell the customer's and its open orders' timelines."""
    credit.on_hold = True
    credit.hold_since = timezone.now()
    credit.hold_reason = reason[:300]
    credit.version += 1
    credit.save(update_fields=["on_hold", "hold_since", "hold_reason", "version", "updated_at"])
    publish(CreditHoldPut(actor=actor, customer=customer, why=why,
                          reason="" if reason.startswith(DUNNING_HOLD_PREFIX) else reason))
    for order in open_orders_of(customer.pk).only("pk", "number", "customer_id"):
        publish(CreditHoldPut(actor=actor, customer=customer, order=order, why=why))


def credit_hold_put(*, actor: User, customer_id: Any, reason: str,
                    expected_version: int | None = None) -> CustomerCredit:
    """Finance puts a customer on credit hold by hand, with a reason."""
    require(actor, HOLD, message=_("Only finance puts a customer on credit hold."))
    text = reason_required(reason, _("putting the customer on credit hold"))
    with transaction.atomic():
        customer = _customer(actor, customer_id)
        credit = credit_of(customer.pk, lock=True)
        check_version(credit, expected_version)
        if credit.on_hold:
            refuse(no(CreditError.ALREADY_ON_HOLD, _("The customer is already on credit hold.")))
        hold_apply(credit=credit, customer=customer, actor=actor, reason=text, why=text)
    return credit


def credit_hold_lift(*, actor: User, customer_id: Any, reason: str,
                     expected_version: int | None = None) -> CustomerCredit:
    """Finance lifts the customer's credit hold, with a reason. A lifted hold is not put back by
    the dunning run for the debt it was lifted on (``services.dunning``)."""
    require(actor, HOLD, message=_("Only finance lifts a credit hold."))
    text = reason_required(reason, _("lifting the credit hold"))
    with transaction.atomic():
        customer = _customer(actor, customer_id)
        credit = credit_of(customer.pk, lock=True)
        check_version(credit, expected_version)
        if not credit.on_hold:
            refuse(no(CreditError.NOT_ON_HOLD, _("The customer is not on credit hold.")))
        credit.on_hold = False
        credit.lifted_at, credit.lifted_by, credit.lift_reason = timezone.now(), actor, text[:300]
        credit.version += 1
        credit.save(update_fields=["on_hold", "lifted_at", "lifted_by", "lift_reason", "version", "updated_at"])
        publish(CreditHoldLifted(actor=actor, customer=customer, reason=text))
        for order in open_orders_of(customer.pk).only("pk", "number", "customer_id"):
            publish(CreditHoldLifted(actor=actor, customer=customer, order=order, reason=text))
    return credit


# --- a manager's approval over the limit ----------------------------------------------------------------


def order_creator_id(order: SalesOrder) -> int | None:
    ct = ContentType.objects.get_for_model(SalesOrder)
    return (Event.objects.filter(content_type=ct, object_id=order.pk, verb=Event.Verb.CREATED)
            .order_by("id").values_list("actor_id", flat=True).first())


def approval_check(actor: User, order: SalesOrder) -> Check:
    """May ``actor`` approve ``order`` over its customer's credit limit now?"""
    if not actor.has_perm(APPROVE):
        return no(CoreError.FORBIDDEN, _("Only a manager approves an order over the credit limit."))
    if order.status != S.DRAFT:
        return no(CreditError.APPROVAL_NOT_NEEDED, _("Only a draft order is approved over the credit limit."))
    if actor.pk in {order.merchandiser_id, order_creator_id(order)}:
        return no(CreditError.APPROVER_IS_ORDER_OWNER, _(
            "A second person approves: you are the order's merchandiser or entered it."))
    return OK


def credit_limit_approve(*, actor: User, order_id: Any, reason: str, exposure: Any = None) -> CreditLimitApproval:
    """A manager lets the draft ``order`` be confirmed over the credit limit, for the exposure as it
    stands now (or the larger ``exposure`` given), with a reason."""
    from gendan.core.guards import id_or_zero
    from gendan.sales.selectors import order_queryset

    require(actor, APPROVE, message=_("Only a manager approves an order over the credit limit."))
    text = reason_required(reason, _("confirming the order over the credit limit"))
    with transaction.atomic():
        from gendan.core.services import lock_row

        order = lock_row(order_queryset(actor), id_or_zero(order_id), not_found=_("No such order."))
        refuse(approval_check(actor, order))
        credit = CustomerCredit.objects.filter(customer_id=order.customer_id).first()
        if credit is None or credit.credit_limit is None or not credit.limit_currency_id:
            refuse(no(CreditError.APPROVAL_NOT_NEEDED, _("The customer has no credit limit: nothing to approve.")))
        currency = credit.limit_currency_id
        now = exposure_for(order, limit_currency=currency)
        amount = now.total
        if exposure not in (None, ""):
            try:
                amount = round_money(to_decimal(exposure), currency)
            except (MoneyError, ValueError, TypeError):
                msg = _("“%(value)s” is not an amount.") % {"value": str(exposure)[:40]}
                raise ValidationFailed(msg, fields={"exposure": msg}) from None
            if amount < now.total:
                msg = _("The approval covers at least the exposure as it stands: %(exposure)s.") % {
                    "exposure": format_money(now.total, currency)}
                raise ValidationFailed(msg, code=CreditError.APPROVAL_BELOW_EXPOSURE, fields={"exposure": msg})
        approval = CreditLimitApproval.objects.create(
            order=order, exposure=amount, credit_limit=credit.credit_limit, currency_id=currency, reason=text,
            approved_by=actor, approved_at=timezone.now())
        publish(CreditLimitApproved(actor=actor, customer=order.customer, order=order, approval=approval,
                                    reason=text))
    return approval
