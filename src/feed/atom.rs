//! Atom 1.0 (RFC 4287), laid out like jekyll-feed's `feed.xml` so readers who
//! switch see the same ids, links and dates.

use super::rules::FeedError;
use crate::model::{Feed, Person};
use crate::text::xml_safe;
use atom_syndication as atom;
use std::collections::BTreeMap;

/// The Media RSS namespace, used for `media:thumbnail`.
pub(crate) const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

fn text(s: &str) -> String {
    xml_safe(s).into_owned()
}

fn person(p: &Person) -> atom::Person {
    atom::Person {
        name: text(&p.name),
        email: p.email.as_deref().map(text),
        uri: p.uri.as_ref().map(|u| u.to_string()),
        extensions: Default::default(),
    }
}

fn link(
    href: &str,
    rel: &str,
    mime: &str,
    title: Option<&str>,
    hreflang: Option<&str>,
) -> atom::Link {
    atom::Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: Some(mime.to_string()),
        title: title.map(text),
        hreflang: hreflang.map(text),
        length: None,
    }
}

/// The `atom_syndication` value for a feed that passed [`super::rules::check`].
fn document(feed: &Feed) -> atom::Feed {
    let meta = &feed.meta;
    let entries = feed
        .entries
        .iter()
        .map(|e| {
            let mut extensions: atom::extension::ExtensionMap = BTreeMap::new();
            if let Some(img) = &e.image {
                let mut attrs = BTreeMap::new();
                // atom_syndication writes extension attributes as raw bytes,
                // unlike its own elements; escape here or `&` in a query
                // string makes the feed ill-formed.
                attrs.insert(
                    "url".to_string(),
                    quick_xml::escape::escape(img.as_str()).into_owned(),
                );
                let thumb = atom::extension::Extension {
                    name: "media:thumbnail".into(),
                    value: None,
                    attrs,
                    children: BTreeMap::new(),
                };
                extensions
                    .entry("media".into())
                    .or_default()
                    .insert("thumbnail".into(), vec![thumb]);
            }
            let terms = e
                .categories
                .iter()
                .chain(&e.tags)
                .filter(|t| !t.trim().is_empty());
            atom::Entry {
                title: atom::Text::plain(text(&e.title)),
                id: text(&e.id),
                updated: e.updated,
                published: Some(e.published),
                authors: e
                    .author
                    .as_ref()
                    .or(meta.author.as_ref())
                    .map(person)
                    .into_iter()
                    .collect(),
                links: vec![link(
                    e.url.as_str(),
                    "alternate",
                    "text/html",
                    Some(&e.title),
                    None,
                )],
                summary: e.summary.as_deref().map(|s| atom::Text::plain(text(s))),
                content: if meta.excerpt_only {
                    None
                } else {
                    e.content_html.as_deref().map(|html| atom::Content {
                        base: Some(e.url.to_string()),
                        // The language goes on `<entry>` (see `with_entry_languages`),
                        // which `<content>` inherits, as jekyll-feed writes it.
                        lang: None,
                        value: Some(text(html)),
                        src: None,
                        content_type: Some("html".into()),
                    })
                },
                categories: terms
                    .map(|t| atom::Category {
                        term: text(t),
                        scheme: None,
                        label: None,
                    })
                    .collect(),
                extensions,
                ..Default::default()
            }
        })
        .collect();
    let mut namespaces = BTreeMap::new();
    if feed.entries.iter().any(|e| e.image.is_some()) {
        namespaces.insert("media".to_string(), MEDIA_NS.to_string());
    }
    atom::Feed {
        title: atom::Text::plain(text(&meta.title)),
        subtitle: meta
            .description
            .as_deref()
            .map(|d| atom::Text::plain(text(d))),
        id: text(feed.atom_id()),
        updated: feed
            .updated()
            .expect("the check refuses an Atom feed without a date"),
        // RFC 4287 requires an author for every entry; when neither the site
        // nor some entry names one, the site itself stands as the author.
        authors: match &meta.author {
            Some(a) => vec![person(a)],
            None if feed.entries.iter().any(|e| e.author.is_none()) => {
                vec![person(&Person::named(meta.title.clone()))]
            }
            None => vec![],
        },
        links: meta
            .atom_url
            .iter()
            .map(|u| link(u.as_str(), "self", "application/atom+xml", None, None))
            .chain(std::iter::once(link(
                meta.home_url.as_str(),
                "alternate",
                "text/html",
                None,
                meta.language.as_deref(),
            )))
            .chain(meta.hubs.iter().map(|h| atom::Link {
                href: h.to_string(),
                rel: "hub".into(),
                ..Default::default()
            }))
            .collect(),
        icon: meta.favicon.as_ref().map(|u| u.to_string()),
        logo: meta.icon.as_ref().map(|u| u.to_string()),
        generator: Some(atom::Generator {
            value: super::rules::GENERATOR.into(),
            uri: Some(super::rules::GENERATOR_URI.into()),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        lang: meta.language.as_deref().map(text),
        entries,
        namespaces,
        ..Default::default()
    }
}

/// Writes a feed as Atom 1.0 into any writer, after checking it (see
/// [`super::FeedError`]). Gives the writer back.
pub fn write<W: std::io::Write>(feed: &Feed, out: W) -> Result<W, FeedError> {
    super::rules::check(feed, super::rules::Format::Atom)?;
    // The writer's only failure is the output's (the XML is built from
    // checked, XML-safe values).
    let io = |e: atom::Error| FeedError::io(std::io::Error::other(e));
    let doc = document(feed);
    if feed.entries.iter().all(|e| e.language.is_none()) {
        return doc.write_to(out).map_err(io);
    }
    let xml = doc.write_to(Vec::new()).map_err(io)?;
    with_entry_languages(
        &xml,
        feed.entries.iter().map(|e| e.language.as_deref()),
        out,
    )
    .map_err(|e| FeedError::io(std::io::Error::other(e)))
}

/// Copies an Atom document event by event, giving its n-th `<entry>` the n-th
/// language as `xml:lang`, where jekyll-feed writes a post's `lang`.
/// `atom_syndication`'s `Entry` has no language, so the attribute is added to
/// the parsed start tag rather than to the text.
fn with_entry_languages<'a, W: std::io::Write>(
    xml: &[u8],
    mut languages: impl Iterator<Item = Option<&'a str>>,
    out: W,
) -> Result<W, quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut writer = quick_xml::Writer::new(out);
    let mut depth = 0usize;
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(start) => {
                let mut start = start.into_owned();
                if depth == 1 && start.name().as_ref() == b"entry" {
                    if let Some(lang) = languages.next().flatten() {
                        start.push_attribute(("xml:lang", text(lang).as_str()));
                    }
                }
                depth += 1;
                writer.write_event(Event::Start(start))?;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                writer.write_event(Event::End(end))?;
            }
            event => writer.write_event(event)?,
        }
    }
    Ok(writer.into_inner())
}

/// A feed as an Atom 1.0 document, after checking it (see [`super::FeedError`]).
pub fn to_string(feed: &Feed) -> Result<String, FeedError> {
    write(feed, Vec::new()).map(super::rules::utf8)
}
