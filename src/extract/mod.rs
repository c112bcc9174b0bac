//! From a post file to its metadata: front matter, dates, permalink, and (for
//! posts that land in a feed) the rendered body.
//!
//! Extraction is split in two so big sites stay cheap: [`read_meta`] takes what
//! every output needs (URL, dates, title, categories) from the front matter;
//! [`render_entry`] renders the body only for posts that go into a feed.

pub mod body;
pub mod dates;
#[cfg(test)]
mod liquid_tests;
mod meta;
pub mod pages;
pub mod permalink;
pub(crate) mod render;

use crate::config::SiteConfig;
use crate::error::{Location, Notice, PostError, Severity};
use crate::model::{AbsUrl, Entry};
use crate::model::{ChangeFreq, Priority};
use crate::source::{split_dated_name, PostFile, SiteKind, MARKDOWN_EXTENSIONS};
use crate::yaml::{self, Value};
use chrono::{DateTime, FixedOffset};
use dates::Quoting;
pub use meta::PostMeta;

/// Front-matter keys Jekyll, jekyll-feed, jekyll-sitemap and feedwright
/// read: a key a letter or two away from one of these is most likely a typo.
const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "date",
    "published",
    "permalink",
    "categories",
    "category",
    "tags",
    "tag",
    "author",
    "authors",
    "lang",
    "image",
    "images",
    "description",
    "excerpt",
    "excerpt_separator",
    "last_modified_at",
    "sitemap",
    "layout",
    "slug",
    "draft",
    "ref",
    "translationKey",
];

/// Longest title kept, in characters; longer ones are shortened with a warning.
pub const MAX_TITLE_CHARS: usize = 1000;

/// What the build needs to extract a post.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The site configuration.
    pub config: &'a SiteConfig,
    /// Jekyll site or plain folder.
    pub kind: SiteKind,
    /// The build's "now": a post dated from its file time is never later.
    pub now: DateTime<FixedOffset>,
    /// Commit dates, when the site is in a git work tree.
    pub git: Option<&'a crate::source::GitDates>,
    /// The collection the documents read belong to; `None` for posts.
    pub collection: Option<&'a crate::config::Collection>,
}

/// A post file split into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML text (empty when there is none).
    pub front_matter: &'a str,
    /// The body.
    pub body: &'a str,
    /// 1-based line of the file where the YAML text starts.
    pub yaml_line: usize,
    /// True when the file had a front matter block.
    pub has_front_matter: bool,
}

/// Decodes a post file's bytes: UTF-8 only, without a BOM, with LF line ends.
pub fn decode<'a>(
    bytes: &'a [u8],
    path: &std::path::Path,
) -> Result<std::borrow::Cow<'a, str>, PostError> {
    let err = |line: Option<usize>, message: String| PostError {
        at: Location::new(path, line),
        message,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(err(
            None,
            "the file is empty; write front matter and a body, or delete it".into(),
        ));
    }
    // simdutf8 checks Korean text several times faster than the standard
    // library; the standard library then says where a bad file goes wrong.
    let checked = match simdutf8::basic::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(_) => std::str::from_utf8(bytes),
    };
    let text = match checked {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let nul = bytes.contains(&0);
            let msg = if nul {
                "this is a binary file, not a text post; move it out of the posts folder"
                    .to_string()
            } else {
                format!(
                    "the file is not UTF-8 (byte 0x{:02X}); if it was saved as EUC-KR/CP949 or another legacy encoding, convert it with `iconv -f CP949 -t UTF-8`",
                    bytes[at]
                )
            };
            return Err(err(Some(line), msg));
        }
    };
    if let Some(pos) = memchr::memchr(0, text.as_bytes()) {
        let line = text[..pos].matches('\n').count() + 1;
        return Err(err(
            Some(line),
            "the file contains NUL characters, so it is binary or damaged; remove them".into(),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    })
}

/// Splits front matter from the body (Jekyll: the file starts with a `---`
/// line; the block ends at the next `---` or `...` line).
pub fn split<'a>(text: &'a str, path: &std::path::Path) -> Result<Split<'a>, PostError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            front_matter: "",
            body: text,
            yaml_line: 1,
            has_front_matter: false,
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i);
        let line = &text[pos..end];
        let marker = |m: &str| line.starts_with(m) && line.trim_end() == m;
        if marker("---") || marker("...") {
            return Ok(Split {
                front_matter: &text[yaml_start..pos],
                body: &text[(end + 1).min(text.len())..],
                yaml_line: 2,
                has_front_matter: true,
            });
        }
        pos = end + 1;
    }
    Err(PostError {
        at: Location::new(path, Some(1)),
        message: "the front matter that starts here is never closed; add a line with `---` after the last key".into(),
    })
}

