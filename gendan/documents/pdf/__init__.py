"""PDF documents (PI, 购销合同, quotation) drawn with reportlab in an embedded Chinese font.

``gendan.documents.rendering`` is the entry point other apps call; the modules here are its
parts: ``fonts`` (the shipped font, registered once), ``company`` (the seller's details),
``layout`` (styles, tables, page frame with "Page 1 of 3"), and one module per document.
"""
