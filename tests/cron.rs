//! Unattended runs: the build cache, unchanged re-runs, the destination lock,
//! `kill -9` in the middle of a build, and sitemap splitting.

use crate::util::*;
use feedwright::site::WriteOutcome;
use feedwright::sitemap::{split, to_string, Limits, SitemapUrl, MAX_BYTES, MAX_URLS};
use feedwright::BuildOptions;
use std::path::Path;
use std::process::Command;

fn cached(source: &Path, dest: &Path) -> BuildOptions {
    let mut opts = options(source, dest);
    opts.cache = true;
    opts
}

fn mtimes(dir: &Path) -> Vec<std::time::SystemTime> {
    snapshot(dir)
        .keys()
        .map(|f| std::fs::metadata(dir.join(f)).unwrap().modified().unwrap())
        .collect()
}

#[test]
fn an_unchanged_rerun_reads_no_post_and_rewrites_nothing() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 50);
    let dest = tempfile::tempdir().unwrap();
    let first = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(!first.reused);
    let before = (snapshot(dest.path()), mtimes(dest.path()));
    let second = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(second.reused, "the manifest should have answered");
    assert_eq!(second.stats, first.stats);
    assert!(second
        .outputs
        .iter()
        .all(|(_, o)| *o == WriteOutcome::Unchanged));
    assert_eq!((snapshot(dest.path()), mtimes(dest.path())), before);
}

#[test]
fn an_incremental_build_after_edits_equals_a_fresh_build() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 200);
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();

    // Edit the newest post, delete one, add one.
    let posts = src.path().join("_posts");
    let newest = src.path().join(post_path(199));
    std::fs::write(&newest, read(&newest).replace("글 199", "고친 제목")).unwrap();
    std::fs::remove_file(src.path().join(post_path(3))).unwrap();
    std::fs::write(
        posts.join("2021-06-01-added.md"),
        "---\ntitle: Added\n---\nnew\n",
    )
    .unwrap();
    let again = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(!again.reused);
    assert_eq!(
        again.stats.from_cache, 198,
        "only the edited and added posts are read"
    );

    let fresh = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), fresh.path())).unwrap();
    assert_eq!(snapshot(dest.path()), snapshot(fresh.path()));
    let atom = read(&dest.path().join("feed.xml"));
    assert!(atom.contains("고친 제목") && atom.contains("Added"));
}

#[test]
fn a_corrupt_or_foreign_cache_is_rebuilt_never_trusted() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 30);
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    let cache = src.path().join(".feedwright-cache");

    // Garbage in every file.
    for f in ["records.bin", "index.bin", "manifest.bin"] {
        std::fs::write(cache.join(f), b"\x00\xffnot a cache").unwrap();
    }
    let report = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(!report.reused);
    assert_eq!(report.stats.from_cache, 0);

    // A cache made under another configuration (a new site title) is not
    // used for records or outputs.
    let config = src.path().join("_config.yml");
    std::fs::write(
        &config,
        read(&config).replace("title: Scale", "title: Renamed"),
    )
    .unwrap();
    let report = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert_eq!(report.stats.from_cache, 0);
    assert!(read(&dest.path().join("feed.xml")).contains("<title>Renamed</title>"));

    let fresh = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), fresh.path())).unwrap();
    assert_eq!(snapshot(dest.path()), snapshot(fresh.path()));
}

#[test]
fn a_damaged_record_in_the_cache_is_read_from_its_post_again() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 60);
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    // Every byte of the records but the file's id turned over: the index
    // still points at them, and no frame's hash holds any more.
    let records = src.path().join(".feedwright-cache/records.bin");
    let mut bytes = std::fs::read(&records).unwrap();
    for b in &mut bytes[8..] {
        *b = !*b;
    }
    std::fs::write(&records, bytes).unwrap();
    // A new newest post: the feeds need the records of the posts before it.
    std::fs::write(
        src.path().join("_posts/2030-01-01-newest.md"),
        "---\ntitle: Newest\n---\nnew\n",
    )
    .unwrap();
    let mut opts = cached(src.path(), dest.path());
    opts.now = date("2030-06-01T00:00:00+09:00");
    let report = feedwright::build(&opts).unwrap();
    assert_eq!(report.stats.published, 61);
    let fresh = tempfile::tempdir().unwrap();
    let mut fresh_opts = options(src.path(), fresh.path());
    fresh_opts.now = opts.now;
    feedwright::build(&fresh_opts).unwrap();
    assert_eq!(snapshot(dest.path()), snapshot(fresh.path()));
    assert!(read(&dest.path().join("feed.xml")).contains("글 59"));
}

