"""Step 1: read the source into pages.

Two readers share one page model. The text dump marks each page with a line
``# Page N:``; a PDF is read page by page with pypdf. Anything that is not a
readable, complete, in-order compilation is rejected with a :class:`SourceError`.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
>>> _ = p.write_text("# Page 1:\\n标题\\n\\n# Page 2:\\n正文\\n", encoding="utf-8")
>>> [(pg.number, pg.lines) for pg in read_pages(p)]
[(1, ('标题',)), (2, ('正文',))]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policydata.integrity import sha256_bytes

from .blocks import COLUMN_NAMES, ROW_NUMBER
from .errors import SourceError
from .repair import clean

PAGE_MARKER = re.compile(r"^# Page (\d+):[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Page:
    number: int
    # Lines as extracted, right-stripped, blank lines dropped: blank lines carry
    # no meaning in either reader's output.
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str  # "text" or "pdf"
    sha256: str
    pages: tuple[Page, ...]
    folios_dropped: int = 0  # running page numbers removed from the first or last line
    running_heads_dropped: int = 0  # a header or footer line repeated across pages


# A running page number (folio): "23", "- 23 -", "—23—", "·23·", "第 23 页".
_FOLIO = re.compile(r"^\s*(?:[-－—–·•]\s*)?(?:第\s*)?(\d{1,4})(?:\s*页)?(?:\s*[-－—–·•])?\s*$")


def drop_folios(page: Page) -> tuple[Page, int]:
    """Remove the page's own number standing alone as its first or last line.

    >>> drop_folios(Page(23, ("- 23 -", "正文。", "23")))
    (Page(number=23, lines=('正文。',)), 2)
    >>> drop_folios(Page(2, ("目录", "·2·")))
    (Page(number=2, lines=('目录',)), 1)
    >>> drop_folios(Page(23, ("正文。", "24")))
    (Page(number=23, lines=('正文。', '24')), 0)
    """
    lines = list(page.lines)
    dropped = 0
    for index in (0, -1):
        if lines and (m := _FOLIO.match(lines[index])) and int(m.group(1)) == page.number:
            del lines[index]
            dropped += 1
    return Page(page.number, tuple(lines)), dropped


def read_source(path: Path, *, progress: bool = False, workers: int | None = None) -> Source:
    """Read a text dump or a PDF of the compilation.

    A PDF's pages are extracted by ``workers`` processes (default: one per
    usable CPU for a PDF of 48 pages or more)."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "file does not exist")
    if not path.is_file():
        raise SourceError(path, "not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if not data.strip():
        raise SourceError(path, "file is empty")
    digest = sha256_bytes(data)
    if data.startswith(b"%PDF-"):
        pages = _read_pdf(path, progress=progress, workers=workers)
        kind = "pdf"
    else:
        pages = _parse_text(path, data)
        kind = "text"
    # A folio can sit under a running header and the other way round:
    # repeat both until neither finds anything more.
    folios = heads = 0
    while True:
        kept = [drop_folios(p) for p in pages]
        pages, dropped_heads = drop_running_heads([p for p, _ in kept])
        dropped_folios = sum(n for _, n in kept)
        folios, heads = folios + dropped_folios, heads + dropped_heads
        if not dropped_folios and not dropped_heads:
            return Source(path, kind, digest, tuple(pages), folios, heads)


def read_pages(path: Path, *, progress: bool = False) -> list[Page]:
    """The pages of a source file (text dump or PDF)."""
    return list(read_source(path, progress=progress).pages)


# A first or last line repeated on this share of the pages (and on at least
# _RUNNING_HEAD_MIN pages) is a running header or footer, not text: no
# sentence of a policy recurs at the same place on a quarter of the pages.
_RUNNING_HEAD_SHARE = 0.25
_RUNNING_HEAD_MIN = 5


def drop_running_heads(pages: list[Page]) -> tuple[list[Page], int]:
    """Remove running headers and footers; return the pages and how many lines went.

    A header may carry the page number, printed with a constant offset from
    the file's page index (unnumbered cover pages): lines are compared with
    their digits masked, and a line's number must keep the same distance to
    the page number throughout.

    >>> pages = [Page(n, ("营商环境政策汇编", f"第{n}页正文。", f"- {n - 2} -")) for n in range(3, 9)]
    >>> kept, dropped = drop_running_heads(pages)
    >>> kept[0].lines, dropped
    (('第3页正文。',), 12)
    """
    from collections import Counter

    threshold = max(_RUNNING_HEAD_MIN, _RUNNING_HEAD_SHARE * len(pages))
    counts = Counter(shape for p in pages if p.lines for index in (0, -1) for shape in _shapes(p.lines, index, p.number)
                     if clean(shape[1]) not in COLUMN_NAMES)  # a table header repeated on every page is text
    heads = {shape for shape, n in counts.items() if n >= threshold}
    if not heads:
        return pages, 0
    out, dropped = [], 0
    for page in pages:
        lines = list(page.lines)
        for index in (0, -1):
            if lines and heads & _shapes(lines, index, page.number):
                del lines[index]
                dropped += 1
        out.append(Page(page.number, tuple(lines)))
    return out, dropped


def _shapes(lines: Sequence[str], index: int, page: int) -> set[tuple[int, str, int | None]]:
    """The ways a first or last line can recur: as it is, and (when it holds
    a number) with digits masked and its last number's distance to the page."""
    line = lines[index].strip()
    shapes = {(index, line, None)}
    numbers = re.findall(r"\d+", line)
    if numbers:
        shapes.add((index, re.sub(r"\d+", "#", line), int(numbers[-1]) - page))
    return shapes


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.rstrip() for line in text.splitlines() if line.strip())


