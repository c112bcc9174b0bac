//! The incremental-build cache in `SOURCE/.feedwright-cache/` (like Jekyll's
//! `.jekyll-cache`).
//!
//! Three files:
//! - `records.bin`: every post's extracted record (or its error) and its
//!   sitemap `<url>` element, one frame per post, after an 8-byte id. New
//!   frames are appended in place; the file is written anew only when most
//!   of it is dead.
//! - `index.bin`: one small [`Row`] per post file: its name, a key of its
//!   size and modification time, where its frame is, and the [`Facts`] the
//!   date policy and the sitemap need. A build decodes the index, not the
//!   records: a record is decoded only when an output that changed needs it.
//! - `manifest.bin`: a fingerprint of all inputs of the last build, the
//!   build dates its outputs hold for, each output as written and the key
//!   of what it was made from. When all of them still hold, the outputs on
//!   disk are exactly what a build would produce, so a re-run reads no post
//!   and writes nothing; when some do, only the outputs whose keys changed
//!   are made again.
//!
//! Index and manifest carry a key made of the cache format, feedwright's
//! version and everything in the configuration that shapes a record; the
//! index names the id of its record file, and each frame is checked against
//! the hash the index keeps of it. A missing, corrupt or foreign file is
//! ignored and rebuilt, never trusted: the worst a bad cache can cost is a
//! full build.

use crate::error::{Error, Notice, PostError};
use crate::extract::PostMeta;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The cache folder's name inside the source folder.
pub const DIR: &str = ".feedwright-cache";
/// Bump the number whenever what a record holds changes (a new field, or a
/// field that means something else), or a cache written by another build of
/// the same version is trusted into wrong output. The test
/// `a_change_to_what_records_hold_needs_a_new_cache_format` notices such
/// changes. (2: `images` no longer repeats `image`; 7: `date_capped`; 8:
/// `summary` is `description` before `excerpt`, as jekyll-feed takes them;
/// 10: index, record frames and output keys; 11: dates as numbers; 12:
/// index rows updated in place.)
const FORMAT: &str = concat!("feedwright-cache 12 ", env!("CARGO_PKG_VERSION"));
const RECORDS: &str = "records.bin";
const INDEX: &str = "index.bin";
const MANIFEST: &str = "manifest.bin";
const LOCK: &str = "lock";

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

/// One post file in the index. Its path is not kept: the file is found by
/// its key among the files discovery lists.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// [`file_key`] of the file as read.
    pub file: u64,
    /// Where its record is in the record file.
    pub frame: Frame,
    /// What selection and the sitemap need to know without the record.
    pub facts: Facts,
}

/// Where a row's record and `<url>` element are in the record file: `record`
/// bytes of the encoded [`PostRecord`] at `at`, then `fragment` bytes of the
/// sitemap element; `check` hashes both.
#[derive(Clone, Copy, Debug, Default)]
pub struct Frame {
    /// Offset in the record file.
    pub at: u64,
    /// Length of the encoded record.
    pub record: u32,
    /// Length of the sitemap fragment that follows it.
    pub fragment: u32,
    /// The frame's CRC-32 and length.
    pub check: u64,
}

impl Frame {
    /// The frame's length.
    pub fn len(&self) -> u64 {
        u64::from(self.record) + u64::from(self.fragment)
    }
}

/// What a record says that the date policy and the sitemap need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Reading gave a post (not an error, not "no front matter").
    pub post: bool,
    /// Reading gave an error.
    pub error: bool,
    /// The record holds notices.
    pub notices: bool,
    /// The post's date.
    pub date: Option<When>,
    /// `last_modified_at`, else the date (the sitemap's `lastmod`).
    pub updated: Option<When>,
    /// Not `published: false`.
    pub published: bool,
    /// `draft: true`.
    pub draft: bool,
    /// Dated by the build date ([`PostMeta::clamped_to_now`]).
    pub clamped_to_now: bool,
    /// Dated by a file or commit time capped at the build date.
    pub date_capped: bool,
    /// Listed in the sitemap (not `sitemap: false`).
    pub in_sitemap: bool,
    /// Lists images in the sitemap.
    pub images: bool,
    /// Has a translation key and a language: its sitemap entry lists
    /// alternates, which depend on other posts.
    pub translated: bool,
    /// [`url_hash`] of the post's URL.
    pub url: u64,
    /// [`hash_of`] its sitemap fragment.
    pub fragment: u64,
}

