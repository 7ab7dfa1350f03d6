"""Tests for policydata_build.regions: GB/T 2260 index and issuer jurisdictions."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest
from sourcefiles import page_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata_build.regions import NATIONAL_CODE, Jurisdiction, RegionIndex, level_of


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    return RegionIndex.load()


def toc_entries() -> list[tuple[str | None, int, str]]:
    """(province heading or None in the national section, number, first line) per TOC entry."""
    entries, heading = [], None
    for line in page_lines(3, 22):
        text = line.strip()
        if re.match(r"^[一二三四五六七八九十]+、", text):
            heading = None
        elif found := re.match(r"^（[一二三四五六七八九十]+）(.+?)\.{3,}", text):
            heading = found.group(1)
        elif found := re.match(r"^(\d+)\. (.*)$", text):
            entries.append((heading, int(found.group(1)), found.group(2)))
    return entries


# -- the index ------------------------------------------------------------------


_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _adcodes() -> dict[str, str]:
    table = resources.files("policydata_build").joinpath("data", "gbt2260", "adcodes.csv").read_text(encoding="utf-8")
    return {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(table))}


def test_the_pinned_code_table_is_checked_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from policydata_build import regions

    monkeypatch.setitem(regions.GBT2260_FILES, "adcodes.csv", "0" * 64)
    with pytest.raises(ValueError, match="adcodes.csv has sha256 66948fa1.*not the pinned 0000"):
        regions._read_gbt2260("adcodes.csv")


def test_every_code_comes_from_the_pinned_adcodes(index: RegionIndex) -> None:
    rows = _adcodes()
    regions = index.with_ancestors([c for c, n in rows.items() if n not in _PLACEHOLDERS])
    assert len(regions) == len(rows) - index.skipped_placeholders + 1
    for region in regions:
        if region.code == NATIONAL_CODE:
            assert region.name == "中华人民共和国" and region.parent_code is None
        else:
            assert rows[region.code] == region.name


@pytest.mark.parametrize(
    ("code", "name", "level", "parent"),
    [
        ("320000", "江苏省", "provincial", "100000"),
        ("320700", "连云港市", "prefectural", "320000"),
        ("320583", "昆山市", "county", "320500"),
        ("110113", "顺义区", "county", "110000"),  # municipality districts hang from the city
        ("500110", "綦江区", "county", "500000"),
        ("429004", "仙桃市", "county", "420000"),  # province-administered county-level city
        ("232700", "大兴安岭地区", "prefectural", "230000"),
    ],
)
def test_region_rows(index: RegionIndex, code: str, name: str, level: str, parent: str) -> None:
    region = index.get(code)
    assert (region.name, region.level, region.parent_code) == (name, level, parent)


def test_placeholders_are_not_regions(index: RegionIndex) -> None:
    assert index.skipped_placeholders == 292  # 286 市辖区, 4 省直辖…, 1 自治区直辖…, 1 县
    for code in ("110100", "500200", "429000", "659000"):
        with pytest.raises(KeyError, match="unknown region code"):
            index.get(code)


def test_unknown_code(index: RegionIndex) -> None:
    with pytest.raises(KeyError, match="'999999'"):
        index.get("999999")


def test_with_ancestors(index: RegionIndex) -> None:
    codes = [r.code for r in index.with_ancestors(["310101", "320583", "100000"])]
    assert codes == ["100000", "310000", "310101", "320000", "320500", "320583"]


def test_level_of() -> None:
    assert [level_of(c) for c in ("100000", "440000", "440300", "440305")] == [
        "national", "provincial", "prefectural", "county"]


@pytest.mark.parametrize(
    ("heading", "code"),
    [("北京", "110000"), ("辽宁省", "210000"), ("内蒙古", "150000"), ("广西", "450000"),
     ("宁夏", "640000"), ("新疆", "650000"), ("西藏", "540000"), ("青海（暂无）", "630000"),
     ("黑龙江", "230000"), ("重庆", "500000")],
)
def test_province_code(index: RegionIndex, heading: str, code: str) -> None:
    assert index.province_code(heading) == code


@pytest.mark.parametrize("heading", ["华北", "青海（暂停）", "淮南", "国家", ""])
def test_province_code_rejects(index: RegionIndex, heading: str) -> None:
    with pytest.raises(ValueError, match="not a province heading"):
        index.province_code(heading)


# -- issuer jurisdictions -----------------------------------------------------

# (issuer text as printed, expected code, expected notes)
ISSUERS = [
    ("淮南市人民政府办公室", "340400", ()),
    ("云港市优化营商环境条例", "320700", ("truncated_name: 云港市 -> 连云港市",)),
    ("泰安市人民政府办公室", "370900", ()),
    ("甘孜藏族自治州人民政府办公室", "513300", ()),
    ("国家税务总局广东省税务局", "440000", ("branch_of_national_body: 国家税务总局",)),
    ("国家税务总局安徽省税务局", "340000", ("branch_of_national_body: 国家税务总局",)),
    ("深圳市前海深港现代服务业合作区管理局国家税务总局深圳市税务局", "440300",
     ("zone_not_coded: 深圳市前海深港现代服务业合作区",)),
    ("中共通辽市委办公室通辽市人民政府办公室", "150500", ()),
    ("湖北省商务厅武汉海关", "420000", ("nested_jurisdictions: 420000,420100",)),
    ("四川省人民政府办公厅重庆市人民政府办公厅", "510000", ("joint_jurisdictions: 510000,500000",)),
    ("新疆自治区市场监督管理局", "650000", ()),
    ("宁夏自治区知识产权局", "640000", ()),
    ("广西壮族自治区机关事务管理局", "450000", ()),
    ("大兴安岭地区优化营商环境领导小组办公室", "232700", ()),
    ("上海市黄浦区人民政府", "310101", ()),
    ("北京经济技术开发区管理委员会", "110000", ("zone_not_coded: 北京经济技术开发区",)),
    ("重庆市綦江区人民政府办公室", "500110", ()),
    ("瑞昌市人民政府办公室", "360481", ()),
    ("昆山市深化“昆如意”营商环境2023 年创新行动方案", "320583", ()),
    ("凉山州人民政府办公室", "513400", ()),
    ("红河州住房和城乡建设局", "532500", ()),
    ("中共扬州市委\n扬州市人民政府", "321000", ()),
    ("上海海关等11 部门", "310000", ()),
    ("武汉海关", "420100", ()),
    ("国务院", "100000", ()),
    ("中共中央办公厅国务院办公厅", "100000", ()),
    ("国家发展改革委等部门", "100000", ()),
    ("国家知识产权局办公室工业和信息化部办公厅", "100000", ()),
    ("财政部生态环境部工业和信息化部", "100000", ()),
    ("中国银保监会办公厅", "100000", ()),
    ("海关总署", "100000", ()),
    ("国务院促进中小企业发展工作领导小组办公室", "100000", ()),
    ("国家数字经济统筹局", "100000", ()),  # not in the dictionary: 国家 + agency word
]


@pytest.mark.parametrize(("text", "code", "notes"), ISSUERS)
def test_issuer_jurisdiction(index: RegionIndex, text: str, code: str, notes: tuple[str, ...]) -> None:
    found = index.issuer_jurisdiction(text)
    assert (found.code, found.notes) == (code, notes)
    assert found.level == level_of(code)
    assert "".join(text[found.char_start:found.char_end].split()) == found.matched


def test_matched_span() -> None:
    found = RegionIndex.load().issuer_jurisdiction("  中共扬州市委\n扬州市人民政府")
    assert (found.matched, found.char_start, found.char_end) == ("扬州市", 4, 7)


@pytest.mark.parametrize(
    "text",
    ["关于印发全省2023 年度深化工程建设项目审批制度改革提升", "", "   ", "全国统一大市场建设", "某某公司"],
)
def test_no_issuer_raises(index: RegionIndex, text: str) -> None:
    with pytest.raises(ValueError, match="no issuing jurisdiction"):
        index.issuer_jurisdiction(text)


def test_duplicate_names_need_a_hint(index: RegionIndex) -> None:
    with pytest.raises(ValueError, match="110105 朝阳区, 220104 朝阳区"):
        index.issuer_jurisdiction("朝阳区人民政府")
    assert index.issuer_jurisdiction("朝阳区人民政府", province_hint="110000").code == "110105"
    assert index.issuer_jurisdiction("朝阳区人民政府", province_hint="220000").code == "220104"
    # a hint never overrides a unique name (淮南 is filed under 江苏 in the compilation)
    assert index.issuer_jurisdiction("淮南市人民政府办公室", province_hint="320000").code == "340400"


def test_ambiguous_truncated_name(index: RegionIndex) -> None:
    with pytest.raises(ValueError, match="ambiguous place name '子湖区'"):
        index.issuer_jurisdiction("子湖区人民政府")
    found = index.issuer_jurisdiction("子湖区人民政府", province_hint="420000")
    assert (found.code, found.notes) == ("420702", ("truncated_name: 子湖区 -> 梁子湖区",))


def test_bare_province_short_name_means_the_province(index: RegionIndex) -> None:
    assert index.issuer_jurisdiction("吉林省交通运输厅").code == "220000"
    assert index.issuer_jurisdiction("吉林市人民政府").code == "220200"
    assert index.issuer_jurisdiction("海南州人民政府").code == "632500"


def test_bad_hint(index: RegionIndex) -> None:
    with pytest.raises(ValueError, match="province_hint"):
        index.issuer_jurisdiction("北京市人民政府", province_hint="110105")


# -- every table-of-contents entry ------------------------------------------------


def test_every_toc_entry(index: RegionIndex) -> None:
    entries = toc_entries()
    assert len(entries) == 279
    found: dict[tuple[str | None, int], Jurisdiction] = {}
    failures: dict[tuple[str | None, int], str] = {}
    for heading, number, first_line in entries:
        hint = index.province_code(heading) if heading else None
        try:
            found[(heading, number)] = index.issuer_jurisdiction(first_line, hint)
        except ValueError as error:
            assert str(error)
            failures[(heading, number)] = str(error)
    assert len(found) == 278
    assert list(failures) == [("江西", 2)]  # the title starts with 关于印发全省…
    national = [j for (heading, _), j in found.items() if heading is None]
    assert len(national) == 19 and {j.code for j in national} == {NATIONAL_CODE}
    # Entries whose issuer lies outside the heading they are filed under: the
    # compilation's own filing mistakes, which the caller flags.
    misfiled = {key: j.code for key, j in found.items()
                if key[0] is not None and j.code[:2] != index.province_code(key[0])[:2]}
    assert misfiled == {("江苏", 3): "340400", ("江苏", 8): "370900", ("甘肃", 15): "513300"}


# -- properties -------------------------------------------------------------------

_PIECES = ["北京市", "朝阳区", "云港市", "中共", "国家", "国务院", "税务总局", "人民政府", "办公厅",
           "局", "委", "等", "关于", "新疆", "自治区", "州", "海关", " ", "\n", "（", "1", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=8).map("".join),
       st.sampled_from([None, "110000", "220000", "440000"]))
def test_issuer_jurisdiction_never_crashes(text: str, hint: str | None) -> None:
    index = RegionIndex.load()
    try:
        found = index.issuer_jurisdiction(text, hint)
    except ValueError as error:
        assert str(error)
        return
    assert found == index.issuer_jurisdiction(text, hint)
    assert found.level == level_of(found.code)
    assert index.get(found.code).code == found.code
    assert "".join(text[found.char_start:found.char_end].split()) == found.matched


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(c for c, n in _adcodes().items() if n not in _PLACEHOLDERS)), max_size=5))
def test_with_ancestors_is_closed_and_sorted(codes: list[str]) -> None:
    regions = RegionIndex.load().with_ancestors(codes)
    present = {r.code for r in regions}
    assert [r.code for r in regions] == sorted(present)
    assert set(codes) <= present
    assert all(r.parent_code in present for r in regions if r.parent_code is not None)
    assert (NATIONAL_CODE in present) == bool(codes)
