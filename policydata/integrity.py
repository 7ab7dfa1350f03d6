"""Reading a version folder exactly as published, and saying every way it is not.

A version folder ``<root>/<version>/`` holds ``manifest.json`` and the files
it lists, nothing else. :func:`read_version` checks, and reports every
problem it finds (not just the first):

* the folder is a real folder (not a symbolic link) named like its manifest's
  version, and every file in it is a regular file the manifest lists;
* every listed file has the manifest's size and sha256;
* a **published** version's manifest has the sha256 pinned in policydata's
  registry (``published.json``, shipped with the package), so rewriting a
  file together with its hash in the manifest is caught; a version not in
  the registry is a build of one's own, checked against its own manifest;
* each table matches the schema the version carries (``datapackage.json``;
  versions of schema 1.1, written before schemas were embedded, are read by
  a frozen copy in ``policydata/schemas/``), that schema can be read by this
  release, and every value of a column with a vocabulary is in it.

>>> import policydata
>>> checked = read_version(policydata.open("2.2.0").path, verify=True)
>>> checked.problems, checked.published, sorted(checked.tables)[:2]
([], True, ['agencies', 'cited_works'])
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema
from .errors import (
    ChecksumError,
    LayoutError,
    ManifestError,
    MissingFileError,
    RegistryMismatchError,
    SchemaMismatchError,
    VerificationError,
)

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

    from .models import Manifest

MANIFEST = "manifest.json"
DATAPACKAGE = "datapackage.json"
# Key of datapackage.json that holds the version's own schema declaration.
SCHEMA_KEY = "policydata"
# A build writes into <root>/.tmp-<version>-<pid> and renames it into place.
TMP_PREFIX = ".tmp-"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks.

    >>> import policydata
    >>> sha256_file(policydata.open("2.2.0").path / "manifest.json") == policydata.open("2.2.0").manifest_sha256
    True
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@cache
def _published() -> dict[str, dict[str, str]]:
    from importlib.resources import files

    return json.loads(files("policydata").joinpath("published.json").read_text(encoding="utf-8"))["versions"]


def registry() -> dict[str, str]:
    """Published version → sha256 of its manifest.json, from ``published.json``.

    >>> registry()["1.1.0"][:12]
    'bddb68b4d5c0'
    """
    return {version: entry["manifest_sha256"] for version, entry in _published().items()}


def published_on(version: str) -> str | None:
    """The day a version was published (``YYYY-MM-DD``), None for a build of one's own.

    >>> published_on("1.1.0"), published_on("1.1.0+mine")
    ('2026-11-25', None)
    """
    return _published()[version]["published_on"] if version in _published() else None


# Schemas of versions written before each version carried its own, frozen in policydata/schemas/.
LEGACY_SCHEMAS = ("1.1",)


@cache
def legacy_declaration(schema_version: str) -> schema.Declaration | None:
    """The frozen schema of versions written before each version carried its own."""
    from importlib.resources import files

    if schema_version not in LEGACY_SCHEMAS:
        return None
    path = files("policydata").joinpath("schemas", f"{schema_version}.json")
    return schema.Declaration.from_dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass
class CheckedVersion:
    """What :func:`read_version` found: the parts it could read and every problem."""

    folder: Path
    manifest: Manifest | None = None
    manifest_sha256: str | None = None
    declaration: schema.Declaration | None = None
    #: The Parquet bytes of each table that passed every check, by table name.
    tables: dict[str, bytes] = field(default_factory=dict)
    #: With ``load``: a private in-memory DuckDB database holding those tables.
    database: duckdb.DuckDBPyConnection | None = None
    published: bool = False
    problems: list[VerificationError] = field(default_factory=list)
    files_checked: int = 0

    def close(self) -> None:
        """Close the database (a Dataset made from this check owns it instead)."""
        if self.database is not None:
            self.database.close()

    def raise_problems(self) -> None:
        """Raise the first problem, listing the others in its message."""
        if self.problems:
            first = self.problems[0]
            first.problems = list(self.problems)
            raise first


def _regular_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file, or None when it is one."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except NotADirectoryError:
        return "missing (its folder is not a folder)"
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte: not a file of this version
        return f"unreadable ({type(exc).__name__}: {exc})"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def read_manifest(folder: Path) -> tuple[Manifest, str]:
    """The folder's manifest and the sha256 of its bytes; ManifestError when it cannot be read."""
    from pydantic import ValidationError

    from .models import Manifest

    path = folder / MANIFEST
    why = _regular_file(path)
    if why is not None:
        raise ManifestError(f"{path} is {why}: a version folder must hold its manifest.json")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"{path} cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        manifest = Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise ManifestError(f"{path} is not a valid manifest:\n{exc}") from exc
    if manifest.version != folder.name:
        raise ManifestError(f"{path} says version {manifest.version} but the folder is {folder.name}")
    return manifest, sha256_bytes(raw)


