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
    # The shipping plan and the shipping notice (出货计划 / 出货通知): gendan.shipping.services.plan, .notices
    ORDER_NOT_PLANNABLE = "order_not_plannable", Kind.STATE, (
        "a shipment is planned for a confirmed order, in production or ready to ship")
    NOT_ON_ORDER = "not_on_order", Kind.VALIDATION, (
        "an order line or colour × size cell given is not one of the order's; `fields` names `lines.<id>` or "
        "`cells.<id>`")
    INVALID_QUANTITY = "invalid_quantity", Kind.VALIDATION, (
        "a quantity or carton count that is not a number, negative, too large or with more than 3 decimals "
        "(cartons: whole numbers); `fields` names `lines.<order line id>.quantity`, `.cartons` or `cells.<id>`")
    ABOVE_ORDERED = "above_ordered", Kind.VALIDATION, (
        "the quantity of a line (or a colour × size cell) on all live shipments of the order (planned, loading, "
        "shipped) would exceed what is ordered plus the order's tolerance; `fields` names the line or cell")
    CELLS_DO_NOT_ADD_UP = "cells_do_not_add_up", Kind.VALIDATION, (
        "a line ordered in colour × size: its quantity is not the sum of its cells, or no cell was given; "
        "`fields` names `lines.<order line id>.quantity`")
    NOTHING_PLANNED = "nothing_planned", Kind.VALIDATION, "a shipment needs a quantity for at least one line"
    SHIPMENT_NOT_EDITABLE = "shipment_not_editable", Kind.STATE, (
        "the lines of a shipment change while it is planned, its mode, ports and date while planned or loading; "
        "a shipped or cancelled shipment stays as it is")
    CONTAINERS_NOT_CANCELLED = "containers_not_cancelled", Kind.STATE, (
        "a shipment being loaded is cancelled only once each of its containers is cancelled")
    NOT_A_FACTORY = "not_a_factory", Kind.VALIDATION, (
        "the shipping notice goes to an own workshop or an outsourced factory; `fields` names `factory`")
    NOTICE_NOT_ISSUABLE = "notice_not_issuable", Kind.STATE, (
        "a shipping notice is issued for a planned or loading shipment")
    # Finished goods in, loading and ex-factory (成品入库 / 装柜 / 出厂): gendan.shipping.services.warehouse
    RECEIPT_ABOVE_ORDERED = "receipt_above_ordered", Kind.VALIDATION, (
        "finished goods received for an order line beyond its quantity plus the order's tolerance, less what "
        "already left; `fields` names `quantity`")
    RECEIPT_ALREADY_LOADED = "receipt_already_loaded", Kind.STATE, (
        "a finished goods receipt cannot be voided: without it the order line's stock would fall below what is "
        "loaded or shipped")
    INVALID_CONTAINER_NO = "invalid_container_no", Kind.VALIDATION, (
        "the container no. is not owner code (3 letters) + U/J/Z + 6 digits + the ISO 6346 check digit, or the "
        "check digit is wrong; `fields` names `container_no`")
    CONTAINER_NO_IN_USE = "container_no_in_use", Kind.VALIDATION, (
        "the container no. is already on a live (not cancelled) container of the shipment")
    NO_CONTAINER_FOR_MODE = "no_container_for_mode", Kind.STATE, (
        "a container is loaded at the factory for sea FCL, rail or truck; LCL, air and courier cargo leaves "
        "without one")
    CONTAINER_NOT_LOADING = "container_not_loading", Kind.STATE, (
        "the container is sealed or cancelled: its lines and seal no longer change")
    LOADING_ABOVE_STOCK = "loading_above_stock", Kind.VALIDATION, (
        "more loaded for an order line than is received and not yet loaded or shipped; `fields` names "
        "`lines.<order line id>.quantity` or `.cartons`")
    LOADING_ABOVE_PLAN = "loading_above_plan", Kind.VALIDATION, (
        "more loaded for an order line than its shipment line plans (all live containers together), or a line "
        "not on the shipment; `fields` names the line")
    SEAL_IN_USE = "seal_in_use", Kind.VALIDATION, (
        "the seal no. is already on another live (not cancelled) container; `fields` names `seal_no`")
    VGM_IMPLAUSIBLE = "vgm_implausible", Kind.VALIDATION, (
        "the verified gross mass is missing, not above zero, below tare + cargo gross weight or above the "
        "container's maximum gross mass; `fields` names `vgm_kg`")
    CONTAINER_EMPTY = "container_empty", Kind.STATE, "a container is sealed with cargo in it"
    CONTAINER_NOT_SEALED = "container_not_sealed", Kind.STATE, (
        "the shipment cannot leave: a live container is not yet sealed with its VGM, or a full container "
        "shipment has no container")
    NOT_IN_WAREHOUSE = "not_in_warehouse", Kind.STATE, (
        "the shipment cannot leave: a line's quantity is not received in the warehouse (goods leaving without "
        "a container)")
    # Bills of lading and shipping advice: gendan.shipping.services.bills / advice
    BILL_NOT_DRAFT = "bill_not_draft", Kind.STATE, (
        "a new draft of the B/L is entered only while the bill is still a draft (it was confirmed, issued or "
        "released)")
    BILL_KIND_MISMATCH = "bill_kind_mismatch", Kind.VALIDATION, (
        "the transport document does not fit the shipment's mode: an ocean B/L or sea waybill for sea freight, "
        "an air waybill for air freight; `fields` names `kind`")
    BILL_DIFFERENCES = "bill_differences", Kind.VALIDATION, (
        "the B/L draft differs from the shipment (the differences are listed on the bill); correct the draft or "
        "give the reason the differences are acceptable (`accept_reason`, e.g. consignee as the L/C requires)")
    ON_BOARD_IN_FUTURE = "on_board_in_future", Kind.VALIDATION, (
        "the on-board date (or the B/L's issue date) lies in the future; `fields` names it")
    ON_BOARD_BEFORE_EX_FACTORY = "on_board_before_ex_factory", Kind.VALIDATION, (
        "the on-board date is before the shipment's ex-factory date")
    SHIPMENT_NOT_SHIPPED = "shipment_not_shipped", Kind.STATE, (
        "the B/L is issued (and the sea shipping advice sent) only after the goods left the factory")
    BILL_NOT_ISSUED = "bill_not_issued", Kind.STATE, (
        "the order's B/L is released only once the bills of its shipped shipments are issued; the shipping "
        "advice of a sea shipment goes once its B/L is issued")
    INVALID_RELEASE_KIND = "invalid_release_kind", Kind.VALIDATION, (
        "an ocean B/L is released as originals, telex release or surrendered; a waybill as `waybill`")
    NO_ADVICE_RECIPIENT = "no_advice_recipient", Kind.VALIDATION, (
        "the customer has no contact with an email address to send the shipping advice to")
    # The document check (单单一致、单证一致): gendan.shipping.document_check
    INVALID_PRESENTATION = "invalid_presentation", Kind.VALIDATION, (
        "a presentation given to the document check is malformed (a wrong type, a number that is not a decimal "
        "or out of bounds, an impossible date, an unknown field or document kind, a tolerance over 100 %, an "
        "expiry before the latest shipment date); `fields` names the path, e.g. "
        "`documents.commercial_invoice.lines[2].quantity`")
