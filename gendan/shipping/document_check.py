"""The document check (单单一致、单证一致): one presentation in, its discrepancies out.

``check_presentation(data)`` is the one contract the shipment page, ``POST /api/v1/document-checks``
and the tests share (issue 13). Pure Python: no model, no database, no clock — the same data give
the same answer. It returns::

    {"compliant": bool,
     "discrepancies": [{"code", "document", "field", "message"}, …]}

``code`` is one of ``DISCREPANCY_CODES`` (fixed strings), ``document`` the document kind (or
``presentation`` for the dates of the presentation itself), ``field`` the path of the field in
that document (``lines[2].amount``; empty for a missing document), ``message`` text for people in
the active language. The order is stable: the codes in the order of ``DISCREPANCY_CODES``, then
the documents in the order of ``DOCUMENT_KINDS``, then the lines.

Input (every key optional unless a rule needs it; amounts, quantities and weights are decimal
strings, ``Decimal`` or ints — never floats; dates ISO ``YYYY-MM-DD``)::

    credit: {number, currency, amount, about, amount_tolerance_pct, quantity, quantity_unit,
             unit_price, applicant, beneficiary, goods_description, incoterm, port_of_loading,
             port_of_discharge, latest_shipment_date, expiry_date, presentation_days (21),
             partial_shipments ("allowed" | "prohibited"; default allowed, UCP 31a),
             documents_required [kinds], insurance_pct (110)}
    presentation_date, bank_holidays [dates]
    documents: {<kind>: {…}}   (fields per kind in ``_DOCUMENT_FIELDS``, plus ``number`` and
               ``date`` on each; a beneficiary's or inspection certificate is any object)

Where the credit lists the documents it requires, a document presented but not required is
disregarded (UCP 14g); without that list every document presented is examined.

Without a ``credit`` (T/T, D/P, D/A orders) only the rules between the documents run (单单一致):
packages, weights, marks, the invoice's arithmetic, the draft's words and amount against the
invoice, and the B/L's signature, on-board date and full set.

How a rule reads a document that lacks the data it examines: where the credit (or UCP) requires
the data (the invoice's issuer, the B/L's ports, signature and on-board date, a draft's amount in
words), a missing value is a discrepancy; a comparison between documents looks only at the
documents that state the value.

Malformed input raises ``PresentationError`` (400, ``fields`` naming the path, e.g.
``documents.commercial_invoice.lines[2].quantity``) and nothing else: unknown keys, wrong types,
non-decimal strings, numbers beyond the bounds below, impossible dates, unknown document kinds, a
tolerance over 100 %, an expiry before the latest shipment date, lists longer than their bound.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.errors import ValidationFailed
from gendan.core.guards import EARLIEST_DATE, LATEST_DATE
from gendan.core.money import CURRENCIES
from gendan.shipping.errors import ShippingError

# The kinds of document a presentation may hold and a credit may require (46A). The last two
# are examined only for being there.
DOCUMENT_KINDS: tuple[str, ...] = (
    "commercial_invoice",
    "packing_list",
    "bill_of_lading",
    "insurance",
    "certificate_of_origin",
    "draft",
    "beneficiary_certificate",
    "inspection_certificate",
)

DOCUMENT_LABELS: dict[str, object] = {
    "commercial_invoice": gettext_lazy("commercial invoice"),
    "packing_list": gettext_lazy("packing list"),
    "bill_of_lading": gettext_lazy("bill of lading"),
    "insurance": gettext_lazy("insurance document"),
    "certificate_of_origin": gettext_lazy("certificate of origin"),
    "draft": gettext_lazy("draft (bill of exchange)"),
    "beneficiary_certificate": gettext_lazy("beneficiary's certificate"),
    "inspection_certificate": gettext_lazy("inspection certificate"),
}

DISCREPANCY_CODES: tuple[str, ...] = (
    "LC_EXPIRED",
    "LATE_PRESENTATION",
    "LATE_SHIPMENT",
    "AMOUNT_OVER",
    "QUANTITY_OUT_OF_TOLERANCE",
    "UNIT_PRICE_MISMATCH",
    "CURRENCY_MISMATCH",
    "INVOICE_ISSUER",
    "INVOICE_APPLICANT",
    "DESCRIPTION_MISMATCH",
    "INVOICE_ARITHMETIC",
    "PORT_OF_LOADING",
    "PORT_OF_DISCHARGE",
    "BL_NOT_ON_BOARD",
    "BL_UNSIGNED",
    "BL_INCOMPLETE_SET",
    "PARTIAL_SHIPMENT",
    "INSURANCE_UNDER",
    "INSURANCE_LATE",
    "PACKAGES_CONFLICT",
    "WEIGHT_CONFLICT",
    "MARKS_CONFLICT",
    "DOCUMENT_MISSING",
    "DRAFT_WORDS_MISMATCH",
    "DRAFT_AMOUNT",
)

DISCREPANCY_LABELS: dict[str, object] = {
    "LC_EXPIRED": gettext_lazy("Credit expired"),
    "LATE_PRESENTATION": gettext_lazy("Late presentation"),
    "LATE_SHIPMENT": gettext_lazy("Late shipment"),
    "AMOUNT_OVER": gettext_lazy("Amount over the credit"),
    "QUANTITY_OUT_OF_TOLERANCE": gettext_lazy("Quantity outside the tolerance"),
    "UNIT_PRICE_MISMATCH": gettext_lazy("Unit price differs"),
    "CURRENCY_MISMATCH": gettext_lazy("Currency differs"),
    "INVOICE_ISSUER": gettext_lazy("Invoice not issued by the beneficiary"),
    "INVOICE_APPLICANT": gettext_lazy("Invoice not made out to the applicant"),
    "DESCRIPTION_MISMATCH": gettext_lazy("Goods description does not correspond"),
    "INVOICE_ARITHMETIC": gettext_lazy("Invoice arithmetic"),
    "PORT_OF_LOADING": gettext_lazy("Port of loading differs"),
    "PORT_OF_DISCHARGE": gettext_lazy("Port of discharge differs"),
    "BL_NOT_ON_BOARD": gettext_lazy("B/L without on-board date"),
    "BL_UNSIGNED": gettext_lazy("B/L not signed"),
    "BL_INCOMPLETE_SET": gettext_lazy("B/L set incomplete"),
    "PARTIAL_SHIPMENT": gettext_lazy("Partial shipment"),
    "INSURANCE_UNDER": gettext_lazy("Insurance cover too low"),
    "INSURANCE_LATE": gettext_lazy("Insurance dated after shipment"),
    "PACKAGES_CONFLICT": gettext_lazy("Packages differ between documents"),
    "WEIGHT_CONFLICT": gettext_lazy("Weights differ between documents"),
    "MARKS_CONFLICT": gettext_lazy("Shipping marks differ between documents"),
    "DOCUMENT_MISSING": gettext_lazy("Document missing"),
    "DRAFT_WORDS_MISMATCH": gettext_lazy("Draft: words and figures differ"),
    "DRAFT_AMOUNT": gettext_lazy("Draft amount differs from the invoice"),
}

# Bounds: far beyond any real presentation, so the work stays bounded.
MAX_LINES = 1000
MAX_LIST = 1000  # bank holidays, documents required
MAX_TEXT = 5000
MAX_NUMBER = Decimal("1e15")
MAX_PLACES = 6
MAX_COUNT = 10**9
MAX_PRESENTATION_DAYS = 366

ABOUT_PCT = Decimal(10)  # UCP 30a
BULK_PCT = Decimal(5)  # UCP 30b
DEFAULT_PRESENTATION_DAYS = 21  # UCP 14c
DEFAULT_INSURANCE_PCT = Decimal(110)  # UCP 28f-ii

# Quantities not counted in pieces or packing units (UCP 30b): weights, lengths, volumes.
BULK_UNITS = frozenset({
    "KG", "KGS", "KILOGRAM", "KILOGRAMS", "KILO", "KILOS", "G", "GRAM", "GRAMS", "MT", "MTS", "T", "TON", "TONS",
    "TONNE", "TONNES", "LB", "LBS", "POUND", "POUNDS", "M", "MTR", "MTRS", "METER", "METERS", "METRE", "METRES",
    "YD", "YDS", "YARD", "YARDS", "FT", "FEET", "FOOT", "L", "LTR", "LTRS", "LITER", "LITERS", "LITRE", "LITRES",
    "GAL", "GALLON", "GALLONS", "CBM", "M3", "M2", "SQM",
})


# ---------------------------------------------------------------------------------------------
# Bad input


class PresentationError(ValidationFailed):
    """The presentation itself is malformed (not a discrepancy): ``path`` names the bad field,
    e.g. ``documents.commercial_invoice.lines[2].quantity``; the API answers 400 with ``fields``
    = ``{path: [message]}``."""

    default_code = ShippingError.INVALID_PRESENTATION

    def __init__(self, path: str, message: str) -> None:
        path = path or "__all__"  # the presentation itself is not an object
        super().__init__(message if path == "__all__" else f"{path}: {message}", fields={path: str(message)})
        self.path = path


# ---------------------------------------------------------------------------------------------
# Reading the input: every value checked and converted once, with its path


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _mapping(value, path: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise PresentationError(path, _("Expected an object."))
    return value


def _known_keys(value: Mapping, allowed, path: str) -> None:
    for key in value:
        if not isinstance(key, str) or key not in allowed:
            raise PresentationError(_join(path, str(key)[:50]), _("Unknown field."))


def _list(value, path: str, bound: int) -> list:
    if not isinstance(value, (list, tuple)):
        raise PresentationError(path, _("Expected a list."))
    if len(value) > bound:
        raise PresentationError(path, _("Too many entries (at most %(max)d).") % {"max": bound})
    return list(value)


def _text(value, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PresentationError(path, _("Expected text."))
    if len(value) > MAX_TEXT:
        raise PresentationError(path, _("Too long (at most %(max)d characters).") % {"max": MAX_TEXT})
    return value.strip()


def _flag(value, path: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise PresentationError(path, _("Expected true or false."))
    return value


def _decimal(value, path: str, *, upper: Decimal = MAX_NUMBER) -> Decimal | None:
    """A decimal ≥ 0 below ``upper`` with at most ``MAX_PLACES`` decimals, or None when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise PresentationError(path, _("Not a decimal number."))
    if isinstance(value, float):
        raise PresentationError(path, _("Not an exact decimal: send the number as a string."))
    if isinstance(value, int):
        if abs(value) >= upper:
            raise PresentationError(path, _("Out of range (0 to %(max)s).") % {"max": _figure(upper)})
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        if len(value) > 40:
            raise PresentationError(path, _("Not a decimal number."))
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise PresentationError(path, _("Not a decimal number.")) from None
    else:
        raise PresentationError(path, _("Not a decimal number."))
    if not number.is_finite():
        raise PresentationError(path, _("Not a decimal number."))
    if number < 0 or number >= upper:
        raise PresentationError(path, _("Out of range (0 to %(max)s).") % {"max": _figure(upper)})
    if number.as_tuple().exponent < -MAX_PLACES and number != number.quantize(Decimal(1).scaleb(-MAX_PLACES)):
        raise PresentationError(path, _("More than %(places)d decimal places.") % {"places": MAX_PLACES})
    return number


