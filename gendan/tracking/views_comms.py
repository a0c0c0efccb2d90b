"""Pages of the communication log, meetings, delay notices and reminder settings, and the
"Communications" panel of the sales order page. Thin: parse, check the coarse permission,
call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.core.errors import BusinessError, CoreError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.listing import Column, ListPageView
from gendan.core.views import run_action, run_service_form
from gendan.documents.registry import register_owner
from gendan.parties.selectors import customer_get_for_user
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user
from gendan.tracking.forms_comms import (
    CancelForm,
    ChasePreferenceForm,
    CommunicationForm,
    DelayNoticeForm,
    MeetingForm,
    MinutesForm,
)
from gendan.tracking.models import ActionItem, DelayNotice, Meeting
from gendan.tracking.services import communications as comms
from gendan.tracking.services import delay_notices as notices
from gendan.tracking.services import meetings
from gendan.tracking.services.reminders import chase_preference_update, default_digest_time, preference_for

PANEL_ROWS = 10


def register_comms() -> None:
    """Called from ``TrackingConfig.ready``: the order page panel and attachments on communications."""
    panels.register("communications", template="tracking/comms/_order_panel.html", context=order_panel, rank=60,
                    tab="communications", count=order_panel_count)
    register_owner("tracking.communication", comms.communication_get_for_user, change_perm=comms.ADD_PERM)


# --- the order page panel ------------------------------------------------------------------


def order_panel_count(request, order):
    """The order page's "communications" tab: the order's communications (counted with the other
    tabs')."""
    if not request.user.has_perm(comms.VIEW_PERM):
        return 0 if request.user.has_perm(notices.VIEW_PERM) else None
    return comms.communications_for_order(user=request.user, order=order)


def order_panel(request, order) -> dict | None:
    user = request.user
    can_view = user.has_perm(comms.VIEW_PERM)
    can_notices = user.has_perm(notices.VIEW_PERM)
    if not (can_view or can_notices):
        return None
    rows = list(comms.communications_for_order(user=user, order=order)[:PANEL_ROWS + 1]) if can_view else []
    return {
        "communications": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "can_add": user.has_perm(comms.ADD_PERM),
        "can_view_customer_log": can_view,
        "can_review_notices": user.has_perm(notices.SEND_PERM),
        "delay_notices": list(DelayNotice.objects.filter(order=order).order_by("-created_at")[:3])
        if can_notices else [],
    }


# --- communications --------------------------------------------------------------------------


def _communication_form_page(request, *, order=None, customer):
    user = request.user
    if not user.has_perm(comms.ADD_PERM):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0), "channel": "email",
               "direction": "in"}
    form = CommunicationForm(data, request.FILES or None, customer=customer, initial=initial)

    def record(form):
        d = form.cleaned_data
        try:
            return comms.communication_record(
                actor=user, order_id=order.pk if order else None, customer_id=customer.pk,
                channel=d["channel"], direction=d["direction"], occurred_at=d["occurred_at"],
                summary=d["summary"], contact_id=d["contact"].pk if d["contact"] else None,
                contact_name=d["contact_name"], follow_up_date=d["follow_up_date"],
                reply_to_id=d["reply_to"].pk if d["reply_to"] else None,
                uploads=[d["attachment"]] if d.get("attachment") else [])
        except BusinessError as exc:
            if "file" in exc.fields:  # the service's name for the upload; the form's is "attachment"
                exc.fields["attachment"] = exc.fields.pop("file")
            raise

    back = order.get_absolute_url() if order else reverse("tracking:customer_communications", args=[customer.pk])
    return run_service_form(
        request, form=form, call=record, template="tracking/comms/communication_form.html",
        context={"order": order, "customer": customer, "back": back,
                 "title": _("Log a communication") + f" · {order.number if order else customer.code}"},
        success_message=_("Communication logged."),
        success_url=lambda _c: order.get_absolute_url() + "?tab=communications#communications" if order else back)


@login_required
def order_communication_create(request, order_id: int):
    order = order_get_for_user(user=request.user, pk=order_id)
    return _communication_form_page(request, order=order, customer=order.customer)


