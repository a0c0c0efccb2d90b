"""Reading a bank statement file: CSV (as Chinese and foreign banks export it), Excel (.xlsx)
and SWIFT MT940 — pure functions, no database.

``parse_statement(data, filename, currency=…)`` answers a ``ParsedStatement``: the credit lines
(money in), how many debits and other lines were skipped, and every problem found (each with
its row and field). A file with problems is not imported at all; the caller shows all of them
at once.

Columns are recognised by their header, in Chinese or English (``SYNONYMS``); the header row
may come after a few title rows (account, period, printed on …). A table needs a date column
and either a credit column or a signed amount; everything else is optional. Limits (bytes,
lines) are settings: ``GENDAN_BANK_STATEMENT_MAX_BYTES``, ``GENDAN_BANK_STATEMENT_MAX_LINES``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.core.errors import ValidationFailed
from gendan.core.xlsx_safe import safe_workbook

CSV, XLSX, MT940 = "csv", "xlsx", "mt940"

MAX_BYTES_DEFAULT = 5 * 1024 * 1024
MAX_LINES_DEFAULT = 5000
# The header row is looked for in the first rows only (title rows of Chinese exports: 5–12).
HEADER_SEARCH_ROWS = 30
# One transfer above this is a typing or export mistake, not money (the column holds 16 digits).
MAX_AMOUNT = Decimal("9999999999.99")
# At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 50
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


def max_bytes() -> int:
    return int(getattr(settings, "GENDAN_BANK_STATEMENT_MAX_BYTES", MAX_BYTES_DEFAULT))


def max_lines() -> int:
    return int(getattr(settings, "GENDAN_BANK_STATEMENT_MAX_LINES", MAX_LINES_DEFAULT))


# --- results ----------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None  # row of the sheet / CSV (1 = first), or the MT940 line; None for the whole file
    field: str  # "file", "date", "amount", "currency" …
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class ParsedLine:
    row: int
    value_date: dt.date
    amount: Decimal
    charges: Decimal = Decimal("0")
    payer: str = ""
    reference: str = ""
    remittance: str = ""


@dataclass
class ParsedStatement:
    layout: str
    currency: str = ""
    account: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    lines: list[ParsedLine] = field(default_factory=list)
    debits_skipped: int = 0
    other_currency_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_more: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, row: int | None, fld: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, fld, message))
        else:
            self.problems_more += 1

    def messages(self) -> list[str]:
        out = [p.message for p in self.problems]
        if self.problems_more:
            out.append(_("… and %(n)d more problems.") % {"n": self.problems_more})
        return out

    def raise_any(self) -> None:
        """Refuse (400) naming every problem at once, on the field ``file``."""
        if self.problems:
            messages = self.messages()
            raise ValidationFailed(messages[0] if len(messages) == 1 else _(
                "The bank statement was not imported: %(n)d problems (nothing was saved).") % {
                "n": len(self.problems) + self.problems_more}, fields={"file": messages})


# --- column recognition -------------------------------------------------------------------------

# role → the headers (normalised by ``_norm``) that name it. The first matching column wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("交易日期", "记账日期", "入账日期", "交易时间", "日期", "起息日", "valuedate", "value date",
             "bookingdate", "booking date", "transactiondate", "transaction date", "postingdate", "date"),
    "credit": ("贷方金额", "贷方发生额", "收入金额", "收入", "贷方", "存入金额", "来账金额", "credit", "creditamount",
               "credit amount", "deposit", "deposits", "moneyin", "money in", "paidin", "paid in"),
    "debit": ("借方金额", "借方发生额", "支出金额", "支出", "借方", "支取金额", "debit", "debitamount", "debit amount",
              "withdrawal", "withdrawals", "moneyout", "money out", "paidout", "paid out"),
    "amount": ("交易金额", "金额", "发生额", "amount", "transactionamount", "transaction amount"),
    "direction": ("借贷标志", "借贷方向", "收支方向", "借贷", "收/支", "dc", "d/c", "cr/dr", "debitcredit",
                  "debit/credit", "creditdebit", "credit/debit", "direction", "type"),
    "payer": ("对方户名", "付款人", "付款人名称", "对方账户名称", "对方名称", "汇款人", "付款人户名", "payer", "payername",
              "payer name", "counterparty", "counterparty name", "ordering customer", "orderingcustomer", "remitter",
              "from"),
    "remittance": ("摘要", "附言", "用途", "交易附言", "备注", "汇款附言", "reference", "remittance",
                   "remittanceinformation", "remittance information", "details", "description", "narrative",
                   "purpose", "memo", "payment details"),
    "bank_ref": ("银行流水号", "交易流水号", "流水号", "业务编号", "银行参考号", "交易参考号", "bankreference",
                 "bank reference", "bankref", "bank ref", "transactionreference", "transaction reference",
                 "transactionid", "transaction id", "reference no", "referenceno", "ref no", "refno"),
    "charges": ("手续费", "费用", "银行费用", "charges", "bankcharges", "bank charges", "fees", "fee"),
    "currency": ("币种", "货币", "币别", "currency", "ccy", "cur"),
}
NEEDED_HELP = {
    "date": "交易日期 / 记账日期 / Value date / Date",
    "amount": "贷方金额 / 收入金额 / Credit / Amount",
}
CREDIT_WORDS = {"贷", "收", "收入", "贷方", "c", "cr", "credit", "in", "来账"}
DEBIT_WORDS = {"借", "支", "支出", "借方", "d", "dr", "debit", "out", "往账"}
ACCOUNT_LABELS = {"账号", "账户", "帐号", "本方账号", "account", "account no", "accountno", "account number",
                  "accountnumber", "iban"}
TOTAL_WORDS = ("合计", "总计", "小计", "total", "subtotal", "本页合计", "累计")


def _norm(value) -> str:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().lower()
    text = re.sub(r"[\(（\[【].*?[\)）\]】]", "", text)  # "贷方金额(元)", "Amount (USD)"
    text = re.sub(r"[:：*_\-.#]", "", text)
    return re.sub(r"\s+", " ", text).strip()


_NORMED = {role: {_norm(s) for s in words} | {_norm(s).replace(" ", "") for s in words}
           for role, words in SYNONYMS.items()}


def columns_of(header: list) -> dict[str, int]:
    """role → column index, for the header cells that name a role."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _norm(cell)
        if not key:
            continue
        for role, words in _NORMED.items():
            if role in found:
                continue
            if key in words or key.replace(" ", "") in words:
                found[role] = index
                break
    return found


