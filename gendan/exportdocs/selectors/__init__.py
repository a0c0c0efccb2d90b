"""Reads of export documents and credits, one module per part (credits, documents, dispatch)."""
