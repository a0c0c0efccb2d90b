"""English names for the colour and size words already typed on order lines (cells without a
product variant too), from the built-in dictionary — see catalog 0004."""

from django.db import migrations


def fill(apps, schema_editor):
    from gendan.catalog.variant_names import dictionary_english

    SalesOrderCell = apps.get_model("sales", "SalesOrderCell")
    VariantName = apps.get_model("catalog", "VariantName")
    known = set(VariantName.objects.values_list("axis", "name"))
    new = []
    for axis in ("colour", "size"):
        for name in SalesOrderCell.objects.order_by().values_list(axis, flat=True).distinct().iterator():
            english = dictionary_english(axis, name)
            if english and (axis, name) not in known:
                known.add((axis, name))
                new.append(VariantName(axis=axis, name=name, name_en=english))
    VariantName.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("sales", "0005_revision_money_terms_approval"),
        ("catalog", "0004_colournames_fill"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
