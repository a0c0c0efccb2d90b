"""The order's chatter: a note or message written on the order's timeline, @mentions that land
on the colleague's chase board and digest, refused as a whole for unknown names and for
colleagues who may not see the order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.core.errors import BusinessError
from gendan.core.models import Event
from gendan.tracking.models import Communication, Mention
from gendan.tracking.selectors import board_for
from gendan.tracking.services.chatter import chatter_post, mention_open, parse_mentions
from gendan.tracking.services.reminders import digest_compose

pytestmark = pytest.mark.django_db


def test_parse_names_by_username_and_display_name_longest_first(people, make_user):
    merch2 = make_user("merchandiser", username="merch2", full_name="王芳", language="en")
    everyone = [people.merch, merch2, people.qc]
    parsed = parse_mentions("@merch2 please check; @王芳请看 and @merch, mail buyer@nordlicht.example @nobody", everyone)
    assert parsed.people == [merch2, people.merch]
    assert parsed.unknown == ["@nobody"]


def test_a_note_with_a_mention_lands_on_the_board_and_the_digest(people, confirmed):
    note = chatter_post(actor=people.merch, order_id=confirmed.pk, kind="note",
                        text="@qc the glaze batch needs a second look before Friday")
    assert note.channel == Communication.Channel.NOTE and note.direction == Communication.Direction.INTERNAL
    assert note.mentioned == [people.qc]
    kinds = set(Event.objects.filter(object_id=confirmed.pk, kind__startswith="tracking.").values_list("kind", flat=True))
    assert {"tracking.note", "tracking.mentioned"} <= kinds
    board = board_for(user=people.qc)
    assert [m.communication for m in board.mentions] == [note] and not board.is_empty
    subject, body = digest_compose(user=people.qc, board=board, day=board.today)
    assert f"Mentioned on {confirmed.number}" in body and "second look" in body
    # a note is not a customer message: nothing to answer, nothing answered
    assert note.reply_due is None and not board_for(user=people.merch).unanswered


def test_opening_the_mention_clears_it_and_only_its_owner_may(people, confirmed, client):
    chatter_post(actor=people.merch, order_id=confirmed.pk, kind="note", text="@qc please look")
    mention = Mention.objects.get()
    client.force_login(people.finance)
    assert client.get(reverse("tracking:mention_open", args=[mention.pk])).status_code == 404
    client.force_login(people.qc)
    response = client.get(reverse("tracking:mention_open", args=[mention.pk]))
    assert response.status_code == 302 and response["Location"].startswith(confirmed.get_absolute_url())
    assert board_for(user=people.qc).mentions == []
    mention.refresh_from_db()
    assert mention.seen_at is not None
    with pytest.raises(Exception):  # noqa: B017 - Http404 for someone else's
        mention_open(actor=people.merch, mention_id=mention.pk)


def test_unknown_names_are_refused_and_nothing_is_saved(people, confirmed):
    with pytest.raises(BusinessError) as refused:
        chatter_post(actor=people.merch, order_id=confirmed.pk, kind="note", text="@qc and @ghost look")
    assert "@ghost" in str(refused.value.message)
    assert not Communication.objects.exists() and not Mention.objects.exists()


def test_a_colleague_who_may_not_see_the_order_is_refused_by_name(people, confirmed):
    with pytest.raises(BusinessError) as refused:
        chatter_post(actor=people.merch, order_id=confirmed.pk, kind="note", text="@other_sales FYI")
    assert str(people.other_sales) in str(refused.value.message)
    assert not Communication.objects.exists() and not Mention.objects.exists()


def test_a_message_to_the_customer_answers_like_a_logged_one(people, confirmed):
    message = chatter_post(actor=people.merch, order_id=confirmed.pk, kind="out", channel="wechat",
                           text="Sent the new carton marks; @sales for info")
    assert message.direction == Communication.Direction.OUTBOUND and message.channel == "wechat"
    assert [m.user for m in Mention.objects.all()] == [people.sales]


def test_roles_without_the_log_may_not_write(people, confirmed):
    with pytest.raises(BusinessError):
        chatter_post(actor=people.warehouse, order_id=confirmed.pk, kind="note", text="hello")
    with pytest.raises(Exception):  # noqa: B017 - another team's order is a 404
        chatter_post(actor=people.other_sales, order_id=confirmed.pk, kind="note", text="hello")
    assert not Communication.objects.exists()


def test_the_regular_log_refuses_the_note_channel(people, confirmed):
    from django.utils import timezone

    from gendan.tracking.services.communications import communication_record

    with pytest.raises(BusinessError):
        communication_record(actor=people.merch, channel="note", direction="int", occurred_at=timezone.now(),
                             summary="x", order_id=confirmed.pk)


# --- the page -----------------------------------------------------------------------------------


def test_page_posts_a_note_and_lists_who_was_mentioned(client, people, confirmed):
    client.force_login(people.merch)
    url = reverse("tracking:order_chatter_post", args=[confirmed.pk])
    response = client.post(url, {"kind": "note", "text": "@qc @sales the lab report is in"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "on the chase board of" in html and str(people.qc) in html and str(people.sales) in html
    assert "the lab report is in" in html  # on the timeline
    client.force_login(people.qc)
    board = client.get(reverse("tracking:board")).content.decode()
    assert f"Mentioned on {confirmed.number}" in board and "the lab report is in" in board


def test_page_refusal_keeps_the_text_and_names_the_unknown(client, people, confirmed):
    client.force_login(people.merch)
    url = reverse("tracking:order_chatter_post", args=[confirmed.pk])
    response = client.post(url, {"kind": "note", "text": "@zorro check this"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "@zorro" in html and 'data-testid="chatter-error"' in html and "check this</textarea>" in html
    assert not Communication.objects.exists()


def test_page_for_a_role_that_may_not_write(client, people, confirmed):
    client.force_login(people.warehouse)
    assert 'data-testid="chatter"' not in client.get(confirmed.get_absolute_url()).content.decode()
    response = client.post(reverse("tracking:order_chatter_post", args=[confirmed.pk]), {"kind": "note", "text": "x"})
    assert response.status_code == 403 and not Communication.objects.exists()
