"""A change order's re-issued versions of production orders and purchase orders, and the
factory's / supplier's re-acknowledgement: ``GET /production-orders/{id}/versions/``,
``POST /production-orders/{id}/reacknowledge/`` and ``/refuse-reack/``, and the same under
``/purchase-orders/{id}/`` — the pages' services (``production.services.versions``,
``purchasing.services.versions``) with their permission, scope, guard and version."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from gendan.api.fields import BusinessDateField, IdField
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.views.base import ApiViewSet
from gendan.production.selectors import production_order_get_for_user
from gendan.production.selectors_versions import versions_of as production_versions
from gendan.production.services import versions as production_services
from gendan.purchasing.selectors import purchase_order_get_for_user
from gendan.purchasing.selectors_versions import versions_of as purchase_versions
from gendan.purchasing.services import versions as purchase_services


class ChangeOut(serializers.Serializer):
    line = serializers.IntegerField(help_text="0: the whole order")
    field = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class VersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField()
    changes = ChangeOut(many=True)
    text = serializers.SerializerMethodField(help_text="the changes in the caller's language, one line each")
    created_at = serializers.DateTimeField()
    email_sent_at = serializers.DateTimeField(allow_null=True)
    sent_to = serializers.CharField()
    email_error = serializers.CharField()
    reack_status = serializers.CharField(help_text="awaiting, refused, accepted or superseded")
    reack_at = serializers.DateTimeField(allow_null=True)
    reack_reason = serializers.CharField()

    def get_text(self, obj) -> list[str]:
        return self.context["change_lines"](obj.changes)


class ProductionVersionOut(VersionOut):
    revision_no = serializers.IntegerField(allow_null=True)
    committed_due_date = serializers.DateField(allow_null=True)


class PurchaseVersionOut(VersionOut):
    new_eta = serializers.DateField(allow_null=True)


class VersionsOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    doc_version = serializers.IntegerField()
    version = serializers.IntegerField(help_text="the record's version, for the next POST")


class ProductionVersionsOut(VersionsOut):
    versions = ProductionVersionOut(many=True)


class PurchaseVersionsOut(VersionsOut):
    versions = PurchaseVersionOut(many=True)


class ProductionReackInput(serializers.Serializer):
    version = IdField(required=False)
    committed_due_date = BusinessDateField(required=False, allow_null=True, default=None,
                                           help_text="the factory's new committed date, if it moved; not in the past "
                                                     "(`date_in_past`)")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PurchaseReackInput(serializers.Serializer):
    version = IdField(required=False)
    new_eta = BusinessDateField(required=False, allow_null=True, default=None,
                                help_text="the changed lines' new ETA, if it moved; not in the past "
                                          "(`date_in_past`)")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RefuseInput(serializers.Serializer):
    version = IdField(required=False)
    reason = serializers.CharField(max_length=300)


def _schema(request, response):
    return extend_schema(request=request, responses={
        200: response, 409: OpenApiResponse(ErrorSerializer, description="nothing waits for a re-acknowledgement, "
                                                                          "or a stale version (conflict)")})


class _Versions(ApiViewSet):
    out = ProductionVersionsOut
    change_lines = staticmethod(production_services.change_lines)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "change_lines": self.change_lines}

    def _page(self, obj, versions):
        return self.render(self.out, {"id": obj.pk, "number": obj.number, "status": obj.status,
                                      "doc_version": obj.doc_version, "version": obj.version, "versions": versions})


class ProductionOrderVersionViewSet(_Versions):
    required_perms = {"versions": ("production.view_productionorder",),
                      "reacknowledge": ("production.change_productionorder",),
                      "refuse_reack": ("production.change_productionorder",)}

    def _get(self, pk):
        return production_order_get_for_user(user=self.request.user, pk=pk)

    @extend_schema(responses=ProductionVersionsOut, description="The re-issued versions, newest first.")
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        production_order = self._get(pk)
        return self._page(production_order, production_versions(production_order))

    @_schema(ProductionReackInput, ProductionVersionsOut)
    @action(detail=True, methods=["post"])
    def reacknowledge(self, request, pk=None):
        data = self.parse(ProductionReackInput)
        production_services.production_order_reacknowledge(
            actor=request.user, production_order_id=self._get(pk).pk, committed_due_date=data["committed_due_date"],
            note=data["note"], expected_version=data.get("version"))
        return self.versions(request, pk)

    @_schema(RefuseInput, ProductionVersionsOut)
    @action(detail=True, methods=["post"], url_path="refuse-reack")
    def refuse_reack(self, request, pk=None):
        data = self.parse(RefuseInput)
        production_services.production_order_reack_refuse(
            actor=request.user, production_order_id=self._get(pk).pk, reason=data["reason"],
            expected_version=data.get("version"))
        return self.versions(request, pk)


class PurchaseOrderVersionViewSet(_Versions):
    out = PurchaseVersionsOut
    change_lines = staticmethod(purchase_services.change_lines)
    required_perms = {"versions": ("purchasing.view_purchaseorder",),
                      "reacknowledge": ("purchasing.change_purchaseorder",),
                      "refuse_reack": ("purchasing.change_purchaseorder",)}

    def _get(self, pk):
        return purchase_order_get_for_user(user=self.request.user, pk=pk)

    @extend_schema(responses=PurchaseVersionsOut, description="The re-issued versions, newest first.")
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        purchase_order = self._get(pk)
        return self._page(purchase_order, purchase_versions(purchase_order))

    @_schema(PurchaseReackInput, PurchaseVersionsOut)
    @action(detail=True, methods=["post"])
    def reacknowledge(self, request, pk=None):
        data = self.parse(PurchaseReackInput)
        purchase_services.purchase_order_reacknowledge(
            actor=request.user, purchase_order_id=self._get(pk).pk, new_eta=data["new_eta"], note=data["note"],
            expected_version=data.get("version"))
        return self.versions(request, pk)

    @_schema(RefuseInput, PurchaseVersionsOut)
    @action(detail=True, methods=["post"], url_path="refuse-reack")
    def refuse_reack(self, request, pk=None):
        data = self.parse(RefuseInput)
        purchase_services.purchase_order_reack_refuse(
            actor=request.user, purchase_order_id=self._get(pk).pk, reason=data["reason"],
            expected_version=data.get("version"))
        return self.versions(request, pk)
