"""Importing a document is the use case usecases.campaigns.import_document; this name stays
for the callers that know it (the tests' fixtures)."""

from usecases.campaigns import Imported, import_document, read_document

__all__ = ["Imported", "import_document", "read_document"]
