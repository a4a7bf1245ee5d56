"""`units import` is the use case usecases.units.import_units; this name stays for its callers."""

from usecases.units import BATCH, import_units, problems

__all__ = ["BATCH", "import_units", "problems"]
