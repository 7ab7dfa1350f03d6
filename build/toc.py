"""Step 3a: parse the table of contents into document entries.

The table of contents is the run of consecutive pages with dot leaders
(``……… 23``). Each entry spans one or more lines and ends with its page number,
after leaders or glued to the closing bracket of the date (``日）313``).
Entries are sections (``一、国家``), province headings (``（一）北京``) and
documents (``1. 标题（2023 年6 月1 日）``). Anything before the first section
(前言, 目录) is front matter, counted and ignored. Numbering must run without
gaps, so a lost or merged entry stops the build instead of shifting ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from .errors import ParseError
from .pages import Page
from .numerals import cn_int
from .repair import clean

_LEADER_END = re.compile(r"[.…·．]{2,}\s*(\d{1,4})\s*$")
_GLUED_END = re.compile(r"[日月年][）)]\s*(\d{1,4})\s*$")
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(\S.*)$", re.S)
_GROUP = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(\S.*)$", re.S)
_DOC = re.compile(r"^(\d+)\s*[.．]\s*(\S.*)$", re.S)
_DATE_SUFFIX = re.compile(r"[（(](\d{4})年(\d{1,2})月(?:(\d{1,2})(日?))?[）)]$")
@dataclass(frozen=True)
class TocEntry:
    section_no: int
    section: str
    group_no: int  # 0 where the section has no province headings (国家)
    group_name: str | None
    seq: int
    title: str
    title_raw: str
    issued_on: dt.date | None
    issued_on_raw: str | None
    toc_page: int
    listed_page: int
    flags: tuple[tuple[str, str], ...] = ()  # (code, detail)


@dataclass(frozen=True)
class Heading:
    kind: str  # "section" or "group"
    number: int
    name: str
    listed_page: int
    toc_page: int


@dataclass
class Toc:
    entries: list[TocEntry]
    headings: list[Heading]
    pages: tuple[int, ...]
    ignored: Counter[str] = field(default_factory=Counter)


def toc_pages(pages: list[Page]) -> list[Page]:
    """The first run of consecutive pages whose lines end entries: dot leaders
    and a page number (``……… 23``), or a page number glued to the date
    (``（2023 年5 月23 日）313``). The run starts at the first leader line."""
    run: list[Page] = []
    for page in pages:
        leaders = any(_LEADER_END.search(line) for line in page.lines)
        glued = any(_GLUED_END.search(line) for line in page.lines)
        if leaders or (run and glued):
            run.append(page)
        elif run:
            break
    if not run:
        raise ParseError("table of contents", "no page with dot leaders ('……… 23') found")
    return run


def _entries(pages: list[Page]) -> list[tuple[list[str], int, int]]:
    """Group lines into entries: (lines, page of first line, listed page)."""
    out = []
    buf: list[str] = []
    first_page = 0
    for page in pages:
        for line in page.lines:
            if not buf:
                first_page = page.number
            buf.append(line)
            m = _LEADER_END.search(line) or _GLUED_END.search(line)
            if m:
                # Keep the closing bracket of a glued entry; drop leaders and number.
                cut = m.start(1) if m.re is _GLUED_END else m.start()
                buf[-1] = line[:cut]
                out.append((buf, first_page, int(m.group(1))))
                buf = []
    if buf:
        raise ParseError(
            f"table of contents page {first_page}",
            f"entry without a page number at the end of the contents: {' '.join(buf)[:80]!r}",
        )
    return out


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        part = clean(line)
        if out and out[-1].isascii() and out[-1].isalpha() and part[:1].isascii() and part[:1].isalpha():
            out += " "
        out += part
    return clean(out)


def parse_toc(pages: list[Page]) -> Toc:
    """Parse the table of contents found in ``pages``.

    >>> page = Page(3, ("一、国家........ 23", "1. 国务院办公厅关于深入推进跨部门综合监管的指导意见", "（2023 年1 月13 日）.......... 95"))
    >>> e = parse_toc([page]).entries[0]
    >>> (e.section, e.seq, e.title, e.issued_on.isoformat(), e.listed_page)
    ('国家', 1, '国务院办公厅关于深入推进跨部门综合监管的指导意见', '2023-01-13', 95)
    """
    run = toc_pages(pages)
    toc = Toc(entries=[], headings=[], pages=tuple(p.number for p in run))
    section: Heading | None = None
    group: Heading | None = None
    seq = 0
    for lines, toc_page, listed in _entries(run):
        text = _join(lines)
        where = f"table of contents page {toc_page}"
        if m := _SECTION.match(text):
            number = cn_int(m.group(1))
            expected = section.number + 1 if section else 1
            if number != expected:
                raise ParseError(where, f"section {m.group(1)}、 out of sequence (expected {expected}): {text!r}")
            section = Heading("section", number, m.group(2), listed, toc_page)
            group, seq = None, 0
            toc.headings.append(section)
        elif section is None:
            toc.ignored["front_matter"] += 1
        elif m := _GROUP.match(text):
            number = cn_int(m.group(1))
            expected = group.number + 1 if group else 1
            if number != expected or seq and group is None:
                raise ParseError(where, f"heading （{m.group(1)}） out of sequence (expected {expected}): {text!r}")
            group, seq = Heading("group", number, m.group(2), listed, toc_page), 0
            toc.headings.append(group)
        elif m := _DOC.match(text):
            number = int(m.group(1))
            if number != seq + 1:
                raise ParseError(where, f"entry {number}. out of sequence (expected {seq + 1}): {text!r}")
            seq = number
            toc.entries.append(_document(m.group(2), lines, section, group, number, toc_page, listed))
        else:
            raise ParseError(where, f"entry is neither a section, a province heading nor a document: {text!r}")
    if not toc.entries:
        raise ParseError("table of contents", "no document entries found")
    return toc


def _document(
    body: str, lines: list[str], section: Heading, group: Heading | None, seq: int, toc_page: int, listed: int
) -> TocEntry:
    flags: list[tuple[str, str]] = []
    issued_on = issued_raw = None
    title = body
    if m := _DATE_SUFFIX.search(body):
        title = body[: m.start()]
        issued_raw = m.group(0)[1:-1]
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if day is None:
            flags.append(("toc_date_incomplete", f"date has no day: {issued_raw}"))
        else:
            if not m.group(4):
                flags.append(("toc_date_malformed", f"date lacks 日: {issued_raw}"))
            try:
                issued_on = dt.date(year, month, int(day))
            except ValueError:
                flags.append(("toc_date_invalid", f"not a calendar date: {issued_raw}"))
    else:
        flags.append(("toc_date_missing", "no date in the table-of-contents entry"))
    return TocEntry(
        section_no=section.number,
        section=section.name,
        group_no=group.number if group else 0,
        group_name=group.name if group else None,
        seq=seq,
        title=title,
        title_raw="\n".join(lines),
        issued_on=issued_on,
        issued_on_raw=issued_raw,
        toc_page=toc_page,
        listed_page=listed,
        flags=tuple(flags),
    )
