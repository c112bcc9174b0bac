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

/// Checks a sitemap or sitemap index one child at a time, so a 50,000-URL
/// file is validated without holding its tree (see [`super::xml::Sink`]).
pub struct Checker {
    index: bool,
    host: Option<String>,
    count: usize,
}

impl Checker {
    /// A checker for a `<urlset>` (`index` false) or a `<sitemapindex>`.
    pub fn new(index: bool, opts: &Options) -> Self {
        Checker {
            index,
            host: opts
                .base
                .as_ref()
                .and_then(|b| b.host_str().map(str::to_string)),
            count: 0,
        }
    }

    /// Checks one child of the root.
    pub fn child(&mut self, el: &Element, out: &mut Out) {
        if self.index {
            self.sitemap(el, out)
        } else {
            self.url(el, out)
        }
    }

    fn sitemap(&mut self, s: &Element, out: &mut Out) {
        if &*s.ns != NS {
            return;
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
            return;
        }
        self.count += 1;
        if self.count == MAX_URLS + 1 {
            out.error(
                s,
                "sitemap-too-many-urls",
                &format!("a sitemap index may list at most {MAX_URLS} sitemaps"),
                SPEC,
            );
        }
        entry(s, &["loc", "lastmod"], &mut self.host, out);
    }

    fn url(&mut self, u: &Element, out: &mut Out) {
        if &*u.ns != NS || u.name != "url" {
            if &*u.ns == NS {
                out.error(
                    u,
                    "sitemap-undefined-element",
                    &format!("<{}> does not belong in <urlset>; only <url>", u.name),
                    SPEC,
                );
            }
            return;
        }
        self.count += 1;
        if self.count == MAX_URLS + 1 {
            out.error(u, "sitemap-too-many-urls", &format!("a sitemap may list at most {MAX_URLS} URLs; split it and list the parts in a sitemap index"), SPEC);
        }
        entry(
            u,
            &["loc", "lastmod", "changefreq", "priority"],
            &mut self.host,
            out,
        );
        for c in &u.children {
            match (&*c.ns, c.name.as_str()) {
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
                    Some(l) => {
                        absolute(l, &l.text, "sitemap-image-invalid-loc", out);
                    }
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
                        Some(h) => {
                            absolute(c, h, "sitemap-invalid-alternate", out);
                        }
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

/// The checks `<url>` and `<sitemap>` share: one `loc`, known children, `lastmod`.
fn entry(el: &Element, allowed: &[&str], host: &mut Option<String>, out: &mut Out) {
    for c in el.children.iter().filter(|c| &*c.ns == NS) {
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
            let parsed = absolute(loc, v, "sitemap-invalid-loc", out);
            if v.len() >= MAX_LOC && v.chars().count() >= MAX_LOC {
                out.error(
                    loc,
                    "sitemap-loc-too-long",
                    &format!("<loc> must be shorter than {MAX_LOC} characters"),
                    SPEC,
                );
            }
            if let Some(u) = parsed {
                let h = u.host_str().unwrap_or("");
                match host {
                    None => *host = Some(h.to_string()),
                    Some(expected) if expected != h => {
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

/// Checks that `v` is an absolute, escaped http(s) URL and returns it parsed
/// (when it parses at all, so callers can look at its host).
fn absolute(el: &Element, v: &str, code: &str, out: &mut Out) -> Option<url::Url> {
    let v = v.trim();
    let parsed = url::Url::parse(v).ok();
    let ok = parsed
        .as_ref()
        .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
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
    parsed
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
