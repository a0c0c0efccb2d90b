from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    """Money owed to us (应收): the customer ledger and statements of account, aging, dunning
    (催款) with credit hold, credit limits, and receipts proposed from the bank's statement."""

    name = "gendan.receivables"
    label = "receivables"
    verbose_name = _("Receivables")

    def ready(self) -> None:
        from gendan.receivables import extensions

        extensions.register()
        from gendan.receivables import customer_sections

        customer_sections.register()  # the customer page's "open money" tab
