//! Permalink templates and slugs: expansion and normalisation never panic,
//! and the result always makes an absolute URL on the site's host.
#![no_main]

use feedwright::fuzzing::permalink::{document_id, expand, normalize_path, Placeholders};
use feedwright::model::AbsUrl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, Vec<String>)| {
    let (template, slug, categories) = input;
    let date = chrono::DateTime::parse_from_rfc3339("2024-03-15T10:00:00+09:00").unwrap();
    let p = Placeholders {
        slug,
        basename: slug,
        path: "/2024-03-15-x",
        categories: &categories,
        date,
        output_ext: ".html",
        collection: "posts",
    };
    let Ok(path) = expand(template, &p) else { return };
    let base = AbsUrl::parse("https://example.com/blog/").unwrap();
    let normal = normalize_path(&path);
    if let Ok(url) = base.join_path(&normal) {
        let host = url::Url::parse(url.as_str()).unwrap().host_str().map(String::from);
        assert_eq!(host.as_deref(), Some("example.com"), "{template:?} -> {normal:?}");
    }
    let _ = document_id(&path, slug);
});
