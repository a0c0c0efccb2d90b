"""Security headers on every response (issue 10, item 7).

- **Content-Security-Policy** on HTML pages: scripts only from our own static files (htmx and
  ``app.js``; no inline script, no ``eval``), styles from our files plus inline style attributes
  (the templates' small layout styles and htmx's indicator style), images from us and ``data:``
  (server-rendered SVG charts), no plugins, no framing, forms post only to us. A view that sets
  its own policy keeps it (attachments are served with a sandbox policy, documents/views.py).
- **Cache-Control: no-store** on every response to a signed-in user and on the API, so a shared
  computer's browser cache or a proxy never keeps an order, a price or a token. Static files
  (served before this middleware by WhiteNoise) keep their long cache.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response
