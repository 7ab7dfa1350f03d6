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
    ("part", re.compile(rf"^第({_CN})部分[ \u3000]*")),  # 第一部分 over 一、…
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
    closing_paragraphs: int = 0  # split off the last numbered provision


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


# A paragraph that opens an attachment: 附件, 附件：1.…, 附件2, 附件（略）：
ATTACHMENT = re.compile(r"^附件[0-9一二三四五六七八九十、]*(?:（略）)?(?:[：:]|$)")
# An item of an attachment list: short, no sentence, numbered or a bare title.
_ATTACHMENT_ITEM = re.compile(r"^(?:\d{1,2}[.．、])?[^。；]{1,80}$")
# Words that open a document's closing paragraph, addressed to all its readers
# (请各地…, 各有关部门要…, 本通知自…起施行): such a paragraph after the last
# numbered provision is not part of it.
_CLOSING = ("请", "各", "本通知", "本意见", "本措施", "本方案", "本办法", "本规定", "本细则", "本规划", "本计划",
            "本指南", "本公告", "本决定", "本条例", "本实施", "本若干", "以上", "特此", "上述", "此前", "如有", "如遇",
            "执行中", "实施中", "贯彻落实中", "自")


def parse_provisions(
    text: str,
    is_signatory: Callable[[str], bool] | None = None,
    reserved: list[tuple[int, int]] | None = None,
) -> tuple[list[Provision], ParseStats]:
    """Provisions of ``text`` in document order, and what was not taken as a label.

    ``is_signatory`` tells whether a line names a body that can sign a
    document; without it every name-only line above a date may. With it, a
    table row that ends in a date (省市场监管局 / 2023年6月30日) is not taken
    for a signature. Paragraphs inside ``reserved`` spans (tables, read by
    :mod:`blocks`) are left out; a provision never runs over one.
    """
    return _Parser(text, is_signatory, reserved or []).run()


# A note about the document, not about a provision: （此件公开发布）, （此页无正文）, （本文有删减）.
_DOCUMENT_NOTE = re.compile(r"此件|此页|本文|删减|公开发布|主动公开|节选|摘编|略")


def _attachment_item(para: str) -> bool:
    """An item of an attachment list: a short title, numbered 2. or not, never another kind of label."""
    found = _label(para)
    return bool(_ATTACHMENT_ITEM.match(para)) and (found is None or found[0] == "arabic") and not DATE_LINE.match(para)