/// Where the front matter of a file that starts with these bytes ends: just
/// after its closing `---` (or `...`) line. `None` when the bytes hold no
/// closed front matter yet (or the file has none), so the caller reads more.
/// Mirrors [`split`]'s rules.
pub fn front_matter_end(bytes: &[u8]) -> Option<usize> {
    let start = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    // Complete lines only: a line without its `\n` may not be whole yet.
    let first = memchr::memchr(b'\n', &bytes[start..])?;
    if bytes[start..start + first].trim_ascii_end() != b"---" {
        return None;
    }
    let mut pos = start + first + 1;
    while let Some(i) = memchr::memchr(b'\n', &bytes[pos..]) {
        let line = &bytes[pos..pos + i];
        let marker = |m: &[u8]| line.starts_with(m) && line.trim_ascii_end() == m;
        if marker(b"---") || marker(b"...") {
            return Some(pos + i + 1);
        }
        pos += i + 1;
    }
    None
}

/// Warnings (key, message) for front-matter keys that are likely typos of
/// ones Jekyll reads, and for unknown keys of a `sitemap:` map.
fn misspelt_keys(fm: &yaml::Mapping) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for key in fm.keys().filter_map(Value::as_str) {
        if let Some(known) = crate::config::near_miss(key, FRONT_MATTER_KEYS) {
            out.push((key.to_string(), format!("`{key}` is not a front-matter key Jekyll or jekyll-feed reads, so it is ignored; did you mean `{known}`?")));
        }
    }
    if let Some(Value::Mapping(m)) = yaml::get(fm, "sitemap") {
        const KEYS: &[&str] = &["changefreq", "priority"];
        for key in m.keys().filter_map(Value::as_str) {
            if !KEYS.contains(&key) {
                let hint = crate::config::near_miss(key, KEYS).map_or_else(
                    || "the keys are changefreq and priority".to_string(),
                    |k| format!("did you mean `{k}`?"),
                );
                out.push((
                    "sitemap".to_string(),
                    format!("`sitemap.{key}` is not a key of `sitemap`, so it is ignored; {hint}"),
                ));
            }
        }
    }
    out
}

/// Hugo's TOML (`+++`) and JSON (`{`) front matter: Jekyll reads neither
/// and would publish it as the body's text, which must never reach a feed.
fn refuse_other_front_matter(text: &str, path: &std::path::Path) -> Result<(), PostError> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let kind = if first == "+++" {
        "TOML (`+++`)"
    } else if first.starts_with('{') {
        "JSON (`{`)"
    } else {
        return Ok(());
    };
    Err(PostError {
        at: Location::new(path, Some(1)),
        message: format!("this post starts with {kind} front matter, which Jekyll does not read (it would publish it as text); write the front matter as YAML between two `---` lines"),
    })
}

/// Line and quoting of each top-level key in the YAML text, for error
/// positions and for Jekyll's quoted-date rule.
fn key_line(front_matter: &str, key: &str) -> Option<(usize, Quoting)> {
    front_matter.lines().enumerate().find_map(|(i, l)| {
        let rest = l.strip_prefix(key)?.strip_prefix(':')?;
        let q = match rest.trim_start().as_bytes().first() {
            Some(b'"') | Some(b'\'') => Quoting::Quoted,
            _ => Quoting::Plain,
        };
        Some((i, q))
    })
}

