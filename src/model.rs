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
pub struct AbsUrl(url::Url);

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
        u.0.into()
    }
}

/// Why a string is not an [`AbsUrl`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// The text does not parse as an absolute URL.
    #[error("`{0}` is not an absolute URL: {1}")]
    Invalid(String, url::ParseError),
    /// The URL parses, but its scheme is not `http` or `https`.
    #[error("`{0}` has the scheme `{1}`; only http and https URLs are published")]
    Scheme(String, String),
}

impl AbsUrl {
    /// Parses an absolute `http`/`https` URL.
    pub fn parse(s: &str) -> Result<Self, UrlError> {
        let url = url::Url::parse(s.trim()).map_err(|e| UrlError::Invalid(s.to_string(), e))?;
        Self::from_url(url)
    }

    /// Wraps a parsed URL, checking its scheme.
    pub fn from_url(url: url::Url) -> Result<Self, UrlError> {
        match url.scheme() {
            "http" | "https" if url.host().is_some() => Ok(AbsUrl(url)),
            "http" | "https" => Err(UrlError::Invalid(
                url.to_string(),
                url::ParseError::EmptyHost,
            )),
            other => Err(UrlError::Scheme(url.to_string(), other.to_string())),
        }
    }

    /// Resolves `reference` (absolute, root-relative or relative) against this URL.
    pub fn join(&self, reference: &str) -> Result<Self, UrlError> {
        let url = self
            .0
            .join(reference.trim())
            .map_err(|e| UrlError::Invalid(reference.to_string(), e))?;
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
        self.join(&format!("./{}", path.trim().trim_start_matches('/')))
    }

    /// The text of [`AbsUrl::join_path`]'s answer, without parsing a URL
    /// when `path` is plain: only characters a URL path keeps as they are
    /// (letters, digits, `-._~!$&'()*+,;=:@/` and `%XX` escapes, as
    /// [`crate::extract::permalink::normalize_path`] writes), and no `.` or
    /// `..` segment. Such a path is appended to this URL (which ends in `/`).
    ///
    /// ```
    /// use feedwright::model::AbsUrl;
    /// let base = AbsUrl::parse("https://example.com/blog/").unwrap();
    /// assert_eq!(base.join_path_text("/2024/01/02/%ED%95%9C").unwrap(), "https://example.com/blog/2024/01/02/%ED%95%9C");
    /// assert_eq!(base.join_path_text("/a/../b").unwrap(), "https://example.com/blog/b");
    /// ```
    pub fn join_path_text(&self, path: &str) -> Result<String, UrlError> {
        let rest = path.trim().trim_start_matches('/');
        let base = self.as_str();
        let appendable =
            base.ends_with('/') && self.0.query().is_none() && self.0.fragment().is_none();
        if appendable && is_plain_path(rest) {
            return Ok(format!("{base}{rest}"));
        }
        self.join_path(path).map(|u| u.0.into())
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The underlying [`url::Url`].
    pub fn as_url(&self) -> &url::Url {
        &self.0
    }
}

/// True for bytes Jekyll leaves unescaped in a path: unreserved, sub-delims, `:`, `@`, `/`.
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

/// True when the URL parser would keep `path` exactly as it is: no byte it
/// escapes or rewrites, only complete `%XX` escapes, and no dot segment
/// (`.`, `..`, or either spelled with `%2E`).
fn is_plain_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                i += 3;
                continue;
            }
            b if path_safe(b) => {}
            _ => return false,
        }
        i += 1;
    }
    path.split('/').all(|segment| {
        segment != "."
            && segment != ".."
            && !segment
                .as_bytes()
                .windows(3)
                .any(|w| w[0] == b'%' && w[1] == b'2' && w[2].eq_ignore_ascii_case(&b'e'))
    })
}

impl fmt::Display for AbsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// A person: an entry's or a feed's author.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    /// The name shown to readers.
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
}

/// One post, as every feed format and the sitemap see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The permanent identifier (Atom `id`, JSON Feed `id`). For Jekyll sites
    /// this is jekyll-feed's id, so readers do not see posts again as new.
    pub id: String,
    /// The post's public URL.
    pub url: AbsUrl,
    /// The title, as plain text.
    pub title: String,
    /// When the post was first published.
    pub published: DateTime<FixedOffset>,
    /// When the post last changed (equal to `published` when never changed).
    pub updated: DateTime<FixedOffset>,
    /// A short plain-text summary.
    pub summary: Option<String>,
    /// The full content as HTML.
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

/// What describes a feed as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedMeta {
    /// The feed's title.
    pub title: String,
    /// A one-line description (Atom `subtitle`, RSS `description`).
    pub description: Option<String>,
    /// The site's home page.
    pub home_url: AbsUrl,
    /// Where this feed itself is published (the self link; Atom feed id).
    pub feed_url: AbsUrl,
    /// The language, as a BCP 47 tag such as `ko` or `en-US`.
    pub language: Option<String>,
    /// The site's author, used for entries that have none.
    pub author: Option<Person>,
    /// When the feed has no entries, the date to call it updated. feedwright
    /// passes the build date; the feed's date otherwise comes from its newest entry.
    pub empty_updated: DateTime<FixedOffset>,
    /// When true, entries carry their summary only, no full content.
    pub excerpt_only: bool,
    /// WebSub hubs that subscribers may use for push updates.
    pub hubs: Vec<AbsUrl>,
    /// A large square image for the feed (JSON Feed `icon`, Atom `logo`).
    pub icon: Option<AbsUrl>,
    /// A small square image (JSON Feed `favicon`, Atom `icon`).
    pub favicon: Option<AbsUrl>,
}

/// A feed ready to serialise: its metadata and its entries, newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    /// The feed's metadata.
    pub meta: FeedMeta,
    /// The entries, in the order they are written.
    pub entries: Vec<Entry>,
}

impl Feed {
    /// When the feed last changed: its newest entry's `updated`, never the build clock.
    pub fn updated(&self) -> DateTime<FixedOffset> {
        self.entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or(self.meta.empty_updated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_safe_table_holds_exactly_the_unreserved_and_sub_delim_bytes() {
        for b in 0..=255u8 {
            let listed = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
            assert_eq!(path_safe(b), listed, "byte {b:#04x}");
        }
    }

    proptest::proptest! {
        #[test]
        fn joining_a_path_as_text_gives_what_the_url_parser_gives(
            path in "[a%2eEF./?# 한\\\\:~@-]{0,14}|[a%2eE./]{0,12}"
        ) {
            for base in ["https://example.com/", "https://example.com/blog/", "http://a.example:8080/x/"] {
                let base = AbsUrl::parse(base).unwrap();
                let parsed = base.join_path(&path).map(|u| u.to_string()).ok();
                proptest::prop_assert_eq!(base.join_path_text(&path).ok(), parsed);
            }
        }
    }
}
