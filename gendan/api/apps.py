from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API under /api/v1/: a thin edge over the domain services and scoped selectors."""

    name = "gendan.api"
    label = "api"
    verbose_name = "API"
