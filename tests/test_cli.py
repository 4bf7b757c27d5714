"""`newsdesk extract` and `newsdesk stats` as a user calls them."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from jobs.demo import demo_pages, load_demo_articles
from tests.sites import REPO_ROOT, newsdesk

BASE = "http://127.0.0.1:8000"
ARTICLE = load_demo_articles()[0]
PAGES = demo_pages(BASE)


def test_extract_html_and_gzip_and_stdin(tmp_path: Path) -> None:
    html = PAGES[ARTICLE.path].body
    plain = tmp_path / "page.html"
    plain.write_bytes(html)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(html))
    outputs = [
        newsdesk("extract", str(plain), "--url", BASE + ARTICLE.path, "--json").stdout,
        newsdesk("extract", str(packed), "--url", BASE + ARTICLE.path).stdout,
        subprocess.run(
            [sys.executable, "-m", "jobs.cli", "extract", "-", "--url", BASE + ARTICLE.path],
            input=html,
            capture_output=True,
            cwd=REPO_ROOT,
        ).stdout.decode(),
    ]
    first = json.loads(outputs[0])
    assert all(json.loads(o) == first for o in outputs[1:])
    assert set(first) == {"article", "statements", "figures"}
    article = first["article"]
    assert article["title"] == ARTICLE.title
    assert article["url"] == BASE + ARTICLE.path
    assert article["body"].startswith(ARTICLE.lead)
    assert "Read more" not in article["body"]
    assert article["published"].startswith(ARTICLE.published[:10])
    for statement in first["statements"]:
        assert article["body"][statement["start"] : statement["end"]] == statement["quote"]


def test_extract_plain_text(tmp_path: Path) -> None:
    text = tmp_path / "body.txt"
    text.write_text(ARTICLE.body_text, encoding="utf-8")
    result = newsdesk("extract", str(text), "--text")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"]["body"].startswith(ARTICLE.lead)


def test_extract_refuses_a_listing_page(tmp_path: Path) -> None:
    listing = tmp_path / "section.html"
    listing.write_bytes(PAGES["/section/frontline/"].body)
    result = newsdesk("extract", str(listing), "--url", BASE + "/section/frontline/")
    assert result.returncode == 1
    assert "not an article" in result.stderr


def test_extract_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = newsdesk("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_stats_without_database(tmp_path: Path) -> None:
    result = newsdesk("stats", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2
    assert "no database" in result.stderr


# The console script as pip writes it: `from jobs.entry import main; sys.exit(main())`.
_CONSOLE_SCRIPT = (
    "import sys\nfrom jobs.entry import main\nsys.argv[0] = 'newsdesk'\nsys.exit(main())"
)


def test_ctrl_c_while_the_cli_loads_is_one_line(tmp_path: Path) -> None:
    """A Ctrl-C while Python still imports the command line: one line, exit 130, no
    traceback. The interrupt is raised exactly there by an import hook in the child."""
    hook = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'jobs.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", hook + _CONSOLE_SCRIPT, "stats", "--db", str(tmp_path / "x.db")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "newsdesk: interrupted while starting; nothing was done"
    ]


def test_real_ctrl_c_soon_after_start_prints_no_traceback(tmp_path: Path) -> None:
    """SIGINT at several moments of start-up (during and after the import of the command
    line): whatever the moment, no traceback reaches the terminal. The child says when the
    console script's first line has run: an interrupt before that falls in CPython's own
    start-up (a few milliseconds), which no program can handle."""
    import signal
    import time

    script = _CONSOLE_SCRIPT.replace("main\n", "main\nprint('up', flush=True)\n", 1)
    for delay in (0.0, 0.1, 0.3, 0.6):
        child = subprocess.Popen(
            [sys.executable, "-c", script, "stats", "--db", str(tmp_path / "x.db")],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "up\n"
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
        assert "Traceback" not in err, (delay, err)
