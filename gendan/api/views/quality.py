"""Samples, first articles and inspections through the API: the lists (the pages' filters,
scoped to the orders the user sees), one record with its ``allowed_actions``, and one POST per
action of the quality pages — each calls the page's service in ``quality.services``
(permission, scope, workflow table, guard and version under the row lock), so a refusal is the
page's refusal with its code."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.quality import (
    FirstArticleChecksInput,
    FirstArticleCreateInput,
    FirstArticleFilterInput,
    FirstArticleListOut,
    FirstArticleOut,
    FirstArticleSignInput,
    InspectionBookInput,
    InspectionFilterInput,
    InspectionListOut,
    InspectionOut,
    InspectionResultInput,
    QualityReasonInput,
    SampleCreateInput,
    SampleFilterInput,
    SampleListOut,
    SampleOut,
    SampleReceiveInput,
    SampleSendInput,
    SampleSignInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.quality import services
from gendan.quality.selectors import (
    first_article_get_for_user,
    first_article_queryset,
    inspection_get_for_user,
    inspection_queryset,
    sample_get_for_user,
    sample_queryset,
)

ORDERS = ("sales.view_salesorder",)


def _step(request, response, status: int = 200, **kwargs):
    return extend_schema(request=request, responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="wrong input; `fields` names it (validation_failed, "
                                                          "reason_required, invalid_date, defects_exceed_sample …)"),
        409: OpenApiResponse(ErrorSerializer, description="refused by the workflow (transition_not_allowed), a rule "
                                                          "(checklist_incomplete, checklist_failed, already_signed, "
                                                          "already_open, already_booked, not_open, not_received, "
                                                          "order_not_open …) or a stale version (conflict)"),
    }, **kwargs)


# --- samples ------------------------------------------------------------------------------


def _sample_list_queryset(user):
    return sample_queryset(user).order_by("-id")


@extend_schema_view(
    list=extend_schema(parameters=[SampleFilterInput], responses=SampleListOut,
                       description="Samples of the orders the user may see, newest first."),
    retrieve=extend_schema(responses=SampleOut),
    create=_step(SampleCreateInput, SampleOut, status=201,
                 description="Request a sample of a confirmed order that has not shipped (optionally for one of "
                             "its production orders), needed by a date."),
)
class SampleViewSet(ApiViewSet):
    required_perms = {"list": ("quality.view_sample",), "retrieve": ("quality.view_sample",),
                      "create": (*ORDERS, "quality.add_sample"), "send": ("quality.change_sample",),
                      "receive": ("quality.change_sample",), "sign": ("quality.view_sample",),
                      "cancel": ("quality.change_sample",)}

    def _answer(self, pk, status: int = 200):
        return self.render(SampleOut, sample_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        f = self.parse(SampleFilterInput, data=request.query_params)
        qs = _sample_list_queryset(request.user)
        for key, lookup in (("order", "sales_order_id"), ("production_order", "production_order_id"),
                            ("status", "status"), ("kind", "kind")):
            if f.get(key):
                qs = qs.filter(**{lookup: f[key]})
        return self.paginated(qs, SampleListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        d = self.parse(SampleCreateInput)
        sample = services.sample_request(
            actor=request.user, order_id=d["order"], kind=d["kind"], quantity=d["quantity"],
            requested_on=d["requested_on"], description=d["description"], production_order_id=d.get("production_order"),
            needs_engineering=d["needs_engineering"])
        return self._answer(sample.pk, status=201)

    @_step(SampleSendInput, SampleOut, description="Send the sample (its next round after a rejection). A shipping "
           "sample before a passed final inspection is sent with the detail's `warning`.")
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        sample_get_for_user(user=request.user, pk=pk)
        d = self.parse(SampleSendInput)
        services.sample_send(actor=request.user, sample_id=int(pk), sent_on=d["sent_on"], courier=d["courier"],
                             tracking_no=d["tracking_no"], expected_version=d.get("version"))
        return self._answer(pk)

    @_step(SampleReceiveInput, SampleOut, description="The round was received: comments are due within three "
           "working days.")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        sample_get_for_user(user=request.user, pk=pk)
        d = self.parse(SampleReceiveInput)
        services.sample_receive(actor=request.user, sample_id=int(pk), received_on=d["received_on"],
                                comments=d["comments"], expected_version=d.get("version"))
        return self._answer(pk)

    @_step(SampleSignInput, SampleOut, description="A department signs off the received round: one rejection "
           "rejects the sample, sales and QC (and engineering where needed) approve it. Each department by the "
           "role that signs for it (403 otherwise).")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        sample_get_for_user(user=request.user, pk=pk)
        d = self.parse(SampleSignInput)
        services.sample_sign(actor=request.user, sample_id=int(pk), department=d["department"],
                             verdict=d["verdict"], comment=d["comment"], expected_version=d.get("version"))
        return self._answer(pk)

    @_step(QualityReasonInput, SampleOut, description="Cancel a sample no longer needed, with the reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        sample_get_for_user(user=request.user, pk=pk)
        d = self.parse(QualityReasonInput)
        services.sample_cancel(actor=request.user, sample_id=int(pk), reason=d["reason"],
                               expected_version=d.get("version"))
        return self._answer(pk)


# --- first articles -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[FirstArticleFilterInput], responses=FirstArticleListOut,
                       description="First articles (首件确认) of the orders the user may see, newest first."),
    retrieve=extend_schema(responses=FirstArticleOut),
    create=_step(FirstArticleCreateInput, FirstArticleOut, status=201,
                 description="Open a first article of an open production order with its checklist (the next "
                             "round after a rejected one); 409 `already_open`, `not_open`."),
)
class FirstArticleViewSet(ApiViewSet):
    required_perms = {"list": ("quality.view_firstarticle",), "retrieve": ("quality.view_firstarticle",),
                      "create": ("production.view_productionorder", "quality.add_firstarticle"),
                      "checks": ("quality.change_firstarticle",), "sign": ("quality.view_firstarticle",),
                      "reject": ("quality.view_firstarticle",)}

    def _answer(self, pk, status: int = 200):
        return self.render(FirstArticleOut, first_article_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        f = self.parse(FirstArticleFilterInput, data=request.query_params)
        qs = first_article_queryset(request.user).order_by("-id")
        for key, lookup in (("order", "sales_order_id"), ("production_order", "production_order_id"),
                            ("status", "status")):
            if f.get(key):
                qs = qs.filter(**{lookup: f[key]})
        return self.paginated(qs, FirstArticleListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        d = self.parse(FirstArticleCreateInput)
        first_article = services.first_article_create(actor=request.user, production_order_id=d["production_order"],
                                                      topics=d.get("topics") or (), requirements=d["requirements"])
        return self._answer(first_article.pk, status=201)

    @_step(FirstArticleChecksInput, FirstArticleOut, description="Record the checks' results (pass / fail / na; a "
           "failure with what is wrong) while nobody has signed.")
    @action(detail=True, methods=["post"])
    def checks(self, request, pk=None):
        first_article = first_article_get_for_user(user=request.user, pk=pk)
        d = self.parse(FirstArticleChecksInput)
        items = {item.pk for item in first_article.items.all()}
        unknown = {f"results[{i}].item": [serializers.PrimaryKeyRelatedField.default_error_messages[
            "does_not_exist"].format(pk_value=row["item"])] for i, row in enumerate(d["results"])
            if row["item"] not in items}
        if unknown:
            raise serializers.ValidationError(unknown)
        services.first_article_check_items(
            actor=request.user, first_article_id=first_article.pk,
            results={row["item"]: (row["result"], row["comment"]) for row in d["results"]},
            expected_version=d.get("version"))
        return self._answer(pk)

    @_step(FirstArticleSignInput, FirstArticleOut, description="QC or sales signs the checked first article "
           "(`side`, by the role that signs for it); with both signatures it is approved and mass production may "
           "start. 409 `checklist_incomplete`, `checklist_failed`, `already_signed`.")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        first_article_get_for_user(user=request.user, pk=pk)
        d = self.parse(FirstArticleSignInput)
        services.first_article_sign(actor=request.user, first_article_id=int(pk), side=d["side"],
                                    expected_version=d.get("version"))
        return self._answer(pk)

    @_step(QualityReasonInput, FirstArticleOut, description="QC or sales rejects the first article, saying what is "
           "wrong; the next round is a new first article.")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        first_article_get_for_user(user=request.user, pk=pk)
        d = self.parse(QualityReasonInput)
        services.first_article_reject(actor=request.user, first_article_id=int(pk), reason=d["reason"],
                                      expected_version=d.get("version"))
        return self._answer(pk)


# --- inspections --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[InspectionFilterInput], responses=InspectionListOut,
                       description="Inspections of the orders the user may see, latest inspection date first."),
    retrieve=extend_schema(responses=InspectionOut),
    create=_step(InspectionBookInput, InspectionOut, status=201,
                 description="Book an inline or final inspection of a confirmed order: the sampling plan is fixed "
                             "now from the customer's AQLs; everyone concerned is emailed."),
)
class InspectionViewSet(ApiViewSet):
    required_perms = {"list": ("quality.view_inspection",), "retrieve": ("quality.view_inspection",),
                      "create": (*ORDERS, "quality.add_inspection"),
                      "result": ("quality.view_inspection", "quality.record_inspection_result"),
                      "cancel": ("quality.change_inspection",)}

    def _answer(self, pk, status: int = 200):
        return self.render(InspectionOut, inspection_get_for_user(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        f = self.parse(InspectionFilterInput, data=request.query_params)
        qs = inspection_queryset(request.user).order_by("-planned_on", "-id")
        if f.get("q", "").strip():
            q = f["q"].strip()
            qs = qs.filter(Q(number__icontains=q) | Q(sales_order__number__icontains=q)
                           | Q(sales_order__customer_po_no__icontains=q) | Q(inspector__icontains=q))
        for key, lookup in (("status", "status"), ("kind", "kind"), ("order", "sales_order_id"),
                            ("date_from", "planned_on__gte"), ("date_to", "planned_on__lte")):
            if f.get(key):
                qs = qs.filter(**{lookup: f[key]})
        return self.paginated(qs, InspectionListOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        d = self.parse(InspectionBookInput)
        inspection = services.inspection_book(
            actor=request.user, order_id=d["order"], kind=d["kind"], party=d["party"], inspector=d["inspector"],
            planned_on=d["planned_on"], lot_size=d["lot_size"], production_order_ids=d["production_orders"])
        return self._answer(inspection.pk, status=201)

    @_step(InspectionResultInput, InspectionOut, description="QC enters what the inspection found; each defect "
           "class against its Ac decides pass or fail. A failed one books its re-inspection (`reinspections`), a "
           "passed final inspection opens the order's shipment gate.")
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        inspection_get_for_user(user=request.user, pk=pk)
        d = self.parse(InspectionResultInput)
        services.inspection_record_result(
            actor=request.user, inspection_id=int(pk), inspected_on=d["inspected_on"], critical=d["critical"],
            major=d["major"], minor=d["minor"], notes=d["notes"], reinspection_on=d.get("reinspection_on"),
            expected_version=d.get("version"))
        return self._answer(pk)

    @_step(QualityReasonInput, InspectionOut, description="Cancel a booked inspection, with the reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        inspection_get_for_user(user=request.user, pk=pk)
        d = self.parse(QualityReasonInput)
        services.inspection_cancel(actor=request.user, inspection_id=int(pk), reason=d["reason"],
                                   expected_version=d.get("version"))
        return self._answer(pk)



