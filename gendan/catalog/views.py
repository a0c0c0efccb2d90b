from django.utils.translation import gettext_lazy as _lazy

from gendan.catalog.models import Product
from gendan.core.listing import Column, ListPageView


class ProductListView(ListPageView):
    title = _lazy("Products")
    columns = [Column("code", _lazy("item no."), sort="code", link=True)]
    default_sort = "code"

    def get_base_queryset(self):
        return Product.objects.all()
