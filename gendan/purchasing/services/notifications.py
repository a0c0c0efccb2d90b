"""The purchase order reaches the supplier: when it is sent, its PDF is e-mailed (after commit)
to the supplier's address and its contacts'. A mail server that is down does not undo the
sending: the error is kept on the purchase order and shown on its page, which can send again."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from gendan.purchasing.models import PurchaseOrder
from gendan.purchasing.pdf import render_purchase_order

log = logging.getLogger(__name__)


def recipients(purchase_order: PurchaseOrder) -> list[str]:
    """The supplier's address and its contacts' (main contact first), each once."""
    supplier = purchase_order.supplier
    found = [supplier.email] + [c.email for c in supplier.contacts.order_by("-is_primary", "pk")]
    seen: list[str] = []
    for address in found:
        address = (address or "").strip()
        if address and address.lower() not in {s.lower() for s in seen}:
            seen.append(address)
    return seen


def purchase_order_email(*, purchase_order_id: int) -> None:
    """E-mail the purchase order's PDF to the supplier (a sent one is not re-sent)."""
    po = PurchaseOrder.objects.select_related("supplier", "currency").get(pk=purchase_order_id)
    if po.email_sent_at:
        return
    to = recipients(po)
    if not to:
        PurchaseOrder.objects.filter(pk=po.pk).update(
            email_error="no e-mail address for the supplier or its contacts")
        return
    company = settings.GENDAN_COMPANY_NAME
    body = "\n".join([
        f"{po.supplier.name_zh or po.supplier.display_name}：",
        "",
        f"附件为采购单 {po.number}（{po.order_date:%Y-%m-%d}），请确认并回复每行的交货日期。",
        f"Please find attached purchase order {po.number}; kindly confirm it and the delivery date of each line.",
        "",
        str(company.get("zh-hans", company["en"])),
    ])
    email = EmailMessage(subject=f"采购单 Purchase order {po.number}", body=body, to=to,
                         from_email=settings.DEFAULT_FROM_EMAIL)
    email.attach(f"{po.number}.pdf", render_purchase_order(purchase_order=po), "application/pdf")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: the order stays sent, the page shows the error
        log.warning("purchase order %s: email failed: %s", po.pk, exc)
        PurchaseOrder.objects.filter(pk=po.pk).update(email_error=str(exc)[:300], sent_to=", ".join(to)[:400])
        return
    PurchaseOrder.objects.filter(pk=po.pk).update(email_sent_at=timezone.now(), email_error="",
                                                  sent_to=", ".join(to)[:400])
