"""Suppliers through the API: the supplier list (the page's filters), one supplier with its
contacts, create and edit — each through ``parties.services`` (permission, code rules, the
credit code's check, the version under the row lock), like the supplier pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from gendan.api.serializers.suppliers import (
    SupplierFilterInput,
    SupplierInput,
    SupplierListOut,
    SupplierOut,
    SupplierUpdateInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.api.views.orders import _action_schema
from gendan.parties import selectors, services


@extend_schema_view(
    list=extend_schema(parameters=[SupplierFilterInput], responses=SupplierListOut,
                       description="Suppliers, by code; filters as on the supplier list page."),
    retrieve=extend_schema(responses=SupplierOut),
    create=_action_schema(SupplierInput, response=SupplierOut, status=201,
                          description="A new supplier; without `code` it is numbered. 400 `duplicate_code`, "
                                      "`validation_failed` (e.g. a credit code failing its GB 32100 check)."),
    partial_update=_action_schema(SupplierUpdateInput, response=SupplierOut,
                                  description="Edit a supplier. `version` is required: a stale one is refused with "
                                              "409 and nothing changes."),
)
class SupplierViewSet(ApiViewSet):
    """Suppliers: every role that may see suppliers sees all of them (``parties.selectors.supplier_queryset``)."""

    required_perms = {
        "list": ("parties.view_supplier",),
        "retrieve": ("parties.view_supplier",),
        "create": ("parties.add_supplier",),
        "partial_update": ("parties.change_supplier",),
    }

    def list(self, request):
        filters = dict(self.parse(SupplierFilterInput, data=request.query_params))
        search = filters.pop("q", "")
        return self.paginated(selectors.supplier_list(user=request.user, search=search, filters=filters),
                              SupplierListOut)

    def retrieve(self, request, pk=None):
        return self.render(SupplierOut, selectors.supplier_get_for_user(user=request.user, pk=pk))

    def create(self, request):
        data = self.parse(SupplierInput)
        supplier = services.supplier_create(actor=request.user, data=data)
        return self.render(SupplierOut, selectors.supplier_get_for_user(user=request.user, pk=supplier.pk),
                           status=201)

    def partial_update(self, request, pk=None):
        selectors.supplier_get_for_user(user=request.user, pk=pk)  # 404 before validating, like the page
        data = dict(self.parse(SupplierUpdateInput, partial=True))
        version, reason = data.pop("version"), data.pop("reason", "")
        supplier, _changes = services.supplier_update(actor=request.user, supplier_id=int(pk), data=data,
                                                      expected_version=version, reason=reason)
        return self.render(SupplierOut, selectors.supplier_get_for_user(user=request.user, pk=supplier.pk))
