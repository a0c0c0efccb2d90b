"""Roles are Django groups named by a role code, with the permissions below.

The matrix is code, not data typed into the admin, so every installation has the
same roles; ``roles_sync`` (run after every migrate) makes the groups match it.
What a role may *do* is these permissions; which records it may *see* is the scope
in each entity's selector (e.g. ``parties.selectors.customer_scope``).
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    MERCHANDISER = "merchandiser", _("Merchandiser")
    SALES = "sales", _("Salesperson")
    FINANCE = "finance", _("Finance")
    PRODUCTION_PLANNER = "production_planner", _("Production planner")
    PURCHASING = "purchasing", _("Purchasing")
    QC = "qc", _("Quality control")
    WAREHOUSE = "warehouse", _("Warehouse")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


def _crud(app_model: str, *actions: str) -> list[str]:
    app, model = app_model.split(".")
    return [f"{app}.{action}_{model}" for action in actions]


_VIEW = ("view",)
_EDIT = ("view", "add", "change")

_CATALOG_EDIT = (
    _crud("catalog.product", *_EDIT)
    + _crud("catalog.productvariant", *_EDIT, "delete")
    + _crud("catalog.bomline", *_EDIT, "delete")
    + _crud("catalog.productcategory", *_VIEW)
)
_CATALOG_VIEW = _crud("catalog.product", *_VIEW) + _crud("catalog.productcategory", *_VIEW)
_CUSTOMER_EDIT = _crud("parties.customer", *_EDIT) + _crud("parties.contact", *_EDIT, "delete")
_SUPPLIER_VIEW = _crud("parties.supplier", *_VIEW)
_SUPPLIER_EDIT = _crud("parties.supplier", *_EDIT) + _crud("parties.contact", *_EDIT, "delete")
_ATTACH = _crud("documents.attachment", "view", "add", "delete")

_ORDER_VIEW = _crud("sales.salesorder", *_VIEW) + _crud("production.productionorder", *_VIEW) \
    + _crud("shipping.shipment", *_VIEW)
_ORDER_WORK = (
    _crud("sales.salesorder", *_EDIT) + _crud("sales.quotation", *_EDIT) + ["sales.view_cost"]
    + ["sales.confirm_salesorder", "sales.release_production", "sales.ship_salesorder", "sales.close_salesorder",
       "sales.request_payment"]
    + _crud("production.productionorder", *_VIEW) + _crud("shipping.shipment", *_VIEW)
    + _crud("finance.receipt", *_VIEW)
)
_QUOTE = _crud("sales.quotation", *_EDIT) + _crud("sales.salesorder", *_EDIT) + ["sales.view_cost",
                                                                                   "sales.request_payment"]
_MONEY = _crud("finance.receipt", *_EDIT) + _crud("finance.receiptallocation", *_EDIT)
# Quality: QC signs samples, first articles and inspection results; merchandisers book and
# follow them for their orders (and sign for sales); planners and others who see orders view.
_QUALITY_VIEW = (_crud("quality.inspection", *_VIEW) + _crud("quality.firstarticle", *_VIEW)
                 + _crud("quality.sample", *_VIEW) + _crud("quality.qualityprofile", *_VIEW))
_QUALITY_QC = (_crud("quality.inspection", *_EDIT) + _crud("quality.firstarticle", *_EDIT)
               + _crud("quality.sample", *_EDIT) + _crud("quality.qualityprofile", *_EDIT)
               + ["quality.record_inspection_result", "quality.sign_firstarticle_qc", "quality.sign_sample_qc",
                  "quality.sign_sample_engineering"])
_QUALITY_MERCH = (_crud("quality.inspection", *_EDIT) + _crud("quality.firstarticle", "view", "add")
                  + _crud("quality.sample", *_EDIT) + _crud("quality.qualityprofile", *_EDIT)
                  + ["quality.sign_firstarticle_sales", "quality.sign_sample_sales"])
# Production orders: the planner issues and moves every order's, a merchandiser those of the
# orders they follow (object scope in production.selectors.may_edit); the manager overrides.
_PRODUCTION_WORK = _crud("production.productionorder", "add", "change")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MERCHANDISER: _CUSTOMER_EDIT + _SUPPLIER_EDIT + _CATALOG_EDIT + _ATTACH + _ORDER_WORK + _QUALITY_MERCH
    + _PRODUCTION_WORK,
    Role.SALES: _CUSTOMER_EDIT + _SUPPLIER_VIEW + _CATALOG_VIEW + _ATTACH + _QUOTE + _ORDER_VIEW,
    Role.FINANCE: _crud("parties.customer", *_VIEW) + _SUPPLIER_VIEW + _CATALOG_VIEW
    + _crud("documents.attachment", "view", "add") + _ORDER_VIEW + _MONEY + ["sales.view_cost"],
    Role.PRODUCTION_PLANNER: _SUPPLIER_VIEW + _CATALOG_VIEW + _crud("documents.attachment", "view", "add")
    + _ORDER_VIEW + ["sales.release_production"]
    + _PRODUCTION_WORK + ["production.finish_short"] + _QUALITY_VIEW,
    Role.PURCHASING: _SUPPLIER_EDIT + _CATALOG_VIEW + _ATTACH + _ORDER_VIEW,
    Role.QC: _SUPPLIER_VIEW + _CATALOG_VIEW + _crud("documents.attachment", "view", "add") + _ORDER_VIEW
    + _QUALITY_QC,
    Role.WAREHOUSE: _CATALOG_VIEW + _crud("documents.attachment", "view") + _ORDER_VIEW
    + ["sales.ship_salesorder"],
    Role.MANAGER: _CUSTOMER_EDIT + _SUPPLIER_EDIT + _CATALOG_EDIT + _ATTACH + _ORDER_WORK + _MONEY[:1]
    + ["sales.override_gate"] + _crud("accounts.user", *_VIEW) + ["core.view_event"] + _QUALITY_VIEW
    + _PRODUCTION_WORK + ["production.override_first_article", "production.finish_short"],
    Role.ADMIN: [],  # every permission, see roles_sync
}

# T&A: everyone who owns milestones works their plan; managers also edit templates and the calendar.
_TA_WORK = (_crud("tracking.ordermilestone", "view", "change") + _crud("tracking.orderplan", "view")
            + _crud("tracking.milestonetemplate", "view") + _crud("core.calendarday", "view"))
_TA_EDIT = (_crud("tracking.milestonetemplate", "add", "change") + _crud("tracking.templatestep", "add", "change",
                                                                          "delete")
            + _crud("core.calendarday", "add", "change", "delete"))
for _role, _perms in ROLE_PERMISSIONS.items():
    if _role != Role.ADMIN:
        _perms.extend(_TA_WORK + (_TA_EDIT if _role == Role.MANAGER else []))

# Planning: the planner and the manager schedule, record progress and generate instructions;
# merchandisers and QC follow them and report exceptions (QC: quality ones, planning.rules).
_PLANNING_VIEW = (_crud("planning.progressentry", *_VIEW) + _crud("planning.scheduleentry", *_VIEW)
                  + _crud("planning.workline", *_VIEW) + _crud("planning.productioninstruction", *_VIEW)
                  + _crud("planning.productionexception", "view", "add"))
_PLANNING_EDIT = (_crud("planning.progressentry", *_EDIT) + _crud("planning.progressimport", *_EDIT)
                  + _crud("planning.scheduleentry", *_EDIT) + _crud("planning.workline", *_EDIT)
                  + _crud("planning.productioninstruction", *_EDIT) + _crud("planning.productionexception", *_EDIT))
for _role, _perms in ((Role.PRODUCTION_PLANNER, _PLANNING_EDIT), (Role.MANAGER, _PLANNING_EDIT),
                      (Role.MERCHANDISER, _PLANNING_VIEW), (Role.QC, _PLANNING_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)

# Communications, meetings, delay notices (tracking.services.communications/meetings/delay_notices):
# the customer-facing roles log communications; planners, merchandisers and managers run
# meetings, everyone else reads them; merchandisers and managers send delay notices.
_COMMS = _crud("tracking.communication", "view", "add")
_MEETINGS_VIEW = _crud("tracking.meeting", *_VIEW)
_MEETINGS = _crud("tracking.meeting", "view", "add", "change")
_DELAY_NOTICES = _crud("tracking.delaynotice", "view", "change")
for _role, _perms in ((Role.MERCHANDISER, _COMMS + _MEETINGS + _DELAY_NOTICES),
                      (Role.SALES, _COMMS + _MEETINGS_VIEW + _crud("tracking.delaynotice", *_VIEW)),
                      (Role.MANAGER, _COMMS + _MEETINGS + _DELAY_NOTICES),
                      (Role.PRODUCTION_PLANNER, _MEETINGS), (Role.FINANCE, _MEETINGS_VIEW),
                      (Role.PURCHASING, _MEETINGS_VIEW), (Role.QC, _MEETINGS_VIEW), (Role.WAREHOUSE, _MEETINGS_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)

# Purchasing: buys materials and sets suppliers / ETAs of requirements; merchandisers and
# planners follow them and confirm the BOM (which derives the requirements); managers all.
_PURCHASE_VIEW = (_crud("purchasing.purchaseorder", *_VIEW) + _crud("purchasing.materialrequirement", *_VIEW)
                  + ["purchasing.confirm_bom"])
_PURCHASE_WORK = (_crud("purchasing.purchaseorder", *_EDIT)
                  + _crud("purchasing.materialrequirement", "view", "change"))
# Shipping: bookings with forwarders (订舱) are made, confirmed, amended and cancelled by
# merchandisers and managers; everyone who sees orders sees them.
_BOOKING_VIEW = _crud("shipping.booking", *_VIEW)
_BOOKING_WORK = _crud("shipping.booking", *_EDIT)
for _role, _perms in ROLE_PERMISSIONS.items():
    if _role != Role.ADMIN and "sales.view_salesorder" in _perms:
        _perms.extend(_BOOKING_WORK if _role in (Role.MERCHANDISER, Role.MANAGER) else _BOOKING_VIEW)

# Shipping plan, notices, B/L and advice: merchandisers and managers; finished goods in,
# loading and ex-factory: the warehouse (merchandisers supervise loading, 监装, too); every
# role that sees orders sees them.
_SHIPPING_VIEW = (_crud("shipping.shipment", *_VIEW) + _crud("shipping.shippingnotice", *_VIEW)
                  + _crud("shipping.finishedgoodsreceipt", *_VIEW) + _crud("shipping.container", *_VIEW)
                  + _crud("shipping.billoflading", *_VIEW))
_SHIPPING_PLAN = (_crud("shipping.shipment", "add", "change") + _crud("shipping.shippingnotice", "add")
                  + _crud("shipping.billoflading", "add", "change") + ["shipping.release_billoflading"])
_WAREHOUSE_WORK = (_crud("shipping.finishedgoodsreceipt", "add", "change") + _crud("shipping.container", "add",
                                                                                      "change")
                   + ["shipping.depart_shipment"])
for _role, _perms in ROLE_PERMISSIONS.items():
    if _role != Role.ADMIN and "sales.view_salesorder" in _perms:
        _perms.extend(_SHIPPING_VIEW)
for _role, _perms in ((Role.MERCHANDISER, _SHIPPING_PLAN + _WAREHOUSE_WORK),
                      (Role.MANAGER, _SHIPPING_PLAN + _WAREHOUSE_WORK), (Role.WAREHOUSE, _WAREHOUSE_WORK)):
    ROLE_PERMISSIONS[_role].extend(_perms)
for _role, _perms in ((Role.PURCHASING, _PURCHASE_WORK), (Role.MANAGER, _PURCHASE_WORK + _PURCHASE_VIEW),
                      (Role.MERCHANDISER, _PURCHASE_VIEW), (Role.PRODUCTION_PLANNER, _PURCHASE_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)

# Export documents and letters of credit: everyone who sees orders sees them; merchandisers and
# managers register and examine credits, make the document sets, track certificates and dispatch;
# finance registers credits and records the bank's results; only a manager accepts a discrepancy.
_EXPORT_VIEW = (_crud("exportdocs.letterofcredit", *_VIEW) + _crud("exportdocs.creditamendment", *_VIEW)
                + _crud("exportdocs.shipmentdocument", *_VIEW) + _crud("exportdocs.certificateitem", *_VIEW)
                + _crud("exportdocs.documentdispatch", *_VIEW) + _crud("exportdocs.discrepancyacceptance", *_VIEW)
                + _crud("exportdocs.productexportdata", *_VIEW))
_CREDIT_WORK = (_crud("exportdocs.letterofcredit", "add", "change") + _crud("exportdocs.creditamendment", "add",
                                                                            "change")
                + ["exportdocs.examine_letterofcredit"])
_EXPORT_WORK = (_CREDIT_WORK + _crud("exportdocs.shipmentdocument", "add", "change")
                + _crud("exportdocs.certificateitem", "add", "change")
                + _crud("exportdocs.documentdispatch", "add", "change")
                + _crud("exportdocs.productexportdata", "add", "change"))
for _role, _perms in ROLE_PERMISSIONS.items():
    if _role != Role.ADMIN and "sales.view_salesorder" in _perms:
        _perms.extend(_EXPORT_VIEW)
for _role, _perms in ((Role.MERCHANDISER, _EXPORT_WORK),
                      (Role.MANAGER, _EXPORT_WORK + _crud("exportdocs.discrepancyacceptance", "add")),
                      (Role.FINANCE, _CREDIT_WORK + _crud("exportdocs.documentdispatch", "change"))):
    ROLE_PERMISSIONS[_role].extend(_perms)

# Four eyes on money terms (sales.money_terms): a change order that loosens them is approved by a
# manager or finance — never by the person who proposed it (sales.services.revisions).
for _role in (Role.MANAGER, Role.FINANCE):
    ROLE_PERMISSIONS[_role].append("sales.approve_money_terms")

# Roles that see every customer regardless of assignment (read scope, not edit rights).
ALL_CUSTOMERS_ROLES = {Role.ADMIN, Role.FINANCE}
# Roles that see the customers assigned to them or to their team.
ASSIGNED_CUSTOMERS_ROLES = {Role.SALES, Role.MERCHANDISER}


def roles_sync(*, verbosity: int = 0) -> None:
    """Create the role groups and give them exactly the permissions of the matrix."""
    from django.contrib.auth.models import Group, Permission

    all_perms = {f"{p.content_type.app_label}.{p.codename}": p for p in
                 Permission.objects.select_related("content_type")}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMIN:
            wanted = list(all_perms.values())
        else:
            wanted = [all_perms[name] for name in ROLE_PERMISSIONS[role] if name in all_perms]
        group.permissions.set(wanted)


def roles_sync_after_migrate(sender, app_config=None, using="default", verbosity=0, **kwargs) -> None:
    """post_migrate hook: runs once per migrate, after the last app's permissions exist."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # post_migrate is sent once per app that has models; act on the last one, when every
    # app's permissions can exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is None or app_config.label != with_models[-1].label:
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    roles_sync(verbosity=verbosity)

