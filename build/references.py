"""Normalise: what each text cites, as rows, resolved to documents of the dataset where possible.

Two printed forms are citations: a title in 《》 (optionally followed by its
发文字号 in brackets) and a bare 发文字号 (国办发〔2022〕30号). Every one of them
in a document's text becomes a row; nothing found is dropped. A row is typed
by what it cites:

- ``self``: the document itself: its own 发文字号, its own title, or the
  instrument a notice issues (现将《…》印发给你们);
- ``own_attachment``: a form or annex the document carries (《…》（见附件2）,
  a line 附件1：《…》);
- otherwise by the cited title: ``law`` (…法), ``administrative_regulation``
  (…条例, …实施细则 of a national body), ``local_regulation`` (a 条例 whose title
  starts with a place), ``standard``, ``plan`` (…规划, …纲要), ``agreement``
  (…协定), ``attachment_or_form`` (…表, …书) and ``policy_document`` for the rest.

A short form defined in the text (（以下简称《意见》）) or a title that ends an
earlier citation of the same document (《建议书》 after
《市场监管行业标准制修订项目建议书》) cites what the full title cites.

The cited document is resolved by 发文字号 first, then by normalised title
(the document's title, the part after its issuer's 关于, or the 《》 title it
issues), never by similarity. What is not in the dataset is a cited work
with an id derived from its normalised title or number, so a law cited by ten
documents is one node.

>>> [r.cited_title for r in scan_citations("根据《优化营商环境条例》（国务院令第722号）和国办发〔2022〕30号文件要求")]
['优化营商环境条例', None]
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .regions import RegionIndex
from .repair import PagedText, canonical_doc_number

_TITLE = re.compile(r"《(?P<title>[^《》\n]{1,150})》")
_NUMBER = re.compile(r"(?P<org>[\u4e00-\u9fff]{1,12})[〔［\[（(]\s*(?P<year>\d{4})\s*[〕］\]）)]\s*(?P<num>\d{1,5})\s*号")
# The bracket after a title that holds its number: 《…》（国办发〔2022〕30号）.
_NUMBER_AFTER = re.compile(r"\s*[（(](?P<inner>[^（）()\n]{1,40})[）)]")
# Words that end the text before a 发文字号's issuer code (根据国办发… → 国办发).
_BEFORE_ORG = re.compile(r"^.*(?:根据|按照|依据|依照|遵照|参照|对照|落实|贯彻|执行|印发|转发|见|和|及|与|或|的|等)")
_CUES = ("根据", "按照", "依据", "依照", "遵照", "参照", "对照", "落实", "贯彻", "执行")
_CUE_WINDOW = 12
_CLAUSE_END = re.compile(r"[。；;！？\n]")
_SHORT_FORM = re.compile(r"\s*[（(](?:以下)?简称《(?P<short>[^《》]{1,30})》")
_ISSUES_IT = re.compile(r"(?:现将|现就)\s*$")
_ISSUED_AFTER = re.compile(r"\s*(?:[（(][^（）()]*[）)])?\s*(?:印发给|转发给|予以印发|印发你们|印送给)")
# Up to two brackets right after a citation: （以下简称《任务书》，见附件5）, （见附件2）.
_BRACKETS_AFTER = re.compile(r"\s*[（(](?P<a>[^（）()]*)[）)](?:\s*[（(](?P<b>[^（）()]*)[）)])?")
_ATTACHMENT_LINE = re.compile(r"^附件\s*\d*\s*[：:]?\s*《?(?P<title>[^《》\n]+?)》?\s*$", re.M)
_ANNOTATION = re.compile(r"[（(][^（）()]*[）)]$")
_SAME = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "－": "-", "（": "(", "）": ")",
                       "，": ",", "、": ","})
_ISSUED_INSTRUMENTS = re.compile(r"(?:印发|转发|发布)(?P<titles>(?:《[^《》]+》(?:及|和|与|,)?)+)(?:的(?:通知|公告))?$")
_ISSUED_TITLE = re.compile(r"(?:印发|转发|发布)(?P<inner>.+?)的(?:通知|公告)$")

@dataclass(frozen=True)
class Citation:
    """One citation as printed, before resolution."""

    start: int
    end: int
    raw: str
    cited_title: str | None  # normalised
    cited_number: str | None  # canonical 发文字号
    cue: str | None
    short_form: str | None  # the 简称 this citation defines


def normalise_title(title: str) -> str:
    """A title for comparison: no whitespace, one form of quotes, dashes and brackets.

    >>> normalise_title("“十四五”国家知识产权保护和运用规划 ")
    '"十四五"国家知识产权保护和运用规划'
    """
    return re.sub(r"\s+", "", title).translate(_SAME)


def _cue_before(text: str, start: int) -> str | None:
    window = text[max(0, start - _CUE_WINDOW):start]
    window = _CLAUSE_END.split(window)[-1]
    found = [(window.rfind(c), c) for c in _CUES if c in window]
    return max(found)[1] if found else None


def scan_citations(text: str) -> list[Citation]:
    """Every 《title》 (with its bracketed number) and bare 发文字号 in a text, in order."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _TITLE.finditer(text):
        end, number = m.end(), None
        after = _NUMBER_AFTER.match(text, end)
        if after:
            inner = _NUMBER.fullmatch(re.sub(r"\s", "", after.group("inner")))
            if inner:
                number, end = canonical_doc_number(inner["org"], inner["year"], inner["num"]), after.end()
        short = _SHORT_FORM.match(text, end)
        found.append(Citation(m.start(), end, text[m.start():end], normalise_title(m["title"]), number,
                              _cue_before(text, m.start()), short["short"] if short else None))
        taken.append((m.start(), end))
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue  # the number of a title already read, or a number inside a title
        org = _BEFORE_ORG.sub("", m["org"])
        if not org:
            continue
        start = m.start() + len(m["org"]) - len(org)
        found.append(Citation(start, m.end(), text[start:m.end()], None, canonical_doc_number(org, m["year"], m["num"]),
                              _cue_before(text, start), None))
    return sorted(found, key=lambda c: c.start)