#[test]
fn an_output_changed_by_hand_is_restored_despite_a_warm_cache() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 10);
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    let good = read(&dest.path().join("rss.xml"));
    std::fs::write(dest.path().join("rss.xml"), "truncated").unwrap();
    let report = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(!report.reused);
    assert_eq!(read(&dest.path().join("rss.xml")), good);
}

#[test]
fn a_future_post_appears_when_its_date_arrives_with_a_warm_cache() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 5);
    std::fs::write(
        src.path().join("_posts/2026-11-25-tomorrow.md"),
        "---\ntitle: Tomorrow\n---\nsoon\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(!read(&dest.path().join("feed.xml")).contains("Tomorrow"));
    let mut later = cached(src.path(), dest.path());
    later.now = date("2026-11-26T00:00:00Z");
    let report = feedwright::build(&later).unwrap();
    assert!(!report.reused);
    assert!(read(&dest.path().join("feed.xml")).contains("Tomorrow"));
}

fn feedwright_cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_feedwright"))
}

#[test]
fn two_builds_at_once_both_succeed_with_whole_outputs() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 2000);
    let dest = tempfile::tempdir().unwrap();
    let spawn = || {
        feedwright_cli()
            .args(["build", "--quiet", "--build-date", BUILD_DATE, "--dest"])
            .arg(dest.path())
            .arg(src.path())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    for f in ["feed.xml", "rss.xml", "sitemap.xml"] {
        strict_parse(&read(&dest.path().join(f)));
    }
}

#[test]
fn kill_9_at_thirty_moments_never_leaves_a_partial_output() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 3000);
    let post = src.path().join(post_path(2999));
    let original = read(&post);
    // The two versions every output must be, whole, after any kill.
    let versions: Vec<_> = ["A", "B"]
        .iter()
        .map(|v| {
            std::fs::write(&post, original.replace("글 2999", v)).unwrap();
            let d = tempfile::tempdir().unwrap();
            feedwright::build(&options(src.path(), d.path())).unwrap();
            snapshot(d.path())
        })
        .collect();
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    for i in 0..30u64 {
        let v = if i % 2 == 0 { "A" } else { "B" };
        std::fs::write(&post, original.replace("글 2999", v)).unwrap();
        let mut child = feedwright_cli()
            .args(["build", "--quiet", "--build-date", BUILD_DATE, "--dest"])
            .arg(dest.path())
            .arg(src.path())
            .spawn()
            .unwrap();
        // Spread the kills over a build's whole run (a few hundred ms here).
        std::thread::sleep(std::time::Duration::from_millis((i * 37) % 400));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for (name, bytes) in snapshot(dest.path()) {
            if name.starts_with(".feedwright-") {
                continue; // a temporary file the next build removes
            }
            assert!(
                versions.iter().any(|v| v.get(&name) == Some(&bytes)),
                "kill {i}: {name} is neither the old nor the new whole file"
            );
        }
    }
    // The next build finishes the job, clears the leftovers and equals a fresh build.
    std::fs::write(&post, original.replace("글 2999", "B")).unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert_eq!(snapshot(dest.path()), versions[1]);
}

fn url(i: usize, len: usize) -> SitemapUrl {
    let head = format!("https://example.com/{i}/");
    let pad = "a".repeat(len.saturating_sub(head.len()));
    SitemapUrl::new(
        feedwright::model::AbsUrl::parse(&format!("{head}{pad}")).unwrap(),
        None,
    )
}

#[test]
fn sitemap_splits_after_exactly_50000_urls() {
    let urls: Vec<_> = (0..MAX_URLS + 1).map(|i| url(i, 0)).collect();
    assert_eq!(split(&urls[..MAX_URLS], Limits::default()).len(), 1);
    let parts = split(&urls, Limits::default());
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [MAX_URLS, 1]
    );
}