# Payables, invoices part (gendan.payables): finance records everything and alone pays suppliers;
# purchasing records supplier invoices and VAT invoices and issues statements and records replies
# and settles disputes; the manager views and settles disputes; merchandisers view.
_PAYABLES_VIEW = (_crud("payables.supplierinvoice", *_VIEW) + _crud("payables.vatinvoice", *_VIEW)
                  + _crud("payables.supplierpayment", *_VIEW) + _crud("payables.supplierstatement", *_VIEW)
                  + _crud("payables.statementdispute", *_VIEW))
_PAYABLES_RECORD = (_crud("payables.supplierinvoice", "add", "change") + _crud("payables.vatinvoice", "add")
                    + _crud("payables.supplierstatement", "add", "change")
                    + _crud("payables.statementdispute", "add", "change"))
for _role, _perms in ((Role.FINANCE, _PAYABLES_VIEW + _PAYABLES_RECORD + _crud("payables.supplierpayment", "add")
                       + ["payables.pay_supplierinvoice"]),
                      (Role.PURCHASING, _PAYABLES_VIEW + _PAYABLES_RECORD),
                      (Role.MANAGER, _PAYABLES_VIEW + _crud("payables.statementdispute", "change")),
                      (Role.MERCHANDISER, _PAYABLES_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)


# Receivables, bank statements (issue 14): finance imports the bank's statement and decides each
# credit line (recording the receipt needs finance.add_receipt too); managers read.
_BANK_VIEW = _crud("receivables.bankstatement", *_VIEW) + _crud("receivables.bankstatementline", *_VIEW)
ROLE_PERMISSIONS[Role.FINANCE].extend(_BANK_VIEW + _crud("receivables.bankstatement", "add")
                                      + _crud("receivables.bankstatementline", "change"))
ROLE_PERMISSIONS[Role.MANAGER].extend(_BANK_VIEW)


# Receivables, dunning and credit (issue 14): finance edits the dunning levels, runs the dunning,
# sets limits, puts customers on credit hold and alone lifts it, opens and settles disputes;
# managers set limits and alone approve an order over the limit (a second person, services.credit);
# merchandisers open and settle disputes of their customers; salespeople read.
_CREDIT_VIEW = (_crud("receivables.customercredit", *_VIEW) + _crud("receivables.dunningrun", *_VIEW)
                + _crud("receivables.dunningnotice", *_VIEW) + _crud("receivables.dunninglevel", *_VIEW)
                + _crud("receivables.dispute", *_VIEW) + _crud("receivables.creditlimitapproval", *_VIEW))
for _role, _perms in ((Role.FINANCE, _CREDIT_VIEW + _crud("receivables.customercredit", "change")
                       + ["receivables.hold_customercredit"] + _crud("receivables.dunninglevel", "change")
                       + _crud("receivables.dunningrun", "add") + _crud("receivables.dispute", "add", "change")),
                      (Role.MANAGER, _CREDIT_VIEW + _crud("receivables.customercredit", "change")
                       + _crud("receivables.creditlimitapproval", "add")),
                      (Role.MERCHANDISER, _CREDIT_VIEW + _crud("receivables.dispute", "add", "change")),
                      (Role.SALES, _CREDIT_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)

# Payables, tax rebates and order profit (payables.services.rebates / profit): finance and managers
# do everything; merchandisers record rebates (declaration no.), check them and chase factories, and
# see the profit only with sales.view_cost (the panel and report check both permissions).
_REBATE_VIEW = _crud("payables.taxrebate", "view")
_REBATE_ALL = _crud("payables.taxrebate", "view", "add", "change")
_PROFIT_ALL = _crud("payables.profitestimate", "view") + _crud("payables.ordercost", "view", "add")
for _role, _perms in ((Role.FINANCE, _REBATE_ALL + _PROFIT_ALL), (Role.MANAGER, _REBATE_ALL + _PROFIT_ALL),
                      (Role.MERCHANDISER, _crud("payables.taxrebate", "view", "add")
                       + _crud("payables.profitestimate", "view") + _crud("payables.ordercost", "view")),
                      (Role.PURCHASING, _REBATE_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)


# Receivables, ledger, statements and aging (issue 14): finance, managers, merchandisers and
# salespeople read ledgers, statements and the aging of the customers they see (parties'
# customer scope); finance and managers change the aging buckets and book exchange rates;
# finance alone e-mails statements of account.
_LEDGER_VIEW = _crud("receivables.agingpolicy", *_VIEW) + _crud("receivables.statementsend", *_VIEW)
for _role, _perms in ((Role.FINANCE, _LEDGER_VIEW + _crud("receivables.agingpolicy", "change")
                       + _crud("receivables.statementsend", "add") + _crud("finance.exchangerate", *_VIEW, "add",
                                                                           "change")),
                      (Role.MANAGER, _LEDGER_VIEW + _crud("receivables.agingpolicy", "change")
                       + _crud("finance.exchangerate", *_VIEW, "add", "change")),
                      (Role.MERCHANDISER, _LEDGER_VIEW), (Role.SALES, _LEDGER_VIEW)):
    ROLE_PERMISSIONS[_role].extend(_perms)

# Company settings kept on pages (issue 11): managers keep the regions; managers and production
# planners keep the production stages of each product category; everyone who plans sees them.
for _role, _perms in ((Role.MANAGER, _crud("accounts.region", "view", "add", "change")
                       + _crud("planning.stagedefinition", "view", "add", "change", "delete")),
                      (Role.PRODUCTION_PLANNER, _crud("planning.stagedefinition", "view", "add", "change", "delete")),
                      (Role.MERCHANDISER, _crud("planning.stagedefinition", "view"))):
    ROLE_PERMISSIONS[_role].extend(_perms)
