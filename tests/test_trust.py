"""Versions a paper can rely on: each read by its own schema, pinned by the registry, never silently lossy.

Every attack here passed silently before the registry, the per-version schema
and the loss checks existed; each test states what is refused and how.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sourcefiles import bundled, write_text_dump

import policydata
from policydata import schema
from policydata.cli import main as cli
from policydata.diff import diff
from policydata.errors import (
    LayoutError,
    ManifestError,
    RegistryMismatchError,
    SchemaMismatchError,
    VerificationError,
)
from policydata.integrity import read_version, registry, verify_root
from policydata_build import BUNDLED_SOURCE, DATASET_VERSION
from policydata_build.errors import LossError, SourceError, VersionConflictError
from policydata_build.pages import read_source
from policydata_build.pipeline import build, build_tables
from policydata_build.pipeline import main as build_main

REPO_DATASET = Path(__file__).resolve().parents[1] / "dataset"
PUBLISHED = sorted(registry(), key=schema.version_key)


def copy_published(root: Path, *versions: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for version in versions:
        shutil.copytree(REPO_DATASET / version, root / version)
    return root


def rewrite_manifest(folder: Path, change) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- 1. each version is read by its own schema ---------------------------------------------


def _extended_declaration() -> schema.Declaration:
    """The current schema plus one nullable column and one new vocabulary value, as a later release would have."""
    documents = schema.CURRENT.table("documents")
    added = schema.Column("reviewed_on", "date", True, "Date a person checked the row.", None, "9.9")
    tables = tuple(
        dataclasses.replace(t, columns=t.columns + (added,)) if t is documents else t for t in schema.CURRENT.tables
    )
    vocabularies = tuple(
        dataclasses.replace(v, meanings=v.meanings + (("footnote", "A footnote."),))
        if v.name == "measure_kind" else v
        for v in schema.CURRENT.vocabularies
    )
    return schema.Declaration("9.9", tables, vocabularies)


@pytest.fixture()
def evolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """Published versions beside one built with an added column and vocabulary value."""
    import datetime as dt

    from policydata_build.write import SourceInfo, write_version

    root = copy_published(tmp_path / "root", *PUBLISHED)
    rows = build_tables(bundled())[0]  # this release's rows, as a later release would extend them
    for doc in rows["documents"]:
        doc["reviewed_on"] = dt.date(2023, 6, 1) if doc["doc_id"] == "2023-01-00-019" else None
    rows["measures"][0]["kind"] = "footnote"
    monkeypatch.setattr(schema, "CURRENT", _extended_declaration())
    version = "9.9.0+evolved"
    write_version(rows, root, version, SourceInfo("x.txt", "text", "0" * 64, 1), {}, "2023")
    return root, version


def test_every_version_opens_by_its_own_schema_after_the_schema_grows(evolved, capsys) -> None:
    root, new = evolved
    for version in [*PUBLISHED, new]:
        ds = policydata.open(version, root=root)
        assert read_version(root / version, verify=True).problems == []
        docs = ds.documents()
        assert len(docs) == 279
        has_column = version == new
        assert {d.reviewed_on for d in docs} == ({None, __import__("datetime").date(2023, 6, 1)} if has_column
                                                 else {None})
        assert ds.sql("SELECT count(*) AS n FROM documents").to_pylist() == [{"n": 279}]
        if "measures" in ds.tables:
            if has_column:
                assert len(ds.measures(kind="footnote")) == 1
            else:
                with pytest.raises(ValueError, match="unknown measure kind .footnote."):
                    ds.measures(kind="footnote")
        ds.close()
    for old in PUBLISHED:
        code, out, _ = run_cli(capsys, "--root", str(root), "diff", old, new)
        assert code == 0 and "reviewed_on)" in out.splitlines()[2], out[:500]
    report = diff(policydata.open(PUBLISHED[0], root=root), policydata.open(new, root=root))
    assert report.table("documents").columns_added[-1] == "reviewed_on"
    assert report.table("measures").status == "added"
    code, out, _ = run_cli(capsys, "--root", str(root), "verify")
    assert code == 0, out
    assert f"{new}: ok" in out and "not a published version" in out


def test_a_version_with_columns_this_release_does_not_know_is_refused(evolved, monkeypatch) -> None:
    root, new = evolved
    monkeypatch.undo()  # back to this release's schema
    with pytest.raises(SchemaMismatchError, match="documents has columns this release of policydata does not know"):
        policydata.open(new, root=root)


def test_a_value_outside_the_versions_own_vocabulary_is_refused(tmp_path: Path) -> None:
    from policydata_build.write import SourceInfo, write_version

    root = tmp_path
    rows = build_tables(bundled())[0]
    rows["deadlines"][0]["kind"] = "soonish"
    write_version(rows, root, "9.0.0", SourceInfo("x.txt", "text", "0" * 64, 1), {}, "2023")
    with pytest.raises(SchemaMismatchError, match="deadlines.kind holds values outside its vocabulary.*soonish"):
        policydata.open("9.0.0", root=root)


def test_versions_written_before_schemas_were_embedded_use_the_frozen_copy() -> None:
    for version in ("1.0.0", "1.1.0"):
        checked = read_version(REPO_DATASET / version, verify=True)
        assert checked.problems == [] and checked.declaration is not None
        assert checked.declaration.schema_version == "1.1"
    for version in PUBLISHED[2:]:
        embedded = json.loads((REPO_DATASET / version / "datapackage.json").read_text(encoding="utf-8"))
        manifest = json.loads((REPO_DATASET / version / "manifest.json").read_text(encoding="utf-8"))
        assert embedded["policydata"]["schema"]["schema_version"] == manifest["schema_version"] != "1.1"


# -- 2. checksums pinned outside the version folder -------------------------------------------


def test_registry_pins_every_published_version_and_nothing_else() -> None:
    on_disk = sorted((p.name for p in REPO_DATASET.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))),
                     key=schema.version_key)
    assert sorted(registry(), key=schema.version_key) == on_disk
    for version in on_disk:
        checked = read_version(REPO_DATASET / version, verify=True, load=False)
        assert checked.published and checked.problems == [], version


def test_a_symlinked_version_folder_is_refused(tmp_path: Path, capsys) -> None:
    root = copy_published(tmp_path, "1.1.0")
    (root / "1.3.0").symlink_to(root / "1.1.0", target_is_directory=True)
    with pytest.raises(LayoutError, match="1.3.0 is a symbolic link"):
        policydata.open("1.3.0", root=root)
    code, out, _ = run_cli(capsys, "--root", str(root), "verify")
    assert code == 1 and "1.3.0: FAILED" in out and "1.1.0: ok" in out


def test_a_deleted_manifest_does_not_make_the_version_vanish(tmp_path: Path, capsys) -> None:
    root = copy_published(tmp_path, "1.0.0", "1.1.0")
    (root / "1.1.0" / "manifest.json").unlink()
    assert policydata.versions(root) == ["1.0.0", "1.1.0"]
    with pytest.raises(ManifestError, match="manifest.json is missing"):
        policydata.open("1.1.0", root=root)
    code, out, err = run_cli(capsys, "--root", str(root), "verify")
    assert code == 1 and "1.1.0: FAILED" in out and "verification failed" in err


@pytest.mark.parametrize(
    "attack",
    ["drop a table from the manifest", "change a file and its hash", "change provenance", "rename the folder"],
)
def test_rewriting_a_published_version_with_its_manifest_is_caught(tmp_path: Path, attack: str, capsys) -> None:
    import hashlib

    root = copy_published(tmp_path, "1.1.0")
    folder = root / "1.1.0"
    if attack == "drop a table from the manifest":
        def drop(m):
            m["tables"].remove("tags")
            del m["files"]["tags.parquet"]
        rewrite_manifest(folder, drop)
        (folder / "tags.parquet").unlink()
    elif attack == "change a file and its hash":
        table = pq.read_table(folder / "flags.parquet").slice(1)
        pq.write_table(table, folder / "flags.parquet")
        data = (folder / "flags.parquet").read_bytes()
        rewrite_manifest(folder, lambda m: m["files"]["flags.parquet"].update(
            sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), rows=table.num_rows))
    elif attack == "change provenance":
        rewrite_manifest(folder, lambda m: m["source"].update(file="another.pdf", kind="pdf"))
    else:
        folder.rename(root / "1.1.1")
        with pytest.raises(ManifestError, match="says version 1.1.0 but the folder is 1.1.1"):
            policydata.open("1.1.1", root=root)
        return
    pinned = registry()["1.1.0"]
    with pytest.raises(RegistryMismatchError) as info:
        policydata.open("1.1.0", root=root)
    assert info.value.expected == pinned and info.value.actual != pinned
    assert pinned in str(info.value) and info.value.actual in str(info.value)
    code, out, _ = run_cli(capsys, "--root", str(root), "verify", "--version", "1.1.0")
    assert code == 1 and pinned in out


def test_files_that_are_not_regular_or_not_listed_are_refused_and_all_listed(tmp_path: Path, capsys) -> None:
    root = copy_published(tmp_path, "1.1.0")
    folder = root / "1.1.0"
    (folder / "views.sql").unlink()
    (folder / "views.sql").symlink_to(REPO_DATASET / "1.1.0" / "views.sql")
    (folder / "extra.parquet").write_bytes(b"x")
    os.mkfifo(folder / "pipe")
    with pytest.raises(VerificationError) as info:
        policydata.open("1.1.0", root=root)
    messages = [Exception.__str__(p) for p in info.value.problems]
    assert len(messages) == 3
    assert any("extra.parquet is not listed in the manifest" in m for m in messages)
    assert any("pipe is not listed in the manifest" in m for m in messages)
    assert any("views.sql is a symbolic link" in m for m in messages)
    assert "2 more problems" in str(info.value)
    code, out, _ = run_cli(capsys, "--root", str(root), "verify")
    assert code == 1 and "1.1.0: FAILED, 3 problems:" in out


def test_a_version_built_elsewhere_is_checked_against_its_own_manifest(tmp_path: Path, capsys) -> None:
    result = build(None, tmp_path, "9.0.0")
    ds = policydata.open("9.0.0", root=tmp_path)
    assert ds.published is False and policydata.open(PUBLISHED[-1]).published is True
    code, out, _ = run_cli(capsys, "--root", str(tmp_path), "verify")
    assert code == 0 and out.startswith("9.0.0: ok") and "not a published version" in out
    assert result.created


def test_a_published_version_number_cannot_be_built_anywhere_else(tmp_path: Path) -> None:
    with pytest.raises(VersionConflictError, match="1.1.0 is a published version.*--version 1.1.0\\+mybuild"):
        build(None, tmp_path, "1.1.0")
    assert list(tmp_path.iterdir()) == []
    assert build(None, tmp_path, "1.1.0+mybuild").created


def test_the_bundled_root_must_hold_every_published_version(tmp_path: Path, monkeypatch) -> None:
    root = copy_published(tmp_path, "1.0.0")
    report = verify_root(root, ["1.0.0"], bundled=True)
    assert report.problems == [f"published version {v} is missing from {root}" for v in PUBLISHED[1:]]
    assert verify_root(root, ["1.0.0"], bundled=False).problems == []


# -- 3. the build never loses text silently ------------------------------------------------------


def _pages(first: int = 1, last: int = 102, blank: tuple[int, ...] = ()) -> list[tuple[int, list[str]]]:
    return [(p.number, [] if p.number in blank else list(p.lines))
            for p in bundled().pages if first <= p.number <= last]


def test_a_page_without_text_inside_a_body_stops_the_build(tmp_path: Path) -> None:
    source = write_text_dump(tmp_path / "s.txt", _pages(blank=(40,)))  # inside 2023-01-00-004 (pages 36-52)
    with pytest.raises(LossError, match="2023-01-00-004: page_without_text: page 40 has no text") as info:
        build(source, tmp_path / "out", "9.0.0")
    assert "--partial" in str(info.value)
    assert not (tmp_path / "out").exists()
    result = build(source, tmp_path / "out", "9.0.0", partial=True)
    manifest = json.loads((result.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["partial"] == json.loads((result.path / "quality.json").read_text(encoding="utf-8"))["losses"]
    assert any("page 40 has no text" in loss for loss in manifest["partial"])
    flags = pq.read_table(result.path / "flags.parquet").to_pylist()
    assert [(f["doc_id"], f["page"]) for f in flags if f["code"] == "page_without_text"] == [("2023-01-00-004", 40)]


def test_a_source_ending_inside_a_body_on_a_shared_page_stops_the_build(tmp_path: Path) -> None:
    # 2023-01-00-001 runs over pages 23-27 and 2023-01-00-002 begins on page 27:
    # a source that ends on page 26 cuts 001 off mid-sentence.
    source = write_text_dump(tmp_path / "s.txt", _pages(last=26))
    with pytest.raises(LossError, match="2023-01-00-001: body_may_be_truncated: the source ends on page 26"):
        build(source, tmp_path / "out", "9.0.0")


def test_a_source_holding_only_the_contents_stops_the_build(tmp_path: Path) -> None:
    source = write_text_dump(tmp_path / "s.txt", _pages(last=22))
    with pytest.raises(LossError, match="the source holds no document text"):
        build(source, tmp_path / "out", "9.0.0")
    result = build(source, tmp_path / "out", "9.0.0", partial=True)
    assert json.loads((result.path / "manifest.json").read_text(encoding="utf-8"))["partial"]


def test_a_page_saying_it_has_no_text_is_expected(tmp_path: Path) -> None:
    pages = [(n, ["（此页无正文）"] if n == 41 else lines) for n, lines in _pages()]
    rows, quality, _ = build_tables(read_source(write_text_dump(tmp_path / "s.txt", pages)))
    assert quality["losses"] == []


def test_the_bundled_source_loses_nothing() -> None:
    assert build_tables(bundled())[1]["losses"] == []


# -- 4. input and output edges -----------------------------------------------------------------


def _one_line_error(capsys, argv: list[str], match: str) -> None:
    assert build_main(argv) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "Traceback" not in err and match in err, err


@pytest.mark.parametrize(("version", "match"), [("1.2.4\n", "'1.2.4\\n' is not X.Y.Z"), ("", "'' is not X.Y.Z"),
                                                 ("1.2", "is not X.Y.Z"), ("../1.2.0", "is not X.Y.Z")])
def test_bad_version_strings_are_refused(tmp_path: Path, capsys, version: str, match: str) -> None:
    _one_line_error(capsys, ["--out", str(tmp_path / "out"), "--version", version, "--no-progress"], match)
    assert not (tmp_path / "out").exists()


def test_out_inside_a_version_folder_or_a_file_is_refused(tmp_path: Path, capsys) -> None:
    root = copy_published(tmp_path / "root", "1.0.0")
    _one_line_error(capsys, ["--out", str(root / "1.0.0"), "--version", "9.0.0"], "lies inside the version folder")
    _one_line_error(capsys, ["--out", str(root / "1.0.0" / "x"), "--version", "9.0.0"], "lies inside the version folder")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    _one_line_error(capsys, ["--out", str(tmp_path / "file"), "--version", "9.0.0"], "is not a folder")
    assert sorted(p.name for p in (root / "1.0.0").iterdir()) == sorted(p.name for p in (REPO_DATASET / "1.0.0").iterdir())


def test_operating_system_errors_give_one_line_and_leave_nothing(tmp_path: Path, capsys, monkeypatch) -> None:
    import errno

    import policydata_build.write as write

    def full_disk(table, path):
        path.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(write, "_write_parquet", full_disk)
    out = tmp_path / "new" / "out"
    _one_line_error(capsys, ["--out", str(out), "--version", "9.0.0"], "No space left on device")
    assert list(tmp_path.iterdir()) == []  # the folders it made are gone too
    monkeypatch.undo()

    real_mkdir = os.mkdir

    def denied(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", denied)
    _one_line_error(capsys, ["--out", str(out), "--version", "9.0.0"], "Permission denied")


_SLOW_BUILD = textwrap.dedent("""
    import sys, time
    import policydata_build.write as write
    real = write._write_parquet
    def slow(table, path):
        real(table, path)
        time.sleep(60)  # the test interrupts the build here, with the temporary folder half-written
    write._write_parquet = slow
    from policydata_build.pipeline import main
    sys.exit(main(sys.argv[1:]))
