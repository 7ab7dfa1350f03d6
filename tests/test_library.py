"""The policydata library against the synthetic versions in conftest.py."""

from __future__ import annotations

import datetime as dt
import doctest
import hashlib
import importlib
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydata
from policydata import models, schema
from policydata.dataset import ROOT_ENV, default_root
from policydata.integrity import read_version
from policydata.diff import RowChange, diff
from policydata.errors import (
    ChecksumError,
    DatasetRootError,
    ManifestError,
    MissingFileError,
    NotFoundError,
    SchemaMismatchError,
    TableNotAvailableError,
    VersionNotFoundError,
)

from conftest import full_version_tables, write_version

ALL_DOCS = ["2023-01-00-003", "2023-01-00-019", "2023-02-01-002", "2023-03-02-003", "2023-03-02-004", "2023-03-04-004"]


def ids(rows: list[Any], field: str = "doc_id") -> list[str]:
    return [getattr(r, field) for r in rows]


def rewrite_manifest(folder: Path, change: Any) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


# -- versions and roots -----------------------------------------------------


def test_versions_are_semver_sorted_and_ignore_non_versions(tmp_path: Path) -> None:
    for name in ["1.10.0", "1.2.0", "1.9.0", "0.9.12", "1.2.0+pdf"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}", encoding="utf-8")
    # Named like a version but broken (no manifest): listed, so that opening it
    # says what is wrong instead of the version silently vanishing.
    (tmp_path / "2.0.0").mkdir()
    for name in [".tmp-3.0.0-123", "v4.0.0", "00.1.0", "1.0", "1.2.4\n", "1.2.0+", "__pycache__"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    # A build of one's own sorts before the published version of its number: the latest is the published one.
    assert policydata.versions(tmp_path) == ["0.9.12", "1.2.0+pdf", "1.2.0", "1.9.0", "1.10.0", "2.0.0"]
    with pytest.raises(ManifestError, match="2.0.0/manifest.json is missing"):
        policydata.open("2.0.0", root=tmp_path)


def test_root_comes_from_env_then_package(dataset_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ROOT_ENV, str(dataset_root))
    assert policydata.versions() == ["0.1.0", "0.2.0"]
    assert policydata.open().path == dataset_root / "0.2.0"
    monkeypatch.delenv(ROOT_ENV)
    import policydata_dataset

    assert default_root() == Path(policydata_dataset.__file__).parent


def test_missing_root_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetRootError, match="does not exist"):
        policydata.versions(tmp_path / "nowhere")


def test_open_latest_and_pinned(dataset_root: Path) -> None:
    assert policydata.open(root=dataset_root).version == "0.2.0"
    old = policydata.open("0.1.0", root=dataset_root)
    assert old.version == "0.1.0" and old.manifest.version == "0.1.0"
    assert old.tables == ["documents", "regions", "agencies", "document_agencies", "flags"]
    assert old.manifest_sha256 == hashlib.sha256((dataset_root / "0.1.0" / "manifest.json").read_bytes()).hexdigest()


def test_unknown_version_lists_available(dataset_root: Path) -> None:
    with pytest.raises(VersionNotFoundError) as info:
        policydata.open("1.0", root=dataset_root)
    assert info.value.available == ["0.1.0", "0.2.0"]
    assert "available versions: 0.1.0, 0.2.0" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_empty_root_has_no_latest(tmp_path: Path) -> None:
    with pytest.raises(VersionNotFoundError, match="no dataset versions .* available versions: none"):
        policydata.open(root=tmp_path)


