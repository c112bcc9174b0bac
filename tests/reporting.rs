//! What every command prints and exits with: quiet cron runs, the summary,
//! the lock wait, `--format text|json|github|sarif` on build, check and
//! validate, the exit codes the README states, and the diagnoses of path
//! and configuration mistakes.

use crate::util::*;
use std::path::Path;
use std::process::{Command, Output};

fn feedwright() -> Command {
    Command::new(env!("CARGO_BIN_EXE_feedwright"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A Jekyll site at https://e.com with the given `_posts/` files.
fn site(posts: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("_config.yml"),
        "title: T\nurl: https://e.com\n",
    );
    for (name, text) in posts {
        write(&dir.path().join("_posts").join(name), text);
    }
    dir
}

const GOOD: (&str, &str) = ("2024-01-01-good.md", "---\ntitle: Good\n---\nok\n");
/// A post whose image is a `javascript:` URL: published, with a warning.
const WARNED: (&str, &str) = (
    "2024-01-03-warned.md",
    "---\ntitle: Warned\nimage: \"javascript:alert(1)\"\n---\nok\n",
);
/// A post with an unclosed list on line 3, which the YAML parser reports on
/// line 4, where it expected the `]`: rejected.
const BAD: (&str, &str) = (
    "2024-01-02-a,b:c.md",
    "---\ntitle: Bad\ntags: [a, b\n---\nbroken\n",
);

/// `feedwright CMD SOURCE --dest DEST --build-date … ARGS`.
fn run(cmd: &str, source: &Path, dest: &Path, args: &[&str]) -> Output {
    feedwright()
        .arg(cmd)
        .arg(source)
        .arg("--dest")
        .arg(dest)
        .args(["--build-date", BUILD_DATE, "--no-cache"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_clean_quiet_build_prints_nothing_at_all_and_one_with_a_warning_prints_only_the_warning() {
    let clean = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", clean.path(), dest.path(), &["--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!((stdout(&out), stderr(&out)), (String::new(), String::new()));
    assert!(dest.path().join("feed.xml").is_file());

    let warned = site(&[GOOD, WARNED]);
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", warned.path(), dest.path(), &["--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("2024-01-03-warned.md:") && lines[0].contains(": warning: "),
        "{err}"
    );

    // Without --quiet the same build also prints its summary.
    let out = run("build", warned.path(), dest.path(), &[]);
    assert!(
        stderr(&out).contains("2 posts: 2 published"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_quiet_check_of_an_up_to_date_site_is_silent() {
    let clean = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    assert_eq!(
        run("build", clean.path(), dest.path(), &["-q"])
            .status
            .code(),
        Some(0)
    );
    let out = run("check", clean.path(), dest.path(), &["-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!((stdout(&out), stderr(&out)), (String::new(), String::new()));
}

#[test]
fn the_summary_names_the_first_skipped_posts_and_v_names_them_all() {
    let drafts: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("2024-02-0{i}-draft-{i}.md"),
                format!("---\ntitle: Draft {i}\npublished: false\n---\nx\n"),
            )
        })
        .collect();
    let mut posts: Vec<(&str, &str)> = drafts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    posts.extend([
        GOOD,
        BAD,
        ("2099-01-01-later.md", "---\ntitle: Later\n---\nx\n"),
    ]);
    let dir = site(&posts);
    let dest = tempfile::tempdir().unwrap();

    let out = run("build", dir.path(), dest.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("8 posts: 1 published, 6 skipped, 1 rejected"),
        "{err}"
    );
    let named = |err: &str, what: &str| {
        err.lines()
            .filter(|l| l.starts_with(&format!("  {what}: ")))
            .count()
    };
    assert_eq!(named(&err, "skipped"), 3, "{err}");
    assert!(
        err.contains("  skipped: ") && err.contains("draft-1.md (published: false)"),
        "{err}"
    );
    assert!(
        err.contains("... and 3 more skipped (-v lists them all)"),
        "{err}"
    );
    assert!(
        err.contains("  rejected: ") && err.contains("a,b:c.md"),
        "{err}"
    );

    let out = run("build", dir.path(), dest.path(), &["-v"]);
    let err = stderr(&out);
    assert_eq!(named(&err, "skipped"), 6, "{err}");
    assert!(
        err.contains("2099-01-01-later.md (dated in the future, 2099-01-01T00:00:00+00:00)"),
        "{err}"
    );
    assert!(!err.contains("more skipped"), "{err}");
}

#[test]
fn a_build_waiting_for_the_lock_says_so_once_then_gives_up_with_exit_2() {
    let dir = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    // Hold the destination's lock as another build would.
    let held = std::fs::File::open(dest.path()).unwrap();
    held.lock().unwrap();
    let out = run("build", dir.path(), dest.path(), &["--lock-wait", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.matches("waiting for it to finish").count(), 1, "{err}");
    assert!(
        err.contains("another feedwright build has been writing this destination"),
        "{err}"
    );
    assert!(!dest.path().join("feed.xml").exists());

    // --quiet: only the error.
    let out = run(
        "build",
        dir.path(),
        dest.path(),
        &["--lock-wait", "1", "-q"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("waiting"), "{}", stderr(&out));
    drop(held);
}

#[test]
fn build_format_github_turns_a_rejected_post_into_an_escaped_error_annotation_with_its_line() {
    let dir = site(&[GOOD, BAD, WARNED]);
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", dir.path(), dest.path(), &["--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let bad = dir
        .path()
        .join("_posts/2024-01-02-a,b:c.md")
        .display()
        .to_string();
    let escaped = bad.replace(':', "%3A").replace(',', "%2C");
    let error = text
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("no ::error in {text}"));
    assert!(
        error.starts_with(&format!(
            "::error file={escaped},line=4::front matter is not valid YAML"
        )),
        "{error}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::warning file=") && l.contains("warned.md,line=")),
        "{text}"
    );
    // The annotations are the whole of stdout; the summary stays on stderr.
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");
    assert!(stderr(&out).contains("1 rejected"));
}

#[test]
fn build_format_json_lists_each_notice_with_file_and_line() {
    let dir = site(&[GOOD, BAD]);
    let dest = tempfile::tempdir().unwrap();
    let out = run(
        "build",
        dir.path(),
        dest.path(),
        &["--format", "json", "-q"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = doc.as_array().unwrap();
    assert_eq!(items.len(), 1, "{doc:#}");
    assert!(items[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("2024-01-02-a,b:c.md"));
    assert_eq!(items[0]["line"], 4);
    assert_eq!(items[0]["severity"], "error");
    assert!(items[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("front matter is not valid YAML"));
    // Quiet and clean: still a JSON document, an empty one.
    let clean = site(&[GOOD]);
    let out = run(
        "build",
        clean.path(),
        dest.path(),
        &["--format", "json", "-q"],
    );
    assert_eq!((out.status.code(), stdout(&out).trim()), (Some(0), "[]"));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_configuration_error_is_reported_in_every_format_with_its_file_and_line() {
    let dir = site(&[GOOD]);
    let config = dir.path().join("_config.yml");
    write(
        &config,
        "title: T\nurl: https://e.com\ntimezone: Mars/Olympus\n",
    );
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", dir.path(), dest.path(), &["--format", "github"]);
    assert_eq!(out.status.code(), Some(2));
    let escaped = config
        .display()
        .to_string()
        .replace(':', "%3A")
        .replace(',', "%2C");
    assert!(
        stdout(&out).starts_with(&format!(
            "::error file={escaped},line=3,title=config::unknown time zone `Mars/Olympus`"
        )),
        "{}",
        stdout(&out)
    );
    let out = run("check", dir.path(), dest.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc[0]["file"], config.display().to_string());
    assert_eq!(
        (doc[0]["line"].as_u64(), doc[0]["code"].as_str()),
        (Some(3), Some("config"))
    );
    let out = run("build", dir.path(), dest.path(), &["--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "config");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let out = run("build", dir.path(), dest.path(), &[]);
    assert!(
        stderr(&out).contains("_config.yml:3: unknown time zone"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_format_github_annotates_each_stale_file() {
    let dir = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    let out = run("check", dir.path(), dest.path(), &["--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let feed = dest.path().join("feed.xml").display().to_string();
    assert!(
        text.contains(&format!(
            "::error file={},title=stale-output::missing; run `feedwright build` to regenerate it",
            feed.replace(':', "%3A").replace(',', "%2C")
        )),
        "{text}"
    );
}

fn bad_sitemap(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    write(
        &path,
        "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url><loc>https://e.com/</loc><changefreq>sometimes</changefreq></url>\n</urlset>\n",
    );
    path
}

#[test]
fn validate_text_shows_the_offending_line_with_a_caret_under_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_sitemap(dir.path(), "bad.xml");
    let out = feedwright().arg("validate").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].ends_with("bad.xml:3:33: error[sitemap-invalid-changefreq]: <changefreq> `sometimes` must be always, hourly, daily, weekly, monthly, yearly or never (sitemaps.org protocol)"),
        "{text}"
    );
    let source = lines
        .iter()
        .find(|l| l.starts_with("3 | "))
        .unwrap_or_else(|| panic!("{text}"));
    let caret = lines
        .iter()
        .find(|l| l.trim_end().ends_with('^'))
        .unwrap_or_else(|| panic!("{text}"));
    // Column 33 is the `<` of <changefreq>.
    assert_eq!(
        &source[caret.find('^').unwrap()..][..12],
        "<changefreq>",
        "{text}"
    );
}

#[test]
fn validate_reports_a_missing_file_in_every_format_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_sitemap(dir.path(), "bad.xml");
    let missing = dir.path().join("missing.xml");
    let validate = |format: &str| {
        feedwright()
            .args(["validate", "--format", format])
            .arg(&bad)
            .arg(&missing)
            .output()
            .unwrap()
    };
    let out = validate("json");
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let missing_name = missing.display().to_string();
    let entry = doc
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == missing_name.as_str())
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(
        (entry["code"].as_str(), entry["severity"].as_str()),
        (Some("unreadable"), Some("error"))
    );
    assert!(entry["message"]
        .as_str()
        .unwrap()
        .contains("could not read the file"));

    let out = validate("github");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains(&format!(
            "::error file={},title=unreadable::could not read the file",
            missing_name.replace(':', "%3A")
        )),
        "{}",
        stdout(&out)
    );

    let out = validate("sarif");
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results.iter().any(|r| r["ruleId"] == "unreadable"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/missing.xml")));

    let out = validate("text");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.xml: could not read the file"),
        "{}",
        stderr(&out)
    );
}

/// The shape SARIF 2.1.0 requires (sarif-schema-2.1.0.json): what code
/// scanning reads. `.ci/sarif.sh` also runs Microsoft's SARIF validator.
#[test]
fn validate_format_sarif_is_a_sarif_2_1_0_log_with_rules_for_every_result() {
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_sitemap(dir.path(), "a b,c.xml");
    let out = feedwright()
        .current_dir(dir.path())
        .args(["validate", "--format", "sarif", "a b,c.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(bad.exists());
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "feedwright");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "a%20b,c.xml");
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 33);
    }
}

#[test]
fn exit_codes_are_the_readmes_for_every_command() {
    let dir = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    let code = |out: Output| out.status.code();
    // build: 0 clean, 1 written with a rejected post, 2 nothing written.
    assert_eq!(code(run("build", dir.path(), dest.path(), &[])), Some(0));
    // check: 0 up to date, 1 stale, 2 cannot build.
    assert_eq!(code(run("check", dir.path(), dest.path(), &[])), Some(0));
    write(&dir.path().join("_posts").join(BAD.0), BAD.1);
    assert_eq!(code(run("build", dir.path(), dest.path(), &[])), Some(1));
    write(
        &dir.path().join("_posts/2024-01-05-new.md"),
        "---\ntitle: New\n---\nx\n",
    );
    assert_eq!(code(run("check", dir.path(), dest.path(), &[])), Some(1));
    let broken = site(&[GOOD]);
    write(&broken.path().join("_config.yml"), "url: [\n");
    assert_eq!(code(run("build", broken.path(), dest.path(), &[])), Some(2));
    assert_eq!(code(run("check", broken.path(), dest.path(), &[])), Some(2));
    // meta: 0, or 2 when the site cannot be read.
    let meta = |source: &Path| feedwright().arg("meta").arg(source).output().unwrap();
    assert_eq!(code(meta(dir.path())), Some(0));
    assert_eq!(code(meta(broken.path())), Some(2));
    // ping: 2 when no hub is configured.
    let ping = feedwright()
        .arg("ping")
        .arg(dir.path())
        .arg("--dest")
        .arg(dest.path())
        .output()
        .unwrap();
    assert_eq!(code(ping), Some(2));
    // validate: 0 valid, 1 errors (or warnings with --deny-warnings), 2 unreadable.
    let files = tempfile::tempdir().unwrap();
    let bad = bad_sitemap(files.path(), "bad.xml");
    let validate = |args: &[&Path]| feedwright().arg("validate").args(args).output().unwrap();
    assert_eq!(code(validate(&[&dest.path().join("sitemap.xml")])), Some(0));
    assert_eq!(code(validate(&[&bad])), Some(1));
    assert_eq!(
        code(validate(&[&bad, &files.path().join("none.xml")])),
        Some(2)
    );
    // A usage mistake is 2, like any other "nothing done".
    assert_eq!(
        code(
            feedwright()
                .args(["build", "--format", "yaml"])
                .output()
                .unwrap()
        ),
        Some(2)
    );
}

#[test]
fn build_ping_after_writing_exits_1_not_2_when_no_hub_is_configured_or_a_hub_fails() {
    let dir = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", dir.path(), dest.path(), &["--ping"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(dest.path().join("feed.xml").is_file());
    assert!(
        stderr(&out).contains("no WebSub hub is configured"),
        "{}",
        stderr(&out)
    );

    // A hub that refuses connections: a port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    write(
        &dir.path().join("_config.yml"),
        &format!("title: T\nurl: https://e.com\nfeedwright:\n  hub: http://127.0.0.1:{port}/\n"),
    );
    let dest = tempfile::tempdir().unwrap();
    let out = run(
        "build",
        dir.path(),
        dest.path(),
        &["--ping", "--ping-timeout", "2"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("FAILED http://127.0.0.1:"),
        "{}",
        stdout(&out)
    );
    assert!(dest.path().join("feed.xml").is_file());
}

#[test]
fn a_source_folder_that_does_not_exist_is_named_as_such() {
    let dest = tempfile::tempdir().unwrap();
    let missing = dest.path().join("no-such-site");
    let out = run("build", &missing, &dest.path().join("out"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no-such-site: the source folder does not exist"),
        "{err}"
    );
    assert!(!err.contains("no URL"), "{err}");
}

#[test]
fn running_inside_posts_suggests_the_site_root() {
    let dir = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    let out = feedwright()
        .current_dir(dir.path().join("_posts"))
        .args(["build", "--build-date", BUILD_DATE, "--dest"])
        .arg(dest.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("is inside a Jekyll site's _posts folder")
            && err.contains("root folder instead: .."),
        "{err}"
    );
    assert!(!err.contains("no URL"), "{err}");

    // From the site root, `build _posts` gets `.`.
    let out = feedwright()
        .current_dir(dir.path())
        .args(["build", "_posts", "--build-date", BUILD_DATE, "--dest"])
        .arg(dest.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("_posts: is inside a Jekyll site's _posts folder, not a site; run feedwright on the site's root folder instead: ."),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_yaml_is_read_when_there_is_no_config_yml_and_toml_gets_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("_config.yaml"),
        "title: From YAML\nurl: https://yaml.example\n",
    );
    write(&dir.path().join("_posts").join(GOOD.0), GOOD.1);
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", dir.path(), dest.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let atom = read(&dest.path().join("feed.xml"));
    assert!(
        atom.contains("<title>From YAML</title>") && atom.contains("https://yaml.example/"),
        "{atom}"
    );

    // Warnings about the configuration name the file that was read.
    write(
        &dir.path().join("_config.yaml"),
        "title: From YAML\nurl: https://yaml.example\nfeedwright:\n  news:\n    name: N\n    language: en\n",
    );
    let out = run("build", dir.path(), dest.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("_config.yaml: warning: no post was published in the two days"),
        "{}",
        stderr(&out)
    );

    std::fs::remove_file(dir.path().join("_config.yaml")).unwrap();
    write(
        &dir.path().join("_config.toml"),
        "url = \"https://toml.example\"\n",
    );
    let out = run("build", dir.path(), dest.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("_config.toml: feedwright reads YAML configuration only"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_url_flag_is_blamed_on_the_flag() {
    let dir = site(&[GOOD]);
    let dest = tempfile::tempdir().unwrap();
    let out = run(
        "build",
        dir.path(),
        dest.path(),
        &["--url", "example.com/blog"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("--url `example.com/blog` is not the site's address"),
        "{err}"
    );
    assert!(!err.contains("_config.yml"), "{err}");
}

#[test]
fn a_dest_that_is_a_file_is_named_as_such() {
    let dir = site(&[GOOD]);
    let file = tempfile::NamedTempFile::new().unwrap();
    for cmd in ["build", "check"] {
        let out = run(cmd, dir.path(), file.path(), &[]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = stderr(&out);
        assert!(err.contains("is a file, not a folder"), "{cmd}: {err}");
        assert!(!err.contains("os error"), "{cmd}: {err}");
    }
    // The library says the same to its own callers.
    let mut opts = options(dir.path(), file.path());
    opts.lock_wait = std::time::Duration::ZERO;
    let e = feedwright::build(&opts).unwrap_err();
    assert!(e.to_string().contains("is a file, not a folder"), "{e}");
}

#[test]
fn comma_separated_configs_deep_merge_with_the_later_file_winning() {
    let dir = site(&[GOOD]);
    let a = dir.path().join("a.yml");
    let b = dir.path().join("b.yml");
    write(&a, "title: A\nurl: https://a.example\nfeed:\n  path: a.xml\n  excerpt_only: true\ndescription: kept\n");
    // `feed` merges key by key; `description: ~` keeps A's value, as in Jekyll.
    write(&b, "title: B\nfeed:\n  path: b.xml\ndescription: ~\n");
    let dest = tempfile::tempdir().unwrap();
    let configs = format!("{},{}", a.display(), b.display());
    let out = run("build", dir.path(), dest.path(), &["--config", &configs]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dest.path().join("a.xml").exists());
    let atom = read(&dest.path().join("b.xml"));
    assert!(atom.contains("<title>B</title>"), "{atom}");
    assert!(atom.contains("https://a.example/"), "{atom}");
    assert!(atom.contains("<subtitle>kept</subtitle>"), "{atom}");
    assert!(
        !atom.contains("<content"),
        "excerpt_only from a.yml was lost: {atom}"
    );

    let missing = dir.path().join("nope.yml");
    let configs = format!("{},{}", a.display(), missing.display());
    let out = run("build", dir.path(), dest.path(), &["--config", &configs]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "nope.yml: does not exist; check the configuration file's path given to --config"
        ),
        "{}",
        stderr(&out)
    );

    // A bad value is blamed on the file that set it.
    write(&b, "title: B\ntimezone: Nowhere/Land\n");
    let configs = format!("{},{}", a.display(), b.display());
    let out = run("build", dir.path(), dest.path(), &["--config", &configs]);
    assert!(
        stderr(&out).contains("b.yml:2: unknown time zone"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_quiet_build_ping_that_reaches_its_hub_prints_nothing() {
    let (hub, server) = crate::features::hub(204, 3);
    let dir = site(&[GOOD]);
    write(
        &dir.path().join("_config.yml"),
        &format!("title: T\nurl: https://e.com\nfeedwright:\n  hub: {hub}\n"),
    );
    let dest = tempfile::tempdir().unwrap();
    let out = run("build", dir.path(), dest.path(), &["--ping", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!((stdout(&out), stderr(&out)), (String::new(), String::new()));
    // Atom, RSS and JSON Feed: each one notification.
    assert_eq!(server.join().unwrap().len(), 3);
}
