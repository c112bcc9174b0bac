//! Stage 1, survey: everything a build is decided by, resolved once — the
//! configuration and the one file its messages name, the destination, the
//! site kind, "now", and the files found. Reads no post.

use crate::cache::{self, Cache};
use crate::config::{BuildOptions, SiteConfig};
use crate::error::Error;
use crate::source::{self, SiteKind, StatFiles};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// An output as it was left on disk by the last build: the destination as
/// found, which assemble (`Reuse`), validate and publish compare against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    /// The output's path relative to the destination.
    pub path: String,
    /// Its size.
    pub size: u64,
    /// Its modification time.
    pub modified: Option<SystemTime>,
}

impl Stamp {
    /// The stamp of the file at `dest/path` now, if it exists.
    pub(super) fn of(dest: &Path, path: &str) -> Option<Stamp> {
        let m = std::fs::metadata(dest.join(path)).ok()?;
        Some(Stamp {
            path: path.to_string(),
            size: m.len(),
            modified: m.modified().ok(),
        })
    }
}

/// The site as found: configuration and post files, and the fingerprints
/// that decide what the cache may answer.
pub(super) struct Site {
    /// The source folder.
    pub source: PathBuf,
    pub config: SiteConfig,
    /// The configuration file messages about the configuration name (the
    /// last `--config` file, else the default one).
    pub config_file: PathBuf,
    pub dest: PathBuf,
    pub kind: SiteKind,
    /// The build date: every date decision is made against it.
    pub now: DateTime<FixedOffset>,
    pub found: source::Discovery,
    /// Pages, static files and collection documents (a Jekyll site only).
    pub site_files: Vec<source::SiteFile>,
    /// The documents of each collection with a feed (`feed.collections`), in
    /// `config.collection_feeds` order.
    pub feed_docs: Vec<Vec<source::SiteFile>>,
    /// What shapes a record: the configuration, source and destination
    /// (the cache's key).
    pub key_of_config: u64,
    /// `key_of_config` plus the pages, collection documents, `_includes/`
    /// and `_data/`.
    pub key: u64,
    /// `key` plus every post file's name, size and modification time; known
    /// here only when discovery statted the files (see [`survey`]).
    pub inputs: Option<u64>,
    pub cache: Option<Cache>,
    /// The merged configuration with every key (Liquid's `site`).
    pub raw_config: crate::yaml::Mapping,
}

pub(super) fn survey(opts: &BuildOptions) -> Result<Site, Error> {
    let config = SiteConfig::load(opts)?;
    let config_file = crate::config::config_path(opts);
    let dest = opts
        .dest
        .clone()
        .unwrap_or_else(|| opts.source.join("_site"));
    let kind = source::site_kind(&opts.source);
    // SiteConfig holds no hash maps, so its Debug text is deterministic.
    let key = cache::hash_of((
        format!("{config:?}"),
        &opts.source,
        &dest,
        kind == SiteKind::Jekyll,
    ));
    let key_of_config = key;
    let cache = opts.cache.then(|| Cache::new(&opts.source, key));
    // Sizes and times are what a cache is checked against. With no cache,
    // every post is opened anyway, and the open file gives them for less
    // than a second look-up of its name (listing 10,000 posts went from 15
    // to 7 ms; a build with the cache off does not ask at all).
    let stat = if cache.as_ref().is_some_and(Cache::exists) {
        StatFiles::Now
    } else {
        StatFiles::WhenOpened
    };
    let found = source::discover_unsorted(&opts.source, &dest, kind, &config.exclude, stat)?;
    let site_files = match kind {
        SiteKind::Jekyll => {
            let collections: Vec<(String, String)> = config
                .collections
                .iter()
                .filter(|c| c.output)
                .map(|c| (c.label.clone(), collection_dir(&config, &c.label)))
                .collect();
            source::discover_site_files(
                &opts.source,
                &dest,
                &config.exclude,
                &config.include,
                &collections,
            )
        }
        SiteKind::Plain => Vec::new(),
    };
    let feed_docs: Vec<Vec<source::SiteFile>> = match kind {
        SiteKind::Jekyll => config
            .collection_feeds
            .iter()
            .map(
                |f| match config.collections.iter().find(|c| c.label == f.label) {
                    Some(c) => source::discover_collection(
                        &opts.source,
                        &config.exclude,
                        &config.include,
                        &c.label,
                        &collection_dir(&config, &c.label),
                    ),
                    // Not a collection: jekyll-feed's `site[label]` is nil, an empty feed.
                    None => Vec::new(),
                },
            )
            .collect(),
        SiteKind::Plain => Vec::new(),
    };
    // The sitemap and the collection feeds list them: a change to one must
    // not let a manifest vouch for old outputs.
    let raw_config = crate::config::raw_config(opts);
    let key = cache::hash_of((
        key,
        site_files
            .iter()
            .chain(feed_docs.iter().flatten())
            .map(|f| (&f.relative, f.size, f.modified))
            .collect::<Vec<_>>(),
        // Post bodies' Liquid reads `_includes/` and `_data/`.
        match kind {
            SiteKind::Jekyll => crate::extract::render::liquid::inputs(&opts.source, &raw_config),
            SiteKind::Plain => Vec::new(),
        },
    ));
    let inputs = (stat == StatFiles::Now).then(|| {
        fingerprint(key, &found, &opts.source, |i| {
            let f = &found.files[i];
            (f.size, f.modified)
        })
    });
    Ok(Site {
        source: opts.source.clone(),
        config,
        config_file,
        dest,
        kind,
        now: opts.now,
        found,
        site_files,
        feed_docs,
        key_of_config,
        key,
        inputs,
        cache,
        raw_config,
    })
}

/// A collection's folder, relative to the source.
fn collection_dir(config: &SiteConfig, label: &str) -> String {
    match config.collections_dir.as_str() {
        "" => format!("_{label}"),
        d => format!("{d}/_{label}"),
    }
}

/// `key` plus every post file's name, size and modification time (`times`
/// of its index), the discovery notices, and whether robots.txt exists.
pub(super) fn fingerprint(
    key: u64,
    found: &source::Discovery,
    source: &Path,
    times: impl Fn(usize) -> (u64, Option<std::time::SystemTime>) + Sync,
) -> u64 {
    let mut h = cache::hasher();
    key.hash(&mut h);
    for d in &found.dirs {
        (&d.relative, &d.categories).hash(&mut h);
    }
    // Each file hashed on the pool and the hashes summed, which does not
    // depend on the order the folders listed the files in: so an unchanged
    // re-run never sorts them. (Hashing 100,000 names on one thread was a
    // tenth of such a re-run.)
    let files: u64 = found
        .files
        .par_iter()
        .enumerate()
        .map(|(i, f)| cache::hash_of((f.dir, &f.name, times(i))))
        .reduce(|| 0, u64::wrapping_add);
    (found.files.len(), files).hash(&mut h);
    for n in &found.notices {
        n.message.hash(&mut h);
        n.at.hash(&mut h);
    }
    source.join("robots.txt").exists().hash(&mut h);
    // A user's stylesheet is linked from the outputs while it exists.
    for name in [crate::style::USER_FEED_XSL, crate::style::SITEMAP_XSL_PATH] {
        source.join(name).is_file().hash(&mut h);
    }
    h.finish()
}
