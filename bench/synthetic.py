"""A synthetic source the size of the whole compilation (about 1,740 pages), for the build benchmark.

The bundled source holds the contents of all 279 documents but the bodies of
only the 19 national ones (pages 1-102). This script keeps those pages and
writes, at each provincial document's listed page, a body heading spelled as
its contents entry (number, title, date), followed by provincial text cycled
from the practice compilation in ``tests/fixtures/practice`` (task lists with
（责任单位：…；完成时限：…） notes, 第X条 articles, numbered measures) until the
next document's page. The bodies are invented; their layouts are the
compilation's. Nothing of it is committed: run

    python bench/synthetic.py OUT.txt [--pages N]

or call :func:`write_synthetic` (``bench/bench_build.py`` does).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from policydata_build import BUNDLED_SOURCE
from policydata_build.pages import read_source
from policydata_build.toc import parse_toc

ROOT = Path(__file__).resolve().parents[1]
PRACTICE = ROOT / "tests" / "fixtures" / "practice" / "compilation-practice.txt"
LINES_PER_PAGE = 40
# Lines of the practice bodies that would be read as a heading of the
# compilation: document headings (1. 河北省…的通知) and province headings.
_DOC_HEADING = re.compile(r"^\d+\.\s")
_PROVINCE = re.compile(r"^（[一二三四五六七八九十]+）[\u4e00-\u9fff]{2,3}$")


def practice_body_lines() -> list[str]:
    """The body lines of the practice compilation, without its contents and headings."""
    source = read_source(PRACTICE)
    toc = parse_toc(list(source.pages))
    body_pages = [p for p in source.pages if p.number > max(toc.pages)]
    lines = [line for page in body_pages for line in page.lines]
    # Drop each document's heading block: its number line and the lines up to its date.
    out: list[str] = []
    skipping = False
    for line in lines:
        if _DOC_HEADING.match(line) and not re.match(r"^\d+\.[^\s]", line):
            skipping = True
        if skipping:
            if re.search(r"）$", line) and re.search(r"\d{4}\s*年", line):
                skipping = False
            continue
        if _PROVINCE.match(line) or re.match(r"^[一二三四五六七八]、[\u4e00-\u9fff]{2}$", line):
            continue
        out.append(line)
    return out


def write_synthetic(out: Path, pages: int | None = None) -> Path:
    """Write the synthetic source; ``pages`` cuts it short (the whole compilation otherwise)."""
    source = read_source(BUNDLED_SOURCE)
    entries = parse_toc(list(source.pages)).entries
    filler = practice_body_lines()
    kept = {p.number: list(p.lines) for p in source.pages}
    last_kept = max(kept)
    later = sorted((e for e in entries if e.listed_page > last_kept), key=lambda e: (e.listed_page, e.section_no, e.seq))
    end = max(e.listed_page for e in later) + 4 if pages is None else pages
    body: dict[int, list[str]] = {n: [] for n in range(last_kept + 1, end + 1)}
    starts: dict[int, list] = {}
    for e in later:
        starts.setdefault(e.listed_page, []).append(e)
    cursor = 0
    for n in range(last_kept + 1, end + 1):
        for e in starts.get(n, []):
            # The heading as the contents print it (number, title, date), then a few lines of text.
            body[n] += e.title_raw.split("\n")
            body[n] += _take(filler, cursor, 6)
            cursor += 6
        room = LINES_PER_PAGE - len(body[n])
        if room > 0:
            body[n] += _take(filler, cursor, room)
            cursor += room
    with open(out, "w", encoding="utf-8") as f:
        for n in sorted(kept):
            f.write(f"# Page {n}:\n" + "\n".join(kept[n]) + "\n\n")
        for n in sorted(body):
            f.write(f"# Page {n}:\n" + "\n".join(body[n]) + "\n\n")
    return out


def _take(lines: list[str], start: int, n: int) -> list[str]:
    return [lines[(start + i) % len(lines)] for i in range(n)]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, help="stop after this page (default: the whole compilation)")
    args = parser.parse_args()
    print(write_synthetic(args.out, args.pages))
