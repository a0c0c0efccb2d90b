"""The steps of a production order, one service per transition of ``production/workflows.py``
(issue → accept → start → finish → close, hold / resume, cancel), the manager's first-article
override, and the cancellation a cancelled sales order sends.

Every step checks the actor's permission, locks the sales order and then the production order
(always in that order), checks the guard from ``production.rules`` (the one the page's buttons
use), moves the state through the workflow table, notes the step on the sales order's
timeline, recomputes the order's production status and publishes the step's domain event
(``production.events``: its row is the production order's status change; the T&A hears it) —
in one transaction. The email of an issued order goes out after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, NotAllowed, ValidationFailed
from gendan.core.guards import OK, Check, reason_required, refuse, require
from gendan.core.models import Event
from gendan.core.services import check_version
from gendan.production import rules
from gendan.production.errors import ProductionError
from gendan.production.events import (
    ORDER_FIRST_ARTICLE_OVERRIDDEN,
    ORDER_STEP,
    FirstArticleRuleOverridden,
    ProductionFinished,
    ProductionOrderAccepted,
    ProductionOrderCancelled,
    ProductionOrderClosed,
    ProductionOrderEvent,
    ProductionOrderHeld,
    ProductionOrderIssued,
    ProductionOrderResumed,
    ProductionStarted,
    order_step_params,
)
from gendan.production.models import ProductionOrder
from gendan.production.pdf import render_production_order
from gendan.production.services.common import CHANGE, order_note, production_order_lock, require_owner
from gendan.production.services.notifications import production_order_email
from gendan.production.workflows import OPEN, PRODUCTION_ORDER
from gendan.sales.models import SalesOrder
from gendan.sales.services.substates import order_refresh_substates

P = ProductionOrder.Status


def _transition(*, actor: User, production_order_id: int, to: str | None, check: Callable[[ProductionOrder], Check],
                event: type[ProductionOrderEvent], expected_version: int | None, reason: str = "",
                perm: str = CHANGE, apply: Callable[[SalesOrder, ProductionOrder], list[str]] | None = None,
                **event_fields) -> ProductionOrder:
    """Lock, check version and guard, move ``status → to`` (``None``: to where ``apply`` put it)
    through the workflow table, note the step on the sales order, recompute the order's
    production status, then publish ``event`` (its row: the production order's status change)."""
    require(actor, perm)
    with transaction.atomic():
        order, production_order = production_order_lock(actor, production_order_id)
        require_owner(actor, order)
        check_version(production_order, expected_version)
        refuse(check(production_order))
        old = production_order.status
        fields = apply(order, production_order) if apply else []
        new = to or production_order.status
        production_order.status = old
        PRODUCTION_ORDER.move(production_order, new)
        production_order.version += 1
        production_order.save(update_fields=["status", "version", "updated_at", *fields])
        order_note(actor=actor, order=order, reason=reason, kind=ORDER_STEP,
                   params=order_step_params(production_order, old=old, new=new))
        order_refresh_substates(order, actor=actor)
        publish(event(actor=actor, order=order, production_order=production_order, reason=reason,
                      changes={"status": {"old": old, "new": new}}, **event_fields))
    return production_order


def production_order_issue(*, actor: User, production_order_id: int,
                           expected_version: int | None = None) -> ProductionOrder:
    """Issue the draft: its PDF (numbered by the production order no., Chinese, amounts in 大写)
    is stored and, after commit, emailed to the distribution list."""

    def apply(order, production_order) -> list[str]:
        production_order.issued_at = timezone.now()
        production_order.issued_by = actor
        production_order.email_sent_at, production_order.email_error = None, ""
        pdf = render_production_order(production_order=production_order)
        production_order.pdf.save(f"{production_order.number}.pdf", ContentFile(pdf), save=False)
        transaction.on_commit(lambda: production_order_email(production_order_id=production_order.pk))
        return ["issued_at", "issued_by", "pdf", "email_sent_at", "email_error"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.ISSUED, check=rules.issue_check,
                       event=ProductionOrderIssued, expected_version=expected_version, apply=apply)


def production_order_accept(*, actor: User, production_order_id: int, committed_due_date: dt.date,
                            expected_version: int | None = None) -> ProductionOrder:
    """The factory (or workshop) accepts the order and commits to a due date; the T&A plan's
    production-finished forecast follows (``ProductionOrderAccepted``)."""
    if not isinstance(committed_due_date, dt.date) or committed_due_date < timezone.localdate():
        msg = _("Give the due date the factory committed to (not in the past).")
        code = CoreError.DATE_IN_PAST if isinstance(committed_due_date, dt.date) else None
        raise ValidationFailed(msg, code=code, fields={"committed_due_date": msg})

    def apply(order, production_order) -> list[str]:
        production_order.committed_due_date = committed_due_date
        return ["committed_due_date"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.ACCEPTED, check=rules.accept_check,
                       event=ProductionOrderAccepted, expected_version=expected_version, apply=apply,
                       committed_due_date=committed_due_date)


def production_order_start(*, actor: User, production_order_id: int,
                           expected_version: int | None = None) -> ProductionOrder:
    """Mass production starts: refused by a gate on the start (quality's first-article rule)
    unless a manager overrode it (``ProductionStarted``)."""

    def apply(order, production_order) -> list[str]:
        production_order.started_at = timezone.now()
        return ["started_at"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.IN_PRODUCTION,
                       check=rules.start_check, event=ProductionStarted, expected_version=expected_version,
                       apply=apply)


def production_order_override_first_article(*, actor: User, production_order_id: int, reason: str,
                                            expected_version: int | None = None) -> ProductionOrder:
    """A manager lets production start without the approved first article, with a written reason."""
    require(actor, "production.override_first_article")
    reason = reason_required(reason, _("overriding the first-article rule"))
    with transaction.atomic():
        order, production_order = production_order_lock(actor, production_order_id)
        check_version(production_order, expected_version)
        refuse(rules.override_first_article_check(production_order))
        production_order.first_article_override = True
        production_order.first_article_override_reason = reason[:300]
        production_order.version += 1
        production_order.save(update_fields=["first_article_override", "first_article_override_reason", "version",
                                             "updated_at"])
        publish(FirstArticleRuleOverridden(actor=actor, order=order, production_order=production_order, reason=reason,
                                           changes={"first_article_override": {"old": "0", "new": "1"}}))
        order_note(actor=actor, order=order, reason=reason, verb=Event.Verb.OVERRIDE,
                   kind=ORDER_FIRST_ARTICLE_OVERRIDDEN, params=order_step_params(production_order, user=str(actor)))
    return production_order


def production_order_finish(*, actor: User, production_order_id: int, reason: str = "",
                            expected_version: int | None = None) -> ProductionOrder:
    """Production is finished: every line produced, or — by a manager or planner — short of the
    quantity with a reason (``ProductionFinished``; the order's production is finished when
    every production order is)."""
    short_reason = (reason or "").strip()

    def check(production_order) -> Check:
        result = rules.finish_check(production_order)
        if result or result.code != ProductionError.SHORT_PRODUCTION:
            return result
        if not actor.has_perm("production.finish_short"):
            raise NotAllowed(result.reason + " " + _("Only a manager or the production planner may finish short."))
        reason_required(short_reason, _("finishing short of the quantity"))
        return OK

    def apply(order, production_order) -> list[str]:
        production_order.finished_at = timezone.now()
        short = rules.short_lines(production_order)
        production_order.status_reason = (_("Finished short (%(lines)s): %(reason)s") % {
            "lines": "; ".join(short), "reason": short_reason})[:300] if short else ""
        return ["finished_at", "status_reason"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.FINISHED, check=check,
                       event=ProductionFinished, expected_version=expected_version, apply=apply,
                       reason=short_reason, short=bool(short_reason))


def production_order_close(*, actor: User, production_order_id: int,
                           expected_version: int | None = None) -> ProductionOrder:
    """Close a finished production order (goods handed over, the factory's account settled)."""
    return _transition(actor=actor, production_order_id=production_order_id, to=P.CLOSED, check=rules.close_check,
                       event=ProductionOrderClosed, expected_version=expected_version)


def production_order_hold(*, actor: User, production_order_id: int, reason: str,
                          expected_version: int | None = None) -> ProductionOrder:
    """Put an issued, accepted or running production order on hold, with a reason; it resumes
    to the state it was held from."""
    reason = reason_required(reason, _("putting the production order on hold"))

    def apply(order, production_order) -> list[str]:
        production_order.held_from = production_order.status
        production_order.status_reason = reason[:300]
        return ["held_from", "status_reason"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.ON_HOLD, check=rules.hold_check,
                       event=ProductionOrderHeld, expected_version=expected_version, reason=reason, apply=apply)


def production_order_resume(*, actor: User, production_order_id: int,
                            expected_version: int | None = None) -> ProductionOrder:
    """Resume a production order on hold to where it was."""

    def apply(order, production_order) -> list[str]:
        production_order.status = rules.resume_target(production_order)
        production_order.held_from = ""
        production_order.status_reason = ""
        return ["held_from", "status_reason"]

    return _transition(actor=actor, production_order_id=production_order_id, to=None, check=rules.resume_check,
                       event=ProductionOrderResumed, expected_version=expected_version, apply=apply)


def production_order_cancel(*, actor: User, production_order_id: int, reason: str,
                            expected_version: int | None = None) -> ProductionOrder:
    """Cancel a production order on which nothing is produced yet, with a reason; its quantity
    becomes free to allocate to another production order."""
    reason = reason_required(reason, _("cancelling the production order"))

    def apply(order, production_order) -> list[str]:
        production_order.status_reason = reason[:300]
        production_order.held_from = ""
        return ["status_reason", "held_from"]

    return _transition(actor=actor, production_order_id=production_order_id, to=P.CANCELLED,
                       check=rules.cancel_check, event=ProductionOrderCancelled, expected_version=expected_version,
                       reason=reason, apply=apply)


def production_orders_cancel_for_order(*, actor: User, order, reason: str) -> list[ProductionOrder]:
    """Cancel the open production orders of a cancelled sales order. Call holding the order lock."""
    cancelled = []
    for production_order in ProductionOrder.objects.select_for_update().filter(sales_order=order, status__in=OPEN):
        old = PRODUCTION_ORDER.move(production_order, P.CANCELLED)
        production_order.status_reason = reason[:300]
        production_order.version += 1
        production_order.save(update_fields=["status", "status_reason", "version", "updated_at"])
        publish(ProductionOrderCancelled(actor=actor, order=order, production_order=production_order, reason=reason,
                                         changes={"status": {"old": old, "new": P.CANCELLED}}))
        cancelled.append(production_order)
    return cancelled