def test_import_is_cheap() -> None:
    code = "import sys, policydata; print(sorted(m for m in ('duckdb', 'pyarrow', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_open_and_a_query_load_neither_pyarrow_nor_numpy_nor_pandas() -> None:
    """Each costs tens of milliseconds to import (pyarrow with numpy about 0.2 s) and none is needed to
    open and query: DuckDB reads the verified Parquet bytes itself."""
    code = ("import sys, policydata; ds = policydata.open(); ds.measures(tag='tool:regulation', text='企业'); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_models_load_lazily_from_the_package() -> None:
    assert policydata.Document is models.Document
    with pytest.raises(AttributeError):
        policydata.NoSuchThing  # noqa: B018


# -- verification -------------------------------------------------------------


def test_tampered_file_raises_checksum_error(scratch_root: Path) -> None:
    target = scratch_root / "0.2.0" / "documents.parquet"
    expected = json.loads((scratch_root / "0.2.0" / "manifest.json").read_text())["files"]["documents.parquet"]["sha256"]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(ChecksumError) as info:
        policydata.open("0.2.0", root=scratch_root)
    assert info.value.file == "documents.parquet"
    assert info.value.expected == expected
    assert info.value.actual == hashlib.sha256(bytes(data)).hexdigest()
    assert expected in str(info.value) and info.value.actual in str(info.value)
    # The untouched version still opens.
    assert policydata.open("0.1.0", root=scratch_root).version == "0.1.0"


def test_tampered_side_file_is_caught_too(scratch_root: Path) -> None:
    (scratch_root / "0.2.0" / "views.sql").write_text("DROP VIEW documents;\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="views.sql"):
        policydata.open("0.2.0", root=scratch_root)
    assert policydata.open("0.2.0", root=scratch_root, verify=False).version == "0.2.0"


def test_missing_file_is_named(scratch_root: Path) -> None:
    (scratch_root / "0.2.0" / "deadlines.parquet").unlink()
    with pytest.raises(MissingFileError, match="deadlines.parquet"):
        policydata.open("0.2.0", root=scratch_root)
    with pytest.raises(MissingFileError, match="deadlines.parquet"):
        policydata.open("0.2.0", root=scratch_root, verify=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(version="0.1.0"), "says version 0.1.0 but the folder is 0.2.0"),
        (lambda m: m["tables"].append("secrets"), "unknown tables"),
        (lambda m: m["files"].pop("tags.parquet"), "tables without a file \\['tags'\\]"),
        (lambda m: m["files"].update({"../x": m["files"]["views.sql"]}), "plain names"),
        (lambda m: m.update(extra_field=1), "extra_field"),
        (lambda m: m["files"]["views.sql"].update(sha256="XYZ"), "not a lowercase hex sha256"),
        (lambda m: m.pop("builder"), "builder"),
    ],
)
def test_bad_manifest_is_rejected(scratch_root: Path, change: Any, message: str) -> None:
    rewrite_manifest(scratch_root / "0.2.0", change)
    with pytest.raises(ManifestError, match=message):
        policydata.open("0.2.0", root=scratch_root, verify=False)


def test_parquet_that_breaks_the_schema_is_rejected(scratch_root: Path) -> None:
    folder = scratch_root / "0.2.0"
    table = pq.read_table(folder / "tags.parquet")
    tags = table.rename_columns([("label" if name == "label_en" else name) for name in table.column_names])
    pq.write_table(tags, folder / "tags.parquet")
    data = (folder / "tags.parquet").read_bytes()
    rewrite_manifest(folder, lambda m: m["files"]["tags.parquet"].update(sha256=hashlib.sha256(data).hexdigest(),
                                                                        bytes=len(data)))
    with pytest.raises(SchemaMismatchError) as info:
        policydata.open("0.2.0", root=scratch_root)
    assert info.value.table == "tags"
    assert "label string not null" in info.value.found and "label_en string not null" in info.value.expected


def _replace_file(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    rewrite_manifest(folder, lambda m: m["files"][name].update(sha256=hashlib.sha256(data).hexdigest(),
                                                               bytes=len(data)))


def test_bytes_that_are_not_parquet_are_named_not_loaded(scratch_root: Path) -> None:
    folder = scratch_root / "0.2.0"
    _replace_file(folder, "tags.parquet", b"PAR1 but not really a Parquet file")
    with pytest.raises(SchemaMismatchError, match="tags.parquet cannot be read") as info:
        policydata.open("0.2.0", root=scratch_root)
    assert info.value.table == "tags"


def test_a_row_count_other_than_the_manifests_is_named(scratch_root: Path) -> None:
    folder = scratch_root / "0.2.0"
    rows = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]["tags.parquet"]["rows"]
    rewrite_manifest(folder, lambda m: m["files"]["tags.parquet"].update(rows=rows + 1))
    with pytest.raises(SchemaMismatchError, match="tags.parquet has another row count than the manifest") as info:
        policydata.open("0.2.0", root=scratch_root)
    assert info.value.expected == [f"{rows + 1} rows"] and info.value.found == [f"{rows} rows"]


