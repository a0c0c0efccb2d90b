from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Payment terms and plans, payment requests, receipts and their allocation to orders."""

    name = "gendan.finance"
    label = "finance"
    verbose_name = _("Finance")
