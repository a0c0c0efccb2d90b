"""Container loading: where the cartons of a shipment go in a container, and which containers to book.

Pure functions, no database:

- ``load_plan(cartons, container_type)`` — a loading plan for one container;
- ``recommend_containers(cartons)`` — the cheapest mix of containers that holds everything;
- ``plan_svg(plan)`` — the plan drawn from above and from the side;
- ``loading_list(plan)`` — the rows the warehouse prints, in loading order.

``cartons`` is a list of ``{"ref", "length_mm", "width_mm", "height_mm", "gross_kg", "count"}``.
Cartons stay upright (they only turn about the vertical axis). A plan is::

    {"container": "40HQ",
     "placed": [{"ref", "x", "y", "z", "l", "w", "h"}, …],   # mm; l, w, h are the extents along x, y, z
     "unplaced": {ref: count}, "gross_kg": …, "cbm": …, "fill_pct": …}

with the origin at the floor corner on the door side: x runs from the door (0) to the far end,
y across the width, z up. Placed cartons do not overlap, stay inside the box, and each stands
on the floor or on the top face of the carton under it (full support); the load never weighs
more than the container's payload, and no carton stands on a lighter one.

How it packs (wall building): cartons of identical size form one size class, whatever their
refs. The container is filled from the far end toward the door in *walls* — slabs across the
whole width. A wall of depth D is a row of strips side by side across the width; a strip is one
size class in one orientation, as many stacks deep as D allows and as high as the box allows.
The strips of a wall are chosen by a knapsack over the width (so a wall may mix the two
orientations, e.g. 600 × 400 cartons as two deep one way and three deep the other in a
1 200 mm wall). The flat top of a strip (and the floor left in front of a shallower strip) is a
smaller box, filled the same way with what remains. Several strategies choose the walls —
densest wall first, or one size class after another (largest, heaviest, tallest first, then what
the best plan so far left out) — and the plan that loads the most volume wins. When only one size class is left, the walls are chosen by
a dynamic programme over the remaining length, so a single carton size always loads at least
as many cartons as the best plain grid in either orientation (and usually more). Finally the
walls are ordered heaviest (per metre) at the far end, and the cartons of a size class go
heaviest first, so heavy cartons end up low and at the far end.
"""

from __future__ import annotations

import colorsys
import heapq
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.shipping.errors import ShippingError


@dataclass(frozen=True)
class ContainerType:
    """An ISO dry container: inside dimensions and door opening in mm, payload in kg.

    Inside dimensions and payloads as issue 12 fixes them; the door openings are the World
    Shipping Council's (the smallest figures in DOMAIN §2), since a carton must pass the door.
    """

    code: str
    length_mm: int
    width_mm: int
    height_mm: int
    payload_kg: int
    door_width_mm: int
    door_height_mm: int

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


CONTAINER_TYPES: dict[str, ContainerType] = {c.code: c for c in (
    ContainerType("20GP", 5898, 2352, 2393, 28_180, 2340, 2274),
    ContainerType("40GP", 12032, 2352, 2393, 26_730, 2340, 2274),
    ContainerType("40HQ", 12032, 2352, 2698, 26_540, 2340, 2577),
    ContainerType("45HQ", 13556, 2352, 2698, 25_660, 2340, 2584),
)}

# ASSUMPTION, not a quote: the freight of each container type relative to a 20GP, used only to
# compare container mixes. Forwarders' rates commonly put a 40' at 1.5–2 × a 20', a high cube a
# little above a 40GP, and a 45' above both; replace with the forwarder's real rates when known.
RELATIVE_COST: dict[str, Decimal] = {
    "20GP": Decimal("1.0"),
    "40GP": Decimal("1.6"),
    "40HQ": Decimal("1.7"),
    "45HQ": Decimal("2.0"),
}

MAX_CARTONS = 100_000  # per call; a bound on the work, far above any real shipment
MAX_REF_LENGTH = 100
_MAX_MM = 100_000  # a dimension beyond 100 m is a typo, not a carton

_FIELDS = ("ref", "length_mm", "width_mm", "height_mm", "gross_kg", "count")


# ---------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class _Carton:
    index: int
    ref: str
    length: int
    width: int
    height: int
    grams: int
    count: int


def _invalid(errors: dict[str, str], code: str, field: str, message: str) -> None:
    errors.setdefault(field, message)
    errors.setdefault("__code__", code)


def _raise(errors: dict[str, str]) -> None:
    code = errors.pop("__code__")
    raise ValidationFailed(next(iter(errors.values())), code=code, fields=errors)