/// Reads a post's metadata. Warnings (values filled in or left out) are pushed
/// to `notices`. `Ok(None)`: not a post (a file without front matter in a plain folder).
pub fn read_meta(
    file: &PostFile,
    bytes: &[u8],
    mtime: Option<DateTime<FixedOffset>>,
    cx: &Context<'_>,
    notices: &mut Vec<Notice>,
) -> Result<Option<PostMeta>, PostError> {
    let path = file.path.as_path();
    let text = decode(bytes, path)?;
    let parts = split(&text, path)?;
    if !parts.has_front_matter {
        refuse_other_front_matter(&text, path)?;
    }
    if cx.kind == SiteKind::Plain && !parts.has_front_matter {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(path, Some(1)),
            message: "not published: it has no front matter; start the file with a `---` line, `title: …`, and another `---` line to make it a post".into(),
        });
        return Ok(None);
    }
    let (own, repeated) = yaml::parse_mapping_noting(parts.front_matter).map_err(|e| PostError {
        at: Location::new(path, e.line.map(|l| l + parts.yaml_line - 1)),
        message: format!("front matter is not valid YAML: {}; fix the YAML (quote values that contain `: ` or start with a special character)", strip_position(&e.message)),
    })?;
    let typos = misspelt_keys(&own);
    // Jekyll's front-matter `defaults`, under the post's own keys.
    let kind = cx.collection.map_or("posts", |c| c.label.as_str());
    let defaults = cx.config.defaults_for(&document_path(file, cx), kind);
    let fm = if defaults.is_empty() {
        own
    } else {
        crate::config::deep_merge(&defaults, &own)
    };
    let line_of = |key: &str| key_line(parts.front_matter, key).map(|(i, _)| i + parts.yaml_line);
    let bad = |key: &str, message: String| PostError {
        at: Location::new(path, line_of(key)),
        message,
    };
    let warn = |notices: &mut Vec<Notice>, key: Option<&str>, message: String| {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(path, key.and_then(line_of)),
            message,
        })
    };
    for (key, message) in typos {
        warn(notices, Some(&key), message);
    }
    for key in repeated {
        warn(notices, Some(&key), format!("`{key}` is given more than once; the last value is used, as Jekyll does. Remove the others"));
    }
    let config = cx.config;
    let tz = config.timezone;

    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = match file_name.rfind('.') {
        Some(i) if i > 0 => (&file_name[..i], file_name[i + 1..].to_ascii_lowercase()),
        _ => (file_name.as_str(), String::new()),
    };
    let dated = split_dated_name(&file_name);
    let file_slug = dated.map_or(stem, |(_, slug, _)| slug);

    // Strings: scalars only; a list or a map where text belongs is an error.
    let text_value = |key: &str| -> Result<Option<String>, PostError> {
        match yaml::get(&fm, key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match yaml::scalar_string(v) {
                Some(s) => Ok(Some(s)),
                None => Err(bad(
                    key,
                    format!(
                        "`{key}` must be text, but it is {}; write it as `{key}: some text`",
                        yaml::kind(v)
                    ),
                )),
            },
        }
    };

    let slug = text_value("slug")?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file_slug.to_string());
    let mut title = match text_value("title")?.map(|t| title_text(&t)) {
        Some(t) if !t.is_empty() => t,
        _ => permalink::titleize_slug(&slug),
    };
    if title.chars().count() > MAX_TITLE_CHARS {
        warn(
            notices,
            Some("title"),
            format!("the title is longer than {MAX_TITLE_CHARS} characters and was shortened"),
        );
        title = crate::text::truncate_chars(&title, MAX_TITLE_CHARS);
    }

    // Dates: front matter, else the file name, else the commit that added
    // the file, else the file's modification time.
    let mut clamped_to_now = false;
    let mut date_capped = false;
    let date = match yaml::get(&fm, "date") {
        Some(v) if !matches!(v, Value::Null) => {
            let raw = yaml::scalar_string(v).ok_or_else(|| {
                bad(
                    "date",
                    format!(
                        "`date` must be a date such as 2024-03-15 10:00:00 +0900, but it is {}",
                        yaml::kind(v)
                    ),
                )
            })?;
            let quoting = key_line(parts.front_matter, "date").map_or(Quoting::Plain, |(_, q)| q);
            let (date, ignored_zone) = dates::parse_front_matter_date_noting(&raw, quoting, tz).map_err(|e| {
                bad("date", match e {
                    dates::DateError::Impossible => format!("`date: {raw}` is not a real date or time; correct it"),
                    dates::DateError::Unreadable => format!("`date: {raw}` is not a date feedwright can read; write it as 2024-03-15 or 2024-03-15 10:00:00 +0900"),
                    dates::DateError::OutOfRange => format!("`date: {raw}` has a year outside 1–9999, which feed dates cannot carry; correct it"),
                })
            })?;
            if dates::rolls_over(&raw) {
                warn(notices, Some("date"), format!("`date: {raw}` names a day its month does not have; Jekyll (Ruby) runs it into the next month ({}), and so does feedwright. Correct the date", date.format("%Y-%m-%d")));
            }
            if let Some(zone) = ignored_zone {
                warn(notices, Some("date"), format!("`{zone}` in `date: {raw}` is not a time zone offset; Jekyll (Ruby's Time.parse) ignores it and reads the time in the site's time zone, and so does feedwright. Write an offset such as +0900"));
            }
            date
        }
        _ => match dated.and_then(|(d, _, _)| dates::from_file_name(d, tz)) {
            Some(d) => {
                if dated.is_some_and(|(n, _, _)| dates::rolls_over(n)) {
                    warn(notices, None, format!("the date in the file name names a day its month does not have; Jekyll (Ruby) runs it into the next month ({}), and so does feedwright. Rename the file", d.format("%Y-%m-%d")));
                }
                d
            }
            None if dated.is_some() => {
                return Err(PostError {
                    at: Location::new(path, None),
                    message: "the date in the file name is not a real date; rename the file".into(),
                })
            }
            // Jekyll dates a document of another collection `site.time`:
            // the build date, so the outputs change with it.
            None if cx.collection.is_some() => {
                clamped_to_now = true;
                dates::to_zone(tz, cx.now)
            }
            None => {
                // The commit that added the file dates it the same in every
                // clone; the file time differs from one checkout to the next.
                let committed = cx
                    .git
                    .and_then(|g| g.of(&file.relative_path))
                    .and_then(|(added, _)| DateTime::from_timestamp(added, 0))
                    .map(|t| t.fixed_offset());
                let (t, from) = match committed {
                    Some(t) => (t, None),
                    None => (
                        mtime.unwrap_or(cx.now),
                        Some(if cx.git.is_some() {
                            "the file is not committed yet, so its date is the file's modification time"
                        } else {
                            "the site is not in a git work tree, so its date is the file's modification time"
                        }),
                    ),
                };
                // A date after the build date (a checkout or commit made
                // today, a test's fixed date) must not hide the post as
                // "future"; such a record is never reused from the cache.
                if t > cx.now {
                    clamped_to_now = true;
                }
                date_capped = true;
                let t = t.min(cx.now);
                // The message names no date: the date it would name moves
                // with the build date (capped above), and a reused build
                // repeats the notice of the build that read the file.
                if let Some(from) = from {
                    warn(notices, None, format!(
                        "no date in the front matter or the file name; {from}, which changes with every checkout. Pin it: add a `date:` to the front matter (such as `date: 2024-03-15 10:00:00 +0900`), or commit the file in git"
                    ));
                }
                dates::to_zone(tz, t)
            }
        },
    };
    let last_modified = match text_value("last_modified_at")? {
        // jekyll-last-modified-at: the file's last commit.
        None if config.git_last_modified => cx
            .git
            .and_then(|g| g.of(&file.relative_path))
            .and_then(|(_, last)| DateTime::from_timestamp(last, 0))
            .map(|t| dates::to_zone(tz, t.fixed_offset()))
            .filter(|t| *t > date),
        None => None,
        Some(raw) => {
            let q =
                key_line(parts.front_matter, "last_modified_at").map_or(Quoting::Plain, |(_, q)| q);
            match dates::parse_front_matter_date(&raw, q, tz) {
                Ok(d) => Some(d),
                Err(_) => {
                    warn(
                        notices,
                        Some("last_modified_at"),
                        format!("`last_modified_at: {raw}` is not a date; it was ignored"),
                    );
                    None
                }
            }
        }
    };

    // Categories and tags, by Jekyll's rules (see `Document#populate_categories`).
    let list = |key: &str| -> Result<Option<Vec<String>>, PostError> {
        match yaml::get(&fm, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.split_whitespace().map(str::to_string).collect())),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                flatten_strings(items, &mut out).map_err(|k| bad(key, format!("`{key}` must be a list of names, but it contains {k}")))?;
                Ok(Some(out))
            }
            Some(v @ Value::Mapping(_)) => Err(bad(key, format!("`{key}` must be a list such as [News, Policy] or a space-separated string, but it is {}", yaml::kind(v)))),
            Some(v) => Ok(yaml::scalar_string(v).map(|s| vec![s])),
        }
    };
    let single = |key: &str| -> Result<Option<Vec<String>>, PostError> {
        match yaml::get(&fm, key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                flatten_strings(items, &mut out).map_err(|k| {
                    bad(key, format!("`{key}` must be a name, but it contains {k}"))
                })?;
                Ok(Some(out))
            }
            Some(v) => yaml::scalar_string(v)
                .map(|s| Some(vec![s]))
                .ok_or_else(|| {
                    bad(
                        key,
                        format!("`{key}` must be a name, but it is {}", yaml::kind(v)),
                    )
                }),
        }
    };
    let mut categories: Vec<String> = file.path_categories.clone();
    let fm_categories = list("categories")?;
    let fm_category = single("category")?;
    push_unique(&mut categories, fm_categories.iter().flatten().cloned());
    push_unique(&mut categories, fm_category.iter().flatten().cloned());
    let feed_categories = match &fm_category {
        Some(c) => c.clone(),
        None => categories.clone(),
    };
    let tags = match single("tag")? {
        Some(t) => t,
        None => list("tags")?.unwrap_or_default(),
    };

    let published = yaml::get(&fm, "published")
        .and_then(yaml::as_bool)
        .unwrap_or(true);
    let draft = yaml::get(&fm, "draft")
        .and_then(yaml::as_bool)
        .unwrap_or(false);
    // `sitemap: false` (jekyll-sitemap) leaves the post out; a map sets its
    // `changefreq` and `priority`.
    let (in_sitemap, changefreq, priority) = match yaml::get(&fm, "sitemap") {
        Some(Value::Mapping(m)) => {
            let field = |k: &str| yaml::get(m, k).and_then(yaml::scalar_string);
            let changefreq = field("changefreq").and_then(|c| {
                let parsed = c.parse::<ChangeFreq>().ok();
                if parsed.is_none() {
                    warn(
                        notices,
                        Some("sitemap"),
                        format!(
                            "`sitemap.changefreq: {c}` is not one of {}; it was ignored",
                            ChangeFreq::NAMES
                        ),
                    );
                }
                parsed
            });
            let priority = field("priority").and_then(|p| {
                let parsed = p.parse::<Priority>().ok();
                if parsed.is_none() {
                    warn(notices, Some("sitemap"), format!("`sitemap.priority: {p}` is not a number from 0.0 to 1.0; it was ignored"));
                }
                parsed
            });
            (true, changefreq, priority)
        }
        Some(v) => (yaml::as_bool(v).unwrap_or(true), None, None),
        None => (true, None, None),
    };
    let lang = match text_value("lang")? {
        Some(l) => match crate::lang::normalize(&l) {
            Some(tag) => Some(tag),
            None => {
                warn(
                    notices,
                    Some("lang"),
                    format!("`lang: {l}` is not a language tag such as ko or en-US; the post is published without a language"),
                );
                None
            }
        },
        None => None,
    };
    let translation_key = match text_value("ref")? {
        Some(r) => Some(r),
        None => text_value("translationKey")?,
    }
    .map(|r| r.trim().to_string())
    .filter(|r| !r.is_empty());

    // The permalink, as Jekyll 4.3 picks it: the post's own (or its
    // `defaults`'), else the `posts` collection's, else the site's.
    let template = match (text_value("permalink")?, cx.collection) {
        (Some(p), _) => p,
        (None, None) => config.posts_template(),
        // `Collection#url_template`.
        (None, Some(c)) => c
            .permalink
            .clone()
            .unwrap_or_else(|| "/:collection/:path:output_ext".into()),
    };
    let folder = format!("_{kind}");
    let basename = stem;
    let collection_path = match cx.kind {
        SiteKind::Jekyll => file
            .relative_path
            .split_once(folder.as_str())
            .map_or(file.relative_path.as_str(), |(_, r)| r),
        SiteKind::Plain => file.relative_path.as_str(),
    };
    let collection_path = collection_path
        .strip_suffix(ext.as_str())
        .and_then(|p| p.strip_suffix('.'))
        .unwrap_or(collection_path);
    let collection_path = {
        let rest = collection_path.trim_start_matches('/');
        let mut p = String::with_capacity(rest.len() + 1);
        p.push('/');
        p.push_str(rest);
        p
    };
    let placeholders = permalink::Placeholders {
        slug: &slug,
        basename,
        path: &collection_path,
        categories: &categories,
        date,
        output_ext: ".html",
        collection: kind,
    };
    let url_path =
        permalink::expand(&template, &placeholders).map_err(|e| bad("permalink", e.to_string()))?;
    let url = config
        .site_url(&permalink::normalize_path(&url_path))
        .map_err(|e| bad("permalink", format!("the post's URL is not valid: {e}")))?;
    let id_path = permalink::normalize_path(&permalink::document_id(&url_path, &slug));
    let id = config
        .site_url(&id_path)
        .map_or_else(|_| url.to_string(), String::from);

    // jekyll-feed: `post.description | default: post.excerpt`. Liquid's
    // `default` passes over nil, false and ""; Jekyll makes an excerpt only
    // where `excerpt` is nil or false, so `excerpt: ""` means none.
    let given_text = |key: &str| match yaml::get(&fm, key) {
        Some(Value::Bool(false)) => Ok(None),
        _ => text_value(key),
    };
    let summary = match given_text("description")? {
        Some(d) if !d.is_empty() => Some(d),
        _ => given_text("excerpt")?,
    };
    let image = match yaml::get(&fm, "image") {
        None | Some(Value::Null) => None,
        Some(v) => match image_link(v).map(|r| resolve_site_link(config, &r)) {
            Some(Ok(u)) => Some(u),
            Some(Err(e)) => {
                warn(notices, Some("image"), format!("`image` was left out: {e}"));
                None
            }
            None => {
                warn(
                    notices,
                    Some("image"),
                    "`image` must be a URL or a map with `path`; it was left out".into(),
                );
                None
            }
        },
    };
    let mut images: Vec<AbsUrl> = Vec::new();
    if let Some(Value::Sequence(list)) = yaml::get(&fm, "images") {
        for v in list {
            match image_link(v).map(|r| resolve_site_link(config, &r)) {
                Some(Ok(u)) if !images.contains(&u) && image.as_ref() != Some(&u) => images.push(u),
                Some(Ok(_)) => {}
                Some(Err(e)) => warn(
                    notices,
                    Some("images"),
                    format!("an entry of `images` was left out: {e}"),
                ),
                None => warn(
                    notices,
                    Some("images"),
                    "`images` must list URLs; an entry was left out".into(),
                ),
            }
        }
    }
    // jekyll-feed: `post.author | default: post.authors[0]`, then looked
    // up in `_data/authors`.
    let given = |key: &str| {
        yaml::get(&fm, key).filter(|v| match v {
            Value::Null | Value::Bool(false) => false,
            Value::String(s) => !s.is_empty(),
            Value::Sequence(items) => !items.is_empty(),
            _ => true,
        })
    };
    let author_value = given("author").or_else(|| match given("authors") {
        Some(Value::Sequence(items)) => items.first(),
        other => other,
    });
    let author = author_value.and_then(|v| {
        let person = config.feed_author(v);
        if person.is_some() && (crate::config::unnamed_author(v) || matches!(v, Value::String(k) if config.authors.as_ref().and_then(|a| a.get(k.as_str())).is_some_and(crate::config::unnamed_author))) {
            let key = if given("author").is_some() { "author" } else { "authors" };
            warn(notices, Some(key), "the author has no `name`, so jekyll-feed writes the whole map as the name, and so does feedwright; add `name:`".into());
        }
        person
    });

    Ok(Some(PostMeta {
        file: file.clone(),
        title,
        date,
        last_modified,
        url,
        id,
        categories,
        feed_categories,
        tags,
        published,
        clamped_to_now,
        date_capped,
        draft,
        in_sitemap,
        summary,
        image,
        author,
        excerpt_separator: text_value("excerpt_separator")?,
        markdown: MARKDOWN_EXTENSIONS.contains(&ext.as_str()),
        lang,
        translation_key,
        images,
        changefreq,
        priority,
    }))
}

