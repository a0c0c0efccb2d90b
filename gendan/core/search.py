"""Global search by code, name or PO number across everything the user may see.

Each app registers a provider: ``(label, function(user, query, limit) -> list of
{"title", "subtitle", "url"})``; providers query through their scoped selectors.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[..., list[dict]]
_PROVIDERS: list[tuple[str, object, Provider]] = []


def register(key: str, label, provider: Provider) -> None:
    if not any(k == key for k, _l, _p in _PROVIDERS):
        _PROVIDERS.append((key, label, provider))


def global_search(*, user, query: str, limit: int = 10) -> list[dict]:
    """Return groups of results, one per entity type that matched."""
    query = query.strip()[:100]
    groups = []
    for key, label, provider in _PROVIDERS:
        results = provider(user=user, query=query, limit=limit)
        if results:
            groups.append({"key": key, "label": label, "results": results})
    return groups
