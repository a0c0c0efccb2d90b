"""Chinese first, English complete: every user-facing string in the code has its Chinese text,
and the compiled catalogue the server loads is the one in the .po file."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "gendan" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(text: str) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries = []
    for block in text.split("\n\n"):
        entry: dict = {"flags": "", "_keys": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if m:
                key = m.group(1)
                entry.setdefault(key, "")
                entry[key] += m.group(2)
                if key.startswith("msgstr"):
                    entry["_keys"].append(key)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        if "msgid" in entry and entry["msgid"]:
            entries.append(entry)
    return entries


def _unescape(s: str) -> str:
    # the PO escapes (\" \\ \n \t) only: a round trip through latin-1 broke on a msgid with both an
    # escape and a non-ASCII character ("\"about\" (±10 %)")
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s) \
        if "\\" in s else s


def test_every_string_has_a_chinese_translation():
    untranslated = [e["msgid"] for e in _entries(PO.read_text("utf-8"))
                    if "fuzzy" in e["flags"] or not all(e[k] for k in e["_keys"])]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for entry in _entries(PO.read_text("utf-8")):
        msgid = _unescape(entry["msgid"])
        if "msgid_plural" in entry:
            continue
        if "msgctxt" in entry:  # a word that reads differently in one place ("material": 物料 in purchasing)
            assert catalogue.pgettext(_unescape(entry["msgctxt"]), msgid) == _unescape(entry["msgstr"]), msgid
            continue
        assert catalogue.gettext(msgid) == _unescape(entry["msgstr"]), msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed (apt-get install gettext)")
def test_no_string_in_the_code_is_missing_from_the_po_file(tmp_path):
    """Re-extract the strings into a copy of the catalogue: nothing new may appear untranslated."""
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO, copy / "django.po")
    script = (
        "import django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gendan.settings.test');"
        "django.setup();"
        "from django.conf import settings;"
        f"settings.LOCALE_PATHS = [{str(tmp_path / 'locale')!r}];"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['zh_Hans'], no_location=True, verbosity=0,"
        " ignore_patterns=['.venv', 'var', 'tests', '*/tests/*', 'test-artifacts', 'locale'])"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    new = _entries((copy / "django.po").read_text("utf-8"))
    missing = [e["msgid"] for e in new if not all(e[k] for k in e["_keys"]) or "fuzzy" in e["flags"]]
    assert missing == [], f"run `make messages` and translate: {missing[:20]}"


def test_translation_functions_use_names_makemessages_knows():
    """makemessages only extracts ``_``, ``gettext``, ``gettext_lazy`` …: a string wrapped in an alias
    such as ``_lazy`` is silently left out of the catalogue and shows in English to Chinese users."""
    pattern = re.compile(r"import\s+(?:[\w, ]*\b)?(gettext_lazy|gettext|ngettext|ngettext_lazy|pgettext|pgettext_lazy)"
                         r"\s+as\s+(\w+)")
    offenders = []
    for path in (ROOT / "gendan").rglob("*.py"):
        for match in pattern.finditer(path.read_text("utf-8")):
            if match.group(2) != "_":
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)} as {match.group(2)}")
    assert offenders == []
