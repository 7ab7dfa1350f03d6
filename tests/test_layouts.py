"""Provincial layouts, scored against gold written by hand, and the national fixes read off the source.

Two compilations in the text-dump format, with gold answers written from
their text, never from the parser's output:

* ``fixtures/practice``: the practice compilation shipped to the project (7
  documents: notes with 责任单位/牵头单位, a 办法, inline 由…牵头, a 事项清单 and a
  任务分工表 printed one cell per line);
* ``fixtures/provincial``: our own, other variants of the same layouts
  (group rows inside a table, a row split across pages, cells that begin
  with a number, two deadlines in one cell, a chapter glued to its first
  article, attachment lists, closing paragraphs, two spellings of one body);
* ``fixtures/provincial2``: a third, written after the rules and scored
  blind first (wrapped column names, 序/号, rows numbered 1. and 1、, units
  marked （牵头）, units on one line, （X牵头，Y参与）, two sections whose
  province headings share numbers);
* ``fixtures/provincial3``: a fourth, also scored blind first (three text
  columns, 责任单位 cells that say X牵头，Y配合 or mark units （配合）, a unit
  name wrapped inside its place name, notes closed by a bare date, 办法
  articles with items). Blind, responsibility scored recall 64.7% and
  precision 80.7%, deadlines 94.7% and 94.7%; the general fixes that
  followed are tested one by one in test_blocks and test_deadlines;
* ``fixtures/provincial4``: a fifth, scored blind on the code after those
  fixes (notes in 【】 and 〔〕 or on lines of their own, a time column
  before the units, 牵头：/配合： lines inside a cell, a 备注 column, 年内,
  a 实施细则 of three issuers): responsibility recall 82.8%, precision
  95.7%, deadlines 89.0% and 96.4%;
* ``fixtures/provincial5``: a sixth, scored blind after those (a two-level
  责任单位 header, two attached tables each numbered from 1, 同上 cells, a
  notice saying the first unit leads, 由X负责，Y配合): responsibility
  recall 49.0%, precision 54.0%, deadlines 99.0% and 100%. Its gold labels
  the rows of two tables 附件1-3, 附件2-1, which build/evaluate.py reads as
  row 3 of the first table and row 1 of the second;
* ``fixtures/provincial6``: a seventh, scored blind after those (第一部分 /
  第二部分, a unit list wrapped inside a name, X会同Y负责…商会, a note's
  units set off by commas, sub-items in a cell, ASCII and full-width
  digits): responsibility recall 67.5%, precision 75.5%, deadlines 94.7%
  and 97.3%;
* ``fixtures/provincial7``: an eighth, scored blind after those (a 整改清单,
  主办/协办 and 责任主体/督办单位 columns, a sentence cut before its period,
  立行立改, bracketed collectives wrapped in a cell): responsibility recall
  84.5%, precision 83.7%, deadlines 97.1% and 97.1%;
* ``fixtures/provincial8``: a ninth, scored blind after those (a 重点领域
  printed once per group, a 政策依据 column of titles, 牵头/配合 lines, time
  cells opening with 自…之日, 即日起, 免申即享): responsibility recall 87.9%,
  precision 100%, deadlines 97.1% and 97.1%;
* ``fixtures/provincial10``: a tenth, scored blind after those (a 推进计划
  whose 2023 年进度安排 spans 一季度 … 四季度 columns, ①②③ inside measures,
  （A牵头，B落实） notes, a table without a unit column): responsibility recall
  73.8%, precision 100%, deadlines 83.1% and 96.1%;
* ``fixtures/provincial9``: an eleventh, written at the same time and scored
  blind on the code with provincial10's fixes (a 办法 of chapters and
  articles, a 牵头市领导 column of people, combined 责任单位/完成时限 notes,
  stage lines in a 进度安排 cell, a notice without measures): responsibility
  recall 96.8%, precision 98.9%, deadlines 95.0% and 89.1%;
* ``fixtures/provincial11``: a twelfth, scored blind after those (county-level
  issuers, 责任单位 cells merged over runs of rows, header names split over two
  lines, rows numbered afresh in each group, a heading's own 牵头单位 note,
  2023年年中, 每双月, 次年): responsibility recall 74.5%, precision 93.3%,
  deadlines 80.0% and 93.0%;
* ``fixtures/provincial12``: a thirteenth, written at the same time and scored
  blind on the code before provincial11's fixes (第一条… 若干措施 with
  完成时限：长期 notes, a 惠企政策清单 with 受理部门 and 咨询电话 columns, 协同单位,
  two leads in one cell, a 备注 status column): responsibility recall 87.6%,
  precision 94.0%, deadlines 83.1% and 94.2%;
* ``fixtures/provincial13`` and ``provincial14``: a fourteenth and fifteenth,
  written at the same time and scored blind after those (PDF page furniture,
  a table without 序号, 附件1/附件2; a 通报, a 评价指标 table, 章/节/条, group
  rows naming units). Two checks of the fifteenth are not yet met:
  ``KNOWN_SHORTFALLS``;
* ``fixtures/provincial15``: a sixteenth, scored blind after those (a 申报指南
  with yearly windows, notes under a table, 牵头领导 in notes, 责任单位（部门）
  and 工作内容及目标 headers): responsibility recall 65.3%, precision 100%,
  deadlines 75.7% and 82.4%;
* ``fixtures/provincial16``: a seventeenth, written at the same time and scored
  blind on the code before the sixteenth's fixes (measures 1. under the title,
  time-first notes, a 修改决定 quoting articles, （牵头） marks, a contact
  list): responsibility recall 98.0%, precision 98.0%, deadlines 100% and 95.0%;
* ``fixtures/provincial17`` and ``provincial18``: an eighteenth and nineteenth,
  written at the same time and scored blind after those (units printed with
  spaces between them, a row over a page without its header, other places
  named in the text; a joint document, a 办法 attached to a 通知, 省 dropped
  after the first unit, '—' in a unit cell): responsibility recall 56.4% and
  93.5%, precision 79.5% and 93.5%, deadlines 100% / 100% and 96.3% / 92.9%;
* ``fixtures/provincial19`` to ``provincial21``: a twentieth to twenty-second,
  written at the same time and scored blind on code 0.8.0 (★ before lead units
  with a legend; a 办法 whose article items carry the duties, fields on lines
  of their own, a zone's bodies; cells pypdf printed on one line, 续表, units in
  【】 opening a measure): responsibility recall 69.7%, 63.8% and 28.1%,
  precision 81.5%, 82.2% and 72.0%, deadlines 97.8% / 95.7%, 91.7% / 97.1% and
  78.6% / 100%;
* ``fixtures/provincial22``: a twenty-third, written with the twenty-fourth and
  twenty-fifth and scored blind on the code before their fixes (第一部分 with
  专栏 boxes, responsibility in running text, a 兑现清单, a 考核办法 with a 评分表):
  responsibility recall 86.5%, precision 100%, deadlines 96.7% / 90.6%;
* ``fixtures/provincial23``: a twenty-fourth, scored blind after those (a row
  printed line by line across its cells, a 备注 naming the lead, a 省
  department's 通知): responsibility recall 58.2%, precision 68.1%, deadlines
  85.3% / 87.9%;
* ``fixtures/provincial24``: a twenty-fifth, scored blind after those (a 转发
  notice, rows numbered 1.1 under 一、, a 实施细则 with 款, measures inline with
  their units given by reference): responsibility recall 48.9%, precision
  76.7%, deadlines 71.4% / 90.9%. Two of its checks are not yet met:
  ``KNOWN_SHORTFALLS``;
* ``fixtures/provincial25``: a twenty-sixth, written with the twenty-seventh
  (a 告知承诺制 清单 quoting laws in its cells, a 工作要点 with 责任领导, a joint
  notice of four bodies, a date in Chinese numerals): responsibility recall
  75.7%, precision 96.6%, deadlines 76.9% / 90.9%;
* ``fixtures/provincial26``: a twenty-seventh, scored blind after those (an
  autonomous prefecture, a league, a 地区 and a county-level city as issuers,
  and their bodies: 州直有关部门, 地区财政局, 行署办公室): responsibility recall
  83.0%, precision 100%, deadlines 96.8% / 96.8%.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sourcefiles import bundled

from policydata_build.blocks import ROW_NUMBER
from policydata_build.evaluate import score
from policydata_build.pages import read_source
from policydata_build.pipeline import build_tables

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = {
    "practice": (FIXTURES / "practice" / "compilation-practice.txt", FIXTURES / "practice" / "gold.json"),
    "provincial": (FIXTURES / "provincial" / "compilation.txt", FIXTURES / "provincial" / "gold.json"),
    "provincial2": (FIXTURES / "provincial2" / "compilation.txt", FIXTURES / "provincial2" / "gold.json"),
    "provincial3": (FIXTURES / "provincial3" / "compilation.txt", FIXTURES / "provincial3" / "gold.json"),
    "provincial4": (FIXTURES / "provincial4" / "compilation.txt", FIXTURES / "provincial4" / "gold.json"),
    "provincial5": (FIXTURES / "provincial5" / "compilation.txt", FIXTURES / "provincial5" / "gold.json"),
    "provincial6": (FIXTURES / "provincial6" / "compilation.txt", FIXTURES / "provincial6" / "gold.json"),
    "provincial7": (FIXTURES / "provincial7" / "compilation.txt", FIXTURES / "provincial7" / "gold.json"),
    "provincial8": (FIXTURES / "provincial8" / "compilation.txt", FIXTURES / "provincial8" / "gold.json"),
    "provincial9": (FIXTURES / "provincial9" / "compilation.txt", FIXTURES / "provincial9" / "gold.json"),
    "provincial10": (FIXTURES / "provincial10" / "compilation.txt", FIXTURES / "provincial10" / "gold.json"),
    "provincial11": (FIXTURES / "provincial11" / "compilation.txt", FIXTURES / "provincial11" / "gold.json"),
    "provincial12": (FIXTURES / "provincial12" / "compilation.txt", FIXTURES / "provincial12" / "gold.json"),
    "provincial13": (FIXTURES / "provincial13" / "compilation.txt", FIXTURES / "provincial13" / "gold.json"),
    "provincial14": (FIXTURES / "provincial14" / "compilation.txt", FIXTURES / "provincial14" / "gold.json"),
    "provincial15": (FIXTURES / "provincial15" / "compilation.txt", FIXTURES / "provincial15" / "gold.json"),
    "provincial16": (FIXTURES / "provincial16" / "compilation.txt", FIXTURES / "provincial16" / "gold.json"),
    "provincial17": (FIXTURES / "provincial17" / "compilation.txt", FIXTURES / "provincial17" / "gold.json"),
    "provincial18": (FIXTURES / "provincial18" / "compilation.txt", FIXTURES / "provincial18" / "gold.json"),
    "provincial19": (FIXTURES / "provincial19" / "compilation.txt", FIXTURES / "provincial19" / "gold.json"),
    "provincial20": (FIXTURES / "provincial20" / "compilation.txt", FIXTURES / "provincial20" / "gold.json"),
    "provincial21": (FIXTURES / "provincial21" / "compilation.txt", FIXTURES / "provincial21" / "gold.json"),
    "provincial22": (FIXTURES / "provincial22" / "compilation.txt", FIXTURES / "provincial22" / "gold.json"),
    "provincial23": (FIXTURES / "provincial23" / "compilation.txt", FIXTURES / "provincial23" / "gold.json"),
    "provincial24": (FIXTURES / "provincial24" / "compilation.txt", FIXTURES / "provincial24" / "gold.json"),
    "provincial25": (FIXTURES / "provincial25" / "compilation.txt", FIXTURES / "provincial25" / "gold.json"),
    "provincial26": (FIXTURES / "provincial26" / "compilation.txt", FIXTURES / "provincial26" / "gold.json"),
}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def built(request):
    source, gold = SOURCES[request.param]
    rows, quality, _ = build_tables(read_source(source))
    return request.param, rows, quality, json.loads(gold.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def national():
    return build_tables(bundled())[0]


# -- the gold files --------------------------------------------------------------------


# Known wrong, with the reason; each must still be wrong (so a fix removes it from here).
KNOWN_METADATA_ERRORS = {
    ("provincial11", "陕西:1"): "神木市 (610881, a county-level city since 2017) is not in the pinned GB/T 2260 "
                              "table (build/data/gbt2260/adcodes.csv), which still has 神木县 (610821): the "
                              "document falls back to its province",
}


def test_document_metadata_is_exact(built) -> None:
    name, rows, _, gold = built
    result = score(rows, gold)
    errors = {d.key: d.metadata_errors for d in result.docs if d.metadata_errors}
    known = {key for (fixture, key) in KNOWN_METADATA_ERRORS if fixture == name}
    assert known <= set(errors), f"fixed, remove from KNOWN_METADATA_ERRORS: {known - set(errors)}"
    assert {k: v for k, v in errors.items() if k not in known} == {}


# Fixtures the parser does not yet meet, with the reason (README, "Accuracy on provincial fixtures").
# Each check is still run: one that starts to pass fails here, so the entry is removed.
KNOWN_SHORTFALLS = {
    ("provincial14", "provisions"): "a 通报's progress items are provisions in the dataset; the fixture counts "
                                    "only its next steps, labelled （一）–（三） without their section",
    ("provincial14", "responsibility"): "the same labels: the scorer cannot tell which （一） the fixture means",
    ("provincial24", "provisions"): "株洲 通知 lists its measures inline in one paragraph, （一）…；（二）…；, which the "
                                    "dataset keeps as one provision (（一） after ； runs on inside a sentence)",
    ("provincial24", "responsibility"): "the same 通知 gives its units by reference in a later paragraph "
                                        "(上述第（一）项由…负责), which no rule resolves",
}


def _check(name: str, check: str, ok: bool, message: object) -> None:
    reason = KNOWN_SHORTFALLS.get((name, check))
    if reason is None:
        assert ok, message
        return
    assert not ok, f"{name} now meets the {check} check: remove it from KNOWN_SHORTFALLS"
    pytest.xfail(reason)


def test_every_gold_provision_is_found_and_none_split(built) -> None:
    """Every gold label is found, and the provisions of the document's main label style are at most 10%
    more than the gold's. The style count alone would miss a measure at another depth (（二） between
    （一）1.–3. and （三）1.–2. in provincial10): the labels check finds those."""
    name, rows, _, gold = built
    wrong = [(d.key, d.provisions_found, d.labels_missing) for d in score(rows, gold).docs
             if d.provisions_found > 1.1 * d.provisions_gold or d.labels_missing]
    _check(name, "provisions", not wrong, wrong)


def test_responsibility_recall_and_precision(built) -> None:
    name, rows, _, gold = built
    result = score(rows, gold)
    _check(name, "responsibility", result.link_recall >= 0.90 and result.link_precision >= 0.95, result.summary())


def test_deadline_recall_with_the_right_value(built) -> None:
    name, rows, _, gold = built
    result = score(rows, gold)
    assert result.deadline_recall >= 0.90, result.summary()


def test_effective_dates_go_to_the_document(built) -> None:
    name, rows, _, gold = built
    assert [e for d in score(rows, gold).docs for e in d.effective_errors] == []
    assert not [d for d in rows["deadlines"] if "起施行" in d["expression"]]


def test_every_offset_slices_back(built) -> None:
    name, rows, _, _ = built
    texts = {d["doc_id"]: d["text"] for d in rows["documents"] if d["has_text"]}
    for m in rows["measures"]:
        assert texts[m["doc_id"]][m["char_start"]:m["char_end"]] == m["text"], m["measure_id"]
    doc_of = {m["measure_id"]: m["doc_id"] for m in rows["measures"]}
    for c in rows["measure_cells"]:
        assert texts[doc_of[c["measure_id"]]][c["char_start"]:c["char_end"]] == c["text"]
    for d in rows["deadlines"]:
        assert re.sub(r"\s", "", texts[d["doc_id"]][d["char_start"]:d["char_end"]]) == d["expression"]


def test_quality_reports_tables_links_and_unplaced_names_per_document(built) -> None:
    name, rows, quality, _ = built
    report = quality["per_document"]
    assert set(report) == {d["doc_id"] for d in rows["documents"] if d["has_text"]}
    assert sum(r["table_rows"] for r in report.values()) == sum(m["kind"] == "table_row" for m in rows["measures"])
    unresolved = {a["name"] for a in rows["agencies"] if a["resolved_by"] == "document_jurisdiction"}
    listed = {n for r in report.values() for n in r["agency_names_unresolved"]}
    assert unresolved <= {re.sub(r"\s", "", n) for n in listed} | unresolved and unresolved == {
        a["name"] for a in rows["agencies"] if a["resolved_by"] == "document_jurisdiction"}


# -- tables --------------------------------------------------------------------------


def test_table_rows_are_provisions_with_cells(built) -> None:
    name, rows, _, _ = built
    table_rows = [m for m in rows["measures"] if m["kind"] == "table_row"]
    headers = {m["measure_id"]: m["text"] for m in rows["measures"] if m["kind"] == "table_header"}
    # A row's label is its number as printed; a table without 序号 prints none.
    for m in table_rows:
        header = headers[m["measure_id"].split("/t", 1)[0] + "/t" + m["path"].split("/")[0][1:] + "/h"]
        assert (m["label"] is None) == (not header.startswith("序号\t")), m["measure_id"]
        assert m["label"] is None or ROW_NUMBER.fullmatch(m["label"]), m["measure_id"]
    assert table_rows
    cells = {}
    for c in rows["measure_cells"]:
        cells.setdefault(c["measure_id"], []).append(c)
    assert all(m["measure_id"] in cells for m in table_rows)
    roles = {c["role"] for cs in cells.values() for c in cs}
    # A column of who and one of when (a 办理时限 column is a limit: provincial25's 清单).
    assert roles & {"due", "limit"} and ("responsible" in roles or {"lead", "cooperating"} <= roles)


def test_the_header_repeated_on_every_page_is_dropped_and_counted(built) -> None:
    name, rows, quality, _ = built
    # provincial17's one table prints its header once, on purpose; provincial22's and 24's tables run over
    # one page break each.
    repeated = {"provincial17": 0, "provincial22": 1, "provincial24": 1}.get(name, 2)
    assert quality["ignored"].get("table_header_repeated", 0) >= repeated
    for d in rows["documents"]:
        if d["has_text"]:
            printed = [m["text"] for m in rows["measures"] if m["kind"] == "table_header" and m["doc_id"] == d["doc_id"]]
            assert len([line for line in d["text"].split("\n") if line in printed]) == len(printed)


def test_group_rows_are_headings_and_rows_sit_under_them() -> None:
    rows = build_tables(read_source(SOURCES["provincial"][0]))[0]
    groups = [m for m in rows["measures"] if m["kind"] == "heading" and m["path"].startswith("t1/")
              and m["doc_id"] == "2023-01-01-001"]
    assert [(g["label"], g["heading"]) for g in groups][:2] == [("一、", "开办企业"), ("二、", "获得电力")]
    row5 = next(m for m in rows["measures"] if m["measure_id"] == "2023-01-01-001/t1/2.5")
    assert row5["parent_id"] == "2023-01-01-001/t1/2" and row5["heading"] == "提高低压接入容量"
    # 160 千瓦… begins with a number and is a cell, not a row.
    action = next(c for c in rows["measure_cells"] if c["measure_id"] == row5["measure_id"] and c["role"] == "action")
    assert action["text"].startswith("160千瓦及以下")
    # A row split by a page break keeps each column's parts together.
    row3 = {c["role"]: c["text"] for c in rows["measure_cells"] if c["measure_id"] == "2023-01-01-001/t1/1.3"}
    assert row3["action"].endswith("海关等注销业务“一网通办”")
    assert row3["responsible"] == "市市场监管局、市税务局、市人力资源社会保障局"


def _links_by_path(fixture: str, group: str) -> dict[str, list[tuple[str, str]]]:
    """(unit as printed, role) of each provision of the fixture's document in ``group``, by path."""
    rows = build_tables(read_source(SOURCES[fixture][0]))[0]
    doc = next(d["doc_id"] for d in rows["documents"] if d["group_name"] == group)
    links: dict[str, list[tuple[str, str]]] = {}
    for ma in rows["measure_agencies"]:
        if ma["measure_id"].startswith(doc + "/"):
            links.setdefault(ma["measure_id"].split("/", 1)[1], []).append((ma["name_raw"], ma["role"]))
    return links


