"""Navigation: the areas shown in the top bar, by permission."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    # (label, url name, permission needed)
    (_("Chase board"), "tracking:board", "tracking.view_ordermilestone"),
    (_("Meetings"), "tracking:meeting_list", "tracking.view_meeting"),
    (_("Orders"), "sales:order_list", "sales.view_salesorder"),
    (_("Quotations"), "sales:quotation_list", "sales.view_quotation"),
    (_("Receipts"), "finance:receipt_list", "finance.view_receipt"),
    (_("Production"), "production:production_order_list", "production.view_productionorder"),
    (_("Shipments"), "shipping:shipment_list", "shipping.view_shipment"),
    (_("To load"), "shipping:warehouse_loading", "shipping.change_container"),
    (_("Letters of credit"), "exportdocs:credit_list", "exportdocs.view_letterofcredit"),
    (_("Schedule"), "planning:schedule", "planning.view_scheduleentry"),
    (_("Purchasing"), "purchasing:purchase_order_list", "purchasing.view_purchaseorder"),
    (_("Quality"), "quality:inspection_list", "quality.view_inspection"),
    (_("Customers"), "parties:customer_list", "parties.view_customer"),
    (_("Suppliers"), "parties:supplier_list", "parties.view_supplier"),
    (_("Products"), "catalog:product_list", "catalog.view_product"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    path = request.path
    for label, url_name, perm in NAV:
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # an area whose pages are not installed
            continue
        items.append({"label": label, "url": url, "active": path.startswith(url)})
    return {"nav_items": items}


# Tax rebates (payables, rebates and profit part); the order profit report is linked from its page.
NAV.append((_("Tax rebates"), "payables:rebate_list", "payables.view_taxrebate"))


# Receivables (issue 14, ledger part): the aging of receivables, from which each customer's ledger
# and statement of account are reached.
NAV.append((_("Receivables"), "receivables:aging", "receivables.view_agingpolicy"))

# Payables, invoices part (gendan.payables): supplier invoices, what we owe, supplier statements.
NAV.append((_("Payables"), "payables:invoice_list", "payables.view_supplierinvoice"))

# Receivables, bank statements part: import the bank's statement, confirm the proposed receipts.
NAV.append((_("Bank statements"), "receivables:bank_statement_list", "receivables.view_bankstatement"))

# Receivables, dunning and credit part: customers on credit hold, dunned or with a limit; the dunning
# runs and levels are reached from its page.
NAV.append((_("Credit and dunning"), "receivables:credit_list", "receivables.view_customercredit"))
