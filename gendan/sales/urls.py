from django.urls import path

from gendan.sales.views import line_defaults, orders, quotations
from gendan.sales.views import order_actions as actions

app_name = "sales"

urlpatterns = [
    path("orders/", orders.OrderListView.as_view(), name="order_list"),
    path("orders/new/", orders.order_create_view, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order_edit"),
    path("orders/<int:pk>/change/", orders.order_revise_view, name="order_revise"),
    path("orders/<int:pk>/documents/<int:document_id>/", orders.order_document_download,
         name="order_document_download"),
    # Actions: one POST each. Finance's payment requests, production release and shipment are
    # under the same paths, from their apps (gendan/urls.py).
    path("orders/<int:pk>/confirm/", actions.confirm, name="order_confirm"),
    path("orders/<int:pk>/confirmations/written/", actions.confirmation_written, name="order_confirmation_written"),
    path("orders/<int:pk>/confirmations/verbal/", actions.confirmation_verbal, name="order_confirmation_verbal"),
    path("orders/<int:pk>/issue/<str:kind>/", actions.issue_document, name="order_issue_document"),
    path("orders/<int:pk>/override/<str:gate>/", actions.override, name="order_override"),
    path("orders/<int:pk>/ready/", actions.mark_ready, name="order_mark_ready"),
    path("orders/<int:pk>/hold/", actions.hold, name="order_hold"),
    path("orders/<int:pk>/resume/", actions.resume, name="order_resume"),
    path("orders/<int:pk>/cancel/", actions.cancel, name="order_cancel"),
    path("orders/<int:pk>/close/", actions.close, name="order_close"),
    path("orders/<int:pk>/change/apply/", actions.revision_apply, name="order_revision_apply"),
    path("orders/<int:pk>/change/approve/", actions.revision_approve, name="order_revision_approve"),
    path("orders/<int:pk>/change/withdraw/", actions.revision_withdraw, name="order_revision_withdraw"),
    path("quotations/", quotations.QuotationListView.as_view(), name="quotation_list"),
    path("quotations/new/", quotations.quotation_create, name="quotation_create"),
    path("quotations/<int:pk>/", quotations.quotation_detail, name="quotation_detail"),
    path("quotations/<int:pk>/edit/", quotations.quotation_edit, name="quotation_edit"),
    path("quotations/<int:pk>/send/", quotations.quotation_send, name="quotation_send"),
    path("quotations/<int:pk>/accept/", quotations.quotation_accept, name="quotation_accept"),
    path("quotations/<int:pk>/reject/", quotations.quotation_reject, name="quotation_reject"),
    path("quotations/<int:pk>/pdf/<str:language>/", quotations.quotation_pdf, name="quotation_pdf"),
    # What a product picked on an order or quotation line fills in (JSON for sales.js).
    path("lines/defaults/", line_defaults.line_defaults_json, name="line_defaults"),
]
