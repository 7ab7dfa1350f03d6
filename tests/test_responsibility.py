"""Responsible agencies: the real national wording, and the rules for lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydata_build.regions import RegionIndex
from policydata_build.responsibility import FIRST_LEADS, ROLES, find_responsibilities, first_leads


@pytest.fixture(scope="module")
def index():
    return RegionIndex.load()


def _links(text, region, index):
    return [(r.agency.canonical, r.role) for r in find_responsibilities(text, region, index).links]


def test_real_national_wording(index):
    # 2023-01-00-001 measure 29, as printed
    text = "29.试点地区应建立健全重大风险识别及系统性风险防范制度，商务部会同有关部门加强统筹协调和指导评估，强化对各类风险的分析研判，加强安全风险排查、动态监测和实时预警。"
    r = find_responsibilities(text, "100000", index)
    assert _links(text, "100000", index) == [("商务部", "lead")]
    assert r.ignored == {"有关部门": 1}
    # 2023-01-00-019, closing paragraph
    text = "并于2023年5月底前将落实本通知的有关工作安排、阶段性进展和成效，以及历史沉淀保证金清理情况报送国家发展改革委。"
    assert _links(text, "100000", index) == [("国家发展和改革委员会", "reporting_to")]
    # 2023-01-00-006: 民政部要会同国家发展改革委等部门
    text = "民政部要会同国家发展改革委等部门，加强统筹协调和监督检查。"
    assert _links(text, "100000", index) == [("民政部", "lead"), ("国家发展和改革委员会", "cooperating")]


def test_approval_is_not_cooperation(index):
    # 经银保监会同意: 会 belongs to 银保监会, not to 会同
    assert _links("经银保监会同意，现就有关事项通知如下：", "100000", index) == []


def test_responsibility_lists_in_local_documents(index):
    text = "（牵头单位：省发展改革委；责任单位：省财政厅、各市人民政府）"
    r = find_responsibilities(text, "340000", index)
    assert [(x.agency.canonical, x.role, x.agency.collective) for x in r.links] == [
        ("安徽省发展和改革委员会", "lead", False), ("安徽省财政厅", "responsible", False),
        ("各市人民政府", "responsible", True)]  # a collective is kept, marked
    assert [x.name_raw for x in r.links] == ["省发展改革委", "省财政厅", "各市人民政府"]


def test_local_forms_found_by_the_blind_fixtures(index):
    """Sentences of tests/fixtures/provincial3 and provincial4 (the parser had not seen them)."""
    def raw(text, region):
        return [(x.name_raw, x.role) for x in find_responsibilities(text, region, index).links]

    # A 责任单位 cell with its roles as labels, its lines joined without a mark.
    assert raw("牵头：市市场监管局配合：市公安局、市税务局", "460100") == [
        ("市市场监管局", "lead"), ("市公安局", "cooperating"), ("市税务局", "cooperating")]
    # A note's lines joined without a mark: the time label ends the list of units.
    assert raw("牵头单位：区建设交通委配合单位：国网上海市电力公司浦东供电公司、浦东威立雅自来水有限公司"
               "完成时限：2023年12月31日前", "310115") == [
        ("区建设交通委", "lead"), ("国网上海市电力公司浦东供电公司", "cooperating"),
        ("浦东威立雅自来水有限公司", "cooperating")]
    # How the units take part, between them and the role word.
    assert raw("第三条 省市场监管局牵头负责全省企业开办便利化工作的统筹协调，省公安厅、省税务局按照职责分工配合做好相关工作。",
               "410000") == [("省市场监管局", "lead"), ("省公安厅", "cooperating"), ("省税务局", "cooperating")]
    # A development zone's body, a division, a collective with a one-character alias.
    assert raw("各区县行政审批服务局、西咸新区行政审批服务局负责具体落实。", "610100") == [
        ("各区县行政审批服务局", "responsible"), ("西咸新区行政审批服务局", "responsible")]
    assert raw("此项工作由市行政审批服务局督查室牵头负责。", "610100") == [("市行政审批服务局督查室", "lead")]
    assert raw("（区营商办牵头，区直各部门、各街道（镇）配合；长期坚持）", "430104") == [
        ("区营商办", "lead"), ("区直各部门", "cooperating"), ("各街道（镇）", "cooperating")]
    # The units of a task list by their role name no one.
    assert raw("各牵头单位要会同配合单位细化工作举措。", "360100") == []
    # A unit responsible beside helpers leads them (tests/fixtures/provincial5, 福田).
    assert raw("推行“双随机、一公开”监管。由区司法局负责，区直各行政执法部门配合。", "440304") == [
        ("区司法局", "lead"), ("区直各行政执法部门", "cooperating")]
    assert raw("区财政局负责。区统计局配合做好数据工作。", "440304") == [
        ("区财政局", "responsible"), ("区统计局", "cooperating")]


def test_forms_of_the_sixth_blind_fixture(index):
    """Sentences of tests/fixtures/provincial6."""
    def raw(text, region):
        return [(x.name_raw, x.role) for x in find_responsibilities(text, region, index).links]

    # The units after 会同 end at the role word: 商会 does not make 负责行业协会商会 a name.
    assert raw("第七条 县级以上人民政府民政部门会同市场监督管理部门负责行业协会商会收费行为的规范指导。", "130000") == [
        ("县级以上人民政府民政部门", "lead"), ("市场监督管理部门", "cooperating")]
    # A note's units set off by commas share its 按职责分工负责.
    assert raw("（市工商联、市总工会，团市委按职责分工负责）", "620500") == [
        ("市工商联", "responsible"), ("市总工会", "responsible"), ("团市委", "responsible")]
    # …but a clause that is not only units stays out.
    assert raw("（区营商办牵头，区直各部门配合）", "430104") == [("区营商办", "lead"), ("区直各部门", "cooperating")]


def test_forms_of_the_tenth_and_eleventh_blind_fixtures(index):
    """Sentences of tests/fixtures/provincial10 (宝鸡) and provincial9 (绍兴)."""
    def raw(text, region):
        return [(x.name_raw, x.role) for x in find_responsibilities(text, region, index).links]

    # 落实 closing a note: the units before it carry the measure out.
    assert raw("（市司法局牵头，市级各行政执法部门、各县区政府落实）", "610300") == [
        ("市司法局", "lead"), ("市级各行政执法部门", "responsible"), ("各县区政府", "responsible")]
    # …but not in running text, nor before more words.
    assert raw("各县区政府要认真抓好落实。", "610300") == []
    assert raw("各县区政府落实；", "610300") == []
    # The short name a document defines is not part of the unit's name.
    assert raw("第三条 市级各政策制定部门（以下简称政策制定部门）按照职责分工，负责本部门涉企政策的制定、解读和兑现工作。",
               "330600") == [("市级各政策制定部门", "responsible")]


def test_units_labelled_as_working_alongside_cooperate(index):
    """tests/fixtures/provincial12 (衡阳): 协同单位 is a list label like 配合单位."""
    found = find_responsibilities("（牵头单位：市数据资源局；协同单位：市公安局、市市场监管局）", "430400", index)
    assert [(x.name_raw, x.role) for x in found.links] == [
        ("市数据资源局", "lead"), ("市公安局", "cooperating"), ("市市场监管局", "cooperating")]


def test_the_body_a_text_makes_answerable_is_responsible(index):
    """tests/fixtures/provincial14 (安徽 实施细则 第三条): X是…的责任主体; an enterprise is named by no unit."""
    def raw(text):
        return [(x.name_raw, x.role) for x in find_responsibilities(text, "340000", index).links]

    assert raw("第三条 各设区市人民政府是本地区优化营商环境工作的责任主体。") == [("各设区市人民政府", "responsible")]
    assert raw("企业是安全生产的责任主体。") == []


def test_a_list_label_may_carry_a_gloss(index):
    """tests/fixtures/provincial15 (江门): （责任单位（部门）：市财政局；完成时间节点：2023年9月底前）."""
    found = find_responsibilities("（责任单位（部门）：市发展改革局、市财政局；完成时间节点：2023年9月底前）", "440700", index)
    assert [(x.name_raw, x.role) for x in found.links] == [("市发展改革局", "responsible"), ("市财政局", "responsible")]


def test_duties_quoted_by_an_amending_decision_and_a_pilot_zone(index):
    """tests/fixtures/provincial16: an amended article quoted by a 修改决定 assigns nothing of the
    decision's own; 平潭综合实验区管委会 is a unit."""
    def raw(text, region):
        return [(x.name_raw, x.role) for x in find_responsibilities(text, region, index).links]

    assert raw("一、将第五条修改为：“第五条 县级以上人民政府投资主管部门负责本行政区域内企业投资项目审批。”", "530000") == []
    assert raw("（责任单位：省商务厅，平潭综合实验区管委会；完成时限：长期）", "350000") == [
        ("省商务厅", "responsible"), ("平潭综合实验区管委会", "responsible")]


