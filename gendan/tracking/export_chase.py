"""Samples, materials, letters of credit, export documents, rebates and supplier statements on
the chase board (``board.export_items``).

Each source is a function ``(user, today, limit) -> list[ExportItem]`` in its own module:

- ``export_chase_credits.credit_items``: orders paid by L/C still waiting for their credit
  (催证, with the date by which it must arrive for the T&A to hold), credits to examine or with
  an amendment outstanding, countdowns to the last presentation day and to expiry;
- ``export_chase_dispatch.dispatch_items``: presentations refused with the bank's
  discrepancies, certificates due, sets waiting to be dispatched;
- ``rebate_chase.rebate_items``: tax rebates blocked by a factory's missing VAT invoice;
- ``payables_chase.dispute_items``: supplier statements disputed, until settled;
- ``sample_chase.signoff_items``: sample rounds whose comments are due, for each department
  that has not signed (3 working days after receipt);
- ``materials_chase.shortage_items``: production orders whose materials are short, for the
  purchaser and the order's merchandiser;
- ``reack_chase.reack_items``: production orders and purchase orders a change order re-issued
  whose re-acknowledgement is two working days late, or refused.

The board shows them in one section, most urgent first (``due`` ascending)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gendan.accounts.models import User
from gendan.tracking import (
    export_chase_credits,
    export_chase_dispatch,
    materials_chase,
    payables_chase,
    reack_chase,
    rebate_chase,
    sample_chase,
)


@dataclass(frozen=True)
class ExportItem:
    kind: str  # a stable key, e.g. "credit_awaited", "presentation_refused"
    label: str  # translated, what to chase
    order: object | None  # the SalesOrder, if the item is an order's
    url: str  # where to act
    due: dt.date | None  # by when (None: now)
    late: bool  # past due
    detail: str = ""  # one line of context (translated)


def board_export_items(*, user: User, today: dt.date, limit: int) -> list[ExportItem]:
    items = [*export_chase_credits.credit_items(user=user, today=today, limit=limit),
             *export_chase_dispatch.dispatch_items(user=user, today=today, limit=limit),
             *rebate_chase.rebate_items(user=user, today=today, limit=limit),
             *payables_chase.dispute_items(user=user, today=today, limit=limit),
             *sample_chase.signoff_items(user=user, today=today, limit=limit),
             *materials_chase.shortage_items(user=user, today=today, limit=limit),
             *reack_chase.reack_items(user=user, today=today, limit=limit)]
    # Each source gives at most ``limit`` items: one source (dozens of shortages) must not crowd
    # another (the one credit a merchandiser waits for) off the board.
    items.sort(key=lambda i: (i.due or today, i.kind))
    return items