def test_a_column_of_another_type_or_nesting_is_described_as_found(scratch_root: Path) -> None:
    folder = scratch_root / "0.2.0"
    table = pq.read_table(folder / "agencies.parquet")
    aliases = table.schema.get_field_index("aliases")
    changed = table.set_column(aliases, pa.field("aliases", pa.list_(pa.int64()), nullable=False),
                               pa.array([[1]] * table.num_rows, pa.list_(pa.int64())))
    sink = pa.BufferOutputStream()
    pq.write_table(changed, sink)
    _replace_file(folder, "agencies.parquet", sink.getvalue().to_pybytes())
    with pytest.raises(SchemaMismatchError) as info:
        policydata.open("0.2.0", root=scratch_root)
    assert "aliases list<string> not null" in info.value.expected
    assert "aliases group<group<INT64 (None)>> not null" in info.value.found


# -- models ---------------------------------------------------------------------

PY_TYPES = {"string": str, "int32": int, "double": float, "bool": bool, "date": dt.date, "list<string>": list[str]}


@pytest.mark.parametrize("table", sorted(models.MODELS))
def test_models_mirror_the_schema(table: str) -> None:
    model = models.MODELS[table]
    spec = schema.TABLES[table]
    assert tuple(model.model_fields) == spec.column_names
    for column in spec.columns:
        annotation = model.model_fields[column.name].annotation
        base = PY_TYPES[column.type]
        args = set(typing.get_args(annotation))
        if column.nullable or column.added is not None:  # a column older versions lack reads back None
            assert type(None) in args, column.name
            args.discard(type(None))
            annotation = args.pop()
        if typing.get_origin(annotation) is typing.Literal:
            assert base is str and all(isinstance(v, str) for v in typing.get_args(annotation)), column.name
        else:
            assert annotation == base, column.name


def test_typed_rows_equal_the_parquet_rows(ds: policydata.Dataset) -> None:
    queries = {
        "documents": ds.documents,
        "regions": ds.regions,
        "agencies": ds.agencies,
        "measures": ds.measures,
        "deadlines": ds.deadlines,
        "tags": ds.tags,
        "flags": ds.flags,
    }
    assert set(queries) <= set(models.MODELS)
    for table, query in queries.items():
        on_disk = pq.read_table(ds.path / f"{table}.parquet").to_pylist()
        typed = [row.model_dump() for row in query()]
        assert typed == on_disk, table
        assert len(typed) == ds.manifest.files[f"{table}.parquet"].rows


def test_rows_are_frozen(ds: policydata.Dataset) -> None:
    doc = ds.documents(limit=1)[0]
    with pytest.raises(Exception, match="frozen"):
        doc.title = "x"  # type: ignore[misc]


# -- typed queries: results -------------------------------------------------------


def test_documents_order_and_limit(ds: policydata.Dataset) -> None:
    assert ids(ds.documents()) == ALL_DOCS
    assert ids(ds.documents(limit=2)) == ALL_DOCS[:2]
    assert ds.documents(limit=0) == []


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("100000", ALL_DOCS),
        ("340000", ["2023-03-02-003", "2023-03-04-004"]),
        ("340400", ["2023-03-02-003"]),
        ("320000", ["2023-03-02-004"]),
        ("320583", ["2023-03-02-004"]),
        ("110000", ["2023-02-01-002"]),
    ],
)
def test_documents_region_includes_descendants(ds: policydata.Dataset, region: str, expected: list[str]) -> None:
    assert ids(ds.documents(region=region)) == expected


def test_documents_other_filters(ds: policydata.Dataset) -> None:
    assert ids(ds.documents(section="华东")) == ["2023-03-02-003", "2023-03-02-004", "2023-03-04-004"]
    assert ids(ds.documents(issued_from="2023-04-12", issued_to="2023-04-27")) == ["2023-03-02-003", "2023-03-02-004"]
    # Inclusive bounds; the undated Beijing document is never in a date range.
    assert ids(ds.documents(issued_from=dt.date(2023, 5, 31))) == ["2023-01-00-003"]
    assert ids(ds.documents(issued_to="2023-01-06")) == ["2023-01-00-019"]
    assert ids(ds.documents(text="创优营商环境")) == ["2023-03-02-003", "2023-03-04-004"]
    assert ids(ds.documents(text="小规模纳税人")) == ["2023-01-00-003"]  # body text only
    assert ids(ds.documents(doc_id="2023-03-02-004")) == ["2023-03-02-004"]
    assert ids(ds.documents(region="340000", issued_to="2023-04-01")) == ["2023-03-04-004"]


