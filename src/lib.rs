//! # feedwright
//!
//! Feeds and sitemaps for static sites: Atom 1.0, RSS 2.0 and JSON Feed 1.1
//! from one [`Feed`], `sitemap.xml` from a list of URLs, and a validator for
//! all of them. The [`site`] builder does the whole job for a Jekyll site or a
//! folder of posts (Jekyll-compatible URLs, ids and dates); the rest of the
//! crate is a kit for other generators, which hand it their own posts.
//!
//! ## From your posts to four validated documents
//!
//! A generator already holds its posts in memory. Here are three, written as
//! an Atom feed, an RSS feed, a JSON Feed and a sitemap, each then validated:
//!
//! ```
//! use feedwright::sitemap::{self, SitemapUrl};
//! use feedwright::validate::{validate_str, Options};
//! use feedwright::{AbsUrl, Entry, Feed, Person};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let site = AbsUrl::parse("https://example.com/blog/")?;
//! let posts = [
//!     ("2024/03/16/links/", "Links", "2024-03-16T09:00:00+09:00", r#"<p>See <a href="../../14/hello/">the first post</a>.</p>"#),
//!     ("2024/03/15/cats/", "Cats", "2024-03-15T09:00:00+09:00", r#"<p><img src="cat.png" alt="A cat"></p>"#),
//!     ("2024/03/14/hello/", "Hello & welcome", "2024-03-14T09:00:00+09:00", "<p>The first post.</p>"),
//! ];
//!
//! // 1. Each post becomes an Entry: URL, title, date, then whatever else it has.
//! let mut entries = Vec::new();
//! for (path, title, date, html) in posts {
//!     let published = chrono::DateTime::parse_from_rfc3339(date)?;
//!     entries.push(
//!         Entry::new(site.join(path)?, title, published)
//!             .summary(format!("{title}, in a few words."))
//!             .content_html(html)
//!             .tags(["notes"]),
//!     );
//! }
//!
//! // 2. One Feed for every format; each format's address is given once.
//! let feed = Feed::new("Example blog", site.clone())
//!     .description("Notes on cats and links")
//!     .language("en")
//!     .author(Person::named("Kim"))
//!     .atom_url(site.join("feed.xml")?)
//!     .rss_url(site.join("rss.xml")?)
//!     .json_url(site.join("feed.json")?)
//!     .entries(entries)
//!     .absolutize_urls();
//!
//! // 3. The documents: three feeds and a sitemap of the home page and the posts.
//! let atom = feed.to_atom()?;
//! let rss = feed.to_rss()?;
//! let json = feed.to_json()?;
//! let pages: Vec<SitemapUrl> = std::iter::once(SitemapUrl::new(site.clone(), feed.updated()))
//!     .chain(feed.entries.iter().map(|e| SitemapUrl::new(e.url.clone(), Some(e.updated))))
//!     .collect();
//! let sitemap = sitemap::to_string(&pages);
//!
//! // 4. Validated: no finding at all, not even a warning.
//! for document in [&atom, &rss, &json, &sitemap] {
//!     let report = validate_str(document, &Options::default());
//!     assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
//! }
//! let cats = feed.entries[1].content_html.as_deref().unwrap();
//! assert_eq!(cats, r#"<p><img src="https://example.com/blog/2024/03/15/cats/cat.png" alt="A cat"></p>"#);
//! # Ok(()) }
//! ```
//!
//! 1. [`Entry::new`] takes what every format needs (an [`AbsUrl`], always an
//!    absolute `http`/`https` URL; a title; a date with its offset) and fills
//!    in the rest: the id is the URL (give a permanent one with [`Entry::id`]
//!    if URLs may change), the update date the publication date. The setters
//!    take and give back the entry, so a new field never breaks a caller.
//! 2. A [`Feed`] is written in every format. Each format's own address
//!    becomes that document's self link; the Atom URL is also the Atom feed's
//!    id unless [`Feed::id`] gives another. [`Feed::absolutize_urls`] (the
//!    `html` feature) resolves the relative links in each entry's content
//!    against the entry's URL, since a reader shows the content far from the
//!    page, and removes `javascript:` and `data:` links.
//! 3. [`Feed::to_atom`], [`Feed::to_rss`] and [`Feed::to_json`] return the
//!    text; [`feed::atom::write`] and its siblings write into any
//!    [`std::io::Write`]. [`sitemap::to_string`] lists pages
//!    ([`sitemap::write_index`] and [`sitemap::split`] for very large sites).
//! 4. [`validate::validate_str`] detects the format and reports every finding.
//!
//! The same task, runnable, is `examples/library.rs` (`cargo run --example library`).
//!
//! ## What the writers refuse
//!
//! A writer never hands back an invalid document. Before writing, each checks
//! what would make its format invalid and returns a [`FeedError`] instead,
//! whose [`kind`](FeedError::kind) says what ([`FeedErrorKind`]) and whose
//! [`entry`](FeedError::entry) says where:
//!
//! ```
//! use feedwright::{AbsUrl, Entry, Feed, FeedErrorKind};
//! let site = AbsUrl::parse("https://example.com/").unwrap();
//! let when = chrono::DateTime::parse_from_rfc3339("2024-03-16T09:00:00Z").unwrap();
//! let feed = Feed::new("Example", site.clone())
//!     .entries([Entry::new(site.join("a/").unwrap(), "A", when).id("post a")]);
//! let refused = feed.to_atom().unwrap_err();
//! assert_eq!(refused.kind(), FeedErrorKind::InvalidId);
//! assert_eq!(refused.entry(), Some(0));
//! assert_eq!(refused.to_string(), "entry 0: the id `post a` is not an absolute URI; use the post's permanent URL or a `tag:` URI");
//! ```
//!
//! Refused: an empty feed or entry title, an entry id that is not an absolute
//! URI, two entries with one id (in RSS, one URL: it is the `guid`), a
//! language that is not a language tag, a person without a name, an Atom feed
//! without entries or [`Feed::empty_updated`]. Text is cleaned on the way
//! out: characters XML 1.0 forbids are dropped, so no document is ill-formed.
//!
//! ## Validating
//!
//! [`validate::validate_str`] and [`validate::validate_bytes`] check RSS 2.0
//! (and RSS 0.9x/1.0), Atom 1.0, JSON Feed 1.1, sitemaps and sitemap indexes,
//! detected from the document. Each finding ([`validate::Diagnostic`]) has a
//! line, column, [`Severity`], stable code, message and spec section.
//!
//! ## Building a whole site
//!
//! [`site::build`] reads a Jekyll site or folder of posts and writes every
//! output; see [`site`]. [`build`], [`check`], [`plan`], [`BuildOptions`] and
//! [`BuildReport`] at the crate root are the same items.
//!
//! ## Features
//!
//! | feature | default | what it adds | brings in |
//! | --- | --- | --- | --- |
//! | *(none)* | | the kit: [`model`], [`feed`], [`sitemap`], [`validate`] | rss, atom_syndication, quick-xml, chrono, url, serde_json (55 crates in all) |
//! | `html` | yes (with `site`) | [`Entry::absolutize_urls`], [`Feed::absolutize_urls`] | lol_html |
//! | `gzip` | yes (with `site`) | [`validate::read_limited`], gzip-compressed input | flate2 |
//! | `site` | yes | [`site`]: Jekyll sites and folders of posts, the build cache | `html`, `gzip`, comrak, yaml_serde, chrono-tz, globset, strsim, rayon, tempfile, postcard, rustix |
//! | `websub` | yes (with `cli`) | `site::websub`: WebSub hub notifications | ureq |
//! | `cli` | yes | the `feedwright` command | clap, indicatif, mimalloc |
//!
//! A generator that only needs the kit depends on
//! `feedwright = { version = "0.1", default-features = false }` (add
//! `features = ["html"]` for [`Feed::absolutize_urls`]).

