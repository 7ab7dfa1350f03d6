"""Tests for policydata_build.agencies: issuer splitting, canonical names and ids."""

from __future__ import annotations

import re

import pytest
from sourcefiles import page_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata_build.agencies import (
    AgencyName,
    agency_id,
    issuer_part,
    issuers_from_signature,
    split_issuers,
)
from policydata_build.regions import RegionIndex, national_agency_data


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    return RegionIndex.load()


def toc_titles() -> list[tuple[str | None, int, str]]:
    """(province heading or None, number, title without dot leaders) per TOC entry; lines joined."""
    entries: list[list] = []
    heading = None
    for line in page_lines(3, 22):
        text = line.strip()
        if not text:
            continue
        if re.match(r"^[一二三四五六七八九十]+、", text):
            heading, entries = None, entries + [None]
        elif found := re.match(r"^（[一二三四五六七八九十]+）(.+?)\.{3,}", text):
            heading, entries = found.group(1), entries + [None]
        elif found := re.match(r"^(\d+)\. (.*)$", text):
            entries.append([heading, int(found.group(1)), found.group(2)])
        elif entries and entries[-1] is not None:
            entries[-1][2] += text
    return [(h, n, re.split(r"\.{4,}", t)[0]) for h, n, t in filter(None, entries)]


def _names(agencies: list[AgencyName]) -> list[tuple[str, str]]:
    return [(a.canonical, a.region_code) for a in agencies]


# -- issuer_part --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("国务院印发关于在有条件的自由贸易试验区和自由贸易港试点对接国际高标准推进制度型开放若干措施的通知",
         "国务院"),
        ("住房和城乡建设部办公厅就《关于推进工程建设项目审批标准化规范化便利化的通知（征求意见稿）》公开征求意见的通知",
         "住房和城乡建设部办公厅"),
        ("浙江省市场监督管理局批准发布《营商环境无感监测规范指标体系》省级地方标准", "浙江省市场监督管理局"),
        ("上海市人民政府办公厅关于转发市卫生健康委等四部门制订的《上海市加强公共卫生体系建设三年行动计划》的通知",
         "上海市人民政府办公厅"),
        ("中共扬州市委\n扬州市人民政府关于印发《2023 年扬州优化提升营商环境任务清单》的通知",
         "中共扬州市委扬州市人民政府"),
        ("上海海关等11 部门关于印发《上海口岸2023 年深化跨境贸易营商环境改革若干措施》的通知", "上海海关等11部门"),
        ("某市就业服务局关于做好稳就业工作的通知", "某市就业服务局"),
        ("关于印发全省2023 年度深化工程建设项目审批制度改革提升“办理建筑许可”营商环境工作方案的通知", None),
        ("云港市优化营商环境条例（征求意见稿）", None),
        ("厦门市对标最优主动创新再创营商环境新优势行动方案（征求意见稿）", None),
        ("北京市市场监督管理局进一步优化营商环境降低市场主体制度性交易成本工作方案", None),
    ],
)
def test_issuer_part(title: str, issuer: str | None) -> None:
    assert issuer_part(title) == issuer


# -- national issuers ------------------------------------------------------------------

# The 19 national TOC titles (pages 3-4): issuer part -> canonical names.
NATIONAL_TITLES = {
    1: ["国务院"],
    2: ["中共中央办公厅", "国务院办公厅"],
    3: ["国家发展和改革委员会"],
    4: ["国家市场监督管理总局"],
    5: ["国务院办公厅"],
    6: ["中共中央办公厅", "国务院办公厅"],
    7: ["住房和城乡建设部办公厅"],
    8: ["自然资源部"],
    9: ["国家知识产权局办公室", "工业和信息化部办公厅"],
    10: ["中国银行保险监督管理委员会办公厅"],
    11: ["国务院办公厅"],
    12: ["国务院办公厅"],
    13: ["财政部", "生态环境部", "工业和信息化部"],
    14: ["国家知识产权局"],
    15: ["住房和城乡建设部办公厅"],
    16: ["国务院促进中小企业发展工作领导小组办公室"],
    17: ["国家发展和改革委员会办公厅"],
    18: ["国务院办公厅"],
    19: ["国家发展和改革委员会"],
}


def test_national_titles(index: RegionIndex) -> None:
    national = [(n, t) for h, n, t in toc_titles() if h is None]
    assert [n for n, _ in national] == list(range(1, 20))
    for number, title in national:
        issuer = issuer_part(title)
        assert issuer is not None, title
        agencies = split_issuers(issuer, index)
        assert [a.canonical for a in agencies] == NATIONAL_TITLES[number], title
        assert {(a.level, a.region_code) for a in agencies} == {("national", "100000")}


