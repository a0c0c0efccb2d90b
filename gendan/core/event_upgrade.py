"""Old timeline rows in the reader's language: recognise the text a row stored before event kinds
existed and give it its kind and parameters.

Rows written before kinds existed (``kind == ""``) hold their message frozen in the language of
the person who acted. Where that text is one of the registered kinds' texts — in English (the
msgid) or in Chinese (its translation) — with its placeholders filled, the row gets that kind and
the values it was filled with, and from then on reads in each reader's language. Texts that
match no kind keep their stored message, which the timeline shows as before (the fallback).

The parameters recovered are the words as they were written (a label stays in the language it
was stored in); the sentence around them is translated.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import translation
from django.utils.translation import gettext

from gendan.core.events import event_kinds

_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[a-zA-Z_][a-zA-Z0-9_]*)\))?(?P<conv>[sd])|%%")
MIN_LITERAL = 5  # a text with less fixed text (e.g. "%(kind)s: %(name)s") matches too much


@dataclass(frozen=True)
class _Pattern:
    kind: str
    regex: re.Pattern
    literal: int  # fixed characters: the more, the more specific
    ints: frozenset[str]


def _weight(fixed: str) -> int:
    """How specific fixed text is: a Chinese character says as much as two Latin ones."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in fixed.strip())


def _compile(kind: str, text: str) -> _Pattern | None:
    parts, seen, ints, literal, pos = [], set(), set(), 0, 0
    for match in _PLACEHOLDER.finditer(text):
        fixed = text[pos:match.start()]
        parts.append(re.escape(fixed))
        literal += _weight(fixed)
        pos = match.end()
        if match.group(0) == "%%":
            parts.append("%")
            literal += 1
            continue
        name = match.group("name")
        if name is None:  # a positional %s: not a kind's text
            return None
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            if match.group("conv") == "d":
                ints.add(name)
                parts.append(f"(?P<{name}>-?\\d+)")
            else:
                parts.append(f"(?P<{name}>.*?)")
    fixed = text[pos:]
    parts.append(re.escape(fixed))
    literal += _weight(fixed)
    if literal < MIN_LITERAL:
        return None
    return _Pattern(kind, re.compile("^" + "".join(parts) + "$", re.DOTALL), literal, frozenset(ints))


def _key(text: str) -> str:
    return text[:2]


class TextMatcher:
    """Every registered kind's text, in English and in Chinese, bucketed by how it begins so a
    row is tried against a handful of patterns, not all of them."""

    def __init__(self, kinds: dict[str, str] | None = None):
        self.by_start: dict[str, list[_Pattern]] = defaultdict(list)
        self.open_start: list[_Pattern] = []  # texts that begin with a placeholder
        for kind, text in (kinds if kinds is not None else event_kinds()).items():
            if not text:
                continue
            with translation.override("zh-hans"):
                chinese = gettext(text)
            for variant in {text, chinese}:
                pattern = _compile(kind, variant)
                if pattern is None:
                    continue
                head = _PLACEHOLDER.split(variant, 1)[0]
                if len(head) >= 2:
                    self.by_start[_key(head)].append(pattern)
                else:
                    self.open_start.append(pattern)
        for patterns in self.by_start.values():
            patterns.sort(key=lambda p: -p.literal)
        self.open_start.sort(key=lambda p: -p.literal)

    def match(self, message: str) -> tuple[str, dict] | None:
        if not message:
            return None
        candidates = sorted(self.by_start.get(_key(message), []) + self.open_start, key=lambda p: -p.literal)
        for pattern in candidates:
            found = pattern.regex.match(message)
            if found:
                params = {name: (int(value) if name in pattern.ints else value)
                          for name, value in found.groupdict().items()}
                return pattern.kind, params
        return None


def events_upgrade_text(event_model, *, batch: int = 5000) -> tuple[int, int]:
    """Give every row without a kind whose stored message matches a kind's text that kind and its
    parameters (the message stays as the fallback). Idempotent. Returns (rows read, rows upgraded).
    One plain ``UPDATE … WHERE id = …`` per matched row, sent in batches (``bulk_update``'s
    ``CASE`` statements took minutes for a million rows on SQLite)."""
    matcher = TextMatcher()
    connection = connections[router.db_for_write(event_model)]
    table = connection.ops.quote_name(event_model._meta.db_table)
    sql = f"UPDATE {table} SET kind = %s, params = %s WHERE id = %s"
    read = upgraded = 0
    last = 0
    while True:
        rows = list(event_model.objects.filter(kind="", pk__gt=last).exclude(message="")
                    .order_by("pk").values_list("pk", "message")[:batch])
        if not rows:
            break
        last = rows[-1][0]
        read += len(rows)
        changed = []
        for pk, message in rows:
            found = matcher.match(message)
            if found is not None:
                changed.append((found[0], json.dumps(found[1], ensure_ascii=False), pk))
        if changed:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.executemany(sql, changed)
        upgraded += len(changed)
    return read, upgraded
