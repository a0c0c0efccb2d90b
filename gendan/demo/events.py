"""What the demo writes on timelines of its own (the rows it creates in bulk say where they came
from), shown in the reader's language (``core.events``). The rows that stand for what a service
did carry that service's kind and parameters, as the service would have written them."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.events import event_kind_register

DEMO_DATA = event_kind_register("demo.data", gettext_noop("demo data"))
DEMO_SCHEDULE = event_kind_register("demo.schedule", gettext_noop("demo schedule"))
