"""Quotation pages: list, new / edit (draft), the quotation's page with Send, Accept (which
creates the order), Reject, and the PDF in English or Chinese."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, Kind, error_status
from gendan.core.events import timeline_for
from gendan.core.listing import Column, ListPageView
from gendan.core.views import run_action
from gendan.core.xlsx import MONEY
from gendan.parties.models import Customer, Supplier
from gendan.parties.selectors import supplier_queryset
from gendan.sales import pdf as sales_pdf
from gendan.sales import selectors
from gendan.sales.forms import (
    QuotationAcceptForm,
    QuotationFilterForm,
    QuotationHeaderForm,
    QuotationRejectForm,
)
from gendan.sales.forms.lines import LineSet
from gendan.sales.line_defaults import add_packing
from gendan.sales.models import Quotation
from gendan.sales.services import quotations as services
from gendan.sales.services.lines import clean_lines
from gendan.sales.views.line_defaults import fill_lines
from gendan.sales.views.orders import DEFAULT_CURRENCY, _products, _show_refusal

PDF_LANGUAGES = {"en": gettext_lazy("PDF (English)"), "zh-hans": gettext_lazy("PDF (Chinese)")}


def _renderer():
    """The quotation PDF renderer, when there is one."""
    return getattr(sales_pdf, "render_quotation", None)


class QuotationListView(ListPageView):
    title = gettext_lazy("Quotations")
    export_name = "quotations"
    export_totals_by = "currency_id"
    default_sort = "-quoted_on"
    create_url_name = "sales:quotation_create"
    create_permission = "sales.add_quotation"
    columns = [
        Column("number", gettext_lazy("quotation no."), sort="number", link=True),
        Column("customer", gettext_lazy("customer"), value=lambda q: f"{q.customer.code} {q.customer.display_name}",
               sort="customer__code"),
        Column("quoted_on", gettext_lazy("date"), sort="quoted_on"),
        Column("valid_until", gettext_lazy("valid until"), sort="valid_until"),
        Column("currency_id", gettext_lazy("currency")),
        Column("total_amount", gettext_lazy("total"), sort="total_amount", numeric=True, format=MONEY, total=True),
        Column("status", gettext_lazy("status"), value=lambda q: q.get_status_display(), sort="status"),
        Column("salesperson", gettext_lazy("salesperson"), sort="salesperson__username"),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("sales.view_quotation"):
            raise PermissionDenied
        return selectors.quotation_queryset(self.request.user)

    def get_filter_form(self):
        customers = Customer.objects.filter(
            pk__in=selectors.quotation_queryset(self.request.user).values("customer")).order_by("code")
        return QuotationFilterForm(self.request.GET or None, customers=customers)

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "")}
        return selectors.quotation_list(user=self.request.user, filters=filters)


def _quotation_context(request, quotation: Quotation, **extra) -> dict:
    user = request.user
    can_change = user.has_perm("sales.change_quotation")
    context = {
        "quotation": quotation,
        "title": str(quotation),
        "lines": list(quotation.lines.all()),
        "can_view_cost": user.has_perm("sales.view_cost"),
        "can_change": can_change,
        # the buttons the quotation's state allows (the services check the same guards)
        "can_edit": can_change and bool(services.quotation_edit_check(quotation)),
        "can_send": can_change and bool(services.quotation_send_check(quotation)),
        "can_decide": can_change and bool(services.quotation_decide_check(quotation)),
        "accept_form": QuotationAcceptForm(prefix="accept"),
        "reject_form": QuotationRejectForm(prefix="reject"),
        "open_action": "",
        "action_error": "",
        "pdf_languages": list(PDF_LANGUAGES.items()) if _renderer() else [],
        "events": timeline_for(quotation),
        "order": getattr(quotation, "sales_order", None) if quotation.status == Quotation.Status.ACCEPTED else None,
    }
    context.update(extra)
    return context


@login_required
def quotation_detail(request, pk: int):
    quotation = selectors.quotation_get_for_user(user=request.user, pk=pk)
    return render(request, "sales/quotation_detail.html", _quotation_context(request, quotation))


def _quotation_action(request, pk: int, *, action: str, form_class, call, success: str):
    """Send / accept / reject from the quotation's page; a refusal shows the page again with the
    action open, the message and what was typed."""
    quotation = selectors.quotation_get_for_user(user=request.user, pk=pk)

    def refused(exc: BusinessError, form):
        extra = {"open_action": action, "action_error": str(exc.message)}
        if form is not None:
            extra[f"{action}_form"] = form
        fresh = selectors.quotation_get_for_user(user=request.user, pk=pk)
        return render(request, "sales/quotation_detail.html", _quotation_context(request, fresh, **extra))

    return run_action(request, form=form_class(request.POST, prefix=action) if form_class else None,
                      call=lambda data: call(quotation, data), refused=refused, success_message=success,
                      success_url=lambda result: result.get_absolute_url())


@login_required
@require_POST
def quotation_send(request, pk: int):
    return _quotation_action(request, pk, action="send", form_class=None, success=_("Quotation marked as sent."),
                             call=lambda q, _d: services.quotation_send(actor=request.user, quotation_id=q.pk))


@login_required
@require_POST
def quotation_accept(request, pk: int):
    return _quotation_action(
        request, pk, action="accept", form_class=QuotationAcceptForm,
        success=_("Quotation accepted: here is the draft order. Record the customer's written order and the "
                  "phone call, then confirm."),
        call=lambda q, d: services.quotation_accept(
            actor=request.user, quotation_id=q.pk, customer_po_no=d["customer_po_no"],
            customer_po_date=d["customer_po_date"], ex_factory_date=d["ex_factory_date"], note=d.get("note", "")))


@login_required
@require_POST
def quotation_reject(request, pk: int):
    return _quotation_action(request, pk, action="reject", form_class=QuotationRejectForm,
                             success=_("Quotation marked as rejected."),
                             call=lambda q, d: services.quotation_reject(actor=request.user, quotation_id=q.pk,
                                                                         note=d.get("note", "")))


@login_required
def quotation_pdf(request, pk: int, language: str):
    quotation = selectors.quotation_get_for_user(user=request.user, pk=pk)
    render_pdf = _renderer()
    if render_pdf is None or language not in PDF_LANGUAGES:
        raise Http404("No PDF in that language.")
    pdf = render_pdf(quotation=quotation, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{quotation.number}-{language}") or "quotation"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


# --- entering a quotation ----------------------------------------------------------------------


def _quotation_form_page(request, *, quotation: Quotation | None = None):
    user = request.user
    posted = request.method == "POST"
    with_cost = user.has_perm("sales.view_cost")
    kwargs = {"matrix": False, "with_cost": with_cost, "products": _products(user),
              "suppliers": supplier_queryset(user).filter(
                  kind__in=[Supplier.Kind.OUTSOURCED_FACTORY, Supplier.Kind.OWN_WORKSHOP]) if with_cost else None}
    header = QuotationHeaderForm(request.POST if posted else None, user=user, quotation=quotation)
    status = 200
    if posted:
        lines = LineSet.from_post(request.POST, **kwargs)
        if "save" not in request.POST:
            lines.rebuild(add=1 if "add_line" in request.POST else 0)
            initial = request.POST.dict()
            if "fill" in request.POST:  # "Fill from products": the empty fields of the lines, and the packing
                packing = fill_lines(request, lines, customer=quotation.customer if quotation else None,
                                     customer_id=request.POST.get("customer"),
                                     currency=request.POST.get("currency") or (quotation.currency_id
                                                                               if quotation else None))
                initial["packing"] = add_packing(initial.get("packing", ""), packing)
            header = QuotationHeaderForm(user=user, quotation=quotation, initial=initial)
        else:
            status = 400
            lines_ok = lines.prepare()
            header_ok = header.is_valid()
            raw = lines.service_lines()
            if not with_cost and quotation is not None:
                _keep_costs(quotation, raw)
            if header_ok and lines_ok and not lines.has_errors:
                try:
                    result = _save_quotation(user, quotation, header, raw)
                except BusinessError as exc:
                    _show_refusal(header, lines, exc)
                    status = error_status(exc)
                else:
                    messages.success(request, _("Quotation saved."))
                    return redirect(result)
            else:
                # The form's own errors, and the service's on what could be read, on one page.
                try:
                    _save_quotation(user, quotation, header, raw, validate_only=True)
                except BusinessError as exc:
                    if exc.kind == Kind.VALIDATION:
                        _show_refusal(header, lines, exc)
    else:
        lines = LineSet.from_lines(quotation.lines.all(), **kwargs) if quotation else LineSet.blank(3, **kwargs)
    return render(request, "sales/quotation_form.html", {
        "title": _("Edit quotation %(number)s") % {"number": quotation} if quotation else _("New quotation"),
        "quotation": quotation, "form": header, "lines": lines, "products": lines.products,
        "suppliers": kwargs["suppliers"],
        "packing_field": "packing",
        "cancel_url": quotation.get_absolute_url() if quotation else reverse("sales:quotation_list"),
    }, status=status)


def _keep_costs(quotation: Quotation, raw: list[dict]) -> None:
    """A user who may not see cost edits the lines: keep the factory cost each line had."""
    old = list(quotation.lines.all())
    for index, line in enumerate(raw):
        if index < len(old):
            line["factory_cost"] = old[index].factory_cost
            line["cost_supplier"] = old[index].cost_supplier


def _save_quotation(user, quotation, header, raw, *, validate_only: bool = False):
    """Call the service; ``validate_only`` (the form has errors of its own) checks what could be
    read and saves nothing."""
    if quotation is None:
        customer = header.cleaned_data.get("customer")
        if customer is None:  # no customer to take the terms from: the lines alone
            currency = header.cleaned_data.get("currency")
            return clean_lines(raw, currency=getattr(currency, "code", None) or DEFAULT_CURRENCY)
        return services.quotation_create(actor=user, customer_id=customer.pk, data=header.service_data(),
                                         lines=raw, validate_only=validate_only)
    return services.quotation_update(actor=user, quotation_id=quotation.pk, data=header.service_data(), lines=raw,
                                     expected_version=header.cleaned_data.get("version"),
                                     validate_only=validate_only)


@login_required
def quotation_create(request):
    if not request.user.has_perm("sales.add_quotation"):
        raise PermissionDenied
    return _quotation_form_page(request)


@login_required
def quotation_edit(request, pk: int):
    quotation = selectors.quotation_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("sales.change_quotation"):
        raise PermissionDenied
    editable = services.quotation_edit_check(quotation)
    if not editable:
        messages.error(request, editable.reason)
        return redirect(quotation)
    return _quotation_form_page(request, quotation=quotation)
