"""What export documents and credits record, as typed domain events: one module per part
(credits, documents, dispatch)."""
