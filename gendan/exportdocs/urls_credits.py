"""URLs of the credits pages (included by exportdocs/urls.py)."""

urlpatterns: list = []
