"""Customer AQLs: each customer's quality profile (AQL per defect class, inspection level, and
whether new orders need a passed final inspection and an approved first article)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import Http404

from gendan.accounts.models import User
from gendan.core.events import changes_between, event_record, snapshot
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.core.services import check_version, full_clean_or_raise
from gendan.quality.events import QUALITY_PROFILE_UPDATED
from gendan.quality.models import QualityProfile
from gendan.quality.selectors import profile_customers

PROFILE_FIELDS = ["critical_aql", "major_aql", "minor_aql", "inspection_level", "requires_final_inspection",
                  "requires_first_article", "notes"]


def quality_profile_update(*, actor: User, customer_id: int, data: Mapping[str, Any],
                           expected_version: int | None = None) -> QualityProfile:
    """Set a customer's AQLs and default quality gates (QC or merchandiser). The profile is
    created with the usual defaults on first save."""
    require(actor, "quality.change_qualityprofile")
    customer = profile_customers(actor).filter(pk=customer_id).first() if str(customer_id).isdigit() else None
    if customer is None:
        raise Http404("No such customer.")
    with transaction.atomic():
        profile = QualityProfile.objects.select_for_update().filter(customer=customer).first()
        created = profile is None
        if created:
            profile = QualityProfile(customer=customer)
        else:
            check_version(profile, expected_version)
        before = snapshot(profile, PROFILE_FIELDS)
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(profile, name, data[name])
        full_clean_or_raise(profile, exclude=["customer"])
        changes = changes_between(before, profile)
        if not created and not changes:
            return profile
        if not created:
            profile.version += 1
        profile.save()
        event_record(actor=actor, obj=customer, verb=Event.Verb.UPDATED,
                     changes={f"quality.{k}": v for k, v in changes.items()}, kind=QUALITY_PROFILE_UPDATED,
                     params={"c": profile.critical_aql, "ma": profile.major_aql, "mi": profile.minor_aql,
                             "l": profile.inspection_level})
    return profile
