from django.urls import path

from gendan.core import views, views_lists

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("lists/saved/", views_lists.saved_view_create, name="saved_view_create"),
    path("lists/saved/<int:pk>/rename/", views_lists.saved_view_rename, name="saved_view_rename"),
    path("lists/saved/<int:pk>/update/", views_lists.saved_view_update, name="saved_view_update"),
    path("lists/saved/<int:pk>/delete/", views_lists.saved_view_delete, name="saved_view_delete"),
    path("lists/saved/<int:pk>/default/", views_lists.saved_view_default, name="saved_view_default"),
]
