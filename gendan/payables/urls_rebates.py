"""URLs of the tax rebate pages (included by payables/urls.py)."""

from django.urls import path

from gendan.payables import views_rebates as v

urlpatterns: list = [
    path("rebates/", v.rebate_list_page, name="rebate_list"),
    path("rebates/blocked/", v.rebate_blocked_page, name="rebate_blocked"),
    path("rebates/new/", v.rebate_add, name="rebate_add"),
    path("rebates/<int:pk>/", v.rebate_detail, name="rebate_detail"),
    path("rebates/<int:pk>/check/", v.rebate_check_page, name="rebate_check"),
    path("rebates/<int:pk>/file/", v.rebate_file_page, name="rebate_file"),
    path("rebates/<int:pk>/receive/", v.rebate_receive_page, name="rebate_receive"),
    path("rebates/<int:pk>/chase/", v.rebate_chase_page, name="rebate_chase"),
]
