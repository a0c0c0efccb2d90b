"""What every API view shares: the user's language, and small helpers for thin actions."""

from __future__ import annotations

from django.utils import translation
from rest_framework import viewsets
from rest_framework.response import Response


def request_language(request) -> str | None:
    """The language of the answer: the first supported language of an explicit
    ``Accept-Language`` header, else the authenticated user's saved language."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(","):
        code = part.split(";")[0].strip()
        if not code or code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", ""):
        return user.language
    return None


class LanguageMixin:
    """Activate the answer's language right after authentication (a token user is known only
    here, after the middleware ran), so permission refusals are translated too."""

    def perform_authentication(self, request) -> None:
        super().perform_authentication(request)
        language = request_language(request._request)
        if language:
            translation.activate(language)
            request._request.LANGUAGE_CODE = language


class ApiViewSet(LanguageMixin, viewsets.GenericViewSet):
    """A view set whose actions each parse input, call one service or selector and render.

    ``required_perms`` maps each action to the permissions it needs (see ``ActionPermission``).
    """

    required_perms: dict[str, tuple[str, ...]] = {}
    lookup_value_regex = r"\d+"  # ids are integers; anything else is an unknown URL (404)

    def parse(self, serializer_class, data=None, **kwargs) -> dict:
        """Validate the request body with ``serializer_class``; return its validated data."""
        serializer = serializer_class(data=self.request.data if data is None else data,
                                      context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(self, serializer_class, instance, *, status: int = 200) -> Response:
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status)

    def render_many(self, serializer_class, objects) -> Response:
        return Response(serializer_class(objects, many=True, context=self.get_serializer_context()).data)

    def paginated(self, queryset, serializer_class) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)
