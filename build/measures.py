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
from dataclasses import dataclass, field
from typing import Any

from .agencies import add_agency_row, split_issuers
from .deadlines import find_deadlines
from .errors import BuildError
from .provisions import Provision, parse_provisions
from .regions import RegionIndex, province_of
from .repair import PagedText
from .responsibility import find_responsibilities
from .tags import TagDef, tag_text

# A resolved date earlier than this before the issue date, or later than this
# after it, is a parsing error, not a policy (targets reach 2035, 2050 at most).
PLAUSIBLE_BEFORE = dt.timedelta(days=366)
PLAUSIBLE_AFTER_YEARS = 30  # to the end of that year
_EXAMPLES = 20
APPARATUS = frozenset({"document_number", "addressee", "signature", "note"})


@dataclass
class MeasureTables:
    measures: list[dict[str, Any]] = field(default_factory=list)
    measure_agencies: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    measure_tags: list[dict[str, Any]] = field(default_factory=list)
    document_tags: list[dict[str, Any]] = field(default_factory=list)
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)  # agencies first seen in provisions
    quality: dict[str, Any] = field(default_factory=dict)


def _plausible(due: dt.date, issued: dt.date | None, edition: str) -> bool:
    base = issued or dt.date(int(edition), 1, 1)
    # The last day of the year thirty years on: no 29 February to trip over.
    return base - PLAUSIBLE_BEFORE <= due <= dt.date(base.year + PLAUSIBLE_AFTER_YEARS, 12, 31)


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


def build_measures(
    documents: list[dict[str, Any]],
    texts: dict[str, PagedText],
    codebook: list[TagDef],
    index: RegionIndex,
    edition: str,
) -> MeasureTables:
    """Provision, tag, responsibility and deadline rows of every document with text."""
    out = MeasureTables()
    counts = _Counts()
    for doc in documents:
        if doc["has_text"]:
            _document(doc, texts[doc["doc_id"]], codebook, index, edition, out, counts)
    out.quality = _quality(documents, out, counts, codebook)
    return out


def _document(
    doc: dict[str, Any], paged: PagedText, codebook: list[TagDef], index: RegionIndex, edition: str,
    out: MeasureTables, counts: _Counts,
) -> None:
    doc_id, text = doc["doc_id"], paged.text
    provisions, stats = parse_provisions(text, _signatory_test(doc["region_code"], index))
    if not provisions:
        raise BuildError(f"{doc_id}: document has text but no provisions were found")
    counts.rejected.update(stats.rejected_labels)
    counts.gaps.update({f"{doc_id} {label}": n for label, n in stats.gaps.items()})
    counts.per_doc[doc_id] = len(provisions)
    doc_tag_counts: Counter[str] = Counter()
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
            # 发文字号, addressees, signatures and notes name bodies and
            # topics without being about them: no tags, no responsibilities.
            continue
        for hit in tag_text(body, codebook):
            out.measure_tags.append({"measure_id": mid, "tag_id": hit.tag_id, "evidence": hit.evidence})
            doc_tag_counts[hit.tag_id] += 1
        _responsibilities(mid, body, doc["region_code"], index, out, counts)
    for tag_id, n in doc_tag_counts.items():
        out.document_tags.append({"doc_id": doc_id, "tag_id": tag_id, "measure_count": n})
    _deadlines(doc, paged, [f"{doc_id}/{p.path}" for p in provisions], provisions, edition, out, counts)


def _responsibilities(mid: str, body: str, region_code: str, index: RegionIndex, out: MeasureTables, counts: _Counts) -> None:
    found = find_responsibilities(body, region_code, index)
    counts.unresolved.update(found.unresolved)
    counts.ignored_mentions.update(found.ignored)
    seen = set()
    for r in found.links:
        aid = add_agency_row(out.agencies, r.agency)
        if (aid, r.role) not in seen:
            seen.add((aid, r.role))
            out.measure_agencies.append({"measure_id": mid, "agency_id": aid, "role": r.role, "evidence": r.evidence})


def _deadlines(
    doc: dict[str, Any], paged: PagedText, ids: list[str], provisions: list[Provision], edition: str,
    out: MeasureTables, counts: _Counts,
) -> None:
    doc_id, text = doc["doc_id"], paged.text
    starts = [p.char_start for p in provisions]
    hits, skips = find_deadlines(text, doc["issued_on"])
    for s in skips:
        counts.skipped[s.reason] += 1
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
        if h.due_on is not None and not _plausible(h.due_on, doc["issued_on"], edition):
            raise BuildError(
                f"{doc_id}: deadline {h.expression!r} resolves to {h.due_on}, outside the plausible range "
                f"for a document issued {doc['issued_on']}"
            )
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
    # Headings say what their sub-provisions are about; the sub-provisions carry the tags.
    substantive = [m for m in out.measures if m["kind"] not in APPARATUS | {"heading"}]
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
