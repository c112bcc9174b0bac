//! Stage 3, select: the one date policy. Which posts and documents are
//! published at the build date (not `published: false`, not drafts, not
//! future unless `future`), which are in the news sitemap's window, Jekyll's
//! order, one post per URL — and the span of build dates over which all of
//! that stays as it is ([`Validity`]), which is what lets a later build
//! reuse this one's outputs.

use super::read::{DatePolicy, Records};
use super::survey::Site;
use crate::error::{Location, Notice, Severity};
use crate::extract::PostMeta;
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use std::path::PathBuf;

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

/// The build dates over which a selection (and so every output) stays what
/// it is: from `from` (inclusive) until `until` (exclusive). Every date the
/// result depends on is a boundary; an output dated by the build date itself
/// holds for no other date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validity {
    /// The build date the selection was made at.
    pub now: DateTime<FixedOffset>,
    /// The latest boundary at or before `now`; `None` when there is none.
    pub from: Option<DateTime<FixedOffset>>,
    /// The first boundary after `now`; `None` when there is none.
    pub until: Option<DateTime<FixedOffset>>,
}

impl Validity {
    /// No boundary yet: valid at every date.
    pub fn at(now: DateTime<FixedOffset>) -> Self {
        Validity {
            now,
            from: None,
            until: None,
        }
    }

    /// The result differs on either side of `t`.
    pub fn boundary(&mut self, t: DateTime<FixedOffset>) {
        if t <= self.now {
            self.from = Some(self.from.map_or(t, |f| f.max(t)));
        } else {
            self.until = Some(self.until.map_or(t, |u| u.min(t)));
        }
    }

    /// The result carries the build date, so it holds at no other date,
    /// earlier or later (an empty `[now, now)` span: never reused).
    pub fn only_now(&mut self) {
        self.from = Some(self.now);
        self.until = Some(self.now);
    }

    /// True when a build at `now` selects exactly what this one did.
    pub fn holds_at(&self, now: DateTime<FixedOffset>) -> bool {
        self.from.is_none_or(|f| f <= now) && self.until.is_none_or(|u| now < u)
    }
}

/// Whether a post or document is published at the build date; `Err` says
/// why not. The date it turns on is recorded in `validity`.
fn published(meta: &DatePolicy, future: bool, validity: &mut Validity) -> Result<(), SkipReason> {
    if !meta.published {
        return Err(SkipReason::Unpublished);
    }
    if meta.draft {
        return Err(SkipReason::Draft);
    }
    if meta.clamped_to_now {
        // Dated by "now": the outputs change with the build date.
        validity.only_now();
    }
    if meta.date_capped {
        // A file or commit time: a build date before it dates the post by
        // the build date instead, `future` or not.
        validity.boundary(meta.date);
    }
    if future {
        return Ok(());
    }
    validity.boundary(meta.date);
    if meta.date > validity.now {
        return Err(SkipReason::Future(meta.date));
    }
    Ok(())
}

/// The published posts (their rows), in Jekyll's order (by date, then
/// path), one per URL; the others are counted in `stats` (and rejected ones
/// named in `notices`).
pub(super) fn posts(
    site: &Site,
    records: &Records<'_>,
    notices: &mut Vec<Notice>,
    stats: &mut Stats,
    validity: &mut Validity,
) -> Vec<usize> {
    let mut posts = Vec::new();
    for i in 0..records.len() {
        let facts = &records.row(i).facts;
        if facts.notices || facts.error {
            let record = records.record(i);
            notices.extend(record.notices.iter().cloned());
            if let Err(e) = &record.outcome {
                stats.rejected_posts.push(e.at.path.clone());
                notices.push(Notice {
                    severity: Severity::Error,
                    at: e.at.clone(),
                    message: e.message.clone(),
                });
                continue;
            }
        }
        if facts.error {
            continue;
        }
        let mut skip = |reason| {
            stats.skipped_posts.push(Skipped {
                path: site.source.join(relative(records.path_parts(i))),
                reason,
            })
        };
        if !facts.post {
            skip(SkipReason::NoFrontMatter);
            continue;
        }
        let dates = records.dates(i);
        match published(&dates, site.config.future, validity) {
            Ok(()) => {
                let (secs, nanos) = records.instant(i);
                posts.push((secs, nanos, i as u32));
            }
            Err(reason) => skip(reason),
        }
    }
    // Jekyll's order: by date, then by path. Paths are unique, so no two
    // keys are equal and an unstable sort gives the one order; on the
    // thread pool, as it is the longest step between reading and writing.
    if site.found.dirs.len() <= 1 {
        // In one folder, the files are in name order (`Discovery::sort`),
        // which is path order: the index stands for the path.
        debug_assert!(site.found.files.windows(2).all(|w| w[0].name < w[1].name));
        posts.par_sort_unstable();
    } else {
        posts.par_sort_unstable_by(|(sa, na, a), (sb, nb, b)| {
            (sa, na).cmp(&(sb, nb)).then_with(|| {
                path_order(
                    records.path_parts(*a as usize),
                    records.path_parts(*b as usize),
                )
            })
        });
    }
    let posts: Vec<usize> = posts.into_iter().map(|(_, _, i)| i as usize).collect();
    // Two posts at one URL: Jekyll writes both, the later over the earlier,
    // and its feed lists both under one id, which no feed may do. The page
    // the site serves is the later post's, so that one is published.
    drop_shadowed_posts(records, posts, notices, stats)
}

