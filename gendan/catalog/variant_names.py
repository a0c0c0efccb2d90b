"""Colour and size names in the document's language.

People type colours and sizes the way the factory speaks ("白", "深灰", "均码"); an English PI
must say "White", "Dark Grey", "One size". A name is printed as:

1. the company's own entry (``VariantName``: edited on the catalog's "Colour and size names" page);
2. else the built-in dictionary below — common colour words, with a shade in front ("深" dark,
   "浅" light …) and a "色" at the end understood;
3. else the name as typed.

For a Chinese document, a name typed in English ("Red") is turned back the same way, and a
Chinese name is printed as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COLOURS_EN: dict[str, str] = {
    "白": "White", "纯白": "Pure White", "米白": "Off-white", "象牙白": "Ivory", "乳白": "Milky White",
    "黑": "Black", "灰": "Grey", "银灰": "Silver Grey", "炭灰": "Charcoal", "蓝": "Blue", "天蓝": "Sky Blue",
    "宝蓝": "Royal Blue", "湖蓝": "Lake Blue", "藏青": "Navy", "藏蓝": "Navy", "海军蓝": "Navy",
    "红": "Red", "大红": "Bright Red", "酒红": "Wine Red", "玫红": "Rose Red", "绿": "Green",
    "墨绿": "Dark Green", "军绿": "Army Green", "橄榄绿": "Olive Green", "薄荷绿": "Mint Green",
    "黄": "Yellow", "姜黄": "Turmeric Yellow", "粉": "Pink", "粉红": "Pink", "紫": "Purple", "棕": "Brown",
    "咖啡": "Brown", "咖": "Brown", "褐": "Brown", "米": "Beige", "米黄": "Beige", "卡其": "Khaki",
    "橙": "Orange", "橘": "Orange", "桔": "Orange", "银": "Silver", "金": "Gold", "香槟": "Champagne",
    "透明": "Clear", "青": "Cyan", "杏": "Apricot", "驼": "Camel",
    "玫瑰金": "Rose Gold", "古铜": "Bronze", "铜": "Copper", "原木": "Natural Wood", "木": "Wood",
    "原色": "Natural", "本色": "Natural", "彩色": "Multicolour", "混色": "Assorted", "花色": "Assorted",
    "迷彩": "Camouflage",
}
SHADES_EN: dict[str, str] = {
    "深": "Dark", "浅": "Light", "淡": "Light", "亮": "Bright", "哑光": "Matte", "磨砂": "Frosted",
    "荧光": "Neon", "珠光": "Pearl",
}
SIZES_EN: dict[str, str] = {
    "均码": "One size", "统一尺码": "One size", "小号": "Small", "中号": "Medium", "大号": "Large",
    "加大": "Extra Large", "加大号": "Extra Large", "特大号": "Extra Large", "小": "Small", "中": "Medium",
    "大": "Large", "儿童": "Kids", "成人": "Adult", "标准": "Standard",
}
_DICTIONARIES = {"colour": COLOURS_EN, "size": SIZES_EN}
_CJK = re.compile(r"[\u3400-\u9fff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def dictionary_english(axis: str, name: str) -> str:
    """The built-in English for ``name`` ("" when the dictionary does not know it)."""
    name = (name or "").strip()
    words = _DICTIONARIES.get(axis, {})
    if not name or not has_cjk(name):
        return ""
    if name in words:
        return words[name]
    if axis != "colour":
        return ""
    base = name[:-1] if name.endswith("色") and len(name) > 1 else name
    if base in words:
        return words[base]
    for shade, shade_en in sorted(SHADES_EN.items(), key=lambda kv: -len(kv[0])):
        if base.startswith(shade) and base[len(shade):] in words:
            return f"{shade_en} {words[base[len(shade):]]}"
    return ""


def _dictionary_chinese(axis: str, name: str) -> str:
    wanted = (name or "").strip().casefold()
    for zh, en in _DICTIONARIES.get(axis, {}).items():
        if en.casefold() == wanted:
            return zh
    return ""


class VariantNames:
    """Prints colour and size names in one language; reads the company's entries once::

        names = VariantNames.load(["白", "Red"], ["M", "均码"], lang="en")
        names.colour("白") -> "White"
    """

    def __init__(self, entries: dict[tuple[str, str], str], lang: str):
        self.entries = entries  # (axis, name as typed) -> English
        self.lang = lang
        self._reverse = {(axis, en.casefold()): name for (axis, name), en in entries.items()}

    @classmethod
    def load(cls, colours: Iterable[str], sizes: Iterable[str], *, lang: str) -> VariantNames:
        from django.db.models import Q

        from gendan.catalog.models import VariantName

        colours, sizes = {c for c in colours if c}, {s for s in sizes if s}
        if not colours and not sizes:
            return cls({}, lang)
        query = Q(axis="colour", name__in=colours) | Q(axis="size", name__in=sizes)
        if lang == "zh":  # a name typed in English is looked up by its English name
            query |= Q(axis="colour", name_en__in=colours) | Q(axis="size", name_en__in=sizes)
        entries = {(v.axis, v.name): v.name_en for v in VariantName.objects.filter(query)}
        return cls(entries, lang)

    def name(self, axis: str, name: str) -> str:
        if self.lang != "zh":
            if not has_cjk(name):
                return name
            return self.entries.get((axis, name)) or dictionary_english(axis, name) or name
        if has_cjk(name) or not name:
            return name
        return self._reverse.get((axis, name.strip().casefold())) or _dictionary_chinese(axis, name) or name

    def colour(self, name: str) -> str:
        return self.name("colour", name)

    def size(self, name: str) -> str:
        return self.name("size", name)

    def cells(self, cells: Iterable[tuple[str, str, object]]) -> list[tuple[str, str, object]]:
        """(colour, size, quantity) cells with the names in this language."""
        return [(self.colour(c), self.size(s), q) for c, s, q in cells]


def translate_cells(cells: list[tuple[str, str, object]], *, lang: str) -> list[tuple[str, str, object]]:
    """``cells`` — (colour, size, quantity) — with colour and size names in ``lang`` ("en" / "zh")."""
    names = VariantNames.load((c for c, _s, _q in cells), (s for _c, s, _q in cells), lang=lang)
    return names.cells(cells)
