//! RSS 2.0, following the RSS Advisory Board's best-practice profile: an
//! `atom:link rel="self"`, RFC 822 dates, `dc:creator` for authors without an
//! e-mail address, `content:encoded` for the full HTML.

use super::rules::FeedError;
use crate::model::{Feed, Person};
use crate::text::xml_safe;
use rss::extension::{dublincore::DublinCoreExtension, Extension, ExtensionMap};
use std::collections::BTreeMap;

fn text(s: &str) -> String {
    xml_safe(s).into_owned()
}

/// An RFC 822 date. chrono panics on years past 9999, which RFC 822 cannot
/// carry; such a date is written out anyway (the output validator then
/// refuses the feed) rather than crashing a library caller.
fn rfc822(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Datelike;
    if (0..=9999).contains(&t.year()) {
        t.to_rfc2822()
    } else {
        t.format("%a, %d %b %Y %H:%M:%S %z").to_string()
    }
}

/// RSS `author` must be an e-mail address; only written when there is one.
fn rss_author(p: &Person) -> Option<String> {
    p.email
        .as_deref()
        .map(|email| text(&format!("{email} ({})", p.name)))
}

/// The Atom namespace, for `atom:link`.
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// An `atom:link` in the channel. Written as a plain extension element so
/// the core does not pull in the rss crate's Atom support (a second copy of
/// atom_syndication, with builders). The XML is the same; the element is
/// written with an end tag rather than self-closed.
fn atom_link(href: &str, rel: &str, mime: Option<&str>) -> Extension {
    let mut attrs = BTreeMap::new();
    attrs.insert("href".to_string(), href.to_string());
    attrs.insert("rel".to_string(), rel.to_string());
    if let Some(mime) = mime {
        attrs.insert("type".to_string(), mime.to_string());
    }
    Extension {
        name: "atom:link".into(),
        value: None,
        attrs,
        children: BTreeMap::new(),
    }
}

/// The `rss` crate's value for a feed that passed [`super::rules::check`].
fn channel(feed: &Feed) -> rss::Channel {
    let meta = &feed.meta;
    let items = feed
        .entries
        .iter()
        .map(|e| {
            let author = e.author.as_ref().or(meta.author.as_ref());
            let mut extensions: ExtensionMap = BTreeMap::new();
            if let Some(img) = &e.image {
                let mut attrs = BTreeMap::new();
                attrs.insert("url".to_string(), img.to_string());
                attrs.insert("medium".to_string(), "image".to_string());
                let media = Extension {
                    name: "media:content".into(),
                    value: None,
                    attrs,
                    children: BTreeMap::new(),
                };
                extensions
                    .entry("media".into())
                    .or_default()
                    .insert("content".into(), vec![media]);
            }
            rss::Item {
                title: Some(text(&e.title)),
                link: Some(e.url.to_string()),
                description: e.summary.as_deref().map(text),
                author: author.and_then(rss_author),
                categories: e
                    .categories
                    .iter()
                    .chain(&e.tags)
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| rss::Category {
                        name: text(t),
                        domain: None,
                    })
                    .collect(),
                guid: Some(rss::Guid {
                    value: e.url.to_string(),
                    permalink: true,
                }),
                pub_date: Some(rfc822(e.published)),
                content: if meta.excerpt_only {
                    None
                } else {
                    e.content_html.as_deref().map(text)
                },
                dublin_core_ext: author.filter(|p| p.email.is_none()).map(|p| {
                    DublinCoreExtension {
                        creators: vec![text(&p.name)],
                        ..Default::default()
                    }
                }),
                extensions,
                ..Default::default()
            }
        })
        .collect();
    let mut namespaces = BTreeMap::new();
    if feed.entries.iter().any(|e| e.image.is_some()) {
        namespaces.insert("media".to_string(), crate::feed::atom::MEDIA_NS.to_string());
    }
    let links: Vec<Extension> = meta
        .rss_url
        .iter()
        .map(|u| atom_link(u.as_str(), "self", Some("application/rss+xml")))
        .chain(meta.hubs.iter().map(|h| atom_link(h.as_str(), "hub", None)))
        .collect();
    let mut extensions: ExtensionMap = BTreeMap::new();
    if !links.is_empty() {
        namespaces.insert("atom".to_string(), ATOM_NS.to_string());
        extensions
            .entry("atom".into())
            .or_default()
            .insert("link".into(), links);
    }
    rss::Channel {
        title: text(&meta.title),
        link: meta.home_url.to_string(),
        // RSS requires a description; the title stands in when the site has none.
        description: text(meta.description.as_deref().unwrap_or(&meta.title)),
        language: meta.language.as_deref().map(text),
        last_build_date: feed.updated().map(rfc822),
        generator: Some(format!(
            "{} {}",
            super::rules::GENERATOR,
            env!("CARGO_PKG_VERSION")
        )),
        extensions,
        image: meta.icon.as_ref().map(|icon| rss::Image {
            url: icon.to_string(),
            title: text(&meta.title),
            link: meta.home_url.to_string(),
            ..Default::default()
        }),
        items,
        namespaces,
        ..Default::default()
    }
}

/// Writes a feed as RSS 2.0 into any writer, after checking it (see
/// [`super::FeedError`]). Gives the writer back.
pub fn write<W: std::io::Write>(feed: &Feed, out: W) -> Result<W, FeedError> {
    super::rules::check(feed, super::rules::Format::Rss)?;
    // The writer's only failure is the output's (the XML is built from
    // checked, XML-safe values).
    channel(feed)
        .write_to(out)
        .map_err(|e| FeedError::io(std::io::Error::other(e)))
}

/// A feed as an RSS 2.0 document, after checking it (see [`super::FeedError`]).
pub fn to_string(feed: &Feed) -> Result<String, FeedError> {
    write(feed, Vec::new()).map(super::rules::utf8)
}