impl Facts {
    /// Whether the record, read at an earlier build date, is what reading
    /// the unchanged file at `now` gives. A date the build date decided
    /// (clamped to it) never is; a file or commit time capped at the build
    /// date is, while `now` has not gone back before it; a date the index
    /// cannot keep (past 2262) never is.
    pub fn holds_at(&self, now: DateTime<FixedOffset>) -> bool {
        !(self.post && (self.date.is_none() || self.updated.is_none()))
            && !self.clamped_to_now
            && (!self.date_capped || self.date.is_some_and(|d| d.get() <= now))
    }
}

/// A row to save: one of the last index's rows (by position), or a new
/// one with its frame's bytes.
pub enum Saved {
    /// `old[j]`, its frame already in the record file.
    Kept(usize),
    /// A row read this build and its frame's bytes.
    New(Box<(Row, Vec<u8>)>),
}

/// Writes a cache file through `write`, atomically: a temporary file
/// renamed over it. Unlike outputs, not flushed to disk: a cache file lost
/// or torn by a crash is ignored (ids, keys and frame hashes see to it),
/// which costs one full build.
fn stream_to(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&mut tempfile::NamedTempFile>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".feedwright-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut tmp);
        write(&mut w)?;
        w.flush()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A row's bytes in the index.
const ROW_BYTES: usize = 74;

fn index_head_len() -> usize {
    FORMAT.len() + 32
}

impl Row {
    /// The row's bytes, with its frame at `at`.
    fn encode_at(&self, at: u64, out: &mut Vec<u8>) {
        let f = &self.facts;
        out.extend_from_slice(&self.file.to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&self.frame.record.to_le_bytes());
        out.extend_from_slice(&self.frame.fragment.to_le_bytes());
        out.extend_from_slice(&self.frame.check.to_le_bytes());
        for w in [f.date, f.updated] {
            let (n, o) = w.map_or((0, 0), |w| (w.nanos(), w.offset()));
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(&o.to_le_bytes());
        }
        out.extend_from_slice(&f.url.to_le_bytes());
        out.extend_from_slice(&f.fragment.to_le_bytes());
        let flags = [
            f.post,
            f.error,
            f.notices,
            f.date.is_some(),
            f.updated.is_some(),
            f.published,
            f.draft,
            f.clamped_to_now,
            f.date_capped,
            f.in_sitemap,
            f.images,
            f.translated,
        ]
        .iter()
        .enumerate()
        .fold(0u16, |acc, (bit, &on)| acc | (u16::from(on) << bit));
        out.extend_from_slice(&flags.to_le_bytes());
    }

    fn decode(b: &[u8; ROW_BYTES]) -> Option<Row> {
        let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
        let flags = u16::from_le_bytes([b[72], b[73]]);
        let bit = |n: u32| flags & (1 << n) != 0;
        let when = |at: usize, on: bool| -> Option<Option<When>> {
            if !on {
                return Some(None);
            }
            Some(Some(When::from_parts(
                u64_at(at) as i64,
                u32_at(at + 8) as i32,
            )?))
        };
        Some(Row {
            file: u64_at(0),
            frame: Frame {
                at: u64_at(8),
                record: u32_at(16),
                fragment: u32_at(20),
                check: u64_at(24),
            },
            facts: Facts {
                post: bit(0),
                error: bit(1),
                notices: bit(2),
                date: when(32, bit(3))?,
                updated: when(44, bit(4))?,
                published: bit(5),
                draft: bit(6),
                clamped_to_now: bit(7),
                date_capped: bit(8),
                in_sitemap: bit(9),
                images: bit(10),
                translated: bit(11),
                url: u64_at(56),
                fragment: u64_at(64),
            },
        })
    }
}

/// A date with its offset, kept small: nanoseconds since 1970 (UTC) and the
/// offset in seconds, stored as `offset + 2^31` so it is never 0 and
/// `Option<When>` takes no more room than `When` (there is one per post in
/// memory). (chrono's own serde form is an RFC 3339 string.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When(i64, std::num::NonZeroU32);

impl When {
    /// The date, when it fits (1677 to 2262; others are not kept).
    pub fn new(d: DateTime<FixedOffset>) -> Option<When> {
        When::from_parts(d.timestamp_nanos_opt()?, d.offset().local_minus_utc())
    }

    fn from_parts(nanos: i64, offset: i32) -> Option<When> {
        FixedOffset::east_opt(offset)?;
        let stored = (i64::from(offset) + (1 << 31)) as u32;
        Some(When(nanos, std::num::NonZeroU32::new(stored)?))
    }

    fn offset(self) -> i32 {
        (i64::from(self.1.get()) - (1 << 31)) as i32
    }

    /// Nanoseconds since 1970.
    pub fn nanos(self) -> i64 {
        self.0
    }

    /// The date again.
    pub fn get(self) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(self.offset()).expect("kept from a valid offset");
        DateTime::from_timestamp_nanos(self.0).with_timezone(&offset)
    }
}

