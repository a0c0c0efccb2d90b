"""Error codes of export documents and letters of credit.

Besides these the app answers with core's ``transition_not_allowed``, ``conflict`` (stale
``version``), ``forbidden`` and ``validation_failed`` (``fields`` names the field).
"""

from gendan.core.errors import ErrorCode, Kind


class ExportDocsError(ErrorCode):
    # The credit register (信用证登记): gendan.exportdocs.services.credits
    EXPIRY_BEFORE_LATEST_SHIPMENT = "expiry_before_latest_shipment", Kind.VALIDATION, (
        "the credit's expiry date is before its latest shipment date")
    TOLERANCE_TOO_LARGE = "tolerance_too_large", Kind.VALIDATION, (
        "an amount or quantity tolerance over 100 %")
    UNKNOWN_DOCUMENT_KIND = "unknown_document_kind", Kind.VALIDATION, (
        "a document required by the credit (46A) is none of the kinds Gendan knows; `fields` names it")
    CREDIT_NUMBER_TAKEN = "credit_number_taken", Kind.VALIDATION, (
        "another credit of the same issuing bank has this number")
    ORDER_NOT_BY_CREDIT = "order_not_by_credit", Kind.VALIDATION, (
        "a credit is linked to orders paid by L/C (payment terms L/C at sight or usance) of the credit's customer "
        "and currency")
