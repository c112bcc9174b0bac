//! Validating documents where they are served: fetched over HTTP(S) with
//! bounded redirects, size and time, then checked as served (the status, a
//! Content-Type that fits the format, a charset that agrees with the
//! document, self links against the final URL). [`validate_site`] also walks
//! robots.txt `Sitemap:` lines and sitemap indexes, bounded in count and depth.
//!
//! Behind the `fetch` feature (an HTTP client), which the CLI enables.
//!
//! ```no_run
//! use feedwright::validate::fetch::{validate_url, Limits};
//! use feedwright::validate::Options;
//! let served = validate_url("https://example.com/feed.xml", &Options::default(), &Limits::default());
//! match &served.result {
//!     Ok(report) => println!("{} findings", report.diagnostics.len()),
//!     Err(why) => println!("could not fetch: {why}"),
//! }
//! ```

use super::{Diagnostic, Format, Options, Report, Severity, MAX_SITEMAP_BYTES};
use std::time::Duration;

/// How far fetching may go.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// Redirects followed per document (default 5).
    pub redirects: usize,
    /// Largest body read, uncompressed (default 50 MiB, the sitemap limit).
    pub bytes: usize,
    /// Time for one document, connection to last byte (default 30 s).
    pub timeout: Duration,
    /// Most documents [`validate_site`] fetches in all (default 1,000).
    pub documents: usize,
    /// How many links deep [`validate_site`] follows (default 3: robots.txt →
    /// sitemap index → sitemap).
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            redirects: 5,
            bytes: MAX_SITEMAP_BYTES,
            timeout: Duration::from_secs(30),
            documents: 1000,
            depth: 3,
        }
    }
}

impl Limits {
    /// Sets the time allowed per document.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Sets the most documents [`validate_site`] fetches.
    pub fn documents(mut self, documents: usize) -> Self {
        self.documents = documents;
        self
    }
    /// Sets how many links deep [`validate_site`] follows.
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }
    /// Sets the redirects followed per document.
    pub fn redirects(mut self, redirects: usize) -> Self {
        self.redirects = redirects;
        self
    }
}

/// One document fetched and validated.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Served {
    /// The URL asked for.
    pub url: String,
    /// Where it was finally served from, after redirects.
    pub final_url: Option<url::Url>,
    /// The redirects taken, in order (each URL that answered 3xx).
    pub redirects: Vec<url::Url>,
    /// The Content-Type it was served with.
    pub content_type: Option<String>,
    /// The report, or why the document could not be fetched (an HTTP error
    /// status, too many redirects, no answer in time...).
    pub result: Result<Report, String>,
}

/// Fetches one document and validates it as served.
pub fn validate_url(url: &str, opts: &Options, limits: &Limits) -> Served {
    let agent = agent(limits);
    let (served, _) = fetch_and_validate(&agent, url, opts, limits);
    served
}

/// Like [`validate_url`] for each URL, then follows what each document
/// points at: a robots.txt's `Sitemap:` lines and a sitemap index's
/// sitemaps, breadth first, each URL once, at most [`Limits::documents`]
/// documents and [`Limits::depth`] links deep. A URL naming a site's root
/// (`https://example.com/`) starts at its `/robots.txt`.
pub fn validate_site(urls: &[&str], opts: &Options, limits: &Limits) -> Vec<Served> {
    let agent = agent(limits);
    let mut queue: std::collections::VecDeque<(String, usize)> = urls
        .iter()
        .map(|u| match url::Url::parse(u) {
            Ok(mut parsed) if parsed.path() == "/" && parsed.query().is_none() => {
                parsed.set_path("/robots.txt");
                (parsed.to_string(), 0)
            }
            _ => (u.to_string(), 0),
        })
        .collect();
    let mut seen: std::collections::HashSet<String> =
        queue.iter().map(|(u, _)| u.clone()).collect();
    let mut done = Vec::new();
    while let Some((url, depth)) = queue.pop_front() {
        if done.len() >= limits.documents {
            if let Some(last) = done.last_mut() {
                note_limit(
                    last,
                    &format!(
                        "stopped after {} documents (--max-documents); {} more were not fetched",
                        limits.documents,
                        queue.len() + 1
                    ),
                );
            }
            break;
        }
        let (mut served, links) = fetch_and_validate(&agent, &url, opts, limits);
        if !links.is_empty() && depth >= limits.depth {
            note_limit(
                &mut served,
                &format!(
                    "links {} deep were not followed (depth limit {})",
                    depth + 1,
                    limits.depth
                ),
            );
        } else {
            for link in links {
                if seen.insert(link.clone()) {
                    queue.push_back((link, depth + 1));
                }
            }
        }
        done.push(served);
    }
    done
}

