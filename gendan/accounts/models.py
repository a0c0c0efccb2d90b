"""People and organisation: users, regions (省区) and teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.accounts.access import access_of
from gendan.core.models import BilingualNameMixin


class Region(BilingualNameMixin, models.Model):
    """A sales region (省区 / export market). Regional managers see the customers of their region."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.display_name


class Team(models.Model):
    """A sales team: salespeople and merchandisers who share their customers."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("region"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Roles are Django groups (``accounts.roles.Role``)."""

    class Language(models.TextChoices):
        ZH = "zh-hans", "简体中文"
        EN = "en", "English"

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("team")
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="managers",
        verbose_name=_("managed region"),
        help_text=_("For regional managers: the region whose customers they see. Empty = all regions."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        """The user's role codes, cached on the instance for the request and across requests in
        the shared cache (``accounts.access``)."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = access_of(self).roles if self.pk is not None else frozenset()
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))


class LoginFailure(models.Model):
    """Failed logins counted per username or per address (a hash of it), in the database so
    that every worker process — one or ten, on one server or two — sees the same count and the
    same lock, with or without a shared cache. ``until`` (seconds since the epoch) is when the
    count expires: each failure pushes it to now + the lock time."""

    class Kind(models.TextChoices):
        USER = "user", _("username")
        IP = "ip", _("address")

    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=64)
    count = models.PositiveIntegerField(_("failures"), default=0)
    until = models.FloatField(_("counted until"))

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="uniq_login_failure_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key[:8]} × {self.count}"


class ApiToken(models.Model):
    """An API token of a user (issue 10, item 6). Only a hash of the secret is stored, so a dump
    of the database holds no working credential; the secret is shown once, when it is made.
    Each has a name (which client uses it), an expiry and a last-used time, and is revoked from
    the profile page, by ``DELETE /api/v1/auth/token/`` — or by any change of the password:
    ``password_mark`` is a keyed hash of the password hash at creation, so a token stops
    working as soon as the password is no longer the one it was made under."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("starts with"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    password_mark = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("why revoked"), max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
