"""What quality plugs into a production order: the first-article rule on the start of mass
production (``production.gates.PRODUCTION_GATES``, action ``start``). Registered in
``QualityConfig.ready``.

An order that requires it starts mass production of a production order only once a first
article of that production order is approved (``quality.rules.first_article_check``, code
``gate_first_article``); a manager may override it with a written reason
(``production_order_override_first_article`` sets ``first_article_override``).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.gates import Gate
from gendan.core.guards import Check
from gendan.production.gates import PRODUCTION_GATES, START
from gendan.quality import rules


def first_article_gate(production_order) -> Check:
    """The first-article rule of ``production_order`` (looked up in ``quality.rules`` when asked)."""
    return rules.first_article_check(production_order)


def register() -> None:
    PRODUCTION_GATES.register(Gate(
        key="first_article", actions={START}, check=first_article_gate, label=gettext_noop("first-article rule"),
        override_field="first_article_override", rank=20))
