//! The validator: RSS 2.0 (with the RSS Advisory Board profile), Atom 1.0
//! (RFC 4287), sitemaps and sitemap indexes (sitemaps.org 0.9), JSON Feed 1.1, and the
//! `Sitemap:` lines of robots.txt.
//!
//! Invariant: validation never fails on bad input; every problem, including
//! bytes that are not XML at all, comes back as a [`Diagnostic`].
//!
//! ```
//! use feedwright::validate::{validate_bytes, Options, Severity};
//! let report = validate_bytes(b"<rss version=\"2.0\"><channel><title>t</title></channel></rss>", &Options::default());
//! let missing: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.code.as_str()).collect();
//! assert_eq!(missing, ["rss-missing-link", "rss-missing-description"]);
//! ```

mod atom;
pub(crate) mod checks;
mod encoding;
#[cfg(feature = "fetch")]
pub mod fetch;
mod html;
mod iri;
mod json;
mod robots;
mod rss;
mod shared;
mod sitemap;
mod vocab;
mod xml;

pub use shared::{Diagnostic, Options, Severity};

/// What kind of document was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// RSS 2.0 (or 0.9x).
    Rss,
    /// RSS 1.0 / RDF.
    Rdf,
    /// An Atom feed.
    Atom,
    /// An Atom entry document.
    AtomEntry,
    /// A sitemap `urlset`.
    Sitemap,
    /// A sitemap index.
    SitemapIndex,
    /// A JSON Feed (1.1 or 1.0).
    JsonFeed,
    /// A robots.txt.
    Robots,
    /// Not XML, or a root element feedwright does not know.
    Unknown,
}

/// The result of validating one document.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Report {
    /// The format detected from the root element.
    pub format: Format,
    /// Findings, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// True when some finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
    /// True when some finding is a warning.
    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning)
    }
}

/// Largest uncompressed sitemap the protocol allows (50 MiB).
pub use crate::model::SITEMAP_MAX_BYTES as MAX_SITEMAP_BYTES;

#[cfg(feature = "gzip")]
/// Reads a document from a reader, decompressing gzip (by its magic bytes) and
/// stopping at `limit` uncompressed bytes, so a gzip bomb costs no more than
/// that. Returns the bytes and whether the limit was hit.
pub fn read_limited(input: impl std::io::Read, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    read_limited_into(input, limit, Vec::new())
}

#[cfg(feature = "gzip")]
/// [`read_limited`] for a file, with the buffer sized from the file's length
/// up front: growing it by doubling would copy a 45 MiB sitemap through
/// buffers of 32 and 64 MiB, tripling the peak memory of validating it.
pub fn read_file_limited(path: &std::path::Path, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata().map_or(0, |m| m.len());
    let capacity = usize::try_from(len.min(limit as u64 + 1)).unwrap_or(0);
    read_limited_into(file, limit, Vec::with_capacity(capacity))
}

#[cfg(feature = "gzip")]
fn read_limited_into(
    mut input: impl std::io::Read,
    limit: usize,
    mut out: Vec<u8>,
) -> std::io::Result<(Vec<u8>, bool)> {
    use std::io::Read;
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match input.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    let chained = std::io::Cursor::new(head[..got].to_vec()).chain(input);
    let cap = limit as u64 + 1;
    if head[..got] == [0x1f, 0x8b] {
        flate2::read::MultiGzDecoder::new(chained)
            .take(cap)
            .read_to_end(&mut out)?;
    } else {
        chained.take(cap).read_to_end(&mut out)?;
    }
    let over = out.len() > limit;
    out.truncate(limit);
    Ok((out, over))
}

/// Like [`validate_bytes`], but takes the buffer, which is reused when it
/// has to be decoded.
pub fn validate_owned(bytes: Vec<u8>, opts: &Options) -> Report {
    validate_cow(std::borrow::Cow::Owned(bytes), opts)
}

/// Validates a document given as bytes (any feed or sitemap; detected from
/// its root), without copying them when they are UTF-8, as every feed and
/// sitemap feedwright writes is. Every encoding of the WHATWG Encoding
/// Standard is read (byte-order mark, then [`Options::charset`], then the
/// XML declaration).
pub fn validate_bytes(bytes: &[u8], opts: &Options) -> Report {
    validate_cow(std::borrow::Cow::Borrowed(bytes), opts)
}

fn validate_cow(bytes: std::borrow::Cow<'_, [u8]>, opts: &Options) -> Report {
    let decoded = match encoding::decode(bytes, opts.charset.as_deref()) {
        Ok(d) => d,
        Err(d) => {
            return Report {
                format: Format::Unknown,
                diagnostics: vec![d],
            }
        }
    };
    let mut report = validate_str(&decoded.text, opts);
    if decoded.encoding != encoding_rs::UTF_8
        && matches!(report.format, Format::Sitemap | Format::SitemapIndex)
    {
        report.diagnostics.push(Diagnostic::new(
            1,
            1,
            Severity::Error,
            "sitemap-encoding",
            &format!(
                "a sitemap must be UTF-8, not {}; convert it",
                decoded.encoding.name()
            ),
            "sitemaps.org protocol: XML tag definitions",
        ));
    }
    if !decoded.notes.is_empty() {
        report.diagnostics.extend(decoded.notes);
    }
    report.diagnostics.sort_by_key(|d| (d.line, d.column));
    report
}

