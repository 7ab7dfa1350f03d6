"""The table of contents: fixtures cut from pages 3-22, and whole-contents counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sourcefiles import bundled

from policydata_build.errors import ParseError
from policydata_build.pages import Page
from policydata_build.toc import parse_toc


@pytest.fixture(scope="module")
def toc():
    return parse_toc(list(bundled().pages))


def _entry(toc, section, group, seq):
    (e,) = [e for e in toc.entries if (e.section, e.group_name, e.seq) == (section, group, seq)]
    return e


def test_counts(toc):
    assert len(toc.entries) == 279
    assert toc.pages == tuple(range(3, 23))
    assert Counter(e.section for e in toc.entries) == {
        "国家": 19, "华北": 27, "华东": 86, "华南": 36, "华中": 33, "东北": 13, "西南": 27, "西北": 38,
    }
    groups = [h.name for h in toc.headings if h.kind == "group"]
    # The issue text says 30; the contents print 31 (every mainland province,
    # including the empty 西藏 and 青海（暂无）).
    assert len(groups) == 31
    assert "西藏" in groups and "青海（暂无）" in groups and "辽宁省" in groups
    assert toc.ignored["front_matter"] == 2  # 前言, 目录


@pytest.mark.parametrize(
    "where, title, issued, listed, toc_page",
    [
        (("国家", None, 1), "国务院印发关于在有条件的自由贸易试验区和自由贸易港试点对接国际高标准推进制度型开放若干措施的通知", dt.date(2023, 6, 1), 23, 3),
        # date split over two lines, page number glued to the bracket
        (("华东", "上海", 3), "上海市人民政府办公厅关于转发市卫生健康委等四部门制订的《上海市加强公共卫生体系建设三年行动计划（2023—2025年）》的通知", dt.date(2023, 5, 23), 313, 6),
        # leaders on a line of their own
        (("华东", "上海", 25), "上海市长宁区加强集成创新持续优化营商环境行动方案", dt.date(2023, 1, 29), 458, 8),
        # ASCII opening bracket before the date
        (("华东", "山东", 10), "德州市人民政府办公室关于印发进一步优化营商环境降低市场主体制度性交易成本工作方案的通知", dt.date(2023, 1, 20), 732, 11),
        (("西北", "新疆", 5), "哈密市落实优化营商环境降低市场主体制度性交易成本工作方案的通知", dt.date(2023, 3, 29), 1738, 22),
        (("华中", "湖南", 2), "湖南省人民政府办公厅关于印发《湖南省2023年政务管理服务工作要点》和《湖南省2023年政务公开工作要点》的通知知", dt.date(2023, 3, 6), 1080, 15),
    ],
)
def test_entries(toc, where, title, issued, listed, toc_page):
    e = _entry(toc, *where)
    assert (e.title, e.issued_on, e.listed_page, e.toc_page) == (title, issued, listed, toc_page)
    assert e.flags == ()


def test_missing_and_malformed_dates_are_flagged_not_guessed(toc):
    no_date = _entry(toc, "华南", "广东", 2)
    assert no_date.issued_on is None and no_date.flags == (("toc_date_missing", "no date in the table-of-contents entry"),)
    no_ri = _entry(toc, "西北", "甘肃", 2)
    assert no_ri.issued_on == dt.date(2023, 3, 23) and no_ri.flags[0][0] == "toc_date_malformed"


def test_gap_in_numbering_stops_the_parse():
    lines = ("一、国家........ 5", "1. 甲关于乙的通知（2023 年1 月1 日）.... 5", "3. 丙关于丁的通知（2023 年1 月2 日）.... 6")
    with pytest.raises(ParseError, match="entry 3. out of sequence"):
        parse_toc([Page(1, lines)])


def test_unrecognised_entry_stops_the_parse():
    lines = ("一、国家........ 5", "甲乙丙........ 5")
    with pytest.raises(ParseError, match="neither a section"):
        parse_toc([Page(1, lines)])


def test_a_contents_page_without_leaders_still_belongs_to_the_contents():
    pages = list(bundled().pages)
    # Page 7 (上海 8-22, every entry dated) with every leader removed: its
    # entries end with the page number glued to the date.
    import re

    stripped = tuple(re.sub(r"[.…·]{2,}\s*(\d+)\s*$", r"\1", line) for line in pages[6].lines)
    assert stripped != pages[6].lines
    pages[6] = Page(7, stripped)
    toc = parse_toc(pages)
    assert len(toc.entries) == 279 and 7 in toc.pages


def test_an_undated_entry_without_leaders_stops_the_parse_instead_of_merging():
    pages = list(bundled().pages)
    import re

    pages[11] = Page(12, tuple(re.sub(r"[.…·]{2,}\s*(\d+)\s*$", r"\1", line) for line in pages[11].lines))
    with pytest.raises(ParseError, match="out of sequence"):
        parse_toc(pages)
