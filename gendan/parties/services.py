"""Writes of customers, suppliers and contacts. Every write validates first, saves in one
transaction and leaves an event on the object's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import ValidationFailed
from gendan.core.events import event_record, field_value
from gendan.core.guards import require
from gendan.core.models import Event
from gendan.core.numbering import number_next
from gendan.core.services import full_clean_or_raise, model_create, model_update
from gendan.parties import events
from gendan.parties.errors import PartiesError
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.selectors import customer_queryset, supplier_queryset

# Who a customer belongs to decides who sees it; only managers and admins reassign.
CUSTOMER_ASSIGNMENT_FIELDS = ("salesperson", "merchandiser", "team", "region")


def can_assign_customers(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.MANAGER, Role.ADMIN)


def _validate_assignment(customer: Customer) -> None:
    errors = {}
    if customer.salesperson and not (customer.salesperson.has_role(Role.SALES, Role.MANAGER)):
        errors["salesperson"] = _("%(user)s is not a salesperson.") % {"user": customer.salesperson}
    if customer.merchandiser and not customer.merchandiser.has_role(Role.MERCHANDISER):
        errors["merchandiser"] = _("%(user)s is not a merchandiser.") % {"user": customer.merchandiser}
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)


def _unique_code_error(model, code: str) -> ValidationFailed:
    msg = _("The code “%(code)s” is already used by another %(what)s.") % {
        "code": code, "what": model._meta.verbose_name,
    }
    return ValidationFailed(msg, code=PartiesError.DUPLICATE_CODE, fields={"code": msg})


def _create_party(*, actor: User, obj, sequence: str):
    """Number the party if no code was typed, then validate, insert and record the event."""
    with transaction.atomic():
        if not obj.code:
            obj.code = number_next(code=sequence)
        elif type(obj).objects.filter(code=obj.code).exists():
            raise _unique_code_error(type(obj), obj.code)
        try:
            with transaction.atomic():
                model_create(actor=actor, obj=obj)
        except IntegrityError:  # a concurrent insert took the code between check and save
            raise _unique_code_error(type(obj), obj.code) from None
    return obj


def customer_create(*, actor: User, data: Mapping[str, Any]) -> Customer:
    """Create a customer. A salesperson or merchandiser creating one is assigned to it
    (and their team), so it is in their scope; only managers assign freely."""
    require(actor, "parties.add_customer")
    data = dict(data)
    if not can_assign_customers(actor):
        for name in CUSTOMER_ASSIGNMENT_FIELDS:
            data.pop(name, None)
        if actor.has_role(Role.SALES):
            data["salesperson"] = actor
        if actor.has_role(Role.MERCHANDISER):
            data["merchandiser"] = actor
        data["team"] = actor.team
        if actor.team and actor.team.region_id:
            data["region"] = actor.team.region
    customer = Customer(**data)
    customer.code = (customer.code or "").strip().upper()
    _validate_assignment(customer)
    return _create_party(actor=actor, obj=customer, sequence="customer")


def customer_update(
    *, actor: User, customer_id: int, data: Mapping[str, Any], expected_version: int | None, reason: str = ""
) -> tuple[Customer, dict]:
    """Edit a customer the actor can see. A stale ``expected_version`` is refused (409)."""
    require(actor, "parties.change_customer")
    data = dict(data)
    if "code" in data:
        data["code"] = (data["code"] or "").strip().upper()
        if not data["code"]:
            raise ValidationFailed(_("The code may not be empty."), fields={"code": _("This field is required.")})
        if Customer.objects.filter(code=data["code"]).exclude(pk=customer_id).exists():
            raise _unique_code_error(Customer, data["code"])
    if not can_assign_customers(actor):
        for name in CUSTOMER_ASSIGNMENT_FIELDS:
            data.pop(name, None)
    try:
        return model_update(
            actor=actor, queryset=customer_queryset(actor), pk=customer_id, expected_version=expected_version,
            data=data, reason=reason, validate=_validate_assignment,
        )
    except Customer.DoesNotExist:
        from django.http import Http404

        raise Http404("No such customer.") from None


def supplier_create(*, actor: User, data: Mapping[str, Any]) -> Supplier:
    require(actor, "parties.add_supplier")
    supplier = Supplier(**data)
    supplier.code = (supplier.code or "").strip().upper()
    return _create_party(actor=actor, obj=supplier, sequence="supplier")


def supplier_update(
    *, actor: User, supplier_id: int, data: Mapping[str, Any], expected_version: int | None, reason: str = ""
) -> tuple[Supplier, dict]:
    require(actor, "parties.change_supplier")
    data = dict(data)
    if "code" in data:
        data["code"] = (data["code"] or "").strip().upper()
        if not data["code"]:
            raise ValidationFailed(_("The code may not be empty."), fields={"code": _("This field is required.")})
        if Supplier.objects.filter(code=data["code"]).exclude(pk=supplier_id).exists():
            raise _unique_code_error(Supplier, data["code"])
    try:
        return model_update(
            actor=actor, queryset=supplier_queryset(actor), pk=supplier_id, expected_version=expected_version,
            data=data, reason=reason,
        )
    except Supplier.DoesNotExist:
        from django.http import Http404

        raise Http404("No such supplier.") from None


# --- contacts -------------------------------------------------------------------------

_CONTACT_FIELDS = ("name", "title", "phone", "mobile", "fax", "email", "wechat", "is_primary", "note")


def contact_save(*, actor: User, party: Customer | Supplier, data: Mapping[str, Any], contact_id: int | None = None
                 ) -> Contact:
    """Add a contact to ``party`` or edit one of its contacts. Recorded on the party's timeline.

    The caller has already fetched ``party`` through the scoped selector.
    """
    perm = "parties.change_customer" if isinstance(party, Customer) else "parties.change_supplier"
    require(actor, perm)
    with transaction.atomic():
        party = type(party).objects.select_for_update().get(pk=party.pk)
        if contact_id is None:
            contact = Contact(**{"customer" if isinstance(party, Customer) else "supplier": party})
            before = {}
        else:
            contact = party.contacts.get(pk=contact_id)
            before = {f: field_value(contact, f) for f in _CONTACT_FIELDS}
        for name in _CONTACT_FIELDS:
            if name in data:
                setattr(contact, name, data[name])
        full_clean_or_raise(contact)
        if contact.is_primary:
            party.contacts.exclude(pk=contact.pk).filter(is_primary=True).update(is_primary=False)
        contact.save()
        # Values as every other event stores them (booleans "1"/"0"), so the timeline shows yes/no.
        after = {f: field_value(contact, f) for f in _CONTACT_FIELDS}
        changes = {
            f"contact.{f}": {"old": before.get(f, ""), "new": after[f], "model": "parties.contact"}
            for f in _CONTACT_FIELDS
            if before.get(f, "") != after[f] and (before or after[f] not in ("", "0"))
        }
        event_record(actor=actor, obj=party, verb=Event.Verb.UPDATED, changes=changes,
                     kind=events.CONTACT_ADDED if contact_id is None else events.CONTACT_EDITED,
                     params={"name": contact.name})
    return contact


def contact_remove(*, actor: User, party: Customer | Supplier, contact_id: int) -> None:
    perm = "parties.change_customer" if isinstance(party, Customer) else "parties.change_supplier"
    require(actor, perm)
    with transaction.atomic():
        contact = party.contacts.get(pk=contact_id)
        name = contact.name
        contact.delete()
        event_record(actor=actor, obj=party, verb=Event.Verb.UPDATED, kind=events.CONTACT_REMOVED,
                     params={"name": name})
