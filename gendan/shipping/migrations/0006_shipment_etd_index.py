# The shipments list sorted by ETD and filtered by the ETD's week (bench/shipments_list.py).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("shipping", "0005_shipment_departed_by"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="shipment",
            index=models.Index(fields=["etd"], name="shipment_etd"),
        ),
    ]
