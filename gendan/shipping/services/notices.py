"""The shipping notice (出货通知): the merchandiser tells the factory (or the own workshop) that
packs the goods and the warehouse that loads them what leaves when — a numbered PDF
(``shipping.notice_pdf``), stored with the order's files, emailed after commit.

Each issue is a new version of the shipment's notice number; a version after the first needs
the merchandiser's note and lists what changed against the previous one (the plan as each
version said it is kept with its timeline row). The email goes to the factory's contacts with
an address (the factory of the previous version unless another is given) and to the active
users of the warehouse role; a failure is recorded on the notice (``email_error``) and shown
on the shipment's page. Changing a shipment does not re-issue its notice by itself
(``plan.shipment_update``): the page offers the next version.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.domain_events import publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import reason_required, refuse, require
from gendan.core.numbering import number_next
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_store_generated
from gendan.parties.models import Supplier
from gendan.shipping.errors import ShippingError
from gendan.shipping.events import ShippingNoticeIssued
from gendan.shipping.models import ShippingNotice
from gendan.shipping.notice_pdf import NoticeData, changes_between, render_shipping_notice
from gendan.shipping.rules import notice_issue_check
from gendan.shipping.selectors import notice_latest, notice_snapshot, snapshot
from gendan.shipping.services.plan import lock_shipment, parse_id

log = logging.getLogger("gendan.shipping")

ISSUE = "shipping.add_shippingnotice"
FACTORY_KINDS = (Supplier.Kind.OWN_WORKSHOP, Supplier.Kind.OUTSOURCED_FACTORY)


def _factory(factory_id) -> Supplier:
    supplier = Supplier.objects.filter(pk=parse_id(factory_id), is_active=True).first()
    if supplier is None or supplier.kind not in FACTORY_KINDS:
        message = (_("Choose the factory or workshop that packs the goods.") if supplier is None else
                   _("%(supplier)s is a %(kind)s: the shipping notice goes to an own workshop or an outsourced "
                     "factory.") % {"supplier": supplier.code, "kind": supplier.get_kind_display()})
        raise ValidationFailed(message, code=ShippingError.NOT_A_FACTORY, fields={"factory": message})
    return supplier


def notice_recipients(factory: Supplier | None) -> list[str]:
    """The factory's contacts with an email address (the main contact first), then the active
    users of the warehouse role with one; each address once."""
    addresses = []
    if factory is not None:
        addresses += [c.email for c in factory.contacts.order_by("-is_primary", "name") if c.email]
    addresses += list(User.objects.filter(is_active=True, groups__name=Role.WAREHOUSE).exclude(email="")
                      .order_by("username").values_list("email", flat=True))
    return list(dict.fromkeys(addresses))


def _store_pdf(*, actor: User, order, number: str, revision: int, pdf: bytes) -> Attachment:
    """The notice's PDF among the order's files (archived by order no.)."""
    return attachment_store_generated(actor=actor, owner=order, name=f"{number}-v{revision}.pdf",
                                      mime="application/pdf", content=pdf,
                                      description=f"出货通知 Shipping notice {number} v{revision}")


def notice_issue(*, actor: User, shipment_id: int, factory_id: int | None = None,
                 change_note: str = "") -> ShippingNotice:
    """Issue the shipment's shipping notice (or its next version): the PDF, stored with the
    order's files; the email to the factory and the warehouse after commit. A version after
    the first needs ``change_note`` and lists what changed since the previous one."""
    require(actor, ISSUE)
    with transaction.atomic():
        order, shipment = lock_shipment(actor, shipment_id, None)
        refuse(notice_issue_check(shipment))
        previous = notice_latest(shipment)
        revision = previous.revision + 1 if previous else 1
        note = (reason_required(change_note, _("issuing a new version of the shipping notice"), field="change_note")
                if previous else (change_note or "").strip()[:1000])
        if factory_id not in (None, ""):
            factory = _factory(factory_id)
        else:
            factory = previous.factory if previous else None
        number = previous.number if previous else number_next(code="shipping_notice")
        said = snapshot(shipment)
        changes = changes_between(notice_snapshot(previous), said) if previous else []
        issued_at = timezone.now()
        pdf = render_shipping_notice(shipment=shipment, notice=NoticeData(
            number=number, revision=revision, issued_on=timezone.localtime(issued_at).date(), factory=factory,
            change_note=note, changes=changes))
        attachment = _store_pdf(actor=actor, order=order, number=number, revision=revision, pdf=pdf)
        notice = ShippingNotice.objects.create(
            shipment=shipment, number=number, revision=revision, attachment=attachment, factory=factory,
            recipients=", ".join(notice_recipients(factory)), change_note=note, issued_by=actor)
        publish(ShippingNoticeIssued(actor=actor, order=order, shipment=shipment, notice=notice, snapshot=said,
                                     reason=note))
        transaction.on_commit(lambda: notice_email(notice_id=notice.pk))
    notice.changes = changes
    return notice


def notice_email(*, notice_id: int) -> None:
    """Email the notice's PDF to its recipients (after commit; a sent one is not re-sent). A
    failure, or nobody to send to, is recorded on the notice and shown on the shipment's page."""
    notice = ShippingNotice.objects.select_related("shipment__order", "attachment", "factory").get(pk=notice_id)
    if notice.email_sent_at:
        return
    recipients = [a.strip() for a in notice.recipients.split(",") if a.strip()]
    if not recipients:
        ShippingNotice.objects.filter(pk=notice.pk).update(
            email_error=_("Nobody to send it to: the factory has no contact with an email address and no warehouse "
                          "user has one."))
        return
    shipment, order = notice.shipment, notice.shipment.order
    lines = [f"{notice.factory.name_zh or notice.factory.display_name}、仓库：" if notice.factory else "仓库：", "",
             f"附件为订单 {order.number}（客户 PO {order.customer_po_no}）出货 {shipment.number} 的出货通知 "
             f"{notice.number} 第 {notice.revision} 版。",
             f"Attached: shipping notice {notice.number} version {notice.revision} for shipment {shipment.number} "
             f"of order {order.number} (customer PO {order.customer_po_no}).", "",
             f"计划出厂 Ex-factory: {shipment.planned_ex_factory:%Y-%m-%d}" if shipment.planned_ex_factory else "",
             f"目的港 Destination: {shipment.port_of_destination or '—'}"]
    if notice.revision > 1:
        lines += ["", f"变更 What changed: {notice.change_note}",
                  f"本版取代第 {notice.revision - 1} 版。 This version replaces version {notice.revision - 1}."]
    company = str(settings.GENDAN_COMPANY_NAME.get("zh-hans", settings.GENDAN_COMPANY_NAME["en"]))
    lines += ["", company]
    email = EmailMessage(
        subject=f"出货通知 Shipping notice {notice.number} v{notice.revision} — {order.number} / {shipment.number}",
        body="\n".join(line for line in lines if line is not None), to=recipients,
        from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        with notice.attachment.file.open("rb") as fh:
            email.attach(notice.attachment.original_name, fh.read(), "application/pdf")
        email.send(fail_silently=False)
    except Exception as exc:  # mail server down: the notice stands, the page shows the error
        log.warning("shipping notice %s: email failed: %s", notice.pk, exc)
        ShippingNotice.objects.filter(pk=notice.pk).update(email_error=str(exc)[:300])
        return
    ShippingNotice.objects.filter(pk=notice.pk).update(email_sent_at=timezone.now(), email_error="")
