"""Step 7: score the build against the gold sample checked by hand, and hold it to its floors.

The gold sample (``tests/gold/``, shipped as the package ``policydata_gold``)
was written by reading the national documents of the bundled source, never
the parser's output. Each file covers whole documents:

- ``national_provisions.json``: every block of 7 documents, by its first and
  last ten characters;
- ``national_deadlines.json``: every time expression of 7 documents, with the
  kind and values it should get, including expressions that are no deadline
  (kind ``none``);
- ``national_responsibility.json``: every (unit, role) link of 5 documents;
- ``national_tags_*.json``: for a stratified sample of provisions, every tag of
  the codebook decided yes or no.

Entry points: :func:`evaluate` (rows of a build → the ``accuracy`` section of
``quality.json``) and :func:`below_floors` (that section → the figures under
their floors in ``build/data/quality_floors.json``). A source that holds no
gold document (a test fixture, another compilation) is not held to the
floors; one that holds any is, and a gold row whose words it lacks counts as
missed and is listed (``gold_rows_not_in_source``).

Example: the bundled source scored against the bundled gold.

    >>> from policydata_build.pipeline import build_tables
    >>> from policydata_build.pages import read_source
    >>> from policydata_build import BUNDLED_SOURCE
    >>> acc = build_tables(read_source(BUNDLED_SOURCE))[1]["accuracy"]
    >>> acc["complete"], below_floors(acc)
    (True, [])
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import policydata_gold

GOLD_DIR = Path(policydata_gold.__file__).parent
FLOORS_PATH = Path(__file__).parent / "data" / "quality_floors.json"
_WS = re.compile(r"\s+")
_EXAMPLES = 40  # errors listed per table; all of them for tags, which are few per tag
_LINK_ROLES = ("lead", "responsible", "cooperating", "reporting_to")


# The repair step prints ASCII brackets and colons full-width and 发文字号
# brackets as 〔〕; gold quotes are
# copied from the source as printed. One character for one, so offsets hold.
_SAME_MARKS = str.maketrans("():;,﹝﹞［］[]", "（）：；，〔〕〔〕〔〕")


def _compact(text: str) -> str:
    return _WS.sub("", text).translate(_SAME_MARKS)


@dataclass
class PR:
    """Counts of one comparison: right, wrongly produced, missed."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"precision": _ratio(self.tp, self.tp + self.fp), "recall": _ratio(self.tp, self.tp + self.fn),
                "right": self.tp, "wrong": self.fp, "missed": self.fn}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


@dataclass
class _Doc:
    """A built document's text without whitespace, and where each character came from."""

    doc_id: str
    compact: str
    where: list[int]
    measures: list[dict[str, Any]]

    @classmethod
    def of(cls, doc: dict[str, Any], measures: list[dict[str, Any]]) -> _Doc:
        text = doc["text"]
        where = [i for i, ch in enumerate(text) if not ch.isspace()]
        return cls(doc["doc_id"], "".join(text[i] for i in where).translate(_SAME_MARKS), where, measures)

    def to_compact(self, offset: int) -> int:
        return bisect_left(self.where, offset)

    def find(self, quote: str, page: int | None = None) -> int | None:
        """Compact offset of a gold quote (on the given page when printed more than once); None if absent."""
        hits = [m.start() for m in re.finditer(re.escape(quote), self.compact)]
        if not hits:
            return None
        if page is not None and len(hits) > 1:
            hits = [h for h in hits if any(m["page_start"] <= page <= m["page_end"] for m in self.holders(h))]
            if not hits:
                raise GoldError(f"{self.doc_id}: gold quote {quote!r} is printed more than once, never on page {page}")
        return hits[0]

    def holders(self, compact_at: int) -> list[dict[str, Any]]:
        """Measures whose span holds a compact offset, outermost first."""
        at = self.where[compact_at]
        held = [m for m in self.measures if m["char_start"] <= at < m["char_end"]]
        return sorted(held, key=lambda m: (m["char_start"], -m["char_end"]))


class GoldError(ValueError):
    """A gold file that does not fit the source it is scored against."""


