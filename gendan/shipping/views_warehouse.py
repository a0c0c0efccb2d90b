"""The warehouse's pages: "to load this week" (shipments planned or loading whose planned
ex-factory or booked ETD falls in the week), an order's finished goods receipts (the stock per
line, the receipt form, void), the shipment page's "warehouse" section (containers, their
lines, seal and VGM, the forms to start / load / seal / cancel a container, the "goods leave"
button — disabled with the rule's reason) and the printable loading plan of a shipment.

Each POST calls one service through ``core.views.run_action``; a refusal shows the page as it
stands with the message and the input kept, with the one mapping's status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError
from gendan.core.guards import OK
from gendan.core.views import run_action
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user
from gendan.shipping import sections, selectors
from gendan.shipping.forms_warehouse import (
    ContainerCancelForm,
    ContainerLoadForm,
    ContainerSealForm,
    ContainerStartForm,
    DepartForm,
    GoodsReceiptForm,
    VoidForm,
)
from gendan.shipping.loading import loading_list, plan_svg, recommend_containers
from gendan.shipping.models import Container, FinishedGoodsReceipt, Shipment
from gendan.shipping.rules import (
    RECEIVING,
    container_cancel_check,
    container_change_check,
    container_start_check,
    goods_receive_check,
    shipment_depart_check,
)
from gendan.shipping.services.warehouse import (
    DEPART,
    LOAD,
    RECEIVE,
    START,
    VOID,
    container_cancel,
    container_load,
    container_seal,
    container_start,
    goods_receipt_void,
    goods_receive,
    shipment_depart,
)
from gendan.shipping.views_shipments import shipment_detail

C = Container.Status
PAGE_SIZE = 50


def _back(shipment: Shipment) -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + "#section-warehouse"


# --- "to load this week" ---------------------------------------------------------------------


def _week(value: str | None) -> dt.date:
    """The Monday of the ISO week ``value`` ("2026-W11"), or of this week."""
    try:
        monday, _sunday = selectors.iso_week(value or "")
    except ValueError:
        monday, _sunday = selectors.week_bounds(timezone.localdate())
    return monday


def _week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@login_required
def warehouse_loading(request):
    """Shipments to load in a week (this week unless ``?week=2026-W12``), with the week before
    and after; per row the order, customer, cartons planned / received / loaded, booking no.
    and CY cut-off; paginated."""
    if not request.user.has_perm(selectors.VIEW_SHIPMENT):
        raise Http404("No such page.")
    monday = _week(request.GET.get("week"))
    rows = selectors.loading_list_for_week(user=request.user, monday=monday)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    this_week = selectors.week_bounds(timezone.localdate())[0]
    return render(request, "shipping/warehouse/loading.html", {
        "title": _("To load this week"), "page": page, "monday": monday, "sunday": monday + dt.timedelta(days=6),
        "week": _week_label(monday), "previous": _week_label(monday - dt.timedelta(days=7)),
        "next": _week_label(monday + dt.timedelta(days=7)), "this_week": _week_label(this_week),
        "is_this_week": monday == this_week})


# --- finished goods receipts of an order -----------------------------------------------------


def _stock_rows(order) -> list[dict]:
    lines = list(order.lines.all())
    stock = selectors.order_line_stock([line.pk for line in lines])
    return [{"line": line, "stock": stock[line.pk]} for line in lines]


def _receipts_page(request, order, *, form=None, error=None, void_key=None, void_form=None, status=200):
    user = request.user
    receipts = list(selectors.goods_receipts_for_order(order))
    may_void = user.has_perm(VOID)
    rows = [{"r": r, "void": (void_form if void_key == r.pk else VoidForm(prefix=f"void-{r.pk}"))
             if may_void and r.voided_at is None else None, "error": error if void_key == r.pk else None}
            for r in receipts]
    form = form if form is not None else (GoodsReceiptForm(order=order, prefix="receive")
                                          if user.has_perm(RECEIVE) else None)
    response = render(request, "shipping/warehouse/receipts.html", {
        "title": _("Finished goods receipts"), "order": order, "rows": rows, "stock": _stock_rows(order),
        "form": form, "error": error if void_key is None else None})
    response.status_code = status
    return response


@login_required
def goods_receipts(request, pk: int):
    """An order's finished goods: the stock per line, the receipts, the receipt form (POST)."""
    order = order_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("shipping.view_finishedgoodsreceipt"):
        raise Http404("No such page.")
    if request.method != "POST":
        return _receipts_page(request, order)
    form = GoodsReceiptForm(request.POST, order=order, prefix="receive")

    def call(data):
        return goods_receive(actor=request.user, order_id=order.pk, order_line_id=data["order_line"],
                             quantity=data["quantity"], cartons=data["cartons"], received_on=data["received_on"],
                             source=data["source"], source_ref=data.get("source_ref", ""),
                             inspection=data["inspection"], location=data.get("location", ""),
                             notes=data.get("notes", ""))

    return run_action(request, form=form, call=call,
                      refused=lambda exc, f: _receipts_page(request, order, form=f, error=exc),
                      success_message=lambda r: _("Receipt %(no)s: %(qty)s received.") % {
                          "no": r.number, "qty": f"{r.quantity.normalize():f}"},
                      success_url=reverse("shipping:goods_receipts", args=[order.pk]))


