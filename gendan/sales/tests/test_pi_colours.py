"""Documents follow the customer's language down to the variant: an English PI prints the colour
typed as 白 as "White" (the company's own name for it if one is set), a Chinese contract prints 白."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from gendan.catalog.models import VariantName
from gendan.sales.tests import test_pdf as pdf_tests
from gendan.sales.tests.test_pdf import confirmed_order, issue, pdf_text

people = pdf_tests.people  # the fixtures of the PDF tests
export_customer = pdf_tests.export_customer
domestic_customer = pdf_tests.domestic_customer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

LINES = [{"description": "Ceramic mug 350 ml", "unit_price": Decimal("1.235"),
          "cells": [{"colour": "白", "size": "均码", "quantity": "600"},
                    {"colour": "深灰色", "size": "均码", "quantity": "300"},
                    {"colour": "蓝", "size": "均码", "quantity": "100"},
                    {"colour": "珊瑚", "size": "均码", "quantity": "50"}]}]


def test_an_english_pi_prints_the_colours_in_english(people, export_customer):
    order = confirmed_order(people, export_customer, LINES)

    _document, path = issue(people, order, "pi", "pi-colours-en")
    text = pdf_text(path)

    assert "White" in text and "Dark Grey" in text and "Blue" in text and "One size" in text
    assert not {"白", "深灰色", "蓝", "均码"} & set(text.split())
    assert "珊瑚" in text  # a colour nobody named in English yet: printed as typed, never dropped


def test_the_companys_own_english_name_wins_over_the_dictionary(people, export_customer):
    VariantName.objects.create(axis="colour", name="蓝", name_en="Royal Blue")
    VariantName.objects.create(axis="colour", name="珊瑚", name_en="Coral")
    order = confirmed_order(people, export_customer, LINES)

    text = pdf_text(issue(people, order, "pi", "pi-colours-own")[1])

    assert "Royal Blue" in text and "Coral" in text and "珊瑚" not in text


def test_a_chinese_contract_prints_the_chinese_names(people, domestic_customer):
    lines = [{**LINES[0], "cells": [*LINES[0]["cells"], {"colour": "Red", "size": "均码", "quantity": "10"}]}]
    order = confirmed_order(people, domestic_customer, lines)

    text = pdf_text(issue(people, order, "contract", "contract-colours-zh")[1])

    assert "白" in text and "深灰色" in text and "均码" in text
    assert "White" not in text and "One size" not in text
    assert "红" in text and "Red" not in text  # typed in English, printed in Chinese

