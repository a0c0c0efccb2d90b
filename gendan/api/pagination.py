from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N``, 50 rows a page (``GENDAN_PAGE_SIZE``, like the list pages)."""

    def get_page_size(self, request):
        from django.conf import settings

        return settings.GENDAN_PAGE_SIZE
