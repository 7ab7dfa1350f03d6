"""Issuing bodies: split the issuer of a title or a signature block into agencies.

Entry points: :func:`issuer_part` (title -> issuer text), :func:`split_issuers`,
:func:`issuers_from_signature` and :func:`agency_id`.

Central bodies come from build/data/national_agencies.json (canonical name
and aliases). An office-level unit (国务院办公厅, 国家发展改革委办公厅) is an
agency of its own whose canonical name is the parent's canonical name plus
办公厅/办公室: such offices issue documents in their own name and with their
own document numbers (国办发, 发改办 ...), so merging them into the parent
would misstate who issued what.

Local bodies keep the name as printed (whitespace removed, ASCII brackets
made full-width); no local aliases are invented. Their jurisdiction comes
from :class:`~policydata_build.regions.RegionIndex`.

Joint issuers are printed without separators ("财政部生态环境部工业和信息化部").
They are split with the national dictionary (longest match) and one general
rule for local bodies: a new issuer starts where a place name, 中共 + place,
or a central body's name begins right after a complete agency word
(委员会, 办公厅, 人民政府, 局, 厅, 委, 部, 海关, 公司, 小组 ...). Anything else
raises ValueError showing the fragment; the caller records a quality flag.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import cache

from policydata_build.regions import (
    AGENCY_SUFFIXES,
    NATIONAL_CODE,
    NATIONAL_MARKERS,
    PARTY_PREFIX,
    Jurisdiction,
    RegionIndex,
    level_of,
    national_agency_data,
    province_of,
)

# Where the issuer part of a title ends. 就 only counts before a quoted
# title (住房和城乡建设部办公厅就《…》公开征求意见), never inside 就业.
_ISSUER_END_RE = re.compile(r"关于|印发|转发|批准|公开征求|发布|公布|就(?=[《“\"「])")
# "…等", "…等部门", "…等11部门", "…等九部门": further issuers left unnamed.
_CO_ISSUERS_RE = re.compile(r"等(?:[0-9〇零一二三四五六七八九十百两]+个?)?(?:部门|单位)?$")
# Central names that can open a new issuer inside a run of local names. Bare
# short aliases (能源局, 国资委) are not among them: local bodies end in the
# same words (XX市人民政府国资委).
_CENTRAL_OPENERS = NATIONAL_MARKERS + ("中国", "国网")
# Signature blocks print this on a page that carries only the seals.
_NO_TEXT_LINES = frozenset({"（此页无正文）", "(此页无正文)"})
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


@dataclass(frozen=True)
class AgencyName:
    """One issuing body as printed, with its canonical form.

    ``notes`` records what the printed text said beyond the name:
    ``unnamed_co_issuers: 等11部门`` on the last named issuer, and for local
    bodies the notes of their jurisdiction (``zone_not_coded: …``,
    ``truncated_name: …``, ``branch_of_national_body: …``).
    """

    raw: str
    canonical: str
    aliases: tuple[str, ...]
    level: str
    region_code: str
    notes: tuple[str, ...] = ()
    # How the jurisdiction was found: central (the national dictionary),
    # named_place, own_jurisdiction (省/市 … of the document's own), collective,
    # or document_jurisdiction (nothing named one: the document's is assumed).
    resolved_by: str = "named_place"
    parent: AgencyName | None = None  # the body an internal division belongs to
    collective: bool = False  # 各区人民政府, 各有关部门: several bodies under one name


@dataclass(frozen=True)
class _CentralBody:
    canonical: str
    aliases: tuple[str, ...]


def agency_id(canonical: str, region_code: str) -> str:
    """Stable id of an agency: region code + first 10 hex digits of sha1(canonical).

    Derived from facts about the agency, not from row order, so ids stay the
    same when documents are added or the build order changes; the region
    code keeps same-named local bodies (两个朝阳区人民政府) apart.

    >>> agency_id("国家发展和改革委员会", "100000")
    '100000-c91dde4e08'
    """
    if not re.fullmatch(r"\d{6}", region_code):
        raise ValueError(f"region_code must be six digits, got {region_code!r}")
    if not canonical:
        raise ValueError("canonical name is empty")
    return f"{region_code}-{hashlib.sha1(canonical.encode('utf-8')).hexdigest()[:10]}"


def issuer_part(title: str) -> str | None:
    """The issuer prefix of a title; None when it starts with 关于 or names no issuer.

    >>> issuer_part("国家发展改革委等部门关于做好2023 年降成本重点工作的通知")
    '国家发展改革委等部门'
    >>> issuer_part("云港市优化营商环境条例（征求意见稿）") is None
    True
    """
    text = "".join(title.split())
    match = _ISSUER_END_RE.search(text)
    if match is None or match.start() == 0:
        return None
    prefix = text[: match.start()]
    named, _ = _strip_co_issuers(prefix)
    # Without an agency word the text before the keyword is a subject, not a
    # body (厦门市…行动方案（征求意见稿）).
    return prefix if named.endswith(AGENCY_SUFFIXES) else None


def split_issuers(issuer_text: str, index: RegionIndex, province_hint: str | None = None) -> list[AgencyName]:
    """Split concatenated issuers into agencies.

    ``province_hint`` only breaks ties between same-named places.

    >>> index = RegionIndex.load()
    >>> [a.canonical for a in split_issuers("国家知识产权局办公室工业和信息化部办公厅", index)]
    ['国家知识产权局办公室', '工业和信息化部办公厅']
    >>> [(a.canonical, a.region_code) for a in split_issuers("湖北省商务厅武汉海关", index)]
    [('湖北省商务厅', '420000'), ('武汉海关', '420100')]
    """
    if province_hint is not None and level_of(province_hint) != "provincial":
        raise ValueError(f"province_hint must be a province code, got {province_hint!r}")
    text = "".join(issuer_text.split())
    named, co_issuers = _strip_co_issuers(text)
    if not named:
        raise ValueError(f"no issuer named in {issuer_text!r}")
    agencies: list[AgencyName] = []
    pos = 0
    hint = province_hint
    while pos < len(named):
        agency, pos = _agency_at(named, pos, index, hint)
        agencies.append(agency)
        if hint is None and agency.region_code != NATIONAL_CODE:
            hint = agency.region_code[:2] + "0000"
    if co_issuers:
        last = agencies[-1]
        agencies[-1] = replace(last, notes=last.notes + (f"unnamed_co_issuers: {co_issuers}",))
    return agencies


def issuers_from_signature(lines: list[str], index: RegionIndex, province_hint: str | None = None) -> list[AgencyName]:
    """Agencies of a signature block (the lines before the date line).

    Blank lines and the 此页无正文 note carry no name and are skipped;
    every other line must split fully.

    >>> [a.canonical for a in issuers_from_signature(["国家发展改革委", "人民银行"], RegionIndex.load())]
    ['国家发展和改革委员会', '中国人民银行']
    """
    agencies: list[AgencyName] = []
    for line in lines:
        name = line.strip()
        if not name or name in _NO_TEXT_LINES:
            continue
        agencies.extend(split_issuers(name, index, province_hint))
    return agencies


# -- internals ---------------------------------------------------------------


def _strip_co_issuers(text: str) -> tuple[str, str]:
    match = _CO_ISSUERS_RE.search(text)
    if match is None:
        return text, ""
    return text[: match.start()], match.group()


@cache
def _central_bodies() -> dict[str, _CentralBody]:
    """Every printed form of a central body -> the body, offices included."""
    data = national_agency_data()
    bodies: dict[str, _CentralBody] = {}

    def add(names: list[str], body: _CentralBody) -> None:
        for name in names:
            if name in bodies and bodies[name] != body:
                raise ValueError(f"national_agencies.json: {name!r} names both "
                                 f"{bodies[name].canonical} and {body.canonical}")
            bodies[name] = body

    for entry in data["agencies"]:
        names = [entry["canonical"], *entry["aliases"]]
        add(names, _CentralBody(entry["canonical"], tuple(entry["aliases"])))
        for office in data["office_suffixes"]:
            add([n + office for n in names],
                _CentralBody(entry["canonical"] + office, tuple(a + office for a in entry["aliases"])))
    return bodies


@cache
def _longest_central_name() -> int:
    return max(len(n) for n in _central_bodies())


def central_at(text: str, pos: int) -> tuple[_CentralBody, int] | None:
    bodies = _central_bodies()
    for length in range(min(_longest_central_name(), len(text) - pos), 1, -1):
        name = text[pos:pos + length]
        if name in bodies:
            return bodies[name], pos + length
    return None


def _agency_at(text: str, pos: int, index: RegionIndex, hint: str | None) -> tuple[AgencyName, int]:
    """The agency starting at pos and where it ends."""
    if text.startswith(PARTY_PREFIX, pos):
        place = index.place_at(text, pos + len(PARTY_PREFIX), hint)
        if place is not None:
            return _local(text, pos, place, index, hint)
    central = central_at(text, pos)
    if central is not None:
        body, end = central
        place = index.place_at(text, end, hint)
        if place is not None:
            # 国家税务总局安徽省税务局: the provincial branch of a central body.
            return _local(text, pos, place, index, hint)
        return AgencyName(text[pos:end], body.canonical, body.aliases, "national", NATIONAL_CODE,
                          resolved_by="central"), end
    place = index.place_at(text, pos, hint)
    if place is not None:
        return _local(text, pos, place, index, hint)
    raise ValueError(f"unknown issuer {text[pos:]!r} (in {text!r}): not a central body "
                     f"in national_agencies.json and no place name at its start")


def _local(text: str, pos: int, place: tuple[str, int], index: RegionIndex,
           hint: str | None) -> tuple[AgencyName, int]:
    """A local body from pos; it ends at the first agency word that another issuer follows.

    ``place`` is (code, end) of the place the body is named after; its
    province settles same-named places in the issuers that follow.
    """
    code, body_start = place
    hint = hint or code[:2] + "0000"
    for end in range(body_start + 1, len(text) + 1):
        if text.endswith(AGENCY_SUFFIXES, pos, end) and (end == len(text) or _opens_issuer(text, end, index, hint)):
            raw = text[pos:end]
            jurisdiction = index.issuer_jurisdiction(raw, hint)
            agency = AgencyName(raw, _canonical_local(raw, jurisdiction, index), (), level_of(jurisdiction.code),
                                jurisdiction.code, jurisdiction.notes)
            return agency, end
    raise ValueError(f"issuer {text[pos:]!r} (in {text!r}) does not end with an agency word "
                     f"({'/'.join(AGENCY_SUFFIXES)})")


_ADMIN_WORDS = ("省", "市", "自治区", "区", "县", "自治州", "州", "盟", "旗", "地区", "特别行政区")
# Short forms of local bodies' names → the full form (the part after the place).
# 北京市住房城乡建设委 and 北京市住房和城乡建设委员会 are one body.
BODY_FULL_FORMS = (
    ("发展改革委", "发展和改革委员会"), ("发改委", "发展和改革委员会"), ("市场监管", "市场监督管理"),
    ("住房城乡建设", "住房和城乡建设"), ("住建", "住房和城乡建设"), ("人力资源社会保障", "人力资源和社会保障"),
    ("人社", "人力资源和社会保障"), ("卫生健康委", "卫生健康委员会"), ("卫健委", "卫生健康委员会"),
    ("医保局", "医疗保障局"), ("残联", "残疾人联合会"), ("科技局", "科学技术局"), ("科技厅", "科学技术厅"),
    ("应急局", "应急管理局"), ("文旅", "文化和旅游"), ("文化旅游", "文化和旅游"), ("林草局", "林业和草原局"),
    ("工信", "工业和信息化"), ("国资委", "国有资产监督管理委员会"), ("网信办", "网络安全和信息化委员会办公室"),
    ("市监局", "市场监督管理局"),
)


def expand_body(body: str) -> str:
    """A body's name in its full form.

    >>> expand_body("市场监管厅"), expand_body("住房城乡建设委"), expand_body("市场监督管理局")
    ('市场监督管理厅', '住房和城乡建设委员会', '市场监督管理局')
    """
    for short, full in BODY_FULL_FORMS:
        if short in body and full not in body:
            body = body.replace(short, full, 1)
    # 发展改革委 is a 委员会; the party's 委 (中共扬州市委, 党委, 工委) keeps its printed form.
    if len(body) > 2 and body.endswith("委") and not body.endswith(("党委", "工委", "纪委", "市委", "省委", "区委", "县委")):
        body += "员会"
    return body


def official_place(code: str, index: RegionIndex) -> str:
    """The official name a canonical agency name starts with: a district of a
    municipality (北京市, 重庆市 …) with the municipality's, as its bodies' names are printed.

    >>> index = RegionIndex.load()
    >>> official_place("640000", index), official_place("110113", index), official_place("360481", index)
    ('宁夏回族自治区', '北京市顺义区', '瑞昌市')
    """
    region = index.get(code)
    if region.level == "county" and region.parent_code is not None and level_of(region.parent_code) == "provincial":
        return index.get(region.parent_code).name + region.name
    return region.name


def _canonical_local(raw: str, jurisdiction: Jurisdiction, index: RegionIndex) -> str:
    """A local body under its jurisdiction's official name and its body's full name.

    Printed names vary (宁夏自治区市场监管厅, 宁夏回族自治区市场监督管理厅);
    the canonical one does not. Development zones (no code of their own) keep
    their printed name.
    """
    text = raw.translate(_BRACKETS)
    if any(n.startswith("zone_not_coded") for n in jurisdiction.notes):
        return text
    start, end = jurisdiction.char_start, jurisdiction.char_end
    place = text[start:end]
    # A place printed without its administrative word names a body of its own
    # (武汉海关, 长春银保监分局), not the place's government: keep it as printed.
    if place.endswith(_ADMIN_WORDS):
        place = official_place(jurisdiction.code, index)
    return text[:start] + place + expand_body(text[end:])


def _opens_issuer(text: str, pos: int, index: RegionIndex, hint: str | None) -> bool:
    if text.startswith(PARTY_PREFIX, pos) and index.place_at(text, pos + len(PARTY_PREFIX), hint):
        return True
    if index.place_at(text, pos, hint) is not None:
        return True
    central = central_at(text, pos)
    if central is None:
        return False
    body, end = central
    name = text[pos:end]
    return name.startswith(_CENTRAL_OPENERS) or name == body.canonical


@cache
def central_names() -> tuple[str, ...]:
    """Every printed form of a central body (offices included), longest first.

    >>> "国家发展改革委" in central_names()
    True
    """
    return tuple(sorted(_central_bodies(), key=lambda n: (-len(n), n)))


def is_central_name(name: str) -> bool:
    """Whether ``name`` is exactly a printed form of a central body."""
    return name in _central_bodies()


def add_agency_row(rows: dict[str, dict], agency: AgencyName) -> str:
    """Add ``agency`` (and the body it is a division of) to an ``agencies``
    table under construction (id → row), keeping the printed name as an alias;
    return its id."""
    aid = agency_id(agency.canonical, agency.region_code)
    parent = add_agency_row(rows, agency.parent) if agency.parent is not None else None
    row = rows.setdefault(
        aid,
        {"agency_id": aid, "name": agency.canonical, "aliases": set(agency.aliases),
         "level": agency.level, "region_code": agency.region_code, "parent_id": parent,
         "collective": agency.collective, "resolved_by": agency.resolved_by},
    )
    if agency.raw != agency.canonical:
        row["aliases"].add(agency.raw)
    return aid


# -- units of a responsibility list ------------------------------------------------

# What a unit named in a responsibility list or column ends with: besides the
# issuing bodies' words, divisions, companies and collectives (各有关部门).
UNIT_SUFFIXES = AGENCY_SUFFIXES + (
    "部门", "单位", "集团", "银行", "分局", "支队", "大队", "联", "协", "所", "站", "队", "科", "股", "社",
    "馆", "台", "团", "庭", "机构", "企业", "学校", "大学", "医院", "政府", "管委会", "工委", "司",
    "室",  # a body's division: 市行政审批服务局督查室
)
_LONGEST_UNIT = 30  # characters: 中国（广西）自由贸易试验区南宁片区管委会 has 21
# What a unit named by its jurisdiction or kind starts with (市住房城乡建设局, 各区人民政府).
UNIT_OPENERS = (
    "各", "市", "省", "区", "县", "旗", "州", "盟", "镇", "乡", "街道", "自治区", "国网", "国家", "中国",
    "人民银行", "中共", "共青团", "团", "开发区", "高新区", "新区", "经开区", "经济开发区", "综保区", "自贸区",
    "地区", "行署",  # a prefecture (地区) and its administrative office: 地区财政局, 行署办公室
) + NATIONAL_MARKERS


# Endings that look like an agency word but sit inside a name (人力资源和社会|保障局).
# 国家高新技术企业, 中小企业: kinds of enterprise, not a named body.
_FALSE_ENDS = ("社会", "技术企业", "小微企业", "中小企业", "型企业", "民营企业")


_TRAILING_ALIAS = re.compile(r"（[^（）]{2,20}）$")
# What a name says in brackets (…办公室（设在市住房城乡建设局）) does not make it longer.
_BRACKETED = re.compile(r"（[^（）]*）")


def ends_unit(text: str) -> bool:
    """Whether ``text`` ends with an agency word (so a name may end there); a
    second name in brackets after it counts too: 市市场监管局（市知识产权局）."""
    text = _TRAILING_ALIAS.sub("", text) or text
    return text.endswith(UNIT_SUFFIXES) and not text.endswith(_FALSE_ENDS)


# A development zone governs like a jurisdiction but is no GB/T 2260 division: 西咸新区行政审批服务局.
_ZONE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:新区|开发区|高新区|经开区|工业区|保税区|合作区|度假区|片区|园区|产业园"
                   r"|示范区|试验区|实验区)")


# Marks printed before a unit's name (★省发展改革委), which a legend explains (标注“★”的为
# 牵头单位): the name begins after the mark.
UNIT_MARKS = "★☆▲△*＊※"


def unit_mark(text: str) -> tuple[str | None, str]:
    """The mark printed before a unit's name, if any, and the name.

    >>> unit_mark("★自治区财政厅"), unit_mark("自治区财政厅")
    (('★', '自治区财政厅'), (None, '自治区财政厅'))
    """
    if text[:1] and text[0] in UNIT_MARKS:
        return text[0], text[1:].lstrip()
    return None, text


def opens_unit(text: str, index: RegionIndex) -> bool:
    """Whether a unit's name begins at the start of ``text`` (its jurisdiction, a development zone,
    a central body, 各…), after any mark (★)."""
    text = unit_mark(text)[1]
    if text.startswith(UNIT_OPENERS) or _ZONE.match(text):
        return True
    try:
        return index.place_at(text, 0) is not None or central_at(text, 0) is not None
    except ValueError:  # an ambiguous place name still opens a name
        return True


# What a collective named by 各 may end with: 各镇（街道）, 各街道（镇）, 各地方, 各区人民政府.
_COLLECTIVE_ALIAS = re.compile(r"（[^（）]{1,20}）$")
_COLLECTIVE_ENDS = ("镇", "乡", "街道", "村", "社区", "地方", "地区", "区", "县", "市", "省", "旗", "部门", "单位")
_GRASS_ROOTS = ("镇", "乡", "街道", "村", "社区")


def looks_like_unit(text: str, index: RegionIndex) -> bool:
    """A whole unit's name: it opens like one and ends with an agency word.

    >>> index = RegionIndex.load()
    >>> [looks_like_unit(t, index) for t in ("市人力资源社会保障局", "市直各有关部门", "优化营商环境格局", "长春水务集团",
    ...                                      "★市财政局")]
    [True, True, False, True, True]
    """
    text = unit_mark(text)[1]
    if is_central_name(text):  # 党中央, 国务院: names of their own
        return True
    if len(_BRACKETED.sub("", text)) > _LONGEST_UNIT:  # a sentence that happens to end in 企业 or 单位
        return False
    if text.startswith("各") and 3 <= len(text) <= 16 and (_COLLECTIVE_ALIAS.sub("", text) or text).endswith(_COLLECTIVE_ENDS):
        return True
    return len(text) >= 3 and ends_unit(text) and opens_unit(text, index)


def join_unit_lines(lines: list[str], index: RegionIndex) -> list[str]:
    """Units printed one per line, rejoining names the column width wrapped.

    A line continues the one before when it does not open a new name and
    either the one before does not end with an agency word or the line is no
    name by itself (人民银行长春市中心 / 支行).

    >>> join_unit_lines(["市政务服务局", "市人力资源和社会", "保障局", "各旗县市区人民政", "府"], RegionIndex.load())
    ['市政务服务局', '市人力资源和社会保障局', '各旗县市区人民政府']
    >>> join_unit_lines(["市公安局", "国家税务总局南昌", "市税务局"], RegionIndex.load())
    ['市公安局', '国家税务总局南昌市税务局']
    >>> join_unit_lines(["市不动产登记事务中心", "2024 年1 月起"], RegionIndex.load())
    ['市不动产登记事务中心', '2024 年1 月起']
    >>> join_unit_lines(["市行政审批局、市", "市场监管局、市公", "安局"], RegionIndex.load())
    ['市行政审批局、市市场监管局、市公安局']
    >>> join_unit_lines(["监管局，各县（市、", "区）人民政府"], RegionIndex.load())
    ['监管局，各县（市、区）人民政府']
    >>> join_unit_lines(["市直有关部门、各", "区市人民政府（管", "委）"], RegionIndex.load())
    ['市直有关部门、各区市人民政府（管委）']
    >>> join_unit_lines(["国网常州市武进", "区供电公司、区", "住房城乡建设局"], RegionIndex.load())
    ['国网常州市武进区供电公司、区住房城乡建设局']
    >>> join_unit_lines(["省公安厅、国家税务总局", "陕西省税务局"], RegionIndex.load())
    ['省公安厅、国家税务总局陕西省税务局']
    >>> join_unit_lines(["省政务管理办，各市、州、", "县人民政府"], RegionIndex.load())
    ['省政务管理办，各市、州、县人民政府']
    >>> join_unit_lines(["★自治区司法厅、自治区", "有关部门"], RegionIndex.load())
    ['★自治区司法厅、自治区有关部门']
    >>> join_unit_lines(["自治区司法厅", "有关部门"], RegionIndex.load())
    ['自治区司法厅', '有关部门']
    """
    units: list[str] = []
    for line in lines:
        if units and line in GENERIC and _qualifies(_split_last(units[-1]), index):
            units[-1] += line  # 省司法厅、自治区 / 有关部门: the class of that jurisdiction's bodies
            continue
        # A class word (有关部门) stands for itself: it never continues a name, nor does a date
        # (市不动产登记事务中心 / 2024 年1 月起 in the next column).
        if units and line not in GENERIC and not _DATED.match(line) and not _DASH.fullmatch(line) and (
                (not opens_unit(line, index) and (not ends_unit(units[-1]) or not looks_like_unit(line, index)))
                # A part that opens like a name ends one the width cut inside or after a
                # place's name (国家税务总局南昌 / 市税务局).
                or (not looks_like_unit(units[-1], index) and _place_across(units[-1], line, index)
                    and looks_like_unit(units[-1] + _LIST_MARK.split(line, 1)[0], index))
                # A vertically managed body's local branch: 国家税务总局 / 陕西省税务局.
                or (_split_last(units[-1]) in VERTICAL_BODIES and index.place_at(line, 0) is not None)
                # A list the width wrapped inside its last name (市行政审批局、市 / 市场监管局、市公 / 安局),
                # or inside a bracket (各县（市、 / 区）人民政府).
                or _cut_in_list(units[-1], line, index)
                # A list the width wrapped right after a separator (…，各市、州、 / 县人民政府).
                or units[-1].endswith(("、", "，", ","))
                # Units printed with spaces between them, the last cut by the width
                # (市自然资源和规划局 市住房和城 / 乡建设局).
                or (not ends_unit(units[-1]) and len(split_glued(units[-1] + line, index)) > 1)
                or units[-1].count("（") > units[-1].count("）")):
            units[-1] += line
        else:
            units.append(line)
    return units


_DATED = re.compile(r"(?:19|20)\d{2}\s*年")
_DASH = re.compile(r"[—－\-–]+")  # an empty cell's mark in the next column
# Central bodies whose local offices are named after them and the place (国家税务总局陕西省税务局):
# the name alone, at a line's end, is the first part of a branch's name.
VERTICAL_BODIES = frozenset({"国家税务总局", "国家金融监督管理总局", "中国人民银行", "国家外汇管理局", "海关总署",
                             "国家统计局", "中国证监会"})

_LIST_MARK = re.compile(r"[、，,]")


def _qualifies(part: str, index: RegionIndex) -> bool:
    """Whether ``part`` only says whose bodies follow (自治区, 市直, 各县（市、区）): it opens a name, ends none."""
    return bool(part) and len(unit_mark(part)[1]) <= 8 and opens_unit(part, index) and not ends_unit(part)


def _split_last(text: str) -> str:
    """The last part of a list (after its last 、 or ，)."""
    return _LIST_MARK.split(text)[-1]


def _cut_in_list(before: str, after: str, index: RegionIndex) -> bool:
    """Whether ``before`` is a list whose last name the width cut and ``after`` completes it."""
    *listed, last = _LIST_MARK.split(before)
    head = _LIST_MARK.split(after, 1)[0]
    # A list ending in a bare opener (…、各 / 区市人民政府（管 / 委）) was cut whatever follows.
    return bool(listed) and bool(last) and not ends_unit(last) and (
        last in UNIT_OPENERS or looks_like_unit(last + head, index))


def _place_across(before: str, after: str, index: RegionIndex) -> bool:
    """Whether a place's name begins in the last characters of ``before`` and ends it or runs into
    ``after`` (南昌 / 市税务局, 西宁 / 经济技术开发区管委会): a unit's name never ends with one."""
    joined = before + after
    for start in range(max(0, len(before) - 6), len(before)):
        try:
            hit = index.place_at(joined, start)
        except ValueError:  # an ambiguous place name is a place name all the same
            return True
        if hit is not None and hit[1] >= len(before):
            return True
    return False


