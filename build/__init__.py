"""policydata build pipeline: read pages -> repair -> segment -> parse -> normalise -> write.

Imported as ``policydata_build`` (the folder is mapped in pyproject.toml).
"""

# The dataset version `policydata build` writes by default. Bump it (semver)
# whenever the built content changes: published versions are immutable.
DATASET_VERSION = "2.4.0"

from pathlib import Path

# The compilation's text, shipped so that a fresh clone builds without ../shared.
BUNDLED_SOURCE = Path(__file__).parent / "source" / "compilation-2023.txt"
