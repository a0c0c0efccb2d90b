"""Material shortages on the chase board (a source of ``export_chase.board_export_items``): for
the purchaser who buys them (and purchasing for those nobody buys yet) and the merchandiser of
the order, one item per production order whose materials are short — an ETA after the need
date, an ETA passed without everything received, or needed now without an ETA — due on the
earliest need date."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.accounts.models import User
from gendan.purchasing.selectors import shortages_for_board
from gendan.tracking import export_chase  # it imports this module: its names are read at call time


def shortage_items(*, user: User, today: dt.date, limit: int) -> list:
    items = []
    for row in shortages_for_board(user=user, today=today, limit=limit):
        po = row["production_order"]
        label = ngettext("%(n)d material short for %(po)s", "%(n)d materials short for %(po)s", row["n"]) % {
            "n": row["n"], "po": po.number}
        detail = (_("needed from %(need)s; latest ETA %(eta)s") % {"need": row["need"].isoformat(),
                                                                    "eta": row["eta"].isoformat()}
                  if row["eta"] else _("needed from %(need)s; no ETA yet") % {"need": row["need"].isoformat()})
        items.append(export_chase.ExportItem(
            kind="material_shortage", label=label, order=po.sales_order,
            url=reverse("purchasing:requirement_list", args=[po.pk]), due=row["need"],
            late=row["need"] < today or (row["eta"] is not None and row["eta"] > row["need"]), detail=detail))
    return items
