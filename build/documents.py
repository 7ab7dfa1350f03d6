"""Step 5a: normalise each contents entry and its body into a document row.

Here the raw facts become clean values: the 发文字号, the type of instrument,
the issuing jurisdiction and the issuing bodies. Every disagreement between
the compilation's own headings and what the document says about itself is kept
as a quality flag, never silently resolved.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .errors import ParseError
from .agencies import AgencyName, add_agency_row, issuer_part, split_issuers
from .regions import NATIONAL_CODE
from .regions import RegionIndex
from .blocks import Rendered, RenderedTable, render, split_blocks
from .repair import BRACKET_NOTE, DATE_LINE, DOC_NUMBER, PagedText, canonical_doc_number, clean, signature_above
from .segment import Body, Segmentation
from .toc import Toc, TocEntry
from .workers import Workers

_DOC_NUMBER_MAX_LINES = 3
_DRAFT = re.compile(r"征求意见稿|草案|送审稿")
# Instrument words a title ends with, longest first within each family.
_DOC_TYPES = (
    "实施细则", "细则", "通知", "意见", "方案", "条例", "办法", "要点", "清单", "措施", "举措",
    "公告", "规划", "规定", "决定", "计划", "标准", "规范", "制度", "任务", "政策", "机制", "安排",
)
_TRAILING_PAREN = re.compile(r"（[^（）]*）$")


@dataclass
class DocumentTables:
    documents: list[dict[str, Any]] = field(default_factory=list)
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    document_agencies: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, PagedText] = field(default_factory=dict)  # doc_id → text with pages
    tables: dict[str, tuple[RenderedTable, ...]] = field(default_factory=dict)  # doc_id → its tables in the text
    counts: Counter[str] = field(default_factory=Counter)


def make_doc_id(edition: str, entry: TocEntry) -> str:
    """Stable id from raw source facts: edition, section, heading and number.

    >>> from policydata_build.toc import TocEntry
    >>> e = TocEntry(1, "国家", 0, None, 3, "t", "t", None, None, 3, 32)
    >>> make_doc_id("2023", e)
    '2023-01-00-003'
    """
    return f"{edition}-{entry.section_no:02d}-{entry.group_no:02d}-{entry.seq:03d}"


def doc_type(title: str) -> str | None:
    """The kind of instrument named at the end of a title.

    >>> doc_type("关于印发《上海市建筑工程施工许可管理规定》的通知")
    '通知'
    >>> doc_type("潍坊市优化营商环境条例（草案送审稿）")
    '条例'
    """
    t = title.rstrip("》")
    while _TRAILING_PAREN.search(t):
        t = _TRAILING_PAREN.sub("", t).rstrip("》")
    for word in _DOC_TYPES:
        if t.endswith(word):
            return word
    return None


def parse_doc_number(lines: list[str]) -> tuple[str | None, str | None]:
    """(canonical 发文字号 or None, raw text or None) from a body's first lines.

    >>> parse_doc_number(["发改法规［2023］27 号", "各省、自治区"])
    ('发改法规〔2023〕27号', '发改法规［2023］27 号')
    >>> parse_doc_number(["国发〔", "〕", " 号", "各省"])
    (None, '国发〔\\n〕\\n 号')
    >>> parse_doc_number(["为加快推进"])
    (None, None)
    """
    # A note between the heading and the number, （节选）, is not part of it.
    while lines and BRACKET_NOTE.match(clean(lines[0])):
        lines = lines[1:]
    for k in range(1, min(_DOC_NUMBER_MAX_LINES, len(lines)) + 1):
        # Digits lost in extraction (国发〔 〕 号): kept raw, never guessed.
        m = DOC_NUMBER.match(clean("".join(lines[:k])))
        if m:
            raw = "\n".join(lines[:k])
            if m.group("year") and m.group("num"):
                return canonical_doc_number(m.group("org"), m.group("year"), m.group("num")), raw
            return None, raw
    return None, None


def signature_lines(lines: list[str]) -> tuple[int, list[str]]:
    """Index of the first signature date line and the name lines above it.

    A signature is a run of name-only lines right above a date standing
    alone. Returns (-1, []) when the body has none.
    """
    cleaned = [clean(line) for line in lines]
    for d, line in enumerate(cleaned):
        names = signature_above(cleaned, d) if DATE_LINE.match(line) else []
        if names:
            return d, [cleaned[i] for i in names]
    return -1, []


class _Builder:
    def __init__(self, edition: str, index: RegionIndex) -> None:
        self.edition = edition
        self.index = index
        self.out = DocumentTables()
        self._flag_ids: set[str] = set()
        self._noted: set[tuple[str, str]] = set()

    def flag(self, doc_id: str, code: str, detail: str, page: int | None) -> None:
        # The id hashes what the flag says, so it does not depend on the order
        # in which flags are raised.
        digest = hashlib.sha1(detail.encode("utf-8")).hexdigest()[:8]
        flag_id = f"{doc_id}:{code}:{digest}"
        if flag_id in self._flag_ids:
            return
        self._flag_ids.add(flag_id)
        self.out.flags.append({"flag_id": flag_id, "doc_id": doc_id, "code": code, "detail": detail, "page": page})

    def note(self, doc_id: str, note: str, detail: str, page: int | None) -> None:
        """Flag a normaliser's note once per document, however often it recurs."""
        if (doc_id, note) not in self._noted:
            self._noted.add((doc_id, note))
            self.flag(doc_id, note.split(":", 1)[0], detail, page)

    def add_agencies(self, doc_id: str, names: list[AgencyName], source: str, page: int) -> None:
        seen = set()
        for a in names:
            for note in a.notes:
                self.note(doc_id, note, f"{source} issuer {a.raw}: {note}", page)
            aid = add_agency_row(self.out.agencies, a)
            if aid in seen:
                continue
            seen.add(aid)
            self.out.document_agencies.append(
                {"doc_id": doc_id, "agency_id": aid, "role": "issuer", "source": source, "name_raw": a.raw, "page": page}
            )

    def document(self, entry: TocEntry, body: Body | None, rendered: tuple[Rendered, Counter[str]] | None) -> None:
        """One contents entry; ``rendered`` is :func:`render_body` of its body's lines."""
        doc_id = make_doc_id(self.edition, entry)
        for code, detail in entry.flags:
            self.flag(doc_id, code, detail, entry.toc_page)
        heading_code = NATIONAL_CODE if entry.group_name is None else self._province(entry)

        doc_number = doc_number_raw = None
        text = None
        page_start = page_end = None
        signature: list[str] = []
        sig_page = entry.toc_page
        if body is not None:
            for code, detail, page in body.flags:
                self.flag(doc_id, code, detail, page)
            lines = [line for line, _ in body.lines]
            doc_number, doc_number_raw = parse_doc_number(lines)
            if doc_number_raw is not None and doc_number is None:
                self.flag(doc_id, "doc_number_garbled", f"digits missing in {clean(doc_number_raw)!r}", body.lines[0][1])
            d, signature = signature_lines(lines)
            if d >= 0:
                sig_page = body.lines[d][1]
            if rendered is None:
                raise ValueError(f"{doc_id}: a body without its rendered text")
            done, counts = rendered
            self.out.counts.update(counts)
            self.out.texts[doc_id] = done.text
            self.out.tables[doc_id] = done.tables
            text = done.text.text
            page_start = body.heading[0][1]
            page_end = body.lines[-1][1] if body.lines else page_start

        region = self._region(doc_id, entry, signature, heading_code)
        self._issuers(doc_id, entry, signature, sig_page)
        self.out.documents.append(
            {
                "doc_id": doc_id,
                "edition": self.edition,
                "section_no": entry.section_no,
                "section": entry.section,
                "group_no": entry.group_no,
                "group_name": entry.group_name,
                "seq": entry.seq,
                "title": entry.title,
                "title_raw": entry.title_raw,
                "doc_number": doc_number,
                "doc_number_raw": doc_number_raw,
                "issued_on": entry.issued_on,
                "issued_on_raw": entry.issued_on_raw,
                "region_code": region,
                "level": self.index.get(region).level,
                "doc_type": self._doc_type(doc_id, entry),
                "is_draft": bool(_DRAFT.search(entry.title)),
                "toc_page": entry.toc_page,
                "listed_page": entry.listed_page,
                "page_start": page_start,
                "page_end": page_end,
                "has_text": body is not None,
                "text": text,
                # Filled from the text's 自…起施行 clause by the measures step.
                "effective_on": None,
                "effective_raw": None,
            }
        )

    def _province(self, entry: TocEntry) -> str:
        try:
            return self.index.province_code(entry.group_name or "")
        except ValueError as exc:
            raise ParseError(f"table of contents page {entry.toc_page}", f"province heading {entry.group_name!r}: {exc}") from None

    def _doc_type(self, doc_id: str, entry: TocEntry) -> str | None:
        kind = doc_type(entry.title)
        if kind is None:
            self.flag(doc_id, "doc_type_unrecognised", f"no instrument word at the end of {entry.title!r}", entry.toc_page)
        return kind

    def _region(self, doc_id: str, entry: TocEntry, signature: list[str], heading_code: str) -> str:
        """Jurisdiction named by the issuer in the title, else the signature, else (flagged) the heading."""
        candidates = [t for t in (issuer_part(entry.title), entry.title, *signature) if t]
        found = None
        for text in candidates:
            try:
                found = self.index.issuer_jurisdiction(text, province_hint=None if heading_code == NATIONAL_CODE else heading_code)
                break
            except ValueError:
                continue
        if found is None:
            self.flag(doc_id, "region_from_heading", f"no issuer named in {entry.title!r}; used the heading {entry.group_name or entry.section}", entry.toc_page)
            return heading_code
        for note in found.notes:
            self.note(doc_id, note, f"jurisdiction {found.matched}: {note}", entry.toc_page)
        expected_prefix = heading_code[:2]
        if (heading_code == NATIONAL_CODE) != (found.code == NATIONAL_CODE) or (heading_code != NATIONAL_CODE and found.code[:2] != expected_prefix):
            self.flag(
                doc_id,
                "heading_region_mismatch",
                f"filed under {entry.group_name or entry.section} ({heading_code}) but issued by {found.matched} ({found.code})",
                entry.toc_page,
            )
        return found.code

    def _issuers(self, doc_id: str, entry: TocEntry, signature: list[str], sig_page: int) -> None:
        part = issuer_part(entry.title)
        if part:
            try:
                self.add_agencies(doc_id, split_issuers(part, self.index), "title", entry.toc_page)
            except ValueError as exc:
                self.flag(doc_id, "issuer_unparsed", f"title issuer {part!r}: {exc}", entry.toc_page)
        names: list[AgencyName] = []
        # Read upwards from the date: a line that is not a body's name ends the block.
        for line in reversed(signature):
            try:
                names[:0] = split_issuers(line, self.index)
            except ValueError:
                self.out.counts["signature_lines_not_agencies"] += 1
                break
        if names:
            self.add_agencies(doc_id, names, "signature", sig_page)


