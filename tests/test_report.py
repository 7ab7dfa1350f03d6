"""``policydata report``: the static HTML site, checked as files and in headless Chromium.

The file checks run on the shipped dataset (the latest bundled version) and
on small synthetic versions from conftest.py. The browser checks drive
Debian's chromium with its chromedriver (see report_browser.py); they skip
when it is missing, except under POLICYDATA_REQUIRE_BROWSER=1 (CI), where
they fail.
"""

from __future__ import annotations

import base64
import doctest
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import report_browser
from conftest import full_version_tables, write_version

import policydata
from policydata import report
from policydata.cli import main
from policydata.report import MARKER, write_report

# A string that breaks out of every context a naive page would paste it into.
HOSTILE = '</script><script>alert("x")</script><!-- & \'q\' \u2028 <b>bold</b> </SCRIPT >'


@pytest.fixture(scope="module")
def shipped() -> Iterator[policydata.Dataset]:
    with policydata.open() as ds:
        yield ds


@pytest.fixture(scope="module")
def site(shipped: policydata.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the shipped dataset, written once for the module; its folder."""
    return write_report(shipped, tmp_path_factory.mktemp("report") / "site").parent


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _all_pages(folder: Path) -> list[Path]:
    return [folder / "index.html", *sorted((folder / "docs").iterdir())]


def _embedded_index(page: str) -> list[dict[str, str]]:
    found = re.search(r'<script type="application/json" id="doc-index">(.*?)</script>', page, re.DOTALL)
    assert found, "the index page embeds no JSON index"
    return json.loads(found.group(1))


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


# -- the files ------------------------------------------------------------------------------------


def test_every_document_gets_a_page_linked_from_the_index(shipped: policydata.Dataset, site: Path) -> None:
    docs = shipped.documents()
    assert sorted(p.name for p in (site / "docs").iterdir()) == sorted(f"{d.doc_id}.html" for d in docs)
    index = _read(site / "index.html")
    links = {a["href"] for tag, a in _parse(index).tags if tag == "a" and a.get("href", "").startswith("docs/")}
    assert links == {f"docs/{d.doc_id}.html" for d in docs}
    for doc in docs:
        page = _read(site / "docs" / f"{doc.doc_id}.html")
        assert f'<h1 id="title">{report._e(doc.title)}</h1>' in page
    listed = json.loads(_read(site / MARKER))
    assert listed["files"] == sorted(["index.html", *(f"docs/{d.doc_id}.html" for d in docs)])


def test_every_provision_and_deadline_cites_its_source_pages(shipped: policydata.Dataset, site: Path) -> None:
    deadlines = {d.deadline_id: d for d in shipped.deadlines()}
    for doc in shipped.documents():
        page = _read(site / "docs" / f"{doc.doc_id}.html")
        cited = re.search(r'<p class="cite" id="doc-pages">(.*?)</p>', page).group(1)
        if doc.has_text:
            assert report._pages(doc.page_start, doc.page_end) in cited
        else:
            assert f"contents p. {doc.toc_page}; listed at p. {doc.listed_page}" in cited
        sections = page.split('<section class="provision')[1:]
        measures = shipped.measures(doc_id=doc.doc_id)
        assert len(sections) == len(measures), doc.doc_id
        for section, m in zip(sections, measures):  # in the table's order
            assert f'data-measure="{m.measure_id}" data-pages="{m.page_start}-{m.page_end}"' in section
            assert f"source {report._pages(m.page_start, m.page_end)}</p>" in section
            shown = re.findall(r'<li data-deadline="([^"]+)">.*?\(source p\. (\d+)\)</span></li>', section)
            assert [d for d, _ in shown] == [d.deadline_id for d in shipped.deadlines(doc_id=doc.doc_id)
                                              if d.measure_id == m.measure_id]
            assert all(int(p) == deadlines[d].page for d, p in shown)
    assert sum(_read(site / "docs" / f"{d}.html").count("<li data-deadline=") for d in
               {dl.doc_id for dl in deadlines.values()}) == len(deadlines)


def test_references_and_citations_are_shown_with_working_links(shipped: policydata.Dataset, site: Path) -> None:
    """Document 009 cites 016 as 《助力中小微企业稳增长调结构强能力若干措施》（工信部企业函〔2023〕4号）
    on p. 67 (read in the source); 016's page lists 009 as citing it. Every reference row is on its page."""
    page = _read(site / "docs" / "2023-01-00-009.html")
    item = re.search(r'<li data-reference="[^"]+">《助力中小微企业稳增长调结构强能力若干措施》.*?</li>', page).group(0)
    assert '<a href="2023-01-00-016.html">' in item and "(source p. 67)" in item
    cited = _read(site / "docs" / "2023-01-00-016.html").split('<ul class="cited-by">')[1].split("</ul>")[0]
    assert '<a href="2023-01-00-009.html">' in cited and "source p. 67" in cited
    refs = shipped.references()
    shown = sum(_read(site / "docs" / f"{d}.html").count("<li data-reference=") for d in {r.doc_id for r in refs})
    assert shown == len(refs)


def test_every_measure_link_points_at_a_provision_that_exists(shipped: policydata.Dataset, site: Path) -> None:
    links = shipped.table("measure_links").to_pylist()
    assert links
    for link in links:
        doc_id, path = link["measure_id"].split("/", 1)
        page = _read(site / "docs" / f"{doc_id}.html")
        section = page.split(f'data-measure="{link["measure_id"]}"')[1].split("</section>")[0]
        target_doc, target_path = link["national_measure_id"].split("/", 1)
        assert f'<a href="{target_doc}.html#m-{target_path}">' in section
        assert f'id="m-{target_path}"' in _read(site / "docs" / f"{target_doc}.html")


def test_every_page_names_the_version_and_its_manifest_checksum(shipped: policydata.Dataset, site: Path) -> None:
    for path in _all_pages(site):
        page = _read(path)
        assert f'<strong class="version">{shipped.version}</strong>' in page, path
        assert f'<code class="sha">{shipped.manifest_sha256}</code>' in page, path
    marker = json.loads(_read(site / MARKER))
    assert (marker["dataset_version"], marker["manifest_sha256"]) == (shipped.version, shipped.manifest_sha256)


def test_the_same_version_gives_the_same_bytes(shipped: policydata.Dataset, site: Path, tmp_path: Path) -> None:
    again = write_report(shipped, tmp_path / "again").parent

    def digests(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digests(again) == digests(site)
    write_report(shipped, again)  # over the previous report: replaced by identical bytes
    assert digests(again) == digests(site)
    # Another process, with other string hashes (set and dict orders), through the command line.
    other = tmp_path / "other"
    done = subprocess.run([sys.executable, "-m", "policydata", "report", "--version", shipped.version,
                           "--out", str(other)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONHASHSEED": "12345"}, check=False)
    assert done.returncode == 0, done.stderr
    assert digests(other) == digests(site)


def test_pages_load_nothing_from_anywhere(site: Path) -> None:
    for path in [site / "index.html", site / "docs" / min(os.listdir(site / "docs"))]:
        page = _read(path)
        parsed = _parse(page)
        tags = {tag for tag, _ in parsed.tags}
        assert not tags & {"link", "img", "iframe", "object", "embed", "image", "use", "base"}, path
        for tag, attrs in parsed.tags:
            assert "src" not in attrs and "style" not in attrs, (path, tag)
            href = attrs.get("href") or ""
            assert not re.match(r"[a-z][a-z0-9+.-]*:|//", href, re.IGNORECASE), (path, href)
        csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        assert csp.startswith("default-src 'none';") and "unsafe" not in csp
        assert "@import" not in page and not re.search(r"url\((?!#)", page)


def test_the_json_index_is_exactly_the_titles(shipped: policydata.Dataset, site: Path) -> None:
    page = _read(site / "index.html")
    assert _embedded_index(page) == [{"id": d.doc_id, "title": d.title} for d in shipped.documents()]
    # The search script's hash in the CSP matches the script, or the browser would not run it.
    parsed = _parse(page)
    digest = base64.b64encode(hashlib.sha256(parsed.scripts[-1].encode("utf-8")).digest()).decode()
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert f"script-src 'sha256-{digest}'" in csp


def test_script_json_cannot_close_its_element() -> None:
    value = {"title": HOSTILE, "list": ["<!--", "-->", "&amp;", "\u2029"]}
    text = report._script_json(value)
    assert not re.search(r"<|>|&|\u2028|\u2029", text)
    assert json.loads(text) == value


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic version whose titles, provisions, agencies and tags are HTML and script."""
    tables = full_version_tables()
    for doc in tables["documents"]:
        doc["title"] = f"{doc['title']}{HOSTILE}"
    tables["measures"][1]["heading"] = HOSTILE
    tables["tags"][1]["label_zh"] = f"纳税{HOSTILE}"
    tables["agencies"][2]["name"] = f"国家税务总局{HOSTILE}"
    tables["flags"][0]["detail"] = HOSTILE
    tables["flags"].append({**tables["flags"][0], "flag_id": "compilation:heading_region_mismatch", "doc_id": None,
                            "page": None})
    root = tmp_path_factory.mktemp("hostile")
    write_version(root, "0.2.0", tables)
    return root


def test_all_text_is_escaped(hostile_root: Path, tmp_path: Path) -> None:
    with policydata.open("0.2.0", root=hostile_root) as ds:
        site = write_report(ds, tmp_path / "site").parent
        titles = [d.title for d in ds.documents()]
    for path in _all_pages(site):
        page = _read(path)
        assert HOSTILE not in page and "<b>bold" not in page and "<!--" not in page, path
        parsed = _parse(page)
        # Only the page's own scripts: the index's search and its JSON, none on a document page.
        expected = 2 if path.name == "index.html" else 0
        assert len(parsed.scripts) == expected and page.lower().count("</script") == expected, path
        assert [t for t, _ in parsed.tags].count("b") == 0, path
    index = _read(site / "index.html")
    assert [d["title"] for d in _embedded_index(index)] == titles
    assert report._e(HOSTILE) in _read(site / "docs" / "2023-01-00-003.html")
    # A flag about no document in particular is on the index, not dropped.
    assert '<h2 id="flags">' in index and f"{report._e(HOSTILE)} <span class=\"cite\">(no page)</span>" in index


def test_charts_count_every_row_and_say_what_is_left_out(shipped: policydata.Dataset, site: Path) -> None:
    page = _read(site / "index.html")
    docs, deadlines = shipped.documents(), shipped.deadlines()

    def counts(chart: str) -> list[int]:
        svg = re.search(rf'<svg id="{chart}".*?</svg>', page, re.DOTALL).group(0)
        return [int(n) for n in re.findall(r'class="count">(\d+)</text>', svg)]

    assert sum(counts("chart-provinces")) == len(docs)
    assert sum(counts("chart-issued")) == len(docs)  # the undated ones have their own bar
    assert sum(counts("chart-deadlines")) == len(deadlines)
    undated = sum(d.issued_on is None for d in docs)
    assert f"Documents with no issue date: {undated}, counted in the grey bar 无日期" in page
    for chart in ("chart-provinces", "chart-text", "chart-issued", "chart-deadlines", "chart-heatmap"):
        svg = re.search(rf'<svg id="{chart}".*?</svg>', page, re.DOTALL).group(0)
        assert "<rect" in svg and "<text" in svg, chart


def test_unsafe_folders_are_refused_before_anything_is_written(ds: policydata.Dataset, dataset_root: Path,
                                                               tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match="not a policydata report"):
        write_report(ds, mine)
    a_file = tmp_path / "file.html"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="not a folder"):
        write_report(ds, a_file)
    for inside in (dataset_root / "report", dataset_root / "0.2.0" / "report", dataset_root):
        with pytest.raises(ValueError, match="inside the dataset root"):
            write_report(ds, inside)
    assert not (dataset_root / "report").exists() and not (dataset_root / "0.2.0" / "report").exists()
    site = write_report(ds, tmp_path / "site").parent
    (site / "docs" / "extra.html").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="files it did not write"):
        write_report(ds, site)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me" and a_file.read_text(encoding="utf-8") == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.html", "mine", "site"]  # no temporary folder left


def test_a_previous_report_is_replaced_whole(ds: policydata.Dataset, tmp_path: Path) -> None:
    site = write_report(ds, tmp_path / "site").parent
    stale = site / "docs" / "2023-09-99-999.html"
    stale.write_text("from an older version", encoding="utf-8")
    marker = json.loads(_read(site / MARKER))
    marker["files"].append("docs/2023-09-99-999.html")
    (site / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    write_report(ds, site)
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_empty_folder_is_used(ds: policydata.Dataset, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert write_report(ds, tmp_path / "empty") == tmp_path / "empty" / "index.html"


def test_cli_report(dataset_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["--root", str(dataset_root), "report", "--version", "0.2.0", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{out / 'index.html'}\n" and captured.err == ""
    assert main(["--root", str(dataset_root), "report", "--version", "0.1.0", "--out", str(tmp_path / "old")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("policydata: error: dataset version 0.1.0 has no measures") and "versions with every table" in err
    assert not (tmp_path / "old").exists()
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x", encoding="utf-8")
    assert main(["--root", str(dataset_root), "report", "--out", str(tmp_path / "taken")]) == 1
    assert "policydata: error:" in capsys.readouterr().err


def test_report_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "--help"])
    assert info.value.code == 0
    assert "example:\n  policydata report" in capsys.readouterr().out


def test_docstring_examples_run(doctest_globals: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    runner = doctest.DocTestRunner()
    tests = doctest.DocTestFinder().find(report, extraglobs=doctest_globals)
    assert sum(len(t.examples) for t in tests) > 0
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0, capsys.readouterr().out


# -- in a real browser ----------------------------------------------------------------------------

CHARTS = ("chart-provinces", "chart-text", "chart-issued", "chart-deadlines", "chart-heatmap")
QUERY = "降成本"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    why = report_browser.missing()
    if why:
        if os.environ.get(report_browser.REQUIRE_ENV) == "1":
            pytest.fail(f"{why}; {report_browser.REQUIRE_ENV}=1 requires the browser tests ({report_browser.APT})")
        pytest.skip(f"{why}; install it with: {report_browser.APT}")
    with report_browser.chromium() as driver:
        yield driver


def _visible_rows(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#documents-table tbody tr'))"
        ".filter(r => r.offsetParent !== null).map(r => r.dataset.doc);")


def _expected_hits(shipped: policydata.Dataset, query: str) -> list[str]:
    hits = [d.doc_id for d in shipped.documents() if query in d.title]
    assert 0 < len(hits) < len(shipped.documents()), f"pick a query that some but not all titles hold: {query}"
    return hits


def test_charts_render_with_drawn_shapes(browser: Any, site: Path) -> None:
    browser.get((site / "index.html").as_uri())
    for chart in CHARTS:
        box = browser.execute_script(
            "const s = document.getElementById(arguments[0]); if (!s) return null;"
            "const r = s.getBoundingClientRect(), b = s.getBBox();"
            "return {w: r.width, h: r.height, bw: b.width, bh: b.height,"
            " shapes: Array.from(s.querySelectorAll('rect')).filter(e => e.getBBox().width > 0 && e.getBBox().height > 0).length,"
            " texts: Array.from(s.querySelectorAll('text')).filter(e => e.getComputedTextLength() > 0).length};",
            chart)
        assert box is not None, f"{chart} is not on the page"
        assert box["w"] > 200 and box["h"] > 100 and box["bw"] > 0 and box["bh"] > 0, (chart, box)
        assert box["shapes"] >= 3 and box["texts"] >= 3, (chart, box)
    # Only what the page holds was loaded: no fonts, images or scripts from anywhere.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_screenshot_of_the_index(browser: Any, site: Path, tmp_path: Path) -> None:
    """The picture a person would see, kept with the test's files (python tests/report_browser.py writes
    docs/report.png the same way)."""
    shot = report_browser.screenshot(browser, site / "index.html", tmp_path / "report.png", through="#fig-heatmap")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == report_browser.WINDOW[0] and height > 1500  # down to the heatmap, the last chart


def test_chinese_is_drawn_with_a_cjk_font(browser: Any, site: Path) -> None:
    browser.get((site / "index.html").as_uri())
    root = browser.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    browser.execute_cdp_cmd("CSS.enable", {})
    # A title in the table, and a province's name in a chart (labels are the right-aligned texts).
    for selector in ("#documents-table tbody td.title a", '#chart-provinces text[text-anchor="end"]'):
        node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = {f["familyName"] for f in fonts if f["glyphCount"]}
        assert families and all("CJK" in f or f in report.FONT_STACK for f in families), (
            f"{selector} is drawn with {families}, not a CJK font of the page's list: install fonts-noto-cjk")


def test_a_link_in_the_index_opens_the_document_page(browser: Any, shipped: policydata.Dataset, site: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    doc = next(d for d in shipped.documents() if d.has_text and shipped.measures(doc_id=d.doc_id))
    browser.get((site / "index.html").as_uri())
    link = browser.find_element(By.CSS_SELECTOR, f'#row-{doc.doc_id} td.title a')
    assert link.text == doc.title
    link.click()
    WebDriverWait(browser, 10).until(ec.url_contains(f"docs/{doc.doc_id}.html"))
    assert browser.find_element(By.ID, "title").text == doc.title
    assert browser.title.startswith(doc.title)
    provisions = browser.find_elements(By.CSS_SELECTOR, "section.provision")
    assert len(provisions) == len(shipped.measures(doc_id=doc.doc_id))
    assert all(p.is_displayed() and p.size["height"] > 0 for p in provisions[:5])
    assert shipped.manifest_sha256 in browser.find_element(By.CSS_SELECTOR, "header.site").text
    browser.find_element(By.CSS_SELECTOR, "nav.nav a").click()  # back to the index
    WebDriverWait(browser, 10).until(ec.url_contains("index.html"))


def test_typing_in_the_search_box_filters_titles(browser: Any, shipped: policydata.Dataset, site: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())
    assert len(_visible_rows(browser)) == len(shipped.documents())
    box = browser.find_element(By.ID, "q")
    box.send_keys(QUERY)
    expected = _expected_hits(shipped, QUERY)
    assert _visible_rows(browser) == expected
    status = browser.find_element(By.ID, "search-status").text
    assert status == f"{len(expected)} of {len(shipped.documents())} documents match"
    assert browser.current_url.endswith("#q=" + quote(QUERY))  # the search can be shared as a link
    box.send_keys("此标题不存在")
    assert _visible_rows(browser) == [] and browser.find_element(By.ID, "no-match").is_displayed()


@pytest.mark.parametrize("suffix", ["?q=", "#q="])
def test_the_search_is_driven_from_the_url(browser: Any, shipped: policydata.Dataset, site: Path, suffix: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get("about:blank")  # a fresh load, not a same-document hash change
    browser.get((site / "index.html").as_uri() + suffix + quote(QUERY))
    assert browser.find_element(By.ID, "q").get_attribute("value") == QUERY
    assert _visible_rows(browser) == _expected_hits(shipped, QUERY)