@pytest.mark.parametrize("agency", ["100000:国家发展和改革委员会", "国家发展和改革委员会", "国家发展改革委", "发展改革委"])
def test_documents_agency_by_id_name_or_alias(ds: policydata.Dataset, agency: str) -> None:
    assert ids(ds.documents(agency=agency)) == ["2023-01-00-003", "2023-01-00-019"]


@pytest.mark.parametrize("tag", ["bei:tax", "纳税", "Paying taxes"])
def test_documents_tag_by_id_or_label(ds: policydata.Dataset, tag: str) -> None:
    assert ids(ds.documents(tag=tag)) == ["2023-01-00-003"]


def test_document_by_id(ds: policydata.Dataset) -> None:
    doc = ds.document("2023-01-00-019")
    assert doc.issued_on == dt.date(2023, 1, 6) and doc.level == "national" and doc.has_text
    with pytest.raises(NotFoundError) as info:
        ds.document("2023-01-00-020")
    assert isinstance(info.value, KeyError)
    assert str(info.value) == "no document with id '2023-01-00-020'"


def test_measures_filters(ds: policydata.Dataset) -> None:
    every = ["2023-01-00-003/2", "2023-01-00-003/2.1", "2023-01-00-019/4", "2023-01-00-019/5"]
    assert ids(ds.measures(), "measure_id") == every
    assert ids(ds.measures(tag="招标投标", text="2023年3月底前"), "measure_id") == every[2:]
    assert ids(ds.measures(tag="bei:bidding", text="招标投标"), "measure_id") == every[3:]
    assert ids(ds.measures(doc_id="2023-01-00-003"), "measure_id") == every[:2]
    assert ids(ds.measures(region="100000"), "measure_id") == every
    assert ds.measures(region="340000") == []  # Anhui documents have no text in the fixture
    assert ids(ds.measures(agency="财政部"), "measure_id") == ["2023-01-00-003/2.1"]
    assert ids(ds.measures(text="增值税", limit=1), "measure_id") == every[:1]
    assert ids(ds.measures(kind="numbered"), "measure_id") == every
    assert ds.measures(kind="signature") == []
    with pytest.raises(ValueError, match="unknown measure kind 'provision'"):
        ds.measures(kind="provision")


def test_measure_offsets_slice_the_document_text(ds: policydata.Dataset) -> None:
    for measure in ds.measures():
        text = ds.document(measure.doc_id).text
        assert text is not None and text[measure.char_start : measure.char_end] == measure.text


def test_deadlines_filters(ds: policydata.Dataset) -> None:
    assert [d.due_on for d in ds.deadlines()] == [dt.date(2023, 12, 31), dt.date(2023, 3, 31), dt.date(2023, 3, 31)]
    assert ids(ds.deadlines(due_from="2023-04-01"), "measure_id") == ["2023-01-00-003/2.1"]
    assert ids(ds.deadlines(due_from="2023-01-01", due_to="2023-03-31"), "measure_id") == [
        "2023-01-00-019/4",
        "2023-01-00-019/5",
    ]
    assert len(ds.deadlines(kind="due_by")) == 3
    assert ds.deadlines(kind="recurring") == []  # a valid kind with no rows is a real empty answer
    assert ids(ds.deadlines(text="年底前"), "measure_id") == ["2023-01-00-003/2.1"]
    assert ids(ds.deadlines(doc_id="2023-01-00-019", limit=1), "measure_id") == ["2023-01-00-019/4"]
    assert ds.deadlines(region="110000") == []


def test_agencies_regions_tags_flags(ds: policydata.Dataset) -> None:
    assert ids(ds.agencies(region="340000"), "name") == ["安徽省人民政府办公厅", "淮南市人民政府办公室"]
    assert ids(ds.agencies(text="税务总局"), "name") == ["国家税务总局"]
    assert ids(ds.agencies(text="政府办公厅"), "name") == ["安徽省人民政府办公厅"]  # alias 安徽省政府办公厅
    assert ids(ds.agencies(limit=2), "agency_id") == sorted(a.agency_id for a in ds.agencies())[:2]
    assert ids(ds.regions(region="320000"), "region_code") == ["320000", "320500", "320583"]
    assert len(ds.regions()) == 7
    assert ids(ds.tags(scheme="bready"), "tag_id") == ["bready:business_entry", "bready:taxation"]
    assert ids(ds.flags(), "code") == ["heading_region_mismatch"]


