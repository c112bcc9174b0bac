//! Body handling on any text: Markdown as kramdown renders it, summaries, excerpts, the first
//! image, and making URLs absolute never panic, and absolutising leaves no
//! unsafe link behind: a second pass finds nothing more to remove. (The
//! second pass's text may differ: lol_html re-serialises malformed attribute
//! lists, e.g. `a prev>` as `a prev =>`, which is harmless.)
#![no_main]

use feedwright::fuzzing::{body, markdown_to_html, KramdownOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let html = markdown_to_html(text, &KramdownOptions::default());
    let _ = body::summary_text(&html);
    let _ = body::first_image(text);
    let _ = body::excerpt_source(body::jekyll_content(text), "\n\n");
    let base = url::Url::parse("https://example.com/2024/03/15/post/").unwrap();
    for input in [text, html.as_str()] {
        let (out, _) = body::absolutize_urls(input, &base);
        let (_, dropped) = body::absolutize_urls(&out, &base);
        assert!(dropped.is_empty(), "a second pass still found {dropped:?} in {out}");
    }
});
