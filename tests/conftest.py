"""A tiny synthetic dataset, two versions, written the way the build writes them.

Titles, dates and provision texts are cut from the real source
(build/source/compilation-2023.txt, pages 3–10 and 34, 100–101); ids, agencies,
tags and flags are made up to exercise every filter. Version 0.1.0 has only
the document tables; 0.2.0 adds measures, deadlines and tags, retitles one
document, adds one and drops one, so a diff has something of each kind.

The fixtures also fill pytest's ``doctest_namespace`` with ``ds`` (version
0.2.0), ``root`` and ``policydata``. conftest fixtures only reach tests under
tests/, so for ``--doctest-modules policydata`` load this file as a plugin:
``python -m pytest -p tests.conftest --doctest-modules policydata tests``.
(tests/test_library.py also runs every docstring example itself.)
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

from hypothesis import settings

import policydata
from policydata.schema import TABLES

# CI machines are shared and noisy: a slow example is not a failure. Property
# tests still run their full number of examples.
settings.register_profile("policydata", deadline=None)
settings.load_profile("policydata")

Row = dict[str, Any]

D1_TEXT = (
    "二、增强税费优惠政策的精准性针对性\n"
    "（一）完善税费优惠政策。2023年底前，对月销售额10万元以下的小规模纳税人免征增值税"
    "（税务总局、财政部按职责分工负责）。"
)
D2_TEXT = (
    "四、清理历史沉淀保证金。2023年3月底前，各地方政府有关部门、各有关单位和企业组织开展"
    "清理历史沉淀保证金专项行动。\n"
    "五、鼓励减免政府投资项目投标保证金。2023年3月底前，各省级招标投标指导协调工作牵头部门"
    "应当会同各有关行政监督部门，制定出台鼓励本地区政府投资项目招标人全面或阶段性停止收取"
    "投标保证金的政策措施。"
)

NDRC = "100000:国家发展和改革委员会"
MOF = "100000:财政部"
STA = "100000:国家税务总局"
AH_GOV = "340000:安徽省人民政府办公厅"
HN_GOV = "340400:淮南市人民政府办公室"
KS_GOV = "320583:昆山市人民政府"
BJ_SAMR = "110000:北京市市场监督管理局"


def _doc(doc_id: str, title: str, issued: date | None, region: str, level: str, **extra: Any) -> Row:
    section_no, group_no, seq = (int(part) for part in doc_id.split("-")[1:])
    sections = {1: "国家", 2: "华北", 3: "华东"}
    sections_en = {1: "National", 2: "North China", 3: "East China"}
    groups = {(1, 0): None, (2, 1): "北京", (3, 2): "江苏", (3, 4): "安徽"}
    row: Row = {
        "doc_id": doc_id,
        "edition": "2023",
        "section_no": section_no,
        "section": sections[section_no],
        "group_no": group_no,
        "group_name": groups[(section_no, group_no)],
        "seq": seq,
        "title": title,
        "title_raw": title,
        "doc_number": None,
        "doc_number_raw": None,
        "issued_on": issued,
        "issued_on_raw": None if issued is None else f"{issued.year} 年{issued.month} 月{issued.day} 日",
        "region_code": region,
        "level": level,
        "doc_type": "通知" if title.endswith("通知") else "方案",
        "doc_type_en": "Notice" if title.endswith("通知") else "Work Plan",
        "section_en": sections_en[section_no],
        "expires_on": None,
        "validity_raw": None,
        "is_trial": False,
        "is_draft": False,
        "toc_page": 3,
        "listed_page": 100,
        "page_start": None,
        "page_end": None,
        "has_text": False,
        "text": None,
        "effective_on": None,
        "effective_raw": None,
    }
    row.update(extra)
    return row


def _documents() -> dict[str, Row]:
    docs = [
        _doc("2023-01-00-003", "国家发展改革委等部门关于做好2023年降成本重点工作的通知", date(2023, 5, 31),
             "100000", "national", listed_page=32, page_start=34, page_end=34, has_text=True, text=D1_TEXT,
             doc_number="发改运行〔2023〕645号", doc_number_raw="发改运行〔2023〕645 号"),
        _doc("2023-01-00-019", "国家发展改革委等部门关于完善招标投标交易担保制度进一步降低招标投标交易成本的通知",
             date(2023, 1, 6), "100000", "national", toc_page=4, listed_page=100, page_start=100, page_end=101,
             has_text=True, text=D2_TEXT),
        _doc("2023-02-01-002", "北京市市场监督管理局进一步优化营商环境降低市场主体制度性交易成本工作方案",
             None, "110000", "provincial", toc_page=4, listed_page=106),
        _doc("2023-03-02-003", "淮南市人民政府办公室关于印发创优营商环境对标提升举措（2023版）的通知",
             date(2023, 4, 27), "340400", "prefectural", toc_page=6, listed_page=474),
        _doc("2023-03-02-004", "昆山市深化“昆如意”营商环境2023年创新行动方案", date(2023, 4, 12),
             "320583", "county", toc_page=6, listed_page=477),
        _doc("2023-03-04-004", "安徽省人民政府办公厅关于印发创优营商环境对标提升举措（2023版）的通知",
             date(2023, 3, 16), "340000", "provincial", toc_page=9, listed_page=620),
    ]
    return {d["doc_id"]: d for d in docs}


def _regions() -> list[Row]:
    rows = [
        ("100000", "全国", "national", None, "People's Republic of China", "official"),
        ("110000", "北京市", "provincial", "100000", "Beijing", "official"),
        ("320000", "江苏省", "provincial", "100000", "Jiangsu", "official"),
        ("320500", "苏州市", "prefectural", "320000", "Suzhou City", "pinyin"),
        ("320583", "昆山市", "county", "320500", "Kunshan City", "pinyin"),
        ("340000", "安徽省", "provincial", "100000", "Anhui", "official"),
        ("340400", "淮南市", "prefectural", "340000", "Huainan City", "pinyin"),
    ]
    return [dict(zip(TABLES["regions"].column_names, r)) for r in rows]


def _agencies() -> list[Row]:
    rows = [
        (NDRC, "国家发展和改革委员会", ["国家发展改革委", "发展改革委"], "national", "100000",
         "National Development and Reform Commission", "official"),
        (MOF, "财政部", [], "national", "100000", "Ministry of Finance", "official"),
        (STA, "国家税务总局", ["税务总局"], "national", "100000", "State Taxation Administration", "official"),
        (BJ_SAMR, "北京市市场监督管理局", ["北京市市场监管局"], "provincial", "110000", None, None),
        (KS_GOV, "昆山市人民政府", [], "county", "320583", "People's Government of Kunshan City", "derived"),
        (AH_GOV, "安徽省人民政府办公厅", ["安徽省政府办公厅"], "provincial", "340000",
         "General Office of the People's Government of Anhui", "derived"),
        (HN_GOV, "淮南市人民政府办公室", [], "prefectural", "340400",
         "Office of the People's Government of Huainan City", "derived"),
    ]
    names = [c for c in TABLES["agencies"].column_names if c not in ("name_en", "name_en_source")]
    return [{**dict(zip(names, (*r[:5], None, False, "central" if r[3] == "national" else "named_place"))),
             "name_en": r[5], "name_en_source": r[6]} for r in rows]


def _document_agencies() -> list[Row]:
    rows = [
        ("2023-01-00-003", NDRC, "issuer", "title", "国家发展改革委", 3),
        ("2023-01-00-003", MOF, "issuer", "signature", "财政部", 35),
        ("2023-01-00-019", NDRC, "issuer", "title", "国家发展改革委", 4),
        ("2023-02-01-002", BJ_SAMR, "issuer", "title", "北京市市场监督管理局", 4),
        ("2023-03-02-003", HN_GOV, "issuer", "title", "淮南市人民政府办公室", 6),
        ("2023-03-02-004", KS_GOV, "issuer", "title", "昆山市", 6),
        ("2023-03-04-004", AH_GOV, "issuer", "title", "安徽省人民政府办公厅", 9),
    ]
    return [dict(zip(TABLES["document_agencies"].column_names, r)) for r in rows]


def _measure(doc: Row, path: str, label: str, heading: str | None, text: str, parent: str | None) -> Row:
    start = doc["text"].index(text)
    return {
        "measure_id": f"{doc['doc_id']}/{path}",
        "doc_id": doc["doc_id"],
        "parent_id": parent,
        "depth": path.count(".") + 1,
        "label": label,
        "path": path,
        "kind": "numbered",
        "heading": heading,
        "text": text,
        "page_start": doc["page_start"],
        "page_end": doc["page_start"],
        "char_start": start,
        "char_end": start + len(text),
    }


def _measures(docs: dict[str, Row]) -> list[Row]:
    d1, d2 = docs["2023-01-00-003"], docs["2023-01-00-019"]
    d1_item = D1_TEXT.split("\n")[1]
    d2_four, d2_five = D2_TEXT.split("\n")
    return [
        _measure(d1, "2", "二、", None, D1_TEXT, None),
        _measure(d1, "2.1", "（一）", "完善税费优惠政策", d1_item, "2023-01-00-003/2"),
        _measure(d2, "4", "四、", "清理历史沉淀保证金", d2_four, None),
        _measure(d2, "5", "五、", "鼓励减免政府投资项目投标保证金", d2_five, None),
    ]


def _deadlines(docs: dict[str, Row], measures: list[Row]) -> list[Row]:
    rows = []
    for measure_id, expression, due, precision in [
        ("2023-01-00-003/2.1", "2023年底前", date(2023, 12, 31), "year"),
        ("2023-01-00-019/4", "2023年3月底前", date(2023, 3, 31), "month"),
        ("2023-01-00-019/5", "2023年3月底前", date(2023, 3, 31), "month"),
    ]:
        measure = next(m for m in measures if m["measure_id"] == measure_id)
        start = measure["char_start"] + measure["text"].index(expression)
        rows.append({
            "deadline_id": f"{measure_id}@{start}",
            "doc_id": measure["doc_id"],
            "measure_id": measure_id,
            "expression": expression,
            "kind": "due_by",
            "due_on": due,
            "precision": precision,
            "duration": None,
            "anchor": None,
            "page": measure["page_start"],
            "char_start": start,
            "char_end": start + len(expression),
        })
    assert all(docs[r["doc_id"]]["text"][r["char_start"]:r["char_end"]] == r["expression"] for r in rows)
    return rows


def _tags() -> list[Row]:
    rows = [
        ("bei:bidding", "bei", "招标投标", "Bidding and tendering", "招标投标领域的规则与交易成本。", False),
        ("bei:tax", "bei", "纳税", "Paying taxes", "税费优惠与纳税服务。", False),
        ("bready:business_entry", "bready", "市场准入", "Business Entry", "Starting a business.", True),
        ("bready:taxation", "bready", "税收", "Taxation", "Tax regulations and services.", False),
    ]
    return [dict(zip(TABLES["tags"].column_names, r)) for r in rows]


def full_version_tables() -> dict[str, list[Row]]:
    """Rows of every table for version 0.2.0."""
    docs = _documents()
    measures = _measures(docs)
    return {
        "documents": list(docs.values()),
        "regions": _regions(),
        "agencies": _agencies(),
        "document_agencies": _document_agencies(),
        "measures": measures,
        "measure_agencies": [
            {"measure_id": "2023-01-00-003/2.1", "agency_id": STA, "role": "lead", "evidence": "税务总局、财政部按职责分工负责",
             "name_raw": "税务总局"},
            {"measure_id": "2023-01-00-003/2.1", "agency_id": MOF, "role": "responsible",
             "evidence": "税务总局、财政部按职责分工负责", "name_raw": "财政部"},
        ],
        "deadlines": _deadlines(docs, measures),
        "tags": _tags(),
        "measure_tags": [
            {"measure_id": "2023-01-00-003/2.1", "tag_id": "bei:tax", "evidence": "增值税"},
            {"measure_id": "2023-01-00-003/2.1", "tag_id": "bready:taxation", "evidence": "增值税"},
            {"measure_id": "2023-01-00-019/4", "tag_id": "bei:bidding", "evidence": "保证金"},
            {"measure_id": "2023-01-00-019/5", "tag_id": "bei:bidding", "evidence": "招标投标"},
        ],
        "document_tags": [
            {"doc_id": "2023-01-00-003", "tag_id": "bei:tax", "measure_count": 1},
            {"doc_id": "2023-01-00-003", "tag_id": "bready:taxation", "measure_count": 1},
            {"doc_id": "2023-01-00-019", "tag_id": "bei:bidding", "measure_count": 2},
        ],
        "flags": [
            {"flag_id": "2023-03-02-003:heading_region_mismatch", "doc_id": "2023-03-02-003",
             "code": "heading_region_mismatch", "detail": "淮南市 (340400, 安徽省) listed under 江苏", "page": 6},
        ],
    }


def first_version_tables() -> dict[str, list[Row]]:
    """Rows for version 0.1.0: document tables only, one title uncleaned, one
    document that 0.2.0 drops, none of 0.2.0's Beijing document."""
    full = full_version_tables()
    docs = {d["doc_id"]: dict(d) for d in full["documents"]}
    docs["2023-01-00-003"]["title"] = "国家发展改革委等部门关于做好2023 年降成本重点工作的通知"
    del docs["2023-02-01-002"]
    docs["2023-03-02-006"] = _doc("2023-03-02-006", "云港市优化营商环境条例（征求意见稿）", date(2023, 3, 28),
                                  "320000", "provincial", toc_page=6, listed_page=484, is_draft=True)
    return {
        "documents": sorted(docs.values(), key=lambda d: d["doc_id"]),
        "regions": full["regions"],
        "agencies": [a for a in full["agencies"] if a["agency_id"] != BJ_SAMR],
        "document_agencies": [r for r in full["document_agencies"] if r["doc_id"] in docs],
        "flags": full["flags"],
    }


