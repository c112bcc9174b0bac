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

use crate::build::Stats;
use crate::error::{Error, Notice, PostError};
use crate::extract::PostMeta;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The cache folder's name inside the source folder.
pub const DIR: &str = ".feedwright-cache";
const FORMAT: &str = concat!("feedwright-cache 1 ", env!("CARGO_PKG_VERSION"));
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

/// An output as it was left on disk by the last build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The output's path relative to the destination.
    pub path: String,
    /// Its size.
    pub size: u64,
    /// Its modification time.
    pub modified: Option<SystemTime>,
}

impl Stamp {
    /// The stamp of the file at `dest/path` now, if it exists.
    pub fn of(dest: &Path, path: &str) -> Option<Stamp> {
        let m = std::fs::metadata(dest.join(path)).ok()?;
        Some(Stamp {
            path: path.to_string(),
            size: m.len(),
            modified: m.modified().ok(),
        })
    }
}

/// What the last build saw and left.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Fingerprint of the inputs (see [`crate::build`]).
    pub inputs: u64,
    /// The outputs stay right until this instant (the next future post's
    /// date); `None` when no date can change them.
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Each output as written.
    pub outputs: Vec<Stamp>,
    /// The build's counts.
    pub stats: Stats,
    /// The build's notices, repeated on a re-run that has nothing to do.
    pub notices: Vec<Notice>,
}

impl Manifest {
    /// True when the outputs on disk are what a build with these inputs at
    /// `now` would write.
    pub fn still_holds(&self, inputs: u64, now: DateTime<FixedOffset>, dest: &Path) -> bool {
        self.inputs == inputs
            && self.valid_until.is_none_or(|t| now < t)
            && self
                .outputs
                .iter()
                .all(|s| Stamp::of(dest, &s.path).as_ref() == Some(s))
    }
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

    /// The last build's manifest, if it is there and ours.
    pub fn manifest(&self) -> Option<Manifest> {
        self.read(MANIFEST)
    }

    /// The cached post records by relative path (empty when there are none).
    pub fn posts(&self) -> HashMap<String, PostRecord> {
        self.read::<Vec<PostRecord>>(POSTS)
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.relative_path.clone(), r))
            .collect()
    }

    /// Saves the records, then the manifest. The manifest goes last and is
    /// removed first, so a build killed in between leaves no manifest that
    /// vouches for outputs it did not finish.
    pub fn save(&self, posts: &[PostRecord], manifest: &Manifest) -> Result<(), Error> {
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
