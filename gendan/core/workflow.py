"""One workflow mechanism for every stateful model: a table of allowed transitions.

Each app declares its workflows in ``<app>/workflows.py``::

    ORDER = Workflow(
        "sales_order", SalesOrder, label=_("order"),
        transitions={(S.DRAFT, S.CONFIRMED): "gendan.sales.services.orders.order_confirm", …},
    )

Each edge names the one service that performs it (dotted path). Guards ask the table
(``ORDER.can(order, S.CONFIRMED)``, ``ORDER.check(…)``) instead of repeating lists of
states; services call ``ORDER.ensure(obj, to)`` under their row lock, which refuses a
transition the table does not allow with ``TransitionNotAllowed`` (409). Nothing skips a
step silently. ``docs/workflows/<name>.md`` shows the same table between the markers
``<!-- workflow:<name> -->`` and ``<!-- /workflow -->``; a test keeps both equal and checks
that every edge's service exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module

from django.db import models
from django.utils.translation import gettext as _

from gendan.core.errors import CoreError, TransitionNotAllowed
from gendan.core.guards import OK, Check, no

_REGISTRY: dict[str, Workflow] = {}


@dataclass(frozen=True)
class Workflow:
    name: str
    model: type[models.Model]
    transitions: Mapping[tuple[str, str], str]
    state_field: str = "status"
    label: str = ""  # lazy: "order", "production order" — used in refusals
    doc: str = ""  # docs/workflows/<doc>.md; default: the name with dashes
    states: tuple[str, ...] = field(default=())

    def __post_init__(self):
        choices = self.model._meta.get_field(self.state_field).choices or []
        known = {str(value) for value, _label in choices}
        for (old, new), service in self.transitions.items():
            if str(old) not in known or str(new) not in known:
                raise ValueError(f"{self.name}: unknown state in ({old!r}, {new!r})")
            if "." not in service:
                raise ValueError(f"{self.name}: service of ({old!r}, {new!r}) must be a dotted path")
        object.__setattr__(self, "states", tuple(str(value) for value, _label in choices))
        _REGISTRY[self.name] = self

    # --- the table ------------------------------------------------------------------

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.state_field))

    def allows(self, old: str, new: str) -> bool:
        return (old, new) in self.transitions

    def can(self, obj, to: str) -> bool:
        return self.allows(self.state_of(obj), str(to))

    def targets(self, state: str) -> set[str]:
        return {new for old, new in self.transitions if old == state}

    def sources(self, *targets: str) -> set[str]:
        """States from which the table allows reaching any of ``targets``."""
        return {old for old, new in self.transitions if new in targets}

    def service_for(self, old: str, new: str) -> str:
        return self.transitions[(old, new)]

    def services(self) -> set[str]:
        return set(self.transitions.values())

    def forbidden(self) -> Iterable[tuple[str, str]]:
        """Every (from, to) pair of distinct states the table does not allow."""
        for old in self.states:
            for new in self.states:
                if old != new and (old, new) not in self.transitions:
                    yield old, new

    # --- guards -----------------------------------------------------------------------

    def label_of(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.state_field).flatchoices)
        return str(choices.get(state, state))

    def refusal(self, obj, to: str) -> str:
        return _("This %(what)s is “%(current)s” and cannot become “%(target)s”.") % {
            "what": self.label or self.model._meta.verbose_name,
            "current": self.label_of(self.state_of(obj)), "target": self.label_of(str(to))}

    def check(self, obj, to: str) -> Check:
        """``OK`` when the table allows ``obj``'s state → ``to``, else the refusal (409)."""
        return OK if self.can(obj, to) else no(CoreError.TRANSITION_NOT_ALLOWED, self.refusal(obj, to))

    def ensure(self, obj, to: str) -> None:
        """Raise ``TransitionNotAllowed`` (409) unless the table allows ``obj``'s state → ``to``."""
        if not self.can(obj, to):
            raise TransitionNotAllowed(self.refusal(obj, to))

    def move(self, obj, to: str) -> str:
        """Check the edge and set the new state on ``obj`` (not saved). Returns the old state."""
        self.ensure(obj, to)
        old = self.state_of(obj)
        setattr(obj, self.state_field, to)
        return old

    # --- documentation ------------------------------------------------------------------

    def markdown_rows(self) -> list[tuple[str, str, str]]:
        """(from, to, service function name) in table order."""
        return [(old, new, service.rsplit(".", 1)[1]) for (old, new), service in self.transitions.items()]

    def resolve(self, service: str):
        module, _dot, name = service.rpartition(".")
        return getattr(import_module(module), name)


def workflows() -> dict[str, Workflow]:
    """Every declared workflow, by name (for the workflow tests and documentation)."""
    return dict(_REGISTRY)