def test_unnamed_co_issuers_are_noted(index: RegionIndex) -> None:
    agencies = split_issuers("国家发展改革委等部门", index)
    assert agencies == [AgencyName("国家发展改革委", "国家发展和改革委员会", ("国家发展改革委", "发展改革委", "国家发改委"),
                                   "national", "100000", ("unnamed_co_issuers: 等部门",), resolved_by="central")]
    for text, marker in [("上海市高级人民法院等", "等"), ("海南省人力资源和社会保障厅等十九部门", "等十九部门"),
                         ("芜湖市住房和城乡建设局等7 部门", "等7部门")]:
        assert split_issuers(text, index)[-1].notes == (f"unnamed_co_issuers: {marker}",)


def _last_signature() -> list[str]:
    """The signature block closing the source (page 102), cut at the date line."""
    lines = [line.strip() for line in page_lines(102, 102) if line.strip()]
    date = max(i for i, line in enumerate(lines) if re.fullmatch(r"\d{4} 年\d+ 月\d+ 日", line))
    start = max(i for i, line in enumerate(lines[:date]) if line.endswith("。")) + 1
    return lines[start:date]


def test_thirteen_body_signature(index: RegionIndex) -> None:
    block = _last_signature()
    assert block[0] == "（此页无正文）" and len(block) == 14
    agencies = issuers_from_signature(block, index)
    assert [a.canonical for a in agencies] == [
        "国家发展和改革委员会", "工业和信息化部", "住房和城乡建设部", "交通运输部", "水利部", "农业农村部",
        "商务部", "国务院国有资产监督管理委员会", "国家广播电视总局", "中国银行保险监督管理委员会",
        "国家能源局", "国家铁路局", "中国民用航空局",
    ]
    assert [a.raw for a in agencies] == block[1:]


def test_four_body_signature(index: RegionIndex) -> None:
    agencies = issuers_from_signature(["国家发展改革委", "工业和信息化部", "财政部", "人民银行"], index)
    assert [a.canonical for a in agencies] == ["国家发展和改革委员会", "工业和信息化部", "财政部", "中国人民银行"]


def test_signature_with_unknown_line_raises(index: RegionIndex) -> None:
    with pytest.raises(ValueError, match="'2023年1月6日'"):
        issuers_from_signature(["国家发展改革委", "2023 年1 月6 日"], index)


def test_office_units_are_their_own_agencies(index: RegionIndex) -> None:
    office = split_issuers("国家发展改革委办公厅", index)[0]
    assert (office.canonical, office.aliases) == (
        "国家发展和改革委员会办公厅", ("国家发展改革委办公厅", "发展改革委办公厅", "国家发改委办公厅"))
    assert agency_id(office.canonical, "100000") != agency_id("国家发展和改革委员会", "100000")


# -- local issuers -------------------------------------------------------------------------

LOCAL_ISSUERS = [
    ("北京市发展和改革委员会北京市商务局", [("北京市发展和改革委员会", "110000"), ("北京市商务局", "110000")]),
    ("北京经济技术开发区管理委员会", [("北京经济技术开发区管理委员会", "110000")]),
    ("北京市顺义区人民政府办公室", [("北京市顺义区人民政府办公室", "110113")]),
    ("中共通辽市委办公室通辽市人民政府办公室", [("中共通辽市委办公室", "150500"), ("通辽市人民政府办公室", "150500")]),
    ("上海海关等11 部门", [("上海海关", "310000")]),
    ("上海市黄浦区人民政府办公室", [("上海市黄浦区人民政府办公室", "310101")]),
    ("江苏省政府办公厅", [("江苏省政府办公厅", "320000")]),
    ("淮南市人民政府办公室", [("淮南市人民政府办公室", "340400")]),
    ("中共扬州市委\n扬州市人民政府", [("中共扬州市委", "321000"), ("扬州市人民政府", "321000")]),
    ("国家税务总局安徽省税务局", [("国家税务总局安徽省税务局", "340000")]),
    ("马鞍山市财政局马鞍山市公共资源交易监督管理局",
     [("马鞍山市财政局", "340500"), ("马鞍山市公共资源交易监督管理局", "340500")]),
    ("山东省能源局国网山东省电力公司", [("山东省能源局", "370000"), ("国网山东省电力公司", "370000")]),
    ("厦门市发展和改革委员会厦门市财政局", [("厦门市发展和改革委员会", "350200"), ("厦门市财政局", "350200")]),
    ("深圳市前海深港现代服务业合作区管理局国家税务总局深圳市税务局",
     [("深圳市前海深港现代服务业合作区管理局", "440300"), ("国家税务总局深圳市税务局", "440300")]),
    ("湖北省商务厅武汉海关", [("湖北省商务厅", "420000"), ("武汉海关", "420100")]),
    ("娄底市政务公开政务服务领导小组", [("娄底市政务公开政务服务领导小组", "431300")]),
    ("河南省数字政府建设工作领导小组办公室", [("河南省数字政府建设工作领导小组办公室", "410000")]),
    ("瑞昌市人民政府办公室", [("瑞昌市人民政府办公室", "360481")]),
    ("大兴安岭地区优化营商环境领导小组办公室", [("大兴安岭地区优化营商环境领导小组办公室", "232700")]),
    ("四川省人民政府办公厅重庆市人民政府办公厅", [("四川省人民政府办公厅", "510000"), ("重庆市人民政府办公厅", "500000")]),
    ("重庆市綦江区人民政府办公室", [("重庆市綦江区人民政府办公室", "500110")]),
    ("凉山州人民政府办公室", [("凉山彝族自治州人民政府办公室", "513400")]),
    ("红河州住房和城乡建设局", [("红河哈尼族彝族自治州住房和城乡建设局", "532500")]),
    ("中共陕西省委陕西省人民政府", [("中共陕西省委", "610000"), ("陕西省人民政府", "610000")]),
    ("宁夏自治区市场监管厅", [("宁夏回族自治区市场监督管理厅", "640000")]),
    ("甘孜藏族自治州人民政府办公室", [("甘孜藏族自治州人民政府办公室", "513300")]),
    ("新疆自治区党委政法委", [("新疆维吾尔自治区党委政法委员会", "650000")]),
]


