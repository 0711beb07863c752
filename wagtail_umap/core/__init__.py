"""The map document core: schema, validation and content addressing, free of Django."""

from wagtail_umap.core.errors import Issue, Location, MapDocumentError
from wagtail_umap.core.validation import Limits, validate_document, validate_features

__all__ = [
    "Issue",
    "Limits",
    "Location",
    "MapDocumentError",
    "validate_document",
    "validate_features",
]
