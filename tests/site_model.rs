//! The Jekyll site model beyond the golden comparisons: one value never
//! costs the site, and a failed build leaves nothing behind.

use crate::util::*;

fn site(config: &str, posts: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_config.yml"), config).unwrap();
    std::fs::create_dir(dir.path().join("_posts")).unwrap();
    for (name, text) in posts {
        std::fs::write(dir.path().join("_posts").join(name), text).unwrap();
    }
    dir
}

/// `locale: en_US` (jekyll-seo-tag's key, in many themes) and a post's
/// `lang: pt_BR` are mended, not fatal: the feeds carry `en-US` and `pt-BR`.
#[test]
fn posix_locales_publish_as_language_tags() {
    let src = site(
        "url: https://example.com\nlocale: en_US\n",
        &[
            ("2024-01-01-a.md", "---\ntitle: A\nlang: pt_BR\n---\nOlá.\n"),
            (
                "2024-01-02-b.md",
                "---\ntitle: B\nlang: not a language\n---\nB.\n",
            ),
        ],
    );
    let dest = tempfile::tempdir().unwrap();
    let report = feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert_eq!(report.stats.published, 2);
    assert_eq!(report.stats.rejected, 0);
    let atom = read(&dest.path().join("feed.xml"));
    let doc = strict_parse(&atom);
    assert_eq!(
        doc.root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en-US")
    );
    assert!(atom.contains(r#"xml:lang="pt-BR""#), "{atom}");
    let rss = read(&dest.path().join("rss.xml"));
    assert!(rss.contains("<language>en-US</language>"), "{rss}");
    let warning = report
        .notices
        .iter()
        .find(|n| n.at.path.ends_with("2024-01-02-b.md"))
        .expect("the unmendable lang is reported");
    assert_eq!(warning.at.line, Some(3));
    assert!(
        warning.message.contains("`lang: not a language`"),
        "{warning}"
    );
}

#[test]
fn an_unmendable_site_language_is_dropped_with_a_warning_naming_the_line() {
    let src = site(
        "url: https://example.com\ntitle: T\nlang: English (UK)\n",
        &[("2024-01-01-a.md", "---\ntitle: A\n---\nA.\n")],
    );
    let dest = tempfile::tempdir().unwrap();
    let report = feedwright::build(&options(src.path(), dest.path())).unwrap();
    let n = report
        .notices
        .iter()
        .find(|n| n.message.contains("`lang: English (UK)`"))
        .expect("warned");
    assert!(
        n.at.path.ends_with("_config.yml") && n.at.line == Some(3),
        "{n}"
    );
    assert!(!read(&dest.path().join("feed.xml")).contains("xml:lang"));
}

/// A build that fails writes nothing and creates nothing: not even the
/// destination folder (nor the missing folders above it).
#[test]
fn a_failed_build_leaves_no_destination_folder_behind() {
    // Two outputs at one path: refused once everything is built, after the
    // destination was locked (and so created).
    let src = site(
        "url: https://example.com\nfeedwright:\n  rss: feed.xml\n",
        &[("2024-01-01-a.md", "---\ntitle: A\n---\nA.\n")],
    );
    let parent = tempfile::tempdir().unwrap();
    let dest = parent.path().join("a/b/site");
    let err = feedwright::build(&options(src.path(), &dest)).unwrap_err();
    assert!(err.to_string().contains("same file"), "{err}");
    assert!(
        !parent.path().join("a").exists(),
        "a folder was left behind"
    );
    // A destination that existed stays.
    std::fs::create_dir_all(&dest).unwrap();
    feedwright::build(&options(src.path(), &dest)).unwrap_err();
    assert!(dest.is_dir());
}

/// `draft: true` is left out (jekyll-feed keeps drafts out of feeds, Hugo
/// does not publish them); TOML and JSON front matter are refused with a
/// message, never published as body text.
#[test]
fn drafts_are_left_out_and_toml_or_json_front_matter_is_refused() {
    let src = site(
        "url: https://example.com\n",
        &[
            ("2024-01-01-kept.md", "---\ntitle: Kept\n---\nKept.\n"),
            (
                "2024-01-02-draft.md",
                "---\ntitle: Draft\ndraft: true\n---\nNot yet.\n",
            ),
            ("2024-01-03-toml.md", "+++\ntitle = \"Toml\"\n+++\nBody.\n"),
            ("2024-01-04-json.md", "{\n  \"title\": \"Json\"\n}\nBody.\n"),
        ],
    );
    let dest = tempfile::tempdir().unwrap();
    let report = feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert_eq!(report.stats.published, 1);
    assert_eq!(report.stats.skipped, 1);
    assert_eq!(report.stats.rejected, 2);
    let atom = read(&dest.path().join("feed.xml"));
    for absent in ["Draft", "Toml", "title =", "Json"] {
        assert!(!atom.contains(absent), "{absent} in {atom}");
    }
    for (file, what) in [
        ("2024-01-03-toml.md", "TOML"),
        ("2024-01-04-json.md", "JSON"),
    ] {
        let n = report
            .notices
            .iter()
            .find(|n| n.at.path.ends_with(file))
            .expect("refused with a message");
        assert!(n.message.contains(what) && n.at.line == Some(1), "{n}");
    }
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", "2024-05-06T07:08:09Z")
        .env("GIT_COMMITTER_DATE", "2024-05-06T07:08:09Z")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The user's undated post, committed in git: two clones whose files have
/// different times publish byte-identical outputs, dated by the commit
/// that added the post (not by either checkout), without a warning.
#[test]
fn an_undated_post_in_git_is_dated_by_its_commit_the_same_in_every_clone() {
    let origin = tempfile::tempdir().unwrap();
    copy_dir(&fixture("user-post"), origin.path());
    git(origin.path(), &["init", "-q"]);
    git(origin.path(), &["add", "."]);
    git(origin.path(), &["commit", "-q", "-m", "post"]);
    let clones = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (name, time) in [("a", 1_600_000_000), ("b", 1_700_000_000)] {
        let clone = clones.path().join(name);
        git(
            clones.path(),
            &["clone", "-q", origin.path().to_str().unwrap(), name],
        );
        for e in std::fs::read_dir(&clone).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::File::options()
                    .write(true)
                    .open(e.path())
                    .unwrap()
                    .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(time))
                    .unwrap();
            }
        }
        let dest = clones.path().join(format!("{name}-out"));
        let mut opts = options(&clone, &dest);
        opts.url = Some("https://newsdao.kr".into());
        let report = feedwright::build(&opts).unwrap();
        assert_eq!(report.stats.published, 1);
        assert!(
            !report
                .notices
                .iter()
                .any(|n| n.message.contains("modification time")),
            "{:#?}",
            report.notices
        );
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dest)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().into_string().unwrap(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        outputs.push(files);
    }
    assert!(!outputs[0].is_empty());
    assert_eq!(
        outputs[0], outputs[1],
        "two clones, two file times, one output"
    );
    let atom = String::from_utf8(
        outputs[0]
            .iter()
            .find(|(n, _)| n == "feed.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(
        atom.contains("<published>2024-05-06T07:08:09+00:00</published>"),
        "{atom}"
    );
}

/// A post dated by a file time later than the build date is dated "now"; a
/// cached build at a later build date must equal a fresh one, so such a
/// record is never reused.
#[test]
fn a_cached_build_equals_a_fresh_one_when_the_build_date_moves() {
    let src = fixture_copy("user-post");
    let post = std::fs::read_dir(src.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // A file time after both build dates.
    std::fs::File::options()
        .write(true)
        .open(&post)
        .unwrap()
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(4_000_000_000))
        .unwrap();
    let build = |now: &str, cache: bool| {
        let dest = tempfile::tempdir().unwrap();
        let mut opts = options(src.path(), dest.path());
        opts.url = Some("https://newsdao.kr".into());
        opts.now = date(now);
        opts.cache = cache;
        feedwright::build(&opts).unwrap();
        let feed = read(&dest.path().join("feed.xml"));
        (dest, feed)
    };
    let (_d1, first) = build("2026-01-01T00:00:00Z", true);
    assert!(first.contains("2026-01-01T00:00:00"), "{first}");
    let (_d2, cached) = build("2026-02-01T00:00:00Z", true);
    let (_d3, fresh) = build("2026-02-01T00:00:00Z", false);
    assert_eq!(cached, fresh);
    assert!(fresh.contains("2026-02-01T00:00:00"), "{fresh}");
}

/// Typos are reported, not silently ignored: near-misses of Jekyll's keys in
/// `_config.yml` and front matter, and unknown keys of `feed:`,
/// `feedwright:` and a post's `sitemap:` map, each with a did-you-mean.
#[test]
fn misspelt_keys_are_reported_with_a_did_you_mean() {
    let src = site(
        "url: https://example.com\ntimezon: Asia/Seoul\nfeed:\n  post_limit: 5\nfeedwright:\n  rs: false\ngithub_username: me\ntitle: One\ntitle: Two\n",
        &[(
            "2024-01-01-a.md",
            "---\ntitle: A\npublshed: false\ntoc: true\nsitemap:\n  prority: 0.5\n---\nA.\n",
        )],
    );
    let dest = tempfile::tempdir().unwrap();
    let report = feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert_notice(&report, "_config.yml", 2, "did you mean `timezone`?");
    assert_notice(
        &report,
        "_config.yml",
        4,
        "`feed.post_limit` is not a key of `feed`, so it is ignored; did you mean `posts_limit`?",
    );
    assert_notice(
        &report,
        "_config.yml",
        6,
        "`feedwright.rs` is not a key of `feedwright`",
    );
    assert_notice(&report, "2024-01-01-a.md", 3, "did you mean `published`?");
    assert_notice(
        &report,
        "_config.yml",
        8,
        "`title` is given more than once; the last value is used",
    );
    assert!(read(&dest.path().join("feed.xml")).contains("<title>Two</title>"));
    assert_notice(
        &report,
        "2024-01-01-a.md",
        5,
        "`sitemap.prority` is not a key of `sitemap`, so it is ignored; did you mean `priority`?",
    );
    // Theme keys and custom front matter far from any known key are not typos.
    assert_eq!(
        report
            .notices
            .iter()
            .filter(|n| n.message.contains("ignored"))
            .count(),
        5,
        "{:#?}",
        report.notices
    );
}

/// jekyll-feed's `feed.collections` as a list: each label's feed at
/// `feed/<label>.xml`, an undated document dated by the build (Jekyll's
/// `site.time`); `collections.posts.path` moves the main feed (its
/// `normalize_posts_meta`); a label that is no collection gets an empty feed
/// and a warning naming `_config.yml`.
#[test]
fn feed_collections_as_a_list_and_the_posts_entry_follow_jekyll_feed() {
    let src = site(
        "url: https://example.com\ncollections:\n  notes:\n    output: false\nfeed:\n  collections:\n    - notes\n    - missing\n",
        &[("2024-01-01-a.md", "---\ntitle: A\n---\nA.\n")],
    );
    std::fs::create_dir(src.path().join("_notes")).unwrap();
    std::fs::write(
        src.path().join("_notes/undated.md"),
        "---\ntitle: Undated\n---\nA note.\n",
    )
    .unwrap();
    std::fs::write(
        src.path().join("_notes/no-front-matter.md"),
        "Not a document.\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let opts = options(src.path(), dest.path());
    let report = feedwright::build(&opts).unwrap();
    let notes = read(&dest.path().join("feed/notes.xml"));
    let doc = strict_parse(&notes);
    let entries: Vec<_> = children(doc.root_element(), "entry").collect();
    assert_eq!(entries.len(), 1, "{notes}");
    assert_eq!(
        child_text(entries[0], "id"),
        Some("https://example.com/notes/undated")
    );
    assert_eq!(
        child_text(entries[0], "published").map(date),
        Some(opts.now),
        "dated by the build"
    );
    assert_eq!(
        child_text(doc.root_element(), "title"),
        Some("example.com | Notes")
    );
    let missing = strict_parse(&read(&dest.path().join("feed/missing.xml")))
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(missing, 0);
    assert!(
        report
            .notices
            .iter()
            .any(|n| n.at.path.ends_with("_config.yml")
                && n.message
                    .contains("`missing`, which is not in `collections`")),
        "{:#?}",
        report.notices
    );

    // `feed.collections.posts.path` stands for `feed.path`.
    std::fs::write(
        src.path().join("_config.yml"),
        "url: https://example.com\nfeed:\n  collections:\n    posts:\n      path: /atom.xml\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert!(dest.path().join("atom.xml").exists());
    assert!(!dest.path().join("feed.xml").exists());
    assert!(!dest.path().join("feed/posts.xml").exists());
}
