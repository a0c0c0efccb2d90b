"""Mark sent quotations past their validity date as expired. Run daily (cron / systemd timer)."""

from django.core.management.base import BaseCommand

from gendan.sales.services.quotations import quotations_expire


class Command(BaseCommand):
    help = "Mark sent quotations whose validity date has passed as expired."

    def handle(self, *args, **options):
        count = quotations_expire()
        self.stdout.write(f"{count} quotation(s) expired.")
