//! The whole pipeline: discover posts → extract → gather feeds and sitemap →
//! serialise → write. [`plan`] does everything in memory (check mode uses it);
//! [`build`] also writes.

use crate::cache::{self, Cache, Manifest, PostRecord, Stamp};
use crate::config::{BuildOptions, SiteConfig};
use crate::error::{Error, Location, Notice, Severity};
use crate::extract::{self, Context, PostMeta};
use crate::model::{AbsUrl, Feed, FeedMeta};
use crate::output::{self, WriteOutcome};
use crate::sitemap::SitemapUrl;
use crate::source::{self, SiteKind, StatFiles};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// One file a build produces.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Planned {
    /// Path relative to the destination, `/`-separated.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Counts for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// Post files found.
    pub read: usize,
    /// Of those, how many the cache answered without reading the file.
    pub from_cache: usize,
    /// Posts published.
    pub published: usize,
    /// Posts left out on purpose (`published: false`, future dates, no front matter).
    pub skipped: usize,
    /// Posts rejected with an error.
    pub rejected: usize,
    /// The skipped posts and why, by path (the summary names them).
    pub skipped_posts: Vec<Skipped>,
    /// The rejected posts, by path (their errors are among the notices).
    pub rejected_posts: Vec<PathBuf>,
}

/// A post left out on purpose.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Skipped {
    /// The post file.
    pub path: PathBuf,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// Why a post was left out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum SkipReason {
    /// `published: false`.
    Unpublished,
    /// Dated after the build date (and `future` is off): published when its date comes.
    Future(DateTime<FixedOffset>),
    /// The file has no front matter, so it is not a post.
    NoFrontMatter,
    /// A later post (in Jekyll's order) has the same URL, and Jekyll's site
    /// serves that one: this is the post it names.
    SameUrl(PathBuf),
    /// `draft: true` (Hugo's key; Jekyll keeps drafts in `_drafts/`).
    Draft,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Unpublished => f.write_str("published: false"),
            SkipReason::Future(d) => write!(f, "dated in the future, {}", d.to_rfc3339()),
            SkipReason::NoFrontMatter => f.write_str("no front matter"),
            SkipReason::SameUrl(p) => write!(f, "same URL as {}, which is published", p.display()),
            SkipReason::Draft => f.write_str("draft: true"),
        }
    }
}

/// Everything a build would write, before it writes.
#[derive(Debug)]
#[non_exhaustive]
pub struct Plan {
    /// The destination folder.
    pub dest: PathBuf,
    /// The files, in a fixed order.
    pub files: Vec<Planned>,
    /// Errors and warnings about posts, sorted by file.
    pub notices: Vec<Notice>,
    /// Counts.
    pub stats: Stats,
    /// Outputs this build must remove if an earlier build wrote them (a news
    /// sitemap with no recent posts), relative to the destination.
    pub remove: Vec<String>,
    /// Every feed file, in the order written.
    pub feeds: Vec<PlannedFeed>,
}

/// One feed file of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedFeed {
    /// Path relative to the destination.
    pub path: String,
    /// Its public URL.
    pub url: AbsUrl,
    /// The feed's title.
    pub title: String,
    /// Its MIME type, as `<link rel="alternate" type=…>` wants it.
    pub mime: &'static str,
    /// What it is about.
    pub scope: crate::feed::gather::Scope,
}

/// What a build did.
#[derive(Debug)]
#[non_exhaustive]
pub struct BuildReport {
    /// The destination folder.
    pub dest: PathBuf,
    /// Counts.
    pub stats: Stats,
    /// Errors and warnings about posts, sorted by file.
    pub notices: Vec<Notice>,
    /// Each file and whether it was written or already up to date.
    pub outputs: Vec<(PathBuf, WriteOutcome)>,
    /// True when the cache showed nothing changed since the last build, so
    /// no post was read.
    pub reused: bool,
}

impl BuildReport {
    /// True when some post was rejected (the CLI exits 1).
    pub fn has_rejected_posts(&self) -> bool {
        self.stats.rejected > 0
    }
}

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

/// The site as found: configuration and post files, and the fingerprints
/// that decide what the cache may answer.
struct Site {
    config: SiteConfig,
    dest: PathBuf,
    kind: SiteKind,
    found: source::Discovery,
    /// Pages, static files and collection documents (a Jekyll site only).
    site_files: Vec<source::SiteFile>,
    /// The documents of each collection with a feed (`feed.collections`), in
    /// `config.collection_feeds` order.
    feed_docs: Vec<Vec<source::SiteFile>>,
    /// Commit dates, when the source is in a git work tree (read by `make`).
    git: Option<source::GitDates>,
    /// What shapes a record: the configuration, source and destination.
    key: u64,
    /// `key` plus every post file's name, size and modification time; known
    /// here only when discovery statted the files (see [`survey`]).
    inputs: Option<u64>,
    cache: Option<Cache>,
}

