"""Error codes of shipping.

Besides these a shipment answers with the order's gates (finance's ``gate_balance``, quality's
``gate_final_inspection``), core's ``transition_not_allowed`` (only an order in production or
ready ships), ``conflict`` (stale ``version``), ``forbidden`` and ``validation_failed`` (dates,
quantities above what is still open, no quantity at all; ``fields`` names the line).
"""

from gendan.core.errors import ErrorCode, Kind


class ShippingError(ErrorCode):
    NOTHING_TO_SHIP = "nothing_to_ship", Kind.STATE, "every line of the order is already fully shipped"
    # Container loading (gendan.shipping.loading)
    INVALID_CARTON = "invalid_carton", Kind.VALIDATION, (
        "a carton of a loading plan lacks a field or has a wrong one (dimensions in whole mm, weight and "
        "count above zero); `fields` names it, e.g. `cartons[2].height_mm`")
    DUPLICATE_CARTON_REF = "duplicate_carton_ref", Kind.VALIDATION, (
        "a carton reference appears twice in one loading plan; give it once with the total count")
    TOO_MANY_CARTONS = "too_many_cartons", Kind.VALIDATION, "more than 100 000 cartons in one loading plan"
    UNKNOWN_CONTAINER_TYPE = "unknown_container_type", Kind.VALIDATION, (
        "the container type is none of 20GP, 40GP, 40HQ, 45HQ")
    CARTON_DOES_NOT_FIT = "carton_does_not_fit", Kind.VALIDATION, (
        "a carton cannot stand upright in the container or pass its door, or weighs more than its payload")
    # Bookings (订舱): gendan.shipping.services.bookings
    NOT_A_FORWARDER = "not_a_forwarder", Kind.VALIDATION, (
        "a booking is made with a supplier of kind forwarder; `fields` names `forwarder`")
    INVALID_CONTAINERS = "invalid_containers", Kind.VALIDATION, (
        "containers booked: a type none of 20GP, 40GP, 40HQ, 45HQ, LCL, or a count that is not a whole number "
        "above zero, or none at all; `fields` names e.g. `containers.40HQ`")
    ETA_BEFORE_ETD = "eta_before_etd", Kind.VALIDATION, "the booking's ETA is before its ETD"
    CUTOFF_AFTER_ETD = "cutoff_after_etd", Kind.VALIDATION, (
        "a cut-off (CY, SI, VGM) is after the ETD; `fields` names it")
    ETD_LONG_PAST = "etd_long_past", Kind.VALIDATION, (
        "the ETD confirmed lies more than 7 days in the past: a typing mistake")
    ORDER_NOT_BOOKABLE = "order_not_bookable", Kind.STATE, (
        "space is booked for a confirmed order, in production or ready to ship")
