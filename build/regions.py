"""Issuing jurisdictions: names printed in titles and signatures -> GB/T 2260 codes.

Codes come only from ``build/data/gbt2260/adcodes.csv`` (12-digit codes, of
which the first six are the GB/T 2260 code), a byte-for-byte copy of the
table shipped in cpca 0.5.5 (MIT licence,
https://github.com/DQinYuan/chinese_province_city_area_mapper), pinned by its
sha256 below. The copy is read as data: cpca itself is not imported (its
``__init__`` needs ``pkg_resources``, gone from current setuptools and from
Python 3.12+ environments), and the codes cannot change under a rebuild
because a dependency moved. Nothing here types a code by hand, with one
convention of ours: the national level is ``100000`` named ``中华人民共和国``
(see :data:`policydata.schema.NATIONAL_CODE`).

Entry point: :class:`RegionIndex` (``RegionIndex.load()``).

Why not ``cpca.transform``: it guesses. It fills in a missing province with
the most likely one (朝阳区 -> 长春市 朝阳区 without saying there is another in
Beijing) and does not know abbreviated forms such as 凉山州 or truncated
ones such as 云港市. An index built directly from adcodes.csv lets every
ambiguity surface as an error.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Iterable

from policydata.schema import CURRENT, NATIONAL_CODE, NATIONAL_NAME

LEVELS = CURRENT.vocabulary("level").values
# The GB/T 2260 tables and the sha256 each must have (the vintage is pinned).
GBT2260_FILES = {
    "adcodes.csv": "66948fa1519ba053f22b8c2d05c897c9b19c44cdc3044e464b52f0143ff418fe",
    "56_nations.csv": "a8396cf9de0b650a816d181b3f04ea016f07668cc1b3b62bb4b153038ea1bd82",
}

# Rows of adcodes.csv that group districts or directly administered counties
# under a pseudo-prefecture; they name no place, so they are left out (and
# counted in RegionIndex.skipped_placeholders). Their children hang directly
# from the province: that is how the municipalities' districts and the
# province-administered county-level cities (仙桃市, 济源市 ...) are nested.
_PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# The last characters of a complete agency name. A new issuer can only start
# right after one of these, which is what lets concatenated joint issuers
# ("四川省人民政府办公厅重庆市人民政府办公厅") be told apart.
AGENCY_SUFFIXES = (
    "政府", "办公室", "小组", "联席会议", "专班", "海关", "公司", "中心", "分行", "支行",
    "会", "局", "厅", "委", "部", "院", "署", "办", "处",
)

# Words that open the name of a central body even when the body is not in
# build/data/national_agencies.json (国家XX局, 国务院XX领导小组 ...).
NATIONAL_MARKERS = ("国务院", "中共中央", "中央", "全国", "最高人民", "国家")

# The communist party committee of a place is printed as 中共 + place + 委.
PARTY_PREFIX = "中共"

_PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")
_PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "市")
# Administrative words ending full names, longest first (see _truncations).
_ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
                   "省", "市", "县", "区", "盟", "旗", "州")
# A heading note the compilation prints after a province with no documents.
_HEADING_NOTES = ("（暂无）",)
# A development zone or similar named right after its city has no GB/T code.
_ZONE_RE = re.compile(
    r"[^局委厅办府部院署会组室司处（）()]{1,15}?"
    r"(?:开发区|高新区|新区|合作区|试验区|示范区|保税区|园区|自由贸易港|片区)"
)
_NATIONAL_DATA = ("data", "national_agencies.json")
# Pilot free trade zones are printed 中国（上海）自由贸易试验区.
_BRACKETED_ZONE_OPENERS = ("中国（", "中国(")
_CLOSING_BRACKETS = ("）", ")")
# Longest central-body name accepted without a dictionary entry.
_MAX_GENERIC_NATIONAL = 20


@dataclass(frozen=True)
class Region:
    """One row of the regions table."""

    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class Jurisdiction:
    """The jurisdiction an issuer belongs to, with the words that named it.

    ``char_start``/``char_end`` index into the text given to
    :meth:`RegionIndex.issuer_jurisdiction` (``text[char_start:char_end]``
    is ``matched`` when the name is printed without a line break).
    """

    code: str
    level: str
    matched: str
    char_start: int
    char_end: int
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Hit:
    """A jurisdiction found in the compacted text (offsets into it)."""

    code: str
    start: int
    end: int
    notes: tuple[str, ...]


def level_of(code: str) -> str:
    """Administrative level implied by a six-digit code.

    >>> level_of("320000"), level_of("320700"), level_of("320583"), level_of("100000")
    ('provincial', 'prefectural', 'county', 'national')
    """
    if code == NATIONAL_CODE:
        return "national"
    if code.endswith("0000"):
        return "provincial"
    if code.endswith("00"):
        return "prefectural"
    return "county"


def national_agency_data() -> dict:
    """The parsed build/data/national_agencies.json (shared with agencies.py)."""
    return _read_national_data()


@cache
def _read_national_data() -> dict:
    path = resources.files("policydata_build").joinpath(*_NATIONAL_DATA)
    return json.loads(path.read_text(encoding="utf-8"))


def _national_names() -> frozenset[str]:
    data = _read_national_data()
    names: set[str] = set()
    for entry in data["agencies"]:
        for name in (entry["canonical"], *entry["aliases"]):
            names.add(name)
            names.update(name + office for office in data["office_suffixes"])
    return frozenset(names)


def _read_gbt2260(filename: str) -> str:
    from policydata.integrity import sha256_bytes

    data = resources.files("policydata_build").joinpath("data", "gbt2260", filename).read_bytes()
    digest = sha256_bytes(data)
    if digest != GBT2260_FILES[filename]:
        raise ValueError(f"build/data/gbt2260/{filename} has sha256 {digest}, not the pinned {GBT2260_FILES[filename]}")
    return data.decode("utf-8")


@cache
def _ethnic_names() -> frozenset[str]:
    """Ethnic group names with and without 族 (维吾尔族, 维吾尔 ...)."""
    groups = [line.strip() for line in _read_gbt2260("56_nations.csv").splitlines() if line.strip()]
    return frozenset({g for g in groups} | {g[:-1] for g in groups if g.endswith("族") and len(g) > 2})


def _strip_ethnic(stem: str, ethnic: frozenset[str]) -> str:
    """Drop trailing ethnic names: 红河哈尼族彝族 -> 红河; 内蒙古 stays (内 is too short).

    The longest trailing name that leaves at least two characters goes first;
    trying tails by length costs a few set lookups instead of one
    ``endswith`` per ethnic name.
    """
    longest = _longest(ethnic)
    changed = True
    while changed:
        changed = False
        for length in range(min(longest, len(stem) - 2), 0, -1):
            if stem[-length:] in ethnic:
                stem = stem[:-length]
                changed = True
                break
    return stem


@cache
def _longest(names: frozenset[str]) -> int:
    return max(map(len, names))


def _short_forms(region: Region, ethnic: frozenset[str]) -> list[str]:
    """Abbreviated names in common official use, derived from the full name.

    Provinces: 北京, 内蒙古, 广西 and the 新疆自治区 pattern; prefectures:
    淮南, 大兴安岭, 甘孜, 甘孜州, 甘孜自治州. County names are only matched in
    full: their short forms are too often ordinary words.
    """
    name = region.name
    if region.level == "provincial":
        suffixes = _PROVINCE_SUFFIXES
    elif region.level == "prefectural":
        suffixes = _PREFECTURE_SUFFIXES
    else:
        return []
    suffix = next((s for s in suffixes if name.endswith(s)), None)
    if suffix is None:
        return []
    stem = _strip_ethnic(name[: -len(suffix)], ethnic)
    if len(stem) < 2:
        return []
    forms = [stem]
    if suffix == "自治区":
        forms.append(stem + "自治区")
    if suffix == "自治州":
        forms += [stem + "州", stem + "自治州"]
    return [f for f in forms if f != name]


def _compact(text: str) -> tuple[str, list[int]]:
    """Remove whitespace (line breaks split names in the source); keep offsets."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


