"""Demo change orders: on a few orders in production the customer orders more and / or moves the
delivery date, weeks after production began (issue 11: a late or at-risk order has a reason its
timeline tells — here, a customer's change order).

Each goes through the real services, as a merchandiser would: the change order is proposed
(``order_revise``), the customer confirms it in writing (a PDF, like the demo's written orders)
and by phone (``confirmation_record``), and it is applied (``order_revision_apply``): the payment
plan is re-derived, the production orders it touches are re-issued as version 2 and wait for the
factory's re-acknowledgement, and so do the purchase orders of materials whose requirement
changed (production / purchasing ``services.versions``). The customer wires the deposit on what it
added (``receipt_record``). For most of them the factory has re-acknowledged, with its committed
date (and the material supplier too); for at least one the re-acknowledgement is still awaited,
two working days late — on the merchandiser's board.

Which orders, what changes and who answered are decided with the order's structure
(``gendan.demo.sales._plan_changes``: ``Story.change``, ``Story.change_kind``), so every seed has as
many; the days and quantities come from ``ctx.rng``. The services stamp what they write with the
present moment; the demo dates each step's rows to the day the step happened (days ago, never
after now, in the order they happened), and marks the versions e-mailed when they were issued
(so nothing is mailed when the demo's transaction commits).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from gendan.accounts.models import User
from gendan.core.calendar import add_working_days, is_working_day
from gendan.core.models import Event
from gendan.demo.sales import DEMO_PO_PDF, S
from gendan.documents.models import Attachment
from gendan.finance.models import Receipt, ReceiptAllocation
from gendan.finance.services import receipt_record
from gendan.parties.models import Contact
from gendan.production.models import ProductionOrder, ProductionOrderVersion
from gendan.production.selectors_versions import reack_due
from gendan.production.services.versions import production_order_reacknowledge
from gendan.production.services.versions import version_recipients as factory_recipients
from gendan.purchasing.models import PurchaseOrder, PurchaseOrderVersion
from gendan.purchasing.services.notifications import recipients as supplier_recipients
from gendan.purchasing.services.versions import purchase_order_reacknowledge
from gendan.sales.models import Confirmation, OrderRevision, SalesOrder
from gendan.sales.services.confirmations import confirmation_record
from gendan.sales.services.revisions import order_revise, order_revision_apply

P = ProductionOrder.Status
DAY = dt.timedelta(days=1)
REASONS = {
    "quantity": "客户追加数量：第 1 行加单 {extra} 件 / Customer adds {extra} pcs to line 1",
    "date": "客户终端上架推迟，交期延后 {days} 天 / Customer's retail launch moved: delivery {days} days later",
    "both": "客户追加第 1 行 {extra} 件，交期相应延后 {days} 天 / Customer adds {extra} pcs to line 1 and moves "
            "the delivery {days} days",
}
REACK_NOTES = ["厂长电话确认新版本及交期 / the factory confirmed the new version and its date by phone",
               "工厂回签第 2 版 / the factory signed version 2 and sent it back"]


def seed(ctx) -> None:
    stories = [s for s in ctx.data.get("order_stories", []) if s.change and s.order_id]
    if not stories:
        return
    today, now = timezone.localdate(), timezone.now()
    finance = ctx.users.get("finance") or ctx.users["admin"]
    buyer = ctx.users.get("buyer") or ctx.users["admin"]
    late = _last_late_issue_day(today)
    done = {"awaiting": 0, "reacked": 0}
    # In the order they took effect: a purchase order two change orders re-issue gets its versions
    # in the order of their days.
    planned = sorted(((_moments(_days(story, ctx.rng, today, late), now), story) for story in stories),
                     key=lambda item: (item[0][3], item[1].index))
    for moments, story in planned:
        order = SalesOrder.objects.select_related("customer").get(pk=story.order_id)
        statuses = set(order.production_orders.values_list("status", flat=True))
        if order.status != S.IN_PRODUCTION or not statuses or not statuses <= {P.ISSUED, P.ACCEPTED, P.IN_PRODUCTION}:
            continue  # (not at the demo's sizes: the production step leaves these orders' production orders alone)
        merch = User.objects.get(pk=order.merchandiser_id)
        _change(story, order, moments, merch=merch, finance=finance, buyer=buyer, rng=ctx.rng, today=today)
        done[story.change] += 1
    ctx.say(f"  change orders: {done['reacked']} re-acknowledged by the factory, {done['awaiting']} awaiting "
            f"its re-acknowledgement")


def _last_late_issue_day(today: dt.date) -> dt.date:
    """The last day a version issued on is late today (its two working days have passed)."""
    day = today - DAY
    while reack_due(day) >= today:
        day -= DAY
    return day


def _workday(day: dt.date) -> dt.date:
    """``day``, or the working day before it (people agree change orders on working days)."""
    while not is_working_day(day):
        day -= DAY
    return day


def _moments(days: list[tuple[dt.date, int, int]], now: dt.datetime) -> list[dt.datetime]:
    """The times of steps on those days (hour, minute), in order, each after the one before and
    all before now (a step planned for later today happened just before now)."""
    tz = timezone.get_current_timezone()
    out: list[dt.datetime] = []
    for day, hour, minute in days:
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
        out.append(max(moment, out[-1] + dt.timedelta(minutes=2)) if out else moment)
    limit = now - dt.timedelta(minutes=5)
    n = len(out)
    return [min(moment, limit - dt.timedelta(minutes=2 * (n - 1 - i))) for i, moment in enumerate(out)]


class _Stamp:
    """Dates the timeline rows a service call wrote (every event after the last one seen)."""

    def __init__(self) -> None:
        self.mark = self._last()

    @staticmethod
    def _last() -> int:
        return Event.objects.aggregate(m=Max("pk"))["m"] or 0

    def at(self, moment: dt.datetime) -> None:
        Event.objects.filter(pk__gt=self.mark).update(created_at=moment)
        self.mark = self._last()


def _days(story, rng, today: dt.date, late: dt.date) -> list[tuple[dt.date, int, int]]:
    """When (day, hour, minute) the change was proposed, confirmed in writing and by phone and
    applied, the factory answered and the customer paid: proposed a day or three before it was
    applied, after production had begun; the factory answered within two working days — or, for
    one "awaiting", has not answered since a version issued on or before ``late``."""
    applied = _workday(late - rng.randint(0, 1) * DAY if story.change == "awaiting"
                       else today - rng.randint(8, 12) * DAY)
    proposed = max(_workday(applied - rng.randint(1, 3) * DAY), story.days["production"] + DAY)
    applied = min(max(applied, proposed), today)
    proposed = min(proposed, applied)
    paid = min(add_working_days(applied, rng.randint(1, 3)), today)
    answered = min(add_working_days(applied, rng.randint(1, 2)), today)
    return [(proposed, 9, 40 + rng.randint(0, 15)), (applied, 10, 30 + rng.randint(0, 20)),
            (applied, 11, rng.randint(0, 30)), (applied, 15, rng.randint(0, 40)), (answered, 10, rng.randint(0, 50)),
            (paid, 14, rng.randint(0, 50))]


def _change(story, order: SalesOrder, moments: list[dt.datetime], *, merch: User, finance: User, buyer: User, rng,
            today: dt.date) -> None:
    t_propose, t_written, t_verbal, t_apply, t_reack, t_paid = moments
    stamp = _Stamp()
    extra, shift = 0, 0
    lines = None
    if story.change_kind in ("quantity", "both"):
        lines, extra = _lines_with_more(order, rng)
    data = {}
    if story.change_kind in ("date", "both"):
        shift = rng.randint(7, 10)
        data = {"ex_factory_date": order.ex_factory_date + shift * DAY}
        if order.requested_delivery_date:
            data["requested_delivery_date"] = order.requested_delivery_date + shift * DAY
    reason = REASONS[story.change_kind].format(extra=f"{extra:,}", days=shift)
    revision = order_revise(actor=merch, order_id=order.pk, data=data, lines=lines, reason=reason)
    stamp.at(t_propose)

    what = reason.partition(" / ")[0]
    upload = SimpleUploadedFile(f"Change order {order.customer_po_no} rev {revision.revision_no}.pdf", DEMO_PO_PDF,
                                content_type="application/pdf")
    written = confirmation_record(actor=merch, order_id=order.pk, kind=Confirmation.Kind.WRITTEN, upload=upload,
                                  confirmed_at=t_written,
                                  summary=f"客户书面变更单（第 {revision.revision_no} 版）")
    stamp.at(t_written)
    contact = (Contact.objects.filter(customer_id=order.customer_id).order_by("-is_primary", "pk")
               .values_list("name", "phone", "mobile").first()) or ("", "", "")
    verbal = confirmation_record(actor=merch, order_id=order.pk, kind=Confirmation.Kind.VERBAL, confirmed_at=t_verbal,
                                 contact_name=contact[0] or "Purchasing",
                                 phone_number=contact[1] or contact[2] or order.customer.phone or "—",
                                 summary=f"电话确认变更（第 {revision.revision_no} 版）：{what}")
    stamp.at(t_verbal)
    Attachment.objects.filter(pk=written.attachment_id).update(uploaded_at=t_written)
    Confirmation.objects.filter(pk=written.pk).update(recorded_at=t_written)
    Confirmation.objects.filter(pk=verbal.pk).update(recorded_at=t_verbal)

    versions_before = PurchaseOrderVersion.objects.aggregate(m=Max("pk"))["m"] or 0
    order = order_revision_apply(actor=merch, order_id=order.pk)
    stamp.at(t_apply)
    OrderRevision.objects.filter(pk=revision.pk).update(created_at=t_propose, effective_at=t_apply, updated_at=t_apply)
    reissued = list(ProductionOrderVersion.objects.filter(production_order__sales_order=order,
                                                          revision_no=revision.revision_no)
                    .select_related("production_order__supplier"))
    for version in reissued:
        ProductionOrderVersion.objects.filter(pk=version.pk).update(
            created_at=t_apply, email_sent_at=t_apply + dt.timedelta(minutes=1),
            sent_to=", ".join(factory_recipients(version.production_order))[:400])
    purchases = list(PurchaseOrderVersion.objects.filter(pk__gt=versions_before).select_related("purchase_order"))
    for version in purchases:
        PurchaseOrderVersion.objects.filter(pk=version.pk).update(
            created_at=t_apply, email_sent_at=t_apply + dt.timedelta(minutes=1),
            sent_to=", ".join(supplier_recipients(version.purchase_order))[:400])

    # The customer wires the deposit on what it added.
    order.refresh_from_db()
    owed = order.deposit_amount - order.received_amount
    if owed > 0:
        receipt = receipt_record(actor=finance, customer_id=order.customer_id, currency=order.currency_id,
                                 amount=str(owed), received_on=timezone.localdate(t_paid),
                                 bank_reference=f"FT{t_paid:%y%m%d}{order.pk:06d}C",
                                 payer_name=order.customer.name_en or order.customer.name_zh,
                                 allocations=[{"order_id": order.pk, "amount": str(owed)}])
        stamp.at(t_paid)
        Receipt.objects.filter(pk=receipt.pk).update(created_at=t_paid, updated_at=t_paid)
        ReceiptAllocation.objects.filter(receipt=receipt).update(allocated_at=t_paid)

    last = max(t_apply, t_paid if owed > 0 else t_apply)
    if story.change == "reacked":
        for version in reissued:
            po = version.production_order
            production_order_reacknowledge(actor=merch, production_order_id=po.pk,
                                           committed_due_date=max(po.due_date + rng.randint(0, 4) * DAY, today),
                                           note=REACK_NOTES[story.index % len(REACK_NOTES)])
            stamp.at(t_reack)
            ProductionOrderVersion.objects.filter(pk=version.pk).update(reack_at=t_reack)
        for version in purchases:
            purchase_order_reacknowledge(actor=buyer, purchase_order_id=version.purchase_order_id,
                                         note="供应商电话确认新版本")
            stamp.at(t_reack)
            PurchaseOrderVersion.objects.filter(pk=version.pk).update(reack_at=t_reack)
        last = max(last, t_reack)
    SalesOrder.objects.filter(pk=order.pk).update(updated_at=last)
    ProductionOrder.objects.filter(pk__in=[v.production_order_id for v in reissued]).update(updated_at=last)
    PurchaseOrder.objects.filter(pk__in=[v.purchase_order_id for v in purchases]).update(updated_at=last)


def _lines_with_more(order: SalesOrder, rng) -> tuple[list[dict], int]:
    """The order's lines as the change order's form would post them, line 1 with more: a few more
    cartons of its first colour × size, or 10-25 % more when it has no cells."""
    lines = []
    extra = 0
    for line in order.lines.select_related("product").prefetch_related("cells__variant").order_by("line_no"):
        raw = {"product": line.product, "description": line.description, "unit": line.unit,
               "unit_price": line.unit_price}
        cells = [{"colour": c.colour, "size": c.size, "quantity": c.quantity, "variant": c.variant}
                 for c in line.cells.all()]
        per_carton = (line.product.units_per_carton if line.product else None) or 12
        if line.line_no == 1:
            if cells:
                extra = per_carton * rng.randint(2, 6)
                cells[0]["quantity"] += extra
            else:
                extra = per_carton * max(1, int(line.quantity) // per_carton * rng.randint(10, 25) // 100)
        if cells:
            raw["cells"] = cells
        else:
            raw["quantity"] = line.quantity + (extra if line.line_no == 1 else 0)
        lines.append(raw)
    return lines, extra
