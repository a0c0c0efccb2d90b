"""Bills of lading: being written — see the issue 12 brief."""
from __future__ import annotations


def bill_confirm(**kwargs):  # replaced by the real service
    raise NotImplementedError


def bill_issue(**kwargs):  # replaced by the real service
    raise NotImplementedError


def bill_release(**kwargs):  # replaced by the real service
    raise NotImplementedError
