"""Step 3c: a body's lines as blocks: runs of prose, and tables printed one cell per line.

Task tables (责任清单, 任务分工表, 事项清单) reach a text dump one cell per
line: the header's column names, then for each row its number and its cells
in column order, an empty cell printing nothing, a long cell wrapping over
several lines, several units stacked in one cell one per line. This module
finds them and reads their rows; everything else is prose for
:func:`repair.join_lines`.

* A **header** is a run of at least three lines naming columns, most of them
  known names (序号, 改革事项, 具体措施, 责任单位, 牵头单位, 配合单位, 完成时限 …,
  see :data:`COLUMN_NAMES`), followed by a row.
* A **row** starts at a line holding only its number, the next in sequence
  (a cell that merely begins with a number, 10千伏…, never starts one). A
  **group row** (一、开办企业) between rows is a heading. The header repeated
  at the top of a page is dropped and counted; the lines after it continue
  the row the page break split.
* The **cells** of a row are decided by what the lines contain, since line
  positions are lost: unit names go to the unit columns (责任单位 …), time
  expressions to the time column, the rest to the text columns in order.
  Two text columns side by side (改革事项 | 具体措施) are told apart by the
  narrow column's line width.
* The table ends at a line no cell holds: a date standing alone (a
  signature), 附件, a bracketed note, a labelled paragraph that is not a
  group row, or a line wider than a table cell.

Entry point: :func:`split_blocks`.

>>> lines = [(t, 4) for t in ["序号", "事项名称", "责任单位", "完成时限", "1", "企业开办", "市市场监管局", "市税务局",
...                            "2023 年6 月底前", "2", "压减办电时间", "国网长春供电公司", "持续推进"]]
>>> blocks, counts = split_blocks(lines, RegionIndex.load())
>>> [(r.label, [c.text for c in r.cells]) for r in blocks[0].rows]
[('1', ['企业开办', '市市场监管局、市税务局', '2023年6月底前']), ('2', ['压减办电时间', '国网长春供电公司', '持续推进'])]
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .agencies import (GENERIC, ROLE_MARKS, ROLE_WORDS, ends_unit, join_unit_lines, looks_like_unit, split_glued,
                       split_units, worded_units)
from .regions import RegionIndex
from .repair import BRACKET_NOTE, DATE_LINE, LABEL_START, PagedText, clean, concat, join_lines, pieces, printed_width

Line = tuple[str, int]  # (text as extracted, page)

# Column names as printed → the role of their cells.
COLUMN_NAMES: dict[str, str] = {
    **dict.fromkeys(("序号", "编号"), "number"),
    **dict.fromkeys(("改革事项", "改革任务", "重点任务", "主要任务", "工作任务", "任务", "任务名称", "事项名称", "事项",
                     "工作事项", "重点领域", "领域", "类别", "项目", "指标", "评价指标", "重点工作", "改革内容"), "task"),
    **dict.fromkeys(("具体措施", "工作措施", "主要措施", "措施", "工作内容", "具体内容", "主要内容", "任务内容", "政策措施",
                     "具体举措", "举措", "工作举措", "具体任务", "目标任务", "工作目标", "改革举措", "任务措施",
                     "实施内容", "具体工作", "工作要求", "主要举措", "具体事项"), "action"),
    **dict.fromkeys(("责任单位", "责任部门", "实施部门", "实施单位", "承办单位", "责任主体", "主责部门", "负责单位",
                     "办理部门", "实施主体", "责任处室", "责任主体单位", "实施机关", "受理机关", "执法机关",
                     "审批机关"), "responsible"),
    **dict.fromkeys(("牵头单位", "牵头部门", "牵头处室", "牵头责任单位", "主办单位", "主办部门"), "lead"),
    **dict.fromkeys(("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "配合处室", "配合责任单位"), "cooperating"),
    **dict.fromkeys(("完成时限", "完成时间", "时间节点", "时限", "完成期限", "进度安排", "时间安排", "时限要求",
                     "完成时限要求", "时间要求"), "due"),
    **dict.fromkeys(("承诺时限", "办理时限", "法定时限", "承诺办结时限", "办结时限"), "limit"),
    **dict.fromkeys(("备注", "说明"), "note"),
}
# A name the list above lacks is read by its last words (兑现时限 is a time
# limit, 主办单位 a unit column); anything else is "other".
_ROLE_BY_ENDING: tuple[tuple[tuple[str, ...], str], ...] = (
    (("承诺时限", "办理时限", "办结时限", "兑现时限", "法定时限"), "limit"),
    (("时限", "时间", "期限", "节点"), "due"),
    (("牵头单位", "牵头部门"), "lead"),
    (("配合单位", "配合部门", "协办单位", "参与单位"), "cooperating"),
    (("单位", "部门", "处室", "主体", "机关"), "responsible"),
    (("措施", "内容", "举措", "目标"), "action"),
    (("事项", "任务", "名称", "指标"), "task"),
)
UNIT_ROLES = ("responsible", "lead", "cooperating")
_NAME_GLOSS = re.compile(r"（[^（）]{1,4}）$")
# A column named by a period of the year (一季度 … 四季度, 上半年, 6月) under a schedule
# (2023 年进度安排): its cells say what is due by the end of that period (完成50%),
# one short line each, '—' where nothing is.
PERIOD_NAME = re.compile(r"(?:第?[一二三四1-4]季度|[上下]半年|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?)")
_NOTHING_DUE = frozenset({"—", "——", "-", "－", "/", "／", "无"})
# A remark naming the row's lead among its units: 牵头单位为市行政审批服务管理局.
LEAD_REMARK = re.compile(r"(?:由)?牵头(?:单位|部门)?(?:为|是|：|:)")
# How far a row has got, as a 备注 column reports it.
_STATUS = re.compile(r"已完成|基本完成|持续推进|正在推进|推进中|已启动|未完成|长期坚持|按计划推进")
# Unit columns whose units oversee the row rather than carry it out: role "other".
SUPERVISING = frozenset({"督办单位", "督办部门", "督导单位", "督查单位", "督促单位"})
TEXT_ROLES = ("task", "action", "note", "other")
_MIN_HEADER = 3
# An unlisted column name (办理层级, 政策依据 …, 2023年目标值): a few characters, maybe after a year.
_OTHER_NAME = re.compile(r"(?:(?:19|20)\d{2}年)?[\u4e00-\u9fff]{1,6}")
# A row number as printed: 1, 1. or 1、 (the text dump and the PDF layout reader share it).
# Two levels under group rows too: 1.1, 1.2 (一、…), 2.1 (二、…).
ROW_NUMBER = re.compile(r"\d{1,3}(?:[.．]\d{1,3})?[.．、]?")
_GROUP_ROW = re.compile(r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^。；]{1,30}")
# A time cell starts with a date, a duration, an open-ended term, or the event a limit counts
# from (自申报截止之日 / 起30 个工作日 / 内).
_TIME_START = re.compile(
    r"(?:\d{4}年|\d{4}[—–\-－]\d{4}年|\d{1,2}月|[上下]半年|第?[一二三四1-4]季度|年底|年内|今年|明年|每|持续|长期|常态|立即|立行立改|即时|及时|即办|即日|免申即享|即申即享|自[\u4e00-\u9fff]{1,12}之日"
    r"|当场|当日|当天|\d+(?:\.\d+)?个?(?:工作日|自然日|日|天|小时|个月|月|周|年)|[一二三四五六七八九十两半]+个?(?:工作日|日|天|小时|个月|周|年))"
)
_YEAR_ALONE = re.compile(r"(?:19|20)\d{2}")
_AWAITS_AMOUNT = re.compile(r"(?:起|至|到|于|在|较|超过)$")
# What follows a year on the next line when the width wrapped a date (not 年营商环境…).
_DATE_AFTER_YEAR = re.compile(r"年(?:\d{1,2}月|[一二三四五六七八九十]{1,2}月|底|末|内|前|[上下]半年|第?[一二三四1-4]季度)")
# Widest printed line a table cell holds (CJK characters count two): body
# lines run to about 35 characters, cells to about 20.
_MAX_CELL_WIDTH = 54


@dataclass(frozen=True)
class Column:
    name: str  # as printed
    role: str  # number, task, action, responsible, lead, cooperating, due, limit, note or other

    @property
    def layout(self) -> str:
        """The role the column's lines are placed by: a 督办单位 column holds units, but it is
        "other" (it supervises, it does not carry out the row); a 二季度 column is "due",
        placed as a period's one-line cell."""
        if self.name in SUPERVISING:
            return "responsible"
        return "period" if PERIOD_NAME.fullmatch(self.name) else self.role


