"""Files attached to business objects: PO scans, faxes, photos, B/L copies, reports."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_UNSAFE = re.compile(r"[^A-Za-z0-9\-_.\u4e00-\u9fff]+")


def attachment_path(instance: Attachment, filename: str) -> str:
    """attachments/<year>/<month>/<object number>/<file> — archived by year, month and number
    (seed 001 第五篇 五: 按年月及订单号建档存储)."""
    now = timezone.localtime()
    owner_no = _UNSAFE.sub("_", instance.owner_number or "misc")[:60] or "misc"
    name = _UNSAFE.sub("_", filename)[-120:] or "file"
    return f"attachments/{now:%Y}/{now:%m}/{owner_no}/{name}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PO = "po", _("customer PO / written order")
        FAX = "fax", _("fax")
        EMAIL = "email", _("email")
        PHOTO = "photo", _("photo / image")
        CONTRACT = "contract", _("contract / PI")
        BL_COPY = "bl_copy", _("B/L copy")
        REPORT = "report", _("report")
        SPEC = "spec", _("customer specification / artwork")
        OTHER = "other", _("other")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    owner_number = models.CharField(_("object number"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-uploaded_at"], name="attachment_owner")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("documents:attachment_download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")
