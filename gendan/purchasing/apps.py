from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    """Material requirements from BOMs and purchase orders for materials."""

    name = "gendan.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from gendan.production import materials
        from gendan.purchasing import readiness
        from gendan.purchasing.views.panels import register_panels

        register_panels()
        materials.register(readiness.materials_due)  # the schedule warns when work starts before its materials
        from gendan.core.domain_events import subscribe
        from gendan.production.events import ProductionOrderReissued
        from gendan.purchasing.services.versions import on_production_order_reissued

        subscribe(ProductionOrderReissued, on_production_order_reissued)  # a change order re-issues its POs
