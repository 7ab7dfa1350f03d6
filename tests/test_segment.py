"""Finding bodies: headings split over lines, and bodies outside the source."""

from __future__ import annotations

import pytest
from sourcefiles import bundled

from policydata_build.errors import ParseError
from policydata_build.pages import Page
from policydata_build.segment import segment
from policydata_build.toc import parse_toc


@pytest.fixture(scope="module")
def seg():
    pages = list(bundled().pages)
    return segment(pages, parse_toc(pages))


def test_all_national_bodies_and_only_those(seg):
    assert sorted(seg.bodies) == [(1, 0, n) for n in range(1, 20)]
    assert seg.ignored["section_heading"] == 1  # 一、国家 above the first body


def test_heading_with_number_alone_on_its_line(seg):
    body = seg.bodies[(1, 0, 16)]
    assert [line for line, _ in body.heading] == [
        "16.", "国务院促进中小企业发展工作领导小组办公室印发", "《助力", "中小微企业稳增长调结构强能力若干措施》", "（2023 年1 月11 日）",
    ]
    assert body.lines[0] == ("工信部企业函﹝2023﹞4 号", 90)


def test_heading_across_a_page_break(seg):
    body = seg.bodies[(1, 0, 15)]
    assert body.heading[0][1] == 85 and body.heading[-1] == ("知（2023 年2 月8 日）", 86)
    assert body.lines[0][0].startswith("为加快推进房屋建筑")


def test_bodies_end_where_the_next_begins(seg):
    b1, b2 = seg.bodies[(1, 0, 1)], seg.bodies[(1, 0, 2)]
    assert b1.lines[-1] == ("法定程序办理。重大事项及时向党中央、国务院请示报告。", 27)
    assert b2.heading[0] == ("2. 中共中央办公厅国务院办公厅印发", 27)
    assert b1.flags == ()


def test_missing_heading_stops_the_build():
    pages = [
        Page(1, ("一、国家........ 2", "1. 甲部关于乙的通知（2023 年1 月1 日）.... 2")),
        Page(2, ("一、国家", "1. 丙部关于丁的通知（2023 年1 月1 日）", "正文。")),
    ]
    with pytest.raises(ParseError, match="not found"):
        segment(pages, parse_toc(pages))


def test_heading_whose_number_was_lost_is_found_and_flagged():
    pages = [
        Page(1, ("一、国家........ 2", "1. 甲部关于乙的通知（2023 年1 月1 日）.... 2", "2. 丙部关于丁的通知（2023 年1 月2 日）.... 2")),
        Page(2, ("一、国家", "1. 甲部关于乙的通知（2023 年1 月1 日）", "正文一。", "丙部关于丁的通知", "（2023 年1 月2 日）", "正文二。")),
    ]
    seg = segment(pages, parse_toc(pages))
    second = seg.bodies[(1, 0, 2)]
    assert [line for line, _ in second.heading] == ["丙部关于丁的通知", "（2023 年1 月2 日）"]
    assert [line for line, _ in second.lines] == ["正文二。"]
    assert second.flags[0][0] == "heading_without_number"
    assert [line for line, _ in seg.bodies[(1, 0, 1)].lines] == ["正文一。"]


def test_headings_printed_with_longer_names_between_bodies_are_dropped():
    pages = [
        Page(1, ("一、华北........ 2", "（一）北京........ 2", "1. 甲部关于乙的通知（2023 年1 月1 日）.... 2",
                 "（二）天津........ 2", "1. 丙部关于丁的通知（2023 年1 月2 日）.... 2")),
        Page(2, ("一、华北地区", "（一）北京市", "1. 甲部关于乙的通知（2023 年1 月1 日）", "正文一。",
                 "（二）天津市", "1. 丙部关于丁的通知（2023 年1 月2 日）", "正文二。")),
    ]
    seg = segment(pages, parse_toc(pages))
    assert [line for line, _ in seg.bodies[(1, 1, 1)].lines] == ["正文一。"]
    assert seg.ignored["section_heading"] == 3


def test_wrapped_date_is_taken_even_when_the_contents_title_has_a_typo():
    pages = [
        Page(1, ("一、国家........ 2", "1. 甲部关于进一步优化营商环境降低市场主体制度性交易成本的通知知（2023 年5 月4 日）.... 2")),
        Page(2, ("一、国家", "1. 甲部关于进一步优化营商环境降低市场主体制度性交易成本的通知（2023 年5", "月4 日）",
                 "自然资发〔2023〕69 号", "正文。")),
    ]
    seg = segment(pages, parse_toc(pages))
    body = seg.bodies[(1, 0, 1)]
    assert [line for line, _ in body.lines] == ["自然资发〔2023〕69 号", "正文。"]
    assert body.flags[0][0] == "body_title_differs"


def test_a_source_that_ends_inside_a_body_is_flagged():
    pages = list(bundled().pages)[:100]
    seg = segment(pages, parse_toc(pages))
    last = seg.bodies[(1, 0, 19)]
    # The flag names the page where the source ends, not the page of the heading.
    assert last.flags[-1][0] == "body_may_be_truncated" and last.flags[-1][2] == 100
    assert not any(code == "body_may_be_truncated" for b in segment(list(bundled().pages), parse_toc(list(bundled().pages))).bodies.values() for code, _, _ in b.flags)


def test_province_headings_numbered_anew_in_each_section_are_all_dropped() -> None:
    from policydata_build.segment import _is_heading, key

    headings = {("group", 2): {key("天津"), key("江苏")}, ("section", 3): {key("华东")}}
    assert _is_heading("（二）江苏", headings) and _is_heading("（二）天津市", headings)
    assert not _is_heading("（二）优化政务服务", headings)