def load_gold(gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """The gold files by name (``provisions``, ``deadlines``, ``responsibility``, ``tags``)."""
    def read(name: str) -> Any:
        return json.loads((gold_dir / name).read_text(encoding="utf-8"))

    def marks(rows: Iterable[dict[str, Any]], *names: str) -> None:
        for row in rows:
            for name in names:
                if row[name] is not None:
                    row[name] = _compact(row[name])

    provisions = read("national_provisions.json")["documents"]
    deadlines: dict[str, Any] = {}
    for name in sorted(p.name for p in gold_dir.glob("national_deadlines*.json")):
        for doc_id, doc in read(name)["documents"].items():
            if doc_id in deadlines:
                raise GoldError(f"{name}: document {doc_id} is in another deadlines gold file too")
            deadlines[doc_id] = doc
    responsibility = read("national_responsibility.json")["documents"]
    tags = [p for name in sorted(p.name for p in gold_dir.glob("national_tags_*.json")) for p in read(name)["provisions"]]
    for doc in provisions.values():
        marks(doc["provisions"], "first", "last")
    for doc in deadlines.values():
        marks(doc["expressions"], "quote", "expression", "anchor")
    for links in responsibility.values():
        marks(links, "quote", "agency")
    marks(tags, "quote")
    return {
        "provisions": provisions,
        "deadlines": deadlines,
        "responsibility": responsibility,
        "tags": tags,
        "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in sorted(gold_dir.glob("national_*.json"))},
    }


def evaluate(rows: dict[str, list[dict[str, Any]]], gold: dict[str, Any] | None = None) -> dict[str, Any]:
    """Precision and recall of provisions, deadlines, responsible units and tags on the gold sample."""
    gold = load_gold() if gold is None else gold
    wanted = sorted(set(gold["provisions"]) | set(gold["deadlines"]) | set(gold["responsibility"])
                    | {p["doc"] for p in gold["tags"]})
    with_text = {d["doc_id"]: d for d in rows["documents"] if d["has_text"] and d["doc_id"] in wanted}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in rows["measures"]:
        if m["doc_id"] in with_text:
            by_doc[m["doc_id"]].append(m)
    docs = {doc_id: _Doc.of(d, by_doc[doc_id]) for doc_id, d in with_text.items()}
    missing = [d for d in wanted if d not in docs]
    unlocated: list[str] = []  # gold rows whose words this source does not hold
    if len(missing) < len(wanted):
        # The source holds gold documents, so it is held to the floors: a gold
        # document it lacks (its body not found) has all its rows missed.
        docs.update({doc_id: _Doc(doc_id, "", [], []) for doc_id in missing})
    scores = {
        "provisions": _provisions(gold["provisions"], docs),
        "deadlines": _deadlines(gold["deadlines"], docs, rows["deadlines"], unlocated),
        "responsibility": _responsibility(gold["responsibility"], docs, rows["measure_agencies"], unlocated),
        "tags": _tags(gold["tags"], docs, rows["measure_tags"], [t["tag_id"] for t in rows["tags"]], unlocated),
    }
    return {
        "gold_files": gold["files"],
        "gold_documents": wanted,
        "gold_documents_missing": missing,
        "gold_rows_not_in_source": unlocated,
        "complete": not missing and not unlocated,
        **scores,
    }


# ---------------------------------------------------------------- provisions
def _provisions(gold: dict[str, Any], docs: dict[str, _Doc]) -> dict[str, Any]:
    """Blocks matched in order by their first ten characters (two blocks may open alike)."""
    present, exact, kinds = PR(), PR(), PR()
    errors: list[str] = []
    scored = [d for d in gold if d in docs]
    for doc_id in scored:
        built = sorted(docs[doc_id].measures, key=lambda m: m["char_start"])
        ends = [(_compact(m["text"])[:10], _compact(m["text"])[-10:]) for m in built]
        matched: set[int] = set()
        exact_ones: set[int] = set()
        at = 0
        for g in gold[doc_id]["provisions"]:
            i = next((k for k in range(at, len(built)) if ends[k][0] == g["first"]), None)
            if i is None:
                present.fn += 1
                exact.fn += 1
                errors.append(f"{doc_id} p.{g['page']} missed {g['kind']} {g['first']}…{g['last']}")
                continue
            at = i + 1
            matched.add(i)
            m = built[i]
            present.tp += 1
            if ends[i][1] == g["last"]:
                exact.tp += 1
                exact_ones.add(i)
            else:
                exact.fn += 1
                errors.append(f"{m['measure_id']} ends …{ends[i][1]}, gold …{g['last']}")
            if m["kind"] == g["kind"]:
                kinds.tp += 1
            else:
                kinds.fp += 1
                errors.append(f"{m['measure_id']} is {m['kind']}, gold {g['kind']}")
        for i, m in enumerate(built):
            if i not in matched:
                present.fp += 1
                errors.append(f"{m['measure_id']} ({m['kind']} {ends[i][0]}…) is not a block of the gold")
            if i not in exact_ones:
                exact.fp += 1
    return {"documents": scored, "gold_blocks": present.tp + present.fn, "present": present.as_dict(),
            "exact_boundaries": exact.as_dict(), "kind_agreement": _ratio(kinds.tp, kinds.tp + kinds.fp),
            "errors": errors[:_EXAMPLES], "errors_total": len(errors)}


# ---------------------------------------------------------------- deadlines
def _same_anchor(built: str | None, gold: str | None) -> bool:
    """Anchors agree when one is the other with words left out, keeping its head noun
    (收到申请 / 收到…完整的申请: the build cuts a long anchor to verb and head noun)."""
    if built is None or gold is None:
        return built is gold
    a, b = _compact(built).replace("…", ""), _compact(gold).replace("…", "")
    short, long_ = sorted((a, b), key=len)
    rest = iter(long_)
    return len(short) >= 2 and short[-2:] == long_[-2:] and all(ch in rest for ch in short)


# The fields that make a deadline's value, by kind: a relative limit or a
# repeated duty is its duration and what it counts from (a date computed from
# the issue day follows from those); the rest are their date.
_DATE_FIELDS = ("due_on", "precision", "duration")
_VALUE_FIELDS = {"time_limit": ("duration", "anchor"), "recurring": ("duration",), "ongoing": (),
                 "due_by": _DATE_FIELDS, "target": _DATE_FIELDS, "valid_until": _DATE_FIELDS}


def _deadline_fields(built: dict[str, Any], g: dict[str, Any]) -> list[str]:
    """The fields of a built deadline that differ from its gold row: kind first, then its value."""
    if built["kind"] != g["kind"]:
        return ["kind"]
    wrong = []
    for name in _VALUE_FIELDS[g["kind"]]:
        ours = _field(built, name)
        if name == "anchor" and not _same_anchor(ours, g[name]) or name != "anchor" and ours != g[name]:
            wrong.append(name)
    return wrong


def _deadlines(gold: dict[str, Any], docs: dict[str, _Doc], deadlines: list[dict[str, Any]],
               unlocated: list[str]) -> dict[str, Any]:
    """Each commitment of the gold takes the built deadline overlapping it that agrees best
    (in every field, else in kind, else by most overlap), whatever the order of either list;
    then expressions that are no commitment, or ambiguous, take what still overlaps them."""
    found, kind, value = PR(), PR(), PR()
    errors: list[str] = []
    confusion: dict[str, int] = defaultdict(int)
    ambiguous = 0
    scored = [d for d in gold if d in docs]
    for doc_id in scored:
        doc = docs[doc_id]
        built = sorted(((doc.to_compact(d["char_start"]), doc.to_compact(d["char_end"] - 1) + 1, d)
                        for d in deadlines if d["doc_id"] == doc_id), key=lambda b: (b[0], b[1]))
        used: set[str] = set()
        located: list[tuple[int, int, dict[str, Any]]] = []
        for g in gold[doc_id]["expressions"]:
            inner = g["quote"].find(g["expression"])
            if inner < 0:
                raise GoldError(f"{doc_id}: gold expression {g['expression']!r} not in its quote {g['quote']!r}")
            at = doc.find(g["quote"], g["page"])
            if at is None:
                unlocated.append(f"deadlines {doc_id} p.{g['page']}: {g['quote'][:30]}")
                if g["kind"] != "none" and not _doubtful(g):
                    for pr in (found, kind, value):
                        pr.fn += 1
                continue
            located.append((at + inner, at + inner + len(g["expression"]), g))

        def overlapping(start: int, end: int) -> list[tuple[int, dict[str, Any]]]:
            return [(min(e, end) - max(s, start), d) for s, e, d in built
                    if s < end and start < e and d["deadline_id"] not in used]

        commitments = [x for x in located if x[2]["kind"] != "none" and not _doubtful(x[2])]
        for start, end, g in sorted(commitments, key=lambda x: (x[0], x[1])):
            hits = overlapping(start, end)
            if not hits:
                for pr in (found, kind, value):
                    pr.fn += 1
                confusion[f"{g['kind']}→missed"] += 1
                errors.append(f"{doc_id} p.{g['page']} missed {g['expression']} ({g['kind']}) in {g['quote'][:30]}")
                continue
            overlap, d = min(hits, key=lambda h: (len(_deadline_fields(h[1], g)), "kind" in _deadline_fields(h[1], g),
                                                  -h[0], h[1]["char_start"]))
            used.add(d["deadline_id"])
            found.tp += 1
            wrong = _deadline_fields(d, g)
            confusion[f"{g['kind']}→{d['kind']}"] += 1
            if "kind" in wrong:
                kind.fp += 1
                kind.fn += 1
            else:
                kind.tp += 1
            if wrong:
                value.fp += 1
                value.fn += 1
                errors.append(f"{d['deadline_id']} {d['expression']}: "
                              + ", ".join(f"{w} {_field(d, w)!r} (gold {g[w]!r})" for w in wrong))
            else:
                value.tp += 1
        for start, end, g in located:
            if _doubtful(g):
                # Either answer is defensible: neither found nor missed, and
                # whatever the build extracted there is not held against it.
                ambiguous += 1
                used.update(d["deadline_id"] for _, d in overlapping(start, end))
        for start, end, g in located:
            if g["kind"] == "none" and not _doubtful(g):
                for _, d in overlapping(start, end):  # not a commitment, yet extracted
                    used.add(d["deadline_id"])
                    for pr in (found, kind, value):
                        pr.fp += 1
                    confusion[f"none→{d['kind']}"] += 1
                    errors.append(f"{d['deadline_id']} {d['expression']} is {d['kind']}, gold: no deadline"
                                  + (f" ({g['why']})" if "why" in g else ""))
        for _, _, d in built:
            if d["deadline_id"] not in used:
                for pr in (found, kind, value):
                    pr.fp += 1
                confusion[f"not in gold→{d['kind']}"] += 1
                errors.append(f"{d['deadline_id']} {d['expression']} ({d['kind']}) is not a time expression of the gold")
    return {"documents": scored, "gold_expressions": found.tp + found.fn, "ambiguous_not_scored": ambiguous,
            "found": found.as_dict(), "kind": kind.as_dict(), "all_fields": value.as_dict(),
            "confusion": dict(sorted(confusion.items())), "errors": errors[:_EXAMPLES], "errors_total": len(errors)}


def _doubtful(g: dict[str, Any]) -> bool:
    """Whether the coder marked a gold time expression ambiguous (an optional field)."""
    return "ambiguous" in g and bool(g["ambiguous"])


def _field(d: dict[str, Any], name: str) -> Any:
    value = d[name]
    return value.isoformat() if hasattr(value, "isoformat") else value


# ---------------------------------------------------------------- responsibility
def _responsibility(gold: dict[str, Any], docs: dict[str, _Doc], links: list[dict[str, Any]],
                    unlocated: list[str]) -> dict[str, Any]:
    agency, role = PR(), PR()
    errors: list[str] = []
    scored = [d for d in gold if d in docs]
    for doc_id in scored:
        doc = docs[doc_id]
        ids = {m["measure_id"] for m in doc.measures}
        ours = [(ma["measure_id"], _compact(ma["name_raw"]), ma["role"]) for ma in links
                if ma["measure_id"] in ids and ma["role"] in _LINK_ROLES]
        left = list(ours)
        expected: list[tuple[set[str], str, str, str]] = []
        for g in gold[doc_id]:
            at = doc.find(g["quote"], g["page"])
            if at is None:
                unlocated.append(f"responsibility {doc_id} p.{g['page']}: {g['quote'][:30]}")
                agency.fn += 1
                role.fn += 1
                continue
            name = _compact(g["agency"])
            # The agency's place in the quote: its first characters, or its last
            # where a quote starts inside a name broken over two lines.
            inner = g["quote"].find(name[:2]) if name[:2] in g["quote"] else g["quote"].find(name[-2:])
            if inner < 0:
                raise GoldError(f"{doc_id}: gold agency {g['agency']!r} is not in its quote {g['quote']!r}")
            holders = {m["measure_id"] for m in doc.holders(at + inner)}
            expected.append((holders, name, g["role"], g["quote"]))
        # Right agency and role first, so a link is not spent on a looser match.
        unmatched = []
        for holders, name, r, quote in expected:
            hit = next((o for o in left if o[0] in holders and o[1] == name and o[2] == r), None)
            if hit is None:
                unmatched.append((holders, name, r, quote))
                continue
            left.remove(hit)
            agency.tp += 1
            role.tp += 1
        for holders, name, r, quote in unmatched:
            hit = next((o for o in left if o[0] in holders and o[1] == name), None)
            role.fn += 1
            if hit is None:
                agency.fn += 1
                errors.append(f"{doc_id} missed {name} ({r}) in {quote[:30]}")
                continue
            left.remove(hit)
            agency.tp += 1
            role.fp += 1
            errors.append(f"{hit[0]} {name} is {hit[2]}, gold {r}")
        for mid, name, r in left:
            agency.fp += 1
            role.fp += 1
            errors.append(f"{mid} {name} ({r}) is not a link of the gold")
    return {"documents": scored, "gold_links": role.tp + role.fn, "agency": agency.as_dict(),
            "agency_and_role": role.as_dict(), "errors": errors[:_EXAMPLES], "errors_total": len(errors)}


# ---------------------------------------------------------------- tags
@dataclass
class _TagTally:
    pr: PR = field(default_factory=PR)
    errors: list[str] = field(default_factory=list)


def _tags(gold: list[dict[str, Any]], docs: dict[str, _Doc], measure_tags: list[dict[str, Any]],
          tag_ids: Iterable[str], unlocated: list[str]) -> dict[str, Any]:
    tag_ids = list(tag_ids)
    ours: dict[str, dict[str, str]] = defaultdict(dict)
    for t in measure_tags:
        ours[t["measure_id"]][t["tag_id"]] = t["evidence"]
    per_tag = {t: _TagTally() for t in tag_ids}
    decisions = ambiguous = 0
    strata: dict[str, int] = defaultdict(int)
    # A provision two coders sampled is scored once: where they disagree, the
    # decision is ambiguous (and counted as a disagreement).
    sampled: dict[str, tuple[set[str], set[str], dict[str, str]]] = {}
    disagreements = 0
    for g in gold:
        if g["doc"] not in docs:
            continue
        doc = docs[g["doc"]]
        want = {t for scheme in g["tags"].values() for t in scheme}
        unknown = want - set(tag_ids)
        if unknown:
            raise GoldError(f"{g['doc']}: gold tags not in the codebook: {sorted(unknown)}")
        doubtful = set(g["ambiguous"]) if "ambiguous" in g else set()
        at = doc.find(g["quote"], g["page"])
        holders = doc.holders(at) if at is not None else []
        if not holders:
            unlocated.append(f"tags {g['doc']} p.{g['page']}: {g['quote'][:30]}")
            for tag in want - doubtful:  # its yes decisions are missed
                per_tag[tag].pr.fn += 1
                per_tag[tag].errors.append(f"{g['doc']} p.{g['page']}: provision not found")
            continue
        mid = holders[-1]["measure_id"]  # the innermost provision holding the quote
        strata[g["stratum"]] += 1
        why = g["why"] if "why" in g else {}
        if mid in sampled:
            first_want, first_doubt, first_why = sampled[mid]
            differ = (want ^ first_want) - doubtful - first_doubt
            disagreements += len(differ)
            sampled[mid] = (want & first_want, doubtful | first_doubt | differ, {**why, **first_why})
        else:
            sampled[mid] = (want, doubtful, why)
    provisions = list(sampled)
    for mid, (want, doubtful, why) in sampled.items():
        got = ours.get(mid, {})
        for tag in tag_ids:
            decisions += 1
            if tag in doubtful:
                ambiguous += 1
                continue
            tally = per_tag[tag]
            if tag in want and tag in got:
                tally.pr.tp += 1
            elif tag in got:
                tally.pr.fp += 1
                tally.errors.append(f"{mid} wrongly tagged by {got[tag]!r}" + (f": {why[tag]}" if tag in why else ""))
            elif tag in want:
                tally.pr.fn += 1
                tally.errors.append(f"{mid} missed" + (f": {why[tag]}" if tag in why else ""))
    by_scheme: dict[str, PR] = defaultdict(PR)
    total = PR()
    for tag, tally in per_tag.items():
        for pr in (by_scheme[tag.split(":", 1)[0]], total):
            pr.tp += tally.pr.tp
            pr.fp += tally.pr.fp
            pr.fn += tally.pr.fn
    return {
        "provisions": len(provisions), "strata": dict(sorted(strata.items())),
        "sampled_twice": sum(strata.values()) - len(provisions), "coder_disagreements": disagreements,
        "decisions": decisions, "ambiguous_not_scored": ambiguous,
        "all": total.as_dict(),
        "by_scheme": {s: pr.as_dict() for s, pr in sorted(by_scheme.items())},
        "by_tag": {t: {**tally.pr.as_dict(), "errors": tally.errors} for t, tally in per_tag.items()},
    }


# A tag is trusted only on evidence: enough of its links in the sample, and most of them right.
EXPERIMENTAL_MIN_LINKS = 5
EXPERIMENTAL_BELOW = 0.80


def is_experimental(scored: dict[str, Any]) -> bool:
    """Whether a tag's figures on the sample (``accuracy.tags.by_tag[tag]``) fall short of trust.

    >>> is_experimental({"right": 9, "wrong": 1}), is_experimental({"right": 3, "wrong": 0})
    (False, True)
    """
    links = scored["right"] + scored["wrong"]
    return links < EXPERIMENTAL_MIN_LINKS or scored["right"] / links < EXPERIMENTAL_BELOW


# ---------------------------------------------------------------- floors
def load_floors(path: Path = FLOORS_PATH) -> dict[str, float]:
    """Figure (dotted path into the accuracy section) → the least it may be."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    floors = raw["floors"]
    for name, value in floors.items():
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"{path}: floor {name!r} must be a share between 0 and 1, found {value!r}")
    return floors


def figure(accuracy: dict[str, Any], name: str) -> float | None:
    """The value of a dotted figure name: ``figure(acc, "deadlines.kind.precision")``."""
    value: Any = accuracy
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"no figure {name!r} in the accuracy report (stops at {part!r})")
        value = value[part]
    return value


def below_floors(accuracy: dict[str, Any], floors: dict[str, float] | None = None) -> list[str]:
    """The figures under their floors, one line each; none when no gold document is in the source.

    Gold rows whose words a source lacks count as missed, so a source that
    lost text (or a change that lost it) falls below the floors instead of
    escaping them."""
    if len(accuracy["gold_documents_missing"]) == len(accuracy["gold_documents"]):
        return []
    floors = load_floors() if floors is None else floors
    out = []
    for name, floor in floors.items():
        value = figure(accuracy, name)
        if value is None or value < floor:
            out.append(f"{name} is {value}, below its floor {floor}")
    return out
