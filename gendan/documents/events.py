"""What attaching and removing files writes on the owner's timeline: the file's kind (a choice,
shown in the reader's language) and its name as uploaded (``core.events``). ``core`` imports
every app's ``events`` module at start-up, so each kind is known before the first timeline."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.events import event_kind_register

ATTACHED = event_kind_register("documents.attached", gettext_noop("%(kind)s: %(name)s"))
DETACHED = event_kind_register("documents.detached", gettext_noop("%(kind)s: %(name)s"))
