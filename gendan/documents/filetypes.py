"""What a file really is, read from its content — never from its name. One place for every upload
that must be a real document (the customer's written order first of all).

``sniff(file)`` returns one of the kinds below, or None for a file it does not recognise:

- ``pdf``: starts with ``%PDF-`` and has ``%%EOF`` near its end (a PDF cut short has none);
- ``jpeg`` ``png`` ``gif`` ``webp`` ``tiff`` ``bmp``: an image Pillow opens and verifies (without
  Pillow: its magic bytes);
- ``eml``: an e-mail message (RFC 5322) with ``From`` and ``Date`` headers and a body;
- ``ole``: an OLE compound file (magic ``D0 CF 11 E0 A1 B1 1A E1``) — an Outlook ``.msg``, a
  legacy Word ``.doc`` or Excel ``.xls``;
- ``docx`` ``xlsx`` ``pptx``: a zip with ``[Content_Types].xml`` and the application's folder
  (only the zip's directory is read, nothing is extracted);
- ``text``: plain text (UTF-8 or GB 18030, no NUL bytes).

``describe(file)`` says in the reader's language what the content is, for a refusal's message
("plain text", "a damaged PDF (its end is missing)").
"""

from __future__ import annotations

import zipfile
from email import message_from_bytes
from email.message import Message

from django.utils.translation import gettext as _

PDF, JPEG, PNG, GIF, WEBP, TIFF, BMP = "pdf", "jpeg", "png", "gif", "webp", "tiff", "bmp"
EML, OLE, DOCX, XLSX, PPTX, TEXT = "eml", "ole", "docx", "xlsx", "pptx", "text"

IMAGE_KINDS = {JPEG, PNG, GIF, WEBP, TIFF, BMP}
OFFICE_KINDS = {OLE, DOCX, XLSX, PPTX}
# What counts as a document a customer sends: a PDF, a scan or photo, an e-mail, an Office file.
DOCUMENT_KINDS = {PDF, JPEG, PNG, GIF, WEBP, TIFF, EML, OLE, DOCX, XLSX}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_MIN_BYTES = 1536  # the header sector, one FAT sector, one directory sector
_ZIP_MAGIC = b"PK\x03\x04"
_IMAGE_MAGIC = [
    (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"GIF87a", GIF), (b"GIF89a", GIF),
    (b"II*\x00", TIFF), (b"MM\x00*", TIFF), (b"BM", BMP),
]
_PIL_KINDS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP, "TIFF": TIFF, "BMP": BMP}
_OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
HEAD_BYTES = 8192
TAIL_BYTES = 1024  # "%%EOF" is looked for in the last kilobyte, as readers do
EML_READ_BYTES = 1024 * 1024  # headers and the start of the body are enough to know an e-mail


def _read(file, *, start: int = 0, size: int = -1, from_end: bool = False) -> bytes:
    try:
        if from_end:
            file.seek(0, 2)
            end = file.tell()
            file.seek(max(end - size, 0))
        else:
            file.seek(start)
        return file.read(size)
    finally:
        file.seek(0)


def file_size(file) -> int:
    """The size in bytes of an uploaded or stored file (seeking to its end when it does not say)."""
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def image_kind(file) -> str | None:
    """The kind of an image Pillow opens and verifies, or None. Without Pillow: by magic bytes."""
    try:
        from PIL import Image, UnidentifiedImageError  # optional: requirements.txt has it
    except ImportError:  # pragma: no cover - Pillow is installed with Gendan
        return _image_magic(_read(file, size=16))
    try:
        file.seek(0)
        with Image.open(file) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
    return _PIL_KINDS.get(fmt or "")


def _image_magic(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return next((kind for magic, kind in _IMAGE_MAGIC if head.startswith(magic)), None)


def ooxml_names(file) -> set[str] | None:
    """The part names of an Office Open XML file (a zip with ``[Content_Types].xml``), read from
    the zip's central directory without extracting anything; None when it is not one."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    return names if "[Content_Types].xml" in names else None


def _ooxml_kind(file) -> str | None:
    names = ooxml_names(file)
    if names is None:
        return None
    for folder, kind in _OOXML_FOLDERS.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def _has_body(message: Message) -> bool:
    if message.is_multipart():
        return any(_has_body(part) for part in message.get_payload() if isinstance(part, Message))
    payload = message.get_payload(decode=True) or b""
    return bool(payload.strip())


def is_email(data: bytes) -> bool:
    """An RFC 5322 message: ``From`` and ``Date`` headers, then a body that is not empty."""
    if b"\x00" in data[:HEAD_BYTES]:
        return False
    try:
        message = message_from_bytes(data)
        return bool(message.get("From") and message.get("Date") and _has_body(message))
    except (RecursionError, ValueError, LookupError):  # nested a thousand deep, or a broken charset
        return False


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
            continue
        return True
    return False


def _identify(file) -> tuple[str | None, str]:
    """(kind, what it is in words) — the words only matter when the kind is None."""
    head = _read(file, size=HEAD_BYTES)
    if not head:
        return None, _("an empty file")
    if head.lstrip(b"\r\n\t \xef\xbb\xbf")[:5] == b"%PDF-":
        if b"%%EOF" in _read(file, size=TAIL_BYTES, from_end=True):
            return PDF, ""
        return None, _("a damaged PDF (its end is missing)")
    magic = _image_magic(head[:16])
    if magic:
        kind = image_kind(file)
        if kind:
            return kind, ""
        if magic != BMP:  # "BM" also starts many a text: look further
            return None, _("a damaged image")
    if head.startswith(OLE_MAGIC):
        if file_size(file) >= OLE_MIN_BYTES:
            return OLE, ""
        return None, _("a damaged Outlook or Office file")
    if head.startswith(_ZIP_MAGIC):
        kind = _ooxml_kind(file)
        return (kind, "") if kind else (None, _("a zip archive, not an Office document"))
    if is_email(_read(file, size=EML_READ_BYTES)):
        return EML, ""
    if _is_text(head):
        return TEXT, _("plain text")
    return None, _("of a type Gendan does not recognise")


def sniff(file) -> str | None:
    """Return what ``file`` (a binary file object: an upload, a stored file) really is — one of
    the kinds of this module — or None. Reads its first 8 KB, its last 1 KB and, for an Office
    file, the zip's directory; leaves it at position 0."""
    return _identify(file)[0]


def describe(file) -> str:
    """What the content of ``file`` is, in the reader's language ("plain text", "a PDF" …)."""
    kind, words = _identify(file)
    return words or kind_label(kind)


def kind_label(kind: str | None) -> str:
    labels = {
        PDF: _("a PDF"), EML: _("an e-mail message"), OLE: _("an Outlook message or Office file"),
        DOCX: _("a Word document"), XLSX: _("an Excel workbook"), PPTX: _("a PowerPoint presentation"),
        TEXT: _("plain text"),
    }
    if kind in IMAGE_KINDS:
        return _("an image (%(format)s)") % {"format": kind.upper()}
    return labels.get(kind, _("of a type Gendan does not recognise"))
