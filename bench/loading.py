"""How fast is a container loading plan, and how full do real carton mixes load?

    .venv/bin/python bench/loading.py              # 20 timed runs per measurement
    .venv/bin/python bench/loading.py --runs 50

No database: ``gendan.shipping.loading`` is pure Python. Prints

  speed       ``load_plan`` for 2 000 cartons of 4 sizes (500 each of 600×400×400, 585×385×310,
              450×350×300, 520×360×280 mm) in each container type, p50 / p95 / max in ms after a
              warm-up run (issue 12 asks for < 2 s), and ``recommend_containers`` for the same
              2 000 cartons and for 10 000
  fill        the demo catalogue's export cartons (``gendan/demo/catalog.py``: each template's
              nominal carton, gross weight = unit weight × units per carton + packing, as the demo
              computes it) in mixes by category and one mixed order: the fill when 120 % of the
              container's volume is offered, and whether 64 m³ (what forwarders quote a 40HQ to take
              in loose cartons, DOMAIN §2) goes into one 40HQ whole
  orders      demo-like orders (3–6 random products, 10–200 cartons per line, the demo's carton
              scaling): the container mix ``recommend_containers`` picks and the fill of each box

Nothing here asserts a speed or a fill; the figures go into bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEED_SIZES = [(600, 400, 400, 14.0), (585, 385, 310, 11.0), (450, 350, 300, 7.5), (520, 360, 280, 8.0)]
MIXES = {
    "home goods (VF, SB, SC)": ["VF", "SB", "SC"],
    "appliances (EK, GS, DF, PB)": ["EK", "GS", "DF", "PB"],
    "bags + textiles (BP, TB, BT, FB, CC)": ["BP", "TB", "BT", "FB", "CC"],
    "furniture (ST, FC, BS)": ["ST", "FC", "BS"],
    "one mixed order (VF, EK, BP, BT)": ["VF", "EK", "BP", "BT"],
}


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings.test")  # for gettext only
    import django

    django.setup()


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f}  p95 {p95:7.1f}  max {ms[-1]:7.1f} ms"


def demo_carton(template, ref: str, count: int, scale: Decimal = Decimal(1)) -> dict:
    """A template's export carton as the demo builds it (catalog.seed): cm → mm, scaled, and its
    gross weight (middle units per carton)."""
    length, width, height = (int(Decimal(d) * 10 * scale) for d in template.carton_cm)
    units = sorted(template.units_per_carton)[len(template.units_per_carton) // 2]
    net = Decimal(template.unit_kg) * units
    gross = net + Decimal("0.4") + Decimal(length * width * height) / Decimal(200_000_000)
    return {"ref": ref, "length_mm": length, "width_mm": width, "height_mm": height,
            "gross_kg": float(round(gross, 2)), "count": count}


def speed(runs: int) -> None:
    from gendan.shipping.loading import CONTAINER_TYPES, load_plan, recommend_containers

    cartons = [{"ref": f"S{i}", "length_mm": ln, "width_mm": w, "height_mm": h, "gross_kg": kg, "count": 500}
               for i, (ln, w, h, kg) in enumerate(SPEED_SIZES)]
    print(f"load_plan, 2 000 cartons of 4 sizes ({runs} runs)")
    for code in CONTAINER_TYPES:
        plan = load_plan(cartons, code)
        print(f"  {code}: {summary(timed(lambda code=code: load_plan(cartons, code), runs))}   "
              f"placed {len(plan['placed'])}, fill {plan['fill_pct']} %")
    for total in (2_000, 10_000):
        big = [dict(c, count=total // 4) for c in cartons]
        result = recommend_containers(big)
        ms = timed(lambda big=big: recommend_containers(big), max(3, runs // 5))
        fills = ", ".join(f"{p['container']} {p['fill_pct']} %" for p in result["containers"])
        print(f"recommend_containers, {total} cartons: {summary(ms)}   {result['mix']} "
              f"(cost {result['relative_cost']}): {fills}")


def fill() -> None:
    from gendan.demo.catalog import TEMPLATES
    from gendan.shipping.loading import CONTAINER_TYPES, load_plan

    by_model = {t.model: t for templates in TEMPLATES.values() for t in templates}
    print("\nfill with 120 % of the container's volume offered (equal volume per carton size)")
    print(f"  {'mix':40} {'20GP':>6} {'40GP':>6} {'40HQ':>6} {'45HQ':>6}   64 m³ in one 40HQ")
    for name, models in MIXES.items():
        cells = []
        for code, container in CONTAINER_TYPES.items():
            cartons = [demo_carton(by_model[m], m, 1) for m in models]
            share = container.volume_mm3 * 1.2 / len(cartons)
            cartons = [dict(c, count=int(share // (c["length_mm"] * c["width_mm"] * c["height_mm"])))
                       for c in cartons]
            cells.append(f"{load_plan(cartons, code)['fill_pct']:6.1f}")
        cartons = [demo_carton(by_model[m], m, 1) for m in models]
        share = 64e9 / len(cartons)
        cartons = [dict(c, count=int(share // (c["length_mm"] * c["width_mm"] * c["height_mm"]))) for c in cartons]
        plan = load_plan(cartons, "40HQ")
        whole = "all in" if not plan["unplaced"] else f"left out {sum(plan['unplaced'].values())}"
        print(f"  {name:40} {' '.join(cells)}   {plan['fill_pct']} %, {whole}")


def orders(count: int) -> None:
    from gendan.demo.catalog import TEMPLATES
    from gendan.shipping.loading import recommend_containers

    templates = [t for group in TEMPLATES.values() for t in group]
    rng = random.Random(12)
    print(f"\n{count} demo-like orders: 3–6 products, 10–200 cartons each (seeded, reproducible)")
    fills, lasts, started = [], [], time.perf_counter()
    for n in range(count):
        cartons = [demo_carton(t, f"{t.model}-{n}-{i}", rng.randint(10, 200), Decimal(rng.randint(95, 110)) / 100)
                   for i, t in enumerate(rng.sample(templates, rng.randint(3, 6)))]
        result = recommend_containers(cartons)
        boxes = result["containers"]
        fills.extend(p["fill_pct"] for p in boxes[:-1])
        lasts.append(boxes[-1]["fill_pct"])
        if n < 6:
            cbm = sum(c["length_mm"] * c["width_mm"] * c["height_mm"] * c["count"] for c in cartons) / 1e9
            print(f"  order {n + 1}: {sum(c['count'] for c in cartons):4} cartons, {cbm:5.1f} m³ → {result['mix']} "
                  f"(cost {result['relative_cost']}): " + ", ".join(f"{p['fill_pct']} %" for p in boxes))
    if fills:
        print(f"  containers before the last of an order: mean fill {statistics.mean(fills):.1f} % "
              f"(min {min(fills)}, n = {len(fills)})")
    print(f"  last container of an order: mean fill {statistics.mean(lasts):.1f} %  "
          f"({time.perf_counter() - started:.1f} s for {count} orders)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--orders", type=int, default=40)
    args = parser.parse_args()
    configure()
    speed(args.runs)
    fill()
    orders(args.orders)


if __name__ == "__main__":
    main()