def write_version(root: Path, version: str, tables: dict[str, list[Row]]) -> Path:
    """Write one version folder with the build's own writer (atomic, checksummed,
    carrying its schema), from these rows."""
    from policydata_build.write import SourceInfo
    from policydata_build.write import write_version as write

    source = SourceInfo("compilation-2023.txt", "text", "0" * 64, 102)
    result = write(tables, root, version, source, {"flags": len(tables["flags"])}, "2023")
    assert result.created
    return result.path


def make_root(root: Path) -> Path:
    """A dataset root with versions 0.1.0 and 0.2.0, plus the clutter a real
    root has (a package __init__.py)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "__init__.py").write_text('"""Built dataset versions."""\n', encoding="utf-8")
    write_version(root, "0.1.0", first_version_tables())
    write_version(root, "0.2.0", full_version_tables())
    return root


@pytest.fixture(scope="session")
def dataset_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared, never modified: tests that tamper use ``scratch_root``."""
    return make_root(tmp_path_factory.mktemp("dataset"))


@pytest.fixture()
def scratch_root(dataset_root: Path, tmp_path: Path) -> Path:
    """A private copy of the synthetic root that a test may modify."""
    copy = tmp_path / "dataset"
    shutil.copytree(dataset_root, copy)
    return copy


@pytest.fixture(scope="session")
def ds(dataset_root: Path) -> Iterator[policydata.Dataset]:
    with policydata.open("0.2.0", root=dataset_root) as opened:
        yield opened


@pytest.fixture(scope="session")
def ds_old(dataset_root: Path) -> Iterator[policydata.Dataset]:
    with policydata.open("0.1.0", root=dataset_root) as opened:
        yield opened


@pytest.fixture(scope="session")
def doctest_globals() -> dict[str, Any]:
    """Names the docstring examples in policydata/ are given: none, so that
    every example imports what it uses and runs on the shipped data as
    ``help()`` shows it."""
    return {}


@pytest.fixture(autouse=True, scope="session")
def _doctest_namespace(doctest_namespace: dict[str, Any], doctest_globals: dict[str, Any]) -> None:
    doctest_namespace.update(doctest_globals)