/// The index: every post file's row, and the record file it points into.
#[derive(Clone, Debug)]
pub struct Index {
    /// The id at the start of the record file these rows point into.
    pub records_id: u64,
    /// How many bytes of that file the rows may point into.
    pub records_len: u64,
    /// One row per post file it knows (in no particular order: rows are
    /// found by their file key).
    pub rows: Vec<Row>,
    /// Each row's place in the index file.
    positions: Vec<u32>,
    /// How many rows the index file holds, dead ones (key 0) too.
    index_rows: u64,
}

/// The record file, opened for reading frames.
#[derive(Debug)]
pub struct RecordFile {
    file: std::fs::File,
    id: u64,
    len: u64,
    /// Where each row of the index read with it stands in the index file,
    /// and how many rows that file holds (dead ones too): what an update
    /// in place needs.
    positions: Vec<u32>,
    index_rows: u64,
}

impl RecordFile {
    /// A frame's bytes, when they are there and what the index saw.
    pub fn frame(&self, f: &Frame) -> Option<Vec<u8>> {
        if f.at + f.len() > self.len {
            return None;
        }
        let mut buf = vec![0u8; f.len() as usize];
        self.file.read_exact_at(&mut buf, f.at).ok()?;
        (check(&buf) == f.check).then_some(buf)
    }

    /// A frame's record.
    pub fn record(&self, f: &Frame) -> Option<PostRecord> {
        decode_record(&self.frame(f)?, f)
    }

    /// A frame's sitemap fragment.
    pub fn fragment(&self, f: &Frame) -> Option<Vec<u8>> {
        let mut bytes = self.frame(f)?;
        Some(bytes.split_off(f.record as usize))
    }
}

/// The record in a frame's bytes.
pub fn decode_record(bytes: &[u8], f: &Frame) -> Option<PostRecord> {
    postcard::from_bytes(bytes.get(..f.record as usize)?).ok()
}

/// A frame's check: CRC-32 (crc32fast), many times faster than a keyed
/// hash, and made to catch damaged bytes.
fn check(bytes: &[u8]) -> u64 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    u64::from(crc.sum()) | ((bytes.len() as u64) << 32)
}

/// A frame's bytes: the encoded record, then the fragment; and its [`Frame`]
/// (with `at` still to set).
pub fn encode_frame(record: &PostRecord, fragment: &[u8]) -> (Vec<u8>, Frame) {
    thread_local! {
        /// Each thread's scratch buffer: a record is encoded there, then
        /// copied out at its exact size (a build keeps 100,000 of them, and
        /// a buffer sized by guess wasted a third of their memory).
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.clear();
        let encoded =
            postcard::to_extend(record, std::mem::take(scratch)).expect("a record encodes");
        *scratch = encoded;
        let len = scratch.len();
        let mut bytes = Vec::with_capacity(len + fragment.len());
        bytes.extend_from_slice(scratch);
        bytes.extend_from_slice(fragment);
        if scratch.capacity() > 1 << 16 {
            *scratch = Vec::new();
        }
        let frame = Frame {
            at: 0,
            record: len as u32,
            fragment: fragment.len() as u32,
            check: check(&bytes),
        };
        (bytes, frame)
    })
}

/// The key a file is known by: its path relative to the source, given in
/// pieces (`["_posts", "/", "a.md"]` and `["_posts/a.md"]` are one key),
/// size and modification time.
pub fn file_key(path: &[&str], size: u64, modified: Option<SystemTime>) -> u64 {
    let mut h = hasher();
    for piece in path {
        h.write(piece.as_bytes());
    }
    h.write_u8(0xff);
    (size, modified).hash(&mut h);
    // 0 marks a dead row in the index.
    h.finish().max(1)
}

