from django.urls import path

from gendan.production import views

app_name = "production"

urlpatterns = [
    path("orders/", views.ProductionOrderListView.as_view(), name="production_order_list"),
    path("orders/<int:pk>/", views.production_order_detail, name="production_order_detail"),
]
