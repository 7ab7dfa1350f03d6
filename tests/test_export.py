"""``policydata export``: CSV, Excel, Stata and Parquet with the version they came from (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import policydata
from policydata.cli import main
from policydata.export import LIST_SEPARATOR, export

LATEST = policydata.versions()[-1]


@pytest.fixture(scope="module")
def latest() -> policydata.Dataset:
    return policydata.open(LATEST)


def _meta(folder: Path) -> dict:
    return json.loads((folder / "EXPORT.json").read_text(encoding="utf-8"))


def test_every_export_names_its_version_and_checksum(latest, tmp_path) -> None:
    ds = latest
    for fmt in ("csv", "excel", "stata", "parquet"):
        export(ds, ["regions"], fmt, tmp_path / fmt)
        meta = _meta(tmp_path / fmt)
        assert (meta["version"], meta["manifest_sha256"], meta["format"]) == (LATEST, ds.manifest_sha256, fmt)


def test_csv_is_utf8_with_an_optional_bom_and_lists_in_one_cell(latest, tmp_path) -> None:
    ds = latest
    export(ds, ["agencies"], "csv", tmp_path / "plain")
    export(ds, ["agencies"], "csv", tmp_path / "bom", bom=True)
    plain = (tmp_path / "plain" / "agencies.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and (tmp_path / "bom" / "agencies.csv").read_bytes() == b"\xef\xbb\xbf" + plain
    text = plain.decode("utf-8")
    with_aliases = [a for a in ds.agencies() if len(a.aliases) > 1][0]
    assert LIST_SEPARATOR.join(with_aliases.aliases) in text and with_aliases.name in text


def test_parquet_export_holds_the_same_rows(latest, tmp_path) -> None:
    ds = latest
    export(ds, ["measures"], "parquet", tmp_path)
    assert pq.read_table(tmp_path / "measures.parquet").equals(ds.table("measures"))


def test_stata_has_dates_labels_and_every_row(latest, tmp_path) -> None:
    ds = latest
    import pandas as pd

    export(ds, ["documents", "deadlines"], "stata", tmp_path)
    frame = pd.read_stata(tmp_path / "documents.dta")
    assert len(frame) == len(ds.documents()) and str(frame["issued_on"].dtype).startswith("datetime64")
    with pd.io.stata.StataReader(tmp_path / "documents.dta") as reader:
        labels = reader.variable_labels()
    assert labels["doc_id"].startswith("Stable id") and all(len(v) <= 80 for v in labels.values())
    text = frame.set_index("doc_id")["text"]
    first = ds.documents(section="国家")[0]
    assert text[first.doc_id] == first.text  # full text as strL, not cut


def test_excel_has_a_sheet_per_table_and_a_codebook(latest, tmp_path) -> None:
    ds = latest
    import pandas as pd

    export(ds, ["documents", "tags"], "excel", tmp_path)
    sheets = pd.read_excel(tmp_path / "policydata.xlsx", sheet_name=None)
    assert list(sheets) == ["documents", "tags", "codebook"]
    assert len(sheets["documents"]) == len(ds.documents())
    codebook = sheets["codebook"]
    assert {"table", "column", "meaning"} <= set(codebook.columns)
    assert "experimental" in set(codebook["column"])
    assert _meta(tmp_path)["cells_cut_at_excel_limit"] == []  # no text here reaches 32,767 characters
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "policydata.xlsx")["documents"]
    header = [c.value for c in sheet[1]]
    issued = [row[header.index("issued_on")] for row in sheet.iter_rows(min_row=2) if row[header.index("issued_on")].value]
    assert issued and all(c.number_format == "YYYY-MM-DD" for c in issued)


def test_a_table_named_twice_is_exported_once_and_losses_are_stated(latest, tmp_path) -> None:
    export(latest, ["regions", "regions"], "stata", tmp_path)
    meta = _meta(tmp_path)
    assert meta["tables"] == ["regions"] and "missing text is an empty string" in meta["notes"]


def test_export_command_and_its_errors(tmp_path, capsys) -> None:
    assert main(["export", "--format", "csv", "--tables", "regions,tags", "--out", str(tmp_path), "--bom"]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"regions.csv", "tags.csv", "EXPORT.json"}
    capsys.readouterr()
    assert main(["export", "--format", "stata", "--tables", "nope", "--out", str(tmp_path / "x")]) == 1
    assert "unknown table(s) ['nope']" in capsys.readouterr().err
    assert main(["export", "--format", "excel", "--bom", "--out", str(tmp_path / "y")]) == 1
    assert "--bom applies to CSV only" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "file")]) == 1
    assert "is a file" in capsys.readouterr().err
