"""A large progress sheet is checked and imported by the task worker (the tests run tasks at
once), with a job whose page shows the progress, polling every 2 s, and then the result: the
confirm button, every row error, or the entries saved. Small sheets stay in the request."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from gendan.planning.models import ImportJob, ProgressEntry, ProgressImport
from gendan.planning.services import import_jobs, imports
from gendan.planning.tests.test_imports import good_rows, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.dates, pytest.mark.usefixtures("_large_is_three_rows")]


@pytest.fixture
def _large_is_three_rows():
    with override_settings(GENDAN_IMPORT_BACKGROUND_ROWS=3):
        yield


def test_a_large_sheet_is_checked_then_imported_in_the_background(people, production_order, mug_line, client_for):
    client = client_for(people.planner)
    response = client.post(reverse("planning:import_upload"), {"file": sheet(good_rows(production_order))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("planning:import_job", args=[job.token])
    assert (job.kind, job.status, job.rows_done, job.rows_total) == ("check", "done", 4, 4)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="done"' in html and "hx-trigger" not in html
    assert "All rows are correct (0 already recorded as given)." in html and 'data-testid="confirm"' in html
    assert ProgressEntry.objects.count() == 0  # nothing before the confirmation

    confirmed = client.post(reverse("planning:import_confirm", args=[job.batch.token]))
    importing = ImportJob.objects.get(kind="import")
    assert confirmed["Location"] == reverse("planning:import_job", args=[importing.token])
    assert importing.status == "done" and importing.batch == job.batch
    assert ProgressEntry.objects.count() == 4 and ProgressImport.objects.get().status == "imported"
    html = client.get(confirmed["Location"]).content.decode()
    assert "4 entries saved, 0 already recorded" in html and 'data-testid="imported"' in html


def test_every_error_of_a_large_sheet_is_on_its_job_page(people, production_order, client_for):
    rows = good_rows(production_order)
    rows[0][3] = "yesterday"
    rows[1][2] = "welding"
    rows[3][0] = "MO-NOPE"
    client = client_for(people.planner)
    response = client.post(reverse("planning:import_upload"), {"file": sheet(rows)})
    job = ImportJob.objects.get()
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "日期"), (3, "工序"), (5, "生产单号")]
    html = client.get(response["Location"]).content.decode()
    assert "Nothing can be imported until these 3 problems are corrected:" in html
    assert "<td>3</td><td>工序</td>" in html and 'data-testid="confirm"' not in html
    assert job.batch is None and ProgressImport.objects.count() == 0 and ProgressEntry.objects.count() == 0


def test_the_job_page_polls_its_progress_until_the_job_is_finished(people, production_order, client_for):
    rows, errors, digest = imports.progress_import_read(upload=sheet(good_rows(production_order)))
    job = import_jobs.import_job_check_create(actor=people.planner, file_name="进度.xlsx", digest=digest,
                                              rows=rows, errors=errors)
    client = client_for(people.planner)
    url = reverse("planning:import_job", args=[job.token])
    queued = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in queued and "Waiting for the worker" in queued
    ImportJob.objects.filter(pk=job.pk).update(status="running", rows_done=2)
    fragment = client.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'hx-trigger="every 2s"' in html
    assert "2 of 4 rows checked" in html and 'value="50"' in html
    assert client_for(people.manager).get(url).status_code == 404  # someone else's job is unknown


def test_the_check_reports_its_progress_part_by_part_and_runs_once(people, production_order, monkeypatch):
    monkeypatch.setattr(imports, "CHECK_PART_ROWS", 1)
    seen = []
    original = import_jobs._progress

    def recording(job):
        report = original(job)
        return lambda done: (seen.append(done), report(done))
    monkeypatch.setattr(import_jobs, "_progress", recording)
    rows, errors, digest = imports.progress_import_read(upload=sheet(good_rows(production_order)))
    job = import_jobs.import_job_check_create(actor=people.planner, file_name="进度.xlsx", digest=digest,
                                              rows=rows, errors=errors)
    done = import_jobs.import_job_run(job_id=job.pk)
    assert seen == [3, 4]  # line 1's three rows together (checked against each other), then line 2's
    assert done.status == "done" and done.batch is not None
    again = import_jobs.import_job_run(job_id=job.pk)  # the task delivered twice
    assert again.finished_at == done.finished_at and ProgressImport.objects.count() == 1


def test_a_job_that_breaks_fails_and_saves_nothing(people, production_order, monkeypatch):
    rows, errors, digest = imports.progress_import_read(upload=sheet(good_rows(production_order)))
    job = import_jobs.import_job_check_create(actor=people.planner, file_name="进度.xlsx", digest=digest,
                                              rows=rows, errors=errors)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(import_jobs, "progress_import_check", broken)
    failed = import_jobs.import_job_run(job_id=job.pk)
    assert failed.status == "failed" and "nothing was saved" in failed.message
    assert ProgressImport.objects.count() == 0


@override_settings(GENDAN_IMPORT_BACKGROUND_ROWS=2000)
def test_a_small_sheet_stays_in_the_request(people, production_order, client_for):
    response = client_for(people.planner).post(reverse("planning:import_upload"),
                                               {"file": sheet(good_rows(production_order))})
    assert response.status_code == 200 and ImportJob.objects.count() == 0
    assert 'data-testid="confirm"' in response.content.decode()
