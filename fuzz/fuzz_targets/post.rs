//! A whole post file, front matter and body: extraction never panics, and
//! every post it accepts makes Atom, RSS and JSON feeds that our own
//! validator passes without errors.
#![no_main]

use feedwright::fuzzing::{read_meta, render_entry, Context, PostFile, SiteConfig, SiteKind};
use feedwright::model::Feed;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let yaml = "url: https://example.com\nbaseurl: /blog\ntimezone: Asia/Seoul\npermalink: /:categories/:year/:month/:day/:title/\n";
        let map = feedwright::fuzzing::parse_mapping(yaml).unwrap();
        SiteConfig::from_mapping(&map, std::path::Path::new("_config.yml"), None).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let config = config();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T00:00:00+09:00").unwrap();
    let file = PostFile {
        path: "_posts/2024-03-15-fuzz.md".into(),
        relative_path: "_posts/2024-03-15-fuzz.md".into(),
        path_categories: vec![],
        size: data.len() as u64,
        modified: None,
    };
    let cx = Context { config, kind: SiteKind::Jekyll, now, git: None, collection: None };
    let mut notices = Vec::new();
    let Ok(Some(meta)) = read_meta(&file, data, Some(now), &cx, &mut notices) else {
        return;
    };
    let Ok(entry) = render_entry(&meta, data, config, SiteKind::Jekyll, None, &mut notices) else {
        return;
    };
    let feed = Feed::new("Fuzz", config.base.clone())
        .atom_url(config.site_url("feed.xml").unwrap())
        .entries([entry]);
    for doc in [
        feedwright::feed::atom::to_string(&feed),
        feedwright::feed::rss::to_string(&feed),
        feedwright::feed::json::to_string(&feed),
    ] {
        let doc = doc.expect("the writers accept every post extraction accepts");
        let report = feedwright::validate::validate_str(&doc, &Default::default());
        assert!(!report.has_errors(), "{:?}\n{doc}", report.diagnostics);
    }
});
