//! `sitemap.xml` (sitemaps.org 0.9): gathering is the caller's, this module
//! writes, and splits into parts listed by a sitemap index exactly where the
//! protocol's limits say (50,000 URLs or 50 MiB uncompressed per file).

use crate::model::AbsUrl;
// The value types live in `model`, below every module that makes them.
pub use crate::model::{Alternate, ChangeFreq, Priority, SitemapUrl};
use chrono::{DateTime, FixedOffset};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// The sitemaps.org namespace.
pub const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// Largest sitemap file, uncompressed.
pub use crate::model::SITEMAP_MAX_BYTES as MAX_BYTES;
/// Most URLs one sitemap file may list (and most sitemaps one index may list).
pub use crate::model::SITEMAP_MAX_URLS as MAX_URLS;

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

/// Google's image sitemap extension namespace.
pub const IMAGE_NS: &str = "http://www.google.com/schemas/sitemap-image/1.1";
/// Google's news sitemap extension namespace.
pub const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
/// The XHTML namespace, for `xhtml:link` language alternates.
pub const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The publication a news sitemap speaks for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewsPublication {
    /// Its name, exactly as Google News knows it.
    pub name: String,
    /// Its language (ISO 639).
    pub language: String,
}

/// One article of a Google News sitemap.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NewsUrl {
    /// The article's URL.
    pub loc: AbsUrl,
    /// Its title.
    pub title: String,
    /// When it was first published.
    pub published: DateTime<FixedOffset>,
}

impl NewsPublication {
    /// The publication `name` (exactly as Google News knows it), in `language` (ISO 639).
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        NewsPublication {
            name: name.into(),
            language: language.into(),
        }
    }
}

impl NewsUrl {
    /// The article at `loc`, titled `title`, first published at `published`.
    pub fn new(loc: AbsUrl, title: impl Into<String>, published: DateTime<FixedOffset>) -> Self {
        NewsUrl {
            loc,
            title: title.into(),
            published,
        }
    }
}

/// Writes a sitemap into any writer.
///
/// ```
/// use feedwright::{model::AbsUrl, sitemap::{to_string, SitemapUrl}};
/// let urls = [SitemapUrl::new(AbsUrl::parse("https://example.com/a?x=1&y=2").unwrap(), None)];
/// assert!(to_string(&urls).contains("<loc>https://example.com/a?x=1&amp;y=2</loc>"));
/// ```
pub fn write<W: std::io::Write>(urls: &[SitemapUrl], out: W) -> std::io::Result<W> {
    write_list("urlset", "url", urls, out)
}

