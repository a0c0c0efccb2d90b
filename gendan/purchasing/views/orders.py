"""Purchase order pages: list, detail with its actions, create/edit with lines, receive.

Each action is a POST that calls one service (``core.views.run_action``); a refusal shows the
page again with the service's message and the status of the one mapping (400 input, 403 role,
409 rule, state or stale page), nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, CoreError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.core.guards import parse_id
from gendan.core.listing import Column, GroupBy, ListPageView, Typeahead
from gendan.core.money import format_money
from gendan.core.views import run_action
from gendan.core.xlsx import MONEY
from gendan.parties.models import Supplier
from gendan.purchasing import rules, selectors
from gendan.purchasing.errors import PurchasingError
from gendan.purchasing.forms import (
    ConfirmForm,
    ProgressNoteForm,
    PurchaseLineFormSet,
    PurchaseOrderFilterForm,
    PurchaseOrderForm,
    ReasonForm,
    ReceiveForm,
)
from gendan.purchasing.models import MaterialRequirement, PurchaseOrder
from gendan.purchasing.pdf import render_purchase_order
from gendan.purchasing.services import orders as services
from gendan.purchasing.services.orders import uncovered_quantities
from gendan.purchasing.services.receipts import goods_receive

CHANGE = "purchasing.change_purchaseorder"


class PurchaseOrderListView(ListPageView):
    title = gettext_lazy("Purchase orders")
    export_name = "purchase-orders"
    export_totals_by = "currency_id"
    default_sort = "-number"
    filter_form_class = PurchaseOrderFilterForm
    create_url_name = "purchasing:purchase_order_create"
    create_permission = CHANGE
    columns = [
        Column("number", gettext_lazy("purchase order no."), sort="number", link=True),
        Column("supplier", gettext_lazy("supplier"), value=lambda p: f"{p.supplier.code} {p.supplier.display_name}",
               sort="supplier__code"),
        Column("status", gettext_lazy("status"), value=lambda p: p.get_status_display(), sort="status"),
        Column("order_date", gettext_lazy("order date"), sort="order_date"),
        Column("total", gettext_lazy("total"), value=lambda p: format_money(p.total_amount, p.currency_id),
               sort="total_amount", numeric=True, export=[
                   Column("currency_id", gettext_lazy("currency")),
                   Column("total_amount", gettext_lazy("total"), format=MONEY, total=True)]),
        Column("purchaser", gettext_lazy("purchaser"), value=lambda p: str(p.purchaser), sort="purchaser__username"),
    ]
    group_by = [
        GroupBy("supplier", gettext_lazy("supplier"), "supplier_id",
                display=lambda p: f"{p.supplier.code} {p.supplier.display_name}"),
        GroupBy("status", gettext_lazy("status"), "status", display=lambda p: p.get_status_display()),
        GroupBy("purchaser", gettext_lazy("purchaser"), "purchaser_id", display=lambda p: str(p.purchaser)),
        GroupBy("currency", gettext_lazy("currency"), "currency_id"),
        GroupBy.month("order_month", gettext_lazy("month of order date"), "order_date"),
    ]
    group_money = ("total_amount", "currency_id")
    # every material supplier, the inactive ones too (their old orders stay findable)
    typeahead = {"supplier": Typeahead(lambda view: Supplier.objects.filter(
        kind=Supplier.Kind.MATERIAL_SUPPLIER).order_by("code"))}

    def get_base_queryset(self):
        if not self.request.user.has_perm("purchasing.view_purchaseorder"):
            raise PermissionDenied
        return selectors.purchase_order_queryset(self.request.user)

    def filter_queryset(self, qs, data):
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(Q(number__icontains=q) | Q(supplier__code__icontains=q)
                           | Q(supplier__name_zh__icontains=q) | Q(supplier__name_en__icontains=q))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        qs, _rest = self.typeahead_filter(qs, data, "supplier", "supplier")
        if data.get("late"):
            qs = qs.filter(selectors.late_q())
        return qs


@dataclass(frozen=True)
class Button:
    """A button to show (always truthy, unlike a refused ``Check``), enabled or with the reason."""

    allowed: bool
    reason: str = ""


def _buttons(user, purchase_order: PurchaseOrder) -> dict[str, Button]:
    """The actions to show: not those the role may not do, nor those of another state; a
    rule's refusal shows the button disabled with its reason."""
    checks = rules.purchase_order_actions(user=user, purchase_order=purchase_order)
    return {name: Button(check.allowed, check.reason) for name, check in checks.items()
            if check.code not in (CoreError.FORBIDDEN, CoreError.TRANSITION_NOT_ALLOWED, PurchasingError.NOT_EDITABLE)}


