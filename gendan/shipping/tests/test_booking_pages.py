"""The shipping panel on the order page through HTTP: who sees it, the request / confirm /
cancel forms, refusals answered with the page as it stands (the input kept, the one mapping's
status), the cut-off highlight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.shipping.models import Booking
from gendan.shipping.services import booking_confirm, booking_request

pytestmark = pytest.mark.django_db
B = Booking.Status


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _html(response) -> str:
    return response.content.decode()


def _request_data(w, **extra) -> dict:
    return {"request-forwarder": w.forwarder.pk, "request-containers.40HQ": "1", "request-containers.20GP": "",
            "request-port_of_loading": "Ningbo", "request-port_of_destination": "Hamburg",
            "request-notes": "Fragile", **extra}


def _confirm_data(booking, **extra) -> dict:
    p = f"confirm-{booking.pk}"
    return {f"{p}-booking_no": "BK-1", f"{p}-vessel": "MSC ANNA", f"{p}-voyage": "12W", f"{p}-carrier": "MSC",
            f"{p}-etd": days(30).isoformat(), f"{p}-eta": days(60).isoformat(),
            f"{p}-cy_cutoff": f"{days(28).isoformat()}T17:00", f"{p}-containers.40HQ": "1",
            f"{p}-version": booking.version, **extra}


def test_request_confirm_and_cancel_through_the_panel(people, confirmed, forwarder, client_for):
    w, order = people, confirmed
    merch = client_for(w.merch)
    page = merch.get(order.get_absolute_url() + "?tab=all")
    assert 'data-testid="shipping-panel"' in _html(page) and 'data-form="request"' in _html(page)

    response = merch.post(reverse("shipping:booking_request", args=[order.pk]), _request_data(w))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.port_of_loading == "Ningbo" and booking.containers == {"40HQ": 1}

    response = merch.post(reverse("shipping:booking_confirm", args=[booking.pk]), _confirm_data(booking))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == B.CONFIRMED and booking.booking_no == "BK-1"
    assert timezone.localtime(booking.cy_cutoff).strftime("%Y-%m-%d %H:%M") == f"{days(28).isoformat()} 17:00"
    html = _html(merch.get(order.get_absolute_url() + "?tab=all"))
    assert "BK-1" in html and "MSC ANNA / 12W" in html and 'data-action="amend_booking"' in html

    response = merch.post(reverse("shipping:booking_cancel", args=[booking.pk]),
                          {f"cancel-{booking.pk}-reason": "", f"cancel-{booking.pk}-version": booking.version})
    assert response.status_code == 400
    response = merch.post(reverse("shipping:booking_cancel", args=[booking.pk]),
                          {f"cancel-{booking.pk}-reason": "Customer delays", f"cancel-{booking.pk}-version":
                           booking.version})
    assert response.status_code == 302 and Booking.objects.get().status == B.CANCELLED


def test_a_refusal_keeps_the_input_and_names_the_field(people, confirmed, forwarder, client_for):
    w, order = people, confirmed
    merch = client_for(w.merch)
    response = merch.post(reverse("shipping:booking_request", args=[order.pk]),
                          _request_data(w, **{"request-forwarder": w.factory.pk}))
    assert response.status_code == 400  # the factory is not offered: the form refuses it
    assert not Booking.objects.exists()

    booking = booking_request(actor=w.merch, order_id=order.pk, forwarder_id=w.forwarder.pk,
                              containers={"40HQ": 1})
    data = _confirm_data(booking, **{f"confirm-{booking.pk}-eta": days(20).isoformat()})
    response = merch.post(reverse("shipping:booking_confirm", args=[booking.pk]), data)
    html = _html(response)
    assert response.status_code == 400
    assert "is before the ETD" in html and 'value="MSC ANNA"' in html and 'value="BK-1"' in html
    assert Booking.objects.get().status == B.REQUESTED

    stale = _confirm_data(booking, **{f"confirm-{booking.pk}-version": booking.version + 5})
    response = merch.post(reverse("shipping:booking_confirm", args=[booking.pk]), stale)
    assert response.status_code == 409 and "Someone else changed" in _html(response)


def test_only_roles_that_see_shipping_see_the_panel_and_only_bookers_act(people, confirmed, forwarder, client_for):
    w, order = people, confirmed
    booking = booking_request(actor=w.merch, order_id=order.pk, forwarder_id=w.forwarder.pk, containers={"40HQ": 1})
    sales = client_for(w.sales)
    html = _html(sales.get(order.get_absolute_url() + "?tab=all"))
    assert 'data-testid="shipping-panel"' in html and 'data-form="request"' not in html
    assert f'data-form="confirm-{booking.pk}"' not in html
    response = sales.post(reverse("shipping:booking_confirm", args=[booking.pk]), _confirm_data(booking))
    assert response.status_code == 403 and Booking.objects.get().status == B.REQUESTED


def test_a_cut_off_within_two_working_days_is_highlighted(people, confirmed, forwarder, client_for):
    w, order = people, confirmed
    booking = booking_request(actor=w.merch, order_id=order.pk, forwarder_id=w.forwarder.pk, containers={"40HQ": 1})
    soon = timezone.make_aware(dt.datetime.combine(days(1), dt.time(12)))
    later = timezone.make_aware(dt.datetime.combine(days(20), dt.time(12)))
    booking_confirm(actor=w.merch, booking_id=booking.pk, booking_no="BK-2", vessel="V", etd=days(25),
                    cy_cutoff=soon, si_cutoff=later)
    html = _html(client_for(w.merch).get(order.get_absolute_url() + "?tab=all"))
    assert 'data-urgent="cy_cutoff"' in html and 'data-urgent="si_cutoff"' not in html


def test_the_panel_in_chinese(people, confirmed, forwarder, client_for):
    from django.utils import translation

    w, order = people, confirmed
    booking_request(actor=w.merch, order_id=order.pk, forwarder_id=w.forwarder.pk, containers={"40HQ": 1})
    w.merch.language = "zh-hans"
    w.merch.save(update_fields=["language"])
    with translation.override("zh-hans"):
        html = _html(client_for(w.merch).get(order.get_absolute_url() + "?tab=all", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "出运：订舱" in html and "确认订舱" in html and "已向货代 FWD1 申请订舱" in html


def test_amend_through_the_panel_puts_old_and_new_on_the_timeline(people, confirmed, forwarder, client_for):
    from gendan.core.models import Event

    w, order = people, confirmed
    booking = booking_request(actor=w.merch, order_id=order.pk, forwarder_id=w.forwarder.pk, containers={"40HQ": 1})
    booking = booking_confirm(actor=w.merch, booking_id=booking.pk, booking_no="BK-3", vessel="MSC ANNA",
                              etd=days(30), eta=days(60))
    p = f"amend-{booking.pk}"
    merch = client_for(w.merch)
    form = _html(merch.get(order.get_absolute_url() + "?tab=all"))
    assert f'name="{p}-vessel"' in form and 'value="MSC ANNA"' in form
    response = merch.post(reverse("shipping:booking_amend", args=[booking.pk]), {
        f"{p}-booking_no": "BK-3", f"{p}-vessel": "MSC BELLA", f"{p}-etd": days(32).isoformat(),
        f"{p}-eta": days(60).isoformat(), f"{p}-containers.40HQ": "2", f"{p}-version": booking.version})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.vessel == "MSC BELLA" and booking.etd == days(32) and booking.containers == {"40HQ": 2}
    row = Event.objects.get(kind="shipping.booking_amended")
    assert row.changes["vessel"]["old"] == "MSC ANNA" and row.changes["containers"]["new"] == "2 × 40HQ"
    html = _html(merch.get(order.get_absolute_url() + "?tab=all"))
    assert "Booking BK-3 (FWD1) amended" in html and "MSC BELLA" in html


def test_a_draft_shows_why_no_booking_can_be_requested(people, client_for):
    from tests.factories import SalesOrderFactory

    draft = SalesOrderFactory(customer=people.customer, actor=people.merch)
    html = _html(client_for(people.merch).get(draft.get_absolute_url() + "?tab=all"))
    assert 'data-why="request_booking"' in html and "Space is booked for a confirmed order" in html