def test_a_headings_own_note_goes_to_the_measures_of_its_section() -> None:
    """tests/fixtures/provincial11 (寿光, pp. 12-13): 一、提升政务服务便利度（牵头单位：市行政审批服务局）
    names the lead of 1、–3、, each of which adds its own 配合单位; the heading itself carries no link."""
    links = _links_by_path("provincial11", "山东")
    assert "1" not in links and "2" not in links
    assert links["1.1"] == [("市行政审批服务局", "lead"), ("市司法局", "cooperating"), ("各镇（街道）", "cooperating")]
    assert links["1.3"] == [("市行政审批服务局", "lead")]
    assert links["3.6"] == [("市自然资源和规划局", "lead"), ("市住房和城乡建设局", "cooperating")]


def test_a_note_after_a_measures_last_item_is_the_measures() -> None:
    """tests/fixtures/provincial20 (北京 若干措施, p. 4): 5．降低企业融资成本。 / （1）… （2）… （3）… /
    责任单位：市地方金融监管局、… on a line of its own names who carries out all of 5．, not (3) alone;
    where every item has a note of its own (provincial2 成都 9. and 10.), each keeps its own."""
    links = _links_by_path("provincial20", "北京")
    assert links["2.5"] == [("市地方金融监管局", "responsible"), ("人民银行营业管理部", "responsible"),
                            ("北京银保监局", "responsible")]
    assert "2.5.3" not in links
    links = _links_by_path("provincial2", "四川")
    assert links["3.5.10"][0] == ("市司法局", "lead") and "3.5" not in links


