import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English source messages: the Chinese catalogue is edited separately.

    HTTP requests still use the user's language (UserLanguageMiddleware); tests that read a
    page's text log in users whose language is English.
    """
    with translation.override("en"):
        yield
