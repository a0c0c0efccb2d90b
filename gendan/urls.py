from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Django admin is for superusers only; everyone else works in the product's pages.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("gendan.accounts.urls")),
    path("parties/", include("gendan.parties.urls")),
    path("catalog/", include("gendan.catalog.urls")),
    path("documents/", include("gendan.documents.urls")),
    path("sales/", include("gendan.sales.urls")),
    # The actions other apps perform on a sales order keep the order's paths (/sales/orders/<id>/…).
    path("sales/", include("gendan.finance.order_urls")),
    path("sales/", include("gendan.production.order_urls")),
    path("sales/", include("gendan.shipping.urls")),
    path("finance/", include("gendan.finance.urls")),
    path("production/", include("gendan.production.urls")),
    path("tracking/", include("gendan.tracking.urls")),
    path("quality/", include("gendan.quality.urls")),
    path("purchasing/", include("gendan.purchasing.urls")),
    path("planning/", include("gendan.planning.urls")),
    path("exportdocs/", include("gendan.exportdocs.urls")),
    path("receivables/", include("gendan.receivables.urls")),
    path("payables/", include("gendan.payables.urls")),
    path("api/v1/", include("gendan.api.urls")),
    path("", include("gendan.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
