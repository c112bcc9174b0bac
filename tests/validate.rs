//! The validator on small hand-written documents: each rule with its code and line.

use crate::util::*;
use feedwright::validate::{validate_str, Options, Severity};

/// (document, expected error code, expected line); `None` means "no errors".
fn errors(doc: &str) -> Vec<(String, usize)> {
    validate_str(doc, &Options::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.line))
        .collect()
}

const ATOM_OK: &str = r#"<feed xmlns="http://www.w3.org/2005/Atom">
<title>T</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><updated>2003-12-13T18:30:02Z</updated>
<author><name>A</name></author><link rel="self" href="http://example.org/feed.xml"/>
<entry>
<title>E</title><id>http://example.org/1</id><updated>2003-12-13T18:30:02Z</updated>
<link href="http://example.org/1"/>
</entry>
</feed>"#;

#[test]
fn a_valid_atom_feed_has_no_errors() {
    assert_eq!(errors(ATOM_OK), vec![]);
}

#[test]
fn atom_rules_report_their_code_on_the_right_line() {
    let cases = [
        (
            ATOM_OK.replace("<title>E</title>", ""),
            "atom-missing-title",
            4,
        ),
        (
            ATOM_OK.replace(
                "<updated>2003-12-13T18:30:02Z</updated>\n<link",
                "<updated>2003-12-13 18:30:02</updated>\n<link",
            ),
            "atom-invalid-date",
            5,
        ),
        (
            ATOM_OK.replace("<link href=\"http://example.org/1\"/>", ""),
            "atom-missing-content-or-alternate",
            4,
        ),
        (
            ATOM_OK.replace("<author><name>A</name></author>", ""),
            "atom-missing-author",
            1,
        ),
        (
            ATOM_OK.replace("<id>http://example.org/1</id>", "<id>not a uri</id>"),
            "atom-invalid-id",
            5,
        ),
        (
            ATOM_OK.replace(
                "<link href=\"http://example.org/1\"/>",
                "<link href=\"http://example.org/1\"/><link href=\"http://example.org/2\"/>",
            ),
            "atom-duplicate-alternate",
            6,
        ),
        (
            ATOM_OK.replace("<title>E</title>", "<title type=\"xhtml\">E</title>"),
            "atom-missing-xhtml-div",
            5,
        ),
        (
            ATOM_OK.replace(
                "<title>E</title>",
                "<title>E</title><content type=\"markdown\">x</content>",
            ),
            "atom-invalid-mime-type",
            5,
        ),
    ];
    for (doc, code, line) in cases {
        let got = errors(&doc);
        assert!(
            got.contains(&(code.to_string(), line)),
            "{code} at line {line}; got {got:?}\n{doc}"
        );
    }
}

const RSS_OK: &str = r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>T</title><link>http://example.org/</link><description>D</description>
<atom:link rel="self" href="http://example.org/rss.xml" type="application/rss+xml"/>
<item><title>I</title><guid>http://example.org/1</guid><pubDate>Sat, 07 Sep 2002 00:00:01 GMT</pubDate></item>
</channel></rss>"#;