impl Site {
    /// The last build's manifest, when the outputs on disk are still exactly
    /// what a build now would write.
    fn manifest_still_holding(&self, now: DateTime<FixedOffset>) -> Option<Manifest> {
        let inputs = self.inputs?;
        self.cache
            .as_ref()
            .and_then(Cache::manifest)
            .filter(|m| m.still_holds(inputs, now, &self.dest))
    }
}

fn survey(opts: &BuildOptions) -> Result<Site, Error> {
    let config = SiteConfig::load(opts)?;
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
    let key = cache::hash_of((
        key,
        site_files
            .iter()
            .chain(feed_docs.iter().flatten())
            .map(|f| (&f.relative, f.size, f.modified))
            .collect::<Vec<_>>(),
    ));
    let inputs = (stat == StatFiles::Now).then(|| {
        fingerprint(key, &found, &opts.source, |i| {
            let f = &found.files[i];
            (f.size, f.modified)
        })
    });
    Ok(Site {
        config,
        dest,
        kind,
        found,
        site_files,
        feed_docs,
        git: None,
        key,
        inputs,
        cache,
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
fn fingerprint(
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
        Err(e) => Err(crate::error::PostError {
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

/// A plan and what the cache keeps of it.
struct Made {
    plan: Plan,
    records: Vec<PostRecord>,
    /// The fingerprint of the inputs the records were read from (with a cache).
    inputs: Option<u64>,
    valid_until: Option<DateTime<FixedOffset>>,
}

/// Builds every output in memory.
pub fn plan(opts: &BuildOptions) -> Result<Plan, Error> {
    let mut site = survey(opts)?;
    Ok(make(opts, &mut site, &NoProgress)?.plan)
}

fn make(opts: &BuildOptions, site: &mut Site, progress: &dyn Progress) -> Result<Made, Error> {
    // Records, and so the cache, in walk order.
    site.found.sort();
    // Here, not in `survey`: an unchanged re-run never runs git.
    site.git = source::git_dates(&opts.source);
    let site = &*site;
    let config = &site.config;
    let dest = site.dest.clone();
    let kind = site.kind;
    let found = &site.found;
    let cx = Context {
        config,
        collection: None,
        kind,
        now: opts.now,
        git: site.git.as_ref(),
    };

    let cached = site.cache.as_ref().map(Cache::posts).unwrap_or_default();
    progress.start(found.len());
    // The records, in discovery order, and whether the cache answered each.
    let (records, hits): (Vec<PostRecord>, Vec<bool>) = found
        .files
        .par_iter()
        .map_init(
            || source::Opener::new(found),
            |opener, f| {
                let mut file = found.post_file(f);
                let done = match cached.get(&file.relative_path) {
                    Some(r)
                        if file.modified.is_some()
                            && r.size == file.size
                            && r.modified == file.modified
                            && !matches!(&r.outcome, Ok(Some(m)) if m.clamped_to_now) =>
                    {
                        (r.clone(), true)
                    }
                    _ => (
                        read_record(&mut file, opener.open(f), site.cache.is_some(), &cx),
                        false,
                    ),
                };
                progress.advance();
                done
            },
        )
        .unzip();
    // Only a manifest needs the fingerprint.
    let inputs = site.cache.as_ref().map(|_| {
        site.inputs.unwrap_or_else(|| {
            fingerprint(site.key, found, &opts.source, |i| {
                (records[i].size, records[i].modified)
            })
        })
    });

    let mut notices = found.notices.clone();
    notices.extend(config.notices.iter().cloned());
    if site.git.as_ref().is_some_and(|g| g.shallow) {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&opts.source, None),
            message: "this is a shallow git clone, so posts dated by their commits get the date of the oldest commit it holds; clone the whole history (actions/checkout: `fetch-depth: 0`)".into(),
        });
    }
    let mut stats = Stats {
        read: found.len(),
        from_cache: hits.iter().filter(|&&hit| hit).count(),
        ..Stats::default()
    };
    let mut posts = Vec::new();
    let mut valid_until: Option<DateTime<FixedOffset>> = None;
    for record in &records {
        notices.extend(record.notices.iter().cloned());
        let mut skip = |reason| {
            stats.skipped_posts.push(Skipped {
                path: opts.source.join(&record.relative_path),
                reason,
            })
        };
        match &record.outcome {
            Ok(Some(meta)) if !meta.published => skip(SkipReason::Unpublished),
            Ok(Some(meta)) if meta.draft => skip(SkipReason::Draft),
            Ok(Some(meta)) if meta.date > opts.now && !config.future => {
                // The outputs change when this post's date arrives.
                valid_until = Some(valid_until.map_or(meta.date, |t| t.min(meta.date)));
                skip(SkipReason::Future(meta.date))
            }
            Ok(Some(meta)) => {
                if meta.clamped_to_now {
                    // Dated by "now": the outputs change with the build date.
                    valid_until = Some(valid_until.map_or(opts.now, |t| t.min(opts.now)));
                }
                posts.push(meta)
            }
            Ok(None) => skip(SkipReason::NoFrontMatter),
            Err(e) => {
                stats.rejected_posts.push(e.at.path.clone());
                notices.push(Notice {
                    severity: Severity::Error,
                    at: e.at.clone(),
                    message: e.message.clone(),
                });
            }
        }
    }
    // Jekyll's order: by date, then by path.
    posts.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.file.relative_path.cmp(&b.file.relative_path))
    });
    // Two posts at one URL: Jekyll writes both, the later over the earlier,
    // and its feed lists both under one id, which no feed may do. The page
    // the site serves is the later post's, so that one is published.
    let posts = drop_shadowed_posts(posts, &mut notices, &mut stats);
    // jekyll-sitemap also lists pages, documents and static files.
    let (site_urls, dated_now) = match kind {
        SiteKind::Jekyll => {
            extract::pages::sitemap_urls(&site.site_files, config, opts.now, &mut notices)
        }
        SiteKind::Plain => (Vec::new(), false),
    };
    if dated_now {
        // A document without a date is dated `site.time`: the sitemap
        // changes with the build date, so no later build may reuse it.
        valid_until = Some(valid_until.map_or(opts.now, |t| t.min(opts.now)));
    }
    // The sitemap lists only the posts whose bodies render, and bodies are
    // rendered only for the feeds; damaged ones are rare. So the sitemap of
    // every post is built (and validated) while the feeds' posts render and
    // the feeds are built, and built again only if a post was rejected.
    // The sitemap, the longer job, runs on this thread at once; the feeds
    // wait for the other core to take them (it may still be asleep).
    let docs = read_feed_docs(opts, site, &cx, &mut notices, &mut valid_until);
    let docs: Vec<Vec<&PostMeta>> = docs.iter().map(|d| d.iter().collect()).collect();
    let (sitemap, (mut rendered, feeds)) = rayon::join(
        || sitemap_and_robots(opts, config, &dest, &posts, kind, &site_urls),
        || {
            let rendered = render_feed_posts(opts, config, kind, &posts, &docs);
            let feeds = feed_files(opts, config, &dest, &rendered);
            (rendered, feeds)
        },
    );
    let sitemap = if rendered.live.len() == posts.len() {
        sitemap
    } else {
        sitemap_and_robots(opts, config, &dest, &rendered.live, kind, &site_urls)
    };
    let posts = rendered.live.clone();
    stats.published = posts.len();
    stats.rejected_posts.extend(rendered.failed.iter().cloned());
    stats.rejected_posts.sort();
    stats.skipped = stats.skipped_posts.len();
    stats.rejected = stats.rejected_posts.len();
    notices.append(&mut rendered.notices);
    let FeedFiles {
        mut files,
        empty: feeds_empty,
        urls: feed_urls,
    } = feeds?;
    let (sitemap_files, news_absent) = sitemap?;
    files.extend(sitemap_files);
    files.extend(
        crate::style::Styles::for_site(config, &opts.source)
            .files()
            .iter()
            .map(|(path, text)| Planned {
                path: path.to_string(),
                bytes: text.as_bytes().to_vec(),
            }),
    );
    check_distinct_paths(&crate::config::config_path(opts), &files)?;
    if config.news.is_some() {
        if let Some(t) = news_valid_until(opts.now, &posts) {
            valid_until = Some(valid_until.map_or(t, |v| v.min(t)));
        }
    }
    if let Some(path) = &news_absent {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&crate::config::config_path(opts), None),
            message: format!("no post was published in the two days before the build date, so there is no news sitemap; `{path}` is not written (an old one is removed)"),
        });
    }
    if feeds_empty {
        // An empty feed's `updated` is the build date: never reuse it.
        valid_until = Some(opts.now);
    }
    notices.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| b.severity.cmp(&a.severity)));
    if kind == SiteKind::Plain && stats.read == 0 {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&opts.source, None),
            message: "no posts found: a plain folder should hold .md, .markdown, .html or .txt files with front matter".into(),
        });
    }
    Ok(Made {
        plan: Plan {
            dest,
            files,
            notices,
            stats,
            remove: news_absent.into_iter().collect(),
            feeds: feed_urls,
        },
        records,
        inputs,
        valid_until,
    })
}

