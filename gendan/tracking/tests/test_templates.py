"""Managers edit T&A templates and the calendar in the UI; a template that cannot be scheduled
is refused with the reason and nothing saved; the next order uses the edited template."""

from __future__ import annotations

import datetime as dt

import pytest

from gendan.core.errors import NotAllowed, ValidationFailed
from gendan.core.models import CalendarDay
from gendan.tracking.models import MilestoneTemplate, OrderMilestone, TemplateStep
from gendan.tracking.services import templates as svc
from gendan.tracking.tests.conftest import make_confirmed

pytestmark = pytest.mark.django_db


def export_default() -> MilestoneTemplate:
    return MilestoneTemplate.objects.get(kind="export", is_default=True)


def step_data(step: TemplateStep, **changes) -> dict:
    data = {name: getattr(step, name) for name in svc.STEP_FIELDS}
    data.update(changes)
    return data


def test_the_default_templates_are_there_after_migrate():
    export = export_default()
    keys = list(export.steps.values_list("key", flat=True))
    assert keys[0] == "po_received" and keys[-2:] == ["quality_check_in", "reorder_check_in"]
    assert len(keys) == 21
    assert MilestoneTemplate.objects.filter(kind="domestic", is_default=True).exists()


def test_a_cycle_is_refused_and_nothing_is_saved(people):
    template = export_default()
    po = template.steps.get(key="po_received")
    with pytest.raises(ValidationFailed) as exc:  # PO received after final inspection: a circle
        svc.template_step_save(actor=people.manager, template_id=template.pk, step_id=po.pk,
                               data=step_data(po, predecessor_key="final_inspection"))
    assert "circle" in str(exc.value.message) and "predecessor_key" in exc.value.fields
    po.refresh_from_db()
    assert po.predecessor_key == "" and export_default().version == template.version


def test_offsets_that_put_a_milestone_after_its_successor_are_refused(people):
    template = export_default()
    materials = template.steps.get(key="materials_in")
    with pytest.raises(ValidationFailed) as exc:  # materials at X − 20 would come after the PP sample at X − 30
        svc.template_step_save(actor=people.manager, template_id=template.pk, step_id=materials.pk,
                               data=step_data(materials, offset_days=-20))
    assert "“PP sample approved”" in str(exc.value.message) or "产前样确认" in str(exc.value.message)
    assert "offset_days" in exc.value.fields
    materials.refresh_from_db()
    assert materials.offset_days == -33


def test_only_managers_edit_templates(people, client_for):
    template = export_default()
    po = template.steps.get(key="po_received")
    with pytest.raises(NotAllowed):
        svc.template_step_save(actor=people.merch, template_id=template.pk, step_id=po.pk,
                               data=step_data(po, name_en="x"))
    response = client_for(people.merch).post(f"/tracking/templates/{template.pk}/steps/",
                                             {**step_data(po, name_en="Hacked"), "step_id": po.pk})
    assert response.status_code == 403
    po.refresh_from_db()
    assert po.name_en == "PO received / confirmed"


def test_a_customer_template_made_in_the_ui_is_used_for_the_next_order(people, client_for):
    client = client_for(people.manager)
    response = client.post(f"/tracking/templates/{export_default().pk}/copy/")
    copy = MilestoneTemplate.objects.exclude(is_default=True).get(kind="export")
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    response = client.post(f"/tracking/templates/{copy.pk}/edit/", {
        "name": "Nordlicht T&A", "kind": "export", "customer": people.customer.pk, "is_active": "on",
        "transit_days": 35, "etd_after_ex_factory": 4, "version": copy.version})
    assert response.status_code == 302
    response = client.post(f"/tracking/templates/{copy.pk}/steps/", {
        "sequence": 215, "key": "lab_test", "name_zh": "第三方测试报告", "name_en": "Lab test report",
        "owner_role": "qc", "anchor": "ex_factory", "offset_days": -10, "day_kind": "working",
        "predecessor_key": "production_started", "completes_on": "", "required": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    order = make_confirmed(people)
    lab = OrderMilestone.objects.get(order=order, key="lab_test")
    assert lab.owner_role == "qc" and lab.planned_date < order.ex_factory_date
    assert order.plan.template == copy
    # A bad step through the page: shown again with the message, nothing saved.
    response = client.post(f"/tracking/templates/{copy.pk}/steps/", {
        "sequence": 216, "key": "bad", "name_zh": "坏", "name_en": "Bad", "owner_role": "qc",
        "anchor": "previous", "offset_days": 1, "day_kind": "calendar", "predecessor_key": "", "required": "on"})
    assert response.status_code == 400 and "choose that milestone" in response.content.decode()
    assert not copy.steps.filter(key="bad").exists()


def test_the_calendar_page_records_holidays_and_refuses_a_weekday_make_up_day(people, client_for):
    client = client_for(people.manager)
    assert client.post("/tracking/calendar/", {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}).status_code \
        == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 10, 1)).kind == "holiday"
    response = client.post("/tracking/calendar/", {"date": "2027-10-13", "kind": "workday", "name": "x"})  # Wednesday
    assert response.status_code == 400 and "is a weekday" in response.content.decode()
    response = client.post("/tracking/calendar/", {"date": "2027-13-01", "kind": "holiday"})
    assert response.status_code == 400
    assert CalendarDay.objects.count() == 1
    assert client_for(people.merch).post("/tracking/calendar/", {"date": "2027-10-02", "kind": "holiday"}
                                         ).status_code == 403
    assert client_for(people.merch).get("/tracking/calendar/?year=2027").status_code == 200
