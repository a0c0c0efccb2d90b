"""What receivables plugs into the apps below it (called from ``ReceivablesConfig.ready``).

Each part registers its own gates and event handlers in its ``hooks_*.py`` module; this file
only calls them, so the parts can grow without touching each other.
"""

from __future__ import annotations

from gendan.receivables import hooks_bank, hooks_dunning, hooks_ledger


def register() -> None:
    for part in (hooks_ledger, hooks_dunning, hooks_bank):
        part.register()