def classify(title: str | None, index: RegionIndex) -> str:
    """The kind of a cited work from its title (a bare number cites a policy document).

    >>> index = RegionIndex.load()
    >>> [classify(t, index) for t in ["中华人民共和国标准化法", "优化营商环境条例", "上海市优化营商环境条例",
    ...                               "全国国土空间规划纲要（2021-2035年）", "市场监管行业标准征求意见表"]]
    ['law', 'administrative_regulation', 'local_regulation', 'plan', 'attachment_or_form']
    """
    if title is None:
        return "policy_document"
    core = title
    while _ANNOTATION.search(core):
        core = _ANNOTATION.sub("", core)
    if core.endswith("法") and not core.endswith(("办法", "方法", "做法", "算法")):
        return "law"
    if core.endswith(("条例", "实施细则")) and "法" in core or core.endswith("条例"):
        return "local_regulation" if index.place_at(core, 0) is not None else "administrative_regulation"
    if core.endswith(("标准", "规范", "技术要求")) or re.search(r"(?:ISO|GB/?T?)\s*\d", title):
        return "standard"
    if core.endswith(("规划", "纲要")):
        return "plan"
    if core.endswith(("协定", "公约")):
        return "agreement"
    if core.endswith(("表", "书", "说明", "协议")) or (core.endswith("单") and not core.endswith("清单")):
        return "attachment_or_form"
    return "policy_document"


def _title_keys(title: str) -> set[str]:
    """The titles a document may be cited by."""
    t = normalise_title(title)
    keys = {t}
    if "关于" in t:
        keys.add(t[t.index("关于"):])
    # Only the instruments a title issues name the document (印发《甲》及《乙》的通知);
    # 印发贯彻落实《条例》若干措施 names what it carries out, not itself.
    issued = _ISSUED_INSTRUMENTS.search(t)
    if issued:
        keys.update(re.findall(r"《([^《》]+)》", issued["titles"]))
    else:
        m = _ISSUED_TITLE.search(t)
        if m and "《" not in m["inner"]:
            keys.add(m["inner"])
    return keys


@dataclass
class _Targets:
    by_number: dict[str, set[str]]
    by_title: dict[str, set[str]]

    @classmethod
    def of(cls, documents: list[dict[str, Any]]) -> _Targets:
        by_number: dict[str, set[str]] = {}
        by_title: dict[str, set[str]] = {}
        for d in documents:
            if d["doc_number"]:
                by_number.setdefault(d["doc_number"], set()).add(d["doc_id"])
            for key in _title_keys(d["title"]):
                by_title.setdefault(key, set()).add(d["doc_id"])
        return cls(by_number, by_title)

    def resolve(self, c: Citation) -> tuple[str | None, str | None]:
        """(doc_id, how) when exactly one document matches; a number that matches decides."""
        if c.cited_number is not None:
            hits = self.by_number.get(c.cited_number, set())
            if len(hits) == 1:
                return next(iter(hits)), "number"
        if c.cited_title is not None:
            hits = self.by_title.get(c.cited_title, set())
            if len(hits) == 1:
                return next(iter(hits)), "title"
        return None, None


def work_id(key: str) -> str:
    """Stable id of a cited work from its normalised title (or number when no title is printed)."""
    return "work-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _innermost(measures: list[dict[str, Any]], at: int) -> dict[str, Any] | None:
    held = [m for m in measures if m["char_start"] <= at < m["char_end"]]
    return min(held, key=lambda m: m["char_end"] - m["char_start"]) if held else None


@dataclass
class ReferenceTables:
    references: list[dict[str, Any]]
    cited_works: list[dict[str, Any]]
    quality: dict[str, Any]


