"""OpenAPI: every operation documents the JSON error body next to its success answer."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance, is_patched_serializer, is_serializer
from rest_framework import serializers

from gendan.api.serializers.common import ErrorSerializer

ERROR_STATUSES = {
    "400": "invalid input (`validation_failed` with `fields`, `parse_error`) or a refused business rule",
    "401": "no or a wrong token (`not_authenticated`)",
    "403": "the user's role may not do this (`forbidden`)",
    "404": "missing, or not visible to this user (`not_found`: the same answer for both)",
}
# A write can meet a rule of the record's state or a stale ``version`` whatever its body.
WRITE_ERROR_STATUSES = {"409": "refused by the record's state or workflow, or a stale `version` (`conflict`, …)"}

# Every date a client sends goes through ``core.guards.parse_date``: 2000-01-01 to 2099-12-31.
DATE_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def merge_schema_rules(schema: dict, rules: dict) -> dict:
    """``rules`` written into ``schema``: nested objects merged key by key, ``required`` lists
    joined, anything else replaced."""
    for key, value in rules.items():
        if key == "properties" and isinstance(schema.get(key), dict):
            # only the fields the serializer has for this user (a role may not see some)
            value = {name: rule for name, rule in value.items() if name in schema[key]}
        if key == "required":
            schema[key] = sorted({*schema.get(key, []), *value})
        elif isinstance(value, dict) and isinstance(schema.get(key), dict):
            merge_schema_rules(schema[key], value)
        else:
            schema[key] = copy.deepcopy(value)
    return schema


def _model_bounds(field) -> tuple[Decimal | None, Decimal | None]:
    """The smallest and largest value the model field behind a ``ModelSerializer`` field declares
    (its ``MinValueValidator`` / ``MaxValueValidator``, the database's range of an integer among them,
    which ``ModelInput`` leaves to the service)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not isinstance(parent, serializers.ModelSerializer) or not isinstance(field.source, str):
        return None, None
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None, None
    low = high = None
    for validator in getattr(model_field, "validators", []):
        limit = getattr(validator, "limit_value", None)
        if callable(limit) or not isinstance(limit, (int, Decimal)):
            continue
        if isinstance(validator, MinValueValidator):
            low = Decimal(limit) if low is None else max(low, Decimal(limit))
        elif isinstance(validator, MaxValueValidator):
            high = Decimal(limit) if high is None else min(high, Decimal(limit))
    return low, high


def _decimal_pattern(*, whole_digits: int, places: int, low: Decimal | None, high: Decimal | None = None) -> str:
    """A decimal written as text with at most ``whole_digits`` digits before the point and ``places``
    after it: any sign without a lower bound; not negative from a lower bound of 0 up; from 1 or
    10^-k (0.01) only the values at least that (the first significant digit within k places); up to
    an upper bound of 10^k (100) when there is one."""
    fraction = rf"(?:\.\d{{0,{places}}})?"
    if low is None or low < 0:
        return rf"^-?\d{{1,{whole_digits}}}{fraction}$"
    step = low.normalize()
    if low == 0 or step != Decimal(1).scaleb(step.adjusted()) or step > 1:
        top = high.normalize() if high is not None else None
        if low == 0 and top is not None and top >= 1 and top == Decimal(1).scaleb(top.adjusted()) \
                and top.adjusted() < whole_digits:
            exact = rf"(?:\.0{{0,{places}}})?"
            return rf"^(?:\d{{1,{top.adjusted()}}}{fraction}|1{'0' * top.adjusted()}{exact})$"
        return rf"^\d{{1,{whole_digits}}}{fraction}$"
    whole = rf"[1-9]\d{{0,{whole_digits - 1}}}{fraction}"
    smallest = min(-step.adjusted(), places)  # 0.01 → 2: a value below one needs a digit there
    if smallest <= 0:
        return rf"^{whole}$"
    below_one = "|".join(rf"0{{{zeros}}}[1-9]\d{{0,{places - 1 - zeros}}}" for zeros in range(smallest))
    return rf"^(?:{whole}|0?\.(?:{below_one}))$"


def _takes_files(serializer) -> bool:
    serializer = force_instance(serializer)
    return is_serializer(serializer) and any(isinstance(field, serializers.FileField)
                                             for field in serializer.fields.values())


