from django import forms
from django.contrib import admin

from gendan.core.errors import BusinessError
from gendan.core.models import Currency, Event, Sequence, SequenceCounter
from gendan.core.numbering import sequence_validate


class SequenceForm(forms.ModelForm):
    class Meta:
        model = Sequence
        fields = ["code", "name_zh", "name_en", "prefix", "pattern", "padding", "reset"]

    def clean(self):
        cleaned = super().clean()
        try:
            sequence_validate(pattern=cleaned.get("pattern") or "", reset=cleaned.get("reset") or "",
                              padding=cleaned.get("padding") or 0)
        except BusinessError as exc:
            for name, messages in exc.fields.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    form = SequenceForm
    list_display = ("code", "name_zh", "name_en", "prefix", "pattern", "padding", "reset")


@admin.register(SequenceCounter)
class SequenceCounterAdmin(admin.ModelAdmin):
    list_display = ("sequence", "period", "last_value")
    readonly_fields = ("sequence", "period", "last_value")  # counters move only through number_next


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "minor_unit", "symbol", "is_active")
    readonly_fields = ("minor_unit",)  # ISO 4217 fact, not a company setting


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable by superusers, never edited."""

    list_display = ("created_at", "object_repr", "verb", "actor", "message")
    list_filter = ("verb", "content_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
