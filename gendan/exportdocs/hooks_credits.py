"""Registrations of the credits part (called from extensions.register in AppConfig.ready):
imports of models / views happen inside register(), when the apps are loaded."""


def register() -> None:
    pass
