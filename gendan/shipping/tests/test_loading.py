"""Container loading plans (``gendan.shipping.loading``): pure functions, no database.

Every plan is checked against the physical rules a warehouse would check: cartons inside the
box, upright, not overlapping, each standing on the floor or fully on the carton(s) beneath and
never on a lighter one, the load within the payload, every carton either placed or reported.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from gendan.core.errors import ValidationFailed
from gendan.shipping.loading import (
    CONTAINER_TYPES,
    MAX_CARTONS,
    RELATIVE_COST,
    load_plan,
    loading_list,
    plan_svg,
    recommend_containers,
)

# Export cartons of the demo catalogue (gendan/demo/catalog.py, in mm) with a gross weight in kg.
FLASK = (420, 320, 300, 8.8)
STORAGE_BOX = (500, 350, 320, 9.7)
CANDLE = (400, 300, 220, 7.1)
KETTLE = (600, 400, 360, 5.7)
STEAMER = (560, 380, 400, 9.2)
DESK_FAN = (520, 400, 420, 11.3)
BLENDER = (500, 360, 400, 9.2)
BACKPACK = (600, 420, 400, 12.5)
TOTE = (600, 400, 300, 19.4)
TOWEL = (600, 400, 400, 13.2)
BLANKET = (600, 450, 450, 16.6)
CUSHION = (550, 400, 350, 18.8)
SIDE_TABLE = (620, 500, 180, 7.3)
CHAIR = (820, 480, 200, 9.2)
BOOKSHELF = (1200, 350, 140, 19.1)


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def carton(ref, length, width, height, kg, count):
    return {"ref": ref, "length_mm": length, "width_mm": width, "height_mm": height, "gross_kg": kg, "count": count}


def cartons_for(container_type, sizes, fraction):
    """``sizes`` (name → (l, w, h, kg)) in equal volume shares, ``fraction`` of the container in all."""
    volume = CONTAINER_TYPES[container_type].volume_mm3 * fraction / len(sizes)
    return [carton(name, *size, max(1, int(volume // (size[0] * size[1] * size[2])))) for name, size in sizes.items()]


def assert_physical(plan, cartons):
    """The plan obeys the rules of the module docstring; returns the cartons placed per ref."""
    container = CONTAINER_TYPES[plan["container"]]
    spec = {c["ref"]: c for c in cartons}
    placed = plan["placed"]
    loaded = {}
    for p in placed:
        assert set(p) == {"ref", "x", "y", "z", "l", "w", "h"}
        assert all(type(p[k]) is int for k in "xyzlwh")
        c = spec[p["ref"]]
        assert p["h"] == c["height_mm"], "upright: the height never changes"
        assert sorted((p["l"], p["w"])) == sorted((c["length_mm"], c["width_mm"]))
        assert p["x"] >= 0 and p["x"] + p["l"] <= container.length_mm
        assert p["y"] >= 0 and p["y"] + p["w"] <= container.width_mm
        assert p["z"] >= 0 and p["z"] + p["h"] <= container.height_mm
        loaded[p["ref"]] = loaded.get(p["ref"], 0) + 1
    # no two cartons overlap (sweep along x)
    active = []
    for p in sorted(placed, key=lambda p: p["x"]):
        active = [q for q in active if q["x"] + q["l"] > p["x"]]
        for q in active:
            assert not (p["y"] < q["y"] + q["w"] and q["y"] < p["y"] + p["w"]
                        and p["z"] < q["z"] + q["h"] and q["z"] < p["z"] + p["h"]), (p, q)
        active.append(p)
    # full support, never on a lighter carton
    by_top = {}
    for q in placed:
        by_top.setdefault(q["z"] + q["h"], []).append(q)
    for p in placed:
        if p["z"] == 0:
            continue
        area = 0
        for q in by_top.get(p["z"], []):
            dx = min(p["x"] + p["l"], q["x"] + q["l"]) - max(p["x"], q["x"])
            dy = min(p["y"] + p["w"], q["y"] + q["w"]) - max(p["y"], q["y"])
            if dx > 0 and dy > 0:
                area += dx * dy
                assert Decimal(str(spec[q["ref"]]["gross_kg"])) >= Decimal(str(spec[p["ref"]]["gross_kg"])), (p, q)
        assert area == p["l"] * p["w"], f"not fully supported: {p}"
    kg = sum(Decimal(str(spec[p["ref"]]["gross_kg"])) for p in placed)
    assert kg <= container.payload_kg
    assert plan["gross_kg"] == pytest.approx(float(kg), abs=0.01)
    volume = sum(p["l"] * p["w"] * p["h"] for p in placed)
    assert plan["cbm"] == pytest.approx(volume / 1e9, abs=0.001)
    assert plan["fill_pct"] == pytest.approx(100 * volume / container.volume_mm3, abs=0.05)
    for ref, c in spec.items():
        assert loaded.get(ref, 0) + plan["unplaced"].get(ref, 0) == c["count"], ref
    assert all(n > 0 for n in plan["unplaced"].values())
    return loaded


def best_two_block_grid(length, width, height, container_type):
    """Cartons in the best plain grid, or two single-orientation grids side by side (the
    container split once, along its length or across its width)."""
    c = CONTAINER_TYPES[container_type]
    layers = c.height_mm // height

    def grid(a, b, x, y):  # a along x, b along y
        return (x // a) * (y // b)

    best = max(grid(length, width, c.length_mm, c.width_mm), grid(width, length, c.length_mm, c.width_mm))
    for first, second in (((length, width), (width, length)), ((width, length), (length, width))):
        for cut in range(first[0], c.length_mm, 1):
            if cut % first[0] == 0:
                best = max(best, grid(*first, cut, c.width_mm) + grid(*second, c.length_mm - cut, c.width_mm))
        for cut in range(first[1], c.width_mm, first[1]):
            best = max(best, grid(*first, c.length_mm, cut) + grid(*second, c.length_mm, c.width_mm - cut))
    return best * layers


# --- one carton size ----------------------------------------------------------------------------

@pytest.mark.parametrize("container_type", list(CONTAINER_TYPES))
@pytest.mark.parametrize("size", [(600, 400, 400), (585, 385, 310), (450, 350, 300), (520, 360, 280),
                                  (420, 320, 300), (820, 480, 200), (1200, 350, 140)])
def test_one_size_loads_at_least_the_best_plain_grid(size, container_type):
    cartons = [carton("A", *size, 5, 20_000)]
    plan = load_plan(cartons, container_type)
    loaded = assert_physical(plan, cartons)
    assert loaded["A"] >= best_two_block_grid(*size, container_type)


def test_one_size_that_fits_loads_everything():
    cartons = [carton("VF-00012", *FLASK, 300)]
    plan = load_plan(cartons, "20GP")
    assert_physical(plan, cartons)
    assert plan["unplaced"] == {} and len(plan["placed"]) == 300


def test_refs_of_one_size_pack_as_one_size_heaviest_at_the_far_end():
    # 600 x 400 x 400 cartons of two products: together they fill a 40GP the way one size does
    cartons = [carton("HEAVY", 600, 400, 400, 20, 300), carton("LIGHT", 600, 400, 400, 5, 300)]
    plan = load_plan(cartons, "40GP")
    assert_physical(plan, cartons)
    one_size = load_plan([carton("ONE", 600, 400, 400, 5, 600)], "40GP")
    assert len(plan["placed"]) == len(one_size["placed"])
    heavy = [p for p in plan["placed"] if p["ref"] == "HEAVY"]
    light = [p for p in plan["placed"] if p["ref"] == "LIGHT"]
    mean_x = {"HEAVY": sum(p["x"] for p in heavy) / len(heavy), "LIGHT": sum(p["x"] for p in light) / len(light)}
    assert mean_x["HEAVY"] > mean_x["LIGHT"]  # x grows from the door to the far end


# --- payload --------------------------------------------------------------------------------------

def test_the_payload_is_never_exceeded():
    # room for 260 of these in a 20GP, payload for 187
    cartons = [carton("ANVILS", 600, 400, 400, 150, 260)]
    plan = load_plan(cartons, "20GP")
    assert_physical(plan, cartons)
    assert len(plan["placed"]) == 28_180 // 150
    assert plan["unplaced"] == {"ANVILS": 260 - 28_180 // 150}


def test_heavy_cartons_left_out_by_weight_light_ones_still_loaded():
    cartons = [carton("STEEL", 600, 400, 300, 95.5, 400), carton("FOAM", 600, 400, 400, 1.2, 200)]
    plan = load_plan(cartons, "40HQ")
    loaded = assert_physical(plan, cartons)
    assert plan["unplaced"].get("STEEL")
    assert loaded.get("FOAM", 0) > 0
    assert plan["gross_kg"] <= 26_540


# --- mixed sizes ---------------------------------------------------------------------------------

MIXES = {
    "home goods": {"flask": FLASK, "storage box": STORAGE_BOX, "candle": CANDLE},
    "appliances": {"kettle": KETTLE, "steamer": STEAMER, "fan": DESK_FAN, "blender": BLENDER},
    "bags and textiles": {"backpack": BACKPACK, "tote": TOTE, "towel": TOWEL, "blanket": BLANKET,
                          "cushion": CUSHION},
    "furniture": {"side table": SIDE_TABLE, "chair": CHAIR, "bookshelf": BOOKSHELF},
    "one order": {"flask": FLASK, "kettle": KETTLE, "backpack": BACKPACK, "towel": TOWEL},
}


@pytest.mark.parametrize("container_type", ["20GP", "40GP", "40HQ"])
@pytest.mark.parametrize("mix", list(MIXES))
def test_mixed_sizes_fill_a_container(mix, container_type):
    # more than the container holds: how full does it get? (measured 82.7–94.4 %; bench/loading.py)
    cartons = cartons_for(container_type, MIXES[mix], 1.2)
    plan = load_plan(cartons, container_type)
    assert_physical(plan, cartons)
    assert plan["fill_pct"] >= 82


@pytest.mark.parametrize("mix", list(MIXES))
def test_a_mix_at_the_practical_volume_of_a_40hq_goes_in_whole(mix):
    # 64 m³, what forwarders quote a 40HQ to take in loose cartons (DOMAIN §2), of its 76.35 m³
    cartons = cartons_for("40HQ", MIXES[mix], 64 / 76.35)
    plan = load_plan(cartons, "40HQ")
    assert_physical(plan, cartons)
    assert plan["unplaced"] == {}


def test_random_cartons_keep_every_rule():
    rng = random.Random(20240612)
    for _ in range(25):
        cartons = [carton(f"R{i}", rng.randint(150, 1200), rng.randint(150, 900), rng.randint(100, 1000),
                          round(rng.uniform(0.5, 80), 2), rng.randint(1, 400))
                   for i in range(rng.randint(1, 6))]
        plan = load_plan(cartons, rng.choice(list(CONTAINER_TYPES)))
        assert_physical(plan, cartons)


def test_the_same_input_gives_the_same_plan():
    cartons = cartons_for("40GP", MIXES["appliances"], 1.1)
    assert load_plan(cartons, "40GP") == load_plan([dict(c) for c in cartons], "40GP")


# --- container mix --------------------------------------------------------------------------------

def test_recommend_takes_a_40hq_and_a_20gp_rather_than_two_40hq():
    # 670 mm tall: 3 layers in a GP, 4 in a high cube. A 40HQ holds 440, a 45HQ 488, a 40GP and a
    # 20GP together 486: 500 need a 40HQ and a 20GP (2.7), cheaper than two 40HQ (3.4).
    cartons = [carton("TOWEL", 600, 400, 670, 13.2, 450), carton("BLANKET", 600, 400, 670, 16.6, 50)]
    capacity = {t: len(load_plan([carton("X", 600, 400, 670, 10, 1000)], t)["placed"]) for t in CONTAINER_TYPES}
    assert capacity == {"20GP": 156, "40GP": 330, "40HQ": 440, "45HQ": 488}
    result = recommend_containers(cartons)
    assert result["mix"] == {"40HQ": 1, "20GP": 1}
    assert Decimal(result["relative_cost"]) == RELATIVE_COST["40HQ"] + RELATIVE_COST["20GP"]
    assert Decimal(result["relative_cost"]) < 2 * RELATIVE_COST["40HQ"]
    assert result["unplaced"] == {}
    loaded = {}
    for plan in result["containers"]:
        for p in plan["placed"]:
            loaded[p["ref"]] = loaded.get(p["ref"], 0) + 1
    assert loaded == {"TOWEL": 450, "BLANKET": 50}  # every carton in exactly one container
    assert [plan["container"] for plan in result["containers"]] == ["40HQ", "20GP"]  # the larger filled first
    # each plan is valid for what it was given: what the containers before it left
    given = {c["ref"]: c["count"] for c in cartons}
    for plan in result["containers"]:
        assert_physical(plan, [dict(c, count=given[c["ref"]]) for c in cartons if given.get(c["ref"])])
        given = plan["unplaced"]


def test_recommend_a_small_shipment_goes_in_one_20gp():
    result = recommend_containers([carton("CANDLE", *CANDLE, 150)])
    assert result["mix"] == {"20GP": 1}
    assert len(result["containers"]) == 1 and result["containers"][0]["unplaced"] == {}


def test_recommend_a_carton_too_tall_for_a_gp_door_takes_a_high_cube():
    result = recommend_containers([carton("WARDROBE", 1000, 600, 2400, 60, 4)])
    assert result["mix"] == {"40HQ": 1}


# --- drawing and loading list ---------------------------------------------------------------------

def test_svg_is_well_formed_escapes_refs_and_loads_nothing_from_outside():
    cartons = [carton("<script>alert(1)</script>", *TOWEL, 120), carton('Tote "A&B"', *TOTE, 300)]
    plan = load_plan(cartons, "40GP")
    svg = plan_svg(plan)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "&lt;script&gt;" in svg
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script> × 120" in texts and 'Tote "A&B" × 300' in texts
    assert "Door" in texts and "Top view" in texts and "Side view" in texts
    assert "12\u2009032 mm" in texts and "2\u2009352 mm" in texts and "2\u2009393 mm" in texts
    assert not re.search(r"href|url\(|@import|<image|<foreignObject", svg)
    fills = {r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")} - {"#f4f4f4"}
    assert len(fills) == 2  # one colour per ref


def test_svg_in_chinese():
    plan = load_plan([carton("A", *TOWEL, 10)], "20GP")
    with translation.override("zh-hans"):
        svg = plan_svg(plan)
    assert "俯视图" in svg and "侧视图" in svg and "柜门" in svg


def test_loading_list_goes_wall_by_wall_from_the_far_end():
    cartons = cartons_for("40HQ", MIXES["one order"], 0.8)
    plan = load_plan(cartons, "40HQ")
    rows = loading_list(plan)
    assert [r["step"] for r in rows] == list(range(1, len(rows) + 1))
    assert sum(r["count"] for r in rows) == len(plan["placed"]) == rows[-1]["cumulative"]
    walls = {}
    for r in rows:
        walls.setdefault(r["wall"], []).append(r)
    assert list(walls) == list(range(1, len(walls) + 1))
    # each wall lies nearer the door than the one before, and no carton crosses between walls
    for earlier, later in zip(list(walls.values()), list(walls.values())[1:], strict=False):
        assert max(r["x_to_mm"] for r in later) <= min(r["x_from_mm"] for r in earlier)
    assert rows[0]["x_to_mm"] == 12_032
    for r in rows:
        assert r["count"] > 0 and r["stacks"] > 0 and r["z_to_mm"] <= 2698


# --- bad input ----------------------------------------------------------------------------------

GOOD = carton("A", 600, 400, 400, 12, 10)


@pytest.mark.parametrize("cartons, container_type, code, field", [
    ([GOOD], "30GP", "unknown_container_type", "container_type"),
    ([GOOD], None, "unknown_container_type", "container_type"),
    ("A", "40HQ", "invalid_carton", "cartons"),
    ([], "40HQ", "invalid_carton", "cartons"),
    ([7], "40HQ", "invalid_carton", "cartons[0]"),
    ([{**GOOD, "length_mm": 0}], "40HQ", "invalid_carton", "cartons[0].length_mm"),
    ([{**GOOD, "width_mm": -400}], "40HQ", "invalid_carton", "cartons[0].width_mm"),
    ([{**GOOD, "height_mm": "tall"}], "40HQ", "invalid_carton", "cartons[0].height_mm"),
    ([{**GOOD, "height_mm": 400.5}], "40HQ", "invalid_carton", "cartons[0].height_mm"),
    ([{**GOOD, "height_mm": True}], "40HQ", "invalid_carton", "cartons[0].height_mm"),
    ([{**GOOD, "gross_kg": 0}], "40HQ", "invalid_carton", "cartons[0].gross_kg"),
    ([{**GOOD, "gross_kg": "heavy"}], "40HQ", "invalid_carton", "cartons[0].gross_kg"),
    ([{**GOOD, "gross_kg": float("nan")}], "40HQ", "invalid_carton", "cartons[0].gross_kg"),
    ([{**GOOD, "count": 0}], "40HQ", "invalid_carton", "cartons[0].count"),
    ([{**GOOD, "count": -3}], "40HQ", "invalid_carton", "cartons[0].count"),
    ([{**GOOD, "count": 2.5}], "40HQ", "invalid_carton", "cartons[0].count"),
    ([{**GOOD, "count": None}], "40HQ", "invalid_carton", "cartons[0].count"),
    ([{**GOOD, "ref": "  "}], "40HQ", "invalid_carton", "cartons[0].ref"),
    ([GOOD, {**GOOD, "count": 3}], "40HQ", "duplicate_carton_ref", "cartons[1].ref"),
    ([{**GOOD, "count": MAX_CARTONS + 1}], "40HQ", "too_many_cartons", "cartons"),
    ([GOOD, {**GOOD, "ref": "B", "height_mm": 2300}], "40GP", "carton_does_not_fit", "cartons[1].height_mm"),
    ([{**GOOD, "height_mm": 2300}], "40HQ", None, None),  # 2 300 mm passes a high cube's door
    ([{**GOOD, "length_mm": 2400, "width_mm": 2400}], "45HQ", "carton_does_not_fit", "cartons[0].length_mm"),
    ([{**GOOD, "length_mm": 13_000}], "40HQ", "carton_does_not_fit", "cartons[0].length_mm"),
    ([{**GOOD, "gross_kg": 30_000}], "20GP", "carton_does_not_fit", "cartons[0].gross_kg"),
])
def test_bad_input_is_refused_naming_the_field(cartons, container_type, code, field):
    if code is None:
        assert load_plan(cartons, container_type)["placed"]
        return
    with pytest.raises(ValidationFailed) as refused:
        load_plan(cartons, container_type)
    assert refused.value.code == code
    assert refused.value.status == 400
    assert field in refused.value.fields
    assert refused.value.fields[field][0] == refused.value.message


def test_every_wrong_field_is_named_at_once():
    with pytest.raises(ValidationFailed) as refused:
        load_plan([{"ref": "A", "length_mm": 0, "width_mm": 400, "height_mm": 400, "gross_kg": -1}], "40HQ")
    assert set(refused.value.fields) == {"cartons[0].length_mm", "cartons[0].gross_kg", "cartons[0].count"}
    assert "Carton A: the length (mm) must be a whole number above zero." in refused.value.fields[
        "cartons[0].length_mm"]


def test_recommend_refuses_a_carton_no_container_takes():
    with pytest.raises(ValidationFailed) as refused:
        recommend_containers([carton("TOWER", 600, 400, 2650, 12, 1)])
    assert refused.value.code == "carton_does_not_fit"
    assert "fits none of the container types" in refused.value.message


def test_refusals_speak_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        load_plan([{**GOOD, "height_mm": 2300}], "20GP")
    assert "外箱" in refused.value.message and "20GP" in refused.value.message
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        load_plan([GOOD], "53HC")
    assert "柜型" in refused.value.fields["container_type"][0]


def test_numbers_in_strings_and_decimals_are_read():
    plan = load_plan([{"ref": "A", "length_mm": "600", "width_mm": Decimal("400"), "height_mm": 400.0,
                       "gross_kg": "12.5", "count": "10"}], "40hq")
    assert plan["container"] == "40HQ" and len(plan["placed"]) == 10 and plan["gross_kg"] == 125.0
