"""The shipped templates' "material ETAs confirmed" falls three working days after the BOM
(seed 001, 第五篇 三: 出BOM后3天内…核对所有物料的到料时间), not one. Only steps still at the
old shipped value change: a company's own edit stays. Plans already made keep their dates."""

from django.db import migrations


def forwards(apps, schema_editor):
    TemplateStep = apps.get_model("tracking", "TemplateStep")
    TemplateStep.objects.filter(template__is_default=True, key="material_etas_confirmed", anchor="previous",
                                offset_days=1, day_kind="working").update(offset_days=3)


def backwards(apps, schema_editor):
    TemplateStep = apps.get_model("tracking", "TemplateStep")
    TemplateStep.objects.filter(template__is_default=True, key="material_etas_confirmed", anchor="previous",
                                offset_days=3, day_kind="working").update(offset_days=1)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0006_plan_risk_kind")]
    operations = [migrations.RunPython(forwards, backwards)]
