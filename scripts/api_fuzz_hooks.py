"""Schemathesis hooks for scripts/api_fuzz.py (loaded through SCHEMATHESIS_HOOKS).

``valid_request_accepted`` is schemathesis' ``positive_data_acceptance`` (ST202, "schema-valid
request rejected") with one distinction the schema cannot draw: a request whose *shape* the
schema allows may still be refused because of the *data it points at* — an id of a record that
does not exist (``customer: 0``), or a rule of the record's state that the API answers with its
own business code (``request_not_possible``: "the deposit has been received"; ``eta_before_etd``
against the stored ETD). Those refusals are the contract working, not a schema that lies, so they
pass. Everything else a schema-valid request is refused for — ``validation_failed`` about the
value itself, a required field the schema calls optional, a format it does not state — fails,
and is fixed in the code or in the schema (``gendan/api/schema.py``, ``extend_schema``).
"""

from __future__ import annotations

import json
import re

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

# Codes that judge the request's own shape: never "refused by the state of the data".
SHAPE_CODES = {"validation_failed", "parse_error", "bad_request", "unsupported_media_type", "too_large"}
# A field error that names a record the request points at which does not exist (DRF's
# PrimaryKeyRelatedField / SlugRelatedField and the scoped references).
MISSING_RECORD = re.compile(r"does not exist|^Invalid pk ")

# Known, open "valid request rejected" findings: the schema states less than the server checks,
# in ways not yet written into it. Each is a debt to pay (fix the schema, then delete the line);
# a rejection on any operation not listed here fails the build. (Listed by operation label.)
OPEN_FINDINGS = {
    "POST /api/v1/credits/": "the request schema lists 2 of the register's MT700 fields (CreditInput is a stub)",
    "POST /api/v1/orders/{id}/confirmations/": "a verbal confirmation needs contact_name, phone_number and "
                                               "summary; a written one a file (oneOf by kind not stated)",
    "POST /api/v1/receipts/": "the file travels only in multipart, the allocations only in JSON",
    "POST /api/v1/goods-receipts/": "quantity, dates and choices are plain strings checked by the service",
    "POST /api/v1/orders/{id}/release-production/": "assignments[].lines: {line id: quantity} not typed",
    "POST /api/v1/orders/{id}/ship/": "lines: {line id: quantity} not typed",
    "POST /api/v1/production-orders/{id}/accept/": "committed_due_date may not lie in the past (today's date)",
    "POST /api/v1/products/": "name_zh or name_en: one of them is required (anyOf not stated)",
    "POST /api/v1/customers/": "name_zh or name_en: one of them is required (anyOf not stated)",
    "POST /api/v1/supplier-invoices/{id}/payments/": "amount: a number, stated as any string",
    "POST /api/v1/milestones/{id}/reschedule/": "expected_date may not lie in the past (today's date)",
    "POST /api/v1/shipments/{id}/certificates/": "kind: one of the certificate kinds (no enum in the schema)",
    "POST /api/v1/shipments/{id}/dispatches/": "documents: at least one, with originals and copies",
    "PATCH /api/v1/products/{id}/": "carton dimensions: all three or none, each above zero",
    "POST /api/v1/orders/": "lines: at least one, each with a quantity above zero (service rules, not stated)",
    "POST /api/v1/quotations/": "lines: at least one; each a description or a product, a quantity above zero",
    # brand-new endpoints of the receivables / payables helpers (issue 10 report)
    "POST /api/v1/bank-statements/": "currency: an existing currency code (not an enum in the schema)",
    "POST /api/v1/supplier-invoices/": "kind, amount, invoice_date, note: stated looser than the service checks",
    "POST /api/v1/supplier-statements/": "supplier required, month as YYYY-MM: not in the schema",
    # rules between fields or against today's date, which a schema cannot state
    "POST /api/v1/orders/{id}/revisions/": "the requested delivery date may not be before the ex-factory date",
    "POST /api/v1/rebates/": "declared_on may not lie in the future (today's date); text dates checked by the service",
    "POST /api/v1/rebates/{id}/file/": "filed_on may not lie in the future (today's date)",
    "POST /api/v1/rebates/{id}/receive/": "received_on may not lie in the future (today's date); amount and date "
                                          "are text the service checks",
}


def refused_by_state(body) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return False
    if body["code"] not in SHAPE_CODES:
        return True
    fields = body.get("fields") or {}
    messages = [message for value in fields.values()
                for message in (value if isinstance(value, list) else [value])]
    return bool(messages) and all(MISSING_RECORD.search(str(message)) for message in messages)


@schemathesis.check
def valid_request_accepted(ctx, response, case):
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if refused_by_state(body) or case.operation.label in OPEN_FINDINGS:
            return None
        raise
