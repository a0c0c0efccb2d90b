"""Reads of quotations and sales orders, scoped to the user (pages, API and exports use these)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.request_cache import per_request
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_scope
from gendan.sales.gates import ORDER_GATES
from gendan.sales.models import Confirmation, OrderRevision, Quotation, SalesOrder, SalesOrderLine
from gendan.sales.panels import OVERVIEW, prefetches_for

# Departments that work on every order without seeing the customer master data.
ALL_ORDERS_ROLES = {Role.ADMIN, Role.FINANCE, Role.PRODUCTION_PLANNER, Role.PURCHASING, Role.QC, Role.WAREHOUSE}


def order_scope(user: User, *, one: bool = False) -> Q:
    """Orders ``user`` may see: those of customers in their customer scope, the orders they
    follow as merchandiser, and every order for the departments that serve all orders.

    The customer ids are read first and listed: an ``IN (subquery)`` inside the OR makes
    PostgreSQL scan every order (122 ms → 9 ms on 100 000 orders, bench/README.md). ``one``: the
    filter picks one order by its key — the database finds it by the key first and asks the
    subquery of that row alone, so the ids are not read beforehand (one query fewer)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_role(*ALL_ORDERS_ROLES):
        return Q()
    scope = customer_scope(user)
    if scope == Q():
        return Q()
    if one:
        customers = Q(pk__in=[]) if scope == Q(pk__in=[]) else Q(customer_id__in=_customer_ids(scope).values("pk"))
        return customers | Q(merchandiser=user) | Q(salesperson=user)
    # Read once per page (core.request_cache): the board's sections, the badge and the lists all ask.
    customer_ids = [] if scope == Q(pk__in=[]) else per_request(
        ("sales.order_scope", user.pk), lambda: list(_customer_ids(scope).values_list("pk", flat=True)))
    return Q(customer_id__in=customer_ids) | Q(merchandiser=user) | Q(salesperson=user)


def _customer_ids(scope: Q):
    return Customer.objects.filter(scope)


def order_link_columns(path: str = "") -> list[str]:
    """The columns a link to an order shows — its page, number and customer code — for ``only()``
    on a query that reaches the order by ``path`` (e.g. ``"shipment__order"``; empty: the order
    itself) with ``select_related`` of its customer. An order and its customer are some eighty
    columns, each compiled into the query and converted, that a line on the chase board never reads."""
    prefix = f"{path}__" if path else ""
    return [f"{prefix}id", f"{prefix}number", f"{prefix}customer_id", f"{prefix}customer__id",
            f"{prefix}customer__code"]


def order_queryset(user: User, *, one: bool = False) -> QuerySet[SalesOrder]:
    """The orders ``user`` may see, with their customer, currency and people (``one``: to pick one
    by its key, as ``order_scope``)."""
    if not user.has_perm("sales.view_salesorder"):
        return SalesOrder.objects.none()
    return SalesOrder.objects.filter(order_scope(user, one=one)).select_related(
        "customer", "currency", "merchandiser", "salesperson")


# Filters of the order list that other apps own: name -> (value -> Q). Registered in their
# ``AppConfig.ready`` (finance: "payment_overdue"; tracking: "risk").
_ORDER_FILTERS: dict[str, Callable[[Any], Q]] = {}


def register_order_filter(name: str, q: Callable[[Any], Q]) -> None:
    """Add the order list filter ``name``: ``q(value)`` is the condition for a non-empty value."""
    _ORDER_FILTERS[name] = q


