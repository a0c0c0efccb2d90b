"""The payables pages: each part adds its own urls_*.py here."""


app_name = "payables"

urlpatterns: list = [
]
