"""Material requirements from BOMs and purchase orders for materials."""
