"""Article extraction: HTML page -> `Article` record (extraction-spec section 1).

trafilatura finds the main text and most metadata; this module decides what counts as
an article, reads the structured metadata (canonical link, JSON-LD, Open Graph) that
trafilatura does not expose, and cleans the body with `extract.text.clean_body`.

Choices (for docs/extraction.md):
- body: trafilatura in precision mode, fast mode first (its full cascade, then balanced
  mode, when that finds little or text that does not look like the article; see
  `_main_text`), comments off, tables kept (data tables are part of many stories;
  precision mode drops layout tables); then clean_body, and a first paragraph repeating
  the headline is dropped; the standfirst and the subheadings precision mode dropped go
  back (`_with_standfirst`, `_with_subheadings`). AEB body F1 0.977 against 0.953 for
  plain trafilatura.extract; trafilatura's own evaluation set in BENCHMARKS.md
  (`python -m bench.body_quality`).
- metadata: trafilatura's own metadata steps without categories, tags and licence
  (`extract.metadata.page_metadata`).
- published: htmldate's day (original_date, extensive search, as trafilatura does) with
  the time of day from the page metadata when both agree; see `_published`. Publishers
  whose pages mislead htmldate name their date's place in lexicons/publisher_dates.toml.
  When the page has no date at all, the date of the feed or sitemap entry that listed it.
- url: the canonical link or og:url when `extract.urls.trusted_canonical` accepts it
  (same site, not the home page, a section or a navigation page), else the fetched URL.
- language: the declared code unless the body's function words contradict it.
- not an article: empty or non-HTML input, no main text, a body under `MIN_BODY_CHARS`
  unless the page is clearly one short article (`_not_short_article`: marked, dated, an
  item URL, about its title, no paywall sign; never under `SHORT_MIN_BODY_CHARS`),
  a home page or listing (`_looks_like_listing`; the page-wide link tests only where the
  URL does not name one item), or an undated page (no date in the page, none from a
  listing entry, no year and month in the URL) without article metadata under
  `UNDATED_MIN_BODY_CHARS` (about/contact pages).
"""

from __future__ import annotations

import codecs
import json
import re
import tomllib
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from extract.cited import cited_sources
from extract.metadata import page_metadata
from extract.records import Article
from extract.text import (
    body_sha256,
    clean_body,
    has_stopword_list,
    is_teaser,
    stopword_language,
)
from extract.urls import canonical_url, looks_like_navigation, registered_host, trusted_canonical

# Two or three sentences. Shorter "articles" are nearly always a teaser, a video page
# with a caption, a paywall stub or an error page; AEB's shortest real body is 369 chars.
MIN_BODY_CHARS = 200
# A shorter body is kept only when the page is clearly one article (`_not_short_article`):
# marked as an article, dated, at a URL that names one item, the body sharing
# SHORT_MIN_OVERLAP of the title's and description's words, not a caption, and no sign
# of a paywall (lexicons/paywall.toml). Blog posts of 122-193 characters in trafilatura's
# evaluation set are such articles; nothing under this floor is.
SHORT_MIN_BODY_CHARS = 80
SHORT_MIN_OVERLAP = 0.3

# "About", contact and imprint pages: no date, no article metadata and a short text.
# No page of the corpus that has a date or article metadata is affected, and no undated,
# unmarked page there is shorter than this.
UNDATED_MIN_BODY_CHARS = 1000

# Precision-mode texts shorter than this are checked against balanced mode, which wins
# when it finds FALLBACK_RATIO times more text (see `_main_text`).
FALLBACK_BELOW_CHARS = 500
FALLBACK_RATIO = 3
# Fast-mode texts shorter than this are judged by what they are: they must share
# MIN_TITLE_OVERLAP of the title's and description's words and hold MIN_PAGE_SHARE of the
# page's visible text, else the full cascade runs and balanced mode wins at
# JUDGED_FALLBACK_RATIO. Tuned on trafilatura's evaluation set (about 25 of its 990 pages are
# judged wrong; 2 of the 200 AEB and fundus pages bench.extract_breakdown times).
JUDGE_BELOW_CHARS = 1000
MIN_TITLE_OVERLAP = 0.1
MIN_PAGE_SHARE = 0.1
JUDGED_FALLBACK_RATIO = 2
# A page summary this long, shown on the page and missing from the body, is its standfirst
# (shorter ones are taglines: "News from the region").
STANDFIRST_MIN_CHARS = 80
_STANDFIRST_PROBE_CHARS = 30
_STANDFIRST_LEVELS = 4
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")

