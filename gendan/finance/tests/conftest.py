"""The order-page fixtures serve the receipt pages too (one customer, its people, its orders)."""

from gendan.sales.tests.conftest import _english_messages, people  # noqa: F401
