"""The upload kept between an import preview and its confirmation (``residency.importing``)."""
from residency.importing.models import ImportUpload

__all__ = ["ImportUpload"]
