"""The Python package as a generator uses it: three posts, four documents,
validated; the errors it raises; a whole-site build."""

import datetime as dt
import json
import pathlib
import xml.etree.ElementTree as ET

import pytest

import feedwright

UTC = dt.timezone.utc
SITE = "https://example.com/"


def test_the_whole_task_in_a_few_lines_gives_four_clean_documents():
    # The task, in 15 lines of at most 100 columns: three posts -> Atom, RSS, JSON Feed,
    # sitemap -> validated.
    posts = [("links", "Links", dt.datetime(2024, 3, 16, 9, tzinfo=UTC)),
             ("cats", "Cats", dt.datetime(2024, 3, 15, 9, tzinfo=UTC)),
             ("hello", "Hello & welcome", dt.datetime(2024, 3, 14, 9, tzinfo=UTC))]
    entries = [feedwright.Entry(id=f"{SITE}{slug}/", url=f"{SITE}{slug}/", title=title,
                                published=when, summary=title, tags=["demo"],
                                content_html=f'<p>{title}</p><img src="{slug}.png" alt="">',
                                image=f"{SITE}{slug}.png")
               for slug, title, when in posts]
    feed = feedwright.Feed(title="Example", home_url=SITE, feed_url=SITE + "feed.xml",
                           rss_url=SITE + "rss.xml", json_url=SITE + "feed.json",
                           description="Notes", language="en", entries=entries)
    documents = [feed.atom(), feed.rss(), feed.json(),
                 feedwright.sitemap([(e.url, when) for e, (_, _, when) in zip(entries, posts)])]
    findings = [feedwright.validate(d) for d in documents]

    assert findings == [[], [], [], []]
    assert all(isinstance(d, str) for d in documents)
    atom = ET.fromstring(documents[0])
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 3
    # The relative image in the content was made absolute against the post's URL.
    assert "https://example.com/cats/cats.png" in documents[0]
    assert [item["id"] for item in json.loads(documents[2])["items"]] == [f"{SITE}links/", f"{SITE}cats/", f"{SITE}hello/"]
    assert documents[3].count("<url>") == 3 and "<lastmod>2024-03-15T09:00:00+00:00</lastmod>" in documents[3]


def test_validate_returns_each_finding_as_a_dict_for_text_and_bytes():
    broken = '<rss version="2.0"><channel><title>t</title></channel></rss>'
    for document in (broken, broken.encode()):
        findings = feedwright.validate(document)
        codes = [f["code"] for f in findings if f["severity"] == "error"]
        assert codes == ["rss-missing-link", "rss-missing-description"]
        first = findings[0]
        assert set(first) == {"line", "column", "severity", "code", "message", "spec"}
        assert first["line"] == 1 and first["column"] >= 1 and first["message"]


def test_validate_refuses_what_is_neither_text_nor_bytes():
    with pytest.raises(TypeError, match="str or bytes"):
        feedwright.validate(42)


def entry(**extra):
    fields = dict(url=SITE + "a/", title="A", published=dt.datetime(2024, 3, 16, 9, tzinfo=UTC))
    fields.update(extra)
    return feedwright.Entry(**fields)


def test_an_id_that_is_not_a_uri_raises_feed_error_with_the_message():
    feed = feedwright.Feed(title="T", home_url=SITE, feed_url=SITE + "feed.xml", entries=[entry(id="post a")])
    for write in (feed.atom, feed.rss, feed.json):
        with pytest.raises(feedwright.FeedError, match="the id `post a` is not an absolute URI"):
            write()
    assert issubclass(feedwright.FeedError, ValueError)


def test_an_empty_title_raises_feed_error():
    feed = feedwright.Feed(title="  ", home_url=SITE, entries=[entry()])
    with pytest.raises(feedwright.FeedError, match="title is empty"):
        feed.atom()


def test_a_language_that_is_not_a_tag_raises_feed_error():
    feed = feedwright.Feed(title="T", home_url=SITE, language="en us", entries=[entry()])
    with pytest.raises(feedwright.FeedError, match="not a language tag"):
        feed.rss()


def test_a_relative_url_raises_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="^url: "):
        entry(url="/a/")
    with pytest.raises(ValueError, match="^home_url: "):
        feedwright.Feed(title="T", home_url="example.com")


