"""Normalise: for each provision, the national provisions of other documents it most resembles.

Method ``tfidf_char23_measure_words``: each provision's text (label, the set
political formulae listed in ``FORMULAE``, cited titles and 发文字号, dates and
validity clauses, whitespace and punctuation removed) becomes a vector of its character 2- and 3-grams,
weighted by sublinear term frequency times inverse document frequency over
the national provisions, and normalised; a link's score is the cosine of two
vectors. Why this and not an edit distance (rapidfuzz): the words every
business-environment text shares (优化营商环境, 进一步加强, 各地区各部门) get little
weight, so two provisions score high only when they share the rare words of
one concrete measure (投标保证金, 电子保函). It is deterministic, needs no model
download, runs in linear time per provision through an inverted index, and
explains itself: ``shared`` lists the n-grams that weigh most in the score.

Why the formulae go: Chinese policy texts open their guiding-ideology
paragraphs and preambles with the same fixed phrases (以习近平新时代中国特色社会主义思想
为指导, 完整、准确、全面贯彻新发展理念, 现提出如下意见). They are long, so they
share many n-grams, and they are in so few provisions of a small source that
their weight stays high: with them, the 2.2.0 links of the national texts
were mostly two preambles or two 指导思想 paragraphs of unrelated documents.
They say nothing about a measure, so they are not compared.

Nor are a document's headings and preamble (:func:`linkable`), and dates,
validity clauses and a regulation's articles about itself (由…负责解释,
适用本办法) are removed: in 2.3.0, most of the false links that a blind
held-out sample found (``tests/fixtures/links_heldout``) were one document's
apparatus matched to another's (本办法自2023年7月1日起施行 against
本通知自2023年6月1日起施行; two preambles; a chapter heading against a group
heading). Cited titles, dates and validity are the references, deadlines and
documents tables' business.

A link is stored when its score reaches the threshold chosen on the
hand-labelled samples (``build/data/links.json``, written by
:mod:`policydata_build.link_eval`, which says how), for at most ``top_k`` national provisions
per provision. A national provision is linked only to provisions of other
documents issued no earlier than it (a date not printed does not exclude).

>>> linker = Linker([("n/1", "N", None, "对保证金实行电子保函替代现金缴纳"), ("n/2", "N", None, "加强政务服务标准化建设")])
>>> [(mid, round(score, 2)) for mid, score, _ in linker.similar("全面推行以电子保函替代现金缴纳保证金", "L", None, 0.3, 5)]
[('n/1', 0.53)]
"""

from __future__ import annotations

import datetime as dt
import json
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, reduce
from importlib import resources
from itertools import repeat
from typing import Any

import numpy as np

from .workers import Workers, init_worker

METHOD = "tfidf_char23_measure_words"
MIN_CHARS = 12  # a shorter provision (加强组织领导) names a topic, not a measure
SHARED_SHOWN = 5
_ROUNDING = 1e-6  # scores are stored to 6 decimals
# Provisions whose words are their own: not headings, titles or the document's apparatus.
LINKED_KINDS = ("numbered", "paragraph", "table_row")
_BODY_KINDS = ("heading", "numbered", "table_row")  # what ends a preamble
_TABLE_STEP = re.compile(r"t\d+")
_FRAME_KINDS = ("signature", "title", "attachment")  # what closes a notice before a list appended to it
_NOT_TEXT = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")
# The genre's set phrases of political framing and of a document's apparatus:
# they are the same in every document whatever it decides.
FORMULAE = (
    r"以习近平新时代中国特色社会主义思想为指导",
    r"(?:深入|全面|认真|坚决)?(?:学习)?贯彻(?:落实)?(?:党的[^，。；]{0,20}?|中央[^，。；]{0,10}?)精神",
    r"(?:完整、?准确、?全面贯彻|立足|加快构建|构建|服务和?融入)新发展(?:理念|阶段|格局)",
    r"(?:着力|坚定不移地?)?推动高质量发展",
    r"坚持稳中求进工作总基调",
    r"(?:坚持|践行|认真践行)?以人民为中心(?:的发展思想)?",
    r"扎实推进中国式现代化",
    # 党中央、国务院, 省委、省政府, 市委、市政府 … 决策部署: the body varies with the level.
    r"(?:进一步)?(?:贯彻落实|按照)[^，。；《》]{0,30}?(?:决策部署|部署要求)",
    r"结合[^，。；]{0,8}实际",
    r"(?:特)?制定本(?:实施方案|行动方案|方案|措施|意见|办法|通知)",
    r"经[^，。；]{1,12}同意",
    r"现(?:就|将|提出)[^，。；：]{0,40}?(?:如下|以下)(?:意见|措施)?",
    r"(?:有关(?:事项|工作|要求)?)?通知如下",
    # A document's own validity: 本办法自2023年7月1日起施行, 自印发之日起实施, 有效期至2025年12月31日,
    # 有效期3年; not a measure on validity (将许可证有效期由5年延长至10年, 自登记之日起实施包容期监管).
    r"(?:本(?:通知|办法|规定|措施|意见|方案|细则|条例|决定|实施方案|行动方案|若干措施))?"
    r"自(?:(?:印发|发布|公布|颁布)之日|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)起(?:施行|实施|执行)",
    r"有效期(?:至|截至|到)\s*\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底|末)?",
    r"有效期(?:为)?\s*[\d一二两三四五六七八九十]+\s*年",
    # The general and supplementary articles of a regulation about itself: 本办法由省知识产权局负责解释,
    # …开展…工作，适用本办法.
    r"(?:本(?:通知|办法|规定|措施|意见|方案|细则|条例|决定|实施方案|行动方案|若干措施))?由[^，。；]{1,20}?负责解释",
    r"适用本(?:通知|办法|规定|措施|意见|方案|细则|条例|决定)",
)
# Cited titles and 发文字号 are the references table's business: two preambles
# citing the same notice share its title's n-grams, not a measure.
_CITATION = r"《[^《》]*》|[\u4e00-\u9fff]{1,12}[〔［\[]\d{4}[〕］\]]\s*\d+\s*号"
# Dates likewise (the deadlines table's): two provisions due in 2023年6月 share a time, not a measure.
_DATE = r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|份)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:底|份)?"
_FORMULA = re.compile("|".join(f"(?:{f})" for f in (*FORMULAE, _CITATION, _DATE)))
# What ends a sentence or leads into a list (…包括：): a text without any is a heading.
_SENTENCE_END = re.compile("[。；;：:]")


