//! `sitemap.xml` (sitemaps.org 0.9): gathering is the caller's, this module writes.

use crate::model::AbsUrl;
use chrono::{DateTime, FixedOffset};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The sitemaps.org namespace.
pub const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

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
    let mut w = Writer::new_with_indent(out, b' ', 0);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("urlset");
    root.push_attribute(("xmlns", NS));
    w.write_event(Event::Start(root))?;
    for u in urls {
        w.write_event(Event::Start(BytesStart::new("url")))?;
        element(&mut w, "loc", u.loc.as_str())?;
        if let Some(t) = u.lastmod {
            element(&mut w, "lastmod", &t.to_rfc3339())?;
        }
        w.write_event(Event::End(BytesEnd::new("url")))?;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
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
