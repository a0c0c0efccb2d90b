"""Supplier invoices, VAT invoices, payments to suppliers and supplier statements:

- ``/supplier-invoices/`` list (the list page's filters) and create; ``/{id}/``; ``/{id}/cancel/``;
  ``/{id}/vat-invoices/`` (list, record); ``/{id}/payments/`` (list, record — finance only);
- ``/supplier-statements/`` list and issue (again: reissue); ``/{id}/``; ``/{id}/reply/``;
  ``/{id}/send/``; ``/{id}/disputes/{dispute id}/settle/``.

Each action parses its body and calls one service of ``payables.services`` (rules, validation
and versions are checked there)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action

from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.payables import (
    PaymentInput,
    ReasonInput,
    SettleInput,
    StatementFilterInput,
    StatementIssueInput,
    StatementReplyInput,
    SupplierInvoiceDetailOut,
    SupplierInvoiceFilterInput,
    SupplierInvoiceInput,
    SupplierInvoiceOut,
    SupplierPaymentOut,
    SupplierStatementOut,
    VatInvoiceInput,
    VatInvoiceOut,
)
from gendan.api.views.base import ApiViewSet
from gendan.core.guards import parse_id
from gendan.payables.selectors.invoices import invoice_get, invoice_list
from gendan.payables.selectors.statements import statement_get, statement_list
from gendan.payables.services.invoices import (
    ADD,
    ADD_VAT,
    CHANGE,
    supplier_invoice_cancel,
    supplier_invoice_record,
    vat_invoice_record,
)
from gendan.payables.services.payments import PAY, supplier_payment_record
from gendan.payables.services.statements import (
    ISSUE,
    REPLY,
    SETTLE,
    dispute_settle,
    statement_issue,
    statement_reply,
    statement_send,
)

VIEW = ("payables.view_supplierinvoice",)
VIEW_STATEMENT = ("payables.view_supplierstatement",)


def _refused(status: int = 200, response=SupplierInvoiceDetailOut, **kwargs):
    return extend_schema(responses={
        status: response,
        400: OpenApiResponse(ErrorSerializer, description="bad input, the field named (invoice_above_cost, "
                                                          "payment_above_invoice, vat_number_taken, "
                                                          "statement_month_open, …)"),
        403: OpenApiResponse(ErrorSerializer, description="the role may not (payments: finance only)"),
        409: OpenApiResponse(ErrorSerializer, description="state, a stale version, or balance_before_goods"),
    }, **kwargs)


@extend_schema_view(
    list=extend_schema(parameters=[SupplierInvoiceFilterInput], responses=SupplierInvoiceOut,
                       description="Supplier invoices, newest first, 50 a page."),
    retrieve=extend_schema(responses=SupplierInvoiceDetailOut),
    create=_refused(201, request=SupplierInvoiceInput, description="Record a supplier invoice."),
)
class SupplierInvoiceViewSet(ApiViewSet):
    required_perms = {"list": VIEW, "retrieve": VIEW, "create": (ADD,), "cancel": (CHANGE,),
                      "vat_invoices.get": VIEW, "vat_invoices.post": (ADD_VAT,), "payments.get": VIEW,
                      "payments.post": (PAY,)}

    def _answer(self, pk, status: int = 200):
        return self.render(SupplierInvoiceDetailOut, invoice_get(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        filters = self.parse(SupplierInvoiceFilterInput, data=request.query_params)
        qs = invoice_list(user=request.user, filters=filters, today=timezone.localdate()).order_by(
            "-invoice_date", "-pk")
        return self.paginated(qs, SupplierInvoiceOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        data = self.parse(SupplierInvoiceInput)
        invoice = supplier_invoice_record(actor=request.user, data=data)
        return self._answer(invoice.pk, status=201)

    @_refused(request=ReasonInput, description="Cancel an invoice nothing was paid on, with the reason.")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        invoice = invoice_get(user=request.user, pk=pk)
        data = self.parse(ReasonInput)
        supplier_invoice_cancel(actor=request.user, invoice_id=invoice.pk, reason=data.get("reason", ""),
                                version=data.get("version"))
        return self._answer(pk)

    @extend_schema(methods=["GET"], responses=VatInvoiceOut(many=True))
    @_refused(201, response=VatInvoiceOut, methods=["POST"], request=VatInvoiceInput,
              description="Record a VAT special invoice (增值税专用发票) received for the invoice.")
    @action(detail=True, methods=["get", "post"], url_path="vat-invoices", pagination_class=None)
    def vat_invoices(self, request, pk=None):
        invoice = invoice_get(user=request.user, pk=pk)
        if request.method == "POST":
            vat = vat_invoice_record(actor=request.user, invoice_id=invoice.pk, data=self.parse(VatInvoiceInput))
            return self.render(VatInvoiceOut, vat, status=201)
        return self.render_many(VatInvoiceOut, invoice.vat_invoices.all())

    @extend_schema(methods=["GET"], responses=SupplierPaymentOut(many=True))
    @_refused(201, response=SupplierPaymentOut, methods=["POST"], request=PaymentInput,
              description="Record a payment (finance only): at most the open amount; a factory's balance after "
                          "its goods passed final inspection and were received, or with `override_reason`.")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def payments(self, request, pk=None):
        invoice = invoice_get(user=request.user, pk=pk)
        if request.method == "POST":
            data = dict(self.parse(PaymentInput))
            version = data.pop("version", None)
            payment = supplier_payment_record(actor=request.user, invoice_id=invoice.pk, data=data, version=version)
            return self.render(SupplierPaymentOut, payment, status=201)
        return self.render_many(SupplierPaymentOut, invoice.payments.all())


@extend_schema_view(
    list=extend_schema(parameters=[StatementFilterInput], responses=SupplierStatementOut,
                       description="Live supplier statements (not superseded), newest month first."),
    retrieve=extend_schema(responses=SupplierStatementOut),
    create=_refused(201, response=SupplierStatementOut, request=StatementIssueInput,
                    description="Issue the statement of a supplier for a month (again: reissue)."),
)
class SupplierStatementViewSet(ApiViewSet):
    required_perms = {"list": VIEW_STATEMENT, "retrieve": VIEW_STATEMENT, "create": (ISSUE,), "reply": (REPLY,),
                      "send": (ISSUE,), "settle": (SETTLE,)}

    def _answer(self, pk, status: int = 200):
        return self.render(SupplierStatementOut, statement_get(user=self.request.user, pk=pk), status=status)

    def list(self, request):
        filters = self.parse(StatementFilterInput, data=request.query_params)
        return self.paginated(statement_list(user=request.user, filters=filters).prefetch_related("disputes"),
                              SupplierStatementOut)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def create(self, request):
        data = self.parse(StatementIssueInput)
        statement = statement_issue(actor=request.user, supplier_id=data["supplier"], month=data["month"],
                                    currency=data.get("currency", "CNY"), send=data.get("send", False))
        return self._answer(statement.pk, status=201)

    @_refused(response=SupplierStatementOut, request=StatementReplyInput,
              description="Record the supplier's reply: confirmed (only once the month has ended, and no disputed "
                          "line open) or disputed with `disputes` [{line_ref, amount, reason}].")
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        statement = statement_get(user=request.user, pk=pk)
        data = self.parse(StatementReplyInput)
        statement_reply(actor=request.user, statement_id=statement.pk, outcome=data["outcome"],
                        note=data.get("note", ""), disputes=data.get("disputes") or [])
        return self._answer(pk)

    @_refused(response=SupplierStatementOut, request=None,
              description="E-mail the statement (PDF and Excel) to the supplier.")
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        statement = statement_get(user=request.user, pk=pk)
        statement_send(actor=request.user, statement_id=statement.pk)
        return self._answer(pk)

    @_refused(response=SupplierStatementOut, request=SettleInput, description="Settle a disputed line.")
    @action(detail=True, methods=["post"], url_path=r"disputes/(?P<dispute_pk>\d+)/settle")
    def settle(self, request, pk=None, dispute_pk=None):
        statement = statement_get(user=request.user, pk=pk)
        dispute = statement.disputes.filter(pk=parse_id(dispute_pk) or 0).first()
        if dispute is None:
            raise Http404("No such disputed line.")
        data = self.parse(SettleInput)
        dispute_settle(actor=request.user, dispute_id=dispute.pk, settlement=data.get("settlement", ""))
        return self._answer(pk)
