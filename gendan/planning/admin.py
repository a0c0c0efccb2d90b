"""Admin: the production stages of each product category (configuration, superusers only).
Schedules, progress and exceptions change through their pages and services only."""

from django.contrib import admin

from gendan.planning.models import StageDefinition


@admin.register(StageDefinition)
class StageDefinitionAdmin(admin.ModelAdmin):
    list_display = ("category", "sequence", "code", "name_zh", "name_en")
    list_filter = ("category",)
    ordering = ("category", "sequence")
