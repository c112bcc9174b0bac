//! Sitemaps and sitemap indexes (sitemaps.org 0.9), with Google's image and
//! news extensions and `xhtml:link` hreflang alternates.

use super::checks::{is_w3c_datetime, Out};
use super::xml::Element;
use super::Options;

/// The sitemaps.org namespace.
pub const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const IMAGE_NS: &str = "http://www.google.com/schemas/sitemap-image/1.1";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const SPEC: &str = "sitemaps.org protocol";
/// Most URLs (or sitemaps) one file may list.
pub const MAX_URLS: usize = 50_000;
/// Longest `loc`, in characters.
pub const MAX_LOC: usize = 2048;

/// Validates a `<urlset>`.
pub fn validate_urlset(root: &Element, opts: &Options, out: &mut Out) {
    let mut host = opts
        .base
        .as_ref()
        .and_then(|b| b.host_str().map(str::to_string));
    let mut count = 0;
    for u in &root.children {
        if u.ns != NS || u.name != "url" {
            if u.ns == NS {
                out.error(
                    u,
                    "sitemap-undefined-element",
                    &format!("<{}> does not belong in <urlset>; only <url>", u.name),
                    SPEC,
                );
            }
            continue;
        }
        count += 1;
        if count == MAX_URLS + 1 {
            out.error(u, "sitemap-too-many-urls", &format!("a sitemap may list at most {MAX_URLS} URLs; split it and list the parts in a sitemap index"), SPEC);
        }
        entry(
            u,
            &["loc", "lastmod", "changefreq", "priority"],
            &mut host,
            out,
        );
        for c in &u.children {
            match (c.ns.as_str(), c.name.as_str()) {
                (NS, "changefreq") => {
                    if !matches!(
                        c.text.trim(),
                        "always" | "hourly" | "daily" | "weekly" | "monthly" | "yearly" | "never"
                    ) {
                        out.error(c, "sitemap-invalid-changefreq", &format!("<changefreq> `{}` must be always, hourly, daily, weekly, monthly, yearly or never", c.text.trim()), SPEC);
                    }
                }
                (NS, "priority") => {
                    let ok = c
                        .text
                        .trim()
                        .parse::<f64>()
                        .is_ok_and(|p| (0.0..=1.0).contains(&p))
                        && !c.text.trim().contains(['e', 'E']);
                    if !ok {
                        out.error(
                            c,
                            "sitemap-invalid-priority",
                            &format!(
                                "<priority> `{}` must be a number from 0.0 to 1.0",
                                c.text.trim()
                            ),
                            SPEC,
                        );
                    }
                }
                (IMAGE_NS, "image") => match c.child(IMAGE_NS, "loc") {
                    None => out.error(
                        c,
                        "sitemap-image-missing-loc",
                        "<image:image> must contain an <image:loc>",
                        "Google image sitemaps",
                    ),
                    Some(l) => absolute(l, &l.text, "sitemap-image-invalid-loc", out),
                },
                (NEWS_NS, "news") => news(c, out),
                (XHTML_NS, "link") => {
                    if c.attr("rel") != Some("alternate") || c.attr("hreflang").is_none() {
                        out.error(
                            c,
                            "sitemap-invalid-alternate",
                            "<xhtml:link> must have rel=\"alternate\" and an hreflang",
                            "Google hreflang sitemaps",
                        );
                    }
                    match c.attr("href") {
                        Some(h) => absolute(c, h, "sitemap-invalid-alternate", out),
                        None => out.error(
                            c,
                            "sitemap-invalid-alternate",
                            "<xhtml:link> must have an href",
                            "Google hreflang sitemaps",
                        ),
                    }
                }
                _ => {}
            }
        }
    }
}

/// Validates a `<sitemapindex>`.
pub fn validate_index(root: &Element, opts: &Options, out: &mut Out) {
    let mut host = opts
        .base
        .as_ref()
        .and_then(|b| b.host_str().map(str::to_string));
    let mut count = 0;
    for s in &root.children {
        if s.ns != NS {
            continue;
        }
        if s.name != "sitemap" {
            out.error(
                s,
                "sitemap-undefined-element",
                &format!(
                    "<{}> does not belong in <sitemapindex>; only <sitemap>",
                    s.name
                ),
                SPEC,
            );
            continue;
        }
        count += 1;
        if count == MAX_URLS + 1 {
            out.error(
                s,
                "sitemap-too-many-urls",
                &format!("a sitemap index may list at most {MAX_URLS} sitemaps"),
                SPEC,
            );
        }
        entry(s, &["loc", "lastmod"], &mut host, out);
    }
}

