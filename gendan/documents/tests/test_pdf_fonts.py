"""The font shipped for the PDF documents: what it covers, that it is licensed, and what
happens to a character it lacks."""

from __future__ import annotations

import logging

from gendan.documents.pdf.fonts import FONT_DIR, missing_characters
from gendan.documents.pdf.layout import para


def _gb2312_hanzi() -> str:
    chars = []
    for high in range(0xB0, 0xF8):  # GB 2312 rows 16–87: the 6763 hanzi
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def test_every_gb2312_hanzi_and_the_document_symbols_have_a_glyph():
    hanzi = _gb2312_hanzi()
    assert len(hanzi) == 6763
    assert missing_characters(hanzi) == set()
    symbols = "人民币壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分零整（）：；，。、“”《》【】—…·×÷¥€£®©™°±№℃①"
    assert missing_characters(symbols + "ÄÖÜäöüßéèàçñ Incoterms® 2020 1,234.56") == set()


def test_the_fonts_are_shipped_small_with_their_licence():
    for name in ("GendanSansSC-Regular.ttf", "GendanSansSC-Bold.ttf"):
        path = FONT_DIR / name
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, which reportlab embeds
        assert path.stat().st_size < 4_000_000
    licence = (FONT_DIR / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence


def test_a_character_the_font_lacks_is_logged_not_fatal(caplog):
    with caplog.at_level(logging.WARNING, logger="gendan.documents.pdf.layout"):
        para("龘 Dragon Trading")
    assert "龘" in caplog.text and "build_pdf_font.py" in caplog.text