def _detail_context(request, purchase_order: PurchaseOrder, *, forms=None, open_action: str = "",
                    error: str = "") -> dict:
    forms = forms or {}
    lines = list(purchase_order.lines.all())
    today = timezone.localdate()
    for line in lines:
        line.late = bool(line.eta and line.eta < today and line.outstanding_quantity > 0)
    return {
        "po": purchase_order, "title": str(purchase_order), "lines": lines,
        "buttons": _buttons(request.user, purchase_order),
        "forms": {
            "confirm": forms.get("confirm") or ConfirmForm(purchase_order=purchase_order, prefix="confirm"),
            "note": forms.get("note") or ProgressNoteForm(purchase_order=purchase_order, prefix="note",
                                                          initial={"noted_on": today}),
            "cancel": forms.get("cancel") or ReasonForm(prefix="cancel"),
            "close": forms.get("close") or ReasonForm(prefix="close"),
        },
        "open_action": open_action, "action_error": error,
        "contacts": list(purchase_order.supplier.contacts.all()),
        "receipts": list(purchase_order.receipts.all()),
        "notes": list(purchase_order.progress_notes.all()),
        "events": timeline_for(purchase_order),
    }


@login_required
def purchase_order_detail(request, pk: int):
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
    return render(request, "purchasing/purchase_order_detail.html", _detail_context(request, purchase_order))


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _act(request, pk: int, *, action: str, call: Callable, success: str, form=None) -> HttpResponse:
    """Validate the action's form (if any), call the service, redirect; on a refusal show the
    page again with the action's form open and the message."""
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)  # 404 outside scope
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied

    def refused(exc: BusinessError, form):
        fresh = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
        context = _detail_context(request, fresh, forms={action: form} if form is not None else None,
                                  open_action=action, error=str(exc.message))
        return render(request, "purchasing/purchase_order_detail.html", context)

    return run_action(request, form=form, call=lambda data: call(purchase_order, data), success_message=success,
                      success_url=reverse("purchasing:purchase_order_detail", args=[pk]), refused=refused)


@login_required
@require_POST
def purchase_order_send(request, pk: int):
    return _act(request, pk, action="send", success=_("Purchase order sent to the supplier."),
                call=lambda po, _d: services.purchase_order_send(actor=request.user, purchase_order_id=po.pk,
                                                                 expected_version=_version(request)))


@login_required
@require_POST
def purchase_order_confirm(request, pk: int):
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
    form = ConfirmForm(request.POST, purchase_order=purchase_order, prefix="confirm")
    return _act(request, pk, action="confirm", form=form, success=_("Supplier's confirmation recorded."),
                call=lambda po, _d: services.purchase_order_confirm(
                    actor=request.user, purchase_order_id=po.pk, expected_version=_version(request),
                    etas=form.etas()))


@login_required
@require_POST
def purchase_order_cancel(request, pk: int):
    form = ReasonForm(request.POST, prefix="cancel")
    return _act(request, pk, action="cancel", form=form, success=_("Purchase order cancelled."),
                call=lambda po, d: services.purchase_order_cancel(
                    actor=request.user, purchase_order_id=po.pk, reason=d.get("reason", ""),
                    expected_version=_version(request)))


@login_required
@require_POST
def purchase_order_close(request, pk: int):
    form = ReasonForm(request.POST, prefix="close")
    return _act(request, pk, action="close", form=form, success=_("Purchase order closed."),
                call=lambda po, d: services.purchase_order_close(
                    actor=request.user, purchase_order_id=po.pk, reason=d.get("reason", ""),
                    expected_version=_version(request)))


@login_required
@require_POST
def progress_note_add(request, pk: int):
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
    form = ProgressNoteForm(request.POST, purchase_order=purchase_order, prefix="note")
    return _act(request, pk, action="note", form=form, success=_("Supplier's progress noted."),
                call=lambda po, d: services.progress_note_add(
                    actor=request.user, purchase_order_id=po.pk, noted_on=d["noted_on"], text=d["text"],
                    new_eta=d.get("new_eta"), line_id=int(d["line"]) if d.get("line") else None))


