"""Exceptions raised by policydata.

Every error the library raises on purpose derives from :class:`PolicyDataError`,
so ``except policydata.PolicyDataError`` catches them all. Bad filter values
are plain :class:`ValueError` (they are the caller's mistake, not the data's).

>>> from policydata.errors import ChecksumError
>>> str(ChecksumError("documents.parquet", "ab" * 32, "cd" * 32)).split(":")[0]
'checksum mismatch for documents.parquet'
"""

from __future__ import annotations

from collections.abc import Sequence


class PolicyDataError(Exception):
    """Base class of every error policydata raises on purpose."""


class DatasetRootError(PolicyDataError):
    """The dataset root folder does not exist or is not a folder."""


class VersionNotFoundError(PolicyDataError, LookupError):
    """The requested dataset version is not under the root."""

    def __init__(self, version: str | None, available: Sequence[str], root: str) -> None:
        self.version = version
        self.available = list(available)
        self.root = root
        listed = ", ".join(self.available) if self.available else "none"
        what = "no dataset versions" if version is None else f"unknown dataset version {version!r}"
        super().__init__(f"{what} under {root}; available versions: {listed}")


class VerificationError(PolicyDataError):
    """A version folder is not exactly what its manifest and policydata's registry say.

    ``problems`` lists every problem found in the version (this one first);
    the message names them all.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.problems: list[VerificationError] = [self]

    def __str__(self) -> str:
        text = super().__str__()
        others = [p for p in self.problems if p is not self]
        if others:
            text += f"\n{len(others)} more problem{'s' if len(others) > 1 else ''} in this version:"
            text += "".join(f"\n- {Exception.__str__(p)}" for p in others)
        return text


class ManifestError(VerificationError):
    """manifest.json is missing, malformed or inconsistent with the folder."""


class LayoutError(VerificationError):
    """The version folder holds something it must not: a symbolic link, a file
    that is not a regular file, or a file its manifest does not list."""


class MissingFileError(VerificationError):
    """A file listed in the manifest is not in the version folder."""

    def __init__(self, file: str, folder: str) -> None:
        self.file = file
        self.folder = folder
        super().__init__(f"{file} is listed in the manifest but missing from {folder}")


class ChecksumError(VerificationError):
    """A file's sha256 differs from the one recorded in the manifest."""

    def __init__(self, file: str, expected: str, actual: str, where: str = "the manifest") -> None:
        self.file = file
        self.expected = expected
        self.actual = actual
        super().__init__(f"checksum mismatch for {file}: expected sha256 {expected} ({where}), found {actual}")


class RegistryMismatchError(ChecksumError):
    """A published version's manifest.json differs from the one policydata's registry pins."""

    def __init__(self, version: str, expected: str, actual: str) -> None:
        self.version = version
        super().__init__("manifest.json", expected, actual, where=f"policydata's registry of published version {version}")


class SchemaMismatchError(VerificationError):
    """A table differs from the schema its version declares, or uses columns
    or vocabulary values this release of policydata cannot read."""

    def __init__(self, table: str, expected: Sequence[str], found: Sequence[str], reason: str | None = None) -> None:
        self.table = table
        self.expected = list(expected)
        self.found = list(found)
        what = reason or f"{table}.parquet does not match the version's schema"
        super().__init__(f"{what}: expected {self.expected}, found {self.found}")


class TableNotAvailableError(PolicyDataError, LookupError):
    """The opened version was built without the table a query needs."""

    def __init__(self, table: str, version: str, versions_with: Sequence[str]) -> None:
        self.table = table
        self.version = version
        self.versions_with = list(versions_with)
        listed = ", ".join(self.versions_with) if self.versions_with else "none under this root"
        super().__init__(
            f"dataset version {version} has no {table} table; versions with it: {listed}"
        )


class NotFoundError(PolicyDataError, KeyError):
    """A lookup by id found nothing (a KeyError, so ``except KeyError`` works too)."""

    def __init__(self, what: str, key: str) -> None:
        self.what = what
        self.key = key
        super().__init__(f"no {what} with id {key!r}")

    def __str__(self) -> str:
        # KeyError.__str__ would repr() the message, adding quotes.
        return str(self.args[0])