#[test]
fn sitemap_splits_after_exactly_50_mib() {
    // Long URLs reach the byte limit long before 50,000 of them.
    let n = 26_000;
    let mut urls: Vec<_> = (0..n).map(|i| url(i, 2000)).collect();
    let size = to_string(&urls).len();
    assert!(size > MAX_BYTES, "the test needs more than 50 MiB: {size}");
    // Shorten the last URLs until the whole sitemap is exactly 50 MiB.
    let mut excess = size - MAX_BYTES;
    let mut i = n - 1;
    while excess > 0 {
        let cut = excess.min(1900);
        urls[i] = url(i, 2000 - cut);
        excess -= cut;
        i -= 1;
    }
    assert_eq!(to_string(&urls).len(), MAX_BYTES);
    assert_eq!(split(&urls, Limits::default()).len(), 1);
    // One more byte splits it, and every part is within the limit.
    urls[n - 1] = url(n - 1, urls[n - 1].loc.as_str().len() + 1);
    let parts = split(&urls, Limits::default());
    assert_eq!(parts.len(), 2);
    assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), n);
    assert!(parts.iter().all(|p| to_string(p).len() <= MAX_BYTES));
}

#[test]
fn a_site_past_50000_urls_gets_a_valid_index_whose_parts_stay_put_as_posts_come() {
    let src = tempfile::tempdir().unwrap();
    // 50,000 posts and the home page: 50,001 URLs.
    write_site(src.path(), 50_000);
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    let parts = |dest: &Path| -> Vec<(String, String)> {
        let index = read(&dest.join("sitemap.xml"));
        strict_parse(&index)
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .map(|loc| {
                let name = loc.rsplit('/').next().unwrap().to_string();
                let text = read(&dest.join(&name));
                (name, text)
            })
            .collect()
    };
    let before = parts(dest.path());
    assert!(
        before.len() > 2,
        "50,001 URLs are cut into parts of about 2,000, not 50,000 + 1: {} parts",
        before.len()
    );
    let mut locs = std::collections::BTreeSet::new();
    for (i, (name, part)) in before.iter().enumerate() {
        assert_eq!(name, &format!("sitemap-{}.xml", i + 1));
        let report = feedwright::validate::validate_str(part, &Default::default());
        assert!(!report.has_errors(), "{name}: {:?}", report.diagnostics);
        let doc = strict_parse(part);
        let n = doc.descendants().filter(|n| n.has_tag_name("loc")).count();
        assert!((1..=MAX_URLS).contains(&n), "{name} lists {n} URLs");
        locs.extend(
            doc.descendants()
                .filter(|n| n.has_tag_name("loc"))
                .filter_map(|n| n.text().map(str::to_string)),
        );
    }
    assert_eq!(locs.len(), 50_001, "every URL once");
    assert!(locs.contains("https://example.com/"));

    // A post in the middle of the list: one part changes (two, when the
    // new URL ends a part), and the rest are the same files.
    std::fs::write(
        src.path().join("_posts/2021-01-02-middle.md"),
        "---\ntitle: Middle\n---\nnew\n",
    )
    .unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    let after = parts(dest.path());
    let changed = after.iter().filter(|p| !before.contains(p)).count();
    assert!(
        (1..=2).contains(&changed) && after.len() >= before.len(),
        "{changed} of {} parts changed",
        after.len()
    );
    let fresh = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), fresh.path())).unwrap();
    assert_eq!(snapshot(dest.path()), snapshot(fresh.path()));
}

/// The sitemap is built while the feeds' posts render, on the guess that
/// every body renders: a post whose body turns out damaged must still leave
/// the sitemap, and the next post take its place in the feed.
#[test]
fn a_post_with_a_damaged_body_leaves_the_sitemap_built_beside_the_feeds() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 30);
    let damaged = src.path().join(post_path(29));
    let mut bytes = b"---\ntitle: Damaged\n---\nstarts fine, then \xff\xfe\n".to_vec();
    bytes.extend(b"more\n");
    std::fs::write(&damaged, bytes).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let report = feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert_eq!((report.stats.published, report.stats.rejected), (29, 1));
    let sitemap = read(&dest.path().join("sitemap.xml"));
    assert_eq!(
        sitemap.matches("<url>").count(),
        30,
        "29 posts and the home page"
    );
    assert!(!sitemap.contains("post-29"), "{sitemap}");
    assert!(sitemap.contains("post-28"));
    let atom = read(&dest.path().join("feed.xml"));
    // All thirty share a date, so they sort by path: the damaged post-29 is
    // among the ten newest, and post-26 takes its place.
    assert!(!atom.contains("Damaged") && atom.contains("글 28") && atom.contains("글 26"));
    assert_eq!(atom.matches("<entry>").count(), 10);
}

