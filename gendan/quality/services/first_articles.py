"""First article approval (首件确认) of a production order: open it with its checklist, record
each check, QC and sales sign (approved with both), or reject it (the next round is a new first
article). The approved first article opens the first-article gate on the start of mass
production (``quality/production_gates.py``).

Every use case checks the actor's permission, locks what it changes, re-checks the guard from
``quality.rules`` and the workflow table (``quality.workflows.FIRST_ARTICLE``), and publishes
its domain event (``quality.events``: its row is the note on the order; the first article gets
a row of the same kind; the T&A hears the approval).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, NotAllowed, ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import reason_required, refuse, require
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.production.selectors import production_order_queryset
from gendan.production.workflows import OPEN as OPEN_PRODUCTION
from gendan.quality import rules
from gendan.quality.errors import QualityError
from gendan.quality.events import (
    FirstArticleApproved,
    FirstArticleOpened,
    FirstArticleRejected,
    FirstArticleSigned,
)
from gendan.quality.models import CheckResult, FirstArticle, FirstArticleItem
from gendan.quality.selectors import first_article_queryset
from gendan.quality.services.common import attach, check_uploads, invalid
from gendan.quality.workflows import FIRST_ARTICLE

# The first-article checklist unless the user configures another one (seed 001 第五篇 七), in the
# language of who opens the first article (the items are then kept as written).
DEFAULT_CHECKLIST = [
    gettext_lazy("custom printing / logo"), gettext_lazy("packaging and labels"), gettext_lazy("barcodes"),
    gettext_lazy("software / firmware"), gettext_lazy("accessories"),
]


def _lock(actor: User, first_article_id: int, expected_version: int | None) -> FirstArticle:
    return lock_row(first_article_queryset(actor), first_article_id, expected_version=expected_version,
                    not_found="No such first article.")


def first_article_create(*, actor: User, production_order_id: int, topics: Iterable[str] = (),
                         requirements: str = "") -> FirstArticle:
    """Open a first article of a production order with its checklist (default: printing,
    packaging, barcodes, software, accessories). A rejected one is followed by the next round."""
    require(actor, "quality.add_firstarticle")
    topics = [t.strip()[:100] for t in topics if t and t.strip()] or [str(t) for t in DEFAULT_CHECKLIST]
    with transaction.atomic():
        production_order = production_order_queryset(actor).filter(pk=production_order_id).first() \
            if str(production_order_id).isdigit() else None
        if production_order is None:
            raise Http404("No such production order.")
        if production_order.status not in OPEN_PRODUCTION:
            raise ValidationFailed(_("Production order %(po)s is “%(status)s”: no first article is needed.") % {
                "po": production_order, "status": production_order.get_status_display()}, code=QualityError.NOT_OPEN)
        existing = list(FirstArticle.objects.select_for_update().filter(production_order=production_order))
        if any(f.status != FirstArticle.Status.REJECTED for f in existing):
            raise ValidationFailed(_("%(po)s already has a first article being checked or approved.")
                                   % {"po": production_order}, code=QualityError.ALREADY_OPEN)
        first_article = FirstArticle.objects.create(
            production_order=production_order, sales_order=production_order.sales_order, created_by=actor,
            round_no=len(existing) + 1, requirements=(requirements or "").strip())
        FirstArticleItem.objects.bulk_create([FirstArticleItem(first_article=first_article, position=i, topic=t)
                                              for i, t in enumerate(topics, start=1)])
        event = FirstArticleOpened(actor=actor, order=production_order.sales_order, first_article=first_article,
                                   topics=topics)
        event_record(actor=actor, obj=first_article, verb=Event.Verb.CREATED, kind=event.kind, params=event.params())
        publish(event)
    return first_article


def first_article_check_items(*, actor: User, first_article_id: int, results: Mapping[int, tuple[str, str]],
                              photos: Iterable = (), expected_version: int | None = None) -> FirstArticle:
    """Record each check's result (pass / fail / not applicable) and comment."""
    require(actor, "quality.change_firstarticle")
    photos = list(photos)
    check_uploads(photos, None)
    with transaction.atomic():
        first_article = _lock(actor, first_article_id, expected_version)
        refuse(rules.first_article_items_check(first_article))
        changes = {}
        for item in first_article.items.all():
            if item.pk not in results:
                continue
            result, comment = results[item.pk]
            if result not in CheckResult.values:
                raise invalid(f"item_{item.pk}", _("Choose pass, fail or not applicable."))
            comment = (comment or "").strip()[:300]
            if result == CheckResult.FAIL and not comment:
                raise invalid(f"item_{item.pk}", _("Say what is wrong with “%(topic)s”.") % {"topic": item.topic},
                              CoreError.COMMENT_REQUIRED)
            if (item.result, item.comment) != (result, comment):
                changes[item.topic] = {"old": str(item.get_result_display()), "new": str(CheckResult(result).label)}
                item.result, item.comment = result, comment
                item.save(update_fields=["result", "comment"])
        first_article.version += 1
        first_article.save(update_fields=["version", "updated_at"])
        event_record(actor=actor, obj=first_article, verb=Event.Verb.UPDATED, changes=changes)
        attach(actor, first_article, photos, None, "quality.change_firstarticle")
    return first_article


