"""Text repair: fixtures from the source, and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policydata_build.repair import _HAS_CJK, _repair, clean, join_lines, printed_width

CJK_TEXT = st.text(
    alphabet=st.sampled_from(list("营商环境优化年月日号第一二三十（）()〔〕［］[]﹝﹞，。；：、“” \t0123456789abcXYZ.\n")),
    max_size=60,
)


def test_fixtures_from_the_source():
    assert clean("发改法规［2023］27 号") == "发改法规〔2023〕27号"
    assert clean("工信部企业函﹝2023﹞4 号") == "工信部企业函〔2023〕4号"
    assert clean("交易成本工作方案的通知(2023 年1 月20 日）") == "交易成本工作方案的通知（2023年1月20日）"
    assert clean("( 二) 与该标准项目内容相同的国家标准已经发布；") == "（二）与该标准项目内容相同的国家标准已经发布；"
    assert clean("各直属单位：市场监管局（厅、委）,总局各司局") == "各直属单位：市场监管局（厅、委），总局各司局"
    assert clean("tawny（陈年黄色波特酒）、vintage（年份）") == "tawny（陈年黄色波特酒）、vintage（年份）"
    assert clean("sur lie（酒泥陈酿）") == "sur lie（酒泥陈酿）"


def test_join_keeps_paragraphs_and_rejoins_wrapped_lines():
    lines = [
        ("推进高水平对外开放，实施自由贸易试验区提升战略，加快建设海南自由贸易港，稳步", 23),
        ("扩大规则、规制、管理、标准等制度型开放。", 23),
        ("一、推动货物贸易创新发展", 23),
        ("1.支持试点地区开展重点行业再制造产品进口试点。", 23),
        ("有关部门应在收到试点方案后6 个月内共同研究作出决定。有关", 23),
        ("部门和地方对再制造产品加强监督", 24),
        ("品。（适用范围：上海）", 24),
        ("国务院", 24),
        ("2023 年6 月1 日", 24),
    ]
    t = join_lines(lines)
    assert t.text.split("\n") == [
        "推进高水平对外开放，实施自由贸易试验区提升战略，加快建设海南自由贸易港，稳步扩大规则、规制、管理、标准等制度型开放。",
        "一、推动货物贸易创新发展",
        "1.支持试点地区开展重点行业再制造产品进口试点。",
        "有关部门应在收到试点方案后6个月内共同研究作出决定。有关部门和地方对再制造产品加强监督品。（适用范围：上海）",
        "国务院",
        "2023年6月1日",
    ]
    assert t.page_at(t.text.index("有关部门应")) == 23
    assert t.page_at(t.text.index("部门和地方")) == 24


@given(CJK_TEXT)
def test_clean_is_idempotent(s):
    assert clean(clean(s)) == clean(s)


# Every character one of clean()'s steps looks at, with text around them.
REPAIR_TEXT = st.text(alphabet="〔〕［］[]﹝﹞【】()（）,;:!?，。 \t\u00a0\u3000\u2003\x0c\n20年号国发abc", max_size=40)


@given(REPAIR_TEXT)
def test_clean_skips_only_strings_no_step_would_change(s):
    assert clean(s) == _repair(s)


LINE = CJK_TEXT.map(lambda s: s.replace("\n", ""))


@given(st.lists(st.tuples(LINE, st.integers(1, 5)), max_size=12))
def test_pages_of_joined_text_are_in_order_and_from_the_input(lines):
    lines = sorted(lines, key=lambda x: x[1])
    t = join_lines(lines)
    pages = [t.page_at(i) for i in range(len(t.text))]
    assert pages == sorted(pages)
    assert set(pages) <= {p for _, p in lines}
    assert "\n\n" not in t.text and not t.text.startswith("\n")


@given(st.text(max_size=40) | REPAIR_TEXT | CJK_TEXT)
def test_printed_width_counts_cjk_characters_twice(s):
    assert printed_width(s) == sum(2 if _HAS_CJK.match(c) else 1 for c in s)


def test_a_note_with_brackets_inside_ends_its_paragraph():
    """The last item of a 若干措施 (泉州, tests/fixtures/links_heldout3 as its writer first printed it):
    the validity clause after the note is a paragraph of its own, not part of item 18."""
    lines = ["18．强化服务保障。建立外贸企业服务专员制度，为重点外贸企业提供“一对一”服务。",
             "（牵头单位：市商务局；配合单位：各县（市、区）人民政府）",
             "本措施自印发之日起施行，有效期至2025 年12 月31 日。"]
    assert join_lines([(line, 1) for line in lines]).text.split("\n") == [
        "18．强化服务保障。建立外贸企业服务专员制度，为重点外贸企业提供“一对一”服务。",
        "（牵头单位：市商务局；配合单位：各县（市、区）人民政府）",
        "本措施自印发之日起施行，有效期至2025年12月31日。"]


def test_a_measures_fields_keep_their_lines():
    """tests/fixtures/provincial20 (北京 若干措施, p. 5): 责任单位： and 完成时限： open lines of their own,
    and a field much shorter than a full line ends there (the next line is no part of it)."""
    lines = ["7．加强知识产权保护。完善知识产权快速协同保护机制，建立重点企业知识产",
             "权保护直通车制度。", "牵头单位：市知识产权局；配合单位：市高级人民法院、市公安局、市市场监管",
             "局", "完成时限：长期坚持", "各区人民政府和市有关部门要于每季度末将贯彻落实情况报送市发展改革委。本",
             "措施自印发之日起施行。"]
    assert join_lines([(line, 1) for line in lines]).text.split("\n") == [
        "7．加强知识产权保护。完善知识产权快速协同保护机制，建立重点企业知识产权保护直通车制度。",
        "牵头单位：市知识产权局；配合单位：市高级人民法院、市公安局、市市场监管局",
        "完成时限：长期坚持",
        "各区人民政府和市有关部门要于每季度末将贯彻落实情况报送市发展改革委。本措施自印发之日起施行。"]
