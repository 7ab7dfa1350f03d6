"""Step 5c: who must carry out a provision, and in what role.

The forms, as printed (units are separated by 、 or ，; a unit name may hold
brackets, quotes and digits: 各县（市、区）政府, 市“双随机、一公开”…成员单位):

=====================================================  =========================
form                                                   roles
=====================================================  =========================
（责任单位：A、B；完成时限：…） or unbracketed at the end  A, B responsible
（牵头单位：A；配合单位：B、C）                              A lead; B, C cooperating
（A牵头，B、C配合） / 由A牵头、B配合                          A lead; B, C cooperating
（A、B按职责分工负责） / （A等部门会同各地方按职责分工负责）    each responsible
（A负责） / 由A负责 / A负责…                                 A responsible
A会同B…                                                 A lead; B cooperating
报送A / 报A备案 / 向A报告                                   A reporting_to (never responsible)
A要/应/将/可… (A a central body, opening a clause)          A responsible
=====================================================  =========================

Table columns (责任单位, 牵头单位, 配合单位 …) are read by :mod:`blocks`.

Every unit is resolved by :func:`agencies.resolve_unit`: central bodies by
the national dictionary, a local document's own bodies (省发展改革委) under
its jurisdiction, collectives (各区人民政府, 市直各有关部门) kept and marked.
Bare class words (有关部门, 相关单位) name no one: they are counted, not
linked. A name no rule places is linked under the document's jurisdiction and
listed (``Responsibilities.unresolved``).

>>> from policydata_build.regions import RegionIndex
>>> r = find_responsibilities("商务部会同有关部门加强统筹协调，结果报送国家发展改革委。", "100000", RegionIndex.load())
>>> [(x.agency.canonical, x.role, x.evidence) for x in r.links]
[('商务部', 'lead', '商务部会同'), ('国家发展和改革委员会', 'reporting_to', '报送国家发展改革委')]
>>> dict(r.ignored)
{'有关部门': 1}
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from policydata.schema import CURRENT

from .repair import AMENDMENT_QUOTE
from .agencies import (
    CLOSE_BRACKETS,
    OPEN_BRACKETS,
    TRAILING_UNNAMED,
    GENERIC,
    AgencyName,
    central_at,
    ends_unit,
    looks_like_unit,
    split_glued,
    resolve_unit,
    UNIT_MARKS,
    split_units,
    unit_mark,
)
from .regions import RegionIndex

ROLES = CURRENT.vocabulary("agency_role").values
_LIST_ROLES = {"牵头": "lead", "责任": "responsible", "主责": "responsible", "配合": "cooperating",
               "协办": "cooperating", "协同": "cooperating", "参与": "cooperating"}
# 责任单位（部门）： a label may carry a gloss.
_LIST = re.compile(r"(牵头|责任|主责|配合|协办|协同|参与)(?:单位|部门|处室)?(?:（[^（）]{1,4}）)?\s*[：:]")
# Where a clause (and so a unit list before an anchor word) begins.
_BOUNDARY = "，。；：（）()【】\n,;:"
_ANCHORS = re.compile(
    r"(?P<duty>按(?:照)?(?:各自)?职责(?:分工)?[，,]?(?:负责|做好|抓好|落实))"
    r"|(?P<lead>牵头)(?!单位|部门|处室|领导|抓总)"
    r"|(?P<coop>配合|参与)(?!单位|部门|处室|其中|了)"
    r"|(?P<resp>负责)(?!人|同志|的)"
    # 各设区市人民政府是本地区…的责任主体: the units before 是 answer for it.
    r"|(?P<owner>是[^，。；]{0,24}?的?责任主体)"
    # （A牵头，B、C落实）: 落实 closing a note names who carries the measure out.
    r"|(?P<carry>落实)(?=[）)；;]|$)"
    r"|(?P<with>会同)(?!意)"
    r"|(?P<report>报送|抄送|报告|报)(?:至|给)?"
    r"|(?P<to>向)"
)
_ROLE_IN_CLAUSE = re.compile(r"负责|牵头|配合|参与")
# A bracket opening a provision, right after its label: 1.【市发展改革委】…, （一）（市财政局）….
_OPENING_NOTE = re.compile(r"(?:第[零〇一二三四五六七八九十百]+条|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、"
                           r"|\d+[.．、])\s*[【〔（(](?P<units>[^【】〔〕（）()\n]{2,80})[】〕）)]")
_TIME_LABEL = re.compile(r"(?:完成时限|完成时间|时间节点|完成期限|时限)[：:]")
# What may stand between a clause's units and its role word: 按职责分工负责, 具体负责, 分别牵头.
_BY_DUTY = re.compile(r"(?:按(?:照)?(?:各自)?职责(?:分工)?|具体|分别|共同)$")
# What may stand before the units of a clause: a provision's label, 由, a separator.
_LEADING = re.compile(
    r"^(?:第[零〇一二三四五六七八九十百]+条|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])?"
    r"[、，,\s]*(?:.*?(?<!自)由)?"
)


@dataclass(frozen=True)
class Responsibility:
    agency: AgencyName
    role: str
    evidence: str
    name_raw: str  # the unit as printed, whitespace and any mark before it (★) removed
    mark: str | None = None  # the mark printed before the unit, which a legend may explain (see marked_leads)


@dataclass
class Responsibilities:
    links: list[Responsibility] = field(default_factory=list)
    unresolved: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)


# 市级各政策制定部门（以下简称政策制定部门）: the short name a document defines is not part of the name.
_DEFINED_AS = re.compile(r"[（(]以下(?:简称|称)[^（）()]*[）)]")


def _clean_unit(unit: str) -> str:
    return TRAILING_UNNAMED.sub("", _DEFINED_AS.sub("", unit.strip()))


def _unit_list(text: str, index: RegionIndex, in_note: bool = False) -> list[str] | None:
    """The units ``text`` lists, when it is nothing but a list of units (after a label or 由).

    In a bracketed note (…参与）) a name is taken as a unit when it ends like
    one, even if it does not open like one (天府新区成都管委会); in running
    text it must do both.
    """
    text = _LEADING.sub("", text.strip(), count=1)
    if not text:
        return None
    units = [_clean_unit(u) for u in split_units(text)]
    if units and all(u in GENERIC or looks_like_unit(u, index) or (in_note and len(u) >= 3 and ends_unit(u))
                     for u in units):
        return units
    return None


def _listed_units(text: str, index: RegionIndex) -> list[str]:
    """The units after 责任单位：, up to the first part that is none. An unbracketed
    list may run into the next sentence (…保障局本措施自印发之日起实施): a part
    that only begins with a unit's name ends the list with that name."""
    units = []
    for part in (_clean_unit(g) for u in split_units(text) for g in split_glued(u, index)):
        if not part:
            continue
        # What a list of 责任单位 names is a unit, if it ends like one (某某中心); the
        # resolver places it, or keeps it under the document's jurisdiction and lists it.
        if part in GENERIC or looks_like_unit(part, index) or ends_unit(part):
            units.append(part)
            continue
        head = next((part[:end] for end in range(len(part) - 1, 2, -1) if looks_like_unit(part[:end], index)), None)
        if head is not None:
            units.append(head)
        break
    return units