/// A feed format's serialiser.
type Writer = fn(&Feed) -> Result<String, crate::feed::FeedError>;

/// The feed files, whether some feed is empty, and each feed's path and URL.
struct FeedFiles {
    files: Vec<Planned>,
    empty: bool,
    urls: Vec<PlannedFeed>,
}

/// The feeds' posts, rendered. A post whose body cannot be rendered (its
/// front matter was fine, but the body is damaged) is rejected from the
/// whole build, sitemap included, and the next post takes its place in the
/// feeds; so this repeats until every feed's posts rendered.
struct Rendered<'a> {
    /// The published posts that survived, oldest first.
    live: Vec<&'a PostMeta>,
    /// The feeds and their posts.
    sets: Vec<crate::feed::gather::FeedSet<'a>>,
    /// Each feed post's entry, by relative path.
    entries: std::collections::HashMap<String, crate::model::Entry>,
    /// Warnings from rendering, tag-name collisions, and the rejections.
    notices: Vec<Notice>,
    /// The posts rejected here.
    failed: Vec<PathBuf>,
}

/// The documents of each collection with a feed (`feed.collections`), read
/// as Jekyll reads a collection: published, not future (unless `future`),
/// oldest first; jekyll-feed leaves out drafts.
fn read_feed_docs(
    opts: &BuildOptions,
    site: &Site,
    cx: &Context<'_>,
    notices: &mut Vec<Notice>,
    valid_until: &mut Option<DateTime<FixedOffset>>,
) -> Vec<Vec<PostMeta>> {
    let config = &site.config;
    let config_file = crate::config::config_path(opts);
    config
        .collection_feeds
        .iter()
        .zip(&site.feed_docs)
        .map(|(feed, files)| {
            let Some(collection) = config.collections.iter().find(|c| c.label == feed.label)
            else {
                notices.push(Notice {
                    severity: Severity::Warning,
                    at: Location::new(&config_file, None),
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
                    .map_err(|e| crate::error::PostError {
                        at: Location::new(&f.path, None),
                        message: format!("could not read the file ({e}); check its permissions"),
                    })
                    .and_then(|bytes| extract::read_meta(&file, &bytes, mtime, &cx, notices));
                match outcome {
                    Ok(Some(meta)) if meta.published && !meta.draft => {
                        if meta.date > opts.now && !config.future {
                            *valid_until = Some(valid_until.map_or(meta.date, |t| t.min(meta.date)));
                        } else {
                            if meta.clamped_to_now {
                                *valid_until = Some(valid_until.map_or(opts.now, |t| t.min(opts.now)));
                            }
                            docs.push(meta);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => notices.push(Notice {
                        severity: Severity::Error,
                        at: e.at,
                        message: format!("left out of the feed of collection `{}`: {}", feed.label, e.message),
                    }),
                }
            }
            docs.sort_by(|a, b| {
                a.date
                    .cmp(&b.date)
                    .then_with(|| a.file.relative_path.cmp(&b.file.relative_path))
            });
            docs
        })
        .collect()
}

fn render_feed_posts<'a>(
    opts: &BuildOptions,
    config: &SiteConfig,
    kind: SiteKind,
    posts: &[&'a PostMeta],
    docs: &[Vec<&'a PostMeta>],
) -> Rendered<'a> {
    let config_file = crate::config::config_path(opts);
    let mut entries = std::collections::HashMap::new();
    let mut failed = std::collections::HashSet::new();
    let mut notices = Vec::new();
    loop {
        let live: Vec<&PostMeta> = posts
            .iter()
            .filter(|p| !failed.contains(p.file.relative_path.as_str()))
            .copied()
            .collect();
        let live_docs: Vec<Vec<&PostMeta>> = docs
            .iter()
            .map(|d| {
                d.iter()
                    .filter(|p| !failed.contains(p.file.relative_path.as_str()))
                    .copied()
                    .collect()
            })
            .collect();
        let mut collisions = Vec::new();
        let sets = crate::feed::gather::feed_sets(config, &live, &live_docs, &mut collisions);
        // A post in several feeds is read and rendered once.
        let mut wanted: Vec<&PostMeta> = sets
            .iter()
            .flat_map(|s| s.posts.iter().copied())
            .filter(|p| !entries.contains_key(&p.file.relative_path))
            .collect();
        wanted.sort_by(|a, b| a.file.relative_path.cmp(&b.file.relative_path));
        wanted.dedup_by(|a, b| a.file.relative_path == b.file.relative_path);
        if wanted.is_empty() {
            notices.extend(collisions.into_iter().map(|message| Notice {
                severity: Severity::Warning,
                at: Location::new(&config_file, None),
                message,
            }));
            return Rendered {
                live,
                sets,
                entries,
                notices,
                failed: posts
                    .iter()
                    .chain(docs.iter().flatten())
                    .filter(|p| failed.contains(p.file.relative_path.as_str()))
                    .map(|p| p.file.path.clone())
                    .collect(),
            };
        }
        let rendered: Vec<_> = wanted
            .par_iter()
            .map(|meta| {
                let mut notices = Vec::new();
                let entry = std::fs::read(&meta.file.path)
                    .map_err(|e| crate::error::PostError {
                        at: Location::new(&meta.file.path, None),
                        message: format!("could not read the file again ({e})"),
                    })
                    .and_then(|bytes| {
                        extract::render_entry(meta, &bytes, config, kind, &mut notices)
                    });
                (entry, notices)
            })
            .collect();
        for (meta, (entry, post_notices)) in wanted.iter().zip(rendered) {
            notices.extend(post_notices);
            match entry {
                Ok(entry) => {
                    entries.insert(meta.file.relative_path.clone(), entry);
                }
                Err(e) => {
                    failed.insert(meta.file.relative_path.as_str());
                    notices.push(Notice {
                        severity: Severity::Error,
                        at: e.at,
                        message: e.message,
                    });
                }
            }
        }
    }
}

/// Every feed (main, categories, tags) in every enabled format, validated;
/// and whether the main feed is empty.
fn feed_files(
    opts: &BuildOptions,
    config: &SiteConfig,
    dest: &Path,
    rendered: &Rendered<'_>,
) -> Result<FeedFiles, Error> {
    let config_file = crate::config::config_path(opts);
    let styles = crate::style::Styles::for_site(config, &opts.source);
    let sets = &rendered.sets;
    let entries = &rendered.entries;
    let mut empty = false;
    let mut files = Vec::new();
    let mut urls = Vec::new();
    for set in sets {
        let feed_entries: Vec<crate::model::Entry> = set
            .posts
            .iter()
            .filter_map(|p| entries.get(&p.file.relative_path).cloned())
            .collect();
        // An empty feed is dated with the build date, so any empty feed
        // (main, category or tag) means the outputs change with the clock.
        let written = [&set.paths.atom, &set.paths.rss, &set.paths.json]
            .iter()
            .any(|p| p.is_some());
        empty |= written && feed_entries.is_empty();
        let url_of = |path: &Option<String>| -> Result<Option<AbsUrl>, Error> {
            path.as_deref()
                .map(|path| {
                    config.site_url(path).map_err(|e| Error::Config {
                        at: Location::new(&config_file, None),
                        message: format!("the feed path `{path}` does not make a valid URL: {e}"),
                    })
                })
                .transpose()
        };
        // Posts sharing a URL were each warned about; a feed keeps the first
        // (newest) of them, as a feed with two entries of one id or guid is invalid.
        let mut seen = std::collections::HashSet::new();
        let feed_entries: Vec<crate::model::Entry> = feed_entries
            .into_iter()
            .filter(|e| seen.insert(e.id.clone()) & seen.insert(e.url.to_string()))
            .collect();
        let feed = Feed {
            meta: FeedMeta {
                title: set.title.clone(),
                description: config.description.clone(),
                home_url: config.base.clone(),
                id: None,
                atom_url: url_of(&set.paths.atom)?,
                rss_url: url_of(&set.paths.rss)?,
                json_url: url_of(&set.paths.json)?,
                language: config.language.clone(),
                author: config.author.clone(),
                empty_updated: Some(opts.now),
                excerpt_only: config.excerpt_only,
                hubs: config.hubs.clone(),
                icon: config.icon.clone(),
                favicon: config.favicon.clone(),
            },
            entries: feed_entries,
        };
        let writers: [(&Option<String>, &Option<AbsUrl>, Writer, &'static str); 3] = [
            (
                &set.paths.atom,
                &feed.meta.atom_url,
                crate::feed::atom::to_string,
                "application/atom+xml",
            ),
            (
                &set.paths.rss,
                &feed.meta.rss_url,
                crate::feed::rss::to_string,
                "application/rss+xml",
            ),
            (
                &set.paths.json,
                &feed.meta.json_url,
                crate::feed::json::to_string,
                "application/feed+json",
            ),
        ];
        for (path, url, write, mime) in writers {
            if let (Some(path), Some(url)) = (path, url) {
                urls.push(PlannedFeed {
                    path: path.clone(),
                    url: url.clone(),
                    title: set.title.clone(),
                    mime,
                    scope: set.scope.clone(),
                });
                let text = write(&feed).map_err(|e| Error::InvalidOutput {
                    path: dest.join(path),
                    diagnostics: vec![e.to_string()],
                })?;
                files.push(Planned {
                    path: path.clone(),
                    bytes: styles.finish_feed(mime, text.into_bytes()),
                });
            }
        }
    }
    validate_all(dest, &files)?;
    Ok(FeedFiles { files, empty, urls })
}

/// The sitemap (or its index and parts), the news sitemap, and robots.txt,
/// validated; and the news sitemap's path when it has no posts to list.
fn sitemap_and_robots(
    opts: &BuildOptions,
    config: &SiteConfig,
    dest: &Path,
    posts: &[&PostMeta],
    kind: SiteKind,
    site_urls: &[SitemapUrl],
) -> Result<(Vec<Planned>, Option<String>), Error> {
    let styles = crate::style::Styles::for_site(config, &opts.source);
    let mut files = Vec::new();
    let mut sitemaps = Vec::new();
    if let Some(path) = &config.outputs.sitemap {
        let newest = posts.iter().map(|p| p.updated()).max();
        let mut urls: Vec<SitemapUrl> = Vec::with_capacity(posts.len() + site_urls.len() + 1);
        // A Jekyll site's home page is one of its pages; a plain folder
        // has none, so its home is listed, dated by the newest post.
        if kind == SiteKind::Plain {
            urls.push(SitemapUrl::new(config.base.clone(), newest));
        }
        let alternates = translations(posts);
        urls.extend(posts.iter().filter(|p| p.in_sitemap).map(|p| {
            SitemapUrl {
                loc: p.url.clone(),
                lastmod: Some(p.updated()),
                changefreq: p.changefreq.or(config.changefreq),
                priority: p.priority.or(config.priority),
                images: p.image.iter().chain(&p.images).cloned().collect(),
                alternates: alternates
                    .get(p.file.relative_path.as_str())
                    .cloned()
                    .unwrap_or_default(),
            }
        }));
        // A page at a post's URL (or listed twice) is listed once.
        let mut seen: std::collections::HashSet<&str> =
            urls.iter().map(|u| u.loc.as_str()).collect();
        let extra: Vec<SitemapUrl> = site_urls
            .iter()
            .filter(|u| seen.insert(u.loc.as_str()))
            .cloned()
            .collect();
        urls.extend(extra);
        files.extend(sitemap_files(config, &styles, path, &urls)?);
        sitemaps.push(path.as_str());
    }
    let mut news_absent = None;
    if let Some(news) = &config.news {
        let urls = news_urls(opts.now, posts);
        if urls.is_empty() {
            news_absent = Some(news.path.clone());
        } else {
            let publication = crate::sitemap::NewsPublication {
                name: news.name.clone(),
                language: news.language.clone(),
            };
            files.push(Planned {
                path: news.path.clone(),
                bytes: styles.finish_sitemap(
                    crate::sitemap::news_to_string(&publication, &urls).into_bytes(),
                ),
            });
            sitemaps.push(news.path.as_str());
        }
    }
    // Never overwrite a robots.txt the user wrote.
    if !sitemaps.is_empty() && !opts.source.join("robots.txt").exists() {
        let lines: String = sitemaps
            .iter()
            .filter_map(|p| config.site_url(p).ok())
            .map(|u| format!("Sitemap: {u}\n"))
            .collect();
        files.push(Planned {
            path: "robots.txt".into(),
            bytes: lines.into_bytes(),
        });
    }
    validate_all(dest, &files)?;
    Ok((files, news_absent))
}

/// How long a post stays in the Google News sitemap.
const NEWS_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(2);
/// Most URLs in a Google News sitemap.
const NEWS_MAX_URLS: usize = 1000;

/// The news sitemap's articles: published in the two days up to `now`,
/// newest first, at most 1,000.
fn news_urls(now: DateTime<FixedOffset>, posts: &[&PostMeta]) -> Vec<crate::sitemap::NewsUrl> {
    posts
        .iter()
        .rev()
        .filter(|p| p.date <= now && now - p.date < NEWS_WINDOW)
        .take(NEWS_MAX_URLS)
        .map(|p| crate::sitemap::NewsUrl {
            loc: p.url.clone(),
            title: p.title.clone(),
            published: p.date,
        })
        .collect()
}

/// When the news sitemap next changes because a post leaves its window.
fn news_valid_until(
    now: DateTime<FixedOffset>,
    posts: &[&PostMeta],
) -> Option<DateTime<FixedOffset>> {
    posts
        .iter()
        .filter(|p| p.date <= now && now - p.date < NEWS_WINDOW)
        .map(|p| p.date + NEWS_WINDOW)
        .min()
}

/// hreflang alternates: posts that share a translation key (`ref`) and each
/// name a language list every member of their group, themselves included.
fn translations<'a>(
    posts: &[&'a PostMeta],
) -> std::collections::HashMap<&'a str, Vec<crate::sitemap::Alternate>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&PostMeta>> = Default::default();
    for p in posts.iter().filter(|p| p.in_sitemap) {
        if let (Some(key), Some(_)) = (&p.translation_key, &p.lang) {
            groups.entry(key.as_str()).or_default().push(p);
        }
    }
    let mut out = std::collections::HashMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let links: Vec<crate::sitemap::Alternate> = members
            .iter()
            .map(|m| crate::sitemap::Alternate {
                hreflang: m.lang.clone().unwrap_or_default(),
                href: m.url.clone(),
            })
            .collect();
        for m in members {
            out.insert(m.file.relative_path.as_str(), links.clone());
        }
    }
    out
}

/// Never publish an invalid document: every XML output is validated first.
fn validate_all(dest: &Path, files: &[Planned]) -> Result<(), Error> {
    files
        .par_iter()
        .map(|f| validate_output(dest, f))
        .collect::<Result<Vec<()>, Error>>()
        .map(|_| ())
}

/// The sitemap as one file, or, past the protocol's limits, as an index at
/// `path` listing parts `NAME-1.xml` … `NAME-N.xml` (`.xml.gz` when
/// `feedwright.sitemap_gzip` is set).
fn sitemap_files(
    config: &SiteConfig,
    styles: &crate::style::Styles,
    path: &str,
    urls: &[SitemapUrl],
) -> Result<Vec<Planned>, Error> {
    let parts = crate::sitemap::split(urls, styles.sitemap_limits());
    if parts.len() == 1 {
        return Ok(vec![Planned {
            path: path.to_string(),
            bytes: styles.finish_sitemap(crate::sitemap::to_string(urls).into_bytes()),
        }]);
    }
    let stem = path.strip_suffix(".xml").unwrap_or(path);
    let mut files = Vec::with_capacity(parts.len() + 1);
    let mut index = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let name = if config.sitemap_gzip {
            format!("{stem}-{}.xml.gz", i + 1)
        } else {
            format!("{stem}-{}.xml", i + 1)
        };
        let xml = styles.finish_sitemap(crate::sitemap::to_string(part).into_bytes());
        let bytes = if config.sitemap_gzip { gzip(&xml) } else { xml };
        index.push(SitemapUrl::new(
            config.site_url(&name).map_err(|e| Error::Config {
                at: Location::new(Path::new("_config.yml"), None),
                message: format!("the sitemap part `{name}` does not make a valid URL: {e}"),
            })?,
            part.iter().filter_map(|u| u.lastmod).max(),
        ));
        files.push(Planned { path: name, bytes });
    }
    let index =
        crate::sitemap::write_index(&index, Vec::new()).expect("writing to memory does not fail");
    files.insert(
        0,
        Planned {
            path: path.to_string(),
            bytes: styles.finish_sitemap(index),
        },
    );
    Ok(files)
}

/// Gzip with a fixed header (no name, no time), so equal input gives equal bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)
        .expect("compressing in memory does not fail");
    enc.finish().expect("compressing in memory does not fail")
}

/// Two outputs at one path (or at paths a case-insensitive file system
/// merges) would overwrite each other: refuse the configuration.
fn check_distinct_paths(config: &Path, files: &[Planned]) -> Result<(), Error> {
    let mut seen = std::collections::HashMap::new();
    for f in files {
        if let Some(first) = seen.insert(f.path.to_lowercase(), &f.path) {
            return Err(Error::Config {
                at: Location::new(config, None),
                message: format!("two outputs would be written to the same file (`{first}` and `{}`); give one of them another path", f.path),
            });
        }
    }
    Ok(())
}

fn validate_output(dest: &Path, f: &Planned) -> Result<(), Error> {
    let opts = crate::validate::Options::default();
    let report = if f.path.ends_with(".gz") {
        let bytes =
            crate::validate::read_limited(f.bytes.as_slice(), crate::validate::MAX_SITEMAP_BYTES)
                .map(|(b, _)| b)
                .unwrap_or_default();
        crate::validate::validate_owned(bytes, &opts)
    } else {
        crate::validate::validate_bytes(&f.bytes, &opts)
    };
    if report.has_errors() {
        return Err(Error::InvalidOutput {
            path: dest.join(&f.path),
            diagnostics: report
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::validate::Severity::Error)
                .map(|d| d.to_string())
                .collect(),
        });
    }
    Ok(())
}

