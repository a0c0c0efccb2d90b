"""The default dunning levels (催款级别), which finance edits on the levels page:

1. from 1 day overdue — a friendly e-mail to the customer's finance contact;
2. from 15 days — a firm e-mail, and a task on the merchandiser's and salesperson's board;
3. from 30 days — e-mail, board, and an escalation to the manager(s) of the customer's team / region;
4. from 60 days — e-mail, board, escalation, and the customer goes on credit hold.

The texts take the placeholders {customer}, {amount}, {oldest_due}, {days}, {orders}, {items}
and {company}. Also: the permission to put a customer on credit hold and lift it (finance)."""

from django.db import migrations

LEVELS = [
    {
        "level": 1, "days_overdue": 1, "email_customer": True, "board_task": False, "escalate_manager": False,
        "credit_hold": False,
        "subject_zh": "付款提醒：{customer} 有 {amount} 已到期",
        "subject_en": "Payment reminder: {amount} due",
        "body_zh": "尊敬的{customer}：\n\n您好！温馨提醒，以下款项已到期，合计 {amount}（最早到期日 {oldest_due}）：\n\n"
                   "{items}\n\n如已安排付款，请忽略本邮件并将水单发给我们。谢谢！\n\n{company}",
        "body_en": "Dear {customer},\n\nA friendly reminder: the following amounts are now due, {amount} in all "
                   "(oldest due {oldest_due}):\n\n{items}\n\nIf you have already paid, please ignore this e-mail "
                   "and send us the bank slip. Thank you!\n\nBest regards,\n{company}",
    },
    {
        "level": 2, "days_overdue": 15, "email_customer": True, "board_task": True, "escalate_manager": False,
        "credit_hold": False,
        "subject_zh": "第二次付款提醒：{amount} 已逾期 {days} 天",
        "subject_en": "Second reminder: {amount} overdue for {days} days",
        "body_zh": "尊敬的{customer}：\n\n以下订单 {orders} 的款项已逾期 {days} 天，合计 {amount}"
                   "（最早到期日 {oldest_due}）：\n\n{items}\n\n请尽快安排付款，并告知付款日期。\n\n{company}",
        "body_en": "Dear {customer},\n\nThe following amounts of orders {orders} are {days} days overdue, "
                   "{amount} in all (oldest due {oldest_due}):\n\n{items}\n\nPlease arrange payment now and let us "
                   "know the date.\n\nBest regards,\n{company}",
    },
    {
        "level": 3, "days_overdue": 30, "email_customer": True, "board_task": True, "escalate_manager": True,
        "credit_hold": False,
        "subject_zh": "紧急：{amount} 已逾期 {days} 天",
        "subject_en": "Urgent: {amount} overdue for {days} days",
        "body_zh": "尊敬的{customer}：\n\n订单 {orders} 的款项 {amount} 已逾期 {days} 天（最早到期日 {oldest_due}），"
                   "我们多次提醒仍未收到：\n\n{items}\n\n如逾期超过 60 天，新订单将无法确认，货物和正本单据将暂停放行。"
                   "请立即安排付款。\n\n{company}",
        "body_en": "Dear {customer},\n\n{amount} of orders {orders} is {days} days overdue (oldest due "
                   "{oldest_due}) despite our reminders:\n\n{items}\n\nAfter 60 days overdue we cannot confirm new "
                   "orders, and goods and original documents are held. Please pay now.\n\nBest regards,\n{company}",
    },
    {
        "level": 4, "days_overdue": 60, "email_customer": True, "board_task": True, "escalate_manager": True,
        "credit_hold": True,
        "subject_zh": "信用冻结通知：{amount} 已逾期 {days} 天",
        "subject_en": "Credit hold: {amount} overdue for {days} days",
        "body_zh": "尊敬的{customer}：\n\n订单 {orders} 的款项 {amount} 已逾期 {days} 天（最早到期日 {oldest_due}）：\n\n"
                   "{items}\n\n自即日起贵司账户处于信用冻结状态：新订单无法确认，货物和正本单据暂停放行，"
                   "直至款项结清。\n\n{company}",
        "body_en": "Dear {customer},\n\n{amount} of orders {orders} is {days} days overdue (oldest due "
                   "{oldest_due}):\n\n{items}\n\nYour account is now on credit hold: new orders cannot be confirmed, "
                   "and goods and original documents are held until the amounts are paid.\n\nBest regards,\n{company}",
    },
]


def add_levels(apps, schema_editor):
    DunningLevel = apps.get_model("receivables", "DunningLevel")
    for row in LEVELS:
        DunningLevel.objects.update_or_create(level=row["level"], defaults=row)


class Migration(migrations.Migration):

    dependencies = [
        ("receivables", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customercredit",
            options={"permissions": [("hold_customercredit", "Can put a customer on credit hold and lift it")],
                     "verbose_name": "customer credit", "verbose_name_plural": "customer credit"},
        ),
        migrations.RunPython(add_levels, migrations.RunPython.noop),
    ]
