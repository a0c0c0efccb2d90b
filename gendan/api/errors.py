"""Every API error is JSON ``{"code", "message", "fields"}``, in the user's language.

``exception_handler`` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns each kind of failure into
that shape: the services' coded ``BusinessError`` keeps its status, code and field messages;
serializer errors become ``validation_failed`` with one entry per field (nested fields named
like the services name them, ``lines[0].quantity``); Django's ``Http404`` from a scoped
selector is ``not_found`` — the same answer for "missing" and "not yours"; anything
unexpected is logged and answered ``server_error`` without a traceback.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import set_rollback

from gendan.core.errors import BusinessError

log = logging.getLogger("gendan.api")

# DRF exception class → our error code. Messages are DRF's own (translated by its catalogue).
CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.ValidationError, "validation_failed"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "not_authenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
]


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Return DRF's nested error detail as ``{"field": [...], "lines[0].quantity": [...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == "__all__" and prefix:
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for sub, messages in flatten_errors(value, name).items():
                out.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            if detail:
                out[prefix or "__all__"] = [str(item) for item in detail]
        else:  # one entry per list item (many=True serializers); empty dicts are valid items
            for index, item in enumerate(detail):
                for sub, messages in flatten_errors(item, f"{prefix}[{index}]").items():
                    out.setdefault(sub, []).extend(messages)
    else:
        out[prefix or "__all__"] = [str(detail)]
    return out


def _api_exception_body(exc: exceptions.APIException) -> dict:
    code = next((c for cls, c in CODES if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        name, messages = next(iter(fields.items()), ("__all__", [exceptions.ValidationError.default_detail]))
        message = messages[0] if name == "__all__" else f"{name}: {messages[0]}"
        return error_body(code, message, fields)
    detail = exc.detail
    if isinstance(detail, (list, dict)):
        fields = flatten_errors(detail)
        return error_body(code, next(iter(fields.values()))[0] if fields else exc.default_detail, fields)
    return error_body(code, detail)


def exception_handler(exc, context) -> Response:
    """REST framework's exception handler for the whole API: always a JSON error body."""
    set_rollback()
    if isinstance(exc, BusinessError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(error_body("too_large", exceptions.ParseError.default_detail),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", exceptions.ParseError.default_detail),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response(_api_exception_body(exc), status=exc.status_code, headers=headers)
    view = context.get("view")
    log.exception("API error in %s", type(view).__name__ if view else "?")
    return Response(error_body("server_error", exceptions.APIException.default_detail),
                    status=status.HTTP_500_INTERNAL_SERVER_ERROR)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def unknown_url(request, path: str = ""):
    """Any URL under /api/v1/ that names no endpoint: a JSON 404 like every other error."""
    raise exceptions.NotFound()
