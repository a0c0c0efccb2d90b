"""Guards: may this action happen to this order now, and if not, why not.

The same predicate decides whether the page shows a button (with the reason when it
doesn't), what the API answers, and whether the service proceeds — guard once, use
everywhere. Reasons name the rule (gate) and what is missing, in the user's language.

The rules other apps own (the deposit and balance rules of finance, the final inspection of
quality …) are not written here: the order asks its gates (``sales.gates.ORDER_GATES``), which
those apps fill. The guards of the actions other apps perform on the order live with them
(``production.services.release.release_check``, ``shipping.rules.shipment_check``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gendan.core.errors import CoreError
from gendan.core.guards import OK, Check, no
from gendan.documents import filetypes
from gendan.sales.errors import SalesError
from gendan.sales.gates import CONFIRM, MARK_READY, ORDER_GATES
from gendan.sales.models import Confirmation, OrderRevision, SalesOrder
from gendan.sales.money_terms import Loosening, loosened_text, money_terms_loosened
from gendan.sales.services.lines import snapshot_order
from gendan.sales.workflows import EDITABLE, ORDER, REVISABLE

S = SalesOrder.Status


def confirmations_missing(order: SalesOrder, revision_no: int) -> list[str]:
    """What the written-order gate still needs for ``revision_no`` (empty when complete)."""
    kinds = {c.kind for c in order.confirmations.all() if c.revision_no == revision_no}
    missing = []
    if Confirmation.Kind.WRITTEN not in kinds:
        missing.append(_("the customer's written order (PO / fax / email file)"))
    if Confirmation.Kind.VERBAL not in kinds:
        missing.append(_("a recorded phone confirmation (who, number, when, what)"))
    return missing


# Below this size no PDF, image, e-mail or Office file is whole (the content is checked too).
WRITTEN_ORDER_MIN_BYTES = 32


def written_order_file_check(file) -> Check:
    """May ``file`` (an upload or a stored file) be the customer's written order? Only a PDF, an
    image, an e-mail (.eml / .msg) or an Office document whose content really is one
    (``documents.filetypes``) — a text renamed .pdf, or two bytes, are not a written order."""
    kind = filetypes.sniff(file)
    if kind not in filetypes.DOCUMENT_KINDS:
        return no(SalesError.NOT_A_WRITTEN_ORDER, _(
            "The written confirmation must be a PDF, image, e-mail or Office document; this file is %(what)s.")
            % {"what": filetypes.describe(file)})
    size = filetypes.file_size(file)
    if size < WRITTEN_ORDER_MIN_BYTES:
        return no(SalesError.NOT_A_WRITTEN_ORDER, _(
            "The written confirmation must be a PDF, image, e-mail or Office document; this file has only "
            "%(n)d bytes.") % {"n": size})
    return OK


def update_check(order: SalesOrder) -> Check:
    """A draft is edited directly; a confirmed order changes only through a change order."""
    if order.status in EDITABLE:
        return OK
    return no(SalesError.USE_CHANGE_ORDER, _(
        "Order %(order)s is confirmed: changes need a change order, which the customer confirms.")
        % {"order": order})


def confirm_check(order: SalesOrder) -> Check:
    if order.status != S.DRAFT:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only a draft order can be confirmed."))
    missing = confirmations_missing(order, order.revision_no)
    if missing:
        return no(SalesError.GATE_WRITTEN_ORDER,
                  _("Written-order rule: the order cannot be confirmed without %(missing)s.")
                  % {"missing": _(" and ").join(missing)})
    if order.total_amount <= 0:
        return no(SalesError.EMPTY_ORDER, _("The order has no quantity to confirm."))
    return ORDER_GATES.check(CONFIRM, order)


# --- the order's money, as the order keeps it (finance's gates and the sub-states read these) ---


def deposit_received(order: SalesOrder) -> bool:
    return order.received_amount >= order.deposit_amount


def balance_paid(order: SalesOrder) -> bool:
    return order.received_amount >= order.total_amount


# --- actions gated by other apps' rules ------------------------------------------------------


def ready_check(order: SalesOrder) -> Check:
    """Goods finished (or taken from stock): from a confirmed order this skips production
    release, so the gates of a release (the deposit rule) apply here too."""
    if not ORDER.can(order, S.READY):
        return simple_transition_check(order, S.READY)
    if order.status == S.CONFIRMED:
        return ORDER_GATES.check(MARK_READY, order)
    return OK


def override_check(order: SalesOrder, gate: str) -> Check:
    """May a manager override the gate ``gate`` ("deposit", "balance", "inspection") now?"""
    found = ORDER_GATES.get(gate)
    if found is None or not found.override_field or found.override_check is None:
        return no(SalesError.UNKNOWN_GATE, _("Unknown rule."))
    return found.override_check(order)


def overridable_gates() -> list[str]:
    """The keys of the gates a manager may override, in rank order."""
    return [gate.key for gate in ORDER_GATES.all() if gate.override_field and gate.override_check]


# --- the order's own transitions --------------------------------------------------------------


def cancel_check(order: SalesOrder) -> Check:
    check = simple_transition_check(order, S.CANCELLED)
    if check and order.shipment_status != SalesOrder.ShipmentStatus.NOT_SHIPPED:
        return no(SalesError.ALREADY_SHIPPED, _("Goods of this order have shipped; it cannot be cancelled."))
    return check


def close_check(order: SalesOrder, *, is_manager: bool) -> Check:
    check = simple_transition_check(order, S.CLOSED)
    if check and order.status == S.SHIPPED and not is_manager:
        return no(SalesError.MANAGER_ONLY, _("Only a manager can close an order that is not paid in full."))
    return check


def resume_check(order: SalesOrder) -> Check:
    if order.status != S.ON_HOLD:
        return no(CoreError.TRANSITION_NOT_ALLOWED, _("Only an order on hold can be resumed."))
    return OK


def revise_check(order: SalesOrder) -> Check:
    if order.status not in REVISABLE:
        return no(SalesError.NOT_REVISABLE,
                  _("A “%(status)s” order cannot be changed.") % {"status": order.get_status_display()})
    if any(r.status == OrderRevision.Status.PENDING for r in order.revisions.all()):
        return no(SalesError.REVISION_PENDING,
                  _("A change order is still waiting for the customer; apply or withdraw it first."))
    return OK


def pending_revision(order: SalesOrder) -> OrderRevision | None:
    """The change order waiting for the customer (from the prefetched revisions), if any."""
    return next((r for r in order.revisions.all() if r.status == OrderRevision.Status.PENDING), None)


def revision_apply_check(order: SalesOrder) -> Check:
    pending = pending_revision(order)
    if pending is None:
        return no(SalesError.NOTHING_PENDING, _("No change order is waiting."))
    missing = confirmations_missing(order, pending.revision_no)
    if missing:
        return no(SalesError.GATE_CHANGE, _("Change rule: revision %(n)d takes effect only with %(missing)s.")
                  % {"n": pending.revision_no, "missing": _(" and ").join(missing)})
    loosened = revision_loosened(order, pending)
    if loosened and pending.approved_by_id is None:
        return no(SalesError.GATE_MONEY_TERMS, _(
            "Four-eyes rule: revision %(n)d loosens the money terms (%(loosened)s); a manager or finance other than "
            "the proposer must approve it before it takes effect.")
            % {"n": pending.revision_no, "loosened": loosened_text(loosened)})
    return OK


def revision_loosened(order: SalesOrder, revision: OrderRevision) -> list[Loosening]:
    """The money terms ``revision`` loosens compared with the order as it stands
    (``sales.money_terms``); read from the order's prefetched lines."""
    return money_terms_loosened(snapshot_order(order), revision.snapshot)


