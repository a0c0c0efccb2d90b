"""Amounts of an instalment the customer disputes (a complaint, a price or quantity question):
opened by finance or the merchandiser, settled with how it was settled. An open dispute's
amount is never dunned (``services.dunning``). Both steps go on the order's timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import id_or_zero, no, reason_required, refuse, require
from gendan.core.money import MoneyError, check_precision, format_money, to_decimal
from gendan.finance.models import PaymentPlanItem
from gendan.receivables.errors import CreditError
from gendan.receivables.events_credit import DisputeOpened, DisputeSettled
from gendan.receivables.models import Dispute
from gendan.sales.selectors import order_scope

OPEN = "receivables.add_dispute"  # finance, merchandiser
SETTLE = "receivables.change_dispute"  # finance, merchandiser


def disputed_open(plan_item_id: int) -> Decimal:
    """The amount of the instalment in open disputes."""
    return (Dispute.objects.filter(plan_item_id=plan_item_id, settled_at__isnull=True)
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


def _plan_item(actor: User, plan_item_id: Any, *, lock: bool) -> PaymentPlanItem:
    qs = PaymentPlanItem.objects.filter(order__in=_orders(actor)).select_related("order", "order__customer")
    if lock:
        qs = qs.select_for_update(of=("self",))
    item = qs.filter(pk=id_or_zero(plan_item_id)).first()
    if item is None:
        raise Http404(_("No such instalment."))
    return item


def _orders(actor: User):
    from gendan.sales.models import SalesOrder

    return SalesOrder.objects.filter(order_scope(actor)).values("pk")


def dispute_open(*, actor: User, plan_item_id: Any, amount: Any, reason: str) -> Dispute:
    """Put ``amount`` of an instalment in dispute: at most its open amount not already disputed."""
    require(actor, OPEN, message=_("Only finance or the merchandiser opens a dispute."))
    text = reason_required(reason, _("the dispute"))
    with transaction.atomic():
        item = _plan_item(actor, plan_item_id, lock=True)
        currency = item.order.currency_id
        try:
            value = check_precision(to_decimal(amount), currency)
        except (MoneyError, ValueError, TypeError):
            msg = _("“%(value)s” is not an amount.") % {"value": str(amount)[:40]}
            raise ValidationFailed(msg, fields={"amount": msg}) from None
        if value <= 0:
            msg = _("The amount in dispute must be greater than zero.")
            raise ValidationFailed(msg, fields={"amount": msg})
        room = item.open_amount - disputed_open(item.pk)
        if value > room:
            msg = _("The instalment has %(room)s open and not yet in dispute; %(amount)s cannot be disputed.") % {
                "room": format_money(max(room, Decimal("0")), currency), "amount": format_money(value, currency)}
            raise ValidationFailed(msg, code=CreditError.DISPUTE_ABOVE_OPEN, fields={"amount": msg})
        dispute = Dispute.objects.create(plan_item=item, amount=value, reason=text, opened_by=actor,
                                         opened_at=timezone.now())
        publish(DisputeOpened(actor=actor, dispute=dispute, reason=text))
    return dispute


def dispute_settle(*, actor: User, dispute_id: Any, settlement: str) -> Dispute:
    """Settle an open dispute, saying how (credit note, paid after all, price agreed …)."""
    require(actor, SETTLE, message=_("Only finance or the merchandiser settles a dispute."))
    text = reason_required(settlement, _("how the dispute was settled"), field="settlement")
    with transaction.atomic():
        dispute = (Dispute.objects.select_for_update(of=("self",)).select_related("plan_item__order")
                   .filter(pk=id_or_zero(dispute_id), plan_item__order__in=_orders(actor)).first())
        if dispute is None:
            raise Http404(_("No such dispute."))
        if dispute.settled_at:
            refuse(no(CreditError.DISPUTE_SETTLED, _("The dispute is already settled.")))
        dispute.settled_at, dispute.settled_by, dispute.settlement = timezone.now(), actor, text[:300]
        dispute.save(update_fields=["settled_at", "settled_by", "settlement"])
        publish(DisputeSettled(actor=actor, dispute=dispute))
    return dispute
