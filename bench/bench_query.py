"""Benchmark of the query library; run on purpose, not part of the tests.

    python bench/bench_query.py [--root DIR] [--version X.Y.Z] [--repeat N]

Measures, and prints as a markdown table:

1. ``import policydata`` in a fresh interpreter (median of several processes),
   and whether duckdb / pyarrow / pydantic got imported;
2. ``policydata.open()`` plus the first typed query in a fresh interpreter,
   with and without checksum verification (median of several processes);
3. the median of a warm typed query: measures by tag plus a text filter if
   the version has measures, else documents by region plus a text filter;
4. the ratio of that typed query to a raw DuckDB ``fetchall()`` of the same
   rows with hand-written SQL (goal: at most 1.5x), also for the whole table,
   and the whole table against DuckDB reading the Parquet file (goal: 1.0x);
5. whole processes (start-up included): ``import policydata`` over bare
   Python (goal: 50 ms), and import + ``open()`` + first query (goal: 0.35 s)
   with its peak memory against the Parquet bytes;
6. pydantic validation speed, rows per second, over the whole table.

The query's parameters are picked from the data (the most used tag, the
province with most documents), so the script runs on any version.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

IMPORT_SNIPPET = """
import sys, time
t = time.perf_counter()
import policydata
elapsed = time.perf_counter() - t
heavy = [m for m in ("duckdb", "pyarrow", "pydantic") if m in sys.modules]
print(elapsed, ",".join(heavy) or "-")
"""

OPEN_SNIPPET = """
import sys, time
import policydata
root = sys.argv[1] if sys.argv[1] != "-" else None
t = time.perf_counter()
ds = policydata.open(sys.argv[2], root=root, verify=sys.argv[3] == "1")
ds.{query}
print(time.perf_counter() - t)
"""


# Peak memory from /proc: getrusage's ru_maxrss keeps the parent's peak across exec.
WHOLE_SNIPPET = """
{imports}
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def _whole_process(imports: str, runs: int) -> tuple[float, float]:
    """Median wall time of a whole interpreter running ``imports`` (start-up included), and its peak RSS in MiB."""
    times, peaks = [], []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", WHOLE_SNIPPET.format(imports=imports)],
                             check=True, capture_output=True, text=True).stdout
        times.append(time.perf_counter() - t)
        peaks.append(int(out.split()[-1]) / 1024)
    return statistics.median(times), statistics.median(peaks)


def _subprocess_seconds(code: str, args: list[str], runs: int) -> tuple[float, list[str]]:
    times, extras = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True).stdout
        fields = out.split()
        times.append(float(fields[0]))
        extras.extend(fields[1:])
    return statistics.median(times), extras


def _median_seconds(func: Callable[[], Any], repeat: int) -> float:
    func()  # warm up caches (lookups, file cache) before timing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _pick_query(ds: Any, text: str, limit: int | None) -> tuple[str, Callable[[], list[Any]], str, list[Any]]:
    """(description, typed call, equivalent raw SQL, its parameters)."""
    cut = "" if limit is None else f" LIMIT {int(limit)}"
    shown = "" if limit is None else f", limit={limit}"
    if "measures" in ds.tables and "measure_tags" in ds.tables:
        tag = ds.connection.execute(
            "SELECT tag_id FROM measure_tags GROUP BY tag_id ORDER BY count(*) DESC, tag_id LIMIT 1"
        ).fetchone()[0]
        raw = (
            "SELECT * FROM measures WHERE measure_id IN (SELECT measure_id FROM measure_tags WHERE tag_id = ?) "
            "AND contains(text, ?) ORDER BY doc_id, char_start, depth, measure_id" + cut
        )
        return (
            f"measures(tag={tag!r}, text={text!r}{shown})",
            lambda: ds.measures(tag=tag, text=text, limit=limit),
            raw,
            [tag, text],
        )
    province = ds.connection.execute(
        "SELECT r.region_code FROM documents d JOIN regions r ON r.region_code = substr(d.region_code, 1, 2) || '0000' "
        "WHERE r.level = 'provincial' GROUP BY r.region_code ORDER BY count(*) DESC, r.region_code LIMIT 1"
    ).fetchone()[0]
    codes = [r.region_code for r in ds.regions(region=province)]
    raw = (
        "SELECT * FROM documents WHERE region_code IN (SELECT unnest(?::VARCHAR[])) "
        "AND (contains(title, ?) OR contains(text, ?)) ORDER BY doc_id" + cut
    )
    return (
        f"documents(region={province!r}, text={text!r}{shown})",
        lambda: ds.documents(region=province, text=text, limit=limit),
        raw,
        [codes, text, text],
    )