def split_glued(name: str, index: RegionIndex) -> list[str]:
    """Units a list printed with spaces between them ran together once the spaces were dropped
    (市发展改革委 市财政局 → 市发展改革委市财政局): cut where a name ends with an agency word and
    the next opens with the same level (市…市…); a vertically managed body's branch stays whole
    (国家税务总局黄石市税务局), and so does a name whose parts would not each be a unit.

    >>> split_glued("市发展改革委市财政局市商务局", RegionIndex.load())
    ['市发展改革委', '市财政局', '市商务局']
    >>> split_glued("省市场监管局", RegionIndex.load()), split_glued("国家税务总局黄石市税务局", RegionIndex.load())
    (['省市场监管局'], ['国家税务总局黄石市税务局'])
    >>> split_glued("县纪委县监委", RegionIndex.load())
    ['县纪委县监委']
    """
    level = next((o for o in _LEVELS if name.startswith(o)), None)
    if level is None:
        return [name]
    cuts = [k for k in range(len(level) + 2, len(name) - 1) if name.startswith((level, *_CENTRAL_OPENERS), k)
            and ends_unit(name[:k]) and _LIST_MARK.split(name[:k])[-1] not in VERTICAL_BODIES]
    pieces = [name[a:b] for a, b in zip([0, *cuts], [*cuts, len(name)])]
    # A body with two names runs them together too (县纪委县监委): their parts are short.
    if len(pieces) > 1 and all(len(piece) >= 4 and looks_like_unit(piece, index) for piece in pieces):
        return pieces
    return [name]


