"""Tests for the tag codebook (build/data/tag_rules.json) and the tagger."""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydata_build import tags
from policydata_build.repair import without
from policydata_build.tags import DEFAULT_CODEBOOK_PATH, TagDef, load_codebook, tag_text, tool_family

SOURCE = Path(__file__).resolve().parents[1] / "build" / "source" / "compilation-2023.txt"

# Written out here rather than imported, so a wrong constant in the module fails.
BEI_NAMES = {
    "开办企业", "办理建筑许可", "获得电力", "获得用水用气", "登记财产", "纳税", "跨境贸易",
    "办理破产", "获得信贷", "执行合同", "劳动力市场监管", "政府采购", "招标投标", "政务服务",
    "知识产权创造保护和运用", "市场监管", "包容普惠创新", "保护中小投资者",
}
BREADY_NAMES = {
    "Business Entry", "Business Location", "Utility Services", "Labor", "Financial Services",
    "International Trade", "Taxation", "Dispute Resolution", "Market Competition",
    "Business Insolvency",
}
# The policy-instrument scheme: tag -> family (Rothwell & Zegveld's supply,
# environment and demand sides).
TOOL_FAMILY = {
    "tool:funding": "Supply", "tool:talent": "Supply", "tool:infrastructure": "Supply",
    "tool:technology_information": "Supply", "tool:public_services": "Supply",
    "tool:planning": "Environment", "tool:regulation": "Environment", "tool:supervision": "Environment",
    "tool:financial_support": "Environment", "tool:tax_fee_relief": "Environment",
    "tool:organisation": "Environment", "tool:evaluation": "Environment", "tool:publicity": "Environment",
    "tool:procurement": "Demand", "tool:pilots": "Demand", "tool:market_promotion": "Demand",
}
TOPIC_SCHEMES = ("bei", "bready")
WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@pytest.fixture(scope="module")
def codebook() -> list[TagDef]:
    return load_codebook()


# --- the bundled codebook -------------------------------------------------


def test_bundled_codebook_has_the_official_labels(codebook: list[TagDef]) -> None:
    bei = [t for t in codebook if t.scheme == "bei"]
    bready = [t for t in codebook if t.scheme == "bready"]
    assert len(bei) == 18 and {t.label_zh for t in bei} == BEI_NAMES
    assert len(bready) == 10 and {t.label_en for t in bready} == BREADY_NAMES
    assert {t.scheme for t in codebook} == {"bei", "bready", "tool"}


