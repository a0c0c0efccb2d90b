from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gendan.accounts.models import Region, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Gendan", {"fields": ("full_name", "phone", "language", "team", "region")}),
    )
    list_display = ("username", "full_name", "email", "team", "region", "is_active")


admin.site.register(Region)
admin.site.register(Team)
