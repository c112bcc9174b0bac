//! How outputs read in a browser: `feedwright.xsl` (stylesheets and their
//! `<?xml-stylesheet?>` instructions), a user's own `feed.xslt.xml` /
//! `sitemap.xsl` as jekyll-feed and jekyll-sitemap link them, and
//! `feedwright.pretty`. Rendering in a real browser is `.ci/browser.sh`.

use crate::util::*;
use std::path::{Path, PathBuf};

const XSLT_NS: &str = "http://www.w3.org/1999/XSL/Transform";
/// The day after the features fixture's newest post.
const DAY_AFTER: &str = "2024-03-17T09:00:00+09:00";

/// A copy of a fixture with `extra` appended to its `_config.yml`.
fn site_with(name: &str, extra: &str) -> tempfile::TempDir {
    let site = fixture_copy(name);
    let config = site.path().join("_config.yml");
    let text = read(&config);
    std::fs::write(&config, format!("{text}{extra}")).unwrap();
    site
}

fn build_at(site: &Path, now: &str) -> tempfile::TempDir {
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(site, dest.path());
    opts.now = date(now);
    feedwright::build(&opts).unwrap();
    dest
}

/// The `(type, href)` of each `<?xml-stylesheet?>` before the root element.
fn stylesheet_instructions(text: &str) -> Vec<(String, String)> {
    let doc = strict_parse(text);
    doc.root()
        .children()
        .filter(|n| n.is_pi())
        .filter_map(|n| n.pi())
        .filter(|pi| pi.target == "xml-stylesheet")
        .map(|pi| {
            let value = pi.value.unwrap_or("");
            let attr = |name: &str| {
                let start = value.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                value[start..][..value[start..].find('"').unwrap()].to_string()
            };
            (attr("type"), attr("href"))
        })
        .collect()
}

