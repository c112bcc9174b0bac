//! The site builder: a Jekyll site, or a plain folder of Markdown/HTML posts
//! with YAML front matter, into feeds, sitemaps and `robots.txt` (needs the
//! `site` feature, on by default).
//!
//! ```no_run
//! use feedwright::site::{build, BuildOptions};
//!
//! let now = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
//! let mut opts = BuildOptions::new("my-blog", now);
//! opts.dest = Some("public".into());
//! let report = build(&opts)?;
//! for notice in &report.notices {
//!     eprintln!("{notice}");
//! }
//! # Ok::<(), feedwright::site::Error>(())
//! ```
//!
//! - [`build`] reads the posts (through the build cache in
//!   `SOURCE/.feedwright-cache/`), writes every output that changed, and
//!   says what it did in a [`BuildReport`]. The destination is locked for
//!   the whole build, so two runs (two cron jobs) never interleave.
//! - [`check`] builds in memory and lists the published files that differ.
//! - [`plan`] builds in memory and hands back every file's bytes.
//! - [`feeds`] lists the feed files a build writes (for `<link>` tags),
//!   reading no post when the configuration decides them.
//!
//! A post with a problem costs that post, never the site: it comes back as a
//! [`Notice`] with [`Severity::Error`](crate::Severity::Error) and the other
//! posts are published. [`Error`] is for what stops a whole build (no site
//! URL, a bad configuration value, an unwritable destination).
//!
//! "Now" is always [`BuildOptions::now`]: the library never reads the clock.

pub use crate::build::{
    build, build_with, check, feeds, plan, BuildReport, CheckReport, NoProgress, Plan, Planned,
    PlannedFeed, Progress, SkipReason, Skipped, Stats,
};
pub use crate::config::BuildOptions;
pub use crate::error::{Error, Location, Notice, PostError};
pub use crate::feed::gather::Scope;
pub use crate::output::WriteOutcome;

use crate::model::AbsUrl;

/// The WebSub hubs a site's configuration names (`feedwright.hub`), in order.
pub fn hubs(opts: &BuildOptions) -> Result<Vec<AbsUrl>, Error> {
    Ok(crate::config::SiteConfig::load(opts)?.hubs)
}

/// WebSub publishing: telling the hubs that feeds changed (needs the
/// `websub` feature, which brings an HTTP client).
#[cfg(feature = "websub")]
pub mod websub {
    pub use crate::websub::{notify, ping_changed, record_path, FeedFile, Ping};
}
