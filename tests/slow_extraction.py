"""An extraction task (NEWSDESK_EXTRACT_TASK) that turns slow on demand, for stop tests.

Once the file named by NEWSDESK_TEST_SLOW_EXTRACTION_FLAG exists (the worker processes
inherit the environment), every page takes a minute to extract; before that, pages are
extracted as usual.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from crawler.extract_pool import PageResult, extract_result


def slow_when_flagged(
    html: bytes, url: str, charset: str | None, listed_date: str | None = None
) -> PageResult:
    flag = os.environ.get("NEWSDESK_TEST_SLOW_EXTRACTION_FLAG")
    if flag and Path(flag).exists():
        time.sleep(60)
    return extract_result(html, url, charset, listed_date)
