"""The shipment page's "check & dispatch" section (``shipping.sections``, rank 80, registered by
``hooks_dispatch``) and its actions.

The section shows the set's check (``presentation.set_check``): a "compliant" badge, or each
discrepancy beside its document and field with the manager's acceptance (who, why) — or, for a
manager, the form to accept it with a reason; the certificates others issue with their next
step; the dispatch form with the fields of the order's channel (disabled with the reason while
discrepancies are open); the dispatches with their results and the result form. Each POST calls
one service through ``core.views.run_action``; a refusal shows the shipment's page as it stands
with the message and the input kept, with the one mapping's status.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import BusinessError
from gendan.core.views import run_action
from gendan.documents.pdf.company import company
from gendan.exportdocs.forms_dispatch import (
    CertificateAddForm,
    CertificateApplyForm,
    CertificateReceiveForm,
    DiscrepancyAcceptForm,
    DispatchForm,
    DispatchResultForm,
    VersionForm,
)
from gendan.exportdocs.models import CertificateItem, DocumentDispatch, DocumentKind
from gendan.exportdocs.selectors.dispatch import (
    certificates_of,
    dispatch_counts,
    dispatch_kinds,
    dispatches_of,
)
from gendan.exportdocs.services import certificates as certificate_services
from gendan.exportdocs.services.dispatch import (
    RESULTS,
    channel_for,
    dispatch_result,
    documents_dispatch,
    may_record_bank_result,
)
from gendan.exportdocs.services.presentation import ACCEPT, discrepancy_accept, set_check
from gendan.shipping.models import Shipment
from gendan.shipping.selectors import shipment_get_for_user
from gendan.shipping.views_shipments import shipment_detail

VIEW = "exportdocs.view_shipmentdocument"
CERT_ADD, CERT_CHANGE = certificate_services.ADD, certificate_services.CHANGE
DISPATCH_ADD, DISPATCH_CHANGE = "exportdocs.add_documentdispatch", "exportdocs.change_documentdispatch"
CS = CertificateItem.Status


def _shipment(request, pk: int) -> Shipment:
    return shipment_get_for_user(user=request.user, pk=pk)


def _back(shipment: Shipment) -> str:
    return reverse("shipping:shipment_detail", args=[shipment.pk]) + "#section-dispatch"


def _bound(refusal: dict, key: str):
    return refusal.get("form") if refusal.get("key") == key else None


def _check(shipment: Shipment) -> tuple[dict | None, BusinessError | None]:
    try:
        return set_check(shipment), None
    except BusinessError as exc:
        return None, exc


def _certificate_rows(user, shipment, refusal) -> list[dict]:
    may_change = user.has_perm(CERT_CHANGE)
    rows = []
    for c in certificates_of(shipment):
        row = {"certificate": c, "apply_form": None, "receive_form": None, "check_form": None}
        if may_change and c.status == CS.NEEDED:
            row["apply_form"] = _bound(refusal, f"apply-{c.pk}") or CertificateApplyForm(
                certificate=c, prefix=f"apply-{c.pk}")
        if may_change and c.status in (CS.NEEDED, CS.APPLIED):
            row["receive_form"] = _bound(refusal, f"receive-{c.pk}") or CertificateReceiveForm(
                certificate=c, prefix=f"receive-{c.pk}")
        if may_change and c.status == CS.RECEIVED:
            row["check_form"] = VersionForm(initial={"version": c.version}, prefix=f"check-{c.pk}")
        rows.append(row)
    return rows


def _kind_label(kind) -> str:
    """A document kind as people read it (the credit's 46A kinds, the set's documents)."""
    try:
        return str(DocumentKind(kind).label)
    except ValueError:
        return str(kind or "")


def _dispatch_rows(user, shipment, refusal) -> list[dict]:
    rows = []
    for d in dispatches_of(shipment):
        may = user.has_perm(DISPATCH_CHANGE) and (
            d.channel == DocumentDispatch.Channel.COURIER or may_record_bank_result(user))
        form = None
        if may and RESULTS[d.status]:
            form = _bound(refusal, f"result-{d.pk}") or DispatchResultForm(dispatch=d, prefix=f"result-{d.pk}")
        sent = "; ".join(f"{_kind_label(x.get('kind'))} {x.get('originals', 0)}/{x.get('copies', 0)}"
                         for x in d.documents or [])
        rows.append({"dispatch": d, "result_form": form, "documents_text": sent})
    return rows


def dispatch_section(request, shipment: Shipment) -> dict | None:
    """The set's check, the certificates, the dispatch form and the dispatches; ``None`` for a
    role that does not see export documents."""
    user = request.user
    if not user.has_perm(VIEW):
        return None
    refusal = getattr(request, "dispatch_refusal", None) or {}
    result, check_error = _check(shipment)
    may_accept = user.has_perm(ACCEPT)
    rows = []
    for d in (result or {}).get("discrepancies", []):
        key = f"accept-{d['code']}-{d['document']}-{d['field']}"
        form = None
        if may_accept and d["accepted"] is None:
            form = _bound(refusal, key) or DiscrepancyAcceptForm(
                initial={"code": d["code"], "document": d["document"], "field": d["field"]}, prefix="accept")
        rows.append({**d, "accept_form": form})
    channel = channel_for(shipment.order)
    dispatch_form = None
    if user.has_perm(DISPATCH_ADD) and result is not None:
        dispatch_form = _bound(refusal, "dispatch") or DispatchForm(
            channel=channel, counts=dispatch_counts(shipment), kinds=dispatch_kinds(shipment), bank=str(company().get("bank_name") or ""),
            prefix="dispatch")
    return {
        "result": result, "check_error": check_error, "rows": rows, "channel": channel,
        "channel_label": DocumentDispatch.Channel(channel).label,
        "certificates": _certificate_rows(user, shipment, refusal),
        "certificate_form": (_bound(refusal, "certificate") or CertificateAddForm(prefix="certificate"))
        if user.has_perm(CERT_ADD) else None,
        "dispatch_form": dispatch_form, "dispatches": _dispatch_rows(user, shipment, refusal),
        "error": refusal.get("error"), "error_key": refusal.get("key"),
    }


def _refused(request, shipment: Shipment, key: str):
    def refused(exc, form):
        request.dispatch_refusal = {"key": key, "form": form, "error": exc}
        return shipment_detail(request, shipment.pk)
    return refused


# --- the actions -------------------------------------------------------------------------------


@login_required
@require_POST
def discrepancy_accept_page(request, pk: int):
    shipment = _shipment(request, pk)
    form = DiscrepancyAcceptForm(request.POST, prefix="accept")
    key = (f"accept-{request.POST.get('accept-code', '')}-{request.POST.get('accept-document', '')}-"
           f"{request.POST.get('accept-field', '')}")
    return run_action(request, form=form, refused=_refused(request, shipment, key),
                      call=lambda d: discrepancy_accept(by=request.user, shipment=shipment, code=d["code"],
                                                        document=d["document"], field=d.get("field", ""),
                                                        reason=d["reason"]),
                      success_message=lambda a: _("Discrepancy %(code)s accepted.") % {"code": a.code},
                      success_url=_back(shipment))


@login_required
@require_POST
def certificate_add_page(request, pk: int):
    shipment = _shipment(request, pk)
    form = CertificateAddForm(request.POST, prefix="certificate")
    return run_action(request, form=form, refused=_refused(request, shipment, "certificate"),
                      call=lambda d: certificate_services.certificate_add(
                          actor=request.user, shipment_id=shipment.pk, kind=d["kind"],
                          origin_form=d.get("origin_form", ""), issuer=d.get("issuer", ""),
                          needed_by=d.get("needed_by"), notes=d.get("notes", "")),
                      success_message=lambda c: _("%(kind)s added to the set.") % {"kind": c.get_kind_display()},
                      success_url=_back(shipment))


def _certificate(request, pk: int) -> CertificateItem:
    certificate = get_object_or_404(CertificateItem, pk=pk)
    certificate.shipment = _shipment(request, certificate.shipment_id)
    return certificate


@login_required
@require_POST
def certificate_apply_page(request, pk: int):
    c = _certificate(request, pk)
    form = CertificateApplyForm(request.POST, certificate=c, prefix=f"apply-{c.pk}")
    return run_action(request, form=form, refused=_refused(request, c.shipment, f"apply-{c.pk}"),
                      call=lambda d: certificate_services.certificate_apply(
                          actor=request.user, certificate_id=c.pk, applied_on=d["applied_on"],
                          expected_version=d.get("version")),
                      success_message=_("Application recorded."), success_url=_back(c.shipment))


@login_required
@require_POST
def certificate_receive_page(request, pk: int):
    c = _certificate(request, pk)
    form = CertificateReceiveForm(request.POST, request.FILES, certificate=c, prefix=f"receive-{c.pk}")
    return run_action(request, form=form, refused=_refused(request, c.shipment, f"receive-{c.pk}"),
                      call=lambda d: certificate_services.certificate_receive(
                          actor=request.user, certificate_id=c.pk, received_on=d["received_on"],
                          certificate_no=d["certificate_no"], upload=d["file"], data=form.data_for_service(),
                          expected_version=d.get("version")),
                      success_message=_("Certificate received."), success_url=_back(c.shipment))


@login_required
@require_POST
def certificate_check_page(request, pk: int):
    c = _certificate(request, pk)
    form = VersionForm(request.POST, prefix=f"check-{c.pk}")
    return run_action(request, form=form, refused=_refused(request, c.shipment, f"check-{c.pk}"),
                      call=lambda d: certificate_services.certificate_check(
                          actor=request.user, certificate_id=c.pk, expected_version=d.get("version")),
                      success_message=_("Certificate checked."), success_url=_back(c.shipment))


@login_required
@require_POST
def dispatch_page(request, pk: int):
    shipment = _shipment(request, pk)
    channel = channel_for(shipment.order)
    form = DispatchForm(request.POST, channel=channel, counts={}, kinds=dispatch_kinds(shipment), prefix="dispatch")
    return run_action(request, form=form, refused=_refused(request, shipment, "dispatch"),
                      call=lambda d: documents_dispatch(by=request.user, shipment=shipment, channel=channel,
                                                        documents=form.documents(), sent_on=d["sent_on"],
                                                        **form.service_fields()),
                      success_message=lambda x: _("Documents sent: %(no)s.") % {"no": x.number},
                      success_url=_back(shipment))


@login_required
@require_POST
def dispatch_result_page(request, pk: int):
    dispatch = get_object_or_404(DocumentDispatch, pk=pk)
    shipment = _shipment(request, dispatch.shipment_id)
    form = DispatchResultForm(request.POST, dispatch=dispatch, prefix=f"result-{dispatch.pk}")
    return run_action(request, form=form, refused=_refused(request, shipment, f"result-{dispatch.pk}"),
                      call=lambda d: dispatch_result(by=request.user, dispatch=dispatch, status=d["status"],
                                                     result_on=d["result_on"], paid_amount=d.get("paid_amount"),
                                                     maturity_date=d.get("maturity_date"),
                                                     bank_discrepancies=d.get("bank_discrepancies", ""),
                                                     expected_version=d.get("version")),
                      success_message=lambda x: _("Result recorded: %(status)s.") % {
                          "status": x.get_status_display()},
                      success_url=_back(shipment))