@dataclass(frozen=True)
class Cell:
    column: int  # index into Table.columns
    lines: tuple[Line, ...]
    text: str  # cleaned; units of a unit column joined with 、
    units: tuple[str, ...] = ()  # the units of a unit column, one per name


@dataclass(frozen=True)
class Row:
    label: str  # the row number as printed
    number_line: Line
    cells: tuple[Cell, ...]  # non-empty cells, in column order


@dataclass(frozen=True)
class GroupRow:
    line: Line


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    header: tuple[Line, ...]
    items: tuple[Row | GroupRow, ...]

    @property
    def rows(self) -> list[Row]:
        return [i for i in self.items if isinstance(i, Row)]


@dataclass(frozen=True)
class Prose:
    lines: tuple[Line, ...]


Block = Prose | Table


def column_role(name: str) -> str | None:
    """The role of a column heading as printed; None for a name nothing tells.

    >>> column_role("牵头单位"), column_role("兑现时限"), column_role("主办单位"), column_role("办理层级")
    ('lead', 'limit', 'lead', None)
    >>> column_role("督办单位"), column_role("实施主体")
    ('other', 'responsible')
    >>> column_role("责任单位（部门）"), column_role("工作内容及目标")
    ('responsible', 'action')
    """
    if name in COLUMN_NAMES:
        return COLUMN_NAMES[name]
    if name in SUPERVISING:
        return "other"
    if _NAME_GLOSS.search(name) and _NAME_GLOSS.sub("", name) in COLUMN_NAMES:
        return COLUMN_NAMES[_NAME_GLOSS.sub("", name)]  # 责任单位（部门）: the name and a gloss on it
    if PERIOD_NAME.fullmatch(name):
        return "due"
    return next((role for endings, role in _ROLE_BY_ENDING if name.endswith(endings)), None)


def column_names(lines: list[str]) -> list[str]:
    """A header's column names: a name its narrow column wrapped (牵头 / 单位) is put back together.

    >>> column_names(["序号", "重点任务", "牵头", "单位", "完成时限"])
    ['序号', '重点任务', '牵头单位', '完成时限']
    >>> column_names(["序号", "重点任务", "责任单位", "牵头单位", "配合单位", "完成时限"])
    ['序号', '重点任务', '牵头单位', '配合单位', '完成时限']
    """
    names: list[str] = []
    for line in lines:
        if names and names[-1] + line in COLUMN_NAMES and names[-1] not in COLUMN_NAMES:
            names[-1] += line
        else:
            names.append(line)
    # 责任单位 over 牵头单位 and 配合单位, and a schedule (2023年进度安排) over its periods
    # (一季度, 二季度 …), are the upper level of a two-level header, no column of their own.
    return [n for k, n in enumerate(names)
            if not (column_role(n) == "responsible"
                    and [column_role(m) for m in names[k + 1:k + 3]] == ["lead", "cooperating"])
            and not (not PERIOD_NAME.fullmatch(n) and len(names[k + 1:k + 3]) == 2
                     and all(PERIOD_NAME.fullmatch(m) for m in names[k + 1:k + 3]))]


def _header_length(texts: list[str], i: int) -> int:
    """How many lines from ``i`` form a table header (0: none)."""
    # A header opens with a listed name, maybe wrapped over two lines (序 / 号): most lines are
    # no header, and this says so before the names are read.
    if texts[i] not in COLUMN_NAMES and texts[i] + (texts[i + 1] if i + 1 < len(texts) else "") not in COLUMN_NAMES:
        return 0
    j = i
    while j < len(texts) and (column_role(texts[j]) is not None or _OTHER_NAME.fullmatch(texts[j])):
        j += 1
    length = j - i
    names = column_names(texts[i:j])
    if not names or names[0] not in COLUMN_NAMES:  # a table title (…责任清单) is not a column
        return 0
    roles = [column_role(n) for n in names]
    known = sum(r is not None for r in roles)
    # A column saying who or when, and most names telling what they hold.
    if len(names) < _MIN_HEADER or not set(roles) & {*UNIT_ROLES, "due", "limit"} or known * 2 < len(names):
        return 0
    if "number" not in roles:
        return _unnumbered_header_length(texts, i, length)
    if j >= len(texts) or not (ROW_NUMBER.fullmatch(texts[j]) or _GROUP_ROW.fullmatch(texts[j])):
        return 0
    return length


