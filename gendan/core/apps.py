from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Money, numbering, the audit/event log and the shared UI building blocks."""

    name = "gendan.core"
    label = "core"
    verbose_name = _("Core")
