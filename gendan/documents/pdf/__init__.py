"""The PDF engine: documents drawn with reportlab in an embedded Chinese font.

``fonts`` (the shipped font, registered once), ``company`` (the seller's details), ``layout``
(styles, tables, page frame with "Page 1 of 3") and ``chinese`` (what every Chinese contract
shares: line labels, units, 大写金额). The documents themselves live with the app that owns
what they print: ``gendan.sales.pdf`` (PI, 购销合同, quotation), ``gendan.production.pdf``,
``gendan.purchasing.pdf``, ``gendan.planning.pdf``. Nothing here reads another app's models.
"""
