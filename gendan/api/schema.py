"""OpenAPI: every operation documents the JSON error body next to its success answer."""

from __future__ import annotations

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
        if (direction == "request" and isinstance(field, serializers.DecimalField) and isinstance(schema, dict)
                and "pattern" in schema and field.max_whole_digits):
            # spectacular's pattern admits "", "-" and "."; DRF reads none of them as a number
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            schema["pattern"] = rf"^{sign}\d{{1,{field.max_whole_digits}}}(?:\.\d{{0,{field.decimal_places}}})?$"
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
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
