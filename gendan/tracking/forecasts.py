"""The T&A's forecasts that apps below read through a registry (registered in
``TrackingConfig.ready``): the forecast ETD of orders, for the credit examination (审证)."""

from __future__ import annotations

import datetime as dt

from gendan.tracking.keys import Milestone
from gendan.tracking.models import OrderMilestone


def etd_forecast_of_orders(order_ids: list[int]) -> dict[int, dt.date]:
    """``{order_id: the forecast date of its "etd" milestone}`` (one query, orders with a plan)."""
    return dict(OrderMilestone.objects.filter(order__in=order_ids, key=Milestone.ETD)
                .values_list("order_id", "forecast_date"))
