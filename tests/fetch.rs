//! `validate URL` and `--follow` against a small HTTP server on 127.0.0.1
//! that the test starts: redirects, Content-Types, status codes, gzip.

use feedwright::validate::fetch::{validate_site, validate_url, Limits};
use feedwright::validate::{Format, Options};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::Command;
use std::sync::Arc;

/// One canned answer: status, headers, body.
type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

/// Serves `routes` (path → answer; anything else is a 404) on 127.0.0.1
/// until the test process ends, and returns the base URL
/// (`http://127.0.0.1:PORT`), which `routes` is given. `{base}` in text
/// bodies and headers is replaced by it.
fn serve(routes: impl FnOnce(&str) -> Vec<(&'static str, Answer)>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes: HashMap<&str, Answer> = routes(&base)
        .into_iter()
        .map(|(path, (status, headers, body))| {
            let headers = headers
                .into_iter()
                .map(|(k, v)| (k, v.replace("{base}", &base)))
                .collect();
            let body = match String::from_utf8(body) {
                Ok(text) => text.replace("{base}", &base).into_bytes(),
                Err(e) => e.into_bytes(),
            };
            (path, (status, headers, body))
        })
        .collect();
    let routes = Arc::new(routes);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let not_found: Answer = (
                    404,
                    vec![("Content-Type", "text/html".into())],
                    b"<h1>Not Found</h1>".to_vec(),
                );
                let (status, headers, body) = routes.get(path.as_str()).unwrap_or(&not_found);
                let mut response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (k, v) in headers {
                    response.push_str(&format!("{k}: {v}\r\n"));
                }
                response.push_str("\r\n");
                let _ = stream.write_all(response.as_bytes());
                let _ = stream.write_all(body);
            });
        }
    });
    base
}

fn ok(content_type: &str, body: &str) -> Answer {
    (
        200,
        vec![("Content-Type", content_type.to_string())],
        body.as_bytes().to_vec(),
    )
}

fn redirect(status: u16, to: &str) -> Answer {
    (status, vec![("Location", to.to_string())], Vec::new())
}

const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title><link>https://e.com/</link><description>d</description>
<atom:link rel="self" href="{base}/feed.xml" type="application/rss+xml"/>
<item><title>i</title><guid>https://e.com/1</guid></item></channel></rss>"#;

fn sitemap(urls: &[&str]) -> String {
    let body: String = urls
        .iter()
        .map(|u| format!("<url><loc>{u}</loc></url>"))
        .collect();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{body}</urlset>")
}

fn codes(served: &feedwright::validate::fetch::Served) -> Vec<String> {
    served
        .result
        .as_ref()
        .unwrap()
        .diagnostics
        .iter()
        .map(|d| d.code.clone())
        .collect()
}

fn limits() -> Limits {
    Limits::default().timeout(std::time::Duration::from_secs(10))
}

