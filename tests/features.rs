//! The site features beyond the main feeds: JSON Feed, category and tag
//! feeds, WebSub, news and image sitemaps, absolute URLs in content,
//! sitemap extras, `meta`. Driven by `fixtures/features-site`.

use crate::util::*;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

/// The day after the fixture's newest post (2024-03-16 08:30 +09:00).
const DAY_AFTER: &str = "2024-03-17T09:00:00+09:00";

fn build_features(now: &str) -> (tempfile::TempDir, feedwright::BuildReport) {
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(&fixture("features-site"), dest.path());
    opts.now = date(now);
    let report = feedwright::build(&opts).unwrap();
    (dest, report)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn atom_entry_ids(path: &Path) -> Vec<String> {
    let text = read(path);
    let doc = strict_parse(&text);
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| child_text(e, "id").unwrap().to_string())
        .collect()
}

fn json_item_ids(path: &Path) -> Vec<String> {
    json(path)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn all_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn json_feed_is_valid_1_1_with_the_same_posts_and_ids_as_the_atom_feed() {
    let (dest, _) = build_features(DAY_AFTER);
    let feed = json(&dest.path().join("feed.json"));
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://netzero.example/feed.json");
    assert_eq!(feed["language"], "ko");
    assert_eq!(feed["authors"][0]["name"], "편집국");
    assert_eq!(feed["author"]["name"], "편집국", "1.0 readers' author");
    assert_eq!(feed["icon"], "https://netzero.example/assets/icon-512.png");
    let ids = json_item_ids(&dest.path().join("feed.json"));
    assert_eq!(ids, atom_entry_ids(&dest.path().join("feed.xml")));
    assert_eq!(ids.len(), 5);
    let en = &feed["items"][1];
    assert_eq!(en["language"], "en");
    assert!(en["date_published"]
        .as_str()
        .unwrap()
        .starts_with("2024-03-15T10:00:00"));
    assert!(en["content_html"]
        .as_str()
        .unwrap()
        .contains("https://netzero.example/en/policy/"));
    let report = feedwright::validate::validate_str(
        &read(&dest.path().join("feed.json")),
        &Default::default(),
    );
    assert_eq!(report.format, feedwright::validate::Format::JsonFeed);
    assert!(
        !report.has_errors() && !report.has_warnings(),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn each_configured_category_has_its_feed_at_jekyll_feeds_path_with_exactly_its_posts() {
    let (dest, _) = build_features(DAY_AFTER);
    let news = atom_entry_ids(&dest.path().join("feed/News.xml"));
    assert_eq!(
        news,
        [
            "https://netzero.example/2024/03/15/ev-subsidy-en",
            "https://netzero.example/2024/03/15/ev-subsidy",
            "https://netzero.example/2024/03/14/cpp-energy",
        ]
    );
    let policy = atom_entry_ids(&dest.path().join("feed/정책.xml"));
    assert_eq!(
        policy,
        [
            "https://netzero.example/2024/03/15/ev-subsidy",
            "https://netzero.example/2024/03/10/old-policy",
        ]
    );
    // The same posts in the RSS and JSON versions beside it.
    assert_eq!(json_item_ids(&dest.path().join("feed/정책.json")), policy);
    let rss = read(&dest.path().join("feed/정책.rss"));
    assert_eq!(
        strict_parse(&rss)
            .descendants()
            .filter(|n| n.has_tag_name("item"))
            .count(),
        2
    );
    // jekyll-feed's title for a category feed, and a self link that is the
    // percent-encoded file name.
    let atom = read(&dest.path().join("feed/정책.xml"));
    assert!(atom.contains("<title>넷제로 뉴스 | 정책</title>"), "{atom}");
    assert!(
        atom.contains("href=\"https://netzero.example/feed/%EC%A0%95%EC%B1%85.xml\" rel=\"self\""),
        "{atom}"
    );
    // No feed for a category that is not configured.
    assert!(!dest.path().join("feed/Energy.xml").exists());
}

#[test]
fn every_tag_gets_a_feed_korean_hyphenated_cpp_and_two_words_included() {
    let (dest, _) = build_features(DAY_AFTER);
    let dir = dest.path().join("feed/by_tag");
    for (tag, file, posts) in [
        ("탄소중립", "탄소중립", 1),
        ("net-zero", "net-zero", 3),
        ("Net_Zero", "Net_Zero", 1),
        ("C++", "C-plus-plus", 1),
        ("C#", "C-sharp", 1),
        ("two words", "two-words", 1),
        ("한국은행", "한국은행", 1),
        ("전력망", "전력망", 1),
    ] {
        for ext in ["xml", "rss", "json"] {
            assert!(
                dir.join(format!("{file}.{ext}")).is_file(),
                "no {file}.{ext} for `{tag}`"
            );
        }
        let ids = atom_entry_ids(&dir.join(format!("{file}.xml")));
        assert_eq!(ids.len(), posts, "tag `{tag}`");
        let text = read(&dir.join(format!("{file}.xml")));
        assert!(
            text.contains(&format!(
                "<title>넷제로 뉴스 | {}</title>",
                tag.replace('&', "&amp;")
            )),
            "{text}"
        );
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 8 * 3);
}

#[test]
fn hub_links_appear_in_atom_rss_and_json_feeds() {
    let (dest, _) = build_features(DAY_AFTER);
    for path in ["feed.xml", "feed/News.xml", "feed/by_tag/C-plus-plus.xml"] {
        let text = read(&dest.path().join(path));
        let doc = strict_parse(&text);
        assert!(
            doc.descendants().any(|n| n.has_tag_name("link")
                && n.attribute("rel") == Some("hub")
                && n.attribute("href") == Some("https://hub.example/")),
            "{path}"
        );
    }
    for path in ["rss.xml", "feed/News.rss"] {
        let text = read(&dest.path().join(path));
        let doc = strict_parse(&text);
        assert!(
            doc.descendants()
                .any(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "link"))
                    && n.attribute("rel") == Some("hub")),
            "{path}"
        );
    }
    for path in ["feed.json", "feed/by_tag/two-words.json"] {
        let feed = json(&dest.path().join(path));
        assert_eq!(feed["hubs"][0]["type"], "WebSub", "{path}");
        assert_eq!(feed["hubs"][0]["url"], "https://hub.example/", "{path}");
    }
}

#[test]
fn news_sitemap_lists_only_posts_of_the_two_days_before_the_build_date() {
    let (dest, _) = build_features(DAY_AFTER);
    let text = read(&dest.path().join("sitemap-news.xml"));
    let doc = strict_parse(&text);
    let locs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| child_text(u, "loc").unwrap())
        .collect();
    // 2024-03-15 09:00 is exactly two days before: out. 10:00 is in.
    assert_eq!(
        locs,
        [
            "https://netzero.example/2024/03/16/grid/",
            "https://netzero.example/2024/03/15/ev-subsidy-en/",
        ]
    );
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let names: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((news, "name")))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(names, ["넷제로 뉴스", "넷제로 뉴스"]);
    assert!(text.contains("<news:title>전력망 확충 계획</news:title>"));
    let robots = read(&dest.path().join("robots.txt"));
    assert_eq!(
        robots,
        "Sitemap: https://netzero.example/sitemap.xml\nSitemap: https://netzero.example/sitemap-news.xml\n"
    );
}

