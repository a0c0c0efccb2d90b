"""Generate (and email) the week's production instructions.

Run by cron: semi-finished instructions a week ahead every Monday, finished-goods
instructions every Friday, both for the coming week::

    30 7 * * 1  python manage.py planning_instructions --kind semi
    30 7 * * 5  python manage.py planning_instructions --kind finished

Idempotent: a second run the same week changes and sends nothing unless the schedule changed.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from gendan.planning.services.instructions import default_week, instructions_generate


class Command(BaseCommand):
    help = "Generate the production instructions of the coming week from the schedule and email them."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["semi", "finished"], required=True)
        parser.add_argument("--week", help="any day of the week to generate for (default: next week)")

    def handle(self, *args, kind: str, week: str | None, **options):
        try:
            week_start = dt.date.fromisoformat(week) if week else default_week(kind)
        except ValueError as exc:
            raise CommandError(f"--week: {exc}") from None
        made = instructions_generate(actor=None, kind=kind, week_start=week_start)
        for instruction in made:
            self.stdout.write(f"{instruction.number}: {len(instruction.content)} entries")
        self.stdout.write(f"{len(made)} instruction(s) for the week of {week_start}.")
