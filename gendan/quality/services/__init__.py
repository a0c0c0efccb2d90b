"""Quality use cases: customer AQLs, inspections (book, result, cancel), first articles
(create, check, sign, reject) and samples (request, send, receive, sign off).

Each function checks the actor's permission, reaches the order through the actor's scope
(404 otherwise), locks what it changes, re-checks the guard from ``quality.rules``, writes
events on the object and on the sales order, and sends emails after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.calendar import add_working_days
from gendan.core.errors import BusinessError, NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.core.events import changes_between, event_record, snapshot
from gendan.core.models import Event
from gendan.core.numbering import number_next
from gendan.core.services import check_version, full_clean_or_raise
from gendan.quality import rules
from gendan.quality.aql import sampling_plan
from gendan.quality.models import (
    NO_DEFECT,
    CheckResult,
    FirstArticle,
    FirstArticleItem,
    Inspection,
    QualityProfile,
    Sample,
    SampleRound,
    SampleSignoff,
)
from gendan.quality.selectors import (
    first_article_queryset,
    inspection_queryset,
    profile_customers,
    quality_profile_of,
    sample_queryset,
)
from gendan.quality.workflows import (
    FIRST_ARTICLE_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    SAMPLE_TRANSITIONS,
    check_transition,
)
from gendan.tracking.hooks import Milestone, milestone_forecast, milestone_reached

log = logging.getLogger("gendan.quality")

# The first-article checklist unless the user configures another one (seed 001 第五篇 七).
DEFAULT_CHECKLIST = [
    "custom printing / logo (客制印刷)", "packaging and labels (包装)", "barcodes (条码)",
    "software / firmware (软件)", "accessories (配件)",
]
SHIPPABLE = ("confirmed", "in_production", "ready")  # order states in which inspections and samples are booked
MILESTONE = {Inspection.Kind.INLINE: Milestone.INLINE_INSPECTION, Inspection.Kind.FINAL: Milestone.FINAL_INSPECTION}


def require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(_("Your role may not do this (%(perm)s).") % {"perm": perm})


def refuse(check: rules.Check) -> None:
    if check.allowed:
        return
    if check.code == "transition_not_allowed":
        raise TransitionNotAllowed(check.reason, code=check.code)
    raise BusinessError(check.reason, code=check.code)


def _invalid(field: str, message: str, code: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: message})


def _count(value: Any, *, field: str, label: str, minimum: int = 0) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise _invalid(field, _("%(label)s must be a whole number.") % {"label": label}) from None
    if number < minimum:
        raise _invalid(field, _("%(label)s must be at least %(min)s.") % {"label": label, "min": minimum})
    return number


def _date(value: Any, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise _invalid(field, _("%(label)s: enter a date (YYYY-MM-DD).") % {"label": label})
    return value


def _order_for(actor: User, order_id: int, *, lock: bool = True):
    from gendan.sales.selectors import order_queryset

    qs = order_queryset(actor)
    if lock:
        qs = qs.select_for_update(of=("self",))
    order = qs.filter(pk=order_id).first() if str(order_id).isdigit() else None
    if order is None:
        raise Http404("No such order.")
    return order


def _lock(queryset, pk):
    obj = queryset.select_for_update(of=("self",)).filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise Http404("Not found.")
    return obj


def _check_uploads(photos: Iterable, report) -> None:
    """Refuse bad files before anything is saved (the attachments are stored last)."""
    from gendan.documents.services import validate_upload

    for upload in photos:
        validate_upload(upload, image_only=True)
    if report is not None:
        validate_upload(report)


def _attach(actor: User, owner, photos: Iterable, report, change_perm: str) -> None:
    from gendan.documents.models import Attachment
    from gendan.documents.services import attachment_add

    for upload in photos:
        attachment_add(actor=actor, owner=owner, upload=upload, kind=Attachment.Kind.PHOTO, change_perm=change_perm)
    if report is not None:
        attachment_add(actor=actor, owner=owner, upload=report, kind=Attachment.Kind.REPORT, change_perm=change_perm)


# --- customer AQLs ----------------------------------------------------------------------

PROFILE_FIELDS = ["critical_aql", "major_aql", "minor_aql", "inspection_level", "requires_final_inspection",
                  "requires_first_article", "notes"]


def quality_profile_update(*, actor: User, customer_id: int, data: Mapping[str, Any],
                           expected_version: int | None = None) -> QualityProfile:
    """Set a customer's AQLs and default quality gates (QC or merchandiser). The profile is
    created with the usual defaults on first save."""
    require(actor, "quality.change_qualityprofile")
    customer = profile_customers(actor).filter(pk=customer_id).first() if str(customer_id).isdigit() else None
    if customer is None:
        raise Http404("No such customer.")
    with transaction.atomic():
        profile = QualityProfile.objects.select_for_update().filter(customer=customer).first()
        created = profile is None
        if created:
            profile = QualityProfile(customer=customer)
        else:
            check_version(profile, expected_version)
        before = snapshot(profile, PROFILE_FIELDS)
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(profile, name, data[name])
        full_clean_or_raise(profile, exclude=["customer"])
        changes = changes_between(before, profile)
        if not created and not changes:
            return profile
        if not created:
            profile.version += 1
        profile.save()
        event_record(actor=actor, obj=customer, verb=Event.Verb.UPDATED,
                     changes={f"quality.{k}": v for k, v in changes.items()},
                     message=_("Quality profile: critical %(c)s, major %(ma)s, minor %(mi)s, level %(l)s") % {
                         "c": profile.critical_aql, "ma": profile.major_aql, "mi": profile.minor_aql,
                         "l": profile.inspection_level})
    return profile


# --- inspections ------------------------------------------------------------------------


def inspection_plan(*, lot_size: int, profile: QualityProfile) -> dict[str, int]:
    """The sampling plan of a lot under ``profile``: one sample (the largest any class needs),
    Ac per class; a class at AQL "0" accepts no defect. Raises ``ValidationFailed`` for a bad lot."""
    plans = {}
    for cls in ("critical", "major", "minor"):
        aql = getattr(profile, f"{cls}_aql")
        if aql == NO_DEFECT:
            continue
        try:
            plans[cls] = sampling_plan(lot_size, aql, profile.inspection_level)
        except ValueError as exc:
            raise _invalid("lot_size", str(exc)) from None
    if not plans:  # every class "none allowed": sample as for major 2.5
        plans["major_default"] = sampling_plan(lot_size, "2.5", profile.inspection_level)
    result = {"sample_size": max(n for n, _ac, _re in plans.values())}
    for cls in ("critical", "major", "minor"):
        result[f"{cls}_accept"] = plans[cls][1] if cls in plans else 0
    return result


def _order_quantity(order) -> int:
    return int(sum((line.quantity for line in order.lines.all()), 0))


def inspection_book(
    *, actor: User, order_id: int, kind: str, party: str, inspector: str, planned_on: Any, lot_size: Any,
    production_order_ids: Iterable[int] = (), reinspection_of: Inspection | None = None,
) -> Inspection:
    """Book an inline or final inspection of an order for a date. The sampling plan is fixed now
    from the customer's AQLs; the date goes on the T&A plan; everyone concerned is emailed."""
    require(actor, "quality.add_inspection")
    if kind not in Inspection.Kind.values:
        raise _invalid("kind", _("Choose inline or final inspection."))
    if party not in Inspection.Party.values:
        raise _invalid("party", _("Choose who inspects: the customer, a third party or our QC."))
    inspector = (inspector or "").strip()
    if not inspector:
        raise _invalid("inspector", _("Enter the inspector (person or inspection company)."))
    planned_on = _date(planned_on, field="planned_on", label=_("Inspection date"))
    today = timezone.localdate()
    if planned_on < today:
        raise _invalid("planned_on", _("The inspection date cannot be in the past."))
    if planned_on > today + dt.timedelta(days=366):
        raise _invalid("planned_on", _("The inspection date is more than a year away; check the year."))
    lot_size = _count(lot_size, field="lot_size", label=_("The lot size"), minimum=2)
    with transaction.atomic():
        order = _order_for(actor, order_id)
        if order.status not in SHIPPABLE:
            raise ValidationFailed(_("Order %(order)s is “%(status)s”: inspections are booked for confirmed "
                                     "orders that have not shipped.") % {"order": order,
                                                                          "status": order.get_status_display()},
                                   code="order_not_open")
        quantity = _order_quantity(order)
        if quantity and lot_size > quantity:
            raise _invalid("lot_size", _("The lot (%(lot)s) cannot be larger than the order (%(qty)s pieces).")
                           % {"lot": lot_size, "qty": quantity})
        wanted = {int(i) for i in production_order_ids if str(i).isdigit()}
        production_orders = list(order.production_orders.exclude(status="cancelled").filter(pk__in=wanted))
        if len(production_orders) != len(wanted):
            raise _invalid("production_orders", _("Choose production orders of this order."))
        if reinspection_of is None:
            booked = Inspection.objects.filter(sales_order=order, kind=kind, status=Inspection.Status.BOOKED).first()
            if booked is not None:
                raise ValidationFailed(_("%(kind)s %(no)s is already booked for %(date)s: enter its result or "
                                         "cancel it first.") % {"kind": booked.get_kind_display(), "no": booked.number,
                                                                "date": booked.planned_on}, code="already_booked")
        profile = quality_profile_of(order.customer)
        inspection = Inspection(
            number=number_next(code="inspection"), sales_order=order, kind=kind, party=party, inspector=inspector,
            planned_on=planned_on, lot_size=lot_size, inspection_level=profile.inspection_level,
            critical_aql=profile.critical_aql, major_aql=profile.major_aql, minor_aql=profile.minor_aql,
            reinspection_of=reinspection_of, booked_by=actor,
            **inspection_plan(lot_size=lot_size, profile=profile))
        full_clean_or_raise(inspection, exclude=["number"])
        inspection.save()
        inspection.production_orders.set(production_orders)
        message = _("%(kind)s %(no)s booked for %(date)s: %(party)s %(inspector)s, lot %(lot)s, sample %(n)s") % {
            "kind": inspection.get_kind_display(), "no": inspection.number, "date": planned_on,
            "party": inspection.get_party_display(), "inspector": inspector, "lot": lot_size,
            "n": inspection.sample_size}
        event_record(actor=actor, obj=inspection, verb=Event.Verb.CREATED, message=message)
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, message=message)
        milestone_forecast(order=order, key=MILESTONE[kind], actor=actor, on=planned_on,
                           reason=_("inspection %(no)s booked") % {"no": inspection.number})
        transaction.on_commit(lambda: inspection_booking_email(inspection_id=inspection.pk))
    return inspection