fn xml_outputs(dest: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dest.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("xml" | "rss")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn assert_valid(path: &Path) {
    let report = feedwright::validate::validate_bytes(
        &std::fs::read(path).unwrap(),
        &feedwright::validate::Options::default(),
    );
    assert!(
        !report.has_errors(),
        "{}: {:?}",
        path.display(),
        report.diagnostics
    );
}

#[test]
fn xsl_true_links_every_feed_and_sitemap_to_a_stylesheet_it_writes_and_a_css_fallback() {
    let site = site_with("features-site", "  xsl: true\n");
    let dest = build_at(site.path(), DAY_AFTER);
    let outputs = xml_outputs(dest.path());
    // Main, two category and the tag feeds in Atom and RSS, the sitemap and
    // the news sitemap.
    assert!(outputs.len() > 10, "{outputs:?}");
    for path in &outputs {
        let name = path.strip_prefix(dest.path()).unwrap().to_string_lossy();
        let expected = if name.starts_with("sitemap") {
            "/sitemap.xsl"
        } else if name.ends_with(".rss") || name == "rss.xml" {
            "/rss.xsl"
        } else {
            "/atom.xsl"
        };
        assert_eq!(
            stylesheet_instructions(&read(path)),
            [
                ("text/xsl".to_string(), expected.to_string()),
                ("text/css".to_string(), "/feedwright.css".to_string())
            ],
            "{name}"
        );
        assert_valid(path);
    }
    for xsl in ["atom.xsl", "rss.xsl", "sitemap.xsl"] {
        let text = read(&dest.path().join(xsl));
        let doc = strict_parse(&text);
        assert!(
            doc.root_element().has_tag_name((XSLT_NS, "stylesheet")),
            "{xsl}"
        );
    }
    assert!(read(&dest.path().join("feedwright.css")).contains("@namespace atom"));
    // JSON Feed has no stylesheet instruction to carry.
    assert!(read(&dest.path().join("feed.json")).starts_with('{'));
}

#[test]
fn stylesheet_hrefs_carry_the_baseurl_and_name_files_the_build_wrote() {
    let site = site_with("jekyll-site", "feedwright:\n  xsl: true\n");
    let dest = build_at(site.path(), BUILD_DATE);
    for output in ["feed.xml", "rss.xml", "sitemap.xml"] {
        let pis = stylesheet_instructions(&read(&dest.path().join(output)));
        assert_eq!(pis.len(), 2, "{output}");
        for (_, href) in pis {
            // The destination is served at the baseurl, /blog.
            let file = href.strip_prefix("/blog/").unwrap();
            assert!(dest.path().join(file).is_file(), "{output} links {href}");
        }
    }
}

#[test]
fn without_xsl_outputs_carry_no_stylesheet_and_no_stylesheet_is_written() {
    let (dest, _) = build_fixture("jekyll-site");
    for output in ["feed.xml", "rss.xml", "sitemap.xml"] {
        assert!(!read(&dest.path().join(output)).contains("xml-stylesheet"));
    }
    for file in ["atom.xsl", "rss.xsl", "sitemap.xsl", "feedwright.css"] {
        assert!(!dest.path().join(file).exists(), "{file}");
    }
}

#[test]
fn a_users_feed_xslt_xml_and_sitemap_xsl_are_linked_exactly_as_jekyll_feed_and_jekyll_sitemap_do() {
    let site = site_with("features-site", "");
    std::fs::write(site.path().join("feed.xslt.xml"), "<xsl:stylesheet/>").unwrap();
    std::fs::write(site.path().join("sitemap.xsl"), "<xsl:stylesheet/>").unwrap();
    let dest = build_at(site.path(), DAY_AFTER);
    // jekyll-feed's feed.xml template, its spec's expected line; every feed it makes.
    for atom in ["feed.xml", "feed/News.xml", "feed/by_tag/net-zero.xml"] {
        let text = read(&dest.path().join(atom));
        assert!(
            text.starts_with("<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xml\" href=\"https://netzero.example/feed.xslt.xml\"?>\n<feed"),
            "{atom}: {}",
            &text[..200]
        );
        assert_valid(&dest.path().join(atom));
    }
    // jekyll-sitemap's sitemap.xml template.
    assert_eq!(
        stylesheet_instructions(&read(&dest.path().join("sitemap.xml"))),
        [(
            "text/xsl".to_string(),
            "https://netzero.example/sitemap.xsl".to_string()
        )]
    );
    // RSS has no user stylesheet to use, and nothing of feedwright's is on.
    assert!(!read(&dest.path().join("rss.xml")).contains("xml-stylesheet"));
    // Like robots.txt, the user's own files are theirs to publish; feedwright
    // writes neither them nor its own in their place.
    for file in ["feed.xslt.xml", "sitemap.xsl", "atom.xsl", "feedwright.css"] {
        assert!(!dest.path().join(file).exists(), "{file}");
    }
}

#[test]
fn adding_a_users_stylesheet_after_a_cached_build_changes_the_outputs() {
    let site = fixture_copy("jekyll-site");
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(site.path(), dest.path());
    opts.cache = true;
    feedwright::build(&opts).unwrap();
    std::fs::write(site.path().join("feed.xslt.xml"), "<xsl:stylesheet/>").unwrap();
    let report = feedwright::build(&opts).unwrap();
    assert!(
        !report.reused,
        "the cache vouched for outputs that now differ"
    );
    assert!(read(&dest.path().join("feed.xml")).contains("feed.xslt.xml"));
}

/// Every text node that is not just whitespace, in document order, and
/// every attribute: what indenting must keep.
fn content(text: &str) -> Vec<String> {
    let doc = strict_parse(text);
    doc.descendants()
        .flat_map(|n| {
            let mut v: Vec<String> = n
                .attributes()
                .map(|a| format!("@{}={}", a.name(), a.value()))
                .collect();
            if n.is_element() {
                v.insert(0, format!("<{}", n.tag_name().name()));
            }
            if let Some(t) = n.text().filter(|t| n.is_text() && !t.trim().is_empty()) {
                v.push(t.to_string());
            }
            v
        })
        .collect()
}

#[test]
fn pretty_indents_every_xml_output_and_keeps_its_content() {
    let plain = {
        let site = site_with("features-site", "  xsl: true\n");
        build_at(site.path(), DAY_AFTER)
    };
    let site = site_with("features-site", "  xsl: true\n  pretty: true\n");
    let pretty = build_at(site.path(), DAY_AFTER);
    let outputs = xml_outputs(pretty.path());
    assert_eq!(outputs.len(), xml_outputs(plain.path()).len());
    for path in &outputs {
        let name = path.strip_prefix(pretty.path()).unwrap();
        let text = read(path);
        let before = read(&plain.path().join(name));
        assert_eq!(content(&text), content(&before), "{}", name.display());
        assert_valid(path);
        // Children of the root start on their own line, two spaces in,
        // and theirs four.
        assert!(text.contains("\n  <"), "{}", name.display());
        assert!(text.contains("\n    <"), "{}", name.display());
    }
    let atom = read(&pretty.path().join("feed.xml"));
    assert!(
        atom.contains("\n  <entry>\n    <title>"),
        "{}",
        &atom[..600]
    );
}

#[test]
fn a_non_boolean_xsl_or_pretty_stops_the_build_naming_the_file_line_and_key() {
    for key in ["xsl", "pretty"] {
        let site = site_with("features-site", &format!("  {key}: sometimes\n"));
        let dest = tempfile::tempdir().unwrap();
        let err = feedwright::build(&options(site.path(), dest.path()))
            .unwrap_err()
            .to_string();
        let lines = read(&site.path().join("_config.yml")).lines().count();
        assert!(
            err.contains(&format!("_config.yml:{lines}:"))
                && err.contains(&format!("`feedwright.{key}` must be true or false")),
            "{err}"
        );
        assert!(std::fs::read_dir(dest.path()).unwrap().next().is_none());
    }
}
