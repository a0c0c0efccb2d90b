"""Security headers (issue 10, item 7): a policy that forbids inline script on every page, and
no copy of a signed-in page or of the API kept by a browser cache or a proxy."""

import pytest

from gendan.core.headers import CONTENT_SECURITY_POLICY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_forbids_inline_script_and_framing(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_signed_in_pages_and_the_api_are_not_cached(client):
    user = UserFactory(roles=["merchandiser"])
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert page["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    api = client.get("/api/v1/auth/me/")
    assert "no-store" in api["Cache-Control"]


def test_no_template_carries_inline_script():
    """The policy would block it: behaviour goes in static files (core/static/gendan/app.js)."""
    from pathlib import Path

    import gendan

    offenders = []
    for path in Path(gendan.__file__).parent.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for marker in (" onclick=", " onchange=", " onsubmit=", " onload=", "<script>", "javascript:"):
            if marker in text:
                offenders.append(f"{path.name}: {marker.strip()}")
    assert offenders == []
