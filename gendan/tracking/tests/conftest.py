"""T&A fixtures: the order-page people and orders (shared with the sales tests)."""

from gendan.sales.tests.conftest import (  # noqa: F401 - fixtures
    _english_messages,
    confirmed,
    draft,
    in_production,
    make_confirmed,
    make_draft,
    make_in_production,
    pay,
    people,
    record_confirmations,
)
