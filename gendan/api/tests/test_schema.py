"""The app serves its own OpenAPI 3 document and a documentation page that needs no CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ORDER_ACTIONS = ["confirm", "request-deposit", "request-balance", "release-production", "ship", "close", "cancel",
                 "hold", "resume", "override-gate", "confirmations", "revisions", "revisions/apply", "documents"]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    from drf_spectacular.validation import validate_schema

    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_schema_lists_the_order_actions_and_resources(schema):
    paths = schema["paths"]
    for action in ORDER_ACTIONS:
        assert f"/api/v1/orders/{{id}}/{action}/" in paths, action
        assert "post" in paths[f"/api/v1/orders/{{id}}/{action}/"]
    for resource in ("customers", "products", "quotations", "orders", "receipts"):
        assert f"/api/v1/{resource}/" in paths
    assert "/api/v1/receipts/{id}/allocate/" in paths
    assert "/api/v1/auth/token/" in paths
    assert {"get", "patch"} <= set(paths["/api/v1/orders/{id}/"])
    assert not {"put", "delete"} & set(paths["/api/v1/orders/{id}/"])  # orders are cancelled, not deleted


def test_schema_documents_token_auth_and_json_errors(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey" and schemes["tokenAuth"]["name"] == "Authorization"
    confirm = schema["paths"]["/api/v1/orders/{id}/confirm/"]["post"]
    for status in ("400", "401", "403", "404", "409"):
        assert status in confirm["responses"], status
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    money = schema["components"]["schemas"]["OrderList"]["properties"]["total_amount"]
    assert money["type"] == "string" and money["format"] == "decimal"


def test_yaml_by_default():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200 and b"openapi: 3." in response.content


def test_docs_page_is_served_without_any_cdn():
    page = Client().get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)
    assert external == []
    assert "cdn" not in html.lower()
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html)
    assert assets
    for asset in assets:
        assert Client().get(asset).status_code == 200, asset