_UTF16_HINT = "save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 in.txt > out.txt)"


def _utf16(data: bytes) -> str | None:
    """The UTF-16 flavour of ``data`` when it looks like UTF-16 text, else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32 (byte-order mark)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 (byte-order mark)"
    # Without a mark: each ASCII character ('# Page', digits) puts a NUL into
    # every other byte, always on the same side; binary data has them anywhere.
    sample = data[:4000]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even + odd >= 8 and max(even, odd) >= 0.9 * (even + odd):
        return f"UTF-16{'LE' if odd > even else 'BE'} (no byte-order mark)"
    return None


def _parse_text(path: Path, data: bytes) -> list[Page]:
    utf16 = _utf16(data)
    if utf16 is not None:
        raise SourceError(path, f"the text dump is encoded as {utf16}, not UTF-8: {_UTF16_HINT}")
    if b"\x00" in data:
        raise SourceError(path, "binary data (NUL bytes): expected a UTF-8 text dump or a PDF")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    # Windows (CRLF) and old Mac (CR) line endings are the same text.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    markers = list(PAGE_MARKER.finditer(text))
    if not markers:
        raise SourceError(path, "no '# Page N:' markers: not a page-marked text dump")
    preamble = text[: markers[0].start()]
    if preamble.strip():
        raise SourceError(path, f"text before the first page marker: {preamble.strip()[:60]!r}")
    pages = []
    for i, m in enumerate(markers):
        number = int(m.group(1))
        expected = pages[-1].number + 1 if pages else 1
        if number != expected:
            problem = "duplicated" if any(p.number == number for p in pages) else "out of order"
            line = text.count("\n", 0, m.start()) + 1
            raise SourceError(path, f"page {number} is {problem} at line {line} (expected page {expected})")
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        pages.append(Page(number, _lines(text[m.end() : end])))
    return pages


# pypdf is pure Python, and extracting the text is most of a PDF build: with
# enough pages, chunks of them go to one process per core.
_CHUNK_PAGES = 16
_PARALLEL_FROM_PAGES = 3 * _CHUNK_PAGES


def _read_pdf(path: Path, *, progress: bool, workers: int | None = None) -> list[Page]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    from .workers import broken, usable_cpus

    reader, count = _open_pdf(path)
    if count == 0:
        raise SourceError(path, "PDF has no pages")
    chunks = [(first, min(first + _CHUNK_PAGES - 1, count)) for first in range(1, count + 1, _CHUNK_PAGES)]
    if workers is None:
        workers = usable_cpus() if count >= _PARALLEL_FROM_PAGES else 1
    workers = min(workers, len(chunks))
    done: dict[int, list[tuple[str, ...]]] = {}
    failed: dict[int, SourceError] = {}
    # Fresh interpreters, not forks, as for the parsing workers (workers.py):
    # forking a process that runs other libraries' threads is unsafe. tqdm
    # hides itself when stderr is not a terminal (disable=None).
    pool = (ProcessPoolExecutor(max_workers=workers, initializer=_open_worker_reader, initargs=(path,),
                                mp_context=multiprocessing.get_context("spawn"))
            if workers > 1 else None)
    try:
        futures = {pool.submit(_extract_pages, path, a, b): a for a, b in chunks} if pool else {}
        with tqdm(total=count, unit="page", desc="reading PDF", file=sys.stderr,
                  disable=None if progress else True) as bar:
            if pool is None:
                for a, b in chunks:
                    done[a] = _extract_pages(path, a, b, reader)
                    bar.update(b - a + 1)
            for future in as_completed(futures):
                first = futures[future]
                try:
                    done[first] = future.result()
                except SourceError as exc:
                    failed[first] = exc  # reported in page order below, as one process would
                    continue
                bar.update(len(done[first]))
    except BrokenProcessPool as exc:
        raise broken(exc) from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if failed:
        raise failed[min(failed)]
    pages = [Page(n, lines) for a, _ in chunks for n, lines in enumerate(done[a], start=a)]
    if not any(page.lines for page in pages):
        raise SourceError(path, f"the PDF has no text layer on any of its {count} pages (a scan?): "
                                "run OCR on it first (e.g. ocrmypdf), then build from the result")
    return pages


def _open_pdf(path: Path) -> tuple[object, int]:
    """A pypdf reader of the file and its page count; SourceError if it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise SourceError(path, "PDF is encrypted: decrypt it first (e.g. qpdf --decrypt)")
        return reader, len(reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise SourceError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from None


# A worker process's reader: opened once, as pypdf prepares a font on the
# first page that uses it and keeps it for the reader's later pages.
_worker_reader: object | None = None


def _open_worker_reader(path: Path) -> None:
    from .workers import init_worker

    global _worker_reader
    init_worker()
    _worker_reader = _open_pdf(path)[0]


def _extract_pages(path: Path, first: int, last: int, reader: object | None = None) -> list[tuple[str, ...]]:
    """The lines of pages first..last (1-based), from ``reader`` or this worker's."""
    from pypdf.errors import PdfReadError

    reader = reader if reader is not None else _worker_reader
    out = []
    for number in range(first, last + 1):
        page = reader.pages[number - 1]  # type: ignore[attr-defined]
        try:
            lines = _lines(page.extract_text() or "")
            if _has_table_header(lines):
                # Where the page holds a table, the order of its cells comes from
                # their positions; the text stays what plain extraction gave.
                placed = table_layout_lines(page.extract_text(extraction_mode="layout") or "")
                if placed is not None and _same_cells(placed, lines):
                    lines = placed
        except (PdfReadError, ValueError, KeyError, OSError) as exc:
            raise SourceError(path, f"page {number}: text cannot be extracted ({type(exc).__name__}: {exc})") from None
        out.append(lines)
    return out


# -- tables in a PDF ---------------------------------------------------------------

# Columns of a layout line are separated by two spaces or more.
_CELL_GAP = re.compile(r"\S+(?: \S+)*")


def _has_table_header(lines: tuple[str, ...]) -> bool:
    texts = [clean(line) for line in lines]
    return any(texts[i] in COLUMN_NAMES and sum(t in COLUMN_NAMES for t in texts[i:i + 8]) >= 3
               for i in range(len(texts)))


def _same_cells(placed: tuple[str, ...], lines: tuple[str, ...]) -> bool:
    """Whether the layout's lines hold the same text as plain extraction's, in any order
    (where the layout text split the cells otherwise, its order is not trusted)."""
    def key(texts: tuple[str, ...]) -> list[str]:
        return sorted(re.sub(r"\s", "", t) for t in texts)

    return key(placed) == key(lines)


def table_layout_lines(layout: str) -> tuple[str, ...] | None:
    """A table page's lines in the text dump's order, from pypdf's layout text.

    The layout text keeps each glyph's column. The header line's cells give
    the columns' starts; every later cell goes to the column it starts in. A
    row begins where the first column holds a number. The lines come out as a
    text dump prints them: the header's names, then per row its number and
    each column's lines top to bottom (an empty cell prints nothing). Lines
    above the header and below the table stay as they are. None when no header
    is found.

    >>> page = "序号  事项名称      实施部门\\n1     居民身份证换领  自治区公安厅\\n      、补领\\n2     户口迁移        自治区公安厅"
    >>> table_layout_lines(page)
    ('序号', '事项名称', '实施部门', '1', '居民身份证换领', '、补领', '自治区公安厅', '2', '户口迁移', '自治区公安厅')
    """
    rows = [(line, [(m.start(), m.group()) for m in _CELL_GAP.finditer(line)]) for line in layout.splitlines()]
    header = next((k for k, (_, cells) in enumerate(rows)
                   if len(cells) >= 3 and sum(clean(t) in COLUMN_NAMES for _, t in cells) >= 3), None)
    if header is None:
        return None
    starts = [x for x, _ in rows[header][1]]
    out = [line.strip() for line, _ in rows[:header] if line.strip()]
    out += [t for _, t in rows[header][1]]
    table: list[list[list[str]]] = []  # rows → columns → lines
    end = len(rows)
    for k in range(header + 1, len(rows)):
        line, cells = rows[k]
        if not cells:
            continue
        columns = [max((c for c, x0 in enumerate(starts) if x0 <= x + 1), default=0) for x, _ in cells]
        if len(cells) == 1 and len(cells[0][1]) > 30:  # a line running across the columns: prose again
            end = k
            break
        if columns[0] == 0 and ROW_NUMBER.fullmatch(cells[0][1]):
            table.append([[] for _ in starts])
        elif not table:
            table.append([[] for _ in starts])
        for column, (_, text) in zip(columns, cells):
            table[-1][column].append(text)
    for row in table:
        out += [text for column in row for text in column]
    out += [line.strip() for line, _ in rows[end:] if line.strip()]
    return tuple(out)
