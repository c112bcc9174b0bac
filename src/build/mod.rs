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
use select::Validity;
use std::path::{Path, PathBuf};
use survey::Site;

/// Builds every output in memory.
pub fn plan(opts: &BuildOptions) -> Result<Plan, Error> {
    let mut site = survey::survey(opts)?;
    let last = publish::last_manifest(&site);
    Ok(make(&mut site, &NoProgress, validated(&last))?.plan)
}

/// The outputs the last build validated, as it left them.
fn validated(last: &Option<publish::Manifest>) -> &[validate::Stamp] {
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
    Ok(make(&mut site, &NoProgress, validated(&last))?.plan.feeds)
}

/// Runs read → select → assemble → validate.
fn make(
    site: &mut Site,
    progress: &dyn Progress,
    known: &[validate::Stamp],
) -> Result<Made, Error> {
    // Records, and so the cache, in walk order.
    site.found.sort();
    // Here, not in `survey`: an unchanged re-run never runs git.
    let git = source::git_dates(&site.source);
    let site = &*site;
    let config = &site.config;
    let cx = Context {
        config,
        collection: None,
        kind: site.kind,
        now: site.now,
        git: git.as_ref(),
    };

    let read::Records {
        records,
        from_cache,
        inputs,
    } = read::posts(site, &cx, progress);

    let mut notices = site.found.notices.clone();
    notices.extend(config.notices.iter().cloned());
    if git.as_ref().is_some_and(|g| g.shallow) {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(&site.source, None),
            message: "this is a shallow git clone, so posts dated by their commits get the date of the oldest commit it holds; clone the whole history (actions/checkout: `fetch-depth: 0`)".into(),
        });
    }
    let mut stats = Stats {
        read: site.found.len(),
        from_cache,
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
    let sitemap = |posts: &[&extract::PostMeta]| {
        assemble::sitemap_and_robots(site, posts, &site_urls).and_then(|(files, absent)| {
            validate::all(&site.dest, &files, known)?;
            Ok((files, absent))
        })
    };
    // Liquid's `site` (with every post's URL and `_data/`), once per build.
    let liquid = (site.kind == SiteKind::Jekyll).then(|| {
        crate::render::liquid::SiteContext::new(
            config,
            &site.raw_config,
            &site.source,
            &posts,
            &site.site_files,
            site.now,
        )
    });
    let (first_sitemap, (mut rendered, feeds)) = rayon::join(
        || sitemap(&posts),
        || {
            let rendered = assemble::render_feed_posts(site, &posts, &docs, liquid.as_ref());
            let feeds = assemble::feed_files(site, &rendered).and_then(|feeds| {
                validate::all(&site.dest, &feeds.files, known)?;
                Ok(feeds)
            });
            (rendered, feeds)
        },
    );
    let sitemap = if rendered.live.len() == posts.len() {
        first_sitemap
    } else {
        sitemap(&rendered.live)
    };
    let posts = rendered.live.clone();
    stats.published = posts.len();
    stats.rejected_posts.extend(rendered.failed.iter().cloned());
    stats.rejected_posts.sort();
    stats.skipped = stats.skipped_posts.len();
    stats.rejected = stats.rejected_posts.len();
    notices.append(&mut rendered.notices);
    let assemble::FeedFiles {
        mut files,
        empty: feeds_empty,
        urls: feed_urls,
    } = feeds?;
    let (sitemap_files, news_absent) = sitemap?;
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
    assemble::check_distinct_paths(&site.config_file, &files)?;
    if config.news.is_some() {
        select::news_boundaries(&posts, &mut validity);
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
    if liquid.as_ref().is_some_and(|l| l.read_the_clock()) {
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
    Ok(Made {
        plan: Plan {
            dest: site.dest.clone(),
            files,
            notices,
            stats,
            remove: news_absent.into_iter().collect(),
            feeds: feed_urls,
        },
        records,
        inputs,
        validity,
    })
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
        last => make(&mut site, progress, validated(&last))
            .and_then(|made| publish::write(&site, made, last.as_ref())),
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
    let plan = make(&mut site, &NoProgress, validated(&last))?.plan;
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
