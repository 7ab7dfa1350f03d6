"""The library against the real published data: sealed, thread-safe, unambiguous."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

import policydata

VERSION = "1.1.0"


@pytest.fixture(scope="module")
def real():
    return policydata.open(VERSION)


def test_sql_cannot_write_over_the_published_files(real):
    target = real.path / "documents.parquet"
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    for statement in (
        f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet, USE_TMP_FILE false)",
        f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet)",
        f"SELECT * FROM read_parquet('{target}')",
    ):
        with pytest.raises(Exception, match="(?i)permission|disabled|not allowed"):
            real.sql(statement)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_your_own_objects_do_not_change_typed_results(real):
    import pyarrow as pa

    expected = real.documents()
    other = policydata.open(VERSION)
    other.connection.register("documents", pa.table({"doc_id": ["x"]}))
    other.connection.execute("CREATE OR REPLACE TEMP TABLE measures AS SELECT * FROM measures LIMIT 1")
    assert other.documents() == expected
    assert len(other.measures()) == len(real.measures()) > 1


def test_one_dataset_shared_by_threads_gives_the_same_answers(real):
    calls = [
        lambda: real.measures(tag="tool:regulation"),
        lambda: real.documents(region="320000"),
        lambda: real.deadlines(kind="due_by"),
        lambda: real.agencies(text="发展"),
    ]
    expected = [len(call()) for call in calls]
    assert all(expected)
    failures: list[object] = []

    def work(n: int) -> None:
        for i in range(25):
            call = (n + i) % len(calls)
            try:
                got = len(calls[call]())
            except Exception as exc:  # collected and reported below, never ignored
                failures.append(exc)
                continue
            if got != expected[call]:
                failures.append((call, got, expected[call]))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_a_label_naming_several_tags_is_refused(real):
    with pytest.raises(ValueError, match="several tags: bei:government_procurement, tool:procurement"):
        real.measures(tag="政府采购")
    assert real.measures(tag="bei:government_procurement")


def test_sql_runs_exactly_one_statement(real):
    for query in ("", "-- nothing", "SELECT 1; SELECT 2"):
        with pytest.raises(ValueError, match="exactly one SQL statement"):
            real.sql(query)


def test_building_a_new_version_beside_an_open_one_does_not_disturb_it(tmp_path: Path):
    from policydata_build.pipeline import build

    build(None, tmp_path, "9.0.0")
    reader = policydata.open("9.0.0", root=tmp_path)
    before = reader.measures(tag="bei:bidding")
    build(None, tmp_path, "9.1.0")
    assert policydata.versions(tmp_path) == ["9.0.0", "9.1.0"]
    assert reader.measures(tag="bei:bidding") == before and before