@dataclass(frozen=True)
class LinkSettings:
    threshold: float
    top_k: int

    @classmethod
    def load(cls) -> LinkSettings:
        data = json.loads(resources.files("policydata_build").joinpath("data", "links.json").read_text(encoding="utf-8"))
        if data["method"] != METHOD:
            raise ValueError(f"build/data/links.json is for method {data['method']!r}, not {METHOD!r}")
        return cls(float(data["threshold"]), int(data["top_k"]))


def link_quality() -> dict[str, Any]:
    """The method, threshold and evaluation on the labelled sample, as build/data/links.json records them."""
    return json.loads(resources.files("policydata_build").joinpath("data", "links.json").read_text(encoding="utf-8"))


def comparable(text: str, label: str | None = None) -> str:
    """A provision's words for comparison: label, formulae, cited titles and numbers, dates, the
    document's validity clauses, whitespace and punctuation removed.

    >>> comparable("（一）指导思想。以习近平新时代中国特色社会主义思想为指导，完整、准确、全面贯彻新发展理念，健全监管体制机制。", "（一）")
    '指导思想健全监管体制机制'
    """
    if label and text.startswith(label):
        text = text[len(label):]
    return _NOT_TEXT.sub("", _FORMULA.sub("", text))


def _grams(text: str) -> Counter[str]:
    return Counter([text[i:i + 2] for i in range(len(text) - 1)] + [text[i:i + 3] for i in range(len(text) - 2)])


