"""policydata: China's 2023 business-environment policies as a pinned, typed dataset.

>>> import policydata
>>> ds = policydata.open("2.4.0")                      # a published version, checked against its checksums
>>> len(ds.documents()), len(ds.documents(region="安徽"))
(279, 15)
>>> ds.document("2023-01-00-018").doc_number
'国办发〔2023〕1号'
>>> [m.heading for m in ds.measures(agency="税务总局")]
['强化政策落实和支持力度']
>>> ds.measures(tag="bei:bidding", text="保证金").to_pandas().shape
(9, 13)

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

__version__ = "0.9.0"

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
