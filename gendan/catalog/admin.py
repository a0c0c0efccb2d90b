from django.contrib import admin

from gendan.catalog.models import ProductCategory

# Categories are reference data kept by the administrator. Products, variants and BOM lines
# are edited only on the product pages, through the services that check and record them.
admin.site.register(ProductCategory)
