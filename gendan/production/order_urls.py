"""Production's pages on a sales order, under ``/sales/orders/<id>/`` (mounted in ``gendan/urls.py``)."""

from django.urls import path

from gendan.production import views_release

app_name = "production_release"

urlpatterns = [
    path("orders/<int:pk>/release/", views_release.order_release, name="order_release_production"),
]
