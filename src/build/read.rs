//! Stage 2, read: every read of a post or document file happens here — the
//! front matter of each post (or its record from the cache), the collection
//! documents with a feed, and the bodies of the posts that go into a feed.

use super::survey::{fingerprint, Site};
use crate::cache::{Facts, PostRecord, RecordFile, Row, Saved};
use crate::error::{Location, Notice, PostError, Severity};
use crate::extract::{self, Context, PostMeta};
use crate::source;
use chrono::DateTime;
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

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

/// What reading the posts gave: a row per post file (walk order, so the
/// discovery's order too), and, for the files read this build, their record
/// and sitemap fragment; the others' are in the last build's record file,
/// decoded only when an output needs them.
pub(super) struct Records<'a> {
    /// The last build's rows, as its index listed them.
    old: Vec<Row>,
    /// One per post file, in walk order: its row among `old`, or what was
    /// read this build (boxed: a record is large, and most rows of a cron
    /// run have none).
    slots: Vec<Slot>,
    /// The record file the other rows' frames are in.
    pub last: Option<RecordFile>,
    /// How many rows the cache answered without reading the file.
    pub from_cache: usize,
    /// The fingerprint of the inputs the records were read from (with a cache).
    pub inputs: Option<u64>,
    site: &'a Site,
    cx: Context<'a>,
}

/// Where a post file's row is.
enum Slot {
    Old(usize),
    Fresh(Box<Fresh>),
}

/// A post read this build: its row, and its record and sitemap `<url>`
/// element already encoded as the record file's frame (at 100,000 posts the
/// decoded records took twice the memory), with the few values kept exact
/// that the index may not hold (a date past 2262).
pub(super) struct Fresh {
    row: Row,
    dates: DatePolicy,
    updated: DateTime<chrono::FixedOffset>,
    size: u64,
    modified: Option<std::time::SystemTime>,
    frame: Vec<u8>,
}

impl Fresh {
    fn record(&self) -> PostRecord {
        crate::cache::decode_record(&self.frame, &self.row.frame)
            .expect("a frame encoded in this build decodes")
    }

    fn fragment(&self) -> &[u8] {
        &self.frame[self.row.frame.record as usize..]
    }
}

impl Records<'_> {
    /// How many post files there are.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &Row {
        match &self.slots[i] {
            Slot::Old(j) => &self.old[*j],
            Slot::Fresh(f) => &f.row,
        }
    }

    fn fresh(&self, i: usize) -> Option<&Fresh> {
        match &self.slots[i] {
            Slot::Fresh(f) => Some(f),
            Slot::Old(_) => None,
        }
    }

    /// Row `i`'s record: read this build, else decoded from the record
    /// file, else (a frame that does not check out) read from the file again.
    pub fn record(&self, i: usize) -> Cow<'_, PostRecord> {
        if let Some(f) = self.fresh(i) {
            return Cow::Owned(f.record());
        }
        let frame = &self.row(i).frame;
        match self.last.as_ref().and_then(|l| l.record(frame)) {
            Some(r) => Cow::Owned(r),
            None => Cow::Owned(self.reread(i).record()),
        }
    }

    /// Row `i`'s sitemap fragment, as [`Records::record`] finds it.
    pub fn fragment(&self, i: usize) -> Cow<'_, [u8]> {
        if let Some(f) = self.fresh(i) {
            return Cow::Borrowed(f.fragment());
        }
        let frame = &self.row(i).frame;
        match self.last.as_ref().and_then(|l| l.fragment(frame)) {
            Some(b) => Cow::Owned(b),
            None => Cow::Owned(self.reread(i).fragment().to_vec()),
        }
    }

    fn reread(&self, i: usize) -> Fresh {
        let found = &self.site.found;
        let mut file = found.post_file(&found.files[i]);
        let opened = std::fs::File::open(&file.path);
        fresh(&mut file, opened, self.site.cache.is_some(), &self.cx)
    }

    /// Row `i`'s file as (folder, name) relative to the source.
    pub fn path_parts(&self, i: usize) -> (&str, &str) {
        let found = &self.site.found;
        let f = &found.files[i];
        (found.dirs[f.dir as usize].relative.as_str(), &f.name)
    }

    /// Row `i`'s file.
    pub fn path(&self, i: usize) -> PathBuf {
        let found = &self.site.found;
        let f = &found.files[i];
        found.dirs[f.dir as usize].path.join(&*f.name)
    }

    /// Row `i`'s `last_modified_at`, else its date.
    pub fn updated(&self, i: usize) -> DateTime<chrono::FixedOffset> {
        if let Some(f) = self.fresh(i) {
            return f.updated;
        }
        self.row(i).facts.updated.map_or_else(
            || DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset(),
            crate::cache::When::get,
        )
    }

    /// Row `i`'s `last_modified_at`, else its date, as an instant.
    pub fn updated_instant(&self, i: usize) -> i128 {
        match self.fresh(i) {
            Some(f) => instant(f.updated),
            None => self
                .row(i)
                .facts
                .updated
                .map_or(0, |w| i128::from(w.nanos())),
        }
    }

    /// The length of row `i`'s sitemap fragment.
    pub fn fragment_len(&self, i: usize) -> usize {
        self.row(i).frame.fragment as usize
    }

    /// What the date policy needs of row `i`: from the record read this
    /// build, else from the index.
    pub fn dates(&self, i: usize) -> DatePolicy {
        if let Some(f) = self.fresh(i) {
            return f.dates;
        }
        let f = &self.row(i).facts;
        DatePolicy {
            published: f.published,
            draft: f.draft,
            clamped_to_now: f.clamped_to_now,
            date_capped: f.date_capped,
            date: f.date.map_or_else(
                || DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset(),
                crate::cache::When::get,
            ),
        }
    }

    /// Row `i`'s date as an instant (seconds and nanoseconds since 1970),
    /// for Jekyll's order without making dates.
    pub fn instant(&self, i: usize) -> (i64, u32) {
        match self.fresh(i) {
            Some(f) => (
                f.dates.date.timestamp(),
                f.dates.date.timestamp_subsec_nanos(),
            ),
            None => {
                let n = self.row(i).facts.date.map_or(0, crate::cache::When::nanos);
                (
                    n.div_euclid(1_000_000_000),
                    n.rem_euclid(1_000_000_000) as u32,
                )
            }
        }
    }

    /// The last build's rows, every row as one of them or a new one with
    /// its frame's bytes, and the last record file: what
    /// [`crate::cache::Cache::save`] takes.
    pub fn into_saved(self) -> (Vec<Row>, Vec<Saved>, Option<RecordFile>) {
        let rows = self
            .slots
            .into_par_iter()
            .map(|slot| match slot {
                Slot::Old(j) => Saved::Kept(j),
                Slot::Fresh(f) => Saved::New(Box::new((f.row, f.frame))),
            })
            .collect();
        (self.old, rows, self.last)
    }
}