def _count(value, path: str, *, upper: int = MAX_COUNT) -> int | None:
    """A whole number 0 ≤ n ≤ ``upper``, or None when absent."""
    number = _decimal(value, path)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise PresentationError(path, _("Not a whole number."))
    if number > upper:
        raise PresentationError(path, _("Out of range (0 to %(max)s).") % {"max": upper})
    return int(number)


def _date(value, path: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    elif not isinstance(value, dt.date):
        if not isinstance(value, str) or len(value) > 40:
            raise PresentationError(path, _("Not a date (YYYY-MM-DD)."))
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PresentationError(path, _("Not a date (YYYY-MM-DD).")) from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PresentationError(path, _("Outside the dates Gendan accepts (%(first)s to %(last)s).") % {
            "first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()})
    return value


def _currency(value, path: str) -> str:
    text = _text(value, path).upper()
    if text and not re.fullmatch(r"[A-Z]{3}", text):
        raise PresentationError(path, _("Not a currency code (three letters, e.g. USD)."))
    return text


@dataclass
class Credit:
    number: str = ""
    currency: str = ""
    amount: Decimal | None = None
    about: bool = False
    amount_tolerance_pct: Decimal | None = None
    quantity: Decimal | None = None
    quantity_unit: str = ""
    unit_price: Decimal | None = None
    applicant: str = ""
    beneficiary: str = ""
    goods_description: str = ""
    incoterm: str = ""
    port_of_loading: str = ""
    port_of_discharge: str = ""
    latest_shipment_date: dt.date | None = None
    expiry_date: dt.date | None = None
    presentation_days: int = DEFAULT_PRESENTATION_DAYS
    partial_shipments: str = "allowed"
    documents_required: list[str] = field(default_factory=list)
    insurance_pct: Decimal = DEFAULT_INSURANCE_PCT

    @property
    def amount_tolerance(self) -> Decimal:
        """The amount tolerance in %: the explicit one, else ±10 for "about", else none."""
        if self.amount_tolerance_pct is not None:
            return self.amount_tolerance_pct
        return ABOUT_PCT if self.about else Decimal(0)


_TEXT, _DECIMAL, _COUNT, _DATE, _FLAG, _CURRENCY = "text", "decimal", "count", "date", "flag", "currency"
_READERS: dict[str, Callable] = {_TEXT: _text, _DECIMAL: _decimal, _COUNT: _count, _DATE: _date, _FLAG: _flag,
                                 _CURRENCY: _currency}

_CREDIT_FIELDS = {
    "number": _TEXT, "currency": _CURRENCY, "amount": _DECIMAL, "about": _FLAG, "amount_tolerance_pct": _DECIMAL,
    "quantity": _DECIMAL, "quantity_unit": _TEXT, "unit_price": _DECIMAL, "applicant": _TEXT,
    "beneficiary": _TEXT, "goods_description": _TEXT, "incoterm": _TEXT, "port_of_loading": _TEXT,
    "port_of_discharge": _TEXT, "latest_shipment_date": _DATE, "expiry_date": _DATE, "presentation_days": _COUNT,
    "partial_shipments": _TEXT, "documents_required": None, "insurance_pct": _DECIMAL,
}

# Fields per document kind; "number" and "date" are allowed on each (the date is read as a date).
_DOCUMENT_FIELDS: dict[str, dict[str, str | None]] = {
    "commercial_invoice": {
        "issuer": _TEXT, "made_out_to": _TEXT, "currency": _CURRENCY, "goods_description": _TEXT, "lines": None,
        "total": _DECIMAL, "packages": _COUNT, "gross_weight_kg": _DECIMAL, "net_weight_kg": _DECIMAL,
        "marks": _TEXT},
    "packing_list": {"packages": _COUNT, "gross_weight_kg": _DECIMAL, "net_weight_kg": _DECIMAL, "cbm": _DECIMAL,
                     "marks": _TEXT},
    "bill_of_lading": {
        "carrier": _TEXT, "signed": _FLAG, "on_board_date": _DATE, "vessel": _TEXT, "port_of_loading": _TEXT,
        "port_of_discharge": _TEXT, "packages": _COUNT, "gross_weight_kg": _DECIMAL, "cbm": _DECIMAL,
        "marks": _TEXT, "originals_issued": _COUNT, "originals_presented": _COUNT, "shipment_sets": _COUNT},
    "insurance": {"currency": _CURRENCY, "insured_amount": _DECIMAL},
    "certificate_of_origin": {"goods_description": _TEXT, "packages": _COUNT, "marks": _TEXT, "signed": _FLAG},
    "draft": {"amount": _DECIMAL, "amount_in_words": _TEXT, "currency": _CURRENCY},
}
_COMMON_FIELDS = {"number": _TEXT, "date": _DATE}
_LINE_FIELDS = {"description": _TEXT, "quantity": _DECIMAL, "unit": _TEXT, "unit_price": _DECIMAL,
                "amount": _DECIMAL}
_TOP_FIELDS = ("credit", "presentation_date", "bank_holidays", "documents")


def _read_fields(raw: Mapping, spec: Mapping[str, str | None], path: str) -> dict:
    _known_keys(raw, spec, path)
    return {name: _READERS[kind](raw.get(name), _join(path, name)) for name, kind in spec.items() if kind}


def _read_credit(raw, path: str = "credit") -> Credit:
    raw = _mapping(raw, path)
    values = {k: v for k, v in _read_fields(raw, _CREDIT_FIELDS, path).items() if v is not None}
    credit = Credit(**{k: v for k, v in values.items() if k not in ("presentation_days", "insurance_pct",
                                                                     "partial_shipments")})
    credit.about = bool(values.get("about"))
    tolerance = credit.amount_tolerance_pct
    if tolerance is not None and tolerance > 100:
        raise PresentationError(_join(path, "amount_tolerance_pct"), _("A tolerance may not be over 100 %."))
    days = _count(raw.get("presentation_days"), _join(path, "presentation_days"), upper=MAX_PRESENTATION_DAYS)
    credit.presentation_days = DEFAULT_PRESENTATION_DAYS if days is None else days
    credit.insurance_pct = values.get("insurance_pct", DEFAULT_INSURANCE_PCT)
    if credit.insurance_pct > 1000:
        raise PresentationError(_join(path, "insurance_pct"), _("Out of range (0 to %(max)s).") % {"max": "1000"})
    partial = values.get("partial_shipments") or "allowed"
    if partial.lower() not in ("allowed", "prohibited"):
        raise PresentationError(_join(path, "partial_shipments"), _("Expected “allowed” or “prohibited”."))
    credit.partial_shipments = partial.lower()
    required_path = _join(path, "documents_required")
    required = raw.get("documents_required")
    for index, kind in enumerate(_list(required, required_path, MAX_LIST) if required is not None else ()):
        if not isinstance(kind, str) or kind not in DOCUMENT_KINDS:
            raise PresentationError(f"{required_path}[{index}]", _("Unknown document kind “%(kind)s”.") % {
                "kind": str(kind)[:50]})
        if kind not in credit.documents_required:
            credit.documents_required.append(kind)
    if credit.expiry_date and credit.latest_shipment_date and credit.expiry_date < credit.latest_shipment_date:
        raise PresentationError(_join(path, "expiry_date"), _("The expiry date is before the latest shipment date."))
    return credit


def _read_document(kind: str, raw, path: str) -> dict:
    raw = _mapping(raw, path)
    if kind not in _DOCUMENT_FIELDS:  # examined only for being there
        return {}
    document = _read_fields(raw, {**_COMMON_FIELDS, **_DOCUMENT_FIELDS[kind]}, path)
    if kind == "commercial_invoice":
        lines_path = _join(path, "lines")
        raw_lines = raw.get("lines")
        document["lines"] = [
            _read_fields(_mapping(line, f"{lines_path}[{i}]"), _LINE_FIELDS, f"{lines_path}[{i}]")
            for i, line in enumerate(_list(raw_lines, lines_path, MAX_LINES) if raw_lines is not None else ())]
    return document


@dataclass
class Presentation:
    credit: Credit | None
    presentation_date: dt.date | None
    bank_holidays: frozenset[dt.date]
    documents: dict[str, dict]  # in the order of DOCUMENT_KINDS


def read_presentation(data) -> Presentation:
    """Return ``data`` checked and converted; raise ``PresentationError`` naming the bad field."""
    data = _mapping(data, "")
    _known_keys(data, _TOP_FIELDS, "")
    credit = _read_credit(data["credit"]) if data.get("credit") is not None else None
    presentation_date = _date(data.get("presentation_date"), "presentation_date")
    holidays = data.get("bank_holidays")
    bank_holidays = frozenset(
        _date(day, f"bank_holidays[{i}]")
        for i, day in enumerate(_list(holidays, "bank_holidays", MAX_LIST) if holidays is not None else ()))
    raw_documents = data.get("documents")
    raw_documents = _mapping(raw_documents, "documents") if raw_documents is not None else {}
    _known_keys(raw_documents, DOCUMENT_KINDS, "documents")
    documents = {kind: _read_document(kind, raw_documents[kind], f"documents.{kind}")
                 for kind in DOCUMENT_KINDS if raw_documents.get(kind) is not None}
    if credit is not None and credit.documents_required:
        # UCP 14g: documents presented but not required are disregarded
        documents = {kind: doc for kind, doc in documents.items() if kind in credit.documents_required}
    return Presentation(credit, presentation_date, bank_holidays - {None}, documents)


# ---------------------------------------------------------------------------------------------
# Helpers of the rules


def _figure(number: Decimal | int | None) -> str:
    """A number as people read it: no exponent, whole numbers without decimals (``100.000`` →
    ``100``), others with their decimals but at least two (``2.5`` → ``2.50``, ``1.2350`` → ``1.235``)."""
    if number is None:
        return "—"
    number = Decimal(number)
    if number == number.to_integral_value():
        return format(number.to_integral_value(), "f")
    whole, fraction = format(number, "f").split(".")
    return f"{whole}.{fraction.rstrip('0').ljust(2, '0')}"


def _label(kind: str) -> str:
    return str(DOCUMENT_LABELS.get(kind, kind))


# A word: a run of letters, a run of digits ("350ML" = "350 ML"), or one Chinese character (no
# spaces between Chinese words, so each character counts).
_WORD = re.compile(r"[\u4e00-\u9fff]|[^\W\d_\u4e00-\u9fff]+|\d+")
# Spellings of a company name that mean the same (ISBP: no mirror image needed); "&" is no word.
_NAME_WORDS = {"COMPANY": "CO", "LIMITED": "LTD", "CORPORATION": "CORP", "INCORPORATED": "INC", "AND": ""}


def _words(text: str) -> list[str]:
    """``text`` as words: case, whitespace and punctuation ignored."""
    return _WORD.findall(text.upper())


def _name_words(text: str) -> list[str]:
    """The words of a name: abbreviations' dots dropped first (``B.V.`` = ``BV``)."""
    words = (_NAME_WORDS.get(word, word) for word in _words(text.replace(".", "").replace("'", "")))
    return [word for word in words if word]


def _contains(longer: list[str], shorter: list[str]) -> bool:
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def same_party(a: str, b: str) -> bool:
    """Whether two names (or ports) name the same party: equal after normalising, or one is the
    other with more detail (an address, a country) added."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    return _contains(wa, wb) if len(wa) >= len(wb) else _contains(wb, wa)


def is_closed(day: dt.date, bank_holidays) -> bool:
    """Saturdays, Sundays and the bank's holidays are closed days."""
    return day.weekday() >= 5 or day in bank_holidays


def next_banking_day(day: dt.date, bank_holidays) -> dt.date:
    """``day`` itself if the bank is open, else the next day it is (UCP 29a)."""
    while is_closed(day, bank_holidays):
        day += dt.timedelta(days=1)
    return day


def invoice_total(invoice: dict) -> Decimal | None:
    """The invoice's stated total, else the sum of its line amounts."""
    if invoice.get("total") is not None:
        return invoice["total"]
    amounts = [line["amount"] for line in invoice.get("lines", ()) if line.get("amount") is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _places(currency: str) -> int:
    info = CURRENCIES.get(currency)
    return info.minor_unit if info else 2


def _within(value: Decimal, reference: Decimal, pct: Decimal) -> bool:
    return abs(value - reference) * 100 <= reference * pct


# ---------------------------------------------------------------------------------------------
# Amount in words (汇票大写金额, English): "SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY"

_ONES_WORDS = {w: i for i, w in enumerate((
    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE",
    "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN"))}
_TENS_WORDS = {"TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FOURTY": 40, "FIFTY": 50, "SIXTY": 60, "SEVENTY": 70,
               "EIGHTY": 80, "NINETY": 90, "NINTY": 90}
_SCALE_WORDS = {"THOUSAND": 10**3, "MILLION": 10**6, "BILLION": 10**9, "TRILLION": 10**12}
_MINOR_WORDS = {"CENT", "CENTS", "PENCE", "PENNY", "PENNIES", "FEN", "CENTIME", "CENTIMES", "SEN"}
_FRACTION = re.compile(r"(\d{1,3})/(100)")


def _is_number_token(token: str) -> bool:
    return token in _ONES_WORDS or token in _TENS_WORDS or token == "HUNDRED" or token in _SCALE_WORDS


def _integer_from_words(tokens: list[str]) -> int | None:
    """``ONE HUNDRED FORTY THREE THOUSAND …`` → 143 000 …; None unless well formed (scales
    falling, at most one hundreds, tens and ones per group, a teen never after a tens word)."""
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0].isdigit() and len(tokens[0]) <= 16:
        return int(tokens[0])
    total, group, last_scale = 0, 0, None
    seen: set[str] = set()  # what the current group holds: hundreds, tens, ones
    for token in tokens:
        if token in _ONES_WORDS:
            if "ones" in seen or (_ONES_WORDS[token] >= 10 and "tens" in seen):
                return None
            group += _ONES_WORDS[token]
            seen.add("ones")
        elif token in _TENS_WORDS:
            if seen & {"tens", "ones"}:
                return None
            group += _TENS_WORDS[token]
            seen.add("tens")
        elif token == "HUNDRED":
            if "hundreds" in seen or seen & {"tens"} or not 1 <= group <= 9:
                return None
            group *= 100
            seen = {"hundreds"}
        elif token in _SCALE_WORDS:
            scale = _SCALE_WORDS[token]
            if not group or (last_scale is not None and scale >= last_scale):
                return None
            total += group * scale
            group, last_scale, seen = 0, scale, set()
        else:
            return None
    return total + group


def _minor_from_words(tokens: list[str]) -> int | None:
    """The cents: ``NINETY SIX``, ``96``, ``96/100``; None unless below 100."""
    if len(tokens) == 1 and (match := _FRACTION.fullmatch(tokens[0])):
        return int(match.group(1)) if int(match.group(1)) < 100 else None
    if len(tokens) == 1 and tokens[0].isdigit():
        return int(tokens[0]) if len(tokens[0]) <= 2 else None
    if any(t == "HUNDRED" or t in _SCALE_WORDS for t in tokens):
        return None
    value = _integer_from_words(tokens)
    return value if value is not None and value < 100 else None


def _point_fraction(tokens: list[str]) -> Decimal | None:
    """The words after POINT: digit by digit (``NINE SIX`` → .96), or a number of cents."""
    if tokens and all(t in _ONES_WORDS and _ONES_WORDS[t] <= 9 for t in tokens) and len(tokens) <= 6:
        return Decimal("0." + "".join(str(_ONES_WORDS[t]) for t in tokens))
    cents = _minor_from_words(tokens)
    return Decimal(cents) / 100 if cents is not None else None


def parse_amount_in_words(text: str) -> Decimal | None:
    """Return the amount an English amount in words states, or None when it cannot be read.

    Reads ``SAY US DOLLARS TWELVE THOUSAND ONE HUNDRED AND FORTY-THREE AND CENTS NINETY-SIX
    ONLY``, ``… FORTY-THREE AND NINETY-SIX CENTS``, ``… FORTY-THREE AND 96/100``, ``… FORTY-THREE
    POINT NINE SIX``. Words that are no numbers (SAY, ONLY, TOTAL, the currency's name) are
    ignored, hyphens and commas too; ``AND`` joins.
    """
    tokens = re.sub(r"[-,.;:()]", " ", text.upper()).split()
    if len(tokens) > 200:
        return None
    # separators: AND and every word that is not a number keep the cents apart from the dollars
    kinds = ["num" if _is_number_token(t) or t.isdigit() or _FRACTION.fullmatch(t) else
             "minor" if t in _MINOR_WORDS else "point" if t == "POINT" else "sep" for t in tokens]
    if "point" in kinds:
        at = kinds.index("point")
        major = _integer_from_words([t for t, k in zip(tokens[:at], kinds[:at], strict=True) if k == "num"])
        fraction = _point_fraction([t for t, k in zip(tokens[at + 1:], kinds[at + 1:], strict=True) if k == "num"])
        return None if major is None or fraction is None else major + fraction
    numbers = [i for i, k in enumerate(kinds) if k == "num"]
    if not numbers:
        return None
    minor_at = kinds.index("minor") if "minor" in kinds else None
    fraction_at = next((i for i in numbers if _FRACTION.fullmatch(tokens[i])), None)
    if minor_at is not None and any(i > minor_at for i in numbers):  # "… AND CENTS NINETY SIX"
        major_ix = [i for i in numbers if i < minor_at]
        minor_ix = [i for i in numbers if i > minor_at]
    elif minor_at is not None:  # "… AND NINETY SIX CENTS": the run of number words before CENTS
        run = []
        i = minor_at - 1
        while i >= 0 and kinds[i] == "num" and tokens[i] != "HUNDRED" and tokens[i] not in _SCALE_WORDS:
            run.insert(0, i)
            i -= 1
        # "FORTY THREE NINETY SIX CENTS": the cents are the longest tail that reads below 100
        for start in range(len(run)):
            if _minor_from_words([tokens[j] for j in run[start:]]) is not None:
                run = run[start:]
                break
        minor_ix = run
        major_ix = [i for i in numbers if i < (run[0] if run else minor_at)]
    elif fraction_at is not None:  # "… AND 96/100"
        major_ix = [i for i in numbers if i < fraction_at]
        minor_ix = [fraction_at]
        if any(i > fraction_at for i in numbers):
            return None
    else:
        major_ix, minor_ix = numbers, []
    major = _integer_from_words([tokens[i] for i in major_ix]) if major_ix else 0
    minor = _minor_from_words([tokens[i] for i in minor_ix]) if minor_ix else 0
    if major is None or minor is None:
        return None
    return Decimal(major) + Decimal(minor) / 100


# ---------------------------------------------------------------------------------------------
# The rules


class _Found(list):
    def add(self, code: str, document: str, field_path: str, message: str) -> None:
        self.append({"code": code, "document": document, "field": field_path, "message": str(message)})


def _dates(p: Presentation, found: _Found) -> None:
    credit, bill = p.credit, p.documents.get("bill_of_lading")
    on_board = bill.get("on_board_date") if bill else None
    expiry = next_banking_day(credit.expiry_date, p.bank_holidays) if credit.expiry_date else None
    if p.presentation_date and expiry and p.presentation_date > expiry:
        moved = _(" (moved from %(date)s, a closed day)") % {"date": credit.expiry_date.isoformat()} \
            if expiry != credit.expiry_date else ""
        found.add("LC_EXPIRED", "presentation", "presentation_date", _(
            "Presented on %(presented)s, after the credit expired on %(expiry)s%(moved)s.") % {
            "presented": p.presentation_date.isoformat(), "expiry": expiry.isoformat(), "moved": moved})
    if p.presentation_date and on_board:
        period_end = on_board + dt.timedelta(days=credit.presentation_days)
        last_day = next_banking_day(period_end, p.bank_holidays)
        if p.presentation_date > last_day:
            found.add("LATE_PRESENTATION", "presentation", "presentation_date", _(
                "Presented on %(presented)s; the last day was %(last)s (%(days)d days after the on-board date "
                "%(on_board)s).") % {"presented": p.presentation_date.isoformat(), "last": last_day.isoformat(),
                                     "days": credit.presentation_days, "on_board": on_board.isoformat()})
    if on_board and credit.latest_shipment_date and on_board > credit.latest_shipment_date:
        found.add("LATE_SHIPMENT", "bill_of_lading", "on_board_date", _(
            "Shipped on board on %(on_board)s, after the latest shipment date %(latest)s (never extended).") % {
            "on_board": on_board.isoformat(), "latest": credit.latest_shipment_date.isoformat()})


def _amount(p: Presentation, found: _Found) -> None:
    credit, invoice = p.credit, p.documents.get("commercial_invoice")
    if not invoice or credit.amount is None:
        return
    total = invoice_total(invoice)
    limit = credit.amount * (100 + credit.amount_tolerance) / 100
    if total is not None and total > limit:
        found.add("AMOUNT_OVER", "commercial_invoice", "total", _(
            "The invoice total %(total)s is above the credit's %(amount)s (+%(pct)s %%: at most %(limit)s).") % {
            "total": _figure(total), "amount": _figure(credit.amount), "pct": _figure(credit.amount_tolerance),
            "limit": _figure(limit)})


def _quantity(p: Presentation, found: _Found) -> None:
    credit, invoice = p.credit, p.documents.get("commercial_invoice")
    if not invoice or credit.quantity is None:
        return
    quantities = [line["quantity"] for line in invoice["lines"] if line.get("quantity") is not None]
    if not quantities:
        return
    invoiced = sum(quantities, Decimal(0))
    if credit.about:
        pct = ABOUT_PCT
    elif credit.quantity_unit.upper().rstrip(".") in BULK_UNITS:
        pct = BULK_PCT
    else:
        pct = Decimal(0)
    upper = credit.quantity * (100 + pct) / 100
    lower = credit.quantity * (100 - pct) / 100
    partial_allowed = credit.partial_shipments == "allowed"
    if invoiced > upper or (invoiced < lower and not partial_allowed):
        unit = f" {credit.quantity_unit}" if credit.quantity_unit else ""
        found.add("QUANTITY_OUT_OF_TOLERANCE", "commercial_invoice", "lines", _(
            "Invoiced quantity %(invoiced)s%(unit)s is outside the credit's %(quantity)s%(unit)s "
            "(±%(pct)s %%%(partial)s).") % {
            "invoiced": _figure(invoiced), "quantity": _figure(credit.quantity), "unit": unit, "pct": _figure(pct),
            "partial": "" if partial_allowed else _("; partial shipments prohibited")})


def _unit_price(p: Presentation, found: _Found) -> None:
    credit, invoice = p.credit, p.documents.get("commercial_invoice")
    if not invoice or credit.unit_price is None:
        return
    pct = ABOUT_PCT if credit.about else Decimal(0)
    for index, line in enumerate(invoice["lines"]):
        price = line.get("unit_price")
        if price is not None and not _within(price, credit.unit_price, pct):
            found.add("UNIT_PRICE_MISMATCH", "commercial_invoice", f"lines[{index}].unit_price", _(
                "Unit price %(price)s differs from the credit's %(credit)s (±%(pct)s %%).") % {
                "price": _figure(price), "credit": _figure(credit.unit_price), "pct": _figure(pct)})


def _currency_rule(p: Presentation, found: _Found) -> None:
    credit = p.credit
    if not credit.currency:
        return
    for kind in ("commercial_invoice", "insurance", "draft"):
        document = p.documents.get(kind)
        if document is not None and document.get("currency") != credit.currency:
            found.add("CURRENCY_MISMATCH", kind, "currency", _(
                "The %(document)s is in %(currency)s, the credit in %(credit)s.") % {
                "document": _label(kind), "currency": document.get("currency") or "—", "credit": credit.currency})


def _parties(p: Presentation, found: _Found) -> None:
    credit, invoice = p.credit, p.documents.get("commercial_invoice")
    if not invoice:
        return
    if credit.beneficiary and not same_party(invoice.get("issuer", ""), credit.beneficiary):
        found.add("INVOICE_ISSUER", "commercial_invoice", "issuer", _(
            "The invoice is issued by “%(issuer)s”, not by the beneficiary “%(beneficiary)s”.") % {
            "issuer": invoice.get("issuer") or "—", "beneficiary": credit.beneficiary})
    if credit.applicant and not same_party(invoice.get("made_out_to", ""), credit.applicant):
        found.add("INVOICE_APPLICANT", "commercial_invoice", "made_out_to", _(
            "The invoice is made out to “%(buyer)s”, not to the applicant “%(applicant)s”.") % {
            "buyer": invoice.get("made_out_to") or "—", "applicant": credit.applicant})


def _description(p: Presentation, found: _Found) -> None:
    credit, invoice = p.credit, p.documents.get("commercial_invoice")
    if not invoice or not credit.goods_description:
        return
    stated = set(_words(invoice.get("goods_description", "")))
    for line in invoice["lines"]:
        stated.update(_words(line.get("description", "")))
    missing = [word for word in dict.fromkeys(_words(credit.goods_description)) if word not in stated]
    if missing:
        shown = " ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        found.add("DESCRIPTION_MISMATCH", "commercial_invoice",
                  "goods_description" if invoice.get("goods_description") else "lines", _(
                      "The invoice's goods description lacks words of the credit's: %(words)s.") % {"words": shown})


def _arithmetic(p: Presentation, found: _Found) -> None:
    invoice = p.documents.get("commercial_invoice")
    if not invoice:
        return
    places = _places(invoice.get("currency") or (p.credit.currency if p.credit else ""))
    half_unit = Decimal(1).scaleb(-places) / 2
    for index, line in enumerate(invoice["lines"]):
        quantity, price, amount = line.get("quantity"), line.get("unit_price"), line.get("amount")
        if None not in (quantity, price, amount) and abs(quantity * price - amount) > half_unit:
            found.add("INVOICE_ARITHMETIC", "commercial_invoice", f"lines[{index}].amount", _(
                "Line %(line)d: %(quantity)s × %(price)s = %(product)s, not %(amount)s.") % {
                "line": index + 1, "quantity": _figure(quantity), "price": _figure(price),
                "product": _figure(quantity * price), "amount": _figure(amount)})
    amounts = [line["amount"] for line in invoice["lines"] if line.get("amount") is not None]
    if invoice.get("total") is not None and amounts and sum(amounts, Decimal(0)) != invoice["total"]:
        found.add("INVOICE_ARITHMETIC", "commercial_invoice", "total", _(
            "The lines add up to %(sum)s, the total says %(total)s.") % {
            "sum": _figure(sum(amounts, Decimal(0))), "total": _figure(invoice["total"])})


def _ports(p: Presentation, found: _Found) -> None:
    credit, bill = p.credit, p.documents.get("bill_of_lading")
    if not bill:
        return
    for code, name, label in (("PORT_OF_LOADING", "port_of_loading", _("port of loading")),
                              ("PORT_OF_DISCHARGE", "port_of_discharge", _("port of discharge"))):
        wanted, shown = getattr(credit, name), bill.get(name, "")
        if not wanted or (_words(wanted)[:1] == ["ANY"] and shown):  # "ANY CHINESE PORT"
            continue
        if not same_party(shown, wanted):
            found.add(code, "bill_of_lading", name, _(
                "The B/L's %(what)s is “%(shown)s”, the credit's “%(wanted)s”.") % {
                "what": label, "shown": shown or "—", "wanted": wanted})


def _bill(p: Presentation, found: _Found) -> None:
    bill = p.documents.get("bill_of_lading")
    if not bill:
        return
    if not bill.get("on_board_date"):
        found.add("BL_NOT_ON_BOARD", "bill_of_lading", "on_board_date",
                  _("The B/L shows no on-board date."))
    if bill.get("signed") is not True:
        found.add("BL_UNSIGNED", "bill_of_lading", "signed", _("The B/L is not signed by the carrier, master or "
                                                               "their named agent."))
    issued, presented = bill.get("originals_issued"), bill.get("originals_presented")
    if issued is not None and presented is not None and presented < issued:
        found.add("BL_INCOMPLETE_SET", "bill_of_lading", "originals_presented", _(
            "%(presented)d of %(issued)d original B/Ls presented: the full set is required.") % {
            "presented": presented, "issued": issued})


def _partial(p: Presentation, found: _Found) -> None:
    bill = p.documents.get("bill_of_lading")
    sets = bill.get("shipment_sets") if bill else None
    if p.credit.partial_shipments == "prohibited" and sets is not None and sets > 1:
        found.add("PARTIAL_SHIPMENT", "bill_of_lading", "shipment_sets", _(
            "%(sets)d shipments where the credit prohibits partial shipments.") % {"sets": sets})


def _insurance(p: Presentation, found: _Found) -> None:
    insurance, invoice, bill = (p.documents.get(k) for k in ("insurance", "commercial_invoice", "bill_of_lading"))
    if not insurance:
        return
    insured = insurance.get("insured_amount")
    # UCP 28f-ii: the CIF/CIP value, else the greater of the amount demanded and the invoice's
    bases = [v for v in (invoice_total(invoice) if invoice else None,
                         (p.documents.get("draft") or {}).get("amount")) if v is not None]
    if bases:
        required = max(bases) * p.credit.insurance_pct / 100
        if insured is None or insured < required:
            found.add("INSURANCE_UNDER", "insurance", "insured_amount", _(
                "Insured for %(insured)s; at least %(pct)s %% of %(base)s = %(required)s is required.") % {
                "insured": _figure(insured), "pct": _figure(p.credit.insurance_pct), "base": _figure(max(bases)),
                "required": _figure(required)})
    on_board = bill.get("on_board_date") if bill else None
    if insurance.get("date") and on_board and insurance["date"] > on_board:
        found.add("INSURANCE_LATE", "insurance", "date", _(
            "The insurance is dated %(date)s, after the on-board date %(on_board)s.") % {
            "date": insurance["date"].isoformat(), "on_board": on_board.isoformat()})


def _conflicts(p: Presentation, found: _Found, code: str, name: str, kinds: tuple[str, ...], what: str,
               normalise=lambda value: value) -> None:
    """One discrepancy per document whose ``name`` disagrees with what most documents state
    (a tie: the first document in ``kinds``)."""
    stated = [(kind, p.documents[kind][name]) for kind in kinds
              if kind in p.documents and p.documents[kind].get(name) not in (None, "")]
    if len(stated) < 2:
        return
    counts = Counter(normalise(value) for _kind, value in stated)
    top = max(counts.values())
    reference_kind, reference = next((k, v) for k, v in stated if counts[normalise(v)] == top)
    for kind, value in stated:
        if normalise(value) != normalise(reference):
            found.add(code, kind, name, _("The %(document)s shows %(what)s %(value)s, the %(other)s %(reference)s.") % {
                "document": _label(kind), "what": what, "value": _shown(value),
                "other": _label(reference_kind), "reference": _shown(reference)})


def _shown(value) -> str:
    if isinstance(value, (Decimal, int)):
        return _figure(value)
    text = " ".join(str(value).split())
    return f"“{text[:80]}{'…' if len(text) > 80 else ''}”"


_PACKING_DOCUMENTS = ("commercial_invoice", "packing_list", "bill_of_lading", "certificate_of_origin")


def _marks_key(value: str) -> str:
    return "".join(value.split()).upper()


def _cross_documents(p: Presentation, found: _Found, code: str) -> None:
    if code == "PACKAGES_CONFLICT":
        _conflicts(p, found, code, "packages", _PACKING_DOCUMENTS, _("packages"))
    elif code == "WEIGHT_CONFLICT":
        _conflicts(p, found, code, "gross_weight_kg", _PACKING_DOCUMENTS[:3], _("gross weight (kg)"))
        _conflicts(p, found, code, "net_weight_kg", _PACKING_DOCUMENTS[:2], _("net weight (kg)"))
    elif code == "MARKS_CONFLICT":
        _conflicts(p, found, code, "marks", _PACKING_DOCUMENTS, _("shipping marks"), _marks_key)


def _missing(p: Presentation, found: _Found) -> None:
    for kind in DOCUMENT_KINDS:
        if kind in p.credit.documents_required and kind not in p.documents:
            found.add("DOCUMENT_MISSING", kind, "", _("The credit requires a %(document)s; none is presented.") % {
                "document": _label(kind)})


def _draft(p: Presentation, found: _Found) -> None:
    draft, invoice = p.documents.get("draft"), p.documents.get("commercial_invoice")
    if not draft or draft.get("amount") is None:
        return
    words = draft.get("amount_in_words", "")
    stated = parse_amount_in_words(words) if words else None
    if stated != draft["amount"]:
        message = (_("The draft states no amount in words.") if not words else
                   _("The amount in words cannot be read as an amount: “%(words)s”.") % {"words": words[:200]}
                   if stated is None else
                   _("The amount in words says %(words)s, the figures %(figures)s.") % {
                       "words": _figure(stated), "figures": _figure(draft["amount"])})
        found.add("DRAFT_WORDS_MISMATCH", "draft", "amount_in_words", message)
    total = invoice_total(invoice) if invoice else None
    if total is not None and draft["amount"] != total:
        found.add("DRAFT_AMOUNT", "draft", "amount", _(
            "The draft is drawn for %(amount)s, the invoice total is %(total)s.") % {
            "amount": _figure(draft["amount"]), "total": _figure(total)})


def _rules(p: Presentation) -> list[Callable]:
    """The rules to run: those between the documents always, the credit's where there is one.
    Each adds its findings in field order; ``check_presentation`` orders them by code."""
    between = [_arithmetic, _bill, _draft,
               *[lambda p, found, code=code: _cross_documents(p, found, code)
                 for code in ("PACKAGES_CONFLICT", "WEIGHT_CONFLICT", "MARKS_CONFLICT")]]
    if p.credit is None:
        return between
    return [_dates, _amount, _quantity, _unit_price, _currency_rule, _parties, _description, _ports, _partial,
            _insurance, _missing, *between]


_ORDER = {code: i for i, code in enumerate(DISCREPANCY_CODES)}
_DOCUMENT_ORDER = {kind: i for i, kind in enumerate(("presentation", *DOCUMENT_KINDS))}


def check_presentation(data: dict) -> dict:
    """Return ``{"compliant", "discrepancies"}`` for one presentation (see the module's doc).

    Raise ``PresentationError`` (and no other exception) when ``data`` is malformed.
    """
    presentation = read_presentation(data)
    found = _Found()
    for rule in _rules(presentation):
        rule(presentation, found)
    # stable: by code, then document; a rule adds its own findings in field order
    found.sort(key=lambda d: (_ORDER[d["code"]], _DOCUMENT_ORDER[d["document"]]))
    return {"compliant": not found, "discrepancies": list(found)}


def discrepancy_label(code: str) -> str:
    """The short name of a discrepancy code, in the active language."""
    return str(DISCREPANCY_LABELS.get(code, code))
