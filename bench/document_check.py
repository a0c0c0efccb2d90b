"""How fast is the document check (单单一致、单证一致) on a realistic presentation?

    .venv/bin/python bench/document_check.py              # 200 timed runs per measurement
    .venv/bin/python bench/document_check.py --runs 1000

No database: ``gendan.shipping.document_check`` is pure Python. Times ``check_presentation``
after a warm-up run, p50 / p95 / max in ms (issue 13 asks for < 50 ms per presentation), on

  compliant    an L/C presentation with all six examined documents, a beneficiary's certificate and
               a 50-line commercial invoice (every rule runs, nothing is found)
  discrepant   the same with a late presentation, an unsigned B/L, packages, weights and marks that
               differ, a wrong line amount and a draft whose words do not state its figures
  1000 lines   the largest invoice the check accepts (``MAX_LINES``)
  no credit    the 50-line set without a credit (单单一致 only)

Nothing here asserts a speed; the figures go into bench/README.md.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKS = "ACME\nPO-4711\nROTTERDAM\nC/NO. 1-{cartons}"
COLOURS = ("RED", "BLUE", "GREEN", "WHITE", "BLACK", "GREY", "YELLOW", "PINK", "ORANGE", "PURPLE")


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings.test")  # for gettext only
    import django

    django.setup()


def presentation(lines: int) -> dict:
    """A compliant L/C presentation whose invoice has ``lines`` lines of mugs in colours and sizes."""
    from gendan.core.money import amount_in_words_en

    invoice_lines, total, quantity = [], Decimal(0), 0
    for n in range(lines):
        pieces = 100 + 12 * (n % 40)
        price = Decimal("2.15")
        amount = pieces * price
        invoice_lines.append({"description": f"CERAMIC MUGS 350 ML, {COLOURS[n % 10]}, ITEM {1000 + n}, GIFT BOX",
                              "quantity": str(pieces), "unit": "PCS", "unit_price": str(price),
                              "amount": f"{amount:.2f}"})
        total += amount
        quantity += pieces
    cartons = quantity // 24 + 1
    marks = MARKS.format(cartons=cartons)
    gross, net = f"{cartons * Decimal('10.5'):.1f}", f"{cartons * Decimal('9.5'):.1f}"
    return {
        "credit": {
            "number": "LC-2026-0042", "currency": "USD", "amount": f"{total:.2f}", "about": True,
            "quantity": str(quantity), "quantity_unit": "PCS", "unit_price": "2.15",
            "applicant": "ACME TRADING B.V., KEIZERSGRACHT 1, AMSTERDAM", "beneficiary": "NINGBO HOMEWARE CO., LTD.",
            "goods_description": "CERAMIC MUGS 350 ML", "incoterm": "CIF ROTTERDAM", "port_of_loading": "NINGBO",
            "port_of_discharge": "ROTTERDAM, NETHERLANDS", "latest_shipment_date": "2026-03-31",
            "expiry_date": "2026-04-25", "presentation_days": 21, "partial_shipments": "prohibited",
            "documents_required": ["commercial_invoice", "packing_list", "bill_of_lading", "insurance",
                                   "certificate_of_origin", "draft", "beneficiary_certificate"],
            "insurance_pct": "110",
        },
        "presentation_date": "2026-04-02",
        "bank_holidays": ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25"],
        "documents": {
            "commercial_invoice": {"issuer": "NINGBO HOMEWARE CO LTD", "made_out_to": "ACME TRADING BV",
                                   "currency": "USD", "lines": invoice_lines, "total": f"{total:.2f}",
                                   "packages": cartons, "gross_weight_kg": gross, "net_weight_kg": net,
                                   "marks": marks},
            "packing_list": {"packages": cartons, "gross_weight_kg": gross, "net_weight_kg": net, "cbm": "61.2",
                             "marks": marks},
            "bill_of_lading": {"carrier": "COSCO SHIPPING LINES", "signed": True, "on_board_date": "2026-03-21",
                               "vessel": "COSCO BELGIUM 026W", "port_of_loading": "NINGBO, CHINA",
                               "port_of_discharge": "ROTTERDAM", "packages": cartons, "gross_weight_kg": gross,
                               "cbm": "61.2", "marks": marks.lower(), "originals_issued": 3,
                               "originals_presented": 3, "shipment_sets": 1},
            "insurance": {"currency": "USD", "insured_amount": f"{total * Decimal('1.1'):.2f}", "date": "2026-03-20"},
            "certificate_of_origin": {"goods_description": "CERAMIC MUGS", "packages": cartons, "marks": marks,
                                      "signed": True},
            "draft": {"amount": f"{total:.2f}", "currency": "USD",
                      "amount_in_words": amount_in_words_en(total, "USD")},
            "beneficiary_certificate": {},
        },
    }


def discrepant(lines: int) -> dict:
    data = copy.deepcopy(presentation(lines))
    documents = data["documents"]
    data["presentation_date"] = "2026-04-14"
    documents["bill_of_lading"].update(signed=False, packages=documents["bill_of_lading"]["packages"] + 1)
    documents["packing_list"]["gross_weight_kg"] = "1.0"
    documents["packing_list"]["marks"] = "ACME PO-4712"
    documents["commercial_invoice"]["lines"][7]["amount"] = "1.00"
    documents["draft"]["amount_in_words"] = "SAY US DOLLARS ONE THOUSAND ONLY"
    return data


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.2f}  p95 {p95:7.2f}  max {ms[-1]:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    configure()
    from django.utils import translation

    from gendan.shipping.document_check import MAX_LINES, check_presentation

    translation.activate("zh-hans")  # the messages as most users read them
    without_credit = presentation(50)
    without_credit.pop("credit")
    cases = {
        "compliant, 50 invoice lines": presentation(50),
        "discrepant, 50 invoice lines": discrepant(50),
        f"compliant, {MAX_LINES} invoice lines": presentation(MAX_LINES),
        "no credit (单单一致), 50 lines": without_credit,
    }
    print(f"check_presentation ({args.runs} runs each)")
    for name, data in cases.items():
        result = check_presentation(data)
        found = ", ".join(sorted({d["code"] for d in result["discrepancies"]})) or "compliant"
        print(f"  {name:32} {summary(timed(lambda data=data: check_presentation(data), args.runs))}   {found}")


if __name__ == "__main__":
    main()
