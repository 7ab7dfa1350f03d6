"""Step 3b: find each document's body in the pages after the table of contents.

The table of contents drives the search: for each entry, in order, the body
heading is a line starting with the entry's number (``16.``, possibly alone on
its line) followed by lines whose text spells the entry's title and date. The
body runs to the next heading. Section and province headings printed between
bodies (``二、华北``, ``（一）北京``) are dropped and counted. An entry whose
listed page lies inside the source but whose heading cannot be found stops the
build: silently losing a body would make every later body wrong.

Text the source lost is flagged on the document it belongs to (the pipeline
stops unless a partial build is asked for): a page without text between two
lines of one body (``page_without_text``), and a body that does not end
cleanly (its last line has no sentence end, date or closing bracket) before a
page without text, or before the end of the source while later documents are
listed (``body_may_be_truncated``). A page without text after a body that
ended cleanly is counted (``blank_page_between_documents``). Extraction also
breaks lines short in mid-sentence, so the width of the last line proves
nothing either way.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from .errors import ParseError
from .pages import Page
from .numerals import cn_int
from .repair import DATE_LINE, clean, ends_paragraph
from .toc import Toc, TocEntry

_NOT_KEY = re.compile(r"[\W_]+")
_NUMBER_LINE = re.compile(r"^\s*(\d+)\s*[.．]\s*(.*)$")
# Lines a heading may span: number, several title lines, date.
_MAX_HEADING_LINES = 8
# How alike a body heading must be to its contents entry (typos such as
# 通知知 occur in the contents; anything less alike is a different document).
_MIN_TITLE_SIMILARITY = 0.9
# Where a heading without its number is looked for, around the listed page.
_UNNUMBERED_PAGES_BEFORE = 2
_UNNUMBERED_PAGES_AFTER = 5

Line = tuple[str, int]  # (text as extracted, page)


def key(s: str) -> str:
    """Comparison key: cleaned text without punctuation or spaces."""
    return _NOT_KEY.sub("", clean(s))


@dataclass(frozen=True)
class Body:
    entry: TocEntry
    heading: tuple[Line, ...]
    lines: tuple[Line, ...]
    flags: tuple[tuple[str, str, int], ...] = ()  # code, detail, the page it concerns


@dataclass
class Segmentation:
    bodies: dict[tuple[int, int, int], Body]  # by (section_no, group_no, seq)
    ignored: Counter[str] = field(default_factory=Counter)


def segment(pages: list[Page], toc: Toc) -> Segmentation:
    """Link every contents entry whose body lies in ``pages`` to its lines."""
    after = max(toc.pages)
    stream: list[Line] = [(line, p.number) for p in pages if p.number > after for line in p.lines]
    blank = sorted(p.number for p in pages if p.number > after and not p.lines)
    last_page = pages[-1].number
    # Province headings are numbered anew in every section: （二） is 天津 under
    # 华北 and 江苏 under 华东, so a number names several headings.
    headings: dict[tuple[str, int], set[str]] = {}
    for h in toc.headings:
        headings.setdefault((h.kind, h.number), set()).add(key(h.name))
    seg = Segmentation(bodies={})

    found: list[tuple[TocEntry, int, int, tuple[tuple[str, str], ...]]] = []  # entry, start, end, flags
    pos = 0
    for entry in toc.entries:
        if entry.listed_page > last_page:
            continue
        hit = _find_heading(stream, pos, entry)
        if hit is None:
            raise ParseError(
                f"body, after page {stream[pos][1] if pos < len(stream) else last_page}",
                f"heading of contents entry {entry.section} {entry.group_name or ''} {entry.seq}. "
                f"{entry.title[:40]!r} (listed on page {entry.listed_page}) not found",
            )
        start, end, flags = hit
        found.append((entry, start, end, flags))
        pos = end

    if found:
        for line, _ in stream[: found[0][1]]:
            seg.ignored["section_heading" if _is_heading(line, headings) else "before_first_body"] += 1
    for i, (entry, start, end, flags) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(stream)
        while stop > end and _is_heading(stream[stop - 1][0], headings):
            stop -= 1
            seg.ignored["section_heading"] += 1
        first, last = stream[start][1], stream[stop - 1][1]
        extra = [(code, detail, first) for code, detail in flags]
        runs_on = not _ends_cleanly(stream[stop - 1][0])
        for page in blank:
            if first < page < last:
                extra.append(("page_without_text", f"page {page} has no text, inside the body (pages {first}-{last})", page))
            elif last < page < (stream[found[i + 1][1]][1] if i + 1 < len(found) else last_page + 1):
                if runs_on:
                    extra.append(("body_may_be_truncated", f"the body's last line runs on into page {page}, "
                                                           f"which has no text: {clean(stream[stop - 1][0])[-20:]!r}", page))
                else:
                    seg.ignored["blank_page_between_documents"] += 1
        if i + 1 == len(found):
            later = [e.listed_page for e in toc.entries if e.listed_page > entry.listed_page]
            if later and (min(later) > last_page + 1 or runs_on):
                why = "its last line runs on" if runs_on else f"the next document is listed on page {min(later)}"
                extra.append(("body_may_be_truncated", f"the source ends on page {last_page} and {why}: "
                                                       f"{clean(stream[stop - 1][0])[-20:]!r}", last))
        if stream[start][1] != entry.listed_page:
            extra.append(("listed_page_mismatch", f"contents lists page {entry.listed_page}, heading found on page {first}",
                          first))
        seg.bodies[(entry.section_no, entry.group_no, entry.seq)] = Body(
            entry, tuple(stream[start:end]), tuple(stream[end:stop]), tuple(extra)
        )
    return seg


def _ends_cleanly(line: str) -> bool:
    """Whether a body may end with this line: a sentence end, a date, a closing bracket.

    >>> _ends_cleanly("把坚持和加强党的领导贯"), _ends_cleanly("（责任单位：省商务厅）"), _ends_cleanly("2023 年1 月6 日")
    (False, True, True)
    """
    text = clean(line)
    return ends_paragraph(text) or bool(DATE_LINE.match(text)) or text.endswith(("）", "》", "」"))


_SECTION_LINE = re.compile(r"^([一二三四五六七八九十]+)、(\S{1,12})$")
_GROUP_LINE = re.compile(r"^（([一二三四五六七八九十]+)）(\S{1,12})$")


def _is_heading(line: str, headings: dict[tuple[str, int], set[str]]) -> bool:
    """A section (二、华北) or province heading (（一）北京) of the contents,
    also when the body prints a longer or shorter name (（二）天津市)."""
    text = clean(line)
    for kind, rx in (("section", _SECTION_LINE), ("group", _GROUP_LINE)):
        m = rx.match(text)
        if m:
            printed = key(m.group(2))
            return any(printed.startswith(name) or name.startswith(printed)
                       for name in headings.get((kind, cn_int(m.group(1))), ()))
    return False


def _find_heading(stream: list[Line], pos: int, entry: TocEntry) -> tuple[int, int, tuple[tuple[str, str], ...]] | None:
    """(first line, line after the heading, flags) of the entry's heading, or None.

    The heading is looked for with its number first (``16.`` may stand alone
    on its line). Failing that, a line that starts with the title itself on
    the pages around the listed one is taken, and flagged: a number lost in
    extraction must not lose the body.
    """
    for i in range(pos, len(stream)):
        m = _NUMBER_LINE.match(stream[i][0])
        if m and int(m.group(1)) == entry.seq:
            hit = _title_at(stream, i, m.group(2), entry)
            if hit is not None:
                return i, hit[0], hit[1]
    for i in range(pos, len(stream)):
        page = stream[i][1]
        if page > entry.listed_page + _UNNUMBERED_PAGES_AFTER:
            break
        if page >= entry.listed_page - _UNNUMBERED_PAGES_BEFORE:
            hit = _title_at(stream, i, stream[i][0], entry)
            if hit is not None:
                flag = ("heading_without_number", f"no '{entry.seq}.' before the title on page {page}")
                return i, hit[0], (flag, *hit[1])
    return None


def _continues_date(acc: str, nxt: str, date_key: str) -> bool:
    """Whether ``nxt`` continues the date that ``acc`` ends with (or starts it).

    >>> _continues_date("关于印发的通知知2023年5", "月4日", "2023年5月4日")
    True
    >>> _continues_date("关于印发的通知", "自然资发2023", "2023年5月4日")
    False
    """
    done = max(k for k in range(len(date_key) + 1) if acc.endswith(date_key[:k]))
    return date_key[done:].startswith(nxt)


def _title_at(stream: list[Line], i: int, first: str, entry: TocEntry) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """If the entry's title (and date) starts at line ``i`` (its text after any
    number is ``first``), the line after the heading and any flags."""
    title_key = key(entry.title)
    full_key = title_key + key(entry.issued_on_raw or "")
    acc = key(first)
    j = i + 1
    while len(acc) < len(title_key) and j < len(stream) and j - i < _MAX_HEADING_LINES:
        acc += key(stream[j][0])
        j += 1
    head = acc[: len(title_key)]
    if head[:6] != title_key[:6]:
        return None
    if difflib.SequenceMatcher(None, head, title_key, autojunk=False).ratio() < _MIN_TITLE_SIMILARITY:
        return None
    # Take the lines that continue the title and then the date (a date often
    # wraps). The date is also matched on its own: the contents' title may
    # carry a typo (通知知) that the body's does not.
    date_key = key(entry.issued_on_raw or "")
    while j < len(stream) and j - i < _MAX_HEADING_LINES:
        nxt = key(stream[j][0])
        if not (full_key.startswith(acc + nxt) or (nxt and _continues_date(acc, nxt, date_key))):
            break
        acc += nxt
        j += 1
    if head == title_key:
        return j, ()
    body_title = "".join(clean(line) for line, _ in stream[i:j])
    return j, (("body_title_differs", f"contents: {entry.title} | body: {body_title}"),)
