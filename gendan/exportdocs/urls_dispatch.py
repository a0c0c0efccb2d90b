"""URLs of the dispatch pages (included by exportdocs/urls.py)."""

urlpatterns: list = []
