"""Reference data every installation needs: currencies and document number sequences.

(Demo users and companies are never created here; see ``manage.py seed_demo``.)
"""

from django.db import migrations

SEQUENCES = [
    # code, name_zh, name_en, prefix, pattern, padding, reset
    ("customer", "客户编号", "Customer code", "C", "{PREFIX}{SEQ}", 5, "never"),
    ("supplier", "供应商编号", "Supplier code", "S", "{PREFIX}{SEQ}", 5, "never"),
]


def forwards(apps, schema_editor):
    from gendan.core.money import CURRENCIES

    Currency = apps.get_model("core", "Currency")
    for info in CURRENCIES.values():
        Currency.objects.update_or_create(
            code=info.code,
            defaults={"name_zh": info.name_zh, "name_en": info.name_en, "minor_unit": info.minor_unit,
                      "symbol": info.symbol, "is_active": info.code in {"CNY", "USD", "EUR", "GBP", "JPY", "HKD"}},
        )
    Sequence = apps.get_model("core", "Sequence")
    for code, name_zh, name_en, prefix, pattern, padding, reset in SEQUENCES:
        Sequence.objects.get_or_create(code=code, defaults={
            "name_zh": name_zh, "name_en": name_en, "prefix": prefix, "pattern": pattern,
            "padding": padding, "reset": reset})


def backwards(apps, schema_editor):
    apps.get_model("core", "Sequence").objects.filter(code__in=[s[0] for s in SEQUENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