#[test]
fn news_sitemap_is_removed_once_no_post_is_recent_even_with_a_warm_cache() {
    let site = fixture_copy("features-site");
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(site.path(), dest.path());
    opts.cache = true;
    opts.now = date(DAY_AFTER);
    feedwright::build(&opts).unwrap();
    assert!(dest.path().join("sitemap-news.xml").is_file());
    // Three days on, nothing changed on disk, but the news window moved.
    opts.now = date("2024-03-20T09:00:00+09:00");
    let report = feedwright::build(&opts).unwrap();
    assert!(
        !report.reused,
        "the cache must not vouch past a news post's window"
    );
    assert!(!dest.path().join("sitemap-news.xml").exists());
    assert!(!read(&dest.path().join("robots.txt")).contains("sitemap-news"));
    assert!(report
        .notices
        .iter()
        .any(|n| n.message.contains("no news sitemap")));
}

#[test]
fn sitemap_has_image_entries_changefreq_priority_and_hreflang_alternates() {
    let (dest, _) = build_features(DAY_AFTER);
    let text = read(&dest.path().join("sitemap.xml"));
    let doc = strict_parse(&text);
    let image_ns = "http://www.google.com/schemas/sitemap-image/1.1";
    let url = |loc: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("url"))
            .find(|u| child_text(*u, "loc") == Some(loc))
            .unwrap_or_else(|| panic!("no <url> for {loc}"))
    };
    let cpp = url("https://netzero.example/2024/03/14/cpp-energy/");
    let images: Vec<_> = cpp
        .descendants()
        .filter(|n| n.has_tag_name((image_ns, "loc")))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(
        images,
        [
            "https://cdn.netzero.example/a.png?w=800&h=450",
            "https://netzero.example/images/b.png"
        ]
    );
    assert_eq!(child_text(cpp, "changefreq"), Some("daily"));
    assert_eq!(child_text(cpp, "priority"), Some("0.8"));
    let old = url("https://netzero.example/2024/03/10/old-policy/");
    assert_eq!(
        child_text(old, "changefreq"),
        Some("weekly"),
        "the site default"
    );
    assert_eq!(child_text(old, "priority"), Some("0.5"));
    for loc in [
        "https://netzero.example/2024/03/15/ev-subsidy/",
        "https://netzero.example/2024/03/15/ev-subsidy-en/",
    ] {
        let alternates: Vec<_> = url(loc)
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap(),
                    n.attribute("href").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            alternates,
            [
                ("ko", "https://netzero.example/2024/03/15/ev-subsidy/"),
                ("en", "https://netzero.example/2024/03/15/ev-subsidy-en/"),
            ]
        );
    }
    assert!(url("https://netzero.example/2024/03/16/grid/")
        .children()
        .all(|n| !n.has_tag_name(("http://www.w3.org/1999/xhtml", "link"))));
}

