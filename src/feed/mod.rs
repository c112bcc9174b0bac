//! Writing feeds: one [`Feed`] as Atom 1.0 ([`atom`]), RSS 2.0 ([`rss`]) and
//! JSON Feed 1.1 ([`json`]).
//!
//! Every writer first checks what would make its document invalid and
//! refuses with a [`FeedError`] instead of writing it: an empty title, an
//! entry id that is not an absolute URI, two entries with one id, a language
//! that is not a language tag, a person without a name, an empty Atom feed
//! without a date. Text is made XML-safe on the way out (characters XML 1.0
//! forbids are dropped), so no writer ever emits an ill-formed document.
//!
//! Gathering (which posts go into which feed) is the site builder's; these
//! modules only serialise, as in Zola.

pub mod atom;
#[cfg(feature = "site")]
pub(crate) mod gather;
pub mod json;
pub mod rss;
mod rules;

use crate::model::Feed;
pub use rules::{FeedError, FeedErrorKind, GENERATOR, GENERATOR_URI};

impl Feed {
    /// The feed as an Atom 1.0 document ([`atom::to_string`]).
    pub fn to_atom(&self) -> Result<String, FeedError> {
        atom::to_string(self)
    }

    /// The feed as an RSS 2.0 document ([`rss::to_string`]).
    pub fn to_rss(&self) -> Result<String, FeedError> {
        rss::to_string(self)
    }

    /// The feed as a JSON Feed 1.1 document ([`json::to_string`]).
    pub fn to_json(&self) -> Result<String, FeedError> {
        json::to_string(self)
    }
}

#[cfg(feature = "html")]
impl crate::model::Entry {
    /// Makes every link in the content (`href`, `src`, `srcset`, `poster`)
    /// absolute, resolved against the entry's URL, as a feed reader far from
    /// the page needs them. Links with schemes other than http, https, mailto
    /// and tel (`javascript:`, `data:`, …) are removed. Needs the `html`
    /// feature (on with `site`, the default).
    ///
    /// ```
    /// use feedwright::model::{AbsUrl, Entry};
    /// let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
    /// let post = Entry::new(AbsUrl::parse("https://example.com/2024/hello/").unwrap(), "Hello", when)
    ///     .content_html(r#"<img src="cat.png"> <a href="/about/">me</a> <a href="javascript:x()">no</a>"#)
    ///     .absolutize_urls();
    /// assert_eq!(
    ///     post.content_html.unwrap(),
    ///     r#"<img src="https://example.com/2024/hello/cat.png"> <a href="https://example.com/about/">me</a> <a>no</a>"#
    /// );
    /// ```
    pub fn absolutize_urls(mut self) -> Self {
        if let Some(html) = &self.content_html {
            self.content_html = Some(crate::html::absolutize_urls(html, &self.url.to_url()).0);
        }
        self
    }
}

#[cfg(feature = "html")]
impl Feed {
    /// [`Entry::absolutize_urls`](crate::model::Entry::absolutize_urls) for every entry.
    pub fn absolutize_urls(mut self) -> Self {
        self.entries = self
            .entries
            .into_iter()
            .map(crate::model::Entry::absolutize_urls)
            .collect();
        self
    }
}
