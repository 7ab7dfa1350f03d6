"""Step 4: parse a document's text into a tree of provisions (measures).

The text comes from :func:`repair.join_lines`, one paragraph per line. A
paragraph that opens with a label starts a provision. Label styles:

====================  ===========================
style                 examples
====================  ===========================
chapter               第一章
section               第一节
article               第一条
cn                    一、
paren_cn              （一）
arabic                1. 1． 1、
paren_arabic          （1）
====================  ===========================

Nesting follows the order in which styles first appear, as a stack: a style
already on the stack closes everything below it; a new style opens a level.
A label is accepted only if its number continues the sequence: the next
sibling, ``1`` for a new level, or the number after the last one of that style
(documents often number （一）–（十九） straight through 一、–六、); one missing
label is tolerated. Anything
else is not a label but text (``2.`` in a list of attachments) and is counted.
When the top-level style restarts at 1 (a second embedded regulation), a new
part begins and its paths get a ``2/`` prefix so ids stay unique.

A provision's ``text`` is its own words, from its label to the next label of
any level; unnumbered paragraphs after it continue it. Unnumbered paragraphs
before the first label of a part are provisions of their own (``p1``, ``p2``),
and so is a signature block (names above a date standing alone). Each
provision has a ``kind``: ``numbered``, ``heading`` (a numbered provision
that only names what its sub-provisions say: 一、总体要求), ``paragraph``
(unnumbered prose), or
the document's apparatus: ``document_number`` (发文字号), ``addressee``
(主送机关, after the 发文字号), ``signature``, ``note`` (（此件有删减）) and
``title`` (a title the text quotes elsewhere in 《》). A signature
after numbered provisions closes them: what follows (an attachment with its
own numbering) is a new part.

>>> ms, skipped = parse_provisions("通知如下：\\n一、总体要求\\n（一）加强监管。提高效率。\\n（二）优化服务。\\n二、保障措施")
>>> [(m.path, m.label, m.depth, m.heading, m.kind) for m in ms]
[('p1', None, 1, None, 'paragraph'), ('1', '一、', 1, '总体要求', 'heading'), ('1.1', '（一）', 2, '加强监管', 'numbered'), ('1.2', '（二）', 2, '优化服务', 'numbered'), ('2', '二、', 1, '保障措施', 'numbered')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from policydata.schema import CURRENT

from .numerals import cn_int
from .repair import BRACKET_NOTE, DATE_LINE, DOC_NUMBER, QUOTED_TITLE, signature_above

_CN = "[零〇一二两三四五六七八九十百]+"
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第({_CN})章[ \u3000]*")),
    ("section", re.compile(rf"^第({_CN})节[ \u3000]*")),
    ("article", re.compile(rf"^第({_CN})条[ \u3000]*")),
    ("cn", re.compile(rf"^({_CN})、")),
    ("paren_cn", re.compile(rf"^[（(]({_CN})[）)]")),
    ("arabic", re.compile(r"^(\d{1,3})[.．、](?!\d)")),
    ("paren_arabic", re.compile(r"^[（(](\d{1,3})[）)]")),
)
# A lead phrase longer than this, or one with a comma, is a sentence, not a heading.
_MAX_HEADING = 40
_MAX_GAP = 1
_HEADING_STOP = re.compile(r"[，,；;：:]")


KINDS = CURRENT.vocabulary("measure_kind").values


@dataclass(frozen=True)
class Provision:
    path: str
    parent_path: str | None
    depth: int
    label: str | None
    heading: str | None
    char_start: int
    char_end: int
    kind: str  # one of KINDS


@dataclass
class _Open:
    style: str
    number: int
    path: str


@dataclass
class ParseStats:
    rejected_labels: Counter[str] = field(default_factory=Counter)
    # Labels accepted although a number before them is missing (or, for the
    # first label of a part, although it is not 1: an excerpt).
    gaps: Counter[str] = field(default_factory=Counter)
    parts: int = 1


def _label(paragraph: str) -> tuple[str, int, str] | None:
    for style, rx in _LABELS:
        m = rx.match(paragraph)
        if m:
            raw = m.group(1)
            number = int(raw) if raw.isdigit() else cn_int(raw)
            return style, number, m.group(0).rstrip(" \u3000")
    return None


def _heading(text: str) -> str | None:
    lead = text.split("。", 1)[0].strip()
    if not lead or len(lead) > _MAX_HEADING or _HEADING_STOP.search(lead):
        return None
    return lead


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def parse_provisions(text: str, is_signatory: Callable[[str], bool] | None = None) -> tuple[list[Provision], ParseStats]:
    """Provisions of ``text`` in document order, and what was not taken as a label.

    ``is_signatory`` tells whether a line names a body that can sign a
    document; without it every name-only line above a date may. With it, a
    table row that ends in a date (省市场监管局 / 2023年6月30日) is not taken
    for a signature.
    """
    out: list[Provision] = []
    ends: list[int] = []
    stats = ParseStats()
    stack: list[_Open] = []
    last_seen: dict[str, int] = {}
    part = 1
    preamble = 0

    spans = _paragraphs(text)
    signatures = _signature_blocks([text[s:e] for s, e in spans], is_signatory)
    titles = set(QUOTED_TITLE.findall(text))
    skip_to = -1
    for i, (start, end) in enumerate(spans):
        if i <= skip_to:
            continue
        if i in signatures:
            # A signature (names above a date) is a provision of its own and
            # closes the numbering: what follows (an attachment) starts anew.
            last = signatures[i]
            preamble += 1
            out.append(Provision(_prefixed(part, f"p{preamble}"), None, 1, None, None, start, spans[last][1], "signature"))
            ends.append(spans[last][1])
            skip_to = last
            if stack:
                part += 1
                stack.clear()
                last_seen.clear()
                preamble = 0
            continue
        para = text[start:end]
        found = _label(para)
        accepted = False
        if found is not None:
            style, number, label = found
            accepted = _fits(style, number, stack, last_seen)
            if not accepted and stack and style == stack[0].style and number == 1:
                # The top-level style restarts: a new part (e.g. a second regulation).
                part += 1
                stack.clear()
                last_seen.clear()
                preamble = 0
                accepted = True
            elif not accepted and not stack and not last_seen:
                # The first label of a part may not be 1: the document is an excerpt.
                accepted = True
            if not accepted:
                stats.rejected_labels[label] += 1
            elif number not in _next_numbers(style, stack, last_seen):
                stats.gaps[label] += 1
        if not accepted:
            if stack:
                ends[-1] = end
                continue
            preamble += 1
            path = _prefixed(part, f"p{preamble}")
            kind = _frame_kind(para, titles, after_number=bool(out) and out[-1].kind == "document_number")
            out.append(Provision(path, None, 1, None, None, start, end, kind))
            ends.append(end)
            continue
        styles = [o.style for o in stack]
        if style in styles:
            del stack[styles.index(style) :]
        parent = stack[-1] if stack else None
        path = f"{parent.path}.{number}" if parent else _prefixed(part, str(number))
        body = para[len(label) :].lstrip()
        out.append(
            Provision(path, parent.path if parent else None, len(stack) + 1, label, _heading(body), start, end, "numbered")
        )
        ends.append(end)
        stack.append(_Open(style, number, path))
        last_seen[style] = number
    stats.parts = len({p.path.split("/")[0] if "/" in p.path else "1" for p in out}) or 1
    parents = {p.parent_path for p in out}
    return [
        Provision(p.path, p.parent_path, p.depth, p.label, p.heading, p.char_start, e, _numbered_kind(p, text[p.char_start : e], parents))
        for p, e in zip(out, ends)
    ], stats


def _numbered_kind(p: Provision, body: str, parents: set[str | None]) -> str:
    """A numbered provision that only names what its sub-provisions say is a heading."""
    if p.kind == "numbered" and p.path in parents and p.heading is not None and body.strip() == f"{p.label}{p.heading}":
        return "heading"
    return p.kind


def _frame_kind(para: str, titles: set[str], *, after_number: bool) -> str:
    """What an unnumbered paragraph is: the document's apparatus, or prose."""
    if DOC_NUMBER.match(para):
        return "document_number"
    if BRACKET_NOTE.match(para):
        return "note"
    if para in titles:
        return "title"
    # The addressees (主送机关) follow the 发文字号 and end with a colon.
    if after_number and para.endswith("：") and "。" not in para:
        return "addressee"
    return "paragraph"