def _in_brackets(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a bracketed note: （…牵头，…参与）."""
    return max(text.rfind("（", 0, pos), text.rfind("(", 0, pos)) > max(text.rfind("）", 0, pos), text.rfind(")", 0, pos))


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` begins (after a boundary outside brackets)."""
    depth = 0
    i = pos - 1
    while i >= floor:
        ch = text[i]
        if ch in CLOSE_BRACKETS:
            depth += 1
        elif ch in OPEN_BRACKETS:
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and ch in _BOUNDARY:
            return i + 1
        i -= 1
    return floor


# Who to call, in brackets after the unit a report goes to: （联系人：…，联系电话：…）.
_CONTACT = re.compile(r"[（(]联系")


def _units_after(text: str, pos: int, index: RegionIndex) -> tuple[list[str], int] | None:
    """The longest unit list starting at ``pos`` and where it ends."""
    stop = pos
    depth = 0
    while stop < len(text) and (depth or text[stop] not in "，。；：）)\n,;:") and not _CONTACT.match(text, stop):
        depth += text[stop] in OPEN_BRACKETS
        depth -= text[stop] in CLOSE_BRACKETS and depth > 0
        stop += 1
    # No name holds a role word: …会同市场监督管理部门负责行业协会商会… ends at 负责.
    role = _ROLE_IN_CLAUSE.search(text, pos, stop)
    stop = role.start() if role else stop
    for end in range(stop, pos, -1):
        units = _unit_list(text[pos:end], index)
        if units is not None and not _runs_on(units[-1], index):
            return units, end
    return None


# Nouns that end a unit's name (市属国有企业, 市直有关单位) and a clause after one as well:
# 会同市商务局建立重点企业服务名录 names 市商务局, not 市商务局建立重点企业.
_WEAK_ENDS = ("企业", "单位", "机构", "部门")
# What may follow a name inside a longer one: a class under it (…有关部门), or more bodies joined
# to it (各相关部门和单位).
_QUALIFIERS = ("各", "有关", "相关", "所属", "直属", "下属", "其他", "等", "和", "及", "与", "或")


def _runs_on(name: str, index: RegionIndex) -> bool:
    """Whether ``name`` is a unit's name and then words of the clause, ending in a noun that
    could end a name (市商务局建立重点企业), not a class of bodies under it (县级以上人民政府有关部门)."""
    if not name.endswith(_WEAK_ENDS):
        return False
    for k in range(len(name) - 2, 2, -1):
        if looks_like_unit(name[:k], index):
            return not name[k:].startswith(_QUALIFIERS)
    return False


_SUBJECT = re.compile(r"(?P<units>[^，。；：（）\n]{2,40}?)(?:要|应当|应|将|可以|可|须|需|继续|定期)")
_NATIONAL_OPENERS = ("中国", "国家", "全国", "中央", "国务院", "中共中央")


def _is_national(unit: str) -> bool:
    return unit.startswith(_NATIONAL_OPENERS) or central_at(unit, 0) is not None


def _sentence_subject(text: str, pos: int, index: RegionIndex) -> tuple[list[str], int] | None:
    """The units opening the sentence that holds ``pos``, when they are its subject (…要…，会同…)."""
    begin = max(text.rfind(ch, 0, pos) for ch in "。；\n") + 1
    m = _SUBJECT.match(text, begin)
    if m is None or m.end() > pos:
        return None
    units = _unit_list(m.group("units"), index)
    return (units, begin) if units else None


# A document may say once that the first unit of each list leads (清单中责任单位排在第一位的为
# 牵头单位，其余为配合单位; 列在首位的为牵头单位).
FIRST_LEADS = re.compile(r"(?:排|列)(?:在|于)?(?:第一位|首位|第一|最前)的?(?:单位|部门)?(?:为|是)牵头"
                         r"|(?:首个|第一个)(?:责任)?(?:单位|部门)(?:为|是)牵头")


# A legend saying which mark before a unit's name makes it the lead: 责任单位中标注“★”的为牵头单位,
# 带*的为牵头单位, ★表示牵头单位.
MARK_LEADS = re.compile(rf"[“\"‘']?(?P<mark>[{UNIT_MARKS}])[”\"’']?(?:号|符号)?(?:的|者)?(?:单位|部门)?"
                        r"(?:为|是|表示|代表|系)牵头")


def marked_leads(found: Responsibilities, mark: str) -> Responsibilities:
    """``found`` where the document says the units marked with ``mark`` lead: in each list (or
    cell) that marks one unit or more, those lead and the others named as responsible cooperate.

    >>> r = find_responsibilities("（责任单位：★市发展改革委、市财政局）", "510700", RegionIndex.load())
    >>> [(x.name_raw, x.role) for x in marked_leads(r, "★").links]
    [('市发展改革委', 'lead'), ('市财政局', 'cooperating')]
    """
    marking = {r.evidence for r in found.links if r.mark == mark}
    links = [replace(r, role="lead" if r.mark == mark else "cooperating")
             if r.evidence in marking and r.role == "responsible" else r for r in found.links]
    return Responsibilities(links, found.unresolved, found.ignored)


def first_leads(found: Responsibilities) -> Responsibilities:
    """``found`` where the document says the first unit named leads: of each list (or cell) of two
    responsible units or more, the first leads and the others cooperate.

    >>> r = find_responsibilities("（责任单位：市发展改革委、市财政局）", "510700", RegionIndex.load())
    >>> [(x.name_raw, x.role) for x in first_leads(r).links]
    [('市发展改革委', 'lead'), ('市财政局', 'cooperating')]
    """
    listed = Counter(r.evidence for r in found.links if r.role == "responsible")
    led: set[str] = set()
    links = []
    for r in found.links:
        if r.role == "responsible" and listed[r.evidence] > 1:
            r = replace(r, role="cooperating" if r.evidence in led else "lead")
            led.add(r.evidence)
        links.append(r)
    return Responsibilities(links, found.unresolved, found.ignored)


def find_responsibilities(text: str, region_code: str, index: RegionIndex) -> Responsibilities:
    """Agencies named as carrying out ``text``, in order of appearance."""
    out = Responsibilities()
    found: list[tuple[int, str, str, str]] = []  # (offset, unit as printed, role, evidence)
    claimed: list[tuple[int, int]] = [m.span() for m in AMENDMENT_QUOTE.finditer(text)]

    def add(units: list[str], role: str, start: int, end: int) -> None:
        evidence = text[start:end]
        for unit in units:
            found.append((start, unit, role, evidence))
        claimed.append((start, end))

    # Lists: 牵头单位：A；配合单位：B (bracketed or not).
    labels = list(_LIST.finditer(text))
    for k, m in enumerate(labels):
        limit = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        # A note's lines joined without a mark (…有限公司完成时限：…): the time label ends the list.
        slot = _TIME_LABEL.search(text, m.end(), limit)
        limit = slot.start() if slot else limit
        begin = end = m.end()
        while end < limit and text[end] in " \n":  # 责任单位： at a line's end, the units on the next
            begin = end = end + 1
        depth = 0
        while end < limit and (depth or text[end] not in "；;）)。\n"):
            depth += text[end] in OPEN_BRACKETS
            depth -= text[end] in CLOSE_BRACKETS and depth > 0
            end += 1
        units = _listed_units(text[begin:end], index)
        if units:
            add(units, _LIST_ROLES[m.group(1)], m.start(), end)

    # （一）【市营商环境局】推行…: units alone in brackets right after the label are the measure's.
    opening = _OPENING_NOTE.match(text)
    if opening and not _ROLE_IN_CLAUSE.search(opening.group("units")) and not _LIST.search(opening.group("units")):
        units = _unit_list(opening.group("units"), index, in_note=True)
        if units:
            add(units, "responsible", opening.start("units"), opening.end("units"))

    floor = 0
    # Where the units of the last 负责 clause start in found, and where that clause ends.
    responsible_from, responsible_until = 0, None
    for m in _ANCHORS.finditer(text):
        if any(s <= m.start() < e for s, e in claimed):
            continue
        kind = m.lastgroup
        if kind in ("report", "to"):
            after = _units_after(text, m.end(), index)
            if after is None:
                continue
            units, end = after
            if kind == "to" and not re.match(r"(?:报告|报送|备案|请示|汇报)", text[end:end + 2]):
                continue
            add(units, "reporting_to", m.start(), end)
            floor = end
            continue
        start = _clause_start(text, m.start(), floor)
        before = text[start:m.start()]
        if kind == "with":
            units = _unit_list(re.sub(r"(?:要|应|应当|将|继续|可|须|需)$", "", before), index)
            if units is None and not before.strip():
                # 商务部要发挥统筹协调作用，会同有关部门…: the sentence's subject leads.
                subject = _sentence_subject(text, start, index)
                if subject is not None:
                    units, start = subject
            after = _units_after(text, m.end(), index)
            tail = text[after[1]:] if after else ""
            duty = re.match(r"(?:等部门|等单位)?按(?:照)?(?:各自)?职责(?:分工)?[，,]?负责", tail)
            if units is not None:
                add(units, "responsible" if duty else "lead", start, m.end())
            if after is not None and (units is not None or duty):
                add(after[0], "responsible" if duty else "cooperating", m.end(), after[1])
            floor = after[1] if after else m.end()
            continue
        if "会同" in before:  # handled with its 会同
            continue
        # 省公安厅、省税务局按照职责分工配合: the units before how they take part.
        in_note = _in_brackets(text, m.start())
        if kind == "carry" and not in_note:
            continue  # 认真抓好落实 in running text names no one
        units = _unit_list(_BY_DUTY.sub("", before), index, in_note=in_note)
        if units is None:
            continue
        while in_note and kind in ("duty", "resp") and text[start - 1:start] in ("，", ","):
            # （市工商联、市总工会，团市委按职责分工负责）: a note's units may be set off by commas.
            earlier = _clause_start(text, start - 1, floor)
            more = _unit_list(text[earlier:start - 1], index, in_note=True)
            if more is None:
                break
            units, start = more + units, earlier
        role = {"duty": "responsible", "lead": "lead", "coop": "cooperating", "resp": "responsible",
                "carry": "responsible", "owner": "responsible"}[kind]
        if kind == "coop" and responsible_until is not None and text[responsible_until:start].strip("，,、 ") == "":
            # 由X负责，Y配合: the unit helped leads.
            found[responsible_from:] = [(o, u, "lead", e) for o, u, _, e in found[responsible_from:]]
        responsible_from, responsible_until = (len(found), m.end()) if kind == "resp" else (0, None)
        add(units, role, start, m.end())
        floor = m.end()

    # A national body opening a clause with a duty: 国务院办公厅要加强督促指导,
    # 中国招标投标协会、中国招标投标公共服务平台要根据…. Only central names and
    # bodies named as national (中国…, 国家…, 全国…): in local documents the
    # subject of 要/应 is mostly a kind of body (技术支撑单位应当…), not a unit.
    for m in _SUBJECT.finditer(text):
        start = m.start()
        if (start and text[start - 1] not in _BOUNDARY) or any(s <= start < e for s, e in claimed):
            continue
        units = _unit_list(m.group("units"), index)
        if units and all(_is_national(u) for u in units):
            add(units, "responsible", start, m.end())

    seen: set[tuple[str, str]] = set()
    for _, printed, role, evidence in sorted(found, key=lambda f: f[0]):
        mark, unit = unit_mark(printed)
        if unit in GENERIC:
            out.ignored[unit] += 1
            continue
        if (unit, role) in seen:
            continue
        seen.add((unit, role))
        agency = resolve_unit(unit, region_code, index)
        if agency.resolved_by == "document_jurisdiction":
            out.unresolved[unit] += 1
        out.links.append(Responsibility(agency, role, evidence, unit, mark))
    return out
