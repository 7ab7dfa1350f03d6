"""policydata: China's 2023 business-environment policies as a pinned, typed dataset.

>>> import policydata
>>> ds = policydata.open("0.2.0", root=root)
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
    LayoutError,
    ManifestError,
    MissingFileError,
    NotFoundError,
    PolicyDataError,
    RegistryMismatchError,
    SchemaMismatchError,
    TableNotAvailableError,
    VerificationError,
    VersionNotFoundError,
)
from .schema import CURRENT as _CURRENT

__version__ = "0.4.0"

# Row models are generated from the schema declaration (see policydata.models).
_MODEL_NAMES = frozenset({t.model for t in _CURRENT.tables} | {"Manifest"})

__all__ = [
    "ChecksumError",
    "Dataset",
    "DatasetRootError",
    "LayoutError",
    "ManifestError",
    "MissingFileError",
    "NotFoundError",
    "PolicyDataError",
    "RegistryMismatchError",
    "SchemaMismatchError",
    "TableNotAvailableError",
    "VerificationError",
    "VersionNotFoundError",
    "__version__",
    "open",
    "versions",
    *sorted(_MODEL_NAMES),
]


def __getattr__(name: str) -> Any:
    # pydantic costs ~80 ms to import; load the models only when asked for.
    if name in _MODEL_NAMES:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module 'policydata' has no attribute {name!r}")