def read_version(folder: Path, *, verify: bool, load: bool = True) -> CheckedVersion:
    """Check a version folder and (with ``load``) load its tables from exactly the bytes checked.

    The tables are loaded into ``database``, a private in-memory DuckDB
    database, by DuckDB's own Parquet reader (no pyarrow): the caller closes
    it, or hands it to a :class:`~policydata.Dataset`.

    ``verify=False`` skips the sha256 comparisons (files, registry), never the
    structure or schema checks: a table that does not match its schema is
    unreadable either way.
    """
    out = CheckedVersion(folder)
    problems = out.problems
    if folder.is_symlink():
        problems.append(LayoutError(f"{folder} is a symbolic link to {os.readlink(folder)}: "
                                    "a version is a folder of its own, never a link to another"))
        return out
    if not folder.is_dir():
        problems.append(LayoutError(f"{folder} is not a folder"))
        return out
    try:
        manifest, manifest_sha256 = read_manifest(folder)
    except ManifestError as exc:
        problems.append(exc)
        return out
    out.manifest, out.manifest_sha256 = manifest, manifest_sha256
    expected = registry().get(manifest.version)
    # Only a check of every byte makes a version "published": without it the
    # files may differ from the manifest the registry pins.
    out.published = verify and expected == manifest_sha256
    if verify and expected is not None and expected != manifest_sha256:
        problems.append(RegistryMismatchError(manifest.version, expected, manifest_sha256))

    listed = set(manifest.files) | {MANIFEST}
    for entry in sorted(os.listdir(folder)):
        if entry not in listed:
            problems.append(LayoutError(f"{folder / entry} is not listed in the manifest: "
                                        "a version holds exactly the files its manifest lists"))
    data: dict[str, bytes] = {}
    for name, entry in manifest.files.items():
        path = folder / name
        why = _regular_file(path)
        if why == "missing":
            problems.append(MissingFileError(name, str(folder)))
            continue
        if why is not None:
            problems.append(LayoutError(f"{path} is {why}"))
            continue
        if verify and path.stat().st_size != entry.bytes:
            # Another size: hashed as it streams by, never read whole (it may have grown huge).
            problems.append(ChecksumError(name, entry.sha256, sha256_file(path)))
            continue
        raw = path.read_bytes()
        if verify:
            out.files_checked += 1
            actual = sha256_bytes(raw)
            if actual != entry.sha256:
                problems.append(ChecksumError(name, entry.sha256, actual))
                continue
        data[name] = raw

    try:
        out.declaration = _declaration(manifest, data.get(DATAPACKAGE))
    except VerificationError as exc:
        problems.append(exc)
        return out
    problems.extend(_compatibility(out.declaration, manifest.tables))
    if load:
        out.database = private_database()
        # Only tables this release declares are loaded: their names come from its fixed list.
        readable = {table: data[f"{table}.parquet"] for table in manifest.tables
                    if f"{table}.parquet" in data and schema.CURRENT.has_table(table) and out.declaration.has_table(table)}
        rows = {table: manifest.files[f"{table}.parquet"].rows for table in readable}
        with tempfile.TemporaryDirectory(prefix="policydata-") as copies:
            for table in _load_tables(out.database, copies, readable, out.declaration, rows, problems):
                out.tables[table] = readable[table]
    return out


def _declaration(manifest: Manifest, datapackage: bytes | None) -> schema.Declaration:
    """The schema the version was built with."""
    legacy = legacy_declaration(manifest.schema_version)
    if legacy is not None:
        return legacy
    if datapackage is None:
        raise ManifestError(f"the version's schema cannot be read: {DATAPACKAGE} is missing or damaged")
    try:
        declared = json.loads(datapackage)[SCHEMA_KEY]["schema"]
        declaration = schema.Declaration.from_dict(declared)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ManifestError(f"{DATAPACKAGE} holds no readable '{SCHEMA_KEY}.schema' declaration: "
                            f"{type(exc).__name__}: {exc}") from None
    if declaration.schema_version != manifest.schema_version:
        raise ManifestError(f"{DATAPACKAGE} declares schema {declaration.schema_version} "
                            f"but the manifest says {manifest.schema_version}")
    return declaration


