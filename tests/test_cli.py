"""The ``policydata`` command line against the synthetic versions in conftest.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import policydata

from policydata.cli import main
from policydata.schema import SCHEMA_VERSION

SUBCOMMANDS = ["versions", "info", "verify", "sql", "show", "diff"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_versions(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(dataset_root), "versions") == (0, "0.1.0\n0.2.0\n", "")


def test_root_from_environment(dataset_root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYDATA_ROOT", str(dataset_root))
    assert run(capsys, "versions")[1] == "0.1.0\n0.2.0\n"


def test_info_shows_pinning_facts(ds: object, dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "info", "--version", "0.1.0")
    assert code == 0
    assert f"policydata 0.1.0 (edition 2023, schema {SCHEMA_VERSION})" in out
    assert "status:          not a published version (a build of one's own)" in out
    import hashlib

    digest = hashlib.sha256((dataset_root / "0.1.0" / "manifest.json").read_bytes()).hexdigest()
    assert f"manifest sha256: {digest}" in out
    assert "  documents                 6 rows" in out
    assert "measures" not in out


def test_info_reads_only_the_manifest(scratch_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch_root / "0.2.0" / "measures.parquet").write_bytes(b"not parquet")
    code, out, err = run(capsys, "--root", str(scratch_root), "info", "--version", "0.2.0")
    assert code == 0 and "measures" in out and err == ""


def test_verify_all_versions(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "verify")
    assert code == 0
    assert out.splitlines() == [
        "0.1.0: ok, 8 files match manifest.json and every table its schema; "
        "not a published version: checked against its own manifest only",
        "0.2.0: ok, 14 files match manifest.json and every table its schema; "
        "not a published version: checked against its own manifest only",
    ]


def test_verify_reports_tampering(scratch_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = scratch_root / "0.1.0" / "flags.parquet"
    target.write_bytes(target.read_bytes() + b"\0")
    code, out, err = run(capsys, "--root", str(scratch_root), "verify", "--version", "0.1.0")
    assert code == 1 and err == "policydata: error: verification failed\n"
    assert out.startswith("0.1.0: FAILED, 1 problem:\n  - checksum mismatch for flags.parquet: expected sha256 ")
    assert run(capsys, "--root", str(scratch_root), "verify", "--version", "0.2.0")[0] == 0


def test_verify_refuses_unlisted_files(scratch_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch_root / "0.2.0" / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(scratch_root), "verify", "--version", "0.2.0")
    assert code == 1 and "notes.txt is not listed in the manifest" in out


def test_sql_formats(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT doc_id, issued_on, is_draft FROM documents WHERE section = '华东' ORDER BY doc_id"
    base = ["--root", str(dataset_root), "sql", query]
    code, out, _ = run(capsys, *base, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"doc_id": "2023-03-02-003", "issued_on": "2023-04-27", "is_draft": False},
        {"doc_id": "2023-03-02-004", "issued_on": "2023-04-12", "is_draft": False},
        {"doc_id": "2023-03-04-004", "issued_on": "2023-03-16", "is_draft": False},
    ]
    code, out, _ = run(capsys, *base, "--format", "csv")
    assert out.splitlines() == [
        "doc_id,issued_on,is_draft",
        "2023-03-02-003,2023-04-27,False",
        "2023-03-02-004,2023-04-12,False",
        "2023-03-04-004,2023-03-16,False",
    ]
    code, out, _ = run(capsys, *base)
    lines = out.splitlines()
    assert lines[0].split() == ["doc_id", "issued_on", "is_draft"]
    assert lines[2].split() == ["2023-03-02-003", "2023-04-27", "False"]
    assert lines[-1] == "(3 rows)"


def test_sql_table_format_aligns_chinese_and_cuts_long_cells(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "sql", "SELECT name, aliases FROM agencies ORDER BY agency_id")
    lines = out.splitlines()
    # Columns start at the same display column although names mix CJK widths.
    header_at = lines[0].index("aliases")
    assert lines[2].startswith("国家发展和改革委员会  ")
    assert lines[2][len("国家发展和改革委员会") + 2 :].startswith('["国家发展改革委", "发展改革委"]')
    assert header_at == 2 * len("国家发展和改革委员会") + 2
    code, out, _ = run(capsys, "--root", str(dataset_root), "sql", "SELECT text FROM measures LIMIT 1")
    assert out.splitlines()[2].endswith("…")


def test_sql_csv_keeps_lists_as_json(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "sql", "SELECT aliases FROM agencies WHERE name = '国家税务总局'",
                       "--format", "csv")
    assert out.splitlines() == ["aliases", '"[""税务总局""]"']


def test_sql_error_is_reported(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(dataset_root), "sql", "SELECT * FROM nope")
    assert code == 1 and out == ""
    assert err.startswith("policydata: error: SQL failed: Catalog Error")
    code, _, err = run(capsys, "--root", str(dataset_root), "sql", "SELECT * FROM read_csv('/etc/hostname')")
    assert code == 1 and "Permission" in err


def test_show_document(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "show", "2023-01-00-003")
    assert code == 0
    assert "title:          国家发展改革委等部门关于做好2023年降成本重点工作的通知" in out
    assert "issuers:        财政部 (signature); 国家发展和改革委员会 (title)" in out
    assert "region_code:    100000 全国" in out  # the fixture version's name for the national level
    assert "provisions:     2" in out
    assert out.rstrip().endswith("（税务总局、财政部按职责分工负责）。")


def test_show_prints_the_provision_tree_with_tags_deadlines_and_flags_in_full(capsys) -> None:
    import policydata

    latest = policydata.versions()[-1]
    code, out, _ = run(capsys, "show", "2023-01-00-016", "--version", latest)
    assert code == 0
    assert "region_code:    100000 中华人民共和国" in out
    # An issuer named in the title and in the signature is listed once.
    assert "issuers:        国务院促进中小企业发展工作领导小组办公室 (signature, title)" in out
    assert "\n    1.4 [numbered, p. 91] （四） 有效扩大市场需求\n" in out
    assert "        deadlines: 到2023年底 (valid_until 2023-12-31)" in out
    assert "        tags: bei:credit, bready:financial_services, tool:financial_support" in out
    code, out, _ = run(capsys, "show", "2023-01-00-001", "--version", latest)
    assert "  - doc_number_garbled (page 23): digits missing in" in out


def test_show_in_an_older_version(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "show", "2023-03-02-006", "--version", "0.1.0")
    assert code == 0 and "is_draft:       True" in out and "measures:" not in out


def test_show_unknown_document(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(dataset_root), "show", "2023-03-02-006") == (
        1,
        "",
        "policydata: error: no document with id '2023-03-02-006'\n",
    )


def test_unknown_version_lists_available(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--root", str(dataset_root), "info", "--version", "2.0.0")
    assert code == 1 and err.rstrip().endswith("available versions: 0.1.0, 0.2.0")


def test_diff_text(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "diff", "0.1.0", "0.2.0")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "0.1.0 -> 0.2.0"
    assert lines[2].split() == ["documents", "1", "1", "1", "4"]
    assert "measures                   4        0        0          0  (new table)" in lines
    assert "  + 2023-02-01-002" in lines
    assert "  - 2023-03-02-006" in lines
    assert "  ~ 2023-01-00-003  (title)" in lines


def test_diff_json(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(dataset_root), "diff", "0.2.0", "0.1.0", "--format", "json")
    report = json.loads(out)
    assert report["tables"]["documents"]["added"] == [["2023-03-02-006"]]
    assert report["tables"]["documents"]["changed"] == [{"key": ["2023-01-00-003"], "columns": ["title"]}]
    assert report["tables"]["deadlines"]["status"] == "removed"


def test_bad_usage_exits_2(dataset_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["info", "--bogus"], ["sql"], ["sql", "SELECT 1", "--format", "xml"], [], ["frobnicate"]):
        with pytest.raises(SystemExit) as info:
            main(["--root", str(dataset_root), *argv])
        assert info.value.code == 2, argv
        assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "example:\n  policydata " + command in out


def test_build_passes_its_arguments_to_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_main(argv: list[str]) -> int:
        seen.append(argv)
        return 3

    fake = types.ModuleType("policydata_build.pipeline")
    fake.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "policydata_build.pipeline", fake)
    assert main(["build", "--source", "x.txt", "--version", "0.3.0", "--no-progress"]) == 3
    assert main(["build", "--help"]) == 3
    assert seen == [["--source", "x.txt", "--version", "0.3.0", "--no-progress"], ["--help"]]


def test_console_script_is_installed(dataset_root: Path) -> None:
    script = shutil.which("policydata")
    assert script is not None, "pip install -e . should put a policydata script on PATH"
    done = subprocess.run(
        [script, "--root", str(dataset_root), "sql", "SELECT count(*) AS n FROM documents", "--format", "csv"],
        capture_output=True, text=True, check=False,
    )
    assert (done.returncode, done.stdout) == (0, "n\n6\n")


# -- citing and running as a module (issue 11) ----------------------------------------------

def test_python_dash_m_policydata_runs_the_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "policydata", "versions"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == policydata.versions()


def test_cite_gives_the_version_and_its_checksum_as_text_and_bibtex(capsys) -> None:
    import re
    from pathlib import Path

    from policydata.cli import main

    latest = policydata.versions()[-1]
    sha = policydata.open(latest).manifest_sha256
    assert main(["cite", "--version", latest]) == 0
    text = capsys.readouterr().out
    assert f"dataset version {latest}" in text and sha in text
    assert main(["cite", "--version", latest, "--format", "bibtex"]) == 0
    bib = capsys.readouterr().out
    assert bib.startswith("@misc{policydata_") and f"version = {{{latest}}}" in bib and sha in bib
    # The title is CITATION.cff's.
    cff = (Path(__file__).resolve().parents[1] / "CITATION.cff").read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', cff, re.M).group(1)
    assert title in text and title in bib
