"""Tests for policydata_build.deadlines: real lines from the 2023 compilation plus rule and property tests."""

from __future__ import annotations

import datetime as dt
import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata_build import deadlines
from policydata_build.deadlines import KINDS, SKIP_REASONS, DeadlineHit, Skipped, find_deadlines

D = dt.date
ISSUED = D(2023, 6, 1)


def hit_rows(hits: list[DeadlineHit]) -> list[tuple[object, ...]]:
    return [(h.expression, h.kind, h.due_on, h.precision, h.duration, h.anchor) for h in hits]


def skip_rows(skipped: list[Skipped]) -> list[tuple[str, str]]:
    return [(s.expression, s.reason) for s in skipped]


# (line(s) copied verbatim from build/source/compilation-2023.txt, issued_on, hits, skipped).
# A "\n" in them is a break the page width made; join_lines removes it before
# find_deadlines sees the text (where "\n" ends a paragraph), so it is removed here too.
_REAL_LINES = [
    ("有关部门应在收到试点方案后6 个月内共同研究作出决定。", ISSUED,
     [("6个月内", "time_limit", None, None, "P6M", "收到试点方案")], []),
    ("上述货物应当自进境之日起6 个月内复运出境，暂时", ISSUED,
     [("自进境之日起6个月内", "time_limit", None, None, "P6M", "进境之日")], []),
    ("海关单据的空运快运货物，正常情况下在抵达后6 小时内放行。", ISSUED,
     [("6小时内", "time_limit", None, None, "PT6H", "抵达")], []),
    ("已抵达并提交通关所需全部信息的货物，尽可能在48 小时内放行。", ISSUED,
     [("48小时内", "time_limit", None, None, "PT48H", None)], []),
    ("14.试点地区金融管理部门应按照内外一致原则，在收到境外金融机构、境外金融机构\n的投资者、跨境金融服务提供者提交的"
     "与开展金融服务相关的完整且符合法定形式的申请\n后，于120 天内作出决定，并及时通知申请人。如不能在上述期限内作出决定，金融管理部",
     ISSUED,
     [("120天内", "time_limit", None, None, "P120D", "收到申请")], []),
    ("的，应在本措施印发之日起一年内完成，确保落地见效。需调整现行法律或行政法规的，按", ISSUED,
     [("本措施印发之日起一年内", "time_limit", D(2024, 6, 1), "day", "P1Y", "本措施印发之日")], []),
    ("的，应在本措施印发之日起一年内完成，确保落地见效。需调整现行法律或行政法规的，按", None,
     [("本措施印发之日起一年内", "time_limit", None, None, "P1Y", "本措施印发之日")], []),
    ("到2027 年，优质均衡的基本公共教育服务体系初步建立，供给总量进一步扩大，供给", ISSUED,
     [("到2027年", "target", D(2027, 12, 31), "year", None, None)], []),
    # The exemption runs until the end of 2023: the policy's validity, not a task (issue 9).
    ("（一）完善税费优惠政策。2023 年底前，对月销售额10 万元以下的小规模纳税人免征", ISSUED,
     [("2023年底前", "valid_until", D(2023, 12, 31), "year", None, None)], []),
    ("保障金政策，延续实施至2027 年底。", ISSUED,
     [("至2027年底", "valid_until", D(2027, 12, 31), "year", None, None)], []),
    ("见时，应明确征求意见的期限，原则上不少于30 日。", ISSUED, [], [("不少于30日", "minimum_period")]),
    ("全部函审工作最晚应于函审通知下发之日起60 日内完成。第三十四条审查结论", ISSUED,
     [("函审通知下发之日起60日内", "time_limit", None, None, "P60D", "函审通知下发之日")], []),
    ("单位实施评估工作，分别填写《市场监管行业标准实施评估调查表》，并于每年12 月31\n日前提交组织协调部门。", ISSUED,
     [("每年12月31日前", "recurring", None, None, "P1Y", None)], []),
    ("于6 月30 日前，", D(2023, 4, 28), [("6月30日前", "due_by", D(2023, 6, 30), "day", None, None)], []),
    ("于6 月30 日前，", None, [("6月30日前", "due_by", None, None, None, None)], []),
    ("2024\n年和2025 年要在当年3 月31 日前分别将第二批、第三批试点企业名单报送两部门备案。", D(2023, 4, 28),
     [("2024年", "due_by", D(2024, 3, 31), "day", None, None),
      ("2025年要在当年3月31日前", "due_by", D(2025, 3, 31), "day", None, None)], []),
    ("各省级知识产权局的实施方案、半年和全年工作总结请分别于2023 年3 月15 日、7 月1 日\n和12 月1 日前报送国家知识产权局"
     "知识产权保护司，电子件同时发送至联系邮箱。", None,
     [("2023年3月15日", "due_by", D(2023, 3, 15), "day", None, None),
      ("7月1日", "due_by", D(2023, 7, 1), "day", None, None),
      ("12月1日前", "due_by", D(2023, 12, 1), "day", None, None)], []),
    ("求意见稿）》。现向社会公开征求意见。有关单位和公众可于2023 年2 月22 日前，通过以", ISSUED,
     [("2023年2月22日前", "due_by", D(2023, 2, 22), "day", None, None)], []),
    ("40%以上政策延续到2023 年底。落实扩大汽车、", ISSUED,
     [("到2023年底", "valid_until", D(2023, 12, 31), "year", None, None)], []),
    ("和小微企业融资担保业务降费奖补。到2023 年底，累计培育创新型中小企业15 万家以上、", ISSUED,
     [("到2023年底", "target", D(2023, 12, 31), "year", None, None)], []),
    ("请各有关地方公共资源交易平台整合工作牵头部门和有关企业分别于2 月15 日、3 月\n31 日前统计试运行期间参与互认平台"
     "网络共享数字证书实际应用情况，书面报送国家发展", D(2023, 1, 19),
     [("2月15日", "due_by", D(2023, 2, 15), "day", None, None),
      ("3月31日前", "due_by", D(2023, 3, 31), "day", None, None)], []),
    ("四、清理历史沉淀保证金。2023 年3 月底前，各地方政府有关部门、各有关单位和企", ISSUED,
     [("2023年3月底前", "due_by", D(2023, 3, 31), "month", None, None)], []),
    ("提高政治站位，结合实际制定落实本通知的实施方案或具体措施，并于2023 年5 月底前将", ISSUED,
     [("2023年5月底前", "due_by", D(2023, 5, 31), "month", None, None)], []),
    ("实施此项政策的统筹地区上年\n度失业保险基金滚存结余备付期限应在1 年以上，政策实施期限截至2023 年12 月31 日。", ISSUED,
     [("截至2023年12月31日", "valid_until", D(2023, 12, 31), "day", None, None)], [("1年以上", "minimum_period")]),
    ("技能等级证书的，可申请技能提升补贴，每人每年享受补贴次数最多不超过三次，政策实施\n期限截至2023 年12 月31 日。", ISSUED,
     [("截至2023年12月31日", "valid_until", D(2023, 12, 31), "day", None, None)], [("每人每年", "rate_per_period")]),
    ("留有效期放宽至2 年，且允许随行配偶和家属享有与其相同的入境和临时停留期限。", ISSUED,
     [], [("有效期放宽至2年", "period_length")]),  # a permitted stay lengthened, not a validity running out
    ("第十七条行业标准制定周期一般不超过24 个月，修订周期一般不超过18 个月。", ISSUED,
     [("24个月", "time_limit", None, None, "P24M", None),
      ("18个月", "time_limit", None, None, "P18M", None)], []),
    ("台政策措施落地见效。结合实际优化调整2022 年底到期的阶段性政策。加强中小微企业运", D(2023, 1, 11),
     [("2022年底到期", "valid_until", D(2022, 12, 31), "year", None, None)], []),
    ("第三十条本办法自印发之日起实施。", ISSUED, [], [("自印发之日起实施", "effective_date")]),
    ("六、本通知自2023 年6 月1 日起施行。", ISSUED, [], [("自2023年6月1日起施行", "effective_date")]),
    ("《市场监管行业标准管理办法》及《市场监管行业标准制定管理实施细则》已经2023\n年5 月15 日市场监管总局第9 次局务会议通过，"
     "现印发给你们，请认真贯彻执行。", ISSUED, [], [("2023年5月15日", "reference_date")]),
    ("3. 国家发展改革委等部门关于做好2023 年降成本重点工作的", ISSUED, [], [("2023年", "year_reference")]),
    ("规划纲要（2021-2035 年）》要求，加快推进地方各级国土空间总体规划编制审批。下级规", ISSUED,
     [], [("2021-2035年", "date_range")]),
    ("协会等有关方面的专家组成，委员每届任期5 年，期满后可连任；", ISSUED, [], [("任期5年", "period_length")]),
    ("组织协调部门组织汇总评审结论，对通过评审的项目进行公示，原则上公示期限为15\n日，对公示无异议或相关异议已处理完毕的项目，"
     "总局下达年度标准制修订项目计划，签", ISSUED, [("年度", "recurring", None, None, "P1Y", None)],
     [("期限为15日", "period_length")]),
]
REAL_LINES = [(line.replace("\n", ""), *rest) for line, *rest in _REAL_LINES]


