"""Test helpers: the bundled source, and a PDF made from its pages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from policydata_build.pages import Page, Source, read_source
from policydata_build import BUNDLED_SOURCE


@lru_cache(maxsize=1)
def bundled() -> Source:
    return read_source(BUNDLED_SOURCE)


def write_text_dump(path: Path, pages: list[tuple[int, list[str]]]) -> Path:
    path.write_text("".join(f"# Page {n}:\n" + "\n".join(lines) + "\n\n" for n, lines in pages), encoding="utf-8")
    return path


def write_pdf(path: Path, pages: tuple[Page, ...] | list[Page]) -> Path:
    """A PDF with one text line per source line, in reportlab's built-in CID font.

    STSong-Light ships with reportlab (no font file, no network), and pypdf
    reads its text back, so this exercises the real PDF reader offline.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in pages:
        c.setFont("STSong-Light", 8)
        y = A4[1] - 30
        for line in page.lines:
            c.drawString(20, y, line)
            y -= 10
        c.showPage()
    c.save()
    return path


def page_lines(first: int, last: int) -> list[str]:
    """The extracted lines of pages first..last of the bundled source."""
    return [line for page in bundled().pages if first <= page.number <= last for line in page.lines]
