"""The shipments list (filters, sorting, Excel export), the shipment's page (header, the
registered sections of ``shipping.sections``, the timeline) and the bookings lists (all, or
one forwarder's). Reads only: every change goes through the sections' own views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.listing import Column, GroupBy, ListPageView, Typeahead
from gendan.core.xlsx import INTEGER, QUANTITY
from gendan.parties.links import register_supplier_link
from gendan.parties.models import Customer, Supplier
from gendan.sales.selectors import order_queryset, order_scope
from gendan.shipping import selectors
from gendan.shipping.forms_lists import BookingFilterForm, ShipmentFilterForm
from gendan.shipping.sections import sections_for

# An export is the filtered list up to this many rows (newest first by default): enough for any
# week's or customer's shipments; a bigger one is a filter to narrow.
EXPORT_MAX_ROWS = 10_000


class BoundedExportMixin:
    def export(self, qs) -> HttpResponse:
        return super().export(qs[:EXPORT_MAX_ROWS])


def _customers_in_scope(user):
    """The customers of the orders ``user`` may see (the order list's filter does the same)."""
    if order_scope(user) == Q():
        return Customer.objects.order_by("code")
    ids = list(order_queryset(user).order_by().values_list("customer_id", flat=True).distinct())
    return Customer.objects.filter(pk__in=ids).order_by("code")


class ShipmentListView(BoundedExportMixin, ListPageView):
    template_name = "shipping/shipment_list.html"
    results_template_name = "shipping/_shipment_results.html"
    title = gettext_lazy("Shipments")
    export_name = "shipments"
    default_sort = ""  # newest first (the primary key)
    columns = [
        Column("number", gettext_lazy("shipment no."), value=str, sort="number", link=True),
        Column("order", gettext_lazy("order no."), value=lambda s: str(s.order), sort="order__number"),
        Column("customer", gettext_lazy("customer"),
               value=lambda s: f"{s.order.customer.code} {s.order.customer.display_name}",
               sort="order__customer__code"),
        Column("status", gettext_lazy("status"), value=lambda s: s.get_status_display(), sort="status"),
        Column("transport_mode", gettext_lazy("transport mode"), value=lambda s: s.get_transport_mode_display(),
               sort="transport_mode"),
        Column("port_of_loading", gettext_lazy("port of loading"), sort="port_of_loading"),
        Column("port_of_destination", gettext_lazy("port of destination"), sort="port_of_destination"),
        Column("planned_ex_factory", gettext_lazy("planned ex-factory date"), sort="planned_ex_factory"),
        Column("etd", gettext_lazy("ETD"), sort="etd"),
        Column("eta", gettext_lazy("ETA"), sort="eta"),
        Column("shipped_on", gettext_lazy("ex-factory date"), sort="shipped_on"),
        Column("qty_planned", gettext_lazy("quantity"), numeric=True, sort="qty_planned", format=QUANTITY, total=True),
        Column("cartons_planned", gettext_lazy("cartons"), numeric=True, sort="cartons_planned", format=INTEGER,
               total=True),
        Column("bl_no", gettext_lazy("B/L no."), sort="bl_no"),
    ]
    group_by = [
        GroupBy("customer", gettext_lazy("customer"), "order__customer_id",
                display=lambda s: f"{s.order.customer.code} {s.order.customer.display_name}"),
        GroupBy("status", gettext_lazy("status"), "status", display=lambda s: s.get_status_display()),
        GroupBy("transport_mode", gettext_lazy("transport mode"), "transport_mode",
                display=lambda s: s.get_transport_mode_display()),
        GroupBy("port_of_destination", gettext_lazy("port of destination"), "port_of_destination"),
        GroupBy.month("exf_month", gettext_lazy("month of planned ex-factory date"), "planned_ex_factory"),
    ]
    typeahead = {"customer": Typeahead(lambda view: _customers_in_scope(view.request.user))}

    def get_base_queryset(self):
        user = self.request.user
        if not user.has_perm(selectors.VIEW_SHIPMENT):
            raise PermissionDenied
        return selectors.shipment_list(user=user)

    def get_filter_form(self):
        return ShipmentFilterForm(self.request.GET or None)

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "") and k != "customer"}
        qs = selectors.shipment_list(user=self.request.user, filters=filters)
        qs, _rest = self.typeahead_filter(qs, data, "customer", "order__customer")
        return qs


