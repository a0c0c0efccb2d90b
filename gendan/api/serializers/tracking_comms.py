"""Communications (the customer communication log) and meetings with minutes and action items
in the API (``tracking`` app): what the pages show and the fields their forms accept."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.accounts.models import User
from gendan.api.fields import BusinessDateField, IdField, ScopedRelatedField, UserRef
from gendan.api.serializers.common import NOT_BLANK
from gendan.api.serializers.quality import allowed
from gendan.core.guards import OK, no
from gendan.sales.selectors import order_queryset
from gendan.tracking.errors import TrackingError
from gendan.tracking.models import ActionItem, Communication, Meeting
from gendan.tracking.services import communications as comms
from gendan.tracking.services import meetings

# Request times: ISO 8601 within the years Gendan accepts (2000–2099).
DATETIME_PATTERN = (r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
                    r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$")


@extend_schema_field({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN})
class BusinessDateTimeField(serializers.DateTimeField):
    """A time a person gives (when a call happened, when a meeting starts): ISO 8601, in the years
    2000–2099; without an offset it is company time."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not 2000 <= moment.year <= 2099:
            raise serializers.ValidationError(self.error_messages["invalid"].format(format="YYYY-MM-DDThh:mm"))
        return moment


class CustomerRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class OrderNumberOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


# --- communications -----------------------------------------------------------------------


class CommunicationOut(serializers.ModelSerializer):
    customer = CustomerRefOut()
    order = OrderNumberOut(allow_null=True)
    channel = serializers.CharField(help_text="email, phone, fax, wechat, visit, meeting")
    direction = serializers.CharField(help_text="in (from the customer), out (to the customer)")
    contact = serializers.IntegerField(source="contact_id", allow_null=True)
    contact_name = serializers.SerializerMethodField()
    owner = UserRef()
    replied_by = serializers.IntegerField(source="replied_by_id", allow_null=True,
                                          help_text="the outbound message that answered this inbound one")
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Communication
        fields = ["id", "customer", "order", "channel", "direction", "contact", "contact_name", "occurred_at",
                  "summary", "reply_due", "replied_by", "follow_up_date", "follow_up_done_at", "owner", "created_at",
                  "allowed_actions"]

    def get_contact_name(self, obj) -> str:
        return obj.contact_name or (obj.contact.name if obj.contact else "")

    def get_allowed_actions(self, obj) -> dict:
        """``{"follow_up_done": {"allowed", "reason", "code"}}``."""
        if obj.follow_up_date is None:
            check = no(TrackingError.NO_FOLLOW_UP, _("This communication has no follow-up to mark done."))
        elif obj.follow_up_done_at is not None:
            check = no(TrackingError.FOLLOW_UP_DONE, _("The follow-up was already marked done on %(when)s.") % {
                "when": timezone.localtime(obj.follow_up_done_at).strftime("%Y-%m-%d %H:%M")})
        else:
            check = OK
        return {"follow_up_done": allowed(self.context["request"].user, comms.ADD_PERM, check)}


class CommunicationFilterInput(serializers.Serializer):
    customer = IdField(required=False)
    order = IdField(required=False)
    channel = serializers.ChoiceField(choices=Communication.Channel.values, required=False)
    direction = serializers.ChoiceField(choices=Communication.Direction.values, required=False)
    unanswered = serializers.BooleanField(required=False, default=False,
                                          help_text="only inbound messages not answered yet")
    follow_up_open = serializers.BooleanField(required=False, default=False,
                                              help_text="only those with a follow-up not done yet")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="summary contains")