def _unnumbered_header_length(texts: list[str], i: int, longest: int) -> int:
    """How many lines from ``i`` form the header of a table without 序号 (0: none).

    Its rows end with their time cell (see :func:`_read_table`), so the header
    ends with a time column; the first cell of the first row (企业开办) may read
    like a name, so the header is the longest run of names that ends there.
    Every name is a known one: a run of short lines of prose never passes.
    """
    for length in range(longest, 0, -1):
        roles = [column_role(n) for n in column_names(texts[i:i + length])]
        if roles[-1] in ("due", "limit"):
            ok = (len(roles) >= 4 and None not in roles and set(roles) & set(UNIT_ROLES)
                  and set(roles) & {"task", "action"})
            return length if ok and i + length < len(texts) else 0
    return 0


def is_time_text(text: str) -> bool:
    return bool(_TIME_START.match(text))


@dataclass
class _RowDraft:
    label: str
    number_line: Line
    # A row split by a page break prints each page's part of every cell in
    # column order: one segment per page, each assigned to the columns anew.
    segments: list[list[Line]] = field(default_factory=lambda: [[]])

    @property
    def lines(self) -> list[Line]:
        return [line for segment in self.segments for line in segment]


def split_blocks(lines: list[Line], index: RegionIndex) -> tuple[list[Block], Counter[str]]:
    """The body as prose runs and tables; counts of what was dropped or could not be placed."""
    counts: Counter[str] = Counter()
    lines = _one_cell_a_line(lines, index, counts)
    texts = [clean(line) for line, _ in lines]
    blocks: list[Block] = []
    prose: list[Line] = []
    i = 0
    while i < len(lines):
        length = _header_length(texts, i)
        if not length:
            prose.append(lines[i])
            i += 1
            continue
        table, end = _read_table(lines, texts, i, length, index, counts)
        if prose:
            blocks.append(Prose(tuple(prose)))
            prose = []
        blocks.append(table)
        i = end
    if prose:
        blocks.append(Prose(tuple(prose)))
    return blocks, counts


# A space pypdf put between cells that share a baseline (1 企业开办 市市场监管局 2023 年6 月底前).
# The extraction's own spaces follow digits (2023 年6 月), never a character that is none:
# a space after one separates cells.
_CELL_SPACE = re.compile(r"(?<=[^\d\s]) +")
# A row number opening such a line, not the number of a time (6 月底前, 10 个工作日).
_NUMBER_FIRST = re.compile(r"(\d{1,3}(?:[.．]\d{1,3})?[.．、]?) +(?![年月日个周天小时季度%％])(?=\S)")


# The numbers a table's next row may have (1 → 2; 1.3 → 1.4 or 2.1); its first row, any (an excerpt).
RowKeys = frozenset[tuple[int, ...]]
_ANY_ROW: RowKeys = frozenset({()})


def _row_key(text: str) -> tuple[int, ...]:
    """A row number as printed, as numbers: 3、 → (3,), 1.2 → (1, 2)."""
    return tuple(int(n) for n in re.findall(r"\d+", text))


def _next_rows(text: str) -> RowKeys:
    """The numbers the row after the one numbered ``text`` may have."""
    key = _row_key(text)
    if len(key) == 1:
        return frozenset({(key[0] + 1,)})
    return frozenset({(key[0], key[1] + 1), (key[0] + 1, 1)})


def _is_next(text: str, expected: RowKeys | None) -> bool:
    """Whether a row numbered ``text`` may come next (any may, outside a known run)."""
    return expected is None or expected is _ANY_ROW or _row_key(text) in expected


def _one_cell_a_line(lines: list[Line], index: RegionIndex, counts: Counter[str]) -> list[Line]:
    """``lines`` with the cells that pypdf printed on one line, as they share a baseline, one a line.

    A header printed on one line (序号 主要任务 责任单位 完成时限) is split wherever
    every word is a column name. Below a header, so is a line that opens with
    the next row's number (3 市政数局、市市场监管局 2023 年6 月底前; not 160 千瓦…
    nor a note's 2. after the table), or whose last cell is a time and whose
    others are units (市发展改革委 — 长期坚持). Anything else is left as printed:
    units printed with spaces between them in their own cell (市住房和城乡建设局
    国网黄石供) are a cell's line, and prose has no such spaces.

    Under a header printed on one line, a row whose number line holds several
    cells and whose next lines do too was printed line by line across its
    cells (a PDF written by baseline): see :func:`_across_rows`.
    """
    out: list[Line] = []
    expected: RowKeys | None = None  # the next row's numbers below a header; None: no header yet
    roles: list[str | None] | None = None  # the columns of a header printed on one line
    row: list[tuple[list[str], int]] = []  # a row printed across its cells: each line's pieces, and its page

    def flush() -> None:
        if row:
            out.extend(_across_rows(row, roles or [], index, counts))
            row.clear()

    for line, page in lines:
        text = clean(line)
        words = line.split()
        if row and not _opens_row(line, expected) and not _ends_across(text) and text not in _CONTINUED \
                and len(pieces := [p for p in _CELL_SPACE.split(line.strip()) if p]) < len(roles or []):
            row.append((pieces, page))
            continue
        flush()
        # A header atop a page (maybe under 续表) repeats the table's: its numbers go on.
        repeated = expected is not None and bool(out) and (out[-1][1] != page or clean(out[-1][0]) in _CONTINUED)
        if len(words) >= _MIN_HEADER and all(len(w) <= 8 and column_role(clean(w)) is not None for w in words):
            out += [(w, page) for w in words]
            counts["table_header_on_one_line"] += 1
            expected = expected if repeated else _ANY_ROW
            roles = [column_role(clean(w)) for w in words]
            continue
        if COLUMN_NAMES.get(text) == "number":
            expected = expected if repeated else _ANY_ROW
            roles = None
        elif expected is not None and ROW_NUMBER.fullmatch(text) and _is_next(text, expected):
            expected = _next_rows(text)
        elif expected is not None and (cells := _shared_line(line, expected, roles is not None, index)) is not None:
            counts["table_cells_on_one_line"] += 1
            if ROW_NUMBER.fullmatch(cells[0]):
                expected = _next_rows(cells[0])
                if roles is not None and len(cells) >= 3:
                    row.append((cells, page))  # maybe the first line of a row printed across its cells
                    continue
            out += [(cell, page) for cell in cells]
            continue
        out.append((line, page))
    flush()
    return out


def _nested_choices(sizes: list[int], columns: tuple[int, ...]) -> Iterator[list[tuple[int, ...]]]:
    """The columns each line's pieces may fill: ``sizes[k]`` of the columns of the line before.

    A cell's lines run from the row's first line down, so a line holds pieces of
    the cells the line above held, or of fewer: a few choices per row, not one
    per line.

    >>> list(_nested_choices([2, 1], (0, 1, 2)))[:4]
    [[(0, 1), (0,)], [(0, 1), (1,)], [(0, 2), (0,)], [(0, 2), (2,)]]
    """
    if not sizes:
        yield []
        return
    for taken in itertools.combinations(columns, sizes[0]):
        for rest in _nested_choices(sizes[1:], taken):
            yield [taken, *rest]


