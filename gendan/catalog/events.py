"""What the catalog writes on a product's timeline: each entry a kind and its parameters, shown
in the reader's language (``core.events``). The texts are msgids (``gettext_noop``); ``core``
imports every app's ``events`` module at start-up, so each kind is known before the first
timeline."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.core.events import event_kind_register

BOM_LINE_ADDED = event_kind_register("catalog.bom_line_added", gettext_noop("BOM line added: %(code)s"))
BOM_LINE_EDITED = event_kind_register("catalog.bom_line_edited", gettext_noop("BOM line edited: %(code)s"))
BOM_LINE_REMOVED = event_kind_register("catalog.bom_line_removed", gettext_noop("BOM line removed: %(code)s"))
VARIANT_MATRIX_REORDERED = event_kind_register(
    "catalog.variant_matrix_reordered", gettext_noop("Variant matrix: rows and columns reordered."))
VARIANT_MATRIX_SAVED = event_kind_register(
    "catalog.variant_matrix_saved",
    gettext_noop("Variant matrix saved: %(added)s added, %(removed)s removed, %(recoded)s with new SKU/barcode."))
VARIANT_NAME_SET = event_kind_register(
    "catalog.variant_name_set", gettext_noop("English name of %(name)s: %(old)s → %(new)s"))
