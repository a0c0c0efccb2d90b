"""Attaching and removing files. Type and size are checked on the content, not the name alone
(what a file really is: ``documents.filetypes``)."""

from __future__ import annotations

import hashlib
import os
from email import message_from_bytes

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.events import choice, event_record
from gendan.core.guards import OK, Check, no, refuse
from gendan.core.models import Event
from gendan.documents import events, filetypes
from gendan.documents.errors import DocumentsError
from gendan.documents.models import Attachment
from gendan.documents.pdf_safety import active_content

IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
               "webp": "image/webp", "tif": "image/tiff", "tiff": "image/tiff", "bmp": "image/bmp"}
# What the content of an image must be for its name's type (documents.filetypes reads it).
_IMAGE_KINDS = {"image/jpeg": filetypes.JPEG, "image/png": filetypes.PNG, "image/gif": filetypes.GIF,
                "image/webp": filetypes.WEBP, "image/tiff": filetypes.TIFF, "image/bmp": filetypes.BMP}
OTHER_TYPES = {
    "pdf": "application/pdf",
    "eml": "message/rfc822",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "doc": "application/msword",
    "msg": "application/vnd.ms-outlook",  # an Outlook message (a customer's order e-mail saved from Outlook)
    "txt": "text/plain",
    "csv": "text/csv",
}
ALLOWED_TYPES = {**IMAGE_TYPES, **OTHER_TYPES}


def _head(upload: UploadedFile, n: int = 4096) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=DocumentsError.BAD_FILE, fields={"file": message})


def validate_upload(upload: UploadedFile, *, image_only: bool = False) -> str:
    """Return the MIME type of an acceptable upload; raise ``ValidationFailed`` otherwise.

    Limits: 20 MB; known extensions; and the content must really be what the name says
    (an image that Pillow can open, a PDF that starts with %PDF-, an Office zip …).
    """
    limit = settings.GENDAN_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size <= 0:
        raise _bad(_("The file is empty."))
    if upload.size > limit:
        raise _bad(_("The file is %(size)s; the limit is %(limit)s.")
                   % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    allowed = IMAGE_TYPES if image_only else ALLOWED_TYPES
    if ext not in allowed:
        raise _bad(_("Files of type “.%(ext)s” are not accepted. Accepted: %(list)s.")
                   % {"ext": ext or "?", "list": ", ".join(sorted(allowed))})
    mime = allowed[ext]
    head = _head(upload)
    if mime in _IMAGE_KINDS:
        kind = filetypes.image_kind(upload)
        if kind is None:
            raise _bad(_("“%(name)s” is not a readable image.") % {"name": upload.name})
        if kind != _IMAGE_KINDS[mime]:
            raise _bad(_("“%(name)s” is not really a %(ext)s image.") % {"name": upload.name, "ext": ext})
    elif mime == "application/pdf":
        if not head.lstrip()[:5] == b"%PDF-":
            raise _bad(_("“%(name)s” is not a PDF file.") % {"name": upload.name})
        upload.seek(0)
        active = active_content(upload.read())
        upload.seek(0)
        if active:
            raise _bad(_("“%(name)s” contains %(what)s: a PDF that runs or carries content cannot be accepted. "
                         "Print it to a plain PDF or scan it, and upload that.")
                       % {"name": upload.name, "what": ", ".join(active)})
    elif ext in ("xlsx", "docx"):
        if filetypes.ooxml_names(upload) is None:
            raise _bad(_("“%(name)s” is not a valid Office file.") % {"name": upload.name})
    elif ext in ("xls", "doc", "msg"):
        if not head.startswith(filetypes.OLE_MAGIC):
            raise _bad(_("“%(name)s” is not a valid Office file.") % {"name": upload.name})
    elif ext == "eml":
        msg = message_from_bytes(head)
        if not (msg.get("From") or msg.get("Subject") or msg.get("Date")):
            raise _bad(_("“%(name)s” is not an email message (.eml).") % {"name": upload.name})
    elif ext in ("txt", "csv"):
        if b"\x00" in head:
            raise _bad(_("“%(name)s” is not a text file.") % {"name": upload.name})
    return mime


def _owner_number(owner: models.Model) -> str:
    for attr in ("number", "code"):
        value = getattr(owner, attr, "")
        if value:
            return str(value)
    return f"{owner._meta.model_name}-{owner.pk}"


def attachment_store_generated(*, actor, owner: models.Model, name: str, mime: str, content: bytes,
                               description: str) -> Attachment:
    """Store a file Gendan made (a document's PDF, a workbook) among ``owner``'s files, archived
    by its number like an upload and downloaded through the same scoped view. No event of its
    own: the service that made it records its step. If the row cannot be written, the stored
    file is removed again."""
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk, owner_number=_owner_number(owner),
        kind=Attachment.Kind.OTHER, original_name=name, mime_type=mime, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor, description=description)
    attachment.file.save(name, ContentFile(content), save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:  # the row was not written: do not leave the file behind
        attachment.file.storage.delete(stored)
        raise
    return attachment


def attachment_add(
    *, actor, owner: models.Model, upload: UploadedFile, kind: str = Attachment.Kind.OTHER, description: str = "",
    change_perm: str | None = None,
) -> Attachment:
    """Check and store ``upload`` on ``owner`` (already fetched through its scoped selector)."""
    if not actor.has_perm("documents.add_attachment") or (change_perm and not actor.has_perm(change_perm)):
        raise NotAllowed(_("Your role may not attach files here."))
    if kind not in Attachment.Kind.values:
        raise ValidationFailed(_("Unknown attachment kind."), fields={"kind": _("Choose a kind from the list.")})
    mime = validate_upload(upload, image_only=(kind == Attachment.Kind.PHOTO))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        owner_number=_owner_number(owner),
        kind=kind,
        original_name=os.path.basename(upload.name or "file")[:255],
        mime_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description[:200],
        uploaded_by=actor,
    )
    with transaction.atomic():
        attachment.file.save(upload.name or "file", upload, save=False)
        try:
            attachment.save()
            event_record(actor=actor, obj=owner, verb=Event.Verb.ATTACHED, kind=events.ATTACHED,
                         params={"kind": choice(Attachment, "kind", attachment.kind), "name": attachment.original_name})
        except Exception:  # the row was not written: do not leave the file behind
            attachment.file.delete(save=False)
            raise
    return attachment