def _opens_row(line: str, expected: RowKeys | None) -> bool:
    """Whether ``line`` (as printed) opens the next row: its number, alone or before cells."""
    line = line.strip()
    first = _NUMBER_FIRST.match(line)
    number = first.group(1) if first else line if ROW_NUMBER.fullmatch(line) else None
    return number is not None and expected is not None and _is_next(number, expected)


def _ends_across(text: str) -> bool:
    """A line that no cell of a table holds: a heading or label of the body, a note, a date alone."""
    return (bool(LABEL_START.match(text)) and not re.match(r"\d|（\d|\(\d", text)) or bool(BRACKET_NOTE.match(text)) \
        or text.startswith(("附件", "注：", "注:")) or bool(DATE_LINE.match(text)) or text in COLUMN_NAMES


def _across_rows(row: list[tuple[list[str], int]], roles: list[str | None], index: RegionIndex,
                 counts: Counter[str]) -> list[Line]:
    """A row whose cells were printed line by line across the row, one cell a line again.

    Each line holds one piece of each cell that still has a line there, in column
    order (a cell of fewer lines drops out: 化局 alone may end a unit cell). Which
    cells a line's pieces belong to is chosen as the cells of one-cell-a-line rows
    are (:func:`_score`), a time cell going on only with the rest of its time
    (2023 年第四 / 季度前). A row of one line, or one no choice fits, stays as
    printed (its number line cut into cells).
    """
    (first, page), more = row[0], row[1:]
    number, cells = first[0], first[1:]
    as_printed = [(number, page), *((c, page) for c in cells), *((" ".join(p), pg) for p, pg in more)]
    columns = [r or "other" for r in roles if r != "number"]
    lines = [cells, *(p for p, _ in more)]
    # A cell never starts below the row's first line: no line holds more pieces than the one above.
    if not more or any(len(later) > len(earlier) for earlier, later in zip([columns, *lines], lines)):
        return as_printed
    units = _UnitCounter(index)
    best: tuple[float, list[list[str]]] | None = None
    for choice in _nested_choices([len(p) for p in lines], tuple(range(len(columns)))):
        by_column: list[list[str]] = [[] for _ in columns]
        for pieces_, columns_taken in zip(lines, choice):
            for piece, c in zip(pieces_, columns_taken):
                by_column[c].append(piece)
        total = 0.0
        for c, role in enumerate(columns):
            texts = [clean(t) for t in by_column[c]]
            gain = _score(role, c, texts, [_line_kind(t, index) for t in texts],
                          units.count(texts) if role in UNIT_ROLES and texts else None)
            if gain is None or (role in ("due", "limit") and not all(_TIME_GOES_ON.match(t) or len(t) <= 4
                                                                       for t in texts[1:])):
                break
            total += gain
        else:
            if best is None or total > best[0]:
                best = (total, by_column)
    if best is None:
        return as_printed
    counts["table_row_across_cells"] += 1
    return [(number, page), *((piece, page) for column in best[1] for piece in column)]


def _shared_line(line: str, expected: RowKeys, one_line_header: bool, index: RegionIndex) -> list[str] | None:
    """The cells of a table line that holds several, as :func:`_one_cell_a_line` says; None for one.

    Under a header printed on one line, a row's number may share its line with its first cell
    alone (2 推进工程建设项目…); under one printed a name a line, it opens a row only before a
    unit or a time (not 10 千伏及以下…, a task cell's line)."""
    first = _NUMBER_FIRST.match(line.strip())
    if first and _is_next(first.group(1), expected):
        cells = [c for c in _CELL_SPACE.split(line.strip()[first.end():]) if c]
        if one_line_header or any(_line_kind(clean(c), index) in ("unit", "time") for c in cells):
            return [first.group(1), *cells] if cells else None
        return None
    cells = [c for c in _CELL_SPACE.split(line.strip()) if c]
    texts = [clean(c) for c in cells]
    if len(cells) < 2 or not (is_time_text(texts[-1]) or texts[-1] in _NOTHING_DUE):
        return None
    if all(t in _NOTHING_DUE or t in GENERIC or all(looks_like_unit(u, index) for u in split_units(t)) for t in texts[:-1]):
        return cells
    return None


def _read_table(lines: list[Line], texts: list[str], start: int, length: int, index: RegionIndex,
                counts: Counter[str]) -> tuple[Table, int]:
    header_texts = texts[start:start + length]
    columns = tuple(Column(t, column_role(t) or "other") for t in column_names(header_texts))
    items: list[_RowDraft | GroupRow] = []
    pos = start + length
    expected: RowKeys | None = None
    numbered = any(c.role == "number" for c in columns)
    timed = False  # without 序号: the current row's time cell, its last, has begun
    while pos < len(lines):
        text = texts[pos]
        if texts[pos:pos + length] == header_texts:
            counts["table_header_repeated"] += 1
            if items and isinstance(items[-1], _RowDraft):
                items[-1].segments.append([])
            pos += length
            continue
        if text in _CONTINUED:
            counts["table_continued_label"] += 1  # 续表 above a repeated header
            pos += 1
            continue
        if not numbered:
            # A row ends with its time cell: the first line after it that neither is a time nor goes
            # on with one (2023 年 6 月 / 30 日前) opens the next row, with its first cell.
            if _ends_table(texts, pos, None):
                break
            time_line = is_time_text(text)
            if not items or (timed and not time_line and not _TIME_GOES_ON.match(text)):
                items.append(_RowDraft("", lines[pos], [[]]))
                counts["table_row_without_number"] += 1
                timed = False
            items[-1].segments[-1].append(lines[pos])
            timed = timed or time_line
            pos += 1
            continue
        if ROW_NUMBER.fullmatch(text) and _is_next(text, expected):
            row = _RowDraft(text, lines[pos])
            last = items[-1] if items and isinstance(items[-1], _RowDraft) else None
            if last is not None and _without_text(texts, pos + 1, index):
                moved = _text_after_time(last, index)
                if moved:
                    # The row's first cell printed above its number line (its short cells share the
                    # baseline of the cell's last line): it ended the row above, after its time.
                    counts["table_cell_above_number"] += 1
                    same_page = moved[-1][-1][1] == lines[pos][1]
                    row.segments = moved if same_page else [*moved, []]
            items.append(row)
            expected = _next_rows(text)
            pos += 1
            continue
        if _GROUP_ROW.fullmatch(text):
            # A group may number its rows afresh (二、优化市场竞争环境 / 1 …).
            restart = expected not in (None, _FIRST_ROW) and _next_is_row(texts, pos + 1, header_texts, _FIRST_ROW)
            if restart or _next_is_row(texts, pos + 1, header_texts, expected):
                items.append(GroupRow(lines[pos]))
                if restart:
                    expected = _FIRST_ROW
                    counts["table_numbering_restarted"] += 1
                pos += 1
                continue
        if not items or isinstance(items[-1], GroupRow) or _ends_table(texts, pos, expected, _open_row(items[-1], index)):
            break
        items[-1].segments[-1].append(lines[pos])
        pos += 1
    last = next((item for item in reversed(items) if isinstance(item, _RowDraft)), None)
    if last is not None and pos < len(lines) and DATE_LINE.match(texts[pos]):
        pos -= _give_back_signature(last, index)
    while items and isinstance(items[-1], GroupRow):  # a heading after the last row is prose
        items.pop()
        pos -= 1
    table = Table(columns, tuple(lines[start:start + length]),
                  tuple(item if isinstance(item, GroupRow) else _row(item, columns, index, counts) for item in items))
    return _split_text_columns(_same_as_above(table, counts), counts), pos