def _usable(found: dict[str, int]) -> bool:
    return "date" in found and ("credit" in found or "amount" in found)


# --- values ---------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y", "%Y年%m月%d日")


def parse_day(value) -> dt.date | None:
    """A cell or CSV field as a date; None when it is not one (the caller names the row)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}[-/.]\d", text) else text
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class AmountError(ValueError):
    pass


def parse_amount(value) -> Decimal | None:
    """A money cell: "12,345.60", "12 345,60", "¥1,000.00", "(25.00)", "-25" → Decimal; empty → None.
    Raises ``AmountError`` with the reason in words."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(_("not an amount"))
    if isinstance(value, (int, float, Decimal)):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text or text in {"-", "--", "—"}:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = re.sub(r"^[A-Za-z]{3}\s*|\s*[A-Za-z]{3}$", "", text)  # "USD 1,000.00", "1000.00 USD"
    text = text.replace("¥", "").replace("￥", "").replace("$", "").replace("€", "").replace("£", "")
    text = text.replace(" ", "").replace("\u00a0", "").replace("'", "")
    if text.endswith("-"):  # SAP style "25.00-"
        negative, text = True, text[:-1]
    if text.startswith("+"):
        text = text[1:]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,56
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) in (1, 2):  # 25,5 / 1234,56: a decimal comma
            text = f"{head}.{tail}"
        else:
            text = text.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text):
        raise AmountError(_("not an amount"))
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise AmountError(_("not an amount")) from None
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise AmountError(_("more than 2 decimals"))
    if amount > MAX_AMOUNT:
        raise AmountError(_("larger than any transfer (at most %(max)s)") % {"max": f"{MAX_AMOUNT:,}"})
    amount = amount.quantize(Decimal("0.01"))
    return -amount if negative else amount


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()[:limit]


# --- the entry point ------------------------------------------------------------------------------


def detect_layout(data: bytes, filename: str = "") -> str:
    if data[:4] == b"PK\x03\x04":
        return XLSX
    head = data[:4096].lstrip(b"\xef\xbb\xbf\r\n\t ")
    if head.startswith(b"{1:") or head.startswith(b":20:") or re.search(rb"(^|\n):61:", data[:65536]):
        return MT940
    return CSV


