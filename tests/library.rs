//! The library kit as another generator uses it: builders, one `Feed` in
//! every format, writers that refuse what would make a document invalid.

use feedwright::model::{AbsUrl, Entry, Feed, Person};
use feedwright::validate::{validate_str, Format, Options};
use feedwright::FeedErrorKind;

#[path = "../examples/library.rs"]
#[allow(dead_code)] // its `main` is for `cargo run --example library`
mod example;

fn site() -> AbsUrl {
    AbsUrl::parse("https://example.com/").unwrap()
}

fn post(slug: &str) -> Entry {
    let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
    Entry::new(site().join(slug).unwrap(), format!("Post {slug}"), when)
}

fn feed(entries: Vec<Entry>) -> Feed {
    Feed::new("Site", site())
        .atom_url(site().join("feed.xml").unwrap())
        .rss_url(site().join("rss.xml").unwrap())
        .json_url(site().join("feed.json").unwrap())
        .entries(entries)
}

/// Each format's refusal, or its document.
fn written(feed: &Feed) -> [Result<String, feedwright::FeedError>; 3] {
    [feed.to_atom(), feed.to_rss(), feed.to_json()]
}

#[test]
fn the_library_example_writes_four_documents_that_validate_without_findings() {
    let documents = example::documents().unwrap();
    let formats = [Format::Atom, Format::Rss, Format::JsonFeed, Format::Sitemap];
    for ((name, text), format) in example::NAMES.iter().zip(&documents).zip(formats) {
        let report = validate_str(text, &Options::default());
        assert_eq!(report.format, format, "{name}");
        assert!(
            report.diagnostics.is_empty(),
            "{name}: {:?}",
            report.diagnostics
        );
    }
    assert_eq!(documents[0].matches("<entry>").count(), 3);
    assert_eq!(documents[3].matches("<url>").count(), 3);
    // The relative image in the second post's content, made absolute.
    assert!(documents[0].contains("https://example.com/2024/03/15/cats/cats.png"));
}

