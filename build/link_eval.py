"""Choose and record the measure_links threshold on the hand-labelled samples.

    python -m policydata_build.link_eval            # rewrite build/data/links.json
    python -m policydata_build.link_eval --check    # exit 1 if it is not current

The samples:

- ``tests/fixtures/links/gold.json``: pairs of a provision and a national
  provision, each labelled by hand as a restatement or not (half of them hard
  negatives on the same topic), on a compilation in the source's format whose
  national pages are cut from the real source and whose local text is
  synthetic. A labelled pair counts as predicted at a threshold when the
  national provision is among the provision's ``top_k`` links at or above it;
  pairs the labeller marked ambiguous are not scored.
- Blind samples (:data:`BLIND_SAMPLES`): candidate links shuffled and shown
  without scores or code to annotators who saw only the two texts, and
  labelled true, false or ambiguous. A link the build makes that is not in a
  sample is counted as unlabelled, not scored; recall is relative to the true
  pairs among the candidates.
  - ``links_national``: national provisions of the bundled source linked to
    each other (every 2.2.0 link at 0.10 or more, top 3).
  - ``links_heldout``: the three provincial fixtures linked to the bundled
    source's national provisions (:func:`heldout_links`; 2.3.0 candidates at
    0.08 or more, top 3). Held out for 2.3.0, where it found precision 0.38.
  - ``links_heldout2``: a provincial compilation written for the check by a
    separate session that saw neither the link code nor the samples (2.4.0
    candidates at 0.08 or more, top 3). Held out for the 2.4.0 rules at the
    threshold then published (0.15), where it found precision 0.84.
  - ``links_heldout3``: a second such compilation, written and labelled after
    the threshold rule and the rules of :mod:`links` were fixed. The threshold
    is not chosen on it: ``heldout3_check`` is the held-out estimate.

The threshold is the lowest, in steps of 0.01, at which precision reaches the
target both on the gold fixture and on the blind samples that choose
(``chooses``), pooled.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .links import METHOD, LinkSettings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "links"
NATIONAL_SAMPLE = ROOT / "tests" / "fixtures" / "links_national" / "labels.json"
HELDOUT_SAMPLE = ROOT / "tests" / "fixtures" / "links_heldout" / "labels.json"
# Provincial text that no link rule or threshold had been chosen on when it was labelled.
HELDOUT_QUERIES = {name: ROOT / "tests" / "fixtures" / name / file for name, file in (
    ("practice", "compilation-practice.txt"), ("provincial", "compilation.txt"), ("provincial2", "compilation.txt"))}
# Written for the check by a separate session after the 2.4.0 rules were fixed; labelled blind.
HELDOUT2_SAMPLE = ROOT / "tests" / "fixtures" / "links_heldout2" / "labels.json"
HELDOUT2_QUERIES = {"heldout2": ROOT / "tests" / "fixtures" / "links_heldout2" / "compilation.txt"}
# Written and labelled after the rules and the threshold rule were fixed: never chooses.
HELDOUT3_SAMPLE = ROOT / "tests" / "fixtures" / "links_heldout3" / "labels.json"
HELDOUT3_QUERIES = {"heldout3": ROOT / "tests" / "fixtures" / "links_heldout3" / "compilation.txt"}
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


@dataclass(frozen=True)
class BlindSample:
    """Pairs labelled blind (shuffled, no scores, no code) and the links they judge."""

    key: str  # its entry in build/data/links.json
    labels: Path
    # The provincial fixtures whose provisions are linked to the bundled
    # source's national ones; None: the bundled source's own links.
    queries: dict[str, Path] | None
    chooses: bool  # whether the threshold is chosen on it too


BLIND_SAMPLES = (
    BlindSample("national_check", NATIONAL_SAMPLE, None, True),
    BlindSample("heldout_check", HELDOUT_SAMPLE, HELDOUT_QUERIES, True),
    BlindSample("heldout2_check", HELDOUT2_SAMPLE, HELDOUT2_QUERIES, True),
    BlindSample("heldout3_check", HELDOUT3_SAMPLE, HELDOUT3_QUERIES, False),
)


def evaluate() -> dict[str, Any]:
    from .pages import read_source
    from .pipeline import build_tables

    gold = json.loads((SAMPLE / "gold.json").read_text(encoding="utf-8"))
    rows, _, _ = build_tables(read_source(SAMPLE / "compilation.txt"), link_settings=LinkSettings(0.0, TOP_K))
    ids = _measure_ids(rows, gold)
    score = {(r["measure_id"], r["national_measure_id"]): r["score"] for r in rows["measure_links"]}
    pairs = []
    for pair in gold["links"]:
        source = ids[(pair["source"]["doc"], pair["source"]["label"], pair["source"]["quote"])]
        target = ids[(pair["target"]["doc"], pair["target"]["label"], pair["target"]["quote"])]
        pairs.append((score.get((source, target)), bool(pair["label"])))
    positives = sum(label for _, label in pairs)
    # Every link at threshold 0: the links at a threshold are those scoring at least it
    # (the best top_k above a threshold are the best top_k, cut there).
    blind = {sample.key: (sample, _labels(sample), _scored_links(sample)) for sample in BLIND_SAMPLES}

    def at(threshold: float) -> dict[str, Any]:
        predicted = [label for s, label in pairs if s is not None and s >= threshold]
        tp = sum(predicted)
        verdicts = [v for sample, labels, scored in blind.values() if sample.chooses
                    for v in _verdicts(sample, labels, scored, threshold)]
        true, false = verdicts.count(True), verdicts.count(False)
        # Links no annotator saw are not scored: how many there are is kept next to the figure.
        return {"threshold": threshold, "precision": round(tp / len(predicted), 4) if predicted else None,
                "recall": round(tp / positives, 4), "true_positives": tp, "predicted": len(predicted),
                "blind_precision": round(true / (true + false), 4) if true + false else None,
                "blind_unlabelled": verdicts.count("unlabelled")}

    grid = [at(t / 100) for t in range(5, 96)]
    chosen = next((c for c in grid if c["precision"] is not None and c["precision"] >= TARGET_PRECISION
                   and c["blind_precision"] is not None and c["blind_precision"] >= TARGET_PRECISION), None)
    if chosen is None:
        raise ValueError(f"no threshold reaches precision {TARGET_PRECISION} on the samples: {grid}")
    threshold = chosen["threshold"]
    return {
        "method": METHOD,
        "threshold": threshold,
        "top_k": TOP_K,
        "chosen_on": ["tests/fixtures/links/gold.json",
                      *(_relative(sample.labels) for sample, _, _ in blind.values() if sample.chooses)],
        "rule": f"the lowest threshold (in steps of 0.01) at which precision reaches {TARGET_PRECISION} both on "
                "the links fixture and on the blind samples it is chosen on, pooled",
        "target_precision": TARGET_PRECISION,
        "sample": {"pairs": len(pairs), "true": positives, "false": len(pairs) - positives,
                   "ambiguous_not_scored": len(gold["ambiguous"])},
        "precision": chosen["precision"],
        "recall": chosen["recall"],
        "blind_precision": chosen["blind_precision"],
        "curve": [c for c in grid if round(c["threshold"] * 100) % 5 == 0 or c is chosen],
        **{sample.key: {"sample": _relative(sample.labels), "used_to_choose": sample.chooses,
                        **_judged(labels, threshold, _verdicts(sample, labels, scored, threshold))}
           for sample, labels, scored in blind.values()},
    }


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _labels(sample: BlindSample) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = json.loads(sample.labels.read_text(encoding="utf-8"))["labels"]
    return labels


def _key(sample: BlindSample, label: dict[str, Any]) -> tuple[str, ...]:
    return (label["a"], label["b"]) if sample.queries is None else (label["fixture"], label["a"], label["b"])


def _scored_links(sample: BlindSample) -> list[tuple[tuple[str, ...], float]]:
    """(pair, score) of every link the sample judges, at threshold 0."""
    if sample.queries is not None:
        return [((f, a, b), score) for f, a, b, score in heldout_links(0.0, TOP_K, sample.queries)]
    from .pages import read_source
    from .pipeline import BUNDLED_SOURCE, build_tables

    rows, _, _ = build_tables(read_source(BUNDLED_SOURCE), link_settings=LinkSettings(0.0, TOP_K))
    return [((r["measure_id"], r["national_measure_id"]), r["score"]) for r in rows["measure_links"]]


def _verdicts(sample: BlindSample, labels: list[dict[str, Any]], scored: list[tuple[tuple[str, ...], float]],
              threshold: float) -> list[Any]:
    """The labeller's verdict on each link at ``threshold``; "unlabelled" for a pair not in the sample."""
    judged = {_key(sample, r): r["label"] for r in labels}
    return [judged.get(pair, "unlabelled") for pair, score in scored if score >= threshold]


