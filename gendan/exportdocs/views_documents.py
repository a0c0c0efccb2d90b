"""The shipment page's "documents" section (``shipping.sections``, rank 70): the set's current
documents with their PDF / Excel, what the documents lack, the previous versions, the generate
/ regenerate action; and the page where the products' export data is filled in.

Each POST calls one service through ``core.views.run_action``; a refusal shows the shipment's
page as it stands with the message (with the one mapping's status). Files are downloaded
through the documents app, which checks the order's scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.views import run_action
from gendan.exportdocs.forms_documents import DocumentsGenerateForm, ProductExportDataForm
from gendan.exportdocs.models import ProductExportData
from gendan.exportdocs.selectors.documents import (
    current_documents,
    documents_state,
    previous_versions,
    set_in_order,
)
from gendan.exportdocs.services.documents import (
    ADD,
    EDIT_EXPORT_DATA,
    EXPORT_DATA_FIELDS,
    document_set_generate,
    generate_check,
    product_export_data_update,
)
from gendan.shipping.selectors import shipment_get_for_user
from gendan.shipping.views_shipments import shipment_detail

VIEW = "exportdocs.view_shipmentdocument"


def _back(shipment) -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + "#section-documents"


def _refusal(request, key: str) -> dict:
    refusal = getattr(request, "documents_refusal", None) or {}
    return refusal if refusal.get("key") == key else {}


def documents_section(request, shipment) -> dict | None:
    user = request.user
    if not user.has_perm(VIEW):
        return None
    key = f"documents-{shipment.pk}"
    check = generate_check(shipment)
    state = documents_state(shipment) if check else {"documents": set_in_order(current_documents(shipment)),
                                                     "previous": previous_versions(shipment), "missing": [],
                                                     "notes": [], "changed": [], "not_made": [],
                                                     "not_made_labels": []}
    form = None
    if user.has_perm(ADD) and check:
        form = _refusal(request, key).get("form") or DocumentsGenerateForm(regenerate=bool(state["documents"]),
                                                                           prefix=key)
    return {**state, "form": form, "check": check, "may_generate": user.has_perm(ADD),
            "may_edit_export_data": user.has_perm(EDIT_EXPORT_DATA[1]), "error": _refusal(request, key).get("error")}


@login_required
@require_POST
def documents_generate_page(request, pk: int):
    shipment = shipment_get_for_user(user=request.user, pk=pk)
    key = f"documents-{shipment.pk}"
    exists = current_documents(shipment).exists()
    form = DocumentsGenerateForm(request.POST, regenerate=exists, prefix=key)

    def refused(exc, form):
        request.documents_refusal = {"key": key, "form": form, "error": exc}
        return shipment_detail(request, shipment.pk)

    def message(result) -> str:
        if not result.made:
            return _("Nothing changed: the documents stay as they are.")
        text = _("Documents made: %(docs)s.") % {"docs": ", ".join(
            f"{d.get_kind_display()} v{d.version}" for d in result.made)}
        if result.missing:
            text += " " + _("Missing for the documents: %(what)s.") % {
                "what": "; ".join(m["message"] for m in result.missing)}
        return text

    return run_action(request, form=form, refused=refused, success_message=message,
                      success_url=_back(shipment),
                      call=lambda data: document_set_generate(by=request.user, shipment=shipment,
                                                              note=data.get("note", "")))


def _products(shipment) -> list:
    products = {}
    for line in shipment.lines.select_related("order_line__product"):
        product = line.order_line.product
        if product is not None:
            products.setdefault(product.pk, product)
    return list(products.values())


@login_required
@require_http_methods(["GET", "POST"])
def export_data_page(request, pk: int):
    """The export data of the shipment's products, one small form each; what is missing is
    listed first. Saving one product's data goes back to this page."""
    shipment = shipment_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    products = _products(shipment)
    may_edit = request.user.has_perm(EDIT_EXPORT_DATA[1]) and request.user.has_perm(EDIT_EXPORT_DATA[0])
    records = {r.product_id: r for r in ProductExportData.objects.filter(product__in=products)}
    status, error, posted = 200, None, None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        product = next((p for p in products if str(p.pk) == request.POST.get("product")), None)
        if product is None:
            return redirect(request.path)
        posted = ProductExportDataForm(request.POST, prefix=f"p{product.pk}")
        if posted.is_valid():
            try:
                product_export_data_update(by=request.user, product=product,
                                           data={k: posted.cleaned_data.get(k, "") for k in EXPORT_DATA_FIELDS})
            except BusinessError as exc:
                error, status = exc, error_status(exc)
                for field, texts in exc.fields.items():
                    if field in posted.fields:
                        for text in texts:
                            posted.add_error(field, text)
            else:
                messages.success(request, _("Export data of %(code)s saved.") % {"code": product.code})
                return redirect(request.path)
        else:
            status = 400
    rows = []
    for product in products:
        record = records.get(product.pk)
        if posted is not None and posted.prefix == f"p{product.pk}":
            form = posted
        else:
            form = ProductExportDataForm(prefix=f"p{product.pk}", initial={
                k: getattr(record, k) if record is not None and getattr(record, k) is not None else ""
                for k in EXPORT_DATA_FIELDS})
        lacking = [label for label, value in (
            (_("HS code"), product.hs_code), (_("customs name"), getattr(record, "customs_name_zh", "")),
            (_("declaration elements"), getattr(record, "declaration_elements", "")),
            (_("origin criterion"), getattr(record, "origin_criterion", ""))) if not value]
        rows.append({"product": product, "form": form, "lacking": lacking})
    rows.sort(key=lambda r: (not r["lacking"], r["product"].code))
    response = render(request, "exportdocs/documents/export_data.html", {
        "shipment": shipment, "rows": rows, "may_edit": may_edit, "error": error,
        "title": _("Export data of the products of %(no)s") % {"no": shipment.number}})
    response.status_code = status
    return response
