//! The command line: exit codes and messages.

use crate::util::*;
use std::process::Command;

fn feedwright() -> Command {
    Command::new(env!("CARGO_BIN_EXE_feedwright"))
}

#[test]
fn build_exits_0_and_prints_a_summary() {
    let site = fixture_copy("jekyll-site");
    let dest = tempfile::tempdir().unwrap();
    let out = feedwright()
        .args(["build", "--build-date", BUILD_DATE, "--dest"])
        .arg(dest.path())
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("15 posts: 13 published, 2 skipped, 0 rejected; 5 files written"),
        "{err}"
    );
}

#[test]
fn a_rejected_post_gives_exit_1_with_path_and_line_and_the_rest_publish() {
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir(src.path().join("_posts")).unwrap();
    std::fs::write(src.path().join("_config.yml"), "url: https://e.com\n").unwrap();
    std::fs::write(
        src.path().join("_posts/2024-01-01-good.md"),
        "---\ntitle: Good\n---\nok\n",
    )
    .unwrap();
    std::fs::write(
        src.path().join("_posts/2024-01-02-bad.md"),
        "---\ntitle: Bad\ntags: [a, b\n---\nbroken\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = feedwright()
        .args(["build", "--build-date", BUILD_DATE, "--dest"])
        .arg(dest.path())
        .arg(src.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2024-01-02-bad.md:") && err.contains("error: front matter is not valid YAML"),
        "{err}"
    );
    let atom = read(&dest.path().join("feed.xml"));
    assert!(atom.contains("<title>Good</title>") && !atom.contains("Bad"));
}

#[test]
fn no_url_exits_2_and_says_how_to_set_it() {
    let dest = tempfile::tempdir().unwrap();
    let out = feedwright()
        .args(["build", "--build-date", BUILD_DATE, "--dest"])
        .arg(dest.path())
        .arg(fixture("user-post"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--url"));
}

#[test]
fn source_date_epoch_is_the_build_date() {
    let site = fixture_copy("jekyll-site");
    let dest = tempfile::tempdir().unwrap();
    // 2024-03-20T00:00:00Z: posts after it are in the future and left out.
    let out = feedwright()
        .env("SOURCE_DATE_EPOCH", "1710892800")
        .args(["build", "--dest"])
        .arg(dest.path())
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sitemap = read(&dest.path().join("sitemap.xml"));
    assert!(
        sitemap.contains("control-chars") && !sitemap.contains("negative-offset"),
        "{sitemap}"
    );
}

#[test]
fn check_says_1_before_a_build_and_0_after_and_again_after_an_edit() {
    let site = fixture_copy("jekyll-site");
    let dest = tempfile::tempdir().unwrap();
    let run = |cmd: &str| {
        feedwright()
            .args([cmd, "--build-date", BUILD_DATE, "--dest"])
            .arg(dest.path())
            .arg(site.path())
            .output()
            .unwrap()
    };
    let before = run("check");
    assert_eq!(before.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&before.stdout).contains("feed.xml: missing"));
    assert_eq!(run("build").status.code(), Some(0));
    assert_eq!(run("check").status.code(), Some(0));

    // Edit the newest post's title: the cache must notice, check must say 1.
    let post = site.path().join("_posts/2024-03-28-negative-offset.md");
    let text = read(&post).replacen("title:", "title: Edited", 1);
    std::fs::write(&post, text).unwrap();
    let stale = run("check");
    assert_eq!(stale.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&stale.stdout);
    assert!(
        listed.contains("feed.xml: differs from a fresh build"),
        "{listed}"
    );
    assert_eq!(run("build").status.code(), Some(0));
    assert_eq!(run("check").status.code(), Some(0));
}