@pytest.mark.parametrize("said", ["清单中责任单位排在第一位的为牵头单位，其余为配合单位。",
                                  "列在首位的为牵头单位", "第一个单位为牵头单位"])
def test_a_document_saying_the_first_unit_leads(said):
    assert FIRST_LEADS.search(said)


def test_first_units_lead_only_where_there_are_several(index):
    found = find_responsibilities("（责任单位：市发展改革委、市财政局）（责任单位：市商务局）", "510700", index)
    assert [(x.name_raw, x.role) for x in first_leads(found).links] == [
        ("市发展改革委", "lead"), ("市财政局", "cooperating"), ("市商务局", "responsible")]


def test_unknown_names_are_kept_under_the_documents_jurisdiction_and_listed(index):
    r = find_responsibilities("（牵头单位：某某中心）", "340000", index)
    assert [(x.agency.canonical, x.agency.region_code, x.agency.resolved_by) for x in r.links] == [
        ("某某中心", "340000", "document_jurisdiction")]
    assert r.unresolved == {"某某中心": 1}


@given(st.text(alphabet=st.sampled_from(list("商务部会同有关部门牵头单位责任：；、省财政厅报送国家发展改革委负责由。，")), max_size=80))
def test_never_crashes_and_roles_are_known(text):
    index = RegionIndex.load()
    r = find_responsibilities(text, "340000", index)
    assert all(x.role in ROLES and x.evidence in text for x in r.links)


