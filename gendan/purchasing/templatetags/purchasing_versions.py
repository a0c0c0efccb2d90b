"""The purchase order page's "Versions" section: each version a change order re-issued, what
changed (old → new), its PDF and e-mail, and the buyer's form for the supplier's answer."""

from __future__ import annotations

from django import template

from gendan.purchasing.forms_versions import ReackForm, RefuseForm
from gendan.purchasing.selectors_versions import versions_of
from gendan.purchasing.services.versions import change_lines
from gendan.purchasing.workflows import REACK_OPEN

register = template.Library()


@register.inclusion_tag("purchasing/_versions.html", takes_context=True)
def purchase_order_versions(context, po):
    request = context["request"]
    versions = versions_of(po)
    bound = context.get("reack_forms") or {}
    latest = versions[0] if versions else None
    may = request.user.has_perm("purchasing.change_purchaseorder")
    return {
        "po": po, "request": request, "csrf_token": context.get("csrf_token"),
        "versions": [(v, change_lines(v.changes)) for v in versions],
        "open": latest is not None and latest.reack_status in REACK_OPEN and may,
        "can_refuse": latest is not None and latest.reack_status == "awaiting" and may,
        "accept_form": bound.get("reack_accept") or ReackForm(prefix="reack_accept"),
        "refuse_form": bound.get("reack_refuse") or RefuseForm(prefix="reack_refuse"),
        "open_action": context.get("open_action", ""), "ok": {"allowed": True},
    }