class RegionIndex:
    """GB/T 2260 regions and a strict matcher for the places that issue documents.

    >>> index = RegionIndex.load()
    >>> index.get("320700").name
    '连云港市'
    >>> index.issuer_jurisdiction("上海市黄浦区人民政府办公室").code
    '310101'
    """

    def __init__(self, regions: dict[str, Region], skipped_placeholders: int) -> None:
        self._regions = regions
        self.skipped_placeholders = skipped_placeholders
        ethnic = _ethnic_names()
        # name -> codes it can denote; full and short names share one table
        # because a title uses whichever it likes.
        self._names: dict[str, set[str]] = {}
        for region in regions.values():
            if region.level == "national":
                continue
            for form in [region.name, *_short_forms(region, ethnic)]:
                self._names.setdefault(form, set()).add(region.code)
        self._max_name = max(len(n) for n in self._names)
        self._truncated = self._truncations()
        self._national = _national_names()
        self._max_national = max(len(n) for n in self._national)

    @classmethod
    def load(cls) -> "RegionIndex":
        """The index built from the pinned adcodes.csv (built once, then cached)."""
        return _load_index()

    @classmethod
    def _from_adcodes_csv(cls, text: str) -> "RegionIndex":
        """Build from the text of an adcodes.csv (columns adcode,name,...)."""
        rows: dict[str, str] = {}
        placeholders: set[str] = set()
        for record in csv.DictReader(io.StringIO(text)):
            adcode, name = record["adcode"], record["name"]
            if not re.fullmatch(r"\d{12}", adcode) or not adcode.endswith("000000"):
                raise ValueError(f"adcodes.csv: unexpected adcode {adcode!r} ({name})")
            code = adcode[:6]
            if code in rows or code in placeholders:
                raise ValueError(f"adcodes.csv: duplicate code {code} ({name})")
            if name in _PLACEHOLDER_NAMES:
                placeholders.add(code)
            else:
                rows[code] = name
        regions = {NATIONAL_CODE: Region(NATIONAL_CODE, NATIONAL_NAME, "national", None)}
        for code, name in rows.items():
            regions[code] = Region(code, name, level_of(code), _parent_code(code, rows))
        return cls(regions, len(placeholders))

    # -- lookup ---------------------------------------------------------

    def get(self, code: str) -> Region:
        """The region with this code.

        >>> RegionIndex.load().get("100000").name
        '中华人民共和国'
        """
        if code not in self._regions:
            raise KeyError(f"unknown region code {code!r}: not in the pinned GB/T 2260 table (build/data/gbt2260/adcodes.csv) "
                           f"(or one of its 市辖区/县/省直辖 placeholder rows)")
        return self._regions[code]

    def all(self) -> list[Region]:
        """Every region of the index, in the table's order.

        >>> RegionIndex.load().all()[0].name
        '中华人民共和国'
        """
        return list(self._regions.values())

    def with_ancestors(self, codes: Iterable[str]) -> list[Region]:
        """Every region referred to plus all its ancestors up to 100000, sorted by code.

        >>> [r.code for r in RegionIndex.load().with_ancestors(["310101"])]
        ['100000', '310000', '310101']
        """
        found: dict[str, Region] = {}
        for code in codes:
            region = self.get(code)
            while region.code not in found:
                found[region.code] = region
                if region.parent_code is None:
                    break
                region = self.get(region.parent_code)
        return [found[c] for c in sorted(found)]

    def province_code(self, heading: str) -> str:
        """Province code of a compilation heading as printed.

        >>> index = RegionIndex.load()
        >>> index.province_code("内蒙古"), index.province_code("青海（暂无）")
        ('150000', '630000')
        """
        name = heading.strip()
        for note in _HEADING_NOTES:
            name = name.removesuffix(note)
        codes = {c for c in self._names[name] if level_of(c) == "provincial"} if name in self._names else set()
        if len(codes) != 1:
            raise ValueError(f"not a province heading: {heading!r}")
        return codes.pop()

    # -- issuers --------------------------------------------------------

    def issuer_jurisdiction(self, issuer_text: str, province_hint: str | None = None) -> Jurisdiction:
        """The jurisdiction of an issuer text: the most specific place named at its start.

        ``issuer_text`` is the issuing part of a title (or a whole title, or a
        signature line). ``province_hint`` (a province code) only breaks ties
        between places with the same name; it never overrides a unique name.
        Later places that begin a new issuer are checked too: places nested
        in one another resolve to the most senior one; unrelated places give
        the first one and a ``joint_jurisdictions`` note.

        >>> index = RegionIndex.load()
        >>> j = index.issuer_jurisdiction("云港市优化营商环境条例")
        >>> j.code, j.notes
        ('320700', ('truncated_name: 云港市 -> 连云港市',))
        >>> index.issuer_jurisdiction("国家税务总局安徽省税务局").code
        '340000'
        >>> index.issuer_jurisdiction("关于印发全省2023 年度工作方案的通知")
        Traceback (most recent call last):
        ...
        ValueError: no issuing jurisdiction at the start of '关于印发全省2023 年度工作方案的通知'
        """
        if province_hint is not None and level_of(province_hint) != "provincial":
            raise ValueError(f"province_hint must be a province code, got {province_hint!r}")
        text, offsets = _compact(issuer_text)
        first = self._jurisdiction_at(text, 0, province_hint, allow_truncated=True)
        if first is None:
            raise ValueError(f"no issuing jurisdiction at the start of {issuer_text!r}")
        hint = province_hint or province_of(first.code)
        hits = [first] + self._later_jurisdictions(text, first.end, hint)
        chosen, note = self._combine(hits)
        notes = chosen.notes + ((note,) if note else ())
        return Jurisdiction(
            code=chosen.code,
            level=level_of(chosen.code),
            matched=text[chosen.start:chosen.end],
            char_start=offsets[chosen.start],
            char_end=offsets[chosen.end - 1] + 1,
            notes=notes,
        )

    def place_at(self, text: str, pos: int, province_hint: str | None = None) -> tuple[str, int] | None:
        """(code, end) of the place (with nested places) named at ``text[pos:]``, if any.

        Also finds the place of a bracketed zone (中国（上海）自由贸易试验区).
        Used by agencies.py to find where a local issuer begins; ``text`` has
        no whitespace. Raises ValueError when the name is ambiguous.

        >>> RegionIndex.load().place_at("北京市顺义区人民政府", 0)
        ('110113', 6)
        """
        hit = None
        if text.startswith(_BRACKETED_ZONE_OPENERS, pos):
            hit = self._bracketed_zone(text, pos, province_hint)
        hit = hit or self._chain(text, pos, province_hint)
        return None if hit is None else (hit.code, hit.end)

    def national_name_at(self, text: str, pos: int) -> int | None:
        """End of the longest central-body name from build/data at ``text[pos:]``."""
        for length in range(min(self._max_national, len(text) - pos), 1, -1):
            if text[pos:pos + length] in self._national:
                return pos + length
        return None

    # -- matching internals ------------------------------------------------

    def _jurisdiction_at(self, text: str, pos: int, hint: str | None, allow_truncated: bool) -> _Hit | None:
        if text.startswith(_BRACKETED_ZONE_OPENERS, pos):
            zone = self._bracketed_zone(text, pos, hint)
            if zone is not None:
                return zone
        if text.startswith(PARTY_PREFIX, pos):
            party = self._chain(text, pos + len(PARTY_PREFIX), hint)
            if party is not None:
                return party
        national_end = self._national_end(text, pos)
        if national_end is not None:
            branch = self._chain(text, national_end, hint)
            if branch is not None:
                note = f"branch_of_national_body: {text[pos:national_end]}"
                return _Hit(branch.code, branch.start, branch.end, (note,) + branch.notes)
            return _Hit(NATIONAL_CODE, pos, national_end, ())
        place = self._chain(text, pos, hint)
        if place is None and allow_truncated:
            place = self._truncated_at(text, pos, hint)
        return place

    def _bracketed_zone(self, text: str, pos: int, hint: str | None) -> _Hit | None:
        """中国（上海）自由贸易试验区: the place in brackets, and a note that the zone has no code."""
        place = self._chain(text, pos + len(_BRACKETED_ZONE_OPENERS[0]), hint)
        if place is None or not text.startswith(_CLOSING_BRACKETS, place.end):
            return None
        zone = _ZONE_RE.match(text, place.end + 1)
        if zone is None:
            return None
        return _Hit(place.code, place.start, place.end, (f"zone_not_coded: {text[pos:zone.end()]}",))

    def _national_end(self, text: str, pos: int) -> int | None:
        """End of a central body's name at pos: from the dictionary, else 国家XX局-style."""
        end = self.national_name_at(text, pos)
        if end is not None:
            return end
        marker = next((m for m in NATIONAL_MARKERS if text.startswith(m, pos)), None)
        if marker is None:
            return None
        # Without an agency word soon after the marker it is not a body
        # (全国统一大市场 ..., 国家级 ...).
        for stop in range(pos + len(marker), min(len(text), pos + _MAX_GENERIC_NATIONAL) + 1):
            if text.endswith(AGENCY_SUFFIXES, pos, stop):
                return stop
        return None

    def _names_at(self, text: str, pos: int, parent: str | None) -> tuple[int, set[str]] | None:
        """Longest place name at pos (restricted to descendants of parent)."""
        for length in range(min(self._max_name, len(text) - pos), 1, -1):
            codes = self._names.get(text[pos:pos + length])
            if codes and parent is not None:
                codes = {c for c in codes if _is_descendant(c, parent)}
            if codes:
                return pos + length, codes
        return None

    def _chain(self, text: str, pos: int, hint: str | None) -> _Hit | None:
        """Place at pos followed by places inside it (上海市 + 黄浦区)."""
        found = self._names_at(text, pos, None)
        if found is None:
            return None
        end, codes = found
        code = self._resolve(text[pos:end], codes, hint)
        return self._extend(text, _Hit(code, pos, end, ()))

    def _extend(self, text: str, hit: _Hit) -> _Hit:
        while (child := self._names_at(text, hit.end, hit.code)) is not None:
            end, codes = child
            hit = _Hit(self._resolve(text[hit.end:end], codes, None), hit.start, end, hit.notes)
        zone = _ZONE_RE.match(text, hit.end)
        if zone is not None:
            hit = _Hit(hit.code, hit.start, hit.end, hit.notes + (f"zone_not_coded: {text[hit.start:zone.end()]}",))
        return hit

    def _resolve(self, name: str, codes: set[str], hint: str | None) -> str:
        """One code for a name, or ValueError listing the candidates."""
        candidates = set(codes)
        if len(candidates) > 1 and hint is not None:
            in_hint = {c for c in candidates if c[:2] == hint[:2]}
            candidates = in_hint or candidates
        if len(candidates) > 1:
            # A bare 吉林 / 海南 means the province, not 吉林市 / 海南藏族自治州.
            provinces = {c for c in candidates if level_of(c) == "provincial"}
            candidates = provinces if len(provinces) == 1 else candidates
        if len(candidates) > 1:
            listed = ", ".join(f"{c} {self._regions[c].name}" for c in sorted(candidates))
            raise ValueError(f"ambiguous place name {name!r}: {listed}; give province_hint")
        return candidates.pop()

    def _truncations(self) -> dict[str, set[str]]:
        """Proper tails of full names (连云港市 -> 云港市) that are not names themselves.

        A tail keeps the whole administrative word and ethnic part and at
        least two characters of the place's own name, so 港市, 别行政区 or
        吉克自治县 are never taken for a place.
        """
        ethnic = _ethnic_names()
        tails: dict[str, set[str]] = {}
        for region in self._regions.values():
            name = region.name
            suffix = next((s for s in _ADMIN_SUFFIXES if name.endswith(s)), None)
            if region.level == "national" or suffix is None:
                continue
            core = _strip_ethnic(name[: -len(suffix)], ethnic)
            for cut in range(1, len(core) - 1):
                tail = name[cut:]
                if tail not in self._names:
                    tails.setdefault(tail, set()).add(region.code)
        return tails

    def _truncated_at(self, text: str, pos: int, hint: str | None) -> _Hit | None:
        for length in range(min(self._max_name, len(text) - pos), 2, -1):
            tail = text[pos:pos + length]
            codes = self._truncated.get(tail)
            if codes:
                code = self._resolve(tail, codes, hint)
                note = f"truncated_name: {tail} -> {self._regions[code].name}"
                return self._extend(text, _Hit(code, pos, pos + length, (note,)))
        return None

    def _later_jurisdictions(self, text: str, start: int, hint: str) -> list[_Hit]:
        """Jurisdictions of further issuers: places that follow a complete agency name."""
        hits = []
        for pos in range(start + 1, len(text)):
            if text.endswith(AGENCY_SUFFIXES, 0, pos):
                hit = self._jurisdiction_at(text, pos, hint, allow_truncated=False)
                if hit is not None:
                    hits.append(hit)
        return hits

    def _combine(self, hits: list[_Hit]) -> tuple[_Hit, str | None]:
        """The most senior jurisdiction if all others lie inside it, else the first."""
        codes = list(dict.fromkeys(h.code for h in hits))
        if len(codes) == 1:
            return hits[0], None
        for hit in sorted(hits, key=lambda h: LEVELS.index(level_of(h.code))):
            if all(_is_descendant(c, hit.code) or c == hit.code for c in codes):
                return hit, f"nested_jurisdictions: {','.join(codes)}"
        return hits[0], f"joint_jurisdictions: {','.join(codes)}"


def _parent_code(code: str, names: dict[str, str]) -> str:
    """Parent in the tree, skipping placeholder rows (they are not in names)."""
    level = level_of(code)
    if level == "provincial":
        return NATIONAL_CODE
    province = code[:2] + "0000"
    if level == "prefectural":
        return province
    prefecture = code[:4] + "00"
    return prefecture if prefecture in names else province


def province_of(code: str) -> str | None:
    """The province a code lies in (itself for a province); None for 100000.

    >>> province_of("340400"), province_of("100000")
    ('340000', None)
    """
    return None if code == NATIONAL_CODE else code[:2] + "0000"


def _is_descendant(code: str, ancestor: str) -> bool:
    """True when code lies strictly inside ancestor (100000 contains everything)."""
    if code == ancestor:
        return False
    level = level_of(ancestor)
    if level == "national":
        return True
    if level == "provincial":
        return code[:2] == ancestor[:2]
    if level == "prefectural":
        return code[:4] == ancestor[:4]
    return False


@cache
def _load_index() -> RegionIndex:
    return RegionIndex._from_adcodes_csv(_read_gbt2260("adcodes.csv"))