def first_article_sign(*, actor: User, first_article_id: int, side: str,
                       expected_version: int | None = None) -> FirstArticle:
    """QC or sales signs the checked first article; with both signatures it is approved
    (``FirstArticleApproved``: the T&A milestone is completed)."""
    if side not in ("qc", "sales"):
        raise invalid("side", _("Sign for QC or for sales."))
    require(actor, f"quality.sign_firstarticle_{side}")
    with transaction.atomic():
        first_article = _lock(actor, first_article_id, expected_version)
        refuse(rules.first_article_sign_check(first_article, side))
        setattr(first_article, f"{side}_signed_by", actor)
        setattr(first_article, f"{side}_signed_at", timezone.now())
        approved = bool(first_article.qc_signed_at and first_article.sales_signed_at)
        changes = {}
        if approved:
            old = FIRST_ARTICLE.move(first_article, FirstArticle.Status.APPROVED)
            changes = {"status": {"old": old, "new": FirstArticle.Status.APPROVED}}
        first_article.version += 1
        first_article.save()
        event = (FirstArticleApproved if approved else FirstArticleSigned)(
            actor=actor, order=first_article.sales_order, first_article=first_article, side=side)
        event_record(actor=actor, obj=first_article, verb=Event.Verb.STATE_CHANGED if approved else Event.Verb.NOTE,
                     kind=event.kind, params=event.params(), changes=changes)
        publish(event)
    return first_article


def first_article_reject(*, actor: User, first_article_id: int, reason: str,
                         expected_version: int | None = None) -> FirstArticle:
    """QC or sales rejects the first article, saying what is wrong; the factory corrects it and
    the next round is a new first article."""
    if not (actor.has_perm("quality.sign_firstarticle_qc") or actor.has_perm("quality.sign_firstarticle_sales")):
        raise NotAllowed(_("Only QC or sales may reject a first article."))
    reason = reason_required(reason, _("rejecting the first article"))
    with transaction.atomic():
        first_article = _lock(actor, first_article_id, expected_version)
        old = FIRST_ARTICLE.move(first_article, FirstArticle.Status.REJECTED)
        first_article.reject_reason = reason[:300]
        first_article.version += 1
        first_article.save()
        event = FirstArticleRejected(actor=actor, order=first_article.sales_order, first_article=first_article,
                                     reason=reason)
        event_record(actor=actor, obj=first_article, verb=Event.Verb.STATE_CHANGED, reason=reason, kind=event.kind,
                     params=event.params(), changes={"status": {"old": old, "new": FirstArticle.Status.REJECTED}})
        publish(event)
    return first_article
