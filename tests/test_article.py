"""extract.article on pages written for these tests: every Article field, and rejections."""

from __future__ import annotations

import pytest

from extract.article import NotAnArticle, _authors, clean_title, decode_html, extract_article
from extract.cited import cited_sources
from extract.text import body_sha256, clean_body, is_teaser, stopword_language

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Drone attacks repelled near the river | Example Herald</title>
<link rel="canonical"
      href="https://www.example-herald.com/news/drone-attacks-repelled?utm_source=feed#top">
<meta property="og:type" content="article">
<meta property="og:title" content="Drone attacks repelled near the river | Example Herald">
<meta property="og:site_name" content="Example Herald">
<meta property="og:url" content="https://www.example-herald.com/news/drone-attacks-repelled">
<meta property="og:description" content="Defenders repelled a night-time drone attack.">
<meta name="author" content="Jane Doe; John Roe">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Drone attacks repelled near the river",
 "image": {"@type": "ImageObject", "datePublished": "2023-11-20T08:00:00+02:00"},
 "datePublished": "2023-11-27T09:30:00+02:00", "dateModified": "2023-11-28T10:00:00+02:00",
 "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
 "publisher": {"@type": "Organization", "name": "Example Herald"}}
</script>
</head>
<body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main>
<article>
<h1>Drone attacks repelled near the river</h1>
<p class="byline">By Jane Doe and John Roe</p>
<div class="share"><a href="https://facebook.com/share">Share on Facebook</a>
<a href="https://twitter.com/share">Share on Twitter</a></div>
<p>Air defence units repelled a night-time attack by twelve drones near the river crossing,
the regional administration said on Monday morning. Nobody was hurt in the attack.</p>
<figure><img src="/img/sky.jpg" alt="">
<figcaption>Photo credit: Example Herald archive</figcaption></figure>
<p>The head of the administration said that the drones approached from the south shortly
after midnight and that mobile fire groups shot all of them down within forty minutes.</p>
<p>Read more: Officials open three new shelters in the northern district</p>
<p>According to Reuters, the attack was the largest on the region this month. Local
residents reported hearing explosions for about half an hour before the all-clear sounded.</p>
<div class="newsletter"><p>Sign up for our daily newsletter to get the top stories in
your inbox.</p></div>
<p>Repair crews restored power to the two villages affected by falling debris by noon,
the regional energy company said, as Example Herald informs citing Ukrinform.</p>
</article>
</main>
<footer><p>Copyright 2023 Example Herald. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></footer>
</body>
</html>
"""

EXPECTED_BODY = (
    "Air defence units repelled a night-time attack by twelve drones near the river crossing, "
    "the regional administration said on Monday morning. Nobody was hurt in the attack.\n\n"
    "The head of the administration said that the drones approached from the south shortly "
    "after midnight and that mobile fire groups shot all of them down within forty minutes.\n\n"
    "According to Reuters, the attack was the largest on the region this month. Local "
    "residents reported hearing explosions for about half an hour before the all-clear "
    "sounded.\n\n"
    "Repair crews restored power to the two villages affected by falling debris by noon, "
    "the regional energy company said, as Example Herald informs citing Ukrinform."
)

FETCHED = "https://example-herald.com/news/drone-attacks-repelled?utm_medium=rss"


def test_news_page_every_field() -> None:
    article = extract_article(NEWS_PAGE, FETCHED)

    # the same-site canonical link wins; utm_* and the fragment are dropped
    assert article.url == "https://www.example-herald.com/news/drone-attacks-repelled"
    assert article.title == "Drone attacks repelled near the river"
    assert article.authors == ("Jane Doe", "John Roe")
    # the article's own datePublished, not the image's, not dateModified; time kept
    assert article.published == "2023-11-27T09:30:00+02:00"
    assert article.language == "en"
    assert article.body == EXPECTED_BODY
    # Reuters and Ukrinform are cited; the site itself is not a cited source
    assert article.cited_sources == ("Reuters", "Ukrinform")
    assert article.body_sha256 == body_sha256(EXPECTED_BODY)
    assert article.site_name == "Example Herald"
    assert article.description == "Defenders repelled a night-time drone attack."


def test_bytes_input_gives_the_same_article() -> None:
    from_bytes = extract_article(NEWS_PAGE.encode("utf-8"), FETCHED)
    assert from_bytes == extract_article(NEWS_PAGE, FETCHED)


def test_canonical_on_another_site_is_ignored() -> None:
    page = NEWS_PAGE.replace(
        "https://www.example-herald.com/news/drone-attacks-repelled?utm_source=feed#top",
        "https://aggregator.example.org/story/123",
    ).replace('content="https://www.example-herald.com/news/', 'content="https://other.org/')
    article = extract_article(page, FETCHED)
    assert article.url == "https://example-herald.com/news/drone-attacks-repelled"


def test_without_fetched_url_the_canonical_link_is_used() -> None:
    article = extract_article(NEWS_PAGE)
    assert article.url == "https://www.example-herald.com/news/drone-attacks-repelled"


def test_date_from_url_when_page_has_none() -> None:
    page = NEWS_PAGE.replace('"datePublished": "2023-11-27T09:30:00+02:00", ', "").replace(
        '"dateModified": "2023-11-28T10:00:00+02:00",', ""
    )
    page = page.replace('"datePublished": "2023-11-20T08:00:00+02:00"', '"name": "sky"')
    article = extract_article(page, "https://example-herald.com/2023/11/26/drone-attacks")
    assert article.published == "2023-11-26"


def test_copyright_year_is_not_a_publication_date() -> None:
    # the footer's "Copyright 2023" is all the page says about time
    page = NEWS_PAGE.replace('"datePublished": "2023-11-27T09:30:00+02:00", ', "").replace(
        '"dateModified": "2023-11-28T10:00:00+02:00",', ""
    )
    page = page.replace('"datePublished": "2023-11-20T08:00:00+02:00"', '"name": "sky"')
    page = page.replace("?utm_source=feed#top", "")
    article = extract_article(page, "https://example-herald.com/news/drone-attacks")
    assert article.published is None


HOME_PAGE = (
    "<html><head><title>Example Herald: news from the region</title>"
    '<meta property="og:type" content="website"></head><body><nav><a href="/">Home</a></nav>'
    + "".join(
        f'<div class="teaser"><h3><a href="/news/story-{i}">Officials discuss the plan number {i}'
        f" for the northern district budget</a></h3></div>"
        for i in range(40)
    )
    + "<footer><a href='/about'>About</a></footer></body></html>"
)


def test_home_page_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(HOME_PAGE, "https://example-herald.com/latest")
    assert raised.value.reason


SECTION_PAGE = (
    "<html lang='en'><head><title>Economy | Example Herald</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/economy/'>Economy</a></nav><main><h1>Economy</h1><ul>"
    + "".join(
        f"<li><a href='/news/2023/11/{day}/story.html'>Budget talks continue for day {day} in"
        f" the capital</a> <time datetime='2023-11-{day}T08:00:00+02:00'>{day}.11.2023</time>"
        f"<p>Negotiators met again on day {day} to discuss the budget for next year, the"
        " finance ministry said, adding that the talks would continue this week.</p></li>"
        for day in range(10, 16)
    )
    + "</ul></main></body></html>"
)


def test_section_page_of_dated_teasers_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle, match="listing"):
        extract_article(SECTION_PAGE, "https://example-herald.com/economy/")


def test_undated_static_page_is_not_an_article() -> None:
    page = (
        "<html lang='en'><head><title>About | Example Herald</title></head><body>"
        "<nav><a href='/'>Home</a></nav><main><h1>About Example Herald</h1>"
        "<p>Example Herald is a regional newspaper founded by its readers. It covers local"
        " politics, the economy and culture in the northern district.</p>"
        "<p>Our newsroom is open to visitors on weekdays. Letters to the editor are welcome"
        " and are published every Saturday.</p></main></body></html>"
    )
    with pytest.raises(NotAnArticle, match="static page"):
        extract_article(page, "https://example-herald.com/about.html")


# An unmarked report (no og:type, no JSON-LD, no date) inside heavy site navigation: most
# of the page's text is headline links, as on many sports and regional sites.
NAVIGATED_REPORT = (
    "<html lang='en'><head><title>Striker ends his international career</title></head><body>"
    + "".join(
        f"<div><a href='/sport/{i}-other-story.html'>Other football news number {i} of the day"
        " from the league table</a></div>"
        for i in range(60)
    )
    + "<main><h1>Striker ends his international career</h1><p>15.08.2019</p>"
    "<p>The 34-year-old striker, third in the number of caps for the national team, said on"
    " Thursday that the friendly against the neighbours would be his last match.</p>"
    "<p>He scored 49 goals in 130 matches and played in three tournaments, the federation"
    " said, adding that the coach had called him to thank him for his service.</p>"
    "<p>His club said he would keep playing in the league until his contract ends.</p>"
    "</main></body></html>"
)


def test_navigation_heavy_report_at_an_article_url_is_an_article() -> None:
    url = "https://example-sport.com/sport/311510-striker-ends-his-international-career.html"
    article = extract_article(NAVIGATED_REPORT, url)
    assert "The 34-year-old striker, third in the number of caps" in article.body


def test_the_same_page_at_a_section_url_is_a_listing() -> None:
    with pytest.raises(NotAnArticle, match="listing"):
        extract_article(NAVIGATED_REPORT, "https://example-sport.com/sport/football")


def test_undated_post_under_a_month_url_is_not_a_static_page() -> None:
    page = (
        "<html lang='en'><head><title>Moving letters</title></head><body>"
        "<main><h1>Moving letters</h1>"
        "<p>In my new essay I suggest reading animated typography as a remix art: words move,"
        " change their size and colour, and the reader follows them like a dancer.</p>"
        "<p>The essay appears in the spring issue; comments on the draft are welcome.</p>"
        "</main></body></html>"
    )
    # a web archive copy of a 2010 blog post: the year and month in the URL date it
    url = "https://web.archive.org/web/2016/http://letters.example/2010/05/moving-letters/"
    assert extract_article(page, url).body.startswith("In my new essay")
    with pytest.raises(NotAnArticle, match="static page"):
        extract_article(page, "https://letters.example/essays.html")


def test_site_root_url_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle, match="home page"):
        extract_article(NEWS_PAGE, "https://example-herald.com/")


@pytest.mark.parametrize("page", ["", "   \n", b"", "<html><head></head><body></body></html>"])
def test_empty_page_is_not_an_article(page: str | bytes) -> None:
    with pytest.raises(NotAnArticle):
        extract_article(page, "https://example-herald.com/news/x")


def test_plain_text_is_not_html() -> None:
    with pytest.raises(NotAnArticle, match="not HTML"):
        extract_article("Just a sentence, no markup at all.", None)


def test_short_body_is_not_an_article() -> None:
    page = (
        "<html><head><title>Brief</title></head><body><article><h1>Brief</h1>"
        "<p>Power is back in two villages after the storm.</p></article></body></html>"
    )
    with pytest.raises(NotAnArticle, match="body too short"):
        extract_article(page, "https://example-herald.com/news/brief")


# A tiny blog post: og:type article, a published time, a dated slug URL, and a
# description the platform made from the post itself (made up for these tests).
TINY_POST_TEXT = (
    "Tuesday morning, first frost on the allotment: the leeks survived, the last "
    "courgette did not. Soup it is."
)
TINY_POST_URL = "https://allotment-notes.example/2021/11/16/first-frost-on-the-allotment/"


def _tiny_post(text: str = TINY_POST_TEXT, head: str = "", extra: str = "") -> str:
    return (
        "<html><head><title>First frost on the allotment | Allotment notes</title>"
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2021-11-16T08:12:00+00:00">'
        f'<meta property="og:description" content="{text}">{head}</head><body>'
        '<header><a href="/">Allotment notes</a> <a href="/about/">About</a></header>'
        "<main><article><h1>First frost on the allotment</h1>"
        f'<div class="entry-content"><p>{text}</p></div>{extra}</article></main>'
        "<aside><h2>Archive</h2><ul><li>November 2021</li><li>October 2021</li></ul></aside>"
        "</body></html>"
    )


def test_tiny_post_that_is_clearly_one_article_is_kept() -> None:
    article = extract_article(_tiny_post(), TINY_POST_URL)
    assert len(TINY_POST_TEXT) < 200
    assert article.body == TINY_POST_TEXT
    assert article.published == "2021-11-16T08:12:00+00:00"


@pytest.mark.parametrize(
    ("head", "extra", "why"),
    [
        (
            '<script type="application/ld+json">{"@type": "BlogPosting",'
            ' "isAccessibleForFree": "False"}</script>',
            "",
            "isAccessibleForFree",
        ),
        ("", '<div class="subscribe"><a href="/join">Read the full article</a></div>', "paywall"),
        ("", '<div class="premium-content-box"><span>Plus</span></div>', "paywall"),
    ],
)
def test_tiny_paywalled_page_is_not_an_article(head: str, extra: str, why: str) -> None:
    with pytest.raises(NotAnArticle, match=f"body too short .*{why}"):
        extract_article(_tiny_post(head=head, extra=extra), TINY_POST_URL)


def test_tiny_post_needs_a_url_naming_one_item() -> None:
    with pytest.raises(NotAnArticle, match="body too short .*URL"):
        extract_article(_tiny_post(), "https://allotment-notes.example/blog/")


def test_tiny_body_about_something_else_is_not_an_article() -> None:
    # a page whose only extractable text is a site tagline, not the article
    page = _tiny_post().replace(
        'content="Tuesday morning', 'content="Winter vegetables: what survives a frost. Tuesday'
    )
    tagline = (
        "Your weekly source for everything that grows between the fence posts, season by season."
    )
    page = page.replace(TINY_POST_TEXT + "</p>", tagline + "</p>", 1)
    with pytest.raises(NotAnArticle, match="not about the title"):
        extract_article(page, TINY_POST_URL)


def test_tiny_caption_is_not_an_article() -> None:
    caption = (
        "Frost on the leeks and the last courgette of the year, Tuesday morning. Photo: the author"
    )
    page = _tiny_post(text=caption).replace(
        f'<div class="entry-content"><p>{caption}</p></div>',
        f'<figure><img src="/leeks.jpg" alt=""><figcaption>{caption}</figcaption></figure>',
    )
    with pytest.raises(NotAnArticle, match="caption"):
        extract_article(page, TINY_POST_URL)


def test_body_under_the_short_floor_is_not_an_article() -> None:
    text = "Frost. The leeks survived, the courgette did not."
    page = _tiny_post(text=text).replace(
        '<a href="/">Allotment notes</a> <a href="/about/">About</a>', ""
    )
    with pytest.raises(NotAnArticle, match=r"body too short \(\d\d chars\)"):
        extract_article(page, TINY_POST_URL)


def test_tiny_body_with_navigation_is_not_an_article() -> None:
    # the 49-character post is under the floor; the site's links around it are no article
    text = "Frost. The leeks survived, the courgette did not."
    with pytest.raises(NotAnArticle, match="body too short .*link text"):
        extract_article(_tiny_post(text=text), TINY_POST_URL)


GARDEN = [
    "The county opened its first community kitchen garden on Saturday, after two years of "
    "planning and a long argument about the site by the old railway depot.",
    "Volunteers planted forty raised beds in the morning, and the first school class arrived "
    "in the afternoon to sow beans, peas and a row of sunflowers along the fence.",
    "The garden is open to every resident who signs up for one shift a month, and the county "
    "pays for water, seed and the tool shed for the first three years.",
    "A second garden on the east side of town is planned for next spring if the first one "
    "finds enough volunteers over the summer, the council said.",
]


def test_subheading_precision_mode_dropped_goes_back_between_its_paragraphs() -> None:
    # trafilatura's precision mode drops <header> elements, here a section's subheading
    page = (
        "<html><head><title>Kitchen garden opens by the depot</title>"
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2025-05-10T09:00:00Z"></head>'
        "<body><article><h1>Kitchen garden opens by the depot</h1>"
        f"<p>{GARDEN[0]}</p><p>{GARDEN[1]}</p>"
        '<section><header><h2 id="join">Who can join</h2></header>'
        f"<p>{GARDEN[2]}</p></section>"
        '<h3>Advertisement</h3><div class="ad-slot"></div>'
        '<div class="related"><h3>Related</h3><ul><li><a href="/a">Seed swap draws a crowd at '
        'the library</a></li><li><a href="/b">Council settles the depot argument</a></li></ul>'
        f"</div><p>{GARDEN[3]}</p></article>"
        "<aside><h3>Opening hours</h3><p>Daily from eight until dusk.</p></aside>"
        "</body></html>"
    )
    body = extract_article(page, "https://county-news.example/2025/05/kitchen-garden-opens").body
    assert body.split("\n\n") == [GARDEN[0], GARDEN[1], "Who can join", GARDEN[2], GARDEN[3]]


# --- publishers' own date places (lexicons/publisher_dates.toml) ----------------------


def _dated_page(host: str, head: str, byline: str) -> tuple[str, str]:
    paragraphs = "".join(f"<p>{p}</p>" for p in [TINY_POST_TEXT * 2] * 3)
    page = (
        f"<html><head><title>Frost on the allotments</title>{head}</head><body><article>"
        f"<h1>Frost on the allotments</h1>{byline}{paragraphs}</article></body></html>"
    )
    return page, f"https://www.{host}/gardening/frost-on-the-allotments-and-leeks-123"


def test_publisher_date_place_wins_over_an_older_first_publication() -> None:
    # an evergreen page: its first version (2019) in a tracking tag, this version visible
    page, url = _dated_page(
        "telegraph.co.uk",
        '<meta name="DCSext.articleFirstPublished" content="2019-02-05 16:07">',
        '<time itemprop="datePublished" datetime="2023-08-30T16:45+0100">30 August 2023</time>',
    )
    assert extract_article(page, url).published[:10] == "2023-08-30"


def test_publisher_date_place_in_a_list_with_a_date_format() -> None:
    page, url = _dated_page(
        "dw.com",
        "",
        '<ul class="smallList"><li><strong>Datum</strong>\n28.04.2023\n</li></ul>'
        '<div><a href="/de/a-1"><h2>Older story <span class="date">24.04.2023</span></h2>'
        "</a></div>",
    )
    assert extract_article(page, url).published == "2023-04-28"


def test_publisher_date_place_that_the_page_lacks_changes_nothing() -> None:
    page, url = _dated_page(
        "dw.com", '<meta property="article:published_time" content="2024-01-30T14:13:12Z">', ""
    )
    assert extract_article(page, url).published == "2024-01-30T14:13:12+00:00"


# --- decoding ---------------------------------------------------------------------------

CYRILLIC = "Київ: атака дронів відбита"


def _page(charset: str, text: str) -> str:
    return f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'


def test_decode_windows_1251_from_meta_charset() -> None:
    data = _page("windows-1251", CYRILLIC).encode("windows-1251")
    assert CYRILLIC in decode_html(data)


def test_decode_http_declared_charset() -> None:
    data = f"<html><body><p>{CYRILLIC}</p></body></html>".encode("windows-1251")
    assert CYRILLIC in decode_html(data, declared="windows-1251")


def test_decode_iso_8859_1_as_windows_1252() -> None:
    # 0x93/0x94 are curly quotes in windows-1252, which is what "Latin-1" pages mean
    data = _page("ISO-8859-1", "Café “Zürich”").encode("windows-1252")
    assert "Café “Zürich”" in decode_html(data)


def test_decode_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + _page("utf-8", CYRILLIC).encode("utf-8")
    text = decode_html(data)
    assert text.startswith("<html>")
    assert CYRILLIC in text


def test_decode_wrong_declared_charset_prefers_valid_utf8() -> None:
    data = _page("iso-8859-1", CYRILLIC).encode("utf-8")
    assert CYRILLIC in decode_html(data, declared="iso-8859-1")


def test_decode_unknown_charset_label_falls_back() -> None:
    data = _page("x-no-such-charset", "Café").encode("windows-1252")
    assert "Café" in decode_html(data)


# --- titles, teasers, cited sources ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Drones repelled | Example Herald", "Drones repelled"),
        ("Drones repelled - Example Herald", "Drones repelled"),
        ("Example Herald: Drones repelled", "Drones repelled"),
        ("Drones repelled | Example Herald | by Jane Doe", "Drones repelled"),
        ("Kharkiv - Kupiansk: front line holds", "Kharkiv - Kupiansk: front line holds"),
    ],
)
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw, ["Example Herald", "example-herald"]) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Occupiers continue their offensive, - ISW",
        "READ ALSO: Officials open new shelters",
        "Also read: the budget explained",
        "Related: Three questions about the budget",
        "Sign up for our daily newsletter to get the top stories in your inbox.",
        "Share this article",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "John Roe contributed reporting from Odesa.",
        "Photo credit: Example Herald archive",
        "Comments",
        "You may also like",
        "Follow Example Herald on Twitter and Facebook.",
    ],
)
def test_teasers_and_furniture_are_dropped(line: str) -> None:
    assert is_teaser(line)
    assert clean_body(f"First paragraph of the story.\n\n{line}\n\nLast paragraph.") == (
        "First paragraph of the story.\n\nLast paragraph."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Readers of the report were surprised by the figures.",
        "Related talks will continue next week, the minister said.",
        "The comments by the minister angered the opposition.",
        "He said he would sign up for the army reserve next month, his newsletter said "
        "nothing about it, and the rest of this long paragraph is ordinary prose that keeps "
        "going well past the length of a sign-up box so that it must be kept in the body of "
        "the article even though it mentions a newsletter and signing up in one sentence.",
    ],
)
def test_real_paragraphs_are_kept(line: str) -> None:
    assert not is_teaser(line)


@pytest.mark.parametrize(
    "line",
    [
        "Additional reporting by Jane Doe in Kyiv.",
        "Additional reporting by John Roe; editing by Jane Doe",
    ],
)
def test_additional_reporting_line_stays_in_the_body(line: str) -> None:
    # trafilatura's annotators count it as the article's own text (issue 16)
    body = f"First paragraph of the story.\n\n{line}"
    assert clean_body(body) == body


def test_click_to_tweet_suffix_is_removed() -> None:
    assert clean_body("Progress is gradual.Click To Tweet") == "Progress is gradual."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as Censor.NET informs citing Ukrinform.", ("Ukrinform",)),
        ("According to Reuters, talks stalled. The AP reported delays.", ("Reuters", "AP")),
        ("The minister told the BBC that talks would resume.", ("BBC",)),
        ("The figures were given with reference to Interfax-Ukraine.", ("Interfax-Ukraine",)),
        ("He said so, citing the Kyiv Morning Times.", ("Kyiv Morning Times",)),
        ("According to him, talks stalled. Citing safety, the mayor left.", ()),
        ("Reuters was founded in London.", ()),
    ],
)
def test_cited_sources(text: str, expected: tuple[str, ...]) -> None:
    assert cited_sources(text, exclude=["Censor.NET", "censor"]) == tuple(
        {"AP": "Associated Press"}.get(name, name) for name in expected
    )


# --- language -------------------------------------------------------------------------------

GERMAN_PARAGRAPHS = (
    "<p>Die Stadtverwaltung hat am Montag mitgeteilt, dass die Reparatur der Brücke noch "
    "bis zum Ende des Jahres dauern wird. Die Arbeiten sind teurer als geplant.</p>"
    "<p>Nach Angaben der Behörde werden die Kosten auf mehr als zwei Millionen Euro "
    "geschätzt. Der Verkehr wird während der Bauzeit über eine Umleitung geführt.</p>"
    "<p>Anwohner hatten sich über den Lärm beschwert, und auch die Händler in der "
    "Innenstadt sind mit der Lage nicht zufrieden, wie ein Sprecher sagte.</p>"
)


def _simple_page(lang_attr: str, paragraphs: str) -> str:
    return (
        f"<html{lang_attr}><head><title>Die Brücke</title>"
        '<meta property="og:type" content="article"></head>'
        f"<body><article><h1>Reparatur der Brücke dauert länger</h1>{paragraphs}"
        "</article></body></html>"
    )


def test_declared_language_contradicted_by_the_body_is_corrected() -> None:
    article = extract_article(_simple_page(' lang="en"', GERMAN_PARAGRAPHS), "https://ex.de/a/1")
    assert article.language == "de"


def test_undeclared_language_is_read_from_the_body() -> None:
    article = extract_article(_simple_page("", GERMAN_PARAGRAPHS), "https://ex.de/a/1")
    assert article.language == "de"


def test_declared_language_without_stopword_list_is_kept() -> None:
    article = extract_article(_simple_page(' lang="ja"', GERMAN_PARAGRAPHS), "https://ex.de/a/1")
    assert article.language == "ja"


def test_stopword_language() -> None:
    assert stopword_language(EXPECTED_BODY) == "en"
    assert stopword_language("Too short to tell.") is None
    assert stopword_language("Reuters Reuters " * 40) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe; John Roe", ("Jane Doe", "John Roe")),
        ("Jane Doe; Jane-Doe; jane doe", ("Jane Doe",)),
        ("Example Herald; Jane Doe", ("Jane Doe",)),
        ("Example Herald", ("Example Herald",)),
        ("The Example Herald https; Www Example-herald Com; Jane Doe", ("Jane Doe",)),
        (None, ()),
    ],
)
def test_authors(raw: str | None, expected: tuple[str, ...]) -> None:
    assert _authors(raw, ["Example Herald", "example-herald"]) == expected