/// Writes a Google News sitemap: each article with its publication, date and title.
///
/// ```
/// use feedwright::{model::AbsUrl, sitemap::{news_to_string, NewsPublication, NewsUrl}};
/// let publication = NewsPublication::new("넷제로 뉴스", "ko");
/// let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
/// let xml = news_to_string(&publication, &[NewsUrl::new(AbsUrl::parse("https://e.com/a").unwrap(), "A & B", when)]);
/// assert!(xml.contains("<news:title>A &amp; B</news:title>"));
/// ```
pub fn write_news<W: std::io::Write>(
    publication: &NewsPublication,
    urls: &[NewsUrl],
    out: W,
) -> std::io::Result<W> {
    let mut w = Writer::new_with_indent(out, b' ', 0);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("urlset");
    root.push_attribute(("xmlns", NS));
    root.push_attribute(("xmlns:news", NEWS_NS));
    w.write_event(Event::Start(root))?;
    for u in urls {
        w.write_event(Event::Start(BytesStart::new("url")))?;
        element(&mut w, "loc", u.loc.as_str())?;
        w.write_event(Event::Start(BytesStart::new("news:news")))?;
        w.write_event(Event::Start(BytesStart::new("news:publication")))?;
        element(&mut w, "news:name", &publication.name)?;
        element(&mut w, "news:language", &publication.language)?;
        w.write_event(Event::End(BytesEnd::new("news:publication")))?;
        element(&mut w, "news:publication_date", &u.published.to_rfc3339())?;
        element(&mut w, "news:title", &u.title)?;
        w.write_event(Event::End(BytesEnd::new("news:news")))?;
        w.write_event(Event::End(BytesEnd::new("url")))?;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
}

/// A Google News sitemap as text.
pub fn news_to_string(publication: &NewsPublication, urls: &[NewsUrl]) -> String {
    let bytes = write_news(publication, urls, Vec::new()).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("the sitemap writer emits UTF-8")
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
    write_head(&mut w, root_name, urls)?;
    for u in urls {
        write_item(&mut w, item, u)?;
    }
    w.write_event(Event::End(BytesEnd::new(root_name)))?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
}

/// The XML declaration and the root's start tag.
fn write_head<W: std::io::Write>(
    w: &mut Writer<W>,
    root_name: &str,
    urls: &[SitemapUrl],
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new(root_name);
    root.push_attribute(("xmlns", NS));
    // Extension namespaces are declared only when some URL uses them, so a
    // plain sitemap stays byte-identical to jekyll-sitemap's shape.
    if urls.iter().any(|u| !u.images.is_empty()) {
        root.push_attribute(("xmlns:image", IMAGE_NS));
    }
    if urls.iter().any(|u| !u.alternates.is_empty()) {
        root.push_attribute(("xmlns:xhtml", XHTML_NS));
    }
    w.write_event(Event::Start(root))
}

/// One `<url>` (or `<sitemap>`), on its own lines.
fn write_item<W: std::io::Write>(
    w: &mut Writer<W>,
    item: &str,
    u: &SitemapUrl,
) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(item)))?;
    element(w, "loc", u.loc.as_str())?;
    if let Some(t) = u.lastmod {
        element(w, "lastmod", &t.to_rfc3339())?;
    }
    if let Some(c) = u.changefreq {
        element(w, "changefreq", c.as_str())?;
    }
    if let Some(p) = u.priority {
        element(w, "priority", &p.to_string())?;
    }
    for a in &u.alternates {
        let mut link = BytesStart::new("xhtml:link");
        link.push_attribute(("rel", "alternate"));
        link.push_attribute(("hreflang", crate::text::xml_safe(&a.hreflang).as_ref()));
        link.push_attribute(("href", a.href.as_str()));
        w.write_event(Event::Empty(link))?;
    }
    for img in &u.images {
        w.write_event(Event::Start(BytesStart::new("image:image")))?;
        element(w, "image:loc", img.as_str())?;
        w.write_event(Event::End(BytesEnd::new("image:image")))?;
    }
    w.write_event(Event::End(BytesEnd::new(item)))
}

/// URLs per piece when a long sitemap is written on all cores.
#[cfg(feature = "site")]
const PIECE: usize = 2048;

/// `<url>` elements each on a new line, as the indenting writer puts them
/// inside the root: a fresh writer breaks the line only between elements,
/// so the first break is written here.
fn items(urls: &[SitemapUrl], size: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(size + 1);
    bytes.push(b'\n');
    let mut w = Writer::new_with_indent(bytes, b' ', 0);
    for u in urls {
        write_item(&mut w, "url", u).expect("writing to memory does not fail");
    }
    w.into_inner()
}