# -- typed queries: bad values --------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: d.documents(region="999999"), "unknown region '999999'.*100000, 110000"),
        (lambda d: d.documents(region="安"), "unknown region '安'.*regions whose name holds it: 340000 安徽省"),
        (lambda d: d.documents(region=340000), "region must be a string"),
        (lambda d: d.documents(section="华南"), "unknown section '华南'; sections: 华东, 华北, 国家"),
        (lambda d: d.documents(issued_from="2023-02-30"), "not a valid date"),
        (lambda d: d.documents(issued_from="2023/01/01"), "YYYY-MM-DD"),
        (lambda d: d.documents(issued_to="20230101"), "YYYY-MM-DD"),
        (lambda d: d.documents(issued_to=dt.datetime(2023, 1, 1, 12)), "YYYY-MM-DD"),
        (lambda d: d.documents(issued_from="2023-05-01", issued_to="2023-04-01"), "is after"),
        (lambda d: d.documents(agency="发改委"), "unknown agency '发改委'"),
        (lambda d: d.documents(tag="bidding"), "unknown tag 'bidding'; tag ids: bei:bidding, bei:tax"),
        (lambda d: d.documents(text=""), "must not be empty"),
        (lambda d: d.documents(doc_id="2023-01-00-999"), "unknown doc_id"),
        (lambda d: d.documents(limit=-1), "non-negative"),
        (lambda d: d.documents(limit=True), "non-negative"),
        (lambda d: d.documents(limit=1.5), "non-negative"),
        (lambda d: d.measures(doc_id="nope"), "unknown doc_id"),
        (lambda d: d.measures(tag="Bidding"), "unknown tag"),
        (lambda d: d.deadlines(kind="deadline"), "unknown deadline kind 'deadline'; kinds: due_by"),
        (lambda d: d.deadlines(due_to="2023-13-01"), "not a valid date"),
        (lambda d: d.tags(scheme="BEI"), "unknown tag scheme 'BEI'; schemes: bei, bready"),
        (lambda d: d.regions(region=""), "region must be a non-empty code or name"),
        (lambda d: d.flags(doc_id="x"), "unknown doc_id"),
    ],
)
def test_bad_filter_values_raise_value_error(ds: policydata.Dataset, call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(ds)


def test_missing_table_names_the_versions_that_have_it(ds_old: policydata.Dataset) -> None:
    with pytest.raises(TableNotAvailableError, match="version 0.1.0 has no measures table; versions with it: 0.2.0"):
        ds_old.measures()
    with pytest.raises(TableNotAvailableError, match="no document_tags table"):
        ds_old.documents(tag="纳税")
    with pytest.raises(TableNotAvailableError, match="no deadlines table"):
        ds_old.deadlines()
    assert ids(ds_old.documents(region="320000")) == ["2023-03-02-004", "2023-03-02-006"]


# -- SQL access -------------------------------------------------------------------------


def test_sql_has_a_view_per_table_and_binds_parameters(ds: policydata.Dataset) -> None:
    for table in ds.tables:
        count = ds.sql(f'SELECT count(*) AS n FROM "{table}"').column("n")[0].as_py()
        assert count == ds.manifest.files[f"{table}.parquet"].rows, table
    result = ds.sql("SELECT doc_id FROM documents WHERE section = ? ORDER BY doc_id", ["国家"])
    assert isinstance(result, pa.Table)
    assert result.column("doc_id").to_pylist() == ALL_DOCS[:2]
    named = ds.sql("SELECT count(*) AS n FROM measures WHERE doc_id = $d", {"d": "2023-01-00-019"})
    assert named.to_pylist() == [{"n": 2}]


def test_connection_is_sealed(ds: policydata.Dataset, tmp_path: Path) -> None:
    settings_ = dict(
        ds.connection.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoinstall_known_extensions', 'autoload_known_extensions', 'enable_external_access', 'lock_configuration')"
        ).fetchall()
    )
    assert settings_ == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "enable_external_access": "false",
        "lock_configuration": "true",
    }
    outside = tmp_path / "out.csv"
    for statement in [
        f"COPY (SELECT 1) TO '{outside}'",
        "SELECT * FROM read_csv('/etc/hostname')",
        "SET enable_external_access = true",
        "INSTALL httpfs",
    ]:
        with pytest.raises(duckdb.Error):
            ds.connection.execute(statement)
    assert not outside.exists()


