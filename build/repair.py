"""Step 2: repair the text that PDF extraction breaks.

Two entry points:

* :func:`clean` repairs one string: stray spaces around CJK characters and
  digits (``2023 年6 月1 日``), variant brackets (``〔〕 ［］ [] ﹝﹞``),
  ASCII parentheses and punctuation inside Chinese text.
* :func:`join_lines` turns extracted lines into paragraphs, keeping a map from
  every character back to the page it came from.

>>> clean("发改法规［2023］27 号（2023 年6 月1 日）")
'发改法规〔2023〕27号（2023年6月1日）'
>>> clean("( 二) 与该标准项目")
'（二）与该标准项目'
>>> clean("late bottled vintage")
'late bottled vintage'
>>> t = join_lines([("一、总体要求", 5), ("（一）加强监管，提高", 5), ("效率。", 6), ("国务院", 6), ("2023 年6 月1 日", 6)])
>>> t.text
'一、总体要求\\n（一）加强监管，提高效率。\\n国务院\\n2023年6月1日'
>>> t.page_at(t.text.index("效率"))
6
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Characters that make a neighbouring space meaningless in Chinese typesetting:
# ideographs, CJK and full-width punctuation, curly quotes, dashes, ellipsis.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2014\u2026\u00b7"
_SPACE = "[ \t\u00a0\u3000]+"
_SPACE_NEAR_CJK = re.compile(
    rf"(?<=[{CJK}]){_SPACE}|{_SPACE}(?=[{CJK}])|(?<=\d){_SPACE}(?=[{CJK}])"
)
_YEAR_BRACKET = re.compile(r"[〔［\[﹝【]\s*(\d{4})\s*[〕］\]﹞】]")
_EMPTY_BRACKET = re.compile(r"[〔［\[﹝【]\s*[〕］\]﹞】]")
_PAREN = re.compile(r"[(（]([^()（）\n]{0,120})[)）]")
_HAS_CJK = re.compile(rf"[{CJK}]")
_ASCII_PUNCT_IN_CJK = re.compile(rf"(?<=[{CJK}])([,;:!?])|([,;:!?])(?=[{CJK}])")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}

# A date standing alone, as under a signature: 2023年3月16日, or in Chinese numerals 二〇二三年十二月六日.
DATE_LINE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,2})月"
                       r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日$")
# 发文字号: issuer abbreviation, year in 〔〕, number, 号. It closes its paragraph,
# even when extraction lost its digits (国发〔〕号).
DOC_NUMBER = re.compile(r"^(?P<org>[\u4e00-\u9fff]{1,20})[〔（(](?P<year>\d{4})?[〕）)](?P<num>\d{1,5})?号$")


def canonical_doc_number(org: str, year: str, num: str) -> str:
    """The canonical 发文字号: 国办发〔2023〕1号 (brackets 〔〕, no leading zeros)."""
    return f"{org}〔{year}〕{int(num)}号"
# A promulgating notice quotes the title of what it promulgates (现将《…》印发给你们);
# where that title stands at the head of a paragraph, it is a heading of its own.
QUOTED_TITLE = re.compile(r"《([^《》\n]{4,80})》")
# A note standing alone in brackets: （此件有删减）, （此页无正文）; not （ISO56005）.
# …, with one level of brackets inside: （牵头单位：市商务局；配合单位：各县（市、区）人民政府）.
# Its two alternatives begin with different characters: one way to match, linear (and no
# possessive quantifiers, which Python 3.10 lacks).
BRACKET_NOTE = re.compile(r"^(?=[\s\S]*[\u4e00-\u9fff]{2})（(?:[^（）\d]|（[^（）\d]*）)*）$")
# A labelled line this much shorter than a full line is a heading (一、总体要求):
# the page width did not break it.
_HEADING_WIDTH = 0.6
# A line of a signature block: a body's name and nothing else.
SIGNATURE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,40}$")
# A line that starts a new provision, chapter, article or attachment.
LABEL_START = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+(?:[章节条]|部分)|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）"
    r"|\d+[.．、](?!\d)|（\d+）|附件)"
)
# A label printed in mid-line right after a sentence end (…其他审查依据。第三十一条…)
# starts a provision all the same. Only article, chapter and 一、 labels:
# （一） and 1. run on inside sentences (包括：（一）…；（二）…).
_MIDLINE_LABEL = re.compile(r"(?<=[。！？])(?=第[零〇一二三四五六七八九十百]+[条章节]|[一二三四五六七八九十]+、)")
# A chapter heading whose title is complete: what follows is not part of it.
_CHAPTER_HEADING = re.compile(r"^第[零〇一二三四五六七八九十百]+[章节][^，。；：、,;:（）()]{1,20}$")
# A chapter heading printed on one line with the first article (第四章监督管理第十五条…).
_CHAPTER_THEN_ARTICLE = re.compile(r"^(第[零〇一二三四五六七八九十百]{1,3}章[^，。；：、]{1,20}?)(?=第[零〇一二三四五六七八九十百]+条)")
_PARAGRAPH_END = "。！？；："
_TRAILING_CLOSERS = "”’）》」』"
_TRAILING_NOTE = re.compile(r"(?<=[。！？；])（[^（）]*）$")


# Text an amending decision quotes: an article of the amended text (“第五条 …”) or the words
# put in or taken out (修改为“2025年底前”). Its duties and dates are the amended text's, not
# the decision's.
AMENDMENT_QUOTE = re.compile(r"“第[一二三四五六七八九十百零〇]+条[^“”]*”|(?:修改为|改为|替换为|增加|新增|删去|删除)“[^“”]*”"
                             r"|“[^“”]*”(?=(?:修改|改|替换)为)")


# A character at least one step of clean() needs: a bracket, an ASCII
# punctuation mark, a space. Most lines hold none, and clean() is called on
# every line more than once.
_REPAIRABLE = re.compile(r"[〔［\[﹝【(（,;:!? \t\u00a0\u3000]")


def clean(s: str) -> str:
    """Repair one extracted string (see module docstring)."""
    if s == s.strip() and not _REPAIRABLE.search(s):
        return s  # no step below would change it
    return _repair(s)


def _repair(s: str) -> str:
    # Each step can expose work for another (a bracket made full-width makes
    # the space beside it removable), so repeat until nothing changes.
    while True:
        before = s
        s = _YEAR_BRACKET.sub(r"〔\1〕", s)
        s = _EMPTY_BRACKET.sub("〔〕", s)
        s = _PAREN.sub(_paren, s)
        s = _ASCII_PUNCT_IN_CJK.sub(lambda m: _FULLWIDTH[m.group(1) or m.group(2)], s)
        s = _SPACE_NEAR_CJK.sub("", s).strip()
        if s == before:
            return s


def _paren(m: re.Match[str]) -> str:
    inner = m.group(1).strip()
    if _HAS_CJK.search(inner) or m.group(0)[0] == "（" or m.group(0)[-1] == "）":
        return f"（{inner}）"
    return m.group(0)


@dataclass(frozen=True)
class PagedText:
    """Text with the page of every character: ``page_at(i)`` for offset ``i``."""

    text: str
    offsets: tuple[int, ...]  # offsets where a new page begins, ascending
    page_numbers: tuple[int, ...]  # page beginning at each offset

    def page_at(self, offset: int) -> int:
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside text of length {len(self.text)}")
        return self.page_numbers[bisect.bisect_right(self.offsets, offset) - 1]


def _split_labels(line: str) -> list[str]:
    """A line cut where a provision label starts in mid-line.

    >>> _split_labels("（九）其他审查依据。第三十一条技术审查的原则")
    ['（九）其他审查依据。', '第三十一条技术审查的原则']
    >>> _split_labels("第四章监督管理第十五条省司法厅负责")
    ['第四章监督管理', '第十五条省司法厅负责']
    """
    m = _CHAPTER_THEN_ARTICLE.match(line)
    head = [m.group(1)] if m else []
    return head + _MIDLINE_LABEL.split(line[m.end():] if m else line)


def concat(parts: list[tuple[str, int]]) -> PagedText:
    """Text made of pieces, each with the page it starts on (a piece never spans a page break).

    >>> t = concat([("一、总则", 3), ("\\n", 3), ("正文", 4)])
    >>> t.text, t.page_at(5)
    ('一、总则\\n正文', 4)
    """
    offsets: list[int] = []
    pages: list[int] = []
    length = 0
    for text, page in parts:
        if text and (not pages or pages[-1] != page):
            offsets.append(length)
            pages.append(page)
        length += len(text)
    return PagedText("".join(text for text, _ in parts), tuple(offsets), tuple(pages))


def pieces(text: PagedText) -> list[tuple[str, int]]:
    """The inverse of :func:`concat`: ``text`` as pieces that each lie on one page."""
    bounds = list(text.offsets) + [len(text.text)]
    return [(text.text[bounds[i]:bounds[i + 1]], page) for i, page in enumerate(text.page_numbers)]


def ends_paragraph(line: str) -> bool:
    """True if the line ends a sentence, allowing for closing quotes and a
    trailing note in brackets after the full stop (``…品。（适用范围：上海）``)."""
    line = _TRAILING_NOTE.sub("", line).rstrip(_TRAILING_CLOSERS)
    return bool(line) and line[-1] in _PARAGRAPH_END


def join_lines(lines: list[tuple[str, int]]) -> PagedText:
    """Join extracted ``(line, page)`` pairs into paragraphs separated by ``\\n``.

    A line break survives where a sentence ends (。！？；：), after a
    发文字号 or a note in brackets, after a title that the text quotes
    elsewhere in 《》, after a labelled heading much shorter than a full line
    (一、总体要求), before a line that starts a provision label
    (一、 （一） 1. 第一条 附件) or a measure's field (责任单位：, 完成时限：), after
    such a field much shorter than a full line, around a date standing alone, and between
    the names of a signature block above such a date. Every other break was
    made by the page width and is removed; a space is kept only between two
    Latin words.
    """
    for raw, page in lines:
        if "\n" in raw:
            raise ValueError(f"page {page}: a line must not contain a line break: {raw[:40]!r}")
    cleaned = [(piece, page) for raw, page in lines for piece in _split_labels(clean(raw)) if piece]
    texts = [line for line, _ in cleaned]
    signature = {i for d, line in enumerate(texts) if DATE_LINE.match(line) for i in signature_above(texts, d)}
    titles = set(QUOTED_TITLE.findall("".join(texts)))
    widths = sorted(printed_width(line) for line in texts)
    full = widths[(len(widths) * 3) // 4] if widths else 0
    parts: list[str] = []
    offsets: list[int] = []
    pages: list[int] = []
    length = 0
    # The paragraph so far, as pieces: joining it on every line would make a
    # long paragraph cost quadratic time. Every test below needs either a
    # short paragraph whole (a title, 发文字号 or chapter heading is short) or
    # only its end.
    paragraph: list[str] = []
    paragraph_len = 0
    for i, (line, page) in enumerate(cleaned):
        if parts:
            prev = cleaned[i - 1][0]
            short = "".join(paragraph) if paragraph_len <= _SHORT_PARAGRAPH else None
            if (
                i in signature
                or (short is not None and short in titles)
                or (len(paragraph) == 1 and _is_short_heading(prev, prev, full))
                # 完成时限：长期坚持 on a line of its own, ended short: the next line is no part of it.
                or (len(paragraph) == 1 and _FIELD_LABEL.match(prev) is not None
                    and printed_width(prev) < _HEADING_WIDTH * full)
                or _keeps_break(prev, short, paragraph, line)
            ):
                sep = "\n"
            elif prev[-1:].isascii() and prev[-1:].isalpha() and line[:1].isascii() and line[:1].isalpha():
                sep = " "
            else:
                sep = ""
            parts.append(sep)
            length += len(sep)
            if sep == "\n":
                paragraph, paragraph_len = [line], len(line)
            else:
                paragraph += [sep, line] if sep else [line]
                paragraph_len += len(sep) + len(line)
        else:
            paragraph, paragraph_len = [line], len(line)
        if not pages or pages[-1] != page:
            offsets.append(length)
            pages.append(page)
        parts.append(line)
        length += len(line)
    return PagedText("".join(parts), tuple(offsets), tuple(pages))


def signature_above(lines: list[str], d: int) -> list[int]:
    """Indices of the name-only lines (cleaned) directly above line ``d``, top first.

    >>> signature_above(["报送国家发展改革委。", "（此页无正文）", "国家发展改革委", "工业和信息化部", "2023年1月6日"], 4)
    [2, 3]
    """
    i = d - 1
    while i >= 0 and SIGNATURE_NAME.match(lines[i]) and not LABEL_START.match(lines[i]):
        i -= 1
    return list(range(i + 1, d))


def without(text: str, drop: re.Pattern[str]) -> tuple[str, list[int]]:
    """``text`` without what ``drop`` matches, and the offset in ``text`` of each character kept.

    >>> without("a b  c", re.compile(r"\\s+"))
    ('abc', [0, 2, 5])
    """
    # What is dropped comes in few runs: the kept offsets are taken a run at a time.
    where: list[int] = []
    kept = 0
    for m in drop.finditer(text):
        where.extend(range(kept, m.start()))
        kept = m.end()
    where.extend(range(kept, len(text)))
    return drop.sub("", text), where


def printed_width(line: str) -> int:
    """Printed width: a CJK character is as wide as two Latin ones.

    >>> printed_width("2023年")
    6
    """
    # Every character counts once, the CJK ones once more; one pass in the regex engine.
    return len(line) + len(_HAS_CJK.findall(line))


def _is_short_heading(prev: str, paragraph: str, full: int) -> bool:
    m = LABEL_START.match(paragraph)
    return (
        m is not None
        and paragraph == prev
        and len(prev) > m.end()
        and prev[-1] not in "，、,"
        and printed_width(prev) < _HEADING_WIDTH * full
    )


# Longer than any title quoted in 《》 (QUOTED_TITLE), 发文字号 or chapter heading.
_SHORT_PARAGRAPH = 80


def _from_last_open(pieces: list[str]) -> str:
    """The end of a paragraph from the piece before its last （ (all of it without one):
    enough for ends_paragraph to see a trailing note and the full stop before it."""
    k = next((k for k in range(len(pieces) - 1, -1, -1) if "（" in pieces[k]), 0)
    return "".join(pieces[max(0, k - 1):])


# A line that opens a measure's field, as notes under a measure print them: 责任单位：…, 完成时限：….
_FIELD_LABEL = re.compile(r"[（(]?(?:(?:牵头|责任|主责|配合|协办|参与|主办|督办)(?:单位|部门|处室)"
                          r"|完成时限|完成时间|完成期限|时间节点|时限要求)[：:]")


def _keeps_break(prev: str, short: str | None, pieces: list[str], line: str) -> bool:
    """``short`` is the paragraph so far when it is short, else None; ``pieces`` make it up."""
    return (
        ends_paragraph(prev)
        # A note after a sentence end that wrapped over lines: …报告。（各地…部 / 门负责）
        or (prev.endswith("）") and ends_paragraph(_from_last_open(pieces)))
        or (short is not None and (bool(DOC_NUMBER.match(short)) or bool(_CHAPTER_HEADING.match(short))))
        or bool(BRACKET_NOTE.match(prev))
        or bool(LABEL_START.match(line))
        or bool(_FIELD_LABEL.match(line))
        or bool(DATE_LINE.match(prev))
        or bool(DATE_LINE.match(line))
    )
