"""The communication log: every contact with a customer, per order and per customer.

An inbound message must be answered the same working day when it arrives before the
cut-off (17:00 company time), else the next working day (seed 001 第四篇: 当天回复). It stays
on the recorder's chase board as "unanswered" until an outbound message to the same customer
answers it: the one marked as the reply, or any outbound one recorded after it. A follow-up
date puts the communication on the board as a chase item until it is marked done.

Reads are scoped like their owners: a communication is visible to whoever may see its
order, or, when it has none, its customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.calendar import WorkCalendar
from gendan.core.errors import BusinessError, CoreError, FieldErrors, ValidationFailed
from gendan.core.events import choice, event_record
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.documents.models import Attachment
from gendan.documents.services import attachment_add, validate_upload
from gendan.parties.models import Contact, Customer
from gendan.parties.selectors import customer_get_for_user, customer_scope
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_get_for_user, order_scope
from gendan.tracking import events
from gendan.tracking.errors import TrackingError
from gendan.tracking.models import Communication

ADD_PERM = "tracking.add_communication"
VIEW_PERM = "tracking.view_communication"
# A message may be logged a little ahead of the server clock (a phone's clock, typing time).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


def reply_cutoff() -> dt.time:
    """Inbound messages after this time of day (company time) are due the next working day."""
    raw = getattr(settings, "GENDAN_REPLY_CUTOFF", "17:00")
    hours, minutes = (int(part) for part in str(raw).split(":"))
    return dt.time(hours, minutes)


def reply_due_for(received_at: dt.datetime, *, calendar: WorkCalendar | None = None) -> dt.date:
    """Return the day an inbound message received at ``received_at`` must be answered by:
    the same day when that is a working day and it arrived before the cut-off, else the
    next working day."""
    calendar = calendar or WorkCalendar()
    local = timezone.localtime(received_at)
    day = local.date()
    if not calendar.is_working_day(day):
        return calendar.add_working_days(day, 0)  # the next working day
    return day if local.time() < reply_cutoff() else calendar.add_working_days(day, 1)


# --- reads ----------------------------------------------------------------------------------


def communication_queryset(user: User) -> QuerySet[Communication]:
    """Communications ``user`` may see: those of orders in their order scope, and those
    without an order of customers in their customer scope."""
    if not user.is_authenticated or not user.has_perm(VIEW_PERM):
        return Communication.objects.none()
    orders = SalesOrder.objects.filter(order_scope(user)).values("pk")
    customers = Customer.objects.filter(customer_scope(user)).values("pk")
    return Communication.objects.filter(
        Q(order__isnull=False, order__in=orders) | Q(order__isnull=True, customer__in=customers)
    ).select_related("customer", "order", "contact", "owner", "replied_by")


def communication_get_for_user(*, user: User, pk: int) -> Communication:
    """The communication if ``user`` may see it; 404 for missing and out of scope alike."""
    try:
        return communication_queryset(user).get(pk=pk)
    except (Communication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such communication.") from None


def communications_for_order(*, user: User, order: SalesOrder) -> QuerySet[Communication]:
    """The log of one order (already fetched through ``order_get_for_user``)."""
    if not user.has_perm(VIEW_PERM):
        return Communication.objects.none()
    return Communication.objects.filter(order=order).select_related("contact", "owner", "replied_by")


def communications_for_customer(*, user: User, customer: Customer) -> QuerySet[Communication]:
    """The log of one customer: every communication of theirs that ``user`` may see."""
    return communication_queryset(user).filter(customer=customer)


def unanswered_inbound(*, customer: Customer, order: SalesOrder | None = None) -> QuerySet[Communication]:
    qs = Communication.objects.filter(customer=customer, direction=Communication.Direction.INBOUND,
                                      reply_due__isnull=False, replied_by__isnull=True)
    return qs.filter(order=order) if order is not None else qs


# --- writes ---------------------------------------------------------------------------------


def _clean(*, channel: str, direction: str, occurred_at, summary: str, follow_up_date, contact_name: str) -> None:
    errors = FieldErrors()
    if channel not in Communication.Channel.values or channel == Communication.Channel.NOTE:
        errors.add("channel", _("Choose how you were in contact (email, phone, fax, WeChat, visit or meeting)."))
    if direction not in Communication.Direction.values or direction == Communication.Direction.INTERNAL:
        errors.add("direction", _("Choose whether the message came from the customer or went to them."))
    if not isinstance(occurred_at, dt.datetime):
        errors.add("occurred_at", _("Enter when it happened as a date and time, e.g. 2026-03-05 14:30."))
    elif occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors.add("occurred_at", _("A communication cannot be logged in the future."), CoreError.DATE_IN_FUTURE)
    if not (summary or "").strip():
        errors.add("summary", _("Write what was said or agreed: the summary is what others will read."))
    if follow_up_date is not None:
        if not isinstance(follow_up_date, dt.date) or isinstance(follow_up_date, dt.datetime):
            errors.add("follow_up_date", _("Enter the follow-up date as a date, e.g. 2026-03-09."))
        elif isinstance(occurred_at, dt.datetime) and follow_up_date < timezone.localtime(occurred_at).date():
            errors.add("follow_up_date", _("The follow-up date (%(date)s) is before the communication itself.") % {
                "date": follow_up_date.isoformat()}, CoreError.DATES_OUT_OF_ORDER)
    if len(contact_name or "") > 80:
        errors.add("contact_name", _("The contact's name may have at most 80 characters."))
    errors.raise_any()


def _validate_uploads(uploads: Sequence[UploadedFile]) -> None:
    for upload in uploads:
        validate_upload(upload)


def communication_record(
    *, actor: User, channel: str, direction: str, occurred_at: dt.datetime, summary: str,
    order_id: int | None = None, customer_id: int | None = None, contact_id: int | None = None,
    contact_name: str = "", follow_up_date: dt.date | None = None, reply_to_id: int | None = None,
    uploads: Iterable[UploadedFile] = (),
) -> Communication:
    """Log a communication with a customer, about one of their orders (``order_id``) or in
    general (``customer_id``). An inbound one gets its reply-due date; an outbound one
    answers the customer's open inbound messages (``reply_to_id`` names one; otherwise every
    one received before it). Files are checked before anything is saved."""
    require(actor, ADD_PERM, message=_("Your role may not log communications."))
    if isinstance(occurred_at, dt.datetime) and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)  # a time typed in company time
    uploads = list(uploads)
    with transaction.atomic():
        if order_id:
            order = order_get_for_user(user=actor, pk=order_id)
            customer = order.customer
            if customer_id and int(customer_id) != customer.pk:
                raise ValidationFailed(_("The order belongs to another customer."), code=CoreError.RECORD_MISMATCH,
                                       fields={"customer": _("The order belongs to another customer.")})
        else:
            if not customer_id:
                raise ValidationFailed(_("Choose the customer or the order the communication is about."))
            order = None
            customer = customer_get_for_user(user=actor, pk=customer_id)
        _clean(channel=channel, direction=direction, occurred_at=occurred_at, summary=summary,
               follow_up_date=follow_up_date, contact_name=contact_name)
        contact = None
        if contact_id:
            contact = Contact.objects.filter(pk=contact_id, customer=customer).first()
            if contact is None:
                msg = _("Choose one of %(customer)s's contacts, or type the person's name.") % {
                    "customer": customer.code}
                raise ValidationFailed(msg, code=CoreError.RECORD_MISMATCH, fields={"contact": msg})
        reply_to = _reply_to(customer=customer, direction=direction, reply_to_id=reply_to_id,
                             occurred_at=occurred_at)
        _validate_uploads(uploads)

        communication = Communication.objects.create(
            customer=customer, order=order, channel=channel, direction=direction, contact=contact,
            contact_name=(contact_name or "").strip() if contact is None else contact.name,
            occurred_at=occurred_at, summary=summary.strip(), follow_up_date=follow_up_date,
            reply_due=reply_due_for(occurred_at) if direction == Communication.Direction.INBOUND else None,
            owner=actor)
        answered = _answer(communication, reply_to) if direction == Communication.Direction.OUTBOUND else []
        _record_events(actor, communication, answered)
        for upload in uploads:
            _attach(actor, communication, upload)
    return communication


def communication_log_outbound(*, actor: User, order: SalesOrder, channel: str, summary: str) -> Communication:
    """Log a message Gendan itself sent to the customer on ``actor``'s behalf (a delay notice).
    Call inside the transaction that sent it; the caller has checked the actor's rights."""
    communication = Communication.objects.create(
        customer=order.customer, order=order, channel=channel, direction=Communication.Direction.OUTBOUND,
        occurred_at=timezone.now(), summary=summary, owner=actor)
    _record_events(actor, communication, _answer(communication, None))
    return communication