""")


def _start_slow_build(out: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, "--out", str(out), "--version", "9.0.0", "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".tmp-") and any(p.iterdir()) for p in (out.iterdir() if out.exists() else [])):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    return proc


def test_a_terminated_build_removes_its_temporary_folder(tmp_path: Path) -> None:
    import signal

    proc = _start_slow_build(tmp_path)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_a_killed_builds_leftovers_are_reported_then_removed(tmp_path: Path, capsys) -> None:
    import signal

    proc = _start_slow_build(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    (left,) = [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert build(None, tmp_path, "8.0.0").created
    code, out, _ = run_cli(capsys, "--root", str(tmp_path), "verify")
    assert code == 0 and out.startswith("8.0.0: ok") and "temporary folder" not in out
    left.mkdir()  # another one left behind: verify reports it and ignores it
    code, out, _ = run_cli(capsys, "--root", str(tmp_path), "verify")
    assert code == 0 and f"note: {str(left)!r} is a build's temporary folder" in out
    assert build(None, tmp_path, "8.1.0").stale_removed == (left,)
    assert not left.exists()


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_give_the_same_rows(tmp_path: Path, newline: str) -> None:
    text = BUNDLED_SOURCE.read_text(encoding="utf-8")
    other = tmp_path / "s.txt"
    other.write_bytes(text.replace("\n", newline).encode("utf-8"))
    assert build_tables(read_source(other))[0] == build_tables(bundled())[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_input_is_named(tmp_path: Path, encoding: str) -> None:
    other = tmp_path / "s.txt"
    other.write_bytes(BUNDLED_SOURCE.read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(SourceError, match="encoded as UTF-16.*save it as UTF-8"):
        read_source(other)


def test_a_pdf_without_a_text_layer_says_so(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(3):
        c.rect(50, 50, 400, 600, fill=1)  # a scanned page: pictures, no text
        c.showPage()
    c.save()
    with pytest.raises(SourceError, match="no text layer on any of its 3 pages"):
        read_source(path)


def test_a_long_sql_query_does_not_block_typed_queries() -> None:
    ds = policydata.open(PUBLISHED[-1])
    started = threading.Event()
    failure: list[BaseException] = []

    def long_query() -> None:
        started.set()
        try:
            ds.sql("SELECT sum(range % 7) AS s FROM range(1000000000000)")
        except BaseException as exc:  # interrupted below, on purpose
            failure.append(exc)

    worker = threading.Thread(target=long_query)
    worker.start()
    started.wait()
    time.sleep(0.2)
    result: list[int] = []
    typed = threading.Thread(target=lambda: result.append(len(ds.measures(kind="numbered"))))
    typed.start()
    typed.join(timeout=30)
    blocked = typed.is_alive()
    ds.connection.interrupt()
    worker.join(timeout=30)
    typed.join(timeout=30)
    assert not blocked, "a typed query waited for ds.sql()"
    assert result and result[0] > 0
    assert failure, "the long query should have been interrupted, not finished"


# -- 5. a clean install on current Python, and a valid data package ----------------------------------


_NO_PKG_RESOURCES = textwrap.dedent("""
    import importlib.abc, sys
    class NoPkgResources(importlib.abc.MetaPathFinder):
        # What Python 3.12+ and setuptools 81+ environments look like.
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "pkg_resources":
                raise ModuleNotFoundError("No module named 'pkg_resources'", name=name)
    sys.modules.pop("pkg_resources", None)
    sys.meta_path.insert(0, NoPkgResources())
    from policydata_build.pipeline import main
    code = main(sys.argv[1:])
    import policydata
    ds = policydata.open("9.0.0", root=sys.argv[2])
    assert len(ds.measures()) > 0
    loaded = sorted(m for m in ("pkg_resources", "cpca", "cn2an") if m in sys.modules)
    print("loaded:", loaded)
    sys.exit(code)