class ApiAutoSchema(AutoSchema):
    """The contract as the server keeps it (checked by ``scripts/api_fuzz.py``): bodies are JSON
    (multipart only where a file is sent; nested lines cannot travel as form fields), request
    dates within 2000–2099, and a ``PATCH`` carries the record's ``version`` (stale edits: 409)."""

    def map_parsers(self):
        media_types = super().map_parsers()
        if "application/json" in media_types and not _takes_files(self.get_request_serializer()):
            return ["application/json"]
        return [media_type for media_type in media_types if media_type != "application/x-www-form-urlencoded"]

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(schema, dict) and schema.get("format") == "date":
            schema.setdefault("pattern", DATE_PATTERN)
        if direction != "request" or not isinstance(schema, dict):
            return schema
        if isinstance(field, serializers.DecimalField) and "pattern" in schema and field.max_whole_digits:
            # spectacular's pattern admits "", "-" and "."; DRF reads none of them as a number
            low, high = _model_bounds(field)
            low = Decimal(field.min_value) if field.min_value is not None else low
            high = Decimal(field.max_value) if field.max_value is not None else high
            schema["pattern"] = _decimal_pattern(whole_digits=field.max_whole_digits, places=field.decimal_places,
                                                 low=low, high=high)
        elif isinstance(field, serializers.IntegerField) and schema.get("type") == "integer":
            low, high = _model_bounds(field)
            if low is not None and "minimum" not in schema:
                schema["minimum"] = int(low)
            if high is not None and "maximum" not in schema:
                schema["maximum"] = int(high)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        rules = getattr(force_instance(serializer), "request_schema_rules", None)
        if direction == "request" and rules:
            # rules of the whole body the fields alone cannot state (at least one line, a name in one of
            # two fields, these fields together): JSON Schema beside the fields' own
            if callable(rules):
                rules = rules(partial=is_patched_serializer(serializer, direction))
            merge_schema_rules(schema, rules)
        version = force_instance(serializer).fields.get("version")
        if (is_patched_serializer(serializer, direction) and version is not None and not version.read_only
                and "version" in schema.get("properties", {})):
            schema["required"] = sorted({*schema.get("required", []), "version"})
        return schema

    def get_serializer_name(self, serializer, direction):
        """Component names without the code's ``Out`` / ``Input`` suffixes: ``OrderList``,
        ``OrderCreateRequest``."""
        name = super().get_serializer_name(serializer, direction)
        for suffix in ("Out", "Input"):
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
        return self._unique_name(serializer, direction, name)

    # component name (as spectacular completes it) → the serializer class that holds it
    _component_owners: dict[str, str] = {}

    def _unique_name(self, serializer, direction, name: str) -> str:
        """Two serializers of the same name in two modules (``ReasonInput`` of production and of
        receivables) made one component: the first keeps the name, the other is prefixed with its
        module (``ReceivablesCreditReasonRequest``) — the schema no longer describes one with the other."""
        cls = type(force_instance(serializer))
        if not cls.__module__.startswith("gendan."):
            return name
        owner = f"{cls.__module__}.{cls.__qualname__}"
        component = name + ("Request" if direction == "request" else "")
        if self._component_owners.setdefault(component, owner) == owner:
            return name
        module = cls.__module__.rsplit(".", 1)[-1]
        return "".join(part.capitalize() for part in module.split("_")) + name

    def _is_list_view(self, serializer=None) -> bool:
        # a view set whose ``list`` answers one report object (``one_object_list = True``), not rows
        if getattr(self.view, "one_object_list", False) and getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)

    def get_paginated_name(self, serializer_name: str) -> str:
        return f"Paginated{serializer_name}" if serializer_name.endswith("List") else f"Paginated{serializer_name}List"

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        writes = WRITE_ERROR_STATUSES if self.method in ("POST", "PUT", "PATCH", "DELETE") else {}
        errors = {**ERROR_STATUSES, **writes}
        for status, description in errors.items():
            if status not in responses:
                responses[status] = {**self._get_response_for_code(ErrorSerializer, status),
                                     "description": description}
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The hashed API tokens (``api.authentication``) in the schema: ``Authorization: Token <secret>``."""

    target_class = "gendan.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <secret>` (or `Bearer <secret>`): a token from `POST /api/v1/auth/token/` "
                               "or the profile page; shown once, expires, revocable."}