@pytest.mark.parametrize(("text", "expected"), LOCAL_ISSUERS)
def test_local_issuers(index: RegionIndex, text: str, expected: list[tuple[str, str]]) -> None:
    agencies = split_issuers(text, index)
    assert _names(agencies) == expected
    assert all(a.aliases == () for a in agencies)
    assert all(a.level == index.get(a.region_code).level for a in agencies)


def test_local_notes(index: RegionIndex) -> None:
    tax, = split_issuers("国家税务总局安徽省税务局", index)
    assert tax.notes == ("branch_of_national_body: 国家税务总局",)
    zone, = split_issuers("北京经济技术开发区管理委员会", index)
    assert zone.notes == ("zone_not_coded: 北京经济技术开发区",)
    city, = split_issuers("北京市商务局", index)
    assert city.notes == ()


def test_local_name_light_normalisation(index: RegionIndex) -> None:
    agency = split_issuers("中国(上海)自由贸易试验区管理委员会", index)
    assert [(a.raw, a.canonical, a.region_code) for a in agency] == [
        ("中国(上海)自由贸易试验区管理委员会", "中国（上海）自由贸易试验区管理委员会", "310000")]
    assert index.issuer_jurisdiction(agency[0].raw).notes == ("zone_not_coded: 中国(上海)自由贸易试验区",)


def test_same_named_places_use_the_first_issuer_as_hint(index: RegionIndex) -> None:
    with pytest.raises(ValueError, match="ambiguous place name '朝阳区'"):
        split_issuers("朝阳区人民政府", index)
    assert _names(split_issuers("北京市商务局朝阳区人民政府", index)) == [
        ("北京市商务局", "110000"), ("北京市朝阳区人民政府", "110105")]  # a municipality's district, named in full
    assert _names(split_issuers("朝阳区人民政府", index, province_hint="220000")) == [("朝阳区人民政府", "220104")]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("某某公司", "某某公司"), ("北京市发展和改革委员会莫名其妙", "北京市发展和改革委员会莫名其妙"),
     ("财政部某某研究会", "某某研究会"), ("", "")],
)
def test_unknown_fragments_raise(index: RegionIndex, text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(fragment)) if fragment else "no issuer"):
        split_issuers(text, index)


# -- every table-of-contents title ----------------------------------------------------------------

# Titles that print no issuer before 关于/印发/…: statutes, plans and one title starting with 关于.
NO_ISSUER = {
    ("北京", 2), ("上海", 25), ("江苏", 4), ("江苏", 6), ("浙江", 6), ("山东", 3), ("山东", 7), ("山东", 11),
    ("福建", 12), ("广东", 1), ("广东", 23), ("海南", 1), ("湖北", 5), ("江西", 2), ("辽宁省", 2), ("新疆", 5),
}


