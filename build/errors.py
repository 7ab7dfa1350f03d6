"""Errors the build raises. Each names the file and what was found."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """Base class: the build stopped and wrote nothing."""


class SourceError(BuildError):
    """The source file cannot be read as the compilation."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ParseError(BuildError):
    """The source was read but a part of it is not what the parser expects."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class VersionConflictError(BuildError):
    """A published version exists with different content (versions are immutable)."""
