"""Planning pages: progress entry and import, the schedule (Gantt), exceptions, instructions.
Views parse input, check the coarse permission, call one service and render."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError, CoreError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import BootstrapLikeMixin, add_business_error
from gendan.core.listing import Column, ListPageView
from gendan.planning import selectors, tasks
from gendan.planning.forms import (
    ExceptionForm,
    ImportForm,
    InstructionForm,
    RescheduleForm,
    ResolveForm,
    ScheduleEntryForm,
    ScheduleWindowForm,
    WorkLineForm,
)
from gendan.planning.models import ProductionException, ProductionInstruction, ScheduleEntry
from gendan.planning.pdf import render_instruction
from gendan.planning.rules import can_plan, can_report_exception, can_resolve_exception
from gendan.planning.services import exceptions as exception_services
from gendan.planning.services import import_jobs, imports, instructions, schedule
from gendan.planning.services.progress import ProgressInput, progress_save
from gendan.production.services import OPEN as OPEN_PRODUCTION

LINES_PER_PAGE = 15
ERRORS_SHOWN = 500  # a job's row errors listed on its page; the rest are counted


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _require_planner(request) -> None:
    check = can_plan(request.user)
    if not check:
        raise PermissionDenied(check.reason)


# --- progress ---------------------------------------------------------------------------------


class ProgressFilterForm(BootstrapLikeMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("search"), required=False, widget=forms.TextInput(
        attrs={"placeholder": gettext_lazy("production order no., order no., factory")}))


class ProgressListView(ListPageView):
    """Open production orders; each opens its progress grid."""

    title = gettext_lazy("Daily progress")
    template_name = "planning/progress_list.html"
    export_name = "production-progress"
    default_sort = "due_date"
    filter_form_class = ProgressFilterForm
    columns = [
        Column("number", gettext_lazy("production order no."), sort="number"),
        Column("sales_order", gettext_lazy("sales order"), value=lambda p: str(p.sales_order), sort="sales_order__number"),
        Column("supplier", gettext_lazy("workshop / factory"), value=lambda p: p.supplier.code, sort="supplier__code"),
        Column("status", gettext_lazy("status"), value=lambda p: p.get_status_display(), sort="status"),
        Column("due_date", gettext_lazy("due date"), sort="due_date"),
    ]

    def get_base_queryset(self):
        _require(self.request, "planning.view_progressentry")
        return selectors.production_order_queryset(self.request.user).filter(status__in=OPEN_PRODUCTION)

    def row_url(self, obj) -> str:
        # Each row opens the production order's progress grid, not its production page.
        return reverse("planning:progress_entry", args=[obj.pk])

    def filter_queryset(self, qs, data):
        if data.get("q"):
            q = data["q"].strip()
            qs = qs.filter(Q(number__icontains=q) | Q(sales_order__number__icontains=q) | Q(supplier__code__icontains=q))
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Planning"), reverse("planning:schedule")), (_("Daily progress"), None)]
        context["may_import"] = bool(can_plan(self.request.user))
        return context



_CELL = re.compile(r"^q-(\d+)-([\w-]+)$")


@login_required
def progress_entry(request, pk: int):
    """Today's grid of a production order: lines × stages, cumulative quantity done."""
    _require(request, "planning.view_progressentry")
    production_order = selectors.production_order_for_progress(user=request.user, pk=pk)
    errors: dict[str, str] = {}
    may_edit = can_plan(request.user) and request.user.has_perm("planning.change_progressentry")
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        status = 400
        entries = []
        for name, value in request.POST.items():
            match = _CELL.match(name)
            if not match or not value.strip():
                continue
            line_id, stage = int(match.group(1)), match.group(2)
            finish = request.POST.get(f"f-{line_id}", "").strip()
            try:
                finish_date = dt.date.fromisoformat(finish) if finish else None
            except ValueError:
                errors[f"{line_id}-{stage}"] = _("The expected finish is not a date.")
                continue
            if line_id not in {line.pk for line in production_order.lines.all()}:
                raise Http404
            entries.append(ProgressInput(line_id=line_id, stage=stage, date=today, cumulative_quantity=value.strip(),
                                         expected_finish=finish_date, key=f"{line_id}-{stage}",
                                         reason=request.POST.get(f"r-{line_id}-{stage}", "")))
        if not errors:
            try:
                result = progress_save(actor=request.user, entries=entries)
            except BusinessError as exc:
                errors = {name.rpartition(".")[0]: msgs[0] for name, msgs in exc.fields.items()}
                messages.error(request, str(exc.message))
                status = error_status(exc)
            else:
                messages.success(request, _("Progress saved: %(saved)d changed, %(same)d unchanged.") % {
                    "saved": len(result.saved), "same": result.unchanged})
                return redirect("planning:progress_entry", pk=production_order.pk)
    grid = selectors.progress_grid(production_order, today=today)
    columns = []
    for row in grid:
        for stage in row.stages:
            if stage.code not in [s.code for s in columns]:
                columns.append(stage)
    return render(request, "planning/progress_entry.html", {
        "po": production_order, "title": _("Progress %(po)s") % {"po": production_order.number},
        "grid": grid, "columns": columns, "today": today, "errors": errors, "posted": request.POST,
        "may_edit": may_edit, "events": timeline_for(production_order, limit=30),
        "breadcrumbs": [(_("Daily progress"), reverse("planning:progress_list")), (production_order.number, None)],
    }, status=status)


