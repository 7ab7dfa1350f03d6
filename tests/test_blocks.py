"""Tables printed one cell per line (and drawn in a PDF), the units and time cells they hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata_build.agencies import add_agency_row, resolve_unit
from policydata_build.blocks import TEXT_ROLES, Prose, Table, render, split_blocks
from policydata_build.deadlines import find_deadlines
from policydata_build.regions import RegionIndex
from sourcefiles import write_text_dump


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    return RegionIndex.load()


# A task table as the compilation prints it, page by page (written by hand).
HEADER = ["序号", "改革事项", "具体措施", "牵头单位", "配合单位", "完成时限"]
PAGES = [
    (5, ["为推动各项任务落实，制定如下分工。", *HEADER,
         "一、开办企业",
         "1", "企业开办", "压减开办时间至1 个工作日", "市市场监管局", "市税务局", "市公安局", "2023 年6 月",
         "2", "10 千伏及以下用户接电", "市发展改革委", "国网长春供电公司", "持续推进",
         "3", "企业简易注销", "推行税务、社保等注"]),
    (6, [*HEADER,
         "销“一网通办”", "市人力资源和社会", "保障局",
         "二、获得信贷",
         "4", "首贷续贷服务", "设立首贷续贷服务中心", "市金融办", "人民银行长春市中心", "支行", "2023 年第三季度",
         "5", "融资担保", "担保费率降至1%以下", "市财政局", "2023 年上半年完成试点，", "下半年全面推广",
         "长春市人民政府办公厅", "2023 年3 月16 日"]),
]


def _lines() -> list[tuple[str, int]]:
    return [(line, page) for page, lines in PAGES for line in lines]


def test_rows_cells_groups_and_what_was_dropped(index: RegionIndex) -> None:
    blocks, counts = split_blocks(_lines(), index)
    assert [type(b).__name__ for b in blocks] == ["Prose", "Table", "Prose"]
    table = blocks[1]
    assert isinstance(table, Table) and [c.role for c in table.columns] == [
        "number", "task", "action", "lead", "cooperating", "due"]
    assert counts["table_header_repeated"] == 1
    cells = {r.label: {table.columns[c.column].role: c.text for c in r.cells} for r in table.rows}
    assert cells["1"] == {"task": "企业开办", "action": "压减开办时间至1个工作日", "lead": "市市场监管局",
                          "cooperating": "市税务局、市公安局", "due": "2023年6月"}
    # A cell beginning with a number (10 千伏…) is not a row. With one text line for two
    # text columns, content cannot tell which it is: it goes to the later one.
    assert cells["2"] == {"action": "10千伏及以下用户接电", "lead": "市发展改革委",
                          "cooperating": "国网长春供电公司", "due": "持续推进"}
    # Split by a page break: each column's parts, in order; a unit wrapped over two lines is one unit.
    assert cells["3"] == {"task": "企业简易注销", "action": "推行税务、社保等注销“一网通办”",
                          "lead": "市人力资源和社会保障局"}
    assert cells["4"]["cooperating"] == "人民银行长春市中心支行"
    assert cells["5"]["due"] == "2023年上半年完成试点，下半年全面推广"
    # The signature below the table is prose again.
    assert blocks[2].lines == (("长春市人民政府办公厅", 6), ("2023 年3 月16 日", 6))


def test_rendered_text_keeps_the_cells_offsets(index: RegionIndex) -> None:
    rendered = render(split_blocks(_lines(), index)[0])
    text = rendered.text.text
    table = rendered.tables[0]
    assert text[table.start:table.header_end] == "\t".join(HEADER)
    assert [g.text for g in table.groups] == ["一、开办企业", "二、获得信贷"]
    for row in table.rows:
        assert text[row.start:row.end].split("\t")[0] == row.label
        for cell in row.cells:
            assert text[cell.start:cell.end] == cell.text
    assert rendered.text.page_at(table.rows[3].start) == 6


def test_a_row_no_column_can_hold_is_counted_not_merged(index: RegionIndex) -> None:
    lines = [(t, 1) for t in ["序号", "责任单位", "完成时限", "1", "推进改革的说明文字", "市财政局", "2023 年6 月"]]
    blocks, counts = split_blocks(lines, index)
    assert counts["table_row_cells_unplaced"] == 1
    assert [c.text for c in blocks[0].rows[0].cells] == ["推进改革的说明文字市财政局2023年6月"]


def test_a_deadline_wrapped_after_its_year_stays_in_its_column(index: RegionIndex) -> None:
    """A narrow 完成时限 column can break a date after the year: 2023 / 年10 月底 / 前 (row 1 of the
    郑州 task table in tests/fixtures/links_heldout2, with its last cell wrapped one line earlier)."""
    lines = [(t, 1) for t in ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "1", "扩大服务覆盖",
                              "编制全市“高效办成一件事”重点事项清单，", "首批推出企业开办等25 项主题服务",
                              "市政务服务办公室", "市直各有关部门", "2023", "年10 月底", "前"]]
    blocks, counts = split_blocks(lines, index)
    assert counts["table_row_cells_unplaced"] == 0
    table = blocks[0]
    assert {table.columns[c.column].role: c.text for c in table.rows[0].cells} == {
        "task": "扩大服务覆盖", "action": "编制全市“高效办成一件事”重点事项清单，首批推出企业开办等25项主题服务",
        "lead": "市政务服务办公室", "cooperating": "市直各有关部门", "due": "2023年10月底前"}


def test_wrapped_task_names_go_back_to_their_narrow_column(index: RegionIndex) -> None:
    """A 重点任务 column 7 characters wide before a wide 具体措施 column, with the ways a name wraps
    (as the session that wrote tests/fixtures/links_heldout3 first printed its 青岛 table): at full
    width; with a closing quote overhanging the edge; short of the edge because an opening quote
    cannot end a line; and broken inside a quoted phrase."""
    rows = [
        ["严格审批事项清", "单管理", "对照省级工程建设项目审批事项清单编制", "公布市级清单，清单之外不得设置审批环节"],
        ["推行“项目管家”", "对市级重点项目实行“一项目一管家”，全", "程跟踪从策划生成到竣工验收各环节"],
        ["推进电子证照", "“免提交”", "审批中需要的营业执照等证照通过共享获", "取，申请人不再提交实体证照"],
        ["整治“体外循", "环”和“隐性审批”", "开展审批事项“体外循环”专项排查，严", "禁申报前预审、线下预审线上补录"],
        ["统一办事指南和", "受理标准", "逐项修订审批事项办事指南和申请表单，", "细化量化受理审查标准"],
    ]
    lines = ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"]
    for n, row in enumerate(rows, 1):
        lines += [str(n), *row, "市行政审批局", "2023 年12 月底前"]
    blocks, _ = split_blocks([(t, 1) for t in lines], index)
    table = blocks[0]
    tasks = [{table.columns[c.column].role: c.text for c in r.cells}["task"] for r in table.rows]
    assert tasks == ["严格审批事项清单管理", "推行“项目管家”", "推进电子证照“免提交”", "整治“体外循环”和“隐性审批”",
                     "统一办事指南和受理标准"]
    actions = [{table.columns[c.column].role: c.text for c in r.cells}["action"] for r in table.rows]
    assert actions[1] == "对市级重点项目实行“一项目一管家”，全程跟踪从策划生成到竣工验收各环节"


def test_a_row_split_by_a_page_break_inside_its_cooperating_cell(index: RegionIndex) -> None:
    """Only the 配合单位 cell runs on to the next page (the 青岛 table of tests/fixtures/links_heldout3 as
    its writer first printed row 9): the units there cooperate; the lead stays the one named before."""
    header = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
    page1 = header + ["1", "优化联合验收", "将规划核实、消防验收、人防备案等纳入联", "合验收，统一出具验收意见",
                      "市自然资源和规划", "局", "市文化和旅游局"]
    page2 = header + ["市城市管理局", "市人防办", "2023 年12 月", "底前"]
    blocks, _ = split_blocks([(t, 1) for t in page1] + [(t, 2) for t in page2], index)
    table = blocks[0]
    assert {table.columns[c.column].role: c.text for c in table.rows[0].cells} == {
        "task": "优化联合验收", "action": "将规划核实、消防验收、人防备案等纳入联合验收，统一出具验收意见",
        "lead": "市自然资源和规划局", "cooperating": "市文化和旅游局、市城市管理局、市人防办", "due": "2023年12月底前"}


def test_two_text_columns_of_equal_width_are_both_filled(index: RegionIndex) -> None:
    """The 厦门 清单 of tests/fixtures/provincial2 (p. 20): 政策事项 and 兑现方式 about as wide, so no
    first line is short; the policy's name wraps at full width, and its last line ends it."""
    lines = ["序号", "政策事项", "兑现方式", "责任单位", "兑现时限",
             "1", "高新技术企业认定奖励", "系统比对后直接拨付", "市科技局", "10 个工作日",
             "2", "规模以上工业企业增产", "增效奖励", "数据共享自动兑现", "市工信局", "每季度",
             "3", "失业保险稳岗返还", "免申即享、直接返还", "市人社局", "每年6 月"]
    blocks, _ = split_blocks([(t, 1) for t in lines], index)
    table = blocks[0]
    cells = [[c.text for c in r.cells if table.columns[c.column].role in TEXT_ROLES] for r in table.rows]
    assert cells == [["高新技术企业认定奖励", "系统比对后直接拨付"], ["规模以上工业企业增产增效奖励", "数据共享自动兑现"],
                     ["失业保险稳岗返还", "免申即享、直接返还"]]


