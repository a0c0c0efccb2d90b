from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """T&A plans, milestones, the chase board, communications and meetings."""

    name = "gendan.tracking"
    label = "tracking"
    verbose_name = _("T&A")

    def ready(self) -> None:
        from gendan.tracking.defaults import templates_sync

        post_migrate.connect(templates_sync, sender=self, dispatch_uid="gendan_tracking_templates")
        from gendan.tracking.views import register_panels

        register_panels()
        from gendan.tracking.views_comms import register_comms

        register_comms()
        from gendan.tracking.views_chatter import register_chatter

        register_chatter()  # the order page's chatter (notes, messages, @mentions)
        import gendan.tracking.reactions  # noqa: F401  (subscribes to the other apps' domain events)
        from gendan.tracking import order_filters

        order_filters.register()  # the order list's "T&A risk" filter
        from gendan.exportdocs.forecasts import register_etd_forecast
        from gendan.tracking.forecasts import etd_forecast_of_orders

        register_etd_forecast(etd_forecast_of_orders)  # the credit examination's "T&A's forecast" (审证)
