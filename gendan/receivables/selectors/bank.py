"""Reads of the bank statements part: the statements a user may see, their lines, and the
matching *proposals* for open lines — which customer paid and which instalments the money
pays, each explained in words. A proposal is never applied by itself: finance confirms it
(``services.bank.bank_line_confirm``).

How a line is matched (``line_proposals``), all lines of a page at once, in a fixed number of
queries whatever their count:

1. **Already recorded**: a receipt with the line's bank reference in the statement's currency.
2. **Reference**: the remittance names an order number, a customer PO or a PI number (also
   without its dashes or spaces, "SO26030002") — the strongest sign.
3. **Payer name** against the customer's English, Chinese and short name and code,
   normalised (case, width, punctuation, "Co., Ltd." / 有限公司 …): equal, one containing
   the other, or close (difflib ratio ≥ 85 %).
4. **Amount** against the customer's open instalments (confirmed orders in the line's
   currency, oldest due first): equal to one, to the sum of two or three, or short of it by
   no more than typical bank charges (``charges_tolerance``) — the difference is proposed as
   bank charges. With no name or reference, an amount equal to one customer's instalment
   only is a weak proposal.
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gendan.core.guards import id_or_zero
from gendan.core.money import format_money
from gendan.finance.models import PaymentPlanItem, Receipt
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_queryset
from gendan.receivables.models import BankStatement, BankStatementLine
from gendan.sales.models import OrderDocument, SalesOrder

VIEW = "receivables.view_bankstatement"

# Orders whose instalments can receive money (receipt_allocate refuses drafts, cancelled and closed).
PAYABLE_STATES = (SalesOrder.Status.CONFIRMED, SalesOrder.Status.IN_PRODUCTION, SalesOrder.Status.READY,
                  SalesOrder.Status.SHIPPED, SalesOrder.Status.ON_HOLD, SalesOrder.Status.COMPLETED)

# What intermediary and receiving banks typically deduct from one transfer (T/T), by currency;
# other currencies: 1 % of the instalments paid.
CHARGES_FIXED = {"USD": Decimal("50"), "EUR": Decimal("50"), "GBP": Decimal("40"), "HKD": Decimal("400"),
                 "CNY": Decimal("350"), "JPY": Decimal("7000"), "AUD": Decimal("70"), "CAD": Decimal("70")}
CHARGES_PERCENT = Decimal("0.01")
NAME_CLOSE = 0.85
NAME_CANDIDATES = 30  # names compared letter by letter per payer: those sharing the most words
MAX_ITEMS_COMBINED = 3
MAX_ITEMS_TRIED = 12

STRONG, LIKELY, WEAK, NONE = "strong", "likely", "weak", "none"


def charges_tolerance(currency: str, expected: Decimal) -> Decimal:
    fixed = CHARGES_FIXED.get(currency.upper())
    return fixed if fixed is not None else (expected * CHARGES_PERCENT).quantize(Decimal("0.01"))


# --- lists --------------------------------------------------------------------------------------


def statement_queryset(user) -> QuerySet[BankStatement]:
    if not user.has_perm(VIEW):
        return BankStatement.objects.none()
    return BankStatement.objects.select_related("imported_by", "currency")


def statement_list(*, user, filters: dict | None = None) -> QuerySet[BankStatement]:
    """Newest first, each with its count of open lines (``open_count``).

    ``filters``: ``currency``; ``account`` (contains); ``date_from`` / ``date_to``: statements whose
    period touches those days; ``unmatched`` (or ``open_only``): with a line still to match;
    ``q``: in the file's name."""
    from django.db.models import Count, Exists, OuterRef

    qs = statement_queryset(user).annotate(
        open_count=Count("lines", filter=Q(lines__status=BankStatementLine.Status.OPEN)))
    f = filters or {}
    if f.get("currency"):
        qs = qs.filter(currency_id=str(f["currency"]).upper()[:3])
    if f.get("account"):
        qs = qs.filter(account__icontains=str(f["account"]).strip()[:60])
    if f.get("date_from"):
        qs = qs.filter(Q(period_end__gte=f["date_from"]) | Q(period_end__isnull=True, period_start__gte=f["date_from"]))
    if f.get("date_to"):
        qs = qs.filter(Q(period_start__lte=f["date_to"]) | Q(period_start__isnull=True, period_end__lte=f["date_to"]))
    if f.get("unmatched") or f.get("open_only"):
        # Exists, not a join: a second join on the lines would multiply the count above
        qs = qs.filter(Exists(BankStatementLine.objects.filter(statement=OuterRef("pk"),
                                                               status=BankStatementLine.Status.OPEN)))
    if f.get("q"):
        qs = qs.filter(filename__icontains=str(f["q"]).strip()[:100])
    return qs.order_by("-imported_at", "-pk")


