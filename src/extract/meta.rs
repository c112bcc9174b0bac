//! [`PostMeta`]: what extraction makes of a post, in its own file so the
//! renderer (`render::liquid`'s `page`) can take it without importing the
//! extraction that calls the renderer.

use crate::model::{AbsUrl, Person};
use crate::model::{ChangeFreq, Priority};
use crate::source::PostFile;
use chrono::{DateTime, FixedOffset};

/// Everything the sitemap and feed selection need to know about a post:
/// a small record, no body.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PostMeta {
    /// The source file.
    pub file: PostFile,
    /// The title, plain text.
    pub title: String,
    /// The publication date, in the site time zone.
    #[serde(with = "crate::extract::dates::compact")]
    pub date: DateTime<FixedOffset>,
    /// `last_modified_at`, if given.
    #[serde(with = "crate::extract::dates::compact::option")]
    pub last_modified: Option<DateTime<FixedOffset>>,
    /// The public URL.
    pub url: AbsUrl,
    /// The Atom entry id (jekyll-feed's: the document id made absolute).
    pub id: String,
    /// Jekyll's categories (used in URLs).
    pub categories: Vec<String>,
    /// The category terms jekyll-feed writes: the `category` key alone when
    /// present, else `categories`.
    pub feed_categories: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// False for `published: false`.
    pub published: bool,
    /// True when the post's date came from its file or commit time and was
    /// later than the build date, so "now" dated it: the cache never reuses
    /// such a record.
    pub clamped_to_now: bool,
    /// True when the date is a file or commit time capped at the build
    /// date: it holds for a later build only while that build's date is not
    /// earlier than it (`cache::Facts::holds_at`).
    pub date_capped: bool,
    /// `draft: true`: jekyll-feed leaves such a post out of feeds, and Hugo
    /// does not publish it; feedwright leaves it out of every output.
    pub draft: bool,
    /// False for `sitemap: false`.
    pub in_sitemap: bool,
    /// The summary's source from the front matter (raw HTML or text), as
    /// jekyll-feed picks it: `description` unless empty, else `excerpt`.
    /// `None`: the summary is cut from the body.
    pub summary: Option<String>,
    /// The `image` from the front matter, resolved.
    pub image: Option<AbsUrl>,
    /// The author from the front matter (the site's is applied later).
    pub author: Option<Person>,
    /// `excerpt_separator` from the front matter.
    pub excerpt_separator: Option<String>,
    /// True when the body is Markdown.
    pub markdown: bool,
    /// The post's language (`lang`), when it names one.
    pub lang: Option<String>,
    /// The key shared by translations of one post (`ref`, or Hugo's `translationKey`).
    pub translation_key: Option<String>,
    /// More images for the image sitemap (`images`), besides `image`.
    pub images: Vec<AbsUrl>,
    /// `sitemap: {changefreq: ...}`.
    pub changefreq: Option<ChangeFreq>,
    /// `sitemap: {priority: ...}`.
    pub priority: Option<Priority>,
}

impl PostMeta {
    /// `last_modified_at` when given, else the publication date.
    pub fn updated(&self) -> DateTime<FixedOffset> {
        self.last_modified.unwrap_or(self.date)
    }
}