def test_a_month_span_is_due_at_its_end_only_where_a_time_is_asked_for() -> None:
    """tests/fixtures/provincial9 (上饶 责任清单 row 3, 荆州 note): 2023年6月至12月 in a time cell or after
    完成时间： is done by the end of December; in running text it is the months something runs."""
    cell = "2023 年6 月至12 月"
    hits, _ = find_deadlines(cell, ISSUED, [(0, len(cell), "due")])
    assert [(h.expression, h.kind, h.due_on, h.duration) for h in hits] == [
        ("2023年6月至12月", "target", D(2023, 12, 31), "P7M")]
    hits, _ = find_deadlines("（牵头单位：市市场监管局；完成时间：2023年6月至12月）", ISSUED)
    assert [(h.expression, h.due_on) for h in hits] == [("2023年6月至12月", D(2023, 12, 31))]
    hits, skipped = find_deadlines("2023年3月—5月开展试点，", ISSUED)
    assert hits == [] and [(s.expression, s.reason) for s in skipped] == [("2023年3月—5月", "date_range")]


def test_a_date_without_a_year_takes_the_year_printed_before_it_in_its_sentence() -> None:
    """tests/fixtures/provincial10 (遵义 3.): 12月底前 after 2024年6月底前 is December 2024; in the next
    sentence, or with no year before it, the year of issue."""
    hits, _ = find_deadlines("2024年6月底前完成试点、12月底前全面推开。12月底前报送总结。", ISSUED)
    assert [(h.expression, h.due_on) for h in hits] == [
        ("2024年6月底前", D(2024, 6, 30)), ("12月底前", D(2024, 12, 31)), ("12月底前", D(2023, 12, 31))]


