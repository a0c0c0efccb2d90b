"""The customer page's "open money" tab (``parties.sections``): the customer's open instalments
as the ledger counts them (``selectors.ledger.open_instalments``), overdue ones marked with their
days overdue, and a link to the ledger."""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from gendan.finance.models import PaymentPlanItem
from gendan.parties import sections
from gendan.receivables.selectors.ledger import NOT_OWED, VIEW, days_overdue, ledger_facts, open_instalments


def open_money_count(request, customer) -> int | None:
    """Instalments of the customer's owed orders not fully received (one query): the ledger's
    spread decides the exact open amounts on the tab itself."""
    if not request.user.has_perm(VIEW):
        return None
    return (PaymentPlanItem.objects.filter(~Q(order__status__in=NOT_OWED), order__customer_id=customer.pk)
            .exclude(received_amount__gte=F("amount")).count())


def open_money_section(request, customer) -> dict | None:
    if not request.user.has_perm(VIEW):
        return None
    today = timezone.localdate()
    kinds = dict(PaymentPlanItem.Kind.choices)
    rows = [dict(row, days_overdue=days_overdue(row["due_date"], today), kind_label=kinds.get(row["kind"], row["kind"]))
            for row in open_instalments(ledger_facts(customer), as_of=today) if not row["credit_item"]]
    rows.sort(key=lambda r: (-r["days_overdue"], r["due_date"] or today))
    return {"rows": rows, "overdue": sum(1 for r in rows if r["days_overdue"] > 0),
            "ledger_url": reverse("receivables:ledger", args=[customer.pk])}


def register() -> None:
    sections.register("open_money", template="receivables/_customer_money.html", context=open_money_section,
                      tab="money", rank=10, count=open_money_count)