def _time_pair(
    ds: Any, names: tuple[str, ...], query: tuple[str, Callable[[], list[Any]], str, list[Any]], repeat: int
) -> tuple[str, int, float, float]:
    """(description, rows, typed median, raw median) after checking both give the same rows."""
    description, typed, raw_sql, raw_params = query
    rows = typed()
    raw_rows = ds.connection.execute(raw_sql, raw_params).fetchall()
    if [r.model_dump() for r in rows] != [dict(zip(names, r)) for r in raw_rows]:
        raise SystemExit(f"typed and raw queries disagree for {description} ({len(rows)} vs {len(raw_rows)} rows)")
    typed_s = _median_seconds(typed, repeat)
    raw_s = _median_seconds(lambda: ds.connection.execute(raw_sql, raw_params).fetchall(), repeat)
    return description, len(rows), typed_s, raw_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", help="dataset root (default: $POLICYDATA_ROOT or the bundled versions)")
    parser.add_argument("--version", help="dataset version (default: latest)")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of each warm query (default 50)")
    parser.add_argument("--processes", type=int, default=7, help="fresh interpreters per cold measurement (default 7)")
    parser.add_argument("--text", default="企业", help="text filter of the warm query (default 企业)")
    args = parser.parse_args(argv)

    import duckdb
    import pyarrow
    import pydantic

    import policydata
    from policydata.models import row_adapter

    ds = policydata.open(args.version, root=args.root)
    description = _pick_query(ds, args.text, None)[0]
    table = "measures" if description.startswith("measures") else "documents"
    names = policydata.schema.TABLES[table].column_names

    import_s, heavy = _subprocess_seconds(IMPORT_SNIPPET, [], args.processes)
    open_args = [args.root or "-", ds.version]
    open_code = OPEN_SNIPPET.format(query=description)
    open_verified_s, _ = _subprocess_seconds(open_code, [*open_args, "1"], args.processes)
    open_unverified_s, _ = _subprocess_seconds(open_code, [*open_args, "0"], args.processes)

    warm = [_time_pair(ds, names, _pick_query(ds, args.text, limit), args.repeat) for limit in (None, 20)]
    # The whole table: the largest result a typed call gives, where per-row
    # validation weighs most against DuckDB's own fetch.
    spec = policydata.schema.TABLES[table]
    order = ", ".join(dict.fromkeys(spec.order_by + spec.primary_key))
    whole = (f"{table}()", getattr(ds, table), f"SELECT * FROM {table} ORDER BY {order}", [])
    warm.append(_time_pair(ds, names, whole, args.repeat))

    # The same whole table straight from its Parquet file, in a fresh DuckDB connection.
    parquet = str(ds.path / f"{table}.parquet")
    direct = duckdb.connect()
    direct_sql = f"SELECT * FROM read_parquet(?) ORDER BY {order}"
    if direct.execute(direct_sql, [parquet]).fetchall() != ds.connection.execute(whole[2]).fetchall():
        raise SystemExit("the Parquet file and the opened version disagree")
    direct_s = _median_seconds(lambda: direct.execute(direct_sql, [parquet]).fetchall(), args.repeat)
    typed_whole_s = warm[-1][2]

    # Whole processes: start-up, imports, open(), the first query; and peak memory.
    where = f"root={args.root!r}" if args.root else "root=None"
    bare_s, bare_mib = _whole_process("pass", args.processes)
    import_whole_s, _ = _whole_process("import policydata", args.processes)
    # open() and typed queries use duckdb and pydantic, not pyarrow (DuckDB reads the Parquet bytes itself).
    libs_s, libs_mib = _whole_process("import duckdb, pydantic", args.processes)
    open_whole_s, open_mib = _whole_process(
        f"import policydata\nds = policydata.open({ds.version!r}, {where})\nds.{description}", args.processes)
    parquet_mib = sum(e.bytes for f, e in ds.manifest.files.items() if f.endswith(".parquet")) / 2**20
    # The engines at work on the least data: the smallest Parquet file of the
    # version read by DuckDB into one in-memory table, and one query.
    smallest = min((f for f in ds.manifest.files if f.endswith(".parquet")), key=lambda f: ds.manifest.files[f].bytes)
    _, engines_mib = _whole_process(
        "import duckdb, pydantic\n"
        f"con = duckdb.connect()\ncon.execute('CREATE TABLE t AS SELECT * FROM read_parquet(?)', [{str(ds.path / smallest)!r}])\n"
        "con.execute('SELECT * FROM t').fetchall()",
        args.processes)

    all_rows = [dict(zip(names, r)) for r in ds.connection.execute(f"SELECT * FROM {table}").fetchall()]
    adapter = row_adapter(policydata.schema.CURRENT, table)
    convert_s = _median_seconds(lambda: adapter.validate_python(all_rows), max(5, args.repeat // 5))

    print(f"Dataset {ds.version} at {ds.path}; {ds.manifest.files[table + '.parquet'].rows} {table} rows")
    print(
        f"Python {sys.version.split()[0]}, duckdb {duckdb.__version__}, pyarrow {pyarrow.__version__}, "
        f"pydantic {pydantic.VERSION}; medians of {args.processes} processes / {args.repeat} runs\n"
    )
    print("| measurement | result |")
    print("|---|---|")
    print(f"| `import policydata` (fresh process) | {import_s * 1000:.1f} ms; heavy modules imported: {', '.join(sorted(set(heavy)))} |")
    print(f"| whole process `import policydata` over bare `python -c pass` ({bare_s * 1000:.0f} ms) (goal ≤ 50 ms) | "
          f"{(import_whole_s - bare_s) * 1000:.0f} ms |")
    print(f"| whole process: start-up, import, `open()`, first query (goal ≤ 0.35 s) | {open_whole_s:.3f} s |")
    print(f"| its peak memory / the version's Parquet bytes / python with duckdb and pydantic imported / bare python "
          f"| {open_mib:.0f} MiB / {parquet_mib:.1f} MiB / {libs_mib:.0f} MiB / {bare_mib:.0f} MiB |")
    print(f"| peak memory over python with the libraries, against 2× the Parquet bytes (goal ≤ 1) | "
          f"{(open_mib - libs_mib) / (2 * parquet_mib):.2f} |")
    print(f"| a process whose engines do the least work: DuckDB loads the smallest Parquet file ({smallest}) "
          f"and queries it | {engines_mib:.0f} MiB |")
    print(f"| peak memory over that process, against 2× the Parquet bytes | "
          f"{(open_mib - engines_mib) / (2 * parquet_mib):.2f} |")
    print(f"| `open()` + first query, checksums verified (fresh process, after the import) | {open_verified_s * 1000:.1f} ms |")
    print(f"| `open(verify=False)` + first query (fresh process) | {open_unverified_s * 1000:.1f} ms |")
    for query, count, typed_s, raw_s in warm:
        print(f"| warm typed query `{query}`, {count} rows | {typed_s * 1000:.2f} ms |")
        print(f"| same rows, raw DuckDB `fetchall()` | {raw_s * 1000:.2f} ms |")
        print(f"| typed / raw ratio (goal ≤ 1.5×) | {typed_s / raw_s:.2f}× |")
    print(f"| the whole table read by DuckDB from its Parquet file, `fetchall()` | {direct_s * 1000:.2f} ms |")
    print(f"| typed whole table / DuckDB on the Parquet file (goal ≤ 1.0×) | {typed_whole_s / direct_s:.2f}× |")
    print(f"| pydantic validation (not used by queries: rows are built unvalidated), {len(all_rows)} {table} rows "
          f"| {len(all_rows) / convert_s:,.0f} rows/s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
