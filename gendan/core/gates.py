"""Gates: rules that hold an action back, contributed by the apps that own them.

An app that owns an object names its gated actions and asks a ``GateSet`` whether an action
may happen; the apps above it register the rules they own, in their ``AppConfig.ready``. The
owner never imports the apps that fill its gates (the one-way house, docs/architecture.md)::

    # sales/gates.py — the extension point
    ORDER_GATES = GateSet("sales_order")

    # finance/apps.py — the rule finance owns
    ORDER_GATES.register(Gate(
        key="deposit", actions={"release_production", "mark_ready"}, check=deposit_check,
        label=gettext_lazy("deposit rule"), override_field="production_gate_override",
        blocked_q=deposit_blocked_q))

    # sales/rules.py — the guard the page, the API and the service share
    return ORDER_GATES.check("release_production", order)

``check(action, obj)`` runs every gate registered for ``action`` in rank order and returns the
first refusal (a ``Check`` with the gate's code, kind *gate*, 409), or ``OK``. A gate may name
the boolean field a manager's override sets on the object (``override_field``): an overridden
gate is passed. ``blocked_q`` is the same rule as a query filter (lists of "orders waiting on
the deposit"), so a list and a button never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gendan.core.guards import OK, Check

T = TypeVar("T")

_pass: ContextVar[dict | None] = ContextVar("gendan_gate_pass", default=None)


def per_gate_pass(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``GateSet.check`` / ``refusals`` call for ``key``; every time
    outside one. The gates of one action may ask the same question of one object (receivables'
    credit hold and credit limit both read the customer's credit row): asked once, one after the
    other, the answer is the same read — and the next check reads afresh."""
    memo = _pass.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


@dataclass(frozen=True)
class Gate:
    key: str  # "deposit", "balance", "final_inspection" …
    actions: frozenset[str] | set[str]  # the gated actions of the owning object
    check: Callable[[Any], Check]  # obj -> OK or the refusal (code, reason in the reader's language)
    label: Any = ""  # lazy text: "deposit rule" — shown in overrides and lists
    override_field: str = ""  # boolean field on the object that a manager's override sets
    override_check: Callable[[Any], Check] | None = None  # may the gate be overridden now?
    blocked_q: Callable[[], Any] | None = None  # the rule as a Q (objects held back by it)
    rank: int = 50

    def applies(self, obj) -> bool:
        return not (self.override_field and getattr(obj, self.override_field, False))


@dataclass
class GateSet:
    """The gates of one kind of object (an order, a production order …), keyed by gate."""

    name: str
    _gates: dict[str, Gate] = field(default_factory=dict)

    def register(self, gate: Gate) -> None:
        """Add (or replace, when ``ready()`` runs twice) the gate ``gate.key``."""
        self._gates[gate.key] = Gate(**{**gate.__dict__, "actions": frozenset(gate.actions)})

    def get(self, key: str) -> Gate | None:
        return self._gates.get(key)

    def keys(self) -> list[str]:
        return [gate.key for gate in self.all()]

    def all(self) -> list[Gate]:
        return sorted(self._gates.values(), key=lambda g: (g.rank, g.key))

    def for_action(self, action: str) -> list[Gate]:
        return [gate for gate in self.all() if action in gate.actions]

    def check(self, action: str, obj, *, skip: Iterable[str] = ()) -> Check:
        """The first refusal of a gate on ``action`` that is not overridden, or ``OK``."""
        skipped = set(skip)
        token = _pass.set({})
        try:
            for gate in self.for_action(action):
                if gate.key in skipped or not gate.applies(obj):
                    continue
                result = gate.check(obj)
                if not result:
                    return result
            return OK
        finally:
            _pass.reset(token)

    def refusals(self, action: str, obj) -> list[Check]:
        """Every gate on ``action`` that refuses now (for a page that lists what is missing)."""
        token = _pass.set({})
        try:
            return [result for gate in self.for_action(action) if gate.applies(obj)
                    for result in [gate.check(obj)] if not result]
        finally:
            _pass.reset(token)
