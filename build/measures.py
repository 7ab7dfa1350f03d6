"""Step 5b: provisions, their deadlines, responsible agencies and tags, as rows.

For every document with text: the provision tree (:mod:`provisions`), the
time commitments inside it (:mod:`deadlines`), who must carry it out
(:mod:`responsibility`) and what it is about (:mod:`tags`). The invariants
that make the rows trustworthy are checked here and stop the build when they
break: a document with text and no provisions, an offset that does not slice
back to its text, a deadline outside its document's plausible range.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .agencies import (GENERIC, ROLE_MARKS, ROLE_WORDS, add_agency_row, looks_like_unit, resolve_unit, split_issuers,
                       split_units, unit_mark)
from .blocks import LEAD_REMARK, RenderedCell, RenderedTable
from .numerals import cn_int
from .deadlines import Skipped, day_of, find_deadlines
from .errors import BuildError
from .provisions import Provision, parse_provisions
from .regions import RegionIndex, province_of
from .repair import PagedText, clean
from .responsibility import (FIRST_LEADS, MARK_LEADS, Responsibilities, Responsibility, find_responsibilities, first_leads,
                             marked_leads)
from .tags import TagDef, focus_by_heading, load_codebook, tag_text
from .workers import Workers

# A resolved date earlier than this before the issue date, or later than this
# after it, is a parsing error, not a policy (targets reach 2035, 2050 at most).
# A resolved deadline later than this many years after its document (to the end of that year) is
# a parser error: 2060年前实现碳中和, the farthest goal of the texts, is 37 years after 2023.
PLAUSIBLE_AFTER_YEARS = 40
_EXAMPLES = 20
PLANNING_TAG = "tool:planning"
APPARATUS = frozenset({"document_number", "addressee", "signature", "note", "attachment", "table_header"})
# A paragraph that only announces what follows (现提出如下意见。 …主要内容如下。)
# says nothing of its own; its topic words are the following provisions'.
_INTRODUCTION = re.compile(r"(?:如下[\u4e00-\u9fff]{0,4}|以下(?:措施|意见|事项|内容|通知))[。：:]?$")


def _has_own_content(kind: str, text: str) -> bool:
    """Whether a provision's own words can carry tags.

    A heading only names what its sub-provisions say and a title names the
    document: both leave the tags to the provisions below them.

    >>> _has_own_content("paragraph", "《关于推进基本养老服务体系建设的意见》主要内容如下。")
    False
    >>> _has_own_content("paragraph", "各地要加强宣传。"), _has_own_content("heading", "一、加强宣传")
    (True, False)
    """
    if kind in ("heading", "title"):
        return False
    return not (kind == "paragraph" and _INTRODUCTION.search(re.sub(r"\s", "", text)))


_GROUP_LABEL = re.compile(r"^(?:([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）)")


@dataclass
class MeasureTables:
    measures: list[dict[str, Any]] = field(default_factory=list)
    measure_cells: list[dict[str, Any]] = field(default_factory=list)
    measure_agencies: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    measure_tags: list[dict[str, Any]] = field(default_factory=list)
    document_tags: list[dict[str, Any]] = field(default_factory=list)
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)  # agencies first seen in provisions
    effective: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)  # doc_id → (clause, date)
    quality: dict[str, Any] = field(default_factory=dict)


def _plausible(due: dt.date, issued: dt.date | None, edition: str) -> bool:
    """Not too far after the document. A date before it is no error: a fact of the past
    (我市已于2021年底前完成…), left out as ``before_issue_date`` however long ago."""
    base = issued or dt.date(int(edition), 1, 1)
    # The last day of a year: no 29 February to trip over.
    return due <= dt.date(base.year + PLAUSIBLE_AFTER_YEARS, 12, 31)


def _signatory_test(region_code: str, index: RegionIndex) -> Callable[[str], bool]:
    hint = province_of(region_code)

    def is_signatory(line: str) -> bool:
        try:
            split_issuers(line, index, province_hint=hint)
        except ValueError:
            return False
        return True

    return is_signatory


@dataclass
class _Counts:
    per_doc: dict[str, int] = field(default_factory=dict)
    rejected: Counter[str] = field(default_factory=Counter)
    gaps: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_examples: list[dict[str, Any]] = field(default_factory=list)
    unresolved: Counter[str] = field(default_factory=Counter)
    ignored_mentions: Counter[str] = field(default_factory=Counter)
    per_doc_report: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_measures(
    documents: list[dict[str, Any]],
    texts: dict[str, PagedText],
    tables: dict[str, tuple[RenderedTable, ...]],
    codebook: list[TagDef],
    index: RegionIndex,
    edition: str,
    workers: Workers | None = None,
) -> MeasureTables:
    """Provision, cell, tag, responsibility and deadline rows of every document with text.

    The documents are parsed by ``workers`` (in this process by default) and
    their rows merged in document order, as one process would have written them.
    """
    out = MeasureTables()
    counts = _Counts()
    jobs = [(doc, texts[doc["doc_id"]], tables[doc["doc_id"]], edition) for doc in documents if doc["has_text"]]
    if workers is not None and workers.count > 1:
        if index is not RegionIndex.load() or codebook != load_codebook():
            raise ValueError("workers parse with the bundled region index and codebook; pass those, "
                             "or parse in one process")
        parts = workers.map(measure_document, jobs)
    else:
        parts = [measure_document(job, codebook, index) for job in jobs]
    for part_out, part_counts in parts:
        _merge(out, counts, part_out, part_counts)
    out.quality = _quality(documents, out, counts, codebook)
    return out


def measure_document(
    job: tuple[dict[str, Any], PagedText, tuple[RenderedTable, ...], str],
    codebook: list[TagDef] | None = None, index: RegionIndex | None = None,
) -> tuple[MeasureTables, _Counts]:
    """The rows and counts of one document (a worker process uses the bundled codebook and index)."""
    doc, paged, doc_tables, edition = job
    out, counts = MeasureTables(), _Counts()
    _document(doc, paged, doc_tables, codebook if codebook is not None else load_codebook(),
              index if index is not None else RegionIndex.load(), edition, out, counts)
    return out, counts


def _merge(out: MeasureTables, counts: _Counts, part: MeasureTables, part_counts: _Counts) -> None:
    """Add one document's rows and counts, as a sequential run adds them."""
    for name in ("measures", "measure_cells", "measure_agencies", "deadlines", "measure_tags", "document_tags"):
        getattr(out, name).extend(getattr(part, name))
    for aid, row in part.agencies.items():
        if aid in out.agencies:  # first seen wins, as add_agency_row keeps it; aliases add up
            out.agencies[aid]["aliases"] |= row["aliases"]
        else:
            out.agencies[aid] = row
    for doc_id, clause in part.effective.items():
        out.effective.setdefault(doc_id, clause)
    counts.per_doc.update(part_counts.per_doc)
    counts.per_doc_report.update(part_counts.per_doc_report)
    for name in ("rejected", "gaps", "skipped", "unresolved", "ignored_mentions"):
        getattr(counts, name).update(getattr(part_counts, name))
    room = _EXAMPLES * 5 - len(counts.skipped_examples)
    counts.skipped_examples.extend(part_counts.skipped_examples[:max(0, room)])


