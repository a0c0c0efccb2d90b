"""The document check (``gendan.shipping.document_check``): pure, no database.

A compliant presentation under an L/C (``presentation()``) is changed one fact at a time; each
change must produce exactly the discrepancy a bank examiner would raise, naming the document and
the field. Malformed input is refused with the path of the bad field, never another exception.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from gendan.core.errors import BusinessError
from gendan.shipping.document_check import (
    DISCREPANCY_CODES,
    DISCREPANCY_LABELS,
    DOCUMENT_KINDS,
    MAX_LINES,
    PresentationError,
    check_presentation,
    discrepancy_label,
    parse_amount_in_words,
)
from gendan.shipping.errors import ShippingError

MARKS = "ACME\nPO-4711\nROTTERDAM\nC/NO. 1-250"


def presentation(**changes) -> dict:
    """A compliant presentation under an L/C: 5 000 mugs at USD 2.15 = 10 750.00, 250 cartons,
    shipped on board Saturday 2026-03-21, presented 2026-04-02. ``changes`` maps dotted paths
    to new values (``documents.bill_of_lading.signed=False``); ``None`` removes the key."""
    data = {
        "credit": {
            "number": "LC-2026-0042", "currency": "USD", "amount": "10750.00", "about": False,
            "quantity": "5000", "quantity_unit": "PCS", "unit_price": "2.15",
            "applicant": "ACME TRADING B.V., KEIZERSGRACHT 1, AMSTERDAM",
            "beneficiary": "NINGBO HOMEWARE CO., LTD.",
            "goods_description": "CERAMIC MUGS 350 ML", "incoterm": "CIF ROTTERDAM",
            "port_of_loading": "NINGBO", "port_of_discharge": "ROTTERDAM, NETHERLANDS",
            "latest_shipment_date": "2026-03-31", "expiry_date": "2026-04-25", "presentation_days": 21,
            "partial_shipments": "prohibited",
            "documents_required": ["commercial_invoice", "packing_list", "bill_of_lading", "insurance",
                                   "certificate_of_origin", "draft", "beneficiary_certificate"],
            "insurance_pct": "110",
        },
        "presentation_date": "2026-04-02",
        "bank_holidays": [],
        "documents": {
            "commercial_invoice": {
                "number": "INV-26-0311", "issuer": "Ningbo Homeware Company Limited", "made_out_to": "ACME TRADING BV",
                "currency": "USD",
                "lines": [
                    {"description": "Ceramic mugs 350 ml, red, gift box", "quantity": "3000", "unit": "PCS",
                     "unit_price": "2.15", "amount": "6450.00"},
                    {"description": "Ceramic mugs 350 ml, blue, gift box", "quantity": "2000", "unit": "PCS",
                     "unit_price": "2.15", "amount": "4300.00"},
                ],
                "total": "10750.00", "packages": 250, "gross_weight_kg": "2625.5", "net_weight_kg": "2375",
                "marks": MARKS,
            },
            "packing_list": {"packages": 250, "gross_weight_kg": "2625.50", "net_weight_kg": "2375.000",
                             "cbm": "18.75", "marks": MARKS},
            "bill_of_lading": {
                "carrier": "COSCO SHIPPING LINES", "signed": True, "on_board_date": "2026-03-21",
                "vessel": "COSCO BELGIUM 026W", "port_of_loading": "NINGBO, CHINA", "port_of_discharge": "ROTTERDAM",
                "packages": 250, "gross_weight_kg": "2625.5", "cbm": "18.75", "marks": "acme po-4711 rotterdam c/no.1-250",
                "originals_issued": 3, "originals_presented": 3, "shipment_sets": 1},
            "insurance": {"currency": "USD", "insured_amount": "11825.00", "date": "2026-03-20"},
            "certificate_of_origin": {"goods_description": "CERAMIC MUGS", "packages": 250, "marks": MARKS,
                                      "signed": True},
            "draft": {"amount": "10750.00", "currency": "USD",
                      "amount_in_words": "SAY US DOLLARS TEN THOUSAND SEVEN HUNDRED AND FIFTY ONLY"},
            "beneficiary_certificate": {},
        },
    }
    for path, value in changes.items():
        set_path(data, path.replace("__", "."), value)
    return data


def set_path(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value


def found(data: dict) -> list[tuple[str, str, str]]:
    result = check_presentation(data)
    assert result["compliant"] is (not result["discrepancies"])
    return [(d["code"], d["document"], d["field"]) for d in result["discrepancies"]]


def codes(data: dict) -> list[str]:
    return [code for code, _doc, _field in found(data)]


def with_changes(**changes):
    return presentation(**{k.replace(".", "__"): v for k, v in changes.items()})


# ---------------------------------------------------------------------------------------------
# The baseline and the contract


def test_the_baseline_presentation_is_compliant():
    assert check_presentation(presentation()) == {"compliant": True, "discrepancies": []}


def test_the_names_other_engineers_import():
    assert len(DISCREPANCY_CODES) == 25 and len(set(DISCREPANCY_CODES)) == 25
    assert set(DISCREPANCY_LABELS) == set(DISCREPANCY_CODES)
    assert {"commercial_invoice", "packing_list", "bill_of_lading", "insurance", "certificate_of_origin", "draft",
            "beneficiary_certificate", "inspection_certificate"} == set(DOCUMENT_KINDS)
    assert discrepancy_label("LATE_SHIPMENT") == "Late shipment"
    with translation.override("zh-hans"):
        assert discrepancy_label("LATE_SHIPMENT") == "迟装运"
    assert issubclass(PresentationError, BusinessError)


def test_each_discrepancy_has_code_document_field_and_a_message():
    result = check_presentation(presentation(documents__bill_of_lading__signed=False))
    assert result["compliant"] is False
    assert result["discrepancies"] == [{
        "code": "BL_UNSIGNED", "document": "bill_of_lading", "field": "signed",
        "message": "The B/L is not signed by the carrier, master or their named agent."}]


def test_messages_are_in_the_active_language():
    with translation.override("zh-hans"):
        result = check_presentation(presentation(documents__bill_of_lading__signed=False))
    assert result["discrepancies"][0]["message"] == "提单未经承运人、船长或其具名代理签署。"


def test_the_order_is_stable_by_code_then_document():
    data = presentation(documents__bill_of_lading__signed=False, presentation_date="2026-04-28",
                        documents__packing_list__packages=251, documents__commercial_invoice__currency="EUR",
                        documents__draft__currency="EUR")
    assert found(data) == [
        ("LC_EXPIRED", "presentation", "presentation_date"),
        ("LATE_PRESENTATION", "presentation", "presentation_date"),
        ("CURRENCY_MISMATCH", "commercial_invoice", "currency"),
        ("CURRENCY_MISMATCH", "draft", "currency"),
        ("BL_UNSIGNED", "bill_of_lading", "signed"),
        ("PACKAGES_CONFLICT", "packing_list", "packages"),
    ]
    assert found(data) == found(copy.deepcopy(data))


# ---------------------------------------------------------------------------------------------
# Dates: expiry, presentation period, latest shipment (UCP 14c, 29)


def test_presented_after_expiry():
    # expiry Saturday 2026-04-25 moves to Monday 04-27 (UCP 29a): the 27th is in time, the 28th is not
    assert "LC_EXPIRED" not in codes(presentation(presentation_date="2026-04-27",
                                                  documents__bill_of_lading__on_board_date="2026-04-10"))
    assert "LC_EXPIRED" in codes(presentation(presentation_date="2026-04-28",
                                              documents__bill_of_lading__on_board_date="2026-04-10"))


def test_an_expiry_on_bank_holidays_moves_to_the_next_banking_day():
    # expiry Good Friday 2026-04-03; Easter Monday 04-06 also closed → Tuesday 04-07
    data = {"credit__expiry_date": "2026-04-03", "bank_holidays": ["2026-04-03", "2026-04-06"]}
    assert codes(presentation(presentation_date="2026-04-07", **data)) == []
    assert codes(presentation(presentation_date="2026-04-08", **data)) == ["LC_EXPIRED"]
    with translation.override("en"):
        message = check_presentation(presentation(presentation_date="2026-04-08", **data))["discrepancies"][0]
    assert "2026-04-07" in message["message"] and "2026-04-03" in message["message"]


def test_an_expiry_on_a_banking_day_is_not_moved():
    assert codes(presentation(credit__expiry_date="2026-04-02", presentation_date="2026-04-03")) == ["LC_EXPIRED"]


def test_late_presentation_counts_calendar_days_and_moves_a_closed_last_day():
    # on board Saturday 03-21 + 21 days = Saturday 04-11 → Monday 04-13
    assert codes(presentation(presentation_date="2026-04-13")) == []
    assert codes(presentation(presentation_date="2026-04-14")) == ["LATE_PRESENTATION"]


def test_a_holiday_after_the_weekend_moves_the_last_day_further():
    assert codes(presentation(presentation_date="2026-04-14", bank_holidays=["2026-04-13"])) == []


def test_the_presentation_period_is_the_credits():
    # 7 days: Saturday 03-28 → Monday 03-30; 6 days: Friday 03-27
    assert codes(presentation(presentation_date="2026-03-30", credit__presentation_days=7)) == []
    assert codes(presentation(presentation_date="2026-03-30", credit__presentation_days=6)) == ["LATE_PRESENTATION"]


def test_the_last_presentation_day_is_never_after_the_expiry():
    # 21 days end 04-13, but the credit expires Friday 04-10: presenting on the 13th is too late
    assert codes(presentation(credit__expiry_date="2026-04-10", presentation_date="2026-04-13")) == ["LC_EXPIRED"]


def test_late_shipment_is_never_extended():
    # latest shipment Sunday 2026-03-29: shipping Monday the 30th is late although the 29th is closed
    data = {"credit__latest_shipment_date": "2026-03-29"}
    assert codes(presentation(documents__bill_of_lading__on_board_date="2026-03-29", **data)) == []
    assert found(presentation(documents__bill_of_lading__on_board_date="2026-03-30", **data)) == [
        ("LATE_SHIPMENT", "bill_of_lading", "on_board_date")]


def test_without_a_presentation_date_the_time_rules_do_not_run():
    assert codes(presentation(presentation_date=None)) == []


# ---------------------------------------------------------------------------------------------
# Amount, quantity and unit price (UCP 30)


def test_amount_over_the_credit():
    assert found(presentation(credit__amount="10749.99")) == [("AMOUNT_OVER", "commercial_invoice", "total")]


@pytest.mark.parametrize(("credit", "ok"), [
    ({"about": True, "amount": "9772.73"}, True),  # 9772.73 × 1.1 = 10750.003
    ({"about": True, "amount": "9772.72"}, False),  # 10749.992
    ({"amount_tolerance_pct": "5", "amount": "10238.10"}, True),  # × 1.05 = 10750.005
    ({"amount_tolerance_pct": "5", "amount": "10238.09"}, False),
    ({"about": True, "amount_tolerance_pct": "0", "amount": "10000"}, False),  # explicit overrides about
    ({"about": True, "amount_tolerance_pct": "10", "amount": "10000"}, True),
    ({"amount_tolerance_pct": "7.5", "amount": "10000"}, True),  # exactly at the limit
])
def test_the_amount_tolerance(credit, ok):
    data = presentation(**{f"credit__{k}": v for k, v in credit.items()},
                        credit__quantity=None, credit__unit_price=None)
    assert codes(data) == ([] if ok else ["AMOUNT_OVER"])


def test_the_total_is_the_sum_of_the_lines_when_the_invoice_states_none():
    data = presentation(documents__commercial_invoice__total=None, credit__amount="10700")
    assert codes(data) == ["AMOUNT_OVER"]


def quantity_credit(quantity: str, unit="PCS", **credit) -> dict:
    return presentation(credit__quantity=quantity, credit__quantity_unit=unit, credit__unit_price=None,
                        credit__amount="20000", **{f"credit__{k}": v for k, v in credit.items()})


@pytest.mark.parametrize(("quantity", "unit", "credit", "ok"), [
    ("5000", "PCS", {}, True),
    ("4999", "PCS", {}, False),  # more than the credit's pieces
    ("5001", "PCS", {"partial_shipments": "prohibited"}, False),  # less, partial shipments prohibited
    ("5001", "PCS", {"partial_shipments": "allowed"}, True),  # less is a partial shipment
    ("5001", "CARTONS", {"partial_shipments": "allowed"}, True),
    ("4546", "PCS", {"about": True}, True),  # about: 5000 within 4546 ± 10 % (5000.6)
    ("4545", "PCS", {"about": True}, False),  # 4999.5
    ("5555", "PCS", {"about": True, "partial_shipments": "prohibited"}, True),  # 4999.5 lower limit
    ("5556", "PCS", {"about": True, "partial_shipments": "prohibited"}, False),
    ("4762", "KG", {}, True),  # bulk: ±5 % (4762 × 1.05 = 5000.1)
    ("4761", "KG", {}, False),
    ("5263", "MT", {"partial_shipments": "prohibited"}, True),  # 5263 × 0.95 = 4999.85
    ("5264", "MT", {"partial_shipments": "prohibited"}, False),
    ("4762", "meters", {}, True),
])
def test_the_quantity_tolerance(quantity, unit, credit, ok):
    assert codes(quantity_credit(quantity, unit, **credit)) == ([] if ok else ["QUANTITY_OUT_OF_TOLERANCE"])


def test_unit_price_beyond_the_tolerance():
    data = presentation(credit__unit_price="2.14", credit__amount="20000")
    assert found(data) == [("UNIT_PRICE_MISMATCH", "commercial_invoice", "lines[0].unit_price"),
                           ("UNIT_PRICE_MISMATCH", "commercial_invoice", "lines[1].unit_price")]
    # about: ±10 %, both limits included (2.15 is 10 % above 1.9545…; 2.15 / 1.1 = 1.9545)
    assert codes(presentation(credit__unit_price="1.96", credit__about=True, credit__quantity=None)) == []
    assert codes(presentation(credit__unit_price="1.95", credit__about=True, credit__quantity=None)) == [
        "UNIT_PRICE_MISMATCH", "UNIT_PRICE_MISMATCH"]
    assert codes(presentation(credit__unit_price="2.365", credit__about=True, credit__quantity=None)) == []
    # lower than the credit's is a difference too
    assert codes(presentation(credit__unit_price="2.16", credit__amount="20000")) == [
        "UNIT_PRICE_MISMATCH", "UNIT_PRICE_MISMATCH"]


# ---------------------------------------------------------------------------------------------
# The invoice (UCP 18)


@pytest.mark.parametrize("kind", ["commercial_invoice", "insurance", "draft"])
def test_currency_differs_from_the_credits(kind):
    assert found(presentation(**{f"documents__{kind}__currency": "EUR"})) == [("CURRENCY_MISMATCH", kind, "currency")]


def test_currency_codes_compare_without_case():
    assert codes(presentation(documents__draft__currency="usd")) == []


def test_invoice_issued_by_someone_else():
    assert found(presentation(documents__commercial_invoice__issuer="NINGBO TRADING CO LTD")) == [
        ("INVOICE_ISSUER", "commercial_invoice", "issuer")]
    assert codes(presentation(documents__commercial_invoice__issuer=None)) == ["INVOICE_ISSUER"]
    # the beneficiary with its address is still the beneficiary
    assert codes(presentation(documents__commercial_invoice__issuer="Ningbo Homeware Co., Ltd., 8 Harbour Rd")) == []


def test_invoice_made_out_to_someone_else():
    assert found(presentation(documents__commercial_invoice__made_out_to="ACME GMBH")) == [
        ("INVOICE_APPLICANT", "commercial_invoice", "made_out_to")]


def test_description_must_carry_every_word_of_the_credits():
    # more detail (colour, gift box) is fine; a missing word is not; punctuation and case ignored
    assert codes(presentation(credit__goods_description="Ceramic mugs, 350 ml.")) == []
    data = presentation(credit__goods_description="PORCELAIN MUGS 350 ML")
    assert found(data) == [("DESCRIPTION_MISMATCH", "commercial_invoice", "lines")]
    assert "PORCELAIN" in check_presentation(data)["discrepancies"][0]["message"]


def test_description_words_split_digits_from_letters_and_read_chinese():
    assert codes(presentation(credit__goods_description="CERAMIC MUGS 350ML")) == []
    lines = [{"description": "红色陶瓷杯 350ml，礼盒装", "quantity": "5000", "unit_price": "2.15", "amount": "10750.00"}]
    data = presentation(documents__commercial_invoice__lines=lines, credit__goods_description="陶瓷杯 350ML")
    assert codes(data) == []
    data = presentation(documents__commercial_invoice__lines=lines, credit__goods_description="玻璃杯 350ML")
    assert found(data) == [("DESCRIPTION_MISMATCH", "commercial_invoice", "lines")]


def test_names_compare_without_and_ampersand_and_dots():
    assert codes(presentation(credit__applicant="SMITH & SONS LTD.",
                              documents__commercial_invoice__made_out_to="Smith and Sons Limited")) == []


def test_description_may_be_spread_over_the_invoice():
    data = presentation(credit__goods_description="CERAMIC MUGS 350 ML AS PER PI NO 2026-17",
                        documents__commercial_invoice__goods_description="As per PI no. 2026-17")
    assert codes(data) == []


def test_invoice_arithmetic_per_line_and_total():
    data = presentation(documents__commercial_invoice__lines__1__amount="4300.10", credit__amount="20000")
    assert found(data) == [("INVOICE_ARITHMETIC", "commercial_invoice", "lines[1].amount"),
                           ("INVOICE_ARITHMETIC", "commercial_invoice", "total")]
    assert found(presentation(documents__commercial_invoice__total="10750.01", credit__amount="20000",
                              documents__draft=None, credit__documents_required=[], documents__insurance=None)) == [
        ("INVOICE_ARITHMETIC", "commercial_invoice", "total")]


def test_a_line_amount_rounded_to_the_cent_is_right():
    lines = [{"description": "CERAMIC MUGS 350 ML", "quantity": "1000", "unit_price": "1.2345", "amount": "1234.50"}]
    data = presentation(documents__commercial_invoice__lines=lines, documents__commercial_invoice__total="1234.50",
                        credit__quantity=None, credit__unit_price=None, documents__draft=None,
                        credit__documents_required=[])
    assert codes(data) == []
    lines[0]["amount"] = "1234.51"
    assert codes(data) == ["INVOICE_ARITHMETIC", "INVOICE_ARITHMETIC"]


# ---------------------------------------------------------------------------------------------
# The B/L (UCP 20, 31)


def test_ports_of_loading_and_discharge():
    assert found(presentation(documents__bill_of_lading__port_of_loading="SHANGHAI")) == [
        ("PORT_OF_LOADING", "bill_of_lading", "port_of_loading")]
    assert found(presentation(documents__bill_of_lading__port_of_discharge="ANTWERP")) == [
        ("PORT_OF_DISCHARGE", "bill_of_lading", "port_of_discharge")]
    assert codes(presentation(documents__bill_of_lading__port_of_discharge=None)) == ["PORT_OF_DISCHARGE"]
    assert codes(presentation(credit__port_of_loading="ANY CHINESE PORT",
                              documents__bill_of_lading__port_of_loading="SHANGHAI")) == []


def test_bill_without_on_board_date():
    assert codes(presentation(documents__bill_of_lading__on_board_date=None)) == ["BL_NOT_ON_BOARD"]


def test_unsigned_bill():
    assert codes(presentation(documents__bill_of_lading__signed=None)) == ["BL_UNSIGNED"]


def test_incomplete_set_of_originals():
    assert found(presentation(documents__bill_of_lading__originals_presented=2)) == [
        ("BL_INCOMPLETE_SET", "bill_of_lading", "originals_presented")]


def test_partial_shipment_where_prohibited():
    assert found(presentation(documents__bill_of_lading__shipment_sets=2)) == [
        ("PARTIAL_SHIPMENT", "bill_of_lading", "shipment_sets")]
    assert codes(presentation(documents__bill_of_lading__shipment_sets=2, credit__partial_shipments="allowed")) == []


# ---------------------------------------------------------------------------------------------
# Insurance (UCP 28)


def test_insurance_below_the_credits_percentage():
    assert codes(presentation(documents__insurance__insured_amount="11824.99")) == ["INSURANCE_UNDER"]
    assert codes(presentation(credit__insurance_pct="120",
                              documents__insurance__insured_amount="12899.99")) == ["INSURANCE_UNDER"]
    assert codes(presentation(credit__insurance_pct="120", documents__insurance__insured_amount="12900")) == []
    assert codes(presentation(credit__insurance_pct=None)) == []  # 110 % by default


def test_insurance_dated_after_shipment():
    assert codes(presentation(documents__insurance__date="2026-03-21")) == []
    assert found(presentation(documents__insurance__date="2026-03-22")) == [("INSURANCE_LATE", "insurance", "date")]


# ---------------------------------------------------------------------------------------------
# Between the documents (ISBP M6, R14d)


def test_packages_differ_the_document_that_disagrees_is_named():
    assert found(presentation(documents__bill_of_lading__packages=260)) == [
        ("PACKAGES_CONFLICT", "bill_of_lading", "packages")]
    assert found(presentation(documents__commercial_invoice__packages=240)) == [
        ("PACKAGES_CONFLICT", "commercial_invoice", "packages")]
    assert found(presentation(documents__certificate_of_origin__packages=1)) == [
        ("PACKAGES_CONFLICT", "certificate_of_origin", "packages")]


def test_gross_and_net_weights_differ():
    assert found(presentation(documents__packing_list__gross_weight_kg="2652.5")) == [
        ("WEIGHT_CONFLICT", "packing_list", "gross_weight_kg")]
    # two documents disagree, neither has a majority: the later one is named
    data = presentation(documents__commercial_invoice__net_weight_kg="2357")
    assert found(data) == [("WEIGHT_CONFLICT", "packing_list", "net_weight_kg")]
    assert check_presentation(data)["discrepancies"][0]["message"] == (
        "The packing list shows net weight (kg) 2375, the commercial invoice 2357.")


def test_marks_ignore_case_and_whitespace_but_not_text():
    assert found(presentation(documents__packing_list__marks="ACME\nPO-4712\nROTTERDAM\nC/NO. 1-250")) == [
        ("MARKS_CONFLICT", "packing_list", "marks")]


def test_required_document_missing():
    assert found(presentation(documents__certificate_of_origin=None)) == [
        ("DOCUMENT_MISSING", "certificate_of_origin", "")]
    assert found(presentation(documents__beneficiary_certificate=None,
                              credit__documents_required=["inspection_certificate", "beneficiary_certificate"])) == [
        ("DOCUMENT_MISSING", "beneficiary_certificate", ""), ("DOCUMENT_MISSING", "inspection_certificate", "")]


def test_a_document_not_required_is_not_examined_for_absence():
    assert codes(presentation(documents__certificate_of_origin=None, credit__documents_required=[])) == []


def test_a_document_presented_but_not_required_is_disregarded():
    # UCP 14g: the credit does not ask for a C/O, so its packages are not compared
    required = ["commercial_invoice", "packing_list", "bill_of_lading", "insurance", "draft"]
    data = presentation(credit__documents_required=required, documents__certificate_of_origin__packages=1)
    assert codes(data) == []
    # without a list of documents required, every document presented is examined
    assert codes(presentation(credit__documents_required=None, documents__certificate_of_origin__packages=1)) == [
        "PACKAGES_CONFLICT"]


# ---------------------------------------------------------------------------------------------
# The draft


def test_draft_words_do_not_state_the_figures():
    data = presentation(documents__draft__amount_in_words="SAY US DOLLARS TEN THOUSAND SEVEN HUNDRED ONLY")
    assert found(data) == [("DRAFT_WORDS_MISMATCH", "draft", "amount_in_words")]
    assert "10700" in check_presentation(data)["discrepancies"][0]["message"]
    assert codes(presentation(documents__draft__amount_in_words="TEN THOUSAND SEVEN HUNDRED FIFTY DOLARS")) == []
    assert codes(presentation(documents__draft__amount_in_words=None)) == ["DRAFT_WORDS_MISMATCH"]
    assert codes(presentation(documents__draft__amount_in_words="SAY TEN THOUSAND THOUSAND")) == [
        "DRAFT_WORDS_MISMATCH"]


def test_draft_amount_differs_from_the_invoice():
    data = presentation(documents__draft__amount="7525.00",
                        documents__draft__amount_in_words="SAY US DOLLARS SEVEN THOUSAND FIVE HUNDRED TWENTY-FIVE ONLY")
    assert found(data) == [("DRAFT_AMOUNT", "draft", "amount")]


@pytest.mark.parametrize(("words", "amount"), [
    ("SAY US DOLLARS TWELVE THOUSAND ONE HUNDRED AND FORTY-THREE AND CENTS NINETY-SIX ONLY", "12143.96"),
    ("SAY US DOLLARS TWELVE THOUSAND ONE HUNDRED AND FORTY-THREE AND 96/100 ONLY", "12143.96"),
    ("say us dollars twelve thousand, one hundred forty three and ninety six cents only", "12143.96"),
    ("US$ TWELVE THOUSAND ONE HUNDRED FORTY-THREE DOLLARS NINETY-SIX CENTS", "12143.96"),
    ("TWELVE THOUSAND ONE HUNDRED FORTY-THREE POINT NINE SIX", "12143.96"),
    ("SAY EUROS ONE MILLION TWO HUNDRED THOUSAND AND FIVE ONLY", "1200005"),
    ("SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY", "100.50"),
    ("SAY US DOLLARS NINETY-NINE CENTS ONLY", "0.99"),
    ("SAY US DOLLARS ONE HUNDRED AND CENTS 05 ONLY", "100.05"),
    ("SAY POUNDS STERLING FOURTY TWO AND PENCE TEN ONLY", "42.10"),
    ("SAY US DOLLARS NINETEEN THOUSAND NINE HUNDRED NINETY-NINE ONLY", "19999"),
    ("ZERO", "0"),
])
def test_amount_in_words_parser_reads(words, amount):
    assert parse_amount_in_words(words) == Decimal(amount)


@pytest.mark.parametrize("words", [
    "SAY US DOLLARS ONLY", "", "ONE HUNDRED HUNDRED", "TWENTY THIRTY", "THOUSAND MILLION", "FIFTEEN TWENTY",
    "ONE THOUSAND TWO THOUSAND", "ONE HUNDRED AND CENTS ONE HUNDRED", "ONE AND 120/100", "TWENTY TWELVE",
])
def test_amount_in_words_parser_refuses(words):
    assert parse_amount_in_words(words) is None


def test_amount_in_words_parser_agrees_with_the_invoice_printer():
    from gendan.core.money import amount_in_words_en

    for amount in ("0.01", "1", "19.99", "101.10", "1409.50", "12143.96", "999999.99", "1000000", "70000015.05"):
        assert parse_amount_in_words(amount_in_words_en(Decimal(amount), "USD")) == Decimal(amount), amount
    assert parse_amount_in_words(amount_in_words_en(Decimal("1234"), "JPY")) == Decimal(1234)


# ---------------------------------------------------------------------------------------------
# Without a credit (T/T, D/P: 单单一致 only)


def test_without_a_credit_only_the_rules_between_documents_run():
    data = presentation(credit=None, presentation_date="2027-01-01",
                        documents__commercial_invoice__issuer="SOMEONE ELSE", documents__insurance__insured_amount="1")
    assert codes(data) == []
    data["documents"]["packing_list"]["packages"] = 249
    data["documents"]["bill_of_lading"]["signed"] = False
    data["documents"]["commercial_invoice"]["lines"][0]["amount"] = "6450.01"
    assert found(data) == [("INVOICE_ARITHMETIC", "commercial_invoice", "lines[0].amount"),
                           ("INVOICE_ARITHMETIC", "commercial_invoice", "total"),
                           ("BL_UNSIGNED", "bill_of_lading", "signed"),
                           ("PACKAGES_CONFLICT", "packing_list", "packages")]


def test_without_a_credit_and_with_few_documents():
    assert check_presentation({"documents": {"commercial_invoice": {"total": "10"}}})["compliant"] is True
    assert check_presentation({})["compliant"] is True


# ---------------------------------------------------------------------------------------------
# Malformed input: 400 with the path, never another exception


@pytest.mark.parametrize(("change", "path"), [
    ({"documents__commercial_invoice__lines__1__quantity": "12 pcs"}, "documents.commercial_invoice.lines[1].quantity"),
    ({"documents__commercial_invoice__lines__0__amount": 6450.0}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": "1e20"}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": 10**5000}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": "-5"}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": "NaN"}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": "0.0000001"}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": "9" * 100}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": True}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0__amount": ["1"]}, "documents.commercial_invoice.lines[0].amount"),
    ({"documents__commercial_invoice__lines__0": "a line"}, "documents.commercial_invoice.lines[0]"),
    ({"documents__commercial_invoice__lines__0__colour": "red"}, "documents.commercial_invoice.lines[0].colour"),
    ({"documents__commercial_invoice__lines": {"0": {}}}, "documents.commercial_invoice.lines"),
    ({"documents__commercial_invoice__lines": [{}] * (MAX_LINES + 1)}, "documents.commercial_invoice.lines"),
    ({"documents__commercial_invoice__packages": "250.5"}, "documents.commercial_invoice.packages"),
    ({"documents__commercial_invoice__issuer": 42}, "documents.commercial_invoice.issuer"),
    ({"documents__commercial_invoice__issuer": "x" * 6000}, "documents.commercial_invoice.issuer"),
    ({"documents__commercial_invoice__currency": "US DOLLARS"}, "documents.commercial_invoice.currency"),
    ({"documents__bill_of_lading__signed": "yes"}, "documents.bill_of_lading.signed"),
    ({"documents__bill_of_lading__on_board_date": "2026-02-30"}, "documents.bill_of_lading.on_board_date"),
    ({"documents__bill_of_lading__on_board_date": "1999-12-31"}, "documents.bill_of_lading.on_board_date"),
    ({"documents__bill_of_lading__on_board_date": 20260321}, "documents.bill_of_lading.on_board_date"),
    ({"documents__packing_list": ["250 cartons"]}, "documents.packing_list"),
    ({"documents__airway_bill": {}}, "documents.airway_bill"),
    ({"documents": "all of them"}, "documents"),
    ({"credit": "LC-1"}, "credit"),
    ({"credit__expiry_date": "31/04/2026"}, "credit.expiry_date"),
    ({"credit__expiry_date": "2026-03-30"}, "credit.expiry_date"),  # before the latest shipment date
    ({"credit__amount_tolerance_pct": "100.01"}, "credit.amount_tolerance_pct"),
    ({"credit__about": "yes"}, "credit.about"),
    ({"credit__presentation_days": 400}, "credit.presentation_days"),
    ({"credit__presentation_days": "21 days"}, "credit.presentation_days"),
    ({"credit__partial_shipments": "maybe"}, "credit.partial_shipments"),
    ({"credit__documents_required": ["commercial_invoice", "weight_list"]}, "credit.documents_required[1]"),
    ({"credit__documents_required": [{"kind": "draft"}]}, "credit.documents_required[0]"),
    ({"credit__documents_required": "commercial_invoice"}, "credit.documents_required"),
    ({"credit__insurance_pct": "100000"}, "credit.insurance_pct"),
    ({"credit__swift_field_47a": "..."}, "credit.swift_field_47a"),
    ({"presentation_date": "tomorrow"}, "presentation_date"),
    ({"bank_holidays": ["2026-04-03", "Easter"]}, "bank_holidays[1]"),
    ({"bank_holidays": ["2026-04-03"] * 1001}, "bank_holidays"),
    ({"order": 7}, "order"),
])
def test_malformed_input_names_the_path(change, path):
    with pytest.raises(PresentationError) as refused:
        check_presentation(presentation(**change))
    assert refused.value.path == path
    assert list(refused.value.fields) == [path]
    assert refused.value.code == ShippingError.INVALID_PRESENTATION == "invalid_presentation"
    assert refused.value.status == 400


@pytest.mark.parametrize("data", [None, [], "x", 42, {1: 2}, {"documents": {None: {}}}, {"credit": []}])
def test_junk_is_refused_as_a_presentation_error(data):
    with pytest.raises(PresentationError):
        check_presentation(data)


def test_deeply_nested_junk_is_refused():
    junk: dict = {}
    node = junk
    for _ in range(500):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(PresentationError) as refused:
        check_presentation({"documents": {"commercial_invoice": junk}})
    assert refused.value.path == "documents.commercial_invoice.x"


def test_message_of_a_malformed_presentation_in_chinese():
    with translation.override("zh-hans"), pytest.raises(PresentationError) as refused:
        check_presentation(presentation(credit__amount_tolerance_pct="150"))
    assert refused.value.fields == {"credit.amount_tolerance_pct": ["溢短装比例不得超过 100%。"]}


def test_bounds_are_named_in_the_message():
    with pytest.raises(PresentationError) as refused:
        check_presentation(presentation(credit__presentation_days=367))
    assert refused.value.fields == {"credit.presentation_days": ["Out of range (0 to 366)."]}
    assert codes(presentation(credit__presentation_days=366)) == []


def test_trailing_zeros_beyond_six_places_are_the_same_number():
    assert codes(presentation(documents__packing_list__gross_weight_kg=Decimal("2625.500000000"))) == []


def test_numbers_may_be_decimals_ints_or_strings_and_dates_date_objects():
    data = presentation(credit__amount=Decimal("10750"), documents__packing_list__packages="250",
                        documents__bill_of_lading__on_board_date=dt.date(2026, 3, 21),
                        documents__commercial_invoice__lines__0__quantity=3000)
    assert codes(data) == []


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    yield path


JUNK = [None, "", " ", "abc", "1e400", "-1", "0", "2026-13-01", 0, -1, 10**30, 1.5, True, False, [], {}, [1, [2]],
        {"a": {"b": None}}, "９９", "1" * 41, "2026-04-02T10:00", Decimal("NaN"), Decimal("1e-30"), object(),
        "ＳＡＹ ＵＳ ＤＯＬＬＡＲＳ ＯＮＥ", "ONE HUNDRED AND CENTS", "96/100 AND 1/100", "POINT", "POINT POINT NINE"]


def test_random_junk_anywhere_is_a_result_or_a_presentation_error_never_another_exception():
    import random

    rng = random.Random(13)
    base = presentation()
    paths = [p for p in _leaves(base) if p]
    for _ in range(3000):
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice(paths)
            node = data
            try:
                for key in parents:
                    node = node[key]
                node[last] = rng.choice(JUNK)
            except (KeyError, IndexError, TypeError):
                continue
        try:
            result = check_presentation(data)
        except PresentationError as refused:
            assert refused.path and refused.fields
        else:
            assert set(result) == {"compliant", "discrepancies"}
            assert all(d["code"] in DISCREPANCY_CODES for d in result["discrepancies"])


def test_the_words_parser_never_raises_on_random_words():
    import random

    rng = random.Random(7)
    vocabulary = ["SAY", "US", "DOLLARS", "AND", "CENTS", "POINT", "ONLY", "ONE", "NINE", "TEN", "NINETEEN", "TWENTY",
                  "NINETY", "HUNDRED", "THOUSAND", "MILLION", "TRILLION", "96/100", "100/100", "05", "123", "-", ","]
    for _ in range(5000):
        words = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 12)))
        value = parse_amount_in_words(words)
        assert value is None or (isinstance(value, Decimal) and value >= 0)
