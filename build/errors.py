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

    def __reduce__(self) -> tuple[type, tuple[Path, str]]:
        # Raised in a worker process that reads PDF pages: it must cross back whole.
        return type(self), (self.path, self.problem)


class ParseError(BuildError):
    """The source was read but a part of it is not what the parser expects."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Raised in a worker process that parses documents: it must cross back whole.
        return type(self), (self.where, self.problem)


class VersionConflictError(BuildError):
    """A published version exists with different content (versions are immutable)."""


class LossError(BuildError):
    """Text of the source would be missing from the tables; ``--partial`` builds anyway."""

    def __init__(self, losses: list[str]) -> None:
        self.losses = list(losses)
        listed = "\n".join(f"- {loss}" for loss in self.losses)
        super().__init__(f"text of the source would be lost ({len(self.losses)}):\n{listed}\n"
                         "fix the source, or build a version recorded as partial with --partial")


class QualityFloorError(BuildError):
    """A figure scored on the gold sample fell below its floor; ``--partial`` builds anyway."""

    def __init__(self, failures: list[str]) -> None:
        self.failures = list(failures)
        listed = "\n".join(f"- {f}" for f in self.failures)
        super().__init__(f"accuracy on the gold sample fell below its floors ({len(self.failures)}):\n{listed}\n"
                         "see quality.json 'accuracy' for the errors; a floor is changed only in "
                         "build/data/quality_floors.json with a CHANGELOG entry")
