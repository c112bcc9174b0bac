//! The whole pipeline: discover posts → extract → gather feeds and sitemap →
//! serialise → write. [`plan`] does everything in memory (check mode uses it);
//! [`build`] also writes.

use crate::config::{BuildOptions, SiteConfig};
use crate::error::{Error, Location, Notice, Severity};
use crate::extract::{self, Context, PostMeta};
use crate::model::{Feed, FeedMeta};
use crate::output::{self, WriteOutcome};
use crate::sitemap::SitemapUrl;
use crate::source::{self, SiteKind};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file a build produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// Path relative to the destination, `/`-separated.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Counts for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Post files read.
    pub read: usize,
    /// Posts published.
    pub published: usize,
    /// Posts left out on purpose (`published: false`, future dates, no front matter).
    pub skipped: usize,
    /// Posts rejected with an error.
    pub rejected: usize,
}

/// Everything a build would write, before it writes.
#[derive(Debug)]
pub struct Plan {
    /// The destination folder.
    pub dest: PathBuf,
    /// The files, in a fixed order.
    pub files: Vec<Planned>,
    /// Errors and warnings about posts, sorted by file.
    pub notices: Vec<Notice>,
    /// Counts.
    pub stats: Stats,
    /// The published posts, oldest first (Jekyll's order).
    pub posts: Vec<PostMeta>,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The plan that was carried out.
    pub plan: Plan,
    /// Each file and whether it was written or already up to date.
    pub outputs: Vec<(PathBuf, WriteOutcome)>,
}

impl BuildReport {
    /// True when some post was rejected (the CLI exits 1).
    pub fn has_rejected_posts(&self) -> bool {
        self.plan.stats.rejected > 0
    }
}

fn mtime(path: &Path) -> Option<DateTime<FixedOffset>> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(DateTime::<chrono::Utc>::from(t).fixed_offset())
}