/// The checks `<url>` and `<sitemap>` share: one `loc`, known children, `lastmod`.
fn entry(el: &Element, allowed: &[&str], host: &mut Option<String>, out: &mut Out) {
    for c in el.children.iter().filter(|c| c.ns == NS) {
        if !allowed.contains(&c.name.as_str()) {
            out.error(
                c,
                "sitemap-undefined-element",
                &format!("<{}> does not belong in <{}>", c.name, el.name),
                SPEC,
            );
        }
    }
    for name in allowed {
        if let Some(second) = el.children_named(NS, name).nth(1) {
            out.error(
                second,
                "sitemap-duplicate-element",
                &format!("<{}> may contain only one <{name}>", el.name),
                SPEC,
            );
        }
    }
    match el.child(NS, "loc") {
        None => out.error(
            el,
            "sitemap-missing-loc",
            &format!("<{}> must contain a <loc>", el.name),
            SPEC,
        ),
        Some(loc) => {
            let v = loc.text.trim();
            absolute(loc, v, "sitemap-invalid-loc", out);
            if v.chars().count() >= MAX_LOC {
                out.error(
                    loc,
                    "sitemap-loc-too-long",
                    &format!("<loc> must be shorter than {MAX_LOC} characters"),
                    SPEC,
                );
            }
            if let Ok(u) = url::Url::parse(v) {
                let h = u.host_str().unwrap_or("").to_string();
                match host {
                    None => *host = Some(h),
                    Some(expected) if *expected != h => {
                        out.error(loc, "sitemap-other-host", &format!("<loc> is on {h}, but this sitemap's URLs are on {expected}; a sitemap lists one host"), SPEC)
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(lm) = el.child(NS, "lastmod") {
        if !is_w3c_datetime(lm.text.trim()) {
            out.error(lm, "sitemap-invalid-lastmod", &format!("<lastmod> `{}` is not a W3C datetime such as 2024-03-15 or 2024-03-15T10:00:00+09:00", lm.text.trim()), SPEC);
        }
    }
}

fn absolute(el: &Element, v: &str, code: &str, out: &mut Out) {
    let v = v.trim();
    let ok = url::Url::parse(v)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !ok {
        out.error(
            el,
            code,
            &format!("`{v}` is not an absolute http(s) URL"),
            SPEC,
        );
    } else if v
        .chars()
        .any(|c| c == ' ' || c == '"' || c == '<' || c == '>' || !c.is_ascii())
    {
        out.error(
            el,
            code,
            &format!("`{v}` must be percent-encoded (no spaces or non-ASCII characters)"),
            SPEC,
        );
    }
}

fn news(n: &Element, out: &mut Out) {
    const G: &str = "Google News sitemaps";
    match n.child(NEWS_NS, "publication") {
        None => out.error(
            n,
            "news-missing-publication",
            "<news:news> must contain <news:publication>",
            G,
        ),
        Some(p) => {
            for name in ["name", "language"] {
                if p.child(NEWS_NS, name)
                    .is_none_or(|e| e.text.trim().is_empty())
                {
                    out.error(
                        p,
                        &format!("news-missing-{name}"),
                        &format!("<news:publication> must contain <news:{name}>"),
                        G,
                    );
                }
            }
        }
    }
    match n.child(NEWS_NS, "publication_date") {
        None => out.error(
            n,
            "news-missing-publication-date",
            "<news:news> must contain <news:publication_date>",
            G,
        ),
        Some(d) if !is_w3c_datetime(d.text.trim()) => out.error(
            d,
            "news-invalid-date",
            "<news:publication_date> must be a W3C datetime",
            G,
        ),
        _ => {}
    }
    if n.child(NEWS_NS, "title")
        .is_none_or(|t| t.text.trim().is_empty())
    {
        out.error(
            n,
            "news-missing-title",
            "<news:news> must contain <news:title>",
            G,
        );
    }
}