/// A URL's hash for telling URLs apart and cutting the sitemap into parts:
/// FNV-1a, fixed forever, so every build of feedwright cuts alike.
pub fn url_hash(url: &str) -> u64 {
    url.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
        replace(&self.dir.join(name), &bytes)
    }

    /// True when a manifest or an index is there to check, whoever wrote
    /// them (reading them to find out is left to their users).
    pub fn exists(&self) -> bool {
        self.dir.join(MANIFEST).exists() || self.dir.join(INDEX).exists()
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

    /// The last build's index and its record file, when both are there,
    /// ours, and belong together.
    pub fn index(&self) -> Option<(Index, RecordFile)> {
        let mut index = self.read_index()?;
        let file = std::fs::File::open(self.dir.join(RECORDS)).ok()?;
        let id = read_id(&file)?;
        let len = file.metadata().ok()?.len();
        if id != index.records_id || len < index.records_len {
            return None;
        }
        let records_len = index.records_len;
        let positions = std::mem::take(&mut index.positions);
        let index_rows = index.index_rows;
        Some((
            index,
            RecordFile {
                file,
                id,
                len: records_len,
                positions,
                index_rows,
            },
        ))
    }

    /// The index is read as a stream of fixed-size rows: at 100,000 posts
    /// its 7 MB never sit in memory beside the rows made from them.
    fn read_index(&self) -> Option<Index> {
        use std::io::Read;
        let file = std::fs::File::open(self.dir.join(INDEX)).ok()?;
        let mut r = std::io::BufReader::with_capacity(1 << 16, file);
        let mut head = vec![0u8; index_head_len()];
        r.read_exact(&mut head).ok()?;
        let (format, rest) = head.split_at(FORMAT.len());
        if format != FORMAT.as_bytes() {
            return None;
        }
        let word = |at: usize| u64::from_le_bytes(rest[at..at + 8].try_into().expect("8 bytes"));
        if word(0) != self.key {
            return None;
        }
        let (records_id, records_len, count) = (word(8), word(16), word(24));
        let count = u32::try_from(count).ok()?;
        let mut rows = Vec::with_capacity((count as usize).min(1 << 24));
        let mut positions = Vec::with_capacity(rows.capacity());
        let mut buf = [0u8; ROW_BYTES];
        for pos in 0..count {
            r.read_exact(&mut buf).ok()?;
            let row = Row::decode(&buf)?;
            // Key 0: a row an update in place marked dead.
            if row.file != 0 {
                rows.push(row);
                positions.push(pos);
            }
        }
        // Rows past `count` are an update in place that did not finish.
        Some(Index {
            records_id,
            records_len,
            rows,
            positions,
            index_rows: u64::from(count),
        })
    }

    /// Saves the records and the index. Call [`Cache::forget_manifest`]
    /// first and [`Cache::save_manifest`] after both this and the outputs
    /// are done: the manifest goes last and is removed first, so a build
    /// killed in between leaves no manifest that vouches for outputs it did
    /// not finish. (Records and index describe post files, not outputs, so
    /// they may be saved while the outputs are written.)
    ///
    /// `rows` are every post file's row, in order: one of `old` (the last
    /// index's rows, whose frames are in `last`), or a new one with its
    /// frame's bytes. When `last` is mostly alive, the new frames are
    /// appended to it in place (an index names only bytes that were written
    /// whole before it, so a killed append costs nothing); otherwise the
    /// live frames are copied into a new file. Both files are written as
    /// streams: nothing the size of the cache is held in memory.
    pub fn save_records(
        &self,
        old: &[Row],
        rows: Vec<Saved>,
        last: Option<&RecordFile>,
    ) -> Result<(), Error> {
        let path = self.dir.join(RECORDS);
        let io = |action, source| Error::Io {
            path: path.clone(),
            action,
            source,
        };
        // Another build of this source (into another destination, so under
        // another destination lock) may be saving too: one at a time.
        let lock = self.lock().map_err(|e| io("lock the build cache", e))?;
        let frame_of = |r: &Saved| match r {
            Saved::Kept(j) => old[*j].frame,
            Saved::New(new) => new.0.frame,
        };
        let live: u64 = rows.iter().map(|r| frame_of(r).len()).sum();
        let mut at: Vec<u64> = rows.iter().map(|r| frame_of(r).at).collect();
        let appended = match last.filter(|l| l.len <= 2 * live + (1 << 20)) {
            Some(last) => self
                .append(&rows, &mut at, last)
                .map_err(|e| io("write the build cache", e))?,
            None => None,
        };
        let (records_id, records_len) = match appended {
            Some(done) => done,
            None => self
                .rewrite(old, &rows, &mut at, last)
                .map_err(|e| io("write the build cache", e))?,
        };
        let index_path = self.dir.join(INDEX);
        let index_io = |e| Error::Io {
            path: index_path.clone(),
            action: "write the build cache",
            source: e,
        };
        let in_place = match (last, appended) {
            (Some(last), Some(_)) => self
                .update_index(&rows, &at, last, records_len)
                .map_err(index_io)?,
            _ => false,
        };
        if !in_place {
            stream_to(&index_path, |w| {
                w.write_all(FORMAT.as_bytes())?;
                for word in [self.key, records_id, records_len, rows.len() as u64] {
                    w.write_all(&word.to_le_bytes())?;
                }
                let mut buf = Vec::with_capacity(ROW_BYTES);
                for (r, &at) in rows.iter().zip(&at) {
                    let row = match r {
                        Saved::Kept(j) => &old[*j],
                        Saved::New(new) => &new.0,
                    };
                    buf.clear();
                    row.encode_at(at, &mut buf);
                    w.write_all(&buf)?;
                }
                Ok(())
            })
            .map_err(index_io)?;
        }
        drop(lock);
        Ok(())
    }

    /// Saves the manifest: last, after the records, the index and every
    /// output.
    pub fn save_manifest<M: Serialize>(&self, manifest: &M) -> Result<(), Error> {
        self.write(MANIFEST, manifest)
    }

    /// Updates the index file `last` was read with in place: the new rows
    /// appended after its rows, the rows no post has any more marked dead
    /// (key 0), then its header. A build killed before the header is
    /// written leaves rows past its count (ignored) and dead rows (their
    /// posts are read again): never a row that says what a file is not.
    /// False, writing nothing, when the file is not that index any more or
    /// is mostly dead rows (then it is written anew).
    fn update_index(
        &self,
        rows: &[Saved],
        at: &[u64],
        last: &RecordFile,
        records_len: u64,
    ) -> std::io::Result<bool> {
        let new = rows.iter().filter(|r| matches!(r, Saved::New(_))).count() as u64;
        let total = last.index_rows + new;
        if total > 2 * rows.len() as u64 + 1024 || total > u64::from(u32::MAX) {
            return Ok(false);
        }
        let file = match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(self.dir.join(INDEX))
        {
            Ok(f) => f,
            Err(_) => return Ok(false),
        };
        let head = index_head_len() as u64;
        let mut header = vec![0u8; index_head_len()];
        file.read_exact_at(&mut header, 0)?;
        let word = |i: usize| {
            let at = FORMAT.len() + 8 * i;
            u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"))
        };
        if &header[..FORMAT.len()] != FORMAT.as_bytes()
            || word(0) != self.key
            || word(1) != last.id
            || word(3) != last.index_rows
        {
            return Ok(false);
        }
        let mut buf = Vec::with_capacity(new as usize * ROW_BYTES);
        let mut kept = vec![false; last.positions.len()];
        for (r, &at) in rows.iter().zip(at) {
            match r {
                Saved::New(new) => new.0.encode_at(at, &mut buf),
                Saved::Kept(j) => kept[*j] = true,
            }
        }
        file.write_all_at(&buf, head + last.index_rows * ROW_BYTES as u64)?;
        for (j, _) in kept.iter().enumerate().filter(|(_, k)| !**k) {
            let pos = u64::from(last.positions[j]);
            file.write_all_at(&0u64.to_le_bytes(), head + pos * ROW_BYTES as u64)?;
        }
        let mut words = Vec::with_capacity(16);
        words.extend_from_slice(&records_len.to_le_bytes());
        words.extend_from_slice(&total.to_le_bytes());
        file.write_all_at(&words, FORMAT.len() as u64 + 16)?;
        Ok(true)
    }

    /// Appends the new rows' frames to the record file `last` was read
    /// from, if it is still that file, setting their offsets in `at`: the
    /// file's id and new length, or `None` to write a new one.
    fn append(
        &self,
        rows: &[Saved],
        at: &mut [u64],
        last: &RecordFile,
    ) -> std::io::Result<Option<(u64, u64)>> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(self.dir.join(RECORDS))?;
        if read_id(&file) != Some(last.id) {
            return Ok(None);
        }
        // After whatever is there: another build's frames stay whole.
        let start = file.metadata()?.len().max(last.len);
        let mut buf = Vec::new();
        for (r, at) in rows.iter().zip(at.iter_mut()) {
            if let Saved::New(new) = r {
                *at = start + buf.len() as u64;
                buf.extend_from_slice(&new.1);
            }
        }
        file.write_all_at(&buf, start)?;
        Ok(Some((last.id, start + buf.len() as u64)))
    }

    /// Writes a new record file of every row's frame (copied from `last`
    /// for the old rows), setting their offsets in `at`.
    fn rewrite(
        &self,
        old: &[Row],
        rows: &[Saved],
        at: &mut [u64],
        last: Option<&RecordFile>,
    ) -> std::io::Result<(u64, u64)> {
        let id = new_id();
        let mut len = 0u64;
        stream_to(&self.dir.join(RECORDS), |w| {
            w.write_all(&id.to_le_bytes())?;
            len = 8;
            for (r, at) in rows.iter().zip(at.iter_mut()) {
                *at = len;
                match r {
                    Saved::New(new) => {
                        w.write_all(&new.1)?;
                        len += new.1.len() as u64;
                    }
                    Saved::Kept(j) => {
                        let frame = old[*j].frame;
                        let bytes = last
                            .and_then(|f| f.frame(&frame))
                            .ok_or_else(|| std::io::Error::other("a cached record went missing"))?;
                        w.write_all(&bytes)?;
                        len += bytes.len() as u64;
                    }
                }
            }
            Ok(())
        })?;
        Ok((id, len))
    }

    /// The cache folder's lock file, locked (released when dropped).
    fn lock(&self) -> std::io::Result<std::fs::File> {
        std::fs::create_dir_all(&self.dir)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(LOCK))?;
        file.lock()?;
        Ok(file)
    }

    /// Removes the manifest (before outputs are replaced), and any
    /// temporary file a build killed while saving the cache left behind.
    pub fn forget_manifest(&self) {
        let _ = std::fs::remove_file(self.dir.join(MANIFEST));
        crate::output::remove_stale_temporaries(&self.dir);
    }
}