class BookingListView(BoundedExportMixin, ListPageView):
    """Bookings, all or (``forwarder_pk`` in the address) one forwarder's."""

    template_name = "shipping/booking_list.html"
    title = gettext_lazy("Bookings")
    export_name = "bookings"
    default_sort = "-etd"
    columns = [
        Column("booking_no", gettext_lazy("booking no."), value=lambda b: b.booking_no or "—", sort="booking_no"),
        Column("order", gettext_lazy("order no."), value=lambda b: str(b.order), sort="order__number"),
        Column("customer", gettext_lazy("customer"), value=lambda b: b.order.customer.code,
               sort="order__customer__code"),
        Column("forwarder", gettext_lazy("forwarder"), value=lambda b: b.forwarder.code, sort="forwarder__code"),
        Column("vessel_voyage", gettext_lazy("vessel / voyage")),
        Column("etd", gettext_lazy("ETD"), sort="etd"),
        Column("eta", gettext_lazy("ETA"), sort="eta"),
        Column("cy_cutoff", gettext_lazy("CY cut-off"), value=lambda b: b.cy_cutoff, sort="cy_cutoff"),
        Column("si_cutoff", gettext_lazy("SI cut-off"), value=lambda b: b.si_cutoff, sort="si_cutoff"),
        Column("vgm_cutoff", gettext_lazy("VGM cut-off"), value=lambda b: b.vgm_cutoff, sort="vgm_cutoff"),
        Column("containers", gettext_lazy("containers"), value=lambda b: b.containers_text),
        Column("status", gettext_lazy("status"), value=lambda b: b.get_status_display(), sort="status"),
    ]

    def dispatch(self, request, *args, **kwargs):
        self.forwarder = None
        if "forwarder_pk" in kwargs:
            pk = selectors.id_or_none(kwargs["forwarder_pk"])
            self.forwarder = (Supplier.objects.filter(pk=pk, kind=Supplier.Kind.FORWARDER).first()
                              if pk is not None else None)
            if self.forwarder is None:
                raise Http404("No such forwarder.")
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        user = self.request.user
        if not user.has_perm(selectors.VIEW_BOOKING):
            raise PermissionDenied
        return selectors.booking_list(user=user, filters=self._fixed())

    def _fixed(self) -> dict:
        return {"forwarder": self.forwarder.pk} if self.forwarder is not None else {}

    def get_filter_form(self):
        return BookingFilterForm(self.request.GET or None, fixed_forwarder=self.forwarder is not None)

    def filter_queryset(self, qs, data):
        filters = {k: v for k, v in data.items() if v not in (None, "")} | self._fixed()
        return selectors.booking_list(user=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forwarder"] = self.forwarder
        if self.forwarder is not None:
            context["title"] = _("Bookings with %(forwarder)s") % {
                "forwarder": f"{self.forwarder.code} {self.forwarder.display_name}"}
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(response, "template_name", None) == "core/_list_results.html":
            response.template_name = "shipping/_booking_results.html"
        return response


@login_required
def shipment_detail(request, pk: int):
    """The shipment's page: header, the registered sections, the timeline."""
    shipment = selectors.shipment_get_for_user(user=request.user, pk=pk)
    return render(request, "shipping/shipment_detail.html", {
        "shipment": shipment,
        "order": shipment.order,
        "bill": selectors.shipment_bill(shipment),
        "title": str(shipment),
        "sections": sections_for(request, shipment),
        "events": selectors.shipment_timeline(shipment),
    })


def forwarder_bookings_link(request, supplier) -> dict | None:
    """The supplier page's link to a forwarder's bookings (``parties.links``)."""
    if supplier.kind != Supplier.Kind.FORWARDER or not request.user.has_perm(selectors.VIEW_BOOKING):
        return None
    return {"label": _("Bookings"), "url": reverse("shipping:forwarder_bookings", args=[supplier.pk])}


shipment_list = ShipmentListView.as_view()
booking_list = BookingListView.as_view()

register_supplier_link("shipping.bookings", forwarder_bookings_link)
