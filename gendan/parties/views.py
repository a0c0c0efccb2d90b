from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError
from gendan.core.events import timeline_for
from gendan.core.listing import Column, ListPageView
from gendan.core.views import run_service_form
from gendan.parties import sections, selectors, services
from gendan.parties.forms import (
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    SupplierFilterForm,
    SupplierForm,
)
from gendan.parties.links import supplier_links
from gendan.parties.models import Customer, Supplier


class CustomerListView(ListPageView):
    title = gettext_lazy("Customers")
    export_name = "customers"
    filter_form_class = CustomerFilterForm
    default_sort = "code"
    create_url_name = "parties:customer_create"
    create_permission = "parties.add_customer"
    columns = [
        Column("code", gettext_lazy("code"), sort="code", link=True),
        Column("name_zh", gettext_lazy("name (Chinese)"), sort="name_zh"),
        Column("name_en", gettext_lazy("name (English)"), sort="name_en"),
        Column("country_name", gettext_lazy("country"), sort="country"),
        Column("region", gettext_lazy("region"), sort="region__code"),
        Column("default_currency_id", gettext_lazy("currency")),
        Column("payment_method", gettext_lazy("payment terms"), value=lambda c: c.get_payment_method_display()),
        Column("incoterm_text", gettext_lazy("Incoterm")),
        Column("salesperson", gettext_lazy("salesperson"), sort="salesperson__username"),
        Column("merchandiser", gettext_lazy("merchandiser"), sort="merchandiser__username"),
        Column("is_active", gettext_lazy("active")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("parties.view_customer"):
            raise PermissionDenied
        return selectors.customer_queryset(self.request.user)

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "")}
        return selectors.customer_list(user=self.request.user, search=filters.pop("q", ""), filters=filters)


class SupplierListView(ListPageView):
    title = gettext_lazy("Suppliers")
    export_name = "suppliers"
    filter_form_class = SupplierFilterForm
    default_sort = "code"
    create_url_name = "parties:supplier_create"
    create_permission = "parties.add_supplier"
    columns = [
        Column("code", gettext_lazy("code"), sort="code", link=True),
        Column("kind", gettext_lazy("kind"), value=lambda s: s.get_kind_display(), sort="kind"),
        Column("name_zh", gettext_lazy("name (Chinese)"), sort="name_zh"),
        Column("name_en", gettext_lazy("name (English)"), sort="name_en"),
        Column("credit_code", gettext_lazy("unified social credit code")),
        Column("country_name", gettext_lazy("country"), sort="country"),
        Column("city", gettext_lazy("city"), sort="city"),
        Column("daily_capacity", gettext_lazy("daily capacity (units)"), sort="daily_capacity", numeric=True),
        Column("phone", gettext_lazy("phone")),
        Column("is_active", gettext_lazy("active")),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("parties.view_supplier"):
            raise PermissionDenied
        return selectors.supplier_queryset(self.request.user)

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "")}
        return selectors.supplier_list(user=self.request.user, search=filters.pop("q", ""), filters=filters)


def _party_detail(request, party, *, kind: str):
    can_edit = request.user.has_perm(f"parties.change_{kind}")
    extra = {}
    if kind == "customer":  # the tabs higher apps fill (parties.sections): orders, open money, communications
        tab = sections.tab_of(request.GET.get("tab"))
        extra = {"tab": tab, "tabs": sections.tabs_for(request, party, current=tab),
                 "sections": sections.sections_for(request, party, tab=tab) if tab != sections.OVERVIEW else []}
    return render(request, f"parties/{kind}_detail.html", {
        **extra,
        "links": supplier_links(request, party) if kind == "supplier" else [],
        "party": party,
        kind: party,
        "contacts": list(party.contacts.all()),
        "contact_form": ContactForm() if can_edit else None,
        "can_edit": can_edit,
        "events": timeline_for(party),
        "title": str(party),
    })


@login_required
def customer_detail(request, pk: int):
    return _party_detail(request, selectors.customer_get_for_user(user=request.user, pk=pk), kind="customer")


@login_required
def supplier_detail(request, pk: int):
    return _party_detail(request, selectors.supplier_get_for_user(user=request.user, pk=pk), kind="supplier")