def build_references(documents: list[dict[str, Any]], measures: list[dict[str, Any]],
                     texts: dict[str, PagedText], index: RegionIndex) -> ReferenceTables:
    """The ``references`` and ``cited_works`` rows of every document with text."""
    targets = _Targets.of(documents)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in measures:
        by_doc.setdefault(m["doc_id"], []).append(m)
    scanned = {d["doc_id"]: scan_citations(d["text"]) for d in documents if d["text"] is not None}
    # A number printed with a title anywhere names that title's work everywhere.
    title_of_number = {c.cited_number: c.cited_title for cs in scanned.values() for c in cs
                       if c.cited_number and c.cited_title}
    rows: list[dict[str, Any]] = []
    works: dict[str, dict[str, Any]] = {}
    for doc in documents:
        if doc["doc_id"] not in scanned:
            continue
        rows += _document_rows(doc, scanned[doc["doc_id"]], by_doc.get(doc["doc_id"], []), texts[doc["doc_id"]],
                               targets, title_of_number, works, index)
    return ReferenceTables(rows, sorted(works.values(), key=lambda w: w["work_id"]), _quality(rows))


def _document_rows(doc: dict[str, Any], citations: list[Citation], measures: list[dict[str, Any]], paged: PagedText,
                   targets: _Targets, title_of_number: dict[str, str | None], works: dict[str, dict[str, Any]],
                   index: RegionIndex) -> list[dict[str, Any]]:
    text, doc_id = doc["text"], doc["doc_id"]
    own_titles = _title_keys(doc["title"])
    attachments = {normalise_title(m["title"]) for m in _ATTACHMENT_LINE.finditer(text)}
    seen: dict[str, dict[str, Any]] = {}  # cited title or short form -> the row that first cited it
    rows = []
    for c in citations:
        row: dict[str, Any] = {
            "reference_id": f"{doc_id}@{c.start}", "doc_id": doc_id, "measure_id": None,
            "cited_raw": c.raw, "cited_title": c.cited_title, "cited_number": c.cited_number, "cue": c.cue,
            "kind": None, "cited_doc_id": None, "work_id": None, "resolved_by": None,
            "page": paged.page_at(c.start), "char_start": c.start, "char_end": c.end,
        }
        holder = _innermost(measures, c.start)
        row["measure_id"] = holder["measure_id"] if holder else None
        earlier = _earlier(seen, c.cited_title) if c.cited_number is None else None
        if _is_self(c, doc, own_titles, text):
            row["kind"], row["cited_doc_id"], row["resolved_by"] = "self", doc_id, "self"
        elif c.cited_title in attachments or _points_to_attachment(text, c.end) or (
                earlier is not None and earlier["kind"] == "own_attachment"):
            row["kind"] = "own_attachment"
        elif earlier is not None:
            # A short form cites what its full title cites.
            for key in ("kind", "cited_doc_id", "work_id"):
                row[key] = earlier[key]
            row["resolved_by"] = "short_form"
        else:
            row["cited_doc_id"], row["resolved_by"] = targets.resolve(c)
            title = c.cited_title or title_of_number.get(c.cited_number or "")
            row["kind"] = classify(title, index)
            if row["cited_doc_id"] is None:
                key = title or c.cited_number
                assert key is not None  # a citation has a title or a number
                row["work_id"] = work_id(key)
                works.setdefault(row["work_id"], {"work_id": row["work_id"], "title": title,
                                                  "doc_number": c.cited_number, "kind": row["kind"]})
                if works[row["work_id"]]["doc_number"] is None and c.cited_number is not None:
                    works[row["work_id"]]["doc_number"] = c.cited_number
        for key in (c.cited_title, c.short_form):
            if key is not None and key not in seen:
                seen[key] = row
        rows.append(row)
    return rows


def _earlier(seen: dict[str, dict[str, Any]], title: str | None) -> dict[str, Any] | None:
    """The row a short title refers back to: a defined 简称, or the one earlier title it ends."""
    if title is None:
        return None
    if title in seen:
        return seen[title]
    ends = {id(r): r for t, r in seen.items() if len(title) >= 2 and t.endswith(title) and t != title}
    return next(iter(ends.values())) if len(ends) == 1 else None


def _points_to_attachment(text: str, end: int) -> bool:
    m = _BRACKETS_AFTER.match(text, end)
    return m is not None and any("附件" in (m[g] or "") for g in ("a", "b"))


def _is_self(c: Citation, doc: dict[str, Any], own_titles: set[str], text: str) -> bool:
    if c.cited_number is not None and c.cited_number == doc["doc_number"]:
        return True
    if c.cited_title is None:
        return False
    if c.cited_title in own_titles:
        return True
    return bool(_ISSUES_IT.search(text, max(0, c.start - 4), c.start) or _ISSUED_AFTER.match(text, c.end))


def _quality(rows: list[dict[str, Any]]) -> dict[str, Any]:
    citations = [r for r in rows if r["kind"] not in ("self", "own_attachment")]
    resolved = [r for r in citations if r["cited_doc_id"] is not None]
    return {
        "references": len(rows),
        "by_kind": dict(sorted(Counter(r["kind"] for r in rows).items())),
        "citations": len(citations),
        "resolved_to_documents": len(resolved),
        "resolved_share": round(len(resolved) / len(citations), 4) if citations else None,
        "resolved_by": dict(sorted(Counter(r["resolved_by"] for r in resolved).items())),
        "unresolved": sorted({r["cited_raw"] for r in citations if r["cited_doc_id"] is None}),
    }
