import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English source messages, as the apps' own tests do."""
    with translation.override("en"):
        yield
