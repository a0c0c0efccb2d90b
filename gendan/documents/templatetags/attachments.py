from django import template

from gendan.documents.forms import AttachmentForm
from gendan.documents.registry import owner_change_perm
from gendan.documents.services import attachments_for
from gendan.documents.views import owner_type_of

register = template.Library()


@register.inclusion_tag("documents/_attachments_inner.html", takes_context=True)
def attachments_panel(context, owner, kind: str = ""):
    user = context["request"].user
    owner_type = owner_type_of(owner)
    perm = owner_change_perm(owner_type)
    can_add = user.has_perm("documents.add_attachment") and user.has_perm(perm)
    form = AttachmentForm(initial={"kind": kind}) if can_add else None
    return {
        "owner": owner, "owner_type": owner_type, "files": list(attachments_for(owner)), "form": form,
        "can_delete": user.has_perm("documents.delete_attachment") and user.has_perm(perm),
        "csrf_token": context.get("csrf_token"),
    }
