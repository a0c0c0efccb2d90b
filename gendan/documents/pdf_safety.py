"""Active content in an uploaded PDF (issue 10, item 9).

A customer's PO, a B/L copy or a certificate is a page to read; a PDF that runs JavaScript when
opened (``/JS``, ``/JavaScript``), launches a program (``/Launch``), carries
files (``/EmbeddedFile``), Flash / 3D (``/RichMedia``) or an XFA form, or is an HTML page that
merely starts with ``%PDF-`` (a polyglot a browser would render as a page) is refused.

The scan reads the file's bytes and the content of its compressed streams (object streams hide
dictionaries inside ``FlateDecode`` data), decompressing each with a bound (``STREAM_LIMIT``,
``TOTAL_LIMIT``) so a decompression bomb cannot exhaust memory. Names written with ``#xx``
escapes (``/J#61vaScript``) are unescaped before matching. Nothing is executed or rendered.
"""

from __future__ import annotations

import re
import zlib

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# The PDF names of what makes a document act rather than be read. Triggers alone (``/OpenAction``
# with a page destination, ``/AA``) and links (``/URI``) are common in ordinary PDFs and harmless
# without one of these payloads.
ACTIVE_NAMES = {
    b"/JS": gettext_noop("JavaScript"), b"/JavaScript": gettext_noop("JavaScript"),
    b"/Launch": gettext_noop("a program launch"), b"/EmbeddedFile": gettext_noop("embedded files"),
    b"/EmbeddedFiles": gettext_noop("embedded files"), b"/RichMedia": gettext_noop("Flash / rich media"),
    b"/XFA": gettext_noop("an XFA form"), b"/SubmitForm": gettext_noop("a form that sends data"),
    b"/ImportData": gettext_noop("imported data"),
}
_NAME = re.compile(rb"/[A-Za-z0-9#]+")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_HTML = re.compile(rb"<\s*(html|head|body|script|iframe|object|embed|svg|meta|a\s+href)\b", re.I)
STREAM_LIMIT = 8 * 1024 * 1024  # uncompressed bytes read of one stream
TOTAL_LIMIT = 64 * 1024 * 1024  # of all streams of one file
MAX_STREAMS = 20_000


def _unescape(name: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)


def _names(data: bytes) -> set[bytes]:
    return {_unescape(m.group(0)) for m in _NAME.finditer(data)}


def _inflated(data: bytes) -> list[bytes]:
    """The decompressed content of the file's Flate streams, each and all bounded."""
    out, total = [], 0
    view, position = memoryview(data), 0
    for _stream in range(MAX_STREAMS):
        match = _STREAM.search(data, position)
        if match is None or total >= TOTAL_LIMIT:
            break
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        position = end + len(b"endstream")  # each byte is read once, however the markers are laid out
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(view[start:end], min(STREAM_LIMIT, TOTAL_LIMIT - total))
        except zlib.error:
            continue  # not Flate (an image, a font in another filter): nothing of ours to read
        total += len(chunk)
        out.append(chunk)
    return out


def active_content(data: bytes) -> list[str]:
    """What makes this PDF act (translated words, sorted), or [] for a PDF that is only read."""
    found = set()
    if _HTML.search(data[:65536]) or _HTML.search(data[-4096:]):
        found.add(_("HTML"))
    names = _names(data)
    for chunk in _inflated(data):
        names |= _names(chunk)
    for name, what in ACTIVE_NAMES.items():
        if name in names:
            found.add(_(what))
    return sorted(found)
