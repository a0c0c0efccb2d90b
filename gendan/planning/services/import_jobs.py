"""Large progress sheets in the background: more rows than ``GENDAN_IMPORT_BACKGROUND_ROWS``
are checked (and, once confirmed, imported) by the task worker, not in the request, with an
``ImportJob`` that the import page polls for its progress and its result.

The upload is read and its cells typed in the request (within the safe workbook limits, a
matter of seconds); the check against the data and the saving run in the task
(``planning.tasks.progress_import_run``), which loads the job by id and calls
``import_job_run``. A job is claimed once (queued → running), so a task delivered twice does
the work once. The rules are those of the small sheets: every error at once, nothing saved
while any row is wrong.
"""

from __future__ import annotations

import dataclasses
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core.errors import BusinessError, ValidationFailed
from gendan.planning.models import ImportJob, ProgressImport
from gendan.planning.services.imports import (
    ImportRefused,
    RowError,
    progress_import_check,
    progress_import_confirm,
)

log = logging.getLogger("gendan.planning")


def background_rows() -> int:
    """A sheet of more rows than this is checked and imported by the task worker."""
    return int(getattr(settings, "GENDAN_IMPORT_BACKGROUND_ROWS", 2000))


def import_job_check_create(*, actor, file_name: str, digest: str, rows: list[dict],
                            errors: list[RowError]) -> ImportJob:
    """A job that checks the typed ``rows`` of an upload (``errors``: the cells that could not
    be read); the caller enqueues ``progress_import_run`` with its id."""
    return ImportJob.objects.create(
        kind=ImportJob.Kind.CHECK, file_name=file_name[:255], sha256=digest, rows=rows, rows_total=len(rows),
        errors=[dataclasses.asdict(e) for e in errors], created_by=actor, language=translation.get_language() or "")


def import_job_import_create(*, actor, token) -> ImportJob:
    """A job that imports the checked upload ``token`` (the user's own); an import of it
    already queued or running is returned instead of a second one."""
    with transaction.atomic():
        batch = ProgressImport.objects.select_for_update().filter(token=token, created_by=actor).first()
        if batch is None:
            raise ValidationFailed(_("This upload is unknown or not yours; upload the sheet again."))
        if batch.status == ProgressImport.Status.IMPORTED:
            raise ValidationFailed(_("This upload was already imported on %(when)s.") % {
                "when": batch.created_at.date().isoformat()})
        active = batch.jobs.filter(kind=ImportJob.Kind.IMPORT,
                                   status__in=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)).first()
        if active:
            return active
        return ImportJob.objects.create(
            kind=ImportJob.Kind.IMPORT, file_name=batch.file_name, sha256=batch.sha256, batch=batch,
            rows_total=len(batch.rows), created_by=actor, language=translation.get_language() or "")


def progress_import_rows(*, actor, token) -> int:
    """How many rows the upload ``token`` of ``actor`` holds (0 when unknown or not theirs)."""
    rows = ProgressImport.objects.filter(token=token, created_by=actor).values_list("rows", flat=True).first()
    return len(rows or [])


def import_job_get(*, actor, token) -> ImportJob | None:
    """The job ``token`` if ``actor`` started it (someone else's job is as unknown as a missing one)."""
    return ImportJob.objects.filter(token=token, created_by=actor).select_related("batch").first()


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Do the work of job ``job_id`` once: claim it (queued → running), check or import, and
    leave it done (with its errors, or its batch) or failed (nothing saved)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.select_related("created_by", "batch").filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if job.kind == ImportJob.Kind.CHECK:
                _run_check(job)
            else:
                _run_import(job)
        except BusinessError as exc:  # e.g. the uploader may no longer plan
            _finish(job, status=ImportJob.Status.FAILED, message=str(exc.message))
        except Exception:
            log.exception("progress import job %s failed", job.pk)
            _finish(job, status=ImportJob.Status.FAILED,
                    message=_("The import stopped unexpectedly; nothing was saved. Upload the sheet again."))
    job.refresh_from_db()
    return job


def _progress(job: ImportJob):
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done)
    return report


def _run_check(job: ImportJob) -> None:
    preview = progress_import_check(
        actor=job.created_by, file_name=job.file_name, digest=job.sha256, rows=job.rows,
        errors=[RowError(**e) for e in job.errors], on_progress=_progress(job))
    _finish(job, status=ImportJob.Status.DONE, errors=preview.errors, batch=preview.batch,
            message=_("All rows are correct (%(same)d already recorded as given).") % {"same": preview.unchanged}
            if preview.ok else "")


def _run_import(job: ImportJob) -> None:
    try:
        batch = progress_import_confirm(actor=job.created_by, token=job.batch.token)
    except ImportRefused as exc:
        _finish(job, status=ImportJob.Status.DONE, errors=exc.errors, message=str(exc.message))
        return
    except ValidationFailed as exc:  # unknown, or imported meanwhile: nothing saved
        _finish(job, status=ImportJob.Status.FAILED, message=str(exc.message))
        return
    _finish(job, status=ImportJob.Status.DONE, message=_(
        "Imported “%(name)s”: %(saved)d entries saved, %(same)d already recorded.") % {
            "name": batch.file_name, "saved": batch.imported_count, "same": batch.unchanged_count})


def _finish(job: ImportJob, *, status: str, message: str = "", errors: list[RowError] | None = None,
            batch: ProgressImport | None = None) -> None:
    fields = {"status": status, "message": message, "finished_at": timezone.now()}
    if status == ImportJob.Status.DONE:
        fields["rows_done"] = job.rows_total
    if errors is not None:
        fields["errors"] = [dataclasses.asdict(e) for e in errors]
    if batch is not None:
        fields["batch"] = batch
    ImportJob.objects.filter(pk=job.pk).update(**fields)
