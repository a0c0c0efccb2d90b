"""The working-day calendar moves from tracking to core without moving its rows: core takes
the model into its state on the same table (``tracking_calendarday``); tracking 0004 then drops
it from tracking's state. No table is created, renamed or dropped.

The content type is relabelled too, so the permissions the roles hold and the calendar's
timeline events stay attached to it."""

from django.db import migrations, models


def content_type_to_core(apps, schema_editor):
    _relabel(apps, schema_editor, "tracking", "core")


def content_type_to_tracking(apps, schema_editor):
    _relabel(apps, schema_editor, "core", "tracking")


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="calendarday").exists():
        return  # created by a migrate run that did not know about the move: keep it
    ContentType.objects.using(db).filter(app_label=old, model="calendarday").update(app_label=new)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_event_kind_params"),
        # the table exists (tracking 0001) before core claims it
        ("tracking", "0003_owner_index_expected"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("kind", models.CharField(choices=[("holiday", "holiday (no work)"),
                                                           ("workday", "make-up working day (调休)")],
                                                  max_length=10, verbose_name="kind")),
                        ("name", models.CharField(blank=True, max_length=60, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "calendar day",
                        "verbose_name_plural": "calendar days",
                        "db_table": "tracking_calendarday",
                        "ordering": ["date"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_core, content_type_to_tracking),
    ]
