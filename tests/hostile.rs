//! Hostile input: posts that try to crash, hang or exhaust the build, XML
//! that tries the same on `validate`, and configurations or destinations
//! that try to write outside the destination. Each runs the real binary
//! under a memory cap (`ulimit -v`) and a processor-time cap (`ulimit -t`).

use crate::util::*;
use std::path::Path;
use std::process::{Command, Output};

/// Runs feedwright with at most `mib` MiB of address space and
/// `CPU_SECONDS` of processor time (a hang or a quadratic blow-up is killed
/// by the kernel, and its exit status fails the caller's assertion; processor
/// time, unlike wall time, does not grow when the machine is busy).
fn capped(mib: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && ulimit -t {CPU_SECONDS} && exec \"$0\" \"$@\"",
            mib * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_feedwright"))
        .args(args)
        .output()
        .unwrap()
}

const CPU_SECONDS: u32 = 10;

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A Jekyll site of the given `_posts/` files, at https://e.com.
fn small_site(posts: &[(&str, &str)]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    write(
        &site.path().join("_config.yml"),
        "title: T\nurl: https://e.com\n",
    );
    for (name, text) in posts {
        write(&site.path().join("_posts").join(name), text);
    }
    site
}

/// `feedwright build SITE --build-date DATE` under a 2 GiB cap (and the CPU cap).
fn build_capped(site: &Path, date: &str) -> Output {
    capped(
        2048,
        &["build", "--build-date", date, site.to_str().unwrap()],
    )
}

