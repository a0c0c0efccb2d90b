"""Quality pages: the inspection list, booking, result and detail; customer AQLs; first
articles and samples. Each POST parses a form, calls one service and redirects; a refusal
shows the page again with the service's message, the input kept, and its status (400 wrong
input, 403 role, 409 rule or stale page)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.events import timeline_for
from gendan.core.listing import Column, ListPageView
from gendan.core.views import run_action
from gendan.core.xlsx import INTEGER
from gendan.production.selectors import production_order_get_for_user
from gendan.quality import forms as qforms
from gendan.quality import rules, services
from gendan.quality.models import FirstArticle, Inspection, Sample, SampleSignoff
from gendan.quality.selectors import (
    first_article_get_for_user,
    inspection_get_for_user,
    inspection_queryset,
    profile_customers,
    quality_profile_of,
    sample_get_for_user,
)
from gendan.quality.workflows import FIRST_ARTICLE, ROUND_OUT, SAMPLE
from gendan.sales.selectors import order_get_for_user


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _post(request, *, form, call: Callable[[dict], object], success: str, target, page: Callable[..., HttpResponse],
          key: str) -> HttpResponse:
    """Validate ``form``, run ``call(cleaned_data)`` (``core.views.run_action``); on a refusal
    re-render ``page`` with the form bound and the status of the one mapping."""
    return run_action(request, form=form, call=call, success_message=success,
                      success_url=lambda result: resolve_url(target(result) if callable(target) else target),
                      refused=lambda exc, form: page(bound={key: form}, error=str(exc.message)))


# --- inspections ------------------------------------------------------------------------


class InspectionListView(ListPageView):
    title = gettext_lazy("Inspections")
    export_name = "inspections"
    default_sort = "-planned_on"
    filter_form_class = qforms.InspectionFilterForm
    columns = [
        Column("number", gettext_lazy("inspection no."), sort="number", link=True),
        Column("planned_on", gettext_lazy("inspection date"), sort="planned_on"),
        Column("kind", gettext_lazy("kind"), value=lambda i: i.get_kind_display(), sort="kind"),
        Column("sales_order", gettext_lazy("sales order"), value=lambda i: str(i.sales_order),
               sort="sales_order__number"),
        Column("customer", gettext_lazy("customer"), value=lambda i: i.sales_order.customer.code),
        Column("inspector", gettext_lazy("inspector"), value=lambda i: f"{i.inspector} ({i.get_party_display()})"),
        Column("lot_size", gettext_lazy("lot size (pieces)"), sort="lot_size", numeric=True),
        Column("sample_size", gettext_lazy("sample size"), numeric=True),
        Column("found", gettext_lazy("critical / major / minor"),
               value=lambda i: "" if i.major_found is None else f"{i.critical_found} / {i.major_found} / {i.minor_found}",
               export=[Column(f"{kind}_found", label, format=INTEGER) for kind, label in (
                   ("critical", gettext_lazy("critical")), ("major", gettext_lazy("major")),
                   ("minor", gettext_lazy("minor")))]),
        Column("status", gettext_lazy("status"), value=lambda i: i.get_status_display(), sort="status"),
    ]
    breadcrumbs = [(gettext_lazy("Quality"), None)]

    def get_base_queryset(self):
        if not self.request.user.has_perm("quality.view_inspection"):
            raise PermissionDenied
        return inspection_queryset(self.request.user)

    def filter_queryset(self, qs, data):
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(Q(number__icontains=q) | Q(sales_order__number__icontains=q)
                           | Q(sales_order__customer_po_no__icontains=q) | Q(inspector__icontains=q))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("date_from"):
            qs = qs.filter(planned_on__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(planned_on__lte=data["date_to"])
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["extra_links"] = [(_("Customer AQLs"), "quality:profile_list")]
        return context


@login_required
def inspection_book(request, order_pk: int):
    _need(request, "quality.add_inspection")
    order = order_get_for_user(user=request.user, pk=order_pk)

    def page(bound=None, error="", status=200):
        form = (bound or {}).get("book") or qforms.InspectionBookForm(order=order)
        profile = quality_profile_of(order.customer)
        return render(request, "quality/inspection_form.html", {
            "order": order, "form": form, "error": error, "profile": profile,
            "title": _("Book an inspection")}, status=status)

    if request.method != "POST":
        return page()
    form = qforms.InspectionBookForm(request.POST, order=order)
    return _post(request, form=form, key="book", page=page, target=lambda i: i,
                 success=_("Inspection booked; everyone concerned is told by email."),
                 call=lambda d: services.inspection_book(
                     actor=request.user, order_id=order.pk, kind=d["kind"], party=d["party"],
                     inspector=d["inspector"], planned_on=d["planned_on"], lot_size=d["lot_size"],
                     production_order_ids=[p.pk for p in d["production_orders"]]))


def _inspection_page(request, inspection: Inspection, *, bound=None, error="", status=200) -> HttpResponse:
    bound = bound or {}
    user = request.user
    may_record, may_cancel = rules.inspection_result_check(inspection), rules.inspection_cancel_check(inspection)
    return render(request, "quality/inspection_detail.html", {
        "inspection": inspection, "title": str(inspection), "error": error,
        "plan_rows": inspection.plan_rows(),
        "production_orders": list(inspection.production_orders.all()),
        "reinspections": list(inspection.reinspections.all()),
        "result_form": (bound.get("result") or qforms.InspectionResultForm(initial={"version": inspection.version}))
        if may_record and user.has_perm("quality.record_inspection_result") else None,
        "cancel_form": (bound.get("cancel") or qforms.ReasonForm(initial={"version": inspection.version}))
        if may_cancel and user.has_perm("quality.change_inspection") else None,
        "events": timeline_for(inspection),
    }, status=status)


@login_required
def inspection_detail(request, pk: int):
    return _inspection_page(request, inspection_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def inspection_result(request, pk: int):
    inspection = inspection_get_for_user(user=request.user, pk=pk)
    _need(request, "quality.record_inspection_result")
    form = qforms.InspectionResultForm(request.POST, request.FILES)
    return _post(request, form=form, key="result", target=inspection,
                 page=lambda **kw: _inspection_page(request, inspection, **kw),
                 success=_("Result recorded."),
                 call=lambda d: services.inspection_record_result(
                     actor=request.user, inspection_id=inspection.pk, inspected_on=d["inspected_on"],
                     critical=d["critical"], major=d["major"], minor=d["minor"], notes=d["notes"],
                     photos=d["photos"], report=d["report"], reinspection_on=d["reinspection_on"],
                     expected_version=d["version"]))


@login_required
@require_POST
def inspection_cancel(request, pk: int):
    inspection = inspection_get_for_user(user=request.user, pk=pk)
    _need(request, "quality.change_inspection")
    form = qforms.ReasonForm(request.POST)
    return _post(request, form=form, key="cancel", target=inspection,
                 page=lambda **kw: _inspection_page(request, inspection, **kw), success=_("Inspection cancelled."),
                 call=lambda d: services.inspection_cancel(actor=request.user, inspection_id=inspection.pk,
                                                           reason=d["reason"], expected_version=d["version"]))


# --- customer AQLs ----------------------------------------------------------------------


class ProfileListView(ListPageView):
    title = gettext_lazy("Customer AQLs")
    export_name = "customer-aqls"
    default_sort = "code"
    columns = [
        Column("code", gettext_lazy("customer"), sort="code",
               value=lambda c: f"{c.code} {c.display_name}"),
        Column("critical", gettext_lazy("critical AQL"), value=lambda c: quality_profile_of(c).critical_aql),
        Column("major", gettext_lazy("major AQL"), value=lambda c: quality_profile_of(c).major_aql),
        Column("minor", gettext_lazy("minor AQL"), value=lambda c: quality_profile_of(c).minor_aql),
        Column("level", gettext_lazy("inspection level"), value=lambda c: quality_profile_of(c).inspection_level),
        Column("final", gettext_lazy("final inspection required before shipment"),
               value=lambda c: quality_profile_of(c).requires_final_inspection),
        Column("first_article", gettext_lazy("first article approval required"),
               value=lambda c: quality_profile_of(c).requires_first_article),
        Column("set", gettext_lazy("set for this customer"), value=lambda c: quality_profile_of(c).pk is not None),
    ]
    breadcrumbs = [(gettext_lazy("Quality"), "quality:inspection_list")]
    template_name = "quality/profile_list.html"

    def get_base_queryset(self):
        if not self.request.user.has_perm("quality.view_qualityprofile"):
            raise PermissionDenied
        return profile_customers(self.request.user)


@login_required
def profile_edit(request, customer_pk: int):
    _need(request, "quality.view_qualityprofile")
    customer = profile_customers(request.user).filter(pk=customer_pk).first() if str(customer_pk).isdigit() else None
    if customer is None:
        raise Http404("No such customer.")
    profile = quality_profile_of(customer)
    may_edit = request.user.has_perm("quality.change_qualityprofile")

    def page(bound=None, error="", status=200):
        initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
        initial["version"] = profile.version
        form = (bound or {}).get("profile") or qforms.QualityProfileForm(initial=initial)
        return render(request, "quality/profile_form.html", {
            "customer": customer, "profile": profile, "form": form if may_edit else None, "error": error,
            "title": _("Quality profile of %(customer)s") % {"customer": customer.code}}, status=status)

    if request.method != "POST":
        return page()
    _need(request, "quality.change_qualityprofile")
    form = qforms.QualityProfileForm(request.POST)
    return _post(request, form=form, key="profile", page=page, target=lambda _p: request.path,
                 success=_("Quality profile saved."),
                 call=lambda d: services.quality_profile_update(
                     actor=request.user, customer_id=customer.pk, expected_version=d.pop("version"), data=d))


# --- first articles ---------------------------------------------------------------------


@login_required
def first_article_new(request, production_order_pk: int):
    _need(request, "quality.add_firstarticle")
    production_order = production_order_get_for_user(user=request.user, pk=production_order_pk)

    def page(bound=None, error="", status=200):
        form = (bound or {}).get("new") or qforms.FirstArticleCreateForm(initial={
            "topics": "\n".join(str(t) for t in services.DEFAULT_CHECKLIST),
            "requirements": production_order.sales_order.special_requirements})
        return render(request, "quality/first_article_form.html", {
            "po": production_order, "form": form, "error": error, "title": _("First article")}, status=status)

    if request.method != "POST":
        return page()
    form = qforms.FirstArticleCreateForm(request.POST)
    return _post(request, form=form, key="new", page=page, target=lambda f: f,
                 success=_("First article opened: record each check, then QC and sales sign."),
                 call=lambda d: services.first_article_create(
                     actor=request.user, production_order_id=production_order.pk, topics=d["topics"],
                     requirements=d["requirements"]))


def _first_article_page(request, first_article: FirstArticle, *, bound=None, error="", status=200):
    bound = bound or {}
    user = request.user
    open_ = FIRST_ARTICLE.can(first_article, FirstArticle.Status.REJECTED)
    editable = rules.first_article_items_check(first_article)
    sign = {side: rules.first_article_sign_check(first_article, side)
            for side in ("qc", "sales") if user.has_perm(f"quality.sign_firstarticle_{side}")} if open_ else {}
    return render(request, "quality/first_article_detail.html", {
        "fa": first_article, "title": str(first_article), "error": error,
        "items": list(first_article.items.all()),
        "items_form": (bound.get("items") or qforms.FirstArticleItemsForm(
            items=first_article.items.all(), initial={"version": first_article.version}))
        if editable and user.has_perm("quality.change_firstarticle") else None,
        "sign": sign,
        "reject_form": (bound.get("reject") or qforms.ReasonForm(initial={"version": first_article.version}))
        if open_ and sign else None,
        "gate": rules.first_article_check(first_article.production_order),
        "events": timeline_for(first_article),
    }, status=status)


@login_required
def first_article_detail(request, pk: int):
    return _first_article_page(request, first_article_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def first_article_items(request, pk: int):
    first_article = first_article_get_for_user(user=request.user, pk=pk)
    _need(request, "quality.change_firstarticle")
    form = qforms.FirstArticleItemsForm(request.POST, request.FILES, items=first_article.items.all())
    return _post(request, form=form, key="items", target=first_article,
                 page=lambda **kw: _first_article_page(request, first_article, **kw), success=_("Checks saved."),
                 call=lambda d: services.first_article_check_items(
                     actor=request.user, first_article_id=first_article.pk, results=form.results(),
                     photos=d["photos"], expected_version=d["version"]))


@login_required
@require_POST
def first_article_sign(request, pk: int, side: str):
    if side not in ("qc", "sales"):
        raise Http404
    first_article = first_article_get_for_user(user=request.user, pk=pk)
    _need(request, f"quality.sign_firstarticle_{side}")
    form = qforms.ReasonForm(request.POST)  # only its version is used
    form.fields["reason"].required = False
    return _post(request, form=form, key="sign", target=first_article,
                 page=lambda **kw: _first_article_page(request, first_article, **kw), success=_("Signed."),
                 call=lambda d: services.first_article_sign(actor=request.user, first_article_id=first_article.pk,
                                                            side=side, expected_version=d["version"]))


@login_required
@require_POST
def first_article_reject(request, pk: int):
    first_article = first_article_get_for_user(user=request.user, pk=pk)
    form = qforms.ReasonForm(request.POST)
    return _post(request, form=form, key="reject", target=first_article,
                 page=lambda **kw: _first_article_page(request, first_article, **kw),
                 success=_("First article rejected; open the next round when the factory has corrected it."),
                 call=lambda d: services.first_article_reject(actor=request.user, first_article_id=first_article.pk,
                                                              reason=d["reason"], expected_version=d["version"]))


# --- samples ----------------------------------------------------------------------------


@login_required
def sample_new(request, order_pk: int):
    _need(request, "quality.add_sample")
    order = order_get_for_user(user=request.user, pk=order_pk)

    def page(bound=None, error="", status=200):
        form = (bound or {}).get("new") or qforms.SampleRequestForm(order=order)
        return render(request, "quality/sample_form.html", {"order": order, "form": form, "error": error,
                                                            "title": _("Request a sample")}, status=status)

    if request.method != "POST":
        return page()
    form = qforms.SampleRequestForm(request.POST, order=order)
    return _post(request, form=form, key="new", page=page, target=lambda s: s, success=_("Sample requested."),
                 call=lambda d: services.sample_request(
                     actor=request.user, order_id=order.pk, kind=d["kind"], quantity=d["quantity"],
                     requested_on=d["requested_on"], description=d["description"],
                     production_order_id=d["production_order"].pk if d["production_order"] else None,
                     needs_engineering=d["needs_engineering"]))


def _sample_page(request, sample: Sample, *, bound=None, error="", status=200):
    bound = bound or {}
    user = request.user
    initial = {"version": sample.version}
    can_change = user.has_perm("quality.change_sample")
    departments = [(d, label) for d, label in SampleSignoff.Department.choices
                   if user.has_perm(services.SIGN_PERM[d])
                   and (d != SampleSignoff.Department.ENGINEERING or sample.needs_engineering)]
    sign_form = None
    rounds = list(sample.rounds.all())
    current = rounds[-1] if rounds else None
    out = sample.status in ROUND_OUT  # a round is out: it is received, then signed off
    if out and departments and current and current.received_on:
        sign_form = bound.get("sign") or qforms.SampleSignForm(initial={**initial, "department": departments[0][0]})
        sign_form.fields["department"].choices = departments
    return render(request, "quality/sample_detail.html", {
        "sample": sample, "title": str(sample), "error": error, "rounds": rounds,
        "warning": rules.sample_shipping_warning(sample) if SAMPLE.can(sample, Sample.Status.SENT) else "",
        "send_form": (bound.get("send") or qforms.SampleSendForm(initial=initial))
        if can_change and SAMPLE.can(sample, Sample.Status.SENT) else None,
        "receive_form": (bound.get("receive") or qforms.SampleReceiveForm(initial=initial))
        if can_change and out and current and not current.received_on else None,
        "sign_form": sign_form,
        "events": timeline_for(sample),
    }, status=status)


@login_required
def sample_detail(request, pk: int):
    return _sample_page(request, sample_get_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def sample_action(request, pk: int, action: str):
    sample = sample_get_for_user(user=request.user, pk=pk)
    page = lambda **kw: _sample_page(request, sample, **kw)  # noqa: E731
    if action == "send":
        _need(request, "quality.change_sample")
        form = qforms.SampleSendForm(request.POST)

        def call(d):
            result, warning = services.sample_send(actor=request.user, sample_id=sample.pk, sent_on=d["sent_on"],
                                                   courier=d["courier"], tracking_no=d["tracking_no"],
                                                   expected_version=d["version"])
            if warning:
                messages.warning(request, warning)
            return result
        return _post(request, form=form, key="send", target=sample, page=page, success=_("Sample sent."), call=call)
    if action == "receive":
        _need(request, "quality.change_sample")
        form = qforms.SampleReceiveForm(request.POST, request.FILES)
        return _post(request, form=form, key="receive", target=sample, page=page,
                     success=_("Receipt recorded; comments are due within three working days."),
                     call=lambda d: services.sample_receive(
                         actor=request.user, sample_id=sample.pk, received_on=d["received_on"],
                         comments=d["comments"], photos=d["photos"], expected_version=d["version"]))
    if action == "sign":
        if not any(request.user.has_perm(p) for p in services.SIGN_PERM.values()):
            raise PermissionDenied
        form = qforms.SampleSignForm(request.POST)
        return _post(request, form=form, key="sign", target=sample, page=page, success=_("Sign-off recorded."),
                     call=lambda d: services.sample_sign(
                         actor=request.user, sample_id=sample.pk, department=d["department"], verdict=d["verdict"],
                         comment=d["comment"], expected_version=d["version"]))
    raise Http404
