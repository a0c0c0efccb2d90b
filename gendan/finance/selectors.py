"""Reads of receipts, scoped to the user (pages, API, exports)."""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from gendan.accounts.models import User
from gendan.finance.models import Receipt, ReceiptAllocation
from gendan.parties.selectors import customer_queryset


def receipt_queryset(user: User) -> QuerySet[Receipt]:
    """Receipts of the customers ``user`` may see, for holders of ``finance.view_receipt``."""
    if not user.has_perm("finance.view_receipt"):
        return Receipt.objects.none()
    return Receipt.objects.filter(customer__in=customer_queryset(user).values("pk")).select_related(
        "customer", "currency", "recorded_by")


def receipt_list(*, user: User, filters: dict | None = None) -> QuerySet[Receipt]:
    qs = receipt_queryset(user)
    f = filters or {}
    if f.get("customer"):
        qs = qs.filter(customer=f["customer"])
    if f.get("currency"):
        qs = qs.filter(currency=f["currency"])
    if f.get("date_from"):
        qs = qs.filter(received_on__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(received_on__lte=f["date_to"])
    if f.get("unallocated"):
        qs = qs.filter(allocated_amount__lt=F("amount") + F("bank_charges"))
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(Q(number__icontains=q) | Q(bank_reference__icontains=q) | Q(payer_name__icontains=q)
                       | Q(customer__code__icontains=q))
    return qs


def receipt_get_for_user(*, user: User, pk) -> Receipt:
    """The receipt with its allocations; 404 for missing and out of scope alike."""
    try:
        return receipt_queryset(user).prefetch_related(
            Prefetch("allocations", queryset=ReceiptAllocation.objects.select_related("order", "allocated_by"))
        ).get(pk=pk)
    except (Receipt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such receipt.") from None
