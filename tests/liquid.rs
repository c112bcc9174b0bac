//! Post bodies with Liquid, built by feedwright, against the content real
//! Jekyll 4.3.1 + jekyll-feed 0.17.0 published for the same site
//! (`fixtures/jekyll-content/liquid`, golden by `fixtures/make-golden.sh
//! jekyll-content/liquid`). Compared as the text a reader sees; typography
//! (smart quotes) is Markdown's part, so quotes are compared plain.

use crate::util::*;
use std::collections::BTreeMap;

const SITE: &str = "jekyll-content/liquid";

/// The text of an HTML fragment: tags dropped, entities decoded, quotes
/// plain, white space collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            // Rouge's colouring spans come and go inside words: a tag
            // adds no space (block tags are followed by a line break).
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
        .replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Entry link → content text, from an Atom feed.
fn contents(xml: &str) -> BTreeMap<String, String> {
    let doc = strict_parse(xml);
    children(doc.root_element(), "entry")
        .map(|e| {
            let link = children(e, "link")
                .find(|l| l.attribute("rel").is_none_or(|r| r == "alternate"))
                .and_then(|l| l.attribute("href"))
                .unwrap_or_default()
                .to_string();
            let content = child_text(e, "content").unwrap_or_default();
            (link, text_of(content))
        })
        .collect()
}

#[test]
fn liquid_in_posts_reads_as_jekyll_rendered_it() {
    let (dest, report) = build_fixture(SITE);
    let ours = contents(&read(&dest.path().join("feed.xml")));
    let golden = contents(&read(&fixture(&format!("golden/{SITE}/feed.xml"))));
    assert_eq!(ours.len(), 4);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        golden.keys().collect::<Vec<_>>()
    );
    for (link, want) in &golden {
        assert_eq!(&ours[link], want, "{link}");
    }
    // The one warning: the unknown filter Jekyll passes through silently.
    let warnings: Vec<_> = report.notices.iter().map(|n| n.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("2024-01-05-variables-and-filters.md:20")
            && warnings[0].contains("no_such_filter"),
        "{warnings:?}"
    );
}

#[test]
fn no_entry_carries_liquid_except_where_jekyll_keeps_it() {
    let (dest, _) = build_fixture(SITE);
    let feed = read(&dest.path().join("feed.xml"));
    for (link, text) in contents(&feed) {
        let raw_on_purpose = link.ends_with("/no-liquid.html") || link.ends_with("/tags.html");
        if !raw_on_purpose {
            assert!(
                !text.contains("{%") && !text.contains("{{"),
                "{link}: {text}"
            );
        }
    }
}

#[test]
fn a_change_to_an_include_or_a_data_file_is_a_change_to_the_site() {
    let src = fixture_copy(SITE);
    let dest = tempfile::tempdir().unwrap();
    let cached = || {
        let mut opts = options(src.path(), dest.path());
        opts.cache = true;
        opts
    };
    feedwright::build(&cached()).unwrap();
    assert!(
        feedwright::build(&cached()).unwrap().reused,
        "an unchanged site is reused"
    );
    for (file, from, to) in [
        ("_includes/note.html", "</aside>", " Edited.</aside>"),
        ("_data/books.csv", "Dune", "Emma"),
    ] {
        let path = src.path().join(file);
        std::fs::write(&path, read(&path).replace(from, to)).unwrap();
        let again = feedwright::build(&cached()).unwrap();
        assert!(!again.reused, "{file} changed");
        let feed = read(&dest.path().join("feed.xml"));
        assert!(
            feed.contains(to.trim_end_matches("</aside>").trim()),
            "{file}: {feed}"
        );
    }
}
