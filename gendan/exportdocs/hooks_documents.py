"""Registrations of the documents part (called from extensions.register in AppConfig.ready):
imports of models / views happen inside register(), when the apps are loaded.

- **shipment section** "documents" (``shipping.sections``, rank 70): the set's current
  documents, what they lack, the previous versions, generate / regenerate.
"""


def register() -> None:
    from gendan.exportdocs import views_documents
    from gendan.shipping import sections

    sections.register("documents", template="exportdocs/documents/_section.html",
                      context=views_documents.documents_section, rank=70)