def _whole(value) -> int | None:
    """``value`` as a whole number (an int, or a string / Decimal / float holding one), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, (str, float, Decimal)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _kilograms(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, str, float, Decimal)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _parse_cartons(cartons) -> list[_Carton]:
    """The cartons, checked field by field; refuse (400) naming every wrong field."""
    errors: dict[str, str] = {}
    code = ShippingError.INVALID_CARTON
    if isinstance(cartons, (str, bytes, Mapping)) or not isinstance(cartons, Sequence):
        _invalid(errors, code, "cartons", _("Cartons must be a list of cartons."))
        _raise(errors)
    if not cartons:
        _invalid(errors, code, "cartons", _("Give at least one carton to load."))
        _raise(errors)
    labels = {"length_mm": _("length (mm)"), "width_mm": _("width (mm)"), "height_mm": _("height (mm)"),
              "gross_kg": _("gross weight (kg)"), "count": _("number of cartons")}
    parsed, seen, total = [], {}, 0
    for i, item in enumerate(cartons):
        field = f"cartons[{i}]"
        if not isinstance(item, Mapping):
            _invalid(errors, code, field, _("Each carton needs ref, length_mm, width_mm, height_mm, gross_kg "
                                            "and count."))
            continue
        missing = [name for name in _FIELDS if item.get(name) in (None, "")]
        ref = item.get("ref")
        if "ref" not in missing:
            if not isinstance(ref, (str, int)) or isinstance(ref, bool) or not str(ref).strip():
                _invalid(errors, code, f"{field}.ref", _("Carton %(n)s: the reference must be text.") % {"n": i + 1})
                ref = None
            else:
                ref = str(ref).strip()
                if len(ref) > MAX_REF_LENGTH:
                    _invalid(errors, code, f"{field}.ref", _("Carton %(n)s: the reference is longer than "
                                                             "%(max)s characters.") % {"n": i + 1, "max": MAX_REF_LENGTH})
                elif ref in seen:
                    _invalid(errors, ShippingError.DUPLICATE_CARTON_REF, f"{field}.ref", _(
                        "Carton reference %(ref)s appears twice (cartons %(first)s and %(n)s); give each "
                        "reference once, with its total count.") % {"ref": ref, "first": seen[ref] + 1, "n": i + 1})
                seen.setdefault(ref, i)
        name_for_message = ref or str(i + 1)
        for name in missing:
            _invalid(errors, code, f"{field}.{name}", _("Carton %(ref)s: give the %(label)s.") % {
                "ref": name_for_message, "label": labels.get(name, _("reference"))})
        values = {}
        for name in ("length_mm", "width_mm", "height_mm", "count"):
            if name in missing:
                continue
            number = _whole(item.get(name))
            if number is None or number <= 0:
                _invalid(errors, code, f"{field}.{name}", _(
                    "Carton %(ref)s: the %(label)s must be a whole number above zero.") % {
                    "ref": name_for_message, "label": labels[name]})
            elif name != "count" and number > _MAX_MM:
                _invalid(errors, code, f"{field}.{name}", _(
                    "Carton %(ref)s: the %(label)s is implausibly large (%(value)s mm).") % {
                    "ref": name_for_message, "label": labels[name], "value": number})
            else:
                values[name] = number
        if "gross_kg" not in missing:
            kg = _kilograms(item.get("gross_kg"))
            if kg is None or kg <= 0:
                _invalid(errors, code, f"{field}.gross_kg", _(
                    "Carton %(ref)s: the %(label)s must be a number above zero.") % {
                    "ref": name_for_message, "label": labels["gross_kg"]})
            else:
                values["grams"] = math.ceil(kg * 1000)  # rounded up: the payload is never exceeded
        total += values.get("count", 0)
        if len(values) == 5 and ref is not None:
            parsed.append(_Carton(i, ref, values["length_mm"], values["width_mm"], values["height_mm"],
                                  values["grams"], values["count"]))
    if total > MAX_CARTONS:
        _invalid(errors, ShippingError.TOO_MANY_CARTONS, "cartons", _(
            "At most %(max)s cartons go into one loading plan; these are %(n)s.") % {"max": _mm(MAX_CARTONS),
                                                                                   "n": _mm(total)})
    if errors:
        _raise(errors)
    return parsed


def _container(container_type) -> ContainerType:
    container = CONTAINER_TYPES.get(str(container_type).strip().upper()) if isinstance(container_type, str) else None
    if container is None:
        message = _("Unknown container type %(value)s; choose one of %(types)s.") % {
            "value": str(container_type)[:20], "types": ", ".join(CONTAINER_TYPES)}
        raise ValidationFailed(message, code=ShippingError.UNKNOWN_CONTAINER_TYPE, fields={"container_type": message})
    return container


def _misfit(carton: _Carton, container: ContainerType) -> str | None:
    """The field that keeps ``carton`` out of ``container`` (upright, through the door), or None."""
    long_side, short_side = max(carton.length, carton.width), min(carton.length, carton.width)
    if carton.height > min(container.height_mm, container.door_height_mm):
        return "height_mm"
    if short_side > min(container.width_mm, container.door_width_mm) or long_side > container.length_mm:
        return "length_mm"
    if carton.grams > container.payload_kg * 1000:
        return "gross_kg"
    return None


def _misfit_message(carton: _Carton, containers: Iterable[ContainerType]) -> str:
    containers = list(containers)
    c = containers[0]
    if len(containers) > 1:
        return _("Carton %(ref)s (%(l)s × %(w)s × %(h)s mm, %(kg)s kg) fits none of the container types "
                 "(%(types)s).") % {"ref": carton.ref, "l": carton.length, "w": carton.width, "h": carton.height,
                                    "kg": _kg(carton.grams), "types": ", ".join(x.code for x in containers)}
    if _misfit(carton, c) == "gross_kg":
        return _("Carton %(ref)s weighs %(kg)s kg, more than the payload of a %(container)s (%(payload)s kg).") % {
            "ref": carton.ref, "kg": _kg(carton.grams), "container": c.code, "payload": c.payload_kg}
    return _("Carton %(ref)s (%(l)s × %(w)s × %(h)s mm) does not fit upright in a %(container)s (inside "
             "%(L)s × %(W)s × %(H)s mm, door %(DW)s × %(DH)s mm).") % {
        "ref": carton.ref, "l": carton.length, "w": carton.width, "h": carton.height, "container": c.code,
        "L": c.length_mm, "W": c.width_mm, "H": c.height_mm, "DW": c.door_width_mm, "DH": c.door_height_mm}


def _kg(grams: int) -> float:
    return round(grams / 1000, 3)


# ---------------------------------------------------------------------------------------------
# Packing


class _Size:
    """A size class: cartons of identical dimensions, possibly of several refs, heaviest first."""

    __slots__ = ("h", "orients", "volume", "segments", "total", "heaviest", "key")

    def __init__(self, length: int, width: int, height: int, cartons: list[_Carton], counts: Mapping[str, int]):
        self.h = height
        self.orients = ((length, width),) if length == width else ((length, width), (width, length))
        self.volume = length * width * height
        self.key = (length, width, height)
        self.segments = []  # (ref, grams, first index, end index)
        start = 0
        for c in sorted(cartons, key=lambda c: (-c.grams, c.index)):
            n = counts.get(c.ref, 0)
            if n > 0:
                self.segments.append((c.ref, c.grams, start, start + n))
                start += n
        self.total = start
        self.heaviest = self.segments[0][1] if self.segments else 0


class _Run:
    """One attempt at loading a container: what is left, what is placed."""

    def __init__(self, sizes: list[_Size], container: ContainerType):
        self.sizes = sizes
        self.taken = [0] * len(sizes)
        self.grams_left = container.payload_kg * 1000
        self.placed: list[tuple] = []  # (ref, x, y, z, l, w, h, grams)
        self.wall_cache: dict = {}

    def left(self, c: int) -> int:
        return self.sizes[c].total - self.taken[c]

    def next_grams(self, c: int) -> int:
        """The weight of the next carton of class ``c`` (the heaviest left)."""
        position = self.taken[c]
        for _ref, grams, start, end in self.sizes[c].segments:
            if start <= position < end:
                return grams
        return 0

    def can_take(self, c: int, offset: int, m: int, budget: int) -> tuple[int, int]:
        """How many of the next ``m`` cartons of class ``c`` (after ``offset`` already planned)
        fit in ``budget`` grams, and their weight. Cartons are taken in order."""
        position, got, grams = self.taken[c] + offset, 0, 0
        for _ref, each, start, end in self.sizes[c].segments:
            if end <= position or got == m:
                continue
            k = min(end - max(start, position), m - got)
            if each * k > budget - grams:
                k = (budget - grams) // each
                return got + k, grams + k * each
            got += k
            grams += k * each
        return got, grams

    def take(self, c: int, m: int) -> list[tuple[str, int]]:
        out = []
        position = self.taken[c]
        for ref, each, start, end in self.sizes[c].segments:
            if end <= position or len(out) == m:
                continue
            k = min(end - max(start, position), m - len(out))
            out.extend([(ref, each)] * k)
        self.taken[c] += len(out)
        self.grams_left -= sum(g for _r, g in out)
        return out


# A strip: (size class, depth d along x, width s along y, stacks deep k, cartons per stack n, cartons m)
# A wall: (depth D, volume, strips)


def _available(run: _Run, length: int, width: int, height: int, max_grams: int) -> list[int]:
    out = []
    budget = min(max_grams, run.grams_left)
    for c, size in enumerate(run.sizes):
        if run.taken[c] >= size.total or size.h > height or run.next_grams(c) > budget:
            continue
        if any(d <= length and s <= width for d, s in size.orients):
            out.append(c)
    return out


def _wall(run: _Run, classes: Sequence[int], depth: int, width: int, height: int, max_grams: int,
          unlimited: bool = False, favour: int | None = None):
    """The fullest wall of ``depth`` across ``width``: a knapsack of strips over the width.
    ``favour``: a size class whose volume counts eight times, so that it goes first and the
    others only fill the width it leaves."""
    items = []
    for c in classes:
        size = run.sizes[c]
        n = height // size.h
        for d, s in size.orients:
            # a strip that leaves more than a third of the depth empty is left out (its gap in
            # front would be filled afterwards anyway): fewer, better items keep the knapsack fast
            if d <= depth and s <= width and 3 * (depth // d) * d >= 2 * depth:
                items.append((s, c, d, depth // d, n))
    if not items:
        return None
    if len(items) > 12:
        # many sizes: the ten strips that fill the wall best per mm of width, and the two
        # narrowest to fill what width they leave
        items.sort(key=lambda it: (-it[3] * it[4] * run.sizes[it[1]].volume / it[0], it[0], it[1]))
        items = items[:10] + sorted(items[10:], key=lambda it: (it[0], it[1]))[:2]
    key = (depth, width, height, tuple(classes), favour)
    wall = run.wall_cache.get(key)
    if wall is None:
        wall = run.wall_cache[key] = _wall_unlimited(run, items, depth, width, favour)
    if unlimited:
        return wall
    # The fullest wall with unlimited cartons (cached: walls repeat) is the answer whenever the
    # cartons and the payload left allow it; otherwise the knapsack counts them.
    used: dict[int, int] = {}
    for c, _d, _s, _k, _n, m in wall[2]:
        used[c] = used.get(c, 0) + m
    budget = min(max_grams, run.grams_left)
    if (all(run.left(c) >= m for c, m in used.items())
            and sum(m * run.sizes[c].heaviest for c, m in used.items()) <= budget):
        return wall
    return _wall_limited(run, items, depth, width, max_grams, favour)


def _wall_unlimited(run: _Run, items, depth: int, width: int, favour: int | None):
    best = {0: (0, None, None, 0)}  # width used -> (objective, previous width, item, volume)
    heap = [0]
    done = set()
    record = -1  # the best volume at a smaller width: a state that does no better is dominated
    while heap:
        used = heapq.heappop(heap)
        if used in done:
            continue
        done.add(used)
        objective, _previous, _item, volume = best[used]
        if objective <= record:
            continue
        record = objective
        for item in items:
            s, c, _d, k, n = item
            new = used + s
            if new > width:
                continue
            gain = k * n * run.sizes[c].volume
            value = objective + (8 * gain if c == favour else gain)
            if value > record and (new not in best or value > best[new][0]):
                best[new] = (value, used, item, volume + gain)
                heapq.heappush(heap, new)
    end = max(best, key=lambda w: (best[w][0], -w))
    strips, at = [], end
    while best[at][2] is not None:
        s, c, d, k, n = best[at][2]
        strips.append((c, d, s, k, n, k * n))
        at = best[at][1]
    return (depth, best[end][3], tuple(reversed(strips)))


def _wall_limited(run: _Run, items, depth: int, width: int, max_grams: int, favour: int | None):
    budget = min(max_grams, run.grams_left)
    lefts = {c: run.left(c) for _s, c, _d, _k, _n in items}
    heaviest = {c: run.sizes[c].heaviest for c in lefts}
    best = {0: (0, (), {}, 0, 0)}  # width used -> (objective, strips, cartons used per class, grams, volume)
    heap = [0]
    done = set()
    record = -1  # as in _wall_unlimited (a heuristic here: the counts make states differ)
    while heap:
        used = heapq.heappop(heap)
        if used in done:
            continue
        done.add(used)
        objective, strips, counts, grams, volume = best[used]
        if objective <= record:
            continue
        record = objective
        for s, c, d, k, n in items:
            new = used + s
            if new > width:
                continue
            before = counts.get(c, 0)
            m = min(k * n, lefts[c] - before)
            if m <= 0:
                continue
            g = m * heaviest[c]
            if g > budget - grams:  # the payload may bind: count carton by carton
                m, g = run.can_take(c, before, m, budget - grams)
                if m <= 0:
                    continue
            gain = m * run.sizes[c].volume
            value = objective + (8 * gain if c == favour else gain)
            if value > record and (new not in best or value > best[new][0]):
                best[new] = (value, (*strips, (c, d, s, k, n, m)), {**counts, c: before + m}, grams + g,
                             volume + gain)
                heapq.heappush(heap, new)
    end = max(best, key=lambda w: (best[w][0], -w))
    if not best[end][0]:
        return None
    return (depth, best[end][4], best[end][1])


def _depths(run: _Run, classes: Iterable[int], length: int, multiples: int) -> list[int]:
    out = set()
    for c in classes:
        for d, _s in run.sizes[c].orients:
            for m in range(1, multiples + 1):
                if m * d <= length:
                    out.add(m * d)
    return sorted(out)


def _best_wall(run: _Run, classes: list[int], definers: list[int], length: int, width: int, height: int,
               max_grams: int, favour: int | None = None):
    """The densest wall whose depth suits one of ``definers`` (1 to 3 cartons deep)."""
    # A wall with the cartons left is never denser than with unlimited cartons (cached): try the
    # depths in that order and stop when none can beat the best found.
    bounds = []
    for depth in _depths(run, definers, length, 3):
        wall = _wall(run, classes, depth, width, height, max_grams, unlimited=True, favour=favour)
        if wall is not None and wall[1]:
            bounds.append((wall[1] / depth, -depth))
    best, best_key = None, None
    for bound in sorted(bounds, reverse=True):
        if best_key is not None and bound <= best_key and favour is None:
            break  # (a favoured size makes the unlimited wall no bound on volume: try every depth)
        wall = _wall(run, classes, -bound[1], width, height, max_grams, favour=favour)
        if wall is None or not wall[1]:
            continue
        key = (wall[1] / wall[0], -wall[0])  # densest wall; among equals the shallowest
        if best_key is None or key > best_key:
            best, best_key = wall, key
    return best


def _single_size_walls(run: _Run, c: int, length: int, width: int, height: int, max_grams: int) -> list:
    """The walls that load the most cartons of one size class into ``length``: a dynamic
    programme over the length, each wall the fullest for its depth."""
    options = []
    for depth in _depths(run, [c], length, 4):
        wall = _wall(run, [c], depth, width, height, max_grams, unlimited=True)
        if wall is not None and wall[1]:
            options.append(wall)
    best = {0: (0, None, None)}
    heap = [0]
    done = set()
    record = -1
    while heap:
        used = heapq.heappop(heap)
        if used in done:
            continue
        done.add(used)
        volume = best[used][0]
        if volume <= record:
            continue
        record = volume
        for wall in options:
            new = used + wall[0]
            if new > length:
                continue
            if volume + wall[1] > record and (new not in best or volume + wall[1] > best[new][0]):
                best[new] = (volume + wall[1], used, wall)
                heapq.heappush(heap, new)
    end = max(best, key=lambda w: (best[w][0], -w))
    walls, at = [], end
    while best[at][2] is not None:
        walls.append(best[at][2])
        at = best[at][1]
    walls.sort(key=lambda w: (-w[1] / w[0], w[0]))
    return walls


def _fill_box(run: _Run, x_end: int, y0: int, z0: int, length: int, width: int, height: int, max_grams: int,
              order: Sequence[int] | None = None, walls_out: list | None = None) -> None:
    """Fill the box ``[x_end - length, x_end] × [y0, y0 + width] × [z0, z0 + height]`` (its floor
    fully supported, its cartons at most ``max_grams`` each) with walls from ``x_end`` toward the
    door. ``order``: the size classes that set the wall depth one after another (None: any, the
    densest wall first). ``walls_out`` collects (x from, x to, first placed, end placed)."""
    left = length
    planned: list = []
    planned_at = None
    while True:
        classes = _available(run, left, width, height, max_grams)
        if not classes:
            return
        if planned:
            wall = planned.pop(0)
            if wall[0] > left:
                planned = []
                continue
            wall = _wall(run, classes, wall[0], width, height, max_grams)
        elif len(classes) == 1:
            if planned_at == left:  # planned here before and nothing went in: nothing will
                return
            planned, planned_at = _single_size_walls(run, classes[0], left, width, height, max_grams), left
            if not planned:
                return
            continue
        else:
            # the depth of a wall suits one of the six size classes with most volume left
            definers, favour = sorted(classes, key=lambda c: -run.left(c) * run.sizes[c].volume)[:6], None
            if order is not None:
                favour = next(c for c in order if c in classes)
                definers = [favour]
            wall = _best_wall(run, classes, definers, left, width, height, max_grams, favour)
        if wall is None or not wall[1]:
            if planned:
                continue
            return
        first = len(run.placed)
        _place_wall(run, wall, x_end, y0, z0, width, height, max_grams)
        if walls_out is not None:
            walls_out.append((x_end - wall[0], x_end, first, len(run.placed)))
        x_end -= wall[0]
        left -= wall[0]


def _place_wall(run: _Run, wall, x_end: int, y0: int, z0: int, width: int, height: int, max_grams: int) -> None:
    depth, _volume, strips = wall
    # Strips of equal depth and height side by side, so that their tops make one flat box.
    strips = sorted(strips, key=lambda st: (-st[3] * st[1], -st[4] * run.sizes[st[0]].h, st[0]))
    y = y0
    tops: list[list] = []  # [x depth, y from, y to, z top, lightest top carton]
    fronts: list[list] = []  # [depth in front, y from, y to]
    for c, d, s, k, n, m in strips:
        h = run.sizes[c].h
        full, rest = divmod(m, n)
        lightest = max_grams
        for j in range(min(k, full + (1 if rest else 0))):
            cartons = run.take(c, n if j < full else rest)
            x = x_end - (j + 1) * d
            for i, (ref, grams) in enumerate(cartons):
                run.placed.append((ref, x, y, z0 + i * h, d, s, h, grams))
            if j < full:
                lightest = min(lightest, cartons[-1][1])
        if full:
            top = (full * d, z0 + n * h)
            if tops and (tops[-1][0], tops[-1][3]) == top and tops[-1][2] == y:
                tops[-1][2] = y + s
                tops[-1][4] = min(tops[-1][4], lightest)
            else:
                tops.append([full * d, y, y + s, top[1], lightest])
        if full == k and depth > k * d:
            gap = depth - k * d
            if fronts and fronts[-1][0] == gap and fronts[-1][2] == y:
                fronts[-1][2] = y + s
            else:
                fronts.append([gap, y, y + s])
        y += s
    for box_depth, y_from, y_to, z_top, lightest in tops:
        if z0 + height - z_top > 0:
            _fill_box(run, x_end, y_from, z_top, box_depth, y_to - y_from, z0 + height - z_top, lightest)
    for gap, y_from, y_to in fronts:
        _fill_box(run, x_end - (depth - gap), y_from, z0, gap, y_to - y_from, height, max_grams)


def _strategies(sizes: list[_Size]) -> list[tuple[str, list[int] | None]]:
    by = range(len(sizes))
    out = [("densest wall first", None),
           ("largest cartons first", sorted(by, key=lambda c: (-sizes[c].volume, c))),
           ("heaviest cartons first", sorted(by, key=lambda c: (-sizes[c].heaviest, -sizes[c].volume, c))),
           ("tallest cartons first", sorted(by, key=lambda c: (-sizes[c].h, -sizes[c].volume, c)))]
    if len(sizes) == 1:
        return out[:1]
    seen, unique = set(), []
    for name, order in out:
        key = tuple(order) if order is not None else None
        if key not in seen:
            seen.add(key)
            unique.append((name, order))
    return unique


def _size_classes(cartons: list[_Carton], counts: Mapping[str, int], container: ContainerType) -> list[_Size]:
    groups: dict[tuple[int, int, int], list[_Carton]] = {}
    for c in cartons:
        if counts.get(c.ref, 0) > 0 and _misfit(c, container) is None:
            key = (max(c.length, c.width), min(c.length, c.width), c.height)
            groups.setdefault(key, []).append(c)
    sizes = [_Size(*key, group, counts) for key, group in groups.items()]
    sizes.sort(key=lambda s: (-s.volume, s.key))
    return sizes


def _pack(cartons: list[_Carton], counts: Mapping[str, int], container: ContainerType) -> tuple[list[tuple], str]:
    """The best of the strategies: placed cartons (walls reordered heaviest at the far end)."""
    sizes = _size_classes(cartons, counts, container)
    if not sizes:
        return [], ""
    everything = sum(s.volume * s.total for s in sizes)
    tried: set = set()
    best, best_key = None, None

    length, width, height = container.length_mm, container.width_mm, container.height_mm
    payload = container.payload_kg * 1000

    def attempt(name: str, order: list[int] | None, split: int = 0) -> bool:
        nonlocal best, best_key
        key = (tuple(order) if order is not None else None, split)
        if key in tried:
            return False
        tried.add(key)
        run = _Run(sizes, container)
        walls: list = []
        if split:  # two boxes side by side along the whole length, each filled on its own
            _fill_box(run, length, 0, 0, length, split, height, payload)
            _fill_box(run, length, split, 0, length, width - split, height, payload)
            if run.placed:
                walls.append((min(p[1] for p in run.placed), length, 0, len(run.placed)))
        else:
            _fill_box(run, length, 0, 0, length, width, height, payload, order=order, walls_out=walls)
        volume = sum(p[4] * p[5] * p[6] for p in run.placed)
        score = (volume, len(run.placed), -len(tried))
        if best_key is None or score > best_key:
            best, best_key = (run.placed, walls, name, run.taken), score
        return volume == everything  # everything is in: no strategy can do better

    done = False
    for name, order in _strategies(sizes):
        done = attempt(name, order)
        if done:
            break
    if not done and len(sizes) == 1:
        # One size: also split the width in two, each part filled on its own (for example
        # cartons lengthwise on one side, crosswise on the other).
        a, b = sizes[0].orients[0]
        splits = sorted({i * a + j * b for i in range(width // a + 1) for j in range(width // b + 1)
                         if 0 < i * a + j * b < width})
        for split in splits:
            if attempt("width split in two", None, split):
                break
    elif not done:
        # What the best plan left out goes first; twice, as the second try may leave out another.
        for _round in range(2):
            taken = best[3]
            order = sorted(range(len(sizes)), key=lambda c: (-(sizes[c].total - taken[c]) * sizes[c].volume,
                                                             -sizes[c].volume, c))
            if attempt("what was left out first", order):
                break
    placed, walls, name, _taken = best
    return _heaviest_to_far_end(placed, walls, container.length_mm), name


def _heaviest_to_far_end(placed: list[tuple], walls: list, length: int) -> list[tuple]:
    """The walls are independent slabs: put the heaviest (per mm of depth) at the far end."""
    def density(wall):
        x_from, x_to, first, end = wall
        return -sum(p[7] for p in placed[first:end]) / (x_to - x_from)

    out, x_end = [], length
    for wall in sorted(walls, key=density):
        x_from, x_to, first, end = wall
        shift = x_end - x_to
        out.extend((p[0], p[1] + shift, *p[2:]) for p in placed[first:end])
        x_end -= x_to - x_from
    return out


def _plan(container: ContainerType, placed: list[tuple], counts: Mapping[str, int]) -> dict:
    loaded: dict[str, int] = {}
    for p in placed:
        loaded[p[0]] = loaded.get(p[0], 0) + 1
    volume = sum(p[4] * p[5] * p[6] for p in placed)
    return {
        "container": container.code,
        "placed": [{"ref": p[0], "x": p[1], "y": p[2], "z": p[3], "l": p[4], "w": p[5], "h": p[6]} for p in placed],
        "unplaced": {ref: n - loaded.get(ref, 0) for ref, n in counts.items() if n - loaded.get(ref, 0) > 0},
        "gross_kg": _kg(sum(p[7] for p in placed)),
        "cbm": round(volume / 1e9, 3),
        "fill_pct": round(100 * volume / container.volume_mm3, 1),
    }


def load_plan(cartons: Sequence[Mapping], container_type: str) -> dict:
    """Return the loading plan of ``cartons`` in one container of ``container_type`` (see the
    module docstring for the shapes). What does not fit — by room or by payload — is in
    ``unplaced``. Refuse (400, ``fields`` naming each wrong field) a malformed carton, an unknown
    container type, more than ``MAX_CARTONS`` cartons, or a carton that cannot stand upright in
    the container or pass its door (``carton_does_not_fit``)."""
    container = _container(container_type)
    parsed = _parse_cartons(cartons)
    errors: dict[str, str] = {}
    for carton in parsed:
        field = _misfit(carton, container)
        if field:
            _invalid(errors, ShippingError.CARTON_DOES_NOT_FIT, f"cartons[{carton.index}].{field}",
                     _misfit_message(carton, [container]))
    if errors:
        _raise(errors)
    counts = {c.ref: c.count for c in parsed}
    placed, _strategy = _pack(parsed, counts, container)
    return _plan(container, placed, counts)


# ---------------------------------------------------------------------------------------------
# Which containers


def recommend_containers(cartons: Sequence[Mapping], container_types: Sequence[str] | None = None) -> dict:
    """Return the cheapest mix of containers (by ``RELATIVE_COST``, an assumption) that holds all
    ``cartons``, with each container's plan::

        {"mix": {"40HQ": 1, "20GP": 1}, "relative_cost": "2.7", "containers": [plan, …],
         "unplaced": {ref: count}}

    The cartons are split deterministically: the containers are filled one after another in the
    order listed, each with the best plan for what is still to load (so a plan's ``unplaced`` is
    what goes on to the next containers). Candidates are n containers of one type followed by
    up to two of any types, largest first; among equal costs the mix with fewer containers wins,
    then the one that fills the larger containers first. ``unplaced`` is empty unless nothing tried
    holds everything (beyond 200 containers). ``container_types`` limits the types to consider.
    Refuse what ``load_plan`` refuses, and a carton that fits no container type."""
    types = [_container(t) for t in (container_types or CONTAINER_TYPES)]
    parsed = _parse_cartons(cartons)
    errors: dict[str, str] = {}
    for carton in parsed:
        misfits = [c for c in types if _misfit(carton, c)]
        if len(misfits) == len(types):
            field = _misfit(carton, types[-1])
            _invalid(errors, ShippingError.CARTON_DOES_NOT_FIT, f"cartons[{carton.index}].{field}",
                     _misfit_message(carton, types))
    if errors:
        _raise(errors)
    refs = [c.ref for c in parsed]
    carton_volume = {c.ref: c.length * c.width * c.height for c in parsed}
    carton_grams = {c.ref: c.grams for c in parsed}
    cache: dict = {}

    def fill(container: ContainerType, remaining: tuple[int, ...]):
        key = (container.code, remaining)
        if key not in cache:
            placed, _strategy = _pack(parsed, dict(zip(refs, remaining, strict=True)), container)
            loaded: dict[str, int] = {}
            for p in placed:
                loaded[p[0]] = loaded.get(p[0], 0) + 1
            cache[key] = (placed, tuple(n - loaded.get(r, 0) for r, n in zip(refs, remaining, strict=True)))
        return cache[key]

    def may_hold(containers: Sequence[ContainerType], remaining: tuple[int, ...]) -> bool:
        volume = sum(carton_volume[r] * n for r, n in zip(refs, remaining, strict=True))
        grams = sum(carton_grams[r] * n for r, n in zip(refs, remaining, strict=True))
        return (volume <= sum(c.volume_mm3 for c in containers)
                and grams <= sum(c.payload_kg * 1000 for c in containers))

    def cost(seq: Sequence[ContainerType]) -> Decimal:
        return sum((RELATIVE_COST[c.code] for c in seq), Decimal(0))

    by_size = sorted(types, key=lambda c: (-c.volume_mm3, c.code))
    tails = [[a] for a in by_size] + [[a, b] for i, a in enumerate(by_size) for b in by_size[i:]]
    cheapest = min(RELATIVE_COST[c.code] for c in types)
    start = tuple(c.count for c in parsed)
    best = None  # (sort key, containers, [(placed, remaining after)])

    def chain(seq: Sequence[ContainerType]) -> list:
        filled, remaining = [], start
        for container in seq:
            placed, remaining = fill(container, remaining)
            filled.append((placed, remaining))
        return filled

    def consider(seq: list[ContainerType]) -> None:
        nonlocal best
        filled = chain(seq)
        if any(filled[-1][1]):
            return
        key = (cost(seq), len(seq), tuple(-c.volume_mm3 for c in seq))
        if best is None or key < best[0]:
            best = (key, list(seq), filled)

    for main in by_size:
        seq: list[ContainerType] = []
        remaining = start
        while best is None or cost(seq) + cheapest <= best[0][0]:
            for tail in tails:
                if may_hold(tail, remaining):
                    consider(seq + tail)
            if len(seq) >= 200:
                break
            placed, remaining = fill(main, remaining)
            if not placed:
                break
            seq.append(main)
            if not any(remaining):
                consider(seq)
                break
    if best is None:  # more than 200 containers' worth: the largest type, as many as it takes
        seq, remaining = [], start
        while any(remaining) and len(seq) < 200:
            placed, remaining = fill(by_size[0], remaining)
            if not placed:
                break
            seq.append(by_size[0])
        best = ((cost(seq), len(seq), 0), seq, chain(seq))
    _key, seq, filled = best
    plans, given = [], start
    for container, (placed, after) in zip(seq, filled, strict=True):
        plans.append(_plan(container, placed, dict(zip(refs, given, strict=True))))
        given = after
    mix: dict[str, int] = {}
    for container in seq:
        mix[container.code] = mix.get(container.code, 0) + 1
    return {"mix": mix, "relative_cost": str(cost(seq)), "containers": plans,
            "unplaced": {r: n for r, n in zip(refs, given, strict=True) if n}}


# ---------------------------------------------------------------------------------------------
# What people see: the drawing and the loading list

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    """``value`` as SVG text: escaped, and without the characters XML cannot carry."""
    return escape(_XML_INVALID.sub("?", str(value)))


def _mm(value: int) -> str:
    """A whole number with a thin space between thousands: 12 032."""
    return f"{value:,}".replace(",", "\u2009")


def _colours(refs: Sequence[str]) -> dict[str, str]:
    """One distinct, light colour per ref (golden-angle hues), the same for the same order."""
    out = {}
    for i, ref in enumerate(refs):
        r, g, b = colorsys.hls_to_rgb((i * 0.381966) % 1, 0.62 - 0.12 * ((i // 8) % 2), 0.6)
        out[ref] = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    return out


def _refs_in_order(plan: Mapping) -> list[str]:
    refs: dict[str, None] = {}
    for p in plan["placed"]:
        refs.setdefault(p["ref"], None)
    for ref in plan.get("unplaced", {}):
        refs.setdefault(ref, None)
    return list(refs)


def plan_svg(plan: Mapping) -> str:
    """Return a loading plan drawn as a self-contained SVG: the container from above and from the
    side (door on the left), one colour per ref with a legend of refs and counts, the inside
    dimensions labelled. Refs are escaped; nothing is loaded from outside."""
    container = CONTAINER_TYPES[plan["container"]]
    length, width, height = container.length_mm, container.width_mm, container.height_mm
    scale = 900 / length
    left, top_y = 70, 64
    side_y = top_y + width * scale + 56
    refs = _refs_in_order(plan)
    colours = _colours(refs)
    counts: dict[str, int] = {}
    for p in plan["placed"]:
        counts[p["ref"]] = counts.get(p["ref"], 0) + 1
    legend_y = side_y + height * scale + 40
    rows = (len(refs) + 2) // 3
    total_height = legend_y + 22 * rows + 12
    total_width = left + length * scale + 110

    def px(value: float) -> str:
        return f"{value:.1f}".rstrip("0").rstrip(".")

    summary = _("%(container)s: %(cartons)s cartons, %(cbm)s m³, %(kg)s kg, %(fill)s %% of the volume") % {
        "container": container.code, "cartons": _mm(len(plan["placed"])), "cbm": f"{plan['cbm']:.2f}",
        "kg": _mm(round(plan["gross_kg"])), "fill": plan["fill_pct"]}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px(total_width)}" height="{px(total_height)}" '
        f'viewBox="0 0 {px(total_width)} {px(total_height)}" font-family="sans-serif" font-size="12">',
        f"<title>{_text(summary)}</title>",
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">{_text(summary)}</text>',
    ]
    door = _("Door")
    for label, y0, extent in ((_("Top view"), top_y, width), (_("Side view"), side_y, height)):
        out.append(f'<text x="{left}" y="{px(y0 - 22)}" font-weight="bold">{_text(label)}</text>')
        out.append(f'<text x="{px(left + length * scale / 2)}" y="{px(y0 - 6)}" text-anchor="middle">'
                   f"{_text(_mm(length))} mm</text>")
        out.append(f'<rect x="{left}" y="{px(y0)}" width="{px(length * scale)}" height="{px(extent * scale)}" '
                   f'fill="#f4f4f4" stroke="#333" stroke-width="1.5"/>')
        out.append(f'<text x="{px(left + length * scale + 8)}" y="{px(y0 + extent * scale / 2 + 4)}">'
                   f"{_text(_mm(extent))} mm</text>")
        # the door: on the left, where x = 0
        out.append(f'<line x1="{left}" y1="{px(y0)}" x2="{left}" y2="{px(y0 + extent * scale)}" stroke="#c0392b" '
                   f'stroke-width="5"/>')
        out.append(f'<text x="{left - 8}" y="{px(y0 + extent * scale / 2 + 4)}" text-anchor="end" fill="#c0392b" '
                   f'font-weight="bold">{_text(door)}</text>')
    # From above the highest carton shows; from the side (y = 0) the nearest.
    for p in sorted(plan["placed"], key=lambda p: (p["z"], p["x"], p["y"])):
        out.append(f'<rect x="{px(left + p["x"] * scale)}" y="{px(top_y + p["y"] * scale)}" '
                   f'width="{px(p["l"] * scale)}" height="{px(p["w"] * scale)}" fill="{colours[p["ref"]]}" '
                   f'stroke="#555" stroke-width="0.4"/>')
    base = side_y + height * scale
    for p in sorted(plan["placed"], key=lambda p: (-p["y"], p["x"], p["z"])):
        out.append(f'<rect x="{px(left + p["x"] * scale)}" y="{px(base - (p["z"] + p["h"]) * scale)}" '
                   f'width="{px(p["l"] * scale)}" height="{px(p["h"] * scale)}" fill="{colours[p["ref"]]}" '
                   f'stroke="#555" stroke-width="0.4"/>')
    unplaced = plan.get("unplaced", {})
    for i, ref in enumerate(refs):
        x, y = left + (i % 3) * 300, legend_y + (i // 3) * 22
        label = f"{ref} × {counts.get(ref, 0)}"
        if unplaced.get(ref):
            label += " " + _("(%(n)s not loaded)") % {"n": unplaced[ref]}
        out.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{colours[ref]}" stroke="#555"/>')
        out.append(f'<text x="{x + 20}" y="{y}">{_text(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def loading_list(plan: Mapping) -> list[dict]:
    """Return the rows the warehouse prints, in loading order: wall by wall from the far end,
    and in a wall each ref in the order its first carton goes in. A row::

        {"step", "wall", "ref", "count", "cumulative",
         "x_from_mm", "x_to_mm",   # distance from the door
         "y_from_mm", "y_to_mm",   # across the width, from the side where y = 0
         "z_to_mm", "stacks"}      # how high the ref's cartons reach; on how many spots of the floor plan

    A wall is a slab of the container that no carton crosses."""
    placed = plan["placed"]
    order = sorted(range(len(placed)), key=lambda i: -(placed[i]["x"] + placed[i]["l"]))
    wall_of: dict[int, int] = {}
    walls: list[list[int]] = []  # [x from, x to]
    for i in order:
        p = placed[i]
        if walls and p["x"] + p["l"] > walls[-1][0]:
            walls[-1][0] = min(walls[-1][0], p["x"])
        else:
            walls.append([p["x"], p["x"] + p["l"]])
        wall_of[i] = len(walls)
    groups: dict[tuple[int, str], list[int]] = {}
    for i in sorted(range(len(placed)), key=lambda i: (wall_of[i], i)):
        groups.setdefault((wall_of[i], placed[i]["ref"]), []).append(i)
    rows, cumulative = [], 0
    for (wall, ref), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0])):
        cartons = [placed[i] for i in members]
        cumulative += len(cartons)
        rows.append({
            "step": len(rows) + 1, "wall": wall, "ref": ref, "count": len(cartons), "cumulative": cumulative,
            "x_from_mm": min(p["x"] for p in cartons), "x_to_mm": max(p["x"] + p["l"] for p in cartons),
            "y_from_mm": min(p["y"] for p in cartons), "y_to_mm": max(p["y"] + p["w"] for p in cartons),
            "z_to_mm": max(p["z"] + p["h"] for p in cartons),
            "stacks": len({(p["x"], p["y"]) for p in cartons}),
        })
    return rows