# A page without any article marker (og:type=article, JSON-LD Article types, a
# published time) is a listing when most of its visible text is link text, it has many
# headline-like links and little main text. Measured on the corpus: home pages have a
# link density of 0.58-0.76 and 50+ headline links; articles without article markers
# reach 0.72 / 44 links (heise) but have long bodies.
LISTING_LINK_DENSITY = 0.55
LISTING_HEADLINE_LINKS = 30
LISTING_MAX_BODY_CHARS = 1500
_HEADLINE_LINK_CHARS = 35
# Section pages list dated teasers (headline link + <time> + summary). An unmarked page is
# a listing when it has at least this many and they hold half of the main text or more.
LISTING_TEASER_BLOCKS = 3
# Any page is a listing when half of its main text is paragraphs that are each the whole
# text of a link (headlines); in the corpus no article reaches 0.2.
LISTING_LINKED_SHARE = 0.5
_TEASER_LINK_CHARS = 20
# A URL whose last path segment has this many words joined by "-" or "_" names one item
# (an article slug), not a section ("/politik/", "/news/ausland") or a listing.
ARTICLE_SLUG_WORDS = 4
_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")
# A year and month in a URL path ("/2010/05/slug"): dated content, not a static page.
_URL_MONTH = re.compile(r"/(?:19|20)\d{2}[/-](?:0?[1-9]|1[0-2])(?:/|[-_]|$)")

# schema.org types whose datePublished is the article's own (not an image's or a page's).
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        "SatiricalArticle",
    }
)

# Media objects nested in an article's JSON-LD carry their own datePublished.
_MEDIA_TYPES = frozenset({"ImageObject", "VideoObject", "AudioObject", "MediaObject"})

# <meta> names carrying the first-publication time, most specific first.
_META_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
)

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|/|\*)\s+")
_BYLINE_PART = re.compile(r"^by\s+\S+(?:\s+\S+){0,3}$", re.IGNORECASE)
_TITLE_PREFIX = re.compile(r"^([^:]{2,40}):\s+(.+)$")
_LANG = re.compile(r"^([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*$")
_TAG = re.compile(r"<\s*[a-zA-Z!?/]")


