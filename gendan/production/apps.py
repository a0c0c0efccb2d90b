from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """Production orders to own workshops and outsourced factories: states, PDFs, allocation."""

    name = "gendan.production"
    label = "production"
    verbose_name = _("Production")

    def ready(self) -> None:
        from gendan.production.views import order_panel
        from gendan.sales import panels

        def production_count(request, order):  # the order's production orders, already prefetched
            return len(order.production_orders.all()) if request.user.has_perm("production.view_productionorder") \
                else None

        panels.register("production", template="production/_order_panel.html", context=order_panel, rank=20,
                        tab="production", count=production_count)
        from gendan.production import order_extensions

        order_extensions.register()  # production sub-state, release action, reactions to the order's events