def statement_get_for_user(*, user, pk) -> BankStatement:
    found = statement_queryset(user).filter(pk=id_or_zero(pk)).first()
    if found is None:
        raise Http404(_("No such bank statement."))
    return found


def statement_lines(statement: BankStatement, *, status: str = "") -> QuerySet[BankStatementLine]:
    qs = statement.lines.select_related("receipt", "decided_by")
    if status in BankStatementLine.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("line_no")


def line_get_for_user(*, user, pk) -> BankStatementLine:
    found = BankStatementLine.objects.select_related("statement", "receipt", "decided_by").filter(
        pk=id_or_zero(pk), statement__in=statement_queryset(user)).first()
    if found is None:
        raise Http404(_("No such statement line."))
    return found


def statement_counts(statement: BankStatement) -> dict[str, int]:
    from django.db.models import Count

    rows = statement.lines.order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(BankStatementLine.Status.values, 0)
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


# --- names ---------------------------------------------------------------------------------------

_LEGAL = re.compile(
    r"\b(co|company|ltd|limited|inc|incorporated|corp|corporation|llc|gmbh|ag|bv|nv|sa|sas|sarl|srl|spa|plc|"
    r"pty|pte|kg|oy|ab|as|sl|trading|the|and)\b")
_LEGAL_ZH = re.compile(r"(有限责任公司|股份有限公司|有限公司|集团|公司|贸易|进出口)")


def normalise_name(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "").casefold()
    text = _LEGAL_ZH.sub("", text)
    text = re.sub(r"[^\w\s]", " ", text).replace("_", " ")
    text = _LEGAL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class NameMatch:
    customer: Customer
    score: float
    reason: str


def _name_candidates(customer: Customer) -> list[tuple[str, str]]:
    out = []
    for value, _what in ((customer.name_en, "en"), (customer.name_zh, "zh"), (customer.short_name, "short")):
        norm = normalise_name(value or "")
        if len(norm) >= 2:
            out.append((norm, value))
    return out


_CJK = re.compile(r"[\u3400-\u9fff]+")


def _tokens(norm: str) -> set[str]:
    """What finds a name's candidates: its words of 3 letters or more, and each pair of
    neighbouring Chinese characters (Chinese names have no spaces)."""
    out = {t for t in norm.split() if len(t) >= 3 and not _CJK.fullmatch(t)}
    for run in _CJK.findall(norm):
        out |= {run[i:i + 2] for i in range(len(run) - 1)} or {run}
    return out


def _min_len(norm: str) -> int:
    """How long a name must be for "one contains the other" to mean something: 2 Chinese
    characters (湖畔 in 浙江湖畔), 4 letters otherwise."""
    return 2 if _CJK.fullmatch(norm.replace(" ", "")) else 4