def _describe_use(obj: models.Model) -> str:
    """One record that keeps a file, in the reader's words: the model's own ``attachment_use()``
    ("the written confirmation of order SO2603-0001, revision 0"), else its name and number."""
    describe = getattr(obj, "attachment_use", None)
    if callable(describe):
        return str(describe())
    return f"{obj._meta.verbose_name} {obj}"


def attachment_uses(attachment: Attachment) -> list[str]:
    """What uses the file and forbids removing it (the records whose foreign key PROTECTs it),
    found the way the delete would find them, without deleting anything."""
    collector = Collector(using=router.db_for_write(Attachment))
    try:
        collector.collect([attachment])
    except (ProtectedError, RestrictedError) as exc:
        objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        return sorted({_describe_use(obj) for obj in objects})
    return []


def _in_use(attachment: Attachment, uses: list[str]) -> Check:
    return no(DocumentsError.FILE_IN_USE, _("“%(name)s” cannot be removed: it is %(uses)s. A file a record "
                                            "relies on is kept.") % {
        "name": attachment.original_name, "uses": "; ".join(uses)})


def attachment_remove_check(attachment: Attachment) -> Check:
    """May the file be removed now — the page's confirmation and the service ask the same."""
    uses = attachment_uses(attachment)
    return _in_use(attachment, uses) if uses else OK


def attachment_remove(*, actor, attachment: Attachment, owner: models.Model, change_perm: str | None = None,
                      reason: str = "") -> None:
    if not actor.has_perm("documents.delete_attachment") or (change_perm and not actor.has_perm(change_perm)):
        raise NotAllowed(_("Your role may not remove files here."))
    with transaction.atomic():
        refuse(attachment_remove_check(attachment))
        params = {"kind": choice(Attachment, "kind", attachment.kind), "name": attachment.original_name}
        stored = attachment.file.name
        try:
            with transaction.atomic():
                attachment.delete()
        except (ProtectedError, RestrictedError):  # taken into use since the check: the same refusal
            refuse(attachment_remove_check(attachment))
            raise
        event_record(actor=actor, obj=owner, verb=Event.Verb.DETACHED, kind=events.DETACHED, params=params,
                     reason=reason)
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))


def attachments_for(owner: models.Model):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    ).select_related("uploaded_by")
