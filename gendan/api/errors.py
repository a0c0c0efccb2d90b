"""Every API error is JSON ``{"code", "message", "fields"}``, in the user's language.

``exception_handler`` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns each kind of failure into
that shape, and its status always comes from the one mapping (``core.errors.STATUS`` through
the code's kind), never from here: the services' coded ``BusinessError`` keeps its code and
field messages; serializer errors become ``validation_failed`` with one entry per field (nested
fields named like the services name them, ``lines[0].quantity``); Django's ``Http404`` from a
scoped selector is ``not_found`` — the same answer for "missing" and "not yours"; anything
unexpected is logged and answered ``server_error`` without a traceback. The API's own codes
(``ApiError``) are declared here like every app's.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import set_rollback

from gendan.core.errors import BusinessError, CoreError, ErrorCode, Kind, error_status

log = logging.getLogger("gendan.api")


class ApiError(ErrorCode):
    """The codes of the API's edge itself: HTTP, not business."""

    PARSE_ERROR = "parse_error", Kind.VALIDATION, "the body is not valid JSON (or multipart)"
    BAD_REQUEST = "bad_request", Kind.VALIDATION, "a malformed request (e.g. too many fields)"
    NOT_AUTHENTICATED = "not_authenticated", Kind.AUTHENTICATION, "no token, a wrong token, an inactive user"
    METHOD_NOT_ALLOWED = "method_not_allowed", Kind.METHOD, "the URL does not take this method (e.g. `DELETE` on an order)"
    NOT_ACCEPTABLE = "not_acceptable", Kind.NOT_ACCEPTABLE, "the `Accept` header names no format the API answers in"
    TOO_LARGE = "too_large", Kind.TOO_LARGE, "the request body is larger than the server accepts"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", Kind.MEDIA_TYPE, "a body that is neither JSON nor multipart"
    THROTTLED = "throttled", Kind.THROTTLED, "too many requests; `Retry-After` says when to try again"
    SERVER_ERROR = "server_error", Kind.SERVER, "a bug; logged on the server, no details in the answer"


# DRF exception class → our error code. Messages are DRF's own (translated by its catalogue).
CODES: list[tuple[type[exceptions.APIException], ErrorCode]] = [
    (exceptions.ValidationError, CoreError.VALIDATION_FAILED),
    (exceptions.ParseError, ApiError.PARSE_ERROR),
    (exceptions.NotAuthenticated, ApiError.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ApiError.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, CoreError.FORBIDDEN),
    (exceptions.NotFound, CoreError.NOT_FOUND),
    (exceptions.MethodNotAllowed, ApiError.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ApiError.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ApiError.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ApiError.THROTTLED),
]


def api_error_code(exc: exceptions.APIException) -> ErrorCode:
    """The code of one of REST framework's exceptions (``server_error`` for an unknown one)."""
    return next((code for cls, code in CODES if isinstance(exc, cls)), ApiError.SERVER_ERROR)


def error_body(code: ErrorCode | str, message, fields: dict | None = None) -> dict:
    return {"code": str(code), "message": str(message), "fields": fields or {}}


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


def _api_exception_body(exc: exceptions.APIException, code: ErrorCode) -> dict:
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
    """REST framework's exception handler for the whole API: always a JSON error body, with the
    status of the one mapping (``core.errors``)."""
    set_rollback()
    if isinstance(exc, BusinessError):
        return Response(exc.as_dict(), status=error_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return _answer(ApiError.TOO_LARGE, error_body(ApiError.TOO_LARGE, exceptions.ParseError.default_detail))
    elif isinstance(exc, SuspiciousOperation):
        return _answer(ApiError.BAD_REQUEST, error_body(ApiError.BAD_REQUEST, exceptions.ParseError.default_detail))
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        code = api_error_code(exc)
        return _answer(code, _api_exception_body(exc, code), headers=headers)
    view = context.get("view")
    log.exception("API error in %s", type(view).__name__ if view else "?")
    return _answer(ApiError.SERVER_ERROR, error_body(ApiError.SERVER_ERROR, exceptions.APIException.default_detail))


def _answer(code: ErrorCode, body: dict, headers: dict | None = None) -> Response:
    return Response(body, status=code.status, headers=headers)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def unknown_url(request, path: str = ""):
    """Any URL under /api/v1/ that names no endpoint: a JSON 404 like every other error."""
    raise exceptions.NotFound()
