"""What production orders send and are told: the issued PDF emailed to the distribution list
(after commit), and the flag an order revision puts on the production orders it changes."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.production.events import ProductionOrderFlagged
from gendan.production.models import ProductionOrder, ProductionOrderLine
from gendan.production.workflows import OPEN

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


def production_orders_flag_change(*, actor: User, order, revision, line_nos: set[int], all_lines: bool
                                  ) -> list[ProductionOrder]:
    """Flag every open production order that makes a changed line (or all of them when the
    change is in the order's header, e.g. the ex-factory date)."""
    qs = ProductionOrder.objects.filter(sales_order=order, status__in=OPEN)
    if not all_lines:
        touched = ProductionOrderLine.objects.filter(order_line__order=order, order_line__line_no__in=line_nos)
        qs = qs.filter(pk__in=touched.values("production_order_id"))
    flagged = []
    for production_order in qs.select_for_update():
        production_order.change_flag = _("Order revision %(n)d changed: %(reason)s") % {
            "n": revision.revision_no, "reason": revision.reason}
        production_order.change_revision_no = revision.revision_no
        production_order.version += 1
        production_order.save(update_fields=["change_flag", "change_revision_no", "version", "updated_at"])
        publish(ProductionOrderFlagged(actor=actor, order=order, production_order=production_order,
                                       revision_no=revision.revision_no, reason=revision.reason))
        flagged.append(production_order)
    return flagged