def order_list(*, user: User, filters: dict | None = None) -> QuerySet[SalesOrder]:
    """The order list with its filters: status, customer, merchandiser, PO date range,
    ex-factory range, blocked by a gate, free text (order / PO no.), and those other apps
    register (overdue payment, T&A risk)."""
    qs = order_queryset(user)
    f = filters or {}
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(Q(number__icontains=q) | Q(customer_po_no__icontains=q) | Q(customer__code__icontains=q)
                       | Q(customer__name_en__icontains=q) | Q(customer__name_zh__icontains=q))
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("customer"):
        qs = qs.filter(customer=f["customer"])
    if f.get("merchandiser"):
        qs = qs.filter(merchandiser=f["merchandiser"])
    if f.get("po_from"):
        qs = qs.filter(customer_po_date__gte=f["po_from"])
    if f.get("po_to"):
        qs = qs.filter(customer_po_date__lte=f["po_to"])
    if f.get("exf_from"):
        qs = qs.filter(ex_factory_date__gte=f["exf_from"])
    if f.get("exf_to"):
        qs = qs.filter(ex_factory_date__lte=f["exf_to"])
    if f.get("blocked"):
        qs = qs.filter(gate_blocked_q(f["blocked"]))
    for name, condition in _ORDER_FILTERS.items():
        if f.get(name):
            qs = qs.filter(condition(f[name]))
    return qs


def gate_blocked_q(gate: str) -> Q:
    """Orders held back by the gate ``gate`` (``sales.gates``: "deposit", "balance",
    "inspection" …), as the gate's owner states it; no condition for an unknown gate."""
    found = ORDER_GATES.get(gate)
    if found is None or found.blocked_q is None:
        return Q()
    return found.blocked_q()


# What every tab of the order's page reads of it: the header's buttons (their guards read the
# lines, confirmations, change orders, instalments and the customer's contacts) and the tab bar's
# counts (instalments, PI / contract, production orders; the shipments are counted, not read:
# ``sales.views.order_tabs``).
ORDER_PAGE_READS = ("customer__contacts", "confirmations", "revisions", "plan_items", "documents",
                    "production_orders")
# What the overview's own sections show beyond that: the lines' colour × size grids, who recorded
# a confirmation and its file, who proposed and approved a change order — read with the
# confirmations and change orders themselves (``select_related``: no query of their own).
OVERVIEW_READS = ("lines__cells",)
_OVERVIEW_JOINS = {"confirmations": ("recorded_by", "attachment"), "revisions": ("created_by", "approved_by")}


def order_get_for_user(*, user: User, pk: int, tab: str | None = None) -> SalesOrder:
    """The order with everything its page shows; 404 for missing or out of scope alike.

    ``tab`` (a key of ``sales.panels.TABS``): only what that tab of the page reads — what every
    tab reads, the overview's sections on the overview, and what the tab's panels declare
    (``panels.register(prefetch=...)``); ``None``: everything (``?tab=all``, a refused action's
    page, any other caller)."""
    lookups: list = [Prefetch("lines", queryset=SalesOrderLine.objects.select_related("product")),
                     *ORDER_PAGE_READS]
    if tab in (None, OVERVIEW):
        related = {"confirmations": Confirmation, "revisions": OrderRevision}
        lookups = [Prefetch(lookup, queryset=related[lookup].objects.select_related(*_OVERVIEW_JOINS[lookup]))
                   if lookup in _OVERVIEW_JOINS else lookup for lookup in lookups]
        lookups += OVERVIEW_READS
    lookups += prefetches_for(tab)
    try:
        # ``one``: the scope's customers asked by the database for this row, not listed beforehand
        return (order_queryset(user, one=True)
                .select_related("customer__region", "quotation", "confirmed_by")
                .prefetch_related(*lookups)
                .get(pk=pk))
    except (SalesOrder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such order.") from None


def quotation_queryset(user: User) -> QuerySet[Quotation]:
    if not user.has_perm("sales.view_quotation"):
        return Quotation.objects.none()
    scope = customer_scope(user)
    return Quotation.objects.filter(customer__in=_customer_ids(scope)).select_related(
        "customer", "currency", "salesperson")


def quotation_get_for_user(*, user: User, pk: int) -> Quotation:
    try:
        return quotation_queryset(user).prefetch_related("lines__product", "lines__cost_supplier").get(pk=pk)
    except (Quotation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such quotation.") from None


def quotation_list(*, user: User, filters: dict | None = None) -> QuerySet[Quotation]:
    qs = quotation_queryset(user)
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("customer"):
        qs = qs.filter(customer=f["customer"])
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(Q(number__icontains=q) | Q(customer__code__icontains=q) | Q(customer__name_en__icontains=q)
                       | Q(customer__name_zh__icontains=q))
    return qs
