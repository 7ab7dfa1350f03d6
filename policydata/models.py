"""Typed rows (pydantic v2) for the query API, and the manifest model.

Field names are exactly the column names in :mod:`policydata.schema`; a column
typed ``date`` is a :class:`datetime.date`, ``list<string>`` a ``list[str]``,
and a nullable column is ``Optional``. Closed vocabularies described in the
schema (level, deadline kind, precision, tag scheme) are ``Literal`` types, so
a build that writes an unexpected value fails loudly instead of leaking it.

Row models are frozen and strict: they are built from DuckDB results whose
Python types already match, and strict mode refuses silent coercion.

>>> from datetime import date
>>> Region(region_code="340000", name="安徽省", level="provincial", parent_code="100000").name
'安徽省'
>>> Region(region_code="340000", name="安徽省", level="province", parent_code=None)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Region
...
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, TypeAdapter, field_validator, model_validator

from .schema import TABLES

Level = Literal["national", "provincial", "prefectural", "county"]
DeadlineKind = Literal["due_by", "target", "valid_until", "time_limit", "recurring"]
MeasureKind = Literal["numbered", "heading", "paragraph", "document_number", "addressee", "signature", "note", "title"]
Precision = Literal["day", "month", "quarter", "half", "year"]
Scheme = Literal["bei", "bready", "tool"]

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, strict=True, extra="forbid")


class Document(_Row):
    """One entry of the compilation's table of contents (table ``documents``)."""

    doc_id: str
    edition: str
    section_no: int
    section: str
    group_no: int
    group_name: Optional[str]
    seq: int
    title: str
    title_raw: str
    doc_number: Optional[str]
    doc_number_raw: Optional[str]
    issued_on: Optional[date]
    issued_on_raw: Optional[str]
    region_code: str
    level: Level
    doc_type: Optional[str]
    is_draft: bool
    toc_page: int
    listed_page: int
    page_start: Optional[int]
    page_end: Optional[int]
    has_text: bool
    text: Optional[str]


class Region(_Row):
    """A jurisdiction (table ``regions``); ``parent_code`` is None only for 100000."""

    region_code: str
    name: str
    level: Level
    parent_code: Optional[str]


class Agency(_Row):
    """An issuing or responsible body (table ``agencies``)."""

    agency_id: str
    name: str
    aliases: list[str]
    level: Level
    region_code: str


class Measure(_Row):
    """A provision of a document (table ``measures``)."""

    measure_id: str
    doc_id: str
    parent_id: Optional[str]
    depth: int
    label: Optional[str]
    path: str
    kind: MeasureKind
    heading: Optional[str]
    text: str
    page_start: int
    page_end: int
    char_start: int
    char_end: int


class Deadline(_Row):
    """A time commitment inside a provision (table ``deadlines``)."""

    deadline_id: str
    doc_id: str
    measure_id: str
    expression: str
    kind: DeadlineKind
    due_on: Optional[date]
    precision: Optional[Precision]
    duration: Optional[str]
    anchor: Optional[str]
    page: int
    char_start: int
    char_end: int


class Tag(_Row):
    """A codebook entry (table ``tags``)."""

    tag_id: str
    scheme: Scheme
    label_zh: str
    label_en: str
    description: str


class Flag(_Row):
    """A quality flag (table ``flags``)."""

    flag_id: str
    doc_id: Optional[str]
    code: str
    detail: str
    page: Optional[int]


# Which model a query over each table returns.
MODELS: dict[str, type[_Row]] = {
    "documents": Document,
    "regions": Region,
    "agencies": Agency,
    "measures": Measure,
    "deadlines": Deadline,
    "tags": Tag,
    "flags": Flag,
}

# Built once: constructing a TypeAdapter compiles a validator, which is far
# too slow to repeat per query.
ROW_ADAPTERS: dict[str, TypeAdapter[list[_Row]]] = {
    name: TypeAdapter(list[model]) for name, model in MODELS.items()  # type: ignore[valid-type]
}


def _check_sha256(value: str) -> str:
    if not _SHA256.fullmatch(value):
        raise ValueError(f"not a lowercase hex sha256: {value!r}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileEntry(_Strict):
    """One file of a version: its sha256, size, and row count for tables."""

    sha256: str
    bytes: int
    rows: Optional[int]

    @field_validator("sha256")
    @classmethod
    def _hex_digest(cls, value: str) -> str:
        return _check_sha256(value)


class Source(_Strict):
    """The source file a version was built from."""

    file: str
    kind: Literal["text", "pdf"]
    sha256: str
    pages: int

    @field_validator("sha256")
    @classmethod
    def _hex_digest(cls, value: str) -> str:
        return _check_sha256(value)


class Builder(_Strict):
    """Versions of the software that built a version."""

    policydata: str
    python: str
    pyarrow: str
    duckdb: str
    pydantic: str
    pypdf: str
    cpca: str
    cn2an: str


class Manifest(_Strict):
    """``<root>/<version>/manifest.json``: what a version contains.

    >>> ds.manifest.version
    '1.1.0'
    >>> ds.manifest.files["documents.parquet"].rows
    6
    """

    dataset: Literal["policydata"]
    version: str
    schema_version: str
    edition: str
    source: Source
    builder: Builder
    tables: list[str]
    files: dict[str, FileEntry]

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not _SEMVER.fullmatch(value):
            raise ValueError(f"version must be X.Y.Z, found {value!r}")
        return value

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in TABLES]
        if unknown:
            raise ValueError(f"unknown tables {unknown}; the schema has {list(TABLES)}")
        if len(set(value)) != len(value):
            raise ValueError(f"tables listed twice: {value}")
        return value

    @field_validator("files")
    @classmethod
    def _plain_names(cls, value: dict[str, FileEntry]) -> dict[str, FileEntry]:
        # Names are joined to the version folder, so they must stay inside it.
        bad = [n for n in value if not n or "/" in n or "\\" in n or n in (".", "..")]
        if bad:
            raise ValueError(f"file names must be plain names inside the version folder: {bad}")
        return value

    @model_validator(mode="after")
    def _tables_have_files(self) -> Manifest:
        parquet = {n[: -len(".parquet")] for n in self.files if n.endswith(".parquet")}
        missing = [t for t in self.tables if t not in parquet]
        extra = sorted(parquet - set(self.tables))
        if missing or extra:
            raise ValueError(
                f"tables and files disagree: tables without a file {missing}, "
                f"parquet files not listed as tables {extra}"
            )
        return self