@dataclass(frozen=True)
class _Row:
    """What a table row adds to its provision: cells, and the group heading it sits under."""

    cells: tuple[RenderedCell, ...]
    group: str | None


def _table_provisions(tables: tuple[RenderedTable, ...]) -> tuple[list[Provision], dict[str, _Row]]:
    """Provisions for each table: its header, its group rows (headings) and its rows.

    Paths are ``t<k>/`` (the k-th table of the document), then the group's
    number and the row's printed number: ``t1/2.5`` is row 5 under 二、.
    """
    out: list[Provision] = []
    rows: dict[str, _Row] = {}
    seen: Counter[str] = Counter()

    def unique(path: str) -> str:
        # A number printed twice keeps both rows apart, in printed order.
        seen[path] += 1
        return path if seen[path] == 1 else f"{path}~{seen[path]}"

    for k, table in enumerate(tables, start=1):
        out.append(Provision(f"t{k}/h", None, 1, None, None, table.start, table.header_end, "table_header"))
        groups: list[str] = []
        for g, group in enumerate(table.groups, start=1):
            m = _GROUP_LABEL.match(group.text)
            label = m.group(0) if m else None
            number = cn_int(m.group(1) or m.group(2)) if m else g
            path = unique(f"t{k}/{number}")
            groups.append(path)
            heading = group.text[len(label or ""):] or None
            out.append(Provision(path, None, 1, label, heading, group.start, group.end, "heading"))
        for r, row in enumerate(table.rows, start=1):
            parent = groups[row.group] if row.group is not None else None
            # 1 or 1. as printed; a table without 序号 numbers its rows in printed order. A number of
            # two levels (1.3) under the group it names (一、) is that group's row 3: t1/1.3.
            digits = re.findall(r"\d+", row.label) if row.label else [str(r)]
            if parent and len(digits) == 2 and parent.endswith(f"/{digits[0]}"):
                digits = digits[1:]
            number = ".".join(digits)
            path = unique(f"{parent}.{number}" if parent else f"t{k}/{number}")
            # Of two task columns (领域 | 重点任务), the later names the row.
            task = next((c.text for c in reversed(row.cells) if c.column.role == "task"), None)
            heading = task if task and len(task) <= 40 else None
            out.append(Provision(path, parent, 2 if parent else 1, row.label or None, heading, row.start, row.end,
                                 "table_row"))
            rows[path] = _Row(row.cells, table.groups[row.group].text if row.group is not None else None)
    return out, rows


