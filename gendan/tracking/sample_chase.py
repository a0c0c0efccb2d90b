"""Sample sign-offs due on the chase board (a source of ``export_chase.board_export_items``): a
sample's round is received and its comments are due within 3 working days (seed 001 第五篇 六:
签样时间就控制在3个工作日内) — each department that must sign (sales: colour, text, position; QC:
structure, size, function; engineering where needed) sees it two days before it is due, and as
late once the day has passed."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.quality.models import SampleSignoff
from gendan.quality.selectors import signoffs_due
from gendan.tracking import export_chase  # it imports this module: its names are read at call time

WARN_DAYS = 2  # shown this many days before the comments are due


def signoff_items(*, user: User, today: dt.date, limit: int) -> list:
    labels = dict(SampleSignoff.Department.choices)
    items = []
    for round_, missing in signoffs_due(user=user, until=today + dt.timedelta(days=WARN_DAYS), limit=limit):
        sample = round_.sample
        items.append(export_chase.ExportItem(
            kind="sample_signoff",
            label=_("Sign off the sample: %(sample)s, round %(n)d") % {
                "sample": sample.get_kind_display(), "n": round_.round_no},
            order=sample.sales_order, url=sample.get_absolute_url(), due=round_.comments_due_on,
            late=round_.comments_due_on < today,
            detail=_("received %(day)s; waiting for %(who)s") % {
                "day": round_.received_on.isoformat(), "who": "; ".join(str(labels[d]) for d in missing)}))
    return items
