"""The production exception's workflow table (planning.workflows.EXCEPTION) holds: every move it
forbids is refused with 409 through the real service and changes nothing. (That each edge names
a service that exists, and that the table equals docs/workflows/production-progress.md, is checked
for every workflow in core.)"""

from __future__ import annotations

import pytest

from gendan.core.errors import BusinessError
from gendan.core.models import Event
from gendan.planning.models import ProductionException
from gendan.planning.services.exceptions import exception_report, exception_resolve
from gendan.planning.workflows import EXCEPTION
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db
S = ProductionException.Status


def test_production_exception(people, production_order):
    planner = people.planner

    def in_state(state: str) -> ProductionException:
        exception = exception_report(actor=planner, kind=ProductionException.Kind.CAPACITY,
                                     description="Line B down for two days", production_order_ids=[production_order.pk])
        if state == S.RESOLVED:
            exception = exception_resolve(actor=planner, exception_id=exception.pk, version=exception.version,
                                          resolution="Moved to line A")
        return exception

    def resolve(exception):
        return exception_resolve(actor=planner, exception_id=exception.pk, version=None, resolution="Once more")

    tried = assert_forbidden_edges_refused(EXCEPTION, make=in_state, attempt={S.RESOLVED: resolve})
    assert tried == 0  # the table forbids only resolved → open, and no service reopens an exception
    # … and resolving a resolved exception again is refused the same way: 409, nothing changed.
    resolved = in_state(S.RESOLVED)
    before = (resolved.version, resolved.resolution, Event.objects.count())
    with pytest.raises(BusinessError) as refused:
        resolve(resolved)
    resolved.refresh_from_db()
    assert refused.value.status == 409 and refused.value.code == "transition_not_allowed"
    assert (resolved.version, resolved.resolution, Event.objects.count()) == before
