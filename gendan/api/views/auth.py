"""Getting and revoking an API token; who am I."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.accounts.services import client_ip
from gendan.api import services
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.views.base import LanguageMixin


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                 help_text="Which client uses the token (shown on the profile page).")
    expires_in_days = serializers.IntegerField(min_value=1, max_value=3650, required=False,
                                               help_text="Days the token is valid (default 90, at most 365).")


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text="The secret: shown this once, only a hash of it is stored.")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()
    created = serializers.BooleanField()


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")
    email = serializers.EmailField()
    language = serializers.CharField()
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)


class TokenView(LanguageMixin, APIView):
    """``POST`` username and password (and a name, a validity in days) → a new API token, shown
    once (throttled like the login form); ``DELETE`` with a token → that token is revoked."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return super().get_permissions()

    required_perms = {"delete": ()}

    @extend_schema(request=TokenInput, responses={
        201: TokenOut,
        429: OpenApiResponse(ErrorSerializer, description="`login_locked`: too many wrong passwords for this "
                                                          "account or address; try again later")}, auth=[])
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        token, secret = services.api_token_issue(
            username=values["username"], password=values["password"], ip=client_ip(request),
            request=request._request, name=values.get("name", ""), days=values.get("expires_in_days"))
        return Response({"token": secret, "name": token.name, "expires_at": token.expires_at, "created": True},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_token_revoke(user=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(LanguageMixin, APIView):
    """The authenticated user: name, language and roles."""

    required_perms = {"get": ()}

    @extend_schema(responses=MeOut)
    def get(self, request):
        return Response(MeOut(request.user).data)
