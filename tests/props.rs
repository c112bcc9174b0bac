//! Property tests: any post metadata — arbitrary Unicode, control
//! characters, `]]>`, markup, very long strings — gives Atom, RSS and JSON
//! feeds that a strict parser reads, carrying the same text back (after the
//! documented clean-up: characters XML forbids removed, line ends as XML
//! parsers report them, white space in attributes as XML normalises it).

use chrono::DateTime;
use feedwright::model::{AbsUrl, Entry, Feed, FeedMeta, Person};
use feedwright::text::xml_safe;
use proptest::prelude::*;

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
    Feed {
        meta: FeedMeta {
            title: title.into(),
            description: Some(summary.into()),
            home_url: AbsUrl::parse("https://example.com/").unwrap(),
            feed_url: AbsUrl::parse("https://example.com/feed.xml").unwrap(),
            language: None,
            author: None,
            empty_updated: when,
            excerpt_only: false,
            hubs: vec![],
            icon: None,
            favicon: None,
        },
        entries: vec![Entry {
            id: "https://example.com/1".into(),
            url: AbsUrl::parse("https://example.com/1/").unwrap(),
            title: title.into(),
            published: when,
            updated: when,
            summary: Some(summary.into()),
            content_html: Some(content.into()),
            categories: vec![term.into()],
            tags: vec![],
            author: Some(Person::named(author)),
            image: None,
            language: None,
        }],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_metadata_round_trips_through_atom(title in text(), summary in text(), content in text(), term in text(), author in text()) {
        let xml = feedwright::feed::atom::to_string(&feed(&title, &summary, &content, &term, &author));
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
        let xml = feedwright::feed::rss::to_string(&feed(&title, &summary, &content, &term, &author));
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
        let text = feedwright::feed::json::to_string(&feed(&title, &summary, &content, &term, &author));
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
