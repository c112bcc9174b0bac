//! `robots.txt` (RFC 9309), as far as feeds and sitemaps care: every line a
//! known `field: value` pair, and every `Sitemap:` an absolute URL.

use super::shared::{Diagnostic, Severity};

const SPEC: &str = "RFC 9309; sitemaps.org protocol";
const FIELDS: [&str; 6] = [
    "user-agent",
    "allow",
    "disallow",
    "sitemap",
    "crawl-delay",
    "host",
];

/// True when `text` reads as a robots.txt: its first rule line is a known field.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find(|l| !l.is_empty())
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(f, _)| FIELDS.contains(&f.trim().to_ascii_lowercase().as_str()))
}

/// Validates a robots.txt.
pub fn validate(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let Some((field, value)) = line.split_once(':') else {
            out.push(Diagnostic::new(
                i + 1,
                1,
                Severity::Error,
                "robots-bad-line",
                "a robots.txt line must be `Field: value`",
                SPEC,
            ));
            continue;
        };
        let field = field.trim().to_ascii_lowercase();
        if !FIELDS.contains(&field.as_str()) {
            out.push(Diagnostic::new(
                i + 1,
                1,
                Severity::Warning,
                "robots-unknown-field",
                &format!("`{field}` is not a robots.txt field crawlers know"),
                SPEC,
            ));
        } else if field == "sitemap" {
            let ok =
                url::Url::parse(value.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !ok {
                out.push(Diagnostic::new(
                    i + 1,
                    1,
                    Severity::Error,
                    "robots-sitemap-not-absolute",
                    &format!(
                        "`Sitemap: {}` must be an absolute http(s) URL",
                        value.trim()
                    ),
                    SPEC,
                ));
            }
        }
    }
    out
}
