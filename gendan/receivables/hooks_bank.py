"""What the bank statements part plugs in: its timeline events (registered when the services
module is imported, so a statement's timeline reads them in any process). No gates: a bank
statement holds nothing back; it only proposes receipts for finance to confirm."""

from __future__ import annotations


def register() -> None:
    from gendan.receivables.services import bank  # noqa: F401  (the event kinds)
