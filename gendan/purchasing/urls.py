"""Material requirements from BOMs and purchase orders for materials."""
from django.urls import path

from gendan.purchasing.views import orders, requirements, versions

app_name = "purchasing"

urlpatterns = [
    path("", orders.PurchaseOrderListView.as_view(), name="purchase_order_list"),
    path("orders/new/", orders.purchase_order_form, name="purchase_order_create"),
    path("orders/<int:pk>/", orders.purchase_order_detail, name="purchase_order_detail"),
    path("orders/<int:pk>/edit/", orders.purchase_order_form, name="purchase_order_edit"),
    path("orders/<int:pk>/pdf/", orders.purchase_order_pdf, name="purchase_order_pdf"),
    path("orders/<int:pk>/receive/", orders.purchase_order_receive, name="purchase_order_receive"),
    path("orders/<int:pk>/send/", orders.purchase_order_send, name="purchase_order_send"),
    path("orders/<int:pk>/confirm/", orders.purchase_order_confirm, name="purchase_order_confirm"),
    path("orders/<int:pk>/cancel/", orders.purchase_order_cancel, name="purchase_order_cancel"),
    path("orders/<int:pk>/close/", orders.purchase_order_close, name="purchase_order_close"),
    path("orders/<int:pk>/note/", orders.progress_note_add, name="purchase_order_note"),
    path("orders/<int:pk>/versions/<int:number>/pdf/", versions.purchase_order_version_pdf,
         name="purchase_order_version_pdf"),
    path("orders/<int:pk>/reack/<slug:answer>/", versions.purchase_order_reack, name="purchase_order_reack"),
    path("shortages/", requirements.ShortageListView.as_view(), name="shortage_list"),
    path("production/<int:pk>/", requirements.requirement_list, name="requirement_list"),
    path("production/<int:pk>/confirm-bom/", requirements.bom_confirm_view, name="bom_confirm"),
    path("production/<int:pk>/derive/", requirements.requirements_derive_view, name="requirements_derive"),
    path("requirements/<int:pk>/", requirements.requirement_edit, name="requirement_edit"),
]
