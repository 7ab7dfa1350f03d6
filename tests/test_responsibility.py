"""Responsible agencies: the real national wording, and the rules for lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydata_build.regions import RegionIndex
from policydata_build.responsibility import ROLES, find_responsibilities


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