# A label over a table's part on a new page.
_CONTINUED = frozenset({"续表", "（续表）", "(续表)", "续上表"})


def _without_text(texts: list[str], pos: int, index: RegionIndex) -> bool:
    """Whether the row whose lines start at ``pos`` has only units and times before the next row."""
    kinds = []
    while pos < len(texts) and not ROW_NUMBER.fullmatch(texts[pos]) and texts[pos] not in COLUMN_NAMES \
            and texts[pos] not in _CONTINUED and len(kinds) < _LOOKAHEAD:
        kinds.append(_line_kind(texts[pos], index))
        pos += 1
    return bool(kinds) and "time" in kinds and set(kinds) <= {"unit", "time"}


def _text_after_time(row: _RowDraft, index: RegionIndex) -> list[list[Line]]:
    """Take the text lines that follow a row's time cell out of it, by page (none: [])."""
    flat = [(k, line) for k, segment in enumerate(row.segments) for line in segment]
    kinds = [_line_kind(clean(line), index) for _, (line, _) in flat]
    times = [i for i, kind in enumerate(kinds) if kind == "time"]
    if not times:
        return []
    start = times[-1] + 1
    while start < len(flat) and _TIME_GOES_ON.match(clean(flat[start][1][0])):
        start += 1  # the rest of the time the width wrapped (2023 年9 月底 / 前)
    if start == len(flat) or set(kinds[start:]) != {"text"}:
        return []
    moved: dict[int, list[Line]] = {}
    for k, line in flat[start:]:
        moved.setdefault(k, []).append(line)
    for k, taken in moved.items():
        del row.segments[k][-len(taken):]
    return list(moved.values())


# A unit cell that repeats the one above it.
SAME_AS_ABOVE = "同上"


def _same_as_above(table: Table, counts: Counter[str]) -> Table:
    """A unit cell printed 同上 holds the units of the same column in the row above (its text stays 同上).

    So does a 责任单位 or 牵头单位 cell not printed at all: a cell merged over
    a run of rows is printed once, in the run's first row. (A 配合单位 cell is
    often empty; it is left empty.)
    """
    items: list[Row | GroupRow] = []
    above: dict[int, Cell] = {}
    merged = [k for k, c in enumerate(table.columns) if c.layout in ("responsible", "lead")]
    for item in table.items:
        if isinstance(item, Row):
            cells = [Cell(c.column, c.lines, c.text, above[c.column].units if c.column in above else ())
                     if c.units == (SAME_AS_ABOVE,) else c for c in item.cells]
            present = {c.column for c in cells}
            # Rendered in this row, on this row's page.
            inherited = [Cell(k, tuple((t, item.number_line[1]) for t, _ in above[k].lines), above[k].text,
                              above[k].units) for k in merged if k not in present and k in above]
            counts["table_unit_cell_merged"] += len(inherited)
            cells = sorted(cells + inherited, key=lambda c: c.column)
            above.update({c.column: c for c in cells if c.units})
            item = Row(item.label, item.number_line, tuple(cells))
        items.append(item)
    return Table(table.columns, table.header, tuple(items))


def _next_is_row(texts: list[str], pos: int, header: list[str], expected: RowKeys | None) -> bool:
    if texts[pos:pos + len(header)] == header:
        pos += len(header)
    return pos < len(texts) and bool(ROW_NUMBER.fullmatch(texts[pos])) and _is_next(texts[pos], expected)


_FIRST_ROW: RowKeys = frozenset({(1,)})


_DATE_GOES_ON = re.compile(r"(?:之|以)?前")
# The rest of a time the width cut (2023 年 12 / 月 31 日前, 2023 年9 月30 日 / 前).
_TIME_GOES_ON = re.compile(r"\d{1,2}\s*[月日]|月\s*\d|日(?:之|以)?前|(?:之|以)?前|底前?|末")
_ALIAS_LINE = re.compile(r"（([\u4e00-\u9fff]{2,12})）")
# How far a wide line looks for the next row before it is taken for prose.
_LOOKAHEAD = 12


def _open_row(row: _RowDraft, index: RegionIndex) -> bool:
    """Whether a row's part on this page has neither a unit nor a time yet: its text cells go on
    (they may quote a law whose lines open with 第三十五条 or （一）, also after a page break)."""
    return not any(_line_kind(clean(line), index) in ("unit", "time") for line, _ in row.segments[-1])


def _ends_table(texts: list[str], pos: int, expected: RowKeys | None, row_open: bool = False) -> bool:
    text = texts[pos]
    if text in ROLE_MARKS:  # 市自然资源和规划局 / （配合）: the mark of a unit the width wrapped
        return False
    alias = _ALIAS_LINE.fullmatch(text)
    if alias and pos and ends_unit(alias.group(1)) and ends_unit(clean(texts[pos - 1])):
        return False  # 市发展改革和科技局 / （市营商办）: a unit's second name the width wrapped
    # A date alone is a signature's, unless the next line goes on with it (2023 年9 月30 日 / 前).
    if DATE_LINE.match(text) and not (pos + 1 < len(texts) and _DATE_GOES_ON.match(texts[pos + 1])):
        return True
    if text.startswith("附件"):
        return True
    # A note in brackets or a provision label of the body (not 1. or （1）, which cells hold too),
    # unless a row's text cell, no wider than a cell, goes on with it: （延续） after 安全生产许可,
    # 第三十五条：国家对食品生产经 in a 设定依据 cell.
    if BRACKET_NOTE.match(text) or (LABEL_START.match(text) and not re.match(r"\d|（\d|\(\d", text)):
        return not (row_open and printed_width(text) <= _MAX_CELL_WIDTH)
    if printed_width(text) <= _MAX_CELL_WIDTH:
        return False
    # A line wider than a cell is prose, unless the next row follows soon
    # (a wide column of a landscape table).
    return not any(ROW_NUMBER.fullmatch(t) and expected is not None and _row_key(t) in expected
                   for t in texts[pos + 1:pos + _LOOKAHEAD])