def test_a_yearly_duty_in_a_part_of_the_year_is_one_expression() -> None:
    """tests/fixtures/provincial10 (遵义 6.) and the links fixture: 每年一季度, 每年第一季度开展一次 are
    one yearly duty, not 每年 and a target in the first quarter of the year of issue."""
    hits, _ = find_deadlines("每年一季度对上年度政策落实情况开展评估", ISSUED)
    assert [(h.expression, h.kind, h.duration, h.due_on) for h in hits] == [("每年一季度", "recurring", "P1Y", None)]
    hits, _ = find_deadlines("此后每年第一季度开展一次定期清理。", ISSUED)
    assert [(h.expression, h.kind, h.duration) for h in hits] == [("每年第一季度开展一次定期", "recurring", "P1Y")]


@pytest.mark.parametrize("text, cells, want", [
    ("力争2023年年中实现全程网办", False, [("2023年年中", "target", D(2023, 6, 30), None)]),
    ("2023年中央经济工作会议", False, []),
    ("于每双月10日前将工作进展报送", False, [("每双月10日前", "recurring", None, "P2M")]),
    ("5 月份", True, [("5月份", "target", D(2023, 5, 31), None)]),
    ("次年3 月底前", True, [("次年3月底前", "due_by", D(2024, 3, 31), None)]),
    ("一次性奖励，每家企业每年最高50 万元", False, []),
])
def test_forms_of_the_eleventh_blind_fixture(text, cells, want) -> None:
    """tests/fixtures/provincial11: mid-year, every other month, a month as a whole, the year after
    (of issue), and an amount per body and year (no duty)."""
    hits, _ = find_deadlines(text, ISSUED, [(0, len(text), "due")] if cells else ())
    assert [(h.expression, h.kind, h.due_on, h.duration) for h in hits] == want


def test_long_term_in_a_time_slot_and_progress_in_a_remark() -> None:
    """tests/fixtures/provincial12: 完成时限：长期 is open-ended (长期 elsewhere is an adverb); 持续推进 in a
    备注 cell reports progress (status), in a 完成时限 cell it is open-ended."""
    hits, _ = find_deadlines("（责任单位：省市场监管局，各设区市政府；完成时限：长期）", ISSUED)
    assert [(h.expression, h.kind) for h in hits] == [("长期", "ongoing")]
    assert find_deadlines("长期以来，企业反映", ISSUED)[0] == []
    text = "长期\t持续推进"
    hits, skipped = find_deadlines(text, ISSUED, [(0, 2, "due"), (3, 7, "note")])
    assert [(h.expression, h.kind) for h in hits] == [("长期", "ongoing")]
    assert [(s.expression, s.reason) for s in skipped] == [("持续推进", "status")]