fn note_limit(served: &mut Served, message: &str) {
    if let Ok(report) = &mut served.result {
        report.diagnostics.push(Diagnostic::new(
            1,
            1,
            Severity::Warning,
            "follow-limit",
            message,
            "feedwright --follow",
        ));
    }
}

fn agent(limits: &Limits) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .http_status_as_error(false)
        // Redirects are followed here, one at a time, to record and bound them.
        .max_redirects(0)
        .user_agent(concat!(
            "feedwright/",
            env!("CARGO_PKG_VERSION"),
            " (feed validator)"
        ))
        .build()
        .into()
}

/// What one successful GET gave.
struct Body {
    final_url: url::Url,
    redirects: Vec<url::Url>,
    content_type: Option<String>,
    bytes: Vec<u8>,
    over: bool,
}

fn get(agent: &ureq::Agent, url: &str, limits: &Limits) -> (Vec<url::Url>, Result<Body, String>) {
    let mut redirects = Vec::new();
    let mut current = match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        Ok(u) => {
            return (
                redirects,
                Err(format!("`{}:` is not http or https", u.scheme())),
            )
        }
        Err(e) => return (redirects, Err(format!("not a URL: {e}"))),
    };
    loop {
        let response = match agent.get(current.as_str()).call() {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => {
                return (
                    redirects,
                    Err(format!(
                        "no answer within {} s",
                        limits.timeout.as_secs_f64()
                    )),
                )
            }
            Err(e) => return (redirects, Err(e.to_string())),
        };
        let status = response.status().as_u16();
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            let Some(location) = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
            else {
                return (
                    redirects,
                    Err(format!("HTTP {status} redirect without a Location header")),
                );
            };
            let next = match current.join(location) {
                Ok(n) if matches!(n.scheme(), "http" | "https") => n,
                _ => {
                    return (
                        redirects,
                        Err(format!(
                            "HTTP {status} redirects to `{location}`, not an http(s) URL"
                        )),
                    )
                }
            };
            redirects.push(std::mem::replace(&mut current, next));
            if redirects.len() > limits.redirects {
                return (
                    redirects,
                    Err(format!(
                        "more than {} redirects (the last to {current})",
                        limits.redirects
                    )),
                );
            }
            continue;
        }
        if !(200..300).contains(&status) {
            let reason = response.status().canonical_reason().unwrap_or("");
            return (
                redirects,
                Err(format!("the server answered HTTP {status} {reason}")
                    .trim_end()
                    .to_string()),
            );
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let read = super::read_limited(response.into_body().into_reader(), limits.bytes);
        return match read {
            Ok((bytes, over)) => (
                Vec::new(),
                Ok(Body {
                    final_url: current,
                    redirects,
                    content_type,
                    bytes,
                    over,
                }),
            ),
            Err(e) => (redirects, Err(format!("the body could not be read: {e}"))),
        };
    }
}

/// The media type and the charset parameter of a Content-Type.
fn media_type(content_type: &str) -> (String, Option<String>) {
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string());
    (media, charset)
}

/// The media types a format may be served as: its own first, then the
/// generic ones every reader accepts.
fn fitting_types(format: Format) -> &'static [&'static str] {
    match format {
        Format::Rss => &["application/rss+xml", "application/xml", "text/xml"],
        Format::Rdf => &[
            "application/rdf+xml",
            "application/rss+xml",
            "application/xml",
            "text/xml",
        ],
        Format::Atom => &["application/atom+xml", "application/xml", "text/xml"],
        Format::AtomEntry => &["application/atom+xml", "application/xml", "text/xml"],
        Format::Sitemap | Format::SitemapIndex => &[
            "application/xml",
            "text/xml",
            "application/gzip",
            "application/x-gzip",
        ],
        Format::JsonFeed => &["application/feed+json", "application/json"],
        Format::Robots => &["text/plain"],
        _ => &[],
    }
}

