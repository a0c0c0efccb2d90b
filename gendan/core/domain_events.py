"""Typed domain events: how a lower app lets higher apps react without calling them.

A service that changes state publishes an event inside its transaction::

    publish(OrderConfirmed(actor=actor, order=order))

``publish`` writes the event's timeline row (``core.Event`` with ``kind`` + ``params``,
rendered at read time in the reader's language), then calls the subscribers in the same
transaction (T&A completion and forecasts, sub-states …), and schedules the ``after_commit``
subscribers (emails, anything that leaves the process) for after the commit. Apps subscribe
in their ``AppConfig.ready``::

    subscribe(OrderConfirmed, on_order_confirmed)
    subscribe(DepositReceived, send_thanks, after_commit=True)

A subscriber receives the event; ``event.record`` is its timeline row (or ``None`` for an
event that writes none). An event class declares:

- ``kind`` — a stable name (``"sales.order_confirmed"``), stored on the row;
- ``text`` — the timeline message as an untranslated msgid (``gettext_noop``) with
  ``%(name)s`` placeholders filled from ``params()``; empty for events shown by their changes;
- ``verb`` — the row's verb (``Event.Verb``); ``subject()`` — the object whose timeline gets
  the row (default: the event's ``order``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import transaction

from gendan.core.events import event_kind_register, event_record
from gendan.core.models import Event

Handler = Callable[["DomainEvent"], None]

_SUBSCRIBERS: dict[type, list[tuple[Handler, bool, int]]] = defaultdict(list)

# When in-transaction subscribers run: by stage, then in the order they subscribed. A subscriber
# that settles facts the event implies (the payment plan of a confirmed order) takes ``SETTLE``,
# so the reactions that read those facts (the T&A plan, at ``REACT``) see them, whatever the
# order of INSTALLED_APPS.
SETTLE = 10
REACT = 50


@dataclass(kw_only=True)
class DomainEvent:
    kind: ClassVar[str] = ""
    text: ClassVar[str] = ""
    verb: ClassVar[str] = Event.Verb.NOTE
    record_row: ClassVar[bool] = True

    actor: Any = None
    reason: str = ""
    changes: dict = field(default_factory=dict)
    record: Event | None = field(default=None, init=False, repr=False)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:
            event_kind_register(cls.kind, cls.text)

    def subject(self):
        """The object whose timeline shows this event."""
        return self.order  # type: ignore[attr-defined]

    def params(self) -> dict:
        """The values the ``text`` placeholders take (plain JSON values, or ``core.events.tr`` /
        ``choice`` markers translated when shown)."""
        return {}


def subscribe(event_type: type[DomainEvent], handler: Handler, *, after_commit: bool = False,
              stage: int = REACT) -> None:
    """Call ``handler(event)`` whenever an event of ``event_type`` (or a subclass) is published,
    at ``stage`` (``SETTLE`` before ``REACT``). Idempotent: registering the same handler twice
    (e.g. ``ready()`` run twice) keeps one."""
    entries = _SUBSCRIBERS[event_type]
    if not any(h is handler and after == after_commit for h, after, _stage in entries):
        entries.append((handler, after_commit, stage))


def publish(event: DomainEvent) -> DomainEvent:
    """Record ``event`` on its subject's timeline and tell the subscribers. Call inside the
    transaction that made the change: in-transaction subscribers run now (a failure rolls
    everything back), ``after_commit`` ones once the transaction commits."""
    if event.record_row:
        event.record = event_record(
            actor=event.actor, obj=event.subject(), verb=event.verb, changes=event.changes,
            reason=event.reason, kind=event.kind, params=event.params())
    entries = [entry for event_type in type(event).__mro__ for entry in _SUBSCRIBERS.get(event_type, ())]
    for handler, after_commit, _stage in sorted(entries, key=lambda entry: entry[2]):  # stable
        if after_commit:
            transaction.on_commit(lambda h=handler: h(event), robust=True)
        else:
            handler(event)
    return event


def subscribers_of(event_type: type[DomainEvent]) -> list[Handler]:
    return [handler for handler, _after, _stage in _SUBSCRIBERS.get(event_type, ())]