def booking_recipients(inspection: Inspection) -> tuple[list[str], list[str]]:
    """(staff, customer) addresses told about a booking: production planners, QC, the order's
    merchandiser; the customer's contact (as for payment requests)."""
    from gendan.finance.services import _recipients as customer_recipients

    staff = set(User.objects.filter(is_active=True, groups__name__in=[Role.PRODUCTION_PLANNER, Role.QC])
                .exclude(email="").values_list("email", flat=True))
    merchandiser = inspection.sales_order.merchandiser
    if merchandiser and merchandiser.email:
        staff.add(merchandiser.email)
    return sorted(staff), customer_recipients(inspection.sales_order)


def _booking_text(inspection: Inspection) -> tuple[str, str]:
    order = inspection.sales_order
    subject = _("%(kind)s %(date)s — order %(order)s / PO %(po)s") % {
        "kind": inspection.get_kind_display(), "date": inspection.planned_on, "order": order.number,
        "po": order.customer_po_no}
    lines = [
        _("An inspection has been booked."), "",
        _("Order: %(order)s (PO %(po)s)") % {"order": order.number, "po": order.customer_po_no},
        _("Inspection: %(no)s, %(kind)s") % {"no": inspection.number, "kind": inspection.get_kind_display()},
        _("Date: %(date)s") % {"date": inspection.planned_on},
        _("Inspector: %(inspector)s (%(party)s)") % {"inspector": inspection.inspector,
                                                    "party": inspection.get_party_display()},
        _("Lot size: %(lot)s pcs; sample size %(n)s; AQL critical %(c)s / major %(ma)s / minor %(mi)s") % {
            "lot": inspection.lot_size, "n": inspection.sample_size, "c": inspection.critical_aql,
            "ma": inspection.major_aql, "mi": inspection.minor_aql},
    ]
    production = ", ".join(str(p) for p in inspection.production_orders.all())
    if production:
        lines.append(_("Production orders: %(list)s") % {"list": production})
    company = settings.GENDAN_COMPANY_NAME.get(translation.get_language(), settings.GENDAN_COMPANY_NAME["en"])
    lines += ["", _("Best regards,"), company]
    return subject, "\n".join(lines)


