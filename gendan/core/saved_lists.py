"""Saved list views: a person's named filters + sort + columns + grouping of one list page
(``core.models.SavedListView``). Reads and writes of one's own only: another person's saved
view is a 404 like a missing one. A preference, not a business record: no timeline row."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.core.models import SavedListView

# What a saved view keeps of the query string: everything but the page, the export switch,
# the typeahead endpoint's parameters and the saved view itself.
TRANSIENT = ("page", "export", "view", "typeahead", "term", "csrfmiddlewaretoken", "form_token")
MAX_PER_LIST = 50


def clean_query(query: str) -> str:
    data = QueryDict(query or "", mutable=True)
    for name in TRANSIENT:
        data.pop(name, None)
    return data.urlencode()[:2000]


def saved_views_for(*, user, list_key: str) -> list[SavedListView]:
    if not user.is_authenticated:
        return []
    return list(SavedListView.objects.filter(user=user, list_key=list_key))


def saved_view_get(*, user, pk, list_key: str | None = None) -> SavedListView:
    """The user's own saved view; 404 for a missing one and for anyone else's alike."""
    try:
        qs = SavedListView.objects.filter(user=user)
        if list_key is not None:
            qs = qs.filter(list_key=list_key)
        return qs.get(pk=int(pk))
    except (SavedListView.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such saved view.") from None


def default_view_for(*, user, list_key: str) -> SavedListView | None:
    if not user.is_authenticated:
        return None
    return SavedListView.objects.filter(user=user, list_key=list_key, is_default=True).first()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Give the saved view a name."), fields={"name": _("This field is required.")})
    if len(name) > 80:
        raise ValidationFailed(_("A name has at most 80 characters."),
                               fields={"name": _("A name has at most 80 characters.")})
    return name


def _taken(exc: IntegrityError, name: str):
    return ValidationFailed(_("You already have a saved view named “%(name)s” on this list.") % {"name": name},
                            fields={"name": _("This name is taken.")})


def saved_view_create(*, user, list_key: str, name: str, query: str, is_default: bool = False) -> SavedListView:
    name = _clean_name(name)
    list_key = (list_key or "")[:80]
    if not list_key:
        raise ValidationFailed(_("Unknown list."), fields={"list_key": _("Unknown list.")})
    if SavedListView.objects.filter(user=user, list_key=list_key).count() >= MAX_PER_LIST:
        raise ValidationFailed(_("At most %(n)s saved views per list: delete one first.") % {"n": MAX_PER_LIST})
    try:
        with transaction.atomic():
            if is_default:
                SavedListView.objects.filter(user=user, list_key=list_key, is_default=True).update(is_default=False)
            return SavedListView.objects.create(user=user, list_key=list_key, name=name,
                                                query=clean_query(query), is_default=is_default)
    except IntegrityError as exc:
        raise _taken(exc, name) from None


def saved_view_rename(*, user, pk, name: str) -> SavedListView:
    name = _clean_name(name)
    try:
        with transaction.atomic():
            view = saved_view_get(user=user, pk=pk)
            view.name = name
            view.save(update_fields=["name"])
            return view
    except IntegrityError as exc:
        raise _taken(exc, name) from None


def saved_view_update_query(*, user, pk, query: str) -> SavedListView:
    view = saved_view_get(user=user, pk=pk)
    view.query = clean_query(query)
    view.save(update_fields=["query"])
    return view


def saved_view_delete(*, user, pk) -> str:
    view = saved_view_get(user=user, pk=pk)
    list_key = view.list_key
    view.delete()
    return list_key


def saved_view_set_default(*, user, pk, is_default: bool = True) -> SavedListView:
    with transaction.atomic():
        view = saved_view_get(user=user, pk=pk)
        SavedListView.objects.filter(user=user, list_key=view.list_key, is_default=True).exclude(
            pk=view.pk).update(is_default=False)
        view.is_default = is_default
        view.save(update_fields=["is_default"])
        return view
