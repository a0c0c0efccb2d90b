"""Pages of the T&A: the chase board (mine, a team member's, the team's counts), milestone
actions (complete, reschedule, note, skip), the order's plan on the order page, the
template editor and the working-day calendar.

Actions are POSTs that call one service. A refusal changes nothing and shows the same page
again with the message next to the row and the user's input kept, with the service's
status (400 wrong input, 403 role, 409 stale page).
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.calendar import weekend_days
from gendan.core.errors import BusinessError, error_status
from gendan.core.forms import add_business_error
from gendan.core.guards import EARLIEST_DATE, LATEST_DATE
from gendan.core.listing import Column, ListPageView
from gendan.core.models import CalendarDay
from gendan.core.request_cache import per_user
from gendan.core.views import run_action
from gendan.sales import panels
from gendan.sales.selectors import order_get_for_user
from gendan.tracking import selectors
from gendan.tracking.forms import (
    BoardFilterForm,
    CalendarDayForm,
    MilestoneFilterForm,
    TemplateForm,
    TemplateStepForm,
)
from gendan.tracking.models import MilestoneTemplate, OrderMilestone, TemplateStep
from gendan.tracking.services import milestones as ms_services
from gendan.tracking.services import templates as tpl_services
from gendan.tracking.services.plans import plan_preview
from gendan.tracking.workflows import MILESTONE, is_open

# --- the order page panel ----------------------------------------------------------------


def plan_count(request, order):
    """The order page's "T&A" tab: the plan's open milestones (counted with the other tabs')."""
    return OrderMilestone.objects.filter(order=order, status=OrderMilestone.Status.OPEN)


def plan_panel(request, order) -> dict | None:
    """The order's T&A: a timeline of planned / forecast / actual dates, the risk, and — for a
    draft — what the plan would be if confirmed now and which milestones are already late."""
    today = timezone.localdate()
    if order.status == "draft":
        preview = plan_preview(order, today=today)
        return {"preview": preview, "today": today, "chart": _chart(
            [(r["step"].display_name, r["planned"], r["forecast"], None) for r in preview["rows"]], today)}
    plan, milestones = selectors.plan_for_order(order)
    if plan is None:
        return {"plan": None}
    rows = [(m.display_name, m.planned_date, m.forecast_date, m.actual_date) for m in milestones]
    return {"plan": plan, "milestones": milestones, "today": today, "chart": _chart(rows, today),
            "can_edit": request.user.has_perm(ms_services.CHANGE_PERM),
            "open_ids": {m.pk for m in milestones if is_open(MILESTONE, m)},
            # a milestone action refused on this page: its row shows the message and keeps the input
            "error": getattr(request, "milestone_refusal", None)}


def _chart(rows, today: dt.date) -> dict:
    """Geometry for the server-rendered SVG timeline: one row per milestone, x in days."""
    dates = [d for r in rows for d in r[1:] if d] + [today]
    start = min(dates) - dt.timedelta(days=2)
    end = max(dates) + dt.timedelta(days=2)
    span = max((end - start).days, 1)
    width, label_w, row_h = 900, 190, 22

    def x(day: dt.date) -> float:
        return round(label_w + (day - start).days / span * (width - label_w - 10), 1)

    bars = []
    for i, (name, planned, forecast, actual) in enumerate(rows):
        y = 24 + i * row_h
        late = forecast > planned
        bars.append({
            "name": name, "y": y, "ty": y + 12, "planned_x": x(planned), "forecast_x": x(forecast),
            "from_x": min(x(planned), x(forecast)), "w": max(abs(x(forecast) - x(planned)), 3),
            "actual_x": x(actual) if actual else None, "late": late, "done": actual is not None,
            "planned": planned, "forecast": forecast, "actual": actual,
        })
    ticks = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            ticks.append({"x": x(day), "label": day.strftime("%m-%d")})
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return {"bars": bars, "width": width, "height": 34 + len(rows) * row_h, "today_x": x(today),
            "label_w": label_w, "ticks": ticks}


def register_panels() -> None:
    panels.register("tracking_plan", template="tracking/_order_plan.html", context=plan_panel, rank=10, tab="plan",
                    count=plan_count)


# --- the chase board ---------------------------------------------------------------------

GROUPINGS = {
    "order": lambda m: (m.order.number or str(m.order_id), f"{m.order.number} · {m.order.customer.code}"),
    "customer": lambda m: (m.order.customer.code, f"{m.order.customer.code} {m.order.customer.display_name}"),
    "department": lambda m: (m.owner_role, m.get_owner_role_display()),
}


def _grouped(rows: list[OrderMilestone], grouping: str) -> list[tuple[str, list]]:
    key = GROUPINGS.get(grouping, GROUPINGS["order"])
    ordered = sorted(rows, key=lambda m: (key(m)[0], m.date_due, m.sequence))
    return [(label, list(items)) for (_k, label), items in groupby(ordered, key=key)]


def _board_user(request) -> User:
    """Whose board: your own; a manager may open a team member's."""
    user_id = request.GET.get("user") or QueryDict(urlsplit(request.POST.get("next", "")).query).get("user")
    if not user_id or str(user_id) == str(request.user.pk):
        return request.user
    if not (request.user.has_role(Role.MANAGER) or request.user.is_superuser):
        raise PermissionDenied(_("Only managers can open another person's board."))
    try:
        return selectors.team_members(request.user).get(pk=int(user_id))
    except (User.DoesNotExist, ValueError):
        raise Http404("No such person in your team.") from None


def _board_rows(rows: list[OrderMilestone], today: dt.date) -> list[dict]:
    """What a board row shows, as plain values: the template then reads dictionaries instead of
    walking model attributes (a board can hold 200 rows; see bench/chase_board.py)."""
    complete = reverse("tracking:milestone_action", args=[0, "complete"])
    actions = reverse("tracking:milestone_actions", args=[0])
    order_url = reverse("sales:order_detail", args=[0])
    result = []
    for m in rows:
        due = m.date_due
        result.append({
            "obj": m, "id": m.pk, "version": m.version, "name": m.display_name, "order_id": m.order_id,
            "order_number": m.order.number, "order_url": order_url.replace("/0/", f"/{m.order_id}/") + "?tab=plan#plan",
            "due": due.isoformat(), "late": due < today, "planned": m.planned_date.isoformat(),
            "expected": m.expected_date is not None, "forecast": m.forecast_date.isoformat(),
            "owner": str(m.owner) if m.owner_id else m.get_owner_role_display(), "risk": m.plan.risk,
            "risk_label": m.plan.get_risk_display(), "notes": m.notes,
            "follow_up": m.follow_up_date.isoformat() if m.follow_up_date else "",
            "complete_url": complete.replace("/0/", f"/{m.pk}/"), "actions_url": actions.replace("/0/", f"/{m.pk}/"),
            # a fact another module reports: no Done button, the sentence saying what completes it
            "completed_by": _("Done when %(fact)s.") % {"fact": fact} if (fact := m.completed_by_event) else "",
            "take_url": complete.replace("/0/", f"/{m.pk}/").replace("/complete/", "/take/") if not m.owner_id else "",
        })
    return result


def _density_url(params: QueryDict, *, compact: bool) -> str:
    """The board's own address with the same filters, in the compact (one line per milestone) or
    the full layout: the choice lives in the query string only."""
    query = params.copy()
    query.pop("compact", None)
    if compact:
        query["compact"] = "1"
    return "?" + query.urlencode() if query else "?"


# Where the kept sections take what belongs to this request: its CSRF token, and the mentions
# (read afresh on every page: opening one is a GET, which no kept answer would notice).
CSRF_SLOT = "<!--gendan:csrf-->"
MENTIONS_SLOT = "<!--gendan:mentions-->"
# The query parameters of the board's own filters: only those pages are kept.
BOARD_PARAMS = {"days", "group", "compact", "user"}


def _board_sections(request, person: User, *, horizon: int, grouping: str, compact: bool, next_url: str,
                    error: dict | None) -> dict:
    """``person``'s board sections as HTML (with the two slots above), and what the page around
    them needs; rendered from ``tracking.selectors.board_for``."""
    today = timezone.localdate()
    board = selectors.board_for(user=person, today=today, horizon_days=horizon, mentions=False)
    sections = [
        ("overdue", _("Overdue"), board.overdue, board.counts.get("overdue", 0)),
        ("today", _("Due today and follow-ups"), board.due_today, board.counts.get("due_today", 0)),
        ("upcoming", _("Next %(n)d days") % {"n": horizon}, board.upcoming, board.counts.get("upcoming", 0)),
        ("at_risk", _("At risk (forecast after plan)"), board.at_risk, board.counts.get("at_risk", 0)),
    ]
    context = {
        "board": board, "compact": compact, "next_url": next_url, "error": error or {},
        "posted": request.POST if error else {}, "mentions_slot": mark_safe(MENTIONS_SLOT),  # noqa: S308
        "csrf_input": mark_safe(CSRF_SLOT),  # noqa: S308
        "sections": [{"key": k, "label": label, "count": count, "shown": len(rows),
                      "capped": {"today": "due_today"}.get(k, k) in board.capped,
                      "groups": [(group, _board_rows(items, board.today)) for group, items in _grouped(rows, grouping)]}
                     for k, label, rows, count in sections],
    }
    # A refused action's row shows the milestone's own forms ({% csrf_token %}): that page is never kept.
    html = render_to_string("tracking/_board_sections.html", context, request=request if error else None)
    return {"html": html, "today": today, "empty": board.is_empty,
            "shown": [m.pk for rows in (board.overdue, board.due_today, board.upcoming, board.at_risk) for m in rows]}


def board_context(request, *, error: dict | None = None) -> dict:
    """The chase board page. Its sections are kept for ``GENDAN_BOARD_SECONDS`` per person, page
    address and language, and dropped as soon as anything changes (``core.request_cache.per_user``);
    a refused action's page is made afresh."""
    params = request.GET
    if not params and request.method == "POST":  # a refused action: the board as the user had filtered it
        params = QueryDict(urlsplit(request.POST.get("next", "")).query)
    form = BoardFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    horizon = data.get("days") or 7
    grouping = data.get("group") or "order"
    compact = params.get("compact") == "1"
    person = _board_user(request)
    next_url = request.get_full_path()

    def make() -> dict:
        return _board_sections(request, person, horizon=horizon, grouping=grouping, compact=compact,
                               next_url=next_url, error=error)

    # Kept only for the board's own filters, each given once and valid: a few entries per person,
    # whatever query strings someone sends (the page's links then say the same thing)
    keep = (not error and set(params) <= BOARD_PARAMS and all(len(params.getlist(k)) == 1 for k in params)
            and (not params or form.is_valid()))
    if keep:
        key = (f"board:{person.pk}:{timezone.localdate().isoformat()}:{get_language()}:{horizon}:{grouping}:"
               f"{int(compact)}")
        kept = per_user(request, key, make, seconds=settings.GENDAN_BOARD_SECONDS)
    else:
        kept = make()
    mentions = selectors.board_mentions(user=person)
    error_row = None
    if error and error.get("id") and error["id"] not in kept["shown"]:  # acted on from a "show all" list
        error_row = (selectors.milestone_queryset(request.user).select_related("plan", "predecessor")
                     .filter(pk=error["id"]).first())
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
    mentions_html = render_to_string("tracking/_board_mentions.html", {"mentions": mentions})
    return {
        "title": _("Chase board"), "today": kept["today"], "empty": kept["empty"] and not mentions,
        "error_row": error_row, "person": person, "form": form, "compact": compact,
        "density_url": _density_url(params, compact=not compact),
        "sections_html": mark_safe(kept["html"].replace(CSRF_SLOT, csrf_input).replace(MENTIONS_SLOT, mentions_html)),  # noqa: S308
        "is_manager": request.user.has_role(Role.MANAGER) or request.user.is_superuser,
        "error": error or {}, "posted": request.POST if error else {}, "next_url": next_url,
    }


@login_required
@permission_required("tracking.view_ordermilestone", raise_exception=True)
def board(request):
    return render(request, "tracking/board.html", board_context(request))


@login_required
def team_board(request):
    if not (request.user.has_role(Role.MANAGER) or request.user.is_superuser):
        raise PermissionDenied(_("The team board is for managers."))
    return render(request, "tracking/team.html", {
        "title": _("Team chase board"), "rows": selectors.team_overdue(request.user),
        "departments": selectors.department_overdue()})


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


ACTIONS = {
    "complete": (lambda r, pk: ms_services.milestone_complete(
        actor=r.user, milestone_id=pk, on=r.POST.get("on") or None, reason=r.POST.get("reason", ""),
        expected_version=_int(r.POST.get("version"))), _("Marked done.")),
    "reschedule": (lambda r, pk: ms_services.milestone_reschedule(
        actor=r.user, milestone_id=pk, expected_date=r.POST.get("expected_date", ""),
        reason=r.POST.get("reason", ""), expected_version=_int(r.POST.get("version"))),
        _("New date saved; the milestones after it moved with it.")),
    "note": (lambda r, pk: ms_services.milestone_note(
        actor=r.user, milestone_id=pk, note=r.POST.get("note", ""), follow_up_date=r.POST.get("follow_up_date"),
        expected_version=_int(r.POST.get("version"))), _("Note saved.")),
    "take": (lambda r, pk: ms_services.milestone_assign(
        actor=r.user, milestone_id=pk, owner=r.user, expected_version=_int(r.POST.get("version"))),
        _("It is yours now.")),
    "skip": (lambda r, pk: ms_services.milestone_skip(
        actor=r.user, milestone_id=pk, reason=r.POST.get("reason", ""),
        expected_version=_int(r.POST.get("version"))), _("Milestone skipped.")),
}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def milestone_action(request, pk: int, action: str):
    """Complete / reschedule / note / skip one milestone, from the board or the order page. A
    refusal shows the page it came from again, the message on the milestone's row."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    call, success = ACTIONS[action]

    def refused(exc: BusinessError, _form):
        error = {"id": pk, "action": action, "message": str(exc.message), "fields": exc.fields}
        if request.POST.get("from") == "order":
            milestone = get_object_or_404(OrderMilestone.objects.only("order_id"), pk=pk)
            request.milestone_refusal = error  # the order's plan panel shows it
            return panels.order_page(request, order_get_for_user(user=request.user, pk=milestone.order_id))
        return render(request, "tracking/board.html", board_context(request, error=error))

    return run_action(request, call=lambda _data: call(request, pk), refused=refused,
                      success_message=lambda m: f"{m.order.number} · {m.display_name}: {success}",
                      success_url=_back(request, reverse("tracking:board")))


@login_required
@permission_required("tracking.view_ordermilestone", raise_exception=True)
def milestone_actions(request, pk: int):
    """One milestone's forms (reschedule, note, skip, complete with a reason): loaded into a board
    row when its "More" is opened, or a page of its own without JavaScript."""
    milestone = (selectors.milestone_queryset(request.user).select_related("predecessor", "plan")
                 .filter(pk=pk).first())
    if milestone is None:
        raise Http404("No such milestone.")
    next_url = request.GET.get("next") or reverse("tracking:board")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("tracking:board")
    template = "tracking/_milestone_actions.html" if request.htmx else "tracking/milestone_actions.html"
    return render(request, template, {"m": milestone, "next_url": next_url, "origin": "board",
                                      "title": milestone.display_name})


# --- all milestones (the "show all" behind each board section) ---------------------------


class MilestoneListView(ListPageView):
    """Every milestone the user may see, filtered — the "show all" behind a board section."""

    title = gettext_lazy("Milestones")
    export_name = "milestones"
    default_sort = "due"
    columns = [
        Column("order", gettext_lazy("order no."), value=lambda m: m.order.number, sort="order__number", link=True),
        Column("customer", gettext_lazy("customer"), value=lambda m: m.order.customer.code,
               sort="order__customer__code"),
        Column("milestone", gettext_lazy("milestone"), value=lambda m: m.display_name),
        Column("owner", gettext_lazy("owner"), value=lambda m: str(m.owner or m.get_owner_role_display())),
        Column("planned_date", gettext_lazy("planned"), sort="planned_date"),
        Column("due", gettext_lazy("expected"), value=lambda m: m.date_due, sort="due"),
        Column("forecast_date", gettext_lazy("forecast"), sort="forecast_date"),
        Column("actual_date", gettext_lazy("actual"), sort="actual_date"),
        Column("status", gettext_lazy("status"), value=lambda m: m.get_status_display(), sort="status"),
    ]

    def get_base_queryset(self):
        if not self.request.user.has_perm("tracking.view_ordermilestone"):
            raise PermissionDenied
        return selectors.milestone_queryset(self.request.user)

    def get_filter_form(self):
        return MilestoneFilterForm(self.request.GET or None)

    def filter_queryset(self, qs, data):
        return selectors.milestone_filter(qs, data, user=self.request.user)


# --- templates ---------------------------------------------------------------------------


@login_required
@permission_required("tracking.view_milestonetemplate", raise_exception=True)
def template_list(request):
    templates = MilestoneTemplate.objects.select_related("customer", "category").order_by("kind", "-is_default",
                                                                                          "name")
    return render(request, "tracking/template_list.html", {"title": _("T&A templates"), "templates": templates,
                                                           "can_edit": request.user.has_perm(
                                                               "tracking.change_milestonetemplate")})


def _template_page(request, template, *, step_form=None, template_form=None, edit_step=None, status=200):
    can_edit = request.user.has_perm("tracking.change_milestonetemplate")
    steps = list(template.steps.all())
    return render(request, "tracking/template_detail.html", {
        "title": str(template), "template": template, "steps": steps, "can_edit": can_edit,
        "template_form": template_form or TemplateForm(instance=template),
        "step_form": step_form or TemplateStepForm(template=template, initial={
            "sequence": (steps[-1].sequence + 10) if steps else 10}),
        "edit_step": edit_step,
    }, status=status)


@login_required
@permission_required("tracking.view_milestonetemplate", raise_exception=True)
def template_detail(request, pk: int):
    template = get_object_or_404(MilestoneTemplate, pk=pk)
    edit_step = None
    step_form = None
    if request.GET.get("step"):
        edit_step = get_object_or_404(TemplateStep, pk=_int(request.GET["step"]) or 0, template=template)
        step_form = TemplateStepForm(template=template, instance=edit_step)
    return _template_page(request, template, step_form=step_form, edit_step=edit_step)


@login_required
@permission_required("tracking.add_milestonetemplate", raise_exception=True)
def template_copy(request, pk: int):
    if request.method != "POST":
        return redirect("tracking:template_detail", pk=pk)
    source = get_object_or_404(MilestoneTemplate, pk=pk)
    copy = tpl_services.template_copy(actor=request.user, template_id=source.pk)
    messages.success(request, _("Copied. Set the customer or product category it is for, then edit its milestones."))
    return redirect(copy)


@login_required
@require_POST
@permission_required("tracking.change_milestonetemplate", raise_exception=True)
def template_update(request, pk: int):
    template = get_object_or_404(MilestoneTemplate, pk=pk)
    form = TemplateForm(request.POST, instance=MilestoneTemplate.objects.get(pk=pk))
    if form.is_valid():
        try:
            tpl_services.template_update(actor=request.user, template_id=pk, data=form.cleaned_data,
                                         expected_version=form.cleaned_data.get("version"))
        except BusinessError as exc:
            add_business_error(form, exc)
            return _template_page(request, template, template_form=form, status=error_status(exc))
        messages.success(request, _("Template saved."))
        return redirect(template)
    return _template_page(request, template, template_form=form, status=400)


@login_required
@require_POST
@permission_required("tracking.change_milestonetemplate", raise_exception=True)
def template_step_save(request, pk: int):
    template = get_object_or_404(MilestoneTemplate, pk=pk)
    step = None
    if request.POST.get("step_id"):
        step = get_object_or_404(TemplateStep, pk=_int(request.POST["step_id"]) or 0, template=template)
    form = TemplateStepForm(request.POST, template=template, instance=step)
    if not form.is_valid():
        return _template_page(request, template, step_form=form, edit_step=step, status=400)
    try:
        tpl_services.template_step_save(actor=request.user, template_id=pk, step_id=step.pk if step else None,
                                        data=form.cleaned_data)
    except BusinessError as exc:
        add_business_error(form, exc)
        return _template_page(request, template, step_form=form, edit_step=step, status=error_status(exc))
    messages.success(request, _("Milestone saved."))
    return redirect(template)


@login_required
@require_POST
@permission_required("tracking.change_milestonetemplate", raise_exception=True)
def template_step_delete(request, pk: int, step_id: int):
    template = get_object_or_404(MilestoneTemplate, pk=pk)
    try:
        tpl_services.template_step_delete(actor=request.user, template_id=pk, step_id=step_id)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
        return _template_page(request, template, status=error_status(exc))
    messages.success(request, _("Milestone removed from the template."))
    return redirect(template)


# --- the working-day calendar ------------------------------------------------------------

WEEKDAYS = [gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"), gettext_lazy("Thursday"),
            gettext_lazy("Friday"), gettext_lazy("Saturday"), gettext_lazy("Sunday")]


@login_required
@permission_required("core.view_calendarday", raise_exception=True)
def calendar_page(request):
    year = _int(request.GET.get("year"))
    if year is None or not EARLIEST_DATE.year <= year <= LATEST_DATE.year:  # ?year=99999: this year
        year = timezone.localdate().year
    form = CalendarDayForm()
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("core.add_calendarday"):
            raise PermissionDenied
        form = CalendarDayForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                tpl_services.calendar_day_set(actor=request.user, **form.cleaned_data)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Calendar saved."))
                return redirect(f"{reverse('tracking:calendar')}?year={form.cleaned_data['date'].year}")
    days = CalendarDay.objects.filter(date__year=year)
    return render(request, "tracking/calendar.html", {
        "title": _("Working-day calendar"), "days": days, "year": year, "form": form,
        "can_edit": request.user.has_perm("core.add_calendarday"),
        "weekend": [WEEKDAYS[d] for d in sorted(weekend_days())],
    }, status=status)


@login_required
@require_POST
@permission_required("core.delete_calendarday", raise_exception=True)
def calendar_day_delete(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    tpl_services.calendar_day_delete(actor=request.user, day_id=day.pk)
    messages.success(request, _("Removed from the calendar."))
    return redirect(f"{reverse('tracking:calendar')}?year={day.date.year}")

