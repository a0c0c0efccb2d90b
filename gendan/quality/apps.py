from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    """Inspections with AQL sampling, samples and first-article approvals."""

    name = "gendan.quality"
    label = "quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from gendan.documents.registry import register_owner
        from gendan.quality.panels import inspection_count, inspection_panel, sample_count, sample_panel
        from gendan.quality.selectors import (
            first_article_get_for_user,
            inspection_get_for_user,
            sample_get_for_user,
        )
        from gendan.sales import panels

        register_owner("quality.inspection", inspection_get_for_user, change_perm="quality.record_inspection_result")
        register_owner("quality.firstarticle", first_article_get_for_user, change_perm="quality.change_firstarticle")
        register_owner("quality.sample", sample_get_for_user, change_perm="quality.change_sample")
        panels.register("quality_samples", template="quality/_order_samples.html", context=sample_panel, rank=40,
                        tab="samples", count=sample_count)
        panels.register("quality_inspections", template="quality/_order_inspections.html",
                        context=inspection_panel, rank=45, tab="inspections", count=inspection_count)
        from gendan.quality import order_gates, production_gates

        order_gates.register()  # the order's final-inspection gate and quality defaults
        production_gates.register()  # the first-article rule on the start of mass production
