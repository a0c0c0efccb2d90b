"""Which changes loosen an order's money terms — the four-eyes rule of a change order (pure).

A change order that makes the order riskier for the seller needs the approval of a second
person (a manager or finance, never the proposer) before it takes effect: a lower deposit, a
payment method further down ``PAYMENT_METHOD_RISK``, more credit days, a lower unit price, a
total lower by more than ``GENDAN_AMOUNT_DOWN_TOLERANCE_PERCENT``, or another currency.
Tightening (a higher deposit, a price up, a safer method) needs no approval.

The functions read the JSON snapshots of ``sales.services.lines.snapshot_order`` (the order as
it stands) and of a revision (``OrderRevision.snapshot``), so the same rule serves the change
order's proposal, its page, the API and the apply step. docs/workflows/sales-order.md says it in
prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from gendan.parties.models import PaymentMethod as M
from gendan.sales.terms import deposit_percent_for

# How much risk the seller carries under each payment method, from none (paid before the
# goods are made) to the most (goods delivered on credit) — DOMAIN §4. A change to a method of
# a higher rank loosens the terms; methods of one rank are alike (the seller, or the bank for
# the seller, holds the documents until the buyer pays).
PAYMENT_METHOD_RISK: dict[str, int] = {
    M.TT_ADVANCE: 0,  # paid in full before production
    M.TT_DEPOSIT_BALANCE: 1,  # the goods leave only once the balance is paid
    M.LC_SIGHT: 2,  # a bank's undertaking to pay at sight on a complying presentation
    M.LC_USANCE: 3,  # a bank's undertaking, paid at maturity; the buyer has the documents first
    M.TT_AGAINST_BL_COPY: 4,  # goods shipped; the original B/L is held until the balance arrives
    M.DP: 4,  # goods shipped; the bank releases the documents only against payment
    M.DA: 5,  # the buyer takes the goods against an accepted draft, pays later
    M.OA: 6,  # goods delivered on open account: the highest risk
}
# The methods under which ``payment_days`` is credit the seller grants (usance, acceptance, open account).
CREDIT_DAY_METHODS = {M.LC_USANCE, M.DA, M.OA}

DEPOSIT = "deposit_lowered"
METHOD = "payment_method_riskier"
DAYS = "payment_days_raised"
PRICE = "unit_price_lowered"
AMOUNT = "amount_lowered"
CURRENCY = "currency_changed"


@dataclass(frozen=True)
class Loosening:
    """One money term the change loosens: ``code`` (one of the constants above), the line (0 = the
    order), and the values before and after as stored in the snapshots."""

    code: str
    old: str
    new: str
    line: int = 0

    def label(self) -> str:
        """Say it in the reader's language: "deposit 30 % → 0 %"."""
        if self.code == DEPOSIT:
            return _("deposit %(old)s %% → %(new)s %%") % {"old": self.old, "new": self.new}
        if self.code == METHOD:
            return _("payment terms %(old)s → %(new)s") % {"old": _method_label(self.old),
                                                           "new": _method_label(self.new)}
        if self.code == DAYS:
            return _("credit days %(old)s → %(new)s") % {"old": self.old, "new": self.new}
        if self.code == PRICE:
            return _("line %(n)d unit price %(old)s → %(new)s") % {"n": self.line, "old": self.old, "new": self.new}
        if self.code == AMOUNT:
            return _("order amount %(old)s → %(new)s") % {"old": self.old, "new": self.new}
        return _("currency %(old)s → %(new)s") % {"old": self.old, "new": self.new}

    def as_dict(self) -> dict:
        return {"code": self.code, "line": self.line, "old": self.old, "new": self.new, "label": self.label()}


def _method_label(value: str) -> str:
    try:
        return str(M(value).label)
    except ValueError:
        return value


def _risk(method: str, *, unknown: int = max(PAYMENT_METHOD_RISK.values())) -> int:
    """A method not in the table counts as the riskiest when it is the new one."""
    return PAYMENT_METHOD_RISK.get(method, unknown)


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """30.00 → "30", 12.5 → "12.5": how a percentage reads."""
    return format(value.normalize(), "f")


def amount_down_tolerance() -> Decimal:
    """How far (in % of the order's total) a change order may lower the total without a second
    person's approval: ``GENDAN_AMOUNT_DOWN_TOLERANCE_PERCENT`` (default 2 %, so a customer who
    trims a quantity a little is not held up; a price cut always needs approval)."""
    return Decimal(str(settings.GENDAN_AMOUNT_DOWN_TOLERANCE_PERCENT))


def money_terms_loosened(before: dict, after: dict, *, tolerance_percent: Decimal | None = None) -> list[Loosening]:
    """Return what ``after`` loosens compared with ``before`` (empty when nothing does).

    ``before`` / ``after`` are order snapshots: ``{"header": {...}, "lines": [...], "total_amount"}``.
    """
    tolerance = amount_down_tolerance() if tolerance_percent is None else Decimal(str(tolerance_percent))
    old, new = before.get("header", {}), after.get("header", {})
    found: list[Loosening] = []
    if old.get("currency_id") != new.get("currency_id"):
        # Amounts in two currencies cannot be compared: whoever changes the currency changes the money.
        found.append(Loosening(CURRENCY, old.get("currency_id") or "", new.get("currency_id") or ""))
    old_method, new_method = old.get("payment_method", ""), new.get("payment_method", "")
    old_deposit = deposit_percent_for(old_method, _number(old.get("deposit_percent")) or Decimal("0"))
    new_deposit = deposit_percent_for(new_method, _number(new.get("deposit_percent")) or Decimal("0"))
    if new_deposit < old_deposit:
        found.append(Loosening(DEPOSIT, _plain(old_deposit), _plain(new_deposit)))
    if new_method != old_method and _risk(new_method) > _risk(old_method, unknown=0):
        found.append(Loosening(METHOD, old_method, new_method))
    old_days, new_days = int(old.get("payment_days") or 0), int(new.get("payment_days") or 0)
    if new_method in CREDIT_DAY_METHODS and new_days > (old_days if old_method in CREDIT_DAY_METHODS else 0):
        found.append(Loosening(DAYS, str(old_days), str(new_days)))
    old_lines = {line["line_no"]: line for line in before.get("lines", [])}
    for line in after.get("lines", []):
        was = old_lines.get(line["line_no"])
        if was is None:
            continue
        old_price, new_price = _number(was.get("unit_price")), _number(line.get("unit_price"))
        if old_price is not None and new_price is not None and new_price < old_price:
            found.append(Loosening(PRICE, _plain(old_price), _plain(new_price), line=line["line_no"]))
    old_total, new_total = _number(before.get("total_amount")), _number(after.get("total_amount"))
    if old_total is not None and new_total is not None and new_total < old_total:
        if old_total - new_total > old_total * tolerance / 100:
            found.append(Loosening(AMOUNT, _plain(old_total), _plain(new_total)))
    return found


def loosened_text(found: list[Loosening]) -> str:
    """The list as one line of text: "deposit 30 % → 0 %; credit days 0 → 60"."""
    return "; ".join(item.label() for item in found)