@login_required
def customer_communication_create(request, customer_id: int):
    customer = customer_get_for_user(user=request.user, pk=customer_id)
    return _communication_form_page(request, customer=customer)


def _who(c) -> str:
    return c.contact_name or (c.contact.name if c.contact else "")


class CustomerCommunicationListView(ListPageView):
    """One customer's communication log, newest first, with Excel export."""

    template_name = "tracking/comms/communication_list.html"
    default_sort = "-occurred_at"
    export_name = "communications"
    columns = [
        Column("occurred_at", gettext_lazy("when"), sort="occurred_at", link=True),
        Column("channel", gettext_lazy("channel"), value=lambda c: c.get_channel_display(), sort="channel"),
        Column("direction", gettext_lazy("direction"), value=lambda c: c.get_direction_display()),
        Column("order", gettext_lazy("sales order"), value=lambda c: c.order.number if c.order else "",
               sort="order__number"),
        Column("contact", gettext_lazy("contact person"), value=_who),
        Column("summary", gettext_lazy("summary")),
        Column("reply_due", gettext_lazy("reply due"), value=lambda c: "" if c.replied_by_id else c.reply_due),
        Column("follow_up_date", gettext_lazy("follow up on"),
               value=lambda c: "" if c.follow_up_done_at else c.follow_up_date),
        Column("owner", gettext_lazy("recorded by")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not request.user.has_perm(comms.VIEW_PERM):
                raise PermissionDenied
            self.customer = customer_get_for_user(user=request.user, pk=kwargs["customer_id"])
            self.title = _("Communications with %(customer)s") % {
                "customer": f"{self.customer.code} {self.customer.display_name}"}
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return comms.communications_for_customer(user=self.request.user, customer=self.customer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(obj, cells, reverse("tracking:communication_detail", args=[obj.pk]))
                           for obj, cells in context.get("rows", [])]
        context["customer"] = self.customer
        context["can_add"] = self.request.user.has_perm(comms.ADD_PERM)
        return context


def _communication_page(request, pk: int):
    communication = comms.communication_get_for_user(user=request.user, pk=pk)
    return render(request, "tracking/comms/communication_detail.html", {
        "c": communication, "title": str(communication),
        "can_close_follow_up": request.user.has_perm(comms.ADD_PERM) and communication.follow_up_date
        and not communication.follow_up_done_at,
        "events": timeline_for(communication)})


@login_required
def communication_detail(request, pk: int):
    return _communication_page(request, pk)


@login_required
@require_POST
def communication_follow_up_done(request, pk: int):
    def refused(exc: BusinessError, _form):
        messages.error(request, str(exc.message))
        return _communication_page(request, pk)

    return run_action(
        request, call=lambda _data: comms.communication_follow_up_done(actor=request.user, communication_id=pk),
        success_message=_("Follow-up marked done."), refused=refused,
        success_url=lambda c: request.POST.get("next") or reverse("tracking:communication_detail", args=[c.pk]))


# --- meetings --------------------------------------------------------------------------------


class MeetingListView(ListPageView):
    title = gettext_lazy("Meetings")
    export_name = "meetings"
    default_sort = "-starts_at"
    create_url_name = "tracking:meeting_create"
    create_permission = meetings.ADD_PERM
    columns = [
        Column("title", gettext_lazy("title"), sort="title", link=True),
        Column("starts_at", gettext_lazy("starts at"), sort="starts_at"),
        Column("location", gettext_lazy("place")),
        Column("status", gettext_lazy("status"), value=lambda m: m.get_status_display(), sort="status"),
        Column("organiser", gettext_lazy("organiser")),
        Column("n_attendees", gettext_lazy("attendees"), numeric=True),
        Column("n_open", gettext_lazy("open actions"), numeric=True),
        Column("notice_sent_at", gettext_lazy("notice sent")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm(meetings.VIEW_PERM):
            raise PermissionDenied
        return meetings.meeting_queryset(self.request.user).annotate(
            n_attendees=Count("attendees", distinct=True),
            n_open=Count("action_items", filter=Q(action_items__done_at__isnull=True), distinct=True))


def _meeting_form_page(request, meeting: Meeting | None):
    user = request.user
    if meeting is None and not user.has_perm(meetings.ADD_PERM):
        raise PermissionDenied
    if meeting is not None:
        check = meetings.can_edit_meeting(user, meeting)
        if check.code == CoreError.FORBIDDEN:
            raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {}
    if meeting is not None:
        initial = {"title": meeting.title, "starts_at": timezone.localtime(meeting.starts_at),
                   "location": meeting.location, "agenda": meeting.agenda, "attendees": list(meeting.attendees.all())}
    form = MeetingForm(data, initial=initial)

    def save(form):
        d = form.cleaned_data
        args = {"title": d["title"], "starts_at": d["starts_at"], "location": d["location"],
                "agenda": d["agenda"], "attendee_ids": [u.pk for u in d["attendees"]]}
        if meeting is None:
            return meetings.meeting_create(actor=user, **args)
        return meetings.meeting_update(actor=user, meeting_id=meeting.pk, **args)

    return run_service_form(
        request, form=form, call=save, template="tracking/comms/meeting_form.html",
        context={"meeting": meeting, "title": _("Plan a meeting") if meeting is None
                 else _("Change %(meeting)s") % {"meeting": meeting.title}},
        success_message=_("Meeting saved; the attendees get a notice the day before."),
        success_url=lambda saved: saved.get_absolute_url())


@login_required
def meeting_create(request):
    return _meeting_form_page(request, None)


@login_required
def meeting_edit(request, pk: int):
    return _meeting_form_page(request, meetings.meeting_get_for_user(user=request.user, pk=pk))


def _meeting_page(request, pk: int, *, cancel_form=None):
    user = request.user
    meeting = meetings.meeting_get_for_user(user=user, pk=pk)
    items = list(meeting.action_items.all())
    edit = meetings.can_edit_meeting(user, meeting)
    return render(request, "tracking/comms/meeting_detail.html", {
        "meeting": meeting, "title": meeting.title, "attendees": list(meeting.attendees.all()),
        "items": [(item, meetings.can_complete_action(user, item)) for item in items],
        "edit": edit,
        "minutes": meetings.can_record_minutes(user, meeting),
        "cancel_form": (cancel_form or CancelForm()) if edit else None,
        "events": timeline_for(meeting)})


@login_required
def meeting_detail(request, pk: int):
    return _meeting_page(request, pk)


@login_required
def meeting_minutes(request, pk: int):
    user = request.user
    meeting = meetings.meeting_get_for_user(user=user, pk=pk)
    check = meetings.can_record_minutes(user, meeting)
    if check.code == CoreError.FORBIDDEN:
        raise PermissionDenied
    owners = User.objects.filter(is_active=True).order_by("full_name", "username")
    data = request.POST if request.method == "POST" else None
    form = MinutesForm(data, owners=owners, initial={"minutes": meeting.minutes})
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            rows = form.actions()
            try:
                meetings.meeting_minutes_record(actor=user, meeting_id=meeting.pk, minutes=form.cleaned_data["minutes"],
                                                actions=[{k: v for k, v in r.items() if k != "row"} for r in rows])
            except BusinessError as exc:
                for key in list(exc.fields):
                    if key.startswith("actions[") and "]." in key:
                        index, name = key[len("actions["):].split("].")
                        target = f"action-{rows[int(index)]['row']}-{name}"
                        for message in exc.fields.pop(key):
                            form.add_error(target if target in form.fields else None, message)
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Minutes recorded; the action items are on their owners' boards."))
                return redirect(meeting)
    return render(request, "tracking/comms/meeting_minutes.html", {
        "form": form, "meeting": meeting, "check": check,
        "title": _("Minutes of %(meeting)s") % {"meeting": meeting}}, status=status)


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = meetings.meeting_get_for_user(user=request.user, pk=pk)

    def refused(exc: BusinessError, form):
        messages.error(request, str(exc.message))
        return _meeting_page(request, meeting.pk, cancel_form=form)

    return run_action(
        request, form=CancelForm(request.POST), refused=refused, success_message=_("Meeting cancelled."),
        success_url=meeting.get_absolute_url(),
        call=lambda data: meetings.meeting_cancel(actor=request.user, meeting_id=meeting.pk, reason=data["reason"]))


@login_required
@require_POST
def action_item_done(request, pk: int):
    """Mark an action item done, from the meeting's page or the owner's chase board; a refusal
    shows the meeting's page with the message (every role reads meetings)."""
    def refused(exc: BusinessError, _form):
        messages.error(request, str(exc.message))
        return _meeting_page(request, get_object_or_404(ActionItem.objects.only("meeting_id"), pk=pk).meeting_id)

    return run_action(
        request, call=lambda _data: meetings.action_item_complete(actor=request.user, action_item_id=pk),
        refused=refused, success_message=_("Action marked done."),
        success_url=lambda item: request.POST.get("next") or item.meeting.get_absolute_url())


# --- delay notices ---------------------------------------------------------------------------


@login_required
def delay_notice_list(request):
    user = request.user
    if not user.has_perm(notices.VIEW_PERM):
        raise PermissionDenied
    mine_only = request.GET.get("all") != "1"
    drafts = list(notices.delay_notice_drafts(user=user, mine_only=mine_only).order_by("new_date")[:200])
    return render(request, "tracking/comms/delay_notice_list.html", {
        "drafts": drafts, "mine_only": mine_only, "title": _("Delay notices to review")})


@login_required
def delay_notice_detail(request, pk: int):
    user = request.user
    notice = notices.delay_notice_get_for_user(user=user, pk=pk)
    check = notices.can_send(user, notice)
    data = request.POST if request.method == "POST" else None
    form = DelayNoticeForm(data, initial={"subject": notice.subject, "body": notice.body, "version": notice.version})
    status = 200
    if data is not None:
        if check.code == CoreError.FORBIDDEN:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            d, action = form.cleaned_data, data.get("action", "save")
            try:
                if action == "send":
                    notices.delay_notice_send(actor=user, notice_id=notice.pk, subject=d["subject"], body=d["body"],
                                              expected_version=d["version"])
                    messages.success(request, _("Delay notice sent to %(to)s.") % {
                        "to": ", ".join(notices.recipients(notice.order))})
                    return redirect(notice.order.get_absolute_url() + "?tab=communications#communications")
                if action == "discard":
                    notices.delay_notice_discard(actor=user, notice_id=notice.pk, reason=d["discard_reason"],
                                                 expected_version=d["version"])
                    messages.success(request, _("Delay notice discarded."))
                    return redirect("tracking:delay_notice_list")
                notices.delay_notice_update(actor=user, notice_id=notice.pk, subject=d["subject"], body=d["body"],
                                            expected_version=d["version"])
                messages.success(request, _("Draft saved."))
                return redirect("tracking:delay_notice_detail", pk=notice.pk)
            except BusinessError as exc:
                if "reason" in exc.fields:
                    exc.fields["discard_reason"] = exc.fields.pop("reason")
                add_business_error(form, exc)
                status = error_status(exc)
    return render(request, "tracking/comms/delay_notice_detail.html", {
        "notice": notice, "form": form, "check": check, "recipients": notices.recipients(notice.order),
        "title": _("Delay notice · %(order)s") % {"order": notice.order.number},
        "events": timeline_for(notice)}, status=status)


# --- reminder settings -------------------------------------------------------------------------


@login_required
def reminder_settings(request):
    user = request.user
    pref = preference_for(user)
    data = request.POST if request.method == "POST" else None
    form = ChasePreferenceForm(data, initial={"digest_enabled": pref.digest_enabled, "digest_time": pref.digest_time,
                                              "horizon_days": pref.horizon_days})
    return run_service_form(
        request, form=form, template="tracking/comms/reminder_settings.html",
        call=lambda form: chase_preference_update(actor=user, **form.cleaned_data),
        context={"title": _("My reminders"), "default_time": default_digest_time()},
        success_message=_("Reminder settings saved."), success_url=lambda _pref: reverse("tracking:reminder_settings"))
