"""Bank statements: ``/api/v1/bank-statements/`` list and import (multipart ``file`` +
``currency``), retrieve, ``/{id}/lines/`` (each line with its proposal); ``/bank-lines/{id}/``
retrieve, ``/confirm/`` (record the receipt and its allocations), ``/set-aside/`` and ``/link/``.
The same services as the pages (``receivables.services.bank``); nothing is allocated until a
person confirms a line."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.receivables_bank import (
    BankLineConfirmInput,
    BankLineFilterInput,
    BankLineOut,
    BankLineReopenInput,
    BankLineSetAsideInput,
    BankStatementImportOut,
    BankStatementOut,
    BankStatementUploadInput,
)
from gendan.api.views.base import ApiViewSet
from gendan.receivables.selectors.bank import (
    VIEW,
    line_get_for_user,
    line_proposals,
    statement_get_for_user,
    statement_lines,
    statement_list,
)
from gendan.receivables.services.bank import (
    DECIDE,
    IMPORT,
    RECORD,
    bank_line_confirm,
    bank_line_link,
    bank_line_reopen,
    bank_line_set_aside,
    bank_statement_import,
)

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="bad input: `fields` names the field or the file's rows "
                                                      "(bank_file_unreadable, bank_file_duplicate, …)"),
    403: OpenApiResponse(ErrorSerializer, description="the role may not do this"),
    409: OpenApiResponse(ErrorSerializer, description="the line was already decided (bank_line_decided)"),
}


@extend_schema_view(
    list=extend_schema(responses=BankStatementOut, description="Imported statements, newest first, 50 a page."),
    retrieve=extend_schema(responses=BankStatementOut),
    create=extend_schema(request={"multipart/form-data": BankStatementUploadInput},
                         responses={201: BankStatementImportOut, **_ERRORS},
                         description="Import a bank statement file: its credit lines are stored open. A file with "
                                     "an unknown layout or a wrong row is refused whole, every problem listed in "
                                     "`fields.file`; the same file twice is refused."),
)
class BankStatementViewSet(ApiViewSet):
    required_perms = {"list": (VIEW,), "retrieve": (VIEW,), "create": (IMPORT,), "lines": (VIEW,)}

    def list(self, request):
        return self.paginated(statement_list(user=request.user), BankStatementOut)

    def retrieve(self, request, pk=None):
        return self.render(BankStatementOut, statement_get_for_user(user=request.user, pk=pk))

    def create(self, request):
        data = self.parse(BankStatementUploadInput)
        result = bank_statement_import(actor=request.user, upload=data["file"], currency=data["currency"])
        statement = statement_get_for_user(user=request.user, pk=result.statement.pk)
        statement.debits_skipped = result.debits_skipped
        statement.other_currency_skipped = result.other_currency_skipped
        return self.render(BankStatementImportOut, statement, status=201)

    @extend_schema(parameters=[BankLineFilterInput], responses=BankLineOut(many=True),
                   description="The statement's lines, 50 a page, each open line with its proposal (customer, "
                               "allocations, bank charges, reasons in words).")
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        statement = statement_get_for_user(user=request.user, pk=pk)
        filters = self.parse(BankLineFilterInput, data=request.query_params)
        page = self.paginate_queryset(statement_lines(statement, status=filters.get("status", "")))
        context = {**self.get_serializer_context(),
                   "proposals": line_proposals(page, user=request.user, currency=statement.currency_id)}
        return self.get_paginated_response(BankLineOut(page, many=True, context=context).data)


@extend_schema_view(retrieve=extend_schema(responses=BankLineOut))
class BankLineViewSet(ApiViewSet):
    required_perms = {"retrieve": (VIEW,), "confirm": (VIEW, DECIDE, RECORD), "set_aside": (VIEW, DECIDE),
                      "link": (VIEW, DECIDE), "reopen": (VIEW, DECIDE)}

    def _answer(self, pk, status: int = 200) -> Response:
        line = line_get_for_user(user=self.request.user, pk=pk)
        context = {**self.get_serializer_context(),
                   "proposals": line_proposals([line], user=self.request.user, currency=line.statement.currency_id)}
        return Response(BankLineOut(line, context=context).data, status=status)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(request=BankLineConfirmInput, responses={200: BankLineOut, **_ERRORS},
                   description="Record the line as a receipt of `customer` with `allocations` (order id, amount in "
                               "the statement's currency) — the proposal or what finance changed. One transaction; a "
                               "refusal (over-allocation, duplicate bank reference …) saves nothing.")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        line = line_get_for_user(user=request.user, pk=pk)
        data = self.parse(BankLineConfirmInput)
        bank_line_confirm(
            actor=request.user, line_id=line.pk, customer_id=data["customer"], bank_charges=data.get("bank_charges"),
            bank_reference=data.get("bank_reference"), note=data.get("note", ""),
            allocations=[{"order_id": a["order"], "amount": a["amount"], "exchange_rate": a.get("exchange_rate")}
                         for a in data.get("allocations", [])])
        return self._answer(pk)

    @extend_schema(request=BankLineSetAsideInput, responses={200: BankLineOut, **_ERRORS},
                   description="Set the line aside with the reason (not a customer's payment).")
    @action(detail=True, methods=["post"], url_path="set-aside")
    def set_aside(self, request, pk=None):
        line = line_get_for_user(user=request.user, pk=pk)
        data = self.parse(BankLineSetAsideInput)
        bank_line_set_aside(actor=request.user, line_id=line.pk, note=data.get("note", ""))
        return self._answer(pk)

    @extend_schema(request=BankLineReopenInput, responses={200: BankLineOut, **_ERRORS},
                   description="Reopen a line set aside by mistake, with the reason; 409 `bank_line_not_set_aside` "
                               "for a line that is open or recorded as a receipt.")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        line = line_get_for_user(user=request.user, pk=pk)
        data = self.parse(BankLineReopenInput)
        bank_line_reopen(actor=request.user, line_id=line.pk, reason=data["reason"])
        return self._answer(pk)

    @extend_schema(request=None, responses={200: BankLineOut, **_ERRORS},
                   description="Mark the line as recorded by the receipt that already has its bank reference.")
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        line = line_get_for_user(user=request.user, pk=pk)
        bank_line_link(actor=request.user, line_id=line.pk)
        return self._answer(pk)
