//! Stage 2, read: every read of a post or document file happens here — the
//! front matter of each post (or its record from the cache), the collection
//! documents with a feed, and the bodies of the posts that go into a feed.

use super::survey::{fingerprint, Site};
use crate::cache::{Outcome, PostRecord};
use crate::error::{Location, Notice, PostError, Severity};
use crate::extract::{self, Context, PostMeta};
use crate::source;
use chrono::DateTime;
use rayon::prelude::*;
use std::path::Path;

/// Follows a build's reading of posts (the CLI draws a progress bar).
/// Called from several threads at once.
pub trait Progress: Sync {
    /// Reading starts; `total` posts to go.
    fn start(&self, total: usize);
    /// One more post done.
    fn advance(&self);
    /// Another build holds the destination's lock; this one waits up to
    /// `wait` for it. Called at most once per build, before reading starts.
    fn waiting_for_lock(&self, _dest: &Path, _wait: std::time::Duration) {}
}

/// No progress reporting.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize) {}
    fn advance(&self) {}
}

/// What reading the posts gave.
pub(super) struct Records {
    /// One record per post file, in walk order (so the cache's order too).
    pub records: Vec<PostRecord>,
    /// How many the cache answered without reading the file.
    pub from_cache: usize,
    /// The fingerprint of the inputs the records were read from (with a cache).
    pub inputs: Option<u64>,
}

/// Each post's record: the cache's when the file is unchanged and the record
/// holds at this build date, else read from the file's front matter.
pub(super) fn posts(site: &Site, cx: &Context<'_>, progress: &dyn Progress) -> Records {
    let found = &site.found;
    let mut cached: Vec<Option<PostRecord>> = site
        .cache
        .as_ref()
        .map(crate::cache::Cache::posts)
        .unwrap_or_default()
        .into_iter()
        .map(Some)
        .collect();
    let index: std::collections::HashMap<&str, usize> = cached
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.as_ref()?.relative_path.as_str(), i)))
        .collect();
    progress.start(found.len());
    // Each file's record when it had to be read, else the index of the
    // cached record that answers it (moved out below, not copied).
    let answers: Vec<Result<PostRecord, usize>> = found
        .files
        .par_iter()
        .map_init(
            || source::Opener::new(found),
            |opener, f| {
                let mut file = found.post_file(f);
                let hit = index
                    .get(file.relative_path.as_str())
                    .copied()
                    .filter(|&i| {
                        let r = cached[i]
                            .as_ref()
                            .expect("each cached record is taken once");
                        file.modified.is_some()
                            && r.size == file.size
                            && r.modified == file.modified
                            && record_holds_at(&r.outcome, site.now)
                    });
                let answer = match hit {
                    Some(i) => Err(i),
                    None => Ok(read_record(
                        &mut file,
                        opener.open(f),
                        site.cache.is_some(),
                        cx,
                    )),
                };
                progress.advance();
                answer
            },
        )
        .collect();
    drop(index);
    let mut from_cache = 0;
    let records: Vec<PostRecord> = answers
        .into_iter()
        .map(|a| {
            a.unwrap_or_else(|i| {
                from_cache += 1;
                cached[i].take().expect("a path is found once")
            })
        })
        .collect();
    // The records no file matched any more are freed off this thread.
    rayon::spawn(move || drop(cached));
    // Only a manifest needs the fingerprint.
    let inputs = site.cache.as_ref().map(|_| {
        site.inputs.unwrap_or_else(|| {
            fingerprint(site.key, found, &site.source, |i| {
                (records[i].size, records[i].modified)
            })
        })
    });
    Records {
        from_cache,
        records,
        inputs,
    }
}

fn record_holds_at(outcome: &Outcome, now: chrono::DateTime<chrono::FixedOffset>) -> bool {
    match outcome {
        Ok(Some(meta)) => meta.holds_at(now),
        _ => true,
    }
}