def test_bundled_codebook_has_the_tool_scheme(codebook: list[TagDef]) -> None:
    tool = [t for t in codebook if t.scheme == "tool"]
    assert {t.tag_id: tool_family(t) for t in tool} == TOOL_FAMILY
    assert len({t.label_zh for t in tool}) == len({t.label_en for t in tool}) == len(tool) == 16
    labels = {t.tag_id: (t.label_zh, t.label_en) for t in tool}
    assert labels["tool:funding"] == ("资金投入", "Funding")
    assert labels["tool:procurement"] == ("政府采购", "Public procurement")
    scheme = json.loads(DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8"))["schemes"]["tool"]
    assert "Rothwell & Zegveld (1985" in scheme["description"]
    assert all(f"{side}-side" in scheme["description"] for side in ("supply", "environment", "demand"))


def test_bundled_codebook_tags_are_complete(codebook: list[TagDef]) -> None:
    for tag in codebook:
        assert re.fullmatch(rf"{tag.scheme}:[a-z][a-z0-9_]*", tag.tag_id), tag.tag_id
        assert tag.label_zh and tag.label_en and tag.description, tag.tag_id
        assert len(tag.phrases) >= 5, tag.tag_id
        assert all(len(p) >= 2 for p in tag.phrases + tag.exclude), tag.tag_id
    assert len({t.tag_id for t in codebook}) == len(codebook)


def test_default_path_is_the_shipped_data_file() -> None:
    assert DEFAULT_CODEBOOK_PATH == SOURCE.parents[1] / "data" / "tag_rules.json"
    assert load_codebook(DEFAULT_CODEBOOK_PATH) == load_codebook()


# --- validation -------------------------------------------------------------


def _raw() -> dict[str, Any]:
    return json.loads(DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8"))


def _tag(raw: dict[str, Any], tag_id: str) -> dict[str, Any]:
    return next(t for t in raw["tags"] if t["tag_id"] == tag_id)


Mutation = Callable[[dict[str, Any]], None]


def _set(tag_id: str, key: str, value: Any) -> Mutation:
    def mutate(raw: dict[str, Any]) -> None:
        _tag(raw, tag_id)[key] = value
    return mutate


def _del(tag_id: str, key: str) -> Mutation:
    def mutate(raw: dict[str, Any]) -> None:
        del _tag(raw, tag_id)[key]
    return mutate


def _duplicate_tag(raw: dict[str, Any]) -> None:
    raw["tags"].append(copy.deepcopy(_tag(raw, "bei:taxes")))


def _drop_tag(raw: dict[str, Any]) -> None:
    raw["tags"] = [t for t in raw["tags"] if t["tag_id"] != "bei:insolvency"]


def _unknown_top_key(raw: dict[str, Any]) -> None:
    raw["comment"] = "x"


def _second_tag_same_label(raw: dict[str, Any]) -> None:
    extra = copy.deepcopy(_tag(raw, "bei:taxes"))
    extra["tag_id"] = "bei:taxes_again"
    raw["tags"].append(extra)


def _drop_demand_tools(raw: dict[str, Any]) -> None:
    raw["tags"] = [t for t in raw["tags"] if not t["description"].startswith("Demand:")]


def _drop_all_tools(raw: dict[str, Any]) -> None:
    raw["tags"] = [t for t in raw["tags"] if t["scheme"] != "tool"]


INVALID: list[tuple[Mutation, str]] = [
    (_unknown_top_key, r"unknown key\(s\) \['comment'\]"),
    (_set("bei:taxes", "colour", "red"), r"tag 'bei:taxes': unknown key\(s\) \['colour'\]"),
    (_del("bei:taxes", "description"), r"tag 'bei:taxes': missing key\(s\) \['description'\]"),
    (_duplicate_tag, r"tag 'bei:taxes': duplicate tag_id"),
    (_set("bei:taxes", "phrases", ["纳税", "税费", "纳税"]), r"tag 'bei:taxes': duplicate entry '纳税' in phrases"),
    (_set("bei:taxes", "phrases", ["纳税", ""]), r"tag 'bei:taxes': empty or non-string entry '' in phrases"),
    (_set("bei:taxes", "phrases", []), r"tag 'bei:taxes': phrases is empty"),
    (_set("bei:taxes", "phrases", ["纳税", "税"]), r"tag 'bei:taxes': phrases entry '税' is shorter"),
    (_set("bei:taxes", "phrases", ["纳税", "退 税"]), r"tag 'bei:taxes': phrases entry '退 税' contains whitespace"),
    (_set("bei:taxes", "phrases", "纳税"), r"tag 'bei:taxes': phrases must be a list"),
    (_set("bei:taxes", "label_zh", "缴纳税款"), r"tag 'bei:taxes': label_zh '缴纳税款' is not an official bei name"),
    (_second_tag_same_label, r"tag 'bei:taxes_again': label_zh '纳税' already used by tag 'bei:taxes'"),
    (_drop_tag, r"scheme 'bei': no tag for official name\(s\) \['办理破产'\]"),
    (_set("bready:taxation", "label_en", "Paying Taxes"), r"tag 'bready:taxation': label_en 'Paying Taxes' is not an official bready name"),
    (_set("bei:taxes", "scheme", "oecd"), r"tag 'bei:taxes': scheme 'oecd' is not declared"),
    (_set("bei:taxes", "tag_id", "bei:Taxes"), r"tag 'bei:Taxes': tag_id must be 'bei:<snake_case_name>'"),
    (_set("bei:taxes", "tag_id", "bready:taxes"), r"tag 'bready:taxes': tag_id must be 'bei:<snake_case_name>'"),
    (_set("bei:taxes", "exclude", ["海关总署"]), r"tag 'bei:taxes': exclude phrase '海关总署' contains no phrase"),
    (_set("bei:taxes", "exclude", ["纳税"]), r"tag 'bei:taxes': exclude phrase '纳税' is also a phrase"),
    (_set("bei:taxes", "description", " "), r"tag 'bei:taxes': description must be a non-empty string"),
    (_set("tool:funding", "description", "Funding: subsidies"),
     r"tag 'tool:funding': description must open with its family, one of \['Supply:', 'Environment:', 'Demand:'\], found 'Funding: subsidies'"),
    (_set("tool:funding", "description", "Supply side, subsidies"), r"tag 'tool:funding': description must open with its family"),
    (_set("tool:funding", "description", "supply: subsidies"), r"tag 'tool:funding': description must open with its family"),
    (_set("tool:funding", "label_zh", "人才培养"), r"tag 'tool:talent': label_zh '人才培养' already used by tag 'tool:funding'"),
    (_set("tool:pilots", "label_en", "Public procurement"),
     r"tag 'tool:pilots': label_en 'Public procurement' already used by tag 'tool:procurement'"),
    (_drop_demand_tools, r"scheme 'tool': no tag for family\(ies\) \['Demand'\]"),
    (_drop_all_tools, r"scheme 'tool': declared but has no tags"),
    (_set("tool:regulation", "tag_id", "tool:Regulation"), r"tag 'tool:Regulation': tag_id must be 'tool:<snake_case_name>'"),
]


@pytest.mark.parametrize("mutate, message", INVALID)
def test_broken_codebook_is_rejected(tmp_path: Path, mutate: Mutation, message: str) -> None:
    raw = _raw()
    mutate(raw)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_codebook(path)


def test_unmodified_copy_is_accepted(tmp_path: Path) -> None:
    # Guards the test above: the mutations, not the copying, cause the errors.
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(_raw(), ensure_ascii=False), encoding="utf-8")
    assert load_codebook(path) == load_codebook()


def test_duplicate_json_key_is_rejected(tmp_path: Path) -> None:
    text = DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8").replace(
        '"version": "1",', '"version": "1", "version": "2",', 1
    )
    path = tmp_path / "rules.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"duplicate JSON key\(s\) \['version'\]"):
        load_codebook(path)


def test_invalid_json_is_rejected_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"version": ', encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules\.json: not valid JSON"):
        load_codebook(path)


def test_exclude_key_is_optional(tmp_path: Path) -> None:
    raw = _raw()
    assert "exclude" not in _tag(raw, "bei:start_business")
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert next(t for t in load_codebook(path) if t.tag_id == "bei:start_business").exclude == ()


# --- real text -----------------------------------------------------------
# Cut verbatim from the body pages of compilation-2023.txt, line breaks kept.