#[test]
fn a_feed_reached_through_redirects_is_validated_against_its_final_url() {
    let base = serve(|_| {
        vec![
            ("/old", redirect(301, "/older")),
            ("/older", redirect(302, "{base}/feed.xml")),
            ("/feed.xml", ok("application/rss+xml; charset=utf-8", RSS)),
        ]
    });
    let served = validate_url(&format!("{base}/old"), &Options::default(), &limits());
    assert_eq!(
        served.final_url.as_ref().unwrap().as_str(),
        format!("{base}/feed.xml")
    );
    assert_eq!(served.redirects.len(), 2);
    let report = served.result.as_ref().unwrap();
    assert_eq!(report.format, Format::Rss);
    // The self link matches where the feed was finally served: no warning about it.
    assert!(
        !report.has_errors() && !report.has_warnings(),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn redirects_are_bounded() {
    let base = serve(|_| vec![("/a", redirect(302, "/b")), ("/b", redirect(302, "/a"))]);
    let served = validate_url(
        &format!("{base}/a"),
        &Options::default(),
        &limits().redirects(3),
    );
    let why = served.result.unwrap_err();
    assert!(why.contains("more than 3 redirects"), "{why}");
    assert_eq!(served.redirects.len(), 4);
}

#[test]
fn a_wrong_content_type_and_a_disagreeing_charset_are_reported() {
    let base = serve(|_| {
        vec![
            ("/feed.xml", ok("text/html", RSS)),
            (
                "/latin.xml",
                ok("application/rss+xml; charset=iso-8859-1", RSS),
            ),
            (
                "/feed.json",
                ok(
                    "text/plain",
                    r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","feed_url":"https://e.com/f","items":[]}"#,
                ),
            ),
        ]
    });
    let html = validate_url(&format!("{base}/feed.xml"), &Options::default(), &limits());
    assert_eq!(codes(&html), ["http-content-type"]);
    let message = &html.result.as_ref().unwrap().diagnostics[0].message;
    assert!(
        message.contains("text/html") && message.contains("application/rss+xml"),
        "{message}"
    );
    let latin = validate_url(&format!("{base}/latin.xml"), &Options::default(), &limits());
    // The feed's self link names /feed.xml: served from elsewhere, it says so.
    assert_eq!(
        codes(&latin),
        ["http-charset-mismatch", "rss-self-mismatch"]
    );
    let json = validate_url(&format!("{base}/feed.json"), &Options::default(), &limits());
    assert_eq!(json.result.as_ref().unwrap().format, Format::JsonFeed);
    assert_eq!(codes(&json), ["http-content-type"]);
}

#[test]
fn a_404_is_a_document_that_could_not_be_fetched() {
    let base = serve(|_| vec![]);
    let served = validate_url(
        &format!("{base}/missing.xml"),
        &Options::default(),
        &limits(),
    );
    let why = served.result.unwrap_err();
    assert!(why.contains("HTTP 404"), "{why}");
}

#[test]
fn follow_walks_robots_txt_and_a_sitemap_index_to_a_gzip_compressed_sitemap() {
    let gzipped = |text: String| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        gz.finish().unwrap()
    };
    let base = serve(|base| {
        vec![
        ("/robots.txt", ok("text/plain", "User-agent: *\nDisallow:\nSitemap: {base}/sitemap_index.xml\nSitemap: {base}/gone.xml\n")),
        (
            "/sitemap_index.xml",
            ok("application/xml", "<?xml version=\"1.0\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>{base}/plain.xml</loc></sitemap><sitemap><loc>{base}/part.xml.gz</loc></sitemap></sitemapindex>"),
        ),
        ("/plain.xml", ok("application/xml", &sitemap(&["{base}/x"]))),
        // A loc on another host: an error the follower must find inside the gzip.
        ("/part.xml.gz", (200, vec![("Content-Type", "application/gzip".into())], gzipped(sitemap(&[&format!("{base}/a"), "https://elsewhere.example/b"])))),
    ]
    });
    // The site's root starts at its robots.txt.
    let served = validate_site(&[&format!("{base}/")], &Options::default(), &limits());
    let seen: Vec<(String, Result<Format, String>)> = served
        .iter()
        .map(|s| {
            (
                s.url.replace(&base, ""),
                s.result.as_ref().map(|r| r.format).map_err(|e| e.clone()),
            )
        })
        .collect();
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen[0], ("/robots.txt".to_string(), Ok(Format::Robots)));
    assert_eq!(
        seen[1],
        ("/sitemap_index.xml".to_string(), Ok(Format::SitemapIndex))
    );
    assert!(
        seen[2].0 == "/gone.xml" && seen[2].1.as_ref().unwrap_err().contains("404"),
        "{seen:?}"
    );
    assert_eq!(seen[3], ("/plain.xml".to_string(), Ok(Format::Sitemap)));
    assert_eq!(seen[4], ("/part.xml.gz".to_string(), Ok(Format::Sitemap)));
    assert_eq!(codes(&served[3]), Vec::<String>::new());
    assert_eq!(codes(&served[4]), ["sitemap-other-host"]);

    // Bounded: two documents at most, one link deep.
    let few = validate_site(
        &[&format!("{base}/robots.txt")],
        &Options::default(),
        &limits().documents(2),
    );
    assert_eq!(few.len(), 2);
    assert!(
        codes(&few[1]).contains(&"follow-limit".to_string()),
        "{:?}",
        codes(&few[1])
    );
    let shallow = validate_site(
        &[&format!("{base}/robots.txt")],
        &Options::default(),
        &limits().depth(1),
    );
    assert_eq!(
        shallow.len(),
        3,
        "robots.txt, the index and the 404; not the index's parts"
    );
}

#[test]
fn validate_cli_takes_urls_and_follow() {
    let base = serve(|_| {
        vec![
            ("/feed.xml", ok("application/rss+xml", RSS)),
            (
                "/robots.txt",
                ok("text/plain", "Sitemap: {base}/sitemap.xml\n"),
            ),
            ("/sitemap.xml", ok("text/html", &sitemap(&["{base}/a"]))),
        ]
    });
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .arg("validate")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&[&format!("{base}/feed.xml")]).0, Some(0));
    let (code, _, stderr) = run(&[&format!("{base}/nothing.xml")]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("nothing.xml: could not fetch: the server answered HTTP 404"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&["--follow", "--deny-warnings", &format!("{base}/robots.txt")]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{base}/sitemap.xml:1:1: warning[http-content-type]"
        )),
        "{stdout}"
    );
}
