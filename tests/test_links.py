"""The linker's scores are the plain definition's, to the bit.

``build/links.py`` computes TF-IDF vectors with mapped float operations and
sums scores with numpy; its claim is that every score is the float a plain
loop over the postings gives (so rebuilt versions stay byte-identical). The
reference here is that loop, written from the definition in the module's
docstring, and run on the links fixture's provisions.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata_build.links import Linker, _grams, linkable
from policydata_build.pages import read_source
from policydata_build.pipeline import build_tables

FIXTURE = Path(__file__).parent / "fixtures" / "links" / "compilation.txt"


def _reference_scores(targets: list[str], query: str) -> list[float]:
    grams = [_grams(t) for t in targets]
    df: Counter[str] = Counter()
    for counts in grams:
        df.update(counts.keys())
    n = len(targets)
    idf = {g: math.log((1 + n) / (1 + k)) + 1 for g, k in df.items()}

    def vector(counts: Counter[str]) -> dict[str, float]:
        raw = {g: (1 + math.log(c)) * idf.get(g, math.log(1 + n) + 1) for g, c in counts.items()}
        # Added left to right, as written: builtin sum() compensates its rounding
        # from Python 3.12 on, and a build must not depend on the interpreter.
        squares = 0.0
        for w in raw.values():
            squares += w * w
        norm = math.sqrt(squares) or 1.0
        return {g: w / norm for g, w in raw.items()}

    postings: dict[str, list[tuple[int, float]]] = {}
    for i, counts in enumerate(grams):
        for g, w in vector(counts).items():
            postings.setdefault(g, []).append((i, w))
    scores = [0.0] * n
    for g, w in vector(_grams(query)).items():
        for i, tw in postings.get(g, ()):
            scores[i] += w * tw
    return scores


def _scores(linker: Linker, text: str) -> np.ndarray:
    k = linker._known.get(text)
    _, _, ids, weights = linker._prepare(_grams(text)) if k is None else linker._prepared[k]
    return linker._scores(ids, weights)


@pytest.fixture(scope="module")
def fixture_texts() -> tuple[list[str], list[str]]:
    rows, _, _ = build_tables(read_source(FIXTURE))
    national = {d["doc_id"] for d in rows["documents"] if d["level"] == "national"}
    texts = linkable(rows["measures"], rows["references"])
    return [t for m, t in texts if m["doc_id"] in national], [t for _, t in texts]


def test_scores_are_the_plain_loops_floats_on_the_links_fixture(fixture_texts: tuple[list[str], list[str]]) -> None:
    targets, queries = fixture_texts
    linker = Linker([(f"n/{i}", "N", None, t) for i, t in enumerate(targets)])
    assert len(targets) > 20 and len(queries) > len(targets)
    for query in queries:
        assert _scores(linker, query).tobytes() == np.array(_reference_scores(targets, query)).tobytes(), query


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="监管企业服务贷款信用审批", max_size=30), min_size=1, max_size=8),
       st.text(alphabet="监管企业服务贷款信用审批", max_size=30))
def test_scores_are_the_plain_loops_floats_on_any_texts(targets: list[str], query: str) -> None:
    linker = Linker([(f"n/{i}", "N", None, t) for i, t in enumerate(targets)])
    assert _scores(linker, query).tobytes() == np.array(_reference_scores(targets, query)).tobytes()