def test_three_text_columns_are_each_filled(index: RegionIndex) -> None:
    """领域 | 重点任务 | 工作措施 (written for this test, in the compilation's layout): content puts
    all three columns' lines in the last; the 领域 name, then the wrapped 重点任务 name, go back to
    their columns by width."""
    rows = [
        ["政务服务", "推进政务服务", "标准化", "全面梳理市、区两级政务服务事项，", "编制统一的实施清单和办事指南"],
        ["政务服务", "深化“一网通", "办”", "推动政务服务事项“应上尽上”，全", "程网办率达到90%以上"],
        ["市场监管", "推行“双随机、", "一公开”监管", "跨部门联合抽查占比达到30%以上，", "抽查结果向社会公示"],
        ["要素保障", "优化用地保障", "推行“标准地”出让，工业用地出让前完", "成区域评估"],
    ]
    lines = ["序号", "领域", "重点任务", "工作措施", "牵头单位", "时间节点"]
    for n, row in enumerate(rows, 1):
        lines += [str(n), *row, "市营商环境建设局", "2023 年12 月底前"]
    blocks, _ = split_blocks([(t, 1) for t in lines], index)
    table = blocks[0]
    cells = [[c.text for c in r.cells if table.columns[c.column].role in TEXT_ROLES] for r in table.rows]
    assert cells == [
        ["政务服务", "推进政务服务标准化", "全面梳理市、区两级政务服务事项，编制统一的实施清单和办事指南"],
        ["政务服务", "深化“一网通办”", "推动政务服务事项“应上尽上”，全程网办率达到90%以上"],
        ["市场监管", "推行“双随机、一公开”监管", "跨部门联合抽查占比达到30%以上，抽查结果向社会公示"],
        ["要素保障", "优化用地保障", "推行“标准地”出让，工业用地出让前完成区域评估"],
    ]


def test_a_unit_cell_with_its_roles_in_words_or_marks(index: RegionIndex) -> None:
    """The 南宁 and 贵阳 tables of tests/fixtures/provincial3 (pp. 17, 20): a 责任单位 cell that is one
    wrapped sentence (X牵头，Y、Z配合) stays in its column, its units without the words, and no time
    cell runs into it; a （配合） mark the width pushed onto a line of its own does not end the table."""
    header = ["序号", "攻坚任务", "具体措施", "责任单位", "完成时限"]
    lines = header + ["1", "开办企业", "企业开办全程网办，0.5 个工作日内", "办结，新开办企业免费发放首套印章",
                      "市市场监管局牵头，市", "公安局、市税务局、市", "行政审批局配合", "2023 年8 月", "底前",
                      "2", "跨境贸易", "推广“提前申报”“两步申报”通关", "模式，进口、出口整体通关时间较", "2022 年压缩10%以上",
                      "南宁海关牵头，市商务", "局、中国（广西）自由", "贸易试验区南宁片区管", "委会配合", "2023 年第四", "季度",
                      "3", "工程建设", "推进工程建设项目审批“一站式”服务", "市住房城乡建设局", "市自然资源和规划局", "（配合）",
                      "2023 年12 月31", "日前"]
    blocks, _ = split_blocks([(t, 1) for t in lines], index)
    assert [type(b).__name__ for b in blocks] == ["Table"]
    table = blocks[0]
    cells = [{table.columns[c.column].role: c for c in r.cells} for r in table.rows]
    assert cells[0]["responsible"].units == ("市市场监管局", "市公安局", "市税务局", "市行政审批局")
    assert cells[0]["responsible"].text == "市市场监管局牵头，市公安局、市税务局、市行政审批局配合"
    assert cells[1]["responsible"].units == ("南宁海关", "市商务局", "中国（广西）自由贸易试验区南宁片区管委会")
    assert cells[1]["due"].text == "2023年第四季度"
    assert cells[1]["action"].text == "推广“提前申报”“两步申报”通关模式，进口、出口整体通关时间较2022年压缩10%以上"
    assert cells[2]["responsible"].units == ("市住房城乡建设局", "市自然资源和规划局（配合）")
    assert cells[2]["due"].text == "2023年12月31日前"