def _reply_to(*, customer: Customer, direction: str, reply_to_id, occurred_at) -> Communication | None:
    if not reply_to_id:
        return None
    msg = _("Choose an unanswered message from this customer as the one you replied to.")
    if direction != Communication.Direction.OUTBOUND:
        raise ValidationFailed(_("Only a message to the customer can be a reply."), code=CoreError.VALUES_INCONSISTENT,
                               fields={"reply_to": msg})
    original = (unanswered_inbound(customer=customer).select_for_update(of=("self",))
                .filter(pk=reply_to_id).first())
    if original is None or original.occurred_at > occurred_at:
        code = CoreError.RECORD_MISMATCH if original is None else CoreError.DATES_OUT_OF_ORDER
        raise ValidationFailed(msg, code=code, fields={"reply_to": msg})
    return original


def _answer(outbound: Communication, reply_to: Communication | None) -> list[Communication]:
    """Mark the inbound messages ``outbound`` answers; return them."""
    if reply_to is not None:
        answered = [reply_to]
    else:
        answered = list(unanswered_inbound(customer=outbound.customer).select_for_update(of=("self",))
                        .filter(occurred_at__lte=outbound.occurred_at))
    if answered:
        Communication.objects.filter(pk__in=[c.pk for c in answered]).update(replied_by=outbound)
        for inbound in answered:
            inbound.replied_by = outbound
    return answered