#[test]
fn a_valid_rss_feed_has_no_errors_or_warnings() {
    let r = validate_str(RSS_OK, &Options::default());
    assert!(
        r.diagnostics.iter().all(|d| d.severity == Severity::Info),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn rss_rules_report_their_code_on_the_right_line() {
    let cases = [
        (
            RSS_OK.replace("<link>http://example.org/</link>", ""),
            "rss-missing-link",
            1,
        ),
        (
            RSS_OK.replace("Sat, 07 Sep", "Sun, 07 Sep"),
            "rss-wrong-weekday",
            4,
        ),
        (
            RSS_OK.replace("Sat, 07 Sep 2002 00:00:01 GMT", "2002-09-07"),
            "rss-invalid-date",
            4,
        ),
        (
            RSS_OK.replace("<title>I</title>", ""),
            "rss-item-title-or-description",
            4,
        ),
        (
            RSS_OK.replace(
                "<guid>http://example.org/1</guid>",
                "<guid>tag:x,2024:1</guid>",
            ),
            "rss-guid-not-permalink",
            4,
        ),
        (
            RSS_OK.replace(
                "<title>I</title>",
                "<title>I</title><enclosure url=\"http://e.org/a.mp3\" type=\"audio/mpeg\"/>",
            ),
            "rss-missing-attribute",
            4,
        ),
        (
            RSS_OK.replace(
                "<description>D</description>",
                "<description>D</description><ttl>soon</ttl>",
            ),
            "rss-invalid-integer",
            2,
        ),
        (
            RSS_OK.replace("<title>T</title>", "<title>T</title><bogus/>"),
            "rss-undefined-element",
            2,
        ),
    ];
    for (doc, code, line) in cases {
        let got = errors(&doc);
        assert!(
            got.contains(&(code.to_string(), line)),
            "{code} at line {line}; got {got:?}\n{doc}"
        );
    }
}

const SITEMAP_OK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.com/</loc><lastmod>2024-03-15</lastmod><changefreq>daily</changefreq><priority>0.5</priority></url>
</urlset>"#;

#[test]
fn sitemap_rules_report_their_code_on_the_right_line() {
    assert_eq!(errors(SITEMAP_OK), vec![]);
    let cases = [
        (
            SITEMAP_OK.replace("https://example.com/", "/relative"),
            "sitemap-invalid-loc",
            3,
        ),
        (
            SITEMAP_OK.replace("2024-03-15", "15/03/2024"),
            "sitemap-invalid-lastmod",
            3,
        ),
        (
            SITEMAP_OK.replace("daily", "sometimes"),
            "sitemap-invalid-changefreq",
            3,
        ),
        (
            SITEMAP_OK.replace("0.5", "1.5"),
            "sitemap-invalid-priority",
            3,
        ),
        (
            SITEMAP_OK.replace(
                "</url>",
                "</url>\n<url><loc>https://other.example/</loc></url>",
            ),
            "sitemap-other-host",
            4,
        ),
        (
            SITEMAP_OK.replace("<loc>https://example.com/</loc>", ""),
            "sitemap-missing-loc",
            3,
        ),
    ];
    for (doc, code, line) in cases {
        let got = errors(&doc);
        assert!(
            got.contains(&(code.to_string(), line)),
            "{code} at line {line}; got {got:?}\n{doc}"
        );
    }
}

#[test]
fn fifty_thousand_urls_pass_and_fifty_thousand_and_one_fail() {
    let doc = |n: usize| {
        let mut s =
            String::from("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for i in 0..n {
            s.push_str(&format!("<url><loc>https://e.com/{i}</loc></url>\n"));
        }
        s + "</urlset>"
    };
    assert_eq!(errors(&doc(50_000)), vec![]);
    assert_eq!(
        errors(&doc(50_001)),
        vec![("sitemap-too-many-urls".to_string(), 50_002)]
    );
}

#[test]
fn a_sitemap_on_one_line_reports_exact_columns_in_linear_time() {
    // Minified sitemaps put every URL on line 1; columns used to be counted
    // from the line start for each element (quadratic on a large file).
    let mut doc = String::from("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    for i in 0..40_000 {
        doc.push_str(&format!("<url><loc>https://e.com/{i}</loc></url>"));
    }
    let bad_at = doc.chars().count() + 1;
    doc.push_str("<url><loc>/relative</loc></url></urlset>");
    let report = validate_str(&doc, &Options::default());
    let d: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(d, vec![("sitemap-invalid-loc", 1, bad_at + "<url>".len())]);
}

#[test]
fn not_well_formed_xml_gives_one_error_at_the_place() {
    assert_eq!(
        errors("<rss version=\"2.0\">\n<channel>\n</chanel></rss>"),
        vec![("xml-not-well-formed".to_string(), 3)]
    );
    assert_eq!(
        errors("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<x:y/></feed>"),
        vec![("xml-undeclared-prefix".to_string(), 2)]
    );
}

#[test]
fn entity_bombs_and_external_entities_are_refused_without_expansion() {
    let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n");
    let mut prev = "a".to_string();
    for i in 0..10 {
        let name = format!("e{i}");
        bomb.push_str(&format!(
            "<!ENTITY {name} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
        prev = name;
    }
    bomb.push_str(&format!(
        "]>\n<rss version=\"2.0\"><channel><title>&{prev};</title></channel></rss>"
    ));
    let started = std::time::Instant::now();
    let got = errors(&bomb);
    assert!(
        got.iter().any(|(c, _)| c == "xml-entity-nesting"),
        "{got:?}"
    );
    assert!(started.elapsed().as_secs() < 5);
    let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rss version=\"2.0\"><channel><title>&x;</title></channel></rss>";
    assert!(errors(external)
        .iter()
        .any(|(c, _)| c == "xml-undefined-entity"));
}

#[test]
fn jekylls_own_feed_with_a_control_character_is_rejected() {
    let report = feedwright::validate::validate_bytes(
        &std::fs::read(fixture("golden/jekyll-site/feed.xml")).unwrap(),
        &Options::default(),
    );
    assert_eq!(report.diagnostics[0].code, "xml-illegal-char");
    assert_eq!(report.diagnostics[0].line, 5);
}

#[test]
fn feedwrights_outputs_validate_cleanly() {
    let (dest, _) = build_fixture("jekyll-site");
    for f in ["feed.xml", "rss.xml", "sitemap.xml"] {
        let base = feedwright::AbsUrl::parse(&format!("https://example.com/blog/{f}")).unwrap();
        let r = feedwright::validate::validate_bytes(
            &std::fs::read(dest.path().join(f)).unwrap(),
            &Options::default().base(&base),
        );
        assert!(
            r.diagnostics.iter().all(|d| d.severity == Severity::Info),
            "{f}: {:?}",
            r.diagnostics
        );
    }
}

#[test]
fn validate_cli_exit_codes_and_gzip() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xml.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&good).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(SITEMAP_OK.as_bytes()).unwrap();
    gz.finish().unwrap();
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, SITEMAP_OK.replace("daily", "sometimes")).unwrap();
    let run = |args: &[&std::path::Path]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .arg("validate")
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(run(&[&good]).status.code(), Some(0));
    let out = run(&[&bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("bad.xml:3:"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        run(&[&dir.path().join("missing.xml")]).status.code(),
        Some(2)
    );
}

const JSON_OK: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "T",
  "feed_url": "https://example.org/feed.json",
  "items": [
    {
      "id": "1",
      "content_text": "hello",
      "date_published": "2024-03-16T10:00:00+09:00"
    }
  ]
}"#;

#[test]
fn a_valid_json_feed_has_no_errors_or_warnings() {
    let report = validate_str(JSON_OK, &Options::default());
    assert_eq!(report.format, feedwright::validate::Format::JsonFeed);
    assert_eq!(report.diagnostics, vec![]);
}

#[test]
fn json_feed_rules_report_their_codes_at_the_members_line() {
    let missing_version = JSON_OK.replace("\"version\": \"https://jsonfeed.org/version/1.1\",", "");
    assert_eq!(
        errors(&missing_version),
        [("jsonfeed-missing-version".to_string(), 1)]
    );
    let no_content = JSON_OK.replace("\"content_text\": \"hello\",", "");
    assert_eq!(
        errors(&no_content),
        [("jsonfeed-missing-content".to_string(), 7)]
    );
    let bad_date = JSON_OK.replace("2024-03-16T10:00:00+09:00", "16 March 2024");
    assert_eq!(errors(&bad_date), [("jsonfeed-bad-date".to_string(), 9)]);
    let no_id = JSON_OK.replace("\"id\": \"1\",", "");
    assert_eq!(errors(&no_id), [("jsonfeed-missing-id".to_string(), 6)]);
    let relative = JSON_OK.replace("https://example.org/feed.json", "/feed.json");
    assert_eq!(errors(&relative), [("jsonfeed-bad-url".to_string(), 4)]);
    let bad_hub = JSON_OK.replace(
        "\"items\"",
        "\"hubs\": [{\"url\": \"https://hub.example/\"}],\n  \"items\"",
    );
    assert_eq!(errors(&bad_hub), [("jsonfeed-bad-hub".to_string(), 5)]);
    let syntax = JSON_OK.replace("\"T\",", "\"T\"");
    assert_eq!(errors(&syntax), [("json-syntax".to_string(), 4)]);
}

#[test]
fn json_feed_with_a_repeated_id_or_unknown_key_gets_warnings() {
    let doc = JSON_OK.replace(
        "\"items\": [",
        "\"colour\": 1,\n  \"items\": [\n    {\"id\": \"1\", \"content_text\": \"x\"},",
    );
    let codes: Vec<_> = validate_str(&doc, &Options::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["jsonfeed-unknown-key", "jsonfeed-duplicate-id"]);
}

#[test]
fn json_nested_ten_thousand_deep_is_a_diagnostic_not_a_stack_overflow() {
    let doc = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(errors(&doc)[0].0, "json-syntax");
}

#[test]
fn robots_txt_sitemap_lines_must_be_absolute_urls() {
    let report = validate_str(
        "User-agent: *\nDisallow:\nSitemap: https://e.com/sitemap.xml\n",
        &Options::default(),
    );
    assert_eq!(report.format, feedwright::validate::Format::Robots);
    assert_eq!(report.diagnostics, vec![]);
    assert_eq!(
        errors("Sitemap: /sitemap.xml\n"),
        [("robots-sitemap-not-absolute".to_string(), 1)]
    );
}

/// Found by the `validate` fuzz target: an `encoding=` followed by a
/// multi-byte character sliced inside it.
#[test]
fn an_encoding_declaration_without_quotes_before_non_ascii_bytes_is_a_diagnostic_not_a_panic() {
    let mut doc = b"<?xml version=\"1.0\" encoding=".to_vec();
    doc.extend([0xFF; 40]);
    doc.extend(b"\"utf-8\"?><rss/>");
    let report = feedwright::validate::validate_bytes(&doc, &Options::default());
    assert!(report.has_errors());
}

/// Found by the `validate` fuzz target: a `lastmod` with a multi-byte
/// character where the minutes end was sliced inside it.
#[test]
fn a_lastmod_with_non_ascii_after_the_date_is_an_error_not_a_panic() {
    let doc = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://e.com/</loc><lastmod>2024-03-16T 		Kϛ#08:30:00+09:00</lastmod></url></urlset>";
    assert_eq!(errors(doc).len(), 1);
    let doc = doc.replace("2024-03-16T 		Kϛ#08:30:00+09:00", "2ϛ2-03");
    assert_eq!(errors(&doc).len(), 1);
}

#[test]
fn validating_borrowed_bytes_gives_the_same_report_as_validating_an_owned_buffer() {
    let rss = |decl: &str, title: &[u8]| {
        let mut doc =
            format!("<?xml version=\"1.0\"{decl}?>\n<rss version=\"2.0\"><channel><title>")
                .into_bytes();
        doc.extend_from_slice(title);
        doc.extend_from_slice(
            b"</title><link>https://e.com/</link><description>d</description></channel></rss>\n",
        );
        doc
    };
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(rss("", "caf\u{e9}".as_bytes()));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            String::from_utf8(rss(" encoding=\"UTF-16\"", b"t"))
                .unwrap()
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let docs = [
        rss("", "넷제로 & 탄소".as_bytes()),
        rss(" encoding=\"ISO-8859-1\"", b"caf\xE9"),
        rss(" encoding='windows-1252'", b"\x93quoted\x94"),
        rss("", b"caf\xE9"),
        bom,
        utf16,
    ];
    for doc in docs {
        let borrowed = feedwright::validate::validate_bytes(&doc, &Options::default());
        let owned = feedwright::validate::validate_owned(doc.clone(), &Options::default());
        assert_eq!(borrowed.format, owned.format, "{doc:?}");
        assert_eq!(borrowed.diagnostics, owned.diagnostics, "{doc:?}");
    }
    // Undeclared Latin-1 is not UTF-8: the byte and its place are named.
    let report = feedwright::validate::validate_bytes(&rss("", b"caf\xE9"), &Options::default());
    assert_eq!(report.diagnostics[0].code, "xml-encoding");
    assert_eq!(
        (report.diagnostics[0].line, report.diagnostics[0].column),
        (2, 39)
    );
}

#[test]
fn each_entity_guard_reports_its_own_code() {
    let wrap = |dtd: &str, body: &str| {
        format!("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [{dtd}]>\n<rss version=\"2.0\"><channel><title>{body}</title></channel></rss>")
    };
    let big = "x".repeat(600_000);
    for (doc, code) in [
        (wrap("", "&nope;"), "xml-undefined-entity"),
        (
            wrap(&format!("<!ENTITY a \"{big}\">"), "&a;&a;"),
            "xml-entity-expansion",
        ),
        (
            wrap(
                &(1..=10)
                    .map(|i| format!("<!ENTITY e{i} \"&e{};\">", i - 1))
                    .collect::<String>(),
                "&e10;",
            )
            .replace("&e0;", "x"),
            "xml-entity-nesting",
        ),
        (
            "<rss version=\"2.0\" a=\"fish & chips\"><channel/></rss>".to_string(),
            "xml-stray-ampersand",
        ),
        (wrap("", "&#1;"), "xml-invalid-char-ref"),
    ] {
        let got = errors(&doc);
        assert_eq!(got.first().map(|(c, _)| c.as_str()), Some(code), "{got:?}");
    }
}

#[test]
fn the_xml_declaration_must_come_first_and_once() {
    let body = "<rss version=\"2.0\"><channel><title>t</title><link>https://e.com/</link><description>d</description></channel></rss>";
    let decl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    assert_eq!(errors(&format!("{decl}\n{body}")), vec![]);
    assert_eq!(errors(&format!("\u{feff}{decl}\n{body}")), vec![]);
    for (doc, line) in [
        (format!("\n{decl}\n{body}"), 2),
        (format!("  {decl}\n{body}"), 1),
        (format!("{decl}\n{decl}\n{body}"), 2),
        (
            format!("{decl}\n<?xml-stylesheet href=\"a.xsl\"?>{body}\n<?xml version=\"1.0\"?>"),
            3,
        ),
    ] {
        assert_eq!(
            errors(&doc),
            vec![("xml-misplaced-declaration".to_string(), line)],
            "{doc}"
        );
    }
}

#[test]
fn namespace_names_must_be_uri_references() {
    let doc = |ns: &str| {
        format!("<rss version=\"2.0\" xmlns:m=\"{ns}\"><channel><title>t</title><link>https://e.com/</link><description>d</description><m:x>1</m:x></channel></rss>")
    };
    assert_eq!(errors(&doc("http://example.com/ns/")), vec![]);
    for bad in [
        "http://example.com/\n/made_up/",
        "http://e.com/a b",
        "http://e.com/<x>",
        "http://e.com/%zz",
        "",
    ] {
        assert_eq!(
            errors(&doc(bad)),
            vec![("xml-namespace-not-uri".to_string(), 1)],
            "{bad:?}"
        );
    }
}

/// An RSS 2.0 podcast feed with `extra` in the channel and `item` in its one item.
fn podcast(extra: &str, item: &str) -> String {
    format!(
        r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:georss="http://www.georss.org/georss" xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title><link>https://e.com/</link><description>d</description><language>en</language><atom:link rel="self" href="https://e.com/feed"/>
<itunes:explicit>false</itunes:explicit><itunes:category text="Technology"/><itunes:owner><itunes:email>a@e.com</itunes:email></itunes:owner>
{extra}
<item><title>i</title><guid>https://e.com/1</guid>
{item}
</item></channel></rss>"#
    )
}

#[test]
fn a_podcast_following_apples_rules_has_no_errors_or_warnings() {
    let doc = podcast(
        r#"<itunes:image href="https://e.com/a.jpg"/><itunes:category text="Arts"><itunes:category text="Books"/></itunes:category><itunes:type>serial</itunes:type><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency><podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid><podcast:locked>no</podcast:locked>"#,
        r#"<itunes:duration>1:02:03</itunes:duration><itunes:episode>3</itunes:episode><itunes:episodeType>full</itunes:episodeType><dc:creator>A</dc:creator><dc:date>2024-01-02T03:04:05Z</dc:date><slash:comments>4</slash:comments><wfw:commentRss>https://e.com/1/feed</wfw:commentRss><georss:point>45.256 -71.92</georss:point><geo:lat>45.2</geo:lat><geo:long>-71.9</geo:long><media:content url="https://e.com/a.mp3" fileSize="12" type="audio/mpeg" medium="audio"/><podcast:transcript url="https://e.com/t.vtt" type="text/vtt"/>"#,
    );
    let report = validate_str(&doc, &Options::default());
    assert_eq!(report.diagnostics, vec![], "{doc}");
}

#[test]
fn extension_vocabulary_rules_report_their_codes_on_the_right_line() {
    for (extra, item, code) in [
        (
            "<itunes:explicit>true</itunes:explicit>",
            "",
            "itunes-duplicate-element",
        ),
        (
            "",
            "<itunes:explicit>clean</itunes:explicit>",
            "itunes-invalid-boolean",
        ),
        (
            "",
            &format!("<itunes:subtitle>{}</itunes:subtitle>", "x".repeat(256)),
            "itunes-too-long",
        ),
        (
            "",
            &format!("<itunes:summary>{}</itunes:summary>", "é".repeat(4001)),
            "itunes-too-long",
        ),
        (
            "<itunes:email>a@e.com</itunes:email>",
            "",
            "itunes-undefined-element",
        ),
        ("<itunes:category/>", "", "itunes-missing-attribute"),
        (
            "",
            "<itunes:category text=\"Arts\"/>",
            "itunes-misplaced-element",
        ),
        (
            "<itunes:category text=\"Cooking\"/>",
            "",
            "itunes-invalid-category",
        ),
        (
            "<itunes:image href=\"ftp://e.com/a.jpg\"/>",
            "",
            "itunes-invalid-url",
        ),
        (
            "",
            "<itunes:duration>1h2m</itunes:duration>",
            "itunes-invalid-duration",
        ),
        (
            "",
            "<slash:comments>many</slash:comments>",
            "slash-invalid-integer",
        ),
        (
            "",
            "<wfw:commentRss>comments</wfw:commentRss>",
            "wfw-invalid-url",
        ),
        (
            "",
            "<georss:point>45.256,-71.92</georss:point>",
            "georss-invalid-coordinates",
        ),
        ("", "<geo:lat>91</geo:lat>", "geo-invalid-latitude"),
        ("", "<geo:long>west</geo:long>", "geo-invalid-longitude"),
        ("", "<dc:author>A</dc:author>", "dc-undefined-element"),
        ("", "<dc:date>Mon, 01 Jan 2024</dc:date>", "dc-invalid-date"),
        (
            "<dc:language>English</dc:language>",
            "",
            "dc-invalid-language",
        ),
        (
            "<sy:updatePeriod>often</sy:updatePeriod>",
            "",
            "sy-invalid-value",
        ),
        (
            "",
            "<sy:updatePeriod>daily</sy:updatePeriod>",
            "sy-misplaced-element",
        ),
        (
            "",
            "<media:thumbnail width=\"10\"/>",
            "media-missing-attribute",
        ),
        (
            "",
            "<media:content url=\"https://e.com/a\" medium=\"sound\"/>",
            "media-invalid-value",
        ),
        (
            "",
            "<podcast:transcript url=\"https://e.com/t\"/>",
            "podcast-missing-attribute",
        ),
        (
            "<podcast:locked>maybe</podcast:locked>",
            "",
            "podcast-invalid-value",
        ),
    ] {
        let doc = podcast(extra, item);
        let got = errors(&doc);
        let line = if item.is_empty() { 3 } else { 5 };
        assert_eq!(got, vec![(code.to_string(), line)], "{extra}{item}");
    }
    // An element the podcast namespace may add next year is a warning, not an error.
    let doc = podcast("<podcast:newThing>x</podcast:newThing>", "");
    let report = validate_str(&doc, &Options::default());
    assert!(!report.has_errors());
    assert_eq!(report.diagnostics[0].code, "podcast-undefined-element");
}

#[test]
fn a_permalink_guid_is_judged_as_the_w3c_does() {
    let feed = |guid: &str| {
        format!("<rss version=\"2.0\"><channel><title>t</title><link>https://e.com/</link><description>d</description><item><title>i</title>{guid}</item></channel></rss>")
    };
    let codes = |guid: &str| -> Vec<String> {
        validate_str(&feed(guid), &Options::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.code.contains("guid") || d.code.contains("permalink"))
            .map(|d| format!("{}:{}", d.severity.as_str(), d.code))
            .collect()
    };
    assert_eq!(codes("<guid>https://e.com/1</guid>"), Vec::<String>::new());
    assert_eq!(
        codes("<guid isPermaLink=\"false\">42</guid>"),
        Vec::<String>::new()
    );
    assert_eq!(
        codes("<guid>ftp://e.com/1</guid>"),
        vec!["warning:rss-permalink-not-web"]
    );
    assert_eq!(
        codes("<guid>mailto:a@e.com</guid>"),
        vec!["warning:rss-permalink-not-web"]
    );
    assert_eq!(
        codes("<guid>tag:e.com,2024:1</guid>"),
        vec!["error:rss-guid-not-permalink"]
    );
    assert_eq!(
        codes("<guid>urn:uuid:917393e3-1b1e-5cef-ace4-edaa54e1f810</guid>"),
        vec!["error:rss-guid-not-permalink"]
    );
    assert_eq!(
        codes("<guid>e.com/1</guid>"),
        vec!["error:rss-invalid-permalink"]
    );
    assert_eq!(
        codes("<guid>https://e.com/a b</guid>"),
        vec!["error:rss-invalid-permalink"]
    );
}

#[test]
fn json_feed_findings_point_at_the_exact_member_even_on_one_line() {
    // Minified, with a nested `id` and an `id` inside a string before the item's own.
    let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","feed_url":"https://e.com/f.json","items":[{"content_text":"\"id\": x","_x":{"id":"n"},"id":"1","date_published":"soon"},7,{"id":"2","content_text":"é","url":"nope"}]}"#;
    let got: Vec<(String, usize, usize)> = validate_str(doc, &Options::default())
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.line, d.column))
        .collect();
    let col = |needle: &str| doc.find(needle).unwrap() + 1;
    // Columns count characters; everything before `"url"` is ASCII but the é.
    assert_eq!(
        got,
        vec![
            (
                "jsonfeed-bad-date".to_string(),
                1,
                col("\"date_published\"")
            ),
            ("jsonfeed-bad-item".to_string(), 1, col(",7,") + 1),
            ("jsonfeed-bad-url".to_string(), 1, col("\"url\"") - 1),
        ]
    );
}

