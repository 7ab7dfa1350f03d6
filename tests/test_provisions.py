"""The provision tree: real documents with known structure, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sourcefiles import bundled

from policydata_build.provisions import parse_provisions
from policydata_build.repair import join_lines
from policydata_build.segment import segment
from policydata_build.toc import parse_toc


@pytest.fixture(scope="module")
def texts():
    pages = list(bundled().pages)
    seg = segment(pages, parse_toc(pages))
    return {k[2]: join_lines(list(b.lines)).text for k, b in seg.bodies.items()}


def test_free_trade_zone_notice_has_33_measures_under_six_parts(texts):
    ms, stats = parse_provisions(texts[1])
    top = [m for m in ms if m.depth == 1 and m.label]
    leaves = [m for m in ms if m.depth == 2]
    assert [m.label for m in top] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert [m.label for m in leaves] == [f"{n}." for n in range(1, 34)]
    assert [m.path for m in leaves[11:13]] == ["1.12", "2.13"]
    first = leaves[0]
    assert first.heading == "支持试点地区开展重点行业再制造产品进口试点"
    assert texts[1][first.char_start : first.char_end].startswith("1.支持试点地区")
    assert not stats.rejected_labels


def test_cross_department_opinion_numbers_straight_through(texts):
    ms, _ = parse_provisions(texts[18])
    sub = [m for m in ms if m.label and m.label.startswith("（")]
    assert [m.label for m in sub][0] == "（一）" and sub[-1].label == "（十九）" and len(sub) == 19
    assert [m.label for m in ms if m.depth == 1 and m.label] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    (eighth,) = [m for m in sub if m.label == "（八）"]
    assert eighth.path == "3.8" and eighth.parent_path == "3"
    assert eighth.heading == "加强风险隐患跨部门联合监测"


def test_embedded_regulations_restart_as_a_second_part(texts):
    ms, stats = parse_provisions(texts[4])
    assert stats.parts == 2
    chapters = [m.label for m in ms if m.label and m.label.endswith("章")]
    assert chapters[0] == "第一章" and chapters.count("第一章") == 2
    assert any(m.path.startswith("2/") for m in ms)
    assert len({m.path for m in ms}) == len(ms)


def test_preamble_paragraphs_are_unnumbered_provisions(texts):
    ms, _ = parse_provisions(texts[1])
    pre = [m for m in ms if m.label is None]
    assert pre[0].path == "p1" and pre[0].depth == 1
    assert texts[1][pre[0].char_start : pre[0].char_end].startswith("国发〔〕号")


LABELISH = st.sampled_from(["一、", "二、", "（一）", "（二）", "1.", "2.", "3、", "（1）", "第一条", "第二章", "附件", ""])
PARA = st.tuples(LABELISH, st.text(alphabet="营商环境优化。，1２3 ", max_size=15)).map("".join)


@given(st.lists(PARA, max_size=25).map("\n".join))
def test_properties(text):
    ms, _ = parse_provisions(text)
    assert len({m.path for m in ms}) == len(ms)
    depth = {m.path: m.depth for m in ms}
    last_end = 0
    for m in ms:
        assert 0 <= m.char_start < m.char_end <= len(text)
        assert m.char_start >= last_end  # in order, no overlap
        last_end = m.char_end
        assert m.depth == (1 if m.parent_path is None else depth[m.parent_path] + 1)
        if m.label:
            assert text[m.char_start :].startswith(m.label)
    assert parse_provisions(text)[0] == ms  # deterministic


@given(st.text(max_size=200))
def test_never_crashes_on_arbitrary_text(text):
    parse_provisions(text)


def test_kinds_of_unnumbered_paragraphs(texts):
    ms, _ = parse_provisions(texts[1])
    kinds = [(m.path, m.kind) for m in ms if m.label is None]
    assert kinds[:7] == [
        ("p1", "document_number"),  # 国发〔〕号
        ("p2", "addressee"),  # 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
        ("p3", "paragraph"),  # 现将《…》印发给你们
        ("p4", "signature"),  # 国务院 / 2023年6月1日
        ("p5", "note"),  # （此件有删减）
        ("p6", "title"),  # 关于在有条件的…若干措施
        ("p7", "paragraph"),
    ]
    assert {m.kind for m in ms if m.label and m.depth == 2} == {"numbered"}
    assert [m.kind for m in ms if m.label and m.depth == 1] == ["heading"] * 6  # 一、推动货物贸易创新发展 …


def test_sections_nest_under_chapters():
    text = "第一章 总则\n第一节 一般规定\n第一条 甲。\n第二节 其他\n第二条 乙。\n第二章 附则\n第三条 丙。"
    ms, stats = parse_provisions(text)
    assert [(m.path, m.label) for m in ms] == [
        ("1", "第一章"), ("1.1", "第一节"), ("1.1.1", "第一条"), ("1.2", "第二节"), ("1.2.2", "第二条"),
        ("2", "第二章"), ("2.3", "第三条"),
    ]
    assert stats.parts == 1 and not stats.rejected_labels and not stats.gaps


def test_parts_hold_their_own_numbering():
    """A 工作方案 in 第一部分 / 第二部分, each with 一、（一） (the 太原 方案 of tests/fixtures/provincial6)."""
    text = ("第一部分营商环境创新提升重点任务\n一、提升政务服务效能\n（一）深化改革。甲。\n（二）推进标准化。乙。\n"
            "第二部分营商环境保障支撑举措\n一、强化要素支撑\n（一）支持人才。丙。")
    ms, stats = parse_provisions(text)
    assert [(m.path, m.label, m.kind) for m in ms] == [
        ("1", "第一部分", "heading"), ("1.1", "一、", "heading"), ("1.1.1", "（一）", "numbered"),
        ("1.1.2", "（二）", "numbered"), ("2", "第二部分", "heading"), ("2.1", "一、", "heading"),
        ("2.1.1", "（一）", "numbered")]
    assert stats.parts == 1 and not stats.rejected_labels and not stats.gaps


def test_an_excerpt_may_start_past_one_and_gaps_are_counted():
    text = "三、优化服务\n（一）甲。\n（二）乙。\n四、强化保障\n（四）丙。"
    ms, stats = parse_provisions(text)
    assert [m.path for m in ms] == ["3", "3.1", "3.2", "4", "4.4"]
    assert stats.gaps == {"三、": 1, "（四）": 1}


def test_a_table_row_ending_in_a_date_is_not_a_signature():
    text = "一、任务\n（一）推进改革。\n省市场监管局\n2023年6月30日\n（二）优化服务。"
    known = {"国务院办公厅"}
    ms, stats = parse_provisions(text, is_signatory=known.__contains__)
    assert [m.kind for m in ms] == ["heading", "numbered", "numbered"]
    assert [m.path for m in ms] == ["1", "1.1", "1.2"] and stats.parts == 1
    # Without the check the row would close the numbering like a signature.
    ms, _ = parse_provisions(text)
    assert "signature" in [m.kind for m in ms]


def test_a_signature_dated_in_chinese_numerals_is_a_signature():
    """The closing of the 泉州 若干措施 in tests/fixtures/links_heldout3 (p. 35): the date is printed
    二〇二三年十二月六日, as many documents print it."""
    text = ("18．强化服务保障。建立外贸企业服务专员制度。\n（牵头单位：市商务局）\n"
            "泉州市人民政府办公室\n二〇二三年十二月六日\n（此件主动公开）")
    ms, _ = parse_provisions(text)
    # The note after a closing signature opens a part of its own, as in every published version
    # (2023-01-00-005/2/p1): placing it otherwise would change published ids.
    assert [(m.path, m.kind) for m in ms] == [("18", "numbered"), ("p1", "signature"), ("2/p1", "note")]
    assert text[ms[1].char_start:ms[1].char_end] == "泉州市人民政府办公室\n二〇二三年十二月六日"
