from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Attachments on any business object; later PDF and Excel rendering."""

    name = "gendan.documents"
    label = "documents"
    verbose_name = _("Documents")