def test_same_as_above_and_a_header_named_with_a_year(index: RegionIndex) -> None:
    """The 西宁 工作任务表 and the 福州 指标目标表 of tests/fixtures/provincial5 (pp. 24-25, 12): a unit
    cell printed 同上 holds the units of the row above; a column named 2023 年目标值 is a column."""
    lines = ["序号", "工作任务", "责任单位", "时间节点",
             "1", "推进政务服务“一网通办”", "市政务服务监督管理局、", "各县区人民政府、西宁", "经济技术开发区管委会", "每月",
             "2", "落实政务服务“好差评”制度", "同上", "长期坚持"]
    table = split_blocks([(t, 1) for t in lines], index)[0][0]
    units = [next(c.units for c in r.cells if table.columns[c.column].role == "responsible") for r in table.rows]
    assert units == [("市政务服务监督管理局", "各县区人民政府", "西宁经济技术开发区管委会")] * 2
    lines = ["序号", "指标名称", "2023 年目标值", "责任单位", "1", "企业开办时间", "0.5 个工作日以内", "市市场监管局"]
    blocks, _ = split_blocks([(t, 1) for t in lines], index)
    assert isinstance(blocks[0], Table) and [c.name for c in blocks[0].columns] == [
        "序号", "指标名称", "2023年目标值", "责任单位"]


def test_a_schedule_over_period_columns(index: RegionIndex) -> None:
    """The 赣州 推进计划 of tests/fixtures/provincial10 (pp. 3-5): 2023 年进度安排 over 一季度 … 四季度
    is the upper level of the header; each period's cell is one short line, '—' where nothing is due,
    and reads with its period, so a time cell says when (二季度：完成50%)."""
    lines = ["序号", "重点任务", "2023 年进度安排", "一季度", "二季度", "三季度", "四季度", "责任单位",
             "1", "推行企业开办“一网通办”，企业开办", "时间压缩至0.5 个工作日以内", "完成系统升级", "完成50%",
             "完成80%", "全面完成", "市市场监管局、市行", "政审批局",
             "2", "开展涉企行政执法“综合查一次”改革", "—", "—", "完成试点", "全面推开", "市司法局，各县（市、",
             "区）人民政府"]
    blocks, counts = split_blocks([(t, 3) for t in lines], index)
    table = blocks[0]
    assert isinstance(table, Table)
    assert [(c.name, c.role) for c in table.columns] == [
        ("序号", "number"), ("重点任务", "task"), ("一季度", "due"), ("二季度", "due"), ("三季度", "due"),
        ("四季度", "due"), ("责任单位", "responsible")]
    assert counts["table_cell_marked_empty"] == 2
    out = render(blocks)
    cells = [[(c.column.name, out.text.text[c.start:c.end]) for c in r.cells] for r in out.tables[0].rows]
    assert cells == [
        [("重点任务", "推行企业开办“一网通办”，企业开办时间压缩至0.5个工作日以内"), ("一季度", "一季度：完成系统升级"),
         ("二季度", "二季度：完成50%"), ("三季度", "三季度：完成80%"), ("四季度", "四季度：全面完成"),
         ("责任单位", "市市场监管局、市行政审批局")],
        [("重点任务", "开展涉企行政执法“综合查一次”改革"), ("三季度", "三季度：完成试点"), ("四季度", "四季度：全面推开"),
         ("责任单位", "市司法局、各县（市、区）人民政府")]]
    time_cells = [(c.start, c.end, c.column.role) for r in out.tables[0].rows for c in r.cells if c.column.role == "due"]
    hits, _ = find_deadlines(out.text.text, dt.date(2023, 2, 21), time_cells)
    assert [(h.expression, h.due_on) for h in hits] == [
        ("0.5个工作日以内", None), ("一季度", dt.date(2023, 3, 31)), ("二季度", dt.date(2023, 6, 30)), ("三季度", dt.date(2023, 9, 30)),
        ("四季度", dt.date(2023, 12, 31)), ("三季度", dt.date(2023, 9, 30)), ("四季度", dt.date(2023, 12, 31))]


def test_a_unit_list_cut_after_its_separator_is_no_time_cell(index: RegionIndex) -> None:
    """The 安顺 推进计划 of tests/fixtures/provincial9 (p. 16), row 5: the task's second line opens
    with a duration (1 个工作日内回访核实), and the unit list after it is cut after a separator
    (市政务服务中心，各县 / （市、区）人民政府): those lines are units, so they cannot continue a time
    cell, and the duration stays in the task."""
    lines = ["序号", "重点任务", "责任单位", "进度安排",
             "5", "开展政务服务“好差评”，差评件", "1 个工作日内回访核实", "市政务服务中心，各县", "（市、区）人民政府",
             "持续推进"]
    table = split_blocks([(t, 16) for t in lines], index)[0][0]
    assert [(table.columns[c.column].role, c.text) for c in table.rows[0].cells] == [
        ("task", "开展政务服务“好差评”，差评件1个工作日内回访核实"),
        ("responsible", "市政务服务中心、各县（市、区）人民政府"), ("due", "持续推进")]


def test_rows_numbered_afresh_in_each_group_and_merged_unit_cells(index: RegionIndex) -> None:
    """tests/fixtures/provincial11: the 武进 清单 (p. 6) numbers its rows afresh under each group row
    (二、优化市场竞争环境 / 1); the 长兴 分工 (pp. 9-10) prints a 责任单位 cell merged over a run of rows
    once, in the run's first row; a unit's second name the width pushed onto a line of its own
    (市发展改革和科技局 / （市营商办）) stays in its cell."""
    lines = ["序", "号", "重点任务", "责任", "单位", "完成", "时限", "一、提升政务服务效能",
             "1", "深化“一件事一次办”改革", "区行政审批局", "2023 年内",
             "二、优化市场竞争环境",
             "1", "开展妨碍统一市场和公平竞争的政策", "措施清理", "区发改局（区营", "商办）、区市场", "监管局", "第四季度末"]
    blocks, counts = split_blocks([(t, 6) for t in lines], index)
    table = blocks[0]
    assert [r.label for r in table.rows] == ["1", "1"] and counts["table_numbering_restarted"] == 1
    assert table.rows[1].cells[1].units == ("区发改局（区营商办）", "区市场监管局")
    lines = ["序号", "工作任务", "责任单位", "完成时限",
             "1", "推行企业开办“一件事”集成办理", "县市场监管局、县政务", "服务中心", "5 月份",
             "2", "推行企业登记“智能审批”", "2023 年年中",
             "3", "动态调整县级部门权责清单", "县发展改革局", "（县营商办）", "第四季度末"]
    blocks, counts = split_blocks([(t, 9) for t in lines], index)
    rows = blocks[0].rows
    assert [next(c.units for c in r.cells if c.column == 2) for r in rows] == [
        ("县市场监管局", "县政务服务中心"), ("县市场监管局", "县政务服务中心"), ("县发展改革局（县营商办）",)]
    assert counts["table_unit_cell_merged"] == 1


