//! The site builder's pipeline, in one-way stages, each a module with a
//! typed output; a stage reads what the stages before it made, never the
//! other way:
//!
//! survey ([`survey::Site`]: configuration, destination, site kind, now,
//! files found) → read ([`read::Records`]: every post file read here, or
//! answered by the cache) → select ([`select`]: the one date policy, the
//! published posts in Jekyll's order, and the [`select::Validity`] of the
//! result) → assemble ([`assemble`]: each output's bytes) → validate →
//! publish ([`publish`]: lock, atomic writes, cache).
//!
//! [`plan`] runs the stages up to validation in memory; [`check`] compares
//! the plan with what is on disk; [`build`] also publishes.

mod assemble;
mod publish;
mod read;
mod select;
mod survey;
mod validate;

pub use assemble::{Planned, PlannedFeed};
pub use publish::{BuildReport, Plan};
pub use read::{NoProgress, Progress};
pub use select::{SkipReason, Skipped, Stats};

use crate::config::BuildOptions;
use crate::error::{Error, Location, Notice, Severity};
use crate::extract::{self, Context};
use crate::output;
use crate::source::{self, SiteKind};
use publish::Made;
use rayon::prelude::*;
use select::Validity;
use std::path::{Path, PathBuf};
use survey::Site;

/// Builds every output in memory.
pub fn plan(opts: &BuildOptions) -> Result<Plan, Error> {
    let mut site = survey::survey(opts)?;
    let last = publish::last_manifest(&site);
    made_in_memory(&mut site, &last)
}

/// Every output made in memory, none left as the last build wrote it (for
/// [`plan`], [`check`] and [`feeds`], which hand back or compare them all).
fn made_in_memory(site: &mut Site, last: &Option<publish::Manifest>) -> Result<Plan, Error> {
    let git = prepare(site);
    Ok(make(
        site,
        git.as_ref(),
        &NoProgress,
        validated(last),
        &assemble::Reuse::none(),
    )?
    .plan)
}

/// The outputs the last build validated, as it left them.
fn validated(last: &Option<publish::Manifest>) -> &[survey::Stamp] {
    last.as_ref().map_or(&[], publish::Manifest::validated)
}

/// Every feed file a build writes, as cheaply as it can be known: from the
/// configuration alone when that decides which feeds exist (always, for all
/// but the tag feeds: `with_tags` false leaves those out), else from the
/// last build's manifest while it still holds, else from a plan.
pub fn feeds(opts: &BuildOptions, with_tags: bool) -> Result<Vec<PlannedFeed>, Error> {
    let config = crate::config::SiteConfig::load(opts)?;
    if !(with_tags && crate::feed::gather::feeds_depend_on_posts(&config)) {
        let docs = vec![Vec::new(); config.collection_feeds.len()];
        let sets = crate::feed::gather::feed_sets(&config, &[], &docs, &mut Vec::new());
        let feeds = assemble::feed_list(&config, &crate::config::config_path(opts), &sets)?;
        return Ok(feeds
            .into_iter()
            .filter(|f| with_tags || !matches!(f.scope, crate::feed::gather::Scope::Tag(_)))
            .collect());
    }
    let mut site = survey::survey(opts)?;
    let last = publish::last_manifest(&site);
    if let Some(m) = last.as_ref().filter(|m| publish::still_holds(m, &site)) {
        return Ok(m.feeds());
    }
    Ok(made_in_memory(&mut site, &last)?.feeds)
}

/// Puts the files found in walk order (records, and so the index, are in
/// it) and reads the commit dates: here, not in `survey`, so an unchanged
/// re-run never runs git.
fn prepare(site: &mut Site) -> Option<source::GitDates> {
    site.found.sort();
    source::git_dates(&site.source)
}