#![warn(missing_docs)]

pub mod feed;
mod lang;
pub mod model;
pub mod sitemap;
pub mod validate;

#[cfg(feature = "html")]
mod html;
mod text;

#[cfg(feature = "site")]
pub mod site;

// The site pipeline. Private: its public face is `site`. A fuzzing build
// (cargo-fuzz sets `--cfg fuzzing`) reaches in through `fuzzing`.
#[cfg(feature = "site")]
mod build;
#[cfg(feature = "site")]
mod cache;
#[cfg(feature = "site")]
mod config;
#[cfg(feature = "site")]
mod error;
#[cfg(feature = "site")]
mod extract;
#[cfg(feature = "site")]
mod output;
#[cfg(feature = "site")]
mod source;
#[cfg(feature = "site")]
mod style;
#[cfg(feature = "websub")]
mod websub;
#[cfg(feature = "site")]
mod yaml;

pub use feed::{FeedError, FeedErrorKind};
pub use model::{AbsUrl, Entry, Feed, Person};
#[cfg(feature = "site")]
pub use site::{build, check, plan, BuildOptions, BuildReport};
pub use validate::Severity;

/// Internals for the fuzz targets in `fuzz/` only; not part of the API.
#[cfg(all(fuzzing, feature = "site"))]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::config::kramdown::KramdownOptions;
    pub use crate::config::SiteConfig;
    pub use crate::extract::body;
    pub use crate::extract::permalink;
    pub use crate::extract::render::liquid::SiteContext;
    pub use crate::extract::render::markdown::markdown_to_html;
    pub use crate::extract::{read_meta, render_entry, Context};
    pub use crate::source::{PostFile, SiteKind};
    pub use crate::yaml::parse_mapping;
}
