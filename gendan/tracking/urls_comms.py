"""Pages for the communication log, meetings, delay notices and reminder settings."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