def _document(
    doc: dict[str, Any], paged: PagedText, tables: tuple[RenderedTable, ...], codebook: list[TagDef],
    index: RegionIndex, edition: str, out: MeasureTables, counts: _Counts,
) -> None:
    doc_id, text = doc["doc_id"], paged.text
    reserved = [(t.start, t.end) for t in tables]
    provisions, stats = parse_provisions(text, _signatory_test(doc["region_code"], index), reserved)
    in_tables, rows = _table_provisions(tables)
    provisions = sorted(provisions + in_tables, key=lambda p: (p.char_start, p.depth))
    if not provisions:
        raise BuildError(f"{doc_id}: document has text but no provisions were found")
    counts.rejected.update(stats.rejected_labels)
    counts.gaps.update({f"{doc_id} {label}": n for label, n in stats.gaps.items()})
    counts.per_doc[doc_id] = len(provisions)
    report = counts.per_doc_report[doc_id] = {
        "tables": len(tables), "table_rows": len(rows), "closing_paragraphs": stats.closing_paragraphs,
        "links_by_role": Counter(), "agency_names_unresolved": Counter(),
    }
    doc_tags: dict[str, dict[str, str]] = {}  # measure_id -> tag_id -> evidence
    first_lead = FIRST_LEADS.search(text) is not None
    lead_mark = MARK_LEADS.search(text)
    parents = {p.path: p.parent_path for p in provisions}
    with_children = {p.parent_path for p in provisions if p.parent_path is not None}
    # A heading's own note (一、提升政务服务便利度（牵头单位：市行政审批服务局）) names who
    # takes each measure of its section in hand: its links go to those measures.
    sections: dict[str, Responsibilities] = {}
    # A note after a measure's last item: where it starts in the item, and its span for the measure.
    lifted = _closing_notes(provisions, text)
    notes = {parents[item.path]: (start, item.char_end) for item, start in lifted.values()}
    for p in provisions:
        mid = f"{doc_id}/{p.path}"
        body = text[p.char_start : p.char_end]
        if not body.strip() or (p.label is not None and not body.startswith(p.label)):
            raise BuildError(f"{mid}: offsets {p.char_start}:{p.char_end} do not slice back to its label {p.label!r}: {body[:30]!r}")
        out.measures.append(
            {
                "measure_id": mid,
                "doc_id": doc_id,
                "parent_id": f"{doc_id}/{p.parent_path}" if p.parent_path else None,
                "depth": p.depth,
                "label": p.label,
                "path": p.path,
                "kind": p.kind,
                "heading": p.heading,
                "text": body,
                "page_start": paged.page_at(p.char_start),
                "page_end": paged.page_at(p.char_end - 1),
                "char_start": p.char_start,
                "char_end": p.char_end,
            }
        )
        if p.kind in APPARATUS:
            # 发文字号, addressees, signatures, notes, attachment lists and
            # table headers name bodies and topics without being about them:
            # no tags, no responsibilities.
            continue
        row = rows.get(p.path)
        hits = focus_by_heading(tag_text(body, codebook), p.heading) if _has_own_content(p.kind, body) else []
        if row is not None and row.group is not None:
            # A row sits under its group heading (一、开办企业): the heading may
            # say what the row is about when the row's own words do not.
            own = {h.tag_id for h in hits}
            hits += [replace(h, evidence=f"group heading {row.group}: {h.evidence}")
                     for h in tag_text(row.group, codebook) if h.tag_id not in own]
        if _has_own_content(p.kind, body):
            doc_tags[mid] = {hit.tag_id: hit.evidence for hit in hits}
        if row is not None:
            for cell in row.cells:
                out.measure_cells.append({
                    "measure_id": mid, "position": cell.position, "column_name": cell.column.name,
                    "role": cell.column.role, "text": cell.text, "char_start": cell.start, "char_end": cell.end,
                })
            found = _cell_responsibilities(row.cells, doc["region_code"], index)
        else:
            own_end = lifted[p.path][1] if p.path in lifted else p.char_end
            found = find_responsibilities(text[p.char_start:own_end], doc["region_code"], index)
            if p.path in notes:
                note = find_responsibilities(text[slice(*notes[p.path])], doc["region_code"], index)
                found.links += note.links
                found.unresolved.update(note.unresolved)
                found.ignored.update(note.ignored)
        if first_lead:
            found = first_leads(found)
        if lead_mark is not None:
            found = marked_leads(found, lead_mark.group("mark"))
        named = _units_named(p, body, doc["region_code"], index) if p.path in with_children and not found.links else None
        if named is not None:
            sections[p.path] = named  # 一、省发展改革委（3项）: the group's rows are that unit's
        elif found.links and p.path in with_children and _HEADING_WITH_NOTE.fullmatch(body[len(p.label or ""):].strip()):
            sections[p.path] = found
            found = Responsibilities(unresolved=found.unresolved, ignored=found.ignored)
        else:
            section = next((sections[a] for a in _ancestors(p.parent_path, parents) if a in sections), None)
            if section is not None:
                # A measure's own note wins for the roles it names.
                own = {r.role for r in found.links}
                found.links[:0] = [r for r in section.links if r.role not in own]
        _responsibilities(mid, found, out, counts, report)
    # A column of the law a row rests on (设定依据, 政策依据) quotes it: its times are the law's.
    time_cells = [(c.start, c.end, "quote" if c.column.name.endswith("依据") else c.column.role)
                  for t in tables for r in t.rows for c in r.cells
                  if c.column.role in ("due", "limit", "note") or c.column.name.endswith("依据")]
    first_deadline = len(out.deadlines)
    _deadlines(doc, paged, [f"{doc_id}/{p.path}" for p in provisions], provisions, time_cells, edition, out, counts)
    # A stated target (到2025年…, 2023年培育100家…) is a goal that steers action:
    # the planning instrument, found by the deadline grammar rather than a phrase.
    for d in out.deadlines[first_deadline:]:
        if d["kind"] == "target" and d["measure_id"] in doc_tags:
            doc_tags[d["measure_id"]].setdefault(PLANNING_TAG, f"target {d['expression']}")
    doc_tag_counts: Counter[str] = Counter()
    for mid, found in doc_tags.items():
        for tag_id, evidence in sorted(found.items()):
            out.measure_tags.append({"measure_id": mid, "tag_id": tag_id, "evidence": evidence})
            doc_tag_counts[tag_id] += 1
    for tag_id, n in doc_tag_counts.items():
        out.document_tags.append({"doc_id": doc_id, "tag_id": tag_id, "measure_count": n})