""")


def test_the_build_runs_without_pkg_resources(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _NO_PKG_RESOURCES, "--out", str(tmp_path), "--version", "9.0.0",
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout


def test_the_shipped_descriptor_validates_with_the_frictionless_command_line(tmp_path: Path) -> None:
    exe = shutil.which("frictionless")
    assert exe, "the frictionless command line (test dependency) is not installed"
    # Every descriptor from 1.2.0 on validates; 1.0.0 and 1.1.0 stay as published (README says so).
    for version in ("1.2.0", DATASET_VERSION):
        shipped = REPO_DATASET / version
        descriptor = json.loads((shipped / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["sources"][0]["title"]
        done = subprocess.run([exe, "validate", str(shipped / "datapackage.json")], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, (version, done.stdout[-3000:])
    # The check can fail: a measure pointing at no document is a foreign-key error.
    copy = shutil.copytree(shipped, tmp_path / DATASET_VERSION)
    measures = pq.read_table(copy / "measures.parquet").to_pylist()
    measures[0]["doc_id"] = "no-such-document"
    pq.write_table(pa.Table.from_pylist(measures, schema=pq.read_schema(copy / "measures.parquet")),
                   copy / "measures.parquet")
    done = subprocess.run([exe, "validate", str(copy / "datapackage.json")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0 and "foreign-key" in done.stdout


def test_licences_are_stated() -> None:
    root = REPO_DATASET.parent
    assert "MIT License" in (root / "LICENSE").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "Article 5" in readme


# -- found in review: more ways in, each refused ------------------------------------------


@pytest.mark.parametrize("spelling", [".", "link"])
def test_out_inside_a_version_folder_however_spelt_is_refused(tmp_path: Path, capsys, spelling: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_published(tmp_path / "root", "1.1.0")
    if spelling == ".":
        monkeypatch.chdir(root / "1.1.0")
        out = "."
    else:
        (tmp_path / "link").symlink_to(root / "1.1.0", target_is_directory=True)
        out = str(tmp_path / "link")
    _one_line_error(capsys, ["--out", out, "--version", "9.0.0+x", "--no-progress"], "lies inside the version folder")
    monkeypatch.chdir(tmp_path)
    assert sorted(p.name for p in (root / "1.1.0").iterdir()) == sorted(p.name for p in (REPO_DATASET / "1.1.0").iterdir())


def _write_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change) -> Path:
    """A version written under a changed declaration, then read by this release's."""
    from policydata_build.write import SourceInfo, write_version

    rows = build_tables(bundled())[0]
    declaration, rows = change(schema.CURRENT, rows)
    monkeypatch.setattr(schema, "CURRENT", declaration)
    write_version(rows, tmp_path, "9.0.0", SourceInfo("x.txt", "text", "0" * 64, 1), {}, "2023")
    monkeypatch.undo()
    return tmp_path


