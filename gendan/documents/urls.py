from django.urls import path

from gendan.documents import views

app_name = "documents"

urlpatterns = [
    path("attach/<str:owner_type>/<int:owner_id>/", views.attachment_upload, name="attachment_upload"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
