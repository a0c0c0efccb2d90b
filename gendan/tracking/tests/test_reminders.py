"""Reminders sent by ``manage.py chase_run`` through the tasks API (immediate backend in tests)
and received by a real SMTP server: each person's daily digest once a day after their digest
time, escalations of overdue required milestones to the responsible managers after
``GENDAN_ESCALATION_DAYS`` days and not before, and the reminder settings page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gendan.core.calendar import is_working_day
from gendan.tracking.models import ChasePreference, OrderMilestone, OrderPlan, ReminderLog
from gendan.tracking.services.communications import communication_record
from gendan.tracking.services.reminders import digest_send
from gendan.tracking.tests.conftest import make_confirmed
from tests import smtp as smtp_fixtures
from tests.clock import working_days_from
from tests.factories import CustomerFactory, RegionFactory
from tests.smtp import smtp_server

smtp = smtp_fixtures.smtp  # the real SMTP server fixture

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def run(hour: int, minute: int = 0, day: dt.date | None = None) -> None:
    day = day or timezone.localdate()
    call_command("chase_run", at=f"{day.isoformat()} {hour:02d}:{minute:02d}")


def workday() -> dt.date:
    """Today, or the next working day on the company calendar when today is a day off (no digest
    then): a weekend, a public holiday; a make-up Saturday (调休) is worked."""
    return working_days_from(timezone.localdate(), 0)


def to(smtp, user) -> list:
    return [d.message for d in smtp.deliveries if user.email in d.rcpt_tos]


def follow_up_for(w, order, *, summary="Ask the buyer to approve the carton artwork"):
    return communication_record(actor=w.merch, order_id=order.pk, channel="phone", direction="out",
                                occurred_at=timezone.now() - dt.timedelta(hours=1), summary=summary,
                                follow_up_date=timezone.localdate())


# --- the digest -------------------------------------------------------------------------------


def test_the_digest_arrives_once_after_the_digest_time_even_when_the_job_runs_twice(
        people, confirmed, smtp, settings):
    settings.GENDAN_DIGEST_TIME = "07:30"
    follow_up_for(people, confirmed)

    run(7, 15, day=workday())
    assert to(smtp, people.merch) == []

    run(7, 45, day=workday())
    run(8, 0, day=workday())

    [digest] = to(smtp, people.merch)
    assert workday().isoformat() in digest["Subject"]
    body = digest.get_body(preferencelist=("plain",)).get_content()
    assert "Ask the buyer to approve the carton artwork" in body
    assert confirmed.number in body
    log = ReminderLog.objects.get(kind=ReminderLog.Kind.DIGEST, user=people.merch)
    assert log.sent_at is not None and log.error == ""


def test_a_digest_stays_one_bounded_email_however_much_is_overdue(people, confirmed, smtp):
    today = workday()
    plan = OrderPlan.objects.get(order=confirmed)
    OrderMilestone.objects.bulk_create([
        OrderMilestone(plan=plan, order=confirmed, sequence=100 + i, key=f"check_{i}", name_zh=f"检查{i}",
                       name_en=f"Check {i}", owner_role="merchandiser", owner=people.merch, anchor="order_date",
                       offset_days=0, planned_date=today - dt.timedelta(days=1 + i % 20), forecast_date=today)
        for i in range(2000)])
    run(9, 0, day=today)
    run(9, 15, day=today)
    [digest] = to(smtp, people.merch)
    body = digest.get_body(preferencelist=("plain",)).get_content()
    assert "2000 overdue" in digest["Subject"]
    assert "… and 1970 more on your chase board: http://localhost:8000/tracking/board/" in body
    assert len(body) < 20_000


def test_no_digest_on_days_off(people, confirmed, smtp):
    follow_up_for(people, confirmed)
    day_off = timezone.localdate()  # the next weekend day or holiday that is not made up
    while is_working_day(day_off):
        day_off += dt.timedelta(days=1)
    run(9, 0, day=day_off)
    assert to(smtp, people.merch) == []
    run(9, 0, day=working_days_from(day_off, 0))  # the next working day
    assert len(to(smtp, people.merch)) == 1


def test_a_person_chooses_a_later_time_or_no_digest(people, confirmed, smtp, settings):
    settings.GENDAN_DIGEST_TIME = "07:30"
    follow_up_for(people, confirmed)
    ChasePreference.objects.create(user=people.merch, digest_time=dt.time(9, 0))
    run(8, 0, day=workday())
    assert to(smtp, people.merch) == []
    run(9, 0, day=workday())
    assert len(to(smtp, people.merch)) == 1

    ChasePreference.objects.filter(user=people.merch).update(digest_enabled=False)
    run(9, 0, day=workday() + dt.timedelta(days=1))
    assert len(to(smtp, people.merch)) == 1


def test_the_digest_is_written_in_the_readers_language(people, confirmed, smtp):
    people.merch.language = "zh-hans"
    people.merch.save()
    follow_up_for(people, confirmed)
    assert digest_send(user_id=people.merch.pk, day=timezone.localdate())
    [digest] = to(smtp, people.merch)
    assert confirmed.number in digest.get_body(preferencelist=("plain",)).get_content()


def test_a_failed_digest_is_tried_again_by_the_next_run(people, confirmed, smtp, settings):
    follow_up_for(people, confirmed)
    smtp.stop()
    assert not digest_send(user_id=people.merch.pk, day=workday())
    assert ReminderLog.objects.get(kind=ReminderLog.Kind.DIGEST, user=people.merch).error
    with smtp_server() as back_up:  # the mail server is back
        settings.EMAIL_PORT = back_up.port
        run(23, 0, day=workday())
        assert len(to(back_up, people.merch)) == 1
    assert ReminderLog.objects.get(kind=ReminderLog.Kind.DIGEST, user=people.merch).sent_at is not None


# --- escalations ------------------------------------------------------------------------------


def overdue_milestone(order, *, days: int) -> OrderMilestone:
    today = timezone.localdate()
    plan, _ = OrderPlan.objects.get_or_create(order=order, defaults={
        "promised_ex_factory": order.ex_factory_date, "predicted_ex_factory": order.ex_factory_date,
        "refreshed_on": today})
    return OrderMilestone.objects.create(
        plan=plan, order=order, sequence=99, key="glaze_approval", name_zh="釉色确认", name_en="Glaze colour approved",
        owner_role="merchandiser", owner=order.merchandiser, anchor="order_date", offset_days=0,
        planned_date=today - dt.timedelta(days=days), forecast_date=today, required=True)


def escalations(smtp) -> list:
    return [d for d in smtp.deliveries if d.message["Subject"].strip().startswith(("Escalation", "升级提醒"))]


def body_of(delivery) -> str:
    return delivery.message.get_body(preferencelist=("plain",)).get_content()


def test_an_overdue_required_milestone_goes_to_the_customers_regional_and_the_general_manager(
        people, confirmed, smtp, settings, make_user):
    settings.GENDAN_ESCALATION_DAYS = 3
    settings.GENDAN_SITE_URL = "https://gendan.example.com"
    east, west = RegionFactory(code="east"), RegionFactory(code="west")
    people.customer.region = east
    people.customer.save()
    east_manager = make_user("manager", username="east_manager", region=east, language="en")
    west_manager = make_user("manager", username="west_manager", region=west, language="en")
    overdue_milestone(confirmed, days=2)

    run(10, 0)
    assert escalations(smtp) == []

    run(10, 0, day=timezone.localdate() + dt.timedelta(days=1))  # three days overdue now
    run(10, 15, day=timezone.localdate() + dt.timedelta(days=1))

    sent = escalations(smtp)
    assert sorted(r for d in sent for r in d.rcpt_tos) == sorted([east_manager.email, people.manager.email])
    assert west_manager.email not in [r for d in smtp.deliveries for r in d.rcpt_tos]
    body = body_of(sent[0])
    assert confirmed.number in body and "Glaze colour approved (3 days)" in body
    assert f"https://gendan.example.com{confirmed.get_absolute_url()}#plan" in body
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.ESCALATION).count() == 2  # one per manager and day


def test_a_milestone_done_or_not_required_is_not_escalated(people, confirmed, smtp, settings):
    settings.GENDAN_ESCALATION_DAYS = 3
    done = overdue_milestone(confirmed, days=5)
    done.status = OrderMilestone.Status.DONE
    done.save()
    run(10, 0)
    assert escalations(smtp) == []


def test_thousands_of_overdue_milestones_make_one_email_per_manager_per_day(
        people, smtp, settings, make_user, django_assert_max_num_queries):
    """The 100 000-order demo sent 153 717 escalation emails in one run (issue 11, defect 8)."""
    settings.GENDAN_ESCALATION_DAYS = 3
    settings.GENDAN_SITE_URL = "http://localhost:8000"
    east, west = RegionFactory(code="east"), RegionFactory(code="west")
    managers = [people.manager, make_user("manager", username="east_manager", region=east, language="zh-hans"),
                make_user("manager", username="west_manager", region=west, language="en")]
    make_user("manager", username="north_manager", region=RegionFactory(code="north"), language="en")  # nothing
    today = timezone.localdate()
    orders = []
    for region in (east, west, None):
        customer = CustomerFactory(region=region, merchandiser=people.merch, salesperson=people.sales)
        orders.append(make_confirmed(people, customer=customer))
    rows = []
    for order in orders:
        plan = OrderPlan.objects.get(order=order)
        rows += [OrderMilestone(plan=plan, order=order, sequence=100 + i, key=f"check_{i}", name_zh=f"检查{i}",
                                name_en=f"Check {i}", owner_role="merchandiser" if i % 3 else "qc",
                                owner=people.merch if i % 3 else None, anchor="order_date", offset_days=0,
                                planned_date=today - dt.timedelta(days=3 + i % 40), forecast_date=today,
                                required=True) for i in range(700)]
    OrderMilestone.objects.bulk_create(rows, batch_size=1000)
    # Not chasing the digests here: the escalations only.
    ChasePreference.objects.bulk_create([ChasePreference(user=u, digest_enabled=False) for u in
                                         type(people.merch).objects.all()])

    run(10, 0)

    sent = escalations(smtp)
    assert sorted(r for d in sent for r in d.rcpt_tos) == sorted(m.email for m in managers)
    general = next(d for d in sent if people.manager.email in d.rcpt_tos)
    body = body_of(general)
    assert "2100 overdue milestones on 3 orders (worst 42 days)" in general.message["Subject"]
    assert body.count("(42 days)") >= 1 and "… and 2050 more" in body and "?state=overdue" in body
    assert "(41 days)" not in body and "(3 days)" not in body  # worst first: the 50 listed are the 42-day ones
    assert f"http://localhost:8000{orders[0].get_absolute_url()}#plan" in body  # links work from a mail client
    assert len(body) < 20_000  # bounded: 50 milestones listed, the rest counted and linked
    east_body = body_of(next(d for d in sent if managers[1].email in d.rcpt_tos))
    assert orders[0].number in east_body and orders[1].number not in east_body and orders[2].number not in east_body
    assert "负责人" in east_body  # in the manager's language

    run(10, 15)
    run(14, 0)
    assert len(escalations(smtp)) == len(managers)  # the same day: nothing new

    run(10, 0, day=today + dt.timedelta(days=1))
    assert len(escalations(smtp)) == 2 * len(managers)  # the next day: one each again


# --- settings page ----------------------------------------------------------------------------


def test_everyone_sets_their_own_reminders(people, client_for):
    client = client_for(people.qc)
    url = reverse("tracking:reminder_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {"digest_enabled": "on", "digest_time": "06:45", "horizon_days": "10"})
    assert response.status_code == 302
    pref = ChasePreference.objects.get(user=people.qc)
    assert (pref.digest_enabled, pref.digest_time, pref.horizon_days) == (True, dt.time(6, 45), 10)

    response = client.post(url, {"digest_time": "25:99", "horizon_days": "-1"})
    assert response.status_code == 400
    assert {"digest_time", "horizon_days"} <= set(response.context["form"].errors)
    pref.refresh_from_db()
    assert pref.digest_time == dt.time(6, 45) and pref.digest_enabled


# --- the production path: database queue and worker -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_what_chase_run_enqueued(people, confirmed, smtp,
                                                                          settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    follow_up_for(people, confirmed)

    run(9, 0, day=workday())
    run(9, 15, day=workday())  # enqueued twice before the worker ran: sent once all the same

    assert DBTaskResult.objects.filter(task_path__endswith="send_digest").count() >= 2
    assert to(smtp, people.merch) == []
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    assert len(to(smtp, people.merch)) == 1
