"""policydata: China's 2023 business-environment policies as a pinned, typed dataset.

>>> import policydata
>>> ds = policydata.open("1.1.0", root=root)
>>> ds.documents(limit=1)[0].doc_id
'2023-01-00-003'

Importing the package is cheap: duckdb, pyarrow and pydantic are imported
only when a version is opened. The row models (``policydata.Document`` …)
load on first use.
"""

from __future__ import annotations

from typing import Any

from .dataset import Dataset, open, versions
from .errors import (
    ChecksumError,
    DatasetRootError,
    ManifestError,
    MissingFileError,
    NotFoundError,
    PolicyDataError,
    SchemaMismatchError,
    TableNotAvailableError,
    VersionNotFoundError,
)

__version__ = "0.1.0"

_MODEL_NAMES = frozenset({"Agency", "Deadline", "Document", "Flag", "Manifest", "Measure", "Region", "Tag"})

__all__ = [
    "Agency",
    "ChecksumError",
    "Dataset",
    "DatasetRootError",
    "Deadline",
    "Document",
    "Flag",
    "Manifest",
    "ManifestError",
    "Measure",
    "MissingFileError",
    "NotFoundError",
    "PolicyDataError",
    "Region",
    "SchemaMismatchError",
    "TableNotAvailableError",
    "Tag",
    "VersionNotFoundError",
    "__version__",
    "open",
    "versions",
]


def __getattr__(name: str) -> Any:
    # pydantic costs ~80 ms to import; load the models only when asked for.
    if name in _MODEL_NAMES:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module 'policydata' has no attribute {name!r}")
