"""Demo quality records: customer AQL profiles, and for a bounded set of open orders (in
production or ready, at most ``LIMIT``) their PP samples, first articles, inline and final
inspections — some failed with their re-inspection — as the services would have left them.

Bounded, so ``seed_demo --orders 100000`` stays fast: a few hundred orders get quality records
whatever the volume; the rest of the demo does not depend on them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gendan.core.calendar import add_working_days
from gendan.core.events import events_bulk_created
from gendan.core.numbering import number_next_block
from gendan.parties.models import Customer
from gendan.quality.models import (
    CheckResult,
    FirstArticle,
    FirstArticleItem,
    Inspection,
    QualityProfile,
    Sample,
    SampleRound,
    SampleSignoff,
)
from gendan.quality.services import DEFAULT_CHECKLIST, inspection_plan
from gendan.sales.models import SalesOrder

LIMIT = 300  # orders that get quality records
PROFILES = [  # (critical, major, minor, level, final inspection required, first article required)
    ("0", "2.5", "4.0", "II", True, False),
    ("0", "1.5", "4.0", "II", True, True),
    ("0", "1.0", "2.5", "II", True, True),
    ("0", "2.5", "4.0", "I", False, False),
]
INSPECTORS = [("third_party", "SGS 深圳 · 李工"), ("third_party", "QIMA Ningbo · Mr. Chen"),
              ("customer", "客户QA · Ms. Weber"), ("internal", "本公司QC · 冯品质")]
COURIERS = ["DHL", "FedEx", "UPS", "顺丰 SF Express"]
WAITING = 2  # samples still out for comments (the newest), received in the last two days
REJECTED_COMMENT = "颜色偏深，与确认色卡不符，请重做 / colour too dark against the approved lab dip: remake"


def seed(ctx) -> None:
    qc = ctx.users.get("qc") or ctx.users["admin"]
    merch = ctx.users.get("merch1") or ctx.users.get("merch") or ctx.users["admin"]
    rng = ctx.rng
    customers = list(Customer.objects.order_by("pk")[:200])
    profiles = [QualityProfile(customer=c, critical_aql=p[0], major_aql=p[1], minor_aql=p[2], inspection_level=p[3],
                               requires_final_inspection=p[4], requires_first_article=p[5])
                for c, p in ((c, PROFILES[i % len(PROFILES)]) for i, c in enumerate(customers))
                if (c.pk - customers[0].pk + 1) % 5]  # by place, not id (production._costs says why)
    QualityProfile.objects.bulk_create(profiles, batch_size=1000)
    by_customer = {p.customer_id: p for p in profiles}
    orders = list(SalesOrder.objects.filter(status__in=[SalesOrder.Status.IN_PRODUCTION, SalesOrder.Status.READY])
                  .select_related("customer").prefetch_related("lines", "production_orders")
                  .order_by("-pk")[:LIMIT])
    if not orders:
        return
    today = timezone.localdate()
    inspections, samples, first_articles = [], [], []
    for i, order in enumerate(orders):
        profile = by_customer.get(order.customer_id) or QualityProfile(customer=order.customer)
        lot = max(2, int(sum(line.quantity for line in order.lines.all())))
        production = [p for p in order.production_orders.all() if p.status != "cancelled"]
        samples.append(Sample(sales_order=order, production_order=production[0] if production else None,
                              kind=Sample.Kind.PP, quantity=rng.choice([2, 3, 5]), created_by=merch,
                              requested_on=today - dt.timedelta(days=rng.randint(10, 40)),
                              status=rng.choice([Sample.Status.APPROVED, Sample.Status.APPROVED, Sample.Status.SENT])))
        if production and profile.requires_first_article:
            first_articles.append(FirstArticle(production_order=production[0], sales_order=order, created_by=qc,
                                               status=FirstArticle.Status.APPROVED, qc_signed_by=qc,
                                               qc_signed_at=timezone.now(), sales_signed_by=merch,
                                               sales_signed_at=timezone.now()))
        party, inspector = INSPECTORS[i % len(INSPECTORS)]
        plan = inspection_plan(lot_size=lot, profile=profile)
        common = {"sales_order": order, "party": party, "inspector": inspector, "lot_size": lot, "booked_by": merch,
                  "inspection_level": profile.inspection_level, "critical_aql": profile.critical_aql,
                  "major_aql": profile.major_aql, "minor_aql": profile.minor_aql, **plan}
        inline_on = today - dt.timedelta(days=rng.randint(5, 20))
        inspections.append(_done(Inspection(kind=Inspection.Kind.INLINE, planned_on=inline_on, **common), qc, rng,
                                 passed=True))
        if order.status == SalesOrder.Status.READY:
            final_on = today - dt.timedelta(days=rng.randint(1, 4))
            failed = i % 4 == 0
            inspections.append(_done(Inspection(kind=Inspection.Kind.FINAL, planned_on=final_on, **common), qc, rng,
                                     passed=not failed))
            if failed:
                inspections.append(Inspection(kind=Inspection.Kind.FINAL, planned_on=today + dt.timedelta(days=2),
                                              **common))
        else:
            # booked for the days before the promised ex-factory date, as the T&A plans it
            final_on = max(order.ex_factory_date - dt.timedelta(days=rng.randint(1, 3)), today + dt.timedelta(days=1))
            inspections.append(Inspection(kind=Inspection.Kind.FINAL, planned_on=final_on, **common))
    # The demo orders follow their customer's profile (as order_create would have set them).
    for flag in ("requires_final_inspection", "requires_first_article"):
        SalesOrder.objects.filter(pk__in=[o.pk for o in orders if getattr(by_customer.get(o.customer_id), flag, False)]
                                  ).update(**{flag: True})
    numbers = number_next_block(code="inspection", count=len(inspections), on_date=today)
    for inspection, number in zip(inspections, numbers, strict=True):
        inspection.number = number
    Inspection.objects.bulk_create(inspections, batch_size=1000)
    _link_reinspections(inspections)
    Sample.objects.bulk_create(samples, batch_size=1000)
    _sample_rounds(samples, qc, merch, rng, today)
    FirstArticle.objects.bulk_create(first_articles, batch_size=1000)
    FirstArticleItem.objects.bulk_create([
        FirstArticleItem(first_article=fa, position=n, topic=topic,
                         result=CheckResult.NOT_APPLICABLE if "software" in topic else CheckResult.PASS)
        for fa in first_articles for n, topic in enumerate(map(str, DEFAULT_CHECKLIST), start=1)], batch_size=2000)
    for objs in (inspections, samples, first_articles):
        events_bulk_created(actor=merch, objs=objs)
    ctx.out.write(f"  quality: {len(profiles)} customer AQL profiles, {len(inspections)} inspections, "
                  f"{len(samples)} samples, {len(first_articles)} first articles")


def _done(inspection: Inspection, qc, rng, *, passed: bool) -> Inspection:
    inspection.status = Inspection.Status.PASSED if passed else Inspection.Status.FAILED
    inspection.inspected_on, inspection.result_by = inspection.planned_on, qc
    inspection.critical_found = 0
    inspection.major_found = rng.randint(0, inspection.major_accept) if passed else inspection.major_accept + 1
    inspection.minor_found = rng.randint(0, inspection.minor_accept)
    inspection.result_notes = "" if passed else "主要缺陷超标：表面划伤、印刷偏位 / major defects over the limit"
    return inspection


def _link_reinspections(inspections: list[Inspection]) -> None:
    """A booked final inspection right after a failed one of the same order is its re-inspection."""
    changed = []
    for before, after in zip(inspections, inspections[1:], strict=False):
        if (before.status == Inspection.Status.FAILED and after.status == Inspection.Status.BOOKED
                and before.sales_order_id == after.sales_order_id):
            after.reinspection_of = before
            changed.append(after)
    Inspection.objects.bulk_update(changed, ["reinspection_of"], batch_size=1000)


def _sample_rounds(samples: list[Sample], qc, merch, rng, today: dt.date) -> None:
    """Each sample's rounds, signed by sales and QC within the 3 working days the comments are due
    (seed 001: 签样时间就控制在3个工作日内): most approved at once, some rejected with a comment and
    approved in round 2. Only the ``WAITING`` newest samples still wait for their comments, each
    received in the last two days (not late); a sample received weeks ago and never signed is not
    a company's."""
    rounds, signoffs = [], []
    now = timezone.now()
    waiting = 0
    for n, sample in enumerate(samples):
        sent = sample.requested_on - dt.timedelta(days=rng.randint(1, 5))
        courier, tracking = rng.choice(COURIERS), f"{rng.randint(10**9, 10**10 - 1)}"
        if sample.status == Sample.Status.SENT and waiting < WAITING:
            waiting += 1  # out for comments, received a day or two ago
            received = today - dt.timedelta(days=waiting)
            rounds.append(SampleRound(sample=sample, round_no=1, sent_on=received - dt.timedelta(days=3),
                                      courier=courier, tracking_no=tracking, received_on=received,
                                      comments_due_on=add_working_days(received, 3)))
            continue
        received = sent + dt.timedelta(days=3)
        second = received + dt.timedelta(days=7)  # the remade sample's arrival
        rejected = sample.status == Sample.Status.SENT and n % 3 == 0 and add_working_days(second, 3) < today
        sample.status = Sample.Status.APPROVED  # signed long ago: approved (after a second round if rejected)
        first = SampleRound(sample=sample, round_no=1, sent_on=sent, courier=courier, tracking_no=tracking,
                            received_on=received, comments_due_on=add_working_days(received, 3),
                            comments=(REJECTED_COMMENT if rejected else "颜色OK，尺寸OK / colour and size approved"))
        rounds.append(first)
        signoffs += _signed(first, qc, merch, now, rejected=rejected)
        if rejected:
            again = SampleRound(sample=sample, round_no=2, sent_on=second - dt.timedelta(days=3), courier=courier,
                                tracking_no=f"{int(tracking) + 7}", received_on=second,
                                comments_due_on=add_working_days(second, 3),
                                comments="颜色已按确认色卡更正，OK / colour corrected to the approved lab dip")
            rounds.append(again)
            signoffs += _signed(again, qc, merch, now, rejected=False)
    Sample.objects.filter(pk__in=[s.pk for s in samples if s.status == Sample.Status.APPROVED]).update(
        status=Sample.Status.APPROVED)
    SampleRound.objects.bulk_create(rounds, batch_size=1000)
    SampleSignoff.objects.bulk_create(signoffs, batch_size=2000)


def _signed(round_: SampleRound, qc, merch, now, *, rejected: bool) -> list[SampleSignoff]:
    """Sales (colour, text, position) and QC (structure, size, function) sign within the 3
    working days; a rejection is sales' with its comment, QC approving the rest."""
    day = min(add_working_days(round_.received_on, 2), timezone.localdate(now))
    at = min(now, timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30))))
    D, V = SampleSignoff.Department, SampleSignoff.Verdict
    return [SampleSignoff(round=round_, department=D.SALES, verdict=V.REJECTED if rejected else V.APPROVED,
                          comment=REJECTED_COMMENT if rejected else "", signed_by=merch, signed_at=at),
            SampleSignoff(round=round_, department=D.QC, verdict=V.APPROVED, signed_by=qc, signed_at=at)]