#[test]
fn no_relative_or_script_url_remains_in_any_feed_content() {
    let (dest, report) = build_features(DAY_AFTER);
    let attr = regex_free_urls;
    for path in all_files(dest.path()) {
        let name = path.display().to_string();
        let contents: Vec<String> = if name.ends_with(".json") {
            json(&path)["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["content_html"].as_str().unwrap_or("").to_string())
                .collect()
        } else if name.ends_with(".xml") || name.ends_with(".rss") {
            let text = read(&path);
            let doc = strict_parse(&text);
            doc.descendants()
                .filter(|n| n.has_tag_name("content") || n.has_tag_name("encoded"))
                .filter_map(|n| n.text().map(str::to_string))
                .collect()
        } else {
            continue;
        };
        for html in contents {
            for url in attr(&html) {
                assert!(
                    url.starts_with("https://")
                        || url.starts_with("mailto:")
                        || url.contains(" https://"),
                    "{name}: `{url}` in {html}"
                );
                assert!(!url.contains("javascript:"), "{name}");
            }
        }
    }
    assert!(report
        .notices
        .iter()
        .any(|n| n.message.contains("javascript:alert(1)")));
}

/// The values of src, href, srcset and poster attributes in an HTML fragment.
fn regex_free_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["src=\"", "href=\"", "srcset=\"", "poster=\""] {
        for (i, _) in html.match_indices(name) {
            let rest = &html[i + name.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    out
}

#[test]
fn validate_passes_every_file_the_build_wrote() {
    let (dest, _) = build_features(DAY_AFTER);
    let files = all_files(dest.path());
    assert_eq!(files.len(), 36);
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .arg("validate")
        .arg("--deny-warnings")
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn meta_prints_one_alternate_link_per_feed_for_the_head() {
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["meta", "--build-date", DAY_AFTER])
        .arg(fixture("features-site"))
        .arg("--no-cache")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(
        lines.len(),
        9,
        "main, News and 정책 in three formats:\n{text}"
    );
    assert_eq!(
        lines[0],
        r#"<link rel="alternate" type="application/atom+xml" title="넷제로 뉴스" href="https://netzero.example/feed.xml">"#
    );
    assert_eq!(
        lines[1],
        r#"<link rel="alternate" type="application/rss+xml" title="넷제로 뉴스" href="https://netzero.example/rss.xml">"#
    );
    assert_eq!(
        lines[2],
        r#"<link rel="alternate" type="application/feed+json" title="넷제로 뉴스" href="https://netzero.example/feed.json">"#
    );
    let with_tags = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["meta", "--tags", "--no-cache", "--build-date", DAY_AFTER])
        .arg(fixture("features-site"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(with_tags.stdout).unwrap().lines().count(),
        9 + 8 * 3
    );
}

#[test]
fn a_category_feed_path_outside_the_destination_is_refused_before_writing() {
    let site = fixture_copy("features-site");
    let config = site.path().join("_config.yml");
    let text = read(&config).replace(
        "categories: [News, 정책]",
        "categories: {News: {path: ../../escape.xml}}",
    );
    std::fs::write(&config, text).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["build", "--build-date", DAY_AFTER, "--dest"])
        .arg(dest.path().join("out"))
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("_config.yml") && err.contains("must stay inside the destination"),
        "{err}"
    );
    assert!(!dest.path().join("out").exists());
    assert!(!dest.path().join("escape.xml").exists());
}

/// A one-thread HTTP server on 127.0.0.1 that answers each request with
/// `status` and hands the request bodies back.
pub(crate) fn hub(status: u16, requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for _ in 0..requests {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head, then as many body bytes as Content-Length says.
            let body = loop {
                let n = stream.read(&mut chunk).unwrap();
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length: usize = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length {
                        break String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).to_string();
                    }
                }
                if n == 0 {
                    break String::new();
                }
            };
            bodies.push(body);
            let reason = if status < 300 { "No Content" } else { "Error" };
            write!(
                stream,
                "HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
        }
        bodies
    });
    (url, handle)
}

