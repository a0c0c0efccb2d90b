"""What this app adds to the apps below it, registered in ``ExportDocsConfig.ready``: gates,
order panels, shipment sections, event subscriptions. One module per part registers its own."""

from gendan.exportdocs import hooks_credits, hooks_dispatch, hooks_documents


def register() -> None:
    hooks_credits.register()
    hooks_documents.register()
    hooks_dispatch.register()
