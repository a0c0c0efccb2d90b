"""Export tax rebates (出口退税): record the customs declaration of a shipped shipment, claim the
VAT invoices of its goods, file, receive; chase a factory whose VAT invoice is missing.

Who: finance and managers do everything; merchandisers record a rebate (declaration no. and
date), check it again and chase the factory (``payables.add_taxrebate``); filing and receipt
need ``payables.change_taxrebate``. Status: waiting (a factory's VAT invoice missing) ⇄ ready →
filed → received. The expected amount follows ``selectors.rebates`` (formula there and in
docs/workflows/tax-rebates.md) until the rebate is filed; then it is frozen.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from gendan.accounts.models import User
from gendan.core.domain_events import publish
from gendan.core.errors import CoreError, FieldErrors, ValidationFailed
from gendan.core.guards import collect_past_date, id_or_zero, no, refuse, require
from gendan.core.money import MoneyError, check_precision, to_decimal
from gendan.core.services import lock_row
from gendan.parties.models import Supplier
from gendan.payables.errors import RebateError
from gendan.payables.events_rebates import (
    RebateChecked,
    RebateFactoryChased,
    RebateFiled,
    RebateReceived,
    RebateRecorded,
)
from gendan.payables.models import TaxRebate, VatInvoice
from gendan.payables.selectors.rebates import MissingVat, rebate_compute, rebate_queryset
from gendan.shipping.models import Shipment
from gendan.shipping.selectors import shipment_queryset

log = logging.getLogger("gendan.payables")

VIEW = "payables.view_taxrebate"
ADD = "payables.add_taxrebate"
CHANGE = "payables.change_taxrebate"
DECLARATION_NO = re.compile(r"^\d{18}$")
# No rebate of one shipment reaches a trillion yuan: beyond it the amount is a typing mistake.
MAX_REBATE = Decimal("1000000000000")
CNY = "CNY"


def declaration_no_clean(value: Any) -> str:
    """The customs declaration no. (报关单号): 18 digits (spaces a person pastes are dropped)."""
    text = re.sub(r"\s+", "", str(value or ""))
    if not DECLARATION_NO.match(text):
        msg = _("A customs declaration no. is 18 digits (you typed “%(value)s”).") % {"value": str(value or "")[:40]}
        raise ValidationFailed(msg, code=RebateError.DECLARATION_NO_INVALID, fields={"declaration_no": msg})
    return text


def amount_clean(value: Any, *, field: str, label: str) -> Decimal:
    """A CNY amount typed by a person or a client: positive, cents at most, below 10^12."""
    try:
        amount = check_precision(to_decimal(value), CNY)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), code=RebateError.REBATE_AMOUNT_INVALID, fields={field: str(exc)}) from None
    if amount <= 0:
        msg = _("%(label)s must be greater than zero.") % {"label": label}
        raise ValidationFailed(msg, code=RebateError.REBATE_AMOUNT_INVALID, fields={field: msg})
    if amount >= MAX_REBATE:
        msg = _("%(label)s is too large (at most CNY 999 999 999 999.99).") % {"label": label}
        raise ValidationFailed(msg, code=RebateError.REBATE_AMOUNT_INVALID, fields={field: msg})
    return amount


def _missing_text(missing: list[MissingVat]) -> str:
    return "; ".join(_("%(factory)s (production order %(po)s)") % {"factory": m.supplier_name,
                                                                 "po": m.production_order_no} for m in missing)


def _apply(rebate: TaxRebate) -> bool:
    """Claim the shipment's VAT invoices and set the expected amount and waiting / ready
    (before filing). Returns whether anything changed."""
    comp = rebate_compute(rebate.shipment, rebate=rebate)
    wanted = set(comp.vat_invoice_ids)
    held = set(VatInvoice.objects.filter(rebate=rebate).values_list("pk", flat=True))
    if held - wanted:
        VatInvoice.objects.filter(pk__in=held - wanted).update(rebate=None)
    if wanted - held:
        # a VAT invoice serves one rebate: only claim those still free
        VatInvoice.objects.filter(pk__in=wanted - held, rebate__isnull=True).update(rebate=rebate)
    status = TaxRebate.Status.WAITING if comp.missing else TaxRebate.Status.READY
    changed = (rebate.status != status or rebate.expected_amount != comp.expected or held != wanted)
    rebate.status, rebate.expected_amount = status, comp.expected
    return changed


def rebate_record(*, actor: User, shipment_id: Any, declaration_no: Any, declared_on: Any) -> TaxRebate:
    """Record the customs declaration of a shipped shipment and open its rebate."""
    require(actor, ADD)
    errors = FieldErrors()
    try:
        number = declaration_no_clean(declaration_no)
    except ValidationFailed as exc:
        errors.add("declaration_no", exc.fields["declaration_no"][0], RebateError.DECLARATION_NO_INVALID)
        number = ""
    day = collect_past_date(declared_on, field="declared_on", errors=errors, required=True)
    errors.raise_any()
    with transaction.atomic():
        shipment = lock_row(shipment_queryset(actor), id_or_zero(shipment_id), not_found=_("No such shipment."))
        if shipment.status != Shipment.Status.SHIPPED:
            refuse(no(RebateError.REBATE_SHIPMENT_NOT_SHIPPED,
                      _("Shipment %(no)s has not left the factory: a rebate is recorded for a shipped shipment.")
                      % {"no": shipment.number}))
        if TaxRebate.objects.filter(shipment=shipment).exists():
            refuse(no(RebateError.REBATE_EXISTS, _("Shipment %(no)s already has its tax rebate.")
                      % {"no": shipment.number}))
        _number_free(number)
        rebate = TaxRebate(shipment=shipment, declaration_no=number, declared_on=day, recorded_by=actor)
        try:
            with transaction.atomic():
                rebate.save()
        except IntegrityError:  # a concurrent save took the number
            _number_free(number, force=True)
            raise
        _apply(rebate)
        rebate.save(update_fields=["status", "expected_amount"])
        publish(RebateRecorded(actor=actor, order=shipment.order, rebate=rebate))
    return rebate


def _number_free(number: str, *, exclude: int | None = None, force: bool = False) -> None:
    taken = TaxRebate.objects.filter(declaration_no=number).exclude(pk=exclude).select_related("shipment").first()
    if taken is not None or force:
        msg = _("Customs declaration no. %(no)s is already recorded for shipment %(shipment)s.") % {
            "no": number, "shipment": taken.shipment.number if taken else "—"}
        raise ValidationFailed(msg, code=RebateError.DECLARATION_NO_TAKEN, fields={"declaration_no": msg})


def _locked(actor: User, rebate_id: Any, version: Any) -> TaxRebate:
    return lock_row(rebate_queryset(actor).select_related("shipment__order"), id_or_zero(rebate_id),
                    expected_version=_version(version), not_found=_("No such rebate."))


def _version(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        msg = _("“%(value)s” is not a version number.") % {"value": str(value)[:20]}
        raise ValidationFailed(msg, fields={"version": msg}) from None


def rebate_check(*, actor: User, rebate_id: Any, version: Any = None) -> TaxRebate:
    """Check the VAT invoices again (a factory's invoice came in): waiting ⇄ ready and the
    expected amount. A filed or received rebate is not touched."""
    if not (actor.has_perm(ADD) or actor.has_perm(CHANGE)):
        require(actor, ADD)
    with transaction.atomic():
        rebate = _locked(actor, rebate_id, version)
        if rebate.status in (TaxRebate.Status.WAITING, TaxRebate.Status.READY) and _apply(rebate):
            rebate.version += 1
            rebate.save(update_fields=["status", "expected_amount", "version", "updated_at"])
            publish(RebateChecked(actor=actor, order=rebate.shipment.order, rebate=rebate))
    return rebate


def rebates_check_for_vat_invoice(vat_invoice: VatInvoice, *, actor=None) -> None:
    """A VAT invoice was recorded: check again the open rebates of its production order's
    shipments (called from the invoices part's event, see hooks_rebates)."""
    invoice = vat_invoice.supplier_invoice
    if not invoice.production_order_id:
        return
    ids = set(TaxRebate.objects.filter(
        shipment__lines__order_line__production_lines__production_order_id=invoice.production_order_id,
        status__in=[TaxRebate.Status.WAITING, TaxRebate.Status.READY]).values_list("pk", flat=True))
    # locked by id (PostgreSQL refuses FOR UPDATE with the DISTINCT the join would need)
    for rebate in (TaxRebate.objects.filter(pk__in=ids).select_related("shipment__order").order_by("pk")
                   .select_for_update(of=("self",))):
        if _apply(rebate):
            rebate.version += 1
            rebate.save(update_fields=["status", "expected_amount", "version", "updated_at"])
            publish(RebateChecked(actor=actor, order=rebate.shipment.order, rebate=rebate))


def rebate_file(*, actor: User, rebate_id: Any, filed_on: Any, version: Any = None) -> TaxRebate:
    """File the rebate with the tax office: every VAT invoice must be in (checked again now);
    the expected amount is frozen."""
    require(actor, CHANGE)
    errors = FieldErrors()
    day = collect_past_date(filed_on, field="filed_on", errors=errors, required=True)
    errors.raise_any()
    with transaction.atomic():
        rebate = _locked(actor, rebate_id, version)
        if rebate.status not in (TaxRebate.Status.WAITING, TaxRebate.Status.READY):
            refuse(no(CoreError.TRANSITION_NOT_ALLOWED,
                      _("The rebate is %(status)s: only a rebate ready to file is filed.")
                      % {"status": rebate.get_status_display()}))
        _apply(rebate)
        comp = rebate_compute(rebate.shipment, rebate=rebate)
        if comp.missing:
            refuse(no(RebateError.REBATE_VAT_MISSING,
                      _("The rebate cannot be filed: the VAT invoice of %(missing)s is missing.")
                      % {"missing": _missing_text(comp.missing)}))
        if day < rebate.declared_on:
            msg = _("The rebate is filed on or after the declaration date (%(day)s).") % {
                "day": rebate.declared_on.isoformat()}
            raise ValidationFailed(msg, code=CoreError.DATES_OUT_OF_ORDER, fields={"filed_on": msg})
        rebate.status, rebate.filed_on = TaxRebate.Status.FILED, day
        rebate.version += 1
        rebate.save(update_fields=["status", "expected_amount", "filed_on", "version", "updated_at"])
        publish(RebateFiled(actor=actor, order=rebate.shipment.order, rebate=rebate))
    return rebate


def rebate_receive(*, actor: User, rebate_id: Any, amount: Any, received_on: Any, version: Any = None) -> TaxRebate:
    """The tax office paid: the amount received and the day (a difference from the expected
    amount is shown, not refused — the office decides)."""
    require(actor, CHANGE)
    errors = FieldErrors()
    try:
        received = amount_clean(amount, field="amount", label=_("The amount received"))
    except ValidationFailed as exc:
        errors.add("amount", exc.fields["amount"][0], RebateError.REBATE_AMOUNT_INVALID)
        received = None
    day = collect_past_date(received_on, field="received_on", errors=errors, required=True)
    errors.raise_any()
    with transaction.atomic():
        rebate = _locked(actor, rebate_id, version)
        if rebate.status != TaxRebate.Status.FILED:
            refuse(no(CoreError.TRANSITION_NOT_ALLOWED, _("The rebate is %(status)s: only a filed rebate is received.")
                      % {"status": rebate.get_status_display()}))
        if day < rebate.filed_on:
            msg = _("The rebate is received on or after the day it was filed (%(day)s).") % {
                "day": rebate.filed_on.isoformat()}
            raise ValidationFailed(msg, code=CoreError.DATES_OUT_OF_ORDER, fields={"received_on": msg})
        rebate.status, rebate.received_amount, rebate.received_on = TaxRebate.Status.RECEIVED, received, day
        rebate.version += 1
        rebate.save(update_fields=["status", "received_amount", "received_on", "version", "updated_at"])
        publish(RebateReceived(actor=actor, order=rebate.shipment.order, rebate=rebate))
    return rebate


# --- chasing a factory for its VAT invoice -----------------------------------------------------


def supplier_recipients(supplier: Supplier) -> list[str]:
    """The factory's main contacts' addresses, else its first contact's, else its own."""
    contacts = list(supplier.contacts.all())
    primary = [c.email for c in contacts if c.email and c.is_primary]
    if primary:
        return primary
    emails = [c.email for c in contacts if c.email]
    if emails:
        return emails[:1]
    return [supplier.email] if supplier.email else []


def rebate_chase(*, actor: User, rebate_id: Any, production_order_id: Any = None) -> list[RebateFactoryChased]:
    """E-mail each factory whose VAT invoice blocks the rebate (or only the one of
    ``production_order_id``), in Chinese; on the order's timeline. The e-mails leave after
    the commit through a task."""
    if not (actor.has_perm(ADD) or actor.has_perm(CHANGE)):
        require(actor, ADD)
    chased = []
    with transaction.atomic():
        rebate = _locked(actor, rebate_id, None)
        comp = rebate_compute(rebate.shipment, rebate=rebate)
        missing = [m for m in comp.missing
                   if production_order_id in (None, "") or m.production_order_id == id_or_zero(production_order_id)]
        if not missing:
            refuse(no(CoreError.INVALID,
                      _("No factory's VAT invoice is missing for this rebate: nothing to chase.")))
        suppliers = {s.pk: s for s in Supplier.objects.filter(pk__in={m.supplier_id for m in missing})
                     .prefetch_related("contacts")}
        for m in missing:
            to = supplier_recipients(suppliers[m.supplier_id])
            if not to:
                msg = _("Factory %(factory)s has no contact with an e-mail address: add one, or call them.") % {
                    "factory": m.supplier_name}
                raise ValidationFailed(msg, fields={"production_order": msg})
            with translation.override("zh-hans"):
                subject, body = _chase_text(rebate, m)
            event = publish(RebateFactoryChased(actor=actor, order=rebate.shipment.order, rebate=rebate,
                                                factory=m.supplier_name, production_order=m.production_order_no,
                                                to=", ".join(to)))
            chased.append(event)
            transaction.on_commit(lambda s=subject, b=body, t=to: rebate_chase_email.enqueue(
                subject=s, body=b, to=t))
    return chased



def _chase_text(rebate: TaxRebate, m: MissingVat) -> tuple[str, str]:
    company = settings.GENDAN_COMPANY_NAME.get(translation.get_language(), settings.GENDAN_COMPANY_NAME["en"])
    subject = _("VAT special invoice needed — production order %(po)s") % {"po": m.production_order_no}
    body = "\n".join([
        _("Dear %(factory)s,") % {"factory": m.supplier_name},
        "",
        _("The goods of production order %(po)s were shipped on %(day)s (shipment %(shipment)s, customs "
          "declaration %(no)s). We have not received your VAT special invoice (增值税专用发票) for them, and the "
          "export tax rebate cannot be filed without it.") % {
            "po": m.production_order_no, "day": (rebate.shipment.shipped_on or rebate.declared_on).isoformat(),
            "shipment": rebate.shipment.number, "no": rebate.declaration_no},
        _("Please issue it and send it to us as soon as possible."),
        "",
        _("Best regards,"),
        str(company),
    ])
    return subject, body


@task()
def rebate_chase_email(*, subject: str, body: str, to: list[str]) -> bool:
    """Send one chase e-mail (a failed send is logged; the chase stays on the timeline)."""
    email = EmailMessage(subject=subject, body=body, to=list(to), from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP down
        log.warning("rebate chase to %s failed: %s", to, exc)
        return False
    return True
