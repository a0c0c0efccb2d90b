"""The order's allowed actions live in ``gendan.sales.actions`` (pages use them too)."""

from gendan.sales.actions import order_actions

__all__ = ["order_actions"]