/// Splits `urls` into consecutive runs that each make a sitemap within
/// `limits`. One run when everything fits in one file.
///
/// ```
/// use feedwright::{model::AbsUrl, sitemap::{split, Limits, SitemapUrl}};
/// let urls: Vec<_> = (0..5)
///     .map(|i| SitemapUrl::new(AbsUrl::parse(&format!("https://e.com/{i}")).unwrap(), None))
///     .collect();
/// let parts = split(&urls, Limits { max_urls: 2, ..Limits::default() });
/// assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [2, 2, 1]);
/// ```
pub fn split(urls: &[SitemapUrl], limits: Limits) -> Vec<&[SitemapUrl]> {
    let max_urls = limits.max_urls.max(1);
    let frame = to_string(&[]).len();
    // The cheap case first: few enough URLs, and short enough that even with
    // every character escaped they cannot reach the byte limit.
    let bound: usize = urls.iter().map(upper_bound).sum();
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

/// At most how many bytes one `<url>` takes, even with every character escaped.
fn upper_bound(u: &SitemapUrl) -> usize {
    let images: usize = u.images.iter().map(|i| i.as_str().len() * 5 + 64).sum();
    let alternates: usize = u
        .alternates
        .iter()
        .map(|a| (a.href.as_str().len() + a.hreflang.len()) * 6 + 64)
        .sum();
    u.loc.as_str().len() * 5 + 192 + images + alternates
}

/// About how many bytes one `<url>` takes when little needs escaping.
fn typical_size(u: &SitemapUrl) -> usize {
    let images: usize = u.images.iter().map(|i| i.as_str().len() + 48).sum();
    let alternates: usize = u
        .alternates
        .iter()
        .map(|a| a.href.as_str().len() + a.hreflang.len() + 56)
        .sum();
    u.loc.as_str().len() + 128 + images + alternates
}

fn element<W: std::io::Write>(w: &mut Writer<W>, name: &str, value: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    let safe = crate::text::xml_safe(value);
    // Nearly every value (a URL, a date) holds none of the five characters
    // quick-xml's `escape` replaces: one byte scan that vectorises says so,
    // where `escape` walks the bytes one at a time.
    let plain = !safe.bytes().fold(false, |hit, b| {
        hit | matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"')
    });
    let text = if plain {
        BytesText::from_escaped(safe.as_ref())
    } else {
        BytesText::new(&safe)
    };
    w.write_event(Event::Text(text))?;
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

/// A sitemap as text.
pub fn to_string(urls: &[SitemapUrl]) -> String {
    // Sized up front: growing a multi-megabyte buffer by doubling touches
    // (and the kernel zeroes) about twice the memory, which shows at 50,000 URLs.
    let size = 256 + urls.iter().map(typical_size).sum::<usize>();
    #[cfg(feature = "site")]
    if urls.len() >= 2 * PIECE {
        return in_pieces(urls, size);
    }
    let bytes = write(urls, Vec::with_capacity(size)).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("the sitemap writer emits UTF-8")
}

/// A long sitemap written in pieces on all cores (rayon comes with the site builder).
#[cfg(feature = "site")]
fn in_pieces(urls: &[SitemapUrl], size: usize) -> String {
    use rayon::prelude::*;
    // A long sitemap is written in pieces on all cores, the first into the
    // whole file's buffer; each later piece is appended and freed in turn,
    // so the pieces never take more than one extra copy of the file.
    let (first, rest) = urls.split_at(PIECE);
    let (mut bytes, pieces) = rayon::join(
        || {
            let mut w = Writer::new_with_indent(Vec::with_capacity(size), b' ', 0);
            write_head(&mut w, "urlset", urls).expect("writing to memory does not fail");
            for u in first {
                write_item(&mut w, "url", u).expect("writing to memory does not fail");
            }
            w.into_inner()
        },
        || {
            rest.par_chunks(PIECE)
                .map(|piece| items(piece, piece.iter().map(typical_size).sum()))
                .collect::<Vec<_>>()
        },
    );
    for piece in pieces {
        bytes.extend_from_slice(&piece);
    }
    bytes.extend_from_slice(b"\n</urlset>\n");
    String::from_utf8(bytes).expect("the sitemap writer emits UTF-8")
}

/// One URL's `<url>` element as [`to_string`] writes it among others: a
/// sitemap is its head, its URLs' fragments in order, and its end
/// ([`from_fragments`]), so a builder can keep each URL's fragment and
/// write a sitemap again without the URLs.
pub fn url_fragment(u: &SitemapUrl) -> Vec<u8> {
    items(std::slice::from_ref(u), typical_size(u))
}

/// What one URL needs its sitemap's root to declare: (images, alternates).
pub fn fragment_needs(u: &SitemapUrl) -> (bool, bool) {
    (!u.images.is_empty(), !u.alternates.is_empty())
}

/// A sitemap from its URLs' [`url_fragment`]s: byte for byte what
/// [`to_string`] writes for those URLs. `needs` is whether some URL has
/// images, and whether some has alternates ([`fragment_needs`]).
pub fn from_fragments<'f>(
    needs: (bool, bool),
    fragments: impl IntoIterator<Item = &'f [u8]>,
    size: usize,
) -> String {
    let mut w = Writer::new_with_indent(Vec::with_capacity(size + 256), b' ', 0);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing to memory does not fail");
    let mut root = BytesStart::new("urlset");
    root.push_attribute(("xmlns", NS));
    if needs.0 {
        root.push_attribute(("xmlns:image", IMAGE_NS));
    }
    if needs.1 {
        root.push_attribute(("xmlns:xhtml", XHTML_NS));
    }
    w.write_event(Event::Start(root))
        .expect("writing to memory does not fail");
    let mut bytes = w.into_inner();
    for f in fragments {
        bytes.extend_from_slice(f);
    }
    bytes.extend_from_slice(b"\n</urlset>\n");
    String::from_utf8(bytes).expect("the sitemap writer emits UTF-8")
}

/// About how many URLs a part holds when [`split_stable`] cuts a sitemap
/// (WordPress's own sitemaps hold 2,000 a page).
pub const PART_URLS: u64 = 2048;

/// Splits a sitemap too big for one file into parts that stay put as URLs
/// come and go: a part ends after each URL whose hash (`entries`: each URL's
/// hash and its fragment's length in bytes) is 0 modulo [`PART_URLS`] (or a
/// quarter of `limits.max_urls`, when that is fewer), or where the limits
/// force it. Adding, changing or removing a URL
/// changes only the part it is in (and, for a URL a part ends at, the next
/// one), where cutting every 50,000 URLs would shift every later part.
/// Returns each part's range, in order; empty for no URLs.
pub fn split_stable(entries: &[(u64, usize)], limits: Limits) -> Vec<std::ops::Range<usize>> {
    let max_urls = limits.max_urls.max(1);
    let every = PART_URLS.min((max_urls as u64 / 4).max(1));
    let frame = to_string(&[]).len();
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, frame);
    for (i, &(hash, n)) in entries.iter().enumerate() {
        if i > start && (i - start == max_urls || bytes + n > limits.max_bytes) {
            parts.push(start..i);
            (start, bytes) = (i, frame);
        }
        bytes += n;
        if hash.is_multiple_of(every) {
            parts.push(start..i + 1);
            (start, bytes) = (i + 1, frame);
        }
    }
    if start < entries.len() {
        parts.push(start..entries.len());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn an_element_is_written_as_quick_xml_escapes_its_text(
            value in "[a-z<>&'\"\u{0}\u{1}\r\n é한\u{fffe}]{0,12}"
        ) {
            let mut w = Writer::new(Vec::new());
            element(&mut w, "loc", &value).unwrap();
            let want = format!(
                "<loc>{}</loc>",
                quick_xml::escape::escape(crate::text::xml_safe(&value).as_ref())
            );
            proptest::prop_assert_eq!(String::from_utf8(w.into_inner()).unwrap(), want);
        }
    }

    #[test]
    #[cfg(feature = "site")]
    fn a_long_sitemap_written_in_pieces_equals_the_one_written_in_one_pass() {
        let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
        let url = |i: usize| AbsUrl::parse(&format!("https://e.com/{i}?a=1&b=<{i}>")).unwrap();
        for n in [2 * PIECE - 1, 2 * PIECE, 3 * PIECE + 7] {
            let urls: Vec<SitemapUrl> = (0..n)
                .map(|i| SitemapUrl {
                    changefreq: (i % 3 == 0).then_some(ChangeFreq::Daily),
                    images: (0..i % 3).map(|k| url(k + 1000)).collect(),
                    alternates: if i % 1000 == 5 {
                        vec![Alternate {
                            hreflang: "ko".into(),
                            href: url(i),
                        }]
                    } else {
                        Vec::new()
                    },
                    ..SitemapUrl::new(url(i), (i % 2 == 0).then_some(when))
                })
                .collect();
            let one_pass = String::from_utf8(write(&urls, Vec::new()).unwrap()).unwrap();
            assert_eq!(to_string(&urls), one_pass, "{n} URLs");
        }
    }

    #[test]
    fn a_sitemap_from_its_urls_fragments_equals_the_one_written_whole() {
        let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
        let url = |i: usize| AbsUrl::parse(&format!("https://e.com/{i}?a=1&b=<{i}>")).unwrap();
        let make = |n: usize, images: bool, alternates: bool| -> Vec<SitemapUrl> {
            (0..n)
                .map(|i| SitemapUrl {
                    priority: (i % 4 == 1).then(|| "0.5".parse::<Priority>().unwrap()),
                    images: if images && i % 2 == 0 {
                        vec![url(i + 100)]
                    } else {
                        Vec::new()
                    },
                    alternates: if alternates && i == 1 {
                        vec![Alternate {
                            hreflang: "en".into(),
                            href: url(i),
                        }]
                    } else {
                        Vec::new()
                    },
                    ..SitemapUrl::new(url(i), (i % 3 != 0).then_some(when))
                })
                .collect()
        };
        for (n, images, alternates) in [
            (0, false, false),
            (1, false, false),
            (5, true, false),
            (5, true, true),
            (3, false, true),
        ] {
            let urls = make(n, images, alternates);
            let fragments: Vec<Vec<u8>> = urls.iter().map(url_fragment).collect();
            let needs = urls
                .iter()
                .map(fragment_needs)
                .fold((false, false), |a, b| (a.0 | b.0, a.1 | b.1));
            assert_eq!(
                from_fragments(needs, fragments.iter().map(Vec::as_slice), 0),
                to_string(&urls),
                "{n} URLs, images {images}, alternates {alternates}"
            );
        }
    }

    #[test]
    fn stable_parts_cover_every_url_in_order_within_the_limits() {
        let hash = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7;
        let entries: Vec<(u64, usize)> = (0..20_000).map(|i| (hash(i), 100)).collect();
        let limits = Limits {
            max_urls: 3000,
            max_bytes: MAX_BYTES,
        };
        let parts = split_stable(&entries, limits);
        assert!(parts.len() > 5, "{} parts", parts.len());
        assert_eq!(parts.first().unwrap().start, 0);
        assert_eq!(parts.last().unwrap().end, entries.len());
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
        assert!(parts.iter().all(|p| !p.is_empty() && p.len() <= 3000));
        // A part ends after a URL whose hash says so (every quarter of the
        // limit, here), or at the limit.
        let every = PART_URLS.min(3000 / 4);
        assert!(parts
            .iter()
            .all(|p| entries[p.end - 1].0.is_multiple_of(every)
                || p.len() == 3000
                || p.end == entries.len()));
        assert!(split_stable(&[], limits).is_empty());
    }

    #[test]
    fn adding_a_url_changes_one_stable_part_where_counting_would_shift_all() {
        let hash = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 3;
        let before: Vec<(u64, usize)> = (0..30_000).map(|i| (hash(i), 100)).collect();
        let mut after = before.clone();
        after.insert(7, (hash(1_000_000) | 1, 100)); // a hash that ends no part
        let cut = |e: &[(u64, usize)]| -> Vec<Vec<u64>> {
            split_stable(e, Limits::default())
                .into_iter()
                .map(|r| e[r].iter().map(|x| x.0).collect())
                .collect()
        };
        let (a, b) = (cut(&before), cut(&after));
        assert_eq!(a.len(), b.len());
        let changed = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        assert_eq!(changed, 1);
    }
}