FIXTURES = [
    (  # p. 101, bid bonds
        "二、全面推广保函（保险）。鼓励招标人接受担保机构的保函、保险机构的保单等其他\n"
        "非现金交易担保方式缴纳投标保证金、履约保证金、工程质量保证金。",
        # 工程质量保证金 is a deposit in a contract, not construction quality (issue 9).
        {"bei:bidding": "招标", "bready:financial_services": "保险机构", "bready:market_competition": "招标"},
    ),
    (  # p. 24, customs clearance
        "8.在符合我国相关法律法规和有关规定且完成必要检疫程序的前提下，\n试点地区海关对\n"
        "已抵达并提交通关所需全部信息的货物，尽可能在48 小时内放行。",
        {"bei:cross_border_trade": "海关", "bready:international_trade": "海关"},
    ),
    (  # p. 33, tax relief
        "（一）完善税费优惠政策。2023 年底前，对月销售额10 万元以下的小规模纳税人免征\n"
        "增值税，对小规模纳税人适用3%征收率的应税销售收入减按1%征收增值税，对生产、生活\n"
        "性服务业纳税人分别实施5%、\n10%增值税加计抵减。",
        {"bei:taxes": "税费", "bready:taxation": "税费"},
    ),
    (  # p. 74, unemployment insurance: social insurance is not a financial service
        "（五）\n继续实施失业保险稳岗返还政策。\n参保企业上年度未裁员或裁员率不高于上年度\n"
        "全国城镇调查失业率控制目标，30 人（含）以下的参保企业裁员率不高于参保职工总数20%\n"
        "的，\n可申请失业保险稳岗返还。",
        {"bei:labor_market": "失业保险", "bready:labor": "失业保险"},
    ),
    (  # p. 26, government procurement
        "22.试点地区的采购人如采用单一来源方式进行政府采购，在公告成交结果时应说明采\n用该方式的理由。",
        {"bei:government_procurement": "采购人", "bready:market_competition": "采购人"},
    ),
    (  # p. 82, patent disputes
        "5. 持续加大专利侵权纠纷行政裁决办案力度。\n畅通行政裁决受理渠道，\n简化受理程序，\n"
        "对于符合条件的案件推行适用简易程序。",
        {"bei:intellectual_property": "专利", "bready:dispute_resolution": "行政裁决",
         "bready:market_competition": "专利"},
    ),
    (  # p. 98, joint inspections
        "（九）\n开展市场主体跨部门联合抽查检查。\n高效统筹监管执法资源，大力精简整合检查\n"
        "事项，\n积极推行联合抽查检查，持续提升协同监管能力。",
        {"bei:market_supervision": "抽查"},
    ),
    (  # p. 34, SME loans: 融资 inside 金融资源 is not evidence of credit
        "（六）引导金融资源精准滴灌。用好用足普惠小微贷款支持工具，继续增加小微企业的\n"
        "首贷、续贷、信用贷。",
        # 金融资源 holds 融资 by accident; 贷款 is the evidence.
        {"bei:credit": "贷款", "bready:financial_services": "贷款"},
    ),
    (  # p. 88, utility connections
        "（九）优化市政公用服务。大力推进水电气热信联合报装接入，实行“一站式”集中服\n"
        "务、主动服务，进一步优化报装接入服务流程，精简申报材料，公开服务标准和服务费用，\n"
        "加强服务监督，\n提高服务效率。",
        {"bei:electricity": "水电气", "bei:government_services": "一站式",
         "bei:water_gas": "水电气", "bready:utility_services": "市政公用"},
    ),
    (  # p. 89, 提供电子证照 is not electricity supply (供电)
        "推动实现政府部门核发的材料一律免于提交，\n能够提供电子证照的\n一律免于提交实体证照。",
        {"bei:government_services": "免于提交"},
    ),
    (  # p. 79, trade facilitation
        "（十七）提升贸易便利化水平。深入推进“单一窗口”建设，扩大“联动接卸”、“船\n"
        "边直提”等措施应用范围，提高货物流转效率。稳步实施多元化税收担保，助力企业减负增\n"
        "效。",
        {"bei:cross_border_trade": "贸易", "bei:taxes": "税收",
         "bready:international_trade": "贸易便利化", "bready:taxation": "税收"},
    ),
    (  # p. 54, 协调解决 is not mediation (调解)
        "进一步完善医保基金使\n用监管机制和执法体制，\n组织督促所属相关部门和下级人民政府认真履行监管职责，\n"
        "加强监\n管能力建设，积极推进跨部门综合监管，及时协调解决监管工作中的重大问题，",
        {"bei:market_supervision": "监管机制"},
    ),
    # Provisions the first codebook missed; the comment names the measure.
    (  # p. 23, 2023-01-00-001/p8: trade rules and opening-up; 自由贸易港 is no trade evidence
        "在有条件的自由贸易试验区和自由贸易港聚焦若干重点领域试点对接国际高标\n"
        "准经贸规则，统筹开放和安全，构建与高水平制度型开放相衔接的制度体系和监管模式，",
        {"bei:inclusive_innovation": "制度型开放", "bready:international_trade": "经贸规则"},
    ),
    (  # p. 24, 2023-01-00-001/1.10: conformity-assessment bodies
        "10.在试点地区，有关部门批准或以其他方式承认境外合格评定机构资质，应适用对境\n"
        "内合格评定机构相同或等效的程序、\n标准和其他条件；\n不得将境外合格评定机构在境内取得\n"
        "法人资格或设立代表机构作为承认其出具的认证结果或认证相关检查、检测结果的条件。",
        {"bei:market_supervision": "合格评定"},
    ),
    (  # p. 25, 2023-01-00-001/2.16: mobility of foreign professionals
        "16.鼓励境外专业人员依法为试点地区内的企业和居民提供专业服务，支持试点地区建\n"
        "立健全境外专业人员能力评价评估工作程序。",
        {"bei:inclusive_innovation": "境外专业人员"},
    ),
    (  # p. 26, 2023-01-00-001/5.26: environmental performance
        "26.支持试点地区内企业、\n商业组织、\n非政府组织等建立提高环境绩效的自愿性机制\n（包\n"
        "括自愿审计和报告、\n实施基于市场的激励措施、\n自愿分享信息和专门知识、\n开展政府和社会\n"
        "资本合作等），鼓励其参与制修订自愿性机制环境绩效评估标准。",
        {"bei:inclusive_innovation": "环境绩效"},
    ),
    (  # p. 30, 2023-01-00-002/3: student financial aid is a basic public education service
        "三、大力提高家庭经济困难学生应助尽助水平",
        {"bei:inclusive_innovation": "家庭经济困难学生"},
    ),
    (  # p. 31, 2023-01-00-002/3.8
        "8．提升学生资助精准化水平。依托政务数据共享交换平台，加强教育与民政、农业农\n"
        "村、残联等部门间数据共享交换，\n完善家庭经济困难学生认定依据和工作程序，\n提高家庭经\n"
        "济困难学生认定精准度和异地申请的便利性",
        {"bei:government_services": "政务数据", "bei:inclusive_innovation": "学生资助"},
    ),
    (  # p. 34, 2023-01-00-003/5: labour costs
        "五、缓解企业人工成本压力",
        {"bei:labor_market": "人工成本", "bready:labor": "人工成本"},
    ),
    (  # p. 35, 2023-01-00-003/6: land for firms
        "六、降低企业用地原材料成本",
        {"bready:business_location": "企业用地"},
    ),
    (  # p. 35, 2023-01-00-003/7.17: logistics hubs, part of the transport network
        "（十七）完善现代物流体系。加强国家物流枢纽、国家骨干冷链物流基地布局建设，提\n"
        "高现代物流规模化、网络化、组织化、集约化发展水平。",
        {"bei:inclusive_innovation": "物流枢纽"},
    ),
    (  # p. 35, 2023-01-00-003/7.18: freight hubs and multimodal transport
        "（十八）调整优化运输结构。深入实施国家综合货运枢纽补链强链，推动跨运输方式一\n"
        "体化融合。深入实施多式联运示范工程建设，加快研究推进多式联运“一单制”。提升铁水\n"
        "联运发展水平，推动2023 年港口集装箱铁水联运量同比增长15%左右。",
        {"bei:inclusive_innovation": "货运枢纽"},
    ),
    (  # p. 92, 2023-01-00-016/2.9: innovation between large and small firms
        "（九）促进大中小企业融通创新。深入实施大中小企业融通创新“携手行动”，围绕重\n"
        "点产业链举办“百场万企”大中小企业融通创新对接活动，引导大企业向中小企业开放创新\n"
        "资源和应用场景。",
        {"bei:inclusive_innovation": "融通创新"},
    ),
    (  # p. 71, 2023-01-00-010/3.7: credit information for lending is credit, not market supervision
        "加强对小微企业信用信息的挖掘运用，\n增加信用贷款投放，\n降低对担保等第二还款来源的依\n"
        "赖。合理满足单户授信总额1000 万元以上的小微企业信贷需求，",
        {"bei:credit": "信用贷", "bready:financial_services": "信用贷"},
    ),
    (  # p. 81, 2023-01-00-014/p5: a reporting instruction to an agency department
        "各省级知识产权局的实施方案、半年和全年工作总结请分别于2023 年3 月15 日、7 月1 日\n"
        "和12 月1 日前报送国家知识产权局知识产权保护司，电子件同时发送至联系邮箱。",
        {},
    ),
]

