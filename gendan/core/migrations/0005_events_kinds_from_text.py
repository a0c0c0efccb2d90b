"""Old timeline rows in the reader's language: rows written before event kinds existed get the
kind whose text (English or Chinese) their stored message is; the message stays as the fallback.
See gendan/core/event_upgrade.py. Idempotent; reversing leaves the rows as they are."""

from django.db import migrations


def forward(apps, schema_editor):
    from gendan.core.event_upgrade import events_upgrade_text

    events_upgrade_text(apps.get_model("core", "Event"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendarday_from_tracking")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