/// Validates a document given as text.
pub fn validate_str(text: &str, opts: &Options) -> Report {
    validate_with(text, opts, xml::parse_with)
}

/// An XML reader: [`xml::parse_with`], or (in tests) its general path alone.
type XmlReader = fn(&str, &mut dyn xml::Sink) -> Result<xml::Document, Diagnostic>;

fn validate_with(text: &str, opts: &Options, read_xml: XmlReader) -> Report {
    // A JSON Feed starts with `{`; everything else is treated as XML.
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        return Report {
            format: Format::JsonFeed,
            diagnostics: json::validate(text.trim_start_matches('\u{feff}')),
        };
    }
    if !text.trim_start().starts_with('<') && robots::looks_like(text) {
        return Report {
            format: Format::Robots,
            diagnostics: robots::validate(text),
        };
    }
    let mut sink = SitemapSink {
        opts,
        checker: None,
        out: checks::Out::default(),
        entries: 0,
    };
    let doc = match read_xml(text, &mut sink) {
        Ok(d) => d,
        Err(d) => {
            return Report {
                format: Format::Unknown,
                diagnostics: vec![d],
            }
        }
    };
    let entries = sink.entries;
    let mut out = sink.out;
    out.list.extend(doc.notes);
    let root = &doc.root;
    let format = match (&*root.ns, root.name.as_str()) {
        ("", "rss") => {
            rss::validate(root, opts, &mut out);
            Format::Rss
        }
        (rss::RDF_NS, "RDF") => {
            rss::validate_rdf(root, &mut out);
            Format::Rdf
        }
        (atom::NS, "feed") => {
            atom::validate_feed(root, opts, &mut out);
            Format::Atom
        }
        (atom::NS, "entry") => {
            atom::validate_entry_document(root, opts, &mut out);
            Format::AtomEntry
        }
        (sitemap::NS, "urlset") => {
            if entries == 0 {
                // The XSD wants at least one; a crawler learns nothing from none.
                out.warn(
                    root,
                    "sitemap-empty",
                    "the sitemap lists no <url>; list the site's pages or stop publishing it",
                    "sitemaps.org protocol; sitemap.xsd",
                );
            }
            Format::Sitemap
        }
        (sitemap::NS, "sitemapindex") => {
            if entries == 0 {
                out.warn(root, "sitemap-empty", "the sitemap index lists no <sitemap>; list the site's sitemaps or stop publishing it", "sitemaps.org protocol; siteindex.xsd");
            }
            Format::SitemapIndex
        }
        (_, "feed") | (_, "entry") => {
            out.error(
                root,
                "atom-namespace",
                &format!(
                    "the root is <{}> but not in the Atom namespace; add xmlns=\"{}\"",
                    root.qname,
                    atom::NS
                ),
                "RFC 4287 §2",
            );
            Format::Unknown
        }
        (_, "urlset") | (_, "sitemapindex") => {
            out.error(
                root,
                "sitemap-namespace",
                &format!("a sitemap must use the namespace {}", sitemap::NS),
                "sitemaps.org protocol",
            );
            Format::Unknown
        }
        _ => {
            out.error(
                root,
                "unknown-format",
                &format!(
                    "<{}> is not the root of an RSS, Atom or sitemap document",
                    root.qname
                ),
                "RSS 2.0 / RFC 4287 / sitemaps.org",
            );
            Format::Unknown
        }
    };
    extensions(root, format, &mut out);
    if matches!(format, Format::Sitemap | Format::SitemapIndex) && text.len() > MAX_SITEMAP_BYTES {
        out.error(root, "sitemap-too-large", "a sitemap may be at most 50 MiB uncompressed; split it into parts listed by a sitemap index", "sitemaps.org protocol");
    }
    let mut diagnostics = out.list;
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Report {
        format,
        diagnostics,
    }
}

/// Checks a sitemap's children while the reader streams them, so the tree of
/// a large sitemap is never held; feeds are kept whole (their rules look
/// across elements).
struct SitemapSink<'a> {
    opts: &'a Options,
    checker: Option<sitemap::Checker>,
    out: checks::Out,
    /// `<url>` or `<sitemap>` children seen.
    entries: usize,
}

impl xml::Sink for SitemapSink<'_> {
    fn stream_children(&mut self, root: &xml::Element) -> bool {
        let index = match (&*root.ns, root.name.as_str()) {
            (sitemap::NS, "urlset") => false,
            (sitemap::NS, "sitemapindex") => true,
            _ => return false,
        };
        self.checker = Some(sitemap::Checker::new(index, self.opts));
        true
    }

    fn child(&mut self, _root: &xml::Element, child: xml::Element) {
        if let Some(checker) = &mut self.checker {
            self.entries += usize::from(
                &*child.ns == sitemap::NS && matches!(child.name.as_str(), "url" | "sitemap"),
            );
            checker.child(&child, &mut self.out);
        }
    }

    fn restart(&mut self) {
        self.checker = None;
        self.out = checks::Out::default();
        self.entries = 0;
    }
}