class CustomerIndex:
    """The customers a user may see, ready to be matched by name (one query)."""

    def __init__(self, user):
        self.customers = list(customer_queryset(user).select_related(None).only(
            "id", "code", "name_en", "name_zh", "short_name").order_by("code"))
        self.by_id = {c.pk: c for c in self.customers}
        self.names = [(c, norm, raw) for c in self.customers for norm, raw in _name_candidates(c)]
        self.scope = customer_queryset(user).order_by().values("pk")  # a subquery, never a list of ids
        self.by_norm: dict[str, Customer] = {}
        self.by_code = {c.code.upper(): c for c in self.customers if c.code}
        self.by_token: dict[str, set[int]] = defaultdict(set)
        for index, (c, norm, _raw) in enumerate(self.names):
            self.by_norm.setdefault(norm, c)
            for token in _tokens(norm):
                self.by_token[token].add(index)

    def match(self, payer: str, remittance: str = "") -> NameMatch | None:
        """The customer whose name is the payer's, contains it or is close to it; else the
        customer whose code the remittance names. Only the names sharing the most words (or
        pairs of Chinese characters) with the payer are compared letter by letter."""
        norm = normalise_name(payer)
        best: NameMatch | None = None
        if len(norm) >= 2:
            exact = self.by_norm.get(norm)
            if exact is not None:
                return NameMatch(exact, 1.0, _("payer name “%(payer)s” is the customer's name") % {"payer": payer})
            shared: Counter[int] = Counter()
            for token in _tokens(norm):
                shared.update(self.by_token.get(token, ()))
            for index, _n in shared.most_common(NAME_CANDIDATES):
                customer, name, raw = self.names[index]
                if (len(name) >= _min_len(name) and name in norm) or (len(norm) >= _min_len(norm) and norm in name):
                    found = NameMatch(customer, 0.92, _("payer name “%(payer)s” contains the customer's name “%(name)s”")
                                      % {"payer": payer, "name": raw})
                else:
                    matcher = difflib.SequenceMatcher(None, norm, name)
                    if matcher.real_quick_ratio() < NAME_CLOSE or matcher.quick_ratio() < NAME_CLOSE:
                        continue
                    ratio = matcher.ratio()
                    if ratio < NAME_CLOSE:
                        continue
                    found = NameMatch(customer, ratio, _(
                        "payer name “%(payer)s” is close to the customer's name “%(name)s” (%(pct)d %%)") % {
                        "payer": payer, "name": raw, "pct": int(ratio * 100)})
                if best is None or found.score > best.score:
                    best = found
        if best is None and remittance:
            for token in re.findall(r"[A-Za-z0-9\-]{3,}", remittance.upper()):
                customer = self.by_code.get(token)
                if customer is not None:
                    return NameMatch(customer, 0.8, _("the remittance names the customer code %(code)s") % {
                        "code": customer.code})
        return best


# --- references ------------------------------------------------------------------------------------


def _compact(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", value or "").upper())


def reference_tokens(text: str) -> set[str]:
    """The words of a remittance that could be a document number, as typed and compacted
    ("SO2603-0002", "SO26030002"), with each pair of neighbours joined ("PO 4711" → "PO4711")."""
    words = [w.strip(".,;:()[]") for w in re.split(r"[\s,;/]+", unicodedata.normalize("NFKC", text or "").upper())]
    words = [w for w in words if w]
    out = set()
    for word in words:
        if len(_compact(word)) >= 4:
            out |= {word, _compact(word)}
    for first, second in itertools.pairwise(words):
        joined = _compact(first + second)
        if 4 <= len(joined) <= 40 and any(ch.isdigit() for ch in joined):
            out.add(joined)
    for token in list(out):  # "SO26030002" as the number is written: SO2603-0002
        match = re.fullmatch(r"([A-Z]{1,4}\d{4})(\d{3,6})", token)
        if match:
            out.add(f"{match.group(1)}-{match.group(2)}")
    return {t for t in out if any(ch.isdigit() for ch in t)}


# --- proposals -------------------------------------------------------------------------------------


@dataclass
class AllocationProposal:
    order: SalesOrder
    amount: Decimal
    instalments: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    line: BankStatementLine
    currency: str
    customer: Customer | None = None
    allocations: list[AllocationProposal] = field(default_factory=list)
    bank_charges: Decimal = Decimal("0")
    strength: str = NONE
    reasons: list[str] = field(default_factory=list)
    already: Receipt | None = None

    @property
    def allocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations), Decimal("0"))

    @property
    def unallocated(self) -> Decimal:
        return self.line.amount + self.bank_charges - self.allocated

    @property
    def strength_label(self) -> str:
        return {STRONG: _("strong"), LIKELY: _("likely"), WEAK: _("weak"), NONE: _("no match")}[self.strength]


def _item_label(item: PaymentPlanItem) -> str:
    return f"{item.order.number} {item.get_kind_display()}"


def _best_combination(items: list[PaymentPlanItem], gross: Decimal, net: Decimal, currency: str,
                      preferred: set[int]):
    """The instalments whose open amounts make the money received: (items, charges, exact) or None.
    Exact on the gross (net + charges the file gives) first, then short by bank charges."""
    items = items[:MAX_ITEMS_TRIED]
    best = None
    for size in range(1, min(MAX_ITEMS_COMBINED, len(items)) + 1):
        for combo in itertools.combinations(items, size):
            total = sum((i.open_amount for i in combo), Decimal("0"))
            if total == gross:
                charges, exact = gross - net, True
            elif net < total and total - net <= charges_tolerance(currency, total):
                charges, exact = total - net, False
            else:
                continue
            key = (not exact, -sum(1 for i in combo if i.order_id in preferred), size,
                   [(i.due_date is None, i.due_date, i.pk) for i in combo])
            if best is None or key < best[0]:
                best = (key, list(combo), charges, exact)
    return None if best is None else best[1:]


