//! Stage 6, publish: under the destination's lock, the outputs written
//! atomically (unchanged ones left alone), out-of-date ones removed, and the
//! cache saved — the manifest removed before any output is replaced and
//! saved after, so a killed build never leaves one vouching for half-done
//! work.

use super::assemble::{Planned, PlannedFeed};
use super::select::{Stats, Validity};
use super::survey::Site;
use super::survey::Stamp;
use crate::cache;
use crate::error::{Error, Location, Notice, Severity};
use crate::output::{self, WriteOutcome};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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

/// A plan and what the cache keeps of it.
pub(super) struct Made<'s> {
    pub plan: Plan,
    /// Outputs left as the last build wrote them (their keys held).
    pub kept: Vec<String>,
    /// Each keyed output's key (see [`super::assemble::Reuse`]).
    pub keys: Vec<(String, u64)>,
    pub records: super::read::Records<'s>,
    /// The fingerprint of the inputs the records were read from (with a cache).
    pub inputs: Option<u64>,
    /// The build dates the plan holds for.
    pub validity: Validity,
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
    /// Every feed file, in the order written (what `ping` tells hubs about).
    pub feeds: Vec<PlannedFeed>,
}

impl BuildReport {
    /// True when some post was rejected (the CLI exits 1).
    pub fn has_rejected_posts(&self) -> bool {
        self.stats.rejected > 0
    }
}

/// What the last build saw and left.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// Fingerprint of the inputs (see [`super::survey::fingerprint`]).
    inputs: u64,
    /// The build dates the outputs hold for.
    validity: Validity,
    /// Each output as written (after validation).
    outputs: Vec<Stamp>,
    /// The build's counts.
    pub stats: Stats,
    /// The build's notices, repeated on a re-run that has nothing to do.
    pub notices: Vec<Notice>,
    /// The feed files written (for `meta` and `ping`).
    feeds: Vec<FeedRecord>,
    /// What each sitemap file was made from (see [`super::assemble::Reuse`]).
    keys: Vec<(String, u64)>,
}

/// A [`PlannedFeed`] as the manifest keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct FeedRecord {
    path: String,
    url: crate::model::AbsUrl,
    title: String,
    mime: String,
    scope: crate::feed::gather::Scope,
}

impl Manifest {
    /// How many files the build wrote.
    pub fn files(&self) -> usize {
        self.outputs.len()
    }

    /// What each sitemap file was made from.
    pub fn keys(&self) -> &[(String, u64)] {
        &self.keys
    }

    /// The outputs as the build validated and left them.
    pub fn validated(&self) -> &[Stamp] {
        &self.outputs
    }

    /// The feed files the build wrote.
    pub fn feeds(&self) -> Vec<PlannedFeed> {
        self.feeds
            .iter()
            .filter_map(|f| {
                Some(PlannedFeed {
                    path: f.path.clone(),
                    url: f.url.clone(),
                    title: f.title.clone(),
                    mime: super::assemble::mime(&f.mime)?,
                    scope: f.scope.clone(),
                })
            })
            .collect()
    }
}

/// The last build's manifest, if the cache has one of this configuration.
pub(super) fn last_manifest(site: &Site) -> Option<Manifest> {
    site.cache.as_ref().and_then(|c| c.manifest::<Manifest>())
}

/// True when the outputs on disk are still exactly what a build now would
/// write: the same inputs, a build date inside the span the outputs hold
/// for, and every output as the last build left it.
pub(super) fn still_holds(m: &Manifest, site: &Site) -> bool {
    site.inputs == Some(m.inputs)
        && m.validity.holds_at(site.now)
        && m.outputs
            .iter()
            .all(|s| Stamp::of(&site.dest, &s.path).as_ref() == Some(s))
}

/// The report of a build that found its outputs already right.
pub(super) fn reused(site: Site, m: Manifest) -> BuildReport {
    let outputs = m
        .outputs
        .iter()
        .map(|s| (site.dest.join(&s.path), WriteOutcome::Unchanged))
        .collect();
    BuildReport {
        feeds: m.feeds(),
        dest: site.dest,
        stats: m.stats,
        notices: m.notices,
        outputs,
        reused: true,
    }
}

