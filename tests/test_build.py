"""The whole build: reproducible, immutable, atomic, valid, and the same from PDF and text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sourcefiles import bundled, write_pdf

from policydata.schema import TABLES
from policydata_build import BUNDLED_SOURCE, DATASET_VERSION
from policydata_build.errors import VersionConflictError
from policydata_build.pipeline import build, build_tables, default_out

REPO_DATASET = Path(__file__).resolve().parents[1] / "dataset"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    return build(None, out, "9.0.0").path


@pytest.fixture(scope="module")
def rows():
    return build_tables(bundled())[0]


def _table(path: Path, name: str) -> list[dict]:
    return pq.read_table(path / f"{name}.parquet").to_pylist()


def test_two_builds_are_byte_identical(built, tmp_path):
    again = build(None, tmp_path, "9.0.0").path
    for name in json.loads((built / "manifest.json").read_text())["files"]:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_manifest_checksums_and_counts(built):
    import hashlib

    m = json.loads((built / "manifest.json").read_text())
    assert m["version"] == "9.0.0" and m["source"]["pages"] == 102 and m["source"]["kind"] == "text"
    assert m["source"]["sha256"] == hashlib.sha256(BUNDLED_SOURCE.read_bytes()).hexdigest()
    assert set(m["tables"]) == set(TABLES)
    for name, entry in m["files"].items():
        data = (built / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert m["files"]["documents.parquet"]["rows"] == 279
    assert {"pyarrow", "pypdf", "python"} <= set(m["builder"]) and not {"cpca", "cn2an"} & set(m["builder"])


def test_published_version_is_rebuilt_identically():
    """The committed dataset is exactly what the code builds (README command 1)."""
    assert default_out() == REPO_DATASET
    published = REPO_DATASET / DATASET_VERSION
    assert (published / "manifest.json").is_file(), f"{published} is not built: run `policydata build` and commit it"
    result = build()  # compares with the published files; never writes over them
    assert result.created is False and result.path == REPO_DATASET / DATASET_VERSION


def test_existing_version_with_other_content_is_refused(built, tmp_path):
    out = built.parent
    other = tmp_path / "other.txt"
    other.write_text(BUNDLED_SOURCE.read_text(encoding="utf-8").replace("国务院办公厅关于深入推进跨部门综合监管", "国务院办公厅关于深入推进跨部门综合监督", 1), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in built.iterdir()}
    with pytest.raises(VersionConflictError, match="immutable"):
        build(other, out, "9.0.0")
    assert {p.name: p.read_bytes() for p in built.iterdir()} == before
    assert [p.name for p in out.iterdir()] == ["9.0.0"]  # no temporary folder left behind


def test_pdf_build_gives_the_same_documents(built, tmp_path):
    pdf = write_pdf(tmp_path / "compilation.pdf", bundled().pages)
    from_pdf = build(pdf, tmp_path / "out", "9.0.0").path
    for name in TABLES:
        assert _table(from_pdf, name) == _table(built, name), name
    assert json.loads((from_pdf / "manifest.json").read_text())["source"]["kind"] == "pdf"


# --- the rows themselves ---------------------------------------------------


def _doc(rows, doc_id):
    (d,) = [d for d in rows["documents"] if d["doc_id"] == doc_id]
    return d


def test_national_documents_are_linked_with_numbers_and_issuers(rows):
    national = [d for d in rows["documents"] if d["section"] == "国家"]
    assert len(national) == 19 and all(d["has_text"] and d["region_code"] == "100000" for d in national)
    assert sum(d["has_text"] for d in rows["documents"]) == 19
    numbers = {d["seq"]: d["doc_number"] for d in national}
    assert numbers[18] == "国办发〔2023〕1号" and numbers[19] == "发改法规〔2023〕27号" and numbers[16] == "工信部企业函〔2023〕4号"
    assert numbers[1] is None and _doc(rows, "2023-01-00-001")["doc_number_raw"] == "国发〔\n〕\n 号"
    assert numbers[2] is None and numbers[15] is None  # none printed
    signed = [a for a in rows["document_agencies"] if a["doc_id"] == "2023-01-00-019" and a["source"] == "signature"]
    assert len(signed) == 13 and signed[0]["page"] == 102
    assert all(any(a["doc_id"] == d["doc_id"] for a in rows["document_agencies"]) for d in national)


def test_jurisdiction_comes_from_the_issuer_and_disagreements_are_flagged(rows):
    huainan = _doc(rows, "2023-03-02-003")
    assert (huainan["group_name"], huainan["region_code"], huainan["level"]) == ("江苏", "340400", "prefectural")
    flags = {(f["doc_id"], f["code"]) for f in rows["flags"]}
    assert ("2023-03-02-003", "heading_region_mismatch") in flags
    assert ("2023-03-02-008", "heading_region_mismatch") in flags  # 泰安 under 江苏
    assert ("2023-08-03-015", "heading_region_mismatch") in flags  # 甘孜 under 甘肃
    assert _doc(rows, "2023-03-02-006")["region_code"] == "320700"  # 云港市 → 连云港市
    assert ("2023-03-02-006", "truncated_name") in flags
    assert ("2023-01-00-001", "doc_number_garbled") in flags
    regions = {r["region_code"]: r for r in rows["regions"]}
    assert regions["340400"]["parent_code"] == "340000" and regions["340000"]["parent_code"] == "100000"


def test_measure_offsets_slice_back_and_ids_are_unique(rows):
    texts = {d["doc_id"]: d["text"] for d in rows["documents"]}
    ids = [m["measure_id"] for m in rows["measures"]]
    assert len(ids) == len(set(ids))
    for m in rows["measures"]:
        assert m["text"] == texts[m["doc_id"]][m["char_start"] : m["char_end"]]
        assert m["page_start"] <= m["page_end"]
    for d in rows["deadlines"]:
        assert d["expression"] == "".join(texts[d["doc_id"]][d["char_start"] : d["char_end"]].split())
    with_text = {d["doc_id"] for d in rows["documents"] if d["has_text"]}
    assert with_text == {m["doc_id"] for m in rows["measures"]}


def test_deadlines_examples(rows):
    got = {(d["doc_id"], d["expression"]): d for d in rows["deadlines"]}
    d = got[("2023-01-00-001", "本措施印发之日起一年内")]
    assert (d["kind"], d["due_on"], d["duration"]) == ("time_limit", dt.date(2024, 6, 1), "P1Y")
    d = got[("2023-01-00-019", "2023年5月底前")]
    assert (d["kind"], d["due_on"], d["precision"], d["page"]) == ("due_by", dt.date(2023, 5, 31), "month", 102)
    d = got[("2023-01-00-001", "自进境之日起6个月内")]
    assert (d["duration"], d["anchor"], d["due_on"]) == ("P6M", "进境之日", None)
    three = [x for (doc, _), x in got.items() if doc == "2023-01-00-014" and x["kind"] == "due_by"]
    assert sorted(x["due_on"] for x in three) == [dt.date(2023, 3, 15), dt.date(2023, 7, 1), dt.date(2023, 12, 1)]


def test_tags_have_evidence_in_the_measure(rows):
    text = {m["measure_id"]: m["text"] for m in rows["measures"]}
    assert rows["measure_tags"]
    for t in rows["measure_tags"]:
        # A planning tag may come from a stated target: its expression is in the text.
        words = t["evidence"].removeprefix("target ") if t["tag_id"] == "tool:planning" else t["evidence"]
        assert words in text[t["measure_id"]]
    tender = [t for t in rows["measure_tags"] if t["tag_id"] == "bei:bidding"]
    assert any(t["measure_id"].startswith("2023-01-00-019/") for t in tender)


# --- invariants stop the build ---------------------------------------------


def test_implausible_deadline_stops_the_build(monkeypatch):
    import policydata_build.measures as measures
    from policydata_build.deadlines import DeadlineHit
    from policydata_build.errors import BuildError

    def fake(text, issued_on, cells=()):
        start = text.find("2023年5月底前")
        if start < 0:
            return [], []
        hit = DeadlineHit("2023年5月底前", "due_by", dt.date(2095, 5, 31), "month", None, None, start, start + 9)
        return [hit], []

    monkeypatch.setattr(measures, "find_deadlines", fake)
    with pytest.raises(BuildError, match="outside the plausible range"):
        build_tables(bundled())


def test_a_deadline_years_before_its_document_is_a_fact_of_the_past(monkeypatch):
    """我市已于2021年底前完成… in a text of 2023: left out as before_issue_date, however long ago
    (it once stopped the build, as a date more than a year before the document's)."""
    import policydata_build.measures as measures
    from policydata_build.deadlines import DeadlineHit

    def fake(text, issued_on, cells=()):
        start = text.find("2023年5月底前")
        if start < 0:
            return [], []
        return [DeadlineHit("2023年5月底前", "due_by", dt.date(1995, 5, 31), "month", None, None, start, start + 9)], []

    monkeypatch.setattr(measures, "find_deadlines", fake)
    rows, quality, _ = build_tables(bundled())
    assert rows["deadlines"] == [] and quality["time_expressions_left_out"]["before_issue_date"] >= 1


def test_document_with_text_but_no_provisions_stops_the_build(monkeypatch):
    import policydata_build.measures as measures
    from policydata_build.errors import BuildError
    from policydata_build.provisions import ParseStats

    monkeypatch.setattr(measures, "parse_provisions", lambda text, is_signatory, reserved=None: ([], ParseStats()))
    with pytest.raises(BuildError, match="has text but no provisions"):
        build_tables(bundled())


def test_same_rows_but_another_quality_report_is_refused(built):
    from policydata_build.pipeline import edition_of
    from policydata_build.write import SourceInfo, write_version

    src = bundled()
    rows, quality, edition = build_tables(src)
    info = SourceInfo(src.path.name, src.kind, src.sha256, len(src.pages))
    assert write_version(rows, built.parent, "9.0.0", info, quality, edition).created is False
    with pytest.raises(VersionConflictError, match="quality.json differs"):
        write_version(rows, built.parent, "9.0.0", info, {**quality, "measures": -1}, edition_of(src))


def test_an_incomplete_or_edited_version_folder_is_refused_clearly(tmp_path):
    import shutil

    built = build(None, tmp_path, "9.0.0").path
    (built / "views.sql").write_text("-- edited\n", encoding="utf-8")
    with pytest.raises(VersionConflictError, match="views.sql differs"):
        build(None, tmp_path, "9.0.0")
    (built / "quality.json").unlink()
    with pytest.raises(VersionConflictError, match="lacks quality.json"):
        build(None, tmp_path, "9.0.0")
    shutil.rmtree(built)


def test_a_build_that_loses_the_race_to_an_identical_one_succeeds(tmp_path, monkeypatch):
    import os
    import shutil

    import policydata_build.write as write

    real_rename = os.rename

    def other_build_won(src, dst):
        shutil.copytree(src, dst)  # the other build published first
        real_rename(src, dst)  # and this rename now fails: the target exists and is not empty

    monkeypatch.setattr(write.os, "rename", other_build_won)
    result = build(None, tmp_path, "9.0.0")
    assert result.created is False
    assert [p.name for p in tmp_path.iterdir()] == ["9.0.0"]


def test_a_stated_target_is_the_planning_instrument(rows):
    # 2023年培育100家左右国家级中小企业特色产业集群 (p. 93): a target, so tool:planning.
    targets = {d["measure_id"]: d["expression"] for d in rows["deadlines"] if d["kind"] == "target"}
    planning = {t["measure_id"]: t["evidence"] for t in rows["measure_tags"] if t["tag_id"] == "tool:planning"}
    assert targets["2023-01-00-016/2.15"] == "2023年"
    assert planning["2023-01-00-016/2.15"] == "target 2023年"
    assert set(targets) <= set(planning) | {m["measure_id"] for m in rows["measures"] if m["kind"] in ("heading", "title")}


def test_headings_titles_and_announcing_paragraphs_carry_no_tags(rows):
    kinds = {m["measure_id"]: m["kind"] for m in rows["measures"]}
    assert not [t for t in rows["measure_tags"] if kinds[t["measure_id"]] in ("heading", "title")]
    tagged = {t["measure_id"] for t in rows["measure_tags"]}
    announcing = [m for m in rows["measures"] if m["kind"] == "paragraph" and m["text"].rstrip().endswith("如下。")]
    assert announcing and not tagged & {m["measure_id"] for m in announcing}


def test_the_build_command_leaves_pandas_unimported_and_importable(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys; from policydata_build.pipeline import main\n"
        f"assert main(['--out', {str(tmp_path)!r}, '--version', '9.9.9+nopandas', '--no-progress']) == 0\n"
        "assert 'pandas' not in sys.modules\n"
        "import pyarrow as pa; pa.table({'a': [1]}).to_pandas()\n"  # still there for whoever wants it
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_rows_do_not_depend_on_how_many_processes_parse_them():
    from policydata_build import BUNDLED_SOURCE
    from policydata_build.pages import read_source
    from policydata_build.pipeline import build_tables

    source = read_source(BUNDLED_SOURCE)
    one, quality_one, _ = build_tables(source, workers=1)
    two, quality_two, _ = build_tables(source, workers=2)
    assert one == two and quality_one == quality_two


def test_workers_must_be_positive(capsys):
    from policydata_build.pipeline import main

    with pytest.raises(SystemExit):
        main(["--workers", "0", "--no-progress"])
    assert "--workers must be at least 1" in capsys.readouterr().err


def test_a_script_without_a_main_guard_builds_a_small_source(tmp_path):
    """A small source is built in one process: nothing re-runs the caller's script (multiprocessing's
    spawn does, and an unguarded script once hung that way)."""
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(f"""
from pathlib import Path
from policydata_build.pipeline import build
build(out=Path({str(tmp_path)!r}), version="9.9.9+unguarded")
print("built")
""", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "built"), done.stderr
    assert (tmp_path / "9.9.9+unguarded" / "manifest.json").is_file()


def test_a_worker_that_dies_stops_the_build_with_a_clear_error(tmp_path):
    # (Workers also reset the SIGTERM handler they inherit, so the pool can end
    # the survivors; a review saw them hang without that. It is not reproduced here.)
    import subprocess
    import sys

    # Workers are fresh interpreters (spawn): each imports this script as its
    # main module, so the patch is made there too, and the parent's pid comes
    # through the environment they inherit.
    script = tmp_path / "dies.py"
    script.write_text(f"""
import os, sys
import policydata_build.documents as documents
PARENT = int(os.environ.setdefault("POLICYDATA_TEST_PARENT", str(os.getpid())))
original = documents.render_body
def dying(lines, index=None):
    # One worker is killed (e.g. for want of memory) while the other lives on.
    if os.getpid() != PARENT:
        try:
            os.mkdir({str(tmp_path / "first")!r})
        except FileExistsError:
            return original(lines, index)
        os._exit(9)
    return original(lines, index)
documents.render_body = dying
if __name__ == "__main__":
    from policydata_build.pipeline import main
    sys.exit(main(["--workers", "2", "--out", {str(tmp_path)!r}, "--version", "9.9.9+dies", "--no-progress"]))
""", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "a worker process died" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "first").is_dir()  # it was the patched worker that died
    assert not (tmp_path / "9.9.9+dies").exists()
