"""Quality use cases, by subdomain:

- ``profiles`` — customer AQLs (the quality profile);
- ``inspections`` — book, result (a failed one books its re-inspection), cancel; booking emails;
- ``first_articles`` — open, check, sign, reject (首件确认);
- ``samples`` — request, send, receive, sign off, cancel.

Each use case checks the actor's permission, reaches the order through the actor's scope (404
otherwise), locks what it changes, re-checks the guard from ``quality.rules`` and the workflow
tables (``quality.workflows``), and publishes its domain event (``quality.events``) in the same
transaction; emails go after commit. The names other modules use are importable from here.
"""

from gendan.quality.services.first_articles import (
    DEFAULT_CHECKLIST,
    first_article_check_items,
    first_article_create,
    first_article_reject,
    first_article_sign,
)
from gendan.quality.services.inspections import (
    booking_recipients,
    inspection_book,
    inspection_booking_email,
    inspection_cancel,
    inspection_plan,
    inspection_record_result,
)
from gendan.quality.services.profiles import PROFILE_FIELDS, quality_profile_update
from gendan.quality.services.samples import (
    SIGN_PERM,
    sample_cancel,
    sample_receive,
    sample_request,
    sample_send,
    sample_sign,
)

__all__ = [
    "DEFAULT_CHECKLIST", "PROFILE_FIELDS", "SIGN_PERM", "booking_recipients", "first_article_check_items",
    "first_article_create", "first_article_reject", "first_article_sign", "inspection_book",
    "inspection_booking_email", "inspection_cancel", "inspection_plan", "inspection_record_result",
    "quality_profile_update", "sample_cancel", "sample_receive", "sample_request", "sample_send", "sample_sign",
]