#[test]
fn rss_dates_read_names_in_any_case_military_zones_and_comments_as_rfc_822_allows() {
    let feed = |extra: &str| {
        format!("<rss version=\"2.0\"><channel><title>t</title><link>https://e.com/</link><description>d</description>{extra}</channel></rss>")
    };
    for date in [
        "tHu, 09 fEb 2006 23:59:45 +0000",
        "Thu, 09 Feb 2006 16:59:45 G",
        "Thu, 09 Feb 2006 16:59:45 pDt",
        "Thu, 09 (nested (comment) Mar)Feb(escaped comment\\) 2005) 2006()23:59:45 +0000",
    ] {
        assert_eq!(
            errors(&feed(&format!("<pubDate>{date}</pubDate>"))),
            vec![],
            "{date}"
        );
    }
    for date in [
        "Thu, 09 Feb 2006 16:59:45 J",
        "Thu, 09 Feb 2006 16:59:45 GM",
    ] {
        assert_eq!(
            errors(&feed(&format!("<pubDate>{date}</pubDate>"))),
            vec![("rss-invalid-date".to_string(), 1)],
            "{date}"
        );
    }
    // Midnight twice, and a name and address the wrong way round.
    assert_eq!(
        errors(&feed(
            "<skipHours><hour>0</hour><hour>24</hour></skipHours>"
        )),
        vec![("rss-duplicate-value".to_string(), 1)]
    );
    assert_eq!(
        errors(&feed("<webMaster>Me (me@example.com)</webMaster>")),
        vec![("rss-invalid-email".to_string(), 1)]
    );
}

