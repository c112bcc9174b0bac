//! The data every output is built from: entries, people, feed metadata and
//! absolute URLs.
//!
//! These types are what a library user hands to [`crate::feed`] and
//! [`crate::sitemap`]; the Jekyll side of feedwright produces them too. They
//! carry their invariants: an [`AbsUrl`] is always an absolute `http`/`https`
//! URL, and dates are checked [`chrono`] values with an offset.

use chrono::{DateTime, FixedOffset};
use std::fmt;

/// An absolute `http` or `https` URL.
///
/// Feeds and sitemaps must only ever contain absolute URLs, and only web
/// schemes: a `javascript:` or `data:` URL can never become an `AbsUrl`.
///
/// ```
/// use feedwright::model::AbsUrl;
/// let home = AbsUrl::parse("https://example.com/blog/").unwrap();
/// assert_eq!(home.join("2024/01/post/").unwrap().as_str(), "https://example.com/blog/2024/01/post/");
/// assert!(AbsUrl::parse("javascript:alert(1)").is_err());
/// assert!(AbsUrl::parse("/relative").is_err());
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
// The text of a parsed URL (`url::Url` compares, orders and hashes by that
// text too). Kept as text because a site makes a URL or two per post and
// most are its base with a plain path appended, which needs no parse.
pub struct AbsUrl(String);

// Through strings, so a deserialised value (from the build cache) passes the
// same scheme check as a parsed one.
impl TryFrom<String> for AbsUrl {
    type Error = UrlError;
    fn try_from(s: String) -> Result<Self, UrlError> {
        AbsUrl::parse(&s)
    }
}

impl From<AbsUrl> for String {
    fn from(u: AbsUrl) -> String {
        u.0
    }
}

/// Why a string is not an [`AbsUrl`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// The text does not parse as an absolute URL.
    #[error("`{url}` is not an absolute URL: {reason}")]
    Invalid {
        /// The text.
        url: String,
        /// What the URL parser said.
        reason: String,
    },
    /// The URL parses, but its scheme is not `http` or `https`.
    #[error("`{url}` has the scheme `{scheme}`; only http and https URLs are published")]
    Scheme {
        /// The URL.
        url: String,
        /// Its scheme.
        scheme: String,
    },
}

impl UrlError {
    fn invalid(url: impl Into<String>, reason: url::ParseError) -> Self {
        UrlError::Invalid {
            url: url.into(),
            reason: reason.to_string(),
        }
    }
}

impl AbsUrl {
    /// Parses an absolute `http`/`https` URL.
    pub fn parse(s: &str) -> Result<Self, UrlError> {
        let text = s.trim();
        if is_plain_absolute(text) {
            return Ok(AbsUrl(text.to_string()));
        }
        let url = url::Url::parse(text).map_err(|e| UrlError::invalid(s, e))?;
        Self::from_url(url)
    }

    /// Wraps a parsed URL, checking its scheme.
    pub(crate) fn from_url(url: url::Url) -> Result<Self, UrlError> {
        match url.scheme() {
            "http" | "https" if url.host().is_some() => Ok(AbsUrl(url.into())),
            "http" | "https" => Err(UrlError::invalid(url.as_str(), url::ParseError::EmptyHost)),
            other => Err(UrlError::Scheme {
                url: url.to_string(),
                scheme: other.to_string(),
            }),
        }
    }

    /// Resolves `reference` (absolute, root-relative or relative) against this URL.
    pub fn join(&self, reference: &str) -> Result<Self, UrlError> {
        let url = self
            .to_url()
            .join(reference.trim())
            .map_err(|e| UrlError::invalid(reference, e))?;
        Self::from_url(url)
    }