def test_table_returns_arrow_in_documented_order(ds: policydata.Dataset, ds_old: policydata.Dataset) -> None:
    assert ds.table("deadlines").column("deadline_id").to_pylist() == [d.deadline_id for d in ds.deadlines()]
    with pytest.raises(TableNotAvailableError):
        ds_old.table("tags")
    with pytest.raises(ValueError, match="unknown table"):
        ds.table("secrets")


# -- reliability -------------------------------------------------------------------------

READER = """
import hashlib, json, sys, policydata
ds = policydata.open("0.2.0", root=sys.argv[1])
out = []
for _ in range(20):
    out.append([d.doc_id for d in ds.documents(region="100000")])
    out.append([m.measure_id for m in ds.measures(tag="招标投标")])
    out.append(ds.sql("SELECT count(*) AS n FROM deadlines").to_pylist())
print(hashlib.sha256(json.dumps(out).encode()).hexdigest())
"""


def test_several_processes_read_one_version_at_once(dataset_root: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", READER, str(dataset_root)], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    digests = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(digests) == 1 and len(digests.pop()) == 64


def test_building_a_new_version_does_not_disturb_readers(scratch_root: Path) -> None:
    reader = policydata.open("0.2.0", root=scratch_root)
    before = [d.model_dump() for d in reader.documents()]
    tables = full_version_tables()
    tables["documents"][0]["title"] = "改过的标题"
    write_version(scratch_root, "0.3.0", tables)
    assert [d.model_dump() for d in reader.documents()] == before
    assert policydata.versions(scratch_root) == ["0.1.0", "0.2.0", "0.3.0"]
    assert policydata.open(root=scratch_root).documents(limit=1)[0].title == "改过的标题"
    assert read_version(reader.path, verify=True).problems == []


FILTER_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "'", "''", '"', "%", "_", ";", "--", "/*", "\\", "' OR '1'='1", "'; DROP VIEW documents; --",
            "1); DELETE FROM documents; --", "%' OR 1=1 --", "$1", "?", "340000' OR '1'='1", "招标投标%",
        ]
    ),
)
FILTER_CALLS = [
    lambda d, v: d.documents(region=v),
    lambda d, v: d.documents(section=v),
    lambda d, v: d.documents(issued_from=v),
    lambda d, v: d.documents(agency=v),
    lambda d, v: d.documents(tag=v),
    lambda d, v: d.documents(text=v),
    lambda d, v: d.documents(doc_id=v),
    lambda d, v: d.document(v),
    lambda d, v: d.measures(text=v, tag="bei:bidding"),
    lambda d, v: d.measures(agency=v),
    lambda d, v: d.deadlines(kind=v),
    lambda d, v: d.deadlines(due_to=v),
    lambda d, v: d.deadlines(text=v),
    lambda d, v: d.agencies(text=v),
    lambda d, v: d.regions(region=v),
    lambda d, v: d.tags(scheme=v),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=FILTER_VALUES, call=st.sampled_from(FILTER_CALLS))
def test_hostile_filter_values_never_reach_sql(ds: policydata.Dataset, value: str, call: Any) -> None:
    try:
        result = call(ds, value)
    except (ValueError, NotFoundError):
        return
    assert isinstance(result, (list, models.Document))


@settings(max_examples=200, deadline=None)
@given(needle=st.one_of(st.text(min_size=1, max_size=6), st.sampled_from(["年", "保证金", "%", "_", "'", "2023年"])))
def test_text_filter_is_plain_substring_search(ds: policydata.Dataset, needle: str) -> None:
    every = ds.documents()
    expected = [d.doc_id for d in every if needle in d.title or (d.text is not None and needle in d.text)]
    assert ids(ds.documents(text=needle)) == expected
    measures = ds.measures()
    assert ids(ds.measures(text=needle), "measure_id") == [m.measure_id for m in measures if needle in m.text]


def test_hostile_values_left_the_data_intact(ds: policydata.Dataset, dataset_root: Path) -> None:
    outcomes = set()
    for value in ["'; DROP VIEW documents; --", "x'); COPY documents TO 'x.parquet'; --"]:
        for call in FILTER_CALLS:
            try:
                outcomes.add(type(call(ds, value)).__name__)
            except (ValueError, NotFoundError) as exc:
                outcomes.add(type(exc).__name__)
    assert outcomes <= {"Rows", "ValueError", "NotFoundError"}
    assert len(ds.documents()) == 6
    assert read_version(ds.path, verify=True).problems == []
    assert policydata.open("0.2.0", root=dataset_root).version == "0.2.0"