#[test]
fn html_in_content_a_relative_self_link_and_an_empty_sitemap_get_the_w3cs_warnings() {
    let warnings = |doc: &str| -> Vec<(String, usize)> {
        validate_str(doc, &Options::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| (d.code, d.line))
            .collect()
    };
    let rss = |item: &str| {
        format!("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>t</title><link>https://e.com/</link><description>d</description><atom:link rel=\"self\" href=\"https://e.com/rss.xml\"/>\n<item><title>i</title><guid>https://e.com/1</guid>\n{item}\n</item></channel></rss>")
    };
    for (item, code) in [
        ("<description>&lt;script&gt;x()&lt;/script&gt;</description>", "html-unsafe-element"),
        ("<description><![CDATA[<iframe src=\"https://e.com/\"></iframe>]]></description>", "html-unsafe-element"),
        ("<content:encoded><![CDATA[<img src=\"https://e.com/a\" onload=\"x()\">]]></content:encoded>", "html-event-attribute"),
        ("<description><![CDATA[<p style=\"background: url(javascript:x)\">a</p>]]></description>", "html-dangerous-style"),
        ("<description><![CDATA[<a href=\"/about\">a</a>]]></description>", "html-relative-reference"),
        ("<description><![CDATA[<blink>a</blink>]]></description>", "html-unsafe-element"),
        ("<description><![CDATA[a <frobnicate> b]]></description>", "html-not-html"),
    ] {
        assert_eq!(warnings(&rss(item)), vec![(code.to_string(), 3)], "{item}");
    }
    // Atom resolves relative references against xml:base; without one they are warned about.
    let atom = |base: &str| {
        ATOM_OK
            .replace("<feed ", &format!("<feed {base} "))
            .replace("<link href=\"http://example.org/1\"/>", "<link href=\"http://example.org/1\"/><content type=\"html\">&lt;a href=\"/x\"&gt;x&lt;/a&gt;</content>")
    };
    assert_eq!(
        warnings(&atom("")),
        vec![("html-relative-reference".to_string(), 6)]
    );
    assert_eq!(warnings(&atom("xml:base=\"http://example.org/\"")), vec![]);
    let relative_self =
        ATOM_OK.replace("href=\"http://example.org/feed.xml\"", "href=\"/feed.xml\"");
    assert_eq!(
        warnings(&relative_self),
        vec![("atom-relative-self".to_string(), 3)]
    );
    let empty = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n</urlset>";
    assert_eq!(warnings(empty), vec![("sitemap-empty".to_string(), 1)]);
}

