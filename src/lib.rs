//! # feedwright
//!
//! Publishes RSS 2.0, Atom 1.0, JSON Feed 1.1 and `sitemap.xml` from a folder of blog posts,
//! compatible with Jekyll + jekyll-feed + jekyll-sitemap, and validates feeds
//! and sitemaps.
//!
//! The library works without files: hand it your own entries and get the
//! documents back as strings (or into any [`std::io::Write`]).
//!
//! ```
//! use feedwright::model::{AbsUrl, Entry, Feed, FeedMeta, Person};
//! use chrono::DateTime;
//!
//! let when = DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
//! let post = Entry {
//!     id: "https://example.com/2024/03/16/hello".into(),
//!     url: AbsUrl::parse("https://example.com/2024/03/16/hello/").unwrap(),
//!     title: "Hello & welcome".into(),
//!     published: when,
//!     updated: when,
//!     summary: Some("A first post.".into()),
//!     content_html: Some("<p>A first post.</p>".into()),
//!     categories: vec!["News".into()],
//!     tags: vec![],
//!     author: Some(Person::named("Kim")),
//!     image: None,
//!     language: None,
//! };
//! let feed = Feed {
//!     meta: FeedMeta {
//!         title: "My site".into(),
//!         description: Some("News".into()),
//!         home_url: AbsUrl::parse("https://example.com/").unwrap(),
//!         feed_url: AbsUrl::parse("https://example.com/feed.xml").unwrap(),
//!         language: Some("en".into()),
//!         author: None,
//!         empty_updated: when,
//!         excerpt_only: false,
//!         hubs: vec![],
//!         icon: None,
//!         favicon: None,
//!     },
//!     entries: vec![post],
//! };
//! let atom = feedwright::feed::atom::to_string(&feed);
//! assert!(atom.contains("<title>Hello &amp; welcome</title>"));
//! let rss = feedwright::feed::rss::to_string(&feed);
//! assert!(rss.contains("<pubDate>Sat, 16 Mar 2024 10:00:00 +0900</pubDate>"));
//! let sitemap = feedwright::sitemap::to_string(&[feedwright::sitemap::SitemapUrl::new(
//!     feed.entries[0].url.clone(),
//!     Some(when),
//! )]);
//! assert!(sitemap.contains("<lastmod>2024-03-16T10:00:00+09:00</lastmod>"));
//! ```
//!
//! To build a whole Jekyll site or folder of posts, see [`build::build`].

#![warn(missing_docs)]

pub mod build;
pub mod cache;
pub mod config;
pub mod error;
pub mod extract;
pub mod feed;
mod lang;
pub mod model;
pub mod output;
pub mod sitemap;
pub mod source;
pub mod text;
pub mod validate;
#[cfg(feature = "websub")]
pub mod websub;
pub mod yaml;

pub use build::{build, check, plan, BuildReport};
pub use config::BuildOptions;
pub use error::Error;
