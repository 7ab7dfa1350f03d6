"""Typed rows (pydantic v2) for the query API, and the manifest model.

The row models are generated from :data:`policydata.schema.CURRENT`, one per
table (``Document``, ``Measure`` …): field names are the column names, a
``date`` column is a :class:`datetime.date`, ``list<string>`` a
``list[str]``. A column is ``Optional`` when it is nullable or was added after
the first schema (a version without it reads back ``None`` there). Columns
with a vocabulary are plain ``str``: each version's values are checked
against that version's own vocabulary when it is opened, so a value a later
version adds does not make an older library or an older version fail.
``models.pyi`` (generated, like the README's table reference) gives type
checkers the same fields.

Row models are frozen and strict: they are built from DuckDB results whose
Python types already match, and strict mode refuses silent coercion.

>>> from policydata.models import Region
>>> Region(region_code="340000", name="安徽省", level="provincial", parent_code="100000",
...        name_en="Anhui", name_en_source="official").name_en
'Anhui'
>>> Region(region_code=340000, name="安徽省", level="provincial", parent_code=None,
...        name_en=None, name_en_source=None)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Region
...
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from functools import cache
from itertools import repeat
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, TypeAdapter, create_model, field_validator, model_validator

from . import schema

_SHA256 = re.compile(r"[0-9a-f]{64}")
_PYTHON_TYPES: dict[str, Any] = {"string": str, "int32": int, "double": float, "bool": bool, "date": date,
                                 "list<string>": list[str]}


class Row(BaseModel):
    """Base class of every row model."""

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid", defer_build=True)


def python_type(column: schema.Column) -> Any:
    """The annotation a column has in its row model."""
    base = _PYTHON_TYPES[column.type]
    return Optional[base] if column.nullable or column.added is not None else base


@cache
def row_model(declaration: schema.Declaration, table: str) -> type[Row]:
    """The model of one table of ``declaration`` (built once, when first asked for: a query
    builds only the model it returns, which saves opening and the first query most of 20 models)."""
    spec = declaration.table(table)
    fields: dict[str, Any] = {c.name: (python_type(c), ...) for c in spec.columns}
    model = create_model(spec.model, __base__=Row, __module__=__name__, **fields)
    model.__doc__ = f"{spec.description} (table ``{spec.name}``)"
    return model


def row_models(declaration: schema.Declaration) -> dict[str, type[Row]]:
    """One model per table of ``declaration``, by table name."""
    return {t.name: row_model(declaration, t.name) for t in declaration.tables}


@cache
def row_adapter(declaration: schema.Declaration, table: str) -> TypeAdapter[list[Row]]:
    # Built once: constructing a TypeAdapter compiles a validator, which is far
    # too slow to repeat per query.
    return TypeAdapter(list[row_model(declaration, table)])  # type: ignore[valid-type]


def build_rows(model: type[Row], names: tuple[str, ...], rows: list[tuple[Any, ...]],
               absent: tuple[str, ...] = ()) -> list[Row]:
    """Row models from query results, without validating each value again.

    Only for rows read from an opened version: ``open()`` checked the Arrow
    schema of every table against its declaration, so DuckDB hands back
    exactly the Python types the fields declare, and validating them once
    more would double the cost of a whole-table query. This is what pydantic's
    ``model_construct`` does, without its per-call overhead; the tests check
    that it gives models equal to validated ones for every table of every
    published version. ``absent`` columns (added after the version was built)
    are None.

    >>> from policydata.models import Region
    >>> [r] = build_rows(Region, ("region_code", "name", "level", "parent_code"),
    ...                  [("340000", "安徽省", "provincial", "100000")], absent=("name_en", "name_en_source"))
    >>> r == Region(region_code="340000", name="安徽省", level="provincial", parent_code="100000",
    ...             name_en=None, name_en_source=None)
    True
    """
    fields_set = frozenset(names) | frozenset(absent)  # as validating a dict with every key would
    count = len(rows)
    # Each step runs over all rows in C (map), not in a Python loop: 0.61 -> 0.52 ms
    # for the 723 measures rows of 2.3.0. The slots are set through BaseModel's
    # descriptors, as pydantic's own model_construct sets them by name.
    values = list(map(dict, map(zip, repeat(names), rows)))
    if absent:
        _consume(map(dict.update, values, repeat(dict.fromkeys(absent), count)))
    out: list[Row] = list(map(object.__new__, repeat(model, count)))
    set_fields, set_extra, set_private = _SLOT_SETTERS
    _consume(map(object.__setattr__, out, repeat("__dict__", count), values))
    _consume(map(set_fields, out, repeat(fields_set, count)))
    _consume(map(set_extra, out, repeat(None, count)))
    _consume(map(set_private, out, repeat(None, count)))
    return out


_consume = deque(maxlen=0).extend
_SLOT_SETTERS = tuple(BaseModel.__dict__[slot].__set__
                      for slot in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))


MODEL_NAMES: tuple[str, ...] = tuple(t.model for t in schema.CURRENT.tables)
_TABLE_OF_MODEL = {t.model: t.name for t in schema.CURRENT.tables}


def __getattr__(name: str) -> Any:
    # Document, Measure … are module attributes like hand-written classes, built when first used;
    # MODELS holds them all, by table name.
    if name in _TABLE_OF_MODEL:
        return row_model(schema.CURRENT, _TABLE_OF_MODEL[name])
    if name == "MODELS":
        return row_models(schema.CURRENT)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


class Manifest(_Strict):
    """``<root>/<version>/manifest.json``: what a version contains.

    ``builder`` names the software that built the version (policydata and
    python, then the libraries of that release). ``partial`` lists why a build
    was partial (``[]``: complete); versions written before it was recorded
    have ``None``.

    >>> import policydata
    >>> manifest = policydata.open("2.2.0").manifest
    >>> manifest.version, manifest.files["documents.parquet"].rows
    ('2.2.0', 279)
    """

    dataset: Literal["policydata"]
    version: str
    schema_version: str
    edition: str
    source: Source
    builder: dict[str, str]
    tables: list[str]
    files: dict[str, FileEntry]
    partial: Optional[list[str]] = None

    @field_validator("schema_version")
    @classmethod
    def _schema_version(cls, value: str) -> str:
        if not re.fullmatch(r"\d{1,3}\.\d{1,3}", value):
            raise ValueError(f"schema_version must be N.N, found {value!r}")
        return value

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not schema.VERSION_PATTERN.fullmatch(value):
            raise ValueError(f"version must be X.Y.Z or X.Y.Z+label, found {value!r}")
        return value

    @field_validator("builder")
    @classmethod
    def _builder(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [k for k in ("policydata", "python") if k not in value]
        if missing:
            raise ValueError(f"builder lacks {missing}")
        return value

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if not schema.CURRENT.has_table(t)]
        if unknown:
            raise ValueError(
                f"unknown tables {unknown}; this release of policydata knows {list(schema.CURRENT.table_names)} "
                "(a newer release may read this version)"
            )
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
        if "datapackage.json" not in self.files:
            raise ValueError("datapackage.json (the version's schema) is not listed in files")
        uncounted = sorted(n for n, e in self.files.items() if n.endswith(".parquet") and e.rows is None)
        if uncounted:
            raise ValueError(f"tables without a row count: {uncounted}")
        return self