    /// Resolves a path on this site: always under this URL's host, even when
    /// the path's first segment holds a colon (`http:/evil.example/` would
    /// otherwise parse as another site's URL).
    ///
    /// ```
    /// use feedwright::model::AbsUrl;
    /// let base = AbsUrl::parse("https://example.com/blog/").unwrap();
    /// assert_eq!(base.join_path("/http:/evil.example/").unwrap().as_str(), "https://example.com/blog/http:/evil.example/");
    /// ```
    pub fn join_path(&self, path: &str) -> Result<Self, UrlError> {
        let rest = path.trim().trim_start_matches('/');
        // A plain path is what the parser would append to a base ending in
        // `/`, so it is appended without a parse.
        if self.appendable() && is_plain_path(rest) {
            let mut url = String::with_capacity(self.0.len() + rest.len());
            url.push_str(&self.0);
            url.push_str(rest);
            return Ok(AbsUrl(url));
        }
        self.join(&format!("./{rest}"))
    }

    #[cfg(feature = "site")]
    /// `text` as a URL when it is this URL followed by a plain path (as
    /// [`AbsUrl::join_path`] takes it): the parser would give it back as it
    /// is, so it is not parsed. `None` when it is anything else.
    pub(crate) fn extended_by(&self, text: &str) -> Option<Self> {
        let rest = text.strip_prefix(self.0.as_str())?;
        (self.appendable() && is_plain_path(rest)).then(|| AbsUrl(text.to_string()))
    }

    /// Ends in `/`, with no query or fragment: a path can be appended.
    fn appendable(&self) -> bool {
        self.0.ends_with('/') && !self.0.bytes().any(|b| b == b'?' || b == b'#')
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[cfg(feature = "site")]
    /// The URL's path (from the `/` after the host to a query or fragment).
    /// An http(s) URL's text always has one: its user, host and port hold
    /// no `/`, and its path no `?` or `#`.
    pub(crate) fn path(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |i| i + 3);
        let rest = &self.0[after_scheme..];
        let rest = rest.find('/').map_or("", |i| &rest[i..]);
        rest.find(['?', '#']).map_or(rest, |i| &rest[..i])
    }

    #[cfg(feature = "site")]
    /// `http` or `https`.
    pub(crate) fn scheme(&self) -> &str {
        self.0.split_once(':').map_or("", |(scheme, _)| scheme)
    }

    /// The URL parsed, for resolving references against it.
    pub(crate) fn to_url(&self) -> url::Url {
        url::Url::parse(&self.0).expect("an AbsUrl holds the text of a parsed URL")
    }
}

#[cfg(feature = "site")]
/// True for bytes Jekyll leaves unescaped in a path: unreserved, sub-delims, `:`, `@`, `/`.
#[inline]
pub(crate) fn path_safe(b: u8) -> bool {
    PATH_SAFE[usize::from(b)]
}

/// [`path_safe`] as a table: it is asked for every byte of every URL.
const PATH_SAFE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let others = b"-._~!$&'()*+,;=:@/";
    let mut i = 0;
    while i < others.len() {
        table[others[i] as usize] = true;
        i += 1;
    }
    table
};

/// True when the URL parser would give `text` back as it is: `http://` or
/// `https://`, a plain host ([`is_plain_host`]), no port, then `/` and a
/// plain path.
/// Most URLs a site names (its images on a CDN) look so; they need no parse.
fn is_plain_absolute(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    let Some(slash) = rest.bytes().position(|b| b == b'/') else {
        return false;
    };
    is_plain_host(&rest[..slash]) && is_plain_path(&rest[slash + 1..])
}

/// A host the URL parser takes as it is, with no IPv4 or IDNA rule to
/// apply: dot-separated labels, none empty, of lower-case ASCII letters,
/// digits and `-`, none an `xn--` label, the last starting with a letter.
pub(crate) fn is_plain_host(host: &str) -> bool {
    let label_ok = |l: &[u8]| {
        !l.is_empty()
            && !l.starts_with(b"xn--")
            && l.iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let mut labels = host.as_bytes().split(|&b| b == b'.');
    let last = labels.next_back();
    labels.all(label_ok) && last.is_some_and(|l| label_ok(l) && l[0].is_ascii_lowercase())
}

/// True when the URL parser would keep `path` exactly as it is: no byte it
/// escapes or rewrites, only complete `%XX` escapes, and no dot segment
/// (`.`, `..`, or either spelled with `%2E`). One pass: it runs for every
/// URL a site makes.
fn is_plain_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut i = 0;
    let mut segment = 0;
    while i <= bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b'/');
        match b {
            b'/' => {
                if matches!(&bytes[segment..i], b"." | b"..") {
                    return false;
                }
                segment = i + 1;
            }
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                if bytes[i + 1] == b'2' && bytes[i + 2].eq_ignore_ascii_case(&b'e') {
                    return false;
                }
                i += 3;
                continue;
            }
            b if PATH_SAFE[usize::from(b)] => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

