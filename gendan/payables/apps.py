from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayablesConfig(AppConfig):
    """Money we owe and money we get back (应付, 对账, 出口退税) and what an order earns: supplier
    invoices and their VAT invoices, payments to suppliers, monthly supplier statements, export
    tax rebates per shipment, and the profit of each order."""

    name = "gendan.payables"
    label = "payables"
    verbose_name = _("Payables")

    def ready(self) -> None:
        from gendan.payables import extensions

        extensions.register()
