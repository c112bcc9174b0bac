//! The incremental-build cache in `SOURCE/.feedwright-cache/` (like Jekyll's
//! `.jekyll-cache`).
//!
//! Two files, each written atomically:
//! - `posts.bin`: every post's extracted record (or its error), keyed by
//!   relative path, size and modification time. A post whose key matches is
//!   not read again.
//! - `manifest.bin`: a fingerprint of all inputs of the last build, until when
//!   it stays valid (the next future post's date), and the size and
//!   modification time of each output as written. When all of them still
//!   hold, the outputs on disk are exactly what a build would produce, so a
//!   re-run reads no post and writes nothing.
//!
//! Both carry a key made of the cache format, feedwright's version and
//! everything in the configuration that shapes a record. A missing, corrupt
//! or foreign file is ignored and rebuilt, never trusted: the worst a bad
//! cache can cost is a full build.

use crate::error::{Error, Notice, PostError};
use crate::extract::PostMeta;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The cache folder's name inside the source folder.
pub const DIR: &str = ".feedwright-cache";
/// Bump the number whenever what a record holds changes (a new field, or a
/// field that means something else), or a cache written by another build of
/// the same version is trusted into wrong output. The test
/// `a_change_to_what_records_hold_needs_a_new_cache_format` notices such
/// changes. (2: `images` no longer repeats `image`; 7: `date_capped`; 8:
/// `summary` is `description` before `excerpt`, as jekyll-feed takes them.)
const FORMAT: &str = concat!("feedwright-cache 9 ", env!("CARGO_PKG_VERSION"));
const POSTS: &str = "posts.bin";
const MANIFEST: &str = "manifest.bin";

/// What reading one post gave: its record, nothing (not a post), or an error.
pub type Outcome = Result<Option<PostMeta>, PostError>;

/// One post's cached result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PostRecord {
    /// The post's path relative to the source.
    pub relative_path: String,
    /// Its size when read.
    pub size: u64,
    /// Its modification time when read.
    pub modified: Option<SystemTime>,
    /// What reading it gave.
    pub outcome: Outcome,
    /// Warnings from reading it.
    pub notices: Vec<Notice>,
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    format: String,
    key: u64,
    body: T,
}

/// A build's view of the cache folder.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: u64,
}

impl Cache {
    /// The cache of `source`, for builds whose record-shaping settings hash
    /// to `key`.
    pub fn new(source: &Path, key: u64) -> Self {
        Cache {
            dir: source.join(DIR),
            key,
        }
    }

    fn read<T: for<'de> Deserialize<'de>>(&self, name: &str) -> Option<T> {
        let bytes = std::fs::read(self.dir.join(name)).ok()?;
        let env: Envelope<T> = postcard::from_bytes(&bytes).ok()?;
        (env.format == FORMAT && env.key == self.key).then_some(env.body)
    }

    fn write<T: Serialize>(&self, name: &str, body: T) -> Result<(), Error> {
        let env = Envelope {
            format: FORMAT.to_string(),
            key: self.key,
            body,
        };
        let bytes = postcard::to_stdvec(&env).map_err(|e| Error::Io {
            path: self.dir.join(name),
            action: "encode the build cache",
            source: std::io::Error::other(e),
        })?;
        crate::output::write_if_changed(&self.dir.join(name), &bytes).map(|_| ())
    }

    /// True when a manifest or post records are there to check, whoever
    /// wrote them (reading them to find out is left to their users).
    pub fn exists(&self) -> bool {
        self.dir.join(MANIFEST).exists() || self.dir.join(POSTS).exists()
    }

    /// The last build's manifest, if it is there and ours.
    pub fn manifest<M: for<'de> Deserialize<'de>>(&self) -> Option<M> {
        self.read(MANIFEST)
    }

    /// The last build's manifest whatever configuration made it (this
    /// format only): what it wrote, for removing outputs a configuration
    /// change left behind.
    pub fn manifest_of_any_configuration<M: for<'de> Deserialize<'de>>(&self) -> Option<M> {
        let bytes = std::fs::read(self.dir.join(MANIFEST)).ok()?;
        let env: Envelope<M> = postcard::from_bytes(&bytes).ok()?;
        (env.format == FORMAT).then_some(env.body)
    }

    /// The cached post records, in the order saved (empty when there are none).
    pub fn posts(&self) -> Vec<PostRecord> {
        self.read::<Vec<PostRecord>>(POSTS).unwrap_or_default()
    }

    /// Saves the records, then the manifest. The manifest goes last and is
    /// removed first, so a build killed in between leaves no manifest that
    /// vouches for outputs it did not finish.
    pub fn save<M: Serialize>(&self, posts: &[PostRecord], manifest: &M) -> Result<(), Error> {
        self.forget_manifest();
        self.write(POSTS, posts)?;
        self.write(MANIFEST, manifest)
    }

    /// Removes the manifest (before outputs are replaced), and any
    /// temporary file a build killed while saving the cache left behind.
    pub fn forget_manifest(&self) {
        let _ = std::fs::remove_file(self.dir.join(MANIFEST));
        crate::output::remove_stale_temporaries(&self.dir);
    }
}

/// A fingerprint hasher. The standard library's `DefaultHasher::new()` has
/// fixed keys, so it is deterministic for one build of feedwright; another
/// build may hash differently, which only costs one full rebuild.
pub fn hasher() -> impl Hasher {
    std::hash::DefaultHasher::new()
}

/// Hashes one value with [`hasher`].
pub fn hash_of(value: impl Hash) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::FORMAT;
    use crate::config::{BuildOptions, SiteConfig};
    use crate::extract::{read_meta, Context};
    use crate::source::{PostFile, SiteKind};

    /// Regression: a development build changed what `images` holds without a
    /// new cache format, and a later build trusted the old records; the
    /// sitemap then flipped between two versions from build to build. The
    /// records of the fixture posts are pinned here: when they change, bump
    /// the number in `FORMAT` and update the pin.
    #[test]
    fn a_change_to_what_records_hold_needs_a_new_cache_format() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let now = chrono::DateTime::parse_from_rfc3339("2024-04-01T00:00:00+09:00").unwrap();
        let mut opts = BuildOptions::new(root.join("fixtures/jekyll-site"), now);
        opts.cache = false;
        let config = SiteConfig::load(&opts).unwrap();
        let cx = Context {
            config: &config,
            kind: SiteKind::Jekyll,
            now,
            git: None,
            collection: None,
        };
        let mut names: Vec<_> = std::fs::read_dir(root.join("fixtures/jekyll-site/_posts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".md") || n.ends_with(".html"))
            .collect();
        names.sort();
        let mut crc = flate2::Crc::new();
        for name in &names {
            let relative_path = format!("_posts/{name}");
            let file = PostFile {
                // A fixed path: records hold it, and the checkout's place must not matter.
                path: std::path::PathBuf::from("/site").join(&relative_path),
                relative_path,
                path_categories: Vec::new(),
                size: 0,
                modified: None,
            };
            let bytes =
                std::fs::read(root.join("fixtures/jekyll-site").join(&file.relative_path)).unwrap();
            let mut notices = Vec::new();
            let outcome = read_meta(&file, &bytes, None, &cx, &mut notices);
            crc.update(&postcard::to_stdvec(&(outcome, notices)).unwrap());
        }
        assert_eq!(
            (FORMAT.split(' ').nth(1), names.len(), crc.sum()),
            (Some("9"), 13, PINNED),
            "what a post record holds changed: bump the number in cache::FORMAT, then set PINNED to the new sum"
        );
    }

    const PINNED: u32 = 1679158892;
}
