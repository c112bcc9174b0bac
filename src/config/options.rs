//! [`BuildOptions`], in a file of its own: `files` reads the configuration
//! files they name, and `config` loads the configuration from both.

use chrono::{DateTime, FixedOffset};
use std::path::PathBuf;

/// Everything a build needs to know, gathered once by the caller (the CLI
/// parses its flags into this; the library never sees the command line).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BuildOptions {
    /// The site folder: a Jekyll site, or a plain folder of posts.
    pub source: PathBuf,
    /// Where outputs go; `SOURCE/_site` when `None`.
    pub dest: Option<PathBuf>,
    /// The configuration files, merged in order as Jekyll merges several
    /// (later wins); when empty, the first of `_config.yml`, `_config.yaml`
    /// and `_config.toml` in the source that exists.
    pub config_files: Vec<PathBuf>,
    /// Overrides the configuration's `url`.
    pub url: Option<String>,
    /// "Now": decides which posts are in the future and dates posts that have
    /// none. The library never reads the clock; the caller passes this in.
    pub now: DateTime<FixedOffset>,
    /// Use the build cache in `SOURCE/.feedwright-cache/` (read and write).
    pub cache: bool,
    /// How long to wait for another build that holds the destination's lock.
    pub lock_wait: std::time::Duration,
}

impl BuildOptions {
    /// Options for building `source` into its default destination at `now`:
    /// cache on, waiting up to a minute for another build.
    pub fn new(source: impl Into<PathBuf>, now: DateTime<FixedOffset>) -> Self {
        BuildOptions {
            source: source.into(),
            dest: None,
            config_files: Vec::new(),
            url: None,
            now,
            cache: true,
            lock_wait: std::time::Duration::from_secs(60),
        }
    }
}