# A note on a line of its own: 责任单位：…, （牵头单位：…）.
_NOTE_LINE = re.compile(r"\n(?=[（(]?(?:牵头|责任|主责|配合|协办|参与)(?:单位|部门)[：:])")
# An item's own note: labelled (责任单位：…), or roles in brackets (（市司法局负责）).
_OWN_NOTE = re.compile(r"(?:牵头|责任|主责|配合|协办|参与)(?:单位|部门)[：:]|[（(][^（）()]*(?:负责|牵头|配合|参与)[^（）()]*[）)]")


def _closing_notes(provisions: list[Provision], text: str) -> dict[str, tuple[Provision, int]]:
    """Items whose note belongs to the measure above them: item path → (item, offset where its note starts).

    A measure's items (5．… / （1）… （2）… （3）…) followed by a note on a line
    of its own (责任单位：…) print the note inside the last item's text, but it
    names who carries out the whole measure: when no other item of the measure
    has a note, the note's units are the measure's, not the last item's.
    """
    children: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.parent_path is not None and p.kind == "numbered":
            children.setdefault(p.parent_path, []).append(p)
    parents = {p.parent_path for p in provisions}
    out = {}
    for items in children.values():
        *others, last = items
        m = _NOTE_LINE.search(text, last.char_start, last.char_end)
        if (m and others and last.path not in parents
                and not any(_OWN_NOTE.search(text, o.char_start, o.char_end) for o in others)):
            out[last.path] = (last, m.end())
    return out


