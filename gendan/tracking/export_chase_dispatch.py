"""Chase-board items of export documents: the dispatch part (see tracking/export_chase.py).

- ``presentation_refused``: a presentation or collection the bank refused with discrepancies,
  on the board of the order's merchandiser (a manager sees those of the orders in scope) until a
  new dispatch of the shipment is sent or the refused one is paid after all;
- ``certificate_due``: a certificate not yet received that is due within three days or overdue.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.exportdocs.models import CertificateItem, DocumentDispatch
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_scope

DUE_SOON_DAYS = 3


def _orders_of(user) -> Q:
    """The orders whose export items ``user`` chases: a merchandiser's own, a manager's in scope."""
    if user.has_role("manager", "admin"):
        return Q()
    return Q(shipment__order__merchandiser=user)


def _scoped(qs, user):
    """``qs`` limited to the shipments of orders ``user`` sees and chases."""
    return qs.filter(shipment__order__in=SalesOrder.objects.filter(order_scope(user))).filter(_orders_of(user))


def _url(shipment) -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + "#section-dispatch"


def refused_items(user, today: dt.date, limit: int) -> list:
    from gendan.tracking.export_chase import ExportItem  # export_chase imports this module

    later = DocumentDispatch.objects.filter(shipment=OuterRef("shipment"), id__gt=OuterRef("id")).exclude(
        status=DocumentDispatch.Status.WITHDRAWN)
    qs = (_scoped(DocumentDispatch.objects.filter(status=DocumentDispatch.Status.REFUSED), user)
          .filter(~Exists(later)).select_related("shipment__order__customer").order_by("result_on", "id")[:limit])
    return [ExportItem(kind="presentation_refused", order=d.shipment.order, url=_url(d.shipment),
                       label=_("Presentation %(no)s refused by the bank") % {"no": d.number},
                       due=d.result_on, late=True, detail=d.bank_discrepancies[:200]) for d in qs]


def certificate_items(user, today: dt.date, limit: int) -> list:
    from gendan.tracking.export_chase import ExportItem  # export_chase imports this module

    qs = (_scoped(CertificateItem.objects.filter(
        status__in=(CertificateItem.Status.NEEDED, CertificateItem.Status.APPLIED),
        needed_by__lte=today + dt.timedelta(days=DUE_SOON_DAYS)), user)
        .select_related("shipment__order__customer").order_by("needed_by", "id")[:limit])
    return [ExportItem(kind="certificate_due", order=c.shipment.order, url=_url(c.shipment),
                       label=_("%(kind)s for shipment %(no)s") % {"kind": c.get_kind_display(),
                                                                   "no": c.shipment.number},
                       due=c.needed_by, late=c.needed_by < today,
                       detail=(_("applied for on %(date)s") % {"date": c.applied_on.isoformat()}
                               if c.applied_on else _("not applied for yet"))) for c in qs]


def dispatch_items(*, user, today, limit) -> list:
    return [*refused_items(user, today, limit), *certificate_items(user, today, limit)]
