"""Pages of dunning: the runs (with finance's "run now"), a run's reminders, and the levels
finance configures. Thin: the rules are in ``services.dunning``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, error_status
from gendan.core.guards import parse_id
from gendan.core.listing import Column, GroupBy, ListPageView
from gendan.core.xlsx import DATE, DATETIME, INTEGER
from gendan.receivables.forms_dunning import RunFilterForm, levels_as_rows, levels_from_post
from gendan.receivables.models import DunningRun
from gendan.receivables.selectors import dunning as sel
from gendan.receivables.services.dunning import (
    EDIT_LEVELS,
    PLACEHOLDERS,
    RUN,
    dunning_levels_save,
    dunning_run_today,
)

PER_PAGE = 50


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


class RunListView(ListPageView):
    """The dunning runs (``sel.run_list``): filters dates, level, holds, who started it;
    groupings month and who started it; saved views; Excel export."""

    template_name = "receivables/dunning/runs.html"
    results_template_name = "receivables/dunning/_runs_results.html"
    title = gettext_lazy("Dunning runs")
    export_name = "dunning-runs"
    filter_form_class = RunFilterForm
    default_sort = "-run_on"
    columns = [
        Column("run_on", gettext_lazy("run on"), link=True, sort="run_on", format=DATE),
        Column("started_by", gettext_lazy("started by"),
               value=lambda r: str(r.started_by) if r.started_by_id else _("schedule")),
        Column("started_at", gettext_lazy("started at"), sort="started_at", format=DATETIME, default=False),
        Column("customers_count", gettext_lazy("customers overdue"), sort="customers_count", numeric=True,
               format=INTEGER, total=True),
        Column("notices_count", gettext_lazy("reminders"), sort="notices_count", numeric=True, format=INTEGER,
               total=True),
        Column("holds_count", gettext_lazy("put on hold"), sort="holds_count", numeric=True, format=INTEGER,
               total=True),
    ]
    group_by = [
        GroupBy.month("month", gettext_lazy("month"), "run_on"),
        GroupBy("started_by", gettext_lazy("started by"), "started_by_id",
                display=lambda r: str(r.started_by) if r.started_by_id else _("schedule")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _need(request, sel.VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return sel.run_list(user=self.request.user)

    def filter_queryset(self, qs, data):
        return sel.run_list(user=self.request.user, filters=data)

    def row_url(self, obj) -> str:
        return reverse("receivables:dunning_run", args=[obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"may_run": self.request.user.has_perm(RUN)}


run_list_page = RunListView.as_view()


@login_required
def run_detail(request, pk: int):
    _need(request, sel.VIEW)
    run = DunningRun.objects.select_related("started_by").filter(pk=parse_id(pk) or 0).first()
    if run is None:
        raise Http404(_("No such dunning run."))
    page = Paginator(sel.run_notices(user=request.user, run=run), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "receivables/dunning/run.html", {"run": run, "page": page})


@login_required
@require_POST
def run_now(request):
    _need(request, RUN)
    try:
        run = dunning_run_today(actor=request.user)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("receivables:dunning_runs"))
    if run is None:
        messages.info(request, _("The dunning has already run today; it runs once a day."))
        return redirect(reverse("receivables:dunning_runs"))
    messages.success(request, _("Dunning run: %(n)d reminder(s), %(h)d put on credit hold.") % {
        "n": run.notices_count, "h": run.holds_count})
    return redirect(reverse("receivables:dunning_run", args=[run.pk]))


@login_required
def levels_page(request):
    _need(request, "receivables.view_dunninglevel")
    may_edit = request.user.has_perm(EDIT_LEVELS)
    error = None
    status = 200
    rows = levels_as_rows(sel.levels())
    if request.method == "POST":
        _need(request, EDIT_LEVELS)
        posted = levels_from_post(request.POST)
        try:
            dunning_levels_save(actor=request.user, levels=posted)
        except BusinessError as exc:
            error, status = exc, error_status(exc)
            rows = [{"n": n, **row} for n, row in enumerate(posted, start=1)]
        else:
            messages.success(request, _("Dunning levels saved."))
            return redirect(reverse("receivables:dunning_levels"))
    return render(request, "receivables/dunning/levels.html", {
        "rows": rows, "may_edit": may_edit, "error": error,
        "placeholders": ", ".join("{%s}" % p for p in PLACEHOLDERS)}, status=status)
