"""Shipping's pages on a sales order, under ``/sales/orders/<id>/`` (mounted in ``gendan/urls.py``)."""

from django.urls import path

from gendan.shipping import views

app_name = "shipping"

urlpatterns = [
    path("orders/<int:pk>/ship/", views.order_ship_page, name="order_ship"),
]
