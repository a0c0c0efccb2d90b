"""The dunning run: one reminder per customer per day at its highest level, never for amounts in
dispute, e-mails only when the level rose or a week passed, board tasks closed when paid, the
managers' escalation grouped, the hold level's credit hold; and the levels finance edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.receivables.models import CustomerCredit, DunningLevel, DunningNotice, DunningRun
from gendan.receivables.services.disputes import dispute_open
from gendan.receivables.services.dunning import dunning_levels_save, dunning_run, finance_contact
from gendan.receivables.tests.credit_setup import confirmed_order, customer_with_contacts, make_overdue
from tests.factories import pay

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(make_user):
    return {"merch": make_user("merchandiser"), "sales": make_user("sales"), "finance": make_user("finance"),
            "manager": make_user("manager", email="boss@gendan.example", language="en")}


@pytest.fixture
def customer(people):
    return customer_with_contacts(people)


def _run(capture, day=None, actor=None):
    with capture(execute=True):
        return dunning_run(day or timezone.localdate(), actor=actor)


def test_default_levels_are_there():
    levels = list(DunningLevel.objects.values_list("level", "days_overdue", "board_task", "escalate_manager",
                                                   "credit_hold"))
    assert levels == [(1, 1, False, False, False), (2, 15, True, False, False), (3, 30, True, True, False),
                      (4, 60, True, True, True)]


def test_one_notice_per_customer_at_its_highest_level(people, customer, django_capture_on_commit_callbacks):
    first, second = confirmed_order(people, customer), confirmed_order(people, customer)
    make_overdue(first, days=20)
    make_overdue(second, days=3)
    run = _run(django_capture_on_commit_callbacks)
    notice = DunningNotice.objects.get(run=run)
    assert (notice.level, notice.days_overdue, len(notice.items)) == (2, 20, 2)
    assert notice.sent_to == "ap@buyer.example"  # the contact whose title says accounts
    assert [m.to for m in mail.outbox] == [["ap@buyer.example"]]
    assert first.number in mail.outbox[0].body and second.number in mail.outbox[0].body
    assert "20 days" in mail.outbox[0].subject
    credit = CustomerCredit.objects.get(customer=customer)
    assert (credit.dunning_level, credit.on_hold) == (2, False)
    assert (run.customers_count, run.notices_count, run.holds_count) == (1, 1, 0)


def test_a_second_run_the_same_day_does_nothing(people, customer, django_capture_on_commit_callbacks):
    make_overdue(confirmed_order(people, customer), days=5)
    assert _run(django_capture_on_commit_callbacks) is not None
    assert _run(django_capture_on_commit_callbacks) is None
    assert DunningRun.objects.count() == 1 and DunningNotice.objects.count() == 1 and len(mail.outbox) == 1


def test_the_same_level_is_emailed_again_only_after_a_week(people, customer, clock,
                                                         django_capture_on_commit_callbacks):
    make_overdue(confirmed_order(people, customer), days=2)
    today = timezone.localdate()
    for offset in range(0, 8):
        _run(django_capture_on_commit_callbacks, day=today + dt.timedelta(days=offset))
    sent = list(DunningNotice.objects.exclude(sent_to="").order_by("run__run_on")
                .values_list("run__run_on", "level"))
    assert sent == [(today, 1), (today + dt.timedelta(days=7), 1)]
    assert DunningNotice.objects.count() == 8  # one reminder a run, recorded even when not mailed
    assert len(mail.outbox) == 2


def test_a_rising_level_is_emailed_at_once(people, customer, django_capture_on_commit_callbacks):
    make_overdue(confirmed_order(people, customer), days=14)
    today = timezone.localdate()
    _run(django_capture_on_commit_callbacks, day=today)
    _run(django_capture_on_commit_callbacks, day=today + dt.timedelta(days=1))  # 15 days: level 2
    assert list(DunningNotice.objects.order_by("run__run_on").values_list("level", "sent_to")) == [
        (1, "ap@buyer.example"), (2, "ap@buyer.example")]


def test_amounts_in_dispute_are_never_dunned(people, customer, django_capture_on_commit_callbacks):
    order = confirmed_order(people, customer)
    item = make_overdue(order, days=40)
    dispute_open(actor=people["finance"], plan_item_id=item.pk, amount=item.amount - item.received_amount,
                 reason="quality complaint, 10 % claimed")
    run = _run(django_capture_on_commit_callbacks)
    assert run.notices_count == 0 and not mail.outbox


def test_part_in_dispute_leaves_the_rest_dunned(people, customer, django_capture_on_commit_callbacks):
    order = confirmed_order(people, customer)
    item = make_overdue(order, days=3)
    dispute_open(actor=people["finance"], plan_item_id=item.pk, amount="100", reason="price question")
    _run(django_capture_on_commit_callbacks)
    notice = DunningNotice.objects.get()
    assert notice.overdue == {"USD": str(item.amount - 100)}


def test_escalation_one_email_per_manager_listing_customers(people, django_capture_on_commit_callbacks):
    first, second = customer_with_contacts(people), customer_with_contacts(people)
    make_overdue(confirmed_order(people, first), days=31)
    make_overdue(confirmed_order(people, second), days=45)
    _run(django_capture_on_commit_callbacks)
    to_manager = [m for m in mail.outbox if m.to == ["boss@gendan.example"]]
    assert len(to_manager) == 1
    assert first.code in to_manager[0].body and second.code in to_manager[0].body


def test_hold_level_puts_the_customer_on_hold_and_on_the_timelines(people, customer,
                                                                   django_capture_on_commit_callbacks):
    from gendan.core.events import timeline_for

    order = confirmed_order(people, customer)
    make_overdue(order, days=61)
    run = _run(django_capture_on_commit_callbacks)
    credit = CustomerCredit.objects.get(customer=customer)
    assert credit.on_hold and credit.hold_since and run.holds_count == 1
    assert any(e.kind == "receivables.credit_hold_put" for e in timeline_for(customer))
    assert any(e.kind == "receivables.credit_hold_put" for e in timeline_for(order))


def test_paid_customer_drops_to_level_zero_and_its_tasks_close(people, customer, clock,
                                                               django_capture_on_commit_callbacks):
    order = confirmed_order(people, customer)
    item = make_overdue(order, days=20)
    today = timezone.localdate()
    _run(django_capture_on_commit_callbacks, day=today)
    assert DunningNotice.objects.filter(resolved_at__isnull=True).count() == 1
    pay(order, item.amount - item.received_amount, actor=people["finance"])
    _run(django_capture_on_commit_callbacks, day=today + dt.timedelta(days=1))
    assert CustomerCredit.objects.get(customer=customer).dunning_level == 0
    assert DunningNotice.objects.filter(resolved_at__isnull=True).count() == 0


def test_a_lifted_hold_is_not_put_back_for_the_same_debt(people, customer, django_capture_on_commit_callbacks):
    from gendan.receivables.services.credit import credit_hold_lift

    make_overdue(confirmed_order(people, customer), days=61)
    today = timezone.localdate()
    _run(django_capture_on_commit_callbacks, day=today)
    credit_hold_lift(actor=people["finance"], customer_id=customer.pk, reason="paying by instalments, agreed")
    _run(django_capture_on_commit_callbacks, day=today + dt.timedelta(days=1))
    assert not CustomerCredit.objects.get(customer=customer).on_hold


def test_finance_contact_falls_back_to_primary_then_customer(people):
    from tests.factories import ContactFactory, CustomerFactory

    customer = CustomerFactory(email="hello@c.example")
    assert finance_contact(customer) == "hello@c.example"
    ContactFactory(customer=customer, title="Buyer", email="buyer@c.example", is_primary=True)
    assert finance_contact(customer) == "buyer@c.example"
    ContactFactory(customer=customer, title="财务", email="cw@c.example")
    assert finance_contact(customer) == "cw@c.example"


def test_chinese_customer_gets_the_chinese_text(people, django_capture_on_commit_callbacks):
    customer = customer_with_contacts(people, country="CN", name_zh="宁波客户")
    make_overdue(confirmed_order(people, customer), days=2)
    _run(django_capture_on_commit_callbacks)
    assert "付款提醒" in mail.outbox[0].subject and "宁波客户" in mail.outbox[0].body


def test_run_now_is_finance_only(people):
    with pytest.raises(NotAllowed):
        dunning_run(timezone.localdate(), actor=people["merch"])


# --- levels --------------------------------------------------------------------------------------


def _levels():
    return [{"days_overdue": lv.days_overdue, "subject_zh": lv.subject_zh, "subject_en": lv.subject_en,
             "body_zh": lv.body_zh, "body_en": lv.body_en, "email_customer": lv.email_customer,
             "board_task": lv.board_task, "escalate_manager": lv.escalate_manager, "credit_hold": lv.credit_hold}
            for lv in DunningLevel.objects.order_by("level")]


def test_levels_days_must_increase(people):
    rows = _levels()
    rows[2]["days_overdue"] = 10
    with pytest.raises(ValidationFailed) as caught:
        dunning_levels_save(actor=people["finance"], levels=rows)
    assert caught.value.code == "dunning_levels_invalid"
    assert "level-3-days_overdue" in caught.value.fields
    assert DunningLevel.objects.get(level=3).days_overdue == 30


def test_levels_placeholders_are_checked(people):
    rows = _levels()
    rows[0]["body_en"] = "Dear {customr}, pay {amount}"
    rows[1]["subject_zh"] = "提醒 {amount"
    with pytest.raises(ValidationFailed) as caught:
        dunning_levels_save(actor=people["finance"], levels=rows)
    assert {"level-1-body_en", "level-2-subject_zh"} <= set(caught.value.fields)
    assert "{customr}" in caught.value.fields["level-1-body_en"][0]


def test_levels_saved_and_on_the_timeline(people):
    from gendan.core.models import Event

    rows = _levels()[:3]
    rows[0]["days_overdue"] = 3
    saved = dunning_levels_save(actor=people["finance"], levels=rows)
    assert [lv.days_overdue for lv in saved] == [3, 15, 30]
    assert not DunningLevel.objects.filter(level=4).exists()
    assert Event.objects.filter(kind="receivables.dunning_levels_changed").count() == 1


def test_levels_only_finance(people):
    with pytest.raises(NotAllowed):
        dunning_levels_save(actor=people["merch"], levels=_levels())
