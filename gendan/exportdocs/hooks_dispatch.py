"""Registrations of the dispatch part (called from extensions.register in AppConfig.ready):
imports of models / views happen inside register(), when the apps are loaded.

- **shipment section** "check & dispatch" (``shipping.sections``, rank 80): the set's check,
  the certificates, the dispatch and its results (``views_dispatch.dispatch_section``).
"""


def register() -> None:
    from gendan.exportdocs import views_dispatch
    from gendan.shipping import sections

    sections.register("dispatch", template="exportdocs/dispatch/_section.html",
                      context=views_dispatch.dispatch_section, rank=80)
