//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), with the 1.0 `author`
//! field beside 1.1's `authors` so older readers still see who wrote it.

use super::rules::FeedError;
use crate::model::{Feed, Person};
use crate::text::xml_safe;
use serde::Serialize;

/// The `version` every JSON Feed 1.1 document carries.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct Document<'a> {
    version: &'static str,
    title: String,
    home_page_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    favicon: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize, Clone)]
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    url: &'a str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

fn text(s: &str) -> String {
    xml_safe(s).into_owned()
}

fn author(p: &Person) -> Author {
    Author {
        name: text(&p.name),
        url: p
            .uri
            .as_ref()
            .map(|u| u.to_string())
            .or_else(|| p.email.as_ref().map(|e| format!("mailto:{}", text(e)))),
    }
}

/// A feed as a JSON Feed 1.1 document (pretty-printed, keys in a fixed
/// order), after checking it (see [`super::FeedError`]).
///
/// ```
/// use feedwright::model::{AbsUrl, Feed};
/// let site = AbsUrl::parse("https://example.com/").unwrap();
/// let feed = Feed::new("My site", site.clone())
///     .json_url(site.join("feed.json").unwrap())
///     .language("ko")
///     .hubs([AbsUrl::parse("https://hub.example/").unwrap()]);
/// let json: serde_json::Value = serde_json::from_str(&feed.to_json().unwrap()).unwrap();
/// assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
/// assert_eq!(json["feed_url"], "https://example.com/feed.json");
/// assert_eq!(json["hubs"][0]["type"], "WebSub");
/// ```
pub fn to_string(feed: &Feed) -> Result<String, FeedError> {
    super::rules::check(feed, super::rules::Format::Json)?;
    let mut s =
        serde_json::to_string_pretty(&document(feed)).expect("a JSON Feed always serialises");
    s.push('\n');
    Ok(s)
}

/// Writes a feed as JSON Feed 1.1 into any writer, after checking it (see
/// [`super::FeedError`]). Gives the writer back.
pub fn write<W: std::io::Write>(feed: &Feed, mut out: W) -> Result<W, FeedError> {
    out.write_all(to_string(feed)?.as_bytes())
        .map_err(FeedError::io)?;
    Ok(out)
}

fn document(feed: &Feed) -> Document<'_> {
    let meta = &feed.meta;
    let site_author = meta.author.as_ref().map(author);
    let items = feed
        .entries
        .iter()
        .map(|e| {
            let by = e.author.as_ref().map(author);
            let content_html = (!meta.excerpt_only)
                .then(|| e.content_html.as_deref().map(text))
                .flatten();
            // JSON Feed requires content_html or content_text on every item.
            let content_text = content_html
                .is_none()
                .then(|| text(e.summary.as_deref().unwrap_or(&e.title)));
            Item {
                id: text(&e.id),
                url: e.url.as_str(),
                title: text(&e.title),
                summary: e.summary.as_deref().map(text),
                content_html,
                content_text,
                image: e.image.as_ref().map(|u| u.as_str()),
                tags: e
                    .categories
                    .iter()
                    .chain(&e.tags)
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| text(t))
                    .collect(),
                date_published: e.published.to_rfc3339(),
                date_modified: e.updated.to_rfc3339(),
                authors: by.iter().cloned().collect(),
                author: by,
                language: e.language.as_deref().map(text),
            }
        })
        .collect();
    Document {
        version: VERSION,
        title: text(&meta.title),
        home_page_url: meta.home_url.as_str(),
        feed_url: meta.json_url.as_ref().map(|u| u.as_str()),
        description: meta.description.as_deref().map(text),
        icon: meta.icon.as_ref().map(|u| u.as_str()),
        favicon: meta.favicon.as_ref().map(|u| u.as_str()),
        authors: site_author.iter().cloned().collect(),
        author: site_author,
        language: meta.language.as_deref().map(text),
        hubs: meta
            .hubs
            .iter()
            .map(|h| Hub {
                kind: "WebSub",
                url: h.as_str(),
            })
            .collect(),
        items,
    }
}
