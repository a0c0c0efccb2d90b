"""The gates of a production order: rules that hold one of its steps back, registered by the
apps that own them (``core.gates``). Production names the extension point and never imports
the apps that fill it; quality registers the first-article rule on ``start``
(``quality/production_gates.py``)::

    PRODUCTION_GATES.register(Gate(key="first_article", actions={"start"}, check=…,
                                   override_field="first_article_override"))

``production.rules.start_check`` asks ``PRODUCTION_GATES.check("start", production_order)``;
a gate with ``override_field`` is passed once a manager overrode it
(``production_order_override_first_article``).
"""

from __future__ import annotations

from gendan.core.gates import GateSet

PRODUCTION_GATES = GateSet("production_order")

# The gated steps of a production order.
START = "start"  # mass production starts (accepted → in production)