def inspection_booking_email(*, inspection_id: int) -> None:
    """Tell the staff (in Chinese) and the customer (in their language) about a booking. After
    commit; a failed send is logged and noted on the inspection's timeline."""
    inspection = Inspection.objects.select_related("sales_order__customer", "sales_order__merchandiser").get(
        pk=inspection_id)
    staff, customer = booking_recipients(inspection)
    customer_language = "zh-hans" if inspection.sales_order.customer.country == "CN" else "en"
    for recipients, language in ((staff, "zh-hans"), (customer, customer_language)):
        if not recipients:
            continue
        with translation.override(language):
            subject, body = _booking_text(inspection)
        try:
            EmailMessage(subject=subject, body=body, to=recipients, from_email=settings.DEFAULT_FROM_EMAIL).send()
        except Exception as exc:  # SMTP down: the booking stands; say so on its timeline
            log.warning("inspection %s: email failed: %s", inspection.pk, exc)
            event_record(actor=None, obj=inspection, verb=Event.Verb.NOTE,
                         message=_("Booking email to %(to)s failed: %(error)s") % {
                             "to": ", ".join(recipients), "error": str(exc)[:120]})


def inspection_record_result(
    *, actor: User, inspection_id: int, inspected_on: Any, critical: Any, major: Any, minor: Any,
    notes: str = "", photos: Iterable = (), report=None, reinspection_on: Any = None,
    expected_version: int | None = None,
) -> Inspection:
    """QC enters what the inspection found. Pass/fail follows from the plan (each class
    against its Ac); a failed inspection books its re-inspection, a passed one completes the
    T&A milestone. Refused: counts above the sample size, a date in the future, stale version."""
    require(actor, "quality.record_inspection_result")
    inspected_on = _date(inspected_on, field="inspected_on", label=_("Inspection date"))
    if inspected_on > timezone.localdate():
        raise _invalid("inspected_on", _("The inspection date cannot be in the future."))
    found = {cls: _count(value, field=cls, label=label) for cls, value, label in (
        ("critical", critical, _("Critical defects")), ("major", major, _("Major defects")),
        ("minor", minor, _("Minor defects")))}
    photos = list(photos)
    _check_uploads(photos, report)
    with transaction.atomic():
        inspection = _lock(inspection_queryset(actor), inspection_id)
        check_version(inspection, expected_version)
        refuse(rules.inspection_result_check(inspection))
        over = {cls: n for cls, n in found.items() if n > inspection.sample_size}
        if over:
            msg = _("Defects cannot exceed the sample size (%(n)s pieces inspected).") % {"n": inspection.sample_size}
            raise ValidationFailed(msg, code="defects_exceed_sample", fields=dict.fromkeys(over, msg))
        if inspected_on < inspection.created_at.date() - dt.timedelta(days=1):
            raise _invalid("inspected_on", _("The inspection date cannot be before it was booked (%(date)s).")
                           % {"date": inspection.created_at.date()})
        passed = all(found[cls] <= getattr(inspection, f"{cls}_accept") for cls in found)
        status = Inspection.Status.PASSED if passed else Inspection.Status.FAILED
        if not passed:
            reinspection_on = (_date(reinspection_on, field="reinspection_on", label=_("Re-inspection date"))
                               if reinspection_on not in (None, "") else add_working_days(timezone.localdate(), 3))
        check_transition(inspection, status, INSPECTION_TRANSITIONS)
        old = inspection.status
        inspection.status, inspection.inspected_on, inspection.result_notes = status, inspected_on, notes.strip()
        inspection.critical_found, inspection.major_found, inspection.minor_found = (
            found["critical"], found["major"], found["minor"])
        inspection.result_by = actor
        inspection.version += 1
        inspection.save()
        failing = [str(row["label"]) for row in inspection.plan_rows() if not row["ok"]]
        message = _("%(no)s %(result)s: critical %(c)s, major %(ma)s, minor %(mi)s in %(n)s pieces%(why)s") % {
            "no": inspection.number, "result": inspection.get_status_display(), "c": found["critical"],
            "ma": found["major"], "mi": found["minor"], "n": inspection.sample_size,
            "why": "" if passed else " (" + _("over the limit: %(list)s") % {"list": ", ".join(failing)} + ")"}
        event_record(actor=actor, obj=inspection, verb=Event.Verb.STATE_CHANGED, message=message,
                             changes={"status": {"old": old, "new": status}})
        order = inspection.sales_order
        order_event = event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, message=message)
        _attach(actor, inspection, photos, report, "quality.record_inspection_result")
        if passed:
            milestone_reached(order=order, key=MILESTONE[inspection.kind], actor=actor, event=order_event,
                              on=inspected_on)
        elif order.status in SHIPPABLE:  # an order that shipped meanwhile (override) gets no re-inspection
            inspection_book(actor=actor, order_id=order.pk, kind=inspection.kind, party=inspection.party,
                            inspector=inspection.inspector, planned_on=reinspection_on,
                            lot_size=inspection.lot_size, reinspection_of=inspection,
                            production_order_ids=[p.pk for p in inspection.production_orders.all()])
    return inspection


