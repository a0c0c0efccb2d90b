"""Enqueue the reminders that are due: daily digests (one per person), the escalation of
overdue milestones (one email per manager per day) and meeting notices. Run from cron every 15 minutes; ``manage.py db_worker`` sends them.

    */15 * * * *  cd /srv/gendan && .venv/bin/python manage.py chase_run

Safe to run as often as you like: a reminder already sent (or being sent) is not enqueued
again, and the task refuses to send it twice (``ReminderLog``).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gendan.tracking import tasks
from gendan.tracking.services.plans import plans_refresh_stale
from gendan.tracking.services.reminders import digests_due, escalations_due, meeting_notices_due


class Command(BaseCommand):
    help = "Enqueue due reminders: daily digests, each manager's daily escalation, meeting notices."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Run as if it were this local time (YYYY-MM-DD HH:MM), for catching up.")

    def handle(self, *args, at: str | None = None, **options):
        now = timezone.now()
        if at:
            try:
                now = timezone.make_aware(dt.datetime.fromisoformat(at))
            except ValueError:
                raise CommandError(f"--at: not a date and time: {at!r} (use YYYY-MM-DD HH:MM)") from None
        today = timezone.localtime(now).date()
        # First move every open plan to today: yesterday's unfinished milestones push their successors.
        refreshed = plans_refresh_stale(today=today)
        digests = digests_due(now=now)
        for user_id in digests:
            tasks.send_digest.enqueue(user_id, today.isoformat())
        escalations = escalations_due(today=today)
        for manager_id in escalations:
            tasks.send_escalation_digest.enqueue(manager_id, today.isoformat())
        notices = meeting_notices_due(now=now)
        for meeting_id in notices:
            tasks.send_meeting_notice.enqueue(meeting_id)
        self.stdout.write(f"{refreshed} plan(s) refreshed, {len(digests)} digest(s), {len(escalations)} escalation(s), "
                          f"{len(notices)} meeting notice(s) enqueued.")
        # receivables: last month's statements of account, on the first working day of a month (once each)
        from gendan.receivables.services.statements import statements_monthly_due  # noqa: E402, I001
        self.stdout.write(f"{len(statements_monthly_due(today=today))} monthly statement(s) of account enqueued.")
        # Receivables: the day's dunning run (催款), once a day — a second chase_run the same day does nothing.
        from gendan.receivables.services.dunning import dunning_run

        dunned = dunning_run(today)
        self.stdout.write(f"dunning: {dunned.notices_count} reminder(s), {dunned.holds_count} put on credit hold."
                          if dunned else "dunning: already run today.")
