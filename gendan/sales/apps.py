from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    """Quotations, sales orders with their confirmations, revisions (change orders) and PI/contract documents."""

    name = "gendan.sales"
    label = "sales"
    verbose_name = _("Sales")