def test_units_found_on_an_item_count_for_the_provision_the_gold_lists() -> None:
    """tests/fixtures/provincial20 (包头 办法 第五条 （一）–（三）): the gold gives the units to the article,
    the dataset to the items that name them; they are scored for the article, unless the gold lists
    the item itself."""
    import copy

    rows = build_tables(read_source(SOURCES["provincial20"][0]))[0]
    gold = json.loads(SOURCES["provincial20"][1].read_text(encoding="utf-8"))
    doc = next(d["doc_id"] for d in rows["documents"] if d["group_name"] == "内蒙古")
    on_items = {ma["measure_id"].rsplit("/", 1)[1] for ma in rows["measure_agencies"]
                if ma["measure_id"].startswith(doc + "/") and ma["name_raw"] == "市委组织部"}
    assert "2.5.1" in on_items and "2.5" not in on_items
    [found] = [d for d in score(rows, gold).docs if d.key == "内蒙古:1"]
    assert found.links_missed == [] and found.links_wrong == []
    listed = copy.deepcopy(gold)
    listed["docs"]["内蒙古:1"]["provision_labels"].append("第五条（一）")
    [found] = [d for d in score(rows, listed).docs if d.key == "内蒙古:1"]
    assert "第五条 市委组织部 responsible" in found.links_missed