# Addressee lists and signatures name agencies; an agency name is no evidence
# for any scheme. Cut verbatim like FIXTURES.
FRAME_LINES = [
    # p. 32, 2023-01-00-003/p2
    "公安部、民政部、司法部、人力资源社会保障部、自然资源部、生态环境部、住房城乡建设\n"
    "部、交通运输部、水利部、农业农村部、商务部、国资委、海关总署、税务总局、市场监管\n"
    "总局、金融监管总局、证监会、统计局、知识产权局、能源局、林草局、民航局、外汇局，\n"
    "中国国家铁路集团有限公司，各省、自治区、直辖市及计划单列市、副省级省会城市、新疆\n"
    "生产建设兵团发展改革委、工信厅（经信委、经信厅、经信局、工信局）、财政厅（局），\n"
    "人民银行上海总部、各分行、营业管理部、各省会（首府）城市中心支行、各副省级城市中\n"
    "心支行：",
    "国家发展改革委\n工业和信息化部\n财政部\n人民银行\n2023 年5 月31 日",  # p. 36, signature closing 2023-01-00-003/9.22
    "各省、自治区、直辖市和新疆生产建设兵团知识产权局：",  # p. 81, 2023-01-00-014/p2
]


def test_fixtures_are_verbatim_source_text() -> None:
    source = SOURCE.read_text(encoding="utf-8")
    for text, _ in FIXTURES + [(line, {}) for line in FRAME_LINES]:
        assert text in source, text[:30]


def _evidence(text: str, codebook: list[TagDef], schemes: tuple[str, ...]) -> dict[str, str]:
    hits = tag_text(text, codebook)
    for h in hits:
        assert text[h.char_start:h.char_end] == h.evidence
    return {h.tag_id: h.evidence for h in hits if h.tag_id.split(":")[0] in schemes}


@pytest.mark.parametrize("text, expected", FIXTURES, ids=[f"fixture{i}" for i in range(len(FIXTURES))])
def test_real_sentences(codebook: list[TagDef], text: str, expected: dict[str, str]) -> None:
    assert _evidence(text, codebook, TOPIC_SCHEMES) == expected


@pytest.mark.parametrize("text", FRAME_LINES)
def test_frame_lines_get_no_tag(codebook: list[TagDef], text: str) -> None:
    assert tag_text(text, codebook) == []