def test_two_leads_an_empty_cooperating_cell_and_a_status_remark(index: RegionIndex) -> None:
    """The 陕西 任务清单 of tests/fixtures/provincial12 (p. 15): a 牵头单位 cell naming two units when the
    配合单位 cell is empty; a 备注 saying how far the row has got (持续推进) is a remark, not the time cell
    running on; a category of enterprise (国家高新技术企业) is no unit."""
    lines = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限", "备注",
             "2", "推行企业开办全程网办", "省市场监管局", "省公安厅、国家税务总局", "陕西省税务局", "长期", "持续推进",
             "3", "开展涉企违规收费专项整治", "省市场监管局、省", "发展改革委", "12 月31 日前"]
    table = split_blocks([(t, 15) for t in lines], index)[0][0]
    cells = [[(table.columns[c.column].name, c.text) for c in r.cells] for r in table.rows]
    assert cells == [
        [("重点任务", "推行企业开办全程网办"), ("牵头单位", "省市场监管局"),
         ("配合单位", "省公安厅、国家税务总局陕西省税务局"), ("完成时限", "长期"), ("备注", "持续推进")],
        [("重点任务", "开展涉企违规收费专项整治"), ("牵头单位", "省市场监管局、省发展改革委"), ("完成时限", "12月31日前")]]
    from policydata_build.agencies import looks_like_unit
    assert not looks_like_unit("国家高新技术企业", index) and looks_like_unit("国网洛阳供电公司", index)


def test_an_indicator_table_empty_time_cells_and_a_date_cut_before_its_qian(index: RegionIndex) -> None:
    """tests/fixtures/provincial14: the 黑龙江 评价指标 table (一级指标 / 二级指标 / 目标值) is a table; in the
    蚌埠 清单 a 法定时限 printed '—' is an empty time cell, not part of the unit before it; in the 湖北 清单 a
    date cut before its 前 (2023 年9 月30 日 / 前) does not end the table as a signature date would, and
    2023—2025 年 is a time cell."""
    lines = ["序号", "一级指标", "二级指标", "目标值", "责任单位", "1", "开办企业", "办理时间", "≤0.5 个工作日", "省市场监管局"]
    table = split_blocks([(t, 8) for t in lines], index)[0][0]
    assert isinstance(table, Table) and [c.role for c in table.columns] == ["number", "task", "task", "other", "responsible"]
    lines = ["序号", "事项名称", "实施部门", "法定时限", "承诺时限",
             "6", "公共场所卫生许可", "市卫生健康委", "—", "即办"]
    blocks, counts = split_blocks([(t, 13) for t in lines], index)
    assert [(blocks[0].columns[c.column].name, c.text) for c in blocks[0].rows[0].cells] == [
        ("事项名称", "公共场所卫生许可"), ("实施部门", "市卫生健康委"), ("承诺时限", "即办")]
    assert counts["table_cell_marked_empty"] == 1
    lines = ["序号", "重点任务", "配合单位", "完成时限",
             "3", "建立营商环境评价长效机制", "2023—2025 年",
             "4", "深化“证照分离”改革", "省政务管理办，各市、州、", "县人民政府", "2023 年9 月30 日", "前",
             "5", "开展涉企违规收费专项整治", "长期坚持"]
    table = split_blocks([(t, 14) for t in lines], index)[0][0]
    assert [[(table.columns[c.column].name, c.text) for c in r.cells] for r in table.rows] == [
        [("重点任务", "建立营商环境评价长效机制"), ("完成时限", "2023—2025年")],
        [("重点任务", "深化“证照分离”改革"), ("配合单位", "省政务管理办、各市、州、县人民政府"), ("完成时限", "2023年9月30日前")],
        [("重点任务", "开展涉企违规收费专项整治"), ("完成时限", "长期坚持")]]


def test_a_table_without_row_numbers_is_cut_into_rows_after_each_time_cell(index: RegionIndex) -> None:
    """The 大同 任务清单 of tests/fixtures/provincial13 (pp. 6-7): no 序号 column. The header ends with its
    time column (the first row's 企业开办 reads like a column name, and is not one); each row ends with its
    time cell, which may wrap (2023 年 6 月 / 30 日前); the next line opens the next row. A run of short
    prose lines does not pass for such a header: every name must be known and the last a time."""
    lines = ["重点任务", "工作措施", "牵头单位", "配合单位", "完成时限",
             "企业开办", "（1）推行企业开办“一网通办”；", "市行政审批服务管理", "局", "市市场监管局、市公安", "局",
             "2023 年 6 月", "30 日前",
             "纳税服务", "拓展“非接触式”办税缴费范围；", "国家税务总局大同市", "税务局", "市财政局", "持续推进"]
    blocks, counts = split_blocks([(t, 6) for t in lines], index)
    table = blocks[0]
    assert isinstance(table, Table) and [c.role for c in table.columns] == ["task", "action", "lead", "cooperating", "due"]
    assert [r.label for r in table.rows] == ["", ""] and counts["table_row_without_number"] == 2
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["企业开办", "（1）推行企业开办“一网通办”；", "市行政审批服务管理局", "市市场监管局、市公安局", "2023年6月30日前"],
        ["纳税服务", "拓展“非接触式”办税缴费范围；", "国家税务总局大同市税务局", "市财政局", "持续推进"]]
    prose = ["工作任务", "工作措施", "牵头单位", "完成时限", "推进改革"]
    assert not any(isinstance(b, Table) for b in split_blocks([(t, 1) for t in prose[:3] + ["其他"]], index)[0])