def _initial_from_requirements(request) -> tuple[dict, list[dict]]:
    """Prefill a new purchase order from requirements ticked on a requirements list: one line
    per material with what is still uncovered, the requirements' supplier."""
    ids = [n for n in (parse_id(x) for x in request.GET.getlist("requirement")) if n is not None]
    if not ids:
        return {}, []
    requirements = list(selectors.requirement_queryset(request.user).filter(pk__in=ids)
                        .exclude(status=MaterialRequirement.Status.RECEIVED))
    free = uncovered_quantities([r.pk for r in requirements])
    by_material: dict[int, dict] = {}
    header = {}
    for requirement in requirements:
        if free.get(requirement.pk, 0) <= 0:
            continue
        if requirement.supplier_id and "supplier" not in header:
            header["supplier"] = requirement.supplier_id
        line = by_material.setdefault(requirement.component_id, {
            "material": requirement.component_id, "quantity": 0, "covers": []})
        line["quantity"] += free[requirement.pk]
        line["covers"].append(str(requirement.pk))
    lines = [{**line, "covers": ",".join(line["covers"])} for line in by_material.values()]
    return header, lines


def _lines_from(purchase_order: PurchaseOrder) -> list[dict]:
    return [{"material": line.material_id, "quantity": line.quantity, "unit_price": line.unit_price, "eta": line.eta,
             "covers": ",".join(str(c.requirement_id) for c in line.coverages.all())}
            for line in purchase_order.lines.all()]


BLANK_ROWS = 4


@login_required
def purchase_order_form(request, pk: int | None = None):
    """Create a purchase order, or edit a draft one (header and lines)."""
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk) if pk else None
    if purchase_order is not None:
        check = rules.edit_check(purchase_order)
        if not check:
            messages.error(request, check.reason)
            return redirect(purchase_order)
    status = 200
    if request.method == "POST":
        form = PurchaseOrderForm(request.POST)
        formset = PurchaseLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                if purchase_order is None:
                    purchase_order = services.purchase_order_create(
                        actor=request.user, supplier=data["supplier"], currency=data["currency"],
                        lines=formset.lines(), notes=data["notes"],
                        over_receipt_percent=data.get("over_receipt_percent"))
                    messages.success(request, _("Purchase order %(po)s created as a draft.") % {"po": purchase_order})
                else:
                    services.purchase_order_update(
                        actor=request.user, purchase_order_id=purchase_order.pk, expected_version=data.get("version"),
                        supplier=data["supplier"], currency=data["currency"], lines=formset.lines(),
                        notes=data["notes"], over_receipt_percent=data.get("over_receipt_percent"))
                    messages.success(request, _("Purchase order saved."))
                return redirect("purchasing:purchase_order_detail", pk=purchase_order.pk)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
        else:
            status = 400
    else:
        if purchase_order is None:
            header, lines = _initial_from_requirements(request)
            form = PurchaseOrderForm(initial={"currency": "CNY", "over_receipt_percent": 0, **header})
        else:
            lines = _lines_from(purchase_order)
            form = PurchaseOrderForm(initial={
                "version": purchase_order.version, "supplier": purchase_order.supplier_id,
                "currency": purchase_order.currency_id, "over_receipt_percent": purchase_order.over_receipt_percent,
                "notes": purchase_order.notes})
        formset = PurchaseLineFormSet(prefix="lines", initial=lines + [{}] * BLANK_ROWS)
    return render(request, "purchasing/purchase_order_form.html", {
        "form": form, "formset": formset, "po": purchase_order, "status_code": status,
        "title": str(purchase_order) if purchase_order else _("New purchase order"),
    }, status=status)


@login_required
def purchase_order_pdf(request, pk: int):
    """The 采购合同 as a PDF, for whoever may see the purchase order."""
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(render_purchase_order(purchase_order=purchase_order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{purchase_order.number}.pdf"'
    return response


@login_required
def purchase_order_receive(request, pk: int):
    """Record goods received: a quantity per line."""
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    check = rules.receive_check(purchase_order)
    status = 200
    if request.method == "POST":
        form = ReceiveForm(request.POST, purchase_order=purchase_order)
        if form.is_valid():
            try:
                goods_receive(actor=request.user, purchase_order_id=purchase_order.pk,
                              received_on=form.cleaned_data["received_on"], quantities=form.quantities(),
                              note=form.cleaned_data["note"], expected_version=form.cleaned_data.get("version"))
                messages.success(request, _("Goods received."))
                return redirect(purchase_order)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
        else:
            status = 400
    else:
        form = ReceiveForm(purchase_order=purchase_order, initial={
            "version": purchase_order.version, "received_on": timezone.localdate()})
    return render(request, "purchasing/purchase_order_receive.html", {
        "po": purchase_order, "form": form, "check": check, "title": _("Receive goods")}, status=status)