/// What the one date policy needs of a post or document.
#[derive(Clone, Copy, Debug)]
pub(super) struct DatePolicy {
    pub published: bool,
    pub draft: bool,
    pub clamped_to_now: bool,
    pub date_capped: bool,
    pub date: DateTime<chrono::FixedOffset>,
}

impl DatePolicy {
    pub fn of(meta: &PostMeta) -> Self {
        DatePolicy {
            published: meta.published,
            draft: meta.draft,
            clamped_to_now: meta.clamped_to_now,
            date_capped: meta.date_capped,
            date: meta.date,
        }
    }
}

/// Each post's row: the index's when the file is unchanged and the record
/// holds at this build date, else read from the file's front matter.
pub(super) fn posts<'a>(site: &'a Site, cx: &Context<'a>, progress: &dyn Progress) -> Records<'a> {
    let found = &site.found;
    let (index, last) = match site.cache.as_ref().and_then(crate::cache::Cache::index) {
        Some((index, file)) => (index.rows, Some(file)),
        None => (Vec::new(), None),
    };
    let by_key: std::collections::HashMap<u64, usize> =
        index.iter().enumerate().map(|(i, r)| (r.file, i)).collect();
    progress.start(found.len());
    // Each file's record when it had to be read, else the index of the
    // cached row that answers it (moved out below, not copied).
    let slots: Vec<Slot> = found
        .files
        .par_iter()
        .map_init(
            || source::Opener::new(found),
            |opener, f| {
                let hit = f.modified.and_then(|_| {
                    let dir = found.dirs[f.dir as usize].relative.as_str();
                    let path: &[&str] = if dir.is_empty() {
                        &[&f.name]
                    } else {
                        &[dir, "/", &f.name]
                    };
                    let key = crate::cache::file_key(path, f.size, f.modified);
                    by_key
                        .get(&key)
                        .copied()
                        .filter(|&i| index[i].facts.holds_at(site.now))
                });
                let slot = match hit {
                    Some(i) => Slot::Old(i),
                    None => {
                        let mut file = found.post_file(f);
                        Slot::Fresh(Box::new(fresh(
                            &mut file,
                            opener.open(f),
                            site.cache.is_some(),
                            cx,
                        )))
                    }
                };
                progress.advance();
                slot
            },
        )
        .collect();
    drop(by_key);
    let from_cache = slots.iter().filter(|s| matches!(s, Slot::Old(_))).count();
    // Only a manifest needs the fingerprint.
    let inputs = site.cache.as_ref().map(|_| {
        site.inputs.unwrap_or_else(|| {
            fingerprint(site.key, found, &site.source, |i| match &slots[i] {
                Slot::Fresh(f) => (f.size, f.modified),
                Slot::Old(_) => (found.files[i].size, found.files[i].modified),
            })
        })
    });
    Records {
        old: index,
        slots,
        last,
        from_cache,
        inputs,
        site,
        cx: *cx,
    }
}

