"""Shipping's pages on a sales order, under ``/sales/`` (mounted in ``gendan/urls.py``)."""

from django.urls import path

from gendan.shipping import views, views_bills, views_bookings, views_plan, views_shipments, views_warehouse

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

# The bill of lading and the shipping advice on the shipment's page, and the order's release of
# the original B/L (views_bills).
urlpatterns += [
    path("shipments/<int:pk>/bill/draft/", views_bills.bill_draft_page, name="bill_draft"),
    path("bills/<int:pk>/confirm/", views_bills.bill_confirm_page, name="bill_confirm"),
    path("bills/<int:pk>/issue/", views_bills.bill_issue_page, name="bill_issue"),
    path("bills/<int:pk>/release/", views_bills.bill_release_page, name="bill_release"),
    path("shipments/<int:pk>/advice/send/", views_bills.advice_send_page, name="advice_send"),
    path("orders/<int:pk>/release-bl/", views_bills.order_release_bills_page, name="order_release_bills"),
]

# The warehouse: finished goods in, loading and ex-factory, the loading plan (views_warehouse).
urlpatterns += [
    path("warehouse/loading/", views_warehouse.warehouse_loading, name="warehouse_loading"),
    path("orders/<int:pk>/goods-receipts/", views_warehouse.goods_receipts, name="goods_receipts"),
    path("goods-receipts/<int:pk>/void/", views_warehouse.goods_receipt_void_page, name="goods_receipt_void"),
    path("shipments/<int:pk>/containers/start/", views_warehouse.container_start_page, name="container_start"),
    path("containers/<int:pk>/load/", views_warehouse.container_load_page, name="container_load"),
    path("containers/<int:pk>/seal/", views_warehouse.container_seal_page, name="container_seal"),
    path("containers/<int:pk>/cancel/", views_warehouse.container_cancel_page, name="container_cancel"),
    path("shipments/<int:pk>/depart/", views_warehouse.shipment_depart_page, name="shipment_depart"),
    path("shipments/<int:pk>/loading-plan/", views_warehouse.loading_plan, name="loading_plan"),
]

# The shipping plan and the shipping notice: the order page's "plan a shipment", the shipment page's
# "plan" and "notices" sections (views_plan).
urlpatterns += [
    path("orders/<int:pk>/shipments/plan/", views_plan.shipment_plan_page, name="shipment_plan"),
    path("shipments/<int:pk>/edit/", views_plan.shipment_edit_page, name="shipment_edit"),
    path("shipments/<int:pk>/cancel/", views_plan.shipment_cancel_page, name="shipment_cancel"),
    path("shipments/<int:pk>/notices/issue/", views_plan.notice_issue_page, name="notice_issue"),
]