# Measures of dataset 1.1.0, text copied verbatim from the measures table (which
# joins the lines of a provision and drops page furniture), with every tool
# tag expected and its evidence.
TOOL_FIXTURES = [
    ("2023-01-00-003/5.13",  # a rebate of premiums is money paid out, not a tax cut
     "（十三）延续实施部分稳岗政策。对不裁员、少裁员的企业，继续实施普惠性失业保险稳岗返还政策。",
     # A refund of unemployment-insurance contributions relieves a fee; it is no grant.
     {"tool:tax_fee_relief": "稳岗返还"}),
    ("2023-01-00-012/3.7",
     "（七）用足用好中央财政资金政策。开展第二批外经贸提质增效示范工作。\n研究设立服务贸易创新发展引导基金二期。",
     {"tool:funding": "中央财政", "tool:pilots": "示范"}),
    ("2023-01-00-003/7.17",
     "（十七）完善现代物流体系。加强国家物流枢纽、国家骨干冷链物流基地布局建设，提高现代物流规模化、网络化、组织化、集约化发展水平。",
     {"tool:infrastructure": "物流枢纽"}),
    ("2023-01-00-003/5.14",  # 按标准申请 (apply at the set rate) is no standard-setting
     "（十四）加强职业技能培训。开展大规模职业技能培训，共建共享一批公共实训基地。\n继续实施技能提升补贴政策，参加失业保险1年以上的企业职工"
     "或领取失业保险金人员取得职业资格证书或职业技能等级证书的，可按标准申请技能提升补贴。",
     {"tool:funding": "补贴", "tool:infrastructure": "实训基地", "tool:talent": "职业技能"}),
    ("2023-01-00-012/4.14",
     "（十四）发展绿色贸易。\n指导商协会等行业组织制订外贸产品绿色低碳标准，支持相关产品进一步开拓国际市场。\n组织开展重点行业企业培训，"
     "增强企业绿色低碳发展意识和能力。",
     {"tool:market_promotion": "开拓", "tool:regulation": "标准", "tool:talent": "培训"}),
    ("2023-01-00-013/5",  # a buyer suing a supplier for breach (违约责任) is no accountability of officials
     "五、对于供应商未按合同约定提供设备或服务的，采购人应当依法追究其违约责任。\n对于供应商提供虚假材料谋取中标、成交的，依法予以处理。",
     {"tool:procurement": "采购人", "tool:regulation": "违约责任"}),
    ("2023-01-00-010/6",
     "六、加强规范管理，搭建服务平台",
     {"tool:regulation": "规范", "tool:technology_information": "服务平台"}),
    ("2023-01-00-007/4.13",
     "（十三）\n利用新技术成果提高智慧监管能力。\n加强信用数据共享，积极探索运用大数据、区块链、物联网、人工智能等手段精准预警信用风险隐患，"
     "推进智慧监管，提升监管综合效能，更好服务住房和城乡建设事业高质量发展。",
     {"tool:supervision": "监管", "tool:technology_information": "智慧"}),
    ("2023-01-00-005/3.5",
     "（五）推进社会监督常态化。\n进一步完善举报投诉机制，依托全国医保基金举报投诉管理系统，畅通投诉渠道，规范处置流程，严格核查处理。"
     "落实举报奖励制度，调动全民参与医保基金使用监督的积极性。\n持续开展典型案例曝光，强化警示震慑。\n"
     "探索开展定点医药机构医保基金使用情况向社会公示制度，鼓励社会监督。",
     {"tool:publicity": "典型案例", "tool:regulation": "规范", "tool:supervision": "监督"}),
    ("2023-01-00-014/p4",
     "各地落实《工作方案》情况和工作成效将纳入2023年知识产权行政保护绩效考核范围。",
     # 《工作方案》 names a document; the provision's instrument is the assessment.
     {"tool:evaluation": "工作成效"}),
    ("2023-01-00-003/2.2",
     "（二）加强重点领域支持。落实税收、首台（套）保险补偿等支持政策，促进传统产业改造升级和战略性新兴产业发展。\n对科技创新、重点产业链等领域，"
     "出台针对性的减税降费政策，将符合条件行业企业研发费用税前加计扣除比例由75%提高至100%的政策作为制度性安排长期实施。",
     {"tool:funding": "保险补偿", "tool:tax_fee_relief": "减税", "tool:technology_information": "科技创新"}),
    ("2023-01-00-001/1.5",
     "5.试点地区海关不得仅因原产地证书存在印刷错误、打字错误、非关键性信息遗漏等微小差错或文件之间的细微差异而拒绝给予货物优惠关税待遇。",
     {"tool:pilots": "试点", "tool:regulation": "不得", "tool:tax_fee_relief": "优惠关税"}),
    ("2023-01-00-006/3.3",
     "（三）营造良好社会氛围。各地区各有关部门要主动做好基本养老服务政策宣传解读，及时公开基本养老服务信息。\n要凝聚社会共识，"
     "充分调动各方支持配合基本养老服务体系建设的积极性和主动性。\n附件：国家基本养老服务清单",
     {"tool:public_services": "养老服务", "tool:publicity": "社会氛围"}),
    ("2023-01-00-004/2.13",  # 市场监管 names the field of the standards, not supervision
     "第十三条市场监管行业标准化专业技术委员会主要职责是：",
     # 标准化 is standard-setting work, not a rule imposed.
     {"tool:organisation": "主要职责"}),
    ("2023-01-00-003/3.8",
     "（八）支持中小微企业降低汇率避险成本。强化政银企协作，加大中小微企业汇率风险管理支持力度。推动银行优化外汇衍生品管理和服务，"
     "通过专项授信、数据增信、线上服务和产品创新等方式，降低企业避险保值成本。",
     {"tool:financial_support": "授信"}),
    ("2023-01-00-001/1.2",  # 独立法人 is no evidence of 立法 (legislation)
     "2.对暂时出境修理后复运进入试点地区的航空器、船舶（含相关零部件），无论其是否增值，免征关税。上述航空器指以试点地区为主营运基地的"
     "航空企业所运营的航空器，船舶指在试点地区注册登记并具有独立法人资格的船运公司所运营的以试点地区内港口为船籍港的船舶。"
     "（适用范围：海南自由贸易港）",
     {"tool:pilots": "试点", "tool:tax_fee_relief": "免征"}),
    # 工业和信息化部 is a ministry, not digitalisation; 政府采购 and 标准 stand only
    # in the title of the standard the notice announces.
    ("2023-01-00-013/p4",
     "为加快数据中心绿色转型，财政部、生态环境部、工业和信息化部制定了《绿色数据中心政府采购需求标准（试行）》（以下简称《需求标准》），"
     "现就有关事项通知如下：",
     {}),
    ("2023-01-00-014/p5",  # a reporting instruction, but it asks for implementation plans
     "各省级知识产权局的实施方案、半年和全年工作总结请分别于2023年3月15日、7月1日和12月1日前报送国家知识产权局知识产权保护司，"
     "电子件同时发送至联系邮箱。",
     {"tool:planning": "实施方案"}),
    ("2023-01-00-007/3.10",  # 行业协会商会 holds 会商 (consultation) across two words
     "（十）支持行业协会商会完善行业信用自律机制。\n引导行业协会商会完善行业内部信用信息采集、共享机制，将严重失信行为记入会员信用记录。"
     "鼓励行业协会商会依法依规开展会员企业信用等级评价，督促会员企业守信合法经营、营造公平诚信市场环境。",
     {"tool:regulation": "自律"}),
]

