from django.urls import path

from gendan.parties import views

app_name = "parties"

urlpatterns = [
    path("customers/", views.CustomerListView.as_view(), name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path("<str:kind>/<int:pk>/contacts/", views.contact_save, name="contact_add"),
    path("<str:kind>/<int:pk>/contacts/<int:contact_id>/", views.contact_save, name="contact_edit"),
    path("<str:kind>/<int:pk>/contacts/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
]
