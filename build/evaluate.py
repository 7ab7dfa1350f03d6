"""Score built tables against a gold file written by hand (``tests/fixtures/*/gold.json``).

The gold format is the practice compilation's: per document (``"<province
heading>:<seq>"``) its metadata, provision labels, responsibility links
(``[label, [[agency as printed, role], …]]``), deadlines (``[expression,
value, kind]``) and effective dates. Provisions are matched by label: the
gold label is the label as printed, or, where numbering restarts under each
heading, the heading's label and the item's (``二、（三）``).

Entry point: :func:`score` (rows of a build → :class:`Score`); ``python -m
policydata_build.evaluate SOURCE GOLD`` prints it for a source file.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WS = re.compile(r"\s+")
# Roles the gold lists; reporting_to is scored separately where a gold file has it.
_GOLD_ROLES = ("lead", "responsible", "cooperating")


def _compact(text: str) -> str:
    return _WS.sub("", text)


@dataclass
class DocScore:
    key: str
    doc_id: str | None
    metadata_errors: list[str] = field(default_factory=list)
    provisions_gold: int = 0
    provisions_found: int = 0
    labels_missing: list[str] = field(default_factory=list)
    links_gold: int = 0
    links_found: int = 0
    links_right: int = 0
    links_missed: list[str] = field(default_factory=list)
    links_wrong: list[str] = field(default_factory=list)
    deadlines_gold: int = 0
    deadlines_found: int = 0
    deadlines_right: int = 0
    deadlines_missed: list[str] = field(default_factory=list)
    deadlines_extra: list[str] = field(default_factory=list)
    effective_errors: list[str] = field(default_factory=list)


@dataclass
class Score:
    docs: list[DocScore]

    def total(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.docs)

    @property
    def link_recall(self) -> float:
        return self.total("links_right") / max(1, self.total("links_gold"))

    @property
    def link_precision(self) -> float:
        return self.total("links_right") / max(1, self.total("links_found"))

    @property
    def deadline_recall(self) -> float:
        return self.total("deadlines_right") / max(1, self.total("deadlines_gold"))

    @property
    def deadline_precision(self) -> float:
        return self.total("deadlines_right") / max(1, self.total("deadlines_found"))

    def summary(self) -> str:
        lines = [f"responsibility: recall {self.link_recall:.1%}, precision {self.link_precision:.1%} "
                 f"({self.total('links_right')} right of {self.total('links_gold')} gold, {self.total('links_found')} found)",
                 f"deadlines: recall {self.deadline_recall:.1%}, precision {self.deadline_precision:.1%} "
                 f"({self.total('deadlines_right')} right of {self.total('deadlines_gold')} gold, "
                 f"{self.total('deadlines_found')} found)"]
        for d in self.docs:
            lines.append(f"{d.key} {d.doc_id}: provisions {d.provisions_found}/{d.provisions_gold}, links "
                         f"{d.links_right}/{d.links_gold} (found {d.links_found}), deadlines "
                         f"{d.deadlines_right}/{d.deadlines_gold} (found {d.deadlines_found})")
            for what in ("metadata_errors", "labels_missing", "links_missed", "links_wrong", "deadlines_missed",
                         "deadlines_extra", "effective_errors"):
                items = getattr(d, what)
                if items:
                    lines.append(f"  {what}: {'; '.join(items[:12])}{' …' if len(items) > 12 else ''}")
        return "\n".join(lines)


def _label_style(label: str) -> str:
    """The family of a printed label: 一、 （一） 1. （1） 第一条 … (its digits or numerals replaced;
    1、 and 一、 are two families)."""
    return re.sub(r"[零〇一二两三四五六七八九十百千]+", "一", re.sub(r"[0-9０-９]+", "1", label))


def _measure_labels(measures: list[dict[str, Any]]) -> dict[str, str]:
    """measure_id → label chain as printed (ancestors' labels, then its own)."""
    by_id = {m["measure_id"]: m for m in measures}
    chains = {}
    for m in measures:
        chain, cur = [], m
        while cur is not None:
            chain.append(cur["label"] or "")
            cur = by_id.get(cur["parent_id"]) if cur["parent_id"] else None
        chains[m["measure_id"]] = "".join(reversed(chain))
    return chains


# The gold files count operative measures only: not the items of a 保障措施 section
# (（一）加强组织领导 …), which the dataset keeps as provisions.
_SAFEGUARDS = re.compile(r"保障措施|组织保障|组织实施|保障机制")


def _operative(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``measures`` (in document order) without a 保障措施 heading and the provisions under it."""
    under: set[str] = set()
    for m in measures:
        if m["parent_id"] in under or (m["kind"] == "heading" and m["heading"] and _SAFEGUARDS.fullmatch(m["heading"])):
            under.add(m["measure_id"])
    return [m for m in measures if m["measure_id"] not in under]


# A gold label for a row of one of several tables that each number from 1: 附件2-3 is row 3
# of the document's second table.
_TABLE_ROW = re.compile(r"附件(\d+)-(\d+)")


def _find_measure(label: str, measures: list[dict[str, Any]], chains: dict[str, str]) -> str | None:
    row = _TABLE_ROW.fullmatch(label)
    if row:
        path = f"/t{row.group(1)}/{row.group(2)}"
        found = [m["measure_id"] for m in measures if m["kind"] == "table_row" and m["measure_id"].endswith(path)]
        return found[0] if len(found) == 1 else None
    exact = [m["measure_id"] for m in measures if m["label"] == label]
    if len(exact) == 1:
        return exact[0]
    suffix = [mid for mid, chain in chains.items() if chain.endswith(label)]
    if len(suffix) == 1:
        return suffix[0]
    # A row of a table without 序号 has no printed label: the gold names it by its task cell.
    named = [m["measure_id"] for m in measures if m["kind"] == "table_row" and m["label"] is None
             and m["heading"] is not None and _compact(m["heading"]) == label]
    return named[0] if len(named) == 1 else None


def _listed_owner(measures: list[dict[str, Any]], listed: set[str]) -> dict[str, str]:
    """measure_id → the provision the gold lists that holds it (itself, or its nearest listed
    ancestor); itself when none does.

    The gold counts the provisions a document numbers as its measures (第五条) and
    gives each its units; the dataset keeps the items inside one (第五条（一）…（三）,
    款 of an article) as provisions of their own, with the units each names. A unit
    found on such an item is found for the provision the gold lists.
    """
    by_id = {m["measure_id"]: m for m in measures}
    owner = {}
    for m in measures:
        cur = m
        while cur["measure_id"] not in listed and cur["parent_id"] in by_id:
            cur = by_id[cur["parent_id"]]
        owner[m["measure_id"]] = cur["measure_id"] if cur["measure_id"] in listed else m["measure_id"]
    return owner


def _deadline_value(d: dict[str, Any]) -> str:
    if d["kind"] == "ongoing":
        return "none"
    if d["kind"] in ("time_limit", "recurring") or d["due_on"] is None:
        return d["duration"] or "none"
    return d["due_on"].isoformat()


def score(rows: dict[str, list[dict[str, Any]]], gold: dict[str, Any]) -> Score:
    """Compare the rows of one build with a gold file's documents."""
    docs = rows["documents"]
    out = []
    for key, g in gold["docs"].items():
        group, seq = key.rsplit(":", 1)
        found = [d for d in docs if d["group_name"] == group and d["seq"] == int(seq)]
        doc = found[0] if len(found) == 1 else None
        s = DocScore(key, doc["doc_id"] if doc else None)
        out.append(s)
        if doc is None:
            s.metadata_errors.append("document not found")
            continue
        for name in ("page_start", "page_end", "doc_number", "region_code", "level"):
            if doc[name] != g[name]:
                s.metadata_errors.append(f"{name}: {doc[name]!r} != {g[name]!r}")
        if _compact(doc["title"]) != g["title"]:
            s.metadata_errors.append(f"title: {doc['title']!r}")
        if (doc["issued_on"].isoformat() if doc["issued_on"] else None) != g["issued_on"]:
            s.metadata_errors.append(f"issued_on: {doc['issued_on']}")
        signed = sorted({_compact(r["name_raw"]) for r in rows["document_agencies"]
                         if r["doc_id"] == doc["doc_id"] and r["source"] == "signature"})
        if signed != sorted(g["issuers"]):
            s.metadata_errors.append(f"issuers: {signed} != {sorted(g['issuers'])}")
        measures = _operative([m for m in rows["measures"] if m["doc_id"] == doc["doc_id"]])
        chains = _measure_labels(measures)
        numbered = [m for m in measures if m["label"] and m["kind"] in ("numbered", "heading", "table_row")]
        styles = Counter(("table_row" if m["kind"] == "table_row" else _label_style(m["label"])) for m in numbered)
        if styles:
            main = styles.most_common(1)[0][0]
            s.provisions_found = styles[main]
        s.provisions_gold = g["n_provisions"]
        s.labels_missing = [label for label in g["provision_labels"] if _find_measure(label, measures, chains) is None]

        doc_measures = {m["measure_id"] for m in measures}
        listed = {_find_measure(label, measures, chains) for label in g["provision_labels"]} - {None}
        owner = _listed_owner(measures, listed)
        ours = {(owner[ma["measure_id"]], _compact(ma["name_raw"]), ma["role"])
                for ma in rows["measure_agencies"] if ma["measure_id"] in doc_measures and ma["role"] in _GOLD_ROLES}
        s.links_found = len(ours)
        matched = set()
        for label, links in g["responsibility"]:
            mid = _find_measure(label, measures, chains)
            for agency, role in links:
                s.links_gold += 1
                hit = next((o for o in ours if o[0] == mid and o[2] == role and o not in matched
                            and o[1] == _compact(agency)), None)
                if hit is None:
                    s.links_missed.append(f"{label} {agency} {role}")
                else:
                    matched.add(hit)
                    s.links_right += 1
        s.links_wrong = [f"{chains[m]} {a} {r}" for m, a, r in sorted(ours - matched)]

        deadlines = sorted((d for d in rows["deadlines"] if d["doc_id"] == doc["doc_id"]), key=lambda d: d["char_start"])
        s.deadlines_found = len(deadlines)
        used: set[int] = set()
        for expr, value, kind in g["deadlines"]:
            s.deadlines_gold += 1
            hit = next((i for i, d in enumerate(deadlines) if i not in used and d["expression"] == expr
                        and _deadline_value(d) == value), None)
            if hit is None:
                s.deadlines_missed.append(f"{expr}={value}")
            else:
                used.add(hit)
                s.deadlines_right += 1
        s.deadlines_extra = [f"{d['expression']}={_deadline_value(d)}" for i, d in enumerate(deadlines) if i not in used]
        effective = [(doc["effective_raw"], doc["effective_on"].isoformat() if doc["effective_on"] else None)]
        for expr, day in g["effective"]:
            if (expr, day) not in effective:
                s.effective_errors.append(f"{expr}={day}, found {effective}")
    return Score(out)


def main(argv: list[str] | None = None) -> int:
    import json

    from .pages import read_source
    from .pipeline import build_tables

    source, gold = (argv if argv is not None else sys.argv[1:])
    rows = build_tables(read_source(Path(source)))[0]
    print(score(rows, json.loads(Path(gold).read_text(encoding="utf-8"))).summary())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
