from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    """Inspections with AQL sampling, samples and first-article approvals."""

    name = "gendan.quality"
    label = "quality"
    verbose_name = _("Quality")