/// The rules every feed format shares, where each format keeps its channel
/// (or feed) and its items (or entries): the extension vocabularies, the HTML
/// inside descriptions and content, and a relative self link.
fn extensions(root: &xml::Element, format: Format, out: &mut checks::Out) {
    use vocab::Place;
    // RSS has no xml:base: a relative reference in its HTML has no base but the feed's address.
    let rss_html = |el: &xml::Element, out: &mut checks::Out| {
        for c in el.children.iter().filter(|c| {
            (c.ns.is_empty() || &*c.ns == rss::RSS1_NS) && c.name == "description"
                || &*c.ns == vocab::CONTENT && c.name == "encoded"
        }) {
            html::check(c, &c.text, false, out);
        }
    };
    let has_base = |el: &xml::Element| {
        el.attrs
            .iter()
            .any(|a| &*a.ns == xml::XML_NS && a.name == "base")
    };
    let atom_html = |el: &xml::Element, based: bool, out: &mut checks::Out| {
        for c in el.children.iter().filter(|c| {
            &*c.ns == atom::NS
                && matches!(
                    c.name.as_str(),
                    "title" | "subtitle" | "summary" | "content" | "rights"
                )
                && c.attr("type") == Some("html")
        }) {
            html::check(c, &c.text, based || has_base(c), out);
        }
    };
    match format {
        Format::Rss => {
            for channel in root.children_named("", "channel") {
                vocab::check(channel, Place::Channel, false, out);
                relative_self(channel, "rss-relative-self", out);
                rss_html(channel, out);
                for item in channel.children_named("", "item") {
                    vocab::check(item, Place::Item, false, out);
                    rss_html(item, out);
                }
            }
        }
        Format::Rdf => {
            for channel in root.children.iter().filter(|c| c.name == "channel") {
                vocab::check(channel, Place::Channel, true, out);
            }
            for item in root.children.iter().filter(|c| c.name == "item") {
                vocab::check(item, Place::Item, true, out);
                rss_html(item, out);
            }
        }
        Format::Atom => {
            vocab::check(root, Place::Channel, false, out);
            relative_self(root, "atom-relative-self", out);
            atom_html(root, has_base(root), out);
            for entry in root.children_named(atom::NS, "entry") {
                vocab::check(entry, Place::Item, false, out);
                atom_html(entry, has_base(root) || has_base(entry), out);
            }
        }
        Format::AtomEntry => {
            vocab::check(root, Place::Item, false, out);
            atom_html(root, has_base(root), out);
        }
        _ => {}
    }
}

/// A self link should name the feed's own address in full: it is what
/// subscribers and hubs use, often away from the feed (RFC 4287 §4.2.7.2).
fn relative_self(parent: &xml::Element, code: &str, out: &mut checks::Out) {
    let self_link = parent
        .children_named(atom::NS, "link")
        .find(|l| l.attr("rel") == Some("self"));
    if let Some(href) = self_link.and_then(|l| l.attr("href").map(|h| (l, h))) {
        let (link, href) = href;
        let absolute = href.split_once(':').is_some_and(|(s, _)| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if !absolute {
            out.warn(
                link,
                code,
                &format!("the self link `{href}` is relative; write the feed's full URL"),
                "RFC 4287 §4.2.7.2",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xml::tests::{piece, sitemap_like, MUTATIONS};

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// `validate` reports the same diagnostics, at the same places, with
        /// the XML reader's fast path as with quick-xml's reader alone, for
        /// sitemaps in the writer's shape and for broken ones.
        #[test]
        fn the_fast_xml_path_leaves_every_validate_report_unchanged(
            stylesheet: bool,
            urls in proptest::collection::vec(
                (proptest::collection::vec(piece(), 1..4), proptest::bool::ANY, proptest::bool::ANY, proptest::bool::ANY),
                0..4,
            ),
            mutations in proptest::collection::vec((0usize..10_000, 0usize..MUTATIONS.len()), 0..3),
            base: bool,
        ) {
            let mut text = sitemap_like(stylesheet, &urls);
            for (at, what) in mutations {
                let mut at = at % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, MUTATIONS[what]);
            }
            let mut opts = Options::default();
            if base {
                opts.base = url::Url::parse("https://example.com/").ok();
            }
            let fast = validate_str(&text, &opts);
            let general = validate_with(&text, &opts, xml::parse_general);
            proptest::prop_assert_eq!(format!("{:?}", fast.format), format!("{:?}", general.format));
            proptest::prop_assert_eq!(format!("{:?}", fast.diagnostics), format!("{:?}", general.diagnostics), "{}", text);
        }
    }
}