/// A post's record, read from its file, and its sitemap fragment, encoded.
fn fresh(
    file: &mut source::PostFile,
    opened: std::io::Result<std::fs::File>,
    for_cache: bool,
    cx: &Context<'_>,
) -> Fresh {
    let record = read_record(file, opened, for_cache, cx);
    let meta = record.outcome.as_ref().ok().and_then(Option::as_ref);
    let fragment = match meta {
        Some(meta) if meta.in_sitemap && cx.config.outputs.sitemap.is_some() => {
            crate::sitemap::url_fragment(&sitemap_url(meta, cx.config))
        }
        _ => Vec::new(),
    };
    let epoch = DateTime::<chrono::Utc>::UNIX_EPOCH.fixed_offset();
    let dates = meta.map_or(
        DatePolicy {
            published: false,
            draft: false,
            clamped_to_now: false,
            date_capped: false,
            date: epoch,
        },
        DatePolicy::of,
    );
    let updated = meta.map_or(epoch, PostMeta::updated);
    let facts = facts(&record, &fragment);
    let (frame_bytes, frame) = crate::cache::encode_frame(&record, &fragment);
    Fresh {
        row: Row {
            file: crate::cache::file_key(&[&record.relative_path], record.size, record.modified),
            frame,
            facts,
        },
        dates,
        updated,
        size: record.size,
        modified: record.modified,
        frame: frame_bytes,
    }
}

/// A date as an instant (nanoseconds since 1970).
pub(super) fn instant(d: DateTime<chrono::FixedOffset>) -> i128 {
    i128::from(d.timestamp()) * 1_000_000_000 + i128::from(d.timestamp_subsec_nanos())
}

/// A post's sitemap entry, without alternates (which depend on other posts).
pub(super) fn sitemap_url(
    meta: &PostMeta,
    config: &crate::config::SiteConfig,
) -> crate::sitemap::SitemapUrl {
    crate::sitemap::SitemapUrl {
        loc: meta.url.clone(),
        lastmod: Some(meta.updated()),
        changefreq: meta.changefreq.or(config.changefreq),
        priority: meta.priority.or(config.priority),
        images: meta.image.iter().chain(&meta.images).cloned().collect(),
        alternates: Vec::new(),
    }
}

/// What the index keeps of a fresh record.
fn facts(r: &PostRecord, fragment: &[u8]) -> Facts {
    let mut facts = Facts {
        error: r.outcome.is_err(),
        notices: !r.notices.is_empty(),
        fragment: crate::cache::hash_of(fragment),
        ..Facts::default()
    };
    if let Ok(Some(m)) = &r.outcome {
        facts.post = true;
        facts.date = crate::cache::When::new(m.date);
        facts.updated = crate::cache::When::new(m.updated());
        facts.published = m.published;
        facts.draft = m.draft;
        facts.clamped_to_now = m.clamped_to_now;
        facts.date_capped = m.date_capped;
        facts.in_sitemap = m.in_sitemap;
        facts.images = m.image.is_some() || !m.images.is_empty();
        facts.translated = m.translation_key.is_some() && m.lang.is_some();
        facts.url = crate::cache::url_hash(m.url.as_str());
    }
    facts
}

/// Reads a post up to the end of its front matter: the records the sitemap
/// and feed selection need come from there, and the body is read again only
/// for the posts that go into a feed. A file without front matter is read whole.
fn read_head(mut file: std::fs::File, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    // Front matter is usually a few hundred bytes, so one `read` of a small
    // buffer usually holds it (reading to the end of the file would take a
    // second call). The buffer then doubles, keeping re-scans linear; it is
    // each thread's own, kept from post to post.
    if buf.len() < 2048 {
        buf.resize(2048, 0);
    }
    let mut filled = 0;
    loop {
        let n = match file.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        filled += n;
        if let Some(end) = extract::front_matter_end(&buf[..filled]) {
            return Ok(end);
        }
        if n == 0 {
            return Ok(filled);
        }
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
    }
}

thread_local! {
    /// Each reading thread's buffer for [`read_head`].
    static HEAD: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
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
    let outcome = HEAD.with_borrow_mut(|buf| {
        let head = opened.and_then(|f| {
            if stat {
                let m = f.metadata()?;
                file.size = m.len();
                file.modified = m.modified().ok();
            }
            read_head(f, buf)
        });
        let mtime = file
            .modified
            .map(|t| DateTime::<chrono::Utc>::from(t).fixed_offset());
        let outcome = match head {
            Ok(len) => extract::read_meta(file, &buf[..len], mtime, cx, &mut notices),
            Err(e) => Err(PostError {
                at: Location::new(&file.path, None),
                message: format!("could not read the file ({e}); check its permissions"),
            }),
        };
        // A whole file without front matter may have grown it: not kept.
        if buf.len() > 1 << 16 {
            *buf = Vec::new();
        }
        outcome
    });
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