@login_required
def customer_create(request):
    if not request.user.has_perm("parties.add_customer"):
        raise PermissionDenied
    can_assign = services.can_assign_customers(request.user)
    form = CustomerForm(request.POST or None, can_assign=can_assign)
    return run_service_form(
        request, form=form,
        call=lambda f: services.customer_create(actor=request.user, data=f.service_data()),
        template="parties/party_form.html",
        context={"title": _("New customer"), "cancel_url": reverse("parties:customer_list"),
                 "list_url": reverse("parties:customer_list"), "list_label": _("Customers")},
        success_message=_("Customer saved."),
        success_url=lambda c: c.get_absolute_url(),
    )


@login_required
def customer_edit(request, pk: int):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("parties.change_customer"):
        raise PermissionDenied
    can_assign = services.can_assign_customers(request.user)
    form = CustomerForm(request.POST or None, instance=customer, can_assign=can_assign)
    return run_service_form(
        request, form=form,
        call=lambda f: services.customer_update(
            actor=request.user, customer_id=customer.pk, data=f.service_data(),
            expected_version=f.cleaned_data.get("version"), reason=f.cleaned_data.get("reason", ""),
        )[0],
        template="parties/party_form.html",
        context={"title": _("Edit customer %(code)s") % {"code": customer.code}, "party": customer,
                 "cancel_url": customer.get_absolute_url(),
                 "list_url": reverse("parties:customer_list"), "list_label": _("Customers")},
        success_message=_("Customer saved."),
        success_url=lambda c: c.get_absolute_url(),
    )


@login_required
def supplier_create(request):
    if not request.user.has_perm("parties.add_supplier"):
        raise PermissionDenied
    form = SupplierForm(request.POST or None)
    return run_service_form(
        request, form=form,
        call=lambda f: services.supplier_create(actor=request.user, data=f.service_data()),
        template="parties/party_form.html",
        context={"title": _("New supplier"), "cancel_url": reverse("parties:supplier_list"),
                 "list_url": reverse("parties:supplier_list"), "list_label": _("Suppliers")},
        success_message=_("Supplier saved."),
        success_url=lambda s: s.get_absolute_url(),
    )


@login_required
def supplier_edit(request, pk: int):
    supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("parties.change_supplier"):
        raise PermissionDenied
    form = SupplierForm(request.POST or None, instance=supplier)
    return run_service_form(
        request, form=form,
        call=lambda f: services.supplier_update(
            actor=request.user, supplier_id=supplier.pk, data=f.service_data(),
            expected_version=f.cleaned_data.get("version"), reason=f.cleaned_data.get("reason", ""),
        )[0],
        template="parties/party_form.html",
        context={"title": _("Edit supplier %(code)s") % {"code": supplier.code}, "party": supplier,
                 "cancel_url": supplier.get_absolute_url(),
                 "list_url": reverse("parties:supplier_list"), "list_label": _("Suppliers")},
        success_message=_("Supplier saved."),
        success_url=lambda s: s.get_absolute_url(),
    )


def _get_party(request, kind: str, pk: int) -> Customer | Supplier:
    if kind not in ("customer", "supplier"):
        raise Http404
    getter = selectors.customer_get_for_user if kind == "customer" else selectors.supplier_get_for_user
    return getter(user=request.user, pk=pk)


@login_required
@require_POST
def contact_save(request, kind: str, pk: int, contact_id: int | None = None):
    party = _get_party(request, kind, pk)
    if contact_id is not None:
        get_object_or_404(party.contacts, pk=contact_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_save(actor=request.user, party=party, data=form.cleaned_data, contact_id=contact_id)
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Contact saved."))
    else:
        errors = "; ".join(f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
                           for f, e in form.errors.items())
        messages.error(request, _("Contact not saved: %(errors)s") % {"errors": errors})
    return redirect(party.get_absolute_url())


@login_required
@require_POST
def contact_remove(request, kind: str, pk: int, contact_id: int):
    party = _get_party(request, kind, pk)
    get_object_or_404(party.contacts, pk=contact_id)
    try:
        services.contact_remove(actor=request.user, party=party, contact_id=contact_id)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Contact removed."))
    return redirect(party.get_absolute_url())