def test_units_printed_with_spaces_and_a_cell_marked_empty(index: RegionIndex) -> None:
    """tests/fixtures/provincial17 (黄石 清单): units printed with spaces between them run together once
    the spaces are dropped, and are cut apart again, the last one wrapped by the width; provincial18
    (贵州 分工): a 配合单位 cell printed '—' is empty, so the lead before it stays in its column."""
    lines = ["序号", "重点任务", "责任单位", "完成时限",
             "2", "推行“拿地即开工”", "市自然资源和规划局 市住房和城", "乡建设局", "2023 年上半年",
             "3", "开展惠企政策兑现", "市住房和城乡建设局 国网黄石供电公司", "今年底前"]
    table = split_blocks([(t, 7) for t in lines], index)[0][0]
    assert [next(c.units for c in r.cells if c.column == 2) for r in table.rows] == [
        ("市自然资源和规划局", "市住房和城乡建设局"), ("市住房和城乡建设局", "国网黄石供电公司")]
    lines = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限",
             "4", "开展全省营商环境监测评价", "省发展改革委", "—", "长期坚持"]
    blocks, counts = split_blocks([(t, 9) for t in lines], index)
    assert [(blocks[0].columns[c.column].name, c.text) for c in blocks[0].rows[0].cells] == [
        ("工作任务", "开展全省营商环境监测评价"), ("牵头单位", "省发展改革委"), ("完成时限", "长期坚持")]
    assert counts["table_cell_marked_empty"] == 1


def test_cells_printed_on_one_line_are_cut_apart(index: RegionIndex) -> None:
    """tests/fixtures/provincial21 (吉林 清单, pp. 3-4; 克拉玛依 附件1, p. 9): pypdf prints cells that
    share a baseline on one line. A header of column names on one line is cut into its names; below
    it, a line opening with the next row's number, or ending with a time after units, is cut at the
    spaces that follow a character other than a digit (the extraction's own spaces follow digits:
    2023 年6 月底前). A row's first cell printed above its number line, after the row above's time,
    is the row's; 续表 is dropped and counted."""
    lines = [("序号 主要任务 牵头单位 配合单位 完成时限", 3),
             ("2", 3), ("推行企业开办“一网通办”", 3), ("市市场监管局", 3), ("6 月底前", 3),
             ("深化“一业一证”改革，将改革行业扩大", 3), ("续表", 4), ("序号 主要任务 牵头单位 配合单位 完成时限", 4),
             ("认”，推动证照联办", 4), ("3 市政数局 市市场监管局 2023 年6 月底前", 4),
             ("4 健全惠企政策直达机制，梳理发布惠企政", 4), ("策清单", 4), ("市发展改革委 — 长期坚持", 4)]
    blocks, counts = split_blocks(lines, index)
    table = blocks[0]
    assert [c.name for c in table.columns] == ["序号", "主要任务", "牵头单位", "配合单位", "完成时限"]
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["推行企业开办“一网通办”", "市市场监管局", "6月底前"],
        ["深化“一业一证”改革，将改革行业扩大认”，推动证照联办", "市政数局", "市市场监管局", "2023年6月底前"],
        ["健全惠企政策直达机制，梳理发布惠企政策清单", "市发展改革委", "长期坚持"]]
    assert [r.label for r in table.rows] == ["2", "3", "4"]
    assert counts["table_header_on_one_line"] == 2 and counts["table_cells_on_one_line"] == 3
    assert counts["table_cell_above_number"] == 1 and counts["table_continued_label"] == 1
    # Not a row: a number that is the next row's only when it is (160 千瓦…, a note's 2. after the table).
    lines = [("序号", 1), ("重点任务", 1), ("责任单位", 1), ("完成时限", 1), ("1", 1), ("低压小微企业", 1),
             ("160 千瓦及以下的用电报装实行“三零”", 1), ("市发展改革委", 1), ("2023 年底前", 1)]
    blocks, counts = split_blocks(lines, index)
    assert [c.text for c in blocks[0].rows[0].cells][0] == "低压小微企业160千瓦及以下的用电报装实行“三零”"
    assert counts["table_cells_on_one_line"] == 0


def test_a_row_printed_line_by_line_across_its_cells(index: RegionIndex) -> None:
    """tests/fixtures/provincial23 (曲靖 清单, p. 7): a PDF written by baseline prints each line of a row
    across its cells; each line's pieces go to the cells they continue (a cell of fewer lines drops
    out: 和信息化局 alone ends the unit cell), the time cell only with the rest of its time (季度前)."""
    lines = ["序号 主要任务 责任单位 完成时限",
             "1 企业开办1 个工作日内办结，推行开办 市市场监管局、市公 2023 年6 月",
             "事项“一网通办”、证照“一窗发放” 安局、市税务局 底前",
             "2 推动水电气网联合报装，低压小微企业 曲靖供电局、市住房 2023 年第四",
             "用电报装实现“零上门、零审批、零投 城乡建设局、市工业 季度前",
             "资” 和信息化局",
             "3 全面推行证明事项告知承诺制，动态调 市司法局 长期坚持",
             "整并公布证明事项保留清单"]
    blocks, counts = split_blocks([(t, 7) for t in lines], index)
    assert [[c.text for c in r.cells] for r in blocks[0].rows] == [
        ["企业开办1个工作日内办结，推行开办事项“一网通办”、证照“一窗发放”", "市市场监管局、市公安局、市税务局", "2023年6月底前"],
        ["推动水电气网联合报装，低压小微企业用电报装实现“零上门、零审批、零投资”",
         "曲靖供电局、市住房城乡建设局、市工业和信息化局", "2023年第四季度前"],
        ["全面推行证明事项告知承诺制，动态调整并公布证明事项保留清单", "市司法局", "长期坚持"]]
    assert counts["table_row_across_cells"] == 3


def test_rows_numbered_in_two_levels_under_group_rows(index: RegionIndex) -> None:
    """tests/fixtures/provincial24 (惠州 清单, pp. 9-10): 1.1 … 1.3 under 一、, 2.1 under 二、; a task line
    opening with 2.0 版 is no row."""
    lines = ["序号", "重点任务", "责任单位", "完成时限", "一、政务服务（共2 项）",
             "1.1", "企业开办全流程1 个工作日内办结", "市市场监管局（牵头）", "市公安局", "2023 年6 月底", "前",
             "1.2", "推行“一件事一次办”集成服务", "2.0 版，新增主题集成服务事项20", "项以上", "市政务服务数据管理局", "持续推进",
             "二、要素保障（共1 项）",
             "2.1", "推行工业项目“拿地即开工”", "市自然资源局", "2023 年第三季", "度"]
    table = split_blocks([(t, 9) for t in lines], index)[0][0]
    assert [r.label for r in table.rows] == ["1.1", "1.2", "2.1"]
    assert [c.text for c in table.rows[1].cells][0] == "推行“一件事一次办”集成服务2.0版，新增主题集成服务事项20项以上"


