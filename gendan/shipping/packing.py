"""How a line's goods sit in their export cartons, and what the cartons weigh.

Full cartons hold the product's units per carton; when the quantity is not a multiple of it, a
last **part carton** holds the rest and weighs what it holds: the carton's tare (G.W. − N.W. of
a full carton) plus the pieces' share of a full carton's N.W. (seed 000: 装箱单 — the packing
list states each carton range as it is). The packing list prints these rows; the B/L's expected
gross weight (``services.bills.bill_expected``), a container line's weight (``warehouse``) and
the demo use the same numbers, so the documents of a shipment agree to the gram.

Pure functions of Decimals: no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

KG = Decimal("0.01")
PART_NW = Decimal("0.001")
CBM = Decimal("0.001")


@dataclass(frozen=True)
class CartonPart:
    """``cartons`` cartons of ``pcs`` pieces each (``quantity`` in all), each weighing ``nw`` /
    ``gw`` kg. ``cartons`` None: not known (no carton data); ``pcs`` None: not the same in each."""

    cartons: int | None
    pcs: Decimal | None
    quantity: Decimal
    nw: Decimal | None
    gw: Decimal | None

    @property
    def gross_kg(self) -> Decimal | None:
        if self.gw is None or not self.cartons:
            return None
        return (self.gw * self.cartons).quantize(KG, ROUND_HALF_UP)

    @property
    def net_kg(self) -> Decimal | None:
        if self.nw is None or not self.cartons:
            return None
        return (self.nw * self.cartons).quantize(KG, ROUND_HALF_UP)


def carton_parts(quantity: Decimal, cartons: int | None, per: int | None, nw: Decimal | None,
                 gw: Decimal | None) -> list[CartonPart]:
    """The cartons of ``quantity`` pieces packed ``per`` to a carton: ``cartons`` as counted (else
    the quantity over ``per``, rounded up), a last part carton on its own when it holds less."""
    quantity = Decimal(quantity)
    cartons = cartons or (math.ceil(quantity / per) if per else None)
    if not cartons:
        return [CartonPart(None, None, quantity, nw, gw)]
    if per:
        full, rest = divmod(quantity, per)
        if rest and int(full) + 1 == cartons:
            parts = [CartonPart(int(full), Decimal(per), Decimal(per) * full, nw, gw)] if full else []
            part_nw = (nw * rest / per).quantize(PART_NW, ROUND_HALF_UP) if nw is not None else None
            part_gw = gw - nw + part_nw if gw is not None and part_nw is not None else gw
            parts.append(CartonPart(1, rest, rest, part_nw, part_gw))
            return parts
    pcs = Decimal(per) if per and Decimal(per) * cartons == quantity else None
    if pcs is None and quantity % cartons == 0:
        pcs = quantity / cartons
    return [CartonPart(cartons, pcs, quantity, nw, gw)]


def line_cartons(quantity: Decimal, product) -> int | None:
    """The cartons ``quantity`` pieces of ``product`` fill (the last one may be a part carton)."""
    per = getattr(product, "units_per_carton", None)
    return math.ceil(Decimal(quantity) / per) if per and quantity else None


def gross_kg(quantity: Decimal, cartons: int | None, per: int | None, nw: Decimal | None,
             gw: Decimal | None) -> Decimal | None:
    """The gross weight of the cartons (the sum of their parts), or None when not known."""
    weights = [part.gross_kg for part in carton_parts(quantity, cartons, per, nw, gw)]
    if any(w is None for w in weights):
        return None
    return sum(weights, Decimal(0))


def product_cbm(product, quantity: Decimal, cartons: int | None) -> Decimal | None:
    """The measurement of the cartons by ``product``'s export carton, each carton range rounded
    to 0.001 CBM as the packing list prints it (so the totals agree to the last digit)."""
    if product is None or not product.carton_cbm:
        return None
    parts = carton_parts(quantity, cartons, product.units_per_carton, product.net_weight_kg, product.gross_weight_kg)
    if any(not part.cartons for part in parts):
        return None
    return sum(((product.carton_cbm * part.cartons).quantize(CBM, ROUND_HALF_UP) for part in parts), Decimal(0))


def product_gross_kg(product, quantity: Decimal, cartons: int | None) -> Decimal | None:
    """``gross_kg`` by ``product``'s export carton (None without a product or its G.W.)."""
    if product is None or not product.gross_weight_kg:
        return None
    return gross_kg(quantity, cartons, product.units_per_carton, product.net_weight_kg, product.gross_weight_kg)
