"""Receivables: one module per part (ledger and aging, dunning and credit, bank statements)."""

from gendan.receivables.models.bank import *  # noqa: F401,F403
from gendan.receivables.models.credit import *  # noqa: F401,F403
from gendan.receivables.models.ledger import *  # noqa: F401,F403
