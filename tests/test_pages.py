"""Reading the source: both readers, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sourcefiles import bundled, write_pdf, write_text_dump

from policydata_build.errors import SourceError
from policydata_build.pages import read_pages, read_source



def test_bundled_source_has_102_pages_in_order():
    src = bundled()
    assert src.kind == "text"
    assert [p.number for p in src.pages] == list(range(1, 103))
    assert src.pages[22].lines[:2] == ("一、国家", "1. 国务院印发关于在有条件的自由贸易试验区和自由贸易港试")


def test_pdf_reader_gives_the_same_pages_as_the_text(tmp_path):
    pdf = write_pdf(tmp_path / "c.pdf", bundled().pages[20:30])
    got = read_pages(pdf)
    assert [p.lines for p in got] == [p.lines for p in bundled().pages[20:30]]
    assert read_source(pdf).kind == "pdf"


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good_pdf = write_pdf(tmp_path / "good.pdf", bundled().pages[:3])
    data = good_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    encrypted = tmp_path / "encrypted.pdf"
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for p in PdfReader(good_pdf).pages:
        w.add_page(p)
    w.encrypt("secret")
    with encrypted.open("wb") as f:
        w.write(f)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "latin1.txt").write_bytes("# Page 1:\ncafé\n".encode("latin-1"))
    (tmp_path / "gbk.txt").write_bytes("# Page 1:\n营商环境\n".encode("gbk"))
    (tmp_path / "nomarkers.txt").write_text("国家及各省市营商环境\n政策汇编\n", encoding="utf-8")
    write_text_dump(tmp_path / "dup.txt", [(1, ["a"]), (2, ["b"]), (2, ["c"])])
    write_text_dump(tmp_path / "order.txt", [(1, ["a"]), (3, ["b"]), (2, ["c"])])
    return {
        "missing": (tmp_path / "nope.txt", "does not exist"),
        "empty": (tmp_path / "empty.txt", "empty"),
        "binary": (tmp_path / "binary.bin", "binary"),
        "latin1": (tmp_path / "latin1.txt", "not UTF-8"),
        "gbk": (tmp_path / "gbk.txt", "not UTF-8"),
        "no markers": (tmp_path / "nomarkers.txt", "no '# Page N:' markers"),
        "duplicated": (tmp_path / "dup.txt", "page 2 is duplicated"),
        "out of order": (tmp_path / "order.txt", "page 3 is out of order"),
        "truncated pdf": (truncated, "PDF"),
        "encrypted pdf": (encrypted, "encrypted"),
    }


def test_bad_inputs_raise_one_clear_error(tmp_path):
    for name, (path, words) in _bad_inputs(tmp_path).items():
        with pytest.raises(SourceError) as info:
            read_source(path)
        assert words in str(info.value), name
        assert str(path) in str(info.value), name


def test_bad_inputs_exit_nonzero_and_write_nothing(tmp_path, capsys):
    from policydata_build.pipeline import main

    out = tmp_path / "out"
    for name, (path, words) in _bad_inputs(tmp_path).items():
        assert main(["--source", str(path), "--out", str(out), "--version", "9.9.9", "--no-progress"]) == 1, name
        err = capsys.readouterr().err
        assert err.count("error:") == 1 and words in err, (name, err)
        assert not out.exists() or not any(out.iterdir()), name


def test_running_page_numbers_are_dropped_and_counted(tmp_path):
    path = write_text_dump(tmp_path / "f.txt", [(1, ["1", "标题"]), (2, ["- 2 -", "正文第2页", "2"]), (3, ["正文", "30"])])
    src = read_source(path)
    assert [p.lines for p in src.pages] == [("标题",), ("正文第2页",), ("正文", "30")]
    assert src.folios_dropped == 3
    assert bundled().folios_dropped == 0


def test_running_headers_are_dropped_and_counted(tmp_path):
    body = "甲乙丙丁戊己庚辛"
    pages = [(n, ["国家及各省市营商环境政策汇编（2023 年）", f"{body[n - 1]}页的正文。"]) for n in range(1, 9)]
    src = read_source(write_text_dump(tmp_path / "h.txt", pages))
    assert [p.lines for p in src.pages] == [(f"{c}页的正文。",) for c in body]
    assert src.running_heads_dropped == 8
    assert bundled().running_heads_dropped == 0


def test_headers_with_page_numbers_and_offset_folios_are_dropped(tmp_path):
    # Folios printed with an offset from the file's page index, under a header
    # that carries the number too.
    body = "甲乙丙丁戊己庚辛"
    pages = [(n, [f"汇编（2023 年）{n}", f"正文{body[n - 1]}。", f"- {n - 2} -"]) for n in range(1, 9)]
    pages[:2] = [(1, ["封面"]), (2, ["目录"])]  # no folio on the cover pages
    src = read_source(write_text_dump(tmp_path / "o.txt", pages))
    assert [p.lines for p in src.pages[2:]] == [(f"正文{c}。",) for c in body[2:]]
    assert src.running_heads_dropped == 12 and src.folios_dropped == 0


def test_lines_whose_numbers_do_not_follow_the_pages_are_kept(tmp_path):
    body = "甲乙丙丁戊己庚辛"
    pages = [(n, ["第1条 正文。", f"正文{body[n - 1]}。", "附件2"]) for n in range(1, 9)]
    src = read_source(write_text_dump(tmp_path / "k.txt", pages))
    # Same text on every page: a running header or footer, whatever it says.
    # Digits that do not follow the page index are not.
    assert src.pages[0].lines == ("正文甲。",)
    varied = [(n, [f"第{n * 3}条 正文。", "正文。", f"附件{n % 3}"]) for n in range(1, 9)]
    src = read_source(write_text_dump(tmp_path / "v.txt", varied))
    assert src.pages[1].lines == ("第6条 正文。", "正文。", "附件2") and src.running_heads_dropped == 0
