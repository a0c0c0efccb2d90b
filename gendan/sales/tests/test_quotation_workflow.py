"""The quotation's workflow table (sales.workflows.QUOTATION) holds: every move it forbids is
refused with 409 through the real service and changes nothing; the daily expiry touches only
sent quotations past their date; only a draft is edited. (That each edge names a service that
exists, and that the table equals docs/workflows/quotation.md, is checked for every workflow in
core.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.errors import BusinessError
from gendan.core.models import Event
from gendan.sales.models import Quotation
from gendan.sales.services import quotations as services
from gendan.sales.workflows import QUOTATION
from tests.workflow_harness import assert_forbidden_edges_refused

pytestmark = pytest.mark.django_db

Q = Quotation.Status


def _in_state(people, state: str) -> Quotation:
    today = timezone.localdate()
    valid = today - dt.timedelta(days=1) if state == Q.EXPIRED else today + dt.timedelta(days=30)
    quotation = services.quotation_create(
        actor=people.sales, customer_id=people.customer.pk,
        data={"quoted_on": today - dt.timedelta(days=40), "valid_until": valid},
        lines=[{"description": "Ceramic mug", "unit_price": "1.20", "quantity": "1000"}])
    if state != Q.DRAFT:
        services.quotation_send(actor=people.sales, quotation_id=quotation.pk)
    if state == Q.ACCEPTED:
        _accept(people, quotation)
    elif state == Q.REJECTED:
        services.quotation_reject(actor=people.sales, quotation_id=quotation.pk, note="Too expensive")
    elif state == Q.EXPIRED:
        services.quotations_expire(today=today)
    quotation.refresh_from_db()
    return quotation


def _accept(people, quotation):
    today = timezone.localdate()
    return services.quotation_accept(actor=people.sales, quotation_id=quotation.pk, customer_po_no="PO-9",
                                     customer_po_date=today, ex_factory_date=today + dt.timedelta(days=60))


def test_quotation(people):
    tried = assert_forbidden_edges_refused(QUOTATION, make=lambda state: _in_state(people, state), attempt={
        Q.SENT: lambda q: services.quotation_send(actor=people.sales, quotation_id=q.pk),
        Q.ACCEPTED: lambda q: _accept(people, q),
        Q.REJECTED: lambda q: services.quotation_reject(actor=people.sales, quotation_id=q.pk, note="No"),
    })
    assert tried == 9


def test_the_daily_expiry_leaves_every_quotation_but_a_sent_one_past_its_date(people):
    later = timezone.localdate() + dt.timedelta(days=90)
    others = [_in_state(people, state) for state in (Q.DRAFT, Q.ACCEPTED, Q.REJECTED, Q.EXPIRED)]
    sent = _in_state(people, Q.SENT)
    events = Event.objects.count()
    assert services.quotations_expire(today=later) == 1
    sent.refresh_from_db()
    assert sent.status == Q.EXPIRED and Event.objects.count() == events + 1
    assert [type(q).objects.get(pk=q.pk).status for q in others] == [Q.DRAFT, Q.ACCEPTED, Q.REJECTED, Q.EXPIRED]


def test_only_a_draft_is_edited(people):
    sent = _in_state(people, Q.SENT)
    with pytest.raises(BusinessError) as refused:
        services.quotation_update(actor=people.sales, quotation_id=sent.pk, data={"notes": "x"}, lines=None,
                                  expected_version=sent.version)
    assert (refused.value.code, refused.value.status) == ("not_editable", 409)
