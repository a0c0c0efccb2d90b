"""Pages of export documents and letters of credit (under /exportdocs/). Each part has its own
URL module; importing a views module registers its sections and panels."""

from gendan.exportdocs import urls_credits, urls_dispatch, urls_documents

app_name = "exportdocs"

urlpatterns = [*urls_credits.urlpatterns, *urls_documents.urlpatterns, *urls_dispatch.urlpatterns]
