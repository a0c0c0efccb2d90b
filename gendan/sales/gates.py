"""The order's gates: the rules other apps plug into a sales order's actions.

The order names its gated actions; the apps that own a rule register it on ``ORDER_GATES`` in
their ``AppConfig.ready`` (``core.gates``), so the order never imports them:

- finance: the deposit rule (``release_production``, ``mark_ready`` from a confirmed order) and
  the balance rule (``ship``, ``release_original_bl``) — ``finance/gates.py``;
- quality: the final-inspection rule (``ship``) — ``quality/order_gates.py``;
- receivables: credit hold (``confirm``, ``ship``, ``release_original_bl``) and the credit limit
  (``confirm``) — ``receivables/gates.py``.

A gate that a manager may override names the order's boolean field the override sets
(``production_gate_override``, ``shipment_gate_override``, ``inspection_gate_override``) and
its ``override_check``; ``order_override_gate`` sets it with the reason. ``blocked_q`` is the
rule as a query: the order list's "blocked by rule" filter.
"""

from __future__ import annotations

from gendan.core.gates import GateSet

ORDER_GATES = GateSet("sales_order")

# The order's gated actions.
CONFIRM = "confirm"  # draft → confirmed (receivables: credit hold and credit limit)
RELEASE_PRODUCTION = "release_production"  # confirmed → in production
MARK_READY = "mark_ready"  # confirmed → ready (goods from stock: production release skipped)
SHIP = "ship"  # a (partial) shipment
RELEASE_ORIGINAL_BL = "release_original_bl"  # the original B/L (or telex release) to the customer