/// A path relative to the source from its folder and name.
fn relative((dir, name): (&str, &str)) -> String {
    match dir {
        "" => name.to_string(),
        dir => format!("{dir}/{name}"),
    }
}

/// Orders paths given as (folder, name) as their joined spelling orders.
fn path_order(a: (&str, &str), b: (&str, &str)) -> std::cmp::Ordering {
    let bytes = |(dir, name): (&'_ str, &'_ str)| {
        let sep: &[u8] = if dir.is_empty() { b"" } else { b"/" };
        dir.as_bytes()
            .iter()
            .chain(sep)
            .chain(name.as_bytes())
            .copied()
            .collect::<Vec<u8>>()
    };
    if a.0 == b.0 {
        return a.1.cmp(b.1);
    }
    bytes(a).cmp(&bytes(b))
}

/// The published documents of each collection with a feed, as Jekyll reads
/// a collection: published, not future (unless `future`), oldest first;
/// jekyll-feed leaves out drafts.
pub(super) fn docs<'a>(
    site: &Site,
    docs: &'a [Vec<PostMeta>],
    validity: &mut Validity,
) -> Vec<Vec<&'a PostMeta>> {
    docs.iter()
        .map(|docs| {
            let mut kept: Vec<&PostMeta> = docs
                .iter()
                .filter(|d| published(&DatePolicy::of(d), site.config.future, validity).is_ok())
                .collect();
            sort(&mut kept);
            kept
        })
        .collect()
}

/// Jekyll's order: by date, then by path.
fn sort(posts: &mut [&PostMeta]) {
    posts.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.file.relative_path.cmp(&b.file.relative_path))
    });
}

/// How long a post stays in the Google News sitemap.
const NEWS_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(2);
/// Most URLs in a Google News sitemap.
const NEWS_MAX_URLS: usize = 1000;

/// The news sitemap's posts (their rows): published in the two days up to
/// `now`, newest first, at most 1,000.
pub(super) fn news(
    records: &Records<'_>,
    posts: &[usize],
    now: DateTime<FixedOffset>,
) -> Vec<usize> {
    posts
        .iter()
        .rev()
        .filter(|&&i| {
            let d = records.dates(i).date;
            d <= now && now - d < NEWS_WINDOW
        })
        .take(NEWS_MAX_URLS)
        .copied()
        .collect()
}

/// Each post's entering and leaving the news window, as boundaries.
pub(super) fn news_boundaries(records: &Records<'_>, posts: &[usize], validity: &mut Validity) {
    for &i in posts {
        let d = records.dates(i).date;
        validity.boundary(d);
        validity.boundary(d + NEWS_WINDOW);
    }
}

/// Leaves out every post whose URL a later post (in Jekyll's order) also
/// has, with a warning naming both. Rows are told apart by their URLs'
/// hashes; only rows whose hashes meet are decoded to compare the URLs.
fn drop_shadowed_posts(
    records: &Records<'_>,
    posts: Vec<usize>,
    notices: &mut Vec<Notice>,
    stats: &mut Stats,
) -> Vec<usize> {
    let mut by_hash: Vec<(u64, u32)> = posts
        .iter()
        .enumerate()
        .map(|(k, &i)| (records.row(i).facts.url, k as u32))
        .collect();
    by_hash.sort_unstable();
    let groups: Vec<Vec<usize>> = by_hash
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.len() > 1)
        .map(|g| g.iter().map(|&(_, k)| k as usize).collect())
        .collect();
    drop(by_hash);
    if groups.is_empty() {
        return posts;
    }
    // Within each group of one hash, the last of each URL wins.
    let mut losers: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for group in &groups {
        let urls: Vec<(usize, String)> = group
            .iter()
            .map(|&k| {
                let url = match &records.record(posts[k]).outcome {
                    Ok(Some(m)) => m.url.to_string(),
                    _ => String::new(),
                };
                (k, url)
            })
            .collect();
        for (k, url) in &urls {
            let winner = urls
                .iter()
                .filter(|(_, u)| u == url)
                .map(|(k, _)| *k)
                .max()
                .expect("a URL is its own match");
            if winner != *k {
                losers.insert(*k, winner);
            }
        }
    }
    let mut kept = Vec::with_capacity(posts.len() - losers.len());
    for (k, &i) in posts.iter().enumerate() {
        let Some(&winner) = losers.get(&k) else {
            kept.push(i);
            continue;
        };
        let path = records.path(i);
        let winner_path = records.path(posts[winner]);
        let url = match &records.record(i).outcome {
            Ok(Some(m)) => m.url.to_string(),
            _ => String::new(),
        };
        stats.skipped_posts.push(Skipped {
            path: path.clone(),
            reason: SkipReason::SameUrl(winner_path.clone()),
        });
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&path, None),
            message: format!(
                "not published: {} has the same URL ({url}), and Jekyll writes that one over this one; give one of them another permalink or slug",
                winner_path.display(),
            ),
        });
    }
    kept
}
