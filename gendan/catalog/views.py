from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.catalog import selectors, services
from gendan.catalog.forms import (
    BomLineForm,
    ProductFilterForm,
    ProductForm,
    VariantAxesForm,
    VariantNamesForm,
)
from gendan.catalog.models import BomLine, Product
from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.listing import Column, ListPageView
from gendan.core.views import run_service_form
from gendan.core.xlsx import QUANTITY

# How many suggestions the BOM component box offers; any other item no. can still be typed.
COMPONENT_SUGGESTIONS = 500


class ProductListView(ListPageView):
    title = gettext_lazy("Products")
    export_name = "products"
    filter_form_class = ProductFilterForm
    default_sort = "code"
    create_url_name = "catalog:product_create"
    create_permission = services.PERM_PRODUCT_ADD
    columns = [
        Column("code", gettext_lazy("item no."), sort="code", link=True),
        Column("name_zh", gettext_lazy("name (Chinese)"), sort="name_zh"),
        Column("name_en", gettext_lazy("name (English)"), sort="name_en"),
        Column("kind", gettext_lazy("kind"), value=lambda p: p.get_kind_display(), sort="kind"),
        Column("category", gettext_lazy("category"), sort="category__code"),
        Column("series", gettext_lazy("series"), sort="series"),
        Column("model_no", gettext_lazy("model"), sort="model_no"),
        Column("hs_code", gettext_lazy("HS code")),
        Column("unit", gettext_lazy("unit"), value=lambda p: p.get_unit_display()),
        Column("units_per_carton", gettext_lazy("units per carton"), sort="units_per_carton", numeric=True),
        Column("carton_dimensions", gettext_lazy("carton L × W × H (cm)"), export=[
            Column(name, label, format=QUANTITY) for name, label in (
                ("carton_length_cm", gettext_lazy("carton length (cm)")),
                ("carton_width_cm", gettext_lazy("carton width (cm)")),
                ("carton_height_cm", gettext_lazy("carton height (cm)")))]),
        Column("carton_cbm", gettext_lazy("CBM per carton"), sort="cbm_sort", numeric=True),
        Column("net_weight_kg", gettext_lazy("N.W. (kg)"), sort="net_weight_kg", numeric=True),
        Column("gross_weight_kg", gettext_lazy("G.W. (kg)"), sort="gross_weight_kg", numeric=True),
        Column("is_active", gettext_lazy("active")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("catalog.view_product"):
            raise PermissionDenied
        return selectors.product_list(user=self.request.user)

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "")}
        return selectors.product_list(user=self.request.user, search=filters.pop("q", ""), filters=filters)


def _breadcrumbs(product: Product | None = None, *extra) -> list:
    crumbs = [(_("Products"), reverse("catalog:product_list"))]
    if product is not None:
        crumbs.append((product.code, product.get_absolute_url()))
    return crumbs + list(extra)


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_detail(user=request.user, pk=pk)
    can = services.product_permissions(request.user)
    bom_lines = list(product.bom_lines.all())
    return render(request, "catalog/product_detail.html", {
        "product": product,
        "can": can,
        "matrix": selectors.variant_matrix(list(product.variants.all())),
        "bom_lines": bom_lines,
        "bom_form": BomLineForm(user=request.user, prefix="bom") if can["bom_add"] else None,
        "component_options": _component_options(request) if can["bom_add"] else [],
        "used_in": selectors.product_used_in(user=request.user, product=product),
        "photos": selectors.product_photos(product),
        "events": timeline_for(product),
        "title": str(product),
        "breadcrumbs": _breadcrumbs(None, (product.code, None)),
    })


