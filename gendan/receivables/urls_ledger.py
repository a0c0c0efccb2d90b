"""URLs of the ledger part (included by receivables/urls.py)."""

from django.urls import path

from gendan.receivables import views_ledger as v

urlpatterns: list = [
    path("aging/", v.aging_page, name="aging"),
    path("aging/buckets/", v.aging_policy_page, name="aging_policy"),
    path("customers/<int:pk>/ledger/", v.ledger_page, name="ledger"),
    path("customers/<int:pk>/statement/", v.statement_page, name="statement"),
]
