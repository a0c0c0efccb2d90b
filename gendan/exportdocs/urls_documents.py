"""URLs of the documents pages (included by exportdocs/urls.py)."""

urlpatterns: list = []
