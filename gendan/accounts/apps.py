from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles (groups with permissions), teams and regions, and who may see what."""

    name = "gendan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from gendan.accounts import access, signals
        from gendan.accounts.roles import roles_sync_after_migrate

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="gendan_roles_sync")
        signals.connect()
        access.connect()