def _compatibility(declaration: schema.Declaration, tables: list[str]) -> list[VerificationError]:
    """Whether this release can read every table of the version as its schema declares it."""
    problems: list[VerificationError] = []
    for name in tables:
        if not declaration.has_table(name):
            problems.append(SchemaMismatchError(name, list(declaration.table_names), [name],
                                                reason=f"table {name} is not declared in the version's schema"))
            continue
        theirs = declaration.table(name)
        ours = schema.CURRENT.table(name)
        unknown = [f"{c.name} {c.type}" for c in theirs.columns
                   if c.name not in ours.column_names or ours.column(c.name).type != c.type]
        # A column this release requires must be there and never null, unless
        # it was added after the version's schema (it then reads back None).
        missing = [c.name for c in ours.columns if c.name not in theirs.column_names
                   and (c.added is None or _schema_key(c.added) <= _schema_key(declaration.schema_version))]
        loosened = [c.name for c in theirs.columns if c.nullable and c.name in ours.column_names
                    and not ours.column(c.name).nullable and ours.column(c.name).added is None]
        if missing or loosened:
            problems.append(SchemaMismatchError(
                name, [f"{c} present and never null" for c in missing + loosened],
                [f"{c} missing" for c in missing] + [f"{c} nullable" for c in loosened],
                reason=f"table {name} lacks or loosens columns every version of its schema must have"))
        if unknown:
            problems.append(SchemaMismatchError(
                name, [f"{c.name} {c.type}" for c in ours.columns], unknown,
                reason=f"table {name} has columns this release of policydata does not know "
                       f"(schema {declaration.schema_version} vs {schema.SCHEMA_VERSION}; upgrade policydata)"))
        if theirs.primary_key != ours.primary_key:
            problems.append(SchemaMismatchError(name, list(ours.primary_key), list(theirs.primary_key),
                                                reason=f"table {name} has another primary key"))
    return problems


