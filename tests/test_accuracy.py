"""The gold sample, the evaluation step and its floors (build/accuracy.py, issue 9)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from policydata_build import BUNDLED_SOURCE, DATASET_VERSION
from policydata_build import accuracy
from policydata_build.accuracy import FLOORS_PATH, PR, _same_anchor, below_floors, evaluate, figure, load_gold
from policydata_build.errors import QualityFloorError
from policydata_build.pages import read_source
from policydata_build.pipeline import build, build_tables

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
FIXTURE = ROOT / "tests" / "fixtures" / "practice" / "compilation-practice.txt"


@pytest.fixture(scope="module")
def national():
    return build_tables(read_source(BUNDLED_SOURCE))


def test_the_bundled_source_is_scored_on_every_gold_document(national) -> None:
    acc = national[1]["accuracy"]
    assert acc["complete"] and acc["gold_documents_missing"] == [] and acc["gold_rows_not_in_source"] == []
    assert acc["below_floors"] == [] and acc["floors"] == json.loads(FLOORS_PATH.read_text(encoding="utf-8"))["floors"]


def test_the_sample_is_as_large_as_issue_9_asks(national) -> None:
    gold = load_gold()
    acc = national[1]["accuracy"]
    assert len(gold["provisions"]) >= 6 and len(gold["deadlines"]) >= 6 and len(gold["responsibility"]) >= 4
    tags = acc["tags"]
    assert tags["decisions"] - tags["ambiguous_not_scored"] >= 300
    # Negatives are in it: the gold says yes to about 3 tags of 44 per provision.
    yes = tags["all"]["right"] + tags["all"]["missed"]
    assert 1 <= yes / tags["provisions"] <= 8 and tags["provisions"] >= 80


def test_every_floor_holds_and_is_recorded_in_the_changelog(national) -> None:
    raw = json.loads(FLOORS_PATH.read_text(encoding="utf-8"))
    section = re.search(rf"^## {re.escape(raw['set_in'])} .*?(?=^## )", CHANGELOG, re.S | re.M)
    assert section is not None, f"CHANGELOG has no section '{raw['set_in']}' recording the floors"
    for name, value in raw["floors"].items():
        assert figure(national[1]["accuracy"], name) >= value
        assert f"`{name}` ≥ {value:.2f}" in section.group(0), f"floor {name} = {value} is not in the CHANGELOG"


def test_no_floor_is_lower_than_any_published_versions(national) -> None:
    from policydata.dataset import versions

    floors = json.loads(FLOORS_PATH.read_text(encoding="utf-8"))["floors"]
    for version in versions():
        quality = json.loads((ROOT / "dataset" / version / "quality.json").read_text(encoding="utf-8"))
        for name, value in quality.get("accuracy", {}).get("floors", {}).items():
            assert name in floors and floors[name] >= value, f"{name} fell below its floor in {version}"


def test_a_figure_below_its_floor_stops_the_build(monkeypatch, tmp_path) -> None:
    raised = tmp_path / "floors.json"
    raised.write_text(json.dumps({"description": "", "set_in": "x", "floors": {"tags.all.precision": 0.999}}))
    monkeypatch.setattr(accuracy, "FLOORS_PATH", raised)
    monkeypatch.setattr("policydata_build.pipeline.load_floors", lambda: accuracy.load_floors(raised))
    with pytest.raises(QualityFloorError, match=r"tags\.all\.precision is 0\.\d+, below its floor 0\.999"):
        build(BUNDLED_SOURCE, tmp_path / "out", f"{DATASET_VERSION}+floor")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    result = build(BUNDLED_SOURCE, tmp_path / "out", f"{DATASET_VERSION}+floor", partial=True)
    manifest = json.loads((result.path / "manifest.json").read_text(encoding="utf-8"))
    assert any("tags.all.precision" in reason for reason in manifest["partial"])


def test_a_source_without_any_gold_document_is_not_held_to_the_floors() -> None:
    acc = build_tables(read_source(FIXTURE))[1]["accuracy"]
    assert not acc["complete"] and acc["gold_documents_missing"]
    assert below_floors(acc, {"tags.all.precision": 1.0}) == []
    assert acc["tags"]["provisions"] == 0 and acc["tags"]["all"]["precision"] is None


def test_a_floor_must_be_a_share(tmp_path) -> None:
    bad = tmp_path / "floors.json"
    bad.write_text(json.dumps({"floors": {"tags.all.precision": 95}}))
    with pytest.raises(ValueError, match="between 0 and 1"):
        accuracy.load_floors(bad)
    with pytest.raises(KeyError, match="no figure 'tags.al.precision'"):
        figure({"tags": {"all": {"precision": 1}}}, "tags.al.precision")


# -- the scorer on rows written by hand ---------------------------------------------------

def _rows(text: str, measures: list[tuple[str, str, int, int]], deadlines=(), tags=(), links=()) -> dict:
    doc = {"doc_id": "D", "has_text": True, "text": text}
    return {
        "documents": [doc],
        "measures": [{"measure_id": f"D/{path}", "doc_id": "D", "kind": kind, "text": text[s:e], "char_start": s,
                      "char_end": e, "page_start": 1, "page_end": 1} for path, kind, s, e in measures],
        "deadlines": list(deadlines), "measure_tags": list(tags), "measure_agencies": list(links),
        "tags": [{"tag_id": "tool:a"}, {"tag_id": "tool:b"}],
    }


def _gold(**parts) -> dict:
    return {"provisions": {}, "deadlines": {}, "responsibility": {}, "tags": [], "files": {}, **parts}


TEXT = "一、总体要求\n（一）2023年底前完成清理。\n（二）收到申请后，于30日内办结。"


def test_provisions_are_matched_in_order_and_boundaries_checked() -> None:
    rows = _rows(TEXT, [("1", "heading", 0, 6), ("1.1", "numbered", 7, 22), ("1.2", "numbered", 23, 40)])
    gold = _gold(provisions={"D": {"provisions": [
        {"kind": "heading", "first": "一、总体要求", "last": "一、总体要求", "page": 1},
        {"kind": "numbered", "first": "（一）2023年底前", "last": "23年底前完成清理。", "page": 1},
        {"kind": "numbered", "first": "（二）收到申请后，于", "last": "后，于30日内办结。", "page": 1},
        {"kind": "paragraph", "first": "特此通知。", "last": "特此通知。", "page": 1},
    ]}})
    p = evaluate(rows, gold)["provisions"]
    assert (p["present"]["right"], p["present"]["missed"], p["present"]["wrong"]) == (3, 1, 0)
    assert p["exact_boundaries"]["right"] == 3 and p["kind_agreement"] == 1.0


def _deadline(did: str, start: int, end: int, kind: str, **values) -> dict:
    return {"deadline_id": did, "doc_id": "D", "measure_id": "D/1.1", "expression": TEXT[start:end], "kind": kind,
            "due_on": None, "precision": None, "duration": None, "anchor": None, "char_start": start,
            "char_end": end, **values}


def test_deadlines_are_scored_on_kind_and_value_and_ambiguous_rows_are_left_out() -> None:
    due = TEXT.index("2023年底前")
    within = TEXT.index("30日内")
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22), ("1.2", "numbered", 23, 40)], deadlines=[
        _deadline("a", due, due + 7, "due_by", due_on=datetime.date(2023, 12, 31), precision="year"),
        _deadline("b", within, within + 4, "time_limit", duration="P30D", anchor="收到申请"),
        _deadline("c", 2, 4, "target"),  # where the gold is ambiguous: not held against it
        _deadline("d", 0, 2, "target"),  # not a time expression of the gold
    ])
    gold = _gold(deadlines={"D": {"expressions": [
        {"page": 1, "quote": "2023年底前完成清理", "expression": "2023年底前", "kind": "due_by",
         "due_on": "2023-12-31", "precision": "year", "duration": None, "anchor": None},
        {"page": 1, "quote": "于30日内办结", "expression": "30日内", "kind": "time_limit",
         "due_on": None, "precision": None, "duration": "P30D", "anchor": "收到…申请"},
        {"page": 1, "quote": "总体要求", "expression": "总体", "kind": "target", "ambiguous": True,
         "due_on": None, "precision": None, "duration": None, "anchor": None},
    ]}})
    d = evaluate(rows, gold)["deadlines"]
    assert d["ambiguous_not_scored"] == 1
    assert (d["all_fields"]["right"], d["all_fields"]["wrong"], d["all_fields"]["missed"]) == (2, 1, 0)
    assert d["errors"] == ["d 一、 (target) is not a time expression of the gold"]


def test_a_wrong_kind_is_both_a_wrong_row_and_a_missed_one() -> None:
    due = TEXT.index("2023年底前")
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22)], deadlines=[
        _deadline("a", due, due + 7, "target", due_on=datetime.date(2023, 12, 31), precision="year")])
    gold = _gold(deadlines={"D": {"expressions": [
        {"page": 1, "quote": "2023年底前完成", "expression": "2023年底前", "kind": "due_by",
         "due_on": "2023-12-31", "precision": "year", "duration": None, "anchor": None}]}})
    d = evaluate(rows, gold)["deadlines"]
    assert d["found"]["right"] == 1
    assert (d["kind"]["right"], d["kind"]["wrong"], d["kind"]["missed"]) == (0, 1, 1)
    assert d["confusion"] == {"due_by→target": 1}


def test_tags_count_every_decision_and_list_errors_per_tag() -> None:
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22), ("1.2", "numbered", 23, 40)], tags=[
        {"measure_id": "D/1.1", "tag_id": "tool:a", "evidence": "清理"},
        {"measure_id": "D/1.2", "tag_id": "tool:a", "evidence": "办结"}])
    gold = _gold(tags=[
        {"doc": "D", "page": 1, "stratum": "random", "quote": "2023年底前完成清理", "tags": {"tool": ["tool:a"]}},
        {"doc": "D", "page": 1, "stratum": "random", "quote": "收到申请后", "tags": {"tool": ["tool:b"]},
         "why": {"tool:b": "办结 is a service"}},
    ])
    t = evaluate(rows, gold)["tags"]
    assert t["decisions"] == 4 and t["provisions"] == 2
    assert t["by_tag"]["tool:a"]["right"] == 1 and t["by_tag"]["tool:a"]["wrong"] == 1
    assert t["by_tag"]["tool:b"]["errors"] == ["D/1.2 missed: 办结 is a service"]


def test_a_gold_row_whose_words_the_source_lacks_counts_as_missed_and_the_floors_hold() -> None:
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22)])
    gold = _gold(tags=[{"doc": "D", "page": 1, "stratum": "random", "quote": "不在文中的引文",
                        "tags": {"tool": ["tool:a"]}}])
    acc = evaluate(rows, gold)
    assert acc["gold_rows_not_in_source"] == ["tags D p.1: 不在文中的引文"] and not acc["complete"]
    assert acc["tags"]["by_tag"]["tool:a"]["missed"] == 1
    assert below_floors(acc, {"tags.all.recall": 0.5}) == ["tags.all.recall is 0.0, below its floor 0.5"]


def test_a_gold_tag_outside_the_codebook_is_an_error() -> None:
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22)])
    gold = _gold(tags=[{"doc": "D", "page": 1, "stratum": "random", "quote": "2023年底前", "tags": {"tool": ["tool:z"]}}])
    with pytest.raises(accuracy.GoldError, match="not in the codebook"):
        evaluate(rows, gold)


@pytest.mark.parametrize("built, gold, same", [
    ("收到申请", "收到…完整且符合法定形式的申请", True),
    ("抵达", "抵达", True),
    (None, None, True),
    ("印发之日", None, False),
    ("审查", "通过审查", True),
    ("申", "收到…申请", False),
    ("收到", "收到…申请", False),
    ("受理", "抵达", False),
])
def test_anchors_agree_when_one_leaves_words_out(built, gold, same) -> None:
    assert _same_anchor(built, gold) is same


def test_precision_and_recall_are_none_without_counts() -> None:
    assert PR().as_dict()["precision"] is None and PR(tp=1, fn=1).as_dict()["recall"] == 0.5


def test_deadline_scores_do_not_depend_on_the_order_of_either_list() -> None:
    import random

    due = TEXT.index("2023年底前")
    built = [
        _deadline("a", due, due + 4, "target", due_on=datetime.date(2023, 12, 31), precision="year"),  # 2023年 alone
        _deadline("b", due, due + 7, "due_by", due_on=datetime.date(2023, 12, 31), precision="year"),
    ]
    expressions = [
        {"page": 1, "quote": "2023年底前完成清理", "expression": "2023年底前", "kind": "due_by",
         "due_on": "2023-12-31", "precision": "year", "duration": None, "anchor": None},
        {"page": 1, "quote": "于30日内办结", "expression": "30日内", "kind": "time_limit",
         "due_on": None, "precision": None, "duration": "P30D", "anchor": None},
    ]
    seen = set()
    for seed in range(6):
        rng = random.Random(seed)
        rows = _rows(TEXT, [("1.1", "numbered", 7, 22)], deadlines=rng.sample(built, len(built)))
        d = evaluate(rows, _gold(deadlines={"D": {"expressions": rng.sample(expressions, len(expressions))}}))["deadlines"]
        seen.add(tuple(d["all_fields"].values()))
    # The right row is taken whatever the order; the other overlapping one is extra.
    assert seen == {(0.5, 0.5, 1, 1, 1)}


def test_responsible_units_are_scored_on_agency_and_on_role() -> None:
    text = "（一）商务部会同海关总署加强协调，结果报送国务院。"
    rows = _rows(text, [("1.1", "numbered", 0, len(text))], links=[
        {"measure_id": "D/1.1", "name_raw": "商务部", "role": "lead", "agency_id": "x", "evidence": ""},
        {"measure_id": "D/1.1", "name_raw": "海关总署", "role": "responsible", "agency_id": "y", "evidence": ""},
        {"measure_id": "D/1.1", "name_raw": "有关部门", "role": "cooperating", "agency_id": "z", "evidence": ""},
    ])
    gold = _gold(responsibility={"D": [
        {"page": 1, "quote": "商务部会同海关总署", "agency": "商务部", "role": "lead"},
        {"page": 1, "quote": "商务部会同海关总署", "agency": "海关总署", "role": "cooperating"},
        {"page": 1, "quote": "结果报送国务院", "agency": "国务院", "role": "reporting_to"},
    ]})
    r = evaluate(rows, gold)["responsibility"]
    assert (r["agency"]["right"], r["agency"]["wrong"], r["agency"]["missed"]) == (2, 1, 1)
    assert (r["agency_and_role"]["right"], r["agency_and_role"]["wrong"], r["agency_and_role"]["missed"]) == (1, 2, 2)


def test_a_provision_two_coders_sampled_is_scored_once_and_their_disagreements_are_ambiguous() -> None:
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22)], tags=[{"measure_id": "D/1.1", "tag_id": "tool:a", "evidence": "清理"}])
    one = {"doc": "D", "page": 1, "stratum": "random", "quote": "2023年底前完成", "tags": {"tool": ["tool:a"]}}
    two = {**one, "quote": "完成清理", "tags": {"tool": ["tool:a", "tool:b"]}}
    t = evaluate(rows, _gold(tags=[one, two]))["tags"]
    assert t["provisions"] == 1 and t["sampled_twice"] == 1 and t["coder_disagreements"] == 1
    assert t["ambiguous_not_scored"] == 1 and t["all"]["right"] == 1 and t["all"]["missed"] == 0


def test_a_gold_document_missing_from_a_source_that_has_others_counts_as_missed() -> None:
    rows = _rows(TEXT, [("1.1", "numbered", 7, 22)])
    gold = _gold(tags=[
        {"doc": "D", "page": 1, "stratum": "random", "quote": "2023年底前完成", "tags": {"tool": ["tool:a"]}},
        {"doc": "LOST", "page": 1, "stratum": "random", "quote": "某条文", "tags": {"tool": ["tool:b"]}},
    ])
    acc = evaluate(rows, gold)
    assert acc["gold_documents_missing"] == ["LOST"] and not acc["complete"]
    assert acc["tags"]["by_tag"]["tool:b"]["missed"] == 1
    assert below_floors(acc, {"tags.all.recall": 0.9}) == ["tags.all.recall is 0.0, below its floor 0.9"]