def inspection_cancel(*, actor: User, inspection_id: int, reason: str,
                      expected_version: int | None = None) -> Inspection:
    require(actor, "quality.change_inspection")
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise _invalid("reason", _("Write why the inspection is cancelled."))
    with transaction.atomic():
        inspection = _lock(inspection_queryset(actor), inspection_id)
        check_version(inspection, expected_version)
        refuse(rules.inspection_cancel_check(inspection))
        check_transition(inspection, Inspection.Status.CANCELLED, INSPECTION_TRANSITIONS)
        inspection.status, inspection.cancel_reason = Inspection.Status.CANCELLED, reason[:300]
        inspection.version += 1
        inspection.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
        message = _("%(no)s cancelled") % {"no": inspection.number}
        event_record(actor=actor, obj=inspection, verb=Event.Verb.STATE_CHANGED, reason=reason, message=message,
                     changes={"status": {"old": Inspection.Status.BOOKED, "new": Inspection.Status.CANCELLED}})
        event_record(actor=actor, obj=inspection.sales_order, verb=Event.Verb.NOTE, reason=reason, message=message)
    return inspection


# --- first articles ---------------------------------------------------------------------


def first_article_create(*, actor: User, production_order_id: int, topics: Iterable[str] = (),
                         requirements: str = "") -> FirstArticle:
    """Open a first article of a production order with its checklist (default: printing,
    packaging, barcodes, software, accessories). A rejected one is followed by the next round."""
    from gendan.production.views import production_order_queryset

    require(actor, "quality.add_firstarticle")
    topics = [t.strip()[:100] for t in topics if t and t.strip()] or list(DEFAULT_CHECKLIST)
    with transaction.atomic():
        production_order = production_order_queryset(actor).filter(pk=production_order_id).first() \
            if str(production_order_id).isdigit() else None
        if production_order is None:
            raise Http404("No such production order.")
        if production_order.status in ("cancelled", "closed", "finished"):
            raise ValidationFailed(_("Production order %(po)s is “%(status)s”: no first article is needed.") % {
                "po": production_order, "status": production_order.get_status_display()}, code="not_open")
        existing = list(FirstArticle.objects.select_for_update().filter(production_order=production_order))
        if any(f.status != FirstArticle.Status.REJECTED for f in existing):
            raise ValidationFailed(_("%(po)s already has a first article being checked or approved.")
                                   % {"po": production_order}, code="already_open")
        first_article = FirstArticle.objects.create(
            production_order=production_order, sales_order=production_order.sales_order, created_by=actor,
            round_no=len(existing) + 1, requirements=(requirements or "").strip())
        FirstArticleItem.objects.bulk_create([FirstArticleItem(first_article=first_article, position=i, topic=t)
                                              for i, t in enumerate(topics, start=1)])
        message = _("First article #%(n)s of %(po)s opened: %(items)s") % {
            "n": first_article.round_no, "po": production_order, "items": ", ".join(topics)}
        event_record(actor=actor, obj=first_article, verb=Event.Verb.CREATED, message=message)
        event_record(actor=actor, obj=production_order.sales_order, verb=Event.Verb.NOTE, message=message)
    return first_article


