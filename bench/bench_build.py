"""Benchmark of the build; run on purpose, not part of the tests (it takes a few minutes).

    python bench/bench_build.py [--runs N] [--work DIR]

Measures side by side, in one run, as whole processes (start-up and imports
included, medians of ``--runs`` runs; 3 for the large sources):

1. the text build of the bundled source (102 pages) against a floor script
   that only reads the file, splits it on the page markers and runs one
   regular expression per line (goal: at most 12x);
2. the text build of a synthetic source the size of the whole compilation
   (``bench/synthetic.py``, about 1,740 pages, written to ``--work``, never
   committed) against the 102-page build (goal: at most 18x);
3. the PDF build against bare pypdf ``extract_text()`` of every page of the
   same PDF, at 102 and at 1,740 pages (goal: at most 1.3x); the PDFs are made
   with reportlab from the two text sources, one text line per line;
4. two paths that once grew faster than their input, in one process: a
   document with 4,000 dates against one with 2,000 (deadlines), and a
   paragraph of 16,000 lines against one of 8,000 (line joining); goal: at
   most 2.5x.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = r"""
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
pages = re.split(r"^# Page \d+:\n", text, flags=re.M)
label = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
print(sum(1 for page in pages for line in page.splitlines() if label.match(line)))
"""

BARE_PDF = r"""
import sys
from pypdf import PdfReader
reader = PdfReader(sys.argv[1])
print(sum(len(page.extract_text() or "") for page in reader.pages))
"""

BUILD = r"""
import sys
from policydata_build.pipeline import main
sys.exit(main(["--source", sys.argv[1], "--out", sys.argv[2], "--version", "0.0.0+bench", "--no-progress"]))
"""


def _seconds(args: list[str], runs: int, before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        t = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _build_seconds(source: Path, out: Path, runs: int) -> float:
    return _seconds(["-c", BUILD, str(source), str(out)], runs, before=lambda: shutil.rmtree(out, ignore_errors=True))


def _write_pdf(text_source: Path, pdf: Path) -> Path:
    spec = importlib.util.spec_from_file_location("sourcefiles", ROOT / "tests" / "sourcefiles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from policydata_build.pages import read_source

    return module.write_pdf(pdf, read_source(text_source).pages)


def _best_of(func: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t)
    return best


def _dates(n: int) -> str:
    return "".join(f"（{i}）于2023年{i % 12 + 1}月{i % 28 + 1}日前完成第{i}项工作，报送有关部门。\n" for i in range(n))


def _paragraph(n: int) -> list[tuple[str, int]]:
    return [(f"各地要加强第{i}项工作，" if i % 7 else f"持续推进（第{i}项）", 1 + i // 40) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per small measurement (default 5)")
    parser.add_argument("--work", type=Path, help="folder for the generated sources (default: a temporary one)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_synthetic

    from policydata_build import BUNDLED_SOURCE
    from policydata_build.deadlines import find_deadlines
    from policydata_build.repair import join_lines

    work = args.work or Path(tempfile.mkdtemp(prefix="policydata-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    big = write_synthetic(work / "synthetic.txt")
    small_pdf = _write_pdf(BUNDLED_SOURCE, work / "bundled.pdf")
    big_pdf = _write_pdf(big, work / "synthetic.pdf")
    out = work / "out"
    large_runs = max(1, min(3, args.runs))

    floor = _seconds(["-c", FLOOR, str(BUNDLED_SOURCE)], args.runs)
    text_small = _build_seconds(BUNDLED_SOURCE, out, args.runs)
    text_big = _build_seconds(big, out, large_runs)
    bare_small = _seconds(["-c", BARE_PDF, str(small_pdf)], args.runs)
    pdf_small = _build_seconds(small_pdf, out, args.runs)
    bare_big = _seconds(["-c", BARE_PDF, str(big_pdf)], large_runs)
    pdf_big = _build_seconds(big_pdf, out, large_runs)
    issued = datetime.date(2023, 1, 1)
    dates = {n: _best_of(lambda n=n: find_deadlines(_dates(n), issued)) for n in (2000, 4000)}
    lines = {n: _best_of(lambda n=n: join_lines(_paragraph(n))) for n in (8000, 16000)}
    big_pages = sum(1 for line in big.read_text(encoding="utf-8").splitlines() if line.startswith("# Page "))

    import pypdf

    print(f"Python {sys.version.split()[0]}, pypdf {pypdf.__version__}; whole processes, medians of "
          f"{args.runs} runs ({large_runs} for {big_pages} pages); measured {datetime.date.today()}\n")
    rows = [
        ("text build, 102 pages / floor script", text_small, floor, 12),
        (f"text build, {big_pages} synthetic pages / 102 pages", text_big, text_small, 18),
        ("PDF build, 102 pages / bare pypdf extraction", pdf_small, bare_small, 1.3),
        (f"PDF build, {big_pages} pages / bare pypdf extraction", pdf_big, bare_big, 1.3),
        ("deadlines, 4,000 dates / 2,000 dates", dates[4000], dates[2000], 2.5),
        ("line joining, 16,000 lines / 8,000 lines", lines[16000], lines[8000], 2.5),
    ]
    print("| figure | now | baseline | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    for name, now, base, goal in rows:
        ratio = now / base
        print(f"| {name} | {now:.3f} s | {base:.3f} s | {ratio:.2f}× | ≤ {goal}× | {'yes' if ratio <= goal else 'no'} |")
    if args.work is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