def test_a_remark_naming_the_lead_makes_the_others_cooperate() -> None:
    """tests/fixtures/provincial23 (晋中 分工表): 备注 牵头单位为X makes X lead and the row's other units
    cooperate; a lead the unit cell does not list is added (row 5)."""
    links = _links_by_path("provincial23", "山西")
    assert links["t1/3"] == [("市自然资源局", "cooperating"), ("市住房和城乡建设局", "lead"),
                             ("市行政审批服务管理局", "cooperating")]
    assert links["t1/5"] == [("市直有关部门", "cooperating"), ("各县（区、市）人民政府", "cooperating"),
                             ("市发展改革委", "lead")]
    assert links["t1/2"] == [("市行政审批服务管理局", "responsible"), ("市市场监管局", "responsible")]


def test_a_forwarded_notice_takes_effect_on_its_own_date_and_two_level_rows_keep_their_numbers() -> None:
    """tests/fixtures/provincial24: 焦作 forwards a 河南省人民政府办公厅 notice (signed 2023-05-18) on
    2023-06-02; the forwarded 本通知自印发之日起施行 names the day the forwarded text was signed. 惠州's
    rows 1.1–3.2 under 一、–三、 have the paths t1/1.1 … t1/3.2."""
    rows = build_tables(read_source(SOURCES["provincial24"][0]))[0]
    doc = next(d for d in rows["documents"] if d["group_name"] == "河南")
    assert (doc["issued_on"], doc["effective_on"]) == (dt.date(2023, 6, 2), dt.date(2023, 5, 18))
    doc = next(d for d in rows["documents"] if d["group_name"] == "广东")
    assert [m["path"] for m in rows["measures"] if m["doc_id"] == doc["doc_id"] and m["kind"] == "table_row"] == [
        "t1/1.1", "t1/1.2", "t1/1.3", "t1/2.1", "t1/2.2", "t1/3.1", "t1/3.2"]


