"""Purchasing use cases: material requirements (``requirements``), purchase orders
(``orders``) and goods received (``receipts``)."""