def heldout_links(threshold: float, top_k: int, queries: dict[str, Path] | None = None
                  ) -> list[tuple[str, str, str, float]]:
    """(fixture, provision, national provision, score): provincial fixtures linked to the bundled national text.

    ``queries`` maps a fixture's name to its source (default: :data:`HELDOUT_QUERIES`).

    The build links only within one source; here the provisions of each
    provincial fixture are queries against the national provisions of the
    bundled source, exactly as a source holding both would link them.
    """
    from .links import Linker, linkable
    from .pages import read_source
    from .pipeline import BUNDLED_SOURCE, build_tables

    # The sources' own links are not used: any settings will do.
    settings = LinkSettings(threshold, top_k)
    national, _, _ = build_tables(read_source(BUNDLED_SOURCE), link_settings=settings)
    issued = {d["doc_id"]: d["issued_on"] for d in national["documents"] if d["level"] == "national"}
    linker = Linker([(m["measure_id"], m["doc_id"], issued[m["doc_id"]], text)
                     for m, text in linkable(national["measures"], national["references"]) if m["doc_id"] in issued])
    out = []
    for name, path in (HELDOUT_QUERIES if queries is None else queries).items():
        rows, _, _ = build_tables(read_source(path), link_settings=settings)
        local_issued = {d["doc_id"]: d["issued_on"] for d in rows["documents"]}
        for m, text in linkable(rows["measures"], rows["references"]):
            for target, score, _ in linker.similar(text, m["doc_id"], local_issued[m["doc_id"]], threshold, top_k):
                out.append((name, m["measure_id"], target, score))
    return out