def test_dates_may_be_naive_datetimes_dates_or_iso_text():
    naive = entry(published=dt.datetime(2024, 3, 16, 9, 30))
    day = entry(url=SITE + "b/", published=dt.date(2024, 3, 15))
    text = entry(url=SITE + "c/", published="2024-03-14T09:00:00+09:00")
    rss = feedwright.Feed(title="T", home_url=SITE, entries=[naive, day, text]).rss()
    assert "Sat, 16 Mar 2024 09:30:00 +0000" in rss
    assert "Fri, 15 Mar 2024 00:00:00 +0000" in rss
    assert "Thu, 14 Mar 2024 09:00:00 +0900" in rss
    with pytest.raises(ValueError, match="published: `yesterday` is not a date"):
        entry(published="yesterday")


def test_an_empty_atom_feed_needs_a_date():
    empty = feedwright.Feed(title="T", home_url=SITE, feed_url=SITE + "feed.xml")
    with pytest.raises(feedwright.FeedError, match="no entries"):
        empty.atom()
    dated = feedwright.Feed(title="T", home_url=SITE, feed_url=SITE + "feed.xml", updated=dt.date(2024, 3, 1))
    assert feedwright.validate(dated.atom()) == []


def test_sitemap_takes_plain_urls_and_pairs_and_refuses_relative_ones():
    xml = feedwright.sitemap([SITE, (SITE + "a/", None), (SITE + "b/", "2024-03-16")])
    assert xml.count("<url>") == 3 and xml.count("<lastmod>") == 1
    assert feedwright.validate(xml) == []
    with pytest.raises(ValueError, match=r"urls\[1\]"):
        feedwright.sitemap([SITE, "/relative"])


def write_site(root: pathlib.Path, config: str):
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text(config)
    (root / "_posts" / "2024-03-15-hello.md").write_text("---\ntitle: Hello\n---\nThe first post.\n")
    (root / "_posts" / "2024-03-16-bad.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")


def test_build_site_writes_the_outputs_and_reports_a_bad_post(tmp_path):
    write_site(tmp_path / "site", "title: Site\nurl: https://example.com\n")
    report = feedwright.build_site(tmp_path / "site", dest=tmp_path / "out", build_date=dt.datetime(2024, 3, 17, tzinfo=UTC))
    assert isinstance(report, feedwright.BuildReport)
    assert (report.read, report.published, report.rejected) == (2, 1, 1)
    names = sorted(pathlib.Path(p).name for p in report.written)
    assert names == ["feed.json", "feed.xml", "robots.txt", "rss.xml", "sitemap.xml"]
    assert [n["severity"] for n in report.notices] == ["error"]
    assert report.notices[0]["path"].endswith("2024-03-16-bad.md")
    assert feedwright.validate((tmp_path / "out" / "feed.xml").read_bytes()) == []
    again = feedwright.build_site(str(tmp_path / "site"), dest=str(tmp_path / "out"), build_date="2024-03-17T00:00:00Z")
    assert again.written == [] and len(again.unchanged) == 5


def test_build_site_without_a_url_raises_build_error_with_the_message(tmp_path):
    write_site(tmp_path / "site", "title: Site\n")
    with pytest.raises(feedwright.BuildError, match="the site has no URL"):
        feedwright.build_site(tmp_path / "site", dest=tmp_path / "out", build_date="2024-03-17")
    report = feedwright.build_site(tmp_path / "site", dest=tmp_path / "out", url="https://example.com", build_date="2024-03-17")
    assert report.published == 1


def test_build_site_takes_now_from_source_date_epoch(tmp_path, monkeypatch):
    write_site(tmp_path / "site", "title: Site\nurl: https://example.com\n")
    # 2024-03-15T00:00:00Z: the post dated that day is not yet in the future.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710460800")
    report = feedwright.build_site(tmp_path / "site", dest=tmp_path / "out")
    assert report.published == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710374400")  # a day earlier: the post is in the future
    assert feedwright.build_site(tmp_path / "site", dest=tmp_path / "out2").published == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH `soon`"):
        feedwright.build_site(tmp_path / "site", dest=tmp_path / "out3")
