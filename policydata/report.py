"""Write a dataset version as a static HTML site: charts, one page per document, a search box.

``policydata report --out DIR`` is a thin layer over :func:`write_report`.
The site needs no server and no network. Every page carries its own CSS;
the charts are inline SVG drawn here; the index's search is a small inline
script over a JSON index embedded in the page. Each page's
Content-Security-Policy allows exactly that inline CSS and script and
nothing else, so a browser refuses to load anything from anywhere.

Every page names the dataset version and its manifest sha256, and every
document, provision, deadline and issuer cites the pages of the source
compilation it comes from. The same version always gives the same bytes.

Layout of the folder written::

    DIR/index.html              charts and the table of every document
    DIR/docs/<doc_id>.html      one page per document
    DIR/REPORT.json             version, manifest sha256 and the files written

``DIR`` must be missing, empty, or a report written before (its
``REPORT.json`` lists every file in it): anything else is refused, so a
report never overwrites files of yours. It must not be inside the dataset
root. The new report is written next to ``DIR`` and swapped in whole.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .dataset import versions
from .errors import ManifestError, PolicyDataError
from .integrity import read_manifest

if TYPE_CHECKING:  # pragma: no cover
    from .dataset import Dataset
    from .models import Deadline, Document, Flag, Measure, Reference, Tag

__all__ = ["write_report"]

T = TypeVar("T")

MARKER = "REPORT.json"
GENERATOR = "policydata report"
# Tables the report reads; a version without one of them cannot be reported on.
TABLES = ("documents", "regions", "agencies", "document_agencies", "measures", "measure_agencies",
          "deadlines", "tags", "measure_tags", "document_tags", "flags")
# Shown when the version has them (schema 2.2 on); older versions are reported without them.
LINK_TABLES = ("references", "cited_works", "measure_links")
# Document ids become file names: nothing that could leave docs/ or need quoting in a URL.
_SAFE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
# System CJK fonts, most likely first on Linux, macOS and Windows; no web font is ever fetched.
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
              '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
# A province's name without its level word, for the heatmap's narrow columns.
_PROVINCE_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|省|市)$")
NATIONAL = "100000"

BAR = "#2f6db5"
MUTED = "#9aa3ad"
CONTENTS_ONLY = "#c9d6e6"
HEAT_LOW, HEAT_HIGH = (0xE3, 0xEC, 0xF7), (0x16, 0x3E, 0x73)


def write_report(ds: Dataset, out: Path) -> Path:
    """Write the report of ``ds`` into the folder ``out``; return the path of its ``index.html``.

    ``out`` is created if missing. It must be empty or hold a report
    written before (which is replaced whole); anything else, a file, or a
    folder inside the dataset root raises :class:`ValueError` before anything
    is written. A version without every table in :data:`TABLES` (1.0.0 has
    no provisions) raises :class:`~policydata.errors.PolicyDataError`.

    >>> import tempfile, pathlib, policydata
    >>> ds = policydata.open("2.2.0")
    >>> index = write_report(ds, pathlib.Path(tempfile.mkdtemp()) / "report")
    >>> index.name, sorted(p.name for p in (index.parent / "docs").iterdir())[:2]
    ('index.html', ['2023-01-00-001.html', '2023-01-00-002.html'])
    >>> ds.manifest_sha256 in index.read_text(encoding="utf-8")
    True
    """
    _require_tables(ds)
    target = _checked_target(ds, Path(out))
    data = _load(ds)
    pages = {"index.html": _index_page(data)}
    for position, doc in enumerate(data.documents):
        pages[f"docs/{doc.doc_id}.html"] = _document_page(data, position)
    _write_site(target, pages, _marker(data, pages))
    return target / "index.html"


# -- where to write ---------------------------------------------------------------------------


def _require_tables(ds: Dataset) -> None:
    missing = [t for t in TABLES if t not in ds.tables]
    if not missing:
        return
    root = ds.path.parent
    with_all = []
    for version in versions(root):
        try:
            if set(TABLES) <= set(read_manifest(root / version)[0].tables):
                with_all.append(version)
        except ManifestError:
            with_all.append(f"({version}: manifest unreadable)")
    raise PolicyDataError(f"dataset version {ds.version} has no {', '.join(missing)} table(s), which the report "
                          f"shows; versions with every table it needs: {', '.join(with_all) or 'none under this root'}")


def _checked_target(ds: Dataset, out: Path) -> Path:
    """``out`` as an absolute path, once it is known to be a safe place for a report."""
    target = Path(os.path.abspath(out))
    root = Path(os.path.realpath(ds.path.parent))
    real = Path(os.path.realpath(target))
    if real == root or root in real.parents:
        raise ValueError(f"{out} is inside the dataset root {root}: a report is never written among the versions; "
                         "choose a folder elsewhere")
    if target.is_symlink():
        # The swap renames the folder itself: a link would be replaced, not what it points to.
        raise ValueError(f"{out} is a symbolic link; give the folder it points to")
    if target.exists() and not target.is_dir():
        raise ValueError(f"{out} exists and is not a folder; give a folder to write the report into")
    if target.is_dir() and any(target.iterdir()):
        _check_previous_report(target)
    return target


def _check_previous_report(folder: Path) -> None:
    """Refuse a non-empty folder unless it is a report whose REPORT.json lists every file in it."""
    marker = folder / MARKER
    try:
        listed = json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{folder} is not empty and holds no {MARKER}: it is not a policydata report, "
                         "so nothing in it is overwritten; choose an empty or new folder") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{marker} cannot be read ({exc}); remove the folder or choose another") from None
    if not isinstance(listed, dict) or listed.get("generator") != GENERATOR or not isinstance(listed.get("files"), list):
        raise ValueError(f"{marker} was not written by {GENERATOR}; choose an empty or new folder")
    known = set(listed["files"]) | {MARKER}
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_symlink() or not p.is_dir()}
    extra = sorted(found - known)
    if extra:
        shown = ", ".join(extra[:5]) + (f", … ({len(extra)} in all)" if len(extra) > 5 else "")
        raise ValueError(f"{folder} holds a report and files it did not write ({shown}); "
                         "move them away or choose another folder")


def _write_site(target: Path, pages: dict[str, str], marker: str) -> None:
    """Write every page into a fresh folder beside ``target``, then swap it in.

    A failure leaves ``target`` as it was; the marker is written last, so a
    half-written folder is never taken for a report.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    fresh = target.with_name(f".{target.name}.new-{token}")
    fresh.mkdir()
    try:
        (fresh / "docs").mkdir()
        for name, text in pages.items():
            (fresh / name).write_bytes(text.encode("utf-8"))
        (fresh / MARKER).write_bytes(marker.encode("utf-8"))
        if target.is_dir():
            old = target.with_name(f".{target.name}.old-{token}")
            target.rename(old)
            try:
                fresh.rename(target)
            except BaseException:
                old.rename(target)  # the previous report goes back where it was
                raise
            shutil.rmtree(old)
        else:
            fresh.rename(target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def _marker(data: _Data, pages: dict[str, str]) -> str:
    meta = {
        "generator": GENERATOR,
        "policydata": __version__,
        "dataset_version": data.version,
        "manifest_sha256": data.manifest_sha256,
        "published": data.published,
        "files": sorted(pages),
    }
    return json.dumps(meta, ensure_ascii=False, indent=2) + "\n"


# -- the data, read once --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    """Everything the pages show, grouped for lookup; every list in its table's documented order."""

    version: str
    manifest_sha256: str
    published: bool
    source: str
    documents: list[Document]
    places: dict[str, dict[str, Any]]  # doc_id -> document_places row
    regions: dict[str, str]  # region_code -> name
    agencies: dict[str, str]  # agency_id -> name
    issuers: dict[str, list[dict[str, Any]]]  # doc_id -> document_agencies rows
    measures: dict[str, list[Measure]]  # doc_id -> provisions
    deadlines: dict[str, list[Deadline]]  # measure_id -> deadlines
    all_deadlines: list[Deadline]
    responsible: dict[str, list[dict[str, Any]]]  # measure_id -> measure_agencies rows
    measure_tags: dict[str, list[dict[str, Any]]]  # measure_id -> measure_tags rows
    document_tags: dict[str, list[dict[str, Any]]]  # doc_id -> document_tags rows
    tags: list[Tag]
    tags_by_id: dict[str, Tag]
    flags: dict[str, list[Flag]]  # doc_id -> flags
    general_flags: list[Flag]  # flags about the compilation, not one document
    has_links: bool  # the version has LINK_TABLES
    titles: dict[str, str]  # doc_id -> title, for naming cited and citing documents
    references: dict[str, list[Reference]]  # citing doc_id -> its references
    cited_by: dict[str, list[Reference]]  # cited doc_id -> citations by other documents
    work_ids: set[str]  # cited_works ids, to check references against
    links: dict[str, list[dict[str, Any]]]  # measure_id -> measure_links rows, by rank


def _load(ds: Dataset) -> _Data:
    documents = list(ds.documents())
    for doc in documents:
        if not _SAFE_ID.fullmatch(doc.doc_id):
            raise ValueError(f"document id {doc.doc_id!r} cannot name a file of the report")
    places = ds.sql("SELECT doc_id, province_code, province FROM document_places ORDER BY doc_id").to_pylist()
    measures = list(ds.measures())
    deadlines = list(ds.deadlines())
    tags = list(ds.tags())
    flags = list(ds.flags())
    has_links = all(t in ds.tables for t in LINK_TABLES)
    references = list(ds.references()) if has_links else []
    data = _Data(
        version=ds.version,
        manifest_sha256=ds.manifest_sha256,
        published=ds.published,
        source=f"{ds.manifest.source.file}, {ds.manifest.source.pages} pages",
        documents=documents,
        places={row["doc_id"]: row for row in places},
        regions={r.region_code: r.name for r in ds.regions()},
        agencies={a.agency_id: a.name for a in ds.agencies()},
        issuers=_group(ds.table("document_agencies").to_pylist(), lambda r: r["doc_id"]),
        measures=_group(measures, lambda m: m.doc_id),
        deadlines=_group(deadlines, lambda d: d.measure_id),
        all_deadlines=deadlines,
        responsible=_group(ds.table("measure_agencies").to_pylist(), lambda r: r["measure_id"]),
        measure_tags=_group(ds.table("measure_tags").to_pylist(), lambda r: r["measure_id"]),
        document_tags=_group(ds.table("document_tags").to_pylist(), lambda r: r["doc_id"]),
        tags=tags,
        tags_by_id={t.tag_id: t for t in tags},
        flags=_group([f for f in flags if f.doc_id is not None], lambda f: f.doc_id or ""),
        general_flags=[f for f in flags if f.doc_id is None],
        has_links=has_links,
        titles={d.doc_id: d.title for d in documents},
        references=_group(references, lambda r: r.doc_id),
        cited_by=_group([r for r in references if r.cited_doc_id is not None and r.kind != "self"],
                        lambda r: r.cited_doc_id or ""),
        work_ids=set(ds.table("cited_works").column("work_id").to_pylist()) if has_links else set(),
        links=_group(sorted(ds.table("measure_links").to_pylist(), key=lambda r: (r["measure_id"], r["rank"])),
                     lambda r: r["measure_id"]) if has_links else {},
    )
    _check_links(data, measures)
    return data


def _group(rows: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def _check_links(data: _Data, measures: list[Measure]) -> None:
    """Every row is shown under the provision or document it names, with the names of the agencies and
    tags it refers to: a reference to nothing would otherwise drop the row from the report unseen."""
    measure_ids = {m.measure_id for m in measures}
    doc_ids = {d.doc_id for d in data.documents}

    def referred(groups: dict[str, list[dict[str, Any]]], column: str) -> set[str]:
        return {row[column] for rows in groups.values() for row in rows}

    for table, keys, known in (("deadlines", set(data.deadlines), measure_ids),
                               ("measure_agencies", set(data.responsible), measure_ids),
                               ("measure_tags", set(data.measure_tags), measure_ids),
                               ("measures", set(data.measures), doc_ids),
                               ("document_agencies", set(data.issuers), doc_ids),
                               ("document_tags", set(data.document_tags), doc_ids),
                               ("flags", set(data.flags), doc_ids),
                               ("measure_agencies", referred(data.responsible, "agency_id"), set(data.agencies)),
                               ("document_agencies", referred(data.issuers, "agency_id"), set(data.agencies)),
                               ("measure_tags", referred(data.measure_tags, "tag_id"), set(data.tags_by_id)),
                               ("document_tags", referred(data.document_tags, "tag_id"), set(data.tags_by_id)),
                               ("documents", {d.region_code for d in data.documents}, set(data.regions)),
                               ("references", set(data.references) | set(data.cited_by), doc_ids),
                               ("references", {r.work_id for rs in data.references.values() for r in rs
                                               if r.work_id is not None}, data.work_ids),
                               ("measure_links", set(data.links) | {r["national_measure_id"] for rs in
                                                                    data.links.values() for r in rs}, measure_ids)):
        unknown = sorted(keys - known)
        if unknown:
            raise ValueError(f"{table} of dataset {data.version} refers to ids that do not exist: "
                             f"{', '.join(unknown[:5])}; the report cannot place those rows")


# -- HTML -------------------------------------------------------------------------------------------


def _e(value: object) -> str:
    """Text or an attribute value, escaped for HTML (quotes too)."""
    return html.escape(str(value), quote=True)


def _pages(start: int | None, end: int | None) -> str:
    if start is None:
        return "—"
    return f"p. {start}" if end is None or end == start else f"pp. {start}–{end}"


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(data: _Data, title: str, body: str, *, home: str, script: str = "") -> str:
    """A whole HTML page: provenance on top and at the bottom, CSS inline, a CSP that allows nothing else."""
    scripts = _csp_hash(script) if script else "'none'"
    csp = ("default-src 'none'; img-src 'none'; base-uri 'none'; form-action 'none'; "
           f"style-src {_csp_hash(_CSS)}; script-src {scripts}")
    status = ("published version: its manifest matches policydata's registry" if data.published
              else "not a published version (a build of one's own)")
    provenance = (f'<p class="provenance">policydata dataset <strong class="version">{_e(data.version)}</strong>'
                  f' · manifest sha256 <code class="sha">{_e(data.manifest_sha256)}</code> · {_e(status)}</p>')
    script_tag = f"<script>{script}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header class="site"><a href="{_e(home)}">policydata report</a>{provenance}</header>\n'
        f"<main>\n{body}\n</main>\n"
        f'<footer class="site">{provenance}<p>Page numbers are pages of the source compilation '
        f"《国家及各省市营商环境政策汇编（2023 年）》 ({_e(data.source)} in this version). "
        f"Written by policydata {_e(__version__)}; cite the data with "
        f"<code>policydata cite --version {_e(data.version)}</code>.</p></footer>\n"
        f"{script_tag}\n</body>\n</html>\n"
    )


_CSS = (
    f":root{{font-family:{FONT_STACK};color:#1d2330;background:#fff;line-height:1.5}}"
    "body{margin:0}main{max-width:1240px;margin:0 auto;padding:0 20px 40px}"
    "header.site,footer.site{background:#f3f5f8;padding:8px 20px;font-size:13px;color:#4a5363}"
    "header.site a{font-weight:bold;color:#1d2330;text-decoration:none;margin-right:1em}"
    "header.site p,footer.site p{margin:2px 0}code{font-size:12px;word-break:break-all}"
    "h1{font-size:24px;margin:18px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #dde2ea}"
    "h3{font-size:15px;margin:0}a{color:#1f5aa6}"
    ".lead{color:#4a5363;margin:0 0 12px}.summary{display:flex;flex-wrap:wrap;gap:10px;padding:0;list-style:none}"
    ".summary li{background:#f3f5f8;border-radius:6px;padding:6px 12px}.summary strong{font-size:20px;display:block}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:18px;align-items:start}"
    "figure{margin:0;border:1px solid #dde2ea;border-radius:6px;padding:10px;overflow-x:auto}"
    "figure.wide{grid-column:1/-1}figure.tall{grid-row:span 2}figcaption{font-size:13px;color:#4a5363;margin-top:6px}"
    "figcaption strong{color:#1d2330;font-size:15px;display:block;margin-bottom:2px}"
    "svg.chart{display:block;max-width:100%;height:auto}svg.chart text{font-size:12px;fill:#1d2330}"
    "svg.chart text.small{font-size:10px}svg.chart text.muted{fill:#5b6472}svg.chart text.light{fill:#fff}"
    "table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e4e8ee;"
    "padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f5f8;position:sticky;top:0}"
    "td.num,th.num{text-align:right;white-space:nowrap}td.nowrap{white-space:nowrap}"
    ".search{display:flex;gap:12px;align-items:center;margin:8px 0}"
    ".search input{font:inherit;font-size:15px;padding:6px 10px;width:min(520px,100%)}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;font-size:14px}"
    "dl.meta dt{color:#4a5363}dl.meta dd{margin:0}"
    ".provision{border-left:3px solid #c9d6e6;padding:6px 10px;margin:10px 0}"
    ".provision .text{white-space:pre-line;margin:4px 0}.cite{font-size:12px;color:#5b6472;margin:0}"
    + "".join(f".depth-{d}{{margin-left:{(d - 1) * 18}px}}" for d in range(1, 7))
    + ".provision ul{margin:2px 0 2px 18px;padding:0;font-size:13px}.chip{display:inline-block;background:#eef3f9;"
    "border-radius:10px;padding:0 8px;margin:2px 4px 2px 0;font-size:12px}"
    ".nav{display:flex;gap:16px;font-size:14px;margin-top:10px}.note{color:#4a5363;font-size:14px}"
)


# -- index page -------------------------------------------------------------------------------------


def _index_page(data: _Data) -> str:
    docs = data.documents
    with_text = sum(d.has_text for d in docs)
    provisions = sum(len(m) for m in data.measures.values())
    summary = "".join(f"<li><strong>{n}</strong>{_e(what)}</li>" for n, what in (
        (len(docs), "documents"), (with_text, "with full text"), (len(docs) - with_text, "contents entry only"),
        (provisions, "provisions"), (len(data.all_deadlines), "deadlines"), (len(data.tags), "tags")))
    body = (
        f"<h1>China's 2023 business-environment policies · dataset {_e(data.version)}</h1>\n"
        '<p class="lead">国家及各省市营商环境政策汇编（2023 年）: every document of the table of contents, '
        "and the provisions, deadlines, responsible agencies and tags of those whose text this version holds.</p>\n"
        f'<ul class="summary">{summary}</ul>\n'
        '<h2 id="charts">Charts</h2>\n<div class="charts">\n'
        + "\n".join(chart(data) for chart in _CHARTS)
        + "\n</div>\n"
        + _general_flags(data)
        + _document_table(data)
    )
    return _page(data, f"policydata {data.version}: report", body, home="index.html", script=_SEARCH_SCRIPT)


def _general_flags(data: _Data) -> str:
    if not data.general_flags:
        return ""
    items = "".join(_flag_item(f) for f in data.general_flags)
    return f'<h2 id="flags">Quality flags about the compilation as a whole</h2><ul>{items}</ul>\n'


def _flag_item(flag: Flag) -> str:
    page = _pages(flag.page, None) if flag.page is not None else "no page"
    return f'<li>{_e(flag.code)}: {_e(flag.detail)} <span class="cite">({_e(page)})</span></li>'


def _document_table(data: _Data) -> str:
    rows = []
    for doc in data.documents:
        place = data.places[doc.doc_id]
        link = f"docs/{doc.doc_id}.html"
        pages = (_pages(doc.page_start, doc.page_end) if doc.has_text
                 else f"contents p. {doc.toc_page}; listed p. {doc.listed_page}")
        rows.append(
            f'<tr id="row-{_e(doc.doc_id)}" data-doc="{_e(doc.doc_id)}">'
            f'<td class="nowrap"><a href="{_e(link)}">{_e(doc.doc_id)}</a></td>'
            f'<td class="title"><a href="{_e(link)}">{_e(doc.title)}</a></td>'
            f'<td class="nowrap">{_e(data.regions[doc.region_code])}</td>'
            f'<td class="nowrap">{_e(place["province"] or "—")}</td>'
            f'<td class="nowrap">{_e(doc.issued_on.isoformat() if doc.issued_on else "no date")}</td>'
            f"<td>{'full text' if doc.has_text else 'contents only'}</td>"
            f'<td class="nowrap">{_e(pages)}</td>'
            f'<td class="num">{len(data.measures.get(doc.doc_id, []))}</td></tr>'
        )
    index = [{"id": d.doc_id, "title": d.title} for d in data.documents]
    return (
        '<h2 id="documents">Documents</h2>\n'
        '<div class="search"><label for="q">Search titles</label>'
        '<input id="q" type="search" placeholder="e.g. 招标投标" autocomplete="off">'
        f'<span id="search-status" aria-live="polite">{len(data.documents)} documents</span></div>\n'
        '<p class="note">The search matches titles (ignoring spaces and letter case). '
        "Link to a search with <code>index.html?q=…</code> or <code>index.html#q=…</code>. "
        "Pages are pages of the source compilation: for a document with text, where its text is; "
        "otherwise its table-of-contents page and the page the contents list it at.</p>\n"
        '<table id="documents-table"><thead><tr><th>id</th><th>title</th><th>issuing region</th><th>province</th>'
        '<th>issued</th><th>text</th><th>source pages</th><th class="num">provisions</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + '\n</tbody></table>\n<p id="no-match" hidden>No title matches.</p>\n'
        f'<script type="application/json" id="doc-index">{_script_json(index)}</script>'
    )


def _script_json(value: object) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no title can
    close the element (``</script>``) or open a comment; U+2028 and U+2029
    are escaped too. ``JSON.parse`` reads back exactly the value.

    >>> _script_json({"title": "</script><!--"})
    '{"title":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# The query comes from the box, else #q=…, else ?q=…; typing writes it to #q= so the URL can be shared.
_SEARCH_SCRIPT = """
(function () {
  "use strict";
  var docs = JSON.parse(document.getElementById("doc-index").textContent);
  var box = document.getElementById("q");
  var status = document.getElementById("search-status");
  var none = document.getElementById("no-match");
  function norm(s) { return s.replace(/\\s+/g, "").toLowerCase(); }
  function apply(query) {
    var needle = norm(query), shown = 0;
    docs.forEach(function (d) {
      var hit = needle === "" || norm(d.title).indexOf(needle) !== -1;
      document.getElementById("row-" + d.id).hidden = !hit;
      if (hit) { shown += 1; }
    });
    status.textContent = needle === "" ? docs.length + " documents"
                                       : shown + " of " + docs.length + " documents match";
    none.hidden = shown !== 0;
  }
  function fromUrl() {
    if (location.hash.indexOf("#q=") === 0) { return decodeURIComponent(location.hash.slice(3)); }
    return new URLSearchParams(location.search).get("q") || "";
  }
  box.addEventListener("input", function () {
    apply(box.value);
    var hash = box.value ? "#q=" + encodeURIComponent(box.value) : "";
    history.replaceState(null, "", location.pathname + location.search + hash);
  });
  window.addEventListener("hashchange", function () { box.value = fromUrl(); apply(box.value); });
  box.value = fromUrl();
  apply(box.value);
})();
"""


# -- charts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    label: str
    count: int
    tip: str  # what the bar counts, shown on hover
    muted: bool = False  # drawn grey: a bucket off the time axis (no date)


@dataclass(frozen=True)
class _Group:
    caption: str
    bars: tuple[_Bar, ...]


def _figure(chart_id: str, title: str, svg: str, note: str, *, shape: str = "") -> str:
    cls = f' class="{shape}"' if shape else ""
    return (f'<figure id="fig-{chart_id}"{cls}>{svg}<figcaption><strong>{_e(title)}</strong>'
            f"{note}</figcaption></figure>")


def _text_width(text: str, size: float) -> float:
    """Rough width of ``text`` in pixels: CJK characters are square, Latin ones about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _ticks(top: int, want: int = 5) -> list[int]:
    """Whole-number axis ticks from 0 up to at least ``top``, on a 1-2-5 step."""
    if top <= 0:
        return [0, 1]
    raw = top / want
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(max(1, int(m * magnitude)) for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _svg(chart_id: str, width: float, height: float, label: str, parts: list[str]) -> str:
    return (f'<svg id="{chart_id}" class="chart" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="{chart_id}-title">'
            f'<title id="{chart_id}-title">{_e(label)}</title>' + "".join(parts) + "</svg>")


def _text(x: float, y: float, text: str, *, anchor: str = "start", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{_e(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    title = f"<title>{_e(tip)}</title>" if tip else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"{klass}>'
            f"{title}</rect>")


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = "#c4cbd5") -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"/>'


def _hbar_chart(chart_id: str, label: str, bars: Sequence[_Bar], axis: str) -> str:
    """Horizontal bars, one per labelled row, with a count at each bar's end and an x axis below."""
    row, top, plot = 20, 10, 330
    left = max(_text_width(b.label, 12) for b in bars) + 12
    ticks = _ticks(max(b.count for b in bars))
    scale = plot / ticks[-1]
    bottom = top + row * len(bars)
    parts = []
    for t in ticks:
        x = left + t * scale
        parts += [_line(x, top, x, bottom + 4), _text(x, bottom + 17, str(t), anchor="middle")]
    for i, b in enumerate(bars):
        y = top + i * row
        parts += [_text(left - 6, y + 14, b.label, anchor="end"),
                  _rect(left, y + 3, b.count * scale, row - 6, MUTED if b.muted else BAR, b.tip, "bar"),
                  _text(left + b.count * scale + 4, y + 14, str(b.count), cls="count")]
    parts += [_line(left, bottom, left + plot, bottom, "#6b7480"), _text(left + plot / 2, bottom + 34, axis, anchor="middle")]
    return _svg(chart_id, left + plot + 40, bottom + 42, label, parts)


def _column_chart(chart_id: str, label: str, groups: Sequence[_Group], axis: str) -> str:
    """Vertical columns in captioned groups (e.g. months of 2023 | later years | no date), a y axis on the left."""
    col, gap, left, top, plot = 34, 22, 48, 16, 190
    counts = [b.count for g in groups for b in g.bars]
    ticks = _ticks(max(counts))
    scale = plot / ticks[-1]
    width = left + sum(col * len(g.bars) for g in groups) + gap * (len(groups) - 1) + 10
    base = top + plot
    parts = []
    for t in ticks:
        y = base - t * scale
        parts += [_line(left - 4, y, width, y), _text(left - 7, y + 4, str(t), anchor="end")]
    x = left
    for group in groups:
        start = x
        for b in group.bars:
            h = b.count * scale
            parts += [_rect(x + 4, base - h, col - 8, h, MUTED if b.muted else BAR, b.tip, "bar"),
                      _text(x + col / 2, base - h - 4, str(b.count), anchor="middle", cls="count"),
                      _text(x + col / 2, base + 16, b.label, anchor="middle")]
            x += col
        parts += [_line(start + 2, base + 24, x - 2, base + 24, "#6b7480"),
                  _text((start + x) / 2, base + 39, group.caption, anchor="middle", cls="muted")]
        x += gap
    parts += [_line(left, base, width, base, "#6b7480"),
              (f'<text x="14" y="{top + plot / 2:.1f}" text-anchor="middle" '
               f'transform="rotate(-90 14 {top + plot / 2:.1f})">{_e(axis)}</text>')]
    return _svg(chart_id, width, base + 48, label, parts)


def _edition_year(docs: Sequence[Document]) -> int:
    editions = sorted({d.edition for d in docs})
    if len(editions) != 1 or not editions[0].isdigit():
        raise ValueError(f"the report covers one edition year; this version has editions {editions}")
    return int(editions[0])


def _date_groups(dates: Sequence[date | None], year: int, what: str, undated_tip: str) -> list[_Group]:
    """The months of ``year``; earlier and later years as whole years; then the rows without a date.

    Nothing is dropped, and every year between the first and the last is a
    bar, zero or not, so the time axis has no hidden gaps.
    """
    months = [0] * 12
    years: dict[int, int] = {}
    undated = 0
    for day in dates:
        if day is None:
            undated += 1
        elif day.year == year:
            months[day.month - 1] += 1
        else:
            years[day.year] = years.get(day.year, 0) + 1

    def whole_years(caption: str, span: range) -> list[_Group]:
        bars = tuple(_Bar(str(y), years.get(y, 0), f"{years.get(y, 0)} {what} in {y} (the whole year)")
                     for y in span)
        return [_Group(caption, bars)] if bars else []

    first, last = min(years, default=year), max(years, default=year)
    return [
        *whole_years("earlier years, whole year", range(first, year)),
        _Group(f"{year}, by month", tuple(
            _Bar(f"{m + 1}月", n, f"{n} {what} in {year}-{m + 1:02d}") for m, n in enumerate(months))),
        *whole_years("later years, whole year", range(year + 1, last + 1)),
        _Group("no date", (_Bar("无日期", undated, undated_tip.format(n=undated), muted=True),)),
    ]


def _provinces_chart(data: _Data) -> str:
    counts: dict[tuple[str, str], int] = {}
    for doc in data.documents:
        place = data.places[doc.doc_id]
        key = (place["province_code"] or "", place["province"] or "no province")
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    bars = [_Bar(name + (" (national)" if code == NATIONAL else ""), n, f"{name}: {n} documents")
            for (code, name), n in ordered]
    svg = _hbar_chart("chart-provinces", "Documents per province", bars, "documents")
    note = (f"All {len(data.documents)} documents, counted by the province of the issuing jurisdiction "
            "(a city's document counts for its province; central government documents are their own row). "
            "Provinces with no document in the compilation have no row.")
    return _figure("provinces", "Documents per province", svg, _e(note), shape="tall")


def _issue_dates_chart(data: _Data) -> str:
    year = _edition_year(data.documents)
    dates = [d.issued_on for d in data.documents]
    groups = _date_groups(dates, year, "documents issued", "{n} documents whose issue date the source does not give")
    undated = sum(d is None for d in dates)
    outside = sum(d is not None and d.year != year for d in dates)
    svg = _column_chart("chart-issued", "Documents by month of issue", groups, "documents")
    note = (f"All {len(dates)} documents by the month they were issued (<code>issued_on</code>). "
            f"Documents with no issue date: {undated}, counted in the grey bar 无日期 (no date), not dropped. "
            f"Issued outside {year}: {outside}.")
    return _figure("issued", f"Issue dates over {year}", svg, note)


def _deadlines_chart(data: _Data) -> str:
    year = _edition_year(data.documents)
    deadlines = data.all_deadlines
    groups = _date_groups([d.due_on for d in deadlines], year, "deadlines due",
                          "{n} deadlines without a calendar date (recurring, time limits, ongoing)")
    undated: dict[str, int] = {}
    for d in deadlines:
        if d.due_on is None:
            undated[d.kind] = undated.get(d.kind, 0) + 1
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(undated.items())) or "none"
    svg = _column_chart("chart-deadlines", "Deadlines by month due", groups, "deadlines")
    note = (f"All {len(deadlines)} time commitments found in the provisions, by the month they fall due "
            f"(<code>due_on</code>); other years than {year} are counted per whole year, every year in between shown. Those with no calendar date "
            f"are in the grey bar 无日期 (no date), by kind: {_e(kinds)}. Only documents with full text have deadlines.")
    return _figure("deadlines", "Deadlines by month due", svg, note, shape="wide")