def test_every_toc_title(index: RegionIndex) -> None:
    titles = toc_titles()
    assert len(titles) == 279
    without_issuer, split = set(), {}
    for heading, number, title in titles:
        issuer = issuer_part(title)
        if issuer is None:
            without_issuer.add((heading, number))
            continue
        hint = index.province_code(heading) if heading else None
        split[(heading, number)] = split_issuers(issuer, index, hint)
    assert without_issuer == NO_ISSUER
    assert len(split) == 263
    joint = {key: len(a) for key, a in split.items() if len(a) > 1}
    assert joint == {(None, 2): 2, (None, 6): 2, (None, 9): 2, (None, 13): 3, ("北京", 5): 2, ("内蒙古", 5): 2,
                     ("江苏", 10): 2, ("安徽", 12): 2, ("山东", 5): 2, ("福建", 10): 2, ("广东", 8): 2,
                     ("湖北", 2): 2, ("四川", 1): 2, ("陕西", 6): 2, ("陕西", 9): 2}


# -- ids and dictionary ----------------------------------------------------------------------------


def test_agency_id_is_alias_insensitive(index: RegionIndex) -> None:
    ids = {agency_id(a.canonical, a.region_code)
           for text in ("国家发展改革委", "国家发展和改革委员会", "发展改革委", "国家发改委")
           for a in split_issuers(text, index)}
    assert ids == {"100000-c91dde4e08"}


def test_agency_id_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="six digits"):
        agency_id("财政部", "1000")
    with pytest.raises(ValueError, match="empty"):
        agency_id("", "100000")


@given(st.text(min_size=1, max_size=30), st.from_regex(r"\d{6}", fullmatch=True))
def test_agency_id_deterministic(canonical: str, region_code: str) -> None:
    first = agency_id(canonical, region_code)
    assert first == agency_id(canonical, region_code)
    assert re.fullmatch(rf"{region_code}-[0-9a-f]{{10}}", first)
    assert first != agency_id(canonical + "办公室", region_code)


def test_national_dictionary_is_consistent(index: RegionIndex) -> None:
    data = national_agency_data()
    names = [n for e in data["agencies"] for n in (e["canonical"], *e["aliases"])]
    assert len(names) == len(set(names))
    for name in names:
        # a central name must not begin with a place name, or 国家税务总局+place logic breaks
        assert index.place_at(name, 0) is None, name
        assert [a.canonical for a in split_issuers(name, index)] == [
            next(e["canonical"] for e in data["agencies"] if name in (e["canonical"], *e["aliases"]))]


_PIECES = ["国家发展改革委", "财政部", "北京市", "朝阳区", "中共", "扬州市委", "人民政府", "办公厅", "局", "等",
           "部门", "国网", "山东省", "海关", "（", "(", " ", "\n", "1", "十"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=8).map("".join))
def test_split_issuers_only_raises_value_error(text: str) -> None:
    index = RegionIndex.load()
    try:
        agencies = split_issuers(text, index)
    except ValueError as error:
        assert str(error)
        return
    assert agencies and agencies == split_issuers(text, index)
    assert "".join(a.raw for a in agencies) in "".join(text.split())
    for agency in agencies:
        assert index.get(agency.region_code).level == agency.level


def test_grass_roots_collectives_with_their_alias_end_a_unit() -> None:
    """tests/fixtures/provincial11 (长兴 row 8) and provincial3: 各乡镇（街道） is a unit of its own;
    各县（市）、区人民政府 stays one collective."""
    from policydata_build.agencies import split_units

    assert split_units("各乡镇（街道）、县直各相关单位") == ["各乡镇（街道）", "县直各相关单位"]
    assert split_units("市城乡建设局，各县（市）、区人民政府") == ["市城乡建设局", "各县（市）、区人民政府"]


def test_zones_and_their_bodies_open_units() -> None:
    """tests/fixtures/provincial20 (拉萨 清单, 闵行 表): 经开区经济发展局 (the document's own zone, by its
    short name) and 莘庄工业区管委会 are units; 各街镇 is one before another unit; a sentence that ends in
    企业 is no unit however it opens; a name's bracketed remark does not count toward its length."""
    from policydata_build.agencies import looks_like_unit, split_units

    index = RegionIndex.load()
    assert looks_like_unit("经开区经济发展局", index) and looks_like_unit("莘庄工业区管委会", index)
    assert split_units("各街镇、莘庄工业区管委会") == ["各街镇", "莘庄工业区管委会"]
    assert not looks_like_unit("经开区税务局落实各项减税降费政策、惠企资金自资金到位之日起10个工作日内拨付到企业", index)
    assert looks_like_unit("市工程建设项目审批制度改革工作领导小组办公室（设在市住房城乡建设局）", index)


def test_a_prefectures_own_bodies_are_units() -> None:
    """tests/fixtures/provincial26 (阿克苏地区 通知): 地区市场监管局, 行署办公室 open like a city's bodies."""
    from policydata_build.agencies import looks_like_unit

    index = RegionIndex.load()
    assert all(looks_like_unit(t, index) for t in ("地区市场监管局", "地区发展改革委", "行署办公室", "地区各有关部门"))