class NotAnArticle(ValueError):
    """The page has no article to extract; `reason` says why, for logs and run reports."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- decoding ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
# WHATWG: pages labelled Latin-1 are decoded as windows-1252 (curly quotes in 0x80-0x9f).
_CHARSET_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "ascii": "utf-8"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page: BOM, then strict UTF-8, then the declared charset, then <meta charset>.

    `declared` is the charset of the HTTP Content-Type header, if any. UTF-8 is tried
    before any declaration because pages often declare a charset they do not use, and
    random non-UTF-8 bytes almost never decode as valid UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sniffed = _META_CHARSET.search(data[:4096])
    candidates = [_codec(declared), _codec(sniffed.group(1).decode("ascii") if sniffed else None)]
    for encoding in [c for c in candidates if c and c != "utf-8"]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(next((c for c in candidates if c), "windows-1252"), errors="replace")


def _toml_lexicon(name: str) -> dict[str, Any]:
    """One of extract/lexicons/*.toml, parsed (callers cache what they build from it)."""
    return tomllib.loads(files("extract").joinpath("lexicons", name).read_text(encoding="utf-8"))


# --- page signals that trafilatura does not expose --------------------------------------


def _meta_index(tree: HtmlElement) -> dict[str, str]:
    """First non-empty content of each <meta> name/property/itemprop, keys lower-cased.

    Built once per page: a page has dozens of <meta> elements and is asked for many names.
    """
    found: dict[str, str] = {}
    for element in tree.iterfind(".//meta[@content]"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    return found


def _meta(metas: dict[str, str], *names: str) -> str | None:
    """The content of the first of `names` the page has, in the order given."""
    return next((metas[n] for n in (n.lower() for n in names) if n in metas), None)


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, @graph members included."""
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _is_article_type(obj: dict[str, Any]) -> bool:
    # schema.org has dozens of Article subtypes (ReportageNewsArticle, TechArticle...)
    return any(t in _ARTICLE_TYPES or t.endswith("Article") for t in _types(obj))


def _article_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    return [obj for obj in _json_ld_objects(tree) if _is_article_type(obj)]


def _iso(value: Any) -> str | None:
    """ISO 8601 date-time (or date) from a metadata value, None when unparseable."""
    if not isinstance(value, str) or not re.match(r"\s*\d{4}-\d{2}-\d{2}", value):
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        return value[:10] if _valid_date(value[:10]) else None
    if len(value) <= 10:
        return parsed.date().isoformat()
    return parsed.replace(microsecond=0).isoformat()


def _valid_date(value: str) -> bool:
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _structured_published(
    tree: HtmlElement, metas: dict[str, str], article_ld: list[dict[str, Any]]
) -> str | None:
    """First publication time declared by the page's own metadata (JSON-LD, <meta>, <time>)."""
    for obj in article_ld:
        for key in ("datePublished", "dateCreated"):
            if published := _iso(obj.get(key)):
                return published
    if published := _iso(_meta(metas, *_META_PUBLISHED)):
        return published
    for element in tree.iterfind(".//*[@itemprop='datePublished']"):
        if published := _iso(element.get("datetime") or element.get("content")):
            return published
    return None


def _other_dates(tree: HtmlElement) -> set[str]:
    """Days of datePublished values of JSON-LD media objects (images, videos)."""
    days: set[str] = set()
    stack: list[Any] = list(_json_ld_objects(tree))
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if _types(item) & _MEDIA_TYPES and (day := _iso(item.get("datePublished"))):
                days.add(day[:10])
            stack.extend(v for k, v in item.items() if k != "@graph")
    return days


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_.]|$)")


def _url_date(*urls: str | None) -> str | None:
    for url in urls:
        match = _URL_DATE.search(urlsplit(url or "").path)
        if match:
            day = "{}-{:0>2}-{:0>2}".format(*match.groups())
            if _valid_date(day):
                return day
    return None


def _published(
    tree: HtmlElement,
    metas: dict[str, str],
    article_ld: list[dict[str, Any]],
    date: str | None,
    urls: list[str | None],
) -> str | None:
    """First publication: htmldate's day, with the page metadata's time when they agree.

    htmldate (through trafilatura, original_date=True) weighs many page signals and is
    right more often than any single tag (a live blog's article:published_time is often the
    last update), so it decides the day. Two known htmldate slips are corrected: it reads
    the first "datePublished" in JSON-LD even when that belongs to an image, and it turns
    a copyright year into YYYY-01-01, which is no publication date (the URL's date or
    None is returned instead). Publishers whose pages mislead htmldate say where their
    date is in lexicons/publisher_dates.toml (`_publisher_published`), read first.
    """
    if declared := _publisher_published(tree, urls):
        return declared
    structured = _structured_published(tree, metas, article_ld)
    from_url = _url_date(*urls)
    if date is None:
        return structured or from_url
    if structured and (structured[:10] == date or date in _other_dates(tree)):
        return structured
    if date.endswith("-01-01") and from_url != date and _year_only(tree, date, urls):
        return structured or from_url
    return date


@cache
def _publisher_dates() -> dict[str, tuple[tuple[XPath, ...], tuple[str, ...]]]:
    """Host -> (XPath expressions, strptime formats) from lexicons/publisher_dates.toml."""
    data = _toml_lexicon("publisher_dates.toml")
    rules = {}
    for publisher in data["publisher"]:
        rule = (
            tuple(XPath(x, smart_strings=False) for x in publisher["xpath"]),
            tuple(publisher.get("formats", ())),
        )
        rules.update(dict.fromkeys(publisher["hosts"], rule))
    return rules


def _publisher_published(tree: HtmlElement, urls: list[str | None]) -> str | None:
    """The date where the page's publisher prints it (lexicons/publisher_dates.toml)."""
    rules = _publisher_dates()
    for url in urls:
        host = registered_host(url or "")
        while host and host not in rules:
            host = host.partition(".")[2]
        if not host:
            continue
        xpaths, formats = rules[host]
        for xpath in xpaths:
            for value in xpath(tree):
                if published := _iso(value) or _strptime(" ".join(str(value).split()), formats):
                    return published
    return None


def _strptime(value: str, formats: tuple[str, ...]) -> str | None:
    for pattern in formats:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _year_only(tree: HtmlElement, date: str, urls: list[str | None]) -> bool:
    """True when htmldate's date comes only from its extensive search, which turns a bare
    year (a copyright line "© 2026") into January 1st: the quick search does not find it."""
    url = next((u for u in urls if u), None)
    # htmldate works on its own copy of a tree it is given (as page_metadata relies on too)
    return find_date(tree, extensive_search=False, original_date=True, url=url) != date


def _canonical_candidates(
    tree: HtmlElement, metas: dict[str, str], fetched: str | None
) -> list[str]:
    """The URLs the page names for itself: <link rel=canonical> first, then og:url."""
    hrefs = [
        element.get("href", "").strip()
        for element in tree.iterfind(".//link[@href]")
        if "canonical" in (element.get("rel") or "").lower().split()
    ]
    hrefs.append((_meta(metas, "og:url") or "").strip())
    return [urljoin(fetched, href) if fetched else href for href in hrefs if href]


def _article_url(candidates: list[str], fetched: str | None) -> str:
    """The first candidate `trusted_canonical` accepts, else the fetched URL."""
    for candidate in candidates:
        if trusted_canonical(candidate, fetched):
            return canonical_url(candidate)
    if fetched:
        return canonical_url(fetched)
    absolute = (c for c in candidates if urlsplit(c).scheme in ("http", "https"))
    return next((canonical_url(c) for c in absolute), "")


def _declared_language(tree: HtmlElement, metas: dict[str, str]) -> str | None:
    """ISO 639-1 code the page declares (html lang, meta, og:locale), None when malformed."""
    root = tree.getroottree().getroot()
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _meta(metas, "content-language", "language", "dc.language"),
        _meta(metas, "og:locale"),
    ):
        match = _LANG.match((value or "").split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def _language(tree: HtmlElement, metas: dict[str, str], body: str) -> str | None:
    """The declared language, unless the body's function words clearly say another one.

    Templates often keep a default lang="en" on pages in other languages (2% of the
    corpus); the stopword check catches those and names undeclared ones.
    """
    declared = _declared_language(tree, metas)
    observed = stopword_language(body)
    if declared and (observed is None or not has_stopword_list(declared)):
        return declared
    return observed


def _link_stats(tree: HtmlElement) -> tuple[float, int]:
    """Share of visible body text that sits in links, and the number of headline-like links."""
    visible = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
    total = sum(len(t.strip()) for t in tree.xpath(visible))
    link_chars = sum(len(t.strip()) for t in tree.xpath(visible + "[ancestor::a]"))
    headlines = sum(
        1
        for a in tree.iterfind(".//body//a")
        if len(" ".join(a.text_content().split())) >= _HEADLINE_LINK_CHARS
    )
    return (link_chars / total if total else 0.0), headlines


def _has_article_markers(metas: dict[str, str], article_ld: list[dict[str, Any]]) -> bool:
    og_type = (_meta(metas, "og:type") or "").lower()
    return og_type == "article" or bool(article_ld) or bool(_meta(metas, *_META_PUBLISHED))


def _article_shaped(url: str | None) -> bool:
    """True for a URL that names one item: a year and month in its path ("/2010/05/"),
    or a last segment that is a slug of several words ("311510-podolski-zavershil-kareru",
    "when-to-use-wurde-versus-war"), unless courlan calls it a navigation page (tag,
    category, archive...). Sections and home pages have neither."""
    if not url:
        return False
    path = urlsplit(url).path
    if not (_URL_MONTH.search(path) or _slug_words(path) >= ARTICLE_SLUG_WORDS):
        return False
    return not looks_like_navigation(url)


def _slug_words(path: str) -> int:
    last = next((s for s in reversed(path.split("/")) if s), "")
    return len(_SLUG_WORD.findall(last.rsplit(".", 1)[0]))


def _looks_like_listing(tree: HtmlElement, url: str | None, body: str, marked: bool) -> str | None:
    """Reason to treat the page as a home page or listing, or None.

    The link-density and teaser tests read the whole page, where an article's own
    navigation, "more news" boxes and comment dates look like a listing's: they apply
    only to pages whose URL does not name one item (`_article_shaped`). On trafilatura's
    evaluation set they refused a football report, a lyrics post, a product page and a
    question with its answers, and no listing.
    """
    if url and urlsplit(url).path in ("", "/") and not urlsplit(url).query:
        return "home page (site root URL)"
    linked = _linked_share(tree, body)
    if linked >= LISTING_LINKED_SHARE:
        return f"listing page ({linked:.0%} of the main text is link text)"
    if marked or len(body) >= LISTING_MAX_BODY_CHARS or _article_shaped(url):
        return None
    density, headlines = _link_stats(tree)
    if density >= LISTING_LINK_DENSITY and headlines >= LISTING_HEADLINE_LINKS:
        return f"listing page (link density {density:.2f}, {headlines} headline links)"
    blocks = _teaser_blocks(tree)
    teaser_chars = sum(len(" ".join(b.text_content().split())) for b in blocks)
    if len(blocks) >= LISTING_TEASER_BLOCKS and teaser_chars >= len(body) / 2:
        return f"listing page ({len(blocks)} dated teasers)"
    return None


def _linked_share(tree: HtmlElement, body: str) -> float:
    """Share of body characters in paragraphs that are the whole text of a link (headlines)."""
    links = {" ".join(a.text_content().split()) for a in tree.iterfind(".//body//a")}
    paragraphs = body.split("\n\n")
    linked = sum(len(p) for p in paragraphs if p in links)
    return linked / max(1, sum(len(p) for p in paragraphs))


def _teaser_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """Dated teasers: the nearest container of each <time> that also holds a headline link."""
    blocks: dict[int, HtmlElement] = {}
    for time in tree.iterfind(".//body//time"):
        container = time.getparent()
        for _ in range(3):
            if container is None:
                break
            if any(
                len(" ".join(a.text_content().split())) >= _TEASER_LINK_CHARS
                for a in container.iterfind(".//a")
            ):
                blocks[id(container)] = container
                break
            container = container.getparent()
    return list(blocks.values())


# --- title --------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _is_site_name(part: str, names: list[str]) -> bool:
    squashed = _squash(part)
    if not squashed or len(part.split()) > 6:
        return False
    return any(squashed == n or (len(n) >= 3 and (n in squashed or squashed in n)) for n in names)


def clean_title(title: str | None, site_names: list[str | None]) -> str | None:
    """Headline without the site name: "Headline | Site", "Headline - Site", "Site: Headline"."""
    if not title:
        return None
    title = " ".join(title.split())
    names = [_squash(n) for n in site_names if n and _squash(n)]
    if not names:
        return title
    parts = _TITLE_SEPARATORS.split(title)
    while len(parts) > 1 and (_is_site_name(parts[-1], names) or _BYLINE_PART.match(parts[-1])):
        parts.pop()
    while len(parts) > 1 and _is_site_name(parts[0], names):
        parts.pop(0)
    # Rejoin with the original separators by cutting the title at the surviving parts.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    title = title[start:end]
    prefix = _TITLE_PREFIX.match(title)
    if prefix and _is_site_name(prefix.group(1), names):
        title = prefix.group(2)
    return title.strip() or None


def _headline(tree: HtmlElement, title: str | None) -> str | None:
    """The page's <h1> when the metadata title only decorates it ("Topic: <h1> | Section").

    Metadata titles (og:title, <title>) often add a topic prefix or a section suffix
    that the visible headline does not have.
    """
    if not title:
        return title
    for h1 in tree.iterfind(".//body//h1"):
        text = " ".join(h1.text_content().split())
        if len(text) >= 20 and len(text) < len(title) and text in title:
            return text
    return title


def _site_names(metas: dict[str, str], sitename: str | None, url: str | None) -> list[str | None]:
    """Names the site goes by: metadata site names and the host's first label."""
    host = registered_host(url or "").split(".")[0]
    return [sitename, _meta(metas, "og:site_name", "application-name"), host or None]


def _without_headline(body: str, title: str | None) -> str:
    """The body without a leading paragraph that repeats the headline."""
    first, _, rest = body.partition("\n\n")
    if title and rest and _squash(first) == _squash(title):
        return rest
    return body


def _authors(author: str | None, site_names: list[str | None]) -> tuple[str, ...]:
    """Bylines from trafilatura's "A; B" string, each person once ("Jane Doe" and
    "Jane-Doe" from two metadata sources), without URL debris, and without the site's own
    name next to real bylines (alone, "Associated Press" on apnews.com is the byline)."""
    if not author:
        return ()
    kept: dict[str, str] = {}
    for name in (" ".join(a.split()) for a in author.split(";")):
        key = _squash(name)
        if key and not re.search(r"https?\b|\bwww\b", name, re.IGNORECASE):
            kept.setdefault(key, name)
    names = [_squash(n) for n in site_names if n and _squash(n)]
    people = [
        name
        for key, name in kept.items()
        if not any(key == n or (len(n) >= 4 and n in key) for n in names)
    ]
    return tuple(people or kept.values())


# --- the extractor -----------------------------------------------------------------------


def _trafilatura(tree: HtmlElement, url: str | None, precision: bool, fast: bool) -> str:
    """trafilatura's main text of the page (metadata is read separately by page_metadata)."""
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        favor_precision=precision,
        include_tables=True,
        fast=fast,
    )
    return (doc.text or "") if doc is not None else ""


def _main_text(tree: HtmlElement, url: str | None, title: str | None, summary: str | None) -> str:
    """trafilatura's precision mode, fast first; its full cascade and balanced mode when the
    fast result is too short or does not look like the article.

    Fast mode skips trafilatura's comparison with readability and jusText, which costs
    about 40% of its time and matters only where fast mode keeps a fragment or the wrong
    block (a footer, a login box, a listicle's intro). A fast result under
    `JUDGE_BELOW_CHARS` is judged by what it is (`_looks_like_the_article`); when it is too
    short or looks wrong, the full cascade runs, and balanced mode wins when it finds
    `FALLBACK_RATIO` (under 500 characters) or `JUDGED_FALLBACK_RATIO` times more text, or
    when only it finds enough for an article; when both are short, balanced mode wins when
    it shares more words with the title and description (a tiny post rather than the
    sidebar widget precision mode kept).
    """
    text = _trafilatura(tree, url, precision=True, fast=True)
    if len(text) >= JUDGE_BELOW_CHARS or (
        len(text) >= FALLBACK_BELOW_CHARS and _looks_like_the_article(text, tree, title, summary)
    ):
        return text
    text = max(text, _trafilatura(tree, url, precision=True, fast=False), key=len)
    balanced = _trafilatura(tree, url, precision=False, fast=False)
    if len(text) < MIN_BODY_CHARS <= len(balanced):
        return balanced
    if len(text) < MIN_BODY_CHARS and len(balanced) < MIN_BODY_CHARS:
        # both short: the one about the page's title (a widget beside a tiny post is not)
        found, expected = _title_overlap(balanced, title, summary)
        if (
            found >= MIN_TITLE_OVERLAP * expected
            and found > _title_overlap(text, title, summary)[0]
        ):
            return balanced
    ratio = FALLBACK_RATIO if len(text) < FALLBACK_BELOW_CHARS else JUDGED_FALLBACK_RATIO
    return balanced if len(balanced) > ratio * len(text) else text


_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"


@cache
def _lead_class() -> re.Pattern[str]:
    """Class or id words of lead-paragraph elements (lexicons/standfirst.toml)."""
    data = _toml_lexicon("standfirst.toml")
    return re.compile("|".join(re.escape(w) for w in data["class_words"]), re.IGNORECASE)


_TEXT_CONTAINING = XPath("//body//text()[contains(., $needle)]")


def _with_standfirst(body: str, summary: str | None, tree: HtmlElement) -> str:
    """The body with the page's standfirst first, when precision mode dropped it.

    Many pages print a lead paragraph under the headline and repeat it as their summary
    (og:description, meta description); trafilatura's precision mode often drops that
    block. The summary counts as the standfirst only when the page shows it word for word
    inside a lead, intro or teaser element (lexicons/standfirst.toml) and the body does
    not hold it yet. The text nodes holding its start are found first and only their
    nearest ancestors are checked: a scan of every element's class cost 5-10 ms a page.
    """
    if not summary or len(summary) < STANDFIRST_MIN_CHARS:
        return body
    wanted = " ".join(summary.split())
    if wanted in " ".join(body.split()):
        return body
    for text in _TEXT_CONTAINING(tree, needle=wanted[:_STANDFIRST_PROBE_CHARS]):
        element = text.getparent()
        for _ in range(_STANDFIRST_LEVELS):
            if element is None:
                break
            names = f"{element.get('class', '')} {element.get('id', '')}"
            if _lead_class().search(names) and wanted in " ".join(element.text_content().split()):
                standfirst = clean_body(wanted)
                return f"{standfirst}\n\n{body}" if standfirst else body
            element = element.getparent()
    return body


# Subheadings precision mode dropped between two paragraphs of the body go back in.
SUBHEADING_MAX_CHARS = 150
_SUBHEADING_PROBE_CHARS = 40
_NEXT_TEXT = XPath("following::text()[normalize-space()][1]", smart_strings=False)
_PREVIOUS_TEXT = XPath("preceding::text()[normalize-space()][1]", smart_strings=False)


def _next_text(element: HtmlElement) -> str:
    """The first non-blank text after the element (not inside it) in document order."""
    if element.tail and element.tail.strip():
        return element.tail
    after = element.getnext()
    # the usual case, without the XPath following axis: the next element's (first child's) text
    while after is not None and isinstance(after.tag, str):
        if after.text and after.text.strip():
            return after.text
        after = after[0] if len(after) else None
    found = _NEXT_TEXT(element)
    return found[0] if found else ""


def _with_subheadings(body: str, tree: HtmlElement) -> str:
    """The body with the subheadings that sit between two of its paragraphs on the page.

    trafilatura's precision mode drops many in-text subheadings ("Fazit", a question in an
    interview, "10 Tipps für ..."), which trafilatura's annotators count as body. A heading
    goes back only where the page's text right after it starts a body paragraph and the
    text right before it ends the paragraph before that one, so headings of boxes beside
    the article stay out; furniture labels (lexicons/boilerplate.toml: "Advertisement")
    never go back. Linked headings do (a gift guide's product names; AEB's annotators count
    them as body).
    """
    paragraphs = body.split("\n\n")
    if len(paragraphs) < 2:
        return body
    starts: dict[str, list[int]] = {}
    for i, paragraph in enumerate(paragraphs[1:], 1):
        starts.setdefault(paragraph[:_SUBHEADING_PROBE_CHARS], []).append(i)
    inserts: dict[int, str] = {}
    for heading in tree.iter("h2", "h3", "h4"):
        text = " ".join(heading.text_content().split())
        if not text or len(text) > SUBHEADING_MAX_CHARS or text in paragraphs:
            continue
        start = " ".join(_next_text(heading).split())[:_SUBHEADING_PROBE_CHARS]
        if not start:
            continue
        if len(start) == _SUBHEADING_PROBE_CHARS:
            following = starts.get(start, [])
        else:
            following = [i for i in range(1, len(paragraphs)) if paragraphs[i].startswith(start)]
        if not following or is_teaser(text):
            continue  # "Advertisement", "Related content"
        before = _PREVIOUS_TEXT(heading)
        end = " ".join(before[0].split())[-_SUBHEADING_PROBE_CHARS:] if before else ""
        for i in following:
            if end and paragraphs[i - 1].endswith(end):
                inserts.setdefault(i, text)
                break
    if not inserts:
        return body
    out = []
    for i, paragraph in enumerate(paragraphs):
        if i in inserts:
            out.append(inserts[i])
        out.append(paragraph)
    return "\n\n".join(out)


def _words(text: str | None) -> set[str]:
    return {w.casefold() for w in _CONTENT_WORD.findall(text or "")}


def _title_overlap(text: str, title: str | None, summary: str | None) -> tuple[int, int]:
    """How many of the title's and description's words the text's start holds, of how many."""
    expected = _words(title) | _words(summary)
    return len(expected & _words(text[:3000])), len(expected)


def _looks_like_the_article(
    text: str, tree: HtmlElement, title: str | None, summary: str | None
) -> bool:
    """Whether a short fast-mode text is the article rather than a block beside it.

    The article shares words with its headline and description, and holds a fair share of
    the page's visible text; a footer, a login teaser or a consent form does neither
    (a 15,000-character Spiegel article came out as 882 characters of its footer).
    """
    found, expected = _title_overlap(text, title, summary)
    if expected and found < MIN_TITLE_OVERLAP * expected:
        return False
    page_chars = sum(len(t.strip()) for t in tree.xpath(_VISIBLE_TEXT))
    return len(text) >= MIN_PAGE_SHARE * page_chars


@cache
def _paywall() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Paywall phrases and class words (lexicons/paywall.toml), each as one pattern."""
    data = _toml_lexicon("paywall.toml")
    phrases = "|".join(re.escape(" ".join(p.split())) for p in data["phrases"])
    words = "|".join(re.escape(w) for w in data["class_words"])
    return re.compile(phrases, re.IGNORECASE), re.compile(words, re.IGNORECASE)


def _paywalled(tree: HtmlElement, article_ld: list[dict[str, Any]]) -> str | None:
    """What shows that the page walls its article off, or None."""
    for obj in article_ld:
        if str(obj.get("isAccessibleForFree", "")).strip().lower() == "false":
            return "isAccessibleForFree false"
    phrases, class_words = _paywall()
    visible = " ".join(" ".join(tree.xpath(_VISIBLE_TEXT)).split())
    if found := phrases.search(visible):
        return f"paywall phrase {found.group(0)!r}"
    for element in tree.iterfind(".//body//*"):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if names.strip() and (found := class_words.search(names)):
            return f"paywall element {found.group(0)!r}"
    return None


def _in_caption(tree: HtmlElement, body: str, title: str | None) -> bool:
    """Whether the body, headline aside, is image caption text (a paywall stub or a
    video page keeps only that)."""
    captions = " ".join(
        " ".join(e.text_content().split()) for e in tree.iter("figcaption", "caption")
    )
    text = " ".join(body.split())
    if title and text.startswith(title):
        text = text[len(title) :].strip()
    return bool(captions and text) and text in captions


def _not_short_article(
    tree: HtmlElement,
    article_ld: list[dict[str, Any]],
    body: str,
    published: str | None,
    urls: list[str | None],
    doc: Any,
) -> str | None:
    """Why a body under MIN_BODY_CHARS is not a short article, or None when it is one.

    Called for pages with article markers (og:type article, JSON-LD Article, a published
    time). The page must also be dated, at a URL that names one item, and about what its
    body says (the body holds SHORT_MIN_OVERLAP of the title's and description's words:
    blog platforms make the description from the post); nothing may show a paywall
    (lexicons/paywall.toml, schema.org isAccessibleForFree); and the body must be neither
    an image caption nor hold a paragraph that is a link's text (navigation).
    """
    if published is None:
        return "undated"
    if not any(_article_shaped(u) for u in urls):
        return "URL names no item"
    if paywall := _paywalled(tree, article_ld):
        return paywall
    if _in_caption(tree, body, doc.title):
        return "an image caption"
    if _linked_share(tree, body) > 0:
        return "link text"
    found, expected = _title_overlap(body, doc.title, doc.description)
    if not expected or found < SHORT_MIN_OVERLAP * expected:
        return "not about the title"
    return None


def _parse(html: bytes | str, declared_encoding: str | None = None) -> HtmlElement:
    text = decode_html(html, declared_encoding) if isinstance(html, bytes) else html
    if not text.strip():
        raise NotAnArticle("empty page (no content)")
    if not _TAG.search(text[:10000]):
        raise NotAnArticle("not HTML (no markup)")
    tree = load_html(text)
    if tree is None:
        raise NotAnArticle("not HTML (unparseable markup)")
    return tree


def extract_article(
    html: bytes | str,
    url: str | None = None,
    declared_encoding: str | None = None,
    listed_date: str | None = None,
) -> Article:
    """Extract the article of one page; raise `NotAnArticle` when there is none.

    `url` is the fetched URL (after redirects); it resolves relative canonical links and
    is the fallback when the page names no canonical URL on the same site.
    `declared_encoding` is the charset of the HTTP Content-Type header, if any.
    `listed_date` is the date (ISO 8601) of the feed or sitemap entry that listed the
    page: the `published` date when the page has none, and evidence that the page is
    dated news rather than a static page.
    """
    tree = _parse(html, declared_encoding)
    doc = page_metadata(tree, url)
    text = _main_text(tree, url, doc.title, doc.description)
    if not text:
        raise NotAnArticle("no main text")
    metas = _meta_index(tree)
    candidates = _canonical_candidates(tree, metas, url)
    site_names = _site_names(metas, doc.sitename, url or next(iter(candidates), None))
    title = clean_title(_headline(tree, doc.title), site_names)
    body = _with_standfirst(_without_headline(clean_body(text), title), doc.description, tree)
    body = _with_subheadings(body, tree)
    if len(body) < SHORT_MIN_BODY_CHARS:
        raise NotAnArticle(f"body too short ({len(body)} chars)")
    article_ld = _article_ld(tree)
    marked = _has_article_markers(metas, article_ld)
    if len(body) < MIN_BODY_CHARS and not marked:
        raise NotAnArticle(f"body too short ({len(body)} chars)")
    reason = _looks_like_listing(tree, url, body, marked)
    if reason:
        raise NotAnArticle(reason)
    article_url = _article_url(candidates, url)
    published = _published(tree, metas, article_ld, doc.date, [url, article_url])
    if published is None:
        published = _iso(listed_date)
    if len(body) < MIN_BODY_CHARS:
        why = _not_short_article(tree, article_ld, body, published, [url, article_url], doc)
        if why:
            raise NotAnArticle(f"body too short ({len(body)} chars, {why})")
    dated = published is not None or bool(_URL_MONTH.search(urlsplit(url or "").path))
    if not dated and not marked and len(body) < UNDATED_MIN_BODY_CHARS:
        raise NotAnArticle(f"static page (no date, no article metadata, {len(body)} chars)")

    return Article(
        url=article_url,
        title=title,
        authors=_authors(doc.author, site_names),
        published=published,
        language=_language(tree, metas, body),
        body=body,
        cited_sources=cited_sources(body, exclude=site_names),
        body_sha256=body_sha256(body),
        site_name=doc.sitename or _meta(metas, "og:site_name"),
        description=doc.description or None,
    )
