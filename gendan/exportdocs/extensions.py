"""What this app adds to the apps below it (registered in ``ExportDocsConfig.ready``): gates,
order panels, shipment sections, event subscriptions. Each part registers itself here."""

REGISTRATIONS: list = []


def register() -> None:
    for registration in REGISTRATIONS:
        registration()
