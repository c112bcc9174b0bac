//! kramdown's syntax beyond GFM (attribute lists and their definitions, abbreviations,
//! extensions, `markdown="1"`, escapes, end-of-block markers, header ids): the content of
//! each post of `fixtures/jekyll-content/kramdown` against what Jekyll 4.3 published for it
//! (`fixtures/golden/jekyll-content/kramdown`, made by `fixtures/make-golden.sh`).
//!
//! Content is compared as a sequence of tokens: start tags with their attributes sorted,
//! end tags, comments and text with white space collapsed. Links are compared resolved
//! against the post's URL (feedwright makes them absolute; jekyll-feed leaves them as written).

use crate::util::*;
use std::collections::BTreeMap;

const SITE: &str = "jekyll-content/kramdown";

/// Entry id → (link, content) of an Atom feed.
fn contents(xml: &str) -> BTreeMap<String, (String, String)> {
    let doc = strict_parse(xml);
    children(doc.root_element(), "entry")
        .map(|e| {
            let id = child_text(e, "id").unwrap_or_default().to_string();
            let link = children(e, "link")
                .find(|l| l.attribute("rel").is_none_or(|r| r == "alternate"))
                .and_then(|l| l.attribute("href"))
                .unwrap_or_default()
                .to_string();
            let content = e
                .children()
                .find(|c| c.has_tag_name("content"))
                .map(|c| {
                    c.descendants()
                        .filter(|n| n.is_text())
                        .filter_map(|n| n.text())
                        .collect::<String>()
                })
                .unwrap_or_default();
            (id, (link, content))
        })
        .collect()
}

fn decode(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The tokens of an HTML fragment, links resolved against `base`.
fn tokens(html: &str, base: &url::Url) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(rest.to_string());
            break;
        };
        out.push(rest[..lt].to_string());
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").expect("comment is closed");
            out.push(format!("<!--{}-->", collapse(&comment[..end])));
            rest = &comment[end + 3..];
            continue;
        }
        let end = rest.find('>').expect("tag is closed") + 1;
        out.push(tag(&rest[..end], base));
        rest = &rest[end..];
    }
    out.into_iter()
        .map(|t| {
            if t.starts_with('<') {
                t
            } else {
                collapse(&decode(&t))
            }
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn tag(raw: &str, base: &url::Url) -> String {
    let inner = raw
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    if inner.starts_with('/') {
        return format!("<{}>", inner.trim());
    }
    let (name, mut attrs_text) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let mut attrs = BTreeMap::new();
    loop {
        attrs_text = attrs_text.trim_start();
        if attrs_text.is_empty() {
            break;
        }
        let key_end = attrs_text.find(['=', ' ']).unwrap_or(attrs_text.len());
        let key = &attrs_text[..key_end];
        attrs_text = &attrs_text[key_end..];
        let mut value = String::new();
        if let Some(v) = attrs_text.strip_prefix('=') {
            let q = v.chars().next().unwrap();
            let v = &v[1..];
            let end = v.find(q).unwrap();
            value = decode(&v[..end]);
            attrs_text = &v[end + 1..];
        }
        if key == "href" || key == "src" {
            value = base.join(&value).unwrap().to_string();
        }
        if key == "class" {
            value = collapse(&value);
            // Code spans as Jekyll's rouge marks them are the Markdown renderer's, not
            // kramdown syntax.
            if name == "code" && value == "language-plaintext highlighter-rouge" {
                continue;
            }
        }
        attrs.insert(key.to_string(), value);
    }
    let attrs: String = attrs.iter().map(|(k, v)| format!(" {k}={v:?}")).collect();
    format!("<{name}{attrs}>")
}

#[test]
fn kramdown_syntax_renders_as_jekyll_renders_it_post_by_post() {
    let golden = contents(&read(&fixture(&format!("golden/{SITE}/feed.xml"))));
    let (dest, _) = build_fixture(SITE);
    let ours = contents(&read(&dest.path().join("feed.xml")));
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        golden.keys().collect::<Vec<_>>()
    );
    assert_eq!(golden.len(), 10, "one post per rule");
    for (id, (link, jekyll)) in &golden {
        let base = url::Url::parse(link).unwrap();
        let expected = tokens(jekyll, &base);
        assert!(
            expected
                .iter()
                .any(|t| ["class=", "id=", "<abbr", "<dl>", "<!--"]
                    .iter()
                    .any(|m| t.contains(m)))
                || id.contains("escape"),
            "{id}: the golden shows the rule"
        );
        assert_eq!(tokens(&ours[id].1, &base), expected, "{id}");
    }
}

#[test]
fn no_attribute_list_or_extension_text_reaches_the_feed() {
    let (dest, _) = build_fixture(SITE);
    for (id, (_, content)) in contents(&read(&dest.path().join("feed.xml"))) {
        let outside_code: String = content
            .split("<code")
            .map(|s| s.split_once("</code>").map_or(s, |p| p.1))
            .collect();
        let stray = outside_code.replace("{: .kept}", "");
        assert!(
            !stray.contains("{:") && !stray.contains("kd:") && !stray.contains("markdown="),
            "{id}: {content}"
        );
    }
}
