from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Products, their packing, colour × size variants and bills of materials."""

    name = "gendan.catalog"
    label = "catalog"
    verbose_name = _("Products")
