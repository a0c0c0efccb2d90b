from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """T&A plans, milestones, the chase board, communications and meetings."""

    name = "gendan.tracking"
    label = "tracking"
    verbose_name = _("T&A")
