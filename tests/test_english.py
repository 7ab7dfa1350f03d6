"""English names (issue 11, item 4) and English names in filters (item 5).

Expected names are written from the official usage and Hanyu Pinyin
orthography, not copied from the build's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policydata
from policydata_build import documents as build_documents
from policydata_build.english import EnglishNames, pinyin_cache, romanise, romanise_with_pypinyin
from policydata_build.regions import RegionIndex, national_agency_data

from conftest import full_version_tables, write_version

NAMES = EnglishNames.load()


@pytest.mark.parametrize("code, name, expected", [
    ("340400", "淮南市", "Huainan City"),
    ("610100", "西安市", "Xi'an City"),          # apostrophe before a syllable starting with a
    ("340500", "马鞍山市", "Ma'anshan City"),
    ("370900", "泰安市", "Tai'an City"),
    ("320324", "睢宁县", "Suining County"),
    ("310105", "长宁区", "Changning District"),  # 长 is cháng here, not zhǎng
    ("532500", "红河哈尼族彝族自治州", "Honghe Hani and Yi Autonomous Prefecture"),
    ("513300", "甘孜藏族自治州", "Ganzi Tibetan Autonomous Prefecture"),
    ("141100", "吕梁市", "Lüliang City"),
])
def test_region_names_in_pinyin_with_the_level_word(code: str, name: str, expected: str) -> None:
    assert NAMES.region(code, name) == (expected, "pinyin")


@pytest.mark.parametrize("code, name, expected", [
    ("610000", "陕西省", "Shaanxi"),     # not Shanxi, which is 山西
    ("140000", "山西省", "Shanxi"),
    ("150000", "内蒙古自治区", "Inner Mongolia"),
    ("110000", "北京市", "Beijing"),
    ("150100", "呼和浩特市", "Hohhot"),
])
def test_official_english_names(code: str, name: str, expected: str) -> None:
    assert NAMES.region(code, name) == (expected, "official")


@pytest.mark.parametrize("name", ["中关村", "某某自治州", "Anhui市", "兙市"])
def test_no_english_name_is_guessed(name: str) -> None:
    # No level word; an autonomous prefecture without a known people; not all Chinese; no reading.
    assert NAMES.region("999999", name) == (None, None)


def test_every_provincial_division_of_gbt2260_has_an_official_name() -> None:
    index = RegionIndex.load()
    provincial = {code for code, r in index._regions.items() if r.level == "provincial"}
    assert provincial <= set(NAMES.provinces)
    assert all(re.fullmatch(r"[A-Z][A-Za-z' ]+", name) for name in NAMES.provinces.values())


def test_every_document_type_has_an_english_name() -> None:
    assert set(build_documents._DOC_TYPES) == set(NAMES.doc_types)


def test_central_bodies_carry_an_english_name_or_an_explicit_null() -> None:
    entries = national_agency_data()["agencies"]
    assert all("name_en" in e for e in entries)
    named = [e for e in entries if e["name_en"] is not None]
    assert len(named) >= 80
    by_name = {e["canonical"]: e["name_en"] for e in entries}
    assert by_name["国家发展和改革委员会"] == "National Development and Reform Commission"
    assert by_name["国家市场监督管理总局"] == "State Administration for Market Regulation"
    assert by_name["国务院促进中小企业发展工作领导小组"] is None  # no official English known to us


def test_agency_names() -> None:
    regions = {
        "100000": {"region_code": "100000", "name": "中华人民共和国", "parent_code": None, "name_en": "People's Republic of China"},
        "310000": {"region_code": "310000", "name": "上海市", "parent_code": "100000", "name_en": "Shanghai"},
        "310105": {"region_code": "310105", "name": "长宁区", "parent_code": "310000", "name_en": "Changning District"},
        "340400": {"region_code": "340400", "name": "淮南市", "parent_code": "340000", "name_en": None},
    }
    assert NAMES.agency("国家税务总局", "100000", regions) == ("State Taxation Administration", "official")
    assert NAMES.agency("国务院办公厅", "100000", regions) == ("General Office of the State Council", "derived")
    assert NAMES.agency("国家发展和改革委员会法规司", "100000", regions) == (None, None)
    assert NAMES.agency("上海市长宁区人民政府办公室", "310105", regions) == (
        "Office of the People's Government of Changning District", "derived")
    assert NAMES.agency("长宁区人民政府", "310105", regions) == ("People's Government of Changning District", "derived")
    assert NAMES.agency("上海市发展和改革委员会", "310000", regions) == ("Development and Reform Commission of Shanghai",
                                                                 "derived")
    # A bureau without a pattern, and a region without an English name, get none.
    assert NAMES.agency("上海市市场监督管理局", "310000", regions) == (None, None)
    assert NAMES.agency("淮南市人民政府", "340400", regions) == (None, None)


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8))
def test_romanise_gives_one_capitalised_pinyin_word(chinese: str) -> None:
    word = romanise(chinese)
    if word is None:  # only for characters pypinyin has no reading for (兙 and some 60 more)
        assert any(romanise(ch) is None for ch in chinese)
        return
    assert re.fullmatch(r"[A-Z][a-zü']*", word), word
    assert not word.endswith("'") and "''" not in word
    # The apostrophe only ever comes before a, o or e.
    assert all(word[i + 1] in "aoe" for i, ch in enumerate(word) if ch == "'")


# -- the shipped version ------------------------------------------------------------------------

def test_every_region_of_the_shipped_version_has_an_english_name() -> None:
    ds = policydata.open("2.2.0")
    regions = ds.regions()
    assert regions and all(r.name_en for r in regions)
    assert {r.name_en_source for r in regions} == {"official", "pinyin"}
    docs = ds.documents()
    assert all(d.section_en for d in docs)
    assert all((d.doc_type is None) == (d.doc_type_en is None) for d in docs)


@pytest.mark.parametrize("value", ["340400", "淮南市", "淮南", "Huainan City", "huainan city", "Huainan", " HUAINAN "])
def test_region_filter_takes_codes_chinese_and_english_names(value: str) -> None:
    ds = policydata.open("2.2.0")
    assert [d.doc_id for d in ds.documents(region=value)] == ["2023-03-02-003"]


def test_an_english_name_shared_by_two_regions_raises_and_lists_both(tmp_path: Path) -> None:
    tables = full_version_tables()
    tables["regions"] = tables["regions"] + [
        {"region_code": "321200", "name": "泰州市", "level": "prefectural", "parent_code": "320000",
         "name_en": "Taizhou City", "name_en_source": "pinyin"},
        {"region_code": "330000", "name": "浙江省", "level": "provincial", "parent_code": "100000",
         "name_en": "Zhejiang", "name_en_source": "official"},
        {"region_code": "331000", "name": "台州市", "level": "prefectural", "parent_code": "330000",
         "name_en": "Taizhou City", "name_en_source": "pinyin"},
    ]
    write_version(tmp_path, "0.3.0", tables)
    ds = policydata.open("0.3.0", root=tmp_path)
    with pytest.raises(ValueError, match=r"region 'Taizhou' names several regions: 321200 泰州市, 331000 台州市"):
        ds.documents(region="Taizhou")
    assert ds.regions(region="泰州")[0].region_code == "321200"


def test_a_version_without_english_names_says_so() -> None:
    ds = policydata.open("2.1.0")
    assert ds.regions()[0].name_en is None
    with pytest.raises(ValueError, match=r"unknown region 'Anhui' \(a code or a Chinese name\)"):
        ds.documents(region="Anhui")
    assert len(ds.documents(region="安徽")) == len(policydata.open("2.2.0").documents(region="Anhui"))


def test_quality_counts_the_english_names() -> None:
    quality = json.loads((Path(policydata.__file__).parents[1] / "dataset" / "2.2.0" / "quality.json").read_text())
    names = quality["names_en"]
    assert names["regions"].get("null", 0) == 0
    assert sum(names["agencies"].values()) == len(policydata.open("2.2.0").agencies())


def test_the_pinyin_file_is_what_pypinyin_gives_for_every_stem_of_the_region_index() -> None:
    stems = NAMES.pinyin_stems((r.code, r.name) for r in RegionIndex.load().all())
    cached = pinyin_cache()
    assert sorted(cached) == stems, "rerun `python -m policydata_build.english` after changing the index or names_en.json"
    assert cached == {stem: romanise_with_pypinyin(stem) for stem in stems}


def test_a_name_outside_the_region_index_is_romanised_by_pypinyin() -> None:
    invented = "淮北南"  # no region of the index has this stem
    assert invented not in pinyin_cache()
    assert romanise(invented) == romanise_with_pypinyin(invented) == "Huaibeinan"
