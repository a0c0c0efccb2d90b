"""URLs of the documents pages (included by exportdocs/urls.py)."""

from django.urls import path

from gendan.exportdocs import views_documents as v

urlpatterns: list = [
    path("shipments/<int:pk>/documents/generate/", v.documents_generate_page, name="documents_generate"),
    path("shipments/<int:pk>/export-data/", v.export_data_page, name="export_data"),
]
