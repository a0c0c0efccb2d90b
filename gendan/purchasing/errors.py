"""Error codes of purchasing: BOM confirmation, material requirements, purchase orders and
goods received (docs/workflows/purchasing.md).

Besides these purchasing answers with core's codes (``core.errors.CoreError``): ``forbidden``
(only purchasing manages purchase orders and requirements; engineering confirms BOMs),
``not_found``, ``conflict`` (stale ``version``), ``transition_not_allowed`` (the purchase
order's workflow forbids the step), ``reason_required`` and ``validation_failed``.
"""

from gendan.core.errors import ErrorCode, Kind


class PurchasingError(ErrorCode):
    # the BOM
    NO_BOM = "no_bom", Kind.GATE, "BOM rule: none of the production order's products has a bill of materials"
    ALREADY_CONFIRMED = "already_confirmed", Kind.STATE, "the production order's BOM is already confirmed"
    BOM_NOT_CONFIRMED = "bom_not_confirmed", Kind.GATE, (
        "BOM rule: material requirements come from a confirmed BOM; confirm it first")
    # purchase orders
    NOT_EDITABLE = "not_editable", Kind.STATE, "the purchase order went to the supplier: only a draft can be edited"
    EMPTY = "empty", Kind.VALIDATION, "a purchase order without lines cannot be sent"
    ETA_MISSING = "eta_missing", Kind.VALIDATION, "the supplier's confirmation needs an ETA on every line"