def _component_options(request: HttpRequest) -> list[Product]:
    return list(selectors.bom_component_candidates(user=request.user)[:COMPONENT_SUGGESTIONS])


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(services.PERM_PRODUCT_ADD):
        raise PermissionDenied
    form = ProductForm(request.POST or None)
    return run_service_form(
        request, form=form,
        call=lambda f: services.product_create(actor=request.user, data=f.service_data()),
        template="catalog/product_form.html",
        context={"title": _("New product"), "cancel_url": reverse("catalog:product_list"),
                 "breadcrumbs": _breadcrumbs(None, (_("New product"), None))},
        success_message=_("Product saved."),
        success_url=lambda p: p.get_absolute_url(),
    )


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(services.PERM_PRODUCT_CHANGE):
        raise PermissionDenied
    form = ProductForm(request.POST or None, instance=product)
    title = _("Edit product %(code)s") % {"code": product.code}
    return run_service_form(
        request, form=form,
        call=lambda f: services.product_update(
            actor=request.user, product_id=product.pk, data=f.service_data(),
            expected_version=f.cleaned_data.get("version"), reason=f.cleaned_data.get("reason", ""),
        )[0],
        template="catalog/product_form.html",
        context={"title": title, "product": product, "cancel_url": product.get_absolute_url(),
                 "breadcrumbs": _breadcrumbs(product, (_("Edit"), None))},
        success_message=_("Product saved."),
        success_url=lambda p: p.get_absolute_url(),
    )


# --- the variant matrix editor ---------------------------------------------------------------


def _grid(colours: list[str], sizes: list[str], ticked: dict[tuple[str, str], dict[str, str]]) -> list[dict]:
    """Rows of the editor grid: each cell has its position-based input names and what it holds."""
    rows = []
    for i, colour in enumerate(colours):
        cells = []
        for j, size in enumerate(sizes):
            codes = ticked.get((colour, size))
            cells.append({
                "name": f"cell-{i}-{j}", "sku_name": f"sku-{i}-{j}", "barcode_name": f"barcode-{i}-{j}",
                "size": size, "label": f"{colour} / {size}", "checked": codes is not None,
                "sku": (codes or {}).get("sku", ""), "barcode": (codes or {}).get("barcode", ""),
            })
        rows.append({"colour": colour, "cells": cells})
    return rows


def _posted_cells(post, colours: list[str], sizes: list[str]) -> dict[tuple[str, str], dict[str, str]]:
    """The ticked cells of the grid the page showed (built from ``grid_colours`` × ``grid_sizes``)."""
    cells = {}
    for i, colour in enumerate(colours):
        for j, size in enumerate(sizes):
            if post.get(f"cell-{i}-{j}"):
                cells[(colour, size)] = {"sku": post.get(f"sku-{i}-{j}", "").strip(),
                                         "barcode": post.get(f"barcode-{i}-{j}", "").strip()}
    return cells