/// Leaves out every post whose URL a later post (in Jekyll's order) also
/// has, with a warning naming both.
fn drop_shadowed_posts<'a>(
    posts: Vec<&'a PostMeta>,
    notices: &mut Vec<Notice>,
    stats: &mut Stats,
) -> Vec<&'a PostMeta> {
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in posts.iter().enumerate() {
        last.insert(p.url.as_str(), i);
    }
    if last.len() == posts.len() {
        return posts;
    }
    let mut kept = Vec::with_capacity(last.len());
    for (i, p) in posts.iter().enumerate() {
        let winner = last[p.url.as_str()];
        if winner == i {
            kept.push(*p);
        } else {
            stats.skipped_posts.push(Skipped {
                path: p.file.path.clone(),
                reason: SkipReason::SameUrl(posts[winner].file.path.clone()),
            });
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&p.file.path, None),
                message: format!(
                    "not published: {} has the same URL ({}), and Jekyll writes that one over this one; give one of them another permalink or slug",
                    posts[winner].file.path.display(),
                    p.url
                ),
            });
        }
    }
    kept
}

/// Builds and writes every output. Outputs are written only after every one
/// of them was built and validated; each is replaced atomically, unchanged
/// ones are left alone, and the destination is locked for the whole build.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    build_with(opts, &NoProgress)
}

