//! Markdown as kramdown renders it for Jekyll (CJK emphasis, header ids, `{:toc}`,
//! typography, `$$` math, header-less tables, code as rouge wraps it, footnotes, block HTML):
//! the content of each post of `fixtures/jekyll-content/markdown` against what Jekyll 4.3
//! published for it (`fixtures/golden/jekyll-content/markdown`, made by
//! `fixtures/make-golden.sh`), as text (tags removed, entities decoded, white space
//! collapsed, as `../shared/real-jekyll/compare.py` reads content), and the heading ids.

use crate::util::*;
use std::collections::BTreeMap;

const SITE: &str = "jekyll-content/markdown";

/// Entry id → content HTML of an Atom feed.
fn contents(xml: &str) -> BTreeMap<String, String> {
    let doc = strict_parse(xml);
    children(doc.root_element(), "entry")
        .map(|e| {
            let id = child_text(e, "id").unwrap_or_default().to_string();
            let content = e
                .children()
                .find(|c| c.has_tag_name("content"))
                .map(|c| c.descendants().filter_map(|n| n.text()).collect::<String>())
                .unwrap_or_default();
            (id, content)
        })
        .collect()
}

/// The text a reader sees: tags dropped (block tags as spaces), the few entities
/// kramdown and feedwright write decoded, white space (U+00A0 too) collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..end];
        let name = tag.trim_start_matches(['<', '/']);
        let inline = ["a ", "a>", "em>", "strong>", "code", "sup", "del>", "span"]
            .iter()
            .any(|t| name.starts_with(t));
        if !inline {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#8617;", "↩")
        .replace("&amp;", "&")
        .replace('\u{a0}', " ");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn heading_ids(html: &str) -> Vec<String> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>')?];
            tag.chars().nth(2).filter(char::is_ascii_digit)?;
            let start = tag.find(" id=\"")? + 5;
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn markdown_content_reads_as_jekyll_with_kramdowns_heading_ids() {
    let golden = contents(&read(&fixture(&format!("golden/{SITE}/feed.xml"))));
    let (dest, _) = build_fixture(SITE);
    let ours = contents(&read(&dest.path().join("feed.xml")));
    assert_eq!(
        golden.keys().collect::<Vec<_>>(),
        ours.keys().collect::<Vec<_>>()
    );
    assert_eq!(golden.len(), 5, "the fixture's posts");
    for (id, want) in &golden {
        let got = &ours[id];
        let (w, g) = (text(want), text(got));
        let at = w.chars().zip(g.chars()).take_while(|(a, b)| a == b).count();
        let around = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(30))
                .take(80)
                .collect::<String>()
        };
        assert!(
            w == g,
            "{id}: text differs at char {at}:\n jekyll: {}\n ours:   {}",
            around(&w),
            around(&g)
        );
        assert_eq!(heading_ids(want), heading_ids(got), "{id}: heading ids");
    }
}
