"""What the rebates and profit part records, on the timeline of the shipment's (the cost's) sales
order: a rebate recorded with its customs declaration, waiting ↔ ready as the factories' VAT
invoices come in, filed, received (with the difference from the expected amount), a factory
chased for its VAT invoice; an order cost added; the profit estimated or re-estimated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.core.events import choice
from gendan.core.models import Event
from gendan.core.money import format_amount
from gendan.payables.models import OrderCost, ProfitEstimate, TaxRebate
from gendan.sales.models import SalesOrder


@dataclass(kw_only=True)
class RebateEvent(DomainEvent):
    order: SalesOrder
    rebate: TaxRebate

    def params(self) -> dict:
        r = self.rebate
        return {"shipment": r.shipment.number, "no": r.declaration_no, "declared_on": r.declared_on.isoformat(),
                "expected": str(r.expected_amount), "received": str(r.received_amount),
                "status": choice(TaxRebate, "status", r.status),
                "filed_on": r.filed_on.isoformat() if r.filed_on else "—",
                "received_on": r.received_on.isoformat() if r.received_on else "—",
                "difference": str(r.received_amount - r.expected_amount)}


@dataclass(kw_only=True)
class RebateRecorded(RebateEvent):
    kind = "payables.rebate_recorded"
    text = gettext_noop("Tax rebate of shipment %(shipment)s: customs declaration %(no)s of %(declared_on)s, "
                        "expected CNY %(expected)s (%(status)s)")
    verb: ClassVar[str] = Event.Verb.CREATED


@dataclass(kw_only=True)
class RebateChecked(RebateEvent):
    """The VAT invoices were checked again: status waiting ↔ ready or the expected amount moved."""

    kind = "payables.rebate_checked"
    text = gettext_noop("Tax rebate of shipment %(shipment)s: %(status)s, expected CNY %(expected)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class RebateFiled(RebateEvent):
    kind = "payables.rebate_filed"
    text = gettext_noop("Tax rebate of shipment %(shipment)s (declaration %(no)s) filed on %(filed_on)s, "
                        "expected CNY %(expected)s")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class RebateReceived(RebateEvent):
    kind = "payables.rebate_received"
    text = gettext_noop("Tax rebate of shipment %(shipment)s received on %(received_on)s: CNY %(received)s "
                        "(expected %(expected)s, difference %(difference)s)")
    verb: ClassVar[str] = Event.Verb.STATE_CHANGED


@dataclass(kw_only=True)
class RebateFactoryChased(RebateEvent):
    """A factory was asked for its missing VAT invoice (e-mail sent after commit)."""

    kind = "payables.rebate_factory_chased"
    text = gettext_noop("Factory %(factory)s chased for the VAT invoice of %(po)s (rebate of shipment "
                        "%(shipment)s), to %(to)s")
    factory: str = ""
    production_order: str = ""
    to: str = ""

    def params(self) -> dict:
        return {**super().params(), "factory": self.factory, "po": self.production_order, "to": self.to or "—"}


@dataclass(kw_only=True)
class OrderCostAdded(DomainEvent):
    kind = "payables.order_cost_added"
    text = gettext_noop("Cost added to the order's profit: %(kind)s %(currency)s %(amount)s on %(day)s")
    verb: ClassVar[str] = Event.Verb.CREATED
    order: SalesOrder
    cost: OrderCost

    def subject(self):
        """The cost's own timeline: the order's is read by roles that may not see cost."""
        return self.cost

    def params(self) -> dict:
        c = self.cost
        return {"kind": choice(OrderCost, "kind", c.kind), "currency": c.currency_id,
                "amount": format_amount(c.amount, c.currency_id), "day": c.incurred_on.isoformat()}


@dataclass(kw_only=True)
class ProfitEstimated(DomainEvent):
    """The profit estimated at confirmation, or re-estimated when a change order is applied."""

    kind = "payables.profit_estimated"
    text = gettext_noop("Profit estimated: CNY %(profit)s on selling CNY %(selling)s (rate %(rate)s)")
    verb: ClassVar[str] = Event.Verb.NOTE
    order: SalesOrder
    estimate: ProfitEstimate
    previous: dict = field(default_factory=dict)

    def subject(self):
        """The estimate's own timeline: the order's is read by roles that may not see cost or profit."""
        return self.estimate

    def params(self) -> dict:
        e = self.estimate
        return {"profit": format_amount(e.profit_cny, "CNY"), "selling": format_amount(e.selling_cny, "CNY"),
                "rate": format(e.exchange_rate.normalize(), "f")}
