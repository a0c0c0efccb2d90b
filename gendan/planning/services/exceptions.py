"""Production exceptions (生产异常): reported with the production orders they hit, escalated
to the managers by email after commit, resolved with what was done. A new ex-factory date
becomes the forecast of each affected order's ex-factory milestone, from which tracking
drafts the delay notice to the customer."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, ValidationFailed
from gendan.core.events import choice, event_record
from gendan.core.guards import refuse
from gendan.core.models import Event
from gendan.core.services import lock_row
from gendan.planning import events
from gendan.planning.models import ProductionException
from gendan.planning.rules import can_report_exception, can_resolve_exception
from gendan.production.models import ProductionOrder

log = logging.getLogger(__name__)


def _checked_new_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date) or value < timezone.localdate():
        msg = _("The new ex-factory date may not be in the past.")
        code = CoreError.DATE_IN_PAST if isinstance(value, dt.date) else None
        raise ValidationFailed(msg, code=code, fields={"new_ex_factory_date": msg})
    return value


def _move_ex_factory(*, actor, exception: ProductionException, on: dt.date) -> None:
    for order in exception.sales_orders.all():
        publish(events.ExFactoryExpected(
            actor=actor, order=order, exception=exception, on=on, reason=exception.description[:300],
            changes={"ex_factory_forecast": {"old": order.ex_factory_date.isoformat() if order.ex_factory_date
                                             else "", "new": on.isoformat()}}))


def exception_report(*, actor: User, kind: str, description: str, production_order_ids: list[int],
                     new_ex_factory_date: dt.date | None = None) -> ProductionException:
    """Record an exception on the given production orders (and so their sales orders) and
    email it to the managers after commit."""
    if kind not in ProductionException.Kind.values:
        msg = _("Choose the kind of exception.")
        raise ValidationFailed(msg, fields={"kind": msg})
    refuse(can_report_exception(actor, kind))
    description = (description or "").strip()
    if not description:
        msg = _("Describe what happened and what it holds up.")
        raise ValidationFailed(msg, fields={"description": msg})
    new_date = _checked_new_date(new_ex_factory_date)
    production_orders = list(ProductionOrder.objects.select_related("sales_order").filter(pk__in=production_order_ids))
    if not production_orders:
        msg = _("Choose at least one affected production order.")
        raise ValidationFailed(msg, fields={"production_orders": msg})
    with transaction.atomic():
        exception = ProductionException.objects.create(kind=kind, description=description, reported_by=actor,
                                                       new_ex_factory_date=new_date)
        exception.production_orders.set(production_orders)
        orders = {po.sales_order_id: po.sales_order for po in production_orders}
        exception.sales_orders.set(orders.values())
        event_record(actor=actor, obj=exception, verb=Event.Verb.CREATED, message=description[:300])
        params = {"pk": exception.pk, "kind": choice(ProductionException, "kind", kind), "text": description}
        for obj in [*production_orders, *orders.values()]:
            event_record(actor=actor, obj=obj, verb=Event.Verb.NOTE, kind=events.EXCEPTION_REPORTED, params=params)
        if new_date:
            _move_ex_factory(actor=actor, exception=exception, on=new_date)
        transaction.on_commit(lambda: exception_escalate(exception_id=exception.pk))
    return exception


def exception_resolve(*, actor: User, exception_id: int, version: int | None, resolution: str,
                      new_ex_factory_date: dt.date | None = None) -> ProductionException:
    """open → resolved, with what was done (and a new ex-factory date if it moved)."""
    with transaction.atomic():
        exception = lock_row(ProductionException.objects.all(), exception_id, expected_version=version,
                             not_found="No such exception.")
        refuse(can_resolve_exception(actor, exception))
        resolution = (resolution or "").strip()
        if not resolution:
            msg = _("Write down how the exception was resolved.")
            raise ValidationFailed(msg, fields={"resolution": msg})
        new_date = _checked_new_date(new_ex_factory_date)
        old = exception.status
        exception.status = ProductionException.Status.RESOLVED
        exception.resolution, exception.resolved_by, exception.resolved_at = resolution, actor, timezone.now()
        if new_date:
            exception.new_ex_factory_date = new_date
        exception.version += 1
        exception.save()
        event_record(actor=actor, obj=exception, verb=Event.Verb.STATE_CHANGED, reason=resolution[:300],
                     changes={"status": {"old": old, "new": exception.status}})
        for order in exception.sales_orders.all():
            event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, reason=resolution[:300],
                         kind=events.EXCEPTION_RESOLVED, params={"pk": exception.pk})
        if new_date:
            _move_ex_factory(actor=actor, exception=exception, on=new_date)
    return exception


def exception_escalate(*, exception_id: int) -> None:
    """Email the exception to every active manager (after commit; idempotent: sent once)."""
    exception = ProductionException.objects.select_related("reported_by").get(pk=exception_id)
    if exception.escalated_at:
        return
    managers = [u.email for u in User.objects.filter(is_active=True, groups__name=Role.MANAGER).exclude(email="")
                .order_by("pk").distinct()]
    if not managers:
        return
    orders = ", ".join(str(o) for o in exception.sales_orders.order_by("number"))
    pos = ", ".join(str(p) for p in exception.production_orders.order_by("number"))
    site = getattr(settings, "GENDAN_SITE_URL", "").rstrip("/")
    body = "\n".join([
        _("Production exception #%(pk)s reported by %(who)s.") % {"pk": exception.pk, "who": exception.reported_by},
        "", _("Kind: %(kind)s") % {"kind": exception.get_kind_display()},
        _("Production orders: %(list)s") % {"list": pos}, _("Sales orders: %(list)s") % {"list": orders},
        *([_("New ex-factory date: %(date)s") % {"date": exception.new_ex_factory_date.isoformat()}]
          if exception.new_ex_factory_date else []),
        "", exception.description, "", f"{site}{exception.get_absolute_url()}",
    ])
    subject = _("[Production exception] #%(pk)s %(kind)s – %(orders)s") % {
        "pk": exception.pk, "kind": exception.get_kind_display(), "orders": orders}
    try:
        EmailMessage(subject=subject, body=body, to=managers, from_email=settings.DEFAULT_FROM_EMAIL).send()
    except Exception as exc:  # SMTP down: the exception stays recorded; the page shows it was not escalated
        log.warning("production exception %s: email failed: %s", exception.pk, exc)
        return
    ProductionException.objects.filter(pk=exception.pk).update(escalated_to=", ".join(managers)[:500],
                                                               escalated_at=timezone.now())
