"""The shipping plan (出货计划): being written — see the issue 12 brief."""
from __future__ import annotations


def shipment_cancel(**kwargs):  # replaced by the plan's real service
    raise NotImplementedError