def test_an_upper_bound_and_a_span_of_years_in_a_time_cell() -> None:
    """tests/fixtures/provincial14: ≤0.5个工作日 is a time limit like 不超过; 2023—2025年 in a time cell is
    done by the end of 2025 (in running text it stays a range)."""
    hits, _ = find_deadlines("≤0.5 个工作日", ISSUED, [(0, 10, "other")])
    assert [(h.expression, h.kind, h.duration) for h in hits] == [("0.5个工作日", "time_limit", "P0.5WD")]
    hits, _ = find_deadlines("2023—2025 年", ISSUED, [(0, 11, "due")])
    assert [(h.expression, h.kind, h.due_on) for h in hits] == [("2023—2025年", "target", D(2025, 12, 31))]
    hits, skipped = find_deadlines("在2023—2025 年间开展", ISSUED)
    assert hits == [] and [s.reason for s in skipped] == ["date_range"]


def test_a_yearly_window_and_this_year() -> None:
    """tests/fixtures/provincial15 (盐城 申报指南): 每年3月—5月 is one yearly window; 当年9月底前 with no
    year before it is this year (of issue)."""
    hits, _ = find_deadlines("每年3月—5月\t当年9月底前", ISSUED, [(0, 7, "due"), (8, 14, "due")])
    assert [(h.expression, h.kind, h.due_on, h.duration) for h in hits] == [
        ("每年3月—5月", "recurring", None, "P1Y"), ("当年9月底前", "due_by", D(2023, 9, 30), None)]


def test_times_quoted_by_an_amending_decision_are_the_amended_texts() -> None:
    """tests/fixtures/provincial16 (云南 修改决定): the new words (修改为“2025年底前”) and a quoted article
    (“第十六条 …每年1月31日前…”) are the amended text's times, left out as quotation."""
    text = "四、将第二十一条第二款中的“2022 年底前”修改为“2025 年底前”。五、增加一条，作为第十六条：“第十六条 项目单位应当于每年1 月31 日前报送。”"
    hits, skipped = find_deadlines(text, ISSUED)
    assert hits == []
    assert {(s.expression, s.reason) for s in skipped} >= {("2025年底前", "quotation"), ("每年1月31日前", "quotation")}


def test_a_cap_on_the_validity_of_policies_is_no_deadline() -> None:
    """tests/fixtures/provincial9 (绍兴, 第六条): 有效期一般不超过3年 caps every policy's validity; a
    cap on a procedure (制定周期一般不超过24个月, above) stays a time limit."""
    hits, skipped = find_deadlines("涉企政策应当明确政策期限，有效期一般不超过3 年；期限届满需要继续实施的，", ISSUED)
    assert hits == [] and [(s.expression, s.reason) for s in skipped] == [("有效期一般不超过3年", "period_length")]


@pytest.mark.parametrize("text, issued_on, want_hits, want_skipped", REAL_LINES,
                         ids=[f"line{i}" for i in range(len(REAL_LINES))])
def test_real_lines(text: str, issued_on: D | None, want_hits: list, want_skipped: list) -> None:
    hits, skipped = find_deadlines(text, issued_on)
    assert hit_rows(hits) == want_hits
    assert skip_rows(skipped) == want_skipped


# ------------------------------------------------------------ resolution rules
@pytest.mark.parametrize("text, due_on, precision", [
    ("2023年第一季度末前完成", D(2023, 3, 31), "quarter"),
    ("2023年三季度前完成", D(2023, 9, 30), "quarter"),
    ("2023年上半年前完成", D(2023, 6, 30), "half"),
    ("2023年下半年前完成", D(2023, 12, 31), "half"),
    ("2024年2月底前完成", D(2024, 2, 29), "month"),
    ("力争到2025年6月", D(2025, 6, 30), "month"),
    ("今年底前完成", D(2023, 12, 31), "year"),
    ("明年3月底前完成", D(2024, 3, 31), "month"),
    ("年底前完成", D(2023, 12, 31), "year"),
    ("2023年内完成", D(2023, 12, 31), "year"),
    ("一季度末前完成", D(2023, 3, 31), "quarter"),
])
def test_date_resolution(text: str, due_on: D, precision: str) -> None:
    (hit,), skipped = find_deadlines(text, ISSUED)
    assert (hit.due_on, hit.precision, skipped) == (due_on, precision, [])


