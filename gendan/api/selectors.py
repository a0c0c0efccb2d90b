"""Receipt reads live in ``gendan.finance.selectors``."""

from gendan.finance.selectors import receipt_get_for_user, receipt_queryset

__all__ = ["receipt_get_for_user", "receipt_queryset"]