def line_proposals(lines: list[BankStatementLine], *, user, currency: str,
                   customers: CustomerIndex | None = None) -> dict[int, Proposal]:
    """A proposal for each line (by line id). Recorded and set-aside lines get an empty one
    (with ``already`` for the recorded ones)."""
    currency = currency.upper()
    customers = customers or CustomerIndex(user)
    out: dict[int, Proposal] = {}
    open_lines = [ln for ln in lines if ln.status == BankStatementLine.Status.OPEN]
    for ln in lines:
        out[ln.pk] = Proposal(line=ln, currency=currency, already=ln.receipt)
    if not open_lines:
        return out

    # 1. receipts already recorded with these bank references
    refs = {ln.reference.strip().lower() for ln in open_lines if ln.reference.strip()}
    existing: dict[str, Receipt] = {}
    if refs:
        q = Q()
        for ref in refs:
            q |= Q(bank_reference__iexact=ref)
        for receipt in Receipt.objects.filter(q, currency_id=currency).select_related("customer"):
            existing.setdefault(receipt.bank_reference.strip().lower(), receipt)

    # 2. documents the remittances name
    tokens_of = {ln.pk: reference_tokens(f"{ln.remittance} {ln.payer_name}") for ln in open_lines}
    all_tokens = set().union(*tokens_of.values())
    ref_orders: dict[str, tuple[SalesOrder, str]] = {}  # compact token → (order, what was named)
    if all_tokens:
        orders = SalesOrder.objects.filter(Q(number__in=all_tokens) | Q(customer_po_no__in=all_tokens)).filter(
            customer__in=customers.scope, currency_id=currency).only(
            "id", "number", "customer_po_no", "customer_id", "status", "currency_id", "total_amount",
            "received_amount")
        for order in orders:
            if order.number:
                ref_orders[_compact(order.number)] = (order, _("order %(no)s") % {"no": order.number})
            if order.customer_po_no and _compact(order.customer_po_no) in all_tokens | {
                    _compact(t) for t in all_tokens}:
                ref_orders.setdefault(_compact(order.customer_po_no), (order, _("customer PO %(no)s") % {
                    "no": order.customer_po_no}))
        for doc in OrderDocument.objects.filter(kind=OrderDocument.Kind.PROFORMA_INVOICE, number__in=all_tokens,
                                                order__currency_id=currency).select_related("order").only(
                "number", "order__id", "order__number", "order__customer_id", "order__status", "order__currency_id",
                "order__total_amount", "order__received_amount", "order__customer_po_no"):
            ref_orders.setdefault(_compact(doc.number), (doc.order, _("PI %(no)s") % {"no": doc.number}))
    # Orders are also found compacted: "SO26030002" names SO2603-0002.
    named: dict[int, list[tuple[SalesOrder, str]]] = {}
    for ln in open_lines:
        seen, found = set(), []
        for token in tokens_of[ln.pk]:
            hit = ref_orders.get(_compact(token))
            if hit and hit[0].pk not in seen and hit[0].status in PAYABLE_STATES:
                seen.add(hit[0].pk)
                found.append(hit)
        named[ln.pk] = found

    # 3. names
    name_of = {ln.pk: customers.match(ln.payer_name, ln.remittance) for ln in open_lines}

    # 4. the open instalments of every candidate customer, and those equal to an amount
    candidate_customers = {m.customer.pk for m in name_of.values() if m}
    candidate_customers |= {o.customer_id for hits in named.values() for o, _w in hits}
    amount_q = Q()
    for ln in open_lines:
        gross = ln.amount + ln.bank_charges
        amount_q |= Q(open__gte=ln.amount, open__lte=ln.amount + charges_tolerance(currency, ln.amount)) | Q(
            open=gross)
    items = list(PaymentPlanItem.objects.annotate(open=F("amount") - F("received_amount")).filter(
        order__currency_id=currency, order__status__in=PAYABLE_STATES, open__gt=0,
        order__customer__in=customers.scope).filter(
        Q(order__customer_id__in=candidate_customers) | amount_q).select_related("order").order_by(
        F("due_date").asc(nulls_last=True), "order__number", "kind")[:5000])
    items_of: dict[int, list[PaymentPlanItem]] = defaultdict(list)
    for item in items:
        items_of[item.order.customer_id].append(item)

    for ln in open_lines:
        prop = out[ln.pk]
        receipt = existing.get(ln.reference.strip().lower()) if ln.reference.strip() else None
        if receipt is not None:
            prop.already = receipt
            prop.reasons.append(_("already recorded as receipt %(no)s (%(amount)s from %(customer)s)") % {
                "no": receipt.number, "amount": format_money(receipt.amount, receipt.currency_id),
                "customer": receipt.customer})
            continue
        _propose(prop, ln, currency, named[ln.pk], name_of[ln.pk], items_of, customers)
    return out