# Frame lines of measures 1.1.0 (addressees, document numbers, signatures) name
# agencies and platforms but use no instrument.
TOOL_FRAME_LINES = [
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",  # 2023-01-00-001/p2
    "发改运行〔2023〕645号",  # 2023-01-00-003/p1
    "国办发〔2023〕17号",  # 2023-01-00-005/p1
    "部机关各单位、直属各单位：",  # 2023-01-00-007/p2
    "各省、自治区、直辖市及计划单列市、新疆生产建设兵团知识产权管理部门、工业和信息化主管部门：",  # 2023-01-00-009/p2
    "国家发展改革委\n工业和信息化部\n财政部\n人民银行\n2023年5月31日",  # 2023-01-00-003/p5
    # 2023-01-00-019/p2: a supervision bureau and a public-service platform as addressees
    "各省、自治区、直辖市、新疆生产建设兵团发展改革委、工业和信息化主管部门、住房城乡建设厅（委、局）、交通运输厅（局、委）、水利厅（局）、"
    "农业农村厅（局、委）、商务（局）、国资委、广播电视局、能源局、招标投标指导协调工作牵头部门、公共资源交易平台整合工作牵头部门，"
    "各省、自治区、直辖市通信管理局，国家能源局各派出机构、各地区铁路监管局、民航各地区管理局、各银保监局，全国公共资源交易平台、"
    "中国招标投标公共服务平台：",
]