impl fmt::Display for AbsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person: an entry's or a feed's author.
///
/// ```
/// use feedwright::model::{AbsUrl, Person};
/// let kim = Person::named("Kim").email("kim@example.com");
/// assert_eq!(kim.email.as_deref(), Some("kim@example.com"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Person {
    /// The name shown to readers (must not be empty).
    pub name: String,
    /// An e-mail address, if known.
    pub email: Option<String>,
    /// A home page, if known.
    pub uri: Option<AbsUrl>,
}

impl Person {
    /// A person known only by name.
    pub fn named(name: impl Into<String>) -> Self {
        Person {
            name: name.into(),
            ..Person::default()
        }
    }

    /// With an e-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// With a home page.
    pub fn uri(mut self, uri: AbsUrl) -> Self {
        self.uri = Some(uri);
        self
    }
}

/// One post, as every feed format and the sitemap see it.
///
/// Made with [`Entry::new`] and refined with the setters, which take and
/// give back the entry:
///
/// ```
/// use feedwright::model::{AbsUrl, Entry, Person};
/// let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
/// let post = Entry::new(AbsUrl::parse("https://example.com/hello/").unwrap(), "Hello", when)
///     .summary("A first post.")
///     .content_html("<p>A first post.</p>")
///     .tags(["news", "rust"])
///     .author(Person::named("Kim"));
/// assert_eq!(post.id, "https://example.com/hello/");
/// assert_eq!(post.updated, when);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Entry {
    /// The permanent identifier (Atom `id`, JSON Feed `id`): an absolute URI
    /// that never changes, even when the post moves. For Jekyll sites this is
    /// jekyll-feed's id, so readers do not see posts again as new.
    pub id: String,
    /// The post's public URL (also RSS's `guid`).
    pub url: AbsUrl,
    /// The title, as plain text (must not be empty).
    pub title: String,
    /// When the post was first published.
    pub published: DateTime<FixedOffset>,
    /// When the post last changed (equal to `published` when never changed).
    pub updated: DateTime<FixedOffset>,
    /// A short plain-text summary.
    pub summary: Option<String>,
    /// The full content as HTML. Links in it should be absolute: readers
    /// resolve relative ones against different bases (see
    /// `Entry::absolutize_urls`, with the `html` feature).
    pub content_html: Option<String>,
    /// Category terms, in order (feeds write them before the tags).
    pub categories: Vec<String>,
    /// Tags, in order.
    pub tags: Vec<String>,
    /// The author; feeds fall back to the feed's author when absent.
    pub author: Option<Person>,
    /// A representative image.
    pub image: Option<AbsUrl>,
    /// The entry's language (BCP 47), when it differs from or refines the feed's.
    pub language: Option<String>,
}

impl Entry {
    /// An entry at `url`, published (and last updated) at `published`. Its
    /// id is its URL; give a permanent one with [`Entry::id`] if the URL may change.
    pub fn new(url: AbsUrl, title: impl Into<String>, published: DateTime<FixedOffset>) -> Self {
        Entry {
            id: url.as_str().to_string(),
            url,
            title: title.into(),
            published,
            updated: published,
            summary: None,
            content_html: None,
            categories: Vec::new(),
            tags: Vec::new(),
            author: None,
            image: None,
            language: None,
        }
    }

    /// With this permanent id (an absolute URI, such as a `tag:` URI).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Last changed at `updated`.
    pub fn updated(mut self, updated: DateTime<FixedOffset>) -> Self {
        self.updated = updated;
        self
    }

