"""The ``policydata`` command: list, inspect, verify, query, diff, export and report on dataset versions.

Every subcommand prints ``policydata: error: <message>`` on stderr and exits
1 when the data or a value is wrong, 2 for a usage mistake.

>>> main(["sql", "--version", "2.2.0", "--format", "csv",
...       "SELECT level, count(*) AS n FROM documents GROUP BY level ORDER BY n DESC LIMIT 2"])
level,n
provincial,122
prefectural,121
0

``--root DIR`` (before the command) reads versions from a folder of one's
own, such as a build's ``dataset/``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from . import __version__
from .dataset import resolve_root, bundled_root, versions
from .dataset import open as open_version
from .errors import PolicyDataError, VersionNotFoundError
from .integrity import published_on, read_manifest, registry, verify_root

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from .dataset import Dataset

PROG = "policydata"
# Widest a cell may be in --format table before it is cut with "…".
_CELL_WIDTH = 40


def _print_versions(args: argparse.Namespace) -> int:
    for version in versions(args.root):
        print(version)
    return 0


def _info(args: argparse.Namespace) -> int:
    # Only the manifest is read: info works on a version whose tables are damaged.
    base = resolve_root(args.root)
    available = versions(base)
    version = args.version or (available[-1] if available else None)
    if version is None or version not in available:
        raise VersionNotFoundError(version, available, str(base))
    m, manifest_sha256 = read_manifest(base / version)
    pinned = registry().get(m.version)
    if pinned is None:
        status = "not a published version (a build of one's own)"
    elif pinned == manifest_sha256:
        status = "published; manifest matches policydata's registry"
    else:
        status = f"DOES NOT MATCH the published {m.version} (registry pins sha256 {pinned}); run policydata verify"
    print(f"dataset:         {m.dataset} {m.version} (edition {m.edition}, schema {m.schema_version})")
    print(f"status:          {status}")
    print(f"path:            {base / version}")
    print(f"manifest sha256: {manifest_sha256}")
    print(f"source:          {m.source.file} ({m.source.kind}, {m.source.pages} pages, sha256 {m.source.sha256})")
    if m.partial:
        print(f"PARTIAL BUILD:   {'; '.join(m.partial)}")
    print("built with:      " + ", ".join(f"{k} {v}" for k, v in m.builder.items()))
    print(f"library:         policydata {__version__}")
    print("tables (row counts as the manifest records them, not checked here):")
    for table in m.tables:
        print(f"  {table:<18} {m.files[f'{table}.parquet'].rows:>8} rows")
    return 0


def _verify(args: argparse.Namespace) -> int:
    base = resolve_root(args.root)
    available = versions(base)
    if args.version is not None and args.version not in available:
        raise VersionNotFoundError(args.version, available, str(base))
    chosen = [args.version] if args.version else available
    if not chosen:
        raise PolicyDataError(f"no dataset versions to verify under {base}")
    # Only the package's own folder must hold every published version.
    bundled = args.version is None and base.resolve() == bundled_root().resolve()
    report = verify_root(base, chosen, bundled=bundled)
    failed = bool(report.problems)
    for version, checked in report.versions.items():
        if checked.problems:
            failed = True
            count = len(checked.problems)
            print(f"{version}: FAILED, {count} problem{'s' if count > 1 else ''}:")
            for problem in checked.problems:
                print(f"  - {Exception.__str__(problem)}")
            continue
        status = ("published: its manifest matches policydata's registry" if checked.published
                  else "not a published version: checked against its own manifest only")
        partial = checked.manifest.partial if checked.manifest else None
        note = f"; PARTIAL BUILD: {'; '.join(partial)}" if partial else ""
        print(f"{version}: ok, {checked.files_checked} files match manifest.json and every table its schema; "
              f"{status}{note}")
    for problem in report.problems:
        print(f"FAILED: {problem}")
    for remark in report.notes:
        print(f"note: {remark}")
    if failed:
        print(f"{PROG}: error: verification failed", file=sys.stderr)
        return 1
    return 0


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    ds = open_version(args.version, root=args.root, verify=not args.no_verify)
    try:
        result = ds.sql(args.query)
    except duckdb.Error as exc:
        raise PolicyDataError(f"SQL failed: {exc}") from exc
    _FORMATS[args.format](result)
    return 0


def _show(args: argparse.Namespace) -> int:
    ds = open_version(args.version, root=args.root, verify=not args.no_verify)
    doc = ds.document(args.doc_id)
    region = ds.regions(region=doc.region_code)[0].name if "regions" in ds.tables else None
    for name, value in doc.model_dump().items():
        if name == "text":
            continue
        shown = f"{value} {region}" if name == "region_code" and region else _plain(value)
        print(f"{name + ':':<16}{shown}")
    if "document_agencies" in ds.tables:
        issuers = ds.sql(
            "SELECT a.name, string_agg(DISTINCT d.source, ', ' ORDER BY d.source) AS sources "
            "FROM document_agencies d JOIN agencies a USING (agency_id) "
            "WHERE d.doc_id = ? GROUP BY a.agency_id, a.name ORDER BY min(d.source), a.agency_id",
            [doc.doc_id],
        ).to_pylist()
        print(f"{'issuers:':<16}" + "; ".join(f"{r['name']} ({r['sources']})" for r in issuers))
    if "flags" in ds.tables:
        flags = ds.flags(doc_id=doc.doc_id)
        print(f"{'flags:':<16}{len(flags)}")
        for f in flags:
            print(f"  - {f.code} (page {f.page}): {f.detail}")
    if "measures" in ds.tables:
        _print_provisions(ds, doc.doc_id)
    if doc.text is not None:
        print()
        print(doc.text)
    return 0


def _refs(args: argparse.Namespace) -> int:
    ds = open_version(args.version, root=args.root, verify=not args.no_verify)
    doc = ds.document(args.doc_id)
    cites = ds.references(doc_id=doc.doc_id, kind=args.kind)
    titles = {d.doc_id: d.title for d in ds.documents()}
    print(f"{doc.doc_id} {doc.title}")
    # A document's own number and its own attachments are not citations of
    # other works; they are listed only when asked for.
    own = ("self", "own_attachment")
    shown = [r for r in cites if args.all or args.kind is not None or r.kind not in own]
    hidden = len(cites) - len(shown)
    print(f"cites: {len(shown)}" + (f" (and {hidden} to itself or its own attachments, not shown; --all shows them)"
                                    if hidden else ""))
    for r in shown:
        if r.cited_doc_id is not None:
            target = f"-> {r.cited_doc_id} {titles[r.cited_doc_id]} (by {r.resolved_by})"
        elif r.work_id is not None:
            target = f"-> {r.work_id} (not in the dataset)"
        else:
            target = ""
        where = r.measure_id.split("/", 1)[1] if r.measure_id else "-"
        print(f"  p. {r.page} {where} [{r.kind}] {r.cited_raw} {target}".rstrip())
    cited_by = ds.cited_by(doc.doc_id)
    print(f"cited by: {len(cited_by)}")
    for r in cited_by:
        print(f"  {r.doc_id} {titles[r.doc_id]} (p. {r.page}, as {r.cited_raw}, by {r.resolved_by})")
    return 0


def _print_provisions(ds: Any, doc_id: str) -> None:
    """The provisions as a tree, each with its tags and deadlines."""
    measures = ds.measures(doc_id=doc_id)
    tags: dict[str, list[str]] = {}
    if "measure_tags" in ds.tables:
        for r in ds.sql("SELECT measure_id, tag_id FROM measure_tags WHERE measure_id LIKE ? || '/%' "
                        "ORDER BY measure_id, tag_id", [doc_id]).to_pylist():
            tags.setdefault(r["measure_id"], []).append(r["tag_id"])
    deadlines: dict[str, list[str]] = {}
    if "deadlines" in ds.tables:
        for d in ds.deadlines(doc_id=doc_id):
            value = d.due_on.isoformat() if d.due_on else (d.duration or "")
            deadlines.setdefault(d.measure_id, []).append(f"{d.expression} ({d.kind} {value})".replace(" )", ")"))
    print(f"{'provisions:':<16}{len(measures)}")
    for m in measures:
        words = " ".join(m.text.split())
        head = m.heading or (words[:40] + ("…" if len(words) > 40 else ""))
        label = f"{m.label} " if m.label and not head.startswith(m.label) else ""
        print(f"{'  ' * m.depth}{m.measure_id.split('/', 1)[1]} [{m.kind}, p. {m.page_start}] {label}{head}")
        if m.measure_id in tags:
            print(f"{'  ' * m.depth}    tags: {', '.join(tags[m.measure_id])}")
        if m.measure_id in deadlines:
            print(f"{'  ' * m.depth}    deadlines: {'; '.join(deadlines[m.measure_id])}")


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff

    report = diff(
        open_version(args.old, root=args.root, verify=not args.no_verify),
        open_version(args.new, root=args.root, verify=not args.no_verify),
    )
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{report.old_version} -> {report.new_version}")
    print(f"{'table':<20}{'added':>8}{'removed':>9}{'changed':>9}{'unchanged':>11}")
    for t in report.tables:
        note = {"both": "", "added": "  (new table)", "removed": "  (table dropped)"}[t.status]
        if t.columns_added:
            note += f"  (new columns: {', '.join(t.columns_added)})"
        if t.columns_removed:
            note += f"  (columns dropped: {', '.join(t.columns_removed)})"
        print(f"{t.table:<20}{len(t.added):>8}{len(t.removed):>9}{len(t.changed):>9}{t.unchanged:>11}{note}")
    for t in report.tables:
        if t.status != "both" or t.is_empty:
            continue
        print(f"\n{t.table} (by {', '.join(t.primary_key)}):")
        for key in t.added:
            print(f"  + {' | '.join(key)}")
        for key in t.removed:
            print(f"  - {' | '.join(key)}")
        for change in t.changed:
            print(f"  ~ {' | '.join(change.key)}  ({', '.join(change.columns)})")
    return 0


def _cite(args: argparse.Namespace) -> int:
    ds = open_version(args.version, root=args.root, verify=True)
    print(citation(ds, args.format))
    return 0


def citation(ds: Dataset, style: str = "text") -> str:
    """How to cite a version: plain text or BibTeX, with its manifest checksum.

    >>> import policydata
    >>> print(citation(policydata.open("2.2.0")).splitlines()[0])
    policydata contributors (2026). policydata: a tagged dataset of China's 2023 business-environment (营商环境) policies, dataset version 2.2.0.
    """
    day = published_on(ds.version) if ds.published else None
    year = day[:4] if day else "n.d."
    title = "policydata: a tagged dataset of China's 2023 business-environment (营商环境) policies"
    note = f"dataset version {ds.version}, manifest sha256 {ds.manifest_sha256}, read with policydata {__version__}"
    if style == "bibtex":
        key = f"policydata_{ds.version.replace('.', '_').replace('+', '_')}"
        return (f"@misc{{{key},\n  author = {{{{policydata contributors}}}},\n  title = {{{title}}},\n"
                f"  year = {{{year}}},\n  version = {{{ds.version}}},\n  note = {{{note}}},\n"
                f"  howpublished = {{Python package policydata and its bundled dataset}}\n}}")
    return (f"policydata contributors ({year}). {title}, dataset version {ds.version}.\n"
            f"Manifest sha256 {ds.manifest_sha256}{'' if ds.published else ' (a build of its own, not a published version)'}.\n"
            f"Source: 国家及各省市营商环境政策汇编（2023 年）. Read with policydata {__version__}.")


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .export import export

    ds = open_version(args.version, root=args.root, verify=True)
    tables = [t.strip() for t in args.tables.split(",")] if args.tables else list(ds.tables)
    for path in export(ds, tables, args.format, Path(args.out), bom=args.bom):
        print(path)
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .report import write_report

    ds = open_version(args.version, root=args.root, verify=True)
    try:
        index = write_report(ds, Path(args.out))
    except OSError as exc:
        raise PolicyDataError(f"cannot write the report into {args.out}: {exc}") from exc
    print(index)
    return 0


def _build(args: argparse.Namespace) -> int:
    from policydata_build.pipeline import main as build_main

    return build_main(list(args.build_args))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _write_json(table: pa.Table) -> None:
    rows = [{k: _json_value(v) for k, v in row.items()} for row in table.to_pylist()]
    print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))


def _write_csv(table: pa.Table) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([_plain(v) for v in row.values()])


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    text = _plain(value).replace("\n", "⏎")
    if _width(text) <= _CELL_WIDTH:
        return text
    while _width(text) > _CELL_WIDTH - 1:
        text = text[:-1]
    return text + "…"


def _write_table(table: pa.Table) -> None:
    header = table.column_names
    rows = [[_cell(v) for v in row.values()] for row in table.to_pylist()]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    print(f"({table.num_rows} row{'s' if table.num_rows != 1 else ''})")


_FORMATS: dict[str, Callable[[pa.Table], None]] = {"table": _write_table, "csv": _write_csv, "json": _write_json}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Query and check versions of the policydata dataset.",
        epilog="example: policydata --root dataset versions",
    )
    parser.add_argument(
        "--root", metavar="DIR", help="folder holding the versions (default: $POLICYDATA_ROOT, else the bundled ones)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str, example: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    command("versions", "list the dataset versions, oldest first", "policydata versions", _print_versions)

    p = command("info", "show a version's manifest: source, builder, tables and row counts",
                "policydata info --version 1.0.0", _info)
    p.add_argument("--version", help="dataset version (default: latest)")

    p = command("verify", "check every file of a version against its manifest, and a published version "
                "against policydata's registry; lists every problem and exits 1 if there is one",
                "policydata verify --version 1.0.0", _verify)
    p.add_argument("--version", help="dataset version (default: every version)")

    p = command("sql", "run a DuckDB SQL query over a version's tables (one view per table)",
                "policydata sql \"SELECT section, count(*) AS n FROM documents GROUP BY section ORDER BY n DESC\"",
                _sql)
    p.add_argument("query", help="SQL; tables are views named after the tables, e.g. documents, measures")
    p.add_argument("--version", help="dataset version (default: latest)")
    p.add_argument("--format", choices=sorted(_FORMATS), default="table", help="output format (default: table)")
    p.add_argument("--no-verify", action="store_true", help="skip the sha256 check")

    p = command("show", "print one document: its fields, issuers, counts and full text",
                "policydata show 2023-01-00-019", _show)
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument("--version", help="dataset version (default: latest)")
    p.add_argument("--no-verify", action="store_true", help="skip the sha256 check")

    p = command("refs", "what a document cites (resolved to a document of the dataset or to a cited work) "
                "and which documents cite it", "policydata refs 2023-01-00-009", _refs)
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument("--kind", help="only references of this kind, e.g. law, policy_document, self")
    p.add_argument("--all", action="store_true", help="also list its references to itself and its own attachments")
    p.add_argument("--version", help="dataset version (default: latest)")
    p.add_argument("--no-verify", action="store_true", help="skip the sha256 check")

    p = command("diff", "rows added, removed and changed per table between two versions, by stable id",
                "policydata diff 1.0.0 1.1.0", _diff)
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--no-verify", action="store_true", help="skip the sha256 check")

    p = command("cite", "how to cite a version: plain text or BibTeX, with its manifest checksum",
                "policydata cite --version 2.1.0 --format bibtex", _cite)
    p.add_argument("--version", help="dataset version (default: latest)")
    p.add_argument("--format", choices=["text", "bibtex"], default="text", help="output format (default: text)")

    p = command("export", "write a version's tables as CSV, Excel (one sheet per table and a codebook), "
                "Stata 118 or Parquet, with EXPORT.json naming the version and its manifest checksum",
                "policydata export --format stata --tables documents,measures --out ./policydata-stata", _export)
    p.add_argument("--format", choices=["csv", "excel", "stata", "parquet"], required=True, help="file format")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created if missing)")
    p.add_argument("--tables", help="comma-separated tables (default: every table of the version)")
    p.add_argument("--bom", action="store_true", help="CSV only: start with a UTF-8 BOM so Excel reads the Chinese")
    p.add_argument("--version", help="dataset version (default: latest)")

    p = command("report", "write a version as a static HTML site (no server, no network): charts, a searchable "
                "table of documents and one page per document citing its source pages. DIR must be new, empty "
                "or a report written before, which is replaced whole, and not inside the dataset root",
                "policydata report --version 2.1.0 --out ./policydata-report", _report)
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the site into (created if missing)")
    p.add_argument("--version", help="dataset version (default: latest)")

    # The pipeline owns its options (and its --help); pass everything through.
    p = sub.add_parser("build", help="build a dataset version from the source (see: policydata build --help)",
                       add_help=False)
    p.set_defaults(func=_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    >>> main(["show", "nope"])  # the error is printed on stderr
    1
    """
    parser = _parser()
    args, rest = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "build":
        args.build_args = rest
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return int(args.func(args))
    except (PolicyDataError, ValueError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`policydata diff A B | head`): stop quietly,
        # and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