def write_candidates(folder: Path, queries: dict[str, Path], loose: float, top_k: int, seed: int) -> int:
    """Write ``pairs_shown.json`` (for blind labelling: shuffled, no scores) and ``scores.json`` into ``folder``.

    The pairs are the :func:`heldout_links` of ``queries`` at ``loose`` or more,
    best ``top_k`` per provision. Returns how many there are.
    """
    import random

    from .pages import read_source
    from .pipeline import BUNDLED_SOURCE, build_tables

    text = {}
    for name, path in (("national", BUNDLED_SOURCE), *queries.items()):
        rows, _, _ = build_tables(read_source(path), link_settings=LinkSettings(loose, top_k))
        text[name] = {m["measure_id"]: m["text"] for m in rows["measures"]}
    pairs = heldout_links(loose, top_k, queries)
    random.Random(seed).shuffle(pairs)
    shown = [{"pair": i, "fixture": f, "a": a, "b": b, "a_text": text[f][a], "b_text": text["national"][b]}
             for i, (f, a, b, _) in enumerate(pairs)]
    (folder / "pairs_shown.json").write_text(json.dumps(shown, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    scores = [{"pair": i, "a": a, "b": b, "score": score} for i, (_, a, b, score) in enumerate(pairs)]
    (folder / "scores.json").write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    return len(pairs)


def _judged(labels: list[dict[str, Any]], threshold: float, verdicts: list[Any]) -> dict[str, Any]:
    true, false = verdicts.count(True), verdicts.count(False)
    positives = sum(1 for r in labels if r["label"] is True)
    return {
        "pairs": len(labels), "true": positives, "false": sum(1 for r in labels if r["label"] is False),
        "ambiguous": sum(1 for r in labels if r["label"] == "ambiguous"),
        "threshold": threshold, "links": len(verdicts), "judged_true": true, "judged_false": false,
        "judged_ambiguous": verdicts.count("ambiguous"), "unlabelled": verdicts.count("unlabelled"),
        "precision": round(true / (true + false), 4) if true + false else None,
        "recall_among_candidates": round(true / positives, 4) if positives else None,
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