def first_article_check_items(*, actor: User, first_article_id: int, results: Mapping[int, tuple[str, str]],
                              photos: Iterable = (), expected_version: int | None = None) -> FirstArticle:
    """Record each check's result (pass / fail / not applicable) and comment."""
    require(actor, "quality.change_firstarticle")
    photos = list(photos)
    _check_uploads(photos, None)
    with transaction.atomic():
        first_article = _lock(first_article_queryset(actor), first_article_id)
        check_version(first_article, expected_version)
        if first_article.status != FirstArticle.Status.OPEN:
            raise TransitionNotAllowed(_("This first article is already “%(status)s”.")
                                       % {"status": first_article.get_status_display()})
        if first_article.qc_signed_at or first_article.sales_signed_at:
            raise ValidationFailed(_("The checklist was signed; reject it and open a new round to change it."),
                                   code="already_signed")
        changes = {}
        for item in first_article.items.all():
            if item.pk not in results:
                continue
            result, comment = results[item.pk]
            if result not in CheckResult.values:
                raise _invalid(f"item_{item.pk}", _("Choose pass, fail or not applicable."))
            comment = (comment or "").strip()[:300]
            if result == CheckResult.FAIL and not comment:
                raise _invalid(f"item_{item.pk}", _("Say what is wrong with “%(topic)s”.") % {"topic": item.topic})
            if (item.result, item.comment) != (result, comment):
                changes[item.topic] = {"old": str(item.get_result_display()), "new": str(CheckResult(result).label)}
                item.result, item.comment = result, comment
                item.save(update_fields=["result", "comment"])
        first_article.version += 1
        first_article.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=first_article, verb=Event.Verb.UPDATED, changes=changes)
        _attach(actor, first_article, photos, None, "quality.change_firstarticle")
    return first_article


