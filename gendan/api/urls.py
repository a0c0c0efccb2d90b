"""The JSON API, version 1 (docs/api.md). The schema is at schema/, a browsable page at docs/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from gendan.api.errors import unknown_url
from gendan.api.views.auth import MeView, TokenView
from gendan.api.views.bills import BillViewSet, ShipmentBillViewSet
from gendan.api.views.credits import CreditViewSet
from gendan.api.views.customers import CustomerViewSet
from gendan.api.views.dispatch import CertificateViewSet, DispatchViewSet, ShipmentDispatchViewSet
from gendan.api.views.document_checks import DocumentCheckSlashView, DocumentCheckView
from gendan.api.views.export_documents import ShipmentDocumentsViewSet
from gendan.api.views.milestones import MilestoneViewSet
from gendan.api.views.orders import OrderViewSet
from gendan.api.views.production import ProductionOrderViewSet
from gendan.api.views.products import ProductViewSet
from gendan.api.views.purchasing import MaterialRequirementViewSet, PurchaseOrderViewSet
from gendan.api.views.quotations import QuotationViewSet
from gendan.api.views.receipts import ReceiptViewSet
from gendan.api.views.shipments import BookingViewSet, ShipmentViewSet
from gendan.api.views.shipping_plan import ShipmentPlanViewSet
from gendan.api.views.warehouse import ContainerViewSet, GoodsReceiptViewSet, ShipmentWarehouseViewSet

app_name = "api"

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("products", ProductViewSet, basename="product")
router.register("quotations", QuotationViewSet, basename="quotation")
router.register("orders", OrderViewSet, basename="order")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("production-orders", ProductionOrderViewSet, basename="production-order")
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("material-requirements", MaterialRequirementViewSet, basename="material-requirement")
router.register("shipments", ShipmentViewSet, basename="shipment")
router.register("bookings", BookingViewSet, basename="booking")
# /shipments/{id}/bill/ and /shipments/{id}/advice/ beside the shipments' list and detail
router.register("shipments", ShipmentBillViewSet, basename="shipment-bill")
router.register("bills", BillViewSet, basename="bill")
# /shipments/plan/ and /shipments/{id}/plan/, /cancel/, /notices/: the shipping plan (views.shipping_plan)
router.register("shipments", ShipmentPlanViewSet, basename="shipment-plan")
# /goods-receipts/, /containers/{id}/ and /shipments/{id}/containers/, /depart/, /loading-plan/: the
# warehouse (views.warehouse)
router.register("goods-receipts", GoodsReceiptViewSet, basename="goods-receipt")
router.register("containers", ContainerViewSet, basename="container")
router.register("shipments", ShipmentWarehouseViewSet, basename="shipment-warehouse")
# /shipments/{id}/documents/ and /shipments/{id}/documents/generate/: the export document set (views.export_documents)
router.register("shipments", ShipmentDocumentsViewSet, basename="shipment-documents")
# /shipments/{id}/document-check/, /discrepancy-acceptances/, /dispatches/, /certificates/; /dispatches/{id}/result/,
# /certificates/{id}/apply/, /receive/, /check/: the set's check and its dispatch (views.dispatch)
router.register("shipments", ShipmentDispatchViewSet, basename="shipment-dispatch")
router.register("dispatches", DispatchViewSet, basename="dispatch")
router.register("certificates", CertificateViewSet, basename="certificate")
# /credits/ and /credits/{id}/examine/, /cancel/, /amendments/, /amendments/receive/,
# /amendments/{id}/accept|refuse/: letters of credit (views.credits)
router.register("credits", CreditViewSet, basename="credit")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # the document check (issue 13 writes it without the slash; both are answered)
    path("document-checks", DocumentCheckView.as_view(), name="document-checks"),
    path("document-checks/", DocumentCheckSlashView.as_view(), name="document-checks-slash"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", unknown_url, name="unknown"),
]

# The catch-all above stops at a line break (`.`): a path with one (an id like "7\n") is also
# the API's JSON 404, not the site's HTML page (api_fuzz).
urlpatterns.append(re_path(r"^(?P<path>[\s\S]*)$", unknown_url, name="unknown-any"))

# /rebates/ and /rebates/{id}/check|file|receive|chase/, /order-profits/{order id}/, /profit-report/: tax rebates
# and order profit (views.payables_rebates); inserted before the catch-all.
from gendan.api.views.payables_rebates import OrderProfitViewSet, ProfitReportView, RebateViewSet  # noqa: E402

_rebates_router = SimpleRouter()
_rebates_router.register("rebates", RebateViewSet, basename="rebate")
_rebates_router.register("order-profits", OrderProfitViewSet, basename="order-profit")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_rebates_router.urls)))
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("profit-report/", ProfitReportView.as_view(), name="profit-report"))

# /bank-statements/ (list, import), /bank-statements/{id}/lines/, /bank-lines/{id}/ and /bank-lines/{id}/confirm|
# set-aside|link/: receipts from the bank's statement (views.receivables_bank); inserted before the catch-all.
from gendan.api.views.receivables_bank import BankLineViewSet, BankStatementViewSet  # noqa: E402

_bank_router = SimpleRouter()
_bank_router.register("bank-statements", BankStatementViewSet, basename="bank-statement")
_bank_router.register("bank-lines", BankLineViewSet, basename="bank-line")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_bank_router.urls)))

# /supplier-invoices/ and /supplier-invoices/{id}/cancel|vat-invoices|payments/, /supplier-statements/ and
# /supplier-statements/{id}/reply|send|disputes/{id}/settle/: payables, invoices part (views.payables); inserted
# before the catch-all.
from gendan.api.views.payables import SupplierInvoiceViewSet, SupplierStatementViewSet  # noqa: E402

_payables_router = SimpleRouter()
_payables_router.register("supplier-invoices", SupplierInvoiceViewSet, basename="supplier-invoice")
_payables_router.register("supplier-statements", SupplierStatementViewSet, basename="supplier-statement")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_payables_router.urls)))

# Receivables, dunning and credit (views.receivables_credit): /customer-credit/{customer_id}/ and its
# /limit/, /hold/, /lift/; /credit-approvals/; /disputes/ and /disputes/{id}/settle/; /dunning-runs/;
# /dunning-levels/ and /dunning-levels/replace/
from gendan.api.views.receivables_credit import (  # noqa: E402
    CreditApprovalViewSet,
    CustomerCreditViewSet,
    DisputeViewSet,
    DunningLevelViewSet,
    DunningRunViewSet,
)

_credit_router = SimpleRouter()
_credit_router.register("customer-credit", CustomerCreditViewSet, basename="customer-credit")
_credit_router.register("credit-approvals", CreditApprovalViewSet, basename="credit-approval")
_credit_router.register("disputes", DisputeViewSet, basename="dispute")
_credit_router.register("dunning-runs", DunningRunViewSet, basename="dunning-run")
_credit_router.register("dunning-levels", DunningLevelViewSet, basename="dunning-level")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_credit_router.urls)))

# Receivables, ledger part (views.receivables_ledger): /receivables/customers/{id}/ledger/ and /statement/,
# /receivables/aging/ — read-only, the pages' selectors and scopes; inserted before the catch-all.
from gendan.api.views.receivables_ledger import AgingViewSet, ReceivablesCustomerViewSet  # noqa: E402

_ledger_router = SimpleRouter()
_ledger_router.register("receivables/customers", ReceivablesCustomerViewSet, basename="receivables-customer")
_ledger_router.register("receivables/aging", AgingViewSet, basename="receivables-aging")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_ledger_router.urls)))

# Suppliers, samples, first articles, inspections, production progress and exceptions, communications,
# meetings and their action items (views.suppliers, views.quality, views.planning, views.tracking_comms): the
# pages' services and scopes; inserted before the catch-all.
from gendan.api.views.planning import ProductionExceptionViewSet, ProductionProgressViewSet  # noqa: E402
from gendan.api.views.quality import FirstArticleViewSet, InspectionViewSet, SampleViewSet  # noqa: E402
from gendan.api.views.suppliers import SupplierViewSet  # noqa: E402
from gendan.api.views.tracking_comms import ActionItemViewSet, CommunicationViewSet, MeetingViewSet  # noqa: E402

_work_router = SimpleRouter()
_work_router.register("suppliers", SupplierViewSet, basename="supplier")
_work_router.register("samples", SampleViewSet, basename="sample")
_work_router.register("first-articles", FirstArticleViewSet, basename="first-article")
_work_router.register("inspections", InspectionViewSet, basename="inspection")
_work_router.register("production-progress", ProductionProgressViewSet, basename="production-progress")
_work_router.register("production-exceptions", ProductionExceptionViewSet, basename="production-exception")
_work_router.register("communications", CommunicationViewSet, basename="communication")
_work_router.register("meetings", MeetingViewSet, basename="meeting")
_work_router.register("action-items", ActionItemViewSet, basename="action-item")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_work_router.urls)))

# /production-orders/{id}/versions/, /reacknowledge/, /refuse-reack/ and the same under /purchase-orders/{id}/: a change
# order's re-issued versions and the factory's / supplier's re-acknowledgement (views.reack); before the catch-all.
from gendan.api.views.reack import ProductionOrderVersionViewSet, PurchaseOrderVersionViewSet  # noqa: E402

_reack_router = SimpleRouter()
_reack_router.register("production-orders", ProductionOrderVersionViewSet, basename="production-order-version")
_reack_router.register("purchase-orders", PurchaseOrderVersionViewSet, basename="purchase-order-version")
urlpatterns.insert(next(i for i, p in enumerate(urlpatterns) if getattr(p, "name", "") == "unknown"),
                   path("", include(_reack_router.urls)))
