from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    """Shipments of sales orders (partial allowed) and the release of the original B/L."""

    name = "gendan.shipping"
    label = "shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        from gendan.sales import panels
        from gendan.shipping import order_extensions
        from gendan.shipping.views_bookings import shipping_panel

        panels.register("shipping", template="shipping/_order_panel.html", context=shipping_panel, rank=50,
                        tab="shipments", count=panels.shown_to("shipping.view_booking"))
        order_extensions.register()  # the shipment sub-state and the "ship" action on the order
