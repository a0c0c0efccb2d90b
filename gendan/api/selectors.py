"""Reads the API needs that its domain app does not offer yet.

``receipt_queryset`` belongs in ``gendan/finance/selectors.py`` (which does not exist yet);
it is kept here, built only from the customer scope, until finance has its selectors.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
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


def receipt_get_for_user(*, user: User, pk) -> Receipt:
    """The receipt with its allocations; 404 for missing and out of scope alike."""
    try:
        return receipt_queryset(user).prefetch_related(
            Prefetch("allocations", queryset=ReceiptAllocation.objects.select_related("order", "allocated_by"))
        ).get(pk=pk)
    except (Receipt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such receipt.") from None
