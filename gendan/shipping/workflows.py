"""The booking's (订舱) allowed status changes, one service per transition
(``shipping/services/bookings.py``).

Read with docs/workflows/shipping.md (a test keeps its table equal to this one). A transition
not in this table is refused with ``TransitionNotAllowed`` (409). Amending a confirmed booking
(``booking_update``) changes its fields, not its state.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.core.workflow import Workflow
from gendan.shipping.models import Booking

B = Booking.Status

_SERVICES = "gendan.shipping.services.bookings."
TRANSITIONS: dict[tuple[str, str], str] = {
    (B.REQUESTED, B.CONFIRMED): _SERVICES + "booking_confirm",  # booking no., vessel, ETD / ETA, cut-offs
    (B.REQUESTED, B.CANCELLED): _SERVICES + "booking_cancel",  # with a reason
    (B.CONFIRMED, B.CANCELLED): _SERVICES + "booking_cancel",
}

BOOKING = Workflow("booking", Booking, transitions=TRANSITIONS, label=_("booking"), doc="shipping")

# States whose fields may still be amended (``booking_update``).
OPEN = BOOKING.sources(B.CANCELLED)
