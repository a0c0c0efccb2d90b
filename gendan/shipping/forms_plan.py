"""The forms of the shipping plan and the shipping notice: they parse input; the services
(``shipping.services.plan``, ``.notices``) decide.

The quantity inputs are named like the services' field messages — ``lines.<order line id>.quantity``,
``lines.<order line id>.cartons``, ``cells.<order cell id>`` — so a refusal lands next to its
input. They are text inputs: the service refuses "abc", "-1" or "1e999" naming the input.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import BootstrapLikeMixin, VersionField
from gendan.parties.models import Supplier
from gendan.sales.forms import DATE
from gendan.shipping.models import Shipment
from gendan.shipping.selectors import order_plan_quantities, qty_text
from gendan.shipping.services.notices import FACTORY_KINDS

QTY_INPUT = {"class": "input qty", "inputmode": "decimal", "size": "7"}


def _qty_field(label: str, initial) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=40, initial=initial,
                           widget=forms.TextInput(attrs=QTY_INPUT))


class ShipmentPlanForm(BootstrapLikeMixin, forms.Form):
    """A new shipment of ``order`` (quantities default to what may still be planned), or the
    change of ``shipment`` (its own quantities; the lines only while it is planned)."""

    transport_mode = forms.ChoiceField(label=_("transport mode"), choices=Shipment.Mode.choices)
    planned_ex_factory = forms.DateField(label=_("planned ex-factory date"), widget=DATE)
    port_of_loading = forms.CharField(label=_("port of loading"), max_length=80, required=False)
    port_of_destination = forms.CharField(label=_("port of destination"), max_length=80, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = VersionField()

    def __init__(self, *args, order, shipment: Shipment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shipment = shipment
        self.with_lines = shipment is None or shipment.status == Shipment.Status.PLANNED
        own_lines, own_cells, own_cartons = {}, {}, {}
        if shipment is not None:
            for name in ("transport_mode", "planned_ex_factory", "port_of_loading", "port_of_destination", "notes",
                         "version"):
                self.fields[name].initial = getattr(shipment, name)
            for row in shipment.lines.all():
                own_lines[row.order_line_id] = row.quantity
                own_cartons[row.order_line_id] = row.cartons
                for cell in row.cells.all():
                    own_cells[cell.order_cell_id] = cell.quantity
        else:
            self.fields["port_of_loading"].initial = order.port_of_loading
            self.fields["port_of_destination"].initial = order.port_of_destination
            self.fields["planned_ex_factory"].initial = order.ex_factory_date
            self.fields["version"].initial = order.version
        self.rows = []
        if not self.with_lines:
            return
        for row in order_plan_quantities(order):
            line = row["line"]
            entry = {"line": line, "ordered": row["ordered"], "taken": row["taken"],
                     "remaining": row["remaining"] + own_lines.get(line.pk, Decimal(0)), "cells": []}
            if row["cells"]:
                for item in row["cells"]:
                    cell = item["cell"]
                    mine = own_cells.get(cell.pk)
                    initial = mine if shipment is not None else item["remaining"]
                    name = f"cells.{cell.pk}"
                    self.fields[name] = _qty_field(f"#{line.line_no} {cell.colour} / {cell.size}",
                                                   qty_text(initial) if initial else "")
                    entry["cells"].append({"cell": cell, "name": name,
                                           "remaining": item["remaining"] + (mine or Decimal(0))})
            else:
                name = f"lines.{line.pk}.quantity"
                initial = own_lines.get(line.pk) if shipment is not None else row["remaining"]
                self.fields[name] = _qty_field(f"#{line.line_no} {line.description}", qty_text(initial) if initial
                                               else "")
                entry["name"] = name
            cartons = f"lines.{line.pk}.cartons"
            self.fields[cartons] = forms.CharField(
                label=_("cartons"), required=False, max_length=20,
                initial=own_cartons.get(line.pk) if own_cartons.get(line.pk) is not None else "",
                widget=forms.TextInput(attrs={**QTY_INPUT, "placeholder": _("by carton")}))
            entry["cartons"] = cartons
            self.rows.append(entry)

    def goods(self) -> list[dict]:
        """The lines for the template: bound fields, and for a line in colour × size a grid
        (colours down, sizes across)."""
        out = []
        for entry in self.rows:
            item = {**entry, "cartons_field": self[entry["cartons"]]}
            if entry["cells"]:
                sizes = list(dict.fromkeys(c["cell"].size for c in entry["cells"]))
                by_key = {(c["cell"].colour, c["cell"].size): c for c in entry["cells"]}
                colours = list(dict.fromkeys(c["cell"].colour for c in entry["cells"]))
                item["sizes"] = sizes
                item["grid"] = [{"colour": colour, "cells": [
                    {"field": self[by_key[colour, size]["name"]], "remaining": by_key[colour, size]["remaining"]}
                    if (colour, size) in by_key else None for size in sizes]} for colour in colours]
            else:
                item["field"] = self[entry["name"]]
            out.append(item)
        return out

    def non_goods_fields(self):
        return [self[name] for name in ("transport_mode", "planned_ex_factory", "port_of_loading",
                                        "port_of_destination", "notes")]

    def content(self) -> dict:
        """``lines``, ``cells`` and ``cartons`` as the services take them (blank inputs left out)."""
        data = self.cleaned_data
        lines, cells, cartons = {}, {}, {}
        for entry in self.rows:
            line_id = entry["line"].pk
            if entry["cells"]:
                for cell in entry["cells"]:
                    if (data.get(cell["name"]) or "").strip():
                        cells[cell["cell"].pk] = data[cell["name"]].strip()
            elif (data.get(entry["name"]) or "").strip():
                lines[line_id] = data[entry["name"]].strip()
            if (data.get(entry["cartons"]) or "").strip():
                cartons[line_id] = data[entry["cartons"]].strip()
        return {"lines": lines, "cells": cells, "cartons": cartons}

    def plan_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("transport_mode", "planned_ex_factory", "port_of_loading",
                                                   "port_of_destination", "notes")}


class ShipmentCancelForm(BootstrapLikeMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()

    def __init__(self, *args, shipment: Shipment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = shipment.version


class NoticeIssueForm(BootstrapLikeMixin, forms.Form):
    """Issue the shipping notice (or its next version, with what changed)."""

    factory = forms.ModelChoiceField(label=_("factory / workshop"), queryset=None, required=False,
                                     empty_label=_("(warehouse only)"))
    change_note = forms.CharField(label=_("what changed"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factory"].queryset = Supplier.objects.filter(kind__in=FACTORY_KINDS, is_active=True).order_by(
            "code")
        if previous is not None:
            self.fields["factory"].initial = previous.factory_id
            self.fields["change_note"].required = True
            if previous.factory_id:  # the next version goes to a factory as well (the same unless changed)
                self.fields["factory"].required = True
                self.fields["factory"].empty_label = None
        else:
            del self.fields["change_note"]
