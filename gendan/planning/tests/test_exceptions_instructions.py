"""Production exceptions (escalated to the managers by email, resolved, moving the ex-factory
forecast) and production instructions (Chinese PDF with the embedded font, emailed to the
planners and the workshop's contacts)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gendan.core.errors import NotAllowed, TransitionNotAllowed, ValidationFailed
from gendan.core.events import timeline_for
from gendan.planning.models import ProductionException, ProductionInstruction
from gendan.planning.pdf import render_instruction
from gendan.planning.services.exceptions import exception_report, exception_resolve
from gendan.planning.services.instructions import instructions_generate
from gendan.planning.services.schedule import schedule_entry_create, work_line_create
from tests.clock import next_full_week, on_day
from tests.factories import ContactFactory
from tests.smtp import attachments

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "planning"
POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def next_monday() -> dt.date:
    """The Monday of the next week of five working days (a holiday week is passed over)."""
    return next_full_week()


# --- exceptions -------------------------------------------------------------------------------


def test_an_exception_is_escalated_to_the_managers(people, production_order, smtp,
                                                   django_capture_on_commit_callbacks):
    people.manager.email = "boss@gendan.example"
    people.manager.save()
    new_date = production_order.sales_order.ex_factory_date + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        exception = exception_report(actor=people.merch, kind="material",
                                     description="Glaze from 佛山 supplier short by 200 kg",
                                     production_order_ids=[production_order.pk], new_ex_factory_date=new_date)
    [message] = smtp.wait_for(1)
    assert smtp.deliveries[0].rcpt_tos == ("boss@gendan.example",)
    assert f"#{exception.pk}" in message["Subject"] and production_order.sales_order.number in message["Subject"]
    assert "Glaze from 佛山 supplier short by 200 kg" in message.get_body().get_content()
    exception.refresh_from_db()
    assert exception.escalated_to == "boss@gendan.example" and exception.escalated_at
    assert list(exception.sales_orders.all()) == [production_order.sales_order]
    assert any("tell the customer" in e.text for e in timeline_for(production_order.sales_order))


def test_qc_reports_quality_problems_only(people, production_order):
    with pytest.raises(NotAllowed):
        exception_report(actor=people.qc, kind="capacity", description="x", production_order_ids=[production_order.pk])
    exception_report(actor=people.qc, kind="quality", description="Glaze bubbles on 5 % of the mugs",
                     production_order_ids=[production_order.pk])
    with pytest.raises(NotAllowed):
        exception_report(actor=people.sales, kind="other", description="x", production_order_ids=[production_order.pk])
    with pytest.raises(ValidationFailed, match="Describe what happened"):
        exception_report(actor=people.planner, kind="other", description=" ", production_order_ids=[production_order.pk])
    assert ProductionException.objects.count() == 1


def test_resolving_is_open_to_resolved_once(people, production_order):
    exception = exception_report(actor=people.planner, kind="capacity", description="Kiln down for two days",
                                 production_order_ids=[production_order.pk])
    with pytest.raises(ValidationFailed, match="how the exception was resolved"):
        exception_resolve(actor=people.planner, exception_id=exception.pk, version=1, resolution="")
    done = exception_resolve(actor=people.planner, exception_id=exception.pk, version=1,
                             resolution="Second kiln rented")
    assert done.status == "resolved" and done.resolved_by == people.planner
    with pytest.raises(TransitionNotAllowed):
        exception_resolve(actor=people.planner, exception_id=exception.pk, version=2, resolution="again")


def test_exception_pages(people, production_order, client_for):
    new_date = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    data = {"kind": "material", "production_orders": production_order.number, "description": "Clay short",
            "new_ex_factory_date": new_date}
    assert client_for(people.sales).post(reverse("planning:exception_create"), data).status_code == 403
    assert ProductionException.objects.count() == 0
    response = client_for(people.merch).post(reverse("planning:exception_create"), data)
    exception = ProductionException.objects.get()
    assert response.status_code == 302 and response.url == exception.get_absolute_url()
    html = client_for(people.merch).get(exception.get_absolute_url()).content.decode()
    assert 'data-testid="tell-customer"' in html and production_order.sales_order.get_absolute_url() in html
    assert client_for(people.other_merch).get(exception.get_absolute_url()).status_code == 404
    rows = client_for(people.planner).get(reverse("planning:exception_list")).context["rows"]
    assert [e.pk for e, _cells in rows] == [exception.pk]
    assert client_for(people.qc).post(exception.get_absolute_url(), {"resolution": "x"}).status_code == 403
    ok = client_for(people.planner).post(exception.get_absolute_url(), {"resolution": "Clay from a 2nd supplier",
                                                                        "version": 1})
    assert ok.status_code == 302
    exception.refresh_from_db()
    assert exception.status == "resolved"


# --- instructions -----------------------------------------------------------------------------


@pytest.fixture
def scheduled(people, production_order):
    line = work_line_create(actor=people.planner, workshop_id=people.factory.pk, name="A线", capacity_per_day=300)
    schedule_entry_create(actor=people.planner, production_order_id=production_order.pk, work_line_id=line.pk,
                          start=next_monday(), end=next_monday() + dt.timedelta(days=4), quantity="1000")
    return line


@POPPLER
def test_the_instruction_pdf_is_chinese_with_the_font_embedded(people, production_order, scheduled):
    [instruction] = instructions_generate(actor=people.planner, kind="semi", week_start=next_monday())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "semi-finished-instruction.pdf"
    path.write_bytes(render_instruction(instruction))
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                             capture_output=True, text=True).stdout)
    assert "半成品生产指令" in text and instruction.number in text and production_order.number in text
    assert "裁剪" in text and "CeramicMug350ml".lower() in text.lower() and "包装" not in text
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # every font embedded
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / "semi-finished-instruction")],
                       check=True)


def test_instructions_are_emailed_to_the_planners_and_the_workshop(people, production_order, scheduled, smtp,
                                                                   django_capture_on_commit_callbacks):
    people.planner.email = "plan@gendan.example"
    people.planner.save()
    ContactFactory(supplier=people.factory, customer=None, email="chejian@factory.example")
    with django_capture_on_commit_callbacks(execute=True):
        [instruction] = instructions_generate(actor=people.planner, kind="finished", week_start=next_monday())
    [message] = smtp.wait_for(1)
    assert set(smtp.deliveries[0].rcpt_tos) == {"plan@gendan.example", "chejian@factory.example"}
    assert "成品" in message["Subject"] and instruction.number in message["Subject"]
    [(name, content_type, data)] = attachments(message)
    assert name == f"{instruction.number}.pdf" and data.startswith(b"%PDF")
    # Generating again with the same schedule sends nothing more and keeps the number.
    with django_capture_on_commit_callbacks(execute=True):
        [again] = instructions_generate(actor=people.planner, kind="finished", week_start=next_monday())
    assert again.pk == instruction.pk and len(smtp.deliveries) == 1


def test_weekly_command_and_page(people, production_order, scheduled, client_for):
    with on_day(next_monday() - dt.timedelta(days=7), hour=7, minute=30):  # as cron runs it: the Monday before
        call_command("planning_instructions", "--kind", "semi")
    assert ProductionInstruction.objects.filter(kind="semi", week_start=next_monday()).count() == 1
    html = client_for(people.merch).get(reverse("planning:instruction_list")).content.decode()
    assert 'data-testid="generate"' not in html and "BC-FAC1" in html
    assert client_for(people.merch).post(reverse("planning:instruction_list"),
                                         {"kind": "finished", "week": next_monday().isoformat()}).status_code == 403
    response = client_for(people.planner).post(reverse("planning:instruction_list"),
                                               {"kind": "finished", "week": next_monday().isoformat()})
    assert response.status_code == 302 and ProductionInstruction.objects.count() == 2
    pdf = client_for(people.planner).get(reverse("planning:instruction_pdf",
                                                 args=[ProductionInstruction.objects.first().pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_for(people.sales).get(reverse("planning:instruction_list")).status_code == 403


def test_a_new_ex_factory_date_moves_the_ex_factory_forecast(people, production_order):
    from gendan.tracking.models import OrderMilestone

    milestone = OrderMilestone.objects.filter(order=production_order.sales_order, key="ex_factory").first()
    if milestone is None:
        pytest.skip("no T&A plan with an ex_factory milestone for this order")
    new_date = production_order.sales_order.ex_factory_date + dt.timedelta(days=12)
    exception_report(actor=people.planner, kind="material", description="Clay short by 2 t",
                     production_order_ids=[production_order.pk], new_ex_factory_date=new_date)
    milestone.refresh_from_db()
    assert milestone.expected_date == new_date
