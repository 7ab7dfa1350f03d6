"""Last step: write one immutable dataset version.

``write_version`` turns plain rows into Parquet files, one per table, plus
``datapackage.json`` (a Frictionless data package: table schemas with keys
and vocabularies, licences, sources, and the version's own copy of the schema
declaration the library reads it by), ``quality.json``, ``views.sql`` (for
the DuckDB command line) and ``manifest.json`` (checksums of everything else).
Files are written to a temporary folder beside the target and renamed into
place, so an interrupted build leaves nothing half-written; a temporary
folder that a killed build left behind is removed by the next build.

Parquet output is byte-reproducible for the same rows and library versions:
rows are sorted by each table's declared order, row groups have a fixed size,
and nothing records the wall-clock time.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from policydata import schema
from policydata.integrity import DATAPACKAGE, MANIFEST, SCHEMA_KEY, TMP_PREFIX, registry, sha256_file
from policydata.schema import FRICTIONLESS_TYPES, VERSION_PATTERN, Table, arrow_schema

from .errors import BuildError, VersionConflictError

ROW_GROUP_SIZE = 50_000
_LIBRARIES = ("pyarrow", "duckdb", "pydantic", "pypdf", "tqdm")
# The terms the data is published under, and what it is made from.
LICENSES = [
    {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
     "title": "Creative Commons Attribution 4.0 International (the structure, codes, tags and "
              "normalised values added by policydata)"},
]
SOURCES = [
    {"title": "国家及各省市营商环境政策汇编（2023 年）",
     "description": "The compilation the tables are built from. Its documents are official documents of "
                    "state organs, which Article 5 of the Copyright Law of the People's Republic of China "
                    "excludes from copyright protection; the compilation's own selection and arrangement "
                    "may belong to its compiler."},
]


@dataclass(frozen=True)
class SourceInfo:
    file: str
    kind: str
    sha256: str
    pages: int


@dataclass(frozen=True)
class WriteResult:
    path: Path
    created: bool  # False when an identical version already existed
    stale_removed: tuple[Path, ...] = ()  # temporary folders of killed builds, removed


def check_version(version: str) -> str:
    """The version string, when it is one: X.Y.Z, or X.Y.Z+label for a build of one's own.

    >>> check_version("1.2.4\\n")
    Traceback (most recent call last):
    ...
    policydata_build.errors.BuildError: version '1.2.4\\n' is not X.Y.Z or X.Y.Z+label (e.g. 1.2.0, 1.2.0+fullpdf)
    """
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        raise BuildError(f"version {version!r} is not X.Y.Z or X.Y.Z+label (e.g. 1.2.0, 1.2.0+fullpdf)")
    return version


def _sort_key(table: Table):
    def k(row: dict[str, Any]) -> tuple:
        # None sorts first; values of one column share a type.
        return tuple((row[c] is not None, row[c] if row[c] is not None else 0) for c in table.order_by)

    return k


def to_arrow(table: Table, rows: list[dict[str, Any]]):
    import pyarrow as pa

    names = set(table.column_names)
    for row in rows:
        if row.keys() != names:
            raise BuildError(
                f"{table.name}: row keys differ from the schema: "
                f"missing {sorted(names - set(row))}, unexpected {sorted(set(row) - names)}"
            )
    ordered = sorted(rows, key=_sort_key(table))
    columns = {c: [r[c] for r in ordered] for c in table.column_names}
    return pa.Table.from_pydict(columns, schema=arrow_schema(table))


def _write_parquet(tbl, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(
        tbl,
        path,
        compression="zstd",
        row_group_size=ROW_GROUP_SIZE,
        use_dictionary=True,
        write_statistics=True,
    )


def _json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _field(c: schema.Column, declaration: schema.Declaration) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": not c.nullable}
    if c.vocabulary is not None:
        constraints["enum"] = list(declaration.vocabulary(c.vocabulary).values)
    out = {"name": c.name, "type": FRICTIONLESS_TYPES[c.type], "description": c.description,
           "constraints": constraints}
    if c.type == "int32":
        # Through pandas a null integer reaches frictionless as the float NaN.
        out["missingValues"] = ["", "nan"]
    return out


def datapackage(version: str, tables: list[str], declaration: schema.Declaration | None = None) -> dict[str, Any]:
    """The Frictionless descriptor of a version, carrying its schema declaration under ``policydata``."""
    declaration = declaration or schema.CURRENT
    resources = []
    for name in tables:
        t = declaration.table(name)
        table_schema: dict[str, Any] = {
            "fields": [_field(c, declaration) for c in t.columns],
            "primaryKey": list(t.primary_key),
        }
        fks = [
            {"fields": list(fk.columns),
             "reference": {"resource": fk.table if fk.table != name else "", "fields": list(fk.references)}}
            for fk in t.foreign_keys
            if fk.table in tables
        ]
        if fks:
            table_schema["foreignKeys"] = fks
        resources.append(
            {
                "name": name,
                "path": f"{name}.parquet",
                "format": "parquet",
                "description": t.description,
                "schema": table_schema,
            }
        )
    return {
        "name": "policydata",
        "title": "国家及各省市营商环境政策汇编（2023 年）: documents, measures, deadlines, agencies, regions, tags",
        "version": version,
        "licenses": LICENSES,
        "sources": SOURCES,
        "resources": resources,
        SCHEMA_KEY: {"schema": declaration.to_dict()},
    }


def views_sql(tables: list[str]) -> str:
    lines = ["-- Run from this folder: duckdb -init views.sql"]
    # Quoted: REFERENCES is a reserved word.
    lines += [f"CREATE OR REPLACE VIEW \"{t}\" AS SELECT * FROM read_parquet('{t}.parquet');" for t in tables]
    return "\n".join(lines) + "\n"


def builder_versions() -> dict[str, str]:
    import policydata

    out = {"policydata": policydata.__version__, "python": platform.python_version()}
    for lib in _LIBRARIES:
        out[lib] = metadata.version(lib)
    return out


def write_version(
    rows: dict[str, list[dict[str, Any]]],
    out: Path,
    version: str,
    source: SourceInfo,
    quality: dict[str, Any],
    edition: str,
    partial: list[str] | None = None,
) -> WriteResult:
    """Write ``rows`` (table name → rows) as ``out/version``; see module doc.

    ``partial`` lists why the build is partial (recorded in the manifest; an
    empty list is a complete build).
    """
    check_version(version)
    declaration = schema.CURRENT
    unknown = set(rows) - set(declaration.table_names)
    if unknown:
        raise BuildError(f"unknown tables {sorted(unknown)}; known: {sorted(declaration.table_names)}")
    names = [t for t in declaration.table_names if t in rows]
    arrow = {name: to_arrow(declaration.table(name), rows[name]) for name in names}

    out = Path(out)
    _check_out(out)
    target = out / version
    reports = {DATAPACKAGE: datapackage(version, names, declaration), "quality.json": quality}
    if target.exists() or target.is_symlink():
        _compare_existing(target, arrow, reports)
        return WriteResult(target, created=False)
    if version in registry():
        raise VersionConflictError(
            f"{version} is a published version (pinned in policydata's registry) and {target} does not hold it: "
            f"a build of your own needs a version of its own, e.g. --version {version}+mybuild"
        )

    created = _make_folders(out)
    stale = tuple(remove_stale_builds(out))
    tmp = out / f"{TMP_PREFIX}{version}-{os.getpid()}"
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        files: dict[str, dict[str, Any]] = {}
        for name, tbl in arrow.items():
            path = tmp / f"{name}.parquet"
            _write_parquet(tbl, path)
            files[path.name] = {"rows": tbl.num_rows}
        for name, report in reports.items():
            (tmp / name).write_bytes(_json_bytes(report))
        (tmp / "views.sql").write_text(views_sql(names), encoding="utf-8")
        for extra in (*reports, "views.sql"):
            files[extra] = {"rows": None}
        for fname, entry in files.items():
            entry["sha256"] = sha256_file(tmp / fname)
            entry["bytes"] = (tmp / fname).stat().st_size
        manifest = {
            "dataset": "policydata",
            "version": version,
            "schema_version": declaration.schema_version,
            "edition": edition,
            "source": {"file": source.file, "kind": source.kind, "sha256": source.sha256, "pages": source.pages},
            "builder": builder_versions(),
            "tables": names,
            "files": files,
            "partial": list(partial or []),
        }
        (tmp / MANIFEST).write_bytes(_json_bytes(manifest))
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.exists():
                raise
            # Another build published this version meanwhile: accept it only
            # if it holds exactly what this build made.
            shutil.rmtree(tmp)
            _compare_existing(target, arrow, reports)
            return WriteResult(target, created=False, stale_removed=stale)
    except BaseException:
        # Leave nothing behind: the temporary folder, and the folders made for it.
        shutil.rmtree(tmp, ignore_errors=True)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty (something else is in it) or already gone: keep it
        raise
    return WriteResult(target, created=True, stale_removed=stale)


def _check_out(out: Path) -> None:
    """Refuse an output folder that is a file, or that lies inside a version folder
    (however it is spelt: ., .., a symbolic link)."""
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out} is not a folder")
    real = out.resolve()
    for folder in (real, *real.parents):
        if VERSION_PATTERN.fullmatch(folder.name):
            raise BuildError(f"--out {out} lies inside the version folder {folder}; "
                             "give the folder that holds the versions (its parent)")


def _make_folders(out: Path) -> list[Path]:
    """Create ``out`` and missing parents; the folders created, outermost first."""
    missing = [p for p in (out, *out.parents) if not p.exists()]
    out.mkdir(parents=True, exist_ok=True)
    return list(reversed(missing))


def remove_stale_builds(out: Path) -> list[Path]:
    """Remove temporary folders of builds that were killed (their process is gone); return them.

    A temporary folder is ``.tmp-<version>-<pid>``, a real folder; one whose
    process still runs belongs to a build in progress and is left alone, and
    so is anything else named ``.tmp-`` (a file, a link, no pid): ``verify``
    reports those.
    """
    removed = []
    for entry in sorted(out.iterdir()):
        if stale_build(entry):
            shutil.rmtree(entry)
            removed.append(entry)
    return removed


def stale_build(entry: Path) -> bool:
    """Whether ``entry`` is the temporary folder of a build that is gone."""
    pid = entry.name.rsplit("-", 1)[-1]
    return (entry.name.startswith(TMP_PREFIX) and not entry.is_symlink() and entry.is_dir()
            and pid.isdigit() and int(pid) < 2**31 and not _running(int(pid)))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _compare_existing(target: Path, arrow: dict[str, Any], reports: dict[str, Any]) -> None:
    """Accept an existing version only if its tables hold exactly these rows
    and its descriptor and quality report say exactly the same."""
    import pyarrow.parquet as pq

    if target.is_symlink() or not target.is_dir():
        raise VersionConflictError(f"{target} exists but is not a version folder of its own (a link or a file): "
                                   "remove it or choose another version")
    names = ["manifest.json", "views.sql", *reports, *(f"{t}.parquet" for t in arrow)]
    missing = [n for n in names if not (target / n).is_file()]
    if missing:
        raise VersionConflictError(
            f"{target} exists but lacks {', '.join(missing)}: it is not a complete published version; "
            "remove it or choose another version"
        )
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise VersionConflictError(f"{target / 'manifest.json'} is not JSON ({exc}): not a version this build wrote") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables", None), list):
        raise VersionConflictError(f"{target / 'manifest.json'} has no list of tables: not a manifest this build wrote")
    existing = manifest["tables"]
    problems = []
    if (target / "views.sql").read_text(encoding="utf-8") != views_sql(list(arrow)):
        problems.append("views.sql differs")
    if sorted(existing) != sorted(arrow):
        problems.append(f"tables differ: published {sorted(existing)}, built {sorted(arrow)}")
    for name in sorted(set(existing) & set(arrow)):
        old = pq.read_table(target / f"{name}.parquet")
        if not old.equals(arrow[name]):
            problems.append(f"{name}: {old.num_rows} published rows, {arrow[name].num_rows} built, content differs")
    for name, report in reports.items():
        # Round-trip through JSON so dates and tuples compare as written.
        if json.loads((target / name).read_text(encoding="utf-8")) != json.loads(_json_bytes(report)):
            problems.append(f"{name} differs")
    if problems:
        raise VersionConflictError(
            f"version {target.name} is already published at {target} with different content "
            f"(published versions are immutable; bump the version): " + "; ".join(problems)
        )