def test_a_group_heading_that_names_units_gives_them_to_its_rows() -> None:
    """tests/fixtures/provincial14 (湖北 清单, pp. 14-15): 三、省自然资源厅、省住房城乡建设厅（2项） names
    the leads of rows 6 and 7, which add their own 配合单位."""
    links = _links_by_path("provincial14", "湖北")
    assert links["t1/3.6"] == [("省自然资源厅", "lead"), ("省住房城乡建设厅", "lead"), ("省生态环境厅", "cooperating")]
    assert links["t1/2.5"] == [("省市场监管局", "lead")]


def test_a_tag_on_a_row_may_come_from_its_group_heading() -> None:
    rows = build_tables(read_source(SOURCES["provincial"][0]))[0]
    evidence = [t["evidence"] for t in rows["measure_tags"] if t["measure_id"].startswith("2023-01-01-001/t1/2.")]
    assert any(e.startswith("group heading 二、获得电力: ") for e in evidence)


# -- the national documents -----------------------------------------------------------------

# The first words of each closing paragraph that 1.x left inside the last numbered provision.
CLOSINGS = {
    "2023-01-00-001": "各有关部门和地方要以习近平新时代中国特色社会主义思想为指导",
    "2023-01-00-003": "各有关方面要进一步完善降成本工作协调推进机制",
    "2023-01-00-009": "请各地知识产权、工业和信息化主管部门尽快按照通知要求启动试点",
    "2023-01-00-016": "各有关部门、各地方要按照党中央、国务院决策部署",
    "2023-01-00-017": "请各有关地方公共资源交易平台整合工作牵头部门和有关企业",
    "2023-01-00-019": "各地要充分认识完善招标投标交易担保制度",
}