/// [`build`], reporting progress.
pub fn build_with(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, Error> {
    let site = survey(opts)?;
    // A build that fails writes nothing and creates nothing: the folders
    // the lock had to create are removed again (when still empty).
    let missing: Vec<PathBuf> = site
        .dest
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .map(Path::to_path_buf)
        .collect();
    let lock = output::DestLock::acquire_with(&site.dest, opts.lock_wait, || {
        progress.waiting_for_lock(&site.dest, opts.lock_wait)
    })?;
    let result = build_locked(opts, site, progress);
    drop(lock);
    if result.is_err() {
        for dir in &missing {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn build_locked(
    opts: &BuildOptions,
    mut site: Site,
    progress: &dyn Progress,
) -> Result<BuildReport, Error> {
    if let Some(m) = site.manifest_still_holding(opts.now) {
        let outputs = m
            .outputs
            .iter()
            .map(|s| (site.dest.join(&s.path), WriteOutcome::Unchanged))
            .collect();
        return Ok(BuildReport {
            dest: site.dest,
            stats: m.stats,
            notices: m.notices,
            outputs,
            reused: true,
        });
    }
    let made = make(opts, &mut site, progress)?;
    let plan = made.plan;
    let paths: Vec<&str> = plan
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(plan.remove.iter().map(String::as_str))
        .collect();
    output::check_destination(&opts.source, &plan.dest, &paths)?;
    if let Some(cache) = &site.cache {
        cache.forget_manifest();
    }
    let mut dirs: Vec<PathBuf> = plan
        .files
        .iter()
        .filter_map(|f| plan.dest.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        output::remove_stale_temporaries(d);
    }
    let mut outputs = Vec::new();
    for f in &plan.files {
        let path = plan.dest.join(&f.path);
        outputs.push((path.clone(), output::write_if_changed(&path, &f.bytes)?));
    }
    for r in &plan.remove {
        let path = plan.dest.join(r);
        match std::fs::remove_file(&path) {
            Ok(()) => outputs.push((path, WriteOutcome::Written)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Io {
                    path,
                    action: "remove the out-of-date output",
                    source: e,
                })
            }
        }
    }
    let mut notices = plan.notices;
    if let (Some(cache), Some(inputs)) = (&site.cache, made.inputs) {
        let manifest = Manifest {
            inputs,
            valid_until: made.valid_until,
            outputs: plan
                .files
                .iter()
                .filter_map(|f| Stamp::of(&plan.dest, &f.path))
                .collect(),
            stats: plan.stats.clone(),
            notices: notices.clone(),
        };
        // A cache that cannot be written costs speed, not the build.
        if let Err(e) = cache.save(&made.records, &manifest) {
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&opts.source.join(cache::DIR), None),
                message: format!(
                    "the build cache was not saved ({e}); the next build reads every post again"
                ),
            });
        }
    }
    // Freeing every post's record is a measurable slice of a build at
    // 10,000 posts (~4%); nothing waits for it, so it runs on the pool.
    let records = made.records;
    rayon::spawn(move || drop(records));
    Ok(BuildReport {
        dest: plan.dest,
        stats: plan.stats,
        notices,
        outputs,
        reused: false,
    })
}

