"""Re-acknowledgements of change orders on the chase board (a source of
``export_chase.board_export_items``, so also in the daily digest): a production order or a
purchase order re-issued as a new version whose factory's / supplier's re-acknowledgement did
not come within two working days, or that was refused (escalated at once). For the order's
merchandiser, and for the buyer of a purchase order; gone once it is re-acknowledged."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.production.selectors_versions import reack_due
from gendan.production.selectors_versions import reacks_to_chase as production_reacks
from gendan.purchasing.selectors_versions import reacks_to_chase as purchase_reacks
from gendan.tracking import export_chase  # it imports this module: its names are read at call time


def _item(*, kind: str, number: str, version, party: str, order, url: str) -> export_chase.ExportItem:
    refused = version.reack_status == "refused"
    values = {"doc": number, "n": version.number, "party": party}
    if refused:
        label = _("%(party)s refused version %(n)d of %(doc)s") % values
        detail = version.reack_reason
        due = timezone.localdate(version.reack_at) if version.reack_at else None
    else:
        label = _("Re-acknowledgement of %(doc)s version %(n)d awaited from %(party)s") % values
        due = reack_due(timezone.localdate(version.created_at))
        detail = _("re-issued %(day)s; due within two working days") % {
            "day": timezone.localdate(version.created_at).isoformat()}
    return export_chase.ExportItem(kind=kind, label=label, order=order, url=url, due=due, late=True, detail=detail)


def reack_items(*, user: User, today: dt.date, limit: int) -> list:
    items = []
    for version in production_reacks(user=user, today=today, limit=limit):
        po = version.production_order
        items.append(_item(kind="production_reack", number=po.number, version=version, party=po.supplier.code,
                           order=po.sales_order, url=po.get_absolute_url()))
    for version in purchase_reacks(user=user, today=today, limit=limit):
        po = version.purchase_order
        items.append(_item(kind="purchase_reack", number=po.number, version=version, party=po.supplier.code,
                           order=None, url=po.get_absolute_url()))
    return items