    /// With a plain-text summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// With full HTML content.
    pub fn content_html(mut self, html: impl Into<String>) -> Self {
        self.content_html = Some(html.into());
        self
    }

    /// With these categories.
    pub fn categories<S: Into<String>>(mut self, categories: impl IntoIterator<Item = S>) -> Self {
        self.categories = categories.into_iter().map(Into::into).collect();
        self
    }

    /// With these tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Written by `author`.
    pub fn author(mut self, author: Person) -> Self {
        self.author = Some(author);
        self
    }

    /// With a representative image.
    pub fn image(mut self, image: AbsUrl) -> Self {
        self.image = Some(image);
        self
    }

    /// In this language (a BCP 47 tag such as `ko` or `en-US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
}

/// What describes a feed as a whole. Set through [`Feed`]'s setters.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FeedMeta {
    /// The feed's title (must not be empty).
    pub title: String,
    /// A one-line description (Atom `subtitle`, RSS `description`).
    pub description: Option<String>,
    /// The site's home page.
    pub home_url: AbsUrl,
    /// The Atom feed's id: an absolute URI that never changes. When `None`,
    /// the Atom URL, else the home page.
    pub id: Option<String>,
    /// Where the Atom feed is published (its self link).
    pub atom_url: Option<AbsUrl>,
    /// Where the RSS feed is published (its `atom:link rel="self"`).
    pub rss_url: Option<AbsUrl>,
    /// Where the JSON Feed is published (its `feed_url`).
    pub json_url: Option<AbsUrl>,
    /// The language, as a BCP 47 tag such as `ko` or `en-US`.
    pub language: Option<String>,
    /// The site's author, used for entries that have none.
    pub author: Option<Person>,
    /// The date of a feed without entries (Atom requires one). A feed with
    /// entries is dated by its newest entry, never by a clock.
    pub empty_updated: Option<DateTime<FixedOffset>>,
    /// When true, entries carry their summary only, no full content.
    pub excerpt_only: bool,
    /// WebSub hubs that subscribers may use for push updates.
    pub hubs: Vec<AbsUrl>,
    /// A large square image for the feed (JSON Feed `icon`, Atom `logo`, RSS `image`).
    pub icon: Option<AbsUrl>,
    /// A small square image (JSON Feed `favicon`, Atom `icon`).
    pub favicon: Option<AbsUrl>,
}

/// A feed: its metadata and its entries, newest first. One `Feed` is written
/// in every format ([`Feed::to_atom`], [`Feed::to_rss`], [`Feed::to_json`]);
/// each format's own address is set once ([`Feed::atom_url`], …).
///
/// ```
/// use feedwright::model::{AbsUrl, Feed};
/// let site = AbsUrl::parse("https://example.com/").unwrap();
/// let feed = Feed::new("My site", site.clone())
///     .atom_url(site.join("feed.xml").unwrap())
///     .rss_url(site.join("rss.xml").unwrap())
///     .description("Notes")
///     .language("en");
/// assert_eq!(feed.meta.title, "My site");
/// assert!(feed.entries.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Feed {
    /// The feed's metadata.
    pub meta: FeedMeta,
    /// The entries, in the order they are written.
    pub entries: Vec<Entry>,
}

impl Feed {
    /// A feed titled `title` for the site at `home_url`, with no entries yet.
    pub fn new(title: impl Into<String>, home_url: AbsUrl) -> Self {
        Feed {
            meta: FeedMeta {
                title: title.into(),
                description: None,
                home_url,
                id: None,
                atom_url: None,
                rss_url: None,
                json_url: None,
                language: None,
                author: None,
                empty_updated: None,
                excerpt_only: false,
                hubs: Vec::new(),
                icon: None,
                favicon: None,
            },
            entries: Vec::new(),
        }
    }

    /// With these entries (newest first), replacing any there were.
    pub fn entries(mut self, entries: impl IntoIterator<Item = Entry>) -> Self {
        self.entries = entries.into_iter().collect();
        self
    }

