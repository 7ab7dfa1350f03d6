"""The README's promises: two set-up commands, runnable examples, generated sections."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from policydata_build import DATASET_VERSION
from policydata_build.docs import MODELS_STUB, block, generated_blocks, models_stub

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert m, title
    return m.group(1)


def _fenced(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def test_exactly_two_setup_commands_and_ci_runs_the_second():
    commands = [c.strip() for c in _fenced(_section("Set-up"), "sh")]
    assert commands == ["pip install -e . && policydata build", "pip install -e '.[test]' && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install -e '.[test]' && python -m pytest" in ci


def test_first_command_effect_the_installed_command_reproduces_the_published_version():
    """`policydata build` on a fresh clone: the console script is installed and the
    bundled source rebuilds the committed version exactly (nothing is rewritten)."""
    exe = shutil.which("policydata")
    assert exe, "the policydata console script is not installed"
    folder = ROOT / "dataset" / DATASET_VERSION
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    done = subprocess.run([exe, "build"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "already holds this exact content" in done.stdout
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    listed = subprocess.run([exe, "versions"], capture_output=True, text=True, timeout=60)
    assert DATASET_VERSION in listed.stdout.split()


@pytest.mark.parametrize("code", _fenced(README, "python"))
def test_python_examples_run(code, capsys):
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


@pytest.mark.parametrize("query", _fenced(README, "sql"))
def test_sql_examples_run_and_return_rows(query):
    import policydata

    table = policydata.open(DATASET_VERSION).sql(query.strip().rstrip(";"))
    assert table.num_rows > 0


def test_generated_sections_are_current():
    for name, body in generated_blocks().items():
        assert block(README, name) == body, f"README {name} block is stale: run python -m policydata_build.docs"
    stub = MODELS_STUB.read_text(encoding="utf-8")
    assert stub == models_stub(), "policydata/models.pyi is stale: run python -m policydata_build.docs"


@pytest.mark.parametrize("query", _fenced(README, "sql"))
def test_sql_examples_run_in_the_duckdb_command_line(query):
    exe = shutil.which("duckdb")
    assert exe, "the duckdb command line (test dependency duckdb-cli) is not installed"
    folder = ROOT / "dataset" / DATASET_VERSION
    done = subprocess.run([exe, "-csv", "-init", "views.sql", "-c", query], cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) > 1  # header and at least one row


def test_citation_names_the_declared_dataset_version():
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"\nversion: {DATASET_VERSION}\n" in cff


def test_r_and_stata_snippets_name_files_and_variables_that_exist(tmp_path):
    """Neither R nor Stata is installed here, so those snippets cannot run. What
    they rely on is checked instead: the Parquet files R reads exist in the
    shipped version with the column it tabulates, and the export command shown
    writes the .dta file Stata opens, with the variable it tabulates."""
    import pandas as pd

    from policydata.cli import main

    [r_code] = _fenced(README, "r")
    for path, column in zip(re.findall(r'read_parquet\("([^"]+)"\)', r_code), ["section", None]):
        assert (ROOT / path).is_file(), path
        if column:
            import pyarrow.parquet as pq
            assert column in pq.read_schema(ROOT / path).names
    assert re.findall(r"\$(\w+)", r_code) == ["section"]

    [stata_code] = _fenced(README, "stata")
    command = next(c for c in _fenced(README, "sh") if c.startswith("policydata export --format stata"))
    out = tmp_path / "policydata-stata"
    argv = command.split()[1:]
    argv[argv.index("--out") + 1] = str(out)
    assert main(argv) == 0
    used = re.search(r'use "\./policydata-stata/(\w+\.dta)"', stata_code).group(1)
    variable = re.search(r"tabulate (\w+)", stata_code).group(1)
    frame = pd.read_stata(out / used)
    assert variable in frame.columns and frame[variable].notna().all()


def test_command_line_examples_run(tmp_path, monkeypatch, capsys):
    """Every line of the README's command-line block runs and prints something,
    except the build from 汇编.pdf: that is the user's own copy of the PDF,
    which this repository does not have (the build itself is tested in test_build)."""
    import shlex

    from policydata.cli import main

    command_line = _section("Using it").split("### Command line", 1)[1]
    [block] = _fenced(command_line, "sh")
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert any(line.startswith("policydata refs ") for line in lines)
    monkeypatch.chdir(tmp_path)  # export writes to ./stata
    ran = 0
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "policydata"
        if argv[1] == "build":
            assert "汇编.pdf" in argv
            continue
        assert main(argv[1:]) == 0, line
        assert capsys.readouterr().out.strip(), line
        ran += 1
    assert ran == len(lines) - 1
