"""Load the reference data (currencies, number sequences) — see gendan.core.reference."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gendan.core.reference import reference_data_sync

    reference_data_sync(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
