from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from gendan.api.fields import IdField
from gendan.api.serializers.customers import CustomerInput, CustomerListOut, CustomerOut, CustomerUpdateInput
from gendan.api.views.base import ApiViewSet
from gendan.parties import selectors, services


class CustomerFilterInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    country = serializers.CharField(required=False, max_length=2)
    region = IdField(required=False)
    salesperson = IdField(required=False)
    merchandiser = IdField(required=False)
    active = serializers.ChoiceField(choices=["1", "0"], required=False)


@extend_schema_view(
    list=extend_schema(parameters=[CustomerFilterInput], responses=CustomerListOut),
    retrieve=extend_schema(responses=CustomerOut),
    create=extend_schema(request=CustomerInput, responses={201: CustomerOut}),
    partial_update=extend_schema(request=CustomerUpdateInput, responses=CustomerOut),
)
class CustomerViewSet(ApiViewSet):
    """Customers the user may see (their own, their team's, their region's; all for finance)."""

    required_perms = {
        "list": ("parties.view_customer",),
        "retrieve": ("parties.view_customer",),
        "create": ("parties.add_customer",),
        "partial_update": ("parties.change_customer",),
    }

    def list(self, request):
        filters = self.parse(CustomerFilterInput, data=request.query_params)
        search = filters.pop("q", "")
        return self.paginated(selectors.customer_list(user=request.user, search=search, filters=filters),
                              CustomerListOut)

    def retrieve(self, request, pk=None):
        return self.render(CustomerOut, selectors.customer_get_for_user(user=request.user, pk=pk))

    def create(self, request):
        data = self.parse(CustomerInput)
        customer = services.customer_create(actor=request.user, data=data)
        return self.render(CustomerOut, customer, status=201)

    def partial_update(self, request, pk=None):
        selectors.customer_get_for_user(user=request.user, pk=pk)  # 404 before validating, like the page
        data = dict(self.parse(CustomerUpdateInput, partial=True))
        version, reason = data.pop("version"), data.pop("reason", "")
        customer, _changes = services.customer_update(actor=request.user, customer_id=pk, data=data,
                                                      expected_version=version, reason=reason)
        return self.render(CustomerOut, selectors.customer_get_for_user(user=request.user, pk=customer.pk))
