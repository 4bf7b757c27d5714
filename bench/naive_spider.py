"""The plain approach newsdesk is measured against: Scrapy calling trafilatura in the
spider callback, one JSON line per page.

    python -m bench.naive_spider BASE_URL OUT.jsonl

Reads the site's sitemaps from BASE_URL/robots.txt, like `newsdesk run` does, with the
same politeness settings the benchmark gives newsdesk (none).
"""

from __future__ import annotations

import sys
from typing import Any

import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class NaiveSpider(SitemapSpider):
    name = "naive"

    def parse(self, response: Response) -> Any:
        text = trafilatura.extract(response.body, url=response.url, with_metadata=True)
        yield {"url": response.url, "text": text}


def main() -> None:
    base, out = sys.argv[1], sys.argv[2]
    process = CrawlerProcess(
        {
            "FEEDS": {out: {"format": "jsonlines", "encoding": "utf-8"}},
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "CONCURRENT_REQUESTS": 32,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
            "ROBOTSTXT_OBEY": True,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    process.crawl(NaiveSpider, sitemap_urls=[f"{base}/robots.txt"])
    process.start()


if __name__ == "__main__":
    main()
