from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Workshop lines, the production schedule, daily progress, production instructions and exceptions."""

    name = "gendan.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from gendan.planning.panels import progress_panel
        from gendan.sales import panels

        panels.register("planning_progress", template="planning/_order_panel.html", context=progress_panel, rank=30,
                        tab="production", count=panels.shown_to("planning.view_progressentry"))