@pytest.mark.parametrize("text, kind", [
    ("2023年底前完成", "due_by"), ("最迟于2023年6月30日", "due_by"), ("截止日期为2023年6月30日", "due_by"),
    ("力争到2025年底", "target"), ("2023年实现全覆盖", "target"), ("截至2023年底，累计", "target"),
    ("有效期至2025年12月31日", "valid_until"), ("实施期限延长至2024年底", "valid_until"),
])
def test_kind_from_context(text: str, kind: str) -> None:
    (hit,), _ = find_deadlines(text, ISSUED)
    assert hit.kind == kind


@pytest.mark.parametrize("text, reason", [
    ("2 月30 日前完成", "invalid_date"), ("2023年13月底前", "invalid_date"), ("2023年2月29日前", "invalid_date"),
    ("1949年10月1日前", "out_of_range"), ("2022年以来", "historical_reference"),
    ("自2024年起", "start_date"), ("截至2022年底，全国累计", "as_of_date"),
    ("2023年1月1日至6月30日", "date_range"), ("至少提前5个工作日", "minimum_period"),
    ("登记失业半年以上人员", "minimum_period"), ("（2023年6月13日）", "reference_date"),
    ("本细则自发布之日起实行", "effective_date"),
])
def test_skipped_reasons(text: str, reason: str) -> None:
    hits, skipped = find_deadlines(text, ISSUED)
    assert hits == [] and [s.reason for s in skipped] == [reason]


def test_past_date_without_deadline_words_is_not_a_hit() -> None:
    hits, skipped = find_deadlines("2023年5月15日局务会议通过，2023年2月22日前报送", ISSUED)
    assert hit_rows(hits) == [("2023年2月22日前", "due_by", D(2023, 2, 22), "day", None, None)]
    assert skip_rows(skipped) == [("2023年5月15日", "reference_date")]


def test_year_words_need_issued_on() -> None:
    (hit,), _ = find_deadlines("今年底前完成", None)
    assert (hit.kind, hit.due_on, hit.precision) == ("due_by", None, None)


def test_chinese_numerals_and_units() -> None:
    text = "十五个工作日内办结；三个月内；两年内；半年内；一百二十天内；两周内"
    assert [h.duration for h in find_deadlines(text, None)[0]] == ["P15WD", "P3M", "P2Y", "P6M", "P120D", "P2W"]


def test_issue_anchor_resolution_and_working_days() -> None:
    hits, _ = find_deadlines("自本通知印发之日起48小时内；自本通知印发之日起30个工作日内；自发布之日起3个月内", D(2023, 1, 31))
    assert [(h.duration, h.due_on) for h in hits] == [("PT48H", D(2023, 2, 2)), ("P30WD", None), ("P3M", D(2023, 4, 30))]


def test_printed_day_as_anchor() -> None:
    (hit,), skipped = find_deadlines("自2023年6月1日起6个月内完成", None)
    assert (hit.expression, hit.anchor, hit.due_on, skipped) == ("自2023年6月1日起6个月内", "2023年6月1日", D(2023, 12, 1), [])


def test_date_inside_anchor_is_reported_separately() -> None:
    hits, _ = find_deadlines("于2023年6月30日前提交材料后30日内", None)
    assert hit_rows(hits) == [("2023年6月30日前", "due_by", D(2023, 6, 30), "day", None, None),
                              ("30日内", "time_limit", None, None, "P30D", "提交材料")]


def test_validity_period_counts_from_start_in_same_sentence() -> None:
    hits, skipped = find_deadlines("本办法自2023年7月1日起施行，有效期5年。", None)
    assert hit_rows(hits) == [("有效期5年", "valid_until", D(2028, 6, 30), "day", "P5Y", None)]
    assert skip_rows(skipped) == [("自2023年7月1日起施行", "effective_date")]
    assert skipped[0].date == D(2023, 7, 1)
    hits, _ = find_deadlines("本办法自印发之日起施行，有效期3年。", D(2023, 6, 1))
    assert hits[0].due_on == D(2026, 5, 31)


def test_validity_range() -> None:
    (hit,), _ = find_deadlines("政策执行期限为2023年1月1日至2025年12月31日", None)
    assert (hit.kind, hit.due_on, hit.precision) == ("valid_until", D(2025, 12, 31), "day")


