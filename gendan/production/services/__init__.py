"""Production order use cases, by subdomain:

- ``drafts`` — create (production release, "add a production order") and edit the draft;
- ``transitions`` — the steps of ``production/workflows.py`` (issue → accept → start → finish →
  close, hold / resume, cancel), the manager's first-article override, and the cancellation a
  cancelled sales order sends;
- ``notifications`` — the issued PDF by email;
- ``versions`` — a change order's re-issue of the production orders it touches (new version, PDF
  e-mailed to the factory) and the factory's re-acknowledgement.

Every use case is keyword-only, checks the actor's permission, locks the sales order and then
the production order (``common``), re-checks the guard from ``production.rules`` and publishes
its domain event (``production.events``) in the same transaction. The names other apps use are
importable from here.
"""

from gendan.production.selectors import allocated_quantities
from gendan.production.services.common import CHANGE
from gendan.production.services.drafts import (
    DEFAULT_COPY_TO,
    DEFAULT_SIGN_OFF,
    PRODUCING_KINDS,
    production_order_add,
    production_order_update,
    production_orders_create_from_release,
)
from gendan.production.services.notifications import production_order_email
from gendan.production.services.transitions import (
    production_order_accept,
    production_order_cancel,
    production_order_close,
    production_order_finish,
    production_order_hold,
    production_order_issue,
    production_order_override_first_article,
    production_order_resume,
    production_order_start,
    production_orders_cancel_for_order,
)
from gendan.production.services.versions import (
    production_order_reack_refuse,
    production_order_reacknowledge,
    production_orders_reissue_for_revision,
)
from gendan.production.workflows import OPEN

__all__ = [
    "CHANGE", "DEFAULT_COPY_TO", "DEFAULT_SIGN_OFF", "OPEN", "PRODUCING_KINDS", "allocated_quantities",
    "production_order_accept", "production_order_add", "production_order_cancel", "production_order_close",
    "production_order_email", "production_order_finish", "production_order_hold", "production_order_issue",
    "production_order_override_first_article", "production_order_resume", "production_order_start",
    "production_order_update", "production_orders_cancel_for_order", "production_orders_create_from_release",
    "production_order_reack_refuse", "production_order_reacknowledge",
    "production_orders_reissue_for_revision",
]
