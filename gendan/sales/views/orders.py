"""Order pages: the list, the order's page, entering and editing a draft, a change order, and
downloading an issued PI / contract."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.catalog.models import Product
from gendan.catalog.selectors import product_queryset
from gendan.core.errors import BusinessError, Kind, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.money import format_money
from gendan.documents.views import open_stored
from gendan.parties.selectors import customer_visible_to
from gendan.sales import selectors
from gendan.sales.forms import (
    CancelForm,
    OptionalReasonForm,
    OrderHeaderForm,
    ReasonForm,
    ReissueForm,
    VerbalConfirmationForm,
    WrittenConfirmationForm,
)
from gendan.sales.forms.lines import LineSet
from gendan.sales.line_defaults import add_packing
from gendan.sales.models import OrderDocument, SalesOrder
from gendan.sales.money_terms import loosened_text
from gendan.sales.panels import OVERVIEW, panels_for, tab_of, tabs_for
from gendan.sales.readiness import unfinished_text, unfinished_work
from gendan.sales.rules import overridable_gates, pending_revision, revision_loosened
from gendan.sales.services.documents import reissue_effect
from gendan.sales.services.lines import clean_lines
from gendan.sales.services.orders import order_create, order_update
from gendan.sales.services.revisions import order_revise
from gendan.sales.views.buttons import order_buttons
from gendan.sales.views.display import confirmations_by_revision, diff_product_ids, diff_rows, line_matrix
from gendan.sales.views.line_defaults import fill_lines
from gendan.sales.views.order_list import OrderListView  # noqa: F401 (the URLconf names it here)

# --- the list ------------------------------------------------------------------------------


# The list lives in ``sales.views.order_list`` (``core.listing``: columns, groupings, saved views).


# --- the order's page ------------------------------------------------------------------------

# The states "mark ready" moves from: the page lists what production has not finished there.
READY_FROM = {SalesOrder.Status.CONFIRMED, SalesOrder.Status.IN_PRODUCTION}

ACTION_FORMS = {
    "written": WrittenConfirmationForm,
    "verbal": VerbalConfirmationForm,
    "hold": ReasonForm,
    "resume": OptionalReasonForm,
    "mark_ready": OptionalReasonForm,  # required while production is not finished (``sales.readiness``)
    "cancel": CancelForm,
    "close": OptionalReasonForm,
    "withdraw_revision": OptionalReasonForm,
    "approve_revision": ReasonForm,
    "issue_pi": ReissueForm,
    "issue_contract": ReissueForm,
}


def register_action_form(key: str, form_class) -> None:
    """The form of an action another app registers on the order (``sales.actions``), shown
    inside its button (finance: the payment requests' message)."""
    ACTION_FORMS[key] = form_class


def action_forms() -> dict:
    """Every action's form class, the overrides of the registered gates included (a reason)."""
    return {**ACTION_FORMS, **{f"override_{key}": ReasonForm for key in overridable_gates()}}


def order_page_context(request, order: SalesOrder, *, bound: dict | None = None, open_action: str = "",
                       error: str = "") -> dict:
    """Everything the order's page shows. ``bound`` replaces an action's empty form with the
    one the user posted (refused: shown again, open, with its messages)."""
    user = request.user
    tab = page_tab(request)
    shown = panels_for(request, order, tab=None if tab == ALL_TABS else tab)
    overview = tab in (OVERVIEW, ALL_TABS)
    context = {
        "order": order,
        "title": str(order),
        # the customer's name links to its page only for who may open it (planner, QC … see plain text)
        "customer_visible": customer_visible_to(user, order.customer),
        "buttons": order_buttons(user=user, order=order),
        "open_action": open_action,
        "action_error": error,
        "panels": shown,
        # the cockpit: the tab bar with counts, and only the chosen tab's panels (all after a refused POST)
        "tab": tab,
        "tabs": tabs_for(request, order, current=OVERVIEW if tab == ALL_TABS else tab),
        "show_overview": overview,
        "other_panels": [p for p in shown if p["tab"] != OVERVIEW],
        "events": [],
    }
    if overview:  # the next steps, lines, confirmations, change orders and timeline
        context.update(_overview_context(request, order, bound=bound))
    if tab in ("money", ALL_TABS):
        context.update({
            "plan_items": sorted(order.plan_items.all(), key=lambda item: item.kind != "deposit"),
            "payment_requests": list(order.payment_requests.all()),
            "allocations": list(order.allocations.all()),
            "can_view_receipts": user.has_perm("finance.view_receipt"),
            "outstanding": format_money(order.outstanding_amount, order.currency_id),
        })
    if tab in ("documents", ALL_TABS):
        context["documents"] = list(order.documents.all())
    if tab in ("shipments", ALL_TABS):
        context["shipments"] = list(order.shipments.all())
    return context


def _overview_context(request, order: SalesOrder, *, bound: dict | None) -> dict:
    forms = {key: form_class(prefix=key) for key, form_class in action_forms().items()}
    if order.received_amount <= 0:  # nothing received: nothing to decide about the money
        forms["cancel"].fields.pop("deposit_disposition", None)
    forms.update(bound or {})
    revisions = list(order.revisions.all())
    pending = pending_revision(order)
    products = Product.objects.in_bulk(diff_product_ids(revisions)) if revisions else {}
    return {
        "forms": forms,
        "lines": [(line, line_matrix(line)) for line in order.lines.all()],
        "confirmation_groups": confirmations_by_revision(order),
        # what re-issuing does, beside its button ("" while there is nothing to replace)
        "reissue_effects": {kind: reissue_effect(order, kind) for kind in OrderDocument.Kind.values},
        "revisions": [(revision, diff_rows(revision.diff, products)) for revision in reversed(revisions)],
        "pending_revision": pending,
        # what the pending change order loosens ("deposit 30 % → 0 %"), shown with the approval it needs
        "pending_loosened": loosened_text(revision_loosened(order, pending)) if pending else "",
        # what "mark ready" would leave unfinished, beside its button ("" when production is done)
        "ready_unfinished": unfinished_text(unfinished_work(order)) if order.status in READY_FROM else "",
        "events": timeline_for(order),
    }


def page_tab(request) -> str:
    """The tab the order's page shows: ``?tab=money`` that tab's panels only; a refused action
    (POST) every panel, so the one that refused shows its message whatever its tab; ``?tab=all``
    too (one page to print)."""
    if request.method == "POST" or request.GET.get("tab") == ALL_TABS:
        return ALL_TABS
    return tab_of(request.GET.get("tab"))


ALL_TABS = "all"


def order_page(request, order: SalesOrder) -> HttpResponse:
    """The order's page; also how another app's panel answers its refused action (``sales.panels``).
    A tab link followed by htmx gets the cockpit (tab bar and the tab's body) alone."""
    template = "sales/_order_cockpit.html" if getattr(request, "htmx", False) and request.method == "GET" \
        else "sales/order_detail.html"
    return render(request, template, order_page_context(request, order))


@login_required
def order_detail(request, pk: int):
    tab = page_tab(request)  # read what that tab shows
    return order_page(request, selectors.order_get_for_user(user=request.user, pk=pk,
                                                            tab=None if tab == ALL_TABS else tab))


@login_required
def order_document_download(request, pk: int, document_id: int):
    """Stream an issued PI / contract to whoever may open its order (404 for anyone else)."""
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    document = next((d for d in order.documents.all() if d.pk == document_id), None)
    if document is None or not document.file:
        raise Http404("No such document.")
    stored = open_stored(request, document.file, name=f"{document.display_number}.pdf")
    if isinstance(stored, HttpResponse):
        return stored
    response = FileResponse(stored, as_attachment=False,
                            filename=f"{document.display_number}.pdf", content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- entering and changing an order ----------------------------------------------------------


# Only rounds the lines' amounts while they are checked without a customer (whose currency it is).
DEFAULT_CURRENCY = "USD"


def _products(user):
    return product_queryset(user).filter(is_active=True).order_by("code")


def _order_form_page(request, *, mode: str, order: SalesOrder | None = None):
    """The header + lines form for a new draft, an edited draft or a change order.

    "Update grid" and "Add line" come back unsaved; "Save" calls the one service of the mode.
    Whatever the user typed is shown again on any refusal."""
    user = request.user
    posted = request.method == "POST"
    header = OrderHeaderForm(request.POST if posted else None, mode=mode, user=user, order=order)
    products = _products(user)
    status = 200
    if posted:
        lines = LineSet.from_post(request.POST, products=products)
        if "save" not in request.POST:
            # "Update grid" / "Add line": show what was typed again, unsaved and not judged yet.
            lines.rebuild(add=1 if "add_line" in request.POST else 0)
            initial = request.POST.dict()
            if "fill" in request.POST:  # "Fill from products": the empty fields of the lines, and the packing
                packing = fill_lines(request, lines, customer=order.customer if order else None,
                                     customer_id=request.POST.get("customer"),
                                     currency=request.POST.get("currency") or (order.currency_id if order else None))
                initial["packing_requirements"] = add_packing(initial.get("packing_requirements", ""), packing)
            header = OrderHeaderForm(mode=mode, user=user, order=order, initial=initial)
            return _render_order_form(request, mode, order, header, lines, status=200)
        lines_ok = lines.prepare()
        header_ok = header.is_valid()
        raw_lines = lines.service_lines()
        if lines_ok and header_ok and not lines.has_errors:
            try:
                result = _save(user, mode, order, header, raw_lines)
            except BusinessError as exc:
                _show_refusal(header, lines, exc)
                status = error_status(exc)
            else:
                messages.success(request, _SUCCESS[mode]())
                return redirect(result if mode != "revise" else result.order)
        else:
            # The form's own errors, and the service's on what could be read, on one page.
            status = 400
            try:
                _save(user, mode, order, header, raw_lines, validate_only=True)
            except BusinessError as exc:
                if exc.kind == Kind.VALIDATION:
                    _show_refusal(header, lines, exc)
    else:
        lines = LineSet.from_lines(order.lines.all(), products=products) if order else \
            LineSet.blank(3, products=products)
    return _render_order_form(request, mode, order, header, lines, status=status)


_SUCCESS = {
    "create": lambda: _("Draft order saved. Record the customer's written order and the phone call, then confirm."),
    "edit": lambda: _("Order saved."),
    "revise": lambda: _("Change order proposed. It takes effect once the customer confirms it in writing and "
                        "by phone."),
}


def _save(user, mode, order, header, raw_lines, *, validate_only: bool = False):
    """Call the mode's service; ``validate_only`` (the form has errors of its own) checks what
    could be read — the header's fields the form accepted and every line — and saves nothing."""
    data = header.service_data()
    if mode == "create":
        customer = header.cleaned_data.get("customer")
        if customer is None:  # no customer to take the terms from: the lines alone
            currency = data.get("currency")
            return clean_lines(raw_lines, currency=getattr(currency, "code", None) or DEFAULT_CURRENCY)
        return order_create(actor=user, customer_id=customer.pk, data=data, lines=raw_lines,
                            confirm_large_amount=header.confirm_large_amount, validate_only=validate_only)
    if mode == "edit":
        return order_update(actor=user, order_id=order.pk, data=data, lines=raw_lines,
                            expected_version=header.cleaned_data.get("version"),
                            confirm_large_amount=header.confirm_large_amount, validate_only=validate_only)
    return order_revise(actor=user, order_id=order.pk, data=data, lines=raw_lines,
                        reason=header.cleaned_data.get("reason", ""),
                        expected_version=header.cleaned_data.get("version"),
                        confirm_large_amount=header.confirm_large_amount, validate_only=validate_only)


def _show_refusal(header, lines: LineSet, exc: BusinessError) -> None:
    """Put a service's refusal beside its inputs (order and quotation forms): the lines' on
    their rows and cells, the header's on its fields — except where the form already says what
    is wrong there."""
    if "confirm_large_amount" in exc.fields and isinstance(header, OrderHeaderForm):
        header.offer_large_amount_confirmation()
    if "lines" in exc.fields:  # "add at least one line" once, whoever said it first
        exc.fields["lines"] = [m for m in exc.fields["lines"] if m not in lines.errors]
    for row in lines.rows:  # a product not in the list: its description is not missing, the product is wrong
        if "product" in row.error_fields:
            exc.fields.pop(f"lines[{row.index}].description", None)
    lines.add_errors(exc)
    for name in [name for name in exc.fields if name in header.errors]:
        del exc.fields[name]
    if header.errors and not exc.fields:
        return
    add_business_error(header, exc)


def _render_order_form(request, mode, order, header, lines, *, status: int):
    titles = {"create": _("New sales order"), "edit": _("Edit draft order %(order)s"),
              "revise": _("Change order %(order)s")}
    return render(request, "sales/order_form.html", {
        "title": titles[mode] % {"order": order} if order else titles[mode],
        "mode": mode,
        "order": order,
        "form": header,
        "lines": lines,
        "products": lines.products,
        "packing_field": "packing_requirements",
        "cancel_url": order.get_absolute_url() if order else reverse("sales:order_list"),
    }, status=status)


@login_required
def order_create_view(request):
    if not request.user.has_perm("sales.add_salesorder"):
        raise PermissionDenied
    return _order_form_page(request, mode="create")


@login_required
def order_edit(request, pk: int):
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("sales.change_salesorder"):
        raise PermissionDenied
    if order.status != SalesOrder.Status.DRAFT:
        messages.info(request, _("A confirmed order changes through a change order, which the customer confirms."))
        return redirect("sales:order_revise", pk=order.pk)
    return _order_form_page(request, mode="edit", order=order)


@login_required
def order_revise_view(request, pk: int):
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("sales.change_salesorder"):
        raise PermissionDenied
    buttons = order_buttons(user=request.user, order=order)
    button = buttons.get("revise")
    if button is None or not button.allowed:
        if order.status == SalesOrder.Status.DRAFT:
            return redirect("sales:order_edit", pk=order.pk)
        messages.error(request, button.reason if button else _("A “%(status)s” order cannot be changed.")
                       % {"status": order.get_status_display()})
        return redirect(order)
    return _order_form_page(request, mode="revise", order=order)
