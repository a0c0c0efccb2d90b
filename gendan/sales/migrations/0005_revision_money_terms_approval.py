# Four eyes on money terms (issue 10 item 1): who approved a change order that loosens them, when and why.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sales', '0004_shipping_plan'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='orderrevision',
            options={'ordering': ['order', 'revision_no'],
                     'permissions': [('approve_money_terms', 'Can approve a change order that loosens the money terms')],
                     'verbose_name': 'order revision', 'verbose_name_plural': 'order revisions'},
        ),
        migrations.AddField(
            model_name='orderrevision',
            name='approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='money terms approved by'),
        ),
        migrations.AddField(
            model_name='orderrevision',
            name='approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='money terms approved at'),
        ),
        migrations.AddField(
            model_name='orderrevision',
            name='approval_reason',
            field=models.CharField(blank=True, max_length=300, verbose_name='reason for the approval'),
        ),
    ]
