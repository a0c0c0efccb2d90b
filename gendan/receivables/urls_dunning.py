"""URLs of the dunning and credit pages (included by receivables/urls.py)."""

from django.urls import path

from gendan.receivables import views_credit as c
from gendan.receivables import views_dunning as d

urlpatterns: list = [
    path("dunning/", d.run_list_page, name="dunning_runs"),
    path("dunning/run/", d.run_now, name="dunning_run_now"),
    path("dunning/<int:pk>/", d.run_detail, name="dunning_run"),
    path("dunning/levels/", d.levels_page, name="dunning_levels"),
    path("credit/", c.credit_list_page, name="credit_list"),
    path("credit/<int:pk>/", c.customer_credit, name="customer_credit"),
    path("credit/<int:pk>/limit/", c.credit_limit_post, name="credit_limit"),
    path("credit/<int:pk>/hold/", c.credit_hold_post, name="credit_hold"),
    path("credit/<int:pk>/lift/", c.credit_lift_post, name="credit_lift"),
    path("credit/<int:pk>/approve/", c.credit_approve_post, name="credit_approve"),
    path("credit/<int:pk>/disputes/", c.dispute_open_post, name="dispute_open"),
    path("credit/<int:pk>/disputes/<int:dispute_pk>/settle/", c.dispute_settle_post, name="dispute_settle"),
    path("orders/<int:order_pk>/credit-approval/", c.order_credit_approve, name="order_credit_approve"),
]