class Linker:
    """National provisions, indexed for similarity queries."""

    def __init__(self, targets: list[tuple[str, str, dt.date | None, str]]) -> None:
        """``targets``: (measure_id, doc_id, issued_on, comparable text) of each national provision."""
        self.targets = targets
        grams = [_grams(text) for *_, text in targets]
        df: Counter[str] = Counter()
        for counts in grams:
            df.update(counts.keys())
        n = len(targets)
        self._unseen_idf = math.log(1 + n) + 1
        # Tens of thousands of n-grams share a few document frequencies: one logarithm each.
        idf_of = {k: math.log((1 + n) / (1 + k)) + 1 for k in set(df.values())}
        self.idf = {g: idf_of[k] for g, k in df.items()}
        # An n-gram's id is its rank of first appearance in the targets.
        self._gram_id = {g: i for i, g in enumerate(df)}
        self._prepared = [self._prepare(counts) for counts in grams]
        # Every national provision is also a query: its vector is already made.
        self._known = {text: k for k, (*_, text) in enumerate(targets)}
        self._dicts: dict[int, dict[str, float]] = {}
        # The inverted index as flat arrays, one run per n-gram (its targets in
        # target order): a query's postings are gathered and scored by numpy,
        # which was most of the build's linking time as a Python loop.
        grams_of = np.concatenate([ids for *_, ids, _ in self._prepared] or [np.zeros(0, np.int64)])
        weights_of = np.concatenate([w for *_, w in self._prepared] or [np.zeros(0)])
        targets_of = np.repeat(np.arange(n, dtype=np.int64), [len(ids) for *_, ids, _ in self._prepared])
        by_gram = np.argsort(grams_of, kind="stable")
        self._post_target = targets_of[by_gram]
        self._post_weight = weights_of[by_gram]
        self._run_length = np.bincount(grams_of, minlength=len(self._gram_id))
        self._run_start = np.cumsum(self._run_length) - self._run_length

    def _prepare(self, counts: Counter[str]) -> tuple[list[str], list[float], np.ndarray, np.ndarray]:
        """A text's n-grams and their weights (the normalised TF-IDF vector, in the n-grams' order),
        and the ids and weights of those the targets hold."""
        grams = list(counts)
        # The same float operations, in the same order, as a loop over the n-grams.
        raw = list(map(operator.mul, map(_tf, counts.values()), map(self.idf.get, grams, repeat(self._unseen_idf))))
        # Added left to right: builtin sum() compensates its rounding from Python
        # 3.12 on, which would make the scores depend on the interpreter.
        norm = math.sqrt(reduce(operator.add, map(operator.mul, raw, raw), 0.0)) or 1.0
        weights = list(map(operator.truediv, raw, repeat(norm)))
        ids = np.fromiter(map(self._gram_id.get, grams, repeat(-1)), dtype=np.int64, count=len(grams))
        indexed = ids >= 0
        return grams, weights, ids[indexed], np.array(weights, dtype=np.float64)[indexed]

    def _vector(self, k: int) -> dict[str, float]:
        """Target ``k``'s vector as a dict (made for the few targets that are linked)."""
        if k not in self._dicts:
            grams, weights, _, _ = self._prepared[k]
            self._dicts[k] = dict(zip(grams, weights))
        return self._dicts[k]

    def similar(self, text: str, doc_id: str, issued_on: dt.date | None, threshold: float,
                top_k: int) -> list[tuple[str, float, list[str]]]:
        """(national measure_id, score, shared n-grams) of the best matches of other, earlier documents."""
        k = self._known.get(text)
        grams, weights, ids, indexed_weights = self._prepare(_grams(text)) if k is None else self._prepared[k]
        scores = self._scores(ids, indexed_weights)
        kept = []
        # Every weight is positive, so 0.0 means no n-gram in common: not a candidate even at threshold 0.
        # The threshold applies to the score as stored (rounded), as a reader filtering the table applies it.
        for i in np.flatnonzero((scores != 0.0) & (scores >= threshold - _ROUNDING)).tolist():
            score = round(float(scores[i]), 6)
            if score < threshold:
                continue
            target_id, target_doc, target_issued, _ = self.targets[i]
            if target_doc == doc_id:
                continue
            if issued_on is not None and target_issued is not None and target_issued > issued_on:
                continue
            kept.append((score, target_id, i))
        out = []
        vector = dict(zip(grams, weights)) if kept else {}
        for score, target_id, i in sorted(kept, key=lambda k: (-k[0], k[1]))[:top_k]:
            target = self._vector(i)
            shared = sorted((g for g in vector if g in target), key=lambda g: (-vector[g] * target[g], g))
            out.append((target_id, score, _longest_first(shared, SHARED_SHOWN)))
        return out

    def _scores(self, grams: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Each target's cosine with the query whose indexed n-grams and weights are given.

        The products w × tw are added to each target's score in the order of
        the query's n-grams, starting from 0.0, as a loop over the postings
        would (``np.bincount`` adds in array order): the scores are the same
        floats, so the links do not depend on how they are computed.
        """
        if not len(grams):
            return np.zeros(len(self.targets))
        lengths = self._run_length[grams]
        # Positions of every selected run, concatenated: run start + 0, 1, … length - 1.
        ends = np.cumsum(lengths)
        positions = np.arange(ends[-1]) + np.repeat(self._run_start[grams] - (ends - lengths), lengths)
        products = np.repeat(weights, lengths) * self._post_weight[positions]
        return np.bincount(self._post_target[positions], weights=products, minlength=len(self.targets))


@cache
def _tf(count: int) -> float:
    """Sublinear term frequency."""
    return 1 + math.log(count)


def _longest_first(grams: list[str], limit: int) -> list[str]:
    """The first ``limit`` of the heaviest n-grams, leaving out a bigram already inside a kept trigram."""
    kept: list[str] = []
    for g in grams:
        if len(kept) == limit:
            break
        if not any(g in k for k in kept):
            kept.append(g)
    return kept


# Queries sent to a worker at once: a few hundred keep the round trips few.
_QUERIES_PER_TASK = 256
# The linker of a worker process, set once by _use_linker (pickled once for each worker it starts).
_worker_linker: Linker | None = None


def _use_linker(linker: Linker) -> None:
    global _worker_linker
    init_worker()
    _worker_linker = linker


def _similar_many(task: tuple[list[tuple[str, str, dt.date | None]], float, int]) -> list[list[tuple[str, float, list[str]]]]:
    queries, threshold, top_k = task
    assert _worker_linker is not None, "_use_linker runs first in every worker"
    return [_worker_linker.similar(text, doc_id, issued_on, threshold, top_k) for text, doc_id, issued_on in queries]


def linkable(measures: list[dict[str, Any]], references: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """(provision, comparable text) of every provision that is compared, in the given order.

    Not compared, as they state no measure of their own:
    - a provision that announces its own document (近日，国务院办公厅印发了《…》;
      it holds a ``self`` reference): it says what every such announcement says;
    - a heading: a provision with sub-provisions whose own text neither ends a
      sentence nor leads into a list (一、加强公正监管，降低市场主体合规成本);
    - a preamble: the top-level paragraphs of a part (the document, or one of
      its attachments) before the part's first heading, numbered provision or
      table row (purpose and basis: 为进一步…，制定如下措施), and after any
      signature, title or attachment list that comes before it: a notice whose
      list follows its signature (清单内事项实行承诺办… / 签发 / 事项清单) keeps its
      paragraphs; in a part without any body, every paragraph is compared;
    - a provision shorter than :data:`MIN_CHARS` once its formulae are gone.

    ``measures`` are in document order, as the build makes them.
    """
    announcing = {r["measure_id"] for r in references if r["kind"] == "self"}
    parents = {m["parent_id"] for m in measures if m["parent_id"] is not None}
    # Per part: where its body begins, and the last signature, title or attachment list before that.
    body: dict[tuple[str, str], int] = {}
    frame: dict[tuple[str, str], int] = {}
    for i, m in enumerate(measures):
        part = _part(m)
        if part in body:
            continue
        if m["kind"] in _BODY_KINDS:
            body[part] = i
        elif m["kind"] in _FRAME_KINDS:
            frame[part] = i
    kept = []
    for i, m in enumerate(measures):
        part = _part(m)
        preamble = (m["kind"] == "paragraph" and m["parent_id"] is None and part in body
                    and frame.get(part, -1) < i < body[part])
        if (m["kind"] not in LINKED_KINDS or m["measure_id"] in announcing or preamble
                or (m["measure_id"] in parents and not _SENTENCE_END.search(m["text"]))):
            continue
        text = comparable(m["text"], m["label"])
        if len(text) >= MIN_CHARS:
            kept.append((m, text))
    return kept


def _part(measure: dict[str, Any]) -> tuple[str, str]:
    """(document, part): a path 2/1.3 is in the document's attachment 2, a path 1.3 in its main text;
    a table's rows (t1/1.3, 2/t1/4) are in the part that holds the table."""
    steps = measure["path"].split("/")[:-1]
    if steps and _TABLE_STEP.fullmatch(steps[-1]):
        steps.pop()
    return measure["doc_id"], "/".join(steps)


def build_links(documents: list[dict[str, Any]], measures: list[dict[str, Any]], references: list[dict[str, Any]],
                settings: LinkSettings, workers: int = 1) -> list[dict[str, Any]]:
    """The ``measure_links`` rows of the :func:`linkable` provisions.

    ``workers`` processes score the provisions (each query is independent, so
    the rows do not depend on it).
    """
    issued = {d["doc_id"]: d["issued_on"] for d in documents}
    national = {d["doc_id"] for d in documents if d["level"] == "national"}
    texts = linkable(measures, references)
    linker = Linker([(m["measure_id"], m["doc_id"], issued[m["doc_id"]], t) for m, t in texts if m["doc_id"] in national])
    queries = [(text, m["doc_id"], issued[m["doc_id"]]) for m, text in texts]
    if workers > 1:
        tasks = [(queries[k:k + _QUERIES_PER_TASK], settings.threshold, settings.top_k)
                 for k in range(0, len(queries), _QUERIES_PER_TASK)]
        with Workers(workers, _use_linker, (linker,)) as pool:
            found = [hits for chunk in pool.map(_similar_many, tasks) for hits in chunk]
    else:
        found = [linker.similar(*query, settings.threshold, settings.top_k) for query in queries]
    rows = []
    for (m, _), hits in zip(texts, found):
        for rank, (target, score, shared) in enumerate(hits, 1):
            rows.append({"measure_id": m["measure_id"], "national_measure_id": target, "score": score, "rank": rank,
                         "method": METHOD, "shared": shared})
    return rows
