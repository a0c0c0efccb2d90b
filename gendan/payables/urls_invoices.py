"""Pages of the invoices part: supplier invoices, payments, what we owe, supplier statements."""

from django.urls import path

from gendan.payables import views_invoices as inv
from gendan.payables import views_statements as st

urlpatterns = [
    path("invoices/", inv.InvoiceListPage.as_view(), name="invoice_list"),
    path("invoices/new/", inv.invoice_add, name="invoice_add"),
    path("invoices/<int:pk>/", inv.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pay/", inv.payment_add, name="payment_add"),
    path("invoices/<int:pk>/vat/", inv.vat_add, name="vat_add"),
    path("invoices/<int:pk>/cancel/", inv.invoice_cancel, name="invoice_cancel"),
    path("open/", inv.payables_open, name="open"),
    path("statements/", st.statement_list_page, name="statement_list"),
    path("statements/new/", st.statement_issue_page, name="statement_issue"),
    path("statements/<int:pk>/", st.statement_detail, name="statement_detail"),
    path("statements/<int:pk>/<str:fmt>/file/", st.statement_file, name="statement_file"),
    path("statements/<int:pk>/reply/", st.statement_reply_page, name="statement_reply"),
    path("statements/<int:pk>/send/", st.statement_send_page, name="statement_send"),
    path("statements/<int:pk>/reissue/", st.statement_reissue_page, name="statement_reissue"),
    path("statements/<int:pk>/disputes/<int:dispute_pk>/settle/", st.dispute_settle_page, name="dispute_settle"),
]
