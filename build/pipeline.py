"""The build, end to end: read pages → repair → segment → parse → normalise → write.

``policydata build`` runs :func:`main`. Each stage is a module of its own;
this one only wires them together and decides what goes in the quality report.
"""

from __future__ import annotations

import argparse
import gc
import importlib.abc
import re
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from . import BUNDLED_SOURCE, DATASET_VERSION
from .accuracy import below_floors, evaluate, is_experimental, load_floors
from .documents import build_documents
from .english import add_english
from .links import LinkSettings, build_links, link_quality
from .references import build_references
from .validity import validity
from .measures import build_measures
from .errors import BuildError, LossError, ParseError, QualityFloorError
from .pages import Source, read_source
from .regions import RegionIndex
from .repair import clean
from .segment import segment
from .tags import load_codebook
from .toc import parse_toc
from .workers import Workers, worker_count
from .write import SourceInfo, WriteResult, check_version, write_version

_EDITION = re.compile(r"汇编（(\d{4})年）")


def default_out() -> Path:
    import policydata_dataset

    return Path(policydata_dataset.__file__).parent


def edition_of(source: Source) -> str:
    """The edition year printed on the compilation's title page."""
    for page in source.pages[:3]:
        m = _EDITION.search(clean("".join(page.lines)))
        if m:
            return m.group(1)
    raise ParseError(f"{source.path}, pages 1-3", "no edition '汇编（YYYY 年）' on the title page")