    /// With a one-line description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.meta.description = Some(description.into());
        self
    }

    /// With a permanent Atom feed id (otherwise the Atom URL).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.meta.id = Some(id.into());
        self
    }

    /// Published as Atom at `url`.
    pub fn atom_url(mut self, url: AbsUrl) -> Self {
        self.meta.atom_url = Some(url);
        self
    }

    /// Published as RSS at `url`.
    pub fn rss_url(mut self, url: AbsUrl) -> Self {
        self.meta.rss_url = Some(url);
        self
    }

    /// Published as JSON Feed at `url`.
    pub fn json_url(mut self, url: AbsUrl) -> Self {
        self.meta.json_url = Some(url);
        self
    }

    /// In this language (a BCP 47 tag such as `ko` or `en-US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.meta.language = Some(language.into());
        self
    }

    /// Written by `author` (entries without an author of their own).
    pub fn author(mut self, author: Person) -> Self {
        self.meta.author = Some(author);
        self
    }

    /// Dated `when` if it has no entries.
    pub fn empty_updated(mut self, when: DateTime<FixedOffset>) -> Self {
        self.meta.empty_updated = Some(when);
        self
    }

    /// Entries carry their summary only.
    pub fn excerpt_only(mut self, excerpt_only: bool) -> Self {
        self.meta.excerpt_only = excerpt_only;
        self
    }

    /// With these WebSub hubs.
    pub fn hubs(mut self, hubs: impl IntoIterator<Item = AbsUrl>) -> Self {
        self.meta.hubs = hubs.into_iter().collect();
        self
    }

    /// With a large square image.
    pub fn icon(mut self, icon: AbsUrl) -> Self {
        self.meta.icon = Some(icon);
        self
    }

    /// With a small square image.
    pub fn favicon(mut self, favicon: AbsUrl) -> Self {
        self.meta.favicon = Some(favicon);
        self
    }

    /// When the feed last changed: its newest entry's `updated`, else
    /// [`FeedMeta::empty_updated`]; never the clock.
    pub fn updated(&self) -> Option<DateTime<FixedOffset>> {
        self.entries
            .iter()
            .map(|e| e.updated)
            .max()
            .or(self.meta.empty_updated)
    }

    /// The Atom feed id: [`FeedMeta::id`], else the Atom URL, else the home page.
    pub fn atom_id(&self) -> &str {
        let m = &self.meta;
        m.id.as_deref()
            .or(m.atom_url.as_ref().map(AbsUrl::as_str))
            .unwrap_or(m.home_url.as_str())
    }
}

// What a sitemap lists: here, beside `AbsUrl`, so that configuration and
// extraction make them without depending on the sitemap writer.

/// How often a page is likely to change (`<changefreq>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ChangeFreq {
    /// Changes on every access.
    Always,
    /// Hourly.
    Hourly,
    /// Daily.
    Daily,
    /// Weekly.
    Weekly,
    /// Monthly.
    Monthly,
    /// Yearly.
    Yearly,
    /// Archived: never changes.
    Never,
}

impl ChangeFreq {
    /// The protocol's values, for messages.
    pub const NAMES: &'static str = "always, hourly, daily, weekly, monthly, yearly, never";

    /// The protocol's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeFreq::Always => "always",
            ChangeFreq::Hourly => "hourly",
            ChangeFreq::Daily => "daily",
            ChangeFreq::Weekly => "weekly",
            ChangeFreq::Monthly => "monthly",
            ChangeFreq::Yearly => "yearly",
            ChangeFreq::Never => "never",
        }
    }
}

impl std::str::FromStr for ChangeFreq {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "always" => ChangeFreq::Always,
            "hourly" => ChangeFreq::Hourly,
            "daily" => ChangeFreq::Daily,
            "weekly" => ChangeFreq::Weekly,
            "monthly" => ChangeFreq::Monthly,
            "yearly" => ChangeFreq::Yearly,
            "never" => ChangeFreq::Never,
            _ => return Err(()),
        })
    }
}