def _propose(prop: Proposal, ln: BankStatementLine, currency: str, named, name_match, items_of, customers) -> None:
    gross = ln.amount + ln.bank_charges
    customer_ids = {o.customer_id for o, _w in named}
    customer = None
    if len(customer_ids) == 1:
        customer = customers.by_id.get(next(iter(customer_ids)))
        prop.reasons.append(_("the remittance names %(what)s") % {"what": ", ".join(w for _o, w in named)})
        if name_match and name_match.customer.pk == customer.pk:
            prop.reasons.append(name_match.reason)
    elif name_match:
        customer = name_match.customer
        prop.reasons.append(name_match.reason)
        named = [(o, w) for o, w in named if o.customer_id == customer.pk]
    if customer is None:
        # The amount alone: one customer's instalment(s) equal to it.
        owners = {cid for cid, its in items_of.items() if _best_combination(
            [i for i in its if i.open_amount in (gross, ln.amount) or (
                ln.amount < i.open_amount <= ln.amount + charges_tolerance(currency, i.open_amount))],
            gross, ln.amount, currency, set())}
        if len(owners) == 1:
            customer = customers.by_id.get(next(iter(owners)))
            prop.reasons.append(_("the payer's name matches no customer; only %(code)s has an instalment of this "
                                  "amount") % {"code": customer.code})
        else:
            prop.reasons.append(_("no customer matches the payer's name or the remittance") if not owners else _(
                "no customer matches the payer's name; %(n)d customers have an instalment of this amount") % {
                "n": len(owners)})
            return
    prop.customer = customer
    preferred = {o.pk for o, _w in named}
    own = sorted(items_of.get(customer.pk, []), key=lambda i: (i.order_id not in preferred,))
    found = _best_combination(own, gross, ln.amount, currency, preferred)
    if found:
        combo, charges, exact = found
        by_order: dict[int, AllocationProposal] = {}
        for item in combo:
            alloc = by_order.setdefault(item.order_id, AllocationProposal(order=item.order, amount=Decimal("0")))
            alloc.amount += item.open_amount
            alloc.instalments.append(_item_label(item))
        prop.allocations = list(by_order.values())
        prop.bank_charges = charges
        labels = ", ".join(_item_label(i) for i in combo)
        if len(combo) == 1:
            prop.reasons.append(_("the amount equals the open %(what)s") % {"what": labels} if exact else _(
                "the amount is %(diff)s less than the open %(what)s: the difference is proposed as bank charges") % {
                "diff": format_money(charges - ln.bank_charges, currency), "what": labels})
        else:
            prop.reasons.append(_("the amount equals the sum of the open %(what)s") % {"what": labels} if exact else _(
                "the amount is %(diff)s less than the sum of the open %(what)s: the difference is proposed as bank "
                "charges") % {"diff": format_money(charges - ln.bank_charges, currency), "what": labels})
        if exact and ln.bank_charges:
            prop.reasons.append(_("with the bank charges of %(charges)s the statement shows") % {
                "charges": format_money(ln.bank_charges, currency)})
        prop.strength = STRONG if named else (LIKELY if name_match else WEAK)
        return
    prop.bank_charges = ln.bank_charges
    if named:
        order = named[0][0]
        owed = max(order.total_amount - order.received_amount, Decimal("0"))
        amount = min(gross, owed)
        if amount > 0:
            prop.allocations = [AllocationProposal(order=order, amount=amount)]
            prop.reasons.append(_("the amount matches no open instalment: %(amount)s proposed to %(order)s (it owes "
                                  "%(owed)s)") % {"amount": format_money(amount, currency), "order": order.number,
                                                  "owed": format_money(owed, currency)})
            prop.strength = LIKELY
            return
    prop.reasons.append(_("no open instalment of %(code)s matches the amount: allocate by hand or leave it as the "
                          "customer's credit") % {"code": customer.code})
    prop.strength = WEAK
