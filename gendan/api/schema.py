"""OpenAPI: every operation documents the JSON error body next to its success answer."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from gendan.api.serializers.common import ErrorSerializer

ERROR_STATUSES = {
    "400": "invalid input (`validation_failed` with `fields`, `parse_error`) or a refused business rule",
    "401": "no or a wrong token (`not_authenticated`)",
    "403": "the user's role may not do this (`forbidden`)",
    "404": "missing, or not visible to this user (`not_found`: the same answer for both)",
}


class ApiAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        """Component names without the code's ``Out`` / ``Input`` suffixes: ``OrderList``,
        ``OrderCreateRequest``."""
        name = super().get_serializer_name(serializer, direction)
        for suffix in ("Out", "Input"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name

    def get_paginated_name(self, serializer_name: str) -> str:
        return f"Paginated{serializer_name}" if serializer_name.endswith("List") else f"Paginated{serializer_name}List"

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, description in ERROR_STATUSES.items():
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