/// An image given as a URL or as a map with `path` (or `url`), as
/// jekyll-seo-tag and jekyll-feed accept it.
fn image_link(v: &Value) -> Option<String> {
    match v {
        Value::Mapping(m) => m
            .get("path")
            .or_else(|| m.get("url"))
            .and_then(yaml::scalar_string),
        other => yaml::scalar_string(other),
    }
}

/// Resolves a front-matter link as jekyll-feed does: a URL with a scheme is
/// kept (http/https only), anything else is a path on the site.
fn resolve_site_link(config: &SiteConfig, raw: &str) -> Result<AbsUrl, crate::model::UrlError> {
    let raw = raw.trim();
    if let Some(url) = config.base.extended_by(raw) {
        Ok(url)
    } else if raw.contains("://") || raw.contains(':') && !raw.starts_with('/') {
        AbsUrl::parse(raw)
    } else if raw.starts_with("//") {
        AbsUrl::parse(&format!("{}:{raw}", config.base.scheme()))
    } else {
        config.site_url(&permalink::normalize_path(raw.trim_start_matches('/')))
    }
}

/// A title as jekyll-feed publishes it, as plain text: Liquid's
/// `strip_html` (script and style blocks, comments, then every `<…>`), the
/// entities that `type="html"` then decodes, and `normalize_whitespace`,
/// which makes Ruby's white space (a vertical tab too) one space. Other
/// control characters, which XML forbids, are dropped.
fn title_text(raw: &str) -> String {
    // Without a `<`, strip_html has nothing to take.
    let out: std::borrow::Cow<str> = if raw.contains('<') {
        body::strip_html(raw).into()
    } else {
        raw.into()
    };
    let decoded = html_escape::decode_html_entities(&out);
    let spaced = crate::text::normalize_whitespace(&decoded);
    match crate::text::xml_safe(&spaced) {
        // Normalising normalised text gives it back.
        std::borrow::Cow::Borrowed(_) => spaced,
        std::borrow::Cow::Owned(safe) => crate::text::normalize_whitespace(&safe),
    }
}

