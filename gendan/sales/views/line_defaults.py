"""A product picked on an order or quotation line fills that line (``sales.line_defaults``).

- ``line_defaults_json``: ``GET /sales/lines/defaults/?customer=<id>&product=<id>[&currency=USD]``
  answers the description, unit, unit price, the price's source and the packing as JSON; the
  order / quotation form's script (``sales/static/sales/sales.js``) fills the line's *empty*
  fields with them. A customer or product the user may not see is a 404; no right to enter
  orders or quotations is a 403; a malformed currency a 400.
- ``fill_lines``: the same without JavaScript — the form's "Fill from products" button.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gendan.catalog.selectors import product_get_for_user
from gendan.core.guards import parse_id
from gendan.parties.selectors import customer_queryset
from gendan.sales.forms.lines import LineSet, _plain
from gendan.sales.line_defaults import line_defaults

ENTRY_PERMISSIONS = ("sales.add_salesorder", "sales.change_salesorder", "sales.add_quotation",
                     "sales.change_quotation")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def _id(value) -> int:
    number = parse_id(value)
    if number is None:  # a malformed id is a missing one: the same 404
        raise Http404("No such object.")
    return number


@login_required
@require_GET
def line_defaults_json(request):
    user = request.user
    if not any(user.has_perm(p) for p in ENTRY_PERMISSIONS):
        raise PermissionDenied
    # The customer through the user's scope ("not yours" and "missing" are the same 404).
    customer = customer_queryset(user).filter(pk=_id(request.GET.get("customer"))).first()
    if customer is None:
        raise Http404("No such customer.")
    product = product_get_for_user(user=user, pk=_id(request.GET.get("product")))
    currency = (request.GET.get("currency") or "").strip()
    if currency and not _CURRENCY.match(currency):
        return JsonResponse({"code": "validation", "message": _("Unknown currency “%(code)s”.") % {"code": currency},
                             "fields": {"currency": [_("Unknown currency “%(code)s”.") % {"code": currency}]}},
                            status=400)
    found = line_defaults(customer=customer, product=product, currency=currency or customer.default_currency_id,
                          language=request.GET.get("language") or None)
    return JsonResponse({
        "product": product.pk,
        "description": found.description,
        "unit": found.unit,
        "unit_price": _plain(found.unit_price) if found.unit_price is not None else "",
        "currency": found.currency,
        "price_source": found.price_source,
        "price_note": found.price_note,
        "packing": found.packing,
        "packing_note": _("Packing: %(text)s") % {"text": found.packing} if found.packing else "",
        "packing_line": f"{product.code}: {found.packing}" if found.packing else "",
        "language": found.language,
    })


def fill_lines(request, lines: LineSet, *, customer=None, customer_id=None, currency=None) -> list[str]:
    """The "Fill from products" button: fill the rows' empty fields for ``customer`` (or the
    customer posted, ``customer_id``, read through the user's scope). Returns the packing lines,
    or [] with a message on the lines when there is no customer to take the prices from."""
    if customer is None and customer_id:
        number = parse_id(customer_id)
        customer = customer_queryset(request.user).filter(pk=number).first() if number else None
    if customer is None:
        lines.errors.append(_("Choose the customer first: the price is the customer’s last price."))
        return []
    code = getattr(currency, "code", currency) or customer.default_currency_id
    if not _CURRENCY.match(str(code)):
        code = customer.default_currency_id
    return lines.fill_from_products(lambda product: line_defaults(customer=customer, product=product, currency=code))
