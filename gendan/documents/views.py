from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gendan.core.errors import BusinessError
from gendan.documents import services
from gendan.documents.forms import AttachmentForm
from gendan.documents.models import Attachment
from gendan.documents.registry import owner_change_perm, owner_get_for_user

log = logging.getLogger("gendan.documents")


def _owner_label(attachment: Attachment) -> str:
    ct = attachment.content_type
    return f"{ct.app_label}.{ct.model}"


@login_required
@require_POST
def attachment_upload(request, owner_type: str, owner_id: int):
    owner = owner_get_for_user(user=request.user, model_label=owner_type, pk=owner_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, owner=owner, upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"], description=form.cleaned_data["description"],
                change_perm=owner_change_perm(owner_type),
            )
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(owner.get_absolute_url() + "#attachments")


def _attachment_for_user(request, pk: int) -> tuple[Attachment, object]:
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    # The owner's own scoped getter decides: no access to the owner, no file (same 404).
    owner = owner_get_for_user(user=request.user, model_label=_owner_label(attachment), pk=attachment.object_id)
    if not request.user.has_perm("documents.view_attachment"):
        raise Http404
    return attachment, owner


def open_stored(request, field_file, *, name: str):
    """Open a stored file for a download, or return the 404 page saying that the file is missing
    from storage (lost or not restored from a backup) — never a FileNotFoundError (500)."""
    try:
        return field_file.open("rb")
    except OSError:
        log.error("Stored file missing: %s (%s)", field_file.name, name)
        message = _("The file “%(name)s” is missing from the file storage. Ask the administrator to restore it "
                    "from the backup.") % {"name": name}
        return render(request, "404.html", {"message": message}, status=404)


@login_required
def attachment_download(request, pk: int):
    attachment, _owner = _attachment_for_user(request, pk)
    inline = attachment.is_image or attachment.mime_type == "application/pdf"
    stored = open_stored(request, attachment.file, name=attachment.original_name)
    if isinstance(stored, HttpResponse):
        return stored
    response = FileResponse(stored, as_attachment=not inline,
                            filename=attachment.original_name, content_type=attachment.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk: int):
    """GET asks first: what the file is, and — when a record relies on it (an order's written
    confirmation) — why it cannot be removed; POST removes it (the service checks the same)."""
    attachment, owner = _attachment_for_user(request, pk)
    if request.method == "GET":
        change_perm = owner_change_perm(_owner_label(attachment))
        may_delete = request.user.has_perm("documents.delete_attachment") and (
            not change_perm or request.user.has_perm(change_perm))
        return render(request, "documents/attachment_delete.html", {
            "attachment": attachment, "owner": owner, "may_delete": may_delete,
            "check": services.attachment_remove_check(attachment) if may_delete else None,
            "back_url": owner.get_absolute_url() + "#attachments"})
    try:
        services.attachment_remove(actor=request.user, attachment=attachment, owner=owner,
                                   change_perm=owner_change_perm(_owner_label(attachment)),
                                   reason=request.POST.get("reason", ""))
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("File removed."))
    return redirect(owner.get_absolute_url() + "#attachments")


def owner_type_of(obj) -> str:
    ct = ContentType.objects.get_for_model(obj)
    return f"{ct.app_label}.{ct.model}"
