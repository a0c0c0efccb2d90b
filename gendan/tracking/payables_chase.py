"""Supplier statements disputed by the supplier (对账异议) on the chase board (a source of
``export_chase.board_export_items``): one item per disputed line not settled, for purchasing
(who deal with the suppliers) and the manager, until the line is settled. Late after
``DISPUTE_DAYS`` from the reply."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.money import format_money
from gendan.payables.selectors.statements import open_disputes
from gendan.tracking import export_chase

# A disputed line is settled (credit note, corrected invoice, or the supplier agrees) within two weeks.
DISPUTE_DAYS = 14


def dispute_items(*, user: User, today: dt.date, limit: int) -> list:
    if not user.has_perm("payables.view_statementdispute"):
        return []
    if not (user.has_role(Role.PURCHASING) or user.has_role(Role.MANAGER)):
        return []
    items = []
    for dispute in open_disputes(limit=limit):
        statement = dispute.statement
        since = timezone.localdate(dispute.recorded_at)
        due = since + dt.timedelta(days=DISPUTE_DAYS)
        items.append(export_chase.ExportItem(
            kind="statement_disputed",
            label=_("Statement disputed: %(supplier)s, line %(line)s") % {
                "supplier": statement.supplier, "line": dispute.line_ref},
            order=None, url=statement.get_absolute_url(), due=due, late=today > due,
            detail=_("%(no)s (%(month)s): %(amount)s in dispute — %(reason)s") % {
                "no": statement.number, "month": statement.month.strftime("%Y-%m"),
                "amount": format_money(dispute.amount, statement.currency_id), "reason": dispute.reason}))
    return items