def _cell_responsibilities(cells: tuple[RenderedCell, ...], region_code: str, index: RegionIndex) -> Responsibilities:
    """The units of a row's unit columns, in the column's role; a remark naming the row's lead
    (备注: 牵头单位为X) makes X lead and the row's other responsible units cooperate."""
    found = _unit_cells(cells, region_code, index)
    remark = next(((c, m) for c in cells if c.column.role == "note" and (m := LEAD_REMARK.match(c.text))), None)
    if remark is None:
        return found
    cell, label = remark
    leads = split_units(cell.text[label.end():].rstrip("。；;"))
    links = [replace(r, role="lead" if r.name_raw in leads else "cooperating") if r.role == "responsible" else r
             for r in found.links]
    named = {r.name_raw for r in links}
    for name in leads:
        if name not in named:  # a lead the unit cell does not list
            _add_link(found, name, "lead", f"{cell.column.name}：{cell.text}", region_code, index)
            links.append(found.links[-1])
    return Responsibilities(links, found.unresolved, found.ignored)


def _unit_cells(cells: tuple[RenderedCell, ...], region_code: str, index: RegionIndex) -> Responsibilities:
    """The units of a row's unit columns, in the column's role."""
    found = Responsibilities()
    for cell in cells:
        if cell.column.role not in ("responsible", "lead", "cooperating"):
            continue
        if "：" in cell.text or ROLE_WORDS.search(cell.text):
            # A unit column may spell the roles out: 牵头单位：A；配合单位：B, or A牵头，B配合.
            listed = find_responsibilities(cell.text, region_code, index)
            found.links += listed.links
            found.unresolved.update(listed.unresolved)
            found.ignored.update(listed.ignored)
            continue
        # 市发展改革委（牵头） in a 责任单位 column leads, 市公安局（配合） cooperates. An unmarked
        # unit keeps the column's role, but one beside helpers is the unit they help: it leads.
        marks = [ROLE_MARKS.get(unit[-4:]) for unit in cell.units]
        unmarked = "lead" if cell.column.role == "responsible" and "cooperating" in marks else cell.column.role
        for unit, role_mark in zip(cell.units, marks):
            if (bare := unit_mark(unit)[1]) in GENERIC:  # 有关部门 names no one, in a cell as in running text
                found.ignored[bare] += 1
                continue
            role, name = (role_mark, unit[:-4]) if role_mark is not None else (unmarked, unit)
            _add_link(found, name, role, f"{cell.column.name}：{cell.text}", region_code, index)
    return found


def _add_link(found: Responsibilities, name: str, role: str, evidence: str, region_code: str,
              index: RegionIndex) -> None:
    """A unit named in a table, resolved (an unknown name is kept under the document's jurisdiction and counted);
    a mark before it (★) is kept apart, for a legend to explain."""
    mark, name = unit_mark(name)
    agency = resolve_unit(name, region_code, index)
    if agency.resolved_by == "document_jurisdiction":
        found.unresolved[name] += 1
    found.links.append(Responsibility(agency, role, evidence, name, mark))


