"""The shared mechanisms every app uses: one error → status mapping, guards, reasons, dates,
the row lock with its version check, workflow tables, typed domain events, and timeline
messages rendered in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_noop

from gendan.core.domain_events import REACT, SETTLE, DomainEvent, publish, subscribe
from gendan.core.errors import (
    STATUS,
    BusinessError,
    ConflictError,
    CoreError,
    ErrorCode,
    Kind,
    NotAllowed,
    TransitionNotAllowed,
    ValidationFailed,
    codes,
)
from gendan.core.events import bilingual, choice, event_record, render_params, timeline_for, tr
from gendan.core.guards import MIN_REASON_LENGTH, OK, no, parse_date, reason_required, refuse, require
from gendan.core.models import Event, Sequence
from gendan.core.services import lock_row
from gendan.core.workflow import Workflow
from gendan.parties.models import Customer
from tests.factories import CustomerFactory


def test_every_kind_has_one_status_and_the_classes_follow_their_kind():
    assert STATUS == {Kind.VALIDATION: 400, Kind.PERMISSION: 403, Kind.SCOPE: 404, Kind.GATE: 409,
                      Kind.STATE: 409, Kind.STALE: 409,
                      # the edge's own (HTTP) kinds
                      Kind.AUTHENTICATION: 401, Kind.METHOD: 405, Kind.NOT_ACCEPTABLE: 406, Kind.TOO_LARGE: 413,
                      Kind.MEDIA_TYPE: 415, Kind.THROTTLED: 429, Kind.SERVER: 500}
    assert ValidationFailed("x").status == 400
    assert NotAllowed("x").status == 403
    assert ConflictError("x").status == 409
    assert TransitionNotAllowed("x").status == 409


def test_a_declared_code_decides_the_status_wherever_it_is_raised():
    class SampleError(ErrorCode):
        SAMPLE_GATE = "sample_gate_for_test", Kind.GATE

    assert codes()["sample_gate_for_test"] is SampleError.SAMPLE_GATE
    assert BusinessError("held back", code=SampleError.SAMPLE_GATE).status == 409
    # The same code raised as a validation error still answers as the gate it is.
    assert ValidationFailed("held back", code="sample_gate_for_test").status == 409
    assert BusinessError("x", code=CoreError.NOT_FOUND).status == 404
    assert BusinessError("x", code="sample_gate_for_test").as_dict() == {
        "code": "sample_gate_for_test", "message": "x", "fields": {}}


def test_guards_refuse_with_their_code_and_reason():
    refuse(OK)  # nothing happens
    with pytest.raises(BusinessError) as caught:
        refuse(no(CoreError.TRANSITION_NOT_ALLOWED, "Not from here."), field="status")
    assert caught.value.code == "transition_not_allowed" and caught.value.status == 409
    assert caught.value.fields == {"status": ["Not from here."]}
    # The error's class follows the code's kind, so callers catch what they always caught.
    for code, error in ((CoreError.TRANSITION_NOT_ALLOWED, TransitionNotAllowed), (CoreError.FORBIDDEN, NotAllowed),
                        (CoreError.INVALID, ValidationFailed), (CoreError.CONFLICT, ConflictError)):
        with pytest.raises(error):
            refuse(no(code, "No."))


@pytest.mark.django_db
def test_require_refuses_a_role_without_the_permission(make_user):
    clerk = make_user("warehouse")
    with pytest.raises(NotAllowed) as caught:
        require(clerk, "sales.override_gate")
    assert caught.value.status == 403 and "sales.override_gate" in str(caught.value.message)


def test_one_minimum_for_every_written_reason():
    assert MIN_REASON_LENGTH == 3
    assert reason_required("  缺面料 ", "holding") == "缺面料"
    for short in ("", "  ", "ok"):
        with pytest.raises(ValidationFailed) as caught:
            reason_required(short, "holding")
        assert caught.value.code == "reason_required" and "reason" in caught.value.fields
    with pytest.raises(ValidationFailed):
        reason_required("x" * 1001, "holding")


def test_dates_people_type_are_parsed_or_refused_with_the_field_named():
    assert parse_date("2026-03-05", field="etd") == dt.date(2026, 3, 5)
    assert parse_date("", field="etd") is None
    for bad in ("2026-02-30", "tomorrow", "0001-01-01", "9999-12-31"):
        with pytest.raises(ValidationFailed) as caught:
            parse_date(bad, field="etd")
        assert set(caught.value.fields) == {"etd"} and caught.value.status == 400
    with pytest.raises(ValidationFailed):
        parse_date(None, field="etd", required=True)


@pytest.mark.django_db
def test_lock_row_answers_404_for_missing_and_409_for_stale():
    customer = CustomerFactory()
    with transaction.atomic():
        assert lock_row(Customer.objects.all(), customer.pk, expected_version=customer.version) == customer
        for bad in (0, "abc", 2**70, None):
            with pytest.raises(Http404):
                lock_row(Customer.objects.all(), bad)
        with pytest.raises(ConflictError):
            lock_row(Customer.objects.all(), customer.pk, expected_version=customer.version + 1)


def test_a_workflow_table_guards_every_edge():
    R = Sequence.Reset
    flow = Workflow("test_sequence_reset", Sequence, state_field="reset", label="sequence",
                    transitions={(R.NEVER, R.YEARLY): "gendan.core.numbering.number_next",
                                 (R.YEARLY, R.MONTHLY): "gendan.core.numbering.number_next"})
    seq = Sequence(reset=R.NEVER)
    assert flow.can(seq, R.YEARLY) and not flow.can(seq, R.MONTHLY)
    assert flow.check(seq, R.MONTHLY).code == "transition_not_allowed"
    assert flow.targets(R.NEVER) == {R.YEARLY} and flow.sources(R.MONTHLY) == {R.YEARLY}
    assert (R.MONTHLY, R.NEVER) in set(flow.forbidden())
    with pytest.raises(TransitionNotAllowed):
        flow.ensure(seq, R.MONTHLY)
    assert flow.move(seq, R.YEARLY) == R.NEVER and seq.reset == R.YEARLY
    assert callable(flow.resolve(flow.service_for(R.NEVER, R.YEARLY)))
    with pytest.raises(ValueError):
        Workflow("bad", Sequence, state_field="reset", transitions={(R.NEVER, "weekly"): "a.b"})


@dataclass(kw_only=True)
class CustomerNoted(DomainEvent):
    kind = "test.customer_noted"
    text = gettext_noop("Customer %(code)s: %(what)s, status %(status)s")
    customer: Customer

    def subject(self):
        return self.customer

    def params(self):
        return {"code": self.customer.code, "what": tr(gettext_noop("deposit rule")),
                "status": choice(Event, "verb", Event.Verb.OVERRIDE)}


@pytest.mark.django_db(transaction=True)
def test_a_domain_event_writes_its_row_then_tells_subscribers_now_and_after_commit():
    seen = []
    subscribe(CustomerNoted, lambda e: seen.append(("now", e.record.kind)))
    subscribe(CustomerNoted, lambda e: seen.append(("after", e.customer.code)), after_commit=True)
    customer = CustomerFactory()
    with transaction.atomic():
        publish(CustomerNoted(actor=None, customer=customer))
        assert seen == [("now", "test.customer_noted")]
    assert seen == [("now", "test.customer_noted"), ("after", customer.code)]
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(CustomerNoted(actor=None, customer=customer))
        raise RuntimeError("rolled back")
    assert len(seen) == 3  # rolled back: the after-commit subscriber never ran
    assert Event.objects.filter(kind="test.customer_noted").count() == 1


@dataclass(kw_only=True)
class SomethingSettled(DomainEvent):
    record_row = False


def test_subscribers_that_settle_facts_run_before_those_that_react_whatever_the_order_they_came_in():
    seen = []
    subscribe(SomethingSettled, lambda e: seen.append("react"))  # e.g. the T&A, first in INSTALLED_APPS
    subscribe(SomethingSettled, lambda e: seen.append("settle"), stage=SETTLE)  # e.g. the payment plan
    subscribe(SomethingSettled, lambda e: seen.append("react 2"), stage=REACT)
    publish(SomethingSettled())
    assert seen == ["settle", "react", "react 2"]


@pytest.mark.django_db
def test_the_timeline_speaks_the_readers_language_old_rows_keep_their_text():
    customer = CustomerFactory()
    event_record(actor=None, obj=customer, verb=Event.Verb.NOTE, kind=CustomerNoted.kind,
                 params={"code": "C1", "what": tr("deposit rule"), "status": choice(Event, "verb", "override")})
    Event.objects.create(content_type_id=timeline_for(customer)[0].content_type_id, object_id=customer.pk,
                         object_repr="x", created_at=timeline_for(customer)[0].created_at, verb="note",
                         message="旧的中文记录")
    new, old = sorted(timeline_for(customer), key=lambda e: e.kind == "")
    with translation.override("en"):
        assert new.text == "Customer C1: deposit rule, status rule overridden"
        assert old.text == "旧的中文记录"
    with translation.override("zh-hans"):
        assert "定金" in new.text or "订金" in new.text
    with pytest.raises(ValueError):  # a placeholder without its value is a programming error
        event_record(actor=None, obj=customer, verb=Event.Verb.NOTE, kind=CustomerNoted.kind, params={})


def test_a_name_kept_in_both_languages_is_shown_in_the_readers():
    params = {"name": bilingual("出厂", "Ex-factory"), "only_zh": bilingual("验货", "")}
    with translation.override("en"):
        assert render_params(params) == {"name": "Ex-factory", "only_zh": "验货"}
    with translation.override("zh-hans"):
        assert render_params(params) == {"name": "出厂", "only_zh": "验货"}
