//! # feedwright
//!
//! Publishes RSS 2.0, Atom 1.0, JSON Feed 1.1 and `sitemap.xml` from a folder of blog posts,
//! compatible with Jekyll + jekyll-feed + jekyll-sitemap, and validates feeds
//! and sitemaps.
//!
//! To build a whole Jekyll site or folder of posts, see [`site`].

#![warn(missing_docs)]

pub mod feed;
pub mod model;
pub mod sitemap;
pub mod validate;

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
    pub use crate::config::SiteConfig;
    pub use crate::extract::body;
    pub use crate::extract::permalink;
    pub use crate::extract::{read_meta, render_entry, Context};
    pub use crate::source::{PostFile, SiteKind};
    pub use crate::yaml::parse_mapping;
}
