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
    RegionIndex,
    level_of,
    national_agency_data,
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


def _central_at(text: str, pos: int) -> tuple[_CentralBody, int] | None:
    bodies = _central_bodies()
    longest = max(len(n) for n in bodies)
    for length in range(min(longest, len(text) - pos), 1, -1):
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
    central = _central_at(text, pos)
    if central is not None:
        body, end = central
        place = index.place_at(text, end, hint)
        if place is not None:
            # 国家税务总局安徽省税务局: the provincial branch of a central body.
            return _local(text, pos, place, index, hint)
        return AgencyName(text[pos:end], body.canonical, body.aliases, "national", NATIONAL_CODE), end
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
            agency = AgencyName(raw, raw.translate(_BRACKETS), (), level_of(jurisdiction.code), jurisdiction.code,
                                jurisdiction.notes)
            return agency, end
    raise ValueError(f"issuer {text[pos:]!r} (in {text!r}) does not end with an agency word "
                     f"({'/'.join(AGENCY_SUFFIXES)})")


def _opens_issuer(text: str, pos: int, index: RegionIndex, hint: str | None) -> bool:
    if text.startswith(PARTY_PREFIX, pos) and index.place_at(text, pos + len(PARTY_PREFIX), hint):
        return True
    if index.place_at(text, pos, hint) is not None:
        return True
    central = _central_at(text, pos)
    if central is None:
        return False
    body, end = central
    name = text[pos:end]
    return name.startswith(_CENTRAL_OPENERS) or name == body.canonical


def central_names() -> tuple[str, ...]:
    """Every printed form of a central body (offices included), longest first.

    >>> "国家发展改革委" in central_names()
    True
    """
    return tuple(sorted(_central_bodies(), key=lambda n: (-len(n), n)))


def add_agency_row(rows: dict[str, dict], agency: AgencyName) -> str:
    """Add ``agency`` to an ``agencies`` table under construction (id → row),
    keeping the printed name as an alias; return its id."""
    aid = agency_id(agency.canonical, agency.region_code)
    row = rows.setdefault(
        aid,
        {"agency_id": aid, "name": agency.canonical, "aliases": set(agency.aliases),
         "level": agency.level, "region_code": agency.region_code},
    )
    if agency.raw != agency.canonical:
        row["aliases"].add(agency.raw)
    return aid