def _describe(communication: Communication) -> dict:
    """The timeline parameters of a communication: channel and direction in the reader's
    language, the contact and the summary as typed."""
    who = communication.contact_name or (communication.contact.name if communication.contact else "")
    return {"channel": choice(Communication, "channel", communication.channel),
            "direction": choice(Communication, "direction", communication.direction),
            "who": f" ({who})" if who else "", "summary": communication.summary[:300]}


def _record_events(actor: User, communication: Communication, answered: list[Communication]) -> None:
    params = _describe(communication)
    event_record(actor=actor, obj=communication, verb=Event.Verb.CREATED, kind=events.COMMUNICATION, params=params)
    event_record(actor=actor, obj=communication.customer, verb=Event.Verb.NOTE, kind=events.COMMUNICATION,
                 params=params)
    if communication.order_id:
        event_record(actor=actor, obj=communication.order, verb=Event.Verb.NOTE, kind=events.COMMUNICATION,
                     params=params)
    when = timezone.localtime(communication.occurred_at).strftime("%Y-%m-%d %H:%M")
    for inbound in answered:
        event_record(actor=actor, obj=inbound, verb=Event.Verb.UPDATED,
                     changes={"replied_by": {"old": "", "new": str(communication)}},
                     kind=events.COMMUNICATION_ANSWERED,
                     params={"channel": choice(Communication, "channel", communication.channel), "when": when})


def _attach(actor: User, communication: Communication, upload: UploadedFile) -> None:
    kind = {Communication.Channel.EMAIL: Attachment.Kind.EMAIL,
            Communication.Channel.FAX: Attachment.Kind.FAX}.get(communication.channel, Attachment.Kind.OTHER)
    attachment_add(actor=actor, owner=communication, upload=upload, kind=kind, change_perm=ADD_PERM)


def communication_follow_up_done(*, actor: User, communication_id: int) -> Communication:
    """Take a communication's follow-up off the chase board (done now)."""
    require(actor, ADD_PERM, message=_("Your role may not change communications."))
    with transaction.atomic():
        visible = communication_queryset(actor).values("pk")
        communication = lock_row(Communication.objects.select_related("customer", "order").filter(pk__in=visible),
                                 communication_id, not_found="No such communication.")
        if communication.follow_up_date is None:
            raise BusinessError(_("This communication has no follow-up to mark done."),
                                code=TrackingError.NO_FOLLOW_UP)
        if communication.follow_up_done_at is not None:
            raise BusinessError(_("The follow-up was already marked done on %(when)s.") % {
                "when": timezone.localtime(communication.follow_up_done_at).strftime("%Y-%m-%d %H:%M")},
                code=TrackingError.FOLLOW_UP_DONE)
        communication.follow_up_done_at = timezone.now()
        communication.save(update_fields=["follow_up_done_at", "updated_at"])
        params = {"date": communication.follow_up_date.isoformat(), "summary": communication.summary[:200]}
        event_record(actor=actor, obj=communication, verb=Event.Verb.UPDATED,
                     changes={"follow_up_done_at": {"old": "", "new": communication.follow_up_done_at.isoformat()}},
                     kind=events.FOLLOW_UP_DONE, params=params)
        if communication.order_id:
            event_record(actor=actor, obj=communication.order, verb=Event.Verb.NOTE, kind=events.FOLLOW_UP_DONE,
                         params=params)
    return communication
