"""URLs of the bank statements pages (included by receivables/urls.py)."""

from django.urls import path

from gendan.receivables import views_bank as v

urlpatterns: list = [
    path("bank-statements/", v.statement_list_page, name="bank_statement_list"),
    path("bank-statements/import/", v.statement_upload, name="bank_statement_import"),
    path("bank-statements/<int:pk>/", v.statement_detail, name="bank_statement"),
    path("bank-statements/lines/<int:pk>/", v.line_page, name="bank_line"),
    path("bank-statements/lines/<int:pk>/set-aside/", v.line_set_aside, name="bank_line_set_aside"),
    path("bank-statements/lines/<int:pk>/reopen/", v.line_reopen, name="bank_line_reopen"),
    path("bank-statements/lines/<int:pk>/link/", v.line_link, name="bank_line_link"),
]
