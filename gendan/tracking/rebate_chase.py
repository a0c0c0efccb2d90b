"""Tax rebates blocked by a factory's missing VAT invoice on the chase board (a source of
``export_chase.board_export_items``): one item per factory and rebate, for the order's
merchandiser, and for purchasing (who deal with the factories) — with how long it has waited
since the customs declaration. Late after ``VAT_INVOICE_DAYS``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.payables.selectors.rebates import blocked_rebates
from gendan.tracking import export_chase

# A factory invoices within a month of the shipment; beyond it the rebate is late to file.
VAT_INVOICE_DAYS = 30


def rebate_items(*, user: User, today: dt.date, limit: int) -> list:
    if not user.has_perm("payables.view_taxrebate"):
        return []
    if user.has_role(Role.PURCHASING):
        rows = blocked_rebates(user=user, today=today, limit=limit)
    elif user.has_role(Role.MERCHANDISER):
        rows = blocked_rebates(user=user, today=today, limit=limit, merchandiser=user)
    else:
        return []
    items = []
    for row in rows:
        due = row.since + dt.timedelta(days=VAT_INVOICE_DAYS)
        for missing in row.missing:
            items.append(export_chase.ExportItem(
                kind="rebate_vat_missing",
                label=_("VAT invoice missing: %(factory)s (%(po)s)") % {"factory": missing.supplier_name,
                                                                        "po": missing.production_order_no},
                order=row.rebate.shipment.order, url=reverse("payables:rebate_detail", args=[row.rebate.pk]),
                due=due, late=today > due,
                detail=_("Tax rebate of shipment %(shipment)s waiting %(days)d days since the declaration") % {
                    "shipment": row.rebate.shipment.number, "days": row.days}))
    return items[:limit]