def test_a_cell_quoting_a_law_goes_on_past_its_articles_and_notes(index: RegionIndex) -> None:
    """tests/fixtures/provincial25 (咸阳 清单, pp. 8-10): in a row with neither unit nor time yet, a
    cell line opening with 第三十五条 or （一）, or a bracket alone (（延续）), is the cell's, also on the
    page after a break; 实施机关 names the units."""
    lines = [("序号", 9), ("事项名称", 9), ("设定依据", 9), ("实施机关", 9), ("办理时限", 9),
             ("6", 9), ("建筑施工企业安全生产许可", 9), ("（延续）", 9), ("《安全生产许可证条例》第二条、", 9),
             ("第九条：安全生产许可证的有效", 9), ("期为3 年。", 9),
             ("序号", 10), ("事项名称", 10), ("设定依据", 10), ("实施机关", 10), ("办理时限", 10),
             ("（一）有与其经营业务相适应的车辆；", 10), ("市住房和城乡建设局", 10), ("5 个工作日", 10)]
    table = split_blocks(lines, index)[0][0]
    cells = {table.columns[c.column].name: c for c in table.rows[0].cells}
    assert cells["事项名称"].text == "建筑施工企业安全生产许可（延续）"
    assert cells["设定依据"].text.endswith("有效期为3年。（一）有与其经营业务相适应的车辆；")
    assert cells["实施机关"].units == ("市住房和城乡建设局",) and table.columns[3].role == "responsible"


def test_a_remark_naming_the_lead_is_the_remarks(index: RegionIndex) -> None:
    """tests/fixtures/provincial23 (晋中 分工表, p. 3): 牵头单位为市行政 / 审批服务管理局 under 备注 is the
    remark's, not the time cell's run-on."""
    lines = ["序号", "工作任务", "责任单位", "完成时限", "备注",
             "1", "推行企业开办“一网通办”", "市行政审批服务管理局", "市市场监管局", "2023 年6 月底", "前",
             "牵头单位为市行政", "审批服务管理局"]
    table = split_blocks([(t, 3) for t in lines], index)[0][0]
    assert [c.text for c in table.rows[0].cells] == [
        "推行企业开办“一网通办”", "市行政审批服务管理局、市市场监管局", "2023年6月底前", "牵头单位为市行政审批服务管理局"]


def test_units_marked_with_a_star_are_units(index: RegionIndex) -> None:
    """tests/fixtures/provincial19 (宁夏 分工方案, pp. 8-9): ★ before a lead unit's name does not stop
    the line from opening the unit cell, nor a name wrapped after it (★自治 / 区工业和信息化厅); a class
    word on the line after a bare jurisdiction ends its name (自治区 / 有关部门)."""
    lines = ["序号", "重点任务", "具体措施", "责任单位", "完成时限",
             "3", "1.建设全区统一的惠企政策服务平台；", "2.对符合条件的企业完成资金拨付。",
             "★自治区财政厅、★自治", "区工业和信息化厅、自治", "区大数据中心", "持续推进",
             "4", "强化法治保", "障", "1.全面推行涉企行政执法“首违不罚”清单制度。", "★自治区司法厅、自治区", "有关部门", "长期坚持"]
    table = split_blocks([(t, 8) for t in lines], index)[0][0]
    assert [next(c.units for c in r.cells if c.column == 3) for r in table.rows] == [
        ("★自治区财政厅", "★自治区工业和信息化厅", "自治区大数据中心"), ("★自治区司法厅", "自治区有关部门")]


def test_a_sentence_cut_before_its_period_and_supervising_columns(index: RegionIndex) -> None:
    """The 温州 整改清单 and the 大庆 table of tests/fixtures/provincial7 (pp. 5, 19): 10 日内… after
    …之日起 goes on in its cell, no time cell opens there; 立行立改 opens one; a 督办单位 column holds
    units but is "other" (it oversees the row); 主办单位 leads."""
    lines = ["序号", "问题描述", "整改措施", "责任单位", "整改时限",
             "4", "政府采购和工程款项支付", "不够及时", "机关、事业单位自收到发票之日起", "10 日内支付中小企业款项，对逾",
             "期支付的予以通报", "市财政局、市经信", "局", "2023 年9 月30", "日",
             "5", "部分诉求久拖未决", "完善涉企诉求“首接负责”机制", "市大数据局、市信", "访局", "立行立改，长期", "坚持"]
    table = split_blocks([(t, 1) for t in lines], index)[0][0]
    cells = [{table.columns[c.column].role: c for c in r.cells} for r in table.rows]
    # (This short excerpt does not give the two text columns' widths: only where the text ends is checked.)
    assert cells[0]["action"].text.endswith("机关、事业单位自收到发票之日起10日内支付中小企业款项，对逾期支付的予以通报")
    assert cells[0]["responsible"].units == ("市财政局", "市经信局") and cells[0]["due"].text == "2023年9月30日"
    assert cells[1]["responsible"].units == ("市大数据局", "市信访局") and cells[1]["due"].text == "立行立改，长期坚持"
    lines = ["序号", "工作任务", "主办单位", "督办单位", "完成时限",
             "1", "企业开办全程网办", "市市场监管局", "市营商环境局", "2023 年10 月15 日前"]
    table = split_blocks([(t, 1) for t in lines], index)[0][0]
    assert [(c.name, c.role) for c in table.columns][2:4] == [("主办单位", "lead"), ("督办单位", "other")]
    assert [(table.columns[c.column].role, c.units) for c in table.rows[0].cells][1:3] == [
        ("lead", ("市市场监管局",)), ("other", ("市营商环境局",))]


def test_time_cells_of_a_delivery_list(index: RegionIndex) -> None:
    """The 芜湖 兑现清单 of tests/fixtures/provincial8 (pp. 4-5): a limit counted from an event
    (自申报截止之日 / 起30 个工作日 / 内) and 免申即享 or 即申即享 open the time cell."""
    lines = ["序号", "政策事项", "政策依据", "责任单位", "兑现时限",
             "1", "首次纳入规模以上统计", "的工业企业奖励", "《芜湖市关于支持实体经济发展的若干意见》",
             "市经济和信息化局、", "市统计局", "自申报截止之日", "起30 个工作日", "内",
             "2", "失业保险稳岗返还", "《关于做好失业保险稳岗工作的通知》", "市人力资源社会保障", "局",
             "免申即享，3 个", "工作日内拨付",
             "3", "企业上市奖励", "《企业上市行动计划》", "市地方金融监管局", "即申即享"]
    table = split_blocks([(t, 1) for t in lines], index)[0][0]
    cells = [{table.columns[c.column].role: c for c in r.cells} for r in table.rows]
    assert [c["responsible"].units for c in cells] == [
        ("市经济和信息化局", "市统计局"), ("市人力资源社会保障局",), ("市地方金融监管局",)]
    assert [c["limit"].text for c in cells] == ["自申报截止之日起30个工作日内", "免申即享，3个工作日内拨付", "即申即享"]


