"""What the dunning and credit part records, as typed domain events: the credit limit set, the
credit hold put on and lifted (on the customer's timeline and on each of its open orders'), an
order let over the limit by a manager, amounts disputed and settled (on the order's timeline),
each reminder a dunning run sent (the customer's) and the dunning levels changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.models import Event
from gendan.core.money import format_money


@dataclass(kw_only=True)
class CustomerCreditEvent(DomainEvent):
    """A step of a customer's credit: on ``order``'s timeline, or the customer's when None."""

    customer: object
    order: object | None = None

    def subject(self):
        return self.order if self.order is not None else self.customer

    def params(self) -> dict:
        return {"customer": self.customer.code}


@dataclass(kw_only=True)
class CreditLimitSet(CustomerCreditEvent):
    """Finance or a manager set (or removed) the customer's credit limit (``changes``)."""

    kind = "receivables.credit_limit_set"
    text = gettext_noop("Credit limit of %(customer)s: %(old)s → %(limit)s")
    verb: ClassVar[str] = Event.Verb.UPDATED
    old: str = ""
    limit: str = ""

    def params(self) -> dict:
        return {**super().params(), "old": self.old or "—", "limit": self.limit or "—"}


@dataclass(kw_only=True)
class CreditHoldPut(CustomerCreditEvent):
    """The customer was put on credit hold (by the dunning run's last level, or by finance)."""

    kind = "receivables.credit_hold_put"
    text = gettext_noop("Credit hold on %(customer)s: %(why)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED
    why: str = ""

    def params(self) -> dict:
        return {**super().params(), "why": self.why}


@dataclass(kw_only=True)
class CreditHoldLifted(CustomerCreditEvent):
    """Finance lifted the customer's credit hold (``reason``)."""

    kind = "receivables.credit_hold_lifted"
    text = gettext_noop("Credit hold on %(customer)s lifted by finance")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class CreditLimitApproved(CustomerCreditEvent):
    """A manager let ``order`` be confirmed over the customer's credit limit (``reason``)."""

    kind = "receivables.credit_limit_approved"
    text = gettext_noop("Confirmation over the credit limit approved: exposure %(exposure)s, limit %(limit)s")
    verb: ClassVar[str] = Event.Verb.NOTE
    approval: object = None

    def params(self) -> dict:
        a = self.approval
        return {**super().params(), "exposure": format_money(a.exposure, a.currency_id),
                "limit": format_money(a.credit_limit, a.currency_id)}


@dataclass(kw_only=True)
class DunningReminder(CustomerCreditEvent):
    """A dunning run sent the customer a reminder at ``notice.level``."""

    kind = "receivables.dunning_reminder"
    text = gettext_noop("Dunning level %(level)d: %(amount)s overdue, oldest due %(oldest)s (%(days)d days)")
    verb: ClassVar[str] = Event.Verb.NOTE
    notice: object = None

    def params(self) -> dict:
        n = self.notice
        amount = ", ".join(format_money(_dec(v), cur) for cur, v in sorted(n.overdue.items()))
        return {**super().params(), "level": n.level, "amount": amount,
                "oldest": n.oldest_due_date.isoformat(), "days": n.days_overdue}


@dataclass(kw_only=True)
class DunningCleared(CustomerCreditEvent):
    """Nothing of the customer is overdue any more: its dunning level dropped to 0."""

    kind = "receivables.dunning_cleared"
    text = gettext_noop("Nothing overdue any more: dunning level of %(customer)s back to 0")
    verb: ClassVar[str] = Event.Verb.NOTE


@dataclass(kw_only=True)
class DisputeEvent(DomainEvent):
    """A step of ``dispute`` on the timeline of its instalment's order."""

    dispute: object

    def subject(self):
        return self.dispute.plan_item.order

    def params(self) -> dict:
        d = self.dispute
        return {"amount": format_money(d.amount, d.plan_item.order.currency_id),
                "kind": {"_c": ["finance.paymentplanitem", "kind", d.plan_item.kind]}}


@dataclass(kw_only=True)
class DisputeOpened(DisputeEvent):
    kind = "receivables.dispute_opened"
    text = gettext_noop("%(amount)s of the %(kind)s in dispute (not dunned)")
    verb: ClassVar[str] = Event.Verb.NOTE


@dataclass(kw_only=True)
class DisputeSettled(DisputeEvent):
    kind = "receivables.dispute_settled"
    text = gettext_noop("Dispute of %(amount)s on the %(kind)s settled: %(how)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        return {**super().params(), "how": self.dispute.settlement}


@dataclass(kw_only=True)
class DunningLevelsChanged(DomainEvent):
    """Finance changed the dunning levels (``changes``: level.field → old / new)."""

    kind = "receivables.dunning_levels_changed"
    text = gettext_noop("Dunning levels changed")
    verb: ClassVar[str] = Event.Verb.UPDATED
    level: object = None

    def subject(self):
        return self.level


def _dec(value):
    from decimal import Decimal

    return Decimal(str(value))
