from django.urls import path

from gendan.quality import views

app_name = "quality"

urlpatterns = [
    path("inspections/", views.InspectionListView.as_view(template_name="quality/inspection_list.html"),
         name="inspection_list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/result/", views.inspection_result, name="inspection_result"),
    path("inspections/<int:pk>/cancel/", views.inspection_cancel, name="inspection_cancel"),
    path("orders/<int:order_pk>/inspections/new/", views.inspection_book, name="inspection_book"),
    path("orders/<int:order_pk>/samples/new/", views.sample_new, name="sample_new"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/<str:action>/", views.sample_action, name="sample_action"),
    path("production-orders/<int:production_order_pk>/first-article/new/", views.first_article_new,
         name="first_article_new"),
    path("first-articles/<int:pk>/", views.first_article_detail, name="first_article_detail"),
    path("first-articles/<int:pk>/checks/", views.first_article_items, name="first_article_items"),
    path("first-articles/<int:pk>/sign/<str:side>/", views.first_article_sign, name="first_article_sign"),
    path("first-articles/<int:pk>/reject/", views.first_article_reject, name="first_article_reject"),
    path("customers/", views.ProfileListView.as_view(), name="profile_list"),
    path("customers/<int:customer_pk>/", views.profile_edit, name="profile_edit"),
]
