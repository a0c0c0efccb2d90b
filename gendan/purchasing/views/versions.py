"""The purchase order page's re-issued versions: each version's PDF, and the buyer recording the
supplier's re-acknowledgement (accepted, with a new ETA if it moved, or refused with a reason).
Each POST calls one service (``purchasing.services.versions``); a refusal shows the page again
with the form open and the service's message, with the one mapping's status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError
from gendan.core.views import run_action
from gendan.purchasing import selectors
from gendan.purchasing.forms_versions import ReackForm, RefuseForm
from gendan.purchasing.services import versions as services
from gendan.purchasing.views.orders import _detail_context


@login_required
def purchase_order_version_pdf(request, pk: int, number: int):
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
    version = purchase_order.versions.filter(number=number).exclude(pdf="").first()
    if version is None:
        raise Http404("No such version.")
    with version.pdf.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{purchase_order.number}-v{number}.pdf"'
    return response


@login_required
@require_POST
def purchase_order_reack(request, pk: int, answer: str):
    if answer not in ("accept", "refuse"):
        raise Http404
    purchase_order = selectors.purchase_order_get_for_user(user=request.user, pk=pk)  # 404 outside the scope
    if not request.user.has_perm("purchasing.change_purchaseorder"):
        raise PermissionDenied
    action = f"reack_{answer}"
    raw = request.POST.get("version", "")
    expected = int(raw) if raw.isdigit() else None
    if answer == "accept":
        form = ReackForm(request.POST, prefix=action)

        def call(data):
            return services.purchase_order_reacknowledge(
                actor=request.user, purchase_order_id=purchase_order.pk, new_eta=data.get("new_eta"),
                note=data.get("note", ""), expected_version=expected)
        success = _("The supplier's re-acknowledgement is recorded.")
    else:
        form = RefuseForm(request.POST, prefix=action)

        def call(data):
            return services.purchase_order_reack_refuse(actor=request.user, purchase_order_id=purchase_order.pk,
                                                        reason=data.get("reason", ""), expected_version=expected)
        success = _("The supplier's refusal is recorded; it stays open and is escalated on the board.")

    def refused(exc: BusinessError, form):
        fresh = selectors.purchase_order_get_for_user(user=request.user, pk=pk)
        context = _detail_context(request, fresh, open_action=action, error=str(exc.message))
        context["reack_forms"] = {action: form}
        return render(request, "purchasing/purchase_order_detail.html", context)

    return run_action(request, form=form, call=call, success_message=success,
                      success_url=reverse("purchasing:purchase_order_detail", args=[pk]), refused=refused)
