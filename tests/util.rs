//! Small helpers: fixture paths, building a site into a temporary folder,
//! reading XML strictly.

use chrono::{DateTime, FixedOffset};
use feedwright::BuildOptions;
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

pub fn date(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// The build date the fixture tests use: after every fixture post but the future one.
pub const BUILD_DATE: &str = "2026-11-24T00:00:00Z";

pub fn options(source: &Path, dest: &Path) -> BuildOptions {
    let mut opts = BuildOptions::new(source, date(BUILD_DATE));
    opts.dest = Some(dest.to_path_buf());
    // Fixtures live in the repository: tests that exercise the cache
    // copy a site to a temporary folder first.
    opts.cache = false;
    opts
}

/// Builds a fixture site into a fresh temporary folder.
pub fn build_fixture(name: &str) -> (tempfile::TempDir, feedwright::BuildReport) {
    let dest = tempfile::tempdir().unwrap();
    let report = feedwright::build(&options(&fixture(name), dest.path())).unwrap();
    (dest, report)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses with roxmltree, which rejects anything that is not well-formed,
/// namespace-correct XML 1.0.
pub fn strict_parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

pub fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(name))
        .and_then(|c| c.text())
}

pub fn children<'a, 'b>(
    node: roxmltree::Node<'a, 'b>,
    name: &'b str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'b>> + 'b
where
    'a: 'b,
{
    node.children().filter(move |c| c.has_tag_name(name))
}

/// Copies a fixture site into a fresh temporary folder (posts, config and all),
/// so a test may edit it or let the build cache write into it.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "_site" || name == ".jekyll-cache" || name == ".feedwright-cache" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// Where [`write_site`] puts post `i`: forty posts a day from 2020-01-01.
pub fn post_path(i: usize) -> String {
    let day =
        chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(i as u64 / 40);
    format!("_posts/{day}-post-{i}.md")
}

/// Writes a Jekyll site of `n` small posts (see [`post_path`]) into `dir`.
pub fn write_site(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir.join("_posts")).unwrap();
    std::fs::write(
        dir.join("_config.yml"),
        "title: Scale\nurl: https://example.com\ntimezone: Asia/Seoul\n",
    )
    .unwrap();
    // The home page, which jekyll-sitemap lists as one of the site's pages.
    std::fs::write(dir.join("index.html"), "---\ntitle: Home\n---\nHome.\n").unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(post_path(i)),
            format!("---\ntitle: \"글 {i}\"\ncategories: [News]\n---\n본문 {i}.\n"),
        )
        .unwrap();
    }
}

/// The bytes of every regular file under `dir`, by relative path.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            out.insert(
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

/// Asserts that the build said something at `file:line` containing `words`.
pub fn assert_notice(report: &feedwright::BuildReport, file: &str, line: usize, words: &str) {
    assert!(
        report.notices.iter().any(|n| n.at.path.ends_with(file)
            && n.at.line == Some(line)
            && n.message.contains(words)),
        "no notice at {file}:{line} saying {words:?}: {:#?}",
        report.notices
    );
}
