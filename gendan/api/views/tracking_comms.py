"""Communications and meetings through the API: the communication log of the orders and
customers the user sees (log one, mark its follow-up done) and meetings (plan, change, record
the minutes with action items, cancel; mark an action item done) — each through the service the
page calls (``tracking.services.communications`` / ``meetings``): permission, scope, workflow."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.tracking_comms import (
    ActionItemOut,
    CommunicationFilterInput,
    CommunicationInput,
    CommunicationOut,
    MeetingCancelInput,
    MeetingFilterInput,
    MeetingInput,
    MeetingListOut,
    MeetingOut,
    MeetingUpdateInput,
    MinutesInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.quality import _step
from gendan.tracking.models import ActionItem, Communication
from gendan.tracking.services import communications as comms
from gendan.tracking.services import meetings


@extend_schema_view(
    list=extend_schema(parameters=[CommunicationFilterInput], responses=CommunicationOut,
                       description="Communications of the orders the user may see (and, without an order, of the "
                                   "customers they see), newest first."),
    retrieve=extend_schema(responses=CommunicationOut),
    create=_step(CommunicationInput, CommunicationOut, status=201,
                 description="Log a communication with a customer, about one of their orders (`order`) or in "
                             "general (`customer`). An inbound one is due for a reply the same working day (before "
                             "the cut-off) and stays on the recorder's chase board until answered; an outbound one "
                             "answers the customer's open messages (`reply_to` names one)."),
)
class CommunicationViewSet(ApiViewSet):
    required_perms = {"list": (comms.VIEW_PERM,), "retrieve": (comms.VIEW_PERM,), "create": (comms.ADD_PERM,),
                      "follow_up_done": (comms.VIEW_PERM, comms.ADD_PERM)}

    def _answer(self, pk, status: int = 200):
        return self.render(CommunicationOut, comms.communication_get_for_user(user=self.request.user, pk=pk),
                           status=status)

    def list(self, request):
        f = self.parse(CommunicationFilterInput, data=request.query_params)
        qs = comms.communication_queryset(request.user)
        for key, lookup in (("customer", "customer_id"), ("order", "order_id"), ("channel", "channel"),
                            ("direction", "direction")):
            if f.get(key):
                qs = qs.filter(**{lookup: f[key]})
        if f["unanswered"]:
            qs = qs.filter(direction=Communication.Direction.INBOUND, reply_due__isnull=False,
                           replied_by__isnull=True)
        if f["follow_up_open"]:
            qs = qs.filter(follow_up_date__isnull=False, follow_up_done_at__isnull=True)
        if f.get("q", "").strip():
            qs = qs.filter(summary__icontains=f["q"].strip())
        return self.paginated(qs.order_by("-occurred_at", "-id"), CommunicationOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        d = self.parse(CommunicationInput)
        communication = comms.communication_record(
            actor=request.user, order_id=d.get("order"), customer_id=d.get("customer"), channel=d["channel"],
            direction=d["direction"], occurred_at=d["occurred_at"], summary=d["summary"],
            contact_id=d.get("contact"), contact_name=d["contact_name"], follow_up_date=d.get("follow_up_date"),
            reply_to_id=d.get("reply_to"))
        return self._answer(communication.pk, status=201)

    @_step(None, CommunicationOut, description="Take the communication's follow-up off the chase board (done "
           "now); 409 `no_follow_up`, `follow_up_done`.")
    @action(detail=True, methods=["post"], url_path="follow-up-done")
    def follow_up_done(self, request, pk=None):
        comms.communication_get_for_user(user=request.user, pk=pk)
        comms.communication_follow_up_done(actor=request.user, communication_id=int(pk))
        return self._answer(pk)


def _meeting_fields(d: dict) -> dict:
    return {"title": d["title"], "starts_at": d["starts_at"], "location": d["location"], "agenda": d["agenda"],
            "attendee_ids": [user.pk for user in d["attendees"]]}


@extend_schema_view(
    list=extend_schema(parameters=[MeetingFilterInput], responses=MeetingListOut,
                       description="Meetings (internal: every role that reads meetings sees them), latest first."),
    retrieve=extend_schema(responses=MeetingOut),
    create=_step(MeetingInput, MeetingOut, status=201,
                 description="Plan a meeting in the future; the attendees get a notice the day before."),
    partial_update=_step(MeetingUpdateInput, MeetingOut,
                         description="Change a planned meeting: the fields sent replace the meeting's. Moving it to "
                                     "another day sends the notice again."),
)
class MeetingViewSet(ApiViewSet):
    required_perms = {"list": (meetings.VIEW_PERM,), "retrieve": (meetings.VIEW_PERM,),
                      "create": (meetings.ADD_PERM,), "partial_update": (meetings.VIEW_PERM, meetings.ADD_PERM),
                      "minutes": (meetings.VIEW_PERM, meetings.ADD_PERM),
                      "cancel": (meetings.VIEW_PERM, meetings.ADD_PERM)}

    def _answer(self, pk, status: int = 200):
        return self.render(MeetingOut, meetings.meeting_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        f = self.parse(MeetingFilterInput, data=request.query_params)
        qs = meetings.meeting_queryset(request.user)
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        if f.get("starts_from"):
            qs = qs.filter(starts_at__date__gte=f["starts_from"])
        if f.get("starts_to"):
            qs = qs.filter(starts_at__date__lte=f["starts_to"])
        if f.get("q", "").strip():
            qs = qs.filter(title__icontains=f["q"].strip())
        return self.paginated(qs.order_by("-starts_at", "-id"), MeetingListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        d = self.parse(MeetingInput)
        meeting = meetings.meeting_create(actor=request.user, **_meeting_fields(d))
        return self._answer(meeting.pk, status=201)

    def partial_update(self, request, pk=None):
        meeting = meetings.meeting_get_for_user(user=request.user, pk=pk)
        d = dict(self.parse(MeetingUpdateInput, partial=True))
        current = {"title": meeting.title, "starts_at": meeting.starts_at, "location": meeting.location,
                   "agenda": meeting.agenda, "attendees": list(meeting.attendees.all())}
        meetings.meeting_update(actor=request.user, meeting_id=meeting.pk, **_meeting_fields({**current, **d}))
        return self._answer(pk)

    @_step(MinutesInput, MeetingOut, description="Record the minutes (planned → held; more minutes of a held meeting "
           "add to them) and new action items: who does what by when, optionally for an order. Open items are on "
           "their owners' chase boards.")
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meetings.meeting_get_for_user(user=request.user, pk=pk)
        d = self.parse(MinutesInput)
        actions = [{"description": row["description"], "owner_id": row["owner"].pk, "due_date": row["due_date"],
                    "order_id": row["order"].pk if row.get("order") else None} for row in d["actions"]]
        meetings.meeting_minutes_record(actor=request.user, meeting_id=int(pk), minutes=d["minutes"],
                                        actions=actions)
        return self._answer(pk)

    @_step(MeetingCancelInput, MeetingOut, description="Cancel a planned meeting, with the reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meetings.meeting_get_for_user(user=request.user, pk=pk)
        d = self.parse(MeetingCancelInput)
        meetings.meeting_cancel(actor=request.user, meeting_id=int(pk), reason=d["reason"])
        return self._answer(pk)


class ActionItemViewSet(ApiViewSet):
    """``/action-items/{id}/done/``: the owner, the meeting's organiser or a manager marks it done."""

    # the service decides who may (the owner needs no meeting permission); 404 for an item the user cannot reach
    required_perms = {"done": ()}

    @_step(None, ActionItemOut, description="Mark an action item done (it leaves its owner's chase board); 403 "
           "unless the owner, the meeting's organiser or a manager; 409 `action_done`.")
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = meetings.action_item_complete(actor=request.user, action_item_id=int(pk))
        item = ActionItem.objects.select_related("owner", "order").get(pk=item.pk)
        return self.render(ActionItemOut, item)


