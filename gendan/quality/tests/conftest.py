"""The order-page fixtures serve the quality pages too (one customer, its people, its orders)."""

from gendan.sales.tests.conftest import _english_messages, people  # noqa: F401
from tests.smtp import smtp  # noqa: F401  (a real SMTP server for the booking emails)