def revision_approve_check(user, order: SalesOrder) -> Check:
    """May ``user`` approve the loosened money terms of the pending change order now? Never the
    person who proposed it: no one loosens a money rule alone."""
    pending = pending_revision(order)
    if pending is None:
        return no(SalesError.NOTHING_PENDING, _("No change order is waiting."))
    if pending.approved_by_id is not None:
        return no(SalesError.NO_APPROVAL_NEEDED, _("The money terms of revision %(n)d are already approved by "
                                                   "%(user)s.") % {"n": pending.revision_no,
                                                                   "user": pending.approved_by})
    if not revision_loosened(order, pending):
        return no(SalesError.NO_APPROVAL_NEEDED, _("Revision %(n)d loosens no money term: nothing to approve.")
                  % {"n": pending.revision_no})
    if pending.created_by_id == user.pk:
        return no(SalesError.OWN_CHANGE_ORDER, _(
            "No one loosens a gate alone: a second person (manager or finance) must approve the change order "
            "you proposed."))
    return OK


def revision_withdraw_check(order: SalesOrder) -> Check:
    if pending_revision(order) is None:
        return no(SalesError.NOTHING_PENDING, _("No change order is waiting."))
    return OK


def confirmation_check(order: SalesOrder) -> Check:
    """May a customer confirmation be recorded now (for the draft or a pending change order)?"""
    if order.status == S.DRAFT or pending_revision(order) is not None:
        return OK
    return no(SalesError.NOTHING_TO_CONFIRM,
              _("Nothing on this order is waiting for the customer's confirmation."))


def simple_transition_check(order: SalesOrder, to: str) -> Check:
    """``OK`` when the workflow table allows the order's state → ``to`` (else its 409 refusal)."""
    return ORDER.check(order, to)