def _give_back_signature(row: _RowDraft, index: RegionIndex) -> int:
    """Names right above a signature date belong to the signature, not to the last row."""
    given = 0
    segment = row.segments[-1]
    while len(segment) > 1 and re.fullmatch(r"[\u4e00-\u9fff（）]{4,40}", clean(segment[-1][0])) \
            and clean(segment[-1][0]).endswith(("政府", "办公厅", "办公室", "委员会", "局", "厅")) \
            and not clean(segment[-1][0]).startswith(("市", "省", "区", "县", "各")):
        segment.pop()
        given += 1
    return given


# -- cells ------------------------------------------------------------------------


def _line_kind(text: str, index: RegionIndex) -> str:
    if is_time_text(text):
        return "time"
    if text == SAME_AS_ABOVE:
        return "same"
    # A class word alone on its line (有关部门) is a unit cell's, or the end of one's last name.
    if text in GENERIC or looks_like_unit(text, index):
        return "unit"
    # A list of units the width cut after a separator (市政务服务中心，各县 / （市、区）人民政府): its first name is whole.
    first = _FIRST_OF_LIST.match(text)
    if first and looks_like_unit(first.group(1), index):
        return "unit"
    return "text"


_FIRST_OF_LIST = re.compile(r"([^，、,；;：:。]{3,})[，、,](?=各|[^，、,]{0,6}$)")


def _row(draft: _RowDraft, columns: tuple[Column, ...], index: RegionIndex, counts: Counter[str]) -> Row:
    """A row's cells: each page's segment assigned to the columns (see :func:`_assign`), then merged."""
    by_column: dict[int, list[Line]] = {}
    unplaced = set()
    for k, segment in enumerate(draft.segments):
        # A date can wrap across the page break too: 2023 | (next page) 年10月底前.
        before = next((clean(s[-1][0]) for s in reversed(draft.segments[:k]) if s), None)
        after = next((clean(s[0][0]) for s in draft.segments[k + 1:] if s), None)
        assigned = _assign(segment, columns, index, frozenset(by_column), before, after)
        if assigned is None:
            # No assignment fits the columns: the lines stay together in the
            # first column as plain text, counted, never spread by guesswork.
            counts["table_row_cells_unplaced"] += 1
            first = next(i for i, c in enumerate(columns) if c.role != "number")
            unplaced.add(first)
            assigned = [(first, list(segment))] if segment else []
        for column, lines in assigned:
            by_column.setdefault(column, []).extend(lines)
    cells = tuple(_cell(c, "other" if c in unplaced else columns[c].layout, lines, index)
                  for c, lines in sorted(by_column.items()))
    # A time or unit cell printed '—' says nothing is due, or no one: no cell.
    nothing = [c for c in cells if columns[c.column].layout in ("period", "due", "limit", *UNIT_ROLES)
               and (c.text in _NOTHING_DUE or (len(c.units) == 1 and c.units[0] in _NOTHING_DUE))]
    counts["table_cell_marked_empty"] += len(nothing)
    return Row(draft.label, draft.number_line, tuple(c for c in cells if c not in nothing))


def _assign(lines: list[Line], columns: tuple[Column, ...], index: RegionIndex,
            filled: frozenset[int] = frozenset(), before: str | None = None, after: str | None = None
            ) -> list[tuple[int, list[Line]]] | None:
    """Assign lines to the columns in order, each column a run of lines (maybe none), by dynamic
    programming; None when no assignment fits. ``filled`` are the columns an earlier page's
    segment of the same row filled; ``before`` and ``after`` are the row's lines just before and
    after this page's."""
    cols = [i for i, c in enumerate(columns) if c.role != "number"]
    texts = [clean(line) for line, _ in lines]
    kinds = [_line_kind(t, index) for t in texts]
    for i, text in enumerate(texts):
        # A year alone, the rest of the date on the next line: the width wrapped it (2023 / 年10月底 / 前).
        following = texts[i + 1] if i + 1 < len(texts) else after
        if _YEAR_ALONE.fullmatch(text) and following is not None and _DATE_AFTER_YEAR.match(following):
            kinds[i] = "time"
        # A sentence cut before its period or amount (…自收到发票之日起 / 10 日内支付…, …压减至 / 2 个
        # 工作日以内): the line goes on in the cell before, it opens no time cell.
        if i and kinds[i] == "time" and _AWAITS_AMOUNT.search(texts[i - 1]):
            kinds[i] = "text"
    if texts and before is not None and _YEAR_ALONE.fullmatch(before) and _DATE_AFTER_YEAR.match(texts[0]):
        kinds[0] = "time"  # the rest of a date whose year ended the page before
    n, m = len(texts), len(cols)
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
    # Whether lines start:end read as units, and how many: the same for every
    # unit column, and the costly part of a score.
    unit_spans: dict[tuple[int, int], int | None] = {}
    units = _UnitCounter(index)
    for c in range(m):
        role = columns[cols[c]].layout
        for start in range(n + 1):
            if (c, start) not in best:
                continue
            base = best[(c, start)][0]
            for end in range(start, n + 1):
                if role in UNIT_ROLES and end > start and (start, end) not in unit_spans:
                    unit_spans[(start, end)] = units.count(texts[start:end])
                gain = _score(role, c, texts[start:end], kinds[start:end], unit_spans.get((start, end)),
                              cols[c] in filled)
                if gain is None:
                    continue
                key = (c + 1, end)
                if key not in best or base + gain > best[key][0]:
                    best[key] = (base + gain, start)
    if (m, n) not in best:
        return None
    spans: list[tuple[int, int]] = []
    end = n
    for c in range(m, 0, -1):
        start = best[(c, end)][1]
        spans.append((start, end))
        end = start
    spans.reverse()
    return [(cols[c], list(lines[s:e])) for c, (s, e) in enumerate(spans) if e > s]