/// What [`check`] found.
#[derive(Debug)]
#[non_exhaustive]
pub struct CheckReport {
    /// Published files that a build would change, with a short reason.
    pub stale: Vec<(PathBuf, &'static str)>,
    /// How many files a build writes.
    pub files: usize,
    /// Notices about posts.
    pub notices: Vec<Notice>,
    /// Counts.
    pub stats: Stats,
}

/// Builds in memory and compares with what is on disk, writing nothing
/// (not even the cache). "Did you forget to regenerate the feeds?"
pub fn check(opts: &BuildOptions) -> Result<CheckReport, Error> {
    let mut site = survey(opts)?;
    if let Some(m) = site.manifest_still_holding(opts.now) {
        return Ok(CheckReport {
            stale: Vec::new(),
            files: m.outputs.len(),
            notices: m.notices,
            stats: m.stats,
        });
    }
    let plan = make(opts, &mut site, &NoProgress)?.plan;
    let mut stale = Vec::new();
    for f in &plan.files {
        let path = plan.dest.join(&f.path);
        let reason = match std::fs::read(&path) {
            Ok(bytes) if bytes == f.bytes => continue,
            Ok(_) => "differs from a fresh build",
            Err(_) => "missing",
        };
        stale.push((path, reason));
    }
    for r in &plan.remove {
        let path = plan.dest.join(r);
        if path.exists() {
            stale.push((path, "out of date and would be removed"));
        }
    }
    Ok(CheckReport {
        stale,
        files: plan.files.len(),
        notices: plan.notices,
        stats: plan.stats,
    })
}
