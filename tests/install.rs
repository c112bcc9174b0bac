//! The install path: the README's crontab line and the example CI jobs run
//! as written against a fixture site, the README shows the CI files as they
//! are, and completions and man pages come from the command-line definitions.
//! (`cargo package`, installing from the package and `pre-commit try-repo`
//! need the network or pip: `.ci/install.sh`.)

use crate::util::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_file(path: &str) -> String {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
}

/// The body of the README's only fenced block tagged `tag`.
fn readme_block(tag: &str) -> String {
    let readme = repo_file("README.md");
    let fence = format!("```{tag}\n");
    let blocks: Vec<&str> = readme.split(&fence).skip(1).collect();
    assert_eq!(blocks.len(), 1, "the README has one ```{tag} block");
    blocks[0].split("```").next().unwrap().to_string()
}

/// A folder holding `feedwright` (a link to the binary under test), to put
/// on PATH as an installed copy would be.
fn bin_dir(home: &Path) -> PathBuf {
    let bin = home.join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_feedwright"), bin.join("feedwright")).unwrap();
    bin
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `script` with bash as a CI runner would (`-e`: the first failing
/// command fails the job) in `dir`, with only `env` and a plain PATH.
fn run_job(script: &str, dir: &Path, env: &[(&str, String)]) -> Output {
    Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap()
}

/// The crontab line: `*/5 * * * * command`.
fn crontab_line() -> (Vec<String>, String) {
    let block = readme_block("crontab");
    let lines: Vec<&str> = block
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(lines.len(), 1, "{block}");
    let mut rest = lines[0];
    let mut schedule = Vec::new();
    for _ in 0..5 {
        let (field, tail) = rest.split_once(' ').unwrap();
        schedule.push(field.to_string());
        rest = tail.trim_start();
    }
    (schedule, rest.to_string())
}

/// Runs the crontab command as cron does: `/bin/sh -c`, from HOME, with
/// cron's PATH, which does not hold ~/.cargo/bin.
fn run_cron(command: &str, home: &Path) -> Output {
    Command::new("/bin/sh")
        .args(["-c", command])
        .current_dir(home)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .env("SHELL", "/bin/sh")
        .output()
        .unwrap()
}

#[test]
fn the_readmes_crontab_line_builds_the_site_and_a_clean_run_prints_nothing() {
    let (schedule, command) = crontab_line();
    assert_eq!(schedule, ["*/5", "*", "*", "*", "*"]);
    let home = tempfile::tempdir().unwrap();
    bin_dir(home.path());
    copy_dir(&fixture("jekyll-site"), &home.path().join("blog"));
    for run in ["first", "unchanged re-run"] {
        let out = run_cron(&command, home.path());
        assert_eq!(out.status.code(), Some(0), "{run}: {}", text(&out));
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "{run}: cron would mail this: {}",
            text(&out)
        );
    }
    for f in ["feed.xml", "rss.xml", "feed.json", "sitemap.xml"] {
        assert!(home.path().join("blog/_site").join(f).is_file(), "{f}");
    }
}

#[test]
fn the_readmes_crontab_line_prints_a_warning_or_a_rejected_post_so_cron_mails_it() {
    let (_, command) = crontab_line();
    let home = tempfile::tempdir().unwrap();
    bin_dir(home.path());
    copy_dir(&fixture("jekyll-site"), &home.path().join("blog"));
    let post = home.path().join("blog/_posts/2024-03-29-odd.md");
    std::fs::write(
        &post,
        "---\ntitle: Odd\nimage: javascript:alert(1)\n---\nBody.\n",
    )
    .unwrap();
    let out = run_cron(&command, home.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("_posts/2024-03-29-odd.md") && err.contains("warning"),
        "{}",
        text(&out)
    );
    std::fs::write(&post, "---\ntitle: [unclosed\n---\nBody.\n").unwrap();
    let out = run_cron(&command, home.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("_posts/2024-03-29-odd.md:") && err.contains("error"),
        "{}",
        text(&out)
    );
}

/// Every `run:` of a GitHub workflow, in order (one-line runs only).
fn workflow_runs(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|l| l.trim_start().strip_prefix("run: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_github_workflows_steps_build_and_validate_a_site_as_written() {
    let runs = workflow_runs(&repo_file("examples/ci/github-workflow.yml"));
    assert_eq!(runs.len(), 3, "{runs:?}");
    assert!(runs[1].starts_with("feedwright build --format github"));
    assert!(runs[2].starts_with("feedwright validate --format github _site/"));
    let home = tempfile::tempdir().unwrap();
    let bin = bin_dir(home.path());
    let repo = home.path().join("repo");
    copy_dir(&fixture("jekyll-site"), &repo);
    let env = [
        ("HOME", home.path().display().to_string()),
        ("PATH", format!("{}:/usr/bin:/bin", bin.display())),
        ("GITHUB_ACTIONS", "true".to_string()),
    ];
    for run in &runs {
        let out = run_job(run, &repo, &env);
        assert_eq!(out.status.code(), Some(0), "{run}: {}", text(&out));
        // A clean site: no annotation.
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("::error"),
            "{run}: {}",
            text(&out)
        );
    }
    // The build step fails the job on a rejected post, annotating its line.
    std::fs::write(
        repo.join("_posts/2024-03-29-broken.md"),
        "---\ntitle: [unclosed\n---\nBody.\n",
    )
    .unwrap();
    let out = run_job(&runs[1], &repo, &env);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let annotations = String::from_utf8_lossy(&out.stdout);
    assert!(
        annotations.contains("::error file=") && annotations.contains("2024-03-29-broken.md,line="),
        "{}",
        text(&out)
    );
    std::fs::remove_file(repo.join("_posts/2024-03-29-broken.md")).unwrap();
    // The validate step fails the job when an output is broken.
    std::fs::write(
        repo.join("_site/rss.xml"),
        "<rss version=\"2.0\"><channel/>",
    )
    .unwrap();
    let out = run_job(&runs[2], &repo, &env);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("::error file=_site/rss.xml,line=1"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_gitlab_jobs_script_builds_and_validates_a_site_as_written() {
    let yaml = repo_file("examples/ci/gitlab-ci.yml");
    let script: Vec<&str> = yaml
        .split("  script:\n")
        .nth(1)
        .unwrap()
        .lines()
        .map_while(|l| l.strip_prefix("    - "))
        .collect();
    assert_eq!(script.len(), 4, "{script:?}");
    let variables: Vec<(&str, &str)> = yaml
        .split("  variables:\n")
        .nth(1)
        .unwrap()
        .lines()
        .map_while(|l| l.strip_prefix("    "))
        .map(|l| l.split_once(": ").unwrap())
        .collect();
    let home = tempfile::tempdir().unwrap();
    let bin = bin_dir(home.path());
    let repo = home.path().join("repo");
    copy_dir(&fixture("jekyll-site"), &repo);
    let env = [
        ("HOME", home.path().display().to_string()),
        ("PATH", format!("{}:/usr/bin:/bin", bin.display())),
        ("CI_PROJECT_DIR", repo.display().to_string()),
    ];
    // GitLab runs the script's lines in one shell, after exporting the
    // job's variables (expanded).
    let job: String = variables
        .iter()
        .map(|(k, v)| format!("export {k}=\"{v}\"\n"))
        .chain(script.iter().map(|l| format!("{l}\n")))
        .collect();
    let out = run_job(&job, &repo, &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(repo.join("_site/sitemap.xml").is_file());
}

#[test]
fn the_readme_shows_the_ci_files_and_the_hook_as_they_are() {
    let readme = repo_file("README.md");
    for file in [
        "examples/ci/github-workflow.yml",
        "examples/ci/gitlab-ci.yml",
    ] {
        let body = repo_file(file);
        assert!(
            readme.contains(&format!("```yaml\n{body}```")),
            "the README's copy of {file} differs from the file"
        );
    }
    let hooks = repo_file(".pre-commit-hooks.yaml");
    assert!(hooks.contains("- id: feedwright-validate\n"));
    assert!(readme.contains("      - id: feedwright-validate\n"));
}

#[test]
fn the_hooks_file_pattern_picks_feeds_and_sitemaps_and_leaves_other_files() {
    let hooks = repo_file(".pre-commit-hooks.yaml");
    let pattern = hooks
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("files: "))
        .unwrap();
    // pre-commit matches with Python's re.search; this pattern uses nothing
    // grep -E reads differently.
    let matches = |path: &str| {
        Command::new("grep")
            .args(["-qE", pattern])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(path.as_bytes())?;
                c.wait()
            })
            .unwrap()
            .success()
    };
    for path in [
        "feed.xml",
        "_site/rss.xml",
        "docs/sitemap.xml",
        "feed.json",
        "feed/News.xml",
        "_site/feed/by_tag/EV.rss",
        "atom.xml",
    ] {
        assert!(matches(path), "{path}");
    }
    for path in ["package.json", "pom.xml", "_config.yml", "feeds/notes.md"] {
        assert!(!matches(path), "{path}");
    }
}

#[test]
fn completions_for_every_shell_come_from_the_command_line_definitions() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out));
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["validate", "deny-warnings", "lock-wait", "completions"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script parses, and completes `feedwright val` to `validate`.
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("feedwright.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let probe = format!(
        "source {}\nCOMP_WORDS=(feedwright val)\nCOMP_CWORD=1\nCOMP_LINE='feedwright val'\nCOMP_POINT=14\n_feedwright feedwright val feedwright\necho \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = Command::new("bash").args(["-c", &probe]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "validate",
        "{}",
        text(&out)
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_pages_are_roff_for_feedwright_and_each_subcommand() {
    let man = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .arg("man")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            out.stderr,
        )
    };
    let (code, page, _) = man(&[]);
    assert_eq!(code, Some(0));
    assert!(page.contains(".TH feedwright 1"), "{page}");
    for sub in [
        "build",
        "check",
        "validate",
        "ping",
        "meta",
        "completions",
        "man",
    ] {
        assert!(page.contains(&format!("feedwright\\-{sub}(1)")), "{sub}");
    }
    let (code, page, _) = man(&["validate"]);
    assert_eq!(code, Some(0));
    assert!(page.contains(".TH feedwright-validate 1"), "{page}");
    assert!(page.contains("\\fBfeedwright validate\\fR"), "{page}");
    assert!(page.contains("\\-\\-deny\\-warnings"), "{page}");
    let (code, page, err) = man(&["nonsense"]);
    assert_eq!(code, Some(2));
    assert!(page.is_empty());
    assert!(String::from_utf8_lossy(&err).contains("man pages exist for build, check, validate"));
}