/// Regression: statting a folder of more than one batch of posts blocked the
/// only worker of a one-thread pool (a one-core machine, or
/// `RAYON_NUM_THREADS=1`) on a channel, so a cached re-run never ended.
#[test]
fn a_cached_rerun_on_one_thread_finishes() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 4500);
    let dest = tempfile::tempdir().unwrap();
    let run = || {
        let mut child = feedwright_cli()
            .args(["build", "--quiet", "--build-date", BUILD_DATE, "--dest"])
            .arg(dest.path())
            .arg(src.path())
            .env("RAYON_NUM_THREADS", "1")
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            if started.elapsed() > std::time::Duration::from_secs(60) {
                child.kill().unwrap();
                child.wait().unwrap();
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    let first = run().expect("the first build finished");
    assert!(first.success());
    // The cache now exists, so this run stats every post while listing.
    let again = run().expect("the cached re-run finished within a minute");
    assert!(again.success());
}

/// A build with the cache, at `now`, whose outputs must equal a fresh
/// build's of the same state.
fn cached_equals_fresh(src: &Path, dest: &Path, now: &str) -> feedwright::BuildReport {
    let mut opts = cached(src, dest);
    opts.now = date(now);
    let report = feedwright::build(&opts).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let mut fresh_opts = options(src, fresh.path());
    fresh_opts.now = date(now);
    feedwright::build(&fresh_opts).unwrap();
    assert_eq!(snapshot(dest), snapshot(fresh.path()), "at {now}");
    report
}

#[test]
fn a_build_date_moved_back_before_a_post_hides_it_again_with_a_warm_cache() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 5);
    std::fs::write(
        src.path().join("_posts/2026-11-23-yesterday.md"),
        "---\ntitle: Yesterday\n---\nnews\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    cached_equals_fresh(src.path(), dest.path(), BUILD_DATE);
    assert!(read(&dest.path().join("feed.xml")).contains("Yesterday"));
    let report = cached_equals_fresh(src.path(), dest.path(), "2026-11-22T00:00:00Z");
    assert!(!report.reused);
    assert!(!read(&dest.path().join("feed.xml")).contains("Yesterday"));
}

/// Regression: an output the last build wrote and this one does not is
/// removed only while it is still the file that build left. When the site
/// gains its own robots.txt, Jekyll copies it into the same folder; the next
/// build must not delete that copy as its own left-over.
#[test]
fn a_left_over_output_replaced_by_another_tool_is_not_removed() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 3);
    let dest = tempfile::tempdir().unwrap();
    cached_equals_fresh(src.path(), dest.path(), BUILD_DATE);
    assert!(read(&dest.path().join("robots.txt")).starts_with("Sitemap: "));
    let own = "User-agent: *\nDisallow: /private/\n";
    std::fs::write(src.path().join("robots.txt"), own).unwrap();
    std::fs::write(dest.path().join("robots.txt"), own).unwrap();
    let mut opts = cached(src.path(), dest.path());
    opts.now = date(BUILD_DATE);
    feedwright::build(&opts).unwrap();
    assert_eq!(read(&dest.path().join("robots.txt")), own);
}

/// Regression (differential seed 16): a configuration change discards the
/// last build's manifest, so the stylesheets written while `feedwright.xsl`
/// was on stayed after it was turned off, where a fresh build has none.
#[test]
fn outputs_a_configuration_change_drops_are_removed_as_a_fresh_build_has_none() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 3);
    let config = src.path().join("_config.yml");
    let plain = read(&config);
    std::fs::write(&config, format!("{plain}feedwright:\n  xsl: true\n")).unwrap();
    let dest = tempfile::tempdir().unwrap();
    cached_equals_fresh(src.path(), dest.path(), BUILD_DATE);
    assert!(dest.path().join("atom.xsl").is_file());
    std::fs::write(&config, plain).unwrap();
    cached_equals_fresh(src.path(), dest.path(), BUILD_DATE);
    assert!(!dest.path().join("atom.xsl").exists());
}