/// Every kind of bad post the hardening issue names, and one good post.
/// Returns the names of the files that must be rejected.
fn hostile_site(root: &Path, outside: &Path) -> Vec<&'static str> {
    write(
        &root.join("_config.yml"),
        "title: Hostile\nurl: https://h.example\n",
    );
    let p = root.join("_posts");
    let mut rejected = Vec::new();
    let mut bad = |name: &'static str, bytes: Vec<u8>| {
        write(&p.join(name), bytes);
        rejected.push(name);
    };
    bad(
        "2024-01-01-unclosed-quote.md",
        b"---\ntitle: \"unclosed\n---\nbody\n".to_vec(),
    );
    bad(
        "2024-01-02-tab-indent.md",
        b"---\ntitle: ok\ntags:\n\t- a\n---\nbody\n".to_vec(),
    );
    bad(
        "2024-01-03-lone-surrogate.md",
        b"---\ntitle: \"bad \\uD800 escape\"\n---\nbody\n".to_vec(),
    );
    bad(
        "2024-01-04-never-closed.md",
        b"---\ntitle: never closed\nbody\n".to_vec(),
    );
    bad(
        "2024-01-05-title-list.md",
        b"---\ntitle: [a, b]\n---\nbody\n".to_vec(),
    );
    bad(
        "2024-01-06-categories-map.md",
        b"---\ntitle: x\ncategories: {a: 1}\n---\nbody\n".to_vec(),
    );
    bad(
        "2024-01-07-impossible-date.md",
        b"---\ntitle: x\ndate: 2024-02-32\n---\nbody\n".to_vec(),
    );
    // "한글" and "안녕" in EUC-KR.
    bad(
        "2024-01-08-euc-kr.md",
        b"---\ntitle: \xc7\xd1\xb1\xdb\n---\n\xbe\xc8\xb3\xe7\n".to_vec(),
    );
    bad("2024-01-09-empty.md", Vec::new());
    bad(
        "2024-01-10-binary.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00".to_vec(),
    );
    bad(
        "2024-01-11-nul.md",
        b"---\ntitle: nul\n---\nnul \x00 here\n".to_vec(),
    );
    let mut laughs = String::from("---\ntitle: laughs\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10u8 {
        let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        laughs.push_str(&format!(
            "{cur}: &{cur} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    laughs.push_str("tags: *j\n---\nbody\n");
    bad("2024-01-12-billion-laughs.md", laughs.into_bytes());
    bad(
        "2024-01-13-deep-flow.md",
        format!(
            "---\ntitle: deep\nx: {}{}\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        )
        .into_bytes(),
    );
    let deep_block: String = (0..3000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    bad(
        "2024-01-14-deep-block.md",
        format!("---\ntitle: deep\n{deep_block}---\n").into_bytes(),
    );
    // A post file that cannot be read (a dangling link).
    std::os::unix::fs::symlink("/nonexistent/post.md", p.join("2024-01-15-unreadable.md")).unwrap();
    rejected.push("2024-01-15-unreadable.md");
    // Published, with its hostile values cleaned.
    write(&p.join("2024-01-16-scripts.md"), "---\ntitle: scripts\nimage: \"javascript:alert(1)\"\nauthor: {name: x, uri: \"javascript:alert(2)\"}\n---\n<a href=\"javascript:alert(3)\">x</a><img src=\"data:image/png;base64,AAAA\">\n");
    write(
        &p.join("2024-01-17-huge-title.md"),
        format!("---\ntitle: {}\n---\nbody\n", "가".repeat(1_000_000)),
    );
    write(
        &p.join("2024-01-18-control.md"),
        "---\ntitle: \"bell \\a and \\x1b escape\"\n---\nbody \u{7} here\n",
    );
    // Links that are not followed, with a warning each.
    std::fs::create_dir_all(p.join("loop")).unwrap();
    std::os::unix::fs::symlink("../loop", p.join("loop/again")).unwrap();
    std::os::unix::fs::symlink(outside, p.join("2024-01-19-outside.md")).unwrap();
    // A pipe never ends when read: it must be skipped, not opened.
    let fifo = p.join("2024-01-21-pipe.md");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    write(
        &p.join("2024-01-20-good.md"),
        "---\ntitle: The good post\n---\nStill here.\n",
    );
    rejected
}

#[test]
fn a_site_of_hostile_posts_builds_within_10_cpu_seconds_names_each_rejected_post_and_keeps_the_good_ones(
) {
    let site = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.md");
    write(
        &secret,
        "---\ntitle: TOP-SECRET-9c1e\n---\nnot for the feed\n",
    );
    let rejected = hostile_site(site.path(), &secret);
    let dest = site.path().join("_site");
    let out = capped(
        2048,
        &[
            "build",
            "--no-cache",
            "--build-date",
            BUILD_DATE,
            site.path().to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for name in &rejected {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains(": error: ")),
            "{name} is not named as rejected:\n{err}"
        );
    }
    assert!(
        err.contains(&format!("{} rejected", rejected.len())),
        "{err}"
    );
    for (name, says) in [
        ("2024-01-08-euc-kr.md", "EUC-KR"),
        ("2024-01-12-billion-laughs.md", "repetition limit"),
        ("2024-01-13-deep-flow.md", "nested more than 64 levels"),
        ("2024-01-10-binary.md", "binary file"),
        ("loop/again", "does not follow folder links"),
        ("2024-01-19-outside.md", "outside the site"),
        ("2024-01-21-pipe.md", "not a regular file"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(name) && l.contains(says)),
            "{name}: {says}\n{err}"
        );
    }
    let feed = read(&dest.join("feed.xml"));
    for title in ["The good post", "scripts", "bell and escape"] {
        assert!(feed.contains(title), "{title} missing from the feed");
    }
    let long_title = strict_parse(&feed)
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .map(|n| n.text().unwrap_or("").chars().count())
        .max()
        .unwrap();
    // README: "a title longer than 1,000 characters | warning; shortened".
    assert!(long_title <= 1000);
    for file in ["feed.xml", "rss.xml", "feed.json", "sitemap.xml"] {
        let text = read(&dest.join(file));
        assert!(
            !text.contains("javascript:") && !text.contains("data:image"),
            "{file}"
        );
        assert!(
            !text.contains("TOP-SECRET"),
            "{file} published a file from outside the site"
        );
    }
}

#[test]
fn hostile_xml_documents_get_a_diagnostic_within_10_cpu_seconds_under_a_1_gib_cap() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    write(&secret, "TOP-SECRET-7f3a");
    let mut laughs = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY a \"lollollollollollollollollollol\">\n",
    );
    let mut prev = "a".to_string();
    for i in 0..12 {
        laughs.push_str(&format!(
            "<!ENTITY e{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
        prev = format!("e{i}");
    }
    laughs.push_str(&format!(
        "]>\n<rss version=\"2.0\"><channel><title>&{prev};</title></channel></rss>"
    ));
    let big = "x".repeat(100_000);
    let quadratic = format!("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"{big}\">]>\n<rss version=\"2.0\"><channel><title>{}</title></channel></rss>", "&a;".repeat(100_000));
    let external = format!("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file://{}\">]>\n<rss version=\"2.0\"><channel><title>&x;</title><link>https://e.com/</link><description>d</description></channel></rss>", secret.display());
    let deep = format!(
        "<rss version=\"2.0\">{}{}</rss>",
        "<a>".repeat(200_000),
        "</a>".repeat(200_000)
    );
    let one_line = format!(
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{}</urlset>",
        (0..300_000).map(|i| format!("<url><loc>https://e.com/{i}</loc></url>")).collect::<String>()
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    {
        use std::io::Write;
        gz.write_all(b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://e.com/").unwrap();
        let mb = vec![b'a'; 1 << 20];
        for _ in 0..1024 {
            gz.write_all(&mb).unwrap();
        }
    }
    let bomb = gz.finish().unwrap();
    assert!(
        bomb.len() < 2 << 20,
        "a 1 GiB gzip bomb in {} bytes",
        bomb.len()
    );
    for (name, bytes, code) in [
        ("laughs.xml", laughs.into_bytes(), "xml-entity-nesting"),
        (
            "quadratic.xml",
            quadratic.into_bytes(),
            "xml-entity-expansion",
        ),
        (
            "external.xml",
            external.into_bytes(),
            "xml-undefined-entity",
        ),
        ("deep.xml", deep.into_bytes(), "xml-too-deep"),
        (
            "one-line.xml",
            one_line.into_bytes(),
            "sitemap-too-many-urls",
        ),
        ("bomb.xml.gz", bomb, "too-large"),
    ] {
        let path = dir.path().join(name);
        write(&path, bytes);
        let out = capped(1024, &["validate", path.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(&format!("[{code}]")), "{name}: {stdout}");
        assert!(!stdout.contains("TOP-SECRET"), "{name} read a local file");
    }
}

#[test]
fn a_feed_path_leaving_the_destination_is_refused_with_exit_2_and_nothing_written() {
    let site = fixture_copy("jekyll-site");
    let config = site.path().join("_config.yml");
    std::fs::write(
        &config,
        read(&config).replace("feed:\n", "feed:\n  path: ../../x.xml\n"),
    )
    .unwrap();
    let outer = tempfile::tempdir().unwrap();
    let dest = outer.path().join("a/b");
    let out = capped(
        2048,
        &[
            "build",
            "--build-date",
            BUILD_DATE,
            "--dest",
            dest.to_str().unwrap(),
            site.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("_config.yml") && err.contains("inside the destination"),
        "{err}"
    );
    assert!(!dest.exists());
    assert!(!outer.path().join("x.xml").exists());
}

#[test]
fn a_symbolic_link_inside_the_destination_is_refused_before_anything_is_written() {
    let site = fixture_copy("features-site");
    let dest = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dest.path().join("feed")).unwrap();
    let out = capped(
        2048,
        &[
            "build",
            "--build-date",
            "2024-03-17T09:00:00+09:00",
            "--dest",
            dest.path().to_str().unwrap(),
            site.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a symbolic link"), "{err}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    assert!(
        !dest.path().join("feed.xml").exists(),
        "nothing is written when one output is refused"
    );
}

#[test]
fn the_source_folder_as_destination_is_refused_so_no_source_file_is_overwritten() {
    let site = fixture_copy("jekyll-site");
    let before = snapshot(site.path());
    let out = capped(
        2048,
        &[
            "build",
            "--build-date",
            BUILD_DATE,
            "--dest",
            site.path().to_str().unwrap(),
            site.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("contains it"));
    let mut after = snapshot(site.path());
    after.retain(|k, _| !k.starts_with(".feedwright-cache"));
    assert_eq!(before, after);
}

/// Found by the `post` fuzz target: a five-digit year reached chrono's
/// RFC 2822 formatter, which panics past 9999.
#[test]
fn a_date_with_a_five_digit_year_is_rejected_instead_of_crashing_the_rss_writer() {
    let site = small_site(&[
        (
            "2024-03-15-far.md",
            "---\ntitle: far\ndate: 20240-3-15 23:30:00\n---\nbody\n",
        ),
        ("2024-03-16-near.md", "---\ntitle: near\n---\nbody\n"),
    ]);
    let out = build_capped(site.path(), BUILD_DATE);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "2024-03-15-far.md:3: error: `date: 20240-3-15 23:30:00` has a year outside 1–9999"
        ),
        "{err}"
    );
    assert!(read(&site.path().join("_site/rss.xml")).contains("<title>near</title>"));
    let out = build_capped(site.path(), "2024-01-01T00:00:00Z");
    assert_eq!(out.status.code(), Some(1));
    let far_future = std::process::Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .arg("build")
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "999999999999")
        .output()
        .unwrap();
    assert_eq!(far_future.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&far_future.stderr).contains("outside the years 1-9999"));
}

/// Found by the `permalink` fuzz target: a permalink whose first segment
/// held a colon (`/http:/evil.example/`) was resolved as another site's URL.
#[test]
fn a_permalink_that_looks_like_a_url_stays_on_the_site() {
    let site = small_site(&[(
        "2024-03-15-x.md",
        "---\ntitle: x\npermalink: /http:/evil.example/\n---\nbody\n",
    )]);
    let out = build_capped(site.path(), BUILD_DATE);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sitemap = read(&site.path().join("_site/sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://e.com/http:/evil.example/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("//evil.example"));
}