def build_documents(edition: str, toc: Toc, seg: Segmentation, index: RegionIndex,
                    workers: Workers | None = None) -> DocumentTables:
    """Document rows, issuers and flags for every contents entry.

    The blocks of each body are read by ``workers`` (in this process by default).
    """
    b = _Builder(edition, index)
    entries = [(entry, seg.bodies.get((entry.section_no, entry.group_no, entry.seq))) for entry in toc.entries]
    bodies = [body for _, body in entries if body is not None]
    if workers is not None and workers.count > 1 and index is not RegionIndex.load():
        raise ValueError("workers read bodies with the bundled region index; pass it, or read in one process")
    lines = [list(body.lines) for body in bodies]
    if workers is not None and workers.count > 1:
        rendered = iter(workers.map(render_body, lines))
    else:
        rendered = iter([render_body(body_lines, index) for body_lines in lines])
    for entry, body in entries:
        b.document(entry, body, next(rendered) if body is not None else None)
    return b.out


def render_body(lines: list[tuple[str, int]], index: RegionIndex | None = None) -> tuple[Rendered, Counter[str]]:
    """A body's text and tables, and the counts of what its blocks dropped (one document's work).

    A worker process uses the bundled region index (``index`` None)."""
    blocks, counts = split_blocks(lines, index if index is not None else RegionIndex.load())
    return render(blocks), counts