# A group heading that is only units and how many rows they lead: 三、省自然资源厅、省住房城乡建设厅（2项）.
_TASK_COUNT = re.compile(r"[（(]\d+\s*项[）)]$")


def _units_named(p: Provision, body: str, region_code: str, index: RegionIndex) -> Responsibilities | None:
    """The units a group heading of a table consists of, as leads of its rows; None if it says more."""
    if p.kind != "heading" or not p.path.startswith("t"):
        return None
    units = split_units(_TASK_COUNT.sub("", body[len(p.label or ""):].strip()))
    if not units or not all(looks_like_unit(u, index) and u not in GENERIC for u in units):
        return None
    found = Responsibilities()
    for unit in units:
        _add_link(found, unit, "lead", f"group heading: {body}", region_code, index)
    return found


# A heading and a note, nothing else: 提升政务服务便利度（牵头单位：市行政审批服务局）.
_HEADING_WITH_NOTE = re.compile(r"[^。；;，,（(]{1,40}[（(][^（）()]+[）)]。?")


def _ancestors(path: str | None, parents: dict[str, str | None]) -> list[str]:
    """``path`` and the paths above it, nearest first."""
    out = []
    while path is not None:
        out.append(path)
        path = parents[path]
    return out


def _responsibilities(mid: str, found: Responsibilities, out: MeasureTables, counts: _Counts,
                      report: dict[str, Any]) -> None:
    counts.unresolved.update(found.unresolved)
    report["agency_names_unresolved"].update(found.unresolved)
    counts.ignored_mentions.update(found.ignored)
    seen = set()
    for r in found.links:
        aid = add_agency_row(out.agencies, r.agency)
        if (aid, r.role) not in seen:
            seen.add((aid, r.role))
            report["links_by_role"][r.role] += 1
            out.measure_agencies.append({"measure_id": mid, "agency_id": aid, "role": r.role, "evidence": r.evidence,
                                         "name_raw": r.name_raw})


# 自印发之日起施行: the text holding it takes effect the day it was signed.
_ON_ISSUE = re.compile(r"(?:印发|发布|公布|出台|下发)之日")


def _signed_after(text: str, pos: int, provisions: list[Provision]) -> dt.date | None:
    """The date of the first signature after ``pos``: the day the text holding ``pos`` was signed.

    Mostly the document's own; in a 转发 notice, the forwarded document's (its
    本通知自印发之日起施行 takes effect on its own date, not the forwarding one);
    an attachment after the signature has none after it (None: the issue date).
    """
    for p in provisions:
        if p.kind == "signature" and p.char_start >= pos:
            return day_of(clean(text[p.char_start:p.char_end].splitlines()[-1]))
    return None


def _deadlines(
    doc: dict[str, Any], paged: PagedText, ids: list[str], provisions: list[Provision],
    time_cells: list[tuple[int, int, str]], edition: str, out: MeasureTables, counts: _Counts,
) -> None:
    doc_id, text = doc["doc_id"], paged.text
    starts = [p.char_start for p in provisions]
    hits, skips = find_deadlines(text, doc["issued_on"], time_cells)
    issued = doc["issued_on"]
    for h in hits:
        if h.due_on is not None and not _plausible(h.due_on, issued, edition):
            raise BuildError(
                f"{doc_id}: deadline {h.expression!r} resolves to {h.due_on}, outside the plausible range "
                f"for a document issued {issued}"
            )
    # A date before the document was issued is a fact of the past (2022年底到期的阶段性政策), not a commitment.
    early = [h for h in hits if h.due_on is not None and issued is not None and h.due_on < issued]
    hits = [h for h in hits if h not in early]
    skips += [Skipped(h.expression, "before_issue_date", h.char_start, h.char_end) for h in early]
    for s in sorted(skips, key=lambda s: s.char_start):
        counts.skipped[s.reason] += 1
        if s.reason == "effective_date" and doc_id not in out.effective:
            out.effective[doc_id] = (s.expression, _signed_after(text, s.char_end, provisions) or s.date
                                     if _ON_ISSUE.search(s.expression) else s.date)
        if len(counts.skipped_examples) < _EXAMPLES * 5:
            counts.skipped_examples.append(
                {"doc_id": doc_id, "expression": s.expression, "reason": s.reason, "page": paged.page_at(s.char_start)}
            )
    for h in hits:
        i = bisect.bisect_right(starts, h.char_start) - 1
        if i < 0 or h.char_start >= provisions[i].char_end:
            raise BuildError(f"{doc_id}: deadline {h.expression!r} at offset {h.char_start} lies outside every provision")
        if re.sub(r"\s", "", text[h.char_start : h.char_end]) != h.expression:
            raise BuildError(f"{doc_id}: deadline offsets {h.char_start}:{h.char_end} do not slice back to {h.expression!r}")
        out.deadlines.append(
            {
                "deadline_id": f"{ids[i]}@{h.char_start}",
                "doc_id": doc_id,
                "measure_id": ids[i],
                "expression": h.expression,
                "kind": h.kind,
                "due_on": h.due_on,
                "precision": h.precision,
                "duration": h.duration,
                "anchor": h.anchor,
                "page": paged.page_at(h.char_start),
                "char_start": h.char_start,
                "char_end": h.char_end,
            }
        )


