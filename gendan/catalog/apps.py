from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Products, their packing, colour × size variants and bills of materials."""

    name = "gendan.catalog"
    label = "catalog"
    verbose_name = _("Products")

    def ready(self) -> None:
        from gendan.catalog.search import search_products
        from gendan.core.search import register

        register("products", _("Products"), search_products)

        from gendan.catalog.selectors import product_get_for_user
        from gendan.documents.registry import register_owner

        register_owner("catalog.product", product_get_for_user, change_perm="catalog.change_product")