@pytest.mark.parametrize("doc_id", sorted(CLOSINGS))
def test_no_closing_paragraph_sits_inside_a_numbered_provision(national, doc_id: str) -> None:
    holder = [m for m in national["measures"] if m["doc_id"] == doc_id and m["text"].startswith(CLOSINGS[doc_id])]
    assert [(m["kind"], m["label"]) for m in holder] == [("paragraph", None)]
    numbered = [m for m in national["measures"] if m["doc_id"] == doc_id and m["label"]]
    assert not any(CLOSINGS[doc_id] in m["text"] for m in numbered)


def test_attachment_lists_are_apparatus_not_provisions(national) -> None:
    by_text = {m["measure_id"]: m for m in national["measures"]}
    for doc_id, item in [("2023-01-00-004", "2.市场监管行业标准制修订项目建议书"),
                         ("2023-01-00-017", "2.各参与互认平台网络共享数字证书实际应用情况统计表（略）")]:
        holders = [m for m in by_text.values() if m["doc_id"] == doc_id and item in m["text"]]
        assert [m["kind"] for m in holders] == ["attachment"], doc_id
    for doc_id, line in [("2023-01-00-013", "附件：绿色数据中心政府采购需求标准（试行）（略）")]:
        holders = [m for m in by_text.values() if m["doc_id"] == doc_id and line in m["text"]]
        assert [(m["kind"], m["text"]) for m in holders] == [("attachment", line)]
    assert not [m for m in national["measures"] if m["label"] and re.match(r"\d+\.市场监管行业标准", m["text"])]