class _UnitCounter:
    """How many units lines name, None when one of them is no unit.

    The spans of one row share their lines, and so the names joined from
    them: each name is split, and each unit judged, once.
    """

    def __init__(self, index: RegionIndex) -> None:
        self._index = index
        self._split: dict[str, list[str]] = {}
        self._is_unit: dict[str, bool] = {}

    def count(self, texts: list[str]) -> int | None:
        units = [unit for joined in join_unit_lines(texts, self._index) for unit in self._split_units(joined)]
        if all(self._unit(u) for u in units):
            return len(units)
        worded = worded_units("".join(texts))
        return len(worded) if worded and all(self._unit(u) for u in worded) else None

    def _split_units(self, joined: str) -> list[str]:
        # As _units splits a cell: units printed with spaces between them are cut apart again.
        if joined not in self._split:
            self._split[joined] = [glued for unit in split_units(joined) for glued in split_glued(unit, self._index)]
        return self._split[joined]

    def _unit(self, text: str) -> bool:
        if text not in self._is_unit:
            self._is_unit[text] = text in GENERIC or text == SAME_AS_ABOVE or looks_like_unit(text, self._index)
        return self._is_unit[text]


def _score(role: str, position: int, texts: list[str], kinds: list[str], unit_count: int | None,
           continued: bool = False) -> float | None:
    """How well these lines fill a cell of ``role``; None when they cannot.

    ``unit_count`` is :meth:`_UnitCounter.count` of the lines, for a unit column.
    ``continued``: an earlier page's part of the row filled this cell, so the
    cell may well end there (its part on this page empty)."""
    if not texts:
        # A row without a time or a cooperating unit is common; without a responsible or lead unit, not.
        return 0.0 if role in TEXT_ROLES or continued else (-0.5 if role in ("due", "limit", "cooperating") else -1.0)
    if len(texts) == 1 and texts[0] in _NOTHING_DUE and role in ("due", "limit", *UNIT_ROLES):
        return 3.0 if role in ("due", "limit") else 0.5  # — : nothing here, printed in its cell
    if role in UNIT_ROLES:
        if unit_count is None:
            return None
        # A lead column usually names one unit; further ones cooperate. A lead
        # named on the page before rarely gains a second one on the next.
        if role == "lead" and continued:
            return 3.0 * len(texts) - 0.5
        return 3.0 * len(texts) + (0.5 if role == "lead" and unit_count == 1 else 0.0)
    if role == "note" and texts and LEAD_REMARK.match(texts[0]):
        return 3.2 * len(texts)  # 牵头单位为市住房 / 和城乡建设局: the remark names the row's lead
    if role == "note" and texts and all(_STATUS.fullmatch(t) for t in texts):
        # A remark saying how far the row has got (已完成, 持续推进) follows the time cell; it outweighs
        # the time cell's running on into it, not a time cell of its own (a row whose only time is 持续推进).
        return 3.2 * len(texts)
    if role == "period":
        # One short line (完成50%, —); a second line only if nothing else fits; printed even when empty.
        return {0: -1.0, 1: 2.0, 2: 1.0}.get(len(texts)) if "unit" not in kinds else None
    if role in ("due", "limit"):
        # A time cell opens with a time expression and may run on (2023 年5 / 月底前), never into a
        # unit, nor into roles in words (南宁海关牵头，市商务 / 局…配合).
        if kinds == ["same"]:  # 同上: the time of the row above, as printed
            return 3.0
        if kinds[0] != "time" or "unit" in kinds[1:] or any(ROLE_WORDS.search(t) or LEAD_REMARK.match(t)
                                                           for t in texts[1:]):
            return None
        return 3.0 * len(texts)
    # Ties between neighbouring text columns go to the later one; the
    # narrow column before it takes its lines back by width (_split_text_columns).
    return sum(1.0 if kind == "text" else -4.0 for kind in kinds) + 0.001 * position * len(texts)


def _cell(column: int, role: str, lines: list[Line] | tuple[Line, ...], index: RegionIndex) -> Cell:
    texts = [clean(line) for line, _ in lines]
    if role in UNIT_ROLES:
        units = tuple(_units(texts, index))
        worded = worded_units("".join(texts))
        if worded and not all(u in GENERIC or looks_like_unit(u, index) for u in units):
            # The roles in words (A牵头，B配合): the cell reads as printed, its units without the words.
            return Cell(column, tuple(lines), "".join(texts), tuple(worded))
        return Cell(column, tuple(lines), "、".join(units), units)
    return Cell(column, tuple(lines), _join(texts))


def _units(texts: list[str], index: RegionIndex) -> list[str]:
    """The units of a unit cell: one a line (rejoined where the width wrapped a name),
    or several on a line separated by 、 (市财政局、市税务局)."""
    return [glued for joined in join_unit_lines(texts, index) for unit in split_units(joined)
            for glued in split_glued(unit, index)]


def _join(texts: list[str]) -> str:
    out = ""
    for text in texts:
        if out and out[-1].isascii() and out[-1].isalpha() and text[:1].isascii() and text[:1].isalpha():
            out += " "
        out += text
    return clean(out)


def _split_text_columns(table: Table, counts: Counter[str]) -> Table:
    """Move the leading lines of a text cell into the empty text column just before it
    (or before an empty one before it: 领域 | 重点任务 | 具体措施).

    Content cannot tell 改革事项 from 具体措施: both are text, and the cells
    decided by content put such lines in the later column. The narrower
    column before it takes back the leading lines that fill its width, and the
    line that ends them. Its width is the widest of the first lines of the
    later column's wrapped cells short enough to be the narrow column's (at
    most 0.6 of the later column's widest line; any first line when the column
    before is empty in every row and the later one holds two lines or more in
    every row), a punctuation mark ending a line not counted, as it may hang
    past the column's edge (深化“一件事”, 推行“双随机、). See :func:`_narrow_lines`
    for which lines fill it.
    """
    cols = table.columns
    held = {c.column for r in table.rows for c in r.cells}
    for narrow in range(len(cols) - 1):
        wide = narrow + 1
        # Three text columns (领域 | 重点任务 | 具体措施): content puts every line in
        # the last, so the first takes its lines from there, past the empty middle
        # one; the middle one then takes the next lines on the next pass.
        while wide + 1 < len(cols) and wide not in held and cols[wide].layout in TEXT_ROLES \
                and cols[wide + 1].layout in TEXT_ROLES:
            wide += 1
        if cols[narrow].layout not in TEXT_ROLES or cols[wide].layout not in TEXT_ROLES:
            continue
        wrapped = [c for r in table.rows for c in r.cells if c.column == wide and len(c.lines) > 1]
        widest = max((printed_width(clean(line)) for c in wrapped for line, _ in c.lines), default=0)
        # A first line ending a clause (推行容缺受理：) is the later column's own lead-in.
        firsts = [t for t in (clean(c.lines[0][0]) for c in wrapped) if not t.endswith(_CLAUSE_END)]
        short = [t for t in firsts if printed_width(t) <= 0.6 * widest]
        if not short and table.rows and len(wrapped) == len(table.rows) and not any(
                c.column == narrow for r in table.rows for c in r.cells):
            # Columns of about equal width: no first line is short, but a column
            # empty in every row, next to one holding two lines or more in every
            # row, is a column the content could not place.
            short = firsts
        if not short:
            continue
        width = max(map(_inner_width, short))
        items: list[Row | GroupRow] = []
        for item in table.items:
            cell = next((c for c in item.cells if c.column == wide), None) if isinstance(item, Row) else None
            take = 0
            if cell is not None and len(cell.lines) > 1 and not any(c.column == narrow for c in item.cells):
                take = _narrow_lines([clean(line) for line, _ in cell.lines], width)
            if not take:
                items.append(item)
                continue
            counts["table_cells_split_by_width"] += 1
            moved = [Cell(narrow, cell.lines[:take], _join([clean(t) for t, _ in cell.lines[:take]])),
                     Cell(wide, cell.lines[take:], _join([clean(t) for t, _ in cell.lines[take:]]))]
            cells = sorted([c for c in item.cells if c.column != wide] + moved, key=lambda c: c.column)
            items.append(Row(item.label, item.number_line, tuple(cells)))
        table = Table(cols, table.header, tuple(items))
    return table


