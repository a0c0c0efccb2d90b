from django.urls import path

from gendan.catalog import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/variants/", views.product_variants, name="product_variants"),
    path("colour-names/", views.variant_names, name="variant_names"),
    path("products/<int:pk>/bom/add/", views.bom_add, name="bom_add"),
    path("products/<int:pk>/bom/<int:line_id>/edit/", views.bom_edit, name="bom_edit"),
    path("products/<int:pk>/bom/<int:line_id>/remove/", views.bom_remove, name="bom_remove"),
]
