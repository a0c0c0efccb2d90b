"""Store when an instalment falls due as a language-neutral key; the text is translated when shown."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_initial")]

    operations = [
        migrations.RenameField(model_name="paymentplanitem", old_name="due_event", new_name="due_rule"),
        migrations.AlterField(model_name="paymentplanitem", name="due_rule",
                              field=models.CharField(blank=True, max_length=40, verbose_name="due when")),
    ]
