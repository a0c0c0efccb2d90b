"""Production stages per product category, kept by managers and planners
(``planning.services.stages``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.catalog.models import ProductCategory
from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error
from gendan.planning.models import StageDefinition
from gendan.planning.services import stages as svc
from gendan.planning.stages import DEFAULT


class StageForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("code"), max_length=30)
    name_zh = forms.CharField(label=gettext_lazy("name (Chinese)"), max_length=40)
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=40)
    sequence = forms.IntegerField(label=gettext_lazy("position"), min_value=1, max_value=999, required=False)


class StageChangeForm(forms.Form):
    name_zh = forms.CharField(label=gettext_lazy("name (Chinese)"), max_length=40)
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=40)
    sequence = forms.IntegerField(label=gettext_lazy("position"), min_value=1, max_value=999)


def _may_view(user) -> None:
    if not user.has_perm("planning.view_stagedefinition"):
        raise PermissionDenied


@login_required
def stage_overview(request):
    _may_view(request.user)
    categories = list(ProductCategory.objects.prefetch_related("stages").order_by("code"))
    return render(request, "planning/stages.html", {
        "categories": categories, "default": DEFAULT, "title": _("Production stages")})


@login_required
def stage_category(request, pk: int):
    _may_view(request.user)
    category = get_object_or_404(ProductCategory, pk=pk)
    user = request.user
    may_edit = user.has_perm("planning.change_stagedefinition")
    form = StageForm(request.POST if "add" in request.POST else None, prefix="add") \
        if user.has_perm("planning.add_stagedefinition") else None
    edit_form, edit_pk = None, None
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "start_default" in request.POST:
                svc.stages_start_from_default(actor=user, category_id=category.pk)
                messages.success(request, _("%(category)s now has its own stages, copied from the default set.")
                                 % {"category": category})
                return redirect("planning:stage_category", pk=category.pk)
            if "add" in request.POST:
                if form is None:
                    raise PermissionDenied
                if form.is_valid():
                    svc.stage_add(actor=user, category_id=category.pk, **form.cleaned_data)
                    messages.success(request, _("Stage added."))
                    return redirect("planning:stage_category", pk=category.pk)
            if "change" in request.POST:
                if not may_edit:
                    raise PermissionDenied
                edit_pk = request.POST.get("stage")
                edit_form = StageChangeForm(request.POST, prefix=f"s{edit_pk}")
                stage = get_object_or_404(StageDefinition, pk=edit_pk if str(edit_pk).isdigit() else 0,
                                          category=category)
                if edit_form.is_valid():
                    svc.stage_change(actor=user, stage_id=stage.pk, **edit_form.cleaned_data)
                    messages.success(request, _("Stage saved."))
                    return redirect("planning:stage_category", pk=category.pk)
        except BusinessError as exc:
            target = edit_form if "change" in request.POST else form
            if target is not None:
                add_business_error(target, exc)
            else:
                messages.error(request, str(exc.message))
            status = error_status(exc)
    own = list(category.stages.all())
    rows = [{"stage": s, "form": edit_form if str(s.pk) == str(edit_pk) else StageChangeForm(
        prefix=f"s{s.pk}", initial={"name_zh": s.name_zh, "name_en": s.name_en, "sequence": s.sequence})}
            for s in own] if may_edit else [{"stage": s, "form": None} for s in own]
    return render(request, "planning/stage_category.html", {
        "category": category, "rows": rows, "default": DEFAULT, "form": form, "may_edit": may_edit,
        "may_delete": user.has_perm("planning.delete_stagedefinition"),
        "events": timeline_for(category, limit=30), "title": _("Production stages"),
        "breadcrumbs": [(_("Production stages"), reverse("planning:stages")), (category.display_name, None)],
    }, status=status)


@login_required
@require_POST
def stage_delete(request, pk: int):
    stage = get_object_or_404(StageDefinition.objects.select_related("category"), pk=pk)
    if not request.user.has_perm("planning.delete_stagedefinition"):
        raise PermissionDenied
    try:
        svc.stage_delete(actor=request.user, stage_id=stage.pk)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Stage removed."))
    return redirect("planning:stage_category", pk=stage.category_id)
