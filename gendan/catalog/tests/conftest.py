"""Catalog test fixtures. Messages are asserted in English (the source language), whatever
translations exist; users are created with English as their language for the same reason."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def merchandiser(make_user):
    return make_user("merchandiser", language="en")


@pytest.fixture
def warehouse_user(make_user):
    return make_user("warehouse", language="en")
