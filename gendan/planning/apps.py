from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Workshop lines, the production schedule, daily progress, production instructions and exceptions."""

    name = "gendan.planning"
    label = "planning"
    verbose_name = _("Planning")
