"""What receivables plugs into the apps below it (called from ``ReceivablesConfig.ready``).

Each part registers its own gates and event handlers in its ``hooks_*.py`` module; this file
only calls them, so the parts can grow without touching each other.
"""

from __future__ import annotations

import importlib

_PARTS = ("hooks_ledger", "hooks_dunning", "hooks_bank")


def register() -> None:
    for part in _PARTS:
        try:
            module = importlib.import_module(f"gendan.receivables.{part}")
        except ModuleNotFoundError as exc:  # a part not written yet
            if exc.name != f"gendan.receivables.{part}":
                raise
            continue
        module.register()