def build_tables(source: Source, workers: int | None = None, link_settings: LinkSettings | None = None
                 ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any], str]:
    """All table rows and the quality report for one source.

    ``workers`` processes parse the documents (default: one per core for a
    source with many documents, see :mod:`workers`); the rows do not depend on it.
    ``link_settings`` replaces the published link threshold (``build/data/links.json``),
    for :mod:`link_eval`, which chooses it.
    """
    index = RegionIndex.load()
    pages = list(source.pages)
    edition = edition_of(source)
    toc = parse_toc(pages)
    seg = segment(pages, toc)
    codebook = load_codebook()
    processes = worker_count(len(seg.bodies), workers)
    with Workers(processes) as pool:
        docs = build_documents(edition, toc, seg, index, pool)
        measures = build_measures(docs.documents, docs.texts, docs.tables, codebook, index, edition, pool)
    for doc in docs.documents:
        if doc["doc_id"] in measures.effective:
            doc["effective_raw"], doc["effective_on"] = measures.effective[doc["doc_id"]]
        _add_validity(doc)
    references = build_references(docs.documents, measures.measures, docs.texts, index)
    links = build_links(docs.documents, measures.measures, references.references,
                        link_settings or LinkSettings.load(), processes)
    agencies = _merge_agencies(docs.agencies, measures.agencies)

    region_codes = {d["region_code"] for d in docs.documents} | {a["region_code"] for a in agencies}
    regions = [
        {"region_code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code}
        for r in index.with_ancestors(region_codes)
    ]
    rows = {
        "documents": docs.documents,
        "regions": regions,
        "agencies": agencies,
        "document_agencies": docs.document_agencies,
        "measures": measures.measures,
        "measure_cells": measures.measure_cells,
        "measure_agencies": measures.measure_agencies,
        "deadlines": measures.deadlines,
        "tags": [
            {"tag_id": t.tag_id, "scheme": t.scheme, "label_zh": t.label_zh, "label_en": t.label_en, "description": t.description}
            for t in codebook
        ],
        "measure_tags": measures.measure_tags,
        "document_tags": measures.document_tags,
        "references": references.references,
        "cited_works": references.cited_works,
        "measure_links": links,
        "flags": docs.flags,
    }
    english = add_english(rows)
    quality = {
        "edition": edition,
        "losses": _losses(docs.documents, docs.flags),
        "documents": len(docs.documents),
        "documents_with_text": sum(d["has_text"] for d in docs.documents),
        "documents_by_section": dict(sorted(Counter(d["section"] for d in docs.documents).items())),
        "source_pages": len(pages),
        "source_pages_without_text": [p.number for p in pages if not p.lines],
        "toc_pages": [min(toc.pages), max(toc.pages)],
        "ignored": dict(sorted((toc.ignored + seg.ignored + docs.counts + Counter(folio=source.folios_dropped, running_head=source.running_heads_dropped)).items())),
        **measures.quality,
        "flags_by_code": dict(sorted(Counter(f["code"] for f in docs.flags).items())),
        "names_en": english,
        "references": references.quality,
        "links": {**link_quality(), "links": len(links),
                  "provisions_linked": len({r["measure_id"] for r in links})},
        "validity": {"stated": sum(d["validity_raw"] is not None for d in docs.documents),
                     "expires_on": sum(d["expires_on"] is not None for d in docs.documents),
                     "trial": sum(bool(d["is_trial"]) for d in docs.documents)},
        "flags": [{k: f[k] for k in ("flag_id", "code", "detail", "page")} for f in sorted(docs.flags, key=lambda f: f["flag_id"])],
    }
    accuracy = evaluate(rows)
    floors = load_floors()
    quality["accuracy"] = {**accuracy, "floors": floors, "below_floors": below_floors(accuracy, floors)}
    for tag in rows["tags"]:
        tag["experimental"] = is_experimental(accuracy["tags"]["by_tag"][tag["tag_id"]])
    return rows, quality, edition


# Flags that mean text of the source is missing from a document.
LOSS_CODES = ("page_without_text", "body_may_be_truncated")


def _add_validity(doc: dict[str, Any]) -> None:
    if doc["text"] is None:
        # Without the text only the title can say 试行; its absence there proves nothing.
        doc["expires_on"], doc["validity_raw"], doc["is_trial"] = None, None, True if "试行" in doc["title"] else None
        return
    v = validity(doc["text"], doc["title"], doc["effective_on"])
    doc["expires_on"], doc["validity_raw"], doc["is_trial"] = v.expires_on, v.raw, v.is_trial


def _losses(documents: list[dict[str, Any]], flags: list[dict[str, Any]]) -> list[str]:
    """Why the tables would miss text of the source: a partial build records these, a full one stops."""
    losses = [f"{f['doc_id']}: {f['code']}: {f['detail']}" for f in sorted(flags, key=lambda f: f["flag_id"])
              if f["code"] in LOSS_CODES]
    if not any(d["has_text"] for d in documents):
        losses.append("the source holds no document text: no body of a document listed in the contents is in it")
    return losses


def _merge_agencies(*groups: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per agency id; aliases seen anywhere are kept, the name itself is not one."""
    merged: dict[str, dict[str, Any]] = {}
    for group in groups:
        for aid, row in group.items():
            aliases = merged[aid]["aliases"] if aid in merged else set()
            merged[aid] = {**row, "aliases": aliases | set(row["aliases"])}
    for row in merged.values():
        row["aliases"] = sorted(row["aliases"] - {row["name"]})
    return list(merged.values())


def build(source_path: Path | None = None, out: Path | None = None, version: str | None = None, *,
          progress: bool = False, partial: bool = False, workers: int | None = None) -> WriteResult:
    """Build one dataset version from a source file (text dump or PDF).

    Text of the source that cannot reach the tables (a page without text
    inside a body, a body cut off by the end of the source, no document text
    at all) stops the build with :class:`LossError`; a figure scored on the
    gold sample below its floor stops it with :class:`QualityFloorError`.
    With ``partial`` the version is written anyway, its flags name the
    affected documents, and its manifest and ``quality.json`` record why it
    is partial.
    """
    version = check_version(DATASET_VERSION if version is None else version)
    source = read_source(source_path or BUNDLED_SOURCE, progress=progress, workers=workers)
    rows, quality, edition = build_tables(source, workers)
    if quality["losses"] and not partial:
        raise LossError(quality["losses"])
    failures = quality["accuracy"]["below_floors"]
    if failures and not partial:
        raise QualityFloorError(failures)
    info = SourceInfo(source.path.name, source.kind, source.sha256, len(source.pages))
    return write_version(rows, out or default_out(), version, info, quality, edition,
                         partial=quality["losses"] + failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="policydata build",
        description="Build a dataset version from the compilation (the bundled text, or your PDF).",
        epilog=(
            "examples:\n"
            "  policydata build                      # bundled source -> dataset/<declared version>\n"
            "  policydata build --source 汇编.pdf --out ./mydata --version 1.2.0+fullpdf"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--source", type=Path, help="text dump ('# Page N:' markers) or PDF; default: the bundled text")
    parser.add_argument("--out", type=Path, help="folder that holds versions; default: the package's dataset folder")
    parser.add_argument("--version", help=f"dataset version X.Y.Z, or X.Y.Z+label for a build of your own; "
                                          f"default: {DATASET_VERSION}")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar while reading a PDF")
    parser.add_argument("--partial", action="store_true",
                        help="write a version even when text of the source is lost or accuracy on the gold sample "
                             "falls below its floors (recorded as partial)")
    parser.add_argument("--workers", type=int, help="processes that read PDF pages and parse the documents "
                                                    "(default: one per usable CPU for a large source; the output "
                                                    "does not depend on it)")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, found {args.workers}")
    without_pandas = _WithoutPandas()
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, without_pandas)
    # A terminated build unwinds like an interrupted one, so its temporary folder is removed.
    previous = signal.signal(signal.SIGTERM, _terminate)
    # The build makes millions of small lists, dicts and tuples and keeps most
    # of them to its end: the cyclic collector's passes over them took a tenth
    # of its time and freed next to nothing (peak memory of the 1,742-page text
    # build 283 MB with them, 287 MB without). Reference counting frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = build(args.source, args.out, args.version, progress=not args.no_progress, partial=args.partial,
                       workers=args.workers)
    except BuildError as exc:
        print(f"policydata build: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # Disk full, permission denied, a file where a folder should be: one line, no traceback.
        what = exc.strerror or type(exc).__name__
        where = f": {exc.filename}" if exc.filename else ""
        print(f"policydata build: error: cannot write the version ({what}{where}); nothing was written",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policydata build: interrupted; nothing was written", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        if collecting:
            gc.enable()
        if without_pandas in sys.meta_path:  # a caller in the same process may want pandas later
            sys.meta_path.remove(without_pandas)
    for stale in result.stale_removed:
        print(f"removed {stale}, left by an interrupted build", file=sys.stderr)
    if result.created:
        print(f"built {result.path}")
    else:
        print(f"{result.path} already holds this exact content; nothing written")
    return 0


class _WithoutPandas(importlib.abc.MetaPathFinder):
    """Makes ``import pandas`` fail in the process of ``policydata build``.

    pyarrow imports pandas, when it is installed, on its first conversion of a
    Python list (to ask whether the list is a pandas object): a third of the
    build's time, for a library the build never uses. pyarrow takes the
    ImportError as "no pandas" and goes on, and tries the import again when
    pandas is asked for, so a caller of :func:`main` can still use it after.
    """

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is not imported by policydata build", name=name)
        return None


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