class CommunicationInput(serializers.Serializer):
    """A communication is about an order or, without one, a customer (``anyOf``); a note and an
    internal message are not logged here."""

    # the order or the customer (not null); the summary not only blanks (the service strips it)
    request_schema_rules = {"anyOf": [{"required": [name], "properties": {name: {"type": "integer"}}}
                                      for name in ("order", "customer")],
                            "properties": {"summary": {"pattern": NOT_BLANK}}}

    order = IdField(required=False, allow_null=True, help_text="the order it is about (its customer's log too)")
    customer = IdField(required=False, allow_null=True, help_text="without an order: the customer; with one, its "
                                                                  "customer (`record_mismatch`)")
    channel = serializers.ChoiceField(choices=[c for c in Communication.Channel.values
                                               if c != Communication.Channel.NOTE])
    direction = serializers.ChoiceField(choices=[d for d in Communication.Direction.values
                                                 if d != Communication.Direction.INTERNAL])
    occurred_at = BusinessDateTimeField(help_text="when; not in the future (`date_in_future`)")
    summary = serializers.CharField(max_length=10000, help_text="what was said or agreed")
    contact = IdField(required=False, allow_null=True, help_text="one of the customer's contacts (`record_mismatch`)")
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=80, default="",
                                         help_text="when the person is not one of the contacts")
    follow_up_date = BusinessDateField(required=False, allow_null=True,
                                       help_text="puts it on the recorder's chase board that day; not before it "
                                                 "(`dates_out_of_order`)")
    reply_to = IdField(required=False, allow_null=True,
                       help_text="an outbound message (`values_inconsistent`): the customer's unanswered message it "
                                 "answers (`record_mismatch`), received before it (`dates_out_of_order`) (default: "
                                 "every one received before it)")


# --- meetings -----------------------------------------------------------------------------


def _active_users(_user):
    return User.objects.filter(is_active=True)



class ActionItemOut(serializers.ModelSerializer):
    owner = UserRef()
    order = OrderNumberOut(allow_null=True)

    class Meta:
        model = ActionItem
        fields = ["id", "description", "owner", "due_date", "order", "done_at"]


class MeetingListOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="planned, held, cancelled")
    organiser = UserRef()

    class Meta:
        model = Meeting
        fields = ["id", "title", "starts_at", "location", "status", "organiser", "notice_sent_at", "created_at"]


class MeetingOut(MeetingListOut):
    attendees = UserRef(many=True)
    action_items = ActionItemOut(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(MeetingListOut.Meta):
        fields = [*MeetingListOut.Meta.fields, "agenda", "minutes", "attendees", "action_items", "allowed_actions"]

    def get_allowed_actions(self, obj) -> dict:
        """``{action: {"allowed", "reason", "code"}}`` for edit, minutes and cancel."""
        user = self.context["request"].user
        edit = meetings.can_edit_meeting(user, obj)
        return {"edit": allowed(user, None, edit), "cancel": allowed(user, None, edit),
                "minutes": allowed(user, None, meetings.can_record_minutes(user, obj))}


class MeetingFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Meeting.Status.values, required=False)
    starts_from = BusinessDateField(required=False)
    starts_to = BusinessDateField(required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="title contains")


class MeetingInput(serializers.Serializer):
    request_schema_rules = {"properties": {"title": {"pattern": NOT_BLANK}}}

    title = serializers.CharField(max_length=120)
    starts_at = BusinessDateTimeField(help_text="in the future when planned (`date_in_past`)")
    location = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    agenda = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    attendees = serializers.ListField(child=ScopedRelatedField(_active_users), allow_empty=False, min_length=1,
                                      max_length=200,
                                      help_text="active users' ids")


class MeetingUpdateInput(MeetingInput):
    """A change: the fields sent replace the meeting's, the others stay."""


class ActionItemInput(serializers.Serializer):
    request_schema_rules = {"properties": {"description": {"pattern": NOT_BLANK}}}

    description = serializers.CharField(max_length=300)
    owner = ScopedRelatedField(_active_users, help_text="an active user")
    due_date = BusinessDateField(help_text="not before the meeting's day (`dates_out_of_order`)")
    order = ScopedRelatedField(order_queryset, required=False, allow_null=True, help_text="an order the user may see")


class MinutesInput(serializers.Serializer):
    request_schema_rules = {"properties": {"minutes": {"pattern": NOT_BLANK}}}

    minutes = serializers.CharField(max_length=20000, help_text="what was reported and decided")
    actions = ActionItemInput(many=True, required=False, default=list, max_length=100,
                              help_text="new action items")


class MeetingCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="at least 3 characters")