def test_a_name_set_one_mark_over_the_column_does_not_widen_it(index: RegionIndex) -> None:
    """The 大连 任务分工表 of tests/fixtures/provincial (pp. 20-24; its row 10 numbered 3 here): the
    重点任务 column holds 6 characters, 推行“双随机、 hangs its 、 past the edge, and the other names
    still wrap at 6."""
    lines = ["序号", "重点任务", "工作措施", "牵头单位", "配合单位", "时间节点",
             "1", "推进政务服务", "标准化", "全面梳理市、区两级政务服务事项，", "编制统一的实施清单和办事指南，实",
             "现同一事项无差别受理、同标准办理", "市营商环境建设局", "市直各有关部门", "2023 年6", "月",
             "2", "深化“一网通", "办”", "推动政务服务事项“应上尽上”，全", "程网办率达到90%以上，高频事项实",
             "现“掌上办”", "市营商环境建设局", "市大数据中心", "2023 年第", "三季度",
             "3", "推行“双随机、", "一公开”监管", "跨部门联合抽查占比达到30%以上，", "抽查结果20 个工作日内向社会公示",
             "市市场监管局", "市直各有关部门", "2023 年第", "四季度"]
    blocks, _ = split_blocks([(t, 1) for t in lines], index)
    table = blocks[0]
    tasks = [{table.columns[c.column].role: c.text for c in r.cells}["task"] for r in table.rows]
    assert tasks == ["推进政务服务标准化", "深化“一网通办”", "推行“双随机、一公开”监管"]


def test_a_year_alone_is_a_date_only_when_the_date_goes_on(index: RegionIndex) -> None:
    """2023 at the foot of a page, 年10 月底前 on the next: one date. A target (2000) before a date
    column, and 2025 / 年营商环境… in a text cell, are not dates."""
    header = ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"]
    page1 = header + ["1", "统一受理标准", "逐项修订审批事项办事指南和申请表单，", "细化量化受理审查标准",
                      "市行政审批局", "2023"]
    page2 = header + ["年10 月底前"]
    blocks, _ = split_blocks([(t, 1) for t in page1] + [(t, 2) for t in page2], index)
    table = blocks[0]
    assert {table.columns[c.column].role: c.text for c in table.rows[0].cells} == {
        "task": "统一受理标准", "action": "逐项修订审批事项办事指南和申请表单，细化量化受理审查标准",
        "lead": "市行政审批局", "due": "2023年10月底前"}
    lines = ["序号", "工作目标", "完成时限", "1", "力争到", "2025", "年营商环境进入全国第一方阵", "持续推进"]
    table = split_blocks([(t, 1) for t in lines], index)[0][0]
    assert [c.text for c in table.rows[0].cells] == ["力争到2025年营商环境进入全国第一方阵", "持续推进"]
    lines = ["序号", "重点任务", "目标值", "完成时限", "牵头单位",
             "1", "培育专精特新企业", "2000", "2023 年12 月底前", "市工业和信息化局"]
    table = split_blocks([(t, 1) for t in lines], index)[0][0]
    assert [c.text for c in table.rows[0].cells][1:3] == ["2000", "2023年12月底前"]


def test_prose_without_a_header_is_not_a_table(index: RegionIndex) -> None:
    lines = [(t, 1) for t in ["序号", "一、总体要求", "各地要加强组织领导。"]]
    blocks, _ = split_blocks(lines, index)
    assert [type(b) for b in blocks] == [Prose]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["序号", "责任单位", "完成时限", "牵头单位", "1", "2", "3", "市财政局", "市人力资源和社会",
                                 "保障局", "2023 年6 月", "持续推进", "一、开办企业", "推进改革", "10 千伏", "附件",
                                 "2023 年3 月16 日", "具体措施"]), max_size=40))
