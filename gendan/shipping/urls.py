"""Shipping's pages on a sales order, under ``/sales/`` (mounted in ``gendan/urls.py``)."""

from django.urls import path

from gendan.shipping import views, views_bookings, views_shipments

app_name = "shipping"

urlpatterns = [
    path("orders/<int:pk>/ship/", views.order_ship_page, name="order_ship"),
    path("orders/<int:pk>/bookings/request/", views_bookings.booking_request_page, name="booking_request"),
    path("bookings/<int:pk>/confirm/", views_bookings.booking_confirm_page, name="booking_confirm"),
    path("bookings/<int:pk>/amend/", views_bookings.booking_amend_page, name="booking_amend"),
    path("bookings/<int:pk>/cancel/", views_bookings.booking_cancel_page, name="booking_cancel"),
]

# The shipments list and page, the bookings lists (views_shipments).
urlpatterns += [
    path("shipments/", views_shipments.shipment_list, name="shipment_list"),
    path("shipments/<int:pk>/", views_shipments.shipment_detail, name="shipment_detail"),
    path("bookings/", views_shipments.booking_list, name="booking_list"),
    path("forwarders/<int:forwarder_pk>/bookings/", views_shipments.booking_list, name="forwarder_bookings"),
]