/// The path `defaults` scopes are matched against: the file's path from the
/// source, below `collections_dir` (Jekyll's `Document#relative_path`).
fn document_path(file: &PostFile, cx: &Context<'_>) -> String {
    let rel = file.relative_path.as_str();
    match cx.config.collections_dir.as_str() {
        "" => rel.to_string(),
        dir => rel
            .strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(rel)
            .to_string(),
    }
}

fn push_unique(into: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for i in items {
        if !into.contains(&i) {
            into.push(i);
        }
    }
}

fn flatten_strings(items: &[Value], out: &mut Vec<String>) -> Result<(), &'static str> {
    for v in items {
        match v {
            Value::Sequence(inner) => flatten_strings(inner, out)?,
            Value::Null => {}
            Value::Mapping(_) => return Err("a map"),
            other => out.extend(yaml::scalar_string(other)),
        }
    }
    Ok(())
}

fn strip_position(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

/// Renders a post into a feed [`Entry`]: the body (Markdown to HTML), the
/// summary, the image. `bytes` is the post file again; it is read a second time
/// only for the few posts that land in feeds.
///
/// For a Jekyll site the summary and thumbnail are jekyll-feed's: the
/// front matter's (`description`, else `excerpt`) or the body's excerpt,
/// rendered as the body is, through `strip_html`; `image` only. A plain folder
/// has no Jekyll to match, and keeps feedwright's own rules: the first block
/// with text, and the first image of the body when there is no `image`.
pub fn render_entry(
    meta: &PostMeta,
    bytes: &[u8],
    config: &SiteConfig,
    kind: SiteKind,
    liquid: Option<&crate::extract::render::liquid::SiteContext>,
    notices: &mut Vec<Notice>,
) -> Result<Entry, PostError> {
    let path = meta.file.path.as_path();
    let text = decode(bytes, path)?;
    let parts = split(&text, path)?;
    // Jekyll renders the body and, on its own, the excerpt alike: Liquid
    // first (the post as `page`), then the converter. The excerpt is cut
    // from the body, so a body without Liquid has an excerpt without it.
    let page = liquid
        .filter(|_| crate::extract::render::liquid::has_liquid(parts.body))
        .map(|cx| {
            let own = yaml::parse_mapping(parts.front_matter).unwrap_or_default();
            let defaults = config.defaults_for(&meta.file.relative_path, "posts");
            let fm = if defaults.is_empty() {
                own
            } else {
                crate::config::deep_merge(&defaults, &own)
            };
            (cx, cx.page(meta, &fm))
        });
    // Liquid's messages name lines of the file: the body's first is here.
    let body_line = text[..text.len() - parts.body.len()].matches('\n').count() + 1;
    let render = |source: &str, notices: &mut Vec<Notice>| {
        let rendered = page
            .as_ref()
            .map(|(cx, page)| cx.render(page, source, path, body_line, notices));
        let source = rendered.as_deref().unwrap_or(source);
        if meta.markdown {
            crate::extract::render::markdown::markdown_to_html(source, &config.kramdown)
        } else {
            source.to_string()
        }
    };
    let content = render(parts.body, notices);
    // Feed readers that ignore xml:base (mail digests, aggregators) need
    // absolute links; unsafe schemes never reach a feed.
    let (content, dropped) = body::absolutize_urls(content.trim(), &meta.url.to_url());
    for d in dropped {
        notices.push(Notice {
            severity: Severity::Warning,
            at: Location::new(path, None),
            message: format!("the link or image `{d}` in the body was removed: only http, https, mailto and tel links are published"),
        });
    }

    let separator = meta
        .excerpt_separator
        .as_deref()
        .unwrap_or(&config.excerpt_separator);
    let summary = match (&meta.summary, kind) {
        (Some(s), _) => body::summary_text(s),
        // An empty separator: Jekyll makes no excerpt.
        (None, _) if separator.is_empty() => String::new(),
        (None, SiteKind::Jekyll) => {
            let content = match parts.has_front_matter {
                true => body::jekyll_content(parts.body),
                false => parts.body,
            };
            // The body's rendering reported its Liquid problems; the
            // excerpt's are the same ones again.
            let excerpt = body::excerpt_source(content, separator);
            body::summary_text(&render(&excerpt, &mut Vec::new()))
        }
        (None, SiteKind::Plain) => {
            let source = match separator {
                "\n\n" => body::first_block_with_text(
                    parts.body.trim_start_matches(['\n', '\r']),
                    |chunk| render(chunk, &mut Vec::new()),
                ),
                _ => body::excerpt_source(parts.body, separator),
            };
            body::summary_text(&render(&source, &mut Vec::new()))
        }
    };
    let summary = (!summary.is_empty()).then_some(summary);

    let image = match kind {
        SiteKind::Jekyll => meta.image.clone(),
        SiteKind::Plain => meta.image.clone().or_else(|| {
            let src = body::first_image(&content)?;
            match meta.url.join(&src) {
                Ok(u) => Some(u),
                Err(e) => {
                    notices.push(Notice {
                        severity: Severity::Warning,
                        at: Location::new(path, None),
                        message: format!(
                            "the body's first image was not used as the post image: {e}"
                        ),
                    });
                    None
                }
            }
        }),
    };

    Ok(Entry {
        id: meta.id.clone(),
        url: meta.url.clone(),
        title: meta.title.clone(),
        published: meta.date,
        updated: meta.updated(),
        summary,
        content_html: (!content.is_empty()).then_some(content),
        categories: meta.feed_categories.clone(),
        tags: meta.tags.clone(),
        author: meta.author.clone().or_else(|| config.author.clone()),
        image,
        language: meta.lang.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_markup_and_entities_and_keep_word_breaks_as_jekyll_feed_does() {
        for (raw, want) in [
            ("Why <code>document</code> works", "Why document works"),
            ("Special&nbsp;-&nbsp;Characters", "Special - Characters"),
            ("Control\u{b}chars and\u{c}feeds", "Control chars and feeds"),
            ("Back\u{8}space", "Backspace"),
            ("a < b", "a < b"),
            ("x<!-- note -->y<script>alert(1)</script>z", "xyz"),
            ("Tom &amp; Jerry", "Tom & Jerry"),
        ] {
            assert_eq!(title_text(raw), want, "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_front_matter_end_found_in_raw_bytes_is_where_split_starts_the_body(
            lines in proptest::collection::vec(
                proptest::sample::select(vec!["---", "...", "--- ", "---x", " ---", "a: b", "", "-- -", ".... "]),
                0..8,
            )
        ) {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let path = std::path::Path::new("post.md");
            let parts = split(&text, path);
            match front_matter_end(text.as_bytes()) {
                Some(end) => {
                    let parts = parts.expect("front matter was found in the bytes");
                    proptest::prop_assert!(parts.has_front_matter);
                    proptest::prop_assert_eq!(parts.body, &text[end..]);
                }
                None => proptest::prop_assert!(!parts.is_ok_and(|p| p.has_front_matter)),
            }
        }
    }
}
