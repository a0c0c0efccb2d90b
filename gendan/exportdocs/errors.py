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

    # --- credits part (h2): the ship gate, examination and amendments (services/credits.py, examination.py,
    # amendments.py) ---
    GATE_CREDIT = "gate_credit", Kind.GATE, (
        "an order paid by L/C ships only under a live credit that was examined workable (accepted) and covers it")
    CREDIT_NOT_LIVE = "credit_not_live", Kind.STATE, (
        "the credit is closed or cancelled: it can no longer be examined, amended or linked")
    AMENDMENT_NO_CHANGES = "amendment_no_changes", Kind.VALIDATION, (
        "an amendment advised by the bank names no change of the credit's fields (or only fields Gendan does not "
        "know); `fields` names them")
    NOTHING_TO_AMEND = "nothing_to_amend", Kind.VALIDATION, (
        "an amendment is requested from the examination's findings, and none of them needs an amendment")

    # --- dispatch part (h4): certificates, the set's check, discrepancy acceptance, dispatch and its results
    # (services/certificates.py, presentation.py, dispatch.py) ---
    CERTIFICATE_FILE_TYPE = "certificate_file_type", Kind.VALIDATION, (
        "a certificate received is uploaded as a PDF or an image (the content is checked, not the name)")
    RECEIVED_BEFORE_APPLIED = "received_before_applied", Kind.VALIDATION, (
        "a certificate cannot be received before the day it was applied for")
    CERTIFICATE_NOT_RECEIVED = "certificate_not_received", Kind.STATE, (
        "a certificate is checked once it is received (with its file)")
    CREDIT_MISSING = "credit_missing", Kind.VALIDATION, (
        "an order paid by L/C is presented only under a credit: register the credit first")
    SET_NOT_GENERATED = "set_not_generated", Kind.STATE, (
        "the shipment has no generated documents (commercial invoice, packing list …) to check or dispatch")
    DISCREPANCY_NOT_FOUND = "discrepancy_not_found", Kind.VALIDATION, (
        "only a discrepancy the set's check finds now can be accepted; `fields` names the field")
    DISCREPANCIES_OPEN = "discrepancies_open", Kind.GATE, (
        "the set is dispatched only when its check is compliant or a manager accepted every remaining "
        "discrepancy; the message lists them")
    CHANNEL_NOT_FOR_TERMS = "channel_not_for_terms", Kind.VALIDATION, (
        "the documents go by the order's payment terms: L/C → bank_credit, D/P / D/A → bank_collection, "
        "T/T and O/A → courier")
    DRAWING_OVER_CREDIT = "drawing_over_credit", Kind.GATE, (
        "the invoice total exceeds the credit's undrawn balance (with its tolerance)")
    BANK_RESULT_ROLE = "bank_result_role", Kind.PERMISSION, (
        "only finance or a manager records the bank's result of a presentation or collection")

    # The document set of a shipment (documents part): gendan.exportdocs.services.documents
    DOCUMENTS_SHIPMENT_CANCELLED = "documents_shipment_cancelled", Kind.STATE, (
        "documents are not made for a cancelled shipment")
    DOCUMENT_NOT_IN_SET = "document_not_in_set", Kind.VALIDATION, (
        "a document asked for is not one Gendan makes for this shipment (its terms or credit do not need it); "
        "`fields.kinds` names it")