/// Builds every output in memory.
pub fn plan(opts: &BuildOptions) -> Result<Plan, Error> {
    let config = SiteConfig::load(opts)?;
    let dest = opts
        .dest
        .clone()
        .unwrap_or_else(|| opts.source.join("_site"));
    let kind = source::site_kind(&opts.source);
    let found = source::discover(&opts.source, &dest, kind, &config.exclude)?;
    let cx = Context {
        config: &config,
        kind,
        now: opts.now,
    };

    let results: Vec<(
        Result<Option<PostMeta>, crate::error::PostError>,
        Vec<Notice>,
    )> = found
        .posts
        .par_iter()
        .map(|file| {
            let mut notices = Vec::new();
            let result = match std::fs::read(&file.path) {
                Ok(bytes) => extract::read_meta(file, &bytes, mtime(&file.path), &cx, &mut notices),
                Err(e) => Err(crate::error::PostError {
                    at: Location::new(&file.path, None),
                    message: format!("could not read the file ({e}); check its permissions"),
                }),
            };
            (result, notices)
        })
        .collect();

    let mut notices = found.notices;
    let mut stats = Stats {
        read: found.posts.len(),
        ..Stats::default()
    };
    let mut posts = Vec::new();
    for (result, mut post_notices) in results {
        notices.append(&mut post_notices);
        match result {
            Ok(Some(meta)) if !meta.published => stats.skipped += 1,
            Ok(Some(meta)) if meta.date > opts.now && !config.future => stats.skipped += 1,
            Ok(Some(meta)) => posts.push(meta),
            Ok(None) => stats.skipped += 1,
            Err(e) => {
                stats.rejected += 1;
                notices.push(Notice {
                    severity: Severity::Error,
                    at: e.at,
                    message: e.message,
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
    stats.published = posts.len();
    warn_duplicate_urls(&posts, &mut notices);

    let mut files = Vec::new();
    let feed_posts: Vec<&PostMeta> = posts.iter().rev().take(config.posts_limit).collect();
    let mut entries = Vec::with_capacity(feed_posts.len());
    for meta in feed_posts {
        let rendered = std::fs::read(&meta.file.path)
            .map_err(|e| crate::error::PostError {
                at: Location::new(&meta.file.path, None),
                message: format!("could not read the file again ({e})"),
            })
            .and_then(|bytes| extract::render_entry(meta, &bytes, &config, &mut notices));
        match rendered {
            Ok(entry) => entries.push(entry),
            Err(e) => notices.push(Notice {
                severity: Severity::Error,
                at: e.at,
                message: e.message,
            }),
        }
    }
    let feed_meta = |path: &str| -> Result<FeedMeta, Error> {
        Ok(FeedMeta {
            title: config.title.clone(),
            description: config.description.clone(),
            home_url: config.base.clone(),
            feed_url: config.site_url(path).map_err(|e| Error::Config {
                at: Location::new(&opts.source.join("_config.yml"), None),
                message: format!("the feed path `{path}` does not make a valid URL: {e}"),
            })?,
            language: config.language.clone(),
            author: config.author.clone(),
            empty_updated: opts.now,
            excerpt_only: config.excerpt_only,
        })
    };
    if let Some(path) = &config.outputs.atom {
        let feed = Feed {
            meta: feed_meta(path)?,
            entries: entries.clone(),
        };
        files.push(Planned {
            path: path.clone(),
            bytes: crate::feed::atom::to_string(&feed).into_bytes(),
        });
    }
    if let Some(path) = &config.outputs.rss {
        let feed = Feed {
            meta: feed_meta(path)?,
            entries,
        };
        files.push(Planned {
            path: path.clone(),
            bytes: crate::feed::rss::to_string(&feed).into_bytes(),
        });
    }
    if let Some(path) = &config.outputs.sitemap {
        let newest = posts.iter().map(PostMeta::updated).max();
        let mut urls: Vec<SitemapUrl> = vec![SitemapUrl {
            loc: config.base.clone(),
            lastmod: newest,
        }];
        urls.extend(posts.iter().filter(|p| p.in_sitemap).map(|p| SitemapUrl {
            loc: p.url.clone(),
            lastmod: Some(p.updated()),
        }));
        files.push(Planned {
            path: path.clone(),
            bytes: crate::sitemap::to_string(&urls).into_bytes(),
        });
        // Never overwrite a robots.txt the user wrote.
        if !opts.source.join("robots.txt").exists() {
            let url = config
                .site_url(path)
                .map(|u| u.to_string())
                .unwrap_or_default();
            files.push(Planned {
                path: "robots.txt".into(),
                bytes: format!("Sitemap: {url}\n").into_bytes(),
            });
        }
    }
    // Never publish an invalid document: every XML output is validated first.
    for f in files.iter().filter(|f| f.path.ends_with(".xml")) {
        let report =
            crate::validate::validate_bytes(&f.bytes, &crate::validate::Options::default());
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
    }
    notices.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| b.severity.cmp(&a.severity)));
    if kind == SiteKind::Plain && stats.read == 0 {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&opts.source, None),
            message: "no posts found: a plain folder should hold .md, .markdown, .html or .txt files with front matter".into(),
        });
    }
    Ok(Plan {
        dest,
        files,
        notices,
        stats,
        posts,
    })
}

fn warn_duplicate_urls(posts: &[PostMeta], notices: &mut Vec<Notice>) {
    let mut seen: std::collections::HashMap<&str, &PostMeta> = std::collections::HashMap::new();
    for p in posts {
        if let Some(first) = seen.insert(p.url.as_str(), p) {
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&p.file.path, None),
                message: format!(
                    "has the same URL as {} ({}); give one of them another permalink or slug",
                    first.file.path.display(),
                    p.url
                ),
            });
        }
    }
}

/// Builds and writes every output. Outputs are written only after every one
/// of them was built; each is replaced atomically, and unchanged ones are left alone.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let plan = plan(opts)?;
    let mut outputs = Vec::new();
    for f in &plan.files {
        let path = plan.dest.join(&f.path);
        outputs.push((path.clone(), output::write_if_changed(&path, &f.bytes)?));
    }
    Ok(BuildReport { plan, outputs })
}
