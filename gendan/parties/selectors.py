"""Reads of customers and suppliers, scoped to the user. Pages, exports and the API all use these."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from gendan.accounts.models import User
from gendan.accounts.roles import ALL_CUSTOMERS_ROLES, ASSIGNED_CUSTOMERS_ROLES, Role
from gendan.parties.models import Customer, Supplier


def customer_scope(user: User) -> Q:
    """Return the filter of customers ``user`` may see (seed 003: customer data is confidential).

    Admin and finance: all. Manager: the customers of their region (all if no region is
    set — the general manager). Salesperson / merchandiser: customers assigned to them
    or to their team. Anyone else: none.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_role(*ALL_CUSTOMERS_ROLES):
        return Q()
    scope = Q(pk__in=[])
    if user.has_role(Role.MANAGER):
        if user.region_id is None:
            return Q()
        scope |= Q(region_id=user.region_id)
    if user.has_role(*ASSIGNED_CUSTOMERS_ROLES):
        scope |= Q(salesperson=user) | Q(merchandiser=user)
        if user.team_id:
            scope |= Q(team_id=user.team_id)
    return scope


def customer_visible_to(user: User, customer: Customer) -> bool:
    """``customer_scope`` read on a customer already loaded (no query): may ``user`` open its page?
    Pages use it to show a link only to who may follow it. Kept beside ``customer_scope``; a test
    checks the two agree for every role."""
    if not user.is_authenticated or not user.is_active or not user.has_perm("parties.view_customer"):
        return False
    if user.is_superuser or user.has_role(*ALL_CUSTOMERS_ROLES):
        return True
    if user.has_role(Role.MANAGER) and (user.region_id is None or user.region_id == customer.region_id):
        return True
    if user.has_role(*ASSIGNED_CUSTOMERS_ROLES):
        return user.pk in (customer.salesperson_id, customer.merchandiser_id) or (
            user.team_id is not None and user.team_id == customer.team_id)
    return False


def customer_queryset(user: User) -> QuerySet[Customer]:
    """All customers ``user`` may see, with what list and detail pages show."""
    if not user.has_perm("parties.view_customer"):
        return Customer.objects.none()
    return Customer.objects.filter(customer_scope(user)).select_related(
        "region", "salesperson", "merchandiser", "team", "default_currency"
    )


def customer_list(*, user: User, search: str = "", filters: dict | None = None) -> QuerySet[Customer]:
    qs = customer_queryset(user)
    filters = filters or {}
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search)
            | Q(short_name__icontains=search)
        )
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("salesperson"):
        qs = qs.filter(salesperson=filters["salesperson"])
    if filters.get("merchandiser"):
        qs = qs.filter(merchandiser=filters["merchandiser"])
    if filters.get("active") in ("1", "0"):
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs


def customer_get_for_user(*, user: User, pk: int) -> Customer:
    """Return the customer if ``user`` may see it. "Missing" and "not yours" are the same 404."""
    try:
        return customer_queryset(user).prefetch_related("contacts").get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such customer.") from None


def supplier_queryset(user: User) -> QuerySet[Supplier]:
    if not user.is_authenticated or not user.has_perm("parties.view_supplier"):
        return Supplier.objects.none()
    return Supplier.objects.all()


def supplier_list(*, user: User, search: str = "", filters: dict | None = None) -> QuerySet[Supplier]:
    qs = supplier_queryset(user)
    filters = filters or {}
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search)
            | Q(credit_code__icontains=search)
        )
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    if filters.get("active") in ("1", "0"):
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs


def supplier_get_for_user(*, user: User, pk: int) -> Supplier:
    try:
        return supplier_queryset(user).prefetch_related("contacts").get(pk=pk)
    except (Supplier.DoesNotExist, ValueError, TypeError):
        raise Http404("No such supplier.") from None


def assignable_users(*roles: str) -> QuerySet[User]:
    """Active users holding any of ``roles``, for the salesperson / merchandiser pickers."""
    return User.objects.filter(is_active=True, groups__name__in=roles).order_by("username").distinct()