def _quality(documents: list[dict[str, Any]], out: MeasureTables, counts: _Counts, codebook: list[TagDef]) -> dict[str, Any]:
    with_text = [d["doc_id"] for d in documents if d["has_text"]]
    tagged = {r["measure_id"] for r in out.measure_tags}
    # Headings and titles name what others say; the provisions below them carry the tags.
    substantive = [m for m in out.measures if m["kind"] not in APPARATUS | {"heading", "title"}]
    schemes = Counter(r["tag_id"].split(":", 1)[0] for r in out.measure_tags)
    return {
        "measures": len(out.measures),
        "measures_per_document": dict(sorted(counts.per_doc.items())),
        "documents_with_text_but_no_measures": sorted(set(with_text) - set(counts.per_doc)),
        "labels_not_taken_as_provisions": dict(counts.rejected.most_common()),
        "labels_after_a_missing_number": dict(sorted(counts.gaps.items())),
        "deadlines": len(out.deadlines),
        "deadlines_by_kind": dict(sorted(Counter(d["kind"] for d in out.deadlines).items())),
        "deadlines_unresolved": sum(d["due_on"] is None for d in out.deadlines),
        "deadlines_unresolved_by_kind": dict(sorted(Counter(d["kind"] for d in out.deadlines if d["due_on"] is None).items())),
        "time_expressions_left_out": dict(sorted(counts.skipped.items())),
        "time_expressions_left_out_examples": counts.skipped_examples,
        "measure_agencies": len(out.measure_agencies),
        "measure_agencies_by_role": dict(sorted(Counter(r["role"] for r in out.measure_agencies).items())),
        "measure_cells": len(out.measure_cells),
        # Per document with text: its tables and rows, its responsibility links by
        # role, and the agency names no rule could place (kept under the document's
        # jurisdiction), each listed.
        "per_document": {
            doc_id: {
                "tables": r["tables"], "table_rows": r["table_rows"], "closing_paragraphs": r["closing_paragraphs"],
                "links_by_role": dict(sorted(r["links_by_role"].items())),
                "agency_names_unresolved": dict(sorted(r["agency_names_unresolved"].items())),
            }
            for doc_id, r in sorted(counts.per_doc_report.items())
        },
        "agency_mentions_unresolved": dict(counts.unresolved.most_common()),
        "agency_mentions_generic_ignored": dict(counts.ignored_mentions.most_common()),
        "measures_by_kind": dict(sorted(Counter(m["kind"] for m in out.measures).items())),
        "tag_coverage": {
            "measures_with_any_tag": len(tagged),
            "share_with_any_tag": round(len(tagged) / len(out.measures), 4) if out.measures else None,
            "substantive_measures": len(substantive),
            "substantive_with_any_tag": sum(m["measure_id"] in tagged for m in substantive),
            "substantive_untagged_examples": [m["measure_id"] for m in substantive if m["measure_id"] not in tagged][:_EXAMPLES],
            "measure_tags_by_scheme": dict(sorted(schemes.items())),
            "tags_never_used": sorted({t.tag_id for t in codebook} - {r["tag_id"] for r in out.measure_tags}),
        },
    }