# Punctuation that opens a pair: it never ends a printed line, and a cell does not end inside the pair.
_OPENING = "“‘（《〈【「『"
_CLOSING_OF = dict(zip(_OPENING, "”’）》〉】」』"))
_OVERHANG = 2  # one full-width character: a closing quote may hang past the column's edge
_CLAUSE_END = ("：", "；", "。", "，", ":", ";", ",")
_HANGING = ("”", "’", "）", "》", "〉", "】", "」", "』", "、", "，", "。", "：", "；", "！", "？")


def _narrow_lines(texts: list[str], width: int) -> int:
    """How many of a cell's leading lines belong to the narrow column of ``width`` before it (0: none);
    the last line always stays.

    A line continues the narrow cell when it fills the width (a CJK
    character counts 2: within one half-width character of it), when it leaves a quote or bracket open (整治审批“体外 / 循环”), or
    when it is one character short and the next line opens with a quote and
    closes it, short and without a clause's punctuation (推进电子证照 / “免提交”:
    an opening quote cannot end a line).
    """
    take, taken = 0, ""
    for k, text in enumerate(texts[:-1]):
        w, after = printed_width(text), texts[k + 1]
        if w > width + _OVERHANG * (2 if _unclosed(taken) else 1):
            break
        take, taken = k + 1, taken + text
        quoted_end = (w >= width - 1 - _OVERHANG and after.startswith(tuple(_OPENING)) and not _unclosed(after)
                      and printed_width(after) < width - 1 and not after.endswith(_CLAUSE_END))
        if w < width - 1 and not quoted_end and not _unclosed(taken):
            break
    return take


def _inner_width(text: str) -> int:
    """A line's printed width without a punctuation mark at its end, which may hang past the column."""
    return printed_width(text) - (_OVERHANG if text.endswith(_HANGING) else 0)


def _unclosed(text: str) -> bool:
    return any(text.count(o) > text.count(c) for o, c in _CLOSING_OF.items())


# -- the text the blocks make --------------------------------------------------------

CELL_SEPARATOR = "\t"


@dataclass(frozen=True)
class RenderedCell:
    column: Column
    position: int  # index of the column in the header
    text: str
    units: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class RenderedRow:
    label: str
    group: int | None  # index into RenderedTable.groups
    start: int
    end: int
    cells: tuple[RenderedCell, ...]


@dataclass(frozen=True)
class RenderedGroup:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class RenderedTable:
    columns: tuple[Column, ...]
    start: int
    end: int
    header_end: int
    groups: tuple[RenderedGroup, ...]
    rows: tuple[RenderedRow, ...]


@dataclass(frozen=True)
class Rendered:
    text: PagedText
    tables: tuple[RenderedTable, ...]


def render(blocks: list[Block]) -> Rendered:
    """The document text: prose joined into paragraphs, and each table as its header,
    then one line per group row and per row, cells separated by a tab (an
    empty cell is an empty string), units in a cell by 、.

    >>> lines = [(t, 4) for t in ["序号", "事项名称", "责任单位", "1", "企业开办", "市市场监管局", "市税务局"]]
    >>> out = render(split_blocks(lines, RegionIndex.load())[0])
    >>> out.text.text
    '序号\\t事项名称\\t责任单位\\n1\\t企业开办\\t市市场监管局、市税务局'
    >>> cell = out.tables[0].rows[0].cells[-1]
    >>> cell.column.role, out.text.text[cell.start:cell.end]
    ('responsible', '市市场监管局、市税务局')
    """
    parts: list[tuple[str, int]] = []
    length = 0
    tables: list[RenderedTable] = []

    def add(text: str, page: int) -> None:
        nonlocal length
        parts.append((text, page))
        length += len(text)

    for b, block in enumerate(blocks):
        if b:
            add("\n", parts[-1][1])
        if isinstance(block, Prose):
            for text, page in pieces(join_lines(list(block.lines))):
                add(text, page)
            continue
        start = length
        add(CELL_SEPARATOR.join(c.name for c in block.columns), block.header[0][1])
        header_end = length
        groups: list[RenderedGroup] = []
        rows: list[RenderedRow] = []
        for item in block.items:
            add("\n", parts[-1][1])
            if isinstance(item, GroupRow):
                text = clean(item.line[0])
                groups.append(RenderedGroup(text, length, length + len(text)))
                add(text, item.line[1])
                continue
            row_start = length
            by_column = {c.column: c for c in item.cells}
            cells: list[RenderedCell] = []
            for position, column in enumerate(block.columns):
                if position:
                    add(CELL_SEPARATOR, parts[-1][1])
                if column.role == "number":
                    add(item.label, item.number_line[1])
                    continue
                cell = by_column.get(position)
                if cell is None:
                    continue
                # A period's cell reads with its period (二季度：完成50%): that is when it is due.
                text = f"{column.name}：{cell.text}" if column.layout == "period" else cell.text
                cells.append(RenderedCell(column, position, text, cell.units, length, length + len(text)))
                add(text, cell.lines[0][1])
            rows.append(RenderedRow(item.label, len(groups) - 1 if groups else None, row_start, length, tuple(cells)))
        tables.append(RenderedTable(block.columns, start, length, header_end, tuple(groups), tuple(rows)))
    return Rendered(concat(parts), tuple(tables))