def test_a_version_whose_schema_loosens_a_column_is_refused(tmp_path: Path, monkeypatch) -> None:
    def loosen(declaration, rows):
        documents = declaration.table("documents")
        title = dataclasses.replace(documents.column("title"), nullable=True)
        tables = tuple(dataclasses.replace(t, columns=tuple(title if c.name == "title" else c for c in t.columns))
                       if t is documents else t for t in declaration.tables)
        rows["documents"][0]["title"] = None
        return dataclasses.replace(declaration, tables=tables), rows

    root = _write_with(tmp_path, monkeypatch, loosen)
    with pytest.raises(SchemaMismatchError, match="documents lacks or loosens.*title nullable"):
        policydata.open("9.0.0", root=root)


def test_a_version_whose_schema_drops_a_column_is_refused(tmp_path: Path, monkeypatch) -> None:
    def drop(declaration, rows):
        regions = declaration.table("regions")
        tables = tuple(dataclasses.replace(t, columns=tuple(c for c in t.columns if c.name != "name"))
                       if t is regions else t for t in declaration.tables)
        for row in rows["regions"]:
            del row["name"]
        return dataclasses.replace(declaration, tables=tables), rows

    root = _write_with(tmp_path, monkeypatch, drop)
    with pytest.raises(SchemaMismatchError, match="regions lacks or loosens.*name missing"):
        policydata.open("9.0.0", root=root)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda m: m.update(schema_version="../published"), "schema_version must be N.N"),
        (lambda m: m["files"]["flags.parquet"].update(rows=None), "tables without a row count"),
        (lambda m: m["files"].update({"x" * 300: m["files"]["views.sql"]}), "is unreadable|is missing"),
    ],
)
def test_hostile_manifests_give_clear_errors(tmp_path: Path, change, match: str, capsys) -> None:
    import hashlib

    root = copy_published(tmp_path, "2.0.0")
    rewrite_manifest(root / "2.0.0", change)
    with pytest.raises(VerificationError, match=match):
        policydata.open("2.0.0", root=root)
    code, out, err = run_cli(capsys, "--root", str(root), "verify")
    assert code == 1 and "Traceback" not in out + err
    del hashlib


