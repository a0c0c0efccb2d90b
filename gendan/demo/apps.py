from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo company (``manage.py seed_demo``): one module per app it fills, on the top floor,
    so it may use every app's models and services and no app depends on it."""

    name = "gendan.demo"
    label = "demo"
    verbose_name = "Demo data"
