"""The exchange rates page (finance, managers): the latest rate of each currency, every rate
booked (filter by currency, paginated), and the form that books one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import BusinessError, error_status
from gendan.core.forms import add_business_error
from gendan.finance.forms_rates import RateForm
from gendan.finance.rates import ADD, latest_rates, rate_list, rate_set

VIEW = "finance.view_exchangerate"


@login_required
def rates_page(request):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied(_("Only finance and managers see the booked exchange rates."))
    may_add = request.user.has_perm(ADD)
    form = RateForm(request.POST or None, initial={"valid_from": timezone.localdate().isoformat()})
    status = 200
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(_("Only finance and managers book exchange rates."))
        try:
            rate = rate_set(actor=request.user, currency=request.POST.get("currency"),
                            valid_from=request.POST.get("valid_from"), cny_per_unit=request.POST.get("cny_per_unit"),
                            note=request.POST.get("note", ""))
        except BusinessError as exc:
            form.is_valid()
            add_business_error(form, exc)
            status = error_status(exc)
        else:
            messages.success(request, _("Rate booked: %(currency)s %(rate)s CNY from %(day)s.") % {
                "currency": rate.currency_id, "rate": format(rate.cny_per_unit.normalize(), "f"),
                "day": rate.valid_from.isoformat()})
            return redirect(reverse("finance:rates"))
    currency = (request.GET.get("currency") or "").upper()[:3]
    page = Paginator(rate_list(currency=currency or None), 50).get_page(request.GET.get("page"))
    return render(request, "finance/rates.html", {
        "title": _("Exchange rates"), "form": form, "may_add": may_add, "page": page, "currency": currency,
        "latest": sorted(latest_rates().values(), key=lambda r: r.currency_id)}, status=status)
