"""The quality pages through HTTP with real sessions: who may see and do what, refusals that
change nothing (400 wrong input, 403 role, 404 out of scope, 409 stale), the order page's panel
and its inspection-rule override button, and bounded queries on the lists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.quality.models import FirstArticle, Inspection, QualityProfile, Sample
from gendan.quality.services import first_article_create, inspection_book, sample_request
from gendan.sales.tests.conftest import make_confirmed, make_in_production, pay
from tests.factories import png_upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def booked(w, order, **extra):
    return inspection_book(actor=w.merch, order_id=order.pk, kind=extra.pop("kind", "final"), party="internal",
                           inspector="QC Wang", planned_on=TODAY() + dt.timedelta(days=2), lot_size=1000, **extra)


def test_merchandiser_books_from_the_order_page(people, client_for):
    order = make_in_production(people)
    merch = client_for(people.merch)
    page = merch.get(order.get_absolute_url() + "?tab=inspections")
    assert page.status_code == 200 and b'data-testid="inspections-panel"' in page.content
    url = reverse("quality:inspection_book", args=[order.pk])
    assert url.encode() in page.content
    form = merch.get(url)
    assert form.status_code == 200
    response = merch.post(url, {"kind": "final", "party": "third_party", "inspector": "QIMA",
                                "planned_on": (TODAY() + dt.timedelta(days=5)).isoformat(), "lot_size": "1000",
                                "production_orders": [p.pk for p in order.production_orders.all()]})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    assert list(inspection.production_orders.all()) == list(order.production_orders.all())
    detail = merch.get(inspection.get_absolute_url())
    assert b"QIMA" in detail.content and b'data-testid="sample-size">80' in detail.content
    assert b'data-testid="result-form"' not in detail.content  # results are QC's


def _tab_counts(html: str) -> dict[str, str]:
    bar = re.search(r'data-testid="order-tabs">(.*?)</nav>', html, re.S).group(1)
    return {key: (re.search(r'tab-count-[a-z_]+">(\d+)<', inner) or [None, ""])[1]
            for key, inner in re.findall(r'data-tab="([a-z_]+)"[^>]*>(.*?)</a>', bar, re.S)}


def test_samples_and_inspections_are_tabs_of_their_own_with_their_counts(people, client_for):
    """样品 and 验货 each have a tab with its own number: two inspections, one sample and one
    first article make "inspections 2" and "samples 2"; each tab shows only its section."""
    order = make_in_production(people)
    booked(people, order)
    booked(people, order, kind="inline")
    sample_request(actor=people.merch, order_id=order.pk, kind="pp", quantity=3,
                   requested_on=TODAY() + dt.timedelta(days=7))
    first_article_create(actor=people.qc, production_order_id=order.production_orders.get().pk)
    merch = client_for(people.merch)
    samples = merch.get(order.get_absolute_url() + "?tab=samples").content.decode()
    tabs = _tab_counts(samples)
    assert (tabs["samples"], tabs["inspections"]) == ("2", "2")
    assert list(tabs).index("samples") + 1 == list(tabs).index("inspections")
    assert 'data-testid="order-samples"' in samples and 'data-testid="order-first-articles"' in samples
    assert 'data-testid="order-inspections"' not in samples
    inspections = merch.get(order.get_absolute_url() + "?tab=inspections").content.decode()
    assert 'data-testid="order-inspections"' in inspections and 'data-testid="order-samples"' not in inspections
    # the tab's former key opens the inspections (a bookmark of the shared tab still works)
    old = merch.get(order.get_absolute_url() + "?tab=quality").content.decode()
    assert re.search(r'class="tab current"[^>]*data-tab="inspections"', old)


def test_the_quality_tabs_have_chinese_labels(people, client_for):
    people.merch.language = "zh-hans"
    people.merch.save(update_fields=["language"])
    order = make_in_production(people)
    html = client_for(people.merch).get(order.get_absolute_url()).content.decode()
    assert re.search(r'data-tab="samples"[^>]*>样品', html) and re.search(r'data-tab="inspections"[^>]*>验货', html)


def test_bad_booking_input_is_shown_again_and_saves_nothing(people, client_for):
    order = make_in_production(people)
    url = reverse("quality:inspection_book", args=[order.pk])
    response = client_for(people.merch).post(url, {
        "kind": "final", "party": "internal", "inspector": "QC", "lot_size": "99999",
        "planned_on": (TODAY() - dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 400 and b"cannot be in the past" in response.content
    assert not Inspection.objects.exists()


def test_roles_that_may_not_book_or_enter_results_change_nothing(people, client_for):
    order = make_in_production(people)
    inspection = booked(people, order)
    url = reverse("quality:inspection_book", args=[order.pk])
    data = {"kind": "inline", "party": "internal", "inspector": "x", "lot_size": "100",
            "planned_on": TODAY().isoformat()}
    assert client_for(people.planner).post(url, data).status_code == 403
    assert client_for(people.finance).post(url, data).status_code == 403
    assert client_for(people.other_merch).post(url, data).status_code == 404  # not their order
    result_url = reverse("quality:inspection_result", args=[inspection.pk])
    result = {"inspected_on": TODAY().isoformat(), "critical": "0", "major": "0", "minor": "0"}
    assert client_for(people.merch).post(result_url, result).status_code == 403
    assert client_for(people.other_merch).post(result_url, result).status_code == 404
    assert client_for(people.planner).get(inspection.get_absolute_url()).status_code == 200
    assert client_for(people.sales).get(reverse("quality:inspection_list")).status_code == 403
    assert client_for(people.other_merch).get(inspection.get_absolute_url()).status_code == 404
    inspection.refresh_from_db()
    assert Inspection.objects.count() == 1 and inspection.status == "booked"


def test_qc_enters_a_failing_result_with_a_photo_and_report(people, client_for):
    order = make_in_production(people)
    inspection = booked(people, order)
    qc = client_for(people.qc)
    page = qc.get(inspection.get_absolute_url())
    assert b'data-testid="result-form"' in page.content
    from gendan.sales.tests.conftest import pdf_upload

    response = qc.post(reverse("quality:inspection_result", args=[inspection.pk]), {
        "inspected_on": TODAY().isoformat(), "critical": "0", "major": "6", "minor": "1", "notes": "scratches",
        "photos": [png_upload("scratch.png")], "report": pdf_upload("report.pdf"), "version": inspection.version})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "failed"
    from gendan.documents.services import attachments_for

    assert sorted(a.kind for a in attachments_for(inspection)) == ["photo", "report"]
    assert inspection.reinspections.get().status == "booked"


def test_result_refusals_keep_the_input(people, client_for):
    order = make_in_production(people)
    inspection = booked(people, order)
    qc = client_for(people.qc)
    url = reverse("quality:inspection_result", args=[inspection.pk])
    over = qc.post(url, {"inspected_on": TODAY().isoformat(), "critical": "0", "major": "81", "minor": "0",
                         "version": inspection.version})
    assert over.status_code == 400 and b"cannot exceed the sample size" in over.content and b'value="81"' in over.content
    stale = qc.post(url, {"inspected_on": TODAY().isoformat(), "critical": "0", "major": "0", "minor": "0",
                          "version": inspection.version + 1})
    assert stale.status_code == 409
    fake = qc.post(url, {"inspected_on": TODAY().isoformat(), "critical": "0", "major": "0", "minor": "0",
                         "photos": [_fake_png()]})
    assert fake.status_code == 400 and b"not a readable image" in fake.content
    inspection.refresh_from_db()
    assert inspection.status == "booked" and inspection.major_found is None


def _fake_png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")


def test_ship_button_names_the_inspection_rule_and_the_manager_overrides(people, client_for):
    QualityProfile.objects.create(customer=people.customer, requires_final_inspection=True)
    order = make_in_production(people)
    pay(people, order, str(order.total_amount - order.received_amount), reference="FT2")
    page = client_for(people.merch).get(order.get_absolute_url())
    assert b"Inspection rule" in page.content and b'data-action="override_inspection"' not in page.content
    manager = client_for(people.manager)
    page = manager.get(order.get_absolute_url())
    assert b'data-action="override_inspection"' in page.content
    url = reverse("sales:order_override", args=[order.pk, "inspection"])
    assert client_for(people.merch).post(url, {"override_inspection-reason": "please",
                                               "version": order.version}).status_code == 403
    response = manager.post(url, {"override_inspection-reason": "customer waived it in writing",
                                  "version": order.version})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.inspection_gate_override
    page = manager.get(order.get_absolute_url())
    assert b"inspection rule overridden" in page.content and b"Inspection rule:" not in page.content


def test_order_form_sets_the_quality_gates(people, client_for):
    QualityProfile.objects.create(customer=people.customer, requires_final_inspection=True, requires_first_article=True)
    order = make_confirmed(people)
    assert order.requires_final_inspection and order.requires_first_article  # from the customer's profile
    page = client_for(people.merch).get(order.get_absolute_url())
    assert b'data-testid="quality-gates"' in page.content and b"first article approval before production" in page.content
    from gendan.sales.tests.conftest import make_draft

    draft = make_draft(people, po="PO-2", requires_final_inspection=False)
    assert not draft.requires_final_inspection and draft.requires_first_article


def test_customer_aqls_page(people, client_for):
    qc = client_for(people.qc)
    listing = qc.get(reverse("quality:profile_list"))
    assert listing.status_code == 200 and b"NORD" in listing.content
    url = reverse("quality:profile_edit", args=[people.customer.pk])
    response = qc.post(url, {"critical_aql": "0", "major_aql": "1.5", "minor_aql": "2.5", "inspection_level": "II",
                             "requires_final_inspection": "on"})
    assert response.status_code == 302
    profile = QualityProfile.objects.get(customer=people.customer)
    assert (profile.major_aql, profile.minor_aql, profile.requires_final_inspection) == ("1.5", "2.5", True)
    stale = qc.post(url, {"critical_aql": "0", "major_aql": "4.0", "minor_aql": "6.5", "inspection_level": "II",
                          "version": profile.version + 5})
    assert stale.status_code == 409
    bad = qc.post(url, {"critical_aql": "0", "major_aql": "3.3", "minor_aql": "2.5", "inspection_level": "II"})
    assert bad.status_code == 400
    assert client_for(people.planner).post(url, {"major_aql": "6.5"}).status_code == 403
    assert client_for(people.other_merch).get(url).status_code == 404
    profile.refresh_from_db()
    assert profile.major_aql == "1.5"


def test_first_article_through_the_pages(people, client_for):
    order = make_in_production(people, requires_first_article=True)
    production_order = order.production_orders.get()
    merch = client_for(people.merch)
    response = merch.post(reverse("quality:first_article_new", args=[production_order.pk]),
                          {"topics": "printing\nbarcodes", "requirements": "Pantone 186C logo"})
    fa = FirstArticle.objects.get()
    assert response.status_code == 302 and [i.topic for i in fa.items.all()] == ["printing", "barcodes"]
    qc = client_for(people.qc)
    items = {f"result_{i.pk}": "pass" for i in fa.items.all()}
    assert merch.post(reverse("quality:first_article_items", args=[fa.pk]), items).status_code == 403
    assert qc.post(reverse("quality:first_article_items", args=[fa.pk]), {**items, "version": fa.version}
                   ).status_code == 302
    assert qc.post(reverse("quality:first_article_sign", args=[fa.pk, "sales"])).status_code == 403
    assert qc.post(reverse("quality:first_article_sign", args=[fa.pk, "qc"])).status_code == 302
    assert merch.post(reverse("quality:first_article_sign", args=[fa.pk, "sales"])).status_code == 302
    fa.refresh_from_db()
    assert fa.status == "approved"
    assert b"approved" in qc.get(fa.get_absolute_url()).content


@pytest.mark.dates
def test_sample_through_the_pages(people, client_for):
    order = make_in_production(people)
    merch = client_for(people.merch)
    response = merch.post(reverse("quality:sample_new", args=[order.pk]), {
        "kind": "pp", "quantity": "3", "requested_on": (TODAY() + dt.timedelta(days=7)).isoformat()})
    sample = Sample.objects.get()
    assert response.status_code == 302
    assert merch.post(reverse("quality:sample_action", args=[sample.pk, "send"]),
                      {"sent_on": TODAY().isoformat(), "courier": "DHL", "tracking_no": "123"}).status_code == 302
    assert client_for(people.planner).post(reverse("quality:sample_action", args=[sample.pk, "sign"]),
                                           {"department": "qc", "verdict": "approved"}).status_code == 403
    page = client_for(people.qc).get(sample.get_absolute_url())
    assert b"DHL 123" in page.content and b'data-testid="sample-sign"' not in page.content  # not received yet
    assert merch.post(reverse("quality:sample_action", args=[sample.pk, "receive"]),
                      {"received_on": TODAY().isoformat(), "comments": "colour OK"}).status_code == 302
    page = client_for(people.qc).get(sample.get_absolute_url())
    assert b'data-testid="sample-sign"' in page.content
    assert b'data-testid="order-samples"' in merch.get(order.get_absolute_url() + "?tab=all").content


def test_inspection_list_queries_do_not_grow_with_rows(people, client_for, django_assert_max_num_queries):
    qc = client_for(people.qc)
    for n in range(3):
        order = make_in_production(people, po=f"PO-L{n}")
        booked(people, order)
        booked(people, order, kind="inline")
    # incl. the chase badge (4) and the user's saved views of the list (1: the menu and the default view)
    with django_assert_max_num_queries(15):
        response = qc.get(reverse("quality:inspection_list"))
    assert response.status_code == 200 and response.content.count(b"/quality/inspections/") >= 6
    assert qc.get(reverse("quality:inspection_list") + "?export=xlsx").status_code == 200
