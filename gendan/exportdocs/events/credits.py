"""What the credits part records (信用证登记、审证、改证), as typed domain events. Each step of a
credit goes on the credit's own timeline and on the timeline of every order it pays: the
services publish one event per subject (``credit_publish``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent, publish
from gendan.core.events import choice
from gendan.core.models import Event
from gendan.core.money import format_money
from gendan.exportdocs.models import CreditAmendment, LetterOfCredit


@dataclass(kw_only=True)
class CreditEvent(DomainEvent):
    """A step of ``credit``: on ``order``'s timeline, or the credit's own when ``order`` is None."""

    verb: ClassVar[str] = Event.Verb.NOTE
    credit: LetterOfCredit
    order: object | None = None

    def subject(self):
        return self.order if self.order is not None else self.credit

    def params(self) -> dict:
        c = self.credit
        return {"no": c.number, "amount": format_money(c.amount, c.currency_id),
                "latest": c.latest_shipment_date.isoformat(), "expiry": c.expiry_date.isoformat()}


@dataclass(kw_only=True)
class CreditReceived(CreditEvent):
    """The credit was registered as advised by the bank."""

    kind = "exportdocs.credit_received"
    text = gettext_noop("L/C received: %(no)s, %(amount)s, latest shipment %(latest)s, expiry %(expiry)s")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class CreditUpdated(CreditEvent):
    """The credit's register entry was corrected (``changes``: field → old / new)."""

    kind = "exportdocs.credit_updated"
    text = gettext_noop("L/C %(no)s edited")
    verb: ClassVar[str] = Event.Verb.UPDATED


@dataclass(kw_only=True)
class CreditCancelled(CreditEvent):
    """The credit was cancelled unused (``reason``)."""

    kind = "exportdocs.credit_cancelled"
    text = gettext_noop("L/C %(no)s cancelled")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class CreditClosed(CreditEvent):
    """The credit was closed: fully drawn or expired (``reason``)."""

    kind = "exportdocs.credit_closed"
    text = gettext_noop("L/C %(no)s closed")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class CreditExamined(CreditEvent):
    """The credit was examined against its orders (审证): workable, or an amendment is needed."""

    kind = "exportdocs.credit_examined"
    text = gettext_noop("L/C %(no)s examined: %(result)s; %(n)d finding(s), %(m)d need an amendment")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED

    def params(self) -> dict:
        findings = self.credit.findings or []
        return {**super().params(), "result": choice(LetterOfCredit, "status", self.credit.status),
                "n": len(findings), "m": sum(1 for f in findings if f.get("amendment"))}


@dataclass(kw_only=True)
class AmendmentEvent(CreditEvent):
    """A step of ``amendment`` of the credit (改证)."""

    amendment: CreditAmendment

    def params(self) -> dict:
        return {**super().params(), "seq": self.amendment.sequence}


@dataclass(kw_only=True)
class AmendmentRequested(AmendmentEvent):
    """We asked the customer to have the credit amended (the text lists what must change)."""

    kind = "exportdocs.amendment_requested"
    text = gettext_noop("Amendment %(seq)d of L/C %(no)s requested from the customer")


@dataclass(kw_only=True)
class AmendmentReceived(AmendmentEvent):
    """The bank advised the amendment's changes (``changes``); we decide to accept or refuse."""

    kind = "exportdocs.amendment_received"
    text = gettext_noop("Amendment %(seq)d of L/C %(no)s advised by the bank")


@dataclass(kw_only=True)
class AmendmentAccepted(AmendmentEvent):
    """We accepted the amendment: the credit took its changes (``changes``)."""

    kind = "exportdocs.amendment_accepted"
    text = gettext_noop("Amendment %(seq)d of L/C %(no)s accepted")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class AmendmentRefused(AmendmentEvent):
    """We refused the amendment (``reason``): the credit stays as it was (UCP 600 Art. 10)."""

    kind = "exportdocs.amendment_refused"
    text = gettext_noop("Amendment %(seq)d of L/C %(no)s refused")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


def credit_publish(event_type: type[CreditEvent], *, credit: LetterOfCredit, orders=None, **kwargs) -> None:
    """Publish ``event_type`` on the credit's timeline and on that of each of ``orders`` (the
    credit's linked orders unless given). Call inside the transaction that made the change."""
    publish(event_type(credit=credit, **kwargs))
    for order in (orders if orders is not None else credit.orders.all()):
        publish(event_type(credit=credit, order=order, **kwargs))
