"""Error codes of shipping.

Besides these a shipment answers with the order's gates (finance's ``gate_balance``, quality's
``gate_final_inspection``), core's ``transition_not_allowed`` (only an order in production or
ready ships), ``conflict`` (stale ``version``), ``forbidden`` and ``validation_failed`` (dates,
quantities above what is still open, no quantity at all; ``fields`` names the line).
"""

from gendan.core.errors import ErrorCode, Kind


class ShippingError(ErrorCode):
    NOTHING_TO_SHIP = "nothing_to_ship", Kind.STATE, "every line of the order is already fully shipped"
