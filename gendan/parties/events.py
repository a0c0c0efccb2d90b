"""What parties write on timelines: each entry a kind and its parameters, shown in the reader's
language (``core.events``). The texts are msgids (``gettext_noop``); ``core`` imports every
app's ``events`` module at start-up, so each kind is known before the first timeline."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.events import event_kind_register

CONTACT_ADDED = event_kind_register("parties.contact_added", gettext_noop("Contact %(name)s added"))
CONTACT_EDITED = event_kind_register("parties.contact_edited", gettext_noop("Contact %(name)s edited"))
CONTACT_REMOVED = event_kind_register("parties.contact_removed", gettext_noop("Contact %(name)s removed"))