/// Reads a post up to the end of its front matter: the records the sitemap
/// and feed selection need come from there, and the body is read again only
/// for the posts that go into a feed. A file without front matter is read whole.
fn read_head(mut file: std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // Front matter is usually a few hundred bytes, so one `read` of a small
    // buffer usually holds it (reading to the end of the file would take a
    // second call). The buffer then doubles, keeping re-scans linear.
    let mut buf = vec![0u8; 2048];
    let mut filled = 0;
    loop {
        let n = match file.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        filled += n;
        if let Some(end) = extract::front_matter_end(&buf[..filled]) {
            buf.truncate(end);
            return Ok(buf);
        }
        if n == 0 {
            buf.truncate(filled);
            return Ok(buf);
        }
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
    }
}

/// Reads the record of `file`, opened as `opened`. A file that discovery
/// did not stat gets its size and modification time from the open file when
/// the cache will keep them (`for_cache`), or when a post without a date in
/// its name may need its time for one.
fn read_record(
    file: &mut source::PostFile,
    opened: std::io::Result<std::fs::File>,
    for_cache: bool,
    cx: &Context<'_>,
) -> PostRecord {
    let mut notices = Vec::new();
    let dated = || {
        file.path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(source::split_dated_name)
            .is_some()
    };
    let stat = file.modified.is_none() && (for_cache || !dated());
    let head = opened.and_then(|f| {
        if stat {
            let m = f.metadata()?;
            file.size = m.len();
            file.modified = m.modified().ok();
        }
        read_head(f)
    });
    let mtime = file
        .modified
        .map(|t| DateTime::<chrono::Utc>::from(t).fixed_offset());
    let outcome = match head {
        Ok(bytes) => extract::read_meta(file, &bytes, mtime, cx, &mut notices),
        Err(e) => Err(PostError {
            at: Location::new(&file.path, None),
            message: format!("could not read the file ({e}); check its permissions"),
        }),
    };
    PostRecord {
        relative_path: file.relative_path.clone(),
        size: file.size,
        modified: file.modified,
        outcome,
        notices,
    }
}

/// The documents of each collection with a feed (`feed.collections`), in
/// `config.collection_feeds` order: every one that reads as a document
/// (which of them are published is `select`'s to say).
pub(super) fn feed_docs(
    site: &Site,
    cx: &Context<'_>,
    notices: &mut Vec<Notice>,
) -> Vec<Vec<PostMeta>> {
    let config = &site.config;
    config
        .collection_feeds
        .iter()
        .zip(&site.feed_docs)
        .map(|(feed, files)| {
            let Some(collection) = config.collections.iter().find(|c| c.label == feed.label)
            else {
                notices.push(Notice {
                    severity: Severity::Warning,
                    at: Location::new(&site.config_file, None),
                    message: format!(
                        "`feed.collections` names `{}`, which is not in `collections`; its feed is empty, as jekyll-feed's. Add it to `collections` or remove it",
                        feed.label
                    ),
                });
                return Vec::new();
            };
            let cx = Context {
                collection: Some(collection),
                ..*cx
            };
            let mut docs = Vec::new();
            for f in files {
                let file = source::PostFile {
                    path: f.path.clone(),
                    relative_path: f.relative.clone(),
                    path_categories: Vec::new(),
                    size: f.size,
                    modified: f.modified,
                };
                let mtime = f
                    .modified
                    .map(|t| DateTime::<chrono::Utc>::from(t).fixed_offset());
                let outcome = std::fs::read(&f.path)
                    .map_err(|e| PostError {
                        at: Location::new(&f.path, None),
                        message: format!("could not read the file ({e}); check its permissions"),
                    })
                    .and_then(|bytes| extract::read_meta(&file, &bytes, mtime, &cx, notices));
                match outcome {
                    Ok(Some(meta)) => docs.push(meta),
                    Ok(None) => {}
                    Err(e) => notices.push(Notice {
                        severity: Severity::Error,
                        at: e.at,
                        message: format!("left out of the feed of collection `{}`: {}", feed.label, e.message),
                    }),
                }
            }
            docs
        })
        .collect()
}

/// The whole file of a post that goes into a feed, read again for its body.
pub(super) fn whole(path: &Path) -> Result<Vec<u8>, PostError> {
    std::fs::read(path).map_err(|e| PostError {
        at: Location::new(path, None),
        message: format!("could not read the file again ({e})"),
    })
}