fn read_id(file: &std::fs::File) -> Option<u64> {
    let mut id = [0u8; 8];
    file.read_exact_at(&mut id, 0).ok()?;
    Some(u64::from_le_bytes(id))
}

/// A record file's id: different for every file written, so an index never
/// points into a file it was not saved with.
fn new_id() -> u64 {
    let t = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hash_of((t, std::process::id(), &0u8 as *const u8 as usize))
}

/// Replaces a cache file atomically ([`stream_to`]).
fn replace(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    stream_to(path, |w| w.write_all(bytes)).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        action: "write the build cache",
        source,
    })
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
            (Some("12"), 13, PINNED),
            "what a post record holds changed: bump the number in cache::FORMAT, then set PINNED to the new sum"
        );
    }

    #[test]
    fn an_index_row_reads_back_as_it_was_written() {
        use super::{Facts, Frame, Row, When, ROW_BYTES};
        let date = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00.5+09:00").unwrap();
        let row = Row {
            file: 0x0123_4567_89ab_cdef,
            frame: Frame {
                at: 8 + (1 << 40),
                record: 700,
                fragment: 226,
                check: u64::MAX - 3,
            },
            facts: Facts {
                post: true,
                error: false,
                notices: true,
                date: When::new(date),
                updated: None,
                published: true,
                draft: false,
                clamped_to_now: false,
                date_capped: true,
                in_sitemap: true,
                images: false,
                translated: true,
                url: 42,
                fragment: 7,
            },
        };
        let mut bytes = Vec::new();
        row.encode_at(row.frame.at, &mut bytes);
        assert_eq!(bytes.len(), ROW_BYTES);
        let back = Row::decode(bytes.as_slice().try_into().unwrap()).unwrap();
        assert_eq!(back.facts, row.facts);
        assert_eq!(back.facts.date.unwrap().get(), date);
        assert_eq!(
            (
                back.file,
                back.frame.at,
                back.frame.record,
                back.frame.fragment,
                back.frame.check
            ),
            (row.file, row.frame.at, 700, 226, u64::MAX - 3)
        );
        // An offset no time zone has is not a row.
        bytes[40..44].copy_from_slice(&100_000i32.to_le_bytes());
        assert!(Row::decode(bytes.as_slice().try_into().unwrap()).is_none());
    }

    const PINNED: u32 = 3343498113;
}
