"""A bank reference once per receiving account (issue 11 defect 4). Receipts posted twice before
this rule keep their rows: the later ones get " (2)", " (3)" … after their reference, so the
constraint can be created and finance can see (and void) the duplicates."""

import django.db.models.functions.text
from django.db import migrations, models


def mark_duplicates(apps, schema_editor):
    Receipt = apps.get_model("finance", "Receipt")
    seen: dict[tuple[str, str], int] = {}
    for receipt in Receipt.objects.order_by("id").only("id", "bank_reference", "currency_id"):
        key = (receipt.bank_reference.upper(), receipt.currency_id)
        count = seen.get(key, 0) + 1
        seen[key] = count
        if count > 1:
            suffix = f" ({count})"
            receipt.bank_reference = receipt.bank_reference[: 80 - len(suffix)] + suffix
            receipt.save(update_fields=["bank_reference"])


class Migration(migrations.Migration):

    dependencies = [
        ("finance", "0004_receipt_check_tolerates_float_sum"),
    ]

    operations = [
        migrations.RunPython(mark_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="receipt",
            constraint=models.UniqueConstraint(django.db.models.functions.text.Upper("bank_reference"),
                                               models.F("currency"), name="receipt_bank_reference_once"),
        ),
    ]
