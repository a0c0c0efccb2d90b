"""Close the T&A plans of orders that already completed, closed or were cancelled before the
T&A followed those events (issue 11, defect 3): a shipped, paid, completed order showed "at
risk" and "booking" still open. Their open milestones are skipped with the reason (the
after-sales check-ins of completed and closed orders stay open, as ``plan_close`` does now),
the plans stop counting and their risk is cleared. A handful of UPDATE statements, however
many orders there are; running it again changes nothing."""

from django.conf import settings
from django.db import migrations
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext

AFTER_SALES = ("quality_check_in", "reorder_check_in")
# order status → (the reason on each skipped milestone, whether the after-sales check-ins stay)
ENDS = {
    "completed": ("order completed", True),
    "closed": ("order closed", True),
    "cancelled": ("order cancelled", False),
}


def close_plans(apps, schema_editor):
    OrderPlan = apps.get_model("tracking", "OrderPlan")
    OrderMilestone = apps.get_model("tracking", "OrderMilestone")
    with translation.override(settings.LANGUAGE_CODE):
        for status, (reason, keep_after_sales) in ENDS.items():
            open_ = OrderMilestone.objects.filter(status="open", order__status=status)
            if keep_after_sales:
                open_ = open_.exclude(key__in=AFTER_SALES)
            open_.update(status="skipped", skip_reason=gettext(reason), version=F("version") + 1)
    OrderPlan.objects.filter(order__status__in=list(ENDS)).exclude(
        is_active=False, risk="on_track", risk_reason="").update(is_active=False, risk="on_track", risk_reason="")


class Migration(migrations.Migration):

    dependencies = [
        ("sales", "0004_shipping_plan"),
        ("tracking", "0004_calendarday_moves_to_core"),
    ]

    operations = [
        migrations.RunPython(close_plans, migrations.RunPython.noop),
    ]
