"""The font every PDF document is set in, shipped with the project and embedded in each PDF.

``GendanSansSC`` is a subset of Noto Sans CJK SC (SIL OFL 1.1, see ``fonts/OFL.txt``) with
TrueType outlines, built by ``scripts/build_pdf_font.py``: GB 2312 entire, ASCII, Latin-1,
punctuation and currency signs. It sets the English documents too, so no PDF refers to a
standard font the reader's machine would have to supply. reportlab embeds the glyphs a
document uses, and nothing else.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = "GendanSansSC"
BOLD = "GendanSansSC-Bold"
_FILES = {REGULAR: "GendanSansSC-Regular.ttf", BOLD: "GendanSansSC-Bold.ttf"}
_lock = threading.Lock()


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces with reportlab once per process; return their names."""
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD


def missing_characters(text: str) -> set[str]:
    """Return the characters of ``text`` the shipped font has no glyph for (they would print as boxes)."""
    register_fonts()
    char_to_glyph = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return {c for c in set(text) if c.isprintable() and not c.isspace() and ord(c) not in char_to_glyph}
