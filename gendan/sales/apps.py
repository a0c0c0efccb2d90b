from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    """Quotations, sales orders with their confirmations, revisions (change orders) and PI/contract documents."""

    name = "gendan.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from gendan.core.search import register
        from gendan.sales.search import search_orders, search_quotations

        register("orders", _("Sales orders"), search_orders)
        register("quotations", _("Quotations"), search_quotations)

        from gendan.documents.registry import register_owner
        from gendan.sales.selectors import order_get_for_user, quotation_get_for_user

        register_owner("sales.salesorder", order_get_for_user, change_perm="sales.change_salesorder")
        register_owner("sales.quotation", quotation_get_for_user, change_perm="sales.change_quotation")

        from gendan.sales.panels import register_order_page
        from gendan.sales.views.orders import order_page

        register_order_page(order_page)

        from gendan.sales.views.order_tabs import register_order_tabs

        register_order_tabs()  # the page's own money, PI / contract, shipments and files tabs
        from gendan.sales import customer_sections

        customer_sections.register()  # the customer page's "orders" tab
