"""Payables: one module per part (supplier invoices, payments and statements; rebates; profit)."""

from gendan.payables.models.invoices import *  # noqa: F401,F403
from gendan.payables.models.profit import *  # noqa: F401,F403
from gendan.payables.models.rebates import *  # noqa: F401,F403
