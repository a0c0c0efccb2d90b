"""The receivables pages: each part adds its own urls_*.py here."""


app_name = "receivables"

urlpatterns: list = [
]

# dunning and credit part: dunning runs and levels, customer credit, disputes, approvals
from gendan.receivables import urls_dunning  # noqa: E402

urlpatterns += urls_dunning.urlpatterns

# ledger part: customer ledger, statements of account, aging and its buckets
from gendan.receivables import urls_ledger  # noqa: E402

urlpatterns += urls_ledger.urlpatterns

# bank statements part: import, lines and their proposals, confirm / set aside
from gendan.receivables import urls_bank  # noqa: E402

urlpatterns += urls_bank.urlpatterns
