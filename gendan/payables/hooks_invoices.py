"""What the invoices part of payables plugs in (called from ``payables.extensions``).

The part needs no gate of a lower app: its rules (the balance after inspection and receipt,
the statement's month) are its own services'. Its disputes reach the purchasing board through
``tracking/payables_chase.py`` (the board reads this app's selectors); its timeline texts are
registered when ``events_invoices`` is imported, done here so every event kind is known at
start-up (the timeline renders rows written by other processes)."""

from __future__ import annotations


def register() -> None:
    from gendan.payables import events_invoices  # noqa: F401 (declares the event kinds)
