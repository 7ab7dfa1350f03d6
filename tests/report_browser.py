"""Headless Chromium for the report's browser tests: Debian's chromium and chromedriver, nothing downloaded.

Selenium is given the system chromedriver's path, so Selenium Manager never
runs (it would fetch a driver from the web), and Chromium is started with its
background networking off and every host name unresolvable: the report must
work with no network at all.

Run as a script to write the screenshot the README shows::

    python tests/report_browser.py            # writes docs/report.png
    python tests/report_browser.py out.png    # or anywhere else
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from selenium.webdriver.remote.webdriver import WebDriver

APT = "apt-get install -y chromium chromium-driver fonts-noto-cjk"
# Set to 1 (as CI does) and a missing browser fails the tests instead of skipping them.
REQUIRE_ENV = "POLICYDATA_REQUIRE_BROWSER"
# Wide enough for two charts side by side, tall enough for the charts above the document table.
WINDOW = (1280, 1400)

_QUIET = (
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--no-first-run",
    "--no-default-browser-check",
    # Nothing may leave the machine: no updates, sync, metrics or crash reports, and no name resolves.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--disable-breakpad",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def missing() -> str | None:
    """What the browser tests lack on this machine, or None when they can run."""
    lacking = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    if importlib.util.find_spec("selenium") is None:
        lacking.append("the selenium package (a test dependency: pip install -e '.[test]')")
    return f"headless Chromium is not available: no {', '.join(lacking)}" if lacking else None


@contextmanager
def chromium(window: tuple[int, int] = WINDOW) -> Iterator[WebDriver]:
    """A headless Chromium driven by the system chromedriver; quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _which("chromium")
    for argument in _QUIET:
        options.add_argument(argument)
    options.add_argument(f"--window-size={window[0]},{window[1]}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (CI runs as root).
        options.add_argument("--no-sandbox")
    driver = webdriver.Chrome(service=Service(executable_path=_which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _which(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(f"{name} is not installed; install it with: {APT}")
    return path


def screenshot(driver: WebDriver, page: Path, out: Path, *, through: str = "#fig-deadlines") -> Path:
    """Load ``page`` at 1280 CSS pixels wide and save it as a PNG at ``out``, from the top down to the
    bottom of the elements ``through`` selects (by default the charts above the heatmap)."""
    import base64

    width = WINDOW[0]
    # The viewport, not the window: headless Chromium's window size includes no toolbar, but say it exactly.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
    try:
        driver.get(page.resolve().as_uri())
        bottom = driver.execute_script(
            "const found = Array.from(document.querySelectorAll(arguments[0]));"
            "return found.length ? Math.ceil(Math.max(...found.map(e => e.getBoundingClientRect().bottom"
            " + window.scrollY))) + 16 : null;", through)
        if bottom is None:
            raise ValueError(f"{page} has no element matching {through!r} to end the screenshot at")
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": bottom, "scale": 1}})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(base64.b64decode(shot["data"]))
    return out


def main(argv: list[str]) -> int:
    """Build the report of the latest bundled version and screenshot its index (docs/report.png by default)."""
    import policydata
    from policydata.report import write_report

    why = missing()
    if why:
        print(f"{why}; install with: {APT}", file=sys.stderr)
        return 1
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "docs" / "report.png"
    with tempfile.TemporaryDirectory() as scratch, chromium() as driver:
        index = write_report(policydata.open(), Path(scratch) / "report")
        print(screenshot(driver, index, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