def test_names_with_he_are_not_split(index):
    text = "（牵头单位：国家发展和改革委员会、工业和信息化部）"
    assert _links(text, "100000", index) == [("国家发展和改革委员会", "lead"), ("工业和信息化部", "lead")]


@pytest.mark.parametrize("said", ["注：责任单位中标注“★”的为牵头单位，未标注的为配合单位。", "带*的为牵头单位", "★表示牵头单位"])
def test_a_legend_saying_which_mark_leads(said):
    from policydata_build.responsibility import MARK_LEADS

    assert MARK_LEADS.search(said).group("mark") in "★*"


def test_marked_units_lead_and_the_others_cooperate_where_a_legend_says_so(index):
    """tests/fixtures/provincial19 (宁夏 分工方案): ★ marks the leads of a list; the mark is no part of
    a name; a list without a marked unit keeps its roles."""
    from policydata_build.responsibility import marked_leads

    found = find_responsibilities("（责任单位：★自治区财政厅、★自治区工业和信息化厅、自治区大数据中心）"
                                  "（责任单位：自治区司法厅）", "640000", index)
    assert [(x.name_raw, x.mark, x.role) for x in marked_leads(found, "★").links] == [
        ("自治区财政厅", "★", "lead"), ("自治区工业和信息化厅", "★", "lead"),
        ("自治区大数据中心", None, "cooperating"), ("自治区司法厅", None, "responsible")]


def test_units_in_brackets_opening_a_measure_are_its_own(index):
    """tests/fixtures/provincial21 (牡丹江 若干措施): （一）【市营商环境局】推行… — the units alone in a
    bracket right after the label; a bracket that holds a time, or a labelled list, is read as before."""
    assert _links("（二）【市市场监管局、市人社局】推行经营主体歇业备案", "231000", index) == [
        ("牡丹江市市场监督管理局", "responsible"), ("牡丹江市人力资源和社会保障局", "responsible")]
    assert _links("（三）【市住房城乡建设局牵头，市自然资源局配合】推行", "231000", index) == [
        ("牡丹江市住房和城乡建设局", "lead"), ("牡丹江市自然资源局", "cooperating")]
    assert _links("（二）（2023年6月底前）推进政务服务", "231000", index) == []
    assert _links("推行政务服务。【市发展改革委】", "231000", index) == []


def test_units_after_huitong_end_where_the_clause_goes_on(index):
    """tests/fixtures/provincial20 (包头 办法 第五条): 市商务局建立重点企业… ends in 企业 like a name, but a
    name ends at 市商务局; 各相关部门和单位 (2023-01-00-012) and 县级以上人民政府有关部门 stay whole."""
    assert _links("（二）市工业和信息化局会同市商务局建立重点企业服务名录", "150200", index) == [
        ("包头市工业和信息化局", "lead"), ("包头市商务局", "cooperating")]
    found = find_responsibilities("国家发展改革委会同各相关部门和单位加强统筹", "100000", index)
    assert [(x.name_raw, x.role) for x in found.links][1] == ("各相关部门和单位", "cooperating")


def test_units_doing_their_part_by_their_duties_are_responsible(index):
    """tests/fixtures/provincial20 (包头 办法 第四条): 市市场监管局、市税务局按照各自职责做好…;
    provincial22 (重庆 方案 （五）): 市发展改革委、市财政局按职责分工落实."""
    assert _links("长期坚持。市发展改革委、市财政局按职责分工落实。", "500000", index) == [
        ("重庆市发展和改革委员会", "responsible"), ("重庆市财政局", "responsible")]
    assert _links("第四条 市发展改革委负责统筹协调；市市场监管局、市税务局按照各自职责做好涉企诉求的办理工作。",
                  "150200", index) == [("包头市发展和改革委员会", "responsible"),
                                       ("包头市市场监督管理局", "responsible"), ("包头市税务局", "responsible")]


def test_a_unit_doing_its_part_in_particular_and_a_contact_after_a_report(index):
    """tests/fixtures/provincial23 (四川 市场监管局 通知): 由X牵头，Y具体负责 (Y responsible); the
    contact in brackets after the unit a report goes to is no part of its name."""
    assert _links("由省市场监管局信用监督管理处牵头，各市（州）市场监管局具体负责，将信用风险分类结果运用于监管。",
                  "510000", index)[1:] == [("各市（州）市场监管局", "responsible")]
    found = find_responsibilities("请于8月15日前将工作推进情况报送省市场监管局登记注册处（联系人：李××，联系电话：028-1）。",
                                  "510000", index)
    assert [(x.name_raw, x.role) for x in found.links] == [("省市场监管局登记注册处", "reporting_to")]
