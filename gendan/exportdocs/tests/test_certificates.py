"""Certificates others issue (C/O, inspection, insurance …): needed, applied, received with a real
PDF or image and the data the set's check compares, checked; due ones on the chase board."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.core.errors import BusinessError
from gendan.core.models import Event
from gendan.exportdocs.models import CertificateItem
from gendan.exportdocs.services.certificates import (
    certificate_add,
    certificate_apply,
    certificate_check,
    certificate_receive,
)
from gendan.exportdocs.services.presentation import set_check
from gendan.exportdocs.tests.builders import PACKAGES, days, shipped_with_set
from gendan.shipping.tests import conftest as shipping_fixtures
from gendan.shipping.tests.bills_setup import MARKS
from gendan.tracking.export_chase_dispatch import dispatch_items
from tests.factories import pdf_upload, png_upload

pytestmark = pytest.mark.django_db

people, forwarder = shipping_fixtures.people, shipping_fixtures.forwarder
_english_messages = shipping_fixtures._english_messages


def origin(w, shipment, **kwargs):
    return certificate_add(actor=w.merch, shipment_id=shipment.pk, kind="certificate_of_origin",
                           origin_form="general", issuer="CCPIT Ningbo", needed_by=kwargs.pop("needed_by", days(2)))


def test_certificate_of_origin_through_its_steps_feeds_the_check(people, forwarder):
    w = people
    order, shipment = shipped_with_set(w)
    certificate = origin(w, shipment)
    assert certificate.status == "needed"
    certificate = certificate_apply(actor=w.merch, certificate_id=certificate.pk, applied_on=days(-1))
    certificate = certificate_receive(
        actor=w.merch, certificate_id=certificate.pk, received_on=days(0), certificate_no="CCPIT-26-001",
        upload=pdf_upload("co.pdf"),
        data={"goods_description": "CERAMIC MUGS", "packages": "80", "marks": MARKS, "signed": "yes"})
    assert certificate.status == "received" and certificate.attachment.mime_type == "application/pdf"
    assert certificate.data == {"goods_description": "CERAMIC MUGS", "packages": 80, "marks": MARKS, "signed": True}
    found = {(d["code"], d["document"]) for d in set_check(shipment)["discrepancies"]}
    assert ("PACKAGES_CONFLICT", "certificate_of_origin") in found  # 80 on the C/O, 85 elsewhere
    certificate = certificate_check(actor=w.merch, certificate_id=certificate.pk)
    assert certificate.status == "checked" and certificate.checked_by == w.merch
    kinds = set(Event.objects.filter(object_id=order.pk, kind__startswith="exportdocs.certificate")
                .values_list("kind", flat=True))
    assert kinds == {"exportdocs.certificate_added", "exportdocs.certificate_applied",
                     "exportdocs.certificate_received", "exportdocs.certificate_checked"}
    assert PACKAGES == 85


def test_text_file_renamed_pdf_is_refused(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    certificate = origin(w, shipment)
    fake = SimpleUploadedFile("co.pdf", b"This is just a text file, not a PDF.\n", content_type="application/pdf")
    with pytest.raises(BusinessError) as refused:
        certificate_receive(actor=w.merch, certificate_id=certificate.pk, received_on=days(0),
                            certificate_no="CCPIT-26-002", upload=fake)
    assert refused.value.code == "certificate_file_type" and "file" in refused.value.fields
    certificate.refresh_from_db()
    assert certificate.status == "needed" and certificate.attachment is None
    spreadsheet = SimpleUploadedFile("co.csv", b"a,b\n1,2\n", content_type="text/csv")
    with pytest.raises(BusinessError) as refused:
        certificate_receive(actor=w.merch, certificate_id=certificate.pk, received_on=days(0),
                            certificate_no="CCPIT-26-002", upload=spreadsheet)
    assert refused.value.code == "certificate_file_type"
    # a photo of the certificate is fine
    assert certificate_receive(actor=w.merch, certificate_id=certificate.pk, received_on=days(0),
                               certificate_no="CCPIT-26-002", upload=png_upload("co.png")).status == "received"


def test_dates_are_checked(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    with pytest.raises(BusinessError) as refused:
        origin(w, shipment, needed_by="2150-01-01")
    assert "needed_by" in refused.value.fields
    certificate = origin(w, shipment)
    certificate_apply(actor=w.merch, certificate_id=certificate.pk, applied_on=days(-1))
    with pytest.raises(BusinessError) as refused:
        certificate_receive(actor=w.merch, certificate_id=certificate.pk, received_on=days(-3),
                            certificate_no="X1", upload=pdf_upload("co.pdf"))
    assert refused.value.code == "received_before_applied"
    with pytest.raises(BusinessError) as refused:
        certificate_apply(actor=w.merch, certificate_id=certificate.pk, applied_on=days(0))
    assert refused.value.status == 409
    assert CertificateItem.objects.get(pk=certificate.pk).status == "applied"


def test_due_certificates_on_the_chase_board(people, forwarder):
    w = people
    _order, shipment = shipped_with_set(w)
    origin(w, shipment, needed_by=days(-1))
    origin(w, shipment, needed_by=days(2))
    origin(w, shipment, needed_by=days(10))
    items = [i for i in dispatch_items(user=w.merch, today=days(0), limit=20) if i.kind == "certificate_due"]
    assert [(i.due, i.late) for i in items] == [(days(-1), True), (days(2), False)]
    assert not [i for i in dispatch_items(user=w.other_merch, today=days(0), limit=20) if i.kind == "certificate_due"]