/// Runs read → select → assemble → validate. Sitemap files whose key is in
/// `reuse` are left as they are.
fn make<'s>(
    site: &'s Site,
    git: Option<&'s source::GitDates>,
    progress: &dyn Progress,
    known: &[survey::Stamp],
    reuse: &assemble::Reuse,
) -> Result<Made<'s>, Error> {
    let config = &site.config;
    let cx = Context {
        config,
        collection: None,
        kind: site.kind,
        now: site.now,
        git,
    };

    let records = read::posts(site, &cx, progress);

    let mut notices = site.found.notices.clone();
    notices.extend(config.notices.iter().cloned());
    if git.is_some_and(|g| g.shallow) {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&site.source, None),
            message: "this is a shallow git clone, so posts dated by their commits get the date of the oldest commit it holds; clone the whole history (actions/checkout: `fetch-depth: 0`)".into(),
        });
    }
    let mut stats = Stats {
        read: site.found.len(),
        from_cache: records.from_cache,
        ..Stats::default()
    };
    let mut validity = Validity::at(site.now);
    let posts = select::posts(site, &records, &mut notices, &mut stats, &mut validity);
    // jekyll-sitemap also lists pages, documents and static files.
    let (site_urls, dated_now) = match site.kind {
        SiteKind::Jekyll => {
            extract::pages::sitemap_urls(&site.site_files, config, site.now, &mut notices)
        }
        SiteKind::Plain => (Vec::new(), false),
    };
    if dated_now {
        // A document without a date is dated `site.time`: the sitemap
        // changes with the build date, so no later build may reuse it.
        validity.only_now();
    }
    let docs = read::feed_docs(site, &cx, &mut notices);
    let docs = select::docs(site, &docs, &mut validity);
    // The sitemap lists only the posts whose bodies render, and bodies are
    // rendered only for the feeds; damaged ones are rare. So the sitemap of
    // every post is built (and validated) while the feeds' posts render and
    // the feeds are built, and built again only if a post was rejected.
    // The sitemap, the longer job, runs on this thread at once; the feeds
    // wait for the other core to take them (it may still be asleep).
    let sitemap = |posts: &[usize]| {
        assemble::sitemap_and_robots(site, &records, posts, &site_urls, reuse).and_then(|s| {
            validate::all(&site.dest, &s.files, known)?;
            Ok(s)
        })
    };
    let (first_sitemap, feeds) = rayon::join(
        || sitemap(&posts),
        || make_feeds(site, &records, &posts, &docs, known),
    );
    let (rendered, feeds, failed, read_the_clock) = feeds;
    let live: Vec<usize> = if failed.is_empty() {
        posts
    } else {
        posts
            .into_iter()
            .filter(|&i| !failed.contains(&records.path(i)))
            .collect()
    };
    let sitemap = if failed.is_empty() {
        first_sitemap
    } else {
        sitemap(&live)
    };
    stats.published = live.len();
    stats.rejected_posts.extend(failed);
    stats.rejected_posts.sort();
    stats.skipped = stats.skipped_posts.len();
    stats.rejected = stats.rejected_posts.len();
    notices.extend(rendered);
    let assemble::FeedFiles {
        mut files,
        empty: feeds_empty,
        urls: feed_urls,
    } = feeds?;
    let assemble::Sitemaps {
        files: sitemap_files,
        kept,
        keys,
        news_absent,
    } = sitemap?;
    files.extend(sitemap_files);
    files.extend(
        crate::style::Styles::for_site(config, &site.source)
            .files()
            .iter()
            .map(|(path, text)| Planned {
                path: path.to_string(),
                bytes: text.as_bytes().to_vec(),
            }),
    );
    let all_paths: Vec<Planned> = files
        .iter()
        .map(|f| Planned {
            path: f.path.clone(),
            bytes: Vec::new(),
        })
        .chain(kept.iter().map(|k| Planned {
            path: k.clone(),
            bytes: Vec::new(),
        }))
        .collect();
    assemble::check_distinct_paths(&site.config_file, &all_paths)?;
    if config.news.is_some() {
        select::news_boundaries(&records, &live, &mut validity);
    }
    if let Some(path) = &news_absent {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&site.config_file, None),
            message: format!("no post was published in the two days before the build date, so there is no news sitemap; `{path}` is not written (an old one is removed)"),
        });
    }
    if feeds_empty {
        // An empty feed's `updated` is the build date: never reuse it.
        validity.only_now();
    }
    if read_the_clock {
        // A body or include printed `site.time` (or "now"): never reuse it.
        validity.only_now();
    }
    notices.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| b.severity.cmp(&a.severity)));
    if site.kind == SiteKind::Plain && stats.read == 0 {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&site.source, None),
            message: "no posts found: a plain folder should hold .md, .markdown, .html or .txt files with front matter".into(),
        });
    }
    let inputs = records.inputs;
    Ok(Made {
        plan: Plan {
            dest: site.dest.clone(),
            files,
            notices,
            stats,
            remove: news_absent.into_iter().collect(),
            feeds: feed_urls,
        },
        kept,
        keys,
        records,
        inputs,
        validity,
    })
}

/// How many posts past a feed's length the feeds' posts are taken from when
/// no feed needs every post: room for some whose bodies fail to render.
const FEED_SLACK: usize = 16;