def first_article_sign(*, actor: User, first_article_id: int, side: str,
                       expected_version: int | None = None) -> FirstArticle:
    """QC or sales signs the checked first article; with both signatures it is approved and
    the T&A milestone is completed."""
    if side not in ("qc", "sales"):
        raise _invalid("side", _("Sign for QC or for sales."))
    require(actor, f"quality.sign_firstarticle_{side}")
    with transaction.atomic():
        first_article = _lock(first_article_queryset(actor), first_article_id)
        check_version(first_article, expected_version)
        refuse(rules.first_article_sign_check(first_article, side))
        now = timezone.now()
        setattr(first_article, f"{side}_signed_by", actor)
        setattr(first_article, f"{side}_signed_at", now)
        approved = bool(first_article.qc_signed_at and first_article.sales_signed_at)
        if approved:
            check_transition(first_article, FirstArticle.Status.APPROVED, FIRST_ARTICLE_TRANSITIONS)
            first_article.status = FirstArticle.Status.APPROVED
        first_article.version += 1
        first_article.save()
        who = _("QC") if side == "qc" else _("sales")
        message = _("%(fa)s signed by %(who)s (%(user)s)%(done)s") % {
            "fa": first_article, "who": who, "user": actor, "done": " — " + _("approved") if approved else ""}
        event_record(actor=actor, obj=first_article, verb=Event.Verb.STATE_CHANGED if approved else Event.Verb.NOTE,
                     message=message, changes={"status": {"old": "open", "new": "approved"}} if approved else {})
        order_event = event_record(actor=actor, obj=first_article.sales_order, verb=Event.Verb.NOTE, message=message)
        if approved:
            milestone_reached(order=first_article.sales_order, key=Milestone.FIRST_ARTICLE_APPROVED, actor=actor,
                              event=order_event)
    return first_article


def first_article_reject(*, actor: User, first_article_id: int, reason: str,
                         expected_version: int | None = None) -> FirstArticle:
    if not (actor.has_perm("quality.sign_firstarticle_qc") or actor.has_perm("quality.sign_firstarticle_sales")):
        raise NotAllowed(_("Only QC or sales may reject a first article."))
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise _invalid("reason", _("Write what is wrong with the first article."))
    with transaction.atomic():
        first_article = _lock(first_article_queryset(actor), first_article_id)
        check_version(first_article, expected_version)
        check_transition(first_article, FirstArticle.Status.REJECTED, FIRST_ARTICLE_TRANSITIONS)
        first_article.status, first_article.reject_reason = FirstArticle.Status.REJECTED, reason[:300]
        first_article.version += 1
        first_article.save()
        message = _("%(fa)s rejected") % {"fa": first_article}
        event_record(actor=actor, obj=first_article, verb=Event.Verb.STATE_CHANGED, reason=reason, message=message,
                     changes={"status": {"old": "open", "new": "rejected"}})
        event_record(actor=actor, obj=first_article.sales_order, verb=Event.Verb.NOTE, reason=reason, message=message)
    return first_article


# --- samples ----------------------------------------------------------------------------

