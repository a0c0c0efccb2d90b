"""What the demo's shipments carry and how they travel: the shipping lines (carrier, SCAC,
container owner code, vessels), the cargo of a shipment line in cartons, CBM and gross weight
from the product's export carton, and the container mix a forwarder would book for it.

Pure functions and tables: shared by the order stories (``gendan.demo.sales``) and the
shipping step (``gendan.demo.shipping``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from gendan.shipping.iso6346 import check_digit
from gendan.shipping.packing import gross_kg

# carrier, SCAC (the B/L prefix), owner code of its containers (ISO 6346), vessels with a voyage stem
LINES = [
    ("COSCO SHIPPING Lines", "COSU", "CSNU", ["CSCL VENUS", "COSCO SHIPPING ARIES", "COSCO FAITH"]),
    ("MSC", "MEDU", "MSCU", ["MSC GULSUN", "MSC ISABELLA", "MSC TINA"]),
    ("Evergreen", "EGLV", "EGHU", ["EVER GIVEN", "EVER ACE", "EVER GOLDEN"]),
    ("OOCL", "OOLU", "OOLU", ["OOCL HONG KONG", "OOCL GERMANY", "OOCL SPAIN"]),
    ("Maersk", "MAEU", "MSKU", ["MAERSK MC-KINNEY MOLLER", "MAERSK ESSEN", "MAERSK HONAM"]),
    ("ONE", "ONEY", "ONEU", ["ONE APUS", "ONE INNOVATION", "ONE TRIUMPH"]),
    ("HMM", "HDMU", "HDMU", ["HMM ALGECIRAS", "HMM OSLO", "HMM ROTTERDAM"]),
]
# airline, its code on the air waybill prefix, flights out of Shenzhen / Hong Kong
AIRLINES = [("Cathay Cargo", "160", "CX"), ("China Southern Cargo", "784", "CZ"), ("SF Airlines", "479", "O3")]

# Practical load of each container type in CBM (cartons never fill the inner volume) and the
# tare the demo declares; payloads are the loading planner's (``shipping.loading``).
LOADABLE_CBM = {"20GP": Decimal(28), "40GP": Decimal(58), "40HQ": Decimal(68), "45HQ": Decimal(78)}
TARE_KG = {"20GP": Decimal(2230), "40GP": Decimal(3750), "40HQ": Decimal(3900), "45HQ": Decimal(4800)}
# A sea shipment smaller than this goes less than container load; from it on the factory books
# its own container (a 20' even when half full: the goods are not handled at a CFS, and most
# demo orders are export programmes shipped FCL).
LCL_BELOW_CBM = Decimal(6)

# A line whose product has no export carton data is packed like this: pieces, CBM, kg per carton
# (gross, net).
DEFAULT_CARTON = (12, Decimal("0.060"), Decimal("9.5"), Decimal("8.5"))


def container_no(owner: str, serial: int) -> str:
    """An ISO 6346 container number of ``owner`` (e.g. "CSNU") with serial ``serial`` (0–999 999)."""
    first_ten = f"{owner}{serial % 1_000_000:06d}"
    return first_ten + str(check_digit(first_ten))


@dataclass(slots=True)
class Cargo:
    """An order line's goods on a shipment: pieces, cartons and what they measure and weigh."""

    line: int  # index into the story's lines
    quantity: Decimal
    per_carton: int
    carton_cbm: Decimal
    carton_kg: Decimal
    carton_net_kg: Decimal | None = None  # a full carton's N.W.: a part carton weighs its share

    @property
    def cartons(self) -> int:
        return int((self.quantity / self.per_carton).to_integral_value(rounding=ROUND_CEILING))

    def cbm(self, cartons: int) -> Decimal:
        return (self.carton_cbm * cartons).quantize(Decimal("0.001"))

    def kg(self, cartons: int, pieces: Decimal) -> Decimal:
        """The gross weight of ``cartons`` cartons holding ``pieces``: a part carton weighs what it
        holds (``shipping.packing``), as the packing list and the B/L check say."""
        return gross_kg(pieces, cartons, self.per_carton, self.carton_net_kg, self.carton_kg)


def container_mix(cbm: Decimal, *, forty_standard: bool) -> list[str]:
    """The containers a forwarder books for ``cbm`` of cartons: 40' high cubes while more than
    one is filled, the rest in a 20' (or a 40' when it does not fit one)."""
    mix = []
    while cbm > LOADABLE_CBM["40HQ"]:
        mix.append("40HQ")
        cbm -= LOADABLE_CBM["40HQ"]
    if cbm > LOADABLE_CBM["20GP"]:
        mix.append("40GP" if forty_standard and cbm <= LOADABLE_CBM["40GP"] else "40HQ")
    elif cbm > 0 or not mix:
        mix.append("20GP")
    return mix


def stow(cargo: list[Cargo], mix: list[str]) -> list[tuple[str, list[tuple[Cargo, int, Decimal]]]]:
    """Share the cartons of ``cargo`` over the containers of ``mix`` in proportion to what each
    holds, line after line: for each container its type and a list of (cargo, cartons, pieces).
    Every carton and every piece is in exactly one container; a container left empty is dropped."""
    total = sum((c.cbm(c.cartons) for c in cargo), Decimal(0))
    room = sum((LOADABLE_CBM[kind] for kind in mix), Decimal(0))
    budgets = [total * LOADABLE_CBM[kind] / room for kind in mix]
    loads: list[list[tuple[Cargo, int, Decimal]]] = [[] for _ in mix]
    k = 0
    for c in cargo:
        cartons, pieces = c.cartons, c.quantity
        while cartons:
            last = k == len(mix) - 1
            fit = cartons if last else min(cartons, int(budgets[k] / c.carton_cbm)) if c.carton_cbm else cartons
            if fit <= 0:
                k += 1
                continue
            taken = pieces if fit == cartons else Decimal(fit * c.per_carton)
            loads[k].append((c, fit, taken))
            budgets[k] -= c.carton_cbm * fit
            cartons, pieces = cartons - fit, pieces - taken
    return [(kind, load) for kind, load in zip(mix, loads, strict=True) if load]
