"""Regions, kept by managers (see ``accounts.regions``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts import regions
from gendan.accounts.models import Region
from gendan.core.errors import BusinessError, error_status
from gendan.core.events import timeline_for
from gendan.core.forms import add_business_error


class RegionForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("code"), max_length=20)
    name_zh = forms.CharField(label=gettext_lazy("name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=60)


class RegionRenameForm(forms.Form):
    name_zh = forms.CharField(label=gettext_lazy("name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=60)
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=300, required=False)


@login_required
def region_list(request):
    if not request.user.has_perm("accounts.view_region"):
        raise PermissionDenied
    may_add = request.user.has_perm("accounts.add_region")
    form = RegionForm(request.POST or None, prefix="region") if may_add else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                region = regions.region_create(actor=request.user, **form.cleaned_data)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Region %(region)s added.") % {"region": region.display_name})
                return redirect("accounts:region_list")
    return render(request, "accounts/region_list.html", {
        "regions": regions.region_list(), "form": form, "title": _("Regions"),
        "may_change": request.user.has_perm("accounts.change_region")}, status=status)


@login_required
def region_edit(request, pk: int):
    if not request.user.has_perm("accounts.view_region"):
        raise PermissionDenied
    region = get_object_or_404(Region, pk=pk)
    may_change = request.user.has_perm("accounts.change_region")
    form = RegionRenameForm(request.POST or None, initial={"name_zh": region.name_zh, "name_en": region.name_en})
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                regions.region_rename(actor=request.user, region_id=region.pk, **form.cleaned_data)
            except BusinessError as exc:
                add_business_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, _("Region %(region)s saved.") % {"region": region.code})
                return redirect("accounts:region_list")
    return render(request, "accounts/region_edit.html", {
        "region": region, "form": form if may_change else None, "events": timeline_for(region, limit=30),
        "title": region.display_name,
        "breadcrumbs": [(_("Regions"), reverse("accounts:region_list")), (region.code, None)]}, status=status)