def test_root_with_quote_in_its_path(dataset_root: Path, tmp_path: Path) -> None:
    import shutil

    odd = tmp_path / "it's; DROP"
    shutil.copytree(dataset_root, odd)
    assert ids(policydata.open(root=odd).documents(region="340400")) == ["2023-03-02-003"]


# -- diff ------------------------------------------------------------------------------------


def test_diff_between_versions(ds_old: policydata.Dataset, ds: policydata.Dataset) -> None:
    report = diff(ds_old, ds)
    assert (report.old_version, report.new_version) == ("0.1.0", "0.2.0")
    in_neither = ("measure_cells", "references", "cited_works", "measure_links")
    assert [t.table for t in report.tables] == [t for t in schema.TABLES if t not in in_neither]
    docs = report.table("documents")
    assert docs.added == (("2023-02-01-002",),)
    assert docs.removed == (("2023-03-02-006",),)
    assert docs.changed == (RowChange(("2023-01-00-003",), ("title",)),)
    assert docs.unchanged == 4
    assert report.table("document_agencies").added == (
        ("2023-02-01-002", "110000:北京市市场监督管理局", "issuer", "title"),
    )
    measures = report.table("measures")
    assert measures.status == "added" and len(measures.added) == 4
    assert report.table("regions").is_empty and report.table("regions").unchanged == 7
    back = diff(ds, ds_old)
    assert back.table("documents").added == docs.removed
    assert back.table("measures").status == "removed" and len(back.table("measures").removed) == 4
    json.dumps(report.to_dict(), ensure_ascii=False)


def test_diff_of_a_version_with_itself_is_empty(ds: policydata.Dataset) -> None:
    report = diff(ds, ds)
    assert all(t.is_empty and t.status == "both" for t in report.tables)
    assert sum(t.unchanged for t in report.tables) == sum(ds.manifest.files[f"{t}.parquet"].rows for t in ds.tables)


# -- docstring examples ----------------------------------------------------------------------

