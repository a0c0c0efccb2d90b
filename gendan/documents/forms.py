from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin
from gendan.documents.models import Attachment


class AttachmentForm(BootstrapLikeMixin, forms.Form):
    file = forms.FileField(label=_("file"))
    kind = forms.ChoiceField(label=_("kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.OTHER)
    description = forms.CharField(label=_("description"), max_length=200, required=False)