fn fetch_and_validate(
    agent: &ureq::Agent,
    url: &str,
    opts: &Options,
    limits: &Limits,
) -> (Served, Vec<String>) {
    let (redirects, got) = get(agent, url, limits);
    let body = match got {
        Ok(b) => b,
        Err(why) => {
            return (
                Served {
                    url: url.to_string(),
                    final_url: None,
                    redirects,
                    content_type: None,
                    result: Err(why),
                },
                Vec::new(),
            )
        }
    };
    let (media, charset) = body
        .content_type
        .as_deref()
        .map(media_type)
        .unwrap_or_default();
    let mut options = opts.clone();
    options.base = Some(body.final_url.clone());
    // A charset on a gzip body describes the compressed bytes, which have none.
    let gzipped = body.bytes.starts_with(&[0x1f, 0x8b]) || media.ends_with("gzip");
    if !gzipped {
        options.charset = charset.or(options.charset);
    }
    let links = links(&body.bytes);
    let mut report = super::validate_owned(body.bytes, &options);
    if body.over {
        report.diagnostics.insert(
            0,
            Diagnostic::new(
                1,
                1,
                Severity::Error,
                "too-large",
                &format!(
                    "the document is larger than {} bytes uncompressed; only that much was read",
                    limits.bytes
                ),
                "sitemaps.org protocol",
            ),
        );
    }
    let fits = fitting_types(report.format);
    if !fits.is_empty() && !fits.contains(&media.as_str()) {
        let served_as = if media.is_empty() {
            "no Content-Type".to_string()
        } else {
            format!("Content-Type {media}")
        };
        report.diagnostics.insert(0, Diagnostic::new(1, 1, Severity::Warning, "http-content-type", &format!(
            "served with {served_as}; serve it as {} so readers and crawlers take it for what it is",
            fits[..fits.len().min(2)].join(" or ")
        ), "RFC 7303 §9; RFC 4287 §7; JSON Feed 1.1; RFC 9309 §2.3"));
    }
    for (i, from) in body.redirects.iter().enumerate() {
        let to = body.redirects.get(i + 1).unwrap_or(&body.final_url);
        report.diagnostics.insert(
            0,
            Diagnostic::new(
                1,
                1,
                Severity::Info,
                "http-redirect",
                &format!("{from} redirects to {to}"),
                "RFC 9110 §15.4",
            ),
        );
    }
    let links = match report.format {
        Format::Robots | Format::SitemapIndex => links,
        _ => Vec::new(),
    };
    (
        Served {
            url: url.to_string(),
            final_url: Some(body.final_url),
            redirects: body.redirects,
            content_type: body.content_type,
            result: Ok(report),
        },
        links,
    )
}

/// The documents a robots.txt (`Sitemap:` lines) or a sitemap index (`<sitemap><loc>`) points at.
fn links(bytes: &[u8]) -> Vec<String> {
    let Ok(decoded) = super::encoding::decode(std::borrow::Cow::Borrowed(bytes), None) else {
        return Vec::new();
    };
    let text = &*decoded.text;
    if !text.trim_start().starts_with('<') && super::robots::looks_like(text) {
        return text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter_map(|l| l.split_once(':'))
            .filter(|(f, _)| f.trim().eq_ignore_ascii_case("sitemap"))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
    }
    // The index's children are streamed, as the validator reads a sitemap.
    struct Locs(Vec<String>);
    impl super::xml::Sink for Locs {
        fn stream_children(&mut self, root: &super::xml::Element) -> bool {
            &*root.ns == super::sitemap::NS && root.name == "sitemapindex"
        }
        fn child(&mut self, _: &super::xml::Element, child: super::xml::Element) {
            if let Some(loc) = child.child(super::sitemap::NS, "loc") {
                if child.name == "sitemap" && !loc.text.trim().is_empty() {
                    self.0.push(loc.text.trim().to_string());
                }
            }
        }
        fn restart(&mut self) {
            self.0.clear();
        }
    }
    let mut locs = Locs(Vec::new());
    let _ = super::xml::parse_with(text, &mut locs);
    locs.0
}
