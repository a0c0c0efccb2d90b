"""URLs of the credits pages (included by exportdocs/urls.py)."""

from django.urls import path

from gendan.exportdocs import views_credits as v

urlpatterns: list = [
    path("credits/", v.credit_list_page, name="credit_list"),
    path("credits/new/", v.credit_add, name="credit_add"),
    path("credits/<int:pk>/", v.credit_detail, name="credit_detail"),
    path("credits/<int:pk>/edit/", v.credit_edit, name="credit_edit"),
    path("credits/<int:pk>/examine/", v.credit_examine_page, name="credit_examine"),
    path("credits/<int:pk>/cancel/", v.credit_cancel_page, name="credit_cancel"),
    path("credits/<int:pk>/close/", v.credit_close_page, name="credit_close"),
    path("credits/<int:pk>/amendments/request/", v.amendment_request_page, name="amendment_request"),
    path("credits/<int:pk>/amendments/receive/", v.amendment_receive_page, name="amendment_receive"),
    path("credits/<int:pk>/amendments/<int:amendment_pk>/accept/", v.amendment_accept_page,
         name="amendment_accept"),
    path("credits/<int:pk>/amendments/<int:amendment_pk>/refuse/", v.amendment_refuse_page,
         name="amendment_refuse"),
]
