//! Sitemaps and sitemap indexes (sitemaps.org 0.9), with Google's image and
//! news extensions and `xhtml:link` hreflang alternates.

use super::checks::{is_w3c_datetime, Out};
use super::shared::Options;
use super::xml::Element;
use std::borrow::Cow;

/// The sitemaps.org namespace.
pub const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const IMAGE_NS: &str = "http://www.google.com/schemas/sitemap-image/1.1";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const SPEC: &str = "sitemaps.org protocol";
/// Most URLs (or sitemaps) one file may list: the one limit the writer
/// splits at too.
pub use crate::model::SITEMAP_MAX_URLS as MAX_URLS;
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
            if let Some(h) = parsed {
                let h: &str = &h;
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

/// Checks that `v` is an absolute, escaped http(s) URL and returns its host
/// (when it parses at all, so callers can compare hosts).
fn absolute<'v>(el: &Element, v: &'v str, code: &str, out: &mut Out) -> Option<Cow<'v, str>> {
    let v = v.trim();
    // Nearly every URL of a sitemap is plain; the full WHATWG parse was a
    // third of the time to check a 50,000-URL sitemap.
    if let Some(host) = plain_http_host(v) {
        return Some(Cow::Borrowed(host));
    }
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
    parsed.map(|u| Cow::Owned(u.host_str().unwrap_or("").to_string()))
}

/// The host of `v` when `v` is plainly a valid absolute http(s) URL that
/// needs no escaping: a lower-case scheme and a plain host
/// (`model::is_plain_host`: no IPv4 or IDNA rules apply), an optional port up to
/// 65535, then printable ASCII. `url::Url::parse` accepts every such URL
/// with this host; anything else returns `None` and takes the full parse.
fn plain_http_host(v: &str) -> Option<&str> {
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))?;
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if let Some(p) = port {
        let digits = !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits || p.parse::<u32>().ok()? > 65535 {
            return None;
        }
    }
    if !crate::model::is_plain_host(host) {
        return None;
    }
    // Without an early exit, so the scan vectorises.
    let bad = |b: u8| !b.is_ascii_graphic() || matches!(b, b'"' | b'<' | b'>');
    (!tail.bytes().fold(false, |seen, b| seen | bad(b))).then_some(host)
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

#[cfg(test)]
mod tests {
    use super::plain_http_host;

    /// The fast path may only answer for URLs the full parse accepts with
    /// the same host; everything unusual must fall through to it.
    #[test]
    fn plain_http_host_agrees_with_the_url_crate() {
        let cases = [
            "https://example.com/2024/03/15/a.html",
            "http://example.com",
            "https://a-b.example.co.kr:8080/x?y=1&z=%20#f",
            "https://example.com:65535/",
            "https://example.com:65536/",
            "https://example.com:/",
            "https://example.com:99999999999/",
            "https://1.2.3.4/",
            "https://1.2.3.4.5/",
            "https://999.1.1.1/",
            "https://example.123/",
            "https://0x7f.1/",
            "https://xn--bcher-kva.example/",
            "https://xn--a.example/",
            "https://Example.com/",
            "https://exa mple.com/",
            "https://example..com/",
            "https://example.com./",
            "https://.example.com/",
            "https://user:pw@example.com/",
            "https:///path",
            "https://",
            "https://example.com/a b",
            "https://example.com/한국",
            "https://example.com/a\\b",
            "https://-x.example/",
            "ftp://example.com/",
            "HTTPS://example.com/",
        ];
        for case in cases {
            if let Some(host) = plain_http_host(case) {
                let parsed = url::Url::parse(case).unwrap_or_else(|e| panic!("{case}: {e}"));
                assert_eq!(parsed.host_str(), Some(host), "{case}");
                assert!(matches!(parsed.scheme(), "http" | "https"), "{case}");
            }
        }
        assert_eq!(plain_http_host(cases[0]), Some("example.com"));
        assert_eq!(plain_http_host(cases[2]), Some("a-b.example.co.kr"));
        assert_eq!(plain_http_host("https://1.2.3.4/"), None);
        assert_eq!(plain_http_host("https://example.com:65536/"), None);
        assert_eq!(plain_http_host("https://xn--a.example/"), None);
    }
}