SIGN_PERM = {SampleSignoff.Department.SALES: "quality.sign_sample_sales",
             SampleSignoff.Department.QC: "quality.sign_sample_qc",
             SampleSignoff.Department.ENGINEERING: "quality.sign_sample_engineering"}


def sample_request(*, actor: User, order_id: int, kind: str, quantity: Any, requested_on: Any,
                   description: str = "", production_order_id: int | None = None,
                   needs_engineering: bool = False) -> Sample:
    require(actor, "quality.add_sample")
    if kind not in Sample.Kind.values:
        raise _invalid("kind", _("Choose the kind of sample."))
    quantity = _count(quantity, field="quantity", label=_("The quantity"), minimum=1)
    requested_on = _date(requested_on, field="requested_on", label=_("Needed by"))
    if requested_on < timezone.localdate():
        raise _invalid("requested_on", _("The date needed cannot be in the past."))
    with transaction.atomic():
        order = _order_for(actor, order_id)
        if order.status not in SHIPPABLE:
            raise ValidationFailed(_("Order %(order)s is “%(status)s”: samples are made for confirmed orders.")
                                   % {"order": order, "status": order.get_status_display()}, code="order_not_open")
        production_order = None
        if production_order_id not in (None, ""):
            production_order = order.production_orders.filter(pk=production_order_id).first() \
                if str(production_order_id).isdigit() else None
            if production_order is None:
                raise _invalid("production_order", _("Choose a production order of this order."))
        sample = Sample.objects.create(sales_order=order, production_order=production_order, kind=kind,
                                       quantity=quantity, requested_on=requested_on, created_by=actor,
                                       description=(description or "").strip()[:200],
                                       needs_engineering=bool(needs_engineering))
        message = _("%(kind)s requested: %(qty)s pcs by %(date)s") % {
            "kind": sample.get_kind_display(), "qty": quantity, "date": requested_on}
        event_record(actor=actor, obj=sample, verb=Event.Verb.CREATED, message=message)
        event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, message=message)
    return sample


def sample_send(*, actor: User, sample_id: int, sent_on: Any, courier: str = "", tracking_no: str = "",
                expected_version: int | None = None) -> tuple[Sample, str]:
    """Send (the next round of) a sample. Returns the sample and a warning ("" if none): a
    shipping sample normally goes only after the final inspection passed."""
    require(actor, "quality.change_sample")
    sent_on = _date(sent_on, field="sent_on", label=_("Sent on"))
    if sent_on > timezone.localdate():
        raise _invalid("sent_on", _("The sending date cannot be in the future."))
    with transaction.atomic():
        sample = _lock(sample_queryset(actor), sample_id)
        check_version(sample, expected_version)
        check_transition(sample, Sample.Status.SENT, SAMPLE_TRANSITIONS)
        round_no = sample.rounds.count() + 1
        SampleRound.objects.create(sample=sample, round_no=round_no, sent_on=sent_on,
                                   courier=(courier or "").strip()[:60], tracking_no=(tracking_no or "").strip()[:60])
        old = sample.status
        sample.status = Sample.Status.SENT
        sample.version += 1
        sample.save(update_fields=["status", "version", "updated_at"])
        warning = rules.sample_shipping_warning(sample)
        message = _("%(sample)s round %(n)s sent %(date)s %(courier)s %(no)s") % {
            "sample": sample, "n": round_no, "date": sent_on, "courier": courier, "no": tracking_no}
        event_record(actor=actor, obj=sample, verb=Event.Verb.STATE_CHANGED, message=message,
                     changes={"status": {"old": old, "new": Sample.Status.SENT}}, reason=warning)
        event_record(actor=actor, obj=sample.sales_order, verb=Event.Verb.NOTE, message=message, reason=warning)
    return sample, warning


