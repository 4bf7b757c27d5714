"""The article reader, a table, the dashboard and a canned query in a real headless
Chromium (Debian's, driven by Selenium through Debian's chromedriver; nothing is
downloaded).

CI installs both with .ci/install-browser; where they are absent (a user's machine)
the test is skipped. With NEWSDESK_SCREENSHOTS=DIR the reader, table and dashboard
screenshots are also saved in DIR (docs/img holds the ones docs/inspect.md shows:
`NEWSDESK_SCREENSHOTS=docs/img .venv/bin/python -m pytest tests/test_browser.py`).
"""

from __future__ import annotations

import os
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
    "--hide-scrollbars",
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


def _viewport(driver, width: int, height: int) -> None:
    """The page's viewport exactly width x height (a window's size includes its frame)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _screenshot(driver, tmp_path: Path, name: str) -> None:
    """Save a screenshot in tmp_path, and in $NEWSDESK_SCREENSHOTS when set."""
    driver.save_screenshot(str(tmp_path / name))
    if os.environ.get("NEWSDESK_SCREENSHOTS"):
        out = Path(os.environ["NEWSDESK_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out / name))


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
    _viewport(browser, 1400, 1900)
    browser.get(base + DASHBOARD_PATH)
    wait = WebDriverWait(browser, WAIT_SECONDS)
    charts = ("articles_per_day", "top_objects", "top_speakers", "daily_counts", "longer_periods")
    for chart in charts:
        # Vega draws marks (bars, lines, points) as SVG paths once the data has arrived.
        wait.until(lambda d, c=chart: d.find_elements(By.CSS_SELECTOR, f"#chart-{c} {MARKS}"))
    _screenshot(browser, tmp_path, "dashboard.png")

    with sqlite3.connect(demo_db) as conn:
        (articles,) = conn.execute(
            "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL"
        ).fetchone()
        (top_speaker,) = conn.execute(
            "SELECT speaker FROM v_statements WHERE speaker != '' "
            "GROUP BY speaker ORDER BY COUNT(*) DESC, speaker LIMIT 1"
        ).fetchone()
        (top_object,) = conn.execute(
            "SELECT object FROM v_figures WHERE object != '' "
            "GROUP BY object ORDER BY COUNT(*) DESC, object LIMIT 1"
        ).fetchone()
        (days,) = conn.execute(
            "SELECT COUNT(DISTINCT substr(published, 1, 10) || source) FROM articles "
            "WHERE duplicate_of IS NULL AND published IS NOT NULL"
        ).fetchone()
    wait.until(lambda d: d.find_element(By.ID, "chart-articles").text.strip())
    assert browser.find_element(By.ID, "chart-articles").text.strip() == str(articles)
    # One bar per day and source with articles; the real objects and speakers in the axes.
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart-articles_per_day svg g.mark-rect path")
    assert len(bars) == days >= 20
    assert top_object in _chart_texts(browser, "top_objects")
    assert top_speaker in _chart_texts(browser, "top_speakers")
    assert _errors(browser) == []


def test_a_chart_without_data_says_so_in_one_line(browser, base: str) -> None:
    browser.get(base + DASHBOARD_PATH + "?date_start=1900-01-01&date_end=1900-01-02")
    wait = WebDriverWait(browser, WAIT_SECONDS)
    for chart in ("articles_per_day", "top_objects", "top_speakers", "daily_counts"):
        line = wait.until(
            lambda d, c=chart: d.find_elements(By.CSS_SELECTOR, f"#chart-{c} p.no-data")
        )
        assert line[0].is_displayed() and line[0].text.startswith("No ")
        assert not browser.find_elements(By.CSS_SELECTOR, f"#chart-{chart} svg")
    assert _errors(browser) == []


def test_reader_marks_statements_and_figures_visibly(
    browser, base: str, demo_db: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_db) as conn:
        # The article with the most statements, and a speaker of its first one.
        article_id, statements, figures = conn.execute(
            "SELECT a.id, (SELECT COUNT(*) FROM statements WHERE article_id = a.id) AS n, "
            "(SELECT COUNT(*) FROM figures WHERE article_id = a.id) FROM articles a "
            "ORDER BY n DESC, a.id LIMIT 1"
        ).fetchone()
        speakers = {
            s
            for (s,) in conn.execute(
                "SELECT speaker FROM statements WHERE article_id = ?", [article_id]
            )
        }
    _viewport(browser, 1400, 900)
    browser.get(f"{base}/newsdesk/articles/{article_id}")
    marked = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".reader-body .statement")
    )
    _screenshot(browser, tmp_path, "reader.png")
    assert len(marked) == statements >= 3
    assert all(m.is_displayed() for m in marked)
    assert {m.get_attribute("data-speaker") for m in marked} == speakers
    assert all(m.get_attribute("title") for m in marked)  # the tooltip
    shown = browser.find_elements(By.CSS_SELECTOR, ".reader-body .figure")
    assert len(shown) == figures and all(f.is_displayed() for f in shown)
    # The body uses the page's width: not squeezed into a column.
    body = browser.find_element(By.CSS_SELECTOR, ".reader-body")
    assert body.size["width"] >= 1000
    # The list below links into the body.
    link = browser.find_element(By.CSS_SELECTOR, "#reader-statements a[href^='#statement-']")
    target = link.get_attribute("href").split("#")[1]
    link.click()
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert _errors(browser) == []


def test_first_row_of_statements_is_visible_without_scrolling(
    browser, base: str, tmp_path: Path
) -> None:
    _viewport(browser, 1400, 900)
    browser.get(f"{base}/newsdesk/v_statements")
    row = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    )
    _screenshot(browser, tmp_path, "v_statements.png")
    bottom, viewport = browser.execute_script(
        "return [arguments[0].getBoundingClientRect().bottom, window.innerHeight]", row
    )
    assert bottom <= viewport, (bottom, viewport)
    headers = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns th")]
    assert [h.strip() for h in headers[:4]] == ["speaker_name", "speaker", "quote", "kind"]
    assert _errors(browser) == []


def test_canned_query_shows_real_rows(browser, base: str, demo_db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_db) as conn:
        # The most quoted speaker, under every form of its name (one speaker id).
        speaker, speaker_id = conn.execute(
            "SELECT speaker_name, speaker_id FROM v_statements WHERE speaker_id IS NOT NULL "
            "GROUP BY speaker_id ORDER BY COUNT(*) DESC, speaker_name LIMIT 1"
        ).fetchone()
        quotes = [
            q
            for (q,) in conn.execute(
                "SELECT quote FROM v_statements WHERE speaker_id = ?", [speaker_id]
            )
        ]
    browser.get(f"{base}/newsdesk/what_did_speaker_say?speaker={urllib.parse.quote(speaker)}")
    rows = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    )
    browser.save_screenshot(str(tmp_path / "what_did_speaker_say.png"))
    assert len(rows) == len(quotes) >= 3
    speakers = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "td.col-speaker_name")]
    assert set(speakers) == {speaker}
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "td.col-quote")]
    assert sorted(shown) == sorted(q.strip() for q in quotes)
    assert _errors(browser) == []
