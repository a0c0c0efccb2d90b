from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    """Customers, suppliers/factories/forwarders and their contacts."""

    name = "gendan.parties"
    label = "parties"
    verbose_name = _("Customers & suppliers")

    def ready(self) -> None:
        from gendan.core.search import register
        from gendan.parties.search import search_customers, search_suppliers

        register("customers", _("Customers"), search_customers)
        register("suppliers", _("Suppliers"), search_suppliers)

        from gendan.documents.registry import register_owner
        from gendan.parties.selectors import customer_get_for_user, supplier_get_for_user

        register_owner("parties.customer", customer_get_for_user, change_perm="parties.change_customer")
        register_owner("parties.supplier", supplier_get_for_user, change_perm="parties.change_supplier")
