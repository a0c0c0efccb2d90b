"""Schemathesis hooks for scripts/api_fuzz.py (loaded through SCHEMATHESIS_HOOKS).

``valid_request_accepted`` is schemathesis' ``positive_data_acceptance`` (ST202, "schema-valid
request rejected") with one distinction the schema cannot draw: a request whose *shape* the
schema allows may still be refused because of the *data it points at* — an id of a record that
does not exist (``customer: 0``), or a rule of the record's state that the API answers with its
own business code (``request_not_possible``: "the deposit has been received"; ``eta_before_etd``
against the stored ETD), or a rule no schema can state, which has a code of its own
(``core.errors.RULE_CODES``: ``date_in_future`` / ``date_in_past`` against today's date,
``dates_out_of_order`` and ``values_inconsistent`` between fields, ``record_mismatch`` between
records…; stated in words in the field's description). Those refusals are the contract working,
not a schema that lies, so they pass. Everything else a schema-valid request is refused for — ``validation_failed`` about the
value itself, a required field the schema calls optional, a format it does not state — fails,
and is fixed in the code or in the schema (``gendan/api/schema.py``, ``extend_schema``).
"""

from __future__ import annotations

import json
import re
import threading

import schemathesis
from hypothesis.internal import lambda_sources
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
OPEN_FINDINGS: dict[str, str] = {}


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


# CPython 3.11 can fail a `compile()` when two threads build ASTs at once ("AST constructor recursion depth
# mismatch", python/cpython#106905, fixed in later releases). Hypothesis parses a strategy's source file the first time it
# describes one of its lambdas, and schemathesis' workers are threads: one such race failed an operation on a
# busy machine. The descriptions are computed one at a time (they are cached, so this costs nothing after the
# first of each).
_describe = lambda_sources.lambda_description
_describing = threading.Lock()


def _lambda_description_one_at_a_time(f):
    with _describing:
        return _describe(f)


lambda_sources.lambda_description = _lambda_description_one_at_a_time