# --- import -----------------------------------------------------------------------------------


@login_required
def import_template(request):
    _require(request, "planning.view_progressentry")
    response = HttpResponse(imports.progress_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename=\"progress-template.xlsx\"; " \
                                      "filename*=UTF-8''%E6%AF%8F%E6%97%A5%E7%94%9F%E4%BA%A7%E8%BF%9B%E5%BA%A6%E8%A1%A8.xlsx"
    return response


@login_required
def import_upload(request):
    """Upload → preview with row errors; the rows stay on the server under a token. A sheet of
    more rows than ``GENDAN_IMPORT_BACKGROUND_ROWS`` is checked by the task worker instead,
    and the page of its job shows the progress."""
    _require_planner(request)
    _require(request, "planning.add_progressimport")
    preview = None
    status = 200
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows, errors, digest = imports.progress_import_read(upload=upload)
            if len(rows) > import_jobs.background_rows():
                job = import_jobs.import_job_check_create(actor=request.user, file_name=upload.name or "",
                                                          digest=digest, rows=rows, errors=errors)
                tasks.progress_import_run.enqueue(job.pk)
                return redirect("planning:import_job", token=job.token)
            preview = imports.progress_import_check(actor=request.user, file_name=upload.name or "", digest=digest,
                                                    rows=rows, errors=errors)
        except BusinessError as exc:
            add_business_error(form, exc)
            status = error_status(exc)
        else:
            status = 400 if preview.errors else 200
    elif request.method == "POST":
        status = 400
        if not request.FILES:
            form.add_error("file", _("Choose the 每日生产进度表 Excel file to upload."))
    return render(request, "planning/import.html", {
        "form": form, "preview": preview, "headers": [h for _k, h, _e, _r in imports.COLUMNS],
        "background_rows": import_jobs.background_rows(), "title": _("Import daily progress"),
        "breadcrumbs": [(_("Daily progress"), reverse("planning:progress_list")), (_("Import"), None)],
    }, status=status)


@login_required
@require_POST
def import_confirm(request, token):
    _require_planner(request)
    _require(request, "planning.add_progressimport")
    try:
        if import_jobs.progress_import_rows(actor=request.user, token=token) > import_jobs.background_rows():
            job = import_jobs.import_job_import_create(actor=request.user, token=token)
            if job.status == job.Status.QUEUED:
                tasks.progress_import_run.enqueue(job.pk)
            return redirect("planning:import_job", token=job.token)
        batch = imports.progress_import_confirm(actor=request.user, token=token)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
        return redirect("planning:import_upload")
    messages.success(request, _("Imported “%(name)s”: %(saved)d entries saved, %(same)d already recorded.") % {
        "name": batch.file_name, "saved": batch.imported_count, "same": batch.unchanged_count})
    return redirect("planning:progress_list")


@login_required
def import_job(request, token):
    """A large sheet being checked or imported by the task worker: its progress (the page polls
    the status fragment every 2 s until the job is finished), then its result."""
    _require_planner(request)
    _require(request, "planning.add_progressimport")
    job = import_jobs.import_job_get(actor=request.user, token=token)
    if job is None:
        raise Http404
    context = {"job": job, "errors_shown": job.errors[:ERRORS_SHOWN], "errors_more": max(0, len(job.errors) - ERRORS_SHOWN),
               "title": _("Import daily progress"),
               "breadcrumbs": [(_("Daily progress"), reverse("planning:progress_list")),
                               (_("Import"), reverse("planning:import_upload")), (job.file_name, None)]}
    if request.htmx:
        return render(request, "planning/_import_job.html", context)
    return render(request, "planning/import_job.html", context)


# --- schedule ---------------------------------------------------------------------------------


@login_required
def schedule_view(request):
    """The Gantt: lines as rows (paginated), a window of weeks as columns."""
    _require(request, "planning.view_scheduleentry")
    window = ScheduleWindowForm(request.GET or None)
    data = window.cleaned_data if window.is_bound and window.is_valid() else {}
    start = data.get("start") or timezone.localdate()
    weeks = data.get("weeks") or 6
    lines = selectors.work_lines(workshop_id=data.get("workshop"))
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    chart = selectors.gantt(user=request.user, lines=list(page.object_list), start=start, weeks=weeks)
    may_plan = bool(can_plan(request.user)) and request.user.has_perm("planning.add_scheduleentry")
    entry_form = ScheduleEntryForm(request.POST or None, prefix="entry") if may_plan else None
    line_form = WorkLineForm(request.POST or None, prefix="line") if may_plan else None
    status = 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied
        status = 400
        try:
            if "add_line" in request.POST and line_form.is_valid():
                d = line_form.cleaned_data
                schedule.work_line_create(actor=request.user, workshop_id=d["workshop"].pk, name=d["name"],
                                          capacity_per_day=d["capacity_per_day"])
                messages.success(request, _("Line added."))
                return redirect(request.get_full_path())
            if "add_entry" in request.POST and entry_form.is_valid():
                d = entry_form.cleaned_data
                po = selectors.production_order_queryset(request.user).filter(number=d["production_order"].strip()).first()
                if po is None:
                    entry_form.add_error("production_order", _("There is no production order %(po)s.") % {
                        "po": d["production_order"]})
                else:
                    entry = schedule.schedule_entry_create(
                        actor=request.user, production_order_id=po.pk, work_line_id=d["work_line"].pk,
                        start=d["start"], end=d["end"], quantity=d["quantity"], reason=d["reason"])
                    messages.success(request, _("%(po)s scheduled.") % {"po": po.number})
                    _warn_materials(request, entry)
                    return redirect(request.get_full_path())
        except BusinessError as exc:
            add_business_error(entry_form if "add_entry" in request.POST else line_form, exc)
            status = error_status(exc)
    query = request.GET.copy()
    query.pop("page", None)
    prev_start = chart.start - dt.timedelta(days=7 * weeks)
    next_start = chart.start + dt.timedelta(days=7 * weeks)
    return render(request, "planning/schedule.html", {
        "chart": chart, "page": page, "window": window, "weeks": weeks, "entry_form": entry_form,
        "line_form": line_form, "window_query": query.urlencode(), "prev_start": prev_start, "next_start": next_start,
        "day_count": len(chart.days), "title": _("Production schedule"),
    }, status=status)


def _warn_materials(request, entry: ScheduleEntry) -> None:
    """Planned, but the work would wait for its materials: say so (a warning, not a refusal —
    the planner may know the supplier delivers early)."""
    warning = selectors.entry_materials_warning(entry)
    if warning:
        messages.warning(request, _("%(po)s %(why)s.") % {"po": entry.production_order.number, "why": warning})


@login_required
def schedule_entry_edit(request, pk: int):
    """Move an entry: new dates with a reason (kept as an event old → new)."""
    _require(request, "planning.view_scheduleentry")
    entry = ScheduleEntry.objects.select_related("production_order__sales_order", "work_line__workshop").filter(
        pk=pk, production_order__in=selectors.production_order_queryset(request.user)).first()
    if entry is None:
        raise Http404
    may_plan = bool(can_plan(request.user)) and request.user.has_perm("planning.change_scheduleentry")
    form = RescheduleForm(request.POST or None, initial={"version": entry.version, "start": entry.start,
                                                        "end": entry.end, "quantity": entry.quantity})
    status = 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                schedule.schedule_entry_reschedule(actor=request.user, entry_id=entry.pk, version=d["version"],
                                                   start=d["start"], end=d["end"], quantity=d["quantity"],
                                                   reason=d["reason"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Schedule changed."))
                entry.refresh_from_db()
                _warn_materials(request, entry)
                return redirect(f"{reverse('planning:schedule')}?start={d['start'].isoformat()}")
    return render(request, "planning/schedule_entry.html", {
        "entry": entry, "form": form, "may_plan": may_plan, "events": timeline_for(entry, limit=30),
        "title": _("Schedule entry"),
        "breadcrumbs": [(_("Production schedule"), reverse("planning:schedule")), (entry.production_order.number, None)],
    }, status=status)


# --- exceptions -------------------------------------------------------------------------------


class ExceptionFilterForm(BootstrapLikeMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("status"), required=False,
                               choices=[("", gettext_lazy("all")), *ProductionException.Status.choices])
    kind = forms.ChoiceField(label=gettext_lazy("kind"), required=False,
                             choices=[("", gettext_lazy("all")), *ProductionException.Kind.choices])


class ExceptionListView(ListPageView):
    title = gettext_lazy("Production exceptions")
    export_name = "production-exceptions"
    default_sort = "-created"
    filter_form_class = ExceptionFilterForm
    create_url_name = "planning:exception_create"
    create_permission = "planning.add_productionexception"
    columns = [
        Column("id", gettext_lazy("no."), value=lambda e: f"#{e.pk}", sort="pk", link=True),
        Column("kind", gettext_lazy("kind"), value=lambda e: e.get_kind_display(), sort="kind"),
        Column("status", gettext_lazy("status"), value=lambda e: e.get_status_display(), sort="status"),
        Column("description", gettext_lazy("what happened"), value=lambda e: e.description[:80]),
        Column("new_ex_factory_date", gettext_lazy("new ex-factory date"), sort="new_ex_factory_date"),
        Column("reported_by", gettext_lazy("reported by"), value=lambda e: str(e.reported_by)),
        Column("created", gettext_lazy("reported at"), value=lambda e: e.created_at, sort="created_at"),
    ]

    def get_base_queryset(self):
        _require(self.request, "planning.view_productionexception")
        return selectors.exception_queryset(self.request.user)

    def filter_queryset(self, qs, data):
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        return qs


@login_required
def exception_create(request):
    _require(request, "planning.add_productionexception")
    if not can_report_exception(request.user):
        raise PermissionDenied
    initial = {"production_orders": request.GET.get("po", "")}
    form = ExceptionForm(request.POST or None, initial=initial)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        numbers = [n for n in re.split(r"[\s,，;；]+", d["production_orders"]) if n]
        found = list(selectors.production_order_queryset(request.user).filter(number__in=numbers))
        missing = sorted(set(numbers) - {po.number for po in found})
        if missing:
            form.add_error("production_orders", _("Unknown production order(s): %(list)s") % {"list": ", ".join(missing)})
        else:
            try:
                exception = exception_services.exception_report(
                    actor=request.user, kind=d["kind"], description=d["description"],
                    production_order_ids=[po.pk for po in found], new_ex_factory_date=d["new_ex_factory_date"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Exception reported; the managers are told by email."))
                return redirect(exception.get_absolute_url())
    return render(request, "planning/exception_form.html", {
        "form": form, "title": _("Report a production exception"),
        "breadcrumbs": [(_("Production exceptions"), reverse("planning:exception_list")), (_("Report"), None)],
    }, status=status)


@login_required
def exception_detail(request, pk: int):
    _require(request, "planning.view_productionexception")
    exception = selectors.exception_get_for_user(user=request.user, pk=pk)
    check = can_resolve_exception(request.user, exception)
    form = ResolveForm(request.POST or None, initial={"version": exception.version})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if check.code == CoreError.FORBIDDEN or not request.user.has_perm("planning.change_productionexception"):
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                exception_services.exception_resolve(actor=request.user, exception_id=exception.pk,
                                                     version=d["version"], resolution=d["resolution"],
                                                     new_ex_factory_date=d["new_ex_factory_date"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Exception resolved."))
                return redirect(exception.get_absolute_url())
    return render(request, "planning/exception_detail.html", {
        "exception": exception, "form": form, "check": check, "events": timeline_for(exception, limit=50),
        "may_resolve": bool(check) and request.user.has_perm("planning.change_productionexception"),
        "title": str(exception),
        "breadcrumbs": [(_("Production exceptions"), reverse("planning:exception_list")), (str(exception), None)],
    }, status=status)


# --- instructions -----------------------------------------------------------------------------


@login_required
def instruction_list(request):
    _require(request, "planning.view_productioninstruction")
    may_plan = bool(can_plan(request.user)) and request.user.has_perm("planning.add_productioninstruction")
    form = InstructionForm(request.POST or None, initial={
        "kind": ProductionInstruction.Kind.SEMI_FINISHED,
        "week": instructions.default_week(ProductionInstruction.Kind.SEMI_FINISHED)})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = instructions.instructions_generate(actor=request.user, kind=form.cleaned_data["kind"],
                                                          week_start=form.cleaned_data["week"])
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("%(n)d instruction(s) generated; they are emailed to the workshops.") % {
                    "n": len(made)} if made else _("Nothing is scheduled that week."))
                return redirect("planning:instruction_list")
    page = Paginator(ProductionInstruction.objects.select_related("workshop", "generated_by"), 30).get_page(
        request.GET.get("page"))
    return render(request, "planning/instructions.html", {
        "form": form, "page": page, "may_plan": may_plan, "title": _("Production instructions"),
        "breadcrumbs": [(_("Planning"), reverse("planning:schedule")), (_("Production instructions"), None)],
    }, status=status)


@login_required
def instruction_pdf(request, pk: int):
    _require(request, "planning.view_productioninstruction")
    instruction = ProductionInstruction.objects.select_related("workshop").filter(pk=pk).first()
    if instruction is None:
        raise Http404
    response = HttpResponse(render_instruction(instruction), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{instruction.number}.pdf"'
    return response
