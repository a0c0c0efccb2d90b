"""Purchasing pages: purchase orders (``orders``), material requirements and shortages
(``requirements``), and the sales order page's "Materials" panel (``panels``)."""