def test_recurring_periods() -> None:
    hits, skipped = find_deadlines("每两年开展一次；每季度报送；每月10日前；每半年；每学期", None)
    assert [(h.expression, h.duration) for h in hits] == [
        ("每两年开展一次", "P2Y"), ("每季度", "P3M"), ("每月10日前", "P1M"), ("每半年", "P6M"), ("每学期", None)]
    assert all(h.kind == "recurring" and h.due_on is None for h in hits) and skipped == []


def test_adverb_before_limit_is_not_an_anchor() -> None:
    (hit,), _ = find_deadlines("随后5日内办结", None)
    assert (hit.expression, hit.anchor) == ("5日内", None)


def test_first_quarters_are_not_a_deadline() -> None:
    hits, _ = find_deadlines("2023年前三季度增长", ISSUED)
    assert hits == []


def test_offsets_cover_whitespace_inside_expression() -> None:
    text = "并于2023 年\u30003 月底前报送"
    (hit,), _ = find_deadlines(text, None)
    assert text[hit.char_start:hit.char_end] == "2023 年\u30003 月底前"


def test_paragraph_breaks_and_cell_separators_end_expressions() -> None:
    hits, _ = find_deadlines("2023年6月底前\n2\t推出", None, [(0, 10, "due")])
    assert [(h.expression, h.kind) for h in hits] == [("2023年6月底前", "due_by")]
    hits, _ = find_deadlines("并于2023 年\n3 月底前报送", None)
    assert all("\n" not in "".join(h.expression) for h in hits)


@pytest.mark.parametrize("bad", [D(1989, 12, 31), D(2101, 1, 1)])
def test_issued_on_out_of_range_raises(bad: D) -> None:
    with pytest.raises(ValueError, match="outside"):
        find_deadlines("2023年底前", bad)


def test_issued_on_datetime_raises() -> None:
    with pytest.raises(TypeError):
        find_deadlines("2023年底前", dt.datetime(2023, 6, 1))


def test_docstring_documents_every_kind_and_reason() -> None:
    doc = deadlines.__doc__ or ""
    for name in KINDS + SKIP_REASONS:
        assert f"{name}" in doc, name
    assert "WD" in doc and "NON-STANDARD" in doc


def test_doctests() -> None:
    assert doctest.testmod(deadlines).failed == 0


# ------------------------------------------------------------ properties
DOMAIN = list("0123456789年月日天底末前后内以来起至到截止每季度上下半第个小时工作周有效期为不少于超过自之日印发本措施收到申请、和及，。"
              "一二两三四五六七八九十百千零〇当今明去施行实施延续人以上—-到期力争")
TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(DOMAIN), st.sampled_from(list(" \n\t\u3000")),
                       st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), st.characters()),
    max_size=80,
)
ISSUED_ON = st.none() | st.dates(D(1990, 1, 1), D(2100, 12, 31))


@settings(max_examples=1500, deadline=None)
@given(TEXT, ISSUED_ON)
def test_properties(text: str, issued_on: D | None) -> None:
    hits, skipped = find_deadlines(text, issued_on)
    for item in [*hits, *skipped]:
        assert 0 <= item.char_start < item.char_end <= len(text)
        assert re.sub(r"\s", "", text[item.char_start:item.char_end]) == item.expression
    for hit in hits:
        assert hit.kind in KINDS
        assert (hit.due_on is None) == (hit.precision is None)
        assert hit.due_on is None or D(1990, 1, 1) <= hit.due_on <= D(2100, 12, 31)
    assert all(s.reason in SKIP_REASONS for s in skipped)
    spans = sorted((i.char_start, i.char_end) for i in [*hits, *skipped])
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    assert find_deadlines(text, issued_on) == (hits, skipped)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(DOMAIN), max_size=40), st.lists(st.sampled_from([" ", "\u3000", " \u3000"]), max_size=40),
       ISSUED_ON)
def test_whitespace_inside_expressions_changes_nothing_but_offsets(text: str, gaps: list[str], issued_on: D | None) -> None:
    spaced = "".join(c + (gaps[i] if i < len(gaps) else "") for i, c in enumerate(text))
    plain, spread = find_deadlines(text, issued_on), find_deadlines(spaced, issued_on)
    assert hit_rows(plain[0]) == hit_rows(spread[0])
    assert skip_rows(plain[1]) == skip_rows(spread[1])