def parse_statement(data: bytes, filename: str = "", *, currency: str = "",
                    today: dt.date | None = None) -> ParsedStatement:
    """Read ``data`` (the bytes of an upload) into a ``ParsedStatement``. ``currency`` is the
    account's currency the user chose: lines in another currency (a currency column, MT940's
    :60F:) are skipped and counted, or refused for MT940. ``today``: value dates after it are refused."""
    layout = detect_layout(data, filename)
    if len(data) > max_bytes():
        st = ParsedStatement(layout=layout)
        st.problem(None, "file", _("The file is larger than %(n)s MB; export a shorter period.") % {
            "n": max_bytes() // (1024 * 1024) or 1})
        return st
    if not data.strip():
        st = ParsedStatement(layout=layout)
        st.problem(None, "file", _("The file is empty."))
        return st
    if layout == MT940:
        st = parse_mt940(data, currency=currency)
    elif layout == XLSX:
        st = ParsedStatement(layout=XLSX)
        try:
            with safe_workbook(data) as book:
                rows = book.rows()
                parse_table(rows, st, currency=currency)
        except ValidationFailed as exc:  # the workbook's own refusals (zip bomb, damaged …)
            st.lines = []
            st.problem(None, "file", str(exc.message))
    else:
        st = ParsedStatement(layout=CSV)
        text = decode_text(data)
        if text is None:
            st.problem(None, "file", _("The file is neither an Excel workbook, nor text (CSV) in UTF-8 or GBK, nor "
                                       "MT940. Export the statement from the bank again as CSV, Excel or MT940."))
            return st
        parse_table(csv_rows(text), st, currency=currency)
    if today is not None:
        for line in st.lines:
            if line.value_date > today:
                st.problem(line.row, "date", _("Row %(row)d: value date %(date)s is in the future.") % {
                    "row": line.row, "date": line.value_date.isoformat()})
    if not st.problems and not st.lines:
        st.problem(None, "file", _("The file holds no credit (money in) lines; %(n)d debit lines were skipped.") % {
            "n": st.debits_skipped})
    if st.lines and not st.problems:
        days = [line.value_date for line in st.lines]
        st.period_start = st.period_start or min(days)
        st.period_end = st.period_end or max(days)
    return st


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, as Chinese banks export)."""
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 (Excel's "Unicode text")
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                return None
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def csv_rows(text: str) -> list[list[str]]:
    """The rows of a CSV text, with its delimiter (comma, semicolon or tab) found from the lines."""
    lines = text.splitlines()
    sample = [line for line in lines[:HEADER_SEARCH_ROWS + 5] if line.strip()]
    counts = {d: max((line.count(d) for line in sample), default=0) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def parse_table(rows, st: ParsedStatement, *, currency: str = "") -> None:
    """A sheet or CSV: find the header row, then read each row below it."""
    header_row, found, seen = None, {}, []
    iterator = iter(rows)
    for consumed, values in enumerate(iterator, start=1):
        cells = list(values or [])
        texts = [_text(c, 60) for c in cells]
        if any(texts) and not seen:
            seen = [t for t in texts if t]
        if len(texts) >= 2 and _norm(texts[0]) in ACCOUNT_LABELS and not st.account:
            st.account = next((t for t in texts[1:] if t), "")[:60]
        candidate = columns_of(cells)
        if _usable(candidate):
            header_row, found, seen = consumed, candidate, [t for t in texts if t]
            break
        if candidate and len(candidate) > len(found) and len([t for t in texts if t]) >= 3:
            found, seen = candidate, [t for t in texts if t]
        if consumed >= HEADER_SEARCH_ROWS:
            break
    if header_row is None:
        missing = [role for role in ("date", "amount") if role not in found and not (
            role == "amount" and "credit" in found)]
        names = "; ".join(NEEDED_HELP[r] for r in missing)
        st.problem(None, "file", _(
            "Unknown layout: no column for %(missing)s was found in the first %(n)d rows. Headers seen: %(seen)s.") % {
            "missing": names, "n": HEADER_SEARCH_ROWS, "seen": ", ".join(seen[:20]) or _("none")})
        return
    limit = max_lines()
    row_no = header_row
    for values in iterator:
        row_no += 1
        if row_no - header_row > limit:
            st.lines = []
            st.problem(None, "file", _("The file has more than %(n)d rows; export a shorter period.") % {"n": limit})
            return
        _table_row(list(values or []), row_no, found, st, currency)


def _cell(values: list, found: dict[str, int], role: str):
    index = found.get(role)
    if index is None or index >= len(values):
        return None
    return values[index]


def _table_row(values: list, row: int, found: dict[str, int], st: ParsedStatement, currency: str) -> None:
    texts = [_text(v, 200) for v in values]
    if not any(texts):
        return
    raw_date = _cell(values, found, "date")
    if not _text(raw_date, 60):
        if any(word in _norm(t) for t in texts for word in TOTAL_WORDS):
            return  # a totals row at the end
        if not any(_text(_cell(values, found, r), 60) for r in ("credit", "amount", "debit")):
            return  # a note line under the table
    day = parse_day(raw_date)
    problems_before = len(st.problems) + st.problems_more
    if day is None:
        if any(word in _norm(t) for t in texts for word in TOTAL_WORDS):
            return
        st.problem(row, "date", _("Row %(row)d: the date “%(value)s” is not a date (e.g. 2026-03-10).") % {
            "row": row, "value": _text(raw_date, 40)})
    elif not EARLIEST <= day <= LATEST:
        st.problem(row, "date", _("Row %(row)d: the date %(value)s is outside 2000–2099.") % {
            "row": row, "value": day.isoformat()})
    amounts: dict[str, Decimal | None] = {}
    for role in ("credit", "debit", "amount", "charges"):
        if role not in found:
            continue
        try:
            amounts[role] = parse_amount(_cell(values, found, role))
        except AmountError as exc:
            label = {"credit": pgettext("ledger", "credit"), "debit": _("debit"), "amount": _("amount"), "charges": _("charges")}[role]
            st.problem(row, role, _("Row %(row)d, %(field)s: “%(value)s” is %(reason)s.") % {
                "row": row, "field": label, "value": _text(_cell(values, found, role), 40), "reason": exc})
            amounts[role] = None
    if len(st.problems) + st.problems_more > problems_before:
        return
    if "credit" in found:
        amount = amounts.get("credit")
        if amount is None or amount == 0:
            st.debits_skipped += 1
            return
        if amount < 0:
            st.problem(row, "credit", _("Row %(row)d, credit: a negative amount (%(value)s) in the credit column.") % {
                "row": row, "value": amount})
            return
    else:
        amount = amounts.get("amount")
        if amount is None or amount == 0:
            st.debits_skipped += 1
            return
        direction = _norm(_cell(values, found, "direction")) if "direction" in found else ""
        if direction in DEBIT_WORDS or (direction not in CREDIT_WORDS and amount < 0):
            st.debits_skipped += 1
            return
        if direction and direction not in CREDIT_WORDS:
            st.problem(row, "direction", _("Row %(row)d: “%(value)s” says neither credit nor debit.") % {
                "row": row, "value": _text(_cell(values, found, "direction"), 20)})
            return
        amount = abs(amount)
    charges = amounts.get("charges") or Decimal("0")
    if charges < 0:
        charges = -charges
    if charges >= amount:
        st.problem(row, "charges", _("Row %(row)d: the charges (%(charges)s) are not less than the amount.") % {
            "row": row, "charges": charges})
        return
    if "currency" in found and currency:
        code = _text(_cell(values, found, "currency"), 10).upper()
        code = {"人民币": "CNY", "RMB": "CNY", "美元": "USD", "欧元": "EUR", "英镑": "GBP", "港币": "HKD",
                "日元": "JPY"}.get(code, code)
        if code and code != currency.upper():
            st.other_currency_skipped += 1
            return
    st.lines.append(ParsedLine(
        row=row, value_date=day, amount=amount, charges=charges,
        payer=_text(_cell(values, found, "payer"), 160),
        reference=_text(_cell(values, found, "bank_ref"), 80),
        remittance=_text(_cell(values, found, "remittance"), 400)))


# --- MT940 ----------------------------------------------------------------------------------------

_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_61 = re.compile(r"^(?P<date>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<fund>[A-Z])?(?P<amount>\d[\d,]*)"
                 r"(?P<type>[NSF][A-Z0-9]{3})(?P<ref>[^/\n]*)(?://(?P<bankref>[^\n]*))?(?:\n(?P<extra>.*))?$", re.S)
_60 = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<cur>[A-Z]{3})(?P<amount>[\d,]+)$")


def _swift_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%y%m%d").date()
    except ValueError:
        return None


def _swift_amount(text: str) -> Decimal | None:
    whole, _sep, cents = text.partition(",")
    if not whole.isdigit() or (cents and not cents.isdigit()) or len(cents) > 2:
        return None
    return Decimal(f"{whole}.{cents or '0'}")


def _payer_of_86(info: str) -> tuple[str, str]:
    """(payer, remittance) from a :86: field: SWIFT structured (/ORDP/, /REMI/), German (?32 ?20),
    or free text (the remittance then is all of it)."""
    flat = info.replace("\n", "")
    payer = ""
    match = re.search(r"/ORDP/(?:/NAME/)?([^/]+)", flat) or re.search(r"/NAME/([^/]+)", flat)
    if match:
        payer = match.group(1).strip()
    elif "?32" in flat:
        parts = {m.group(1): m.group(2) for m in re.finditer(r"\?(\d\d)([^?]*)", flat)}
        payer = (parts.get("32", "") + parts.get("33", "")).strip()
        remit = "".join(parts.get(str(n), "") for n in range(20, 30)).strip()
        return payer, remit or flat
    remi = re.search(r"/REMI/(?:/USTD//)?([^/]+(?:/(?!ORDP|BENM|EREF|NAME|ADDR)[^/]+)*)", flat)
    return payer, (remi.group(1).strip() if remi else re.sub(r"\s+", " ", info).strip())


def parse_mt940(data: bytes, *, currency: str = "") -> ParsedStatement:
    st = ParsedStatement(layout=MT940)
    text = decode_text(data) or data.decode("latin-1")
    # A SWIFT envelope ({1:…}{2:…}{4: … -}) around the statement: keep block 4.
    block = re.search(r"\{4:(.*?)(?:-\}|\Z)", text, re.S)
    body = block.group(1) if block else text
    tags: list[tuple[int, str, str]] = []  # (line no, tag, value)
    for number, raw in enumerate(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.rstrip()
        match = _TAG.match(line)
        if match:
            tags.append((number, match.group(1), match.group(2)))
        elif tags and line and line != "-":
            n, tag, value = tags[-1]
            tags[-1] = (n, tag, f"{value}\n{line}")
    if not any(tag == "61" for _n, tag, _v in tags) and not any(tag in ("20", "25", "60F") for _n, tag, _v in tags):
        st.problem(None, "file", _("Unknown layout: the file looks like MT940 but has no :20:, :25:, :60F: or :61: "
                                   "field."))
        return st
    pending: ParsedLine | None = None
    lines_limit = max_lines()
    count = 0
    for number, tag, value in tags:
        if tag == "25":
            st.account = value.strip()[:60]
        elif tag == "60F" or tag == "60M":
            match = _60.match(value.strip())
            if not match:
                st.problem(number, "60F", _("Line %(row)d (:60F: opening balance): “%(value)s” is not C/D, YYMMDD, "
                                            "currency, amount.") % {"row": number, "value": value[:40]})
                continue
            st.currency = st.currency or match.group("cur")
            if currency and match.group("cur") != currency.upper():
                st.problem(number, "currency", _("The statement is in %(file)s (:60F:), not in %(chosen)s: choose "
                                                 "the account's currency.") % {"file": match.group("cur"),
                                                                                 "chosen": currency.upper()})
            st.period_start = st.period_start or _swift_date(match.group("date"))
        elif tag in ("62F", "62M"):
            match = _60.match(value.strip())
            if match:
                st.period_end = _swift_date(match.group("date")) or st.period_end
        elif tag == "61":
            pending = None
            count += 1
            if count > lines_limit:
                st.lines = []
                st.problem(None, "file", _("The file has more than %(n)d rows; export a shorter period.") % {
                    "n": lines_limit})
                return st
            match = _61.match(value.strip())
            if not match:
                st.problem(number, "61", _("Line %(row)d (:61: statement line): “%(value)s” cannot be read (value "
                                           "date, C/D, amount, type, reference).") % {
                    "row": number, "value": value.split("\n")[0][:50]})
                continue
            day = _swift_date(match.group("date"))
            amount = _swift_amount(match.group("amount"))
            if day is None:
                st.problem(number, "date", _("Line %(row)d (:61:): the value date %(value)s is not a date "
                                             "(YYMMDD).") % {"row": number, "value": match.group("date")})
                continue
            if amount is None or amount > MAX_AMOUNT:
                st.problem(number, "amount", _("Line %(row)d (:61:): the amount “%(value)s” is not an amount.") % {
                    "row": number, "value": match.group("amount")[:30]})
                continue
            if match.group("mark") in ("D", "RC") or amount == 0:  # a debit, or the reversal of a credit
                st.debits_skipped += 1
                continue
            ref = (match.group("ref") or "").strip()
            bank_ref = (match.group("bankref") or "").strip()
            if ref.upper() == "NONREF":
                ref = ""
            pending = ParsedLine(row=number, value_date=day, amount=amount,
                                 reference=(bank_ref or ref)[:80], remittance=(match.group("extra") or "").strip())
            if ref and bank_ref:
                pending.remittance = f"{ref} {pending.remittance}".strip()
            st.lines.append(pending)
        elif tag == "86" and pending is not None:
            payer, remittance = _payer_of_86(value)
            pending.payer = payer[:160]
            pending.remittance = " ".join(p for p in (pending.remittance, remittance) if p)[:400]
            pending = None
    return st
