"""Step 5c: who must carry out a provision, and in what role.

Roles, from the wording of the provision:

============  ==========================================================
lead          A牵头; A会同B… (A leads); 牵头单位：A
responsible   由A负责; A负责; 责任单位：A
cooperating   A会同B (B cooperates); 配合单位：B
reporting_to  报送A; 报告A; 报A (the provision's duty is reported to A)
============  ==========================================================

Bodies are recognised by name: the central bodies of
``data/national_agencies.json`` in running text, and any name the agency
splitter understands inside a 牵头单位/责任单位/配合单位 list. Generic
references (有关部门, 各地区) are not bodies: they are counted, not linked.
Names in a list that cannot be resolved are counted as unresolved. A local
document's own bodies named by level alone (省发展改革委) take the name of the
document's jurisdiction.

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
from dataclasses import dataclass, field
from functools import lru_cache

from policydata.schema import CURRENT

from .agencies import AgencyName, central_names, split_issuers
from .regions import NATIONAL_CODE, RegionIndex, province_of

ROLES = CURRENT.vocabulary("agency_role").values
GENERIC = ("各有关部门", "有关部门", "相关部门", "各相关部门", "各地区", "各地", "有关地方", "各部门", "有关单位", "相关单位")
_LIST_ROLES = {"牵头": "lead", "责任": "responsible", "配合": "cooperating"}
_LIST = re.compile(r"(牵头|责任|配合)(?:单位|部门)[：:]\s*([^）)。；;\n]+)")
# 和 and 及 are not separators: they occur inside names (国家发展和改革委员会).
_LIST_SEP = re.compile(r"[、，,]")
_MODAL = "(?:要|应|应当|将|继续)?"
_OWN_PREFIXES = ("自治区", "自治州", "省", "市", "区", "县", "州")


@dataclass(frozen=True)
class Responsibility:
    agency: AgencyName
    role: str
    evidence: str


@dataclass
class Responsibilities:
    links: list[Responsibility] = field(default_factory=list)
    unresolved: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    names = "|".join(map(re.escape, central_names()))
    name = f"(?P<name>{names})"
    generic = "(?P<generic>" + "|".join(map(re.escape, GENERIC)) + ")"
    return (
        re.compile(rf"{name}{_MODAL}(?P<lead>会同|牵头)"),
        re.compile(rf"由{name}(?:[^，。；]{{0,12}})负责|(?P<subject>{names}){_MODAL}负责"),
        re.compile(rf"会同(?:{name}|{generic})"),
        re.compile(rf"(?:报送|报告|抄送|报)(?:至|给)?{name}"),
    )


def find_responsibilities(text: str, region_code: str, index: RegionIndex) -> Responsibilities:
    """Agencies named as carrying out ``text``, in order of appearance."""
    out = Responsibilities()
    hint = province_of(region_code)
    lead, responsible, cooperating, reporting = _patterns()
    found: list[tuple[int, str, str, str]] = []  # (offset, name, role, evidence)
    for m in lead.finditer(text):
        found.append((m.start(), m.group("name"), "lead", m.group(0)))
    for m in responsible.finditer(text):
        found.append((m.start(), m.group("name") or m.group("subject"), "responsible", m.group(0)))
    for m in cooperating.finditer(text):
        if m.group("generic"):
            out.ignored[m.group("generic")] += 1
        else:
            found.append((m.start(), m.group("name"), "cooperating", m.group(0)))
    for m in reporting.finditer(text):
        found.append((m.start(), m.group("name"), "reporting_to", m.group(0)))
    for m in _LIST.finditer(text):
        role = _LIST_ROLES[m.group(1)]
        for part in filter(None, (p.strip() for p in _LIST_SEP.split(m.group(2)))):
            if part in GENERIC or part.startswith("各"):
                out.ignored[part] += 1
                continue
            found.append((m.start(), part, role, m.group(0)))
    for _, name, role, evidence in sorted(found):
        try:
            agencies = split_issuers(_expand_own_jurisdiction(name, region_code, index), index, province_hint=hint)
        except ValueError:
            out.unresolved[name] += 1
            continue
        out.links.extend(Responsibility(a, role, evidence) for a in agencies)
    return out


def _expand_own_jurisdiction(name: str, region_code: str, index: RegionIndex) -> str:
    """省发展改革委 in an Anhui provincial document is 安徽省发展改革委.

    Local documents name their own jurisdiction's bodies by its level alone
    (省/市/区/县/州 + body); the document's own region supplies the name.
    Names of other forms are returned unchanged.

    >>> index = RegionIndex.load()
    >>> _expand_own_jurisdiction("省发展改革委", "340000", index)
    '安徽省发展改革委'
    >>> _expand_own_jurisdiction("市发展改革委", "340000", index)
    '市发展改革委'
    """
    if region_code == NATIONAL_CODE:
        return name
    own = index.get(region_code).name
    for prefix in _OWN_PREFIXES:
        if name.startswith(prefix) and own.endswith(prefix) and len(name) > len(prefix):
            return own + name[len(prefix) :]
    return name