def sample_receive(*, actor: User, sample_id: int, received_on: Any, comments: str = "", photos: Iterable = (),
                   expected_version: int | None = None) -> Sample:
    """The customer (or factory) received the round: comments are due within 3 working days."""
    require(actor, "quality.change_sample")
    received_on = _date(received_on, field="received_on", label=_("Received on"))
    photos = list(photos)
    _check_uploads(photos, None)
    with transaction.atomic():
        sample = _lock(sample_queryset(actor), sample_id)
        check_version(sample, expected_version)
        if sample.status != Sample.Status.SENT:
            raise TransitionNotAllowed(_("Only a sent sample can be received."))
        current = sample.rounds.order_by("-round_no").first()
        if received_on < current.sent_on or received_on > timezone.localdate():
            raise _invalid("received_on", _("The receiving date must be between the sending date (%(sent)s) and "
                                            "today.") % {"sent": current.sent_on})
        current.received_on, current.comments = received_on, (comments or "").strip()
        current.comments_due_on = add_working_days(received_on, 3)
        current.save(update_fields=["received_on", "comments", "comments_due_on", "updated_at"])
        sample.version += 1
        sample.save(update_fields=["version", "updated_at"])
        message = _("%(sample)s round %(n)s received %(date)s; comments due %(due)s") % {
            "sample": sample, "n": current.round_no, "date": received_on, "due": current.comments_due_on}
        event_record(actor=actor, obj=sample, verb=Event.Verb.NOTE, message=message)
        _attach(actor, sample, photos, None, "quality.change_sample")
    return sample


def sample_sign(*, actor: User, sample_id: int, department: str, verdict: str, comment: str = "",
                expected_version: int | None = None) -> Sample:
    """A department signs off the current round. One rejection rejects the sample (another
    round follows); when sales, QC (and engineering where needed) approved, it is approved —
    a PP sample then completes its T&A milestone."""
    if department not in SIGN_PERM:
        raise _invalid("department", _("Choose the department signing."))
    require(actor, SIGN_PERM[department])
    if verdict not in SampleSignoff.Verdict.values:
        raise _invalid("verdict", _("Approve or reject."))
    comment = (comment or "").strip()
    if verdict == SampleSignoff.Verdict.REJECTED and not comment:
        raise _invalid("comment", _("Say what must change on the sample."))
    with transaction.atomic():
        sample = _lock(sample_queryset(actor), sample_id)
        check_version(sample, expected_version)
        if sample.status != Sample.Status.SENT:
            raise TransitionNotAllowed(_("Only a sample that was sent can be signed off."))
        if department == SampleSignoff.Department.ENGINEERING and not sample.needs_engineering:
            raise _invalid("department", _("This sample needs no engineering sign-off."))
        current = sample.rounds.order_by("-round_no").first()
        if current.received_on is None:
            raise ValidationFailed(_("Record when this round of the sample was received before signing it off: "
                                     "the three working days for comments count from then."), code="not_received")
        if current.signoffs.filter(department=department).exists():
            raise ValidationFailed(_("This department already signed this round."), code="already_signed")
        SampleSignoff.objects.create(round=current, department=department, verdict=verdict, comment=comment[:300],
                                     signed_by=actor, signed_at=timezone.now())
        needed = {SampleSignoff.Department.SALES, SampleSignoff.Department.QC}
        if sample.needs_engineering:
            needed.add(SampleSignoff.Department.ENGINEERING)
        verdicts = dict(current.signoffs.values_list("department", "verdict"))
        old = sample.status
        if verdict == SampleSignoff.Verdict.REJECTED:
            check_transition(sample, Sample.Status.REJECTED, SAMPLE_TRANSITIONS)
            sample.status = Sample.Status.REJECTED
        elif needed <= {d for d, v in verdicts.items() if v == SampleSignoff.Verdict.APPROVED}:
            check_transition(sample, Sample.Status.APPROVED, SAMPLE_TRANSITIONS)
            sample.status = Sample.Status.APPROVED
        sample.version += 1
        sample.save(update_fields=["status", "version", "updated_at"])
        message = _("%(sample)s round %(n)s: %(dept)s %(verdict)s") % {
            "sample": sample, "n": current.round_no, "dept": SampleSignoff.Department(department).label,
            "verdict": SampleSignoff.Verdict(verdict).label}
        changes = {"status": {"old": old, "new": sample.status}} if old != sample.status else {}
        event_record(actor=actor, obj=sample, verb=Event.Verb.STATE_CHANGED if changes else Event.Verb.NOTE,
                     message=message, reason=comment, changes=changes)
        order_event = event_record(actor=actor, obj=sample.sales_order, verb=Event.Verb.NOTE, message=message,
                                   reason=comment)
        if sample.status == Sample.Status.APPROVED and sample.kind == Sample.Kind.PP:
            milestone_reached(order=sample.sales_order, key=Milestone.PP_SAMPLE_APPROVED, actor=actor,
                              event=order_event)
    return sample
