"""The dashboard and a canned query in a real headless Chromium (Debian's, driven by
Selenium through Debian's chromedriver; nothing is downloaded).

CI installs both with .ci/install-browser; where they are absent (a user's machine)
the test is skipped.
"""

from __future__ import annotations

import shutil
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.datasette.site import DASHBOARD_PATH
from tests.sites import crawl_demo, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not CHROMIUM.exists() or not Path(CHROMEDRIVER).exists():
    pytest.skip(
        f"needs {CHROMIUM} and chromedriver (Debian: apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip: .[dev])")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# Root in a container with no network: no sandbox, no GPU, and nothing that phones home.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,2200",
)
WAIT_SECONDS = 60
# Vega's SVG renderer draws the data marks (bars, lines, points) as paths in g.role-mark.
MARKS = "svg g.role-mark path"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    crawl_demo(db)
    return db


@pytest.fixture(scope="module")
def base(demo_db: Path) -> Iterator[str]:
    with serving(demo_db) as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager is not asked to find (or fetch) one.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    yield driver
    driver.quit()


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _chart_texts(driver, chart: str) -> list[str]:
    """The text of every SVG element Vega drew in one dashboard chart (axes, legend)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".map(e => e.textContent.trim()).filter(t => t)",
        f"#chart-{chart} svg text",
    )


def test_dashboard_draws_charts_from_the_database(
    browser, base: str, demo_db: Path, tmp_path: Path
) -> None:
    browser.get(base + DASHBOARD_PATH)
    wait = WebDriverWait(browser, WAIT_SECONDS)
    charts = ("attacks_repelled", "figures_by_object", "statements_per_week", "top_speakers")
    for chart in charts:
        # Vega draws marks (bars, lines, points) as SVG paths once the data has arrived.
        wait.until(lambda d, c=chart: d.find_elements(By.CSS_SELECTOR, f"#chart-{c} {MARKS}"))
    browser.save_screenshot(str(tmp_path / "dashboard.png"))

    with sqlite3.connect(demo_db) as conn:
        (articles,) = conn.execute(
            "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL"
        ).fetchone()
        (top_speaker,) = conn.execute(
            "SELECT speaker FROM v_statements WHERE speaker != '' "
            "GROUP BY speaker ORDER BY COUNT(*) DESC, speaker LIMIT 1"
        ).fetchone()
        repelled_days = conn.execute(
            "SELECT COUNT(DISTINCT day || source) FROM v_figures "
            "WHERE object LIKE '%attack%' AND action LIKE 'repel%'"
        ).fetchone()[0]
    wait.until(lambda d: d.find_element(By.ID, "chart-articles").text.strip())
    assert browser.find_element(By.ID, "chart-articles").text.strip() == str(articles)
    # One bar per day and source with attacks repelled, and the real speakers in the legends.
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart-attacks_repelled svg g.mark-rect path")
    assert len(bars) == repelled_days >= 3
    assert "enemy attacks" in _chart_texts(browser, "figures_by_object")
    assert top_speaker in _chart_texts(browser, "statements_per_week")
    assert top_speaker in _chart_texts(browser, "top_speakers")
    assert _errors(browser) == []


def test_canned_query_shows_real_rows(browser, base: str, demo_db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        (speaker,) = conn.execute(
            "SELECT speaker FROM v_statements WHERE speaker != '' "
            "GROUP BY speaker ORDER BY COUNT(*) DESC, speaker LIMIT 1"
        ).fetchone()
        quotes = [
            q
            for (q,) in conn.execute("SELECT quote FROM v_statements WHERE speaker = ?", [speaker])
        ]
    browser.get(f"{base}/newsdesk/what_did_speaker_say?speaker={urllib.parse.quote(speaker)}")
    rows = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    )
    browser.save_screenshot(str(tmp_path / "what_did_speaker_say.png"))
    assert len(rows) == len(quotes) >= 3
    speakers = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "td.col-speaker")]
    assert set(speakers) == {speaker}
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "td.col-quote")]
    assert sorted(shown) == sorted(q.strip() for q in quotes)
    assert _errors(browser) == []
