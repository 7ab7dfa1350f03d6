"""Choose and record the measure_links threshold on the hand-labelled sample.

    python -m policydata_build.link_eval            # rewrite build/data/links.json
    python -m policydata_build.link_eval --check    # exit 1 if it is not current

The sample is ``tests/fixtures/links/gold.json``: pairs of a provision and a
national provision, each labelled by hand as a restatement or not (half of
them hard negatives on the same topic), on a compilation in the source's
format whose national pages are cut from the real source. The fixture is
built, every provision is linked with no threshold, and for each candidate
threshold a labelled pair counts as predicted when the national provision is
among the provision's ``top_k`` links at or above it. The threshold is the
lowest at which precision on the sample reaches the target; pairs the labeller
marked ambiguous are not scored.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .links import METHOD, LinkSettings, build_links

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "links"
SETTINGS = Path(__file__).parent / "data" / "links.json"
TOP_K = 5
TARGET_PRECISION = 0.9


def _measure_ids(rows: dict[str, list[dict[str, Any]]], gold: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """(doc key, label, quote) of every gold provision -> its measure_id in the built rows."""
    docs = {(d["section"], d["group_name"], d["seq"]): d["doc_id"] for d in rows["documents"]}
    out = {}
    for key, doc in gold["docs"].items():
        doc_id = docs[(doc["section"], doc["group"], doc["seq"])]
        measures = [m for m in rows["measures"] if m["doc_id"] == doc_id]
        for p in doc["provisions"]:
            quote = re.sub(r"\s", "", p["quote"])
            found = [m for m in measures if m["label"] == p["label"] and quote in re.sub(r"\s", "", m["text"])]
            if len(found) != 1:
                raise ValueError(f"gold provision {key} {p['label']} {p['quote']!r} matches {len(found)} measures")
            out[(key, p["label"], p["quote"])] = found[0]["measure_id"]
    return out


def evaluate() -> dict[str, Any]:
    from .pages import read_source
    from .pipeline import build_tables

    gold = json.loads((SAMPLE / "gold.json").read_text(encoding="utf-8"))
    rows, _, _ = build_tables(read_source(SAMPLE / "compilation.txt"))
    ids = _measure_ids(rows, gold)
    links = build_links(rows["documents"], rows["measures"], rows["references"], LinkSettings(0.0, TOP_K))
    score = {(r["measure_id"], r["national_measure_id"]): r["score"] for r in links}
    pairs = []
    for pair in gold["links"]:
        source = ids[(pair["source"]["doc"], pair["source"]["label"], pair["source"]["quote"])]
        target = ids[(pair["target"]["doc"], pair["target"]["label"], pair["target"]["quote"])]
        pairs.append((score.get((source, target)), bool(pair["label"])))
    positives = sum(label for _, label in pairs)

    def at(threshold: float) -> dict[str, Any]:
        predicted = [label for s, label in pairs if s is not None and s >= threshold]
        tp = sum(predicted)
        return {"threshold": threshold, "precision": round(tp / len(predicted), 4) if predicted else None,
                "recall": round(tp / positives, 4), "true_positives": tp, "predicted": len(predicted)}

    curve = [at(t / 100) for t in range(5, 100, 5)]
    chosen = next((c for c in curve if c["precision"] is not None and c["precision"] >= TARGET_PRECISION), None)
    if chosen is None:
        raise ValueError(f"no threshold reaches precision {TARGET_PRECISION} on the sample: {curve}")
    return {
        "method": METHOD,
        "threshold": chosen["threshold"],
        "top_k": TOP_K,
        "chosen_on": "tests/fixtures/links/gold.json",
        "target_precision": TARGET_PRECISION,
        "sample": {"pairs": len(pairs), "true": positives, "false": len(pairs) - positives,
                   "ambiguous_not_scored": len(gold["ambiguous"])},
        "precision": chosen["precision"],
        "recall": chosen["recall"],
        "curve": curve,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policydata_build.link_eval")
    parser.add_argument("--check", action="store_true", help="fail when build/data/links.json is not current")
    args = parser.parse_args(argv)
    text = json.dumps(evaluate(), ensure_ascii=False, indent=2) + "\n"
    if args.check:
        if SETTINGS.read_text(encoding="utf-8") != text:
            print("build/data/links.json is stale: run python -m policydata_build.link_eval", file=sys.stderr)
            return 1
        return 0
    SETTINGS.write_text(text, encoding="utf-8")
    print(f"wrote {SETTINGS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
