"""English names for the colour and size words already used on variants, from the built-in
dictionary (白 → White, 深灰 → Dark Grey, 均码 → One size); words it does not know are left for
the catalog's "Colour and size names" page."""

from django.db import migrations


def fill(apps, schema_editor):
    from gendan.catalog.variant_names import dictionary_english

    ProductVariant = apps.get_model("catalog", "ProductVariant")
    VariantName = apps.get_model("catalog", "VariantName")
    known = set(VariantName.objects.values_list("axis", "name"))
    new = []
    for axis in ("colour", "size"):
        for name in ProductVariant.objects.order_by().values_list(axis, flat=True).distinct().iterator():
            english = dictionary_english(axis, name)
            if english and (axis, name) not in known:
                known.add((axis, name))
                new.append(VariantName(axis=axis, name=name, name_en=english))
    VariantName.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_colournames_variantname"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