/// A `<priority>` from 0.0 to 1.0, kept in thousandths so it is exact.
///
/// ```
/// use feedwright::sitemap::Priority;
/// assert_eq!("0.85".parse::<Priority>().unwrap().to_string(), "0.85");
/// assert_eq!("1".parse::<Priority>().unwrap().to_string(), "1.0");
/// assert!("1.5".parse::<Priority>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Priority(u16);

impl std::str::FromStr for Priority {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let v: f64 = s.trim().parse().map_err(|_| ())?;
        if (0.0..=1.0).contains(&v) {
            Ok(Priority((v * 1000.0).round() as u16))
        } else {
            Err(())
        }
    }
}

impl std::fmt::Display for Priority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = format!("{}.{:03}", self.0 / 1000, self.0 % 1000);
        let s = s.trim_end_matches('0');
        if s.ends_with('.') {
            write!(f, "{s}0")
        } else {
            f.write_str(s)
        }
    }
}

/// The same page in another language (`xhtml:link rel="alternate" hreflang`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternate {
    /// The language, such as `ko` or `en-US`.
    pub hreflang: String,
    /// The page in that language.
    pub href: AbsUrl,
}

/// Most URLs one sitemap file may list (and most sitemaps one index may
/// list), the sitemaps.org protocol's limit; [`crate::sitemap::MAX_URLS`].
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Largest sitemap file the sitemaps.org protocol allows, uncompressed
/// (50 MiB); [`crate::sitemap::MAX_BYTES`].
pub const SITEMAP_MAX_BYTES: usize = 50 * 1024 * 1024;

/// One `<url>` of a sitemap: [`SitemapUrl::new`], refined with the setters.
///
/// ```
/// use feedwright::{model::AbsUrl, sitemap::{ChangeFreq, SitemapUrl}};
/// let page = SitemapUrl::new(AbsUrl::parse("https://example.com/").unwrap(), None)
///     .changefreq(ChangeFreq::Daily)
///     .priority("0.8".parse().unwrap());
/// assert!(feedwright::sitemap::to_string(&[page]).contains("<priority>0.8</priority>"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SitemapUrl {
    /// The page's absolute URL.
    pub loc: AbsUrl,
    /// When the page last changed.
    pub lastmod: Option<DateTime<FixedOffset>>,
    /// How often it changes.
    pub changefreq: Option<ChangeFreq>,
    /// Its priority relative to the site's other pages.
    pub priority: Option<Priority>,
    /// Images on the page (`image:image`).
    pub images: Vec<AbsUrl>,
    /// The page in other languages, itself included (`xhtml:link`).
    pub alternates: Vec<Alternate>,
}

impl SitemapUrl {
    /// A URL with a `lastmod` and nothing else.
    pub fn new(loc: AbsUrl, lastmod: Option<DateTime<FixedOffset>>) -> Self {
        SitemapUrl {
            loc,
            lastmod,
            changefreq: None,
            priority: None,
            images: Vec::new(),
            alternates: Vec::new(),
        }
    }

    /// With a `<changefreq>`.
    pub fn changefreq(mut self, changefreq: ChangeFreq) -> Self {
        self.changefreq = Some(changefreq);
        self
    }

    /// With a `<priority>`.
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// With these images (`image:image`).
    pub fn images(mut self, images: impl IntoIterator<Item = AbsUrl>) -> Self {
        self.images = images.into_iter().collect();
        self
    }