def _schema_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def private_database() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB database that never installs or loads an extension (nothing is fetched)."""
    import duckdb

    return duckdb.connect(":memory:", config={
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
    })


def load_tables(con: duckdb.DuckDBPyConnection, tables: Mapping[str, bytes]) -> None:
    """Create one table in ``con`` from each entry's Parquet bytes (already checked by :func:`read_version`).

    ``tables`` maps names from the schema's fixed list to bytes.
    """
    with tempfile.TemporaryDirectory(prefix="policydata-") as folder:
        for name, raw in tables.items():
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [_private_copy(folder, name, raw)])


def _private_copy(folder: str, name: str, raw: bytes) -> str:
    """The bytes as a file in a folder only this process's user can read, for DuckDB's Parquet reader.

    DuckDB reads Parquet only from files; a copy of the verified bytes (never
    the version's own file, which could change after it was hashed) keeps
    what is loaded exactly what was checked.
    """
    path = os.path.join(folder, f"{name}.parquet")
    with open(path, "xb") as handle:
        handle.write(raw)
    return path


def _load_tables(con: duckdb.DuckDBPyConnection, folder: str, tables: dict[str, bytes],
                 declaration: schema.Declaration, rows: dict[str, int | None],
                 problems: list[VerificationError]) -> list[str]:
    """Check each table's bytes against its declaration, load those that match into ``con``, and
    check their row counts and vocabularies; the tables loaded, and a problem for each failure.

    ``tables`` are named from the schema's fixed list. The checks run as a few
    queries over all tables, not a few per table: each query costs DuckDB about
    as much as reading one of these small files.
    """
    paths = {name: _private_copy(folder, name, raw) for name, raw in tables.items()}
    loaded = []
    for name, nodes in _parquet_schemas(con, paths, problems).items():
        found = _parquet_columns(nodes)
        expected = [f"{c.name} {c.type}{'' if c.nullable else ' not null'}" for c in declaration.table(name).columns]
        if found != expected:
            problems.append(SchemaMismatchError(name, expected, found))
            continue
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [paths[name]])
        loaded.append(name)
    # A column this release does not know is already a problem (_compatibility); its name is never put in SQL.
    vocabularies = {(name, c.name): c.vocabulary for name in loaded for c in declaration.table(name).columns
                    if c.vocabulary is not None and c.name in schema.CURRENT.table(name).column_names}
    if not loaded:
        return loaded
    parts = [f"SELECT '{name}', NULL, count(*)::VARCHAR FROM \"{name}\"" for name in loaded]
    parts += [f"SELECT DISTINCT '{name}', '{column}', \"{column}\" FROM \"{name}\"" for name, column in vocabularies]
    values: dict[tuple[str, str], set[str]] = {key: set() for key in vocabularies}
    for name, column, value in con.execute(" UNION ALL ".join(parts)).fetchall():
        if column is None:
            if rows[name] is not None and int(value) != rows[name]:
                problems.append(SchemaMismatchError(name, [f"{rows[name]} rows"], [f"{value} rows"],
                                                    reason=f"{name}.parquet has another row count than the manifest"))
        elif value is not None:
            values[(name, column)].add(value)
    for (name, column), vocabulary in vocabularies.items():
        allowed = set(declaration.vocabulary(vocabulary).values)
        if not values[(name, column)] <= allowed:
            problems.append(SchemaMismatchError(
                name, sorted(allowed), sorted(values[(name, column)] - allowed),
                reason=f"{name}.{column} holds values outside its vocabulary {vocabulary}"))
    return loaded


def _parquet_schemas(con: duckdb.DuckDBPyConnection, paths: dict[str, str],
                     problems: list[VerificationError]) -> dict[str, list[tuple]]:
    """Each readable file's ``parquet_schema()`` rows by table; a problem for each file DuckDB cannot read."""
    import duckdb

    try:
        found = con.execute(f"SELECT file_name, {_SCHEMA_COLUMNS} FROM parquet_schema(?)", [list(paths.values())]).fetchall()
    except duckdb.Error:
        found = None  # one file at least is no Parquet file: each is read alone below, to name it
    if found is not None:
        by_file: dict[str, list[tuple]] = {path: [] for path in paths.values()}
        for file_name, *node in found:
            by_file[file_name].append(tuple(node))
        return {name: by_file[path] for name, path in paths.items()}
    out = {}
    for name, path in paths.items():
        try:
            out[name] = con.execute(f"SELECT {_SCHEMA_COLUMNS} FROM parquet_schema(?)", [path]).fetchall()
        except duckdb.Error as exc:
            problems.append(SchemaMismatchError(name, ["a Parquet file"], [f"{type(exc).__name__}: {exc}"],
                                                reason=f"{name}.parquet cannot be read"))
    return out


_SCHEMA_COLUMNS = "name, type, repetition_type, converted_type, num_children"
# The Parquet leaf (physical type, converted type) each declared type is written as.
_LEAF_TYPES = {("BYTE_ARRAY", "UTF8"): "string", ("INT32", None): "int32", ("INT32", "DATE"): "date",
               ("DOUBLE", None): "double", ("BOOLEAN", None): "bool"}
_REPETITION = {"REQUIRED": " not null", "OPTIONAL": "", "REPEATED": " repeated"}


def _parquet_columns(nodes: list[tuple]) -> list[str]:
    """A Parquet file's top-level columns as ``name type[ not null]``, in the declaration's type names.

    ``nodes`` are the rows of DuckDB's ``parquet_schema()``: the schema tree
    depth first, row 0 its root. A list is three nodes (a LIST group, a
    repeated group, the element); anything not declarable is described as found.
    """
    def node(i: int) -> tuple[str, str, str, int]:
        name, physical, repetition, converted, children = nodes[i]
        i += 1
        if not children:
            return name, _LEAF_TYPES.get((physical, converted), f"{physical} ({converted})"), repetition, i
        kids = []
        for _ in range(children):
            *kid, i = node(i)
            kids.append(kid)
        if converted == "LIST" and len(kids) == 1 and kids[0][1:] == ["group<string>", "REPEATED"]:
            return name, "list<string>", repetition, i
        return name, "group<" + ", ".join(k[1] for k in kids) + ">", repetition, i

    columns, i = [], 1
    for _ in range(nodes[0][4] or 0):
        name, type_, repetition, i = node(i)
        columns.append(f"{name} {type_}{_REPETITION[repetition]}")
    return columns


# -- a whole root -------------------------------------------------------------


@dataclass
class RootReport:
    """``policydata verify`` over a root: each version's check, and notes on the root itself."""

    versions: dict[str, CheckedVersion]
    problems: list[str]  # about the root: published versions missing, entries that are not versions
    notes: list[str]  # harmless: folders an interrupted build left behind, ignored


def verify_root(root: Path, versions: list[str], *, bundled: bool) -> RootReport:
    """Check ``versions`` under ``root``; in the bundled root, every published version must be present."""
    report = RootReport({}, [], [])
    for version in versions:
        report.versions[version] = checked = read_version(root / version, verify=True, load=True)
        checked.close()
    if bundled:
        for version in sorted(set(registry()) - set(versions), key=schema.version_key):
            report.problems.append(f"published version {version} is missing from {root}")
    for entry in sorted(os.listdir(root)):
        if entry.startswith(TMP_PREFIX):
            report.notes.append(f"{str(root / entry)!r} is a build's temporary folder, not a version (ignored; a build "
                                "removes it once the process that wrote it is gone)")
        elif _ODD_VERSION.match(entry) and not schema.VERSION_PATTERN.fullmatch(entry):
            report.notes.append(f"{str(root / entry)!r} is named almost like a version but is not one "
                                "(X.Y.Z or X.Y.Z+label): ignored")
    return report


# What a version's name starts like: 1.0, v2.0.0, "1.2.4\n".
_ODD_VERSION = re.compile(r"v?\d+\.\d")
