from django.urls import path

from gendan.finance import views

app_name = "finance"

urlpatterns = [
    path("receipts/", views.ReceiptListView.as_view(), name="receipt_list"),
    path("receipts/new/", views.receipt_create, name="receipt_create"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/allocate/", views.receipt_allocate_view, name="receipt_allocate"),
]

# exchange rates (记账汇率): list and book (receivables ledger part)
from gendan.finance import views_rates  # noqa: E402

urlpatterns += [path("rates/", views_rates.rates_page, name="rates")]
