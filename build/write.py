"""Last step: write one immutable dataset version.

``write_version`` turns plain rows into Parquet files, one per table, plus
``datapackage.json`` (Frictionless table schemas with keys), ``quality.json``,
``views.sql`` (for the DuckDB command line) and ``manifest.json`` (checksums of
everything else). Files are written to a temporary folder beside the target
and renamed into place, so an interrupted build leaves nothing half-written.

Parquet output is byte-reproducible for the same rows and library versions:
rows are sorted by each table's declared order, row groups have a fixed size,
and nothing records the wall-clock time.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from policydata.schema import SCHEMA_VERSION, TABLES, Table, arrow_schema

from .errors import BuildError, VersionConflictError

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
ROW_GROUP_SIZE = 50_000
_FRICTIONLESS_TYPES = {"string": "string", "int32": "integer", "bool": "boolean", "date": "date", "list<string>": "array"}
_LIBRARIES = ("pyarrow", "duckdb", "pydantic", "pypdf", "cpca", "cn2an")


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


def check_version(version: str) -> str:
    if not SEMVER.match(version):
        raise BuildError(f"version {version!r} is not semantic (X.Y.Z)")
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
        if set(row) != names:
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def datapackage(version: str, tables: list[str]) -> dict[str, Any]:
    resources = []
    for name in tables:
        t = TABLES[name]
        schema: dict[str, Any] = {
            "fields": [
                {
                    "name": c.name,
                    "type": _FRICTIONLESS_TYPES[c.type],
                    "description": c.description,
                    "constraints": {"required": not c.nullable},
                }
                for c in t.columns
            ],
            "primaryKey": list(t.primary_key),
        }
        fks = [
            {"fields": list(cols), "reference": {"resource": ref if ref != name else "", "fields": list(ref_cols)}}
            for cols, ref, ref_cols in t.foreign_keys
            if ref in tables
        ]
        if fks:
            schema["foreignKeys"] = fks
        resources.append(
            {
                "name": name,
                "path": f"{name}.parquet",
                "format": "parquet",
                "description": t.description,
                "schema": schema,
            }
        )
    return {
        "name": "policydata",
        "title": "国家及各省市营商环境政策汇编（2023 年）: documents, measures, deadlines, agencies, regions, tags",
        "version": version,
        "resources": resources,
    }


def views_sql(tables: list[str]) -> str:
    lines = ["-- Run from this folder: duckdb -init views.sql"]
    lines += [f"CREATE OR REPLACE VIEW {t} AS SELECT * FROM read_parquet('{t}.parquet');" for t in tables]
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
) -> WriteResult:
    """Write ``rows`` (table name → rows) as ``out/version``; see module doc."""
    check_version(version)
    unknown = set(rows) - set(TABLES)
    if unknown:
        raise BuildError(f"unknown tables {sorted(unknown)}; known: {sorted(TABLES)}")
    names = [t for t in TABLES if t in rows]
    arrow = {name: to_arrow(TABLES[name], rows[name]) for name in names}

    out = Path(out)
    target = out / version
    reports = {"datapackage.json": datapackage(version, names), "quality.json": quality}
    if target.exists():
        _compare_existing(target, arrow, reports)
        return WriteResult(target, created=False)

    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".tmp-{version}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        files: dict[str, dict[str, Any]] = {}
        for name, tbl in arrow.items():
            path = tmp / f"{name}.parquet"
            _write_parquet(tbl, path)
            files[path.name] = {"rows": tbl.num_rows}
        for name, report in reports.items():
            (tmp / name).write_bytes(_json_bytes(report))
        (tmp / "views.sql").write_text(views_sql(names), encoding="utf-8")
        for extra in ("datapackage.json", "quality.json", "views.sql"):
            files[extra] = {"rows": None}
        for fname, entry in files.items():
            entry["sha256"] = _sha256(tmp / fname)
            entry["bytes"] = (tmp / fname).stat().st_size
        manifest = {
            "dataset": "policydata",
            "version": version,
            "schema_version": SCHEMA_VERSION,
            "edition": edition,
            "source": {"file": source.file, "kind": source.kind, "sha256": source.sha256, "pages": source.pages},
            "builder": builder_versions(),
            "tables": names,
            "files": files,
        }
        (tmp / "manifest.json").write_bytes(_json_bytes(manifest))
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.exists():
                raise
            # Another build published this version meanwhile: accept it only
            # if it holds exactly what this build made.
            shutil.rmtree(tmp)
            _compare_existing(target, arrow, reports)
            return WriteResult(target, created=False)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return WriteResult(target, created=True)


def _compare_existing(target: Path, arrow: dict[str, Any], reports: dict[str, Any]) -> None:
    """Accept an existing version only if its tables hold exactly these rows
    and its descriptor and quality report say exactly the same."""
    import pyarrow.parquet as pq

    names = ["manifest.json", "views.sql", *reports, *(f"{t}.parquet" for t in arrow)]
    missing = [n for n in names if not (target / n).is_file()]
    if missing:
        raise VersionConflictError(
            f"{target} exists but lacks {', '.join(missing)}: it is not a complete published version; "
            "remove it or choose another version"
        )
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
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
