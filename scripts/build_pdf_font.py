"""Build the fonts the PDF documents embed: a subset of Noto Sans CJK SC with TrueType outlines.

Why: a PI or 购销合同 must show its Chinese on the reader's machine, so the font is embedded in
the PDF. reportlab embeds TrueType (glyf) fonts only, and Noto Sans CJK ships CFF outlines, so
this script takes the Simplified Chinese face out of Debian's ``fonts-noto-cjk`` collection,
keeps the characters business documents use (all of GB 2312 — 6763 hanzi plus its symbols —
ASCII, Latin-1, punctuation, currency signs, a few extra name characters), converts the cubic
CFF outlines to quadratic TrueType outlines (fontTools' ``otf2ttf`` recipe) and renames the
family, as the SIL OFL asks of modified versions. reportlab subsets again per document, so a
PDF carries only the glyphs it prints.

Run on a machine with ``fonts-noto-cjk`` and the dev requirements (fontTools)::

    .venv/bin/python scripts/build_pdf_font.py            # writes gendan/documents/fonts/*.ttf
    .venv/bin/python scripts/build_pdf_font.py --check    # do the shipped files hold what a build would?

Nothing at run time needs this script, fontTools or the Debian package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "gendan" / "documents" / "fonts"
SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SOURCE_FAMILY = "Noto Sans CJK SC"
FAMILY = "Gendan Sans SC"  # the OFL asks derived fonts not to carry the original's name
FILE_STEM = "GendanSansSC"

# Curve approximation error in font units (1000 per em): invisible at document sizes and
# keeps the quadratic outlines small.
MAX_ERR = 1.0

# Characters outside GB 2312 that still turn up in company and personal names, addresses and
# trade documents. Extend here (and rebuild) rather than at run time.
EXTRA_CHARS = (
    "〇喆堃昇珺玥旻淼犇骉镕琍鑫垚焱燚嘉昊晟煜翀彧浛浚溧邗邕珙钜铖锜锟颀祎祐禕禛祺"
    "啰嗯噢瞭腈砼氙镓锂钴钛钼铌铍铱铑锆镝钕碲硒钯铼钒锰"
    "€£¥®©™°±×÷§¶·•…‰′″№℃℉Ω←↑→↓√∞≈≠≤≥①②③④⑤⑥⑦⑧⑨⑩"
    "‘’‚“”„–—―‐‑‒"
)


def wanted_codepoints(charset: str = "gb2312") -> set[int]:
    """Return the code points to keep: the Chinese character set entire (GB 2312 by default:
    6763 hanzi and its symbols; "gbk" adds 14 000 rarer and traditional hanzi for about 3.3 times
    the file size), ASCII, Latin-1, punctuation, currency signs and the extras above."""
    points: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    lead = range(0xA1, 0xF8) if charset == "gb2312" else range(0x81, 0xFF)
    trail = range(0xA1, 0xFF) if charset == "gb2312" else range(0x40, 0xFF)
    for high in lead:
        for low in trail:
            try:
                points.add(ord(bytes([high, low]).decode(charset)))
            except UnicodeDecodeError:
                continue
    points |= set(range(0x2010, 0x2028)) | set(range(0x2030, 0x205F))  # general punctuation
    points |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    points |= set(range(0xFF01, 0xFF5F)) | set(range(0xFFE0, 0xFFE7))  # fullwidth forms
    points |= {ord(c) for c in EXTRA_CHARS}
    return points


def _source_face(path: Path) -> TTFont:
    collection = TTCollection(str(path))
    for font in collection.fonts:
        if font["name"].getDebugName(1) == SOURCE_FAMILY:
            return font
    raise SystemExit(f"{path}: no face named {SOURCE_FAMILY!r}")


def _subset(font: TTFont, codepoints: set[int]) -> None:
    options = subset.Options()
    options.layout_features = []  # reportlab neither shapes nor kerns: no GSUB/GPOS needed
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x409]
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE", "GDEF", "GSUB", "GPOS", "JSTF", "MATH"]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def _cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table by quadratic glyf outlines (fontTools' otf2ttf snippet)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        # PostScript contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():  # left side bearing = xMin in TrueType
        advance, _lsb = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, attr, 0)
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyphs.values() if hasattr(g, "components")), default=0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and reportlab does not need them
    post.extraNames, post.mapping = [], {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont, style: str) -> None:
    name = font["name"]
    ps_name = f"{FILE_STEM}-{style}"
    version = name.getDebugName(5) or ""
    full_name = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    for name_id in (1, 3, 4, 6, 16, 17):
        name.removeNames(nameID=name_id)
    for name_id, value in {1: FAMILY, 3: f"{ps_name};{version}", 4: full_name, 6: ps_name}.items():
        name.setName(value, name_id, 3, 1, 0x409)


def licence_text(copyright_notice: str) -> str:
    """Return OFL.txt: the copyright notice, what was changed, and the SIL OFL 1.1 as Debian ships it."""
    lines = DEBIAN_COPYRIGHT.read_text("utf-8").splitlines()
    # The licence's own paragraph (not the "Files:" paragraphs that merely name it).
    start = next(i for i, line in enumerate(lines) if line == "License: SIL-1.1" and not lines[i - 1].strip()) + 1
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    return "\n".join([
        f"{FAMILY} (Regular, Bold) — {FILE_STEM}-Regular.ttf, {FILE_STEM}-Bold.ttf",
        "",
        f"A Modified Version of {SOURCE_FAMILY} (Noto Sans CJK version 2.004):",
        "subset to GB 2312 plus Latin and punctuation, outlines converted from CFF to TrueType,",
        "renamed. Built by scripts/build_pdf_font.py from Debian's fonts-noto-cjk.",
        "Noto is a trademark of Google Inc.",
        "",
        copyright_notice,
        "",
        *body,
        "",
    ])


def build(style: str, source: Path, codepoints: set[int]) -> TTFont:
    font = _source_face(source)
    _subset(font, codepoints)
    _cff_to_glyf(font)
    _rename(font, style)
    font.recalcTimestamp = False  # keep the source's dates: the same input builds the same bytes
    return font


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="build in memory and report coverage only")
    parser.add_argument("--charset", choices=["gb2312", "gbk"], default="gb2312",
                        help="Chinese characters to keep (default gb2312, what the committed fonts hold)")
    args = parser.parse_args(argv)
    codepoints = wanted_codepoints(args.charset)
    for style, source in SOURCES.items():
        if not source.exists():
            print(f"{source} is missing: apt-get install fonts-noto-cjk", file=sys.stderr)
            return 1
        font = build(style, source, codepoints)
        covered = set(font.getBestCmap())
        missing = sorted(codepoints - covered)
        print(f"{style}: {len(font.getGlyphOrder())} glyphs, {len(covered)} characters"
              + (f", {len(missing)} requested characters not in the source font" if missing else ""))
        target = args.out / f"{FILE_STEM}-{style}.ttf"
        if args.check:
            shipped = set(TTFont(str(target)).getBestCmap()) if target.exists() else set()
            if shipped != covered:
                print(f"  {target.name} differs: {len(covered - shipped)} characters missing from it, "
                      f"{len(shipped - covered)} extra", file=sys.stderr)
                return 1
            print(f"  {target.name} holds the same characters")
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        font.save(str(target))
        (args.out / "OFL.txt").write_text(licence_text(font["name"].getDebugName(0) or ""), "utf-8")
        print(f"  wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
              f" ({target.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
