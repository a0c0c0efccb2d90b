"""A shared check for workflow tests: every transition the table forbids is refused with 409
and changes nothing (the row, its version and its timeline stay as they were).

Each stateful model's test module calls it with two things only it knows: how to put an
object into a given state, and how to attempt the move to a given target state through the
real service::

    assert_forbidden_edges_refused(
        ORDER_WORKFLOW,
        make=lambda state: order_in_state(state),
        attempt={S.CONFIRMED: lambda o: order_confirm(actor=merch, order_id=o.pk), …},
    )
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from gendan.core.errors import BusinessError
from gendan.core.models import Event
from gendan.core.workflow import Workflow


def _state(obj) -> dict:
    fresh = type(obj).objects.get(pk=obj.pk)
    return model_to_dict(fresh)


def assert_forbidden_edges_refused(workflow: Workflow, *, make: Callable[[str], object],
                                   attempt: dict[str, Callable[[object], object]],
                                   states: set[str] | None = None) -> int:
    """For every (from, to) the table forbids, with ``to`` in ``attempt`` and ``from`` in ``states``
    (default: every state ``make`` can build), build an object in ``from``, attempt ``to`` and
    assert a 409 that left nothing behind. Returns how many edges were tried."""
    tried = 0
    for old, new in workflow.forbidden():
        if new not in attempt or (states is not None and old not in states):
            continue
        obj = make(old)
        assert workflow.state_of(obj) == old, f"{workflow.name}: could not build an object in {old!r}"
        before, events = _state(obj), Event.objects.count()
        with pytest.raises(BusinessError) as caught, transaction.atomic():
            attempt[new](obj)
        assert caught.value.status == 409, (
            f"{workflow.name}: {old} → {new} answered {caught.value.status} ({caught.value.code}), not 409")
        assert _state(obj) == before, f"{workflow.name}: {old} → {new} was refused but changed the row"
        assert Event.objects.count() == events, f"{workflow.name}: {old} → {new} was refused but left an event"
        tried += 1
    return tried