/// Regression: Liquid's `site.time` (and `"now"`, also the build date) print
/// the build date into a post's content, so those outputs hold at that date
/// only; a later build reused them with the old time, where a fresh build
/// prints the new one.
#[test]
fn a_body_printing_site_time_is_rendered_afresh_when_the_build_date_moves() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 3);
    std::fs::write(
        src.path().join("_posts/2026-01-05-clock.md"),
        "---\ntitle: Clock\n---\nBuilt {{ site.time | date: \"%Y-%m-%d\" }}.\n",
    )
    .unwrap();
    std::fs::create_dir_all(src.path().join("_includes")).unwrap();
    std::fs::write(
        src.path().join("_includes/stamp.html"),
        "stamped {{ 'now' | date: '%d.%m.%Y' }}",
    )
    .unwrap();
    std::fs::write(
        src.path().join("_posts/2026-01-06-stamp.md"),
        "---\ntitle: Stamp\n---\n{% include stamp.html %}\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    cached_equals_fresh(src.path(), dest.path(), BUILD_DATE);
    assert!(read(&dest.path().join("feed.xml")).contains("Built 2026-11-24"));
    let report = cached_equals_fresh(src.path(), dest.path(), "2026-11-26T00:00:00Z");
    assert!(!report.reused);
    let feed = read(&dest.path().join("feed.xml"));
    assert!(feed.contains("Built 2026-11-26"), "{feed}");
    // "now" is the build's time, never the machine's clock.
    assert!(feed.contains("stamped 26.11.2026"), "{feed}");
}

/// Regression: a post dated by its file time kept that date from the cache
/// when the build date moved back before it, where a fresh build dates it
/// with the build date; the cached build left it out as a future post.
#[test]
fn a_post_dated_by_its_file_time_is_dated_afresh_when_the_build_date_moves_back_before_it() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("dated.md"),
        "---\ntitle: Dated\ndate: 2020-01-01\n---\nold\n",
    )
    .unwrap();
    let undated = src.path().join("undated.md");
    std::fs::write(&undated, "---\ntitle: Undated\n---\nby file time\n").unwrap();
    let mtime = date("2026-11-20T00:00:00Z");
    std::fs::File::options()
        .write(true)
        .open(&undated)
        .unwrap()
        .set_modified(mtime.into())
        .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let with_url = |now: &str| {
        let mut opts = cached(src.path(), dest.path());
        opts.url = Some("https://example.com".into());
        opts.now = date(now);
        let report = feedwright::build(&opts).unwrap();
        let fresh = tempfile::tempdir().unwrap();
        let mut fresh_opts = options(src.path(), fresh.path());
        fresh_opts.url = opts.url.clone();
        fresh_opts.now = opts.now;
        feedwright::build(&fresh_opts).unwrap();
        assert_eq!(snapshot(dest.path()), snapshot(fresh.path()), "at {now}");
        report
    };
    with_url(BUILD_DATE);
    assert!(read(&dest.path().join("feed.xml")).contains("2026-11-20T00:00:00"));
    let report = with_url("2026-11-19T00:00:00Z");
    assert_eq!(report.stats.published, 2, "{:?}", report.stats);
    assert!(read(&dest.path().join("feed.xml")).contains("2026-11-19T00:00:00"));
}

/// Regression: an output the last build wrote and this one does not (a tag
/// feed whose only post was deleted; a sitemap part when the parts got
/// fewer) stayed in the destination, where a fresh build has none.
#[test]
fn an_output_no_longer_written_is_removed_as_a_fresh_build_has_none() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 5);
    let config = src.path().join("_config.yml");
    std::fs::write(&config, read(&config) + "feed:\n  tags: true\n").unwrap();
    let rare = src.path().join("_posts/2020-02-01-rare.md");
    std::fs::write(&rare, "---\ntitle: Rare\ntags: [rare]\n---\nonce\n").unwrap();
    let dest = tempfile::tempdir().unwrap();
    cached_equals_fresh(src.path(), dest.path(), BUILD_DATE);
    let tag_feed = dest.path().join("feed/by_tag/rare.xml");
    assert!(tag_feed.exists());
    std::fs::remove_file(&rare).unwrap();
    let mut opts = cached(src.path(), dest.path());
    opts.now = date(BUILD_DATE);
    feedwright::build(&opts).unwrap();
    assert!(
        !tag_feed.exists(),
        "the tag feed of a tag no post has any more"
    );
}

