"""The campaign library is an application service (usecases.library); this name stays for the
callers that know it (the tests)."""

from usecases.library import CampaignLibrary, Parsed, dates_of, read

__all__ = ["CampaignLibrary", "Parsed", "dates_of", "read"]