MODULES = ["policydata", "policydata.models", "policydata.dataset", "policydata.errors", "policydata.diff", "policydata.cli",
           "policydata.frames", "policydata.export",
           "policydata.integrity", "policydata.schema", "policydata.report"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str, doctest_globals: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    tests = finder.find(importlib.import_module(module), extraglobs=doctest_globals)
    assert sum(len(t.examples) for t in tests) > 0
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, capsys.readouterr().out


def test_public_api_has_examples() -> None:
    public = [policydata.open, policydata.versions, policydata.Dataset, diff]
    public += [getattr(policydata.Dataset, n) for n in ("documents", "document", "measures", "deadlines",
                                                          "agencies", "regions", "tags", "sql", "table")]
    missing = [f.__qualname__ for f in public if ">>>" not in (f.__doc__ or "")]
    assert missing == []
    assert os.path.exists(Path(policydata.__file__).parent / "py.typed")


# -- DataFrames (issue 11) ------------------------------------------------------------------

def test_typed_rows_are_also_tables_with_the_declared_types() -> None:
    from policydata.schema import CURRENT, arrow_schema

    ds = policydata.open(policydata.versions()[-1])
    for name in ("documents", "measures", "deadlines", "agencies", "tags"):
        rows = getattr(ds, name)()
        table = rows.to_arrow()
        declared = arrow_schema(CURRENT.table(name))
        assert table.schema.names == declared.names and table.schema.types == declared.types, name
        assert table.num_rows == len(rows)
        assert table.to_pylist() == [r.model_dump() for r in rows], name


def test_to_pandas_keeps_dates_nullable_integers_and_lists() -> None:
    import pandas as pd

    ds = policydata.open(policydata.versions()[-1])
    docs = ds.documents().to_pandas()
    assert str(docs["issued_on"].dtype) == "datetime64[ms]"
    assert isinstance(docs["page_start"].dtype, pd.Int32Dtype) and docs["page_start"].isna().any()
    assert isinstance(docs["is_draft"].dtype, pd.BooleanDtype)
    aliases = ds.agencies().to_pandas()["aliases"]
    assert all(isinstance(v, list) for v in aliases) and any(v for v in aliases)
    filtered = ds.measures(tag="bei:bidding").to_pandas()
    assert filtered["measure_id"].tolist() == [m.measure_id for m in ds.measures(tag="bei:bidding")]


def test_to_polars_gives_typed_columns() -> None:
    import polars as pl

    ds = policydata.open(policydata.versions()[-1])
    frame = ds.deadlines().to_polars()
    assert frame.schema["due_on"] == pl.Date and frame.schema["char_start"] == pl.Int32
    assert ds.agencies().to_polars().schema["aliases"] == pl.List(pl.String)


def test_an_older_version_gives_later_columns_as_typed_nulls() -> None:
    ds = policydata.open("1.1.0")
    table = ds.documents().to_arrow()
    assert table.column("effective_on").null_count == table.num_rows
    assert str(table.schema.field("effective_on").type) == "date32[day]"


# -- names in filters (issue 11) ------------------------------------------------------------

def test_region_takes_a_code_or_a_chinese_name_with_or_without_its_level_word() -> None:
    ds = policydata.open(policydata.versions()[-1])
    by_code = [d.doc_id for d in ds.documents(region="110000")]
    assert by_code and by_code == [d.doc_id for d in ds.documents(region="北京市")]
    assert by_code == [d.doc_id for d in ds.documents(region="北京")]
    with pytest.raises(ValueError, match="unknown region 'Atlantis'"):
        ds.documents(region="Atlantis")


def test_a_name_several_regions_share_raises_and_lists_them() -> None:
    ds = policydata.open(policydata.versions()[-1])
    names = dict(ds._region_names)
    # Two 朝阳区 exist in China (Beijing's and Changchun's); give this version both.
    names.update({"110105": "朝阳区", "220104": "朝阳区"})
    ds.__dict__["_region_names"] = names
    with pytest.raises(ValueError, match="region '朝阳区' names several regions: 110105 朝阳区, 220104 朝阳区"):
        ds.documents(region="朝阳区")
    with pytest.raises(ValueError, match="region '朝阳' names several regions"):
        ds.documents(region="朝阳")  # without the level word too


def test_rows_pickle_as_plain_lists_and_a_closed_dataset_says_so() -> None:
    import pickle

    ds = policydata.open(policydata.versions()[-1])
    rows = ds.documents(limit=2)
    assert pickle.loads(pickle.dumps(rows)) == list(rows)
    assert str(ds.agencies(text="不存在的名称").to_pandas()["aliases"].dtype) == "object"
    ds.close()
    with pytest.raises(ValueError, match="is closed"):
        rows.to_arrow()


def test_an_unknown_agency_suggests_the_closest_names() -> None:
    ds = policydata.open(policydata.versions()[-1])
    with pytest.raises(ValueError, match="closest names: 国家税务总局"):
        ds.measures(agency="国家税务局")


def test_role_filters_the_part_an_agency_plays() -> None:
    ds = policydata.open(policydata.versions()[-1])
    links = ds.sql("SELECT measure_id, role FROM measure_agencies WHERE agency_id IN "
                   "(SELECT agency_id FROM agencies WHERE name = $n OR list_contains(aliases, $n))",
                   {"n": "国家发展改革委"}).to_pylist()
    assert {r["role"] for r in links} >= {"cooperating", "reporting_to"}
    for role in ("lead", "cooperating", "reporting_to", "responsible"):
        want = sorted({r["measure_id"] for r in links if r["role"] == role})
        assert [m.measure_id for m in ds.measures(agency="国家发展改革委", role=role)] == want
    every = ds.sql("SELECT DISTINCT measure_id FROM measure_agencies WHERE role = 'reporting_to' ORDER BY 1").to_pylist()
    assert sorted(m.measure_id for m in ds.measures(role="reporting_to")) == [r["measure_id"] for r in every]
    with pytest.raises(ValueError, match="unknown agency role 'boss'"):
        ds.measures(role="boss")


def test_document_places_gives_province_and_year_for_every_document() -> None:
    ds = policydata.open(policydata.versions()[-1])
    rows = ds.sql("SELECT * FROM document_places ORDER BY doc_id").to_pylist()
    docs = {d.doc_id: d for d in ds.documents()}
    assert [r["doc_id"] for r in rows] == sorted(docs)
    anhui = [r for r in rows if r["region_code"].startswith("34")]
    assert anhui and {r["province_code"] for r in anhui} == {"340000"} and {r["province"] for r in anhui} == {"安徽省"}
    national = [r for r in rows if r["region_code"] == "100000"]
    assert {r["province"] for r in national} == {"中华人民共和国"}
    assert all(r["year"] == (docs[r["doc_id"]].issued_on.year if docs[r["doc_id"]].issued_on else None) for r in rows)
    assert not [r for r in rows if r["province"] is None]
