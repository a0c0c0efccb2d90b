"""URLs of the order profit pages (included by payables/urls.py)."""

from django.urls import path

from gendan.payables import views_profit as v

urlpatterns: list = [
    path("profit/", v.profit_report_page, name="profit_report"),
    path("profit/orders/<int:order_pk>/costs/", v.order_cost_add_page, name="order_cost_add"),
]
