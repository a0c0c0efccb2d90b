"""The aging buckets finance works with (``AgingPolicy``, one row): parse and change them.

Bounds are the upper limits, in days overdue, of the buckets after "not due": "30,60,90" →
not due / 1–30 / 31–60 / 61–90 / > 90. They are whole numbers from 1 to 3 650, strictly
increasing, at most 8 of them; "60,30", "abc" or "30,30" are refused naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.accounts.models import User
from gendan.core.domain_events import DomainEvent, publish
from gendan.core.errors import ValidationFailed
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.receivables.errors import LedgerError
from gendan.receivables.models import AgingPolicy
from gendan.receivables.models.ledger import DEFAULT_BOUNDS

CHANGE = "receivables.change_agingpolicy"
MAX_BUCKETS = 8
MAX_DAYS = 3650


@dataclass(kw_only=True)
class AgingBucketsChanged(DomainEvent):
    kind = "receivables.aging_buckets_changed"
    text = gettext_noop("Aging buckets changed: %(old)s → %(new)s (days overdue)")
    verb = Event.Verb.UPDATED
    policy: AgingPolicy
    old: str

    def subject(self):
        return self.policy

    def params(self) -> dict:
        return {"old": self.old, "new": self.policy.bounds}


def parse_bounds(text) -> tuple[int, ...]:
    """``"30, 60,90"`` → ``(30, 60, 90)``, or ``ValidationFailed`` naming ``bounds``."""
    def refused(message: str):
        raise ValidationFailed(message, code=LedgerError.AGING_BOUNDS_INVALID, fields={"bounds": message})

    raw = str(text or "").replace("，", ",").strip()
    if not raw:
        refused(_("Enter the bucket limits in days overdue, e.g. 30,60,90."))
    parts = [p.strip() for p in raw.split(",")]
    values: list[int] = []
    for part in parts:
        if not part.isdigit():
            refused(_("“%(part)s” is not a whole number of days: enter limits like 30,60,90.") % {"part": part[:20]})
        value = int(part)
        if not 1 <= value <= MAX_DAYS:
            refused(_("Each limit is from 1 to %(max)d days.") % {"max": MAX_DAYS})
        if values and value <= values[-1]:
            refused(_("The limits must increase: %(value)d comes after %(previous)d.") % {
                "value": value, "previous": values[-1]})
        values.append(value)
    if len(values) > MAX_BUCKETS:
        refused(_("At most %(n)d limits.") % {"n": MAX_BUCKETS})
    return tuple(values)


def aging_policy_get() -> AgingPolicy:
    """The one policy row (created with the default buckets the first time it is read)."""
    policy = AgingPolicy.objects.order_by("pk").first()
    if policy is None:
        policy = AgingPolicy.objects.create(bounds=DEFAULT_BOUNDS)
    return policy


def aging_policy_set(*, actor: User, bounds) -> AgingPolicy:
    """Change the buckets (finance, manager); the change goes on the policy's timeline."""
    require(actor, CHANGE, message=_("Only finance and managers change the aging buckets."))
    values = parse_bounds(bounds)
    text = ",".join(str(v) for v in values)
    with transaction.atomic():
        policy = aging_policy_get()
        policy = AgingPolicy.objects.select_for_update().get(pk=policy.pk)
        old = policy.bounds
        if old == text:
            return policy
        policy.bounds, policy.updated_by, policy.updated_at = text, actor, timezone.now()
        policy.save(update_fields=["bounds", "updated_by", "updated_at"])
        publish(AgingBucketsChanged(actor=actor, policy=policy, old=old,
                                    changes={"bounds": {"old": old, "new": text}}))
    return policy
