"""Reference data every installation needs: currencies and the document number sequences.

Kept in code and synced after every ``migrate`` (and after a test flush), so a fresh
database, an upgraded one and a test database all hold the same rows. Existing rows
the company edited (a sequence's pattern, a currency switched off) are left alone.
Demo companies and users are never created here; see ``manage.py seed_demo``.
"""

from __future__ import annotations

from gendan.core.money import CURRENCIES

SEQUENCES = [
    # code, name_zh, name_en, prefix, pattern, padding, reset
    ("customer", "客户编号", "Customer code", "C", "{PREFIX}{SEQ}", 5, "never"),
    ("supplier", "供应商编号", "Supplier code", "S", "{PREFIX}{SEQ}", 5, "never"),
    ("quotation", "报价单号", "Quotation", "QT", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("sales_order", "订单号", "Sales order", "SO", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("proforma_invoice", "形式发票号", "Proforma invoice", "PI", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("sales_contract", "购销合同号", "Sales contract", "HT", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("receipt", "收款单号", "Receipt", "RC", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("production_order", "生产单号", "Production order", "MO", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("shipment", "出货单号", "Shipment", "SH", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("inspection", "验货单号", "Inspection", "QC", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    # "CG" (采购), not "PO": "PO" is the customer's order number everywhere in the trade.
    ("purchase_order", "采购单号", "Purchase order (materials)", "CG", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("fg_receipt", "成品入库单号", "Finished goods receipt", "RK", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("shipping_notice", "出货通知单号", "Shipping notice", "SN", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    # Export documents (gendan.exportdocs): the commercial invoice's number is the set's number
    # (the packing list, certificates and draft of a shipment carry it); dispatches have their own.
    ("commercial_invoice", "商业发票号", "Commercial invoice", "CI", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("document_dispatch", "寄单号", "Document dispatch", "DS", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
]

ACTIVE_CURRENCIES = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD"}


def reference_data_sync(apps=None) -> None:
    """Create missing currencies and sequences. ``apps`` is the migration app registry, if any."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    Currency = registry.get_model("core", "Currency")
    Sequence = registry.get_model("core", "Sequence")
    for info in CURRENCIES.values():
        Currency.objects.get_or_create(
            code=info.code,
            defaults={"name_zh": info.name_zh, "name_en": info.name_en, "minor_unit": info.minor_unit,
                      "symbol": info.symbol, "is_active": info.code in ACTIVE_CURRENCIES},
        )
    for code, name_zh, name_en, prefix, pattern, padding, reset in SEQUENCES:
        Sequence.objects.get_or_create(code=code, defaults={
            "name_zh": name_zh, "name_en": name_en, "prefix": prefix, "pattern": pattern,
            "padding": padding, "reset": reset})


def reference_data_after_migrate(sender, app_config=None, **kwargs) -> None:
    if app_config is not None and app_config.label == "core":
        reference_data_sync()


# Payables, invoices part (gendan.payables): our reference of a supplier's invoice (应付) and the
# monthly supplier statement (对账单).
SEQUENCES += [
    ("supplier_invoice", "应付发票登记号", "Supplier invoice (our ref.)", "AP", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
    ("supplier_statement", "供应商对账单号", "Supplier statement", "SS", "{PREFIX}{YY}{MM}-{SEQ}", 4, "monthly"),
]
