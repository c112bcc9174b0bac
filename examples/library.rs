//! What another static-site generator does with feedwright: three posts it
//! holds in memory become an Atom feed, an RSS feed, a JSON Feed and a
//! sitemap, and each document is validated. `cargo run --example library`

use feedwright::sitemap::{self, SitemapUrl};
use feedwright::validate::{validate_str, Options};
use feedwright::{AbsUrl, Entry, Feed};

/// The files written, in the order [`documents`] returns them.
pub const NAMES: [&str; 4] = ["feed.xml", "rss.xml", "feed.json", "sitemap.xml"];

/// Three posts, newest first, as Atom, RSS, JSON Feed and a sitemap.
pub fn documents() -> Result<[String; 4], Box<dyn std::error::Error>> {
    let site = AbsUrl::parse("https://example.com/")?;
    let mut feed = Feed::new("Example blog", site.clone())
        .atom_url(site.join("feed.xml")?)
        .rss_url(site.join("rss.xml")?)
        .json_url(site.join("feed.json")?);
    let mut urls = Vec::new();
    for (day, title) in [(16, "Links"), (15, "Cats"), (14, "Hello")] {
        let slug = title.to_lowercase();
        let url = site.join(&format!("2024/03/{day}/{slug}/"))?;
        let date = chrono::DateTime::parse_from_rfc3339(&format!("2024-03-{day}T09:00:00Z"))?;
        // A relative link, as the site's own pages have them: made absolute for readers.
        let html = format!(r#"<p>{title}</p><img src="{slug}.png" alt="{title}">"#);
        let entry = Entry::new(url.clone(), title, date).content_html(html);
        feed.entries.push(entry.absolutize_urls());
        urls.push(SitemapUrl::new(url, Some(date)));
    }
    let [atom, rss, json] = [feed.to_atom()?, feed.to_rss()?, feed.to_json()?];
    Ok([atom, rss, json, sitemap::to_string(&urls)])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (name, text) in NAMES.iter().zip(documents()?) {
        let report = validate_str(&text, &Options::default());
        println!("{name}: {} findings", report.diagnostics.len());
        report.diagnostics.iter().for_each(|d| println!("  {d}"));
    }
    Ok(())
}
