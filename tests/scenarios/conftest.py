import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """The narratives match English messages; the product's default language is Chinese."""
    with translation.override("en"):
        yield
