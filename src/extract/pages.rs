//! The URLs jekyll-sitemap lists besides posts: pages (`site.html_pages`),
//! the documents of collections with `output: true`, and static
//! `.htm/.html/.xhtml/.pdf` files — each with Jekyll's URL rules
//! (`Page#template`, `Collection#url_template`, `StaticFile#relative_path`).
//! Only front matter is read.

use super::{dates, permalink};
use crate::config::SiteConfig;
use crate::error::{Location, Notice, Severity};
use crate::model::SitemapUrl;
use crate::source::{SiteFile, MARKDOWN_EXTENSIONS};
use crate::yaml::{self, Mapping, Value};
use chrono::{DateTime, FixedOffset};

/// jekyll-sitemap's static-file extensions (`INCLUDED_EXTENSIONS`).
const STATIC_EXTENSIONS: &[&str] = &[".htm", ".html", ".xhtml", ".pdf"];
const HTML_EXTENSIONS: &[&str] = &[".html", ".xhtml", ".htm"];

/// The sitemap entries of `files`, and whether one of them is dated by
/// `now` (a document without a date: Jekyll dates it `site.time`), which
/// makes the sitemap change with the build date.
pub fn sitemap_urls(
    files: &[SiteFile],
    config: &SiteConfig,
    now: DateTime<FixedOffset>,
    notices: &mut Vec<Notice>,
) -> (Vec<SitemapUrl>, bool) {
    let mut urls = Vec::new();
    let mut uses_now = false;
    for f in files {
        let name = f.relative.rsplit('/').next().unwrap_or(&f.relative);
        let ext = extname(name);
        let found = match (&f.collection, f.front_matter) {
            (None, false) => {
                if !STATIC_EXTENSIONS.contains(&ext) || name == "404.html" {
                    continue;
                }
                let lastmod = f.modified.map(|t| {
                    dates::to_zone(
                        config.timezone,
                        DateTime::<chrono::Utc>::from(t).fixed_offset(),
                    )
                });
                Some((format!("/{}", f.relative), lastmod))
            }
            (Some(_), false) => continue,
            (collection, true) => match document(f, collection.as_ref(), config, now) {
                Ok(Some((url, lastmod, dated_now))) => {
                    uses_now |= dated_now;
                    Some((url, lastmod))
                }
                Ok(None) => None,
                Err(message) => {
                    notices.push(Notice {
                        severity: Severity::Warning,
                        at: Location::new(&f.path, None),
                        message: format!("left out of the sitemap: {message}"),
                    });
                    None
                }
            },
        };
        let Some((path, lastmod)) = found else {
            continue;
        };
        let path = path.replace("/index.html", "/");
        match config.site_url(&permalink::normalize_path(&path)) {
            Ok(loc) => urls.push(SitemapUrl {
                loc,
                lastmod,
                changefreq: config.changefreq,
                priority: config.priority,
                images: Vec::new(),
                alternates: Vec::new(),
            }),
            Err(e) => notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&f.path, None),
                message: format!("left out of the sitemap: its URL is not valid ({e})"),
            }),
        }
    }
    (urls, uses_now)
}

/// Ruby's `File.extname`: from the last `.` of the name, unless the name starts with it.
fn extname(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 && i + 1 < name.len() => &name[i..],
        _ => "",
    }
}

fn output_ext(ext: &str) -> String {
    let bare = ext.trim_start_matches('.');
    if MARKDOWN_EXTENSIONS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(bare))
    {
        ".html".into()
    } else if matches!(bare, "scss" | "sass") {
        ".css".into()
    } else if bare == "coffee" {
        ".js".into()
    } else {
        ext.to_string()
    }
}

/// `Utils.add_permalink_suffix`: the site's permalink style decides how
/// page and document URLs end.
fn add_permalink_suffix(template: &str, style: &str) -> String {
    match style {
        "pretty" => format!("{template}/"),
        "date" | "ordinal" | "none" => format!("{template}:output_ext"),
        s => {
            let mut t = template.to_string();
            if s.ends_with('/') {
                t.push('/');
            }
            if s.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
            t
        }
    }
}

type Listed = (String, Option<DateTime<FixedOffset>>, bool);