# The levels a run of units can share (市…市…, 省…省…), and the openers of central bodies'
# local offices that may follow them (市住房和城乡建设局国网黄石供电公司).
_LEVELS = ("自治区", "省", "市", "区", "县", "州", "盟", "旗")
_CENTRAL_OPENERS = ("国网", "国家", "中国", "人民银行")


# -- lists of units --------------------------------------------------------------------

# Class words that name nobody in particular.
GENERIC = frozenset({"有关部门", "相关部门", "有关单位", "相关单位", "有关地方", "相关地方"}
                    # 各牵头单位要会同配合单位…: the units of a task list by their role, not by name.
                    | {f"各{role}{unit}" for role in ("牵头", "主办", "责任", "配合", "协办", "参与")
                       for unit in ("单位", "部门")})
# "…等部门", "…等": further units left unnamed.
TRAILING_UNNAMED = re.compile(r"(?:等(?:[0-9一二三四五六七八九十]+个?)?(?:部门|单位))$|等$")
OPEN_BRACKETS = "（(“《"
CLOSE_BRACKETS = "）)”》"


def _grass_roots(name: str) -> bool:
    """A collective of grass-roots bodies: 各乡镇（街道）, 各街镇."""
    return name.startswith("各") and (_COLLECTIVE_ALIAS.sub("", name) or name).endswith(_GRASS_ROOTS)