@login_required
def product_variants(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the colour × size matrix without JavaScript: type the colours and sizes, press
    "Build grid", tick the cells that exist (SKU / barcode optional), press "Save matrix".

    The grid remembers the lists it was built from (``grid_colours`` / ``grid_sizes``), so a
    tick always means the cell the user saw, even if the lists were edited after building it.
    """
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    if not services.product_permissions(request.user)["variants"]:
        raise PermissionDenied
    current = selectors.variant_matrix(list(product.variants.all()))
    ticked = {(v.colour, v.size): {"sku": v.sku, "barcode": v.barcode}
              for row in current.rows for v in row.cells if v is not None}
    status = 200
    errors: list[str] = []
    if request.method != "POST":
        form = VariantAxesForm(initial={"colours": "\n".join(current.colours), "sizes": "\n".join(current.sizes),
                                        "version": product.version})
        axes = (current.colours, current.sizes) if current else None
    else:
        form = VariantAxesForm(request.POST)
        action = request.POST.get("action", "build")
        grid_colours = request.POST.getlist("grid_colours")
        grid_sizes = request.POST.getlist("grid_sizes")
        if grid_colours or grid_sizes:  # the page showed a grid: what is ticked there counts
            ticked = _posted_cells(request.POST, grid_colours, grid_sizes)
        axes = None
        if not form.is_valid():
            status = 400
        else:
            colours, sizes = form.cleaned_data["colours"], form.cleaned_data["sizes"]
            axes = (colours, sizes)
            if action == "tick_all":
                ticked = {(c, s): ticked.get((c, s), {"sku": "", "barcode": ""}) for c in colours for s in sizes}
            elif action == "save" and (colours, sizes) != (grid_colours, grid_sizes):
                errors.append(_("The colours or sizes changed since the grid was built. Check the grid below, "
                                "then save again."))
                status = 400
            elif action == "save":
                try:
                    change = services.product_variants_set_matrix(
                        actor=request.user, product_id=product.pk, colours=colours, sizes=sizes,
                        cells=ticked, expected_version=form.cleaned_data.get("version"),
                    )
                except BusinessError as exc:
                    add_business_error(form, exc)  # SKU, barcode and cell refusals go on top of the form
                    status = error_status(exc)
                else:
                    if change:
                        messages.success(request, _("Variant matrix saved: %(added)s added, %(removed)s removed.")
                                         % {"added": len(change.added), "removed": len(change.removed)})
                    else:
                        messages.info(request, _("Nothing changed."))
                    return redirect(product.get_absolute_url() + "#variants")
    grid = _grid(*axes, ticked) if axes else None
    return render(request, "catalog/product_variants.html", {
        "product": product, "form": form, "grid": grid, "sizes": axes[1] if axes else [],
        "grid_colours": axes[0] if axes else [], "grid_sizes": axes[1] if axes else [],
        "errors": errors,
        "title": _("Variants of %(code)s") % {"code": product.code},
        "breadcrumbs": _breadcrumbs(product, (_("Variants"), None)),
    }, status=status)


# --- bill of materials -----------------------------------------------------------------


@login_required
@require_POST
def bom_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(services.PERM_BOM_ADD):
        raise PermissionDenied
    form = BomLineForm(request.POST, user=request.user, prefix="bom")
    return run_service_form(
        request, form=form,
        call=lambda f: services.bom_line_add(actor=request.user, product_id=product.pk, **f.service_data()),
        template="catalog/bom_line_form.html",
        context={"title": _("Add a BOM line to %(code)s") % {"code": product.code}, "product": product,
                 "component_options": _component_options(request),
                 "breadcrumbs": _breadcrumbs(product, (_("Bill of materials"), None))},
        success_message=_("BOM line added."),
        success_url=lambda line: product.get_absolute_url() + "#bom",
    )


def _bom_line(product: Product, line_id: int) -> BomLine:
    line = product.bom_lines.select_related("component").filter(pk=line_id).first()
    if line is None:
        raise Http404("No such BOM line.")
    return line


@login_required
def bom_edit(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(services.PERM_BOM_CHANGE):
        raise PermissionDenied
    line = _bom_line(product, line_id)
    form = BomLineForm(request.POST or None, instance=line, user=request.user, prefix="bom")
    return run_service_form(
        request, form=form,
        call=lambda f: services.bom_line_update(actor=request.user, product_id=product.pk, line_id=line.pk,
                                                data=f.service_data())[0],
        template="catalog/bom_line_form.html",
        context={"title": _("Edit BOM line %(component)s of %(code)s")
                 % {"component": line.component.code, "code": product.code},
                 "product": product, "component_options": _component_options(request),
                 "breadcrumbs": _breadcrumbs(product, (_("Bill of materials"), None))},
        success_message=_("BOM line saved."),
        success_url=lambda line: product.get_absolute_url() + "#bom",
    )


@login_required
@require_POST
def bom_remove(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(services.PERM_BOM_DELETE):
        raise PermissionDenied
    _bom_line(product, line_id)
    try:
        services.bom_line_remove(actor=request.user, product_id=product.pk, line_id=line_id)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("BOM line removed."))
    return redirect(product.get_absolute_url() + "#bom")


@login_required
def variant_names(request: HttpRequest) -> HttpResponse:
    """The English names of colour and size words, as one list per axis ("白 = White")."""
    if not services.product_permissions(request.user)["variants"]:
        raise PermissionDenied
    if request.method == "POST":
        form = VariantNamesForm(request.POST)
    else:
        form = VariantNamesForm(initial={"colours": services.variant_names_text("colour"),
                                         "sizes": services.variant_names_text("size")})
    return run_service_form(
        request, form=form,
        call=lambda f: services.variant_names_save(actor=request.user, names=f.cleaned_data["names"]),
        template="catalog/variant_names.html",
        context={"title": _("Colour and size names"),
                 "breadcrumbs": _breadcrumbs(None, (_("Colour and size names"), None))},
        success_message=_("Colour and size names saved."),
        success_url=lambda _result: reverse("catalog:variant_names"),
    )