/// Writes the plan's files, removes what it says is out of date and what
/// the `last` build wrote that this one does not (a sitemap part when the
/// parts got fewer), and saves the cache. The caller holds the
/// destination's lock.
pub(super) fn write(
    site: &Site,
    made: Made<'_>,
    last: Option<&Manifest>,
) -> Result<BuildReport, Error> {
    let plan = made.plan;
    let paths: Vec<&str> = plan
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(plan.remove.iter().map(String::as_str))
        .collect();
    output::check_destination(&site.source, &plan.dest, &paths)?;
    // What the last build wrote, even under another configuration (turning
    // `feedwright.xsl` off leaves its stylesheets to remove).
    let earlier: Option<Manifest> = match last {
        Some(_) => None,
        None => site
            .cache
            .as_ref()
            .and_then(|c| c.manifest_of_any_configuration::<Manifest>()),
    };
    let last = last.or(earlier.as_ref());
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
    // On the thread pool: each new file is flushed to disk before it
    // replaces the old one, and those flushes overlap; the records and the
    // index (which describe posts, not outputs) are saved meanwhile. The
    // manifest, which vouches for the outputs, is saved after both.
    let records = made.records;
    let keeping = site.cache.as_ref().filter(|_| made.inputs.is_some());
    let (outputs, saved) = rayon::join(
        || {
            plan.files
                .par_iter()
                .map(|f| {
                    let path = plan.dest.join(&f.path);
                    output::write_if_changed(&path, &f.bytes).map(|o| (path, o))
                })
                .collect::<Result<Vec<(PathBuf, WriteOutcome)>, Error>>()
        },
        || {
            keeping.map(|cache| {
                let (old, rows, last_records) = records.into_saved();
                cache.save_records(&old, rows, last_records.as_ref())
            })
        },
    );
    let mut outputs = outputs?;
    for k in &made.kept {
        outputs.push((plan.dest.join(k), WriteOutcome::Unchanged));
    }
    let written: std::collections::HashSet<&str> = plan
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(made.kept.iter().map(String::as_str))
        .collect();
    let left_over = last
        .map_or(&[][..], |m| &m.outputs[..])
        .iter()
        .filter(|s| !written.contains(s.path.as_str()) && !plan.remove.contains(&s.path))
        // Only a file still as the last build left it: one another tool put
        // there since (Jekyll copying the site's own robots.txt into the
        // same folder) is not feedwright's to remove.
        .filter(|s| Stamp::of(&plan.dest, &s.path).as_ref() == Some(*s))
        .map(|s| &s.path);
    for r in plan.remove.iter().chain(left_over) {
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
            validity: made.validity,
            outputs: plan
                .files
                .iter()
                .map(|f| f.path.as_str())
                .chain(made.kept.iter().map(String::as_str))
                .filter_map(|p| Stamp::of(&plan.dest, p))
                .collect(),
            stats: plan.stats.clone(),
            notices: notices.clone(),
            feeds: plan
                .feeds
                .iter()
                .map(|f| FeedRecord {
                    path: f.path.clone(),
                    url: f.url.clone(),
                    title: f.title.clone(),
                    mime: f.mime.to_string(),
                    scope: f.scope.clone(),
                })
                .collect(),
            keys: made.keys,
        };
        // A cache that cannot be written costs speed, not the build.
        if let Err(e) = saved
            .unwrap_or(Ok(()))
            .and_then(|()| cache.save_manifest(&manifest))
        {
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&site.source.join(cache::DIR), None),
                message: format!(
                    "the build cache was not saved ({e}); the next build reads every post again"
                ),
            });
        }
    }
    Ok(BuildReport {
        feeds: plan.feeds,
        dest: plan.dest,
        stats: plan.stats,
        notices,
        outputs,
        reused: false,
    })
}