def test_a_label_after_a_sentence_end_mid_line_starts_a_provision(national) -> None:
    ms = {m["measure_id"]: m for m in national["measures"] if m["doc_id"] == "2023-01-00-004"}
    assert ms["2023-01-00-004/2/5.30.9"]["text"] == "（九）经审查委员会研究确定的其他审查依据。"
    assert ms["2023-01-00-004/2/5.31"]["text"].startswith("第三十一条技术审查的原则")


def test_a_chapter_heading_is_not_fused_with_the_article_after_it(national) -> None:
    chapter = next(m for m in national["measures"] if m["measure_id"] == "2023-01-00-004/2/5")
    assert (chapter["kind"], chapter["text"]) == ("heading", "第五章技术审查")


@pytest.mark.parametrize("printed", ["离校2年内未就业", "有效期放宽至2年", "2022年底到期"])
def test_dates_that_are_not_commitments_are_not_deadlines(national, printed: str) -> None:
    texts = {d["doc_id"]: d["text"] for d in national["documents"] if d["has_text"]}
    hits = [(doc_id, m.start()) for doc_id, text in texts.items() for m in re.finditer(printed, text)]
    assert hits, printed  # the words are in the source
    for doc_id, at in hits:
        assert not [d for d in national["deadlines"] if d["doc_id"] == doc_id
                    and d["char_start"] < at + len(printed) and at < d["char_end"]], printed


@pytest.mark.parametrize("fixture", ["practice", "provincial21", "provincial23"])
def test_a_compilation_builds_the_same_from_a_pdf(tmp_path: Path, fixture: str) -> None:
    """The practice compilation, and two fixtures whose tables print several cells on a line
    (the spaces between them come back from pypdf as they were written)."""
    from sourcefiles import write_pdf

    source = read_source(SOURCES[fixture][0])
    from_text = build_tables(source)[0]
    from_pdf = build_tables(read_source(write_pdf(tmp_path / f"{fixture}.pdf", source.pages)))[0]
    for table in ("documents", "measures", "measure_cells", "measure_agencies", "deadlines", "agencies"):
        assert from_pdf[table] == from_text[table], table