fn site_with_hub(hub: &str) -> tempfile::TempDir {
    let site = fixture_copy("features-site");
    let config = site.path().join("_config.yml");
    let text = read(&config)
        .replace("hub: https://hub.example/", &format!("hub: {hub}"))
        .replace("  tags: true\n", "");
    std::fs::write(&config, text).unwrap();
    site
}

#[test]
fn ping_tells_the_hub_about_each_changed_feed_once() {
    // Main feed and two category feeds, three formats each.
    let (url, server) = hub(204, 9);
    let site = site_with_hub(&url);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .args(args)
            .args(["--build-date", DAY_AFTER])
            .arg(site.path())
            .output()
            .unwrap()
    };
    let built = run(&["build", "--ping"]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let stdout = String::from_utf8_lossy(&built.stdout).to_string();
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("pinged ")).count(),
        9,
        "{stdout}"
    );
    let bodies = server.join().unwrap();
    assert!(
        bodies.contains(
            &"hub.mode=publish&hub.url=https%3A%2F%2Fnetzero.example%2Ffeed.xml".to_string()
        ),
        "{bodies:?}"
    );
    assert!(bodies
        .iter()
        .all(|b| b.starts_with("hub.mode=publish&hub.url=https%3A%2F%2Fnetzero.example%2F")));
    // Nothing changed since: nothing to send, and no server is needed.
    let again = run(&["ping"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("no feed changed since the last ping"));
}

