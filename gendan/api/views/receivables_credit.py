"""Dunning and credit (``receivables``): ``/customer-credit/`` (customers with a limit, a hold or
a dunning level) and ``/customer-credit/{customer_id}/`` (credit, open receivables, reminders,
disputes), ``/limit/``, ``/hold/``, ``/lift/``; ``/credit-approvals/`` (a manager approves an
order over the limit); ``/disputes/`` and ``/disputes/{id}/settle/``; ``/dunning-runs/`` (list,
run now, a run's reminders) and ``/dunning-levels/`` (read, replace). Each action parses its body
and calls one service of ``receivables.services`` (rules, scope and versions are checked there)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.receivables_credit import (
    ApprovalInput,
    ApprovalOut,
    CreditDetailOut,
    CustomerCreditOut,
    DisputeInput,
    DisputeOut,
    LevelOut,
    LevelsInput,
    LimitInput,
    NoticeOut,
    ReasonInput,
    RunOut,
    SettleInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.core.guards import id_or_zero, no, refuse
from gendan.parties.selectors import customer_queryset
from gendan.receivables.errors import CreditError
from gendan.receivables.models import DunningRun
from gendan.receivables.selectors import credit as credit_sel
from gendan.receivables.selectors import dunning as dunning_sel
from gendan.receivables.services import credit as svc
from gendan.receivables.services.disputes import OPEN as DISPUTE_OPEN
from gendan.receivables.services.disputes import SETTLE as DISPUTE_SETTLE
from gendan.receivables.services.disputes import dispute_open, dispute_settle
from gendan.receivables.services.dunning import EDIT_LEVELS, RUN, dunning_levels_save, dunning_run_today

CREDIT_VIEW = (credit_sel.VIEW,)
RUN_VIEW = (dunning_sel.VIEW,)


def _refused(status: int = 200, response=CustomerCreditOut, **kwargs):
    return extend_schema(responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="bad input (credit_limit_invalid, dispute_above_open, "
                                                          "reason_required, dunning_levels_invalid …)"),
        403: OpenApiResponse(ErrorSerializer, description="the role may not (forbidden, approver_is_order_owner)"),
        409: OpenApiResponse(ErrorSerializer, description="refused by the state or a stale version (conflict)"),
    }, **kwargs)


class CustomerCreditViewSet(ApiViewSet):
    """A customer's credit, by the customer's id."""

    required_perms = {"list": CREDIT_VIEW, "retrieve": CREDIT_VIEW, "limit": (svc.SET_LIMIT,),
                      "hold": (svc.HOLD,), "lift": (svc.HOLD,)}

    def _customer(self, pk):
        customer = customer_queryset(self.request.user).filter(pk=id_or_zero(pk)).first()
        if customer is None:
            raise Http404(_("No such customer."))
        return customer

    def _answer(self, pk):
        customer = self._customer(pk)
        credit = credit_sel.credit_or_blank(customer)
        data = {"credit": credit,
                "receivables": [{"currency": cur, **v} for cur, v in credit_sel.open_receivables(customer.pk).items()],
                "notices": list(credit_sel.customer_notices(customer.pk)),
                "disputes": list(credit_sel.customer_disputes(customer.pk))}
        return self.render(CreditDetailOut, data)

    @extend_schema(responses=CustomerCreditOut(many=True),
                   description="Customers with a credit limit, a credit hold or a dunning level (on hold first).")
    def list(self, request):
        qs = credit_sel.credit_customers(user=request.user)
        return self.paginated(qs, CustomerCreditOut)

    @extend_schema(responses=CreditDetailOut)
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @_refused(response=CreditDetailOut, request=LimitInput,
              description="Set the credit limit (amount ≥ 0 and currency; empty: no limit). Finance or a manager.")
    @action(detail=True, methods=["post"])
    def limit(self, request, pk=None):
        data = self.parse(LimitInput)
        svc.credit_limit_set(actor=request.user, customer_id=self._customer(pk).pk,
                             credit_limit=data.get("credit_limit"), currency=data.get("currency"),
                             expected_version=data.get("version"), reason=data.get("reason", ""))
        return self._answer(pk)

    @_refused(response=CreditDetailOut, request=ReasonInput, description="Finance puts the customer on credit hold.")
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        data = self.parse(ReasonInput)
        svc.credit_hold_put(actor=request.user, customer_id=self._customer(pk).pk, reason=data.get("reason", ""),
                            expected_version=data.get("version"))
        return self._answer(pk)

    @_refused(response=CreditDetailOut, request=ReasonInput,
              description="Finance lifts the credit hold, with a reason.")
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        data = self.parse(ReasonInput)
        svc.credit_hold_lift(actor=request.user, customer_id=self._customer(pk).pk, reason=data.get("reason", ""),
                             expected_version=data.get("version"))
        return self._answer(pk)


class CreditApprovalViewSet(ApiViewSet):
    required_perms = {"create": (svc.APPROVE,)}

    @_refused(201, response=ApprovalOut, request=ApprovalInput,
              description="A manager (not the order's merchandiser or creator) approves a draft order over the "
                          "customer's credit limit, for the exposure as it stands (or the larger `exposure`).")
    def create(self, request):
        data = self.parse(ApprovalInput)
        approval = svc.credit_limit_approve(actor=request.user, order_id=data["order"], reason=data.get("reason", ""),
                                            exposure=data.get("exposure"))
        return self.render(ApprovalOut, approval, status=201)


class DisputeViewSet(ApiViewSet):
    required_perms = {"list": CREDIT_VIEW, "create": (DISPUTE_OPEN,), "settle": (DISPUTE_SETTLE,)}

    @extend_schema(responses=DisputeOut(many=True), description="Disputes of the customers the user sees; "
                   "`?customer=<id>`, `?open=1`.")
    def list(self, request):
        customer = request.query_params.get("customer")
        qs = credit_sel.dispute_list(user=request.user, customer_id=id_or_zero(customer) if customer else None,
                                     open_only=request.query_params.get("open") in ("1", "true"))
        return self.paginated(qs, DisputeOut)

    @_refused(201, response=DisputeOut, request=DisputeInput,
              description="Put an amount of an instalment in dispute (at most its open amount not yet disputed).")
    def create(self, request):
        data = self.parse(DisputeInput)
        dispute = dispute_open(actor=request.user, plan_item_id=data["plan_item"], amount=data["amount"],
                               reason=data.get("reason", ""))
        return self.render(DisputeOut, dispute, status=201)

    @_refused(response=DisputeOut, request=SettleInput, description="Settle the dispute, saying how.")
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        data = self.parse(SettleInput)
        dispute = dispute_settle(actor=request.user, dispute_id=pk, settlement=data.get("settlement", ""))
        return self.render(DisputeOut, dispute)


class DunningRunViewSet(ApiViewSet):
    required_perms = {"list": RUN_VIEW, "retrieve": RUN_VIEW, "create": (RUN,)}

    @extend_schema(responses=RunOut(many=True))
    def list(self, request):
        return self.paginated(dunning_sel.run_list(), RunOut)

    @extend_schema(responses=NoticeOut(many=True), operation_id="dunning_runs_notices",
                   description="The run's reminders (customers the user sees).")
    def retrieve(self, request, pk=None):
        run = DunningRun.objects.filter(pk=id_or_zero(pk)).first()
        if run is None:
            raise Http404(_("No such dunning run."))
        return self.paginated(dunning_sel.run_notices(user=request.user, run=run).select_related("run"), NoticeOut)

    @_refused(201, response=RunOut, request=None,
              description="Finance runs today's dunning now; 409 `dunning_already_run` when it already ran today.")
    def create(self, request):
        run = dunning_run_today(actor=request.user)
        if run is None:
            refuse(no(CreditError.DUNNING_ALREADY_RUN, _("The dunning has already run today; it runs once a day.")))
        return self.render(RunOut, run, status=201)


class DunningLevelViewSet(ApiViewSet):
    pagination_class = None  # the levels are a plain list (api_fuzz: the schema said a page)
    required_perms = {"list": ("receivables.view_dunninglevel",), "replace": (EDIT_LEVELS,)}

    @extend_schema(responses=LevelOut(many=True))
    def list(self, request):
        return self.render_many(LevelOut, dunning_sel.levels())

    @_refused(response=LevelOut(many=True), request=LevelsInput,
              description="Replace the levels (numbered in the order given; days overdue increasing; both "
                          "languages; placeholders {customer}, {amount}, {oldest_due}, {days}, {orders}, {items}, "
                          "{company}).")
    @action(detail=False, methods=["put"], url_path="replace")
    def replace(self, request):
        data = self.parse(LevelsInput)
        saved = dunning_levels_save(actor=request.user, levels=[dict(row) for row in data["levels"]])
        return self.render_many(LevelOut, saved)
