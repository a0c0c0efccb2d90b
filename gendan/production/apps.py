from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """Production orders to own workshops and outsourced factories (follow-up details come later)."""

    name = "gendan.production"
    label = "production"
    verbose_name = _("Production")
