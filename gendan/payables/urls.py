"""The payables pages: each part adds its own urls_*.py here."""


app_name = "payables"

urlpatterns: list = [
]

# --- rebates and profit part ---
from gendan.payables import urls_profit, urls_rebates  # noqa: E402

urlpatterns += [*urls_rebates.urlpatterns, *urls_profit.urlpatterns]

# --- invoices part: supplier invoices, payments, what we owe, supplier statements ---
from gendan.payables import urls_invoices  # noqa: E402

urlpatterns += urls_invoices.urlpatterns