class _Parser:
    def __init__(self, text: str, is_signatory: Callable[[str], bool] | None, reserved: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = _paragraphs(text)
        self.signatures = _signature_blocks([text[s:e] for s, e in self.spans], is_signatory)
        self.titles = set(QUOTED_TITLE.findall(text))
        self.reserved = reserved
        self.out: list[Provision] = []
        self.ends: list[int] = []
        self.stats = ParseStats()
        self.stack: list[_Open] = []
        self.last_seen: dict[str, int] = {}
        self.part = 1
        self.preamble = 0
        # Paragraphs that continued the last numbered provision, for telling a
        # closing paragraph from it when the part ends.
        self.continued: list[tuple[int, int]] = []
        self.open = False  # whether an unlabelled paragraph may continue the last provision
        self.own_end = 0  # where the last numbered provision's own paragraph ends

    def run(self) -> tuple[list[Provision], ParseStats]:
        i = 0
        while i < len(self.spans):
            i = self.paragraph(i)
        self.end_part()
        self.stats.parts = len({p.path.split("/")[0] if "/" in p.path else "1" for p in self.out}) or 1
        parents = {p.parent_path for p in self.out}
        text = self.text
        return [
            Provision(p.path, p.parent_path, p.depth, p.label, p.heading, p.char_start, e,
                      _numbered_kind(p, text[p.char_start:e], parents))
            for p, e in zip(self.out, self.ends)
        ], self.stats

    def add(self, path: str, parent: str | None, depth: int, label: str | None, heading: str | None,
            start: int, end: int, kind: str) -> None:
        self.out.append(Provision(path, parent, depth, label, heading, start, end, kind))
        self.ends.append(end)

    def unlabelled(self, start: int, end: int, kind: str) -> None:
        self.preamble += 1
        self.add(_prefixed(self.part, f"p{self.preamble}"), None, 1, None, None, start, end, kind)

    def new_part(self) -> None:
        """What follows (an attachment, a second regulation) is numbered anew."""
        self.end_part()
        if self.stack:
            self.part += 1
            self.stack.clear()
            self.last_seen.clear()
            self.preamble = 0

    def end_part(self) -> None:
        """Split a closing paragraph (and all after it) off the last numbered provision."""
        # Under a heading (三、保障措施, （十八）加强协同联动。) the first paragraph is its content.
        first = 1 if self.continued and self.continued_heading() else 0
        cut = next((k for k, (s, _) in enumerate(self.continued) if k >= first and self.text.startswith(_CLOSING, s)),
                   None)
        if cut is not None:
            self.ends[-1] = self.continued[cut - 1][1] if cut else self.own_end
            for s, e in self.continued[cut:]:
                self.unlabelled(s, e, "paragraph")
                self.stats.closing_paragraphs += 1
        self.continued = []
        self.open = False

    def paragraph(self, i: int) -> int:
        start, end = self.spans[i]
        text = self.text
        if any(s <= start < e for s, e in self.reserved):
            self.open = False
            return i + 1
        if i in self.signatures:
            # A signature (names above a date) is a provision of its own and
            # closes the numbering: what follows (an attachment) starts anew.
            last = self.signatures[i]
            self.end_part()
            self.unlabelled(start, self.spans[last][1], "signature")
            self.new_part()
            return last + 1
        para = text[start:end]
        if ATTACHMENT.match(para):
            self.end_part()
            j = i + 1
            while j < len(self.spans) and j not in self.signatures \
                    and not any(s <= self.spans[j][0] < e for s, e in self.reserved) \
                    and _attachment_item(text[self.spans[j][0]:self.spans[j][1]]):
                j += 1
            self.unlabelled(start, self.spans[j - 1][1], "attachment")
            self.new_part()
            return j
        found = _label(para)
        accepted = False
        if found is not None:
            style, number, label = found
            accepted = _fits(style, number, self.stack, self.last_seen)
            if not accepted and self.stack and style == self.stack[0].style and number == 1:
                # The top-level style restarts: a new part (e.g. a second regulation).
                self.new_part()
                accepted = True
            elif not accepted and not self.stack and not self.last_seen:
                # The first label of a part may not be 1: the document is an excerpt.
                accepted = True
            if not accepted:
                self.stats.rejected_labels[label] += 1
            elif number not in _next_numbers(style, self.stack, self.last_seen):
                self.stats.gaps[label] += 1
        if not accepted:
            kind = _frame_kind(para, self.titles, after_number=bool(self.out) and self.out[-1].kind == "document_number")
            if kind == "note" and not _DOCUMENT_NOTE.search(para):
                kind = "paragraph"  # （工业和信息化部负责）: the provision's own note
            # A chapter heading (第五章技术审查) holds no text of its own: an
            # unlabelled paragraph after it is an article whose label was lost.
            under_chapter = bool(self.stack) and self.stack[-1].style in ("chapter", "section")
            if self.stack and self.open and kind == "paragraph" and not under_chapter:
                self.ends[-1] = end
                if self.out[-1].label is not None:
                    self.continued.append((start, end))
                return i + 1
            self.end_part()  # the last numbered provision's paragraphs end here
            self.unlabelled(start, end, kind)
            return i + 1
        self.continued = []
        styles = [o.style for o in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]
        parent = self.stack[-1] if self.stack else None
        path = f"{parent.path}.{number}" if parent else _prefixed(self.part, str(number))
        body = para[len(label):].lstrip()
        self.add(path, parent.path if parent else None, len(self.stack) + 1, label, _heading(body), start, end,
                 "numbered")
        self.stack.append(_Open(style, number, path))
        self.last_seen[style] = number
        self.open = True
        self.own_end = end
        return i + 1

    def continued_heading(self) -> bool:
        """Whether the last provision is a bare heading (三、保障措施): its paragraphs are its content."""
        last = self.out[-1]
        newline = self.text.find("\n", last.char_start)
        first = self.text[last.char_start:newline if newline >= 0 else len(self.text)]
        # 三、保障措施 or （十八）加强协同联动。 : a heading, perhaps closed by a full stop.
        return last.heading is not None and first.rstrip("。") == f"{last.label}{last.heading}"


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
