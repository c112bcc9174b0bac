//! `sitemap.xml` (sitemaps.org 0.9): gathering is the caller's, this module
//! writes, and splits into parts listed by a sitemap index exactly where the
//! protocol's limits say (50,000 URLs or 50 MiB uncompressed per file).

use crate::model::AbsUrl;
use chrono::{DateTime, FixedOffset};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The sitemaps.org namespace.
pub const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// Most URLs one sitemap file may list (and most sitemaps one index may list).
pub const MAX_URLS: usize = 50_000;
/// Largest sitemap file, uncompressed.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// How large one sitemap file may grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most `<url>` elements per file.
    pub max_urls: usize,
    /// Most bytes per file, uncompressed.
    pub max_bytes: usize,
}

impl Default for Limits {
    /// The protocol's limits.
    fn default() -> Self {
        Limits {
            max_urls: MAX_URLS,
            max_bytes: MAX_BYTES,
        }
    }
}

/// One `<url>` of a sitemap.
#[derive(Clone, Debug, PartialEq)]
pub struct SitemapUrl {
    /// The page's absolute URL.
    pub loc: AbsUrl,
    /// When the page last changed.
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// Writes a sitemap into any writer.
///
/// ```
/// use feedwright::{model::AbsUrl, sitemap::{to_string, SitemapUrl}};
/// let urls = [SitemapUrl { loc: AbsUrl::parse("https://example.com/a?x=1&y=2").unwrap(), lastmod: None }];
/// assert!(to_string(&urls).contains("<loc>https://example.com/a?x=1&amp;y=2</loc>"));
/// ```
pub fn write<W: std::io::Write>(urls: &[SitemapUrl], out: W) -> std::io::Result<W> {
    write_list("urlset", "url", urls, out)
}

/// Writes a sitemap index: each entry is a sitemap's URL and its newest `lastmod`.
pub fn write_index<W: std::io::Write>(sitemaps: &[SitemapUrl], out: W) -> std::io::Result<W> {
    write_list("sitemapindex", "sitemap", sitemaps, out)
}

fn write_list<W: std::io::Write>(
    root_name: &str,
    item: &str,
    urls: &[SitemapUrl],
    out: W,
) -> std::io::Result<W> {
    let mut w = Writer::new_with_indent(out, b' ', 0);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new(root_name);
    root.push_attribute(("xmlns", NS));
    w.write_event(Event::Start(root))?;
    for u in urls {
        w.write_event(Event::Start(BytesStart::new(item)))?;
        element(&mut w, "loc", u.loc.as_str())?;
        if let Some(t) = u.lastmod {
            element(&mut w, "lastmod", &t.to_rfc3339())?;
        }
        w.write_event(Event::End(BytesEnd::new(item)))?;
    }
    w.write_event(Event::End(BytesEnd::new(root_name)))?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
}

/// Splits `urls` into consecutive runs that each make a sitemap within
/// `limits`. One run when everything fits in one file.
///
/// ```
/// use feedwright::{model::AbsUrl, sitemap::{split, Limits, SitemapUrl}};
/// let urls: Vec<_> = (0..5)
///     .map(|i| SitemapUrl { loc: AbsUrl::parse(&format!("https://e.com/{i}")).unwrap(), lastmod: None })
///     .collect();
/// let parts = split(&urls, Limits { max_urls: 2, ..Limits::default() });
/// assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [2, 2, 1]);
/// ```
pub fn split(urls: &[SitemapUrl], limits: Limits) -> Vec<&[SitemapUrl]> {
    let max_urls = limits.max_urls.max(1);
    let frame = to_string(&[]).len();
    // The cheap case first: few enough URLs, and short enough that even with
    // every character escaped they cannot reach the byte limit.
    let bound: usize = urls.iter().map(|u| u.loc.as_str().len() * 5 + 128).sum();
    if urls.len() <= max_urls && frame + bound <= limits.max_bytes {
        return vec![urls];
    }
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, frame);
    for (i, u) in urls.iter().enumerate() {
        let n = to_string(std::slice::from_ref(u)).len() - frame;
        if i > start && (i - start == max_urls || bytes + n > limits.max_bytes) {
            parts.push(&urls[start..i]);
            (start, bytes) = (i, frame);
        }
        bytes += n;
    }
    parts.push(&urls[start..]);
    parts
}

fn element<W: std::io::Write>(w: &mut Writer<W>, name: &str, value: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(&crate::text::xml_safe(value))))?;
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

/// A sitemap as text.
pub fn to_string(urls: &[SitemapUrl]) -> String {
    let bytes = write(urls, Vec::new()).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("the sitemap writer emits UTF-8")
}
