"""The sales order's "release production" page (``sales/orders/<id>/release/``): the workshop
or factory, the due date and the quantity per line; ``order_release_production`` decides."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from gendan.production.forms import ReleaseProductionForm
from gendan.production.selectors import allocated_quantities
from gendan.production.services.release import order_release_production
from gendan.sales.views.order_actions import order_action_page


@login_required
def order_release(request, pk: int):
    def factory(order, data):
        already = allocated_quantities(order)
        open_quantities = {line.pk: line.quantity - already.get(line.pk, 0) for line in order.lines.all()}
        return ReleaseProductionForm(data, user=request.user, order=order, open_quantities=open_quantities)

    def call(order, form):
        data = form.cleaned_data
        return order_release_production(
            actor=request.user, order_id=order.pk, expected_version=data.get("version"),
            # Every line is passed, zeros included: an empty mapping would mean "all open quantities".
            assignments=[{"supplier": data["supplier"], "due_date": data["due_date"], "notes": data.get("notes", ""),
                          "lines": form.quantities()}])

    return order_action_page(request, pk, perm="sales.release_production", form_factory=factory, call=call,
                             template="production/order_release.html", success=_("Released to production."))