def split_units(text: str) -> list[str]:
    """The units of a list, split at 、 and ， outside brackets and quotes.

    A part that does not end with an agency word qualifies the next one
    (市、县（市、区）政务数据主管部门 is one unit).

    >>> split_units("省应急管理厅科技和信息化处、省应急管理厅行政审批处，各市应急管理局")
    ['省应急管理厅科技和信息化处', '省应急管理厅行政审批处', '各市应急管理局']
    >>> split_units("市、县（市、区）政务数据主管部门")
    ['市、县（市、区）政务数据主管部门']
    >>> split_units("各乡镇（街道）、县直各相关单位")
    ['各乡镇（街道）', '县直各相关单位']
    >>> split_units("各街镇、莘庄工业区管委会"), split_units("各乡镇、街道")
    (['各街镇', '莘庄工业区管委会'], ['各乡镇、街道'])
    """
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        if ch in "、，," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    units: list[str] = []
    pending = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if pending and _grass_roots(pending) and ends_unit(TRAILING_UNNAMED.sub("", part)):
            units.append(pending)  # 各街镇、莘庄工业区管委会: the towns, then a unit of its own
        elif pending:
            part = pending + "、" + part
        pending = ""
        name = TRAILING_UNNAMED.sub("", part)
        # Grass-roots bodies with their alias (各乡镇（街道）) end a unit too; 各县（市）、区人民政府 is one
        # collective (the governments of the counties and districts), and 各市 may qualify the next part.
        aliased = _COLLECTIVE_ALIAS.search(name) is not None and _grass_roots(name)
        if ends_unit(name) or name in GENERIC or is_central_name(name) or aliased:
            units.append(part)
        else:
            pending = part
    if pending:
        units.append(pending)
    return units


