from django.urls import path

from gendan.production import views

app_name = "production"

urlpatterns = [
    path("orders/", views.ProductionOrderListView.as_view(), name="production_order_list"),
    path("orders/<int:pk>/", views.production_order_detail, name="production_order_detail"),
    path("orders/<int:pk>/edit/", views.production_order_edit, name="production_order_edit"),
    path("orders/<int:pk>/pdf/", views.production_order_pdf, name="production_order_pdf"),
    path("orders/<int:pk>/versions/<int:number>/pdf/", views.production_order_version_pdf,
         name="production_order_version_pdf"),
    path("orders/<int:pk>/<slug:action>/", views.production_order_action, name="production_order_action"),
    path("sales-orders/<int:order_pk>/add/", views.production_order_add, name="production_order_add"),
]