def _flat(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def test_tool_fixtures_are_source_text() -> None:
    # Measures join lines and drop page furniture, so compare without whitespace.
    source = _flat(SOURCE.read_text(encoding="utf-8"))
    for measure_id, text, _ in TOOL_FIXTURES:
        assert _flat(text) in source, measure_id
    for text in TOOL_FRAME_LINES:
        assert _flat(text) in source, text[:20]


def test_tool_fixtures_cover_every_tool_tag() -> None:
    assert {tag_id for _, _, expected in TOOL_FIXTURES for tag_id in expected} == set(TOOL_FAMILY)


@pytest.mark.parametrize("measure_id, text, expected", TOOL_FIXTURES, ids=[m for m, _, _ in TOOL_FIXTURES])
def test_real_measures_tool_tags(codebook: list[TagDef], measure_id: str, text: str, expected: dict[str, str]) -> None:
    assert _evidence(text, codebook, ("tool",)) == expected


@pytest.mark.parametrize("text", TOOL_FRAME_LINES + FRAME_LINES)
def test_frame_lines_get_no_tool_tag(codebook: list[TagDef], text: str) -> None:
    assert _evidence(text, codebook, ("tool",)) == {}


def test_phrase_broken_across_lines_matches_with_original_slice(codebook: list[TagDef]) -> None:
    # p. 54 prints 常态化监管 across a line break.
    text = "地方各级人民政府对本行政区域内医保基金使用常\n态化监管工作负领导责任"
    hits = {h.tag_id: h for h in tag_text(text, codebook)}
    assert sorted(hits) == ["bei:market_supervision", "tool:organisation", "tool:supervision"]
    hit = hits["bei:market_supervision"]
    assert (hit.evidence, hit.char_start, hit.char_end) == ("常\n态化监管", 21, 27)
    assert (hits["tool:supervision"].evidence, hits["tool:organisation"].evidence) == ("监管", "领导责任")


def test_agency_name_is_not_evidence_but_later_topic_is(codebook: list[TagDef]) -> None:
    assert tag_text("（市场监管总局按职责分工负责）", codebook) == []
    text = "市场监管总局牵头，加强市场\n监管。"
    hits = [(h.tag_id, h.evidence, h.char_start) for h in tag_text(text, codebook)]
    assert hits == [("bei:market_supervision", "市场\n监管", 11), ("tool:supervision", "监管", 14)]


# Constructed phrases (not in these pages) that put a phrase inside a longer
# word of another subject; the exclude list must veto each, and nothing else.
SUBSTRING_TRAPS = [
    ("将优化营商环境绩效纳入考核", "bei:inclusive_innovation", None),
    ("提高企业环境绩效", "bei:inclusive_innovation", "环境绩效"),
    ("开展重点行业企业用地土壤污染状况调查", "bready:business_location", None),
    ("禁止企业用地下水冷却", "bready:business_location", None),
    ("保障企业用地需求", "bready:business_location", "企业用地"),
    ("国家金融监督管理总局、中国银行保险监督管理委员会按职责分工负责", "bready:financial_services", None),
    ("中国人民银行指导银行扩大信贷投放", "bready:financial_services", "银行"),
    ("国家税务总局、海关总署负责", "bei:taxes", None),
    ("国家税务总局、海关总署负责", "bei:cross_border_trade", None),
]


# The same for the tool scheme: agency names, a responsibility note and words
# that merely contain a phrase.
SUBSTRING_TRAPS += [
    ("（财政部、税务总局、人力资源社会保障部、工业和信息化部等部门会同各地方按职责分工负责）", "tool:organisation", None),
    ("（财政部、税务总局、人力资源社会保障部、工业和信息化部等部门会同各地方按职责分工负责）", "tool:technology_information", None),
    ("明确职责分工，强化责任落实", "tool:organisation", "职责分工"),
    ("国家市场监督管理总局、国家药品监督管理局负责", "tool:supervision", None),
    ("各地区铁路监管局、海关特殊监管区域", "tool:supervision", None),
    ("发现涉嫌违法的，依法进行调查处理", "tool:supervision", None),
    ("加强监督检查，依法查处违法行为", "tool:supervision", "监督"),
    ("严格执行首问责任人制度", "tool:evaluation", None),
    ("严肃追责问责", "tool:evaluation", "追责"),
    ("引导金融资源投向小微企业", "tool:financial_support", None),
    ("优化授信审批流程", "tool:regulation", None),
    ("鼓励行业协会依法依规开展会员企业信用等级评价", "tool:market_promotion", None),
    ("组织企业参加境外展会", "tool:market_promotion", "展会"),
    ("鼓励党政机关所属培训疗养机构转型", "tool:talent", None),
    ("提升在海外开展品牌宣传的能力", "tool:publicity", None),
    ("对接国际高标准经贸规则", "tool:regulation", None),
]


@pytest.mark.parametrize("text, tag_id, evidence", SUBSTRING_TRAPS)
def test_substring_traps_are_vetoed(codebook: list[TagDef], text: str, tag_id: str, evidence: str | None) -> None:
    hits = {h.tag_id: h.evidence for h in tag_text(text, codebook)}
    assert hits.get(tag_id) == evidence


def test_earliest_match_then_longest_phrase(codebook: list[TagDef]) -> None:
    hits = {h.tag_id: h for h in tag_text("清理投标保证金，规范招标投标。", codebook)}
    assert hits["bei:bidding"].evidence == "投标保证金"
    assert hits["bready:market_competition"].evidence == "投标"
    assert hits["bei:bidding"].char_start == 2


def test_tagging_two_thousand_provisions_is_fast(codebook: list[TagDef]) -> None:
    body = SOURCE.read_text(encoding="utf-8").split("# Page 23:", 1)[1]
    paragraphs = [p for p in re.split(r"(?<=。)\n", body) if p.strip()]
    provisions = (paragraphs * (2000 // len(paragraphs) + 1))[:2000]
    tag_text("预热", codebook)
    start = time.perf_counter()
    tagged = [tag_text(p, codebook) for p in provisions]
    assert time.perf_counter() - start < 1.0
    assert sum(1 for hits in tagged if hits) > 1000


# --- properties --------------------------------------------------------------


def _oracle(text: str, tag: TagDef) -> tuple[int, int] | None:
    """Independent reference: search the whitespace-free text with str.find."""
    kept = [i for i, c in enumerate(text) if not c.isspace()]
    flat = "".join(text[i] for i in kept)

    def spans(words: tuple[str, ...]) -> list[tuple[int, int]]:
        out = []
        for w in words:
            at = flat.find(w)
            while at != -1:
                out.append((at, at + len(w)))
                at = flat.find(w, at + 1)
        return out

    vetoes = spans(tag.exclude)
    # Contexts that veto every tag, written again here from the module's docstring.
    vetoes += [m.span() for m in re.finditer(r"《[^《》]*》", flat)]
    if tag.scheme in ("bei", "bready"):
        vetoes += [m.span() for m in re.finditer(r"(?:[\u4e00-\u9fff“”]{1,10}、){2,}[\u4e00-\u9fff“”]{1,10}(?=等|和|及|，|。|；)", flat)]
    agency = re.compile(r"(?:[、和及与][\u4e00-\u9fff]{1,10}?)*等?(?:部门|单位|机关)")
    name = re.compile(r"[\u4e00-\u9fff]{0,2}?(?:平台|热线|网站|门户|小程序|系统|博览会|交易会|展览会)")

    def named(e: int) -> bool:
        return bool(agency.match(flat, e) or (tag.tag_id != "tool:technology_information" and name.match(flat, e)))

    found = [(s, -(e - s), e) for s, e in spans(tag.phrases)
             if not any(vs <= s and e <= ve for vs, ve in vetoes) and not named(e)]
    if not found:
        return None
    s, _, e = min(found)
    return kept[s], kept[e - 1] + 1


SMALL_CODEBOOK = [
    TagDef("t:a", "t", "甲", "A", "test", ("甲乙", "甲乙丙", "乙丙", "丙丁"), ("甲乙丙丁", "丁甲乙")),
    TagDef("t:b", "t", "乙", "B", "test", ("乙乙", "丁丁丁"), ()),
]


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    pieces = st.sampled_from(words) | st.sampled_from(WHITESPACE) | st.text(max_size=3)
    return st.lists(pieces, max_size=30).map("".join)


_BUNDLED = load_codebook()
_BUNDLED_WORDS = sorted({w for t in _BUNDLED for w in t.phrases + t.exclude})


@settings(max_examples=300)
@given(_texts(["甲", "乙", "丙", "丁", "甲乙", "丙丁", "丁甲乙"]))
def test_small_codebook_agrees_with_reference(text: str) -> None:
    hits = {h.tag_id: h for h in tag_text(text, SMALL_CODEBOOK)}
    for tag in SMALL_CODEBOOK:
        expected = _oracle(text, tag)
        got = hits.get(tag.tag_id)
        assert (None if got is None else (got.char_start, got.char_end)) == expected


@settings(max_examples=200)
@given(_texts(_BUNDLED_WORDS))
def test_bundled_codebook_agrees_with_reference(text: str) -> None:
    hits = {h.tag_id: h for h in tag_text(text, _BUNDLED)}
    for tag in _BUNDLED:
        expected = _oracle(text, tag)
        got = hits.get(tag.tag_id)
        assert (None if got is None else (got.char_start, got.char_end)) == expected, tag.tag_id


_TOOL = [t for t in _BUNDLED if t.scheme == "tool"]
_TOOL_WORDS = sorted({w for t in _TOOL for w in t.phrases + t.exclude})


@settings(max_examples=200)
@given(_texts(_TOOL_WORDS))
def test_tool_scheme_agrees_with_reference_alone_and_in_the_codebook(text: str) -> None:
    # Texts dense in instrument phrases and their excludes; the tool tags are
    # the same whether tagged alone or with the topic schemes.
    alone = tag_text(text, _TOOL)
    assert alone == [h for h in tag_text(text, _BUNDLED) if h.tag_id.startswith("tool:")]
    hits = {h.tag_id: h for h in alone}
    for tag in _TOOL:
        expected = _oracle(text, tag)
        got = hits.get(tag.tag_id)
        assert (None if got is None else (got.char_start, got.char_end)) == expected, tag.tag_id


@settings(max_examples=300)
@given(st.one_of(st.text(), _texts(_BUNDLED_WORDS)))
def test_hits_are_well_formed_and_deterministic(text: str) -> None:
    hits = tag_text(text, _BUNDLED)
    phrases = {t.tag_id: t.phrases for t in _BUNDLED}
    assert [h.tag_id for h in hits] == sorted({h.tag_id for h in hits})
    for h in hits:
        assert 0 <= h.char_start < h.char_end <= len(text)
        assert text[h.char_start:h.char_end] == h.evidence
        assert not h.evidence[0].isspace() and not h.evidence[-1].isspace()
        assert "".join(c for c in h.evidence if not c.isspace()) in phrases[h.tag_id]
    assert tag_text(text, load_codebook()) == hits


# Issue 9: phrases out of context. Sentences from the bundled source (pp. 44, 51, 85).
OUT_OF_CONTEXT = [
    # 市场监管 names a field an award belongs to, then a department in a list.
    ("第二十八条标准属于科技成果，对技术水平高和取得显著效益的行业标准，纳入市场监管领域相关科技奖励范围。",
     "bei:market_supervision"),
    ("（三）注重协同联动强化责任意识，加强与市场监管等部门协同联动，加强与人民法院、检察机关、公安机关的协调合作",
     "bei:market_supervision"),
    ("加强与市场监管、税务等部门的信息共享", "bei:taxes"),
    ("投标人、中标人在招标投标活动中缴纳工程质量保证金", "bei:construction_permits"),
    ("投标人、中标人在招标投标活动中缴纳工程质量保证金", "bready:business_location"),
    ("现将《2023年全国知识产权行政保护工作方案》印发给你们", "bei:intellectual_property"),
]


@pytest.mark.parametrize("text, tag_id", OUT_OF_CONTEXT)
def test_phrase_out_of_context_is_not_evidence(codebook: list[TagDef], text: str, tag_id: str) -> None:
    assert tag_id not in {h.tag_id for h in tag_text(text, codebook)}


def test_the_department_veto_is_fast_on_long_runs_of_separators(codebook: list[TagDef]) -> None:
    start = time.perf_counter()
    tag_text("市场监管" + "与" * 40 + "x" + "与 " * 40, codebook)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text, tag_id", [
    ("加强市场监管和援企稳岗政策支持用人单位", "bei:market_supervision"),  # not a list of departments
    ("加强市场监管，维护公平竞争秩序", "bei:market_supervision"),
    ("税务部门要优化办税服务", "bei:taxes"),  # 办税 is evidence though 税务部门 is not
    ("严格工程质量安全监管", "bei:construction_permits"),
])
def test_the_same_phrases_in_context_still_tag(codebook: list[TagDef], text: str, tag_id: str) -> None:
    assert tag_id in {h.tag_id for h in tag_text(text, codebook)}


@pytest.mark.parametrize("kind, text, tagged", [
    ("title", "关于构建优质均衡的基本公共教育服务体系的意见", False),
    ("paragraph", "《关于推进基本养老服务体系建设的意见》主要内容如下。", False),
    ("paragraph", "为贯彻落实党中央、国务院有关决策部署，健全基本养老服务体系，更好保障老年人生活，现提出如下意见。", False),
    ("heading", "一、进一步推动稳增长稳预期", False),
    ("paragraph", "各地区各部门要加大政策宣传解读力度，形成全社会关心支持教育的良好氛围。", True),
    ("paragraph", "对月销售额300万元以下的小规模纳税人减按1%征收率征收增值税。对销售额300万元以下。", True),
    ("numbered", "（一）强化政策落实和支持力度。深入落实减税降费、稳岗返还等政策。", True),
])
def test_only_provisions_with_content_of_their_own_carry_tags(kind: str, text: str, tagged: bool) -> None:
    from policydata_build.measures import _has_own_content

    assert _has_own_content(kind, text) is tagged


@given(st.text(max_size=40) | st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x85\u00a0\u2003\u2028\u3000\u200b口岸", max_size=40))
def test_tagging_drops_exactly_the_characters_str_isspace_calls_whitespace(text):
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    assert without(text, tags._WHITESPACE) == ("".join(text[i] for i in kept), kept)
