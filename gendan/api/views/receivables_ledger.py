"""The ledger part of receivables, read-only: ``/receivables/customers/{id}/ledger/`` (the
customer's ledger per currency with running balances, CNY equivalents and the balance per
order), ``/receivables/customers/{id}/statement/?start=&end=&lang=`` (the statement of account
as JSON: opening, movements, closing, open items, aging) and ``/receivables/aging/?group=&currency=``.
The same selectors and scopes as the pages: out of scope is 404, a role without receivables 403."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.receivables_ledger import (
    AgingInput,
    AgingOut,
    LedgerOut,
    StatementInput,
    StatementOut,
)
from gendan.api.views.base import ApiViewSet
from gendan.receivables.selectors.aging import aging_report
from gendan.receivables.selectors.ledger import VIEW, ledger_for
from gendan.receivables.services.statements import statement_for
from gendan.receivables.xlsx_ledger import entry_text

_ERRORS = {400: OpenApiResponse(ErrorSerializer, description="a bad period (statement_period_invalid, invalid_date)"),
           403: OpenApiResponse(ErrorSerializer, description="the role may not see receivables"),
           404: OpenApiResponse(ErrorSerializer, description="no such customer, or not one of yours")}


def _texts(entries) -> None:
    for e in entries:
        e.text = entry_text(e)


class ReceivablesCustomerViewSet(ApiViewSet):
    """A customer's ledger and statement, by the customer's id."""

    required_perms = {"ledger": (VIEW,), "statement": (VIEW,)}

    @extend_schema(responses={200: LedgerOut, **_ERRORS})
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        currency = (request.query_params.get("currency") or "").upper()[:3] or None
        ledger = ledger_for(user=request.user, customer_id=pk, currency=currency)
        for c in ledger.currencies:
            _texts(c.entries)
        return self.render(LedgerOut, ledger)

    @extend_schema(parameters=[StatementInput], responses={200: StatementOut, **_ERRORS})
    @action(detail=True, methods=["get"])
    def statement(self, request, pk=None):
        data = self.parse(StatementInput, data=request.query_params)
        statement = statement_for(user=request.user, customer_id=pk, start=data["start"], end=data["end"],
                                  language=data.get("lang"))
        for c in statement.currencies:
            _texts(c.movements)
        return self.render(StatementOut, statement)


class AgingViewSet(ApiViewSet):
    """The aging of the open instalments of the customers the user sees."""

    pagination_class = None  # one report object, not a page (api_fuzz: the schema said a page)
    one_object_list = True  # … nor an array (gendan.api.schema)
    required_perms = {"list": (VIEW,)}

    @extend_schema(parameters=[AgingInput], responses={200: AgingOut, 403: _ERRORS[403]})
    def list(self, request):
        data = self.parse(AgingInput, data=request.query_params)
        report = aging_report(user=request.user, group=data.get("group") or "customer",
                              currency=(data.get("currency") or "").upper() or None)
        return Response(AgingOut(report).data)