    /// With the page in other languages, itself included (`xhtml:link`).
    pub fn alternates(mut self, alternates: impl IntoIterator<Item = Alternate>) -> Self {
        self.alternates = alternates.into_iter().collect();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "site")]
    fn the_path_safe_table_holds_exactly_the_unreserved_and_sub_delim_bytes() {
        for b in 0..=255u8 {
            let listed = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
            assert_eq!(path_safe(b), listed, "byte {b:#04x}");
        }
    }

    #[test]
    fn urls_of_the_plain_shape_skip_the_parser_and_others_do_not() {
        for plain in [
            "https://cdn.example.com/images/2012/01/d5b48ad0d810c3f6.webp",
            "http://example.com/",
            "https://a-b.example/%ED%95%9C/",
        ] {
            assert!(is_plain_absolute(plain), "{plain}");
        }
        for other in [
            "https://Example.com/",
            "https://example.com",
            "https://example.com:443/",
            "https://1.2.3.4/",
            "https://xn--nxasmq6b.com/",
            "https://example.com/a/../b",
            "https://example.com/a?b",
            "ftp://example.com/",
        ] {
            assert!(!is_plain_absolute(other), "{other}");
        }
    }

    #[test]
    #[cfg(feature = "site")]
    fn a_plain_path_is_appended_and_a_dotted_one_resolved() {
        let base = AbsUrl::parse("https://example.com/blog/").unwrap();
        assert_eq!(
            String::from(base.join_path("/2024/01/02/%ED%95%9C").unwrap()),
            "https://example.com/blog/2024/01/02/%ED%95%9C"
        );
        assert_eq!(
            String::from(base.join_path("/a/../b").unwrap()),
            "https://example.com/blog/b"
        );
    }

    #[cfg(feature = "site")]
    proptest::proptest! {
        #[test]
        fn the_path_and_scheme_read_from_the_text_are_the_parsers(
            scheme in "https?",
            user in "([a-z:/@%]{0,6}@)?",
            host in "[a-z]{1,5}(\\.[a-z]{1,4})?(:[0-9]{1,4})?",
            rest in "[a-z/?#%:@.]{0,16}",
        ) {
            if let Ok(url) = AbsUrl::parse(&format!("{scheme}://{user}{host}/{rest}")) {
                let parsed = url.to_url();
                proptest::prop_assert_eq!(parsed.as_str(), url.as_str());
                proptest::prop_assert_eq!(url.path(), parsed.path());
                proptest::prop_assert_eq!(url.scheme(), parsed.scheme());
            }
        }
    }

    #[cfg(feature = "site")]
    proptest::proptest! {
        #[test]
        fn joining_a_path_gives_what_the_url_parser_gives(
            path in "[a%2eEF./?# 한\\\\:~@-]{0,14}|[a%2eE./]{0,12}"
        ) {
            for base in ["https://example.com/", "https://example.com/blog/", "http://a.example:8080/x/"] {
                let base = AbsUrl::parse(base).unwrap();
                // The plain spelling: resolve `./path` with the URL parser.
                let parsed = base
                    .join(&format!("./{}", path.trim().trim_start_matches('/')))
                    .map(|u| u.to_string())
                    .ok();
                proptest::prop_assert_eq!(base.join_path(&path).map(String::from).ok(), parsed);
            }
        }

        #[test]
        fn a_url_read_without_the_parser_is_what_the_parser_gives(
            scheme in "https?|HTTP|ftp",
            host in "[a-z0-9.-]{0,8}|0x[0-9a-f]{1,3}|[a-z]{1,3}\\.0x[0-9a-f]{1,2}|[a-z]{1,4}\\.[a-z0-9-]{1,4}|xn--[a-z]{1,4}\\.com|[A-Za-z.]{1,6}|[0-9.]{1,9}",
            port in "(:[0-9]{0,3})?",
            rest in "(/[a-z%2eEF./?# 한\\:~@-]{0,14})?"
        ) {
            let text = format!("{scheme}://{host}{port}{rest}");
            if is_plain_absolute(&text) {
                let parsed = url::Url::parse(&text).map(String::from);
                proptest::prop_assert_eq!(Ok(text.clone()), parsed.clone());
                proptest::prop_assert_eq!(AbsUrl::parse(&text).map(String::from), Ok(text));
            }
        }

        #[test]
        fn a_url_taken_as_its_base_and_a_plain_path_is_what_the_parser_gives(
            rest in "[a%2eEF./?# 한\\:~@-]{0,14}|[a%2eE./]{0,12}"
        ) {
            for base in ["https://example.com/", "https://example.com/blog/", "http://a.example:8080/x/"] {
                let base = AbsUrl::parse(base).unwrap();
                let text = format!("{base}{rest}");
                if let Some(url) = base.extended_by(&text) {
                    proptest::prop_assert_eq!(Ok(url), AbsUrl::parse(&text));
                }
            }
        }
    }
}
