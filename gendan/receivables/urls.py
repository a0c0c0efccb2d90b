"""The receivables pages: each part adds its own urls_*.py here."""


app_name = "receivables"

urlpatterns: list = [
]
