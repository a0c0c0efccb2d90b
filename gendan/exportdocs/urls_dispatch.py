"""URLs of the dispatch pages (included by exportdocs/urls.py): the actions of the shipment
page's "check & dispatch" section."""

from django.urls import path

from gendan.exportdocs import views_dispatch as v

urlpatterns: list = [
    path("shipments/<int:pk>/discrepancies/accept/", v.discrepancy_accept_page, name="discrepancy_accept"),
    path("shipments/<int:pk>/certificates/add/", v.certificate_add_page, name="certificate_add"),
    path("certificates/<int:pk>/apply/", v.certificate_apply_page, name="certificate_apply"),
    path("certificates/<int:pk>/receive/", v.certificate_receive_page, name="certificate_receive"),
    path("certificates/<int:pk>/check/", v.certificate_check_page, name="certificate_check"),
    path("shipments/<int:pk>/dispatch/", v.dispatch_page, name="dispatch"),
    path("dispatches/<int:pk>/result/", v.dispatch_result_page, name="dispatch_result"),
]
