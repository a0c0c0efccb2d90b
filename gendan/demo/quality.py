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


def seed(ctx) -> None:
    qc = ctx.users.get("qc") or ctx.users["admin"]
    merch = ctx.users.get("merch1") or ctx.users.get("merch") or ctx.users["admin"]
    rng = ctx.rng
    customers = list(Customer.objects.order_by("pk")[:200])
    profiles = [QualityProfile(customer=c, critical_aql=p[0], major_aql=p[1], minor_aql=p[2], inspection_level=p[3],
                               requires_final_inspection=p[4], requires_first_article=p[5])
                for c, p in ((c, PROFILES[i % len(PROFILES)]) for i, c in enumerate(customers)) if c.pk % 5]
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
    rounds = []
    for sample in samples:
        sent = sample.requested_on - dt.timedelta(days=rng.randint(1, 5))
        received = sent + dt.timedelta(days=3)
        rounds.append(SampleRound(sample=sample, round_no=1, sent_on=sent, courier=rng.choice(COURIERS),
                                  tracking_no=f"{rng.randint(10**9, 10**10 - 1)}", received_on=received,
                                  comments_due_on=add_working_days(received, 3),
                                  comments="颜色OK，尺寸OK / colour and size approved"))
    SampleRound.objects.bulk_create(rounds, batch_size=1000)
    now = timezone.now()
    SampleSignoff.objects.bulk_create([
        SampleSignoff(round=r, department=dept, verdict=SampleSignoff.Verdict.APPROVED, signed_by=user, signed_at=now)
        for r in rounds if r.sample.status == Sample.Status.APPROVED
        for dept, user in ((SampleSignoff.Department.SALES, merch), (SampleSignoff.Department.QC, qc))],
        batch_size=2000)
