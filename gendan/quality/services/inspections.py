"""Inspections (验货): booking an inline or final inspection with its sampling plan (AQL),
recording the result (a failed one books its re-inspection), cancelling; the booking emails.

Every use case checks the actor's permission, reaches the order through the actor's scope
(404 otherwise), locks what it changes, re-checks the guard from ``quality.rules`` and the
workflow table (``quality.workflows.INSPECTION``), and publishes its domain event
(``quality.events``: its row is the note on the order; the inspection gets a row of the same
kind; the T&A hears it). Emails go out after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.calendar import add_working_days
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import parse_date, parse_id, reason_required, refuse, require
from gendan.core.models import Event
from gendan.core.money import format_quantity
from gendan.core.numbering import number_next
from gendan.core.services import full_clean_or_raise, lock_row
from gendan.finance.services import recipients as customer_recipients
from gendan.production.models import ProductionOrder
from gendan.quality import rules
from gendan.quality.aql import sampling_plan
from gendan.quality.errors import QualityError
from gendan.quality.events import (
    INSPECTION_BOOKING_EMAIL_FAILED,
    InspectionBooked,
    InspectionCancelled,
    InspectionFailed,
    InspectionPassed,
)
from gendan.quality.models import NO_DEFECT, Inspection, QualityProfile
from gendan.quality.selectors import inspection_queryset, quality_profile_of
from gendan.quality.services.common import attach, check_uploads, count, invalid
from gendan.quality.workflows import INSPECTION
from gendan.sales.services.orders import lock_order

log = logging.getLogger("gendan.quality")


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
            raise invalid("lot_size", str(exc)) from None
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
    from the customer's AQLs; the date goes on the T&A plan (``InspectionBooked``); everyone
    concerned is emailed after commit."""
    require(actor, "quality.add_inspection")
    if kind not in Inspection.Kind.values:
        raise invalid("kind", _("Choose inline or final inspection."))
    if party not in Inspection.Party.values:
        raise invalid("party", _("Choose who inspects: the customer, a third party or our QC."))
    inspector = (inspector or "").strip()
    if not inspector:
        raise invalid("inspector", _("Enter the inspector (person or inspection company)."))
    planned_on = parse_date(planned_on, field="planned_on", required=True)
    today = timezone.localdate()
    if planned_on < today:
        raise invalid("planned_on", _("The inspection date cannot be in the past."), CoreError.DATE_IN_PAST)
    if planned_on > today + dt.timedelta(days=366):
        raise invalid("planned_on", _("The inspection date is more than a year away; check the year."),
                      CoreError.DATE_TOO_FAR)
    lot_size = count(lot_size, field="lot_size", label=_("The lot size"), minimum=2)
    with transaction.atomic():
        order = lock_order(actor, order_id)
        refuse(rules.inspection_book_check(order))
        quantity = _order_quantity(order)
        if quantity and lot_size > quantity:
            raise invalid("lot_size", _("The lot (%(lot)s) cannot be larger than the order (%(qty)s pieces).")
                          % {"lot": format_quantity(lot_size), "qty": format_quantity(quantity)},
                          CoreError.VALUES_INCONSISTENT)
        wanted = {n for n in (parse_id(i) for i in production_order_ids) if n is not None}
        production_orders = list(order.production_orders.exclude(status=ProductionOrder.Status.CANCELLED)
                                 .filter(pk__in=wanted))
        if len(production_orders) != len(wanted):
            raise invalid("production_orders", _("Choose production orders of this order."),
                          CoreError.RECORD_MISMATCH)
        if reinspection_of is None:
            booked = Inspection.objects.filter(sales_order=order, kind=kind, status=Inspection.Status.BOOKED).first()
            if booked is not None:
                raise ValidationFailed(_("%(kind)s %(no)s is already booked for %(date)s: enter its result or "
                                         "cancel it first.") % {"kind": booked.get_kind_display(), "no": booked.number,
                                                                "date": booked.planned_on},
                                       code=QualityError.ALREADY_BOOKED)
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
        event = InspectionBooked(actor=actor, order=order, inspection=inspection)
        event_record(actor=actor, obj=inspection, verb=Event.Verb.CREATED, kind=event.kind, params=event.params())
        publish(event)
        transaction.on_commit(lambda: inspection_booking_email(inspection_id=inspection.pk))
    return inspection


def booking_recipients(inspection: Inspection) -> tuple[list[str], list[str]]:
    """(staff, customer) addresses told about a booking: production planners, QC, the order's
    merchandiser; the customer's contact (as for payment requests)."""
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
            event_record(actor=None, obj=inspection, verb=Event.Verb.NOTE, kind=INSPECTION_BOOKING_EMAIL_FAILED,
                         params={"to": ", ".join(recipients), "error": str(exc)[:120]})