/// Once Liquid runs, `_includes/` is an input of every post that includes
/// from it: an edit there must not be mistaken for an unchanged site, and
/// the cached build must equal a fresh one (content and summary alike).
#[test]
fn editing_an_include_changes_the_feed_and_equals_a_fresh_build() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 5);
    std::fs::create_dir_all(src.path().join("_includes")).unwrap();
    let include = src.path().join("_includes/notice.html");
    std::fs::write(&include, "Old notice text.").unwrap();
    std::fs::write(
        src.path().join("_posts/2021-01-01-includes.md"),
        "---\ntitle: Includes\n---\n{% include notice.html %} Then the body.\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    let before = read(&dest.path().join("feed.xml"));
    assert!(before.contains("Old notice text."), "{before}");

    std::fs::write(&include, "New notice, a different length.").unwrap();
    let again = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert!(!again.reused, "an edited include is not an unchanged site");
    let after = read(&dest.path().join("feed.xml"));
    assert!(!after.contains("Old notice text."), "{after}");
    assert_eq!(
        after.matches("New notice, a different length.").count(),
        2,
        "in the content and in the summary: {after}"
    );

    let fresh = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), fresh.path())).unwrap();
    assert_eq!(snapshot(dest.path()), snapshot(fresh.path()));
}

#[test]
fn sitemap_urls_cuts_a_small_site_into_parts_of_at_most_that_many() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 300);
    let config = src.path().join("_config.yml");
    std::fs::write(
        &config,
        format!("{}feedwright:\n  sitemap_urls: 40\n", read(&config)),
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), dest.path())).unwrap();
    let index = read(&dest.path().join("sitemap.xml"));
    let names: Vec<String> = strict_parse(&index)
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .map(|loc| loc.rsplit('/').next().unwrap().to_string())
        .collect();
    assert!(names.len() >= 301 / 40, "{} parts", names.len());
    let mut urls = 0;
    for name in &names {
        let part = read(&dest.path().join(name));
        let n = strict_parse(&part)
            .descendants()
            .filter(|n| n.has_tag_name("url"))
            .count();
        assert!((1..=40).contains(&n), "{name} lists {n} URLs");
        urls += n;
    }
    assert_eq!(urls, 301);

    // A value past the protocol's limit is refused with a warning naming it.
    std::fs::write(
        &config,
        read(&config).replace("sitemap_urls: 40", "sitemap_urls: 90000"),
    )
    .unwrap();
    let report = feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert!(report
        .notices
        .iter()
        .any(|n| n.message.contains("feedwright.sitemap_urls")));
    assert!(!read(&dest.path().join("sitemap.xml")).contains("sitemapindex"));
}

#[test]
fn a_post_added_is_appended_to_the_record_file_and_the_index_in_place() {
    let src = tempfile::tempdir().unwrap();
    write_site(src.path(), 120);
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&cached(src.path(), dest.path())).unwrap();
    let records = src.path().join(".feedwright-cache/records.bin");
    let before = std::fs::read(&records).unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let ino = inode(&records);
    let index = src.path().join(".feedwright-cache/index.bin");
    let (index_ino, index_len) = (inode(&index), std::fs::metadata(&index).unwrap().len());
    std::fs::write(
        src.path().join("_posts/2020-06-01-added.md"),
        "---\ntitle: Added\n---\nnew\n",
    )
    .unwrap();
    let report = feedwright::build(&cached(src.path(), dest.path())).unwrap();
    assert_eq!(report.stats.from_cache, 120, "only the new post is read");
    let after = std::fs::read(&records).unwrap();
    assert_eq!(inode(&records), ino, "the same file, not a new one");
    assert!(
        after.len() > before.len() && after.len() - before.len() < before.len() / 50,
        "one frame appended: {} -> {} bytes",
        before.len(),
        after.len()
    );
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "what was there is untouched"
    );
    // The index too: one row more, in the same file.
    assert_eq!(inode(&index), index_ino);
    assert_eq!(std::fs::metadata(&index).unwrap().len(), index_len + 74);
    let fresh = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), fresh.path())).unwrap();
    assert_eq!(snapshot(dest.path()), snapshot(fresh.path()));
}