@login_required
@require_POST
def goods_receipt_void_page(request, pk: int):
    receipt = FinishedGoodsReceipt.objects.filter(pk=pk).first()
    if receipt is None:
        raise Http404("No such receipt.")
    order = order_get_for_user(user=request.user, pk=receipt.order_id)
    form = VoidForm(request.POST, prefix=f"void-{receipt.pk}")
    return run_action(request, form=form,
                      call=lambda d: goods_receipt_void(actor=request.user, receipt_id=receipt.pk,
                                                        reason=d.get("reason", "")),
                      refused=lambda exc, f: _receipts_page(request, order, error=exc, void_key=receipt.pk,
                                                            void_form=f),
                      success_message=_("Receipt voided."),
                      success_url=reverse("shipping:goods_receipts", args=[order.pk]))


def stock_panel(request, order) -> dict | None:
    """The order page's "finished goods in the warehouse": the stock per line and the way to the
    receipts; ``None`` for a role that does not see receipts, or an order the warehouse has
    nothing to do with (a draft, a cancelled order without receipts)."""
    if not request.user.has_perm("shipping.view_finishedgoodsreceipt"):
        return None
    rows = _stock_rows(order)
    if order.status not in RECEIVING and not any(row["stock"].received for row in rows):
        return None
    return {"rows": rows, "url": reverse("shipping:goods_receipts", args=[order.pk]),
            "may_receive": request.user.has_perm(RECEIVE) and bool(goods_receive_check(order))}


panels.register("warehouse_stock", template="shipping/warehouse/_order_panel.html", context=stock_panel, rank=55,
                tab="shipments", count=panels.shown_to("shipping.view_finishedgoodsreceipt"))


# --- the shipment page's "warehouse" section -------------------------------------------------