# Issue 9: kinds decided by the sentence's grammar and anchors carried into
# time_limit rows. Sentences from the bundled source (pages 24, 47, 68, 93).
ISSUE_9_LINES = [
    ("试点地区海关对已抵达并提交通关所需全部信息的货物，尽可能在48小时内放行。",
     [("48小时内", "time_limit", None, None, "PT48H", "抵达并提交通关所需全部信息")]),
    ("行业标准报批材料行业标准(送审稿)通过审查后，标准起草组应在60日内形成标准报批材料。",
     [("60日内", "time_limit", None, None, "P60D", "通过审查")]),
    # A period to reach a goal in, with no printed start: no date is computed.
    ("二、试点目标\n通过三年时间，逐步实现对国家知识产权优势示范企业、专精特新“小巨人”企业的创新管理国际标准实施全覆盖",
     [("通过三年时间", "target", None, None, "P3Y", None)]),
    ("提升集群服务能力。2023年培育100家左右国家级中小企业特色产业集群。",
     [("2023年", "target", D(2023, 12, 31), "year", None, None)]),
    # A bare year without a counted goal stays a reference.
    ("2023年降低实体经济企业成本工作部际联席会议将重点组织落实好8个方面22项任务", []),
    # A date before which a task is done stays due_by, even with a quantity after it.
    ("2023年底前完成100个项目", [("2023年底前", "due_by", D(2023, 12, 31), "year", None, None)]),
    ("2023年底前，继续实施小微企业融资担保降费奖补政策", [("2023年底前", "valid_until", D(2023, 12, 31), "year", None, None)]),
    # Found on the held-out sample (issue 9): limits set by an event, duties without a printed period.
    ("试点地区海关应在裁定有效期届满前从速作出决定。",
     [("裁定有效期届满前", "time_limit", None, None, None, "裁定有效期届满")]),
    ("行业标准送审材料应在审查会前提交审查委员会委员审阅", [("审查会前", "time_limit", None, None, None, "审查会")]),
    ("可在土地供应前，由自然资源主管部门依据国土空间详细规划核提规划条件", []),  # a permission
    ("推动市政公用单位在项目策划生成阶段提前主动开展技术指导", []),  # 提前 is an adverb
    ("在符合我国海关监管要求的前提下，试点地区海关对货物放行", []),
    ("行业标准承担单位应当定期向组织协调部门提交标准起草进展情况材料",
     [("定期", "recurring", None, None, None, None)]),
    ("各有关单位和企业要每年定期开展历史沉淀保证金清理工作", [("每年定期", "recurring", None, None, "P1Y", None)]),
    ("征求意见的对象应在规定期限内回复意见", []),
    ("持续开展知识产权保护社会满意度年度调查", [("年度", "recurring", None, None, "P1Y", None)]),
    ("对企业招用毕业年度或离校2年内未就业高校毕业生", []),
    ("核增部分据实计入工资总额并作为下一年度工资总额预算基数", []),
    ("每年两部门将面向所有参加试点的企业组织开展年度知识产权数据填报", [("每年", "recurring", None, None, "P1Y", None)]),
    ("将研发费用税前加计扣除比例由75%提高至100%的政策作为制度性安排长期实施。",
     [("长期实施", "ongoing", None, None, None, None)]),
    ("2023—2025年，各省每年组织一批企业开展试点",
     [("2023—2025年", "target", D(2025, 12, 31), "year", "P3Y", None), ("每年", "recurring", None, None, "P1Y", None)]),
    ("其中2023年度各地试点企业数量原则上不得低于本地优势示范企业数量的1/3，注重",
     [("2023年度", "target", D(2023, 12, 31), "year", None, None)]),
    # Guards found by review: none of these is a commitment of the kind the rule is for.
    ("各地要不定期开展抽查", []),
    ("在此之前，各地要做好准备", []),
    ("对2023年营业收入超过1000万元的企业给予奖励", []),
    ("下年度计划和纳税年度终了后的汇算", []),
    ("2023年底前，对各类审批事项进行全面清理，对小微企业免征",
     [("2023年底前", "due_by", D(2023, 12, 31), "year", None, None)]),
    # Found by the blind provincial fixture tests/fixtures/provincial3 (its sentences):
    # a date closing a note is when the measure is to be done, like a time column;
    ("（9）加强知识产权保护。（区市场监管局、区人民法院、区司法局负责；2023年下半年）",
     [("2023年下半年", "target", D(2023, 12, 31), "half", None, None)]),
    ("（6）强化用地保障。（市自然资源和规划局岳麓分局负责；2023年第三季度）",
     [("2023年第三季度", "target", D(2023, 9, 30), "quarter", None, None)]),
    # a duration before the verb of getting done is a limit, unless a slogan quotes it;
    ("一般不动产登记业务1个工作日办结，推行“互联网+不动产登记”全程网办",
     [("1个工作日", "time_limit", None, None, "P1WD", None)]),
    ("推行企业开办“一网通办、一日办结”，企业登记一次办结", []),
    # what a measure's result goes into is no annual duty of its own.
    ("评价结果纳入年度目标管理绩效考核。", []),
    ("对全市各县区开展营商环境评价，评价结果纳入年度绩效考核。", []),
    ("2023年12月10日前形成年度工作总结。", [("2023年12月10日前", "due_by", D(2023, 12, 10), "day", None, None)]),
    ("主要涉税事项全程网上办理，纳税人年度纳税时间进一步压减", []),
    ("未列入年度检查计划的，原则上不得开展检查", []),
    # and by tests/fixtures/provincial4: 年内 and 年年底 bound the year; notes in 【】 and 〔〕.
    ("全面推行企业开办“一网通办”，年内实现全程网办。", [("年内", "due_by", D(2023, 12, 31), "year", None, None)]),
    ("实施普惠金融“滴灌”行动，2023年年底前普惠小微贷款增速不低于各项贷款增速。",
     [("2023年年底前", "due_by", D(2023, 12, 31), "year", None, None)]),
    ("【责任单位：市政务服务办；完成时限：长期坚持】", [("长期坚持", "ongoing", None, None, None, None)]),
    ("〔牵头单位：市商务局；配合单位：天津海关；完成时限：持续推进〕", [("持续推进", "ongoing", None, None, None, None)]),
    # and by tests/fixtures/provincial6: a year before 全面推开 is a plan; a date as a clause of its own.
    ("在20个行业推行“一业一证”，2024年6月底前完成、2025年全面推开。",
     [("2024年6月底前", "due_by", D(2024, 6, 30), "month", None, None),
      ("2025年", "target", D(2025, 12, 31), "year", None, None)]),
    ("推动中介服务网上公开比选，2023年12月（长期坚持）。",
     [("2023年12月", "target", D(2023, 12, 31), "month", None, None), ("长期坚持", "ongoing", None, None, None, None)]),
    # and by tests/fixtures/provincial20: a month's ten-day parts (上旬 to the 10th, 中旬 the 20th,
    # 下旬 the month's end); years opening a clause with a goal over them.
    ("责任单位：市司法局、市市场监管局\n完成时限：11月中旬前",
     [("11月中旬前", "due_by", D(2023, 11, 20), "day", None, None)]),
    ("于2023年10月下旬前报送", [("2023年10月下旬前", "due_by", D(2023, 10, 31), "day", None, None)]),
    ("推行产业用地“标准地”出让，2023年至2025年累计盘活低效产业用地1万亩以上。",
     [("2023年至2025年", "target", D(2025, 12, 31), "year", "P3Y", None)]),
    # and by tests/fixtures/provincial23 and provincial9: the period a report covers is no deadline.
    ("请于8月15日前将上半年工作推进情况报送省市场监管局。", [("8月15日前", "due_by", D(2023, 8, 15), "day", None, None)]),
    ("为全面掌握全市2023年上半年优化营商环境工作推进情况，做好阶段性总结", []),
    # and by tests/fixtures/provincial24: a monthly duty by the month's last working day.
    ("于每月最后一个工作日前报送", [("每月最后一个工作日前", "recurring", None, None, "P1M", None)]),
    # and by tests/fixtures/provincial25: the time of a work phase, in brackets after it.
    ("（二）实地督查阶段（2023 年10 月）。督查组采取随机抽查、暗访等方式开展实地督查。",
     [("2023年10月", "target", D(2023, 10, 31), "month", None, None)]),
    # and by tests/fixtures/provincial26: a cap on how often is no duty.
    ("同一部门对同一企业的现场检查原则上每年不超过1 次。", []),
]


@pytest.mark.parametrize("text, want", ISSUE_9_LINES)
def test_issue_9_kinds_and_anchors(text: str, want: list) -> None:
    hits, _ = find_deadlines(text, ISSUED)
    assert hit_rows(hits) == want


@given(st.text(alphabet=" \t\n\r\u3000\u00a0\u2003\x0b\x1c年月日2023a，。", max_size=40) | st.text(max_size=30))
def test_compact_text_keeps_every_character_but_noise_spaces_with_its_offset(text):
    where = [m.start() for m in re.finditer(r"[^\s]|[\n\t]", text)]
    assert deadlines.compact_text(text) == ("".join(text[i] for i in where), where)