def test_a_hostile_embedded_schema_gives_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "root"
    from policydata_build.write import SourceInfo, write_version

    write_version(build_tables(bundled())[0], root, "9.0.0", SourceInfo("x.txt", "text", "0" * 64, 1), {}, "2023")
    folder = root / "9.0.0"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    package["policydata"]["schema"]["vocabularies"][0]["values"][0]["value"] = ["a", "list"]
    data = json.dumps(package).encode()
    (folder / "datapackage.json").write_bytes(data)
    import hashlib

    rewrite_manifest(folder, lambda m: m["files"]["datapackage.json"].update(
        sha256=hashlib.sha256(data).hexdigest(), bytes=len(data)))
    with pytest.raises(ManifestError, match="no readable 'policydata.schema' declaration: TypeError"):
        policydata.open("9.0.0", root=root)


def test_a_file_named_like_a_version_gives_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "1.3.0").write_text("x", encoding="utf-8")
    code, out, err = run_cli(capsys, "--root", str(tmp_path), "info", "--version", "1.3.0")
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_odd_leftovers_never_block_a_build(tmp_path: Path, capsys) -> None:
    (tmp_path / ".tmp-2.0.0+x-99999").write_text("a file, not a build folder", encoding="utf-8")
    (tmp_path / ".tmp-2.0.0+x-999999999999999999999").mkdir()
    result = build(None, tmp_path, "9.0.0")
    assert result.created and result.stale_removed == ()
    code, out, _ = run_cli(capsys, "--root", str(tmp_path), "verify")
    assert code == 0 and out.count("is a build's temporary folder") == 2


