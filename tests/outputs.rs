//! Properties of every output: well-formed, deterministic, sanitised, complete.

use crate::util::*;

#[test]
fn every_output_reparses_with_a_strict_xml_parser() {
    let (dest, _) = build_fixture("jekyll-site");
    for f in ["feed.xml", "rss.xml", "sitemap.xml"] {
        strict_parse(&read(&dest.path().join(f)));
    }
}

#[test]
fn second_build_is_byte_identical_and_rewrites_nothing() {
    let (dest, first) = build_fixture("jekyll-site");
    let before: Vec<Vec<u8>> = first
        .outputs
        .iter()
        .map(|(p, _)| std::fs::read(p).unwrap())
        .collect();
    let second = feedwright::build(&options(&fixture("jekyll-site"), dest.path())).unwrap();
    let after: Vec<Vec<u8>> = second
        .outputs
        .iter()
        .map(|(p, _)| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after);
    assert!(second
        .outputs
        .iter()
        .all(|(_, o)| *o == feedwright::site::WriteOutcome::Unchanged));
}

#[test]
fn control_characters_and_cdata_terminators_do_not_break_xml() {
    let (dest, _) = build_fixture("jekyll-site");
    let rss = read(&dest.path().join("rss.xml"));
    let doc = strict_parse(&rss);
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("item") && child_text(n, "title") == Some("Bell in title")),
        "control character removed from the title"
    );
    let item = doc
        .descendants()
        .find(|n| n.has_tag_name("item") && child_text(*n, "title") == Some("Nested Folder Post"))
        .unwrap();
    let content = item
        .children()
        .find(|c| c.tag_name().name() == "encoded")
        .unwrap()
        .text()
        .unwrap();
    assert!(
        content.contains("]]>"),
        "the `]]>` in the body survives as text: {content}"
    );
}

#[test]
fn rss_has_the_profile_elements_and_declares_its_namespaces() {
    let (dest, _) = build_fixture("jekyll-site");
    let rss = read(&dest.path().join("rss.xml"));
    let doc = strict_parse(&rss);
    let channel = doc.root_element().first_element_child().unwrap();
    for name in [
        "title",
        "link",
        "description",
        "language",
        "lastBuildDate",
        "generator",
    ] {
        assert!(child_text(channel, name).is_some(), "channel {name}");
    }
    let self_link = channel
        .children()
        .find(|c| {
            c.tag_name().name() == "link"
                && c.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")
        })
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some("https://example.com/blog/rss.xml")
    );
    let nested = doc
        .descendants()
        .find(|n| n.has_tag_name("item") && child_text(*n, "title") == Some("Nested Folder Post"))
        .unwrap();
    assert_eq!(
        child_text(nested, "author"),
        Some("minji@example.com (Kim Min-ji)")
    );
    assert_eq!(
        child_text(nested, "pubDate"),
        Some("Sun, 17 Mar 2024 09:00:00 +0900")
    );
    let media = nested
        .children()
        .find(|c| {
            c.tag_name().name() == "content"
                && c.tag_name().namespace() == Some("http://search.yahoo.com/mrss/")
        })
        .unwrap();
    assert_eq!(
        media.attribute("url"),
        Some("https://example.com/blog/img/nested.png")
    );
}

#[test]
fn atom_feed_updated_is_the_newest_entry_not_the_build_clock() {
    let (dest, _) = build_fixture("jekyll-site");
    let atom = read(&dest.path().join("feed.xml"));
    let doc = strict_parse(&atom);
    assert_eq!(
        child_text(doc.root_element(), "updated"),
        Some("2024-04-01T12:00:00+09:00")
    );
}

#[test]
fn posts_limit_caps_feed_entries() {
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir(src.path().join("_posts")).unwrap();
    std::fs::write(
        src.path().join("_config.yml"),
        "url: https://e.com\nfeed:\n  posts_limit: 2\n",
    )
    .unwrap();
    std::fs::write(src.path().join("index.md"), "---\ntitle: Home\n---\n").unwrap();
    for d in 1..=4 {
        std::fs::write(
            src.path().join(format!("_posts/2024-01-0{d}-p{d}.md")),
            format!("---\ntitle: P{d}\n---\nBody {d}\n"),
        )
        .unwrap();
    }
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), dest.path())).unwrap();
    let atom = read(&dest.path().join("feed.xml"));
    let doc = strict_parse(&atom);
    let titles: Vec<_> = children(doc.root_element(), "entry")
        .map(|e| child_text(e, "title").unwrap())
        .collect();
    assert_eq!(titles, ["P4", "P3"]);
    let sitemap = read(&dest.path().join("sitemap.xml"));
    assert_eq!(sitemap.matches("<url>").count(), 5, "home + all four posts");
}

#[test]
fn a_users_robots_txt_is_never_overwritten() {
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir(src.path().join("_posts")).unwrap();
    std::fs::write(src.path().join("_config.yml"), "url: https://e.com\n").unwrap();
    std::fs::write(src.path().join("robots.txt"), "User-agent: *\n").unwrap();
    let dest = tempfile::tempdir().unwrap();
    feedwright::build(&options(src.path(), dest.path())).unwrap();
    assert!(!dest.path().join("robots.txt").exists());
}

#[test]
fn image_url_with_an_ampersand_keeps_atom_and_rss_well_formed() {
    // Broke a 10,000-post benchmark build: `?w=800&h=450` went raw into
    // Atom's media:thumbnail attribute.
    use feedwright::model::{AbsUrl, Entry, Feed};
    let when = date("2024-03-16T10:00:00+09:00");
    let image = "https://cdn.example.com/a.jpg?w=800&h=450";
    let site = AbsUrl::parse("https://example.com/").unwrap();
    let entry = Entry::new(site.join("1/").unwrap(), "One", when)
        .id("https://example.com/1")
        .image(AbsUrl::parse(image).unwrap());
    let feed = Feed::new("T", site.clone())
        .atom_url(site.join("feed.xml").unwrap())
        .entries([entry]);
    for text in [feed.to_atom().unwrap(), feed.to_rss().unwrap()] {
        let doc = strict_parse(&text);
        let urls: Vec<_> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "thumbnail" || n.tag_name().name() == "content")
            .filter_map(|n| n.attribute("url"))
            .collect();
        assert!(urls.contains(&image), "{urls:?} in\n{text}");
    }
}
