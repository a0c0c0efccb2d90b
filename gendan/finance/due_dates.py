"""Due dates that follow the facts.

At confirmation the balance's due date is planned from the order's ex-factory date
(``sales.terms.payment_plan``). Once the goods leave (the real ex-factory date) and the carrier
issues the B/L (the on-board date), the due date is recomputed from the instalment's due rule
— the key stored in ``PaymentPlanItem.due_rule``:

=====================  ================================================================
rule                   due
=====================  ================================================================
before_shipment        a week before the goods leave (ex-factory − 7)
against_bl_copy        a week after the B/L date (the customer pays against the copy)
lc_sight               on presentation: at the latest 21 days after the B/L (UCP 600 14c)
lc_usance:N            presentation + N days
dp                     30 days after the B/L (documents through the banks)
da:N                   30 + N days after the B/L (acceptance, then the tenor)
oa:N                   N days after shipment (the B/L date, else ex-factory)
=====================  ================================================================

The shipping app knows the dates; receivables (on a higher floor) listens to its events and
calls ``balance_due_follow`` here. The move goes on the order's timeline, old → new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent, publish
from gendan.core.events import bilingual, tr
from gendan.core.models import Event
from gendan.finance.models import PaymentPlanItem
from gendan.sales.models import SalesOrder
from gendan.sales.terms import BALANCE_BEFORE_EX_FACTORY_DAYS, DOCUMENT_PRESENTATION_DAYS, due_event_text

BL_COPY_DAYS = 7
COLLECTION_DAYS = 30  # documents through the remitting and the collecting bank


@dataclass(kw_only=True)
class BalanceDueMoved(DomainEvent):
    """The balance's due date moved with the real shipping dates (``changes``: due_date)."""

    kind = "finance.balance_due_moved"
    text = gettext_noop("Balance due date %(old)s → %(new)s (%(rule)s; %(basis)s %(day)s)")
    verb = Event.Verb.UPDATED
    order: SalesOrder
    item: PaymentPlanItem
    old: str
    basis: str
    day: str

    def params(self) -> dict:
        with translation.override("zh-hans"):
            zh = due_event_text(self.item.due_rule)
        with translation.override("en"):
            en = due_event_text(self.item.due_rule)
        return {"old": self.old or "—", "new": self.item.due_date.isoformat() if self.item.due_date else "—",
                "rule": bilingual(zh, en), "basis": tr(self.basis), "day": self.day}


_BASIS_EX_FACTORY = gettext_noop("ex-factory")
_BASIS_ON_BOARD = gettext_noop("B/L on board")


def due_date_from_rule(rule: str, *, ex_factory: dt.date | None, on_board: dt.date | None
                       ) -> tuple[dt.date | None, str]:
    """The due date ``rule`` gives with these facts, and its basis ("ex-factory" / "B/L on board");
    ``(None, "")`` when the facts it needs are not known yet (or the rule does not follow them)."""
    name, _sep, number = (rule or "").partition(":")
    days = int(number) if number.isdigit() else 0
    d = dt.timedelta
    if name == "before_shipment":
        return (ex_factory - d(days=BALANCE_BEFORE_EX_FACTORY_DAYS), _BASIS_EX_FACTORY) if ex_factory else (None, "")
    shipped, basis = (on_board, _BASIS_ON_BOARD) if on_board else (ex_factory, _BASIS_EX_FACTORY)
    if name == "oa":
        return (shipped + d(days=days), basis) if shipped else (None, "")
    if on_board is None:  # the rules below run from the B/L (documents, presentation)
        return None, ""
    offsets = {"against_bl_copy": BL_COPY_DAYS, "lc_sight": DOCUMENT_PRESENTATION_DAYS,
               "lc_usance": DOCUMENT_PRESENTATION_DAYS + days, "dp": COLLECTION_DAYS, "da": COLLECTION_DAYS + days}
    if name not in offsets:
        return None, ""
    return on_board + d(days=offsets[name]), _BASIS_ON_BOARD


def balance_due_follow(*, actor, order: SalesOrder, ex_factory: dt.date | None, on_board: dt.date | None
                       ) -> PaymentPlanItem | None:
    """Recompute the balance's due date of ``order`` from the real ex-factory / on-board dates
    (call inside the transaction that recorded them). Returns the instalment when it moved."""
    item = PaymentPlanItem.objects.select_for_update().filter(order=order, kind=PaymentPlanItem.Kind.BALANCE).first()
    if item is None:
        return None
    new, basis = due_date_from_rule(item.due_rule, ex_factory=ex_factory, on_board=on_board)
    if new is None or new == item.due_date:
        return None
    old = item.due_date.isoformat() if item.due_date else ""
    item.due_date = new
    item.save(update_fields=["due_date"])
    day = on_board if basis == _BASIS_ON_BOARD else ex_factory
    publish(BalanceDueMoved(actor=actor, order=order, item=item, old=old, basis=basis, day=day.isoformat(),
                            changes={"due_date": {"old": old, "new": new.isoformat(),
                                                  "model": "finance.paymentplanitem"}}))
    return item


def rule_text(rule: str) -> str:
    return due_event_text(rule)