def test_names_almost_like_versions_are_noted(tmp_path: Path, capsys) -> None:
    build(None, tmp_path, "9.0.0")
    for name in ("1.0", "v2.0.0", "1.1.0 "):
        (tmp_path / name).mkdir()
    code, out, _ = run_cli(capsys, "--root", str(tmp_path), "verify")
    assert code == 0 and out.count("is named almost like a version") == 3


def test_a_symlinked_target_is_not_accepted_as_the_same_build(tmp_path: Path) -> None:
    first = build(None, tmp_path / "a", "9.0.0").path
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "9.0.0").symlink_to(first, target_is_directory=True)
    with pytest.raises(VersionConflictError, match="not a version folder of its own"):
        build(None, tmp_path / "b", "9.0.0")


def test_published_needs_verification_and_the_latest_is_the_published_one(tmp_path: Path) -> None:
    root = copy_published(tmp_path, "2.0.0")
    build(None, root, "2.0.0+mine")
    assert policydata.versions(root)[-1] == "2.0.0" and policydata.open(root=root).version == "2.0.0"
    assert policydata.open("2.0.0", root=root, verify=False).published is False
    assert policydata.open("2.0.0", root=root).published is True


def test_an_interrupted_build_says_so_in_one_line(monkeypatch, capsys, tmp_path: Path) -> None:
    import policydata_build.pipeline as pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build", interrupted)
    assert pipeline.main(["--out", str(tmp_path), "--version", "9.0.0"]) == 130
    assert capsys.readouterr().err == "policydata build: interrupted; nothing was written\n"


def test_a_source_that_cannot_be_read_is_named(tmp_path: Path, monkeypatch) -> None:
    import errno

    source = tmp_path / "s.txt"
    source.write_text("x", encoding="utf-8")

    def failing(self):
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))

    monkeypatch.setattr(Path, "read_bytes", failing)
    with pytest.raises(SourceError, match="s.txt: cannot be read \\(Input/output error\\)"):
        read_source(source)