#[test]
fn ping_reports_a_failing_hub_with_exit_1_and_retries_next_time() {
    let (url, server) = hub(500, 9);
    let site = site_with_hub(&url);
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["build", "--ping", "--build-date", DAY_AFTER])
        .arg(site.path())
        .output()
        .unwrap();
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAILED") && stdout.contains("HTTP 500"),
        "{stdout}"
    );
    // The failed feeds were not recorded: the next ping tries them again.
    let (url2, server2) = hub(204, 9);
    let config = site.path().join("_config.yml");
    std::fs::write(&config, read(&config).replace(&url, &url2)).unwrap();
    let retry = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["ping", "--build-date", DAY_AFTER])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(
        retry.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&retry.stderr)
    );
    assert_eq!(server2.join().unwrap().len(), 9);
}

#[test]
fn ping_gives_up_on_a_silent_hub_after_the_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let site = site_with_hub(&url);
    let config = site.path().join("_config.yml");
    // One feed only, so the test waits for one timeout.
    let text = read(&config)
        .replace("  categories: [News, 정책]\n", "")
        .replace(
            "  rss: rss.xml\n  json: feed.json\n",
            "  rss: false\n  json: false\n",
        );
    std::fs::write(&config, text).unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args([
            "build",
            "--ping",
            "--ping-timeout",
            "1",
            "--build-date",
            DAY_AFTER,
        ])
        .arg(site.path())
        .output()
        .unwrap();
    drop(listener);
    assert_eq!(out.status.code(), Some(1));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAILED") && stdout.contains("no answer within 1 s"),
        "{stdout}"
    );
}

#[test]
fn ping_without_a_configured_hub_exits_2_and_says_which_key_to_set() {
    let site = fixture_copy("jekyll-site");
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .args(["ping", "--build-date", BUILD_DATE])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("feedwright.hub"));
}

#[test]
fn an_empty_tag_feed_keeps_the_cache_from_vouching_for_its_build_dated_updated() {
    let site = fixture_copy("features-site");
    let config = site.path().join("_config.yml");
    // No news sitemap, whose window would also move with the date.
    let text = read(&config)
        .replace("  tags: true\n", "  tags: {only: [nobody-uses-this]}\n")
        .replace("  news:\n    name: 넷제로 뉴스\n    language: ko\n", "");
    assert!(!text.contains("news:"));
    std::fs::write(&config, text).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(site.path(), dest.path());
    opts.cache = true;
    opts.now = date(DAY_AFTER);
    feedwright::build(&opts).unwrap();
    let empty = read(&dest.path().join("feed/by_tag/nobody-uses-this.xml"));
    assert!(
        empty.contains("<updated>2024-03-17T09:00:00+09:00</updated>"),
        "{empty}"
    );
    opts.now = date("2024-03-18T09:00:00+09:00");
    let report = feedwright::build(&opts).unwrap();
    assert!(!report.reused);
    let empty = read(&dest.path().join("feed/by_tag/nobody-uses-this.xml"));
    assert!(
        empty.contains("<updated>2024-03-18T09:00:00+09:00</updated>"),
        "{empty}"
    );
}

/// `meta` and `ping` ask `site::feeds`, which answers from the configuration
/// (every feed but the tag feeds) or the last build's manifest (tag feeds)
/// without building: its answer must be the plan's, each way.
#[test]
fn the_feed_list_from_configuration_or_manifest_equals_the_plans() {
    let site = fixture_copy("features-site");
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(site.path(), dest.path());
    opts.now = date(DAY_AFTER);
    let planned = feedwright::plan(&opts).unwrap().feeds;
    let untagged: Vec<_> = planned
        .iter()
        .filter(|f| !matches!(f.scope, feedwright::site::Scope::Tag(_)))
        .cloned()
        .collect();
    assert_eq!(untagged.len(), 9);
    assert_eq!(feedwright::site::feeds(&opts, false).unwrap(), untagged);
    assert_eq!(feedwright::site::feeds(&opts, true).unwrap(), planned);
    opts.cache = true;
    let built = feedwright::build(&opts).unwrap();
    assert_eq!(built.feeds, planned);
    let again = feedwright::build(&opts).unwrap();
    assert!(again.reused);
    assert_eq!(again.feeds, planned, "the manifest keeps the feed list");
    assert_eq!(feedwright::site::feeds(&opts, true).unwrap(), planned);
}