def test_any_lines_give_blocks_whose_text_slices_back(lines: list[str]) -> None:
    index = RegionIndex.load()
    blocks, _ = split_blocks([(line, 1 + i // 10) for i, line in enumerate(lines)], index)
    kept = [line for b in blocks for line, _ in (b.lines if isinstance(b, Prose) else ())]
    assert len(kept) <= len(lines)
    rendered = render(blocks)
    for table in rendered.tables:
        for row in table.rows:
            for cell in row.cells:
                assert rendered.text.text[cell.start:cell.end] == cell.text


# -- a table drawn in a PDF gives the rows of its text dump ------------------------------

# (row number, [cell lines per column]); the PDF draws each cell at its column's x.
TABLE = [
    ("1", [["企业开办全程网", "办"], ["推行企业开办“一网通办”，", "企业开办时间压减至0.5 个", "工作日以内"],
           ["市市场监管局", "市公安局"], ["2023 年6 月底前"]]),
    ("2", [["经营主体登记确", "认制"], ["对经营主体登记实行形式审", "查"], ["市市场监督管理局"], []]),
    ("3", [["高压办电提速"], ["10 千伏及以下普通高压用户", "办电时间压减至15 个工作日"], ["国网长春供电公司"],
           ["2023 年第二季度"]]),
]
COLUMNS = ["序号", "改革事项", "具体措施", "责任单位", "完成时间"]


def _dump_lines() -> list[str]:
    return COLUMNS + [line for number, cells in TABLE for line in [number] + [t for cell in cells for t in cell]]


def _table_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    xs = [30, 60, 130, 260, 340]
    c.setFont("STSong-Light", 8)
    y = A4[1] - 40
    for x, name in zip(xs, COLUMNS):
        c.drawString(x, y, name)
    y -= 14
    for number, cells in TABLE:
        c.drawString(xs[0], y, number)
        height = max(len(cell) for cell in cells)
        # Column by column, each cell's lines top to bottom, as a PDF producer may draw them.
        for x, cell in zip(xs[1:], cells):
            for k, line in enumerate(cell):
                c.drawString(x, y - 10 * k, line)
        y -= 10 * height + 6
    c.showPage()
    c.save()
    return path


def test_a_table_pdf_gives_the_rows_of_its_text_dump(tmp_path: Path, index: RegionIndex) -> None:
    from policydata_build.pages import read_source

    dump = write_text_dump(tmp_path / "t.txt", [(1, _dump_lines())])
    pdf = _table_pdf(tmp_path / "t.pdf")
    rows = {}
    for source in (dump, pdf):
        (table,) = [b for b in split_blocks([(line, p.number) for p in read_source(source).pages for line in p.lines],
                                            index)[0] if isinstance(b, Table)]
        rows[source.suffix] = [(r.label, [(c.column, c.text) for c in r.cells]) for r in table.rows]
    assert rows[".pdf"] == rows[".txt"]
    assert rows[".txt"][0] == ("1", [(1, "企业开办全程网办"), (2, "推行企业开办“一网通办”，企业开办时间压减至0.5个工作日以内"),
                                     (3, "市市场监管局、市公安局"), (4, "2023年6月底前")])


# -- units and time cells -------------------------------------------------------------


def test_a_unit_named_by_its_level_word_is_resolved_in_the_documents_jurisdiction(index: RegionIndex) -> None:
    rows: dict[str, dict] = {}
    a = resolve_unit("市住房城乡建设委", "110000", index)
    aid = add_agency_row(rows, a)
    assert (rows[aid]["name"], rows[aid]["region_code"], rows[aid]["aliases"]) == (
        "北京市住房和城乡建设委员会", "110000", {"市住房城乡建设委"})


def test_two_spellings_of_one_body_are_one_agency(index: RegionIndex) -> None:
    rows: dict[str, dict] = {}
    ids = {add_agency_row(rows, resolve_unit(name, "640000", index))
           for name in ("宁夏回族自治区市场监督管理厅", "宁夏自治区市场监管厅", "自治区市场监管厅")}
    assert len(ids) == 1 and rows[ids.pop()]["name"] == "宁夏回族自治区市场监督管理厅"


def test_divisions_belong_to_their_body_and_collectives_are_kept(index: RegionIndex) -> None:
    rows: dict[str, dict] = {}
    division = add_agency_row(rows, resolve_unit("省应急管理厅政策法规处", "130000", index))
    parent = rows[division]["parent_id"]
    assert rows[division]["name"] == "河北省应急管理厅政策法规处" and rows[parent]["name"] == "河北省应急管理厅"
    for name in ("各区人民政府", "各乡镇（街道）", "各有关部门", "市直各有关部门"):
        collective = resolve_unit(name, "131000", index)
        assert collective.collective and collective.resolved_by == "collective" and collective.canonical == name


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023年6月", [("2023年6月", "target", dt.date(2023, 6, 30), "month", None)]),
        ("2023年第三季度", [("2023年第三季度", "target", dt.date(2023, 9, 30), "quarter", None)]),
        ("2023年上半年", [("2023年上半年", "target", dt.date(2023, 6, 30), "half", None)]),
        ("持续推进", [("持续推进", "ongoing", None, None, None)]),
        ("长期", [("长期", "ongoing", None, None, None)]),
        ("2023年6月底前完成试点，12月底前全面推广",
         [("2023年6月底前", "due_by", dt.date(2023, 6, 30), "month", None),
          ("12月底前", "due_by", dt.date(2023, 12, 31), "month", None)]),
        ("5个工作日", [("5个工作日", "time_limit", None, None, "P5WD")]),
        ("15日", [("15日", "time_limit", None, None, "P15D")]),
    ],
)
def test_time_cells_in_their_column_sense(cell: str, expected: list[tuple]) -> None:
    text = f"1\t某项改革\t{cell}"
    start = text.index(cell)
    role = "limit" if "日" in cell and "月" not in cell else "due"
    hits, _ = find_deadlines(text, dt.date(2023, 3, 1), [(start, len(text), role)])
    assert [(h.expression, h.kind, h.due_on, h.precision, h.duration) for h in hits] == expected


def test_a_bare_date_outside_a_time_column_is_no_deadline() -> None:
    hits, skipped = find_deadlines("（2023年5月29日）", dt.date(2023, 6, 1))
    assert hits == [] and [s.reason for s in skipped] == ["reference_date"]
    hits, _ = find_deadlines("长期以来", dt.date(2023, 6, 1))
    assert hits == []


def test_a_wide_cell_of_a_landscape_table_does_not_end_it(index: RegionIndex) -> None:
    wide = "推行企业开办全程网上办理，设立登记、公章刻制、发票申领、社保登记一次办结"
    lines = [(t, 1) for t in ["序号", "具体措施", "责任单位", "1", wide, "市市场监管局", "2", "压减时间", "市税务局",
                              wide + "。这是表格之后的一段正文。"]]
    blocks, _ = split_blocks(lines, index)
    assert [r.label for r in blocks[0].rows] == ["1", "2"]
    assert blocks[0].rows[0].cells[0].text == wide
    assert isinstance(blocks[1], Prose)  # the last wide line has no row after it: prose again


def test_a_class_word_in_a_unit_cell_is_counted_not_linked() -> None:
    # 有关部门 names no one: in a 配合单位 cell it stays in its cell, is not glued
    # to the unit above it, and is counted as ignored, as in running text.
    from policydata_build.measures import _cell_responsibilities

    index = RegionIndex.load()
    lines = [(t, 4) for t in ["序号", "事项名称", "牵头单位", "配合单位", "1", "企业开办", "长春市市场监管局", "市税务局", "有关部门"]]
    row = render(split_blocks(lines, index)[0]).tables[0].rows[0]
    assert [(c.column.role, c.units) for c in row.cells if c.units] == [
        ("lead", ("长春市市场监管局",)), ("cooperating", ("市税务局", "有关部门"))]
    found = _cell_responsibilities(row.cells, "220100", index)
    assert [(r.name_raw, r.role) for r in found.links] == [("长春市市场监管局", "lead"), ("市税务局", "cooperating")]
    assert found.ignored == {"有关部门": 1}


def test_pdf_layout_rows_numbered_with_a_stop_are_rows() -> None:
    # Rows numbered 1. / 2、 start rows in a PDF's layout text as in a text dump;
    # otherwise every row's cells would run together under the first number.
    from policydata_build.pages import table_layout_lines

    page = "序号  事项名称      实施部门\n1.    居民身份证换领  自治区公安厅\n      、补领\n2、   户口迁移        自治区公安厅"
    assert table_layout_lines(page) == ("序号", "事项名称", "实施部门", "1.", "居民身份证换领", "、补领", "自治区公安厅",
                                        "2、", "户口迁移", "自治区公安厅")