def warehouse_section(request, shipment: Shipment) -> dict | None:
    """The shipment's containers and the warehouse's forms; ``None`` for a role that does not
    see containers. Queries: the containers with their lines, the stock of the shipment's lines."""
    user = request.user
    if not user.has_perm("shipping.view_container"):
        return None
    refusal = getattr(request, "warehouse_refusal", None) or {}
    order = shipment.order

    def bound(key):
        return refusal.get("form") if refusal.get("key") == key else None

    plan = list(shipment.lines.all())
    containers = list(Container.objects.filter(shipment=shipment).prefetch_related("lines__order_line")
                      .order_by("id"))
    stock = selectors.order_line_stock([line.order_line_id for line in plan])
    here: dict[int, Decimal] = {}  # loaded in this shipment's live containers, per order line
    for container in containers:
        if container.status != C.CANCELLED:
            for cl in container.lines.all():
                here[cl.order_line_id] = here.get(cl.order_line_id, Decimal(0)) + cl.quantity
    may_start, may_load, may_depart = user.has_perm(START), user.has_perm(LOAD), user.has_perm(DEPART)
    rows = []
    for container in containers:
        key = f"container-{container.pk}"
        row = {"c": container, "lines": list(container.lines.all()), "load": None, "seal": None, "cancel": None,
               "error": refusal.get("error") if refusal.get("key", "").startswith(key) else None}
        row["cartons"] = sum(line.cartons for line in row["lines"])
        row["gross_kg"] = sum(line.gross_kg for line in row["lines"])
        row["cbm"] = sum(line.cbm for line in row["lines"])
        if may_load and container_change_check(container):
            row["load"] = bound(f"{key}-load") or ContainerLoadForm(container=container, shipment_lines=plan,
                                                                    prefix=f"load-{container.pk}")
            row["seal"] = bound(f"{key}-seal") or ContainerSealForm(container=container, prefix=f"seal-{container.pk}")
        if may_load and container_cancel_check(container, shipment):
            row["cancel"] = bound(f"{key}-cancel") or ContainerCancelForm(container=container,
                                                                          prefix=f"cancel-{container.pk}")
        rows.append(row)
    in_progress = shipment.status in (Shipment.Status.PLANNED, Shipment.Status.LOADING)
    start_check = container_start_check(shipment, order) if may_start else OK
    depart_check = shipment_depart_check(shipment, order, containers=containers, stock=stock) if may_depart else OK
    return {
        "rows": rows, "plan": [{"line": line, "stock": stock.get(line.order_line_id), "loaded": here.get(line.order_line_id, 0),
                  "short": in_progress and line.quantity > stock[line.order_line_id].in_stock
                  + here.get(line.order_line_id, 0)} for line in plan],
        "start_form": (bound("start") or ContainerStartForm(shipment=shipment, prefix="start"))
        if may_start and start_check else None,
        "start_check": start_check, "may_start": may_start and in_progress,
        "depart_form": (bound("depart") or DepartForm(shipment=shipment, prefix="depart"))
        if may_depart and depart_check else None,
        "depart_check": depart_check, "may_depart": may_depart and in_progress,
        "error": refusal.get("error") if refusal.get("key") in ("start", "depart") else None,
        "receipts_url": reverse("shipping:goods_receipts", args=[order.pk]),
        "plan_url": reverse("shipping:loading_plan", args=[shipment.pk]),
    }


sections.register("warehouse", template="shipping/warehouse/_section.html", context=warehouse_section, rank=30)


def _refused(request, shipment: Shipment, key: str):
    def refused(exc, form):
        request.warehouse_refusal = {"key": key, "form": form, "error": exc}
        return shipment_detail(request, shipment.pk)
    return refused


def _container(request, pk: int) -> Container:
    """The container of a shipment the user may see (404 otherwise)."""
    container = Container.objects.filter(pk=pk).first()
    if container is None:
        raise Http404("No such container.")
    container.shipment = selectors.shipment_get_for_user(user=request.user, pk=container.shipment_id)
    return container


@login_required
@require_POST
def container_start_page(request, pk: int):
    shipment = selectors.shipment_get_for_user(user=request.user, pk=pk)
    form = ContainerStartForm(request.POST, shipment=shipment, prefix="start")
    return run_action(request, form=form, refused=_refused(request, shipment, "start"),
                      call=lambda d: container_start(actor=request.user, shipment_id=shipment.pk,
                                                     container_no=d["container_no"],
                                                     container_type=d["container_type"],
                                                     expected_version=d.get("version")),
                      success_message=lambda c: _("Container %(no)s opened for loading.") % {"no": c.container_no},
                      success_url=_back(shipment))