#[test]
fn one_feed_gives_each_format_its_own_self_url() {
    let feed = feed(vec![post("a/")]);
    let [atom, rss, json] = written(&feed).map(Result::unwrap);
    assert!(
        atom.contains(r#"<link href="https://example.com/feed.xml" rel="self""#),
        "{atom}"
    );
    assert!(
        atom.contains("<id>https://example.com/feed.xml</id>"),
        "{atom}"
    );
    assert!(
        rss.contains(r#"<atom:link href="https://example.com/rss.xml" rel="self""#),
        "{rss}"
    );
    assert!(
        json.contains(r#""feed_url": "https://example.com/feed.json""#),
        "{json}"
    );
    for text in [&atom, &rss, &json] {
        let report = validate_str(text, &Options::default());
        assert!(!report.has_errors(), "{:?}\n{text}", report.diagnostics);
    }
}

#[test]
fn every_format_writes_into_any_writer_the_same_bytes_as_its_string() {
    let feed = feed(vec![post("a/"), post("b/")]);
    let atom = feedwright::feed::atom::write(&feed, Vec::new()).unwrap();
    let rss = feedwright::feed::rss::write(&feed, Vec::new()).unwrap();
    let json = feedwright::feed::json::write(&feed, Vec::new()).unwrap();
    let [a, r, j] = written(&feed).map(Result::unwrap);
    assert_eq!(
        (atom, rss, json),
        (a.into_bytes(), r.into_bytes(), j.into_bytes())
    );
}

#[test]
fn an_id_that_is_not_a_uri_is_refused_by_every_writer() {
    let feed = feed(vec![post("a/"), post("b/").id("post b")]);
    for refused in written(&feed) {
        let e = refused.unwrap_err();
        assert_eq!(
            (e.kind(), e.entry(), e.value()),
            (FeedErrorKind::InvalidId, Some(1), "post b")
        );
        assert!(e.to_string().contains("not an absolute URI"), "{e}");
    }
    let tagged = feed
        .clone()
        .entries([post("a/"), post("b/").id("tag:example.com,2024:b")]);
    assert!(written(&tagged).iter().all(Result::is_ok));
}

#[test]
fn an_empty_title_is_refused_for_the_feed_and_for_an_entry() {
    let untitled = Feed::new(" ", site()).entries([post("a/")]);
    for refused in written(&untitled) {
        let e = refused.unwrap_err();
        assert_eq!((e.kind(), e.entry()), (FeedErrorKind::EmptyTitle, None));
    }
    let mut blank = post("b/");
    blank.title = "\u{7}\n".into();
    for refused in written(&feed(vec![post("a/"), blank])) {
        let e = refused.unwrap_err();
        assert_eq!((e.kind(), e.entry()), (FeedErrorKind::EmptyTitle, Some(1)));
    }
}

#[test]
fn two_entries_with_one_id_are_refused() {
    let twice = feed(vec![post("a/"), post("b/"), post("b/")]);
    for refused in written(&twice) {
        let e = refused.unwrap_err();
        assert_eq!((e.kind(), e.entry()), (FeedErrorKind::DuplicateId, Some(2)));
    }
}

#[test]
fn rss_refuses_two_entries_at_one_url_because_the_url_is_its_guid() {
    let moved = feed(vec![
        post("a/"),
        post("a/").id("tag:example.com,2024:other"),
    ]);
    let [atom, rss, json] = written(&moved);
    assert!(atom.is_ok() && json.is_ok());
    assert_eq!(rss.unwrap_err().kind(), FeedErrorKind::DuplicateId);
}

#[test]
fn a_language_that_is_not_a_language_tag_is_refused() {
    let feed_language = feed(vec![post("a/")]).language("en us");
    for refused in written(&feed_language) {
        let e = refused.unwrap_err();
        assert_eq!(
            (e.kind(), e.entry(), e.value()),
            (FeedErrorKind::InvalidLanguage, None, "en us")
        );
    }
    let entry_language = feed(vec![post("a/").language("ko_KR!")]);
    for refused in written(&entry_language) {
        assert_eq!(refused.unwrap_err().entry(), Some(0));
    }
    assert!(written(&feed(vec![post("a/").language("zh-Hant-TW")]))
        .iter()
        .all(Result::is_ok));
}

#[test]
fn an_author_without_a_name_is_refused() {
    let nameless = feed(vec![post("a/").author(Person::named(""))]);
    for refused in written(&nameless) {
        assert_eq!(refused.unwrap_err().kind(), FeedErrorKind::EmptyName);
    }
}

#[test]
fn an_empty_atom_feed_needs_a_date_and_the_other_formats_do_not() {
    let empty = feed(vec![]);
    let [atom, rss, json] = written(&empty);
    assert_eq!(atom.unwrap_err().kind(), FeedErrorKind::MissingDate);
    assert!(!rss.unwrap().contains("lastBuildDate"));
    assert!(json.is_ok());
    let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
    let dated = empty.empty_updated(when).to_atom().unwrap();
    assert!(
        dated.contains("<updated>2024-03-16T10:00:00+09:00</updated>"),
        "{dated}"
    );
}

#[test]
fn a_failing_writer_comes_back_as_an_io_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let feed = feed(vec![post("a/")]);
    for e in [
        feedwright::feed::atom::write(&feed, Full).err(),
        feedwright::feed::rss::write(&feed, Full).err(),
        feedwright::feed::json::write(&feed, Full).err(),
    ] {
        let e = e.expect("the write failed");
        assert_eq!(e.kind(), FeedErrorKind::Io);
        assert!(std::error::Error::source(&e).is_some(), "{e}");
    }
}

/// jekyll-feed writes a post's `lang` as `xml:lang` on `<entry>`; readers
/// take the language of everything in the entry (title, summary, content)
/// from there, so it must not sit on `<content>` alone.
#[test]
fn an_entry_language_is_written_on_the_atom_entry_element_as_jekyll_feed_does() {
    let atom = feed(vec![
        post("ko/")
            .language("ko")
            .content_html("<p>안녕 &amp; bye</p>"),
        post("plain/"),
        post("zh/").language("zh-Hant-TW"),
    ])
    .language("en")
    .to_atom()
    .unwrap();
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let xml_lang = ("http://www.w3.org/XML/1998/namespace", "lang");
    let langs: Vec<(String, Option<&str>)> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|entry| {
            let id = entry
                .children()
                .find(|n| n.has_tag_name("id"))
                .and_then(|n| n.text())
                .unwrap()
                .to_string();
            let content_lang = entry
                .children()
                .find(|n| n.has_tag_name("content"))
                .and_then(|n| n.attribute(xml_lang));
            assert_eq!(content_lang, None, "{id}: language left on <content>");
            if id.ends_with("/ko/") {
                let content = entry.children().find(|n| n.has_tag_name("content"));
                assert_eq!(
                    content.and_then(|n| n.text()),
                    Some("<p>안녕 &amp; bye</p>")
                );
            }
            (id, entry.attribute(xml_lang))
        })
        .collect();
    assert_eq!(
        langs,
        [
            ("https://example.com/ko/".to_string(), Some("ko")),
            ("https://example.com/plain/".to_string(), None),
            ("https://example.com/zh/".to_string(), Some("zh-Hant-TW")),
        ]
    );
    assert_eq!(doc.root_element().attribute(xml_lang), Some("en"));
    let report = validate_str(&atom, &Options::default());
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}
