"""T&A milestones: the caller's chase board, the milestones of the orders they may see (with
the list page's filters), and one POST per action — each calls the same service as the
pages (permission, scope, predecessor rule, reasons, version under the plan's lock)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.milestones import (
    BoardInput,
    BoardOut,
    CompleteInput,
    MilestoneFilterInput,
    MilestoneOut,
    NoteInput,
    RescheduleInput,
    SkipInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.orders import _action_schema
from gendan.tracking import selectors
from gendan.tracking.services import milestones as services

VIEW = ("tracking.view_ordermilestone",)
WORK = ("tracking.change_ordermilestone",)


@extend_schema_view(
    list=extend_schema(parameters=[MilestoneFilterInput], responses=MilestoneOut(many=True)),
    retrieve=extend_schema(responses=MilestoneOut),
)
class MilestoneViewSet(ApiViewSet):
    required_perms = {"list": VIEW, "retrieve": VIEW, "board": VIEW, "complete": WORK, "reschedule": WORK,
                      "note": WORK, "skip": WORK}

    def _milestone(self, pk):
        milestone = selectors.milestone_queryset(self.request.user).select_related("plan").filter(pk=pk).first()
        if milestone is None:
            raise Http404("No such milestone.")
        return milestone

    def list(self, request):
        filters = self.parse(MilestoneFilterInput, data=request.query_params)
        qs = selectors.milestone_filter(selectors.milestone_queryset(request.user).select_related("plan"), filters,
                                        user=request.user)
        if filters.get("order"):
            qs = qs.filter(order_id=filters["order"])
        return self.paginated(qs.order_by("order_id", "sequence"), MilestoneOut)

    def retrieve(self, request, pk=None):
        return self.render(MilestoneOut, self._milestone(pk))

    @extend_schema(parameters=[BoardInput], responses=BoardOut)
    @action(detail=False, methods=["get"], pagination_class=None)
    def board(self, request):
        data = self.parse(BoardInput, data=request.query_params)
        return self.render(BoardOut, selectors.board_for(user=request.user, horizon_days=data["days"]))

    @_action_schema(CompleteInput, response=MilestoneOut, description="Mark done (default today). Before its "
                    "predecessor only with a `reason` (else 400 `predecessor_open`).")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = self.parse(CompleteInput)
        services.milestone_complete(actor=request.user, milestone_id=pk, on=data.get("on"),
                                    reason=data.get("reason", ""), expected_version=data.get("version"))
        return self.render(MilestoneOut, self._milestone(pk))

    @_action_schema(RescheduleInput, response=MilestoneOut, description="A new expected date with a reason; "
                    "every milestone after it moves and the order's risk follows.")
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        data = self.parse(RescheduleInput)
        services.milestone_reschedule(actor=request.user, milestone_id=pk, expected_date=data["expected_date"],
                                      reason=data["reason"], expected_version=data.get("version"))
        return self.render(MilestoneOut, self._milestone(pk))

    @_action_schema(NoteInput, response=MilestoneOut)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        data = self.parse(NoteInput)
        services.milestone_note(actor=request.user, milestone_id=pk, note=data["note"],
                                follow_up_date=data.get("follow_up_date"), expected_version=data.get("version"))
        return self.render(MilestoneOut, self._milestone(pk))

    @_action_schema(SkipInput, response=MilestoneOut)
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        data = self.parse(SkipInput)
        services.milestone_skip(actor=request.user, milestone_id=pk, reason=data["reason"],
                                expected_version=data.get("version"))
        return self.render(MilestoneOut, self._milestone(pk))
