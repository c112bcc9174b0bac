//! Property tests: any post metadata — arbitrary Unicode, control
//! characters, `]]>`, markup, very long strings — gives Atom, RSS and JSON
//! feeds that a strict parser reads, carrying the same text back (after the
//! documented clean-up: characters XML forbids removed, line ends as XML
//! parsers report them, white space in attributes as XML normalises it).

use chrono::DateTime;
use feedwright::model::{AbsUrl, Entry, Feed, Person};
use feedwright::{FeedError, FeedErrorKind};
use proptest::prelude::*;

/// The documented clean-up: characters XML 1.0 forbids are dropped, and
/// `\r\n` and a lone `\r` become `\n`, as an XML parser reports them.
fn xml_safe(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect()
}

/// A writer refuses exactly the feeds whose title or author name is blank
/// once cleaned up; everything else must be written.
fn written(
    result: Result<String, FeedError>,
    title: &str,
    author: &str,
) -> Result<Option<String>, TestCaseError> {
    let blank_title = xml_safe(title).trim().is_empty();
    let blank_author = xml_safe(author).trim().is_empty();
    match result {
        Ok(text) => {
            prop_assert!(
                !blank_title && !blank_author,
                "a blank title or name was written"
            );
            Ok(Some(text))
        }
        Err(e) => {
            let expected = if blank_title {
                FeedErrorKind::EmptyTitle
            } else {
                FeedErrorKind::EmptyName
            };
            prop_assert!(blank_title || blank_author, "refused: {e}");
            prop_assert_eq!(e.kind(), expected);
            Ok(None)
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\]>&<\"'a-z가-힣 ]{0,40}",
        Just("]]>".to_string()),
        Just("<![CDATA[x]]>]]>&amp;".to_string()),
        ".{2000,4000}",
    ]
}

/// What XML attribute-value normalisation does to tab, CR and LF.
fn as_attribute(s: &str) -> String {
    xml_safe(s).replace(['\t', '\n'], " ")
}

fn feed(title: &str, summary: &str, content: &str, term: &str, author: &str) -> Feed {
    let when = DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
    let site = AbsUrl::parse("https://example.com/").unwrap();
    let entry = Entry::new(site.join("1/").unwrap(), title, when)
        .id("https://example.com/1")
        .summary(summary)
        .content_html(content)
        .categories([term])
        .author(Person::named(author));
    Feed::new(title, site.clone())
        .atom_url(site.join("feed.xml").unwrap())
        .description(summary)
        .entries([entry])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_metadata_round_trips_through_atom(title in text(), summary in text(), content in text(), term in text(), author in text()) {
        let Some(xml) = written(feedwright::feed::atom::to_string(&feed(&title, &summary, &content, &term, &author)), &title, &author)? else { return Ok(()) };
        let doc = roxmltree::Document::parse(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        let entry = doc.descendants().find(|n| n.has_tag_name("entry")).unwrap();
        let child = |name: &str| entry.children().find(|c| c.has_tag_name(name)).map(|c| c.text().unwrap_or("").to_string());
        prop_assert_eq!(child("title").unwrap(), xml_safe(&title));
        prop_assert_eq!(child("summary").unwrap(), xml_safe(&summary));
        prop_assert_eq!(child("content").unwrap(), xml_safe(&content));
        let author_name = entry.descendants().find(|n| n.has_tag_name("name")).and_then(|n| n.text()).unwrap_or("");
        prop_assert_eq!(author_name, xml_safe(&author));
        if !term.trim().is_empty() {
            let got = entry.children().find(|c| c.has_tag_name("category")).and_then(|c| c.attribute("term"));
            prop_assert_eq!(got.unwrap(), as_attribute(&term));
        }
    }

    #[test]
    fn any_metadata_round_trips_through_rss(title in text(), summary in text(), content in text(), term in text(), author in text()) {
        let Some(xml) = written(feedwright::feed::rss::to_string(&feed(&title, &summary, &content, &term, &author)), &title, &author)? else { return Ok(()) };
        let doc = roxmltree::Document::parse(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        let item = doc.descendants().find(|n| n.has_tag_name("item")).unwrap();
        let child = |name: &str| item.children().find(|c| c.tag_name().name() == name).map(|c| c.text().unwrap_or("").to_string());
        prop_assert_eq!(child("title").unwrap(), xml_safe(&title));
        prop_assert_eq!(child("description").unwrap(), xml_safe(&summary));
        prop_assert_eq!(child("encoded").unwrap(), xml_safe(&content));
        prop_assert_eq!(child("creator").unwrap(), xml_safe(&author));
        if !term.trim().is_empty() {
            prop_assert_eq!(child("category").unwrap(), xml_safe(&term));
        }
    }

    #[test]
    fn any_metadata_round_trips_through_json_feed(title in text(), summary in text(), content in text(), term in text(), author in text()) {
        let Some(text) = written(feedwright::feed::json::to_string(&feed(&title, &summary, &content, &term, &author)), &title, &author)? else { return Ok(()) };
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let item = &doc["items"][0];
        prop_assert_eq!(item["title"].as_str().unwrap(), xml_safe(&title));
        prop_assert_eq!(item["summary"].as_str().unwrap(), xml_safe(&summary));
        prop_assert_eq!(item["content_html"].as_str().unwrap(), xml_safe(&content));
        prop_assert_eq!(item["authors"][0]["name"].as_str().unwrap(), xml_safe(&author));
        let report = feedwright::validate::validate_str(&text, &Default::default());
        prop_assert!(!report.has_errors(), "{:?}", report.diagnostics);
    }
}