def _heat_colour(n: int, top: int) -> str:
    share = 0.0 if top <= 1 else (n - 1) / (top - 1)
    rgb = [round(lo + (hi - lo) * share) for lo, hi in zip(HEAT_LOW, HEAT_HIGH)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _short_province(code: str, name: str) -> str:
    return "国家" if code == NATIONAL else _PROVINCE_SUFFIX.sub("", name)


def _tag_province_chart(data: _Data) -> str:
    """Rows are tags, columns provinces; a cell counts the province's documents carrying the tag.

    Only documents with full text can carry tags, so a province none of whose
    documents has text is hatched ("not measured") rather than shown as zero.
    """
    provinces: dict[str, str] = {}
    texts: dict[str, int] = {}
    counts: dict[tuple[str, str], int] = {}
    for doc in data.documents:
        place = data.places[doc.doc_id]
        code = place["province_code"] or ""
        provinces[code] = place["province"] or "no province"
        texts[code] = texts.get(code, 0) + int(doc.has_text)
        for row in data.document_tags.get(doc.doc_id, []):
            counts[(row["tag_id"], code)] = counts.get((row["tag_id"], code), 0) + 1
    columns = sorted(provinces)
    cell_w, cell_h = 24, 18
    labels = [f"{t.label_zh}{'†' if t.experimental else ''} · {t.scheme}" for t in data.tags]
    left = max(_text_width(s, 12) for s in labels) + 10
    short = {c: _short_province(c, provinces[c]) for c in columns}
    head = max(len(s) for s in short.values()) * 13 + 26
    top_count = max(counts.values(), default=0)
    parts = [_HATCH]
    parts.append(_text(left - 6, head - 4, "documents with full text:", anchor="end", cls="small muted"))
    for j, code in enumerate(columns):
        x = left + j * cell_w + cell_w / 2
        for k, ch in enumerate(short[code]):
            parts.append(_text(x, 14 + k * 13, ch, anchor="middle"))
        parts.append(_text(x, head - 4, str(texts[code]), anchor="middle", cls="small muted"))
    for i, (tag, label) in enumerate(zip(data.tags, labels)):
        y = head + i * cell_h
        parts.append(_text(left - 6, y + 13, label, anchor="end"))
        for j, code in enumerate(columns):
            x = left + j * cell_w
            n = counts.get((tag.tag_id, code), 0)
            where = f"{provinces[code]} × {tag.label_zh} ({tag.tag_id})"
            if texts[code] == 0:
                parts.append(_rect(x, y, cell_w - 1, cell_h - 1, "url(#chart-heatmap-hatch)",
                                   f"{where}: not measured, no document of {provinces[code]} has full text", "cell"))
                continue
            fill = "#ffffff" if n == 0 else _heat_colour(n, top_count)
            parts.append(_rect(x, y, cell_w - 1, cell_h - 1, fill,
                               f"{where}: {n} of {texts[code]} documents with full text", "cell"))
            if n:
                dark = top_count > 1 and n > (top_count + 1) / 2
                parts.append(_text(x + cell_w / 2, y + 13, str(n), anchor="middle",
                                   cls="small light" if dark else "small"))
    bottom = head + len(data.tags) * cell_h
    parts += _heat_legend(left, bottom + 14, top_count)
    width = left + len(columns) * cell_w + 10
    svg = _svg("chart-heatmap", max(width, left + 520), bottom + 44, "Tags by province", parts)
    measured = sum(1 for c in columns if texts[c])
    note = (f"Each cell counts the documents of a province that carry a tag (<code>document_tags</code>); the small "
            "number under each province is how many of its documents have full text. Only documents with full text "
            f"are tagged: {len(columns) - measured} of {len(columns)} provinces have none in this version and are "
            "hatched, not zero. † marks an experimental tag.")
    return _figure("heatmap", "Tag × province", svg, note, shape="wide")


# Fill of the cells of provinces where nothing was measured; the id is unique in the page.
_HATCH = ('<defs><pattern id="chart-heatmap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
          'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6f7f9"/>'
          '<line x1="0" y1="0" x2="0" y2="6" stroke="#c4cbd5" stroke-width="2"/></pattern></defs>')


def _heat_legend(x: float, y: float, top: int) -> list[str]:
    parts = [_text(x, y + 12, "documents:")]
    x += 74
    steps = sorted({1, max(1, (top + 1) // 2), top}) if top else []
    for label, fill in [("0", "#ffffff")] + [(str(n), _heat_colour(n, top)) for n in steps]:
        parts += [f'<rect x="{x:.1f}" y="{y:.1f}" width="16" height="16" fill="{fill}" stroke="#c4cbd5"/>',
                  _text(x + 20, y + 12, label)]
        x += 20 + _text_width(label, 12) + 14
    parts += [(f'<rect x="{x:.1f}" y="{y:.1f}" width="16" height="16" fill="url(#chart-heatmap-hatch)" '
               'stroke="#c4cbd5"/>'), _text(x + 20, y + 12, "not measured (no document with full text)")]
    return parts


def _text_share_chart(data: _Data) -> str:
    sections: dict[tuple[int, str], list[int]] = {}
    for doc in data.documents:
        counts = sections.setdefault((doc.section_no, doc.section), [0, 0])
        counts[0 if doc.has_text else 1] += 1
    rows = [(name, full, only) for (_, name), (full, only) in sorted(sections.items())]
    rows.append(("all documents", sum(r[1] for r in rows), sum(r[2] for r in rows)))
    row, top, plot = 24, 30, 360
    left = max(_text_width(r[0], 12) for r in rows) + 12
    parts = [_rect(left, 6, 12, 12, BAR), _text(left + 16, 16, "full text"),
             _rect(left + 100, 6, 12, 12, CONTENTS_ONLY), _text(left + 116, 16, "contents entry only")]
    for i, (name, full, only) in enumerate(rows):
        y = top + i * row + (8 if i == len(rows) - 1 else 0)
        total = full + only
        w = plot * full / total
        parts += [_text(left - 6, y + 15, name, anchor="end"),
                  _rect(left, y + 3, w, row - 6, BAR, f"{name}: {full} of {total} with full text", "bar"),
                  _rect(left + w, y + 3, plot - w, row - 6, CONTENTS_ONLY,
                        f"{name}: {only} of {total} with only a contents entry", "bar"),
                  _text(left + plot + 6, y + 15, f"{full} of {total} · {100 * full / total:.1f}%", cls="count")]
    bottom = top + len(rows) * row + 8
    for pct in (0, 25, 50, 75, 100):
        x = left + plot * pct / 100
        parts += [_line(x, bottom, x, bottom + 4, "#6b7480"), _text(x, bottom + 17, f"{pct}%", anchor="middle")]
    parts.append(_line(left, bottom, left + plot, bottom, "#6b7480"))
    svg = _svg("chart-text", left + plot + 130, bottom + 26, "Share of documents with full text", parts)
    note = ("Every document is in the table of contents; “full text” means this version also holds its text, and so "
            "its provisions, deadlines and tags. By section of the compilation; the right-hand numbers are "
            "documents with full text of all documents in the row.")
    return _figure("text", "Documents with full text vs contents only", svg, _e(note))


# In page order: the tall province chart fills the left column beside the two next to it.
_CHARTS: tuple[Callable[[_Data], str], ...] = (_provinces_chart, _text_share_chart, _issue_dates_chart,
                                               _deadlines_chart, _tag_province_chart)


# -- document pages ---------------------------------------------------------------------------------


def _document_page(data: _Data, position: int) -> str:
    doc = data.documents[position]
    measures = data.measures.get(doc.doc_id, [])
    body = [_document_nav(data, position),
            f'<h1 id="title">{_e(doc.title)}</h1>',
            f'<p class="cite" id="doc-pages">{_e(doc.doc_id)} · source {_e(_document_pages(doc))}</p>',
            _metadata(data, doc),
            _document_tags(data, doc),
            _references(data, doc),
            f'<h2 id="provisions">Provisions ({len(measures)})</h2>']
    if measures:
        body += [_provision(data, m) for m in measures]
    elif doc.has_text:
        body.append('<p class="note">This version holds the document\'s text but found no provisions in it.</p>')
    else:
        body.append(f'<p class="note">This version holds only the document\'s table-of-contents entry (contents '
                    f'p. {doc.toc_page}); its text, listed at p. {doc.listed_page} of the compilation, is not in the '
                    "source this version was built from, so it has no provisions, deadlines or tags.</p>")
    return _page(data, f"{doc.title} · policydata {data.version}", "\n".join(body), home="../index.html")


def _document_nav(data: _Data, position: int) -> str:
    links = ['<a href="../index.html#documents">← all documents</a>']
    if position > 0:
        prev = data.documents[position - 1].doc_id
        links.append(f'<a href="{_e(prev)}.html" rel="prev">previous: {_e(prev)}</a>')
    if position + 1 < len(data.documents):
        nxt = data.documents[position + 1].doc_id
        links.append(f'<a href="{_e(nxt)}.html" rel="next">next: {_e(nxt)}</a>')
    return f'<nav class="nav">{"".join(links)}</nav>'


def _document_pages(doc: Document) -> str:
    if doc.has_text:
        return f"{_pages(doc.page_start, doc.page_end)} (text); contents p. {doc.toc_page}"
    return f"contents p. {doc.toc_page}; listed at p. {doc.listed_page} (text not in this version)"


def _metadata(data: _Data, doc: Document) -> str:
    place = data.places[doc.doc_id]
    region = data.regions[doc.region_code]
    issuers = "".join(
        f"<li>{_e(data.agencies[r['agency_id']])} "
        f'<span class="cite">({_e(r["role"])}, named in the {_e(r["source"])}: “{_e(r["name_raw"])}”, '
        f"p. {r['page']})</span></li>"
        for r in data.issuers.get(doc.doc_id, []))
    flags = "".join(_flag_item(f) for f in data.flags.get(doc.doc_id, []))
    rows = [
        ("document id", _e(doc.doc_id)),
        ("发文字号", _e(doc.doc_number) if doc.doc_number else f"— <span class=\"cite\">(as printed: "
                                                             f"{_e(doc.doc_number_raw or 'none')})</span>"),
        ("issued", _e(doc.issued_on.isoformat()) if doc.issued_on else "no date in the source"),
        ("issued, as printed", _e(doc.issued_on_raw or "—")),
        ("effective", _e(doc.effective_on.isoformat()) if doc.effective_on else "—"),
        ("issuing region", f"{_e(region)} ({_e(doc.region_code)}), level {_e(doc.level)}"),
        ("province", f"{_e(place['province'] or '—')} ({_e(place['province_code'] or '—')})"),
        ("compilation heading", _e(" · ".join(x for x in (doc.section, doc.group_name) if x))),
        ("type", _e(doc.doc_type or "—") + (" (draft for comment)" if doc.is_draft else "")),
        ("source pages", _e(_document_pages(doc))),
        ("issuers", f"<ul>{issuers}</ul>" if issuers else "none recorded"),
        ("quality flags", f"<ul>{flags}</ul>" if flags else "none"),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _document_tags(data: _Data, doc: Document) -> str:
    rows = data.document_tags.get(doc.doc_id, [])
    if not rows:
        return ""
    tags = data.tags_by_id
    chips = "".join(f'<span class="chip" title="{_e(r["tag_id"])}">{_e(tags[r["tag_id"]].label_zh)} '
                    f'× {r["measure_count"]}</span>' for r in rows)
    return f'<h2 id="tags">Tags (provisions carrying each)</h2><p>{chips}</p>'


def _measure_href(measure_id: str) -> str:
    doc_id, path = measure_id.split("/", 1)
    return f"{doc_id}.html#m-{path}"


def _references(data: _Data, doc: Document) -> str:
    """What the document cites and which documents cite it, each with its page; empty before schema 2.2."""
    if not data.has_links:
        return ""
    titles = data.titles
    items = []
    for r in data.references.get(doc.doc_id, []):
        if r.cited_doc_id is not None and r.kind != "self":
            target = f'→ <a href="{_e(r.cited_doc_id)}.html">{_e(titles[r.cited_doc_id])}</a> (by {_e(r.resolved_by)})'
        elif r.work_id is not None:
            target = f'→ not in the dataset: cited work <span class="cite">{_e(r.work_id)}</span>'
        else:
            target = ""
        items.append(f'<li data-reference="{_e(r.reference_id)}">{_e(r.cited_raw)} <strong>{_e(r.kind)}</strong> '
                     f'{target} <span class="cite">(source p. {r.page})</span></li>')
    cited_by = [f'<li><a href="{_e(r.doc_id)}.html">{_e(titles[r.doc_id])}</a> '
                f'<span class="cite">(as {_e(r.cited_raw)}, source p. {r.page}, by {_e(r.resolved_by)})</span></li>'
                for r in data.cited_by.get(doc.doc_id, [])]
    return (f'<h2 id="references">References ({len(items)} in its text; cited by {len(cited_by)})</h2>'
            + (f'<ul class="references">{"".join(items)}</ul>' if items else "<p>none found in its text</p>")
            + (f'<p class="cite">cited by</p><ul class="cited-by">{"".join(cited_by)}</ul>' if cited_by else ""))


def _provision(data: _Data, m: Measure) -> str:
    """One provision: its heading and text, pages, and its deadlines, agencies and tags."""
    heading = " ".join(x for x in (m.label, m.heading) if x) or m.kind
    # A class per depth, not a style attribute: the page's CSP allows no inline style attributes.
    depth = min(max(m.depth, 1), 6)
    parts = [(f'<section class="provision depth-{depth}" id="m-{_e(m.path)}" data-measure="{_e(m.measure_id)}" '
              f'data-pages="{m.page_start}-{m.page_end}">'),
             f"<h3>{_e(heading)}</h3>",
             f'<p class="cite">{_e(m.measure_id)} · {_e(m.kind)} · source {_e(_pages(m.page_start, m.page_end))}</p>',
             f'<p class="text">{_e(m.text)}</p>']
    deadlines = data.deadlines.get(m.measure_id, [])
    if deadlines:
        parts.append("<p class=\"cite\">deadlines</p><ul class=\"deadlines\">" + "".join(
            f'<li data-deadline="{_e(d.deadline_id)}">“{_e(d.expression)}”: {_e(_deadline_value(d))} '
            f'<span class="cite">(source p. {d.page})</span></li>' for d in deadlines) + "</ul>")
    agencies = data.responsible.get(m.measure_id, [])
    if agencies:
        parts.append("<p class=\"cite\">agencies</p><ul class=\"agencies\">" + "".join(
            f"<li>{_e(data.agencies[r['agency_id']])} <strong>{_e(r['role'])}</strong> "
            f'<span class="cite">(“{_e(r["evidence"])}”)</span></li>' for r in agencies) + "</ul>")
    tags = data.measure_tags.get(m.measure_id, [])
    if tags:
        names = data.tags_by_id
        parts.append('<p class="tags">' + "".join(
            f'<span class="chip" title="{_e(r["tag_id"])}: “{_e(r["evidence"])}”">{_e(names[r["tag_id"]].label_zh)}'
            f"</span>" for r in tags) + "</p>")
    links = data.links.get(m.measure_id, [])
    if links:
        parts.append('<p class="cite">resembles these national provisions (character n-gram similarity; '
                     'see quality.json → links for its precision)</p><ul class="links">' + "".join(
                         f'<li><a href="{_e(_measure_href(r["national_measure_id"]))}">{_e(r["national_measure_id"])}'
                         f'</a> score {r["score"]:.2f} <span class="cite">(shared: {_e("、".join(r["shared"]))})'
                         f"</span></li>" for r in links) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _deadline_value(d: Deadline) -> str:
    if d.due_on is not None:
        return f"{d.kind}, due {d.due_on.isoformat()}" + (f" (to the {d.precision})" if d.precision else "")
    if d.duration:
        return f"{d.kind}, {d.duration}" + (f" from {d.anchor}" if d.anchor else "")
    return d.kind