/// The feeds, from the newest posts' records; the notices from rendering,
/// the posts rejected there, and whether a body read the clock. Only the
/// newest posts are decoded unless a feed needs every post: category and
/// tag feeds, or Liquid's `site` (which lists every post), or more
/// rejected bodies than [`FEED_SLACK`] covers.
#[allow(clippy::type_complexity)]
fn make_feeds(
    site: &Site,
    records: &read::Records<'_>,
    posts: &[usize],
    docs: &[Vec<&extract::PostMeta>],
    known: &[survey::Stamp],
) -> (
    Vec<Notice>,
    Result<assemble::FeedFiles, Error>,
    Vec<PathBuf>,
    bool,
) {
    let config = &site.config;
    let every_post = !config.category_feeds.is_empty() || config.tag_feeds.is_some();
    let mut start = if every_post {
        0
    } else {
        posts.len().saturating_sub(config.posts_limit + FEED_SLACK)
    };
    loop {
        let owned: Vec<std::borrow::Cow<'_, crate::cache::PostRecord>> = posts[start..]
            .par_iter()
            .map(|&i| records.record(i))
            .collect();
        let metas: Vec<&extract::PostMeta> = owned
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok().and_then(Option::as_ref))
            .collect();
        // Liquid's `site` (with every post's URL and `_data/`), once per build.
        let liquid = (site.kind == SiteKind::Jekyll).then(|| {
            crate::extract::render::liquid::SiteContext::new(
                config,
                &site.raw_config,
                &site.source,
                &metas,
                &site.site_files,
                site.now,
            )
        });
        let mut rendered = assemble::render_feed_posts(site, &metas, docs, liquid.as_ref());
        let partial = start > 0
            && (liquid.as_ref().is_some_and(|l| l.used_the_site())
                || rendered.live.len() < config.posts_limit);
        if partial {
            start = 0;
            continue;
        }
        let feeds = assemble::feed_files(site, &rendered).and_then(|feeds| {
            validate::all(&site.dest, &feeds.files, known)?;
            Ok(feeds)
        });
        let clock = liquid.as_ref().is_some_and(|l| l.read_the_clock());
        let notices = std::mem::take(&mut rendered.notices);
        return (notices, feeds, rendered.failed, clock);
    }
}

/// Builds and writes every output. Outputs are written only after every one
/// of them was built and validated; each is replaced atomically, unchanged
/// ones are left alone, and the destination is locked for the whole build.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    build_with(opts, &NoProgress)
}

/// [`build`], reporting progress.
pub fn build_with(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, Error> {
    let mut site = survey::survey(opts)?;
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
    let last = publish::last_manifest(&site);
    let result = match last {
        Some(m) if publish::still_holds(&m, &site) => Ok(publish::reused(site, m)),
        last => {
            let reuse = last.as_ref().map_or_else(assemble::Reuse::none, |m| {
                assemble::Reuse::of(&site.dest, m.keys(), m.validated())
            });
            let git = prepare(&mut site);
            make(&site, git.as_ref(), progress, validated(&last), &reuse)
                .and_then(|made| publish::write(&site, made, last.as_ref()))
        }
    };
    drop(lock);
    if result.is_err() {
        for dir in &missing {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

/// What [`check`] found.
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
    let mut site = survey::survey(opts)?;
    let last = publish::last_manifest(&site);
    if let Some(m) = last.as_ref().filter(|m| publish::still_holds(m, &site)) {
        let m = m.clone();
        return Ok(CheckReport {
            stale: Vec::new(),
            files: m.files(),
            notices: m.notices,
            stats: m.stats,
        });
    }
    let plan = made_in_memory(&mut site, &last)?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_held_lock_makes_a_second_build_wait_then_stop_with_a_clear_message() {
        let src = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(src.path().join("_posts")).unwrap();
        std::fs::write(src.path().join("_config.yml"), "url: https://example.com\n").unwrap();
        std::fs::write(
            src.path().join("_posts/2024-03-01-a.md"),
            "---\ntitle: A\n---\nBody.\n",
        )
        .unwrap();
        let dest = tempfile::tempdir().unwrap();
        let lock =
            crate::output::DestLock::acquire_with(dest.path(), std::time::Duration::ZERO, || {})
                .unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2024-03-17T09:00:00+09:00").unwrap();
        let mut opts = crate::config::BuildOptions::new(src.path(), now);
        opts.dest = Some(dest.path().to_path_buf());
        opts.lock_wait = std::time::Duration::from_millis(300);
        let started = std::time::Instant::now();
        let err = super::build(&opts).unwrap_err();
        assert!(
            started.elapsed() >= opts.lock_wait,
            "it waited for the lock"
        );
        assert!(matches!(err, crate::error::Error::Locked { .. }), "{err}");
        assert!(
            err.to_string().contains("another feedwright build"),
            "{err}"
        );
        assert!(
            !dest.path().join("feed.xml").exists(),
            "nothing was written"
        );
        drop(lock);
        super::build(&opts).unwrap();
        assert!(
            dest.path().join("feed.xml").exists(),
            "built once the lock was free"
        );
    }
}