# Roles spelled out in words between the units of a table cell, which the column
# width wraps anywhere (市市场监管局牵头，市 / 公安局、市税务局配合; …按职责分工负责).
# 牵头 in brackets is a mark after one name (区市场监管局（牵头）), not a word.
# The words are those responsibility.py anchors a note's roles on, and the labels of
# its lists (牵头：A / 配合：B, 牵头单位：A；配合单位：B).
ROLE_WORDS = re.compile(r"(?:牵头|责任|主责|配合|协办|协同|参与)(?:单位|部门|处室)?[：:]"
                        r"|按(?:照)?(?:各自)?职责(?:分工)?[，,]?(?:负责|做好|抓好|落实)|(?<!（)牵头(?!单位|部门|处室|领导|抓总)"
                        r"|(?<!（)(?:配合|参与)(?!单位|部门|处室|其中|了)|负责(?!人|同志|的)")
# A role marked after a unit's name in a unit cell; an unmarked unit keeps the column's role.
ROLE_MARKS = {"（牵头）": "lead", "（配合）": "cooperating", "（协办）": "cooperating", "（参与）": "cooperating"}


def worded_units(text: str) -> list[str]:
    """The units of a cell that spells their roles out in words, the words left out
    (empty when it has no role word).

    >>> worded_units("市市场监管局牵头，市公安局、市税务局配合")
    ['市市场监管局', '市公安局', '市税务局']
    >>> worded_units("市财政局、各县（市、区）人民政府按职责分工负责")
    ['市财政局', '各县（市、区）人民政府']
    >>> worded_units("牵头：市市场监管局配合：市公安局、市税务局")
    ['市市场监管局', '市公安局', '市税务局']
    """
    if not ROLE_WORDS.search(text):
        return []
    units = [u for u in split_units(ROLE_WORDS.sub("，", text)) if u]
    # A longer "name" is a sentence that happens to open and end like one.
    return units if all(len(u) <= _LONGEST_UNIT for u in units) else []