/// A page or collection document: its site path and `lastmod` when the
/// sitemap lists it (and whether its date is `now`); `None` when not.
fn document(
    f: &SiteFile,
    collection: Option<&(String, String)>,
    config: &SiteConfig,
    now: DateTime<FixedOffset>,
) -> Result<Option<Listed>, String> {
    let bytes = std::fs::read(&f.path).map_err(|e| format!("could not read it ({e})"))?;
    let text = super::decode(&bytes, &f.path).map_err(|e| e.message)?;
    let parts = super::split(&text, &f.path).map_err(|e| e.message)?;
    let (own, _) = yaml::parse_mapping_noting(parts.front_matter)
        .map_err(|e| format!("its front matter is not valid YAML ({})", e.message))?;
    let (kind, doc_path) = match collection {
        Some((label, _)) => {
            let below = match config.collections_dir.as_str() {
                "" => f.relative.as_str(),
                dir => f
                    .relative
                    .strip_prefix(dir)
                    .and_then(|r| r.strip_prefix('/'))
                    .unwrap_or(&f.relative),
            };
            (label.as_str(), below.to_string())
        }
        None => ("pages", f.relative.clone()),
    };
    let defaults = config.defaults_for(&doc_path, kind);
    let fm: Mapping = if defaults.is_empty() {
        own
    } else {
        crate::config::deep_merge(&defaults, &own)
    };
    let get = |k: &str| yaml::get(&fm, k).filter(|v| !v.is_null());
    if get("published").and_then(yaml::as_bool) == Some(false)
        || get("sitemap").and_then(yaml::as_bool) == Some(false)
    {
        return Ok(None);
    }
    let tz = config.timezone;
    let date_of = |key: &str| -> Option<DateTime<FixedOffset>> {
        let raw = yaml::scalar_string(get(key)?)?;
        // Unquoted, YAML reads a time without an offset as UTC (as posts'
        // dates are read); quoted, Jekyll reads it in the site's zone.
        let quoting =
            super::key_line(parts.front_matter, key).map_or(dates::Quoting::Quoted, |(_, q)| q);
        dates::parse_front_matter_date(&raw, quoting, tz).ok()
    };
    let last_modified = date_of("last_modified_at");
    let permalink = get("permalink").and_then(yaml::scalar_string);

    let name = doc_path.rsplit('/').next().unwrap_or(&doc_path);
    let ext = extname(name);
    let basename = name[..name.len() - ext.len()].trim_end_matches('.');
    let out_ext = output_ext(ext);
    let categories: Vec<String> = match get("categories") {
        Some(Value::Sequence(items)) => items.iter().filter_map(yaml::scalar_string).collect(),
        Some(v) => yaml::scalar_string(v)
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };

    match collection {
        None => {
            let dir = doc_path.rsplit_once('/').map_or("", |(d, _)| d);
            let html = HTML_EXTENSIONS.contains(&out_ext.as_str());
            let template = match &permalink {
                Some(p) => p.clone(),
                None if !html => "/:path/:basename:output_ext".into(),
                None if basename == "index" => "/:path/".into(),
                None => add_permalink_suffix("/:path/:basename", &config.permalink_style),
            };
            let placeholders = permalink::Placeholders {
                slug: basename,
                basename,
                path: dir,
                categories: &categories,
                date: now,
                output_ext: &out_ext,
                collection: "",
            };
            let url = permalink::expand(&template, &placeholders).map_err(|e| e.to_string())?;
            // `site.html_pages`, less the 404 page.
            if !(html || url.ends_with('/')) || url == "/404.html" {
                return Ok(None);
            }
            Ok(Some((url, last_modified, false)))
        }
        Some((label, dir)) => {
            let in_collection = f.relative.strip_prefix(dir.as_str()).unwrap_or(&f.relative);
            let cleaned = in_collection[..in_collection.len() - ext.len()].trim_end_matches('.');
            let dated = crate::source::split_dated_name(name);
            let slug_from_name = dated.map_or(basename, |(_, s, _)| {
                s.rsplit_once('.').map_or(s, |(stem, _)| stem)
            });
            let slug = get("slug")
                .and_then(yaml::scalar_string)
                .unwrap_or_else(|| slug_from_name.to_string());
            let mut dated_now = false;
            let date = date_of("date")
                .or_else(|| dated.and_then(|(d, _, _)| dates::from_file_name(d, tz)))
                .unwrap_or_else(|| {
                    dated_now = true;
                    dates::to_zone(tz, now)
                });
            let template = match &permalink {
                Some(p) => p.clone(),
                None => config
                    .collections
                    .iter()
                    .find(|c| &c.label == label)
                    .and_then(|c| c.permalink.clone())
                    .unwrap_or_else(|| {
                        add_permalink_suffix("/:collection/:path", &config.permalink_style)
                    }),
            };
            let placeholders = permalink::Placeholders {
                slug: &slug,
                basename,
                path: cleaned,
                categories: &categories,
                date,
                output_ext: &out_ext,
                collection: label,
            };
            let url = permalink::expand(&template, &placeholders).map_err(|e| e.to_string())?;
            Ok(Some((
                url,
                Some(last_modified.unwrap_or(date)),
                dated_now && last_modified.is_none(),
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_and_collection_urls_end_as_the_site_permalink_style_says() {
        assert_eq!(
            add_permalink_suffix("/:path/:basename", "pretty"),
            "/:path/:basename/"
        );
        assert_eq!(
            add_permalink_suffix("/:path/:basename", "date"),
            "/:path/:basename:output_ext"
        );
        assert_eq!(
            add_permalink_suffix("/:path/:basename", "/:year/:title/"),
            "/:path/:basename/"
        );
        assert_eq!(
            add_permalink_suffix("/:path/:basename", "/:year/:title"),
            "/:path/:basename"
        );
        assert_eq!(extname(".htaccess"), "");
        assert_eq!(extname("a.b.md"), ".md");
        assert_eq!(output_ext(".markdown"), ".html");
        assert_eq!(output_ext(".xml"), ".xml");
    }
}
