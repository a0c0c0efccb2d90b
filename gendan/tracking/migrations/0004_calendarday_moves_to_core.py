"""The working-day calendar now belongs to core (core 0004 took the model into its state on
the same table): drop it from tracking's state only, keeping the table and its rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_calendarday_from_tracking"),
        ("tracking", "0003_owner_index_expected"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CalendarDay")],
            database_operations=[],
        ),
    ]