#[test]
fn rss_1_0_parts_need_their_elements_an_about_and_full_urls_and_rss_0_90_is_read() {
    let rdf = |channel: &str, rest: &str| {
        format!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">\n<channel rdf:about=\"https://e.com/\"><title>t</title><link>https://e.com/</link><description>d</description>{channel}</channel>\n{rest}\n</rdf:RDF>"
        )
    };
    let items = "<items><rdf:Seq><rdf:li resource=\"https://e.com/1\"/></rdf:Seq></items>";
    let item = |link: &str| {
        format!("<item rdf:about=\"https://e.com/1\"><title>i</title><link>{link}</link></item>")
    };
    assert_eq!(errors(&rdf(items, &item("https://e.com/1"))), vec![]);
    assert_eq!(
        errors(&rdf("", &item("https://e.com/1"))),
        vec![("rss1-missing-items".to_string(), 2)]
    );
    assert_eq!(
        errors(&rdf(items, &item("not a url"))),
        vec![("rss1-invalid-url".to_string(), 3)]
    );
    assert_eq!(
        errors(&rdf(
            items,
            "<item><title>i</title><link>https://e.com/1</link></item>"
        )),
        vec![("rss1-missing-about".to_string(), 3)]
    );
    assert_eq!(
        errors(&rdf(items, "<textinput rdf:about=\"https://e.com/s\"><title>s</title><link>https://e.com/s</link></textinput>")),
        vec![("rss1-missing-description".to_string(), 3), ("rss1-missing-name".to_string(), 3)]
    );
    let rss090 = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>t</title><link>https://e.com/</link><description>d</description></channel><item><title>i</title><link>https://e.com/1</link></item></rdf:RDF>";
    assert_eq!(errors(rss090), vec![]);
}

#[test]
fn a_creative_commons_license_must_be_a_full_url() {
    let feed = |license: &str| {
        ATOM_OK.replace(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            &format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:creativeCommons=\"http://backend.userland.com/creativeCommonsRssModule\"><creativeCommons:license>{license}</creativeCommons:license>"),
        )
    };
    assert_eq!(
        errors(&feed("https://creativecommons.org/licenses/by/4.0/")),
        vec![]
    );
    assert_eq!(
        errors(&feed("Attribution-NonCommercial")),
        vec![("cc-invalid-url".to_string(), 1)]
    );
}