# -- resolving a unit named in a provision -----------------------------------------

# Several bodies under one name: kept, marked collective (各区人民政府, 市直各有关部门).
_COLLECTIVE = re.compile(r"^各|各(?:有关|相关)|^[省市区县]直|成员单位$|^(?:省|市|区|县)、|^(?:省|市|县|乡)级")
# Words local documents name their own jurisdiction's bodies by (省发展改革委, 市住房城乡建设局).
_OWN_WORDS = ("自治区", "自治州", "特别行政区", "省", "市", "州", "盟", "地区", "区", "县", "旗")
# What an internal division's name ends with (省应急管理厅政策法规处, 国家发展改革委法规司).
_DIVISION = re.compile(r"^(?P<body>.+?(?:委员会|办公室|办公厅|厅|局|委|办|部|院|署))(?P<division>[^、，]{2,14}?(?:处|科|室|司|支队|大队|股))$")


def own_jurisdiction(word: str, region_code: str, index: RegionIndex) -> str | None:
    """The region a document calls by its level word: 市 in a 廊坊 document is 廊坊市.

    The nearest region at or above the document's whose official name ends
    with the word (市 in a district's document is its city).

    >>> index = RegionIndex.load()
    >>> own_jurisdiction("市", "110000", index), own_jurisdiction("省", "131000", index), own_jurisdiction("市", "210102", index)
    ('110000', '130000', '210100')
    >>> own_jurisdiction("县", "131000", index) is None
    True
    """
    region = index.get(region_code)
    while True:
        if region.code != NATIONAL_CODE and region.name.endswith(word):
            return region.code
        if region.parent_code is None:
            return None
        region = index.get(region.parent_code)


