"""Finance's actions on a sales order, under ``/sales/orders/<id>/`` (mounted in ``gendan/urls.py``)."""

from django.urls import path

from gendan.finance import views

app_name = "finance_orders"

urlpatterns = [
    path("orders/<int:pk>/request/<str:kind>/", views.order_request_payment, name="order_request_payment"),
]