def _signature_blocks(paragraphs: list[str], is_signatory: Callable[[str], bool] | None) -> dict[int, int]:
    """First paragraph of each signature block → its date paragraph."""
    blocks = {}
    for d, para in enumerate(paragraphs):
        if DATE_LINE.match(para):
            names = signature_above(paragraphs, d)
            if names and (is_signatory is None or all(is_signatory(paragraphs[i]) for i in names)):
                blocks[names[0]] = d
    return blocks


def _prefixed(part: int, path: str) -> str:
    return path if part == 1 else f"{part}/{path}"


def _next_numbers(style: str, stack: list[_Open], last_seen: dict[str, int]) -> set[int]:
    """The numbers a label of ``style`` may carry without a gap."""
    for o in stack:
        if o.style == style:
            return {o.number + 1}
    return {1, last_seen.get(style, 0) + 1}


def _fits(style: str, number: int, stack: list[_Open], last_seen: dict[str, int]) -> bool:
    # One missing label is tolerated (extraction sometimes drops a line that
    # holds only a label); a repeated or backward number never fits.
    for o in stack:
        if o.style == style:
            return o.number < number <= o.number + 1 + _MAX_GAP
    previous = last_seen.get(style, 0)
    return number <= 1 + _MAX_GAP or previous < number <= previous + 1 + _MAX_GAP