def resolve_unit(name: str, region_code: str, index: RegionIndex) -> AgencyName:
    """The agency a responsibility list names, in a document of ``region_code``.

    Never fails: a name no rule places is kept under the document's own
    jurisdiction, ``resolved_by='document_jurisdiction'`` (the caller lists it).

    >>> index = RegionIndex.load()
    >>> a = resolve_unit("市住房城乡建设委", "110000", index)
    >>> a.canonical, a.region_code, a.resolved_by
    ('北京市住房和城乡建设委员会', '110000', 'own_jurisdiction')
    >>> d = resolve_unit("省应急管理厅政策法规处", "130000", index)
    >>> d.canonical, d.parent.canonical
    ('河北省应急管理厅政策法规处', '河北省应急管理厅')
    >>> c = resolve_unit("各县（市、区）政府", "131000", index)
    >>> c.collective, c.region_code
    (True, '131000')
    """
    text = "".join(name.split()).translate(_BRACKETS)
    if _COLLECTIVE.search(text):
        word = next((w for w in _OWN_WORDS if text.startswith(w) or text.startswith("各" + w)), None)
        code = (own_jurisdiction(word, region_code, index) if word and text[:1] != "各" else None) or region_code
        return AgencyName(text, text, (), level_of(code), code, resolved_by="collective", collective=True)
    m = _DIVISION.match(text)
    if m is not None and not m.group("division").startswith(("公", "厅")):  # 办|公室 is no division
        parent = _resolve_body(m.group("body"), region_code, index)
        if parent is not None:
            return replace(parent, raw=text, canonical=parent.canonical + m.group("division"), aliases=(), parent=parent)
    whole = _resolve_body(text, region_code, index)
    if whole is not None:
        return whole
    return AgencyName(text, text, (), level_of(region_code), region_code, resolved_by="document_jurisdiction")


def _resolve_body(text: str, region_code: str, index: RegionIndex) -> AgencyName | None:
    if region_code != NATIONAL_CODE:
        for word in _OWN_WORDS:
            if text.startswith(word) and len(text) > len(word) + 1 and index.place_at(text, 0) is None:
                code = own_jurisdiction(word, region_code, index)
                if code is not None:
                    canonical = official_place(code, index) + expand_body(text[len(word):])
                    return AgencyName(text, canonical, (), level_of(code), code, resolved_by="own_jurisdiction")
                break
    try:
        found = split_issuers(text, index, province_hint=province_of(region_code))
    except ValueError:
        return None
    return found[0] if len(found) == 1 else None
