"""The printed production order: Chinese title and amounts in capitals, the BOM, sign-off and
distribution, with the CJK font embedded (checked with poppler's pdftotext / pdffonts)."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal

import pytest

from gendan.production import services
from gendan.production.bom import bill_of_materials
from gendan.production.pdf import render_production_order
from gendan.production.selectors import production_order_get_for_user

pytestmark = pytest.mark.django_db
poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "po.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_bom_multiplies_the_catalog_bom_by_the_line_quantity_with_scrap(people, order_with_mug):
    po = production_order_get_for_user(user=people.planner, pk=order_with_mug.production_orders.get().pk)
    rows = {row.component.code: row for row in bill_of_materials(po)}
    assert rows["HDL-01"].gross == Decimal("1020")  # 1000 × 1 × 1.02
    assert rows["GLZ-RED"].gross == Decimal("13.125")  # 1000 × 0.0125 × 1.05 kg
    assert rows["CTN-24"].gross == Decimal("42")  # 41.7 cartons: whole ones, rounded up
    assert [r.component.code for r in bill_of_materials(po)][-2:] == ["BOX-01", "CTN-24"]  # packing last


@poppler
def test_the_issued_contract_is_chinese_with_capitals_and_an_embedded_font(people, order_with_mug, tmp_path):
    po = order_with_mug.production_orders.get()
    line = po.lines.get(order_line__line_no=1)
    box = po.lines.get(order_line__line_no=2)
    services.production_order_update(actor=people.planner, production_order_id=po.pk, lines={
        line.pk: {"unit_cost": "1.2345"}, box.pk: {"unit_cost": "0.50"}})
    po = services.production_order_issue(actor=people.planner, production_order_id=po.pk)
    pdf = po.pdf.open("rb").read()
    text = _text(pdf, tmp_path)
    assert "购销合同" in text and po.number in text
    assert "人民币壹仟贰佰叁拾陆元整" in text.replace(" ", "")  # 1234.50 + 1.50
    assert "物料清单" in text and "HDL-01" in text and "1,020" in text
    assert "签字部门" in text and "品质主管" in text and "分发部门" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "po.pdf")], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    if os.environ.get("GENDAN_KEEP_PDF"):  # for a look: GENDAN_KEEP_PDF=/tmp/x.pdf
        with open(os.environ["GENDAN_KEEP_PDF"], "wb") as fh:
            fh.write(pdf)


@poppler
def test_an_own_workshop_gets_a_production_notice_without_prices(people, workshop, mug, tmp_path):
    from gendan.production.tests.conftest import due, release
    from gendan.sales.tests.conftest import make_confirmed

    order = release(people, make_confirmed(people), [{"supplier": workshop, "due_date": due(20)}])
    po = production_order_get_for_user(user=people.planner, pk=order.production_orders.get().pk)
    text = _text(render_production_order(production_order=po), tmp_path)
    assert "生产通知单" in text and "大写" not in text and "单价" not in text
