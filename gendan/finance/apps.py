from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Payment terms and plans, payment requests, receipts and their allocation to orders."""

    name = "gendan.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from gendan.documents.registry import register_owner
        from gendan.finance.selectors import receipt_get_for_user

        # Bank slips: seen by whoever may open the receipt, added or removed by finance only.
        register_owner("finance.receipt", receipt_get_for_user, change_perm="finance.change_receipt")
        from gendan.finance import order_extensions

        order_extensions.register()  # gates, payment sub-state and plan, actions on the order
