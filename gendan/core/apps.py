from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Money, numbering, the audit/event log and the shared UI building blocks."""

    name = "gendan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        # Every app's error codes (``<app>/errors.py``) are known before the first request: a
        # code raised as a string still finds its kind, and ``error_codes`` lists them all.
        autodiscover_modules("errors")
        # … and every app's timeline kinds (``<app>/events.py``, ``core.events.event_kind_register``),
        # so a timeline shows each row in the reader's language from the first request on.
        autodiscover_modules("events")

        # Every model's get_FOO_display keeps its labels instead of translating every choice on
        # each call (a list page shows hundreds of them: core/choice_labels.py).
        from gendan.core.choice_labels import install as keep_choice_labels

        keep_choice_labels()

        from gendan.core.reference import reference_data_after_migrate

        post_migrate.connect(reference_data_after_migrate, dispatch_uid="gendan_reference_data")