def inspection_record_result(
    *, actor: User, inspection_id: int, inspected_on: Any, critical: Any, major: Any, minor: Any,
    notes: str = "", photos: Iterable = (), report=None, reinspection_on: Any = None,
    expected_version: int | None = None,
) -> Inspection:
    """QC enters what the inspection found. Pass/fail follows from the plan (each class
    against its Ac); a failed inspection books its re-inspection (``InspectionFailed``), a
    passed one completes the T&A milestone (``InspectionPassed``). Refused: counts above the
    sample size, a date in the future, stale version."""
    require(actor, "quality.record_inspection_result")
    inspected_on = parse_date(inspected_on, field="inspected_on", required=True)
    if inspected_on > timezone.localdate():
        raise invalid("inspected_on", _("The inspection date cannot be in the future."), CoreError.DATE_IN_FUTURE)
    found = {cls: count(value, field=cls, label=label) for cls, value, label in (
        ("critical", critical, _("Critical defects")), ("major", major, _("Major defects")),
        ("minor", minor, _("Minor defects")))}
    photos = list(photos)
    check_uploads(photos, report)
    with transaction.atomic():
        inspection = lock_row(inspection_queryset(actor), inspection_id, expected_version=expected_version,
                              not_found="No such inspection.")
        refuse(rules.inspection_result_check(inspection))
        over = {cls: n for cls, n in found.items() if n > inspection.sample_size}
        if over:
            msg = _("Defects cannot exceed the sample size (%(n)s pieces inspected).") % {"n": inspection.sample_size}
            raise ValidationFailed(msg, code=QualityError.DEFECTS_EXCEED_SAMPLE, fields=dict.fromkeys(over, msg))
        if inspected_on < inspection.created_at.date() - dt.timedelta(days=1):
            raise invalid("inspected_on", _("The inspection date cannot be before it was booked (%(date)s).")
                          % {"date": inspection.created_at.date()}, CoreError.DATES_OUT_OF_ORDER)
        passed = all(found[cls] <= getattr(inspection, f"{cls}_accept") for cls in found)
        status = Inspection.Status.PASSED if passed else Inspection.Status.FAILED
        if not passed:
            reinspection_on = (parse_date(reinspection_on, field="reinspection_on", required=True)
                               if reinspection_on not in (None, "") else add_working_days(timezone.localdate(), 3))
        old = INSPECTION.move(inspection, status)
        inspection.inspected_on, inspection.result_notes = inspected_on, notes.strip()
        inspection.critical_found, inspection.major_found, inspection.minor_found = (
            found["critical"], found["major"], found["minor"])
        inspection.result_by = actor
        inspection.version += 1
        inspection.save()
        order = inspection.sales_order
        event = (InspectionPassed if passed else InspectionFailed)(actor=actor, order=order, inspection=inspection)
        event_record(actor=actor, obj=inspection, verb=Event.Verb.STATE_CHANGED, kind=event.kind,
                     params=event.params(), changes={"status": {"old": old, "new": status}})
        attach(actor, inspection, photos, report, "quality.record_inspection_result")
        publish(event)
        if not passed and order.status in rules.SHIPPABLE:  # an order shipped meanwhile (override): no re-inspection
            inspection_book(actor=actor, order_id=order.pk, kind=inspection.kind, party=inspection.party,
                            inspector=inspection.inspector, planned_on=reinspection_on,
                            lot_size=inspection.lot_size, reinspection_of=inspection,
                            production_order_ids=[p.pk for p in inspection.production_orders.all()])
    return inspection


def inspection_cancel(*, actor: User, inspection_id: int, reason: str,
                      expected_version: int | None = None) -> Inspection:
    """Cancel a booked inspection, with the reason (on the timelines)."""
    require(actor, "quality.change_inspection")
    reason = reason_required(reason, _("cancelling the inspection"))
    with transaction.atomic():
        inspection = lock_row(inspection_queryset(actor), inspection_id, expected_version=expected_version,
                              not_found="No such inspection.")
        refuse(rules.inspection_cancel_check(inspection))
        old = INSPECTION.move(inspection, Inspection.Status.CANCELLED)
        inspection.cancel_reason = reason[:300]
        inspection.version += 1
        inspection.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
        event = InspectionCancelled(actor=actor, order=inspection.sales_order, inspection=inspection, reason=reason)
        event_record(actor=actor, obj=inspection, verb=Event.Verb.STATE_CHANGED, reason=reason, kind=event.kind,
                     params=event.params(), changes={"status": {"old": old, "new": Inspection.Status.CANCELLED}})
        publish(event)
    return inspection
