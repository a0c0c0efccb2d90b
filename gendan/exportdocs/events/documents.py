"""What the documents part records: a document set (or some of its documents) generated for a
shipment, on the timeline of the shipment's sales order."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from gendan.core.domain_events import DomainEvent
from gendan.sales.models import SalesOrder
from gendan.shipping.models import Shipment


@dataclass(kw_only=True)
class DocumentsGenerated(DomainEvent):
    """Documents of ``shipment``'s set were made: ``made`` lists "CI2603-0001 commercial_invoice
    v2"; ``reason`` is the note of a new version (what changed)."""

    kind = "exportdocs.documents_generated"
    text = gettext_noop("Export documents of shipment %(no)s: %(documents)s")
    order: SalesOrder
    shipment: Shipment
    made: list

    def params(self) -> dict:
        return {"no": self.shipment.number, "shipment": self.shipment.pk,
                "documents": ", ".join(f"{d.get_kind_display()} {d.number} v{d.version}" for d in self.made)}


@dataclass(kw_only=True)
class ProductExportDataChanged(DomainEvent):
    """The export data of a product (customs name, 申报要素, origin criterion, rebate rate)
    changed; on the product's timeline with old → new."""

    kind = "exportdocs.product_export_data_changed"
    text = gettext_noop("Export data of %(code)s changed")
    product: object

    def subject(self):
        return self.product

    def params(self) -> dict:
        return {"code": self.product.code}