@login_required
@require_POST
def container_load_page(request, pk: int):
    container = _container(request, pk)
    shipment = container.shipment
    form = ContainerLoadForm(request.POST, container=container, shipment_lines=list(shipment.lines.all()),
                             prefix=f"load-{container.pk}")
    return run_action(request, form=form, refused=_refused(request, shipment, f"container-{container.pk}-load"),
                      call=lambda d: container_load(actor=request.user, container_id=container.pk,
                                                    lines=form.lines(), expected_version=d.get("version")),
                      success_message=lambda c: _("Container %(no)s: the cartons are counted in.") % {
                          "no": c.container_no},
                      success_url=_back(shipment))


@login_required
@require_POST
def container_seal_page(request, pk: int):
    container = _container(request, pk)
    shipment = container.shipment
    form = ContainerSealForm(request.POST, container=container, prefix=f"seal-{container.pk}")
    return run_action(request, form=form, refused=_refused(request, shipment, f"container-{container.pk}-seal"),
                      call=lambda d: container_seal(actor=request.user, container_id=container.pk,
                                                    seal_no=d["seal_no"], vgm_kg=d["vgm_kg"],
                                                    tare_kg=d.get("tare_kg") or None,
                                                    expected_version=d.get("version")),
                      success_message=lambda c: _("Container %(no)s sealed (seal %(seal)s).") % {
                          "no": c.container_no, "seal": c.seal_no},
                      success_url=_back(shipment))


@login_required
@require_POST
def container_cancel_page(request, pk: int):
    container = _container(request, pk)
    shipment = container.shipment
    form = ContainerCancelForm(request.POST, container=container, prefix=f"cancel-{container.pk}")
    return run_action(request, form=form,
                      refused=_refused(request, shipment, f"container-{container.pk}-cancel"),
                      call=lambda d: container_cancel(actor=request.user, container_id=container.pk,
                                                      reason=d.get("reason", ""), expected_version=d.get("version")),
                      success_message=_("Container cancelled: its cartons are back in the warehouse."),
                      success_url=_back(shipment))


@login_required
@require_POST
def shipment_depart_page(request, pk: int):
    shipment = selectors.shipment_get_for_user(user=request.user, pk=pk)
    form = DepartForm(request.POST, shipment=shipment, prefix="depart")
    return run_action(request, form=form, refused=_refused(request, shipment, "depart"),
                      call=lambda d: shipment_depart(actor=request.user, shipment_id=shipment.pk,
                                                     shipped_on=d["shipped_on"], expected_version=d.get("version")),
                      success_message=lambda s: _("Shipment %(no)s left the factory on %(date)s.") % {
                          "no": s.number, "date": s.shipped_on.isoformat()},
                      success_url=_back(shipment))


# --- the loading plan ------------------------------------------------------------------------


@login_required
def loading_plan(request, pk: int):
    """The recommended containers for the shipment's cartons, each drawn (top and side) with
    the loading list the warehouse prints."""
    shipment = selectors.shipment_get_for_user(user=request.user, pk=pk)
    cartons, missing = selectors.shipment_cartons(shipment)
    recommendation, error, plans = None, None, []
    if cartons:
        try:
            recommendation = recommend_containers(cartons)
        except BusinessError as exc:
            error = exc
        else:
            for number, plan in enumerate(recommendation["containers"], start=1):
                plans.append({"n": number, "plan": plan, "svg": mark_safe(plan_svg(plan)),  # escaped by plan_svg
                              "rows": loading_list(plan), "cartons": len(plan["placed"])})
    return render(request, "shipping/warehouse/loading_plan.html", {
        "title": _("Loading plan"), "shipment": shipment, "order": shipment.order, "cartons": cartons,
        "missing": missing, "recommendation": recommendation, "plans": plans, "error": error,
        "back": _back(shipment)})
