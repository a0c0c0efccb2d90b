from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportDocsConfig(AppConfig):
    """Export documents and letters of credit: the credit register and its examination (审证) and
    amendments, the document set of each shipment (invoice, packing list, certificates …), its
    check (单单一致、单证一致) and its dispatch to the customer or through the bank (寄单 / 交单)."""

    name = "gendan.exportdocs"
    label = "exportdocs"
    verbose_name = _("Export documents and L/C")

    def ready(self) -> None:
        from gendan.exportdocs import extensions

        extensions.register()
