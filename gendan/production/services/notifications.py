"""What production orders send: the issued PDF emailed to the distribution list (after commit).
A change order's re-issue and its e-mail to the factory: ``versions``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from gendan.production.models import ProductionOrder

log = logging.getLogger("gendan.production")


def production_order_email(*, production_order_id: int) -> None:
    """Email the issued PDF to the distribution list (after commit; a sent one is not re-sent).
    A failure is recorded on the production order and shown on its page."""
    production_order = ProductionOrder.objects.select_related("sales_order", "supplier").get(pk=production_order_id)
    if production_order.email_sent_at or not production_order.pdf:
        return
    title = production_order.title_zh
    body = "\n".join([
        f"{production_order.supplier.name_zh or production_order.supplier.display_name}：",
        "",
        f"附件为{title} {production_order.number}（订单 {production_order.sales_order.number}），"
        f"交期 {production_order.due_date:%Y-%m-%d}。",
        "请确认回签并告知承诺交期。",
        "",
        str(settings.GENDAN_COMPANY_NAME.get("zh-hans", settings.GENDAN_COMPANY_NAME["en"])),
    ])
    email = EmailMessage(subject=f"{title} {production_order.number}", body=body,
                         to=production_order.email_recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    with production_order.pdf.open("rb") as fh:
        email.attach(f"{production_order.number}.pdf", fh.read(), "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: the order stays issued, the page shows the error
        log.warning("production order %s: email failed: %s", production_order.pk, exc)
        ProductionOrder.objects.filter(pk=production_order.pk).update(email_error=str(exc)[:300])
        return
    ProductionOrder.objects.filter(pk=production_order.pk).update(email_sent_at=timezone.now(), email_error="")
