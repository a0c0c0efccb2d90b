"""The order's chatter: a note for colleagues or a message to / from the customer written
straight on the order's timeline (a ``Communication``), naming colleagues with ``@``.

``@username`` or ``@display name`` (the name as the person page shows it: ``@王芳``, ``@Wang
Fang``) names an active colleague; the longest name that matches wins (``@merch2`` is not
``@merch``). Every name must be known and every person named must be able to see the order
(the order page's own scope rule, ``sales.selectors.order_queryset``): otherwise nothing is
saved and the refusal lists the names. Each person named gets a ``Mention`` — an item on
their chase board and in their digest — until they open it (``mention_open``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_get_for_user, order_queryset
from gendan.tracking import events
from gendan.tracking.models import Communication, Mention
from gendan.tracking.services.communications import ADD_PERM, communication_record

MAX_TEXT = 4000
MAX_MENTIONS = 20
# "@" starts a mention at the start of the text or after anything but a letter, digit or dot
# (so "buyer@nordlicht.example" is an address, not a mention).
_AT = re.compile(r"(?<![\w.])@")
_TOKEN = re.compile(r"[^\s@,;:!?，。；：！？、()（）]+")
KINDS = ("note", "out", "in")


@dataclass(frozen=True)
class Parsed:
    people: list[User]  # in the order first named, each once
    unknown: list[str]  # what followed an "@" that names nobody, as typed


def _names(people) -> list[tuple[str, User]]:
    names = []
    for person in people:
        for name in {person.username, person.full_name, person.get_full_name(), str(person)}:
            if name and name.strip():
                names.append((name.strip().casefold(), person))
    return sorted(names, key=lambda item: -len(item[0]))


def _ends_ascii_word(name: str) -> bool:
    return name[-1].isascii() and (name[-1].isalnum() or name[-1] == "_")


def parse_mentions(text: str, people) -> Parsed:
    """Who ``text`` names with ``@`` among ``people`` (active users), and the names it does not know."""
    names = _names(people)
    found: dict[int, User] = {}
    unknown: list[str] = []
    for at in _AT.finditer(text or ""):
        rest = text[at.end():]
        folded = rest.casefold()
        for name, person in names:
            if not folded.startswith(name):
                continue
            after = rest[len(name):len(name) + 1]
            # "@merch" must not stop inside "@merch2"; "@王芳请看" is 王芳 (no spaces in Chinese)
            if after and _ends_ascii_word(name) and after.isascii() and (after.isalnum() or after in "_-"):
                continue
            found.setdefault(person.pk, person)
            break
        else:
            token = _TOKEN.match(rest)
            if token and f"@{token.group(0)}" not in unknown:
                unknown.append(f"@{token.group(0)}")
    return Parsed(list(found.values()), unknown)


def mention_candidates():
    """Everyone who may be named: active staff (a small company: read once per post)."""
    return User.objects.filter(is_active=True).only("pk", "username", "full_name", "first_name", "last_name")


def may_see_order(person: User, order: SalesOrder) -> bool:
    """The order page's rule: the person's role may see orders and this one is in their scope."""
    return order_queryset(person).filter(pk=order.pk).exists()


def chatter_post(*, actor: User, order_id: int, kind: str, text: str, channel: str = "") -> Communication:
    """Write ``text`` on the order's timeline: an internal note (``kind="note"``) or a message
    sent to (``"out"``) or received from (``"in"``) the customer by ``channel``; each colleague
    it names with ``@`` gets a mention on their board. Refused as a whole — nothing saved — for
    an unknown name, or a person who may not see the order."""
    require(actor, ADD_PERM, message=_("Your role may not write on the order's chatter."))
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = _("Choose a note for colleagues, a message to the customer or one from the customer.")
    if not text:
        errors["text"] = _("Write the note or the message.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("A note may have at most %(n)d characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    with transaction.atomic():
        order = order_get_for_user(user=actor, pk=order_id)
        parsed = parse_mentions(text, mention_candidates())
        if parsed.unknown:
            msg = _("Nobody is called %(names)s: write @ and the colleague's user name or full name.") % {
                "names": ", ".join(parsed.unknown)}
            raise ValidationFailed(msg, fields={"text": msg})
        if len(parsed.people) > MAX_MENTIONS:
            msg = _("Mention at most %(n)d colleagues in one note.") % {"n": MAX_MENTIONS}
            raise ValidationFailed(msg, fields={"text": msg})
        blind = [person for person in parsed.people if not may_see_order(person, order)]
        if blind:
            msg = _("%(names)s may not see %(order)s: mention only colleagues who can open the order.") % {
                "names": ", ".join(str(p) for p in blind), "order": order.number or order.pk}
            raise ValidationFailed(msg, fields={"text": msg})
        if kind == "note":
            communication = Communication.objects.create(
                customer=order.customer, order=order, channel=Communication.Channel.NOTE,
                direction=Communication.Direction.INTERNAL, occurred_at=timezone.now(), summary=text, owner=actor)
            params = {"summary": text[:300]}
            event_record(actor=actor, obj=communication, verb=Event.Verb.CREATED, kind=events.NOTE, params=params)
            event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.NOTE, params=params)
        else:
            communication = communication_record(
                actor=actor, channel=channel or Communication.Channel.EMAIL, direction=kind,
                occurred_at=timezone.now(), summary=text, order_id=order.pk)
        people = [p for p in parsed.people if p.pk != actor.pk]  # naming oneself puts nothing on one's board
        if parsed.people:
            Mention.objects.bulk_create([Mention(communication=communication, order=order, user=person,
                                                 mentioned_by=actor) for person in people])
            names = ", ".join(f"@{p}" for p in parsed.people)
            event_record(actor=actor, obj=order, verb=Event.Verb.NOTE, kind=events.MENTIONED,
                         params={"people": names})
    communication.mentioned = parsed.people
    return communication


def mentions_open_for(user: User, *, limit: int) -> list[Mention]:
    """The mentions ``user`` has not opened yet, newest first (one query, partial index)."""
    return list(Mention.objects.filter(user=user, seen_at__isnull=True)
                .select_related("order", "order__customer", "mentioned_by", "communication")
                .order_by("-created_at", "-id")[:limit])


def mention_open(*, actor: User, mention_id: int) -> Mention:
    """``actor`` opens a mention of theirs: it leaves their board. Someone else's mention is a
    404; opening it twice changes nothing."""
    with transaction.atomic():
        mention = (Mention.objects.select_for_update(of=("self",)).select_related("order")
                   .filter(pk=mention_id, user=actor).first())
        if mention is None:
            raise Http404("No such mention.")
        if mention.seen_at is None:
            mention.seen_at = timezone.now()
            mention.save(update_fields=["seen_at"])
    return mention


def mentions_seen_on_order(*, actor: User, order: SalesOrder) -> int:
    """``actor`` read the order's chatter: every open mention of theirs on it is cleared."""
    return Mention.objects.filter(user=actor, order=order, seen_at__isnull=True).update(seen_at=timezone.now())
