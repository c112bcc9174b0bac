//! Stage 4, assemble: each output file's bytes from the selected posts —
//! the feeds (after rendering their posts' bodies), the sitemap or its index
//! and parts, the news sitemap, robots.txt and the stylesheets.

use super::read;
use super::select;
use super::survey::Site;
use crate::config::SiteConfig;
use crate::error::{Error, Location, Notice, Severity};
use crate::extract::{self, PostMeta};
use crate::feed::gather::FeedSet;
use crate::model::{AbsUrl, Feed, FeedMeta};
use crate::sitemap::SitemapUrl;
use crate::source::SiteKind;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file a build produces.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Planned {
    /// Path relative to the destination, `/`-separated.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// One feed file of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedFeed {
    /// Path relative to the destination.
    pub path: String,
    /// Its public URL.
    pub url: AbsUrl,
    /// The feed's title.
    pub title: String,
    /// Its MIME type, as `<link rel="alternate" type=…>` wants it.
    pub mime: &'static str,
    /// What it is about.
    pub scope: crate::feed::gather::Scope,
}

/// A feed format's serialiser.
type Writer = fn(&Feed) -> Result<String, crate::feed::FeedError>;

/// The feed files, whether some feed is empty, and each feed's path and URL.
pub(super) struct FeedFiles {
    pub files: Vec<Planned>,
    pub empty: bool,
    pub urls: Vec<PlannedFeed>,
}

/// The feeds' posts, rendered. A post whose body cannot be rendered (its
/// front matter was fine, but the body is damaged) is rejected from the
/// whole build, sitemap included, and the next post takes its place in the
/// feeds; so this repeats until every feed's posts rendered.
pub(super) struct Rendered<'a> {
    /// The published posts that survived, oldest first.
    pub live: Vec<&'a PostMeta>,
    /// The feeds and their posts.
    pub sets: Vec<crate::feed::gather::FeedSet<'a>>,
    /// Each feed post's entry, by relative path.
    pub entries: std::collections::HashMap<String, crate::model::Entry>,
    /// Warnings from rendering, tag-name collisions, and the rejections.
    pub notices: Vec<Notice>,
    /// The posts rejected here.
    pub failed: Vec<PathBuf>,
}

pub(super) fn render_feed_posts<'a>(
    site: &Site,
    posts: &[&'a PostMeta],
    docs: &[Vec<&'a PostMeta>],
    liquid: Option<&crate::render::liquid::SiteContext>,
) -> Rendered<'a> {
    let config = &site.config;
    let config_file = &site.config_file;
    let mut entries = std::collections::HashMap::new();
    let mut failed = std::collections::HashSet::new();
    let mut notices = Vec::new();
    loop {
        let live: Vec<&PostMeta> = posts
            .iter()
            .filter(|p| !failed.contains(p.file.relative_path.as_str()))
            .copied()
            .collect();
        let live_docs: Vec<Vec<&PostMeta>> = docs
            .iter()
            .map(|d| {
                d.iter()
                    .filter(|p| !failed.contains(p.file.relative_path.as_str()))
                    .copied()
                    .collect()
            })
            .collect();
        let mut collisions = Vec::new();
        let sets = crate::feed::gather::feed_sets(config, &live, &live_docs, &mut collisions);
        // A post in several feeds is read and rendered once.
        let mut wanted: Vec<&PostMeta> = sets
            .iter()
            .flat_map(|s| s.posts.iter().copied())
            .filter(|p| !entries.contains_key(&p.file.relative_path))
            .collect();
        wanted.sort_by(|a, b| a.file.relative_path.cmp(&b.file.relative_path));
        wanted.dedup_by(|a, b| a.file.relative_path == b.file.relative_path);
        if wanted.is_empty() {
            notices.extend(collisions.into_iter().map(|message| Notice {
                severity: Severity::Warning,
                at: Location::new(config_file, None),
                message,
            }));
            return Rendered {
                live,
                sets,
                entries,
                notices,
                failed: posts
                    .iter()
                    .chain(docs.iter().flatten())
                    .filter(|p| failed.contains(p.file.relative_path.as_str()))
                    .map(|p| p.file.path.clone())
                    .collect(),
            };
        }
        let rendered: Vec<_> = wanted
            .par_iter()
            .map(|meta| {
                let mut notices = Vec::new();
                let entry = read::whole(&meta.file.path).and_then(|bytes| {
                    extract::render_entry(meta, &bytes, config, site.kind, liquid, &mut notices)
                });
                (entry, notices)
            })
            .collect();
        for (meta, (entry, post_notices)) in wanted.iter().zip(rendered) {
            notices.extend(post_notices);
            match entry {
                Ok(entry) => {
                    entries.insert(meta.file.relative_path.clone(), entry);
                }
                Err(e) => {
                    failed.insert(meta.file.relative_path.as_str());
                    notices.push(Notice {
                        severity: Severity::Error,
                        at: e.at,
                        message: e.message,
                    });
                }
            }
        }
    }
}

/// The formats a feed is written in, in the order their files are listed:
/// MIME type and serialiser.
const FORMATS: [(&str, Writer); 3] = [
    ("application/atom+xml", crate::feed::atom::to_string),
    ("application/rss+xml", crate::feed::rss::to_string),
    ("application/feed+json", crate::feed::json::to_string),
];

/// A feed's URL in each format ([`FORMATS`] order), for the formats it is written in.
fn feed_urls(
    config: &SiteConfig,
    config_file: &Path,
    set: &FeedSet<'_>,
) -> Result<[Option<AbsUrl>; 3], Error> {
    let url_of = |path: &Option<String>| -> Result<Option<AbsUrl>, Error> {
        path.as_deref()
            .map(|path| {
                config.site_url(path).map_err(|e| Error::Config {
                    at: Location::new(config_file, None),
                    message: format!("the feed path `{path}` does not make a valid URL: {e}"),
                })
            })
            .transpose()
    };
    let [atom, rss, json] = paths(set);
    Ok([url_of(atom)?, url_of(rss)?, url_of(json)?])
}

/// The MIME type among [`FORMATS`] spelt `name`.
pub(super) fn mime(name: &str) -> Option<&'static str> {
    FORMATS.iter().map(|(m, _)| *m).find(|m| *m == name)
}

/// A feed's paths in [`FORMATS`] order.
fn paths<'s>(set: &'s FeedSet<'_>) -> [&'s Option<String>; 3] {
    [&set.paths.atom, &set.paths.rss, &set.paths.json]
}

/// Every feed file of `sets`, in the order [`feed_files`] writes them.
pub(super) fn feed_list(
    config: &SiteConfig,
    config_file: &Path,
    sets: &[FeedSet<'_>],
) -> Result<Vec<PlannedFeed>, Error> {
    let mut out = Vec::new();
    for set in sets {
        let urls = feed_urls(config, config_file, set)?;
        for ((path, url), (mime, _)) in paths(set).into_iter().zip(urls).zip(FORMATS) {
            if let (Some(path), Some(url)) = (path, url) {
                out.push(PlannedFeed {
                    path: path.clone(),
                    url,
                    title: set.title.clone(),
                    mime,
                    scope: set.scope.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Every feed (main, categories, tags) in every enabled format, validated;
/// and whether the main feed is empty.
pub(super) fn feed_files(site: &Site, rendered: &Rendered<'_>) -> Result<FeedFiles, Error> {
    let config = &site.config;
    let config_file = &site.config_file;
    let dest = &site.dest;
    let styles = crate::style::Styles::for_site(config, &site.source);
    let sets = &rendered.sets;
    let entries = &rendered.entries;
    let mut empty = false;
    let mut files = Vec::new();
    for set in sets {
        let feed_entries: Vec<crate::model::Entry> = set
            .posts
            .iter()
            .filter_map(|p| entries.get(&p.file.relative_path).cloned())
            .collect();
        // An empty feed is dated with the build date, so any empty feed
        // (main, category or tag) means the outputs change with the clock.
        let written = paths(set).iter().any(|p| p.is_some());
        empty |= written && feed_entries.is_empty();
        let [atom_url, rss_url, json_url] = feed_urls(config, config_file, set)?;
        // Posts sharing a URL were each warned about; a feed keeps the first
        // (newest) of them, as a feed with two entries of one id or guid is invalid.
        let mut seen = std::collections::HashSet::new();
        let feed_entries: Vec<crate::model::Entry> = feed_entries
            .into_iter()
            .filter(|e| seen.insert(e.id.clone()) & seen.insert(e.url.to_string()))
            .collect();
        let feed = Feed {
            meta: FeedMeta {
                title: set.title.clone(),
                description: config.description.clone(),
                home_url: config.base.clone(),
                id: None,
                atom_url,
                rss_url,
                json_url,
                language: config.language.clone(),
                author: config.author.clone(),
                empty_updated: Some(site.now),
                excerpt_only: config.excerpt_only,
                hubs: config.hubs.clone(),
                icon: config.icon.clone(),
                favicon: config.favicon.clone(),
            },
            entries: feed_entries,
        };
        let urls_now = [&feed.meta.atom_url, &feed.meta.rss_url, &feed.meta.json_url];
        for ((path, url), (mime, write)) in paths(set).into_iter().zip(urls_now).zip(FORMATS) {
            if let (Some(path), Some(_)) = (path, url) {
                let text = write(&feed).map_err(|e| Error::InvalidOutput {
                    path: dest.join(path),
                    diagnostics: vec![e.to_string()],
                })?;
                files.push(Planned {
                    path: path.clone(),
                    bytes: styles.finish_feed(mime, text.into_bytes()),
                });
            }
        }
    }
    let urls = feed_list(config, config_file, sets)?;
    Ok(FeedFiles { files, empty, urls })
}

/// The sitemap (or its index and parts), the news sitemap, and robots.txt,
/// validated; and the news sitemap's path when it has no posts to list.
pub(super) fn sitemap_and_robots(
    site: &Site,
    posts: &[&PostMeta],
    site_urls: &[SitemapUrl],
) -> Result<(Vec<Planned>, Option<String>), Error> {
    let config = &site.config;
    let kind = site.kind;
    let styles = crate::style::Styles::for_site(config, &site.source);
    let mut files = Vec::new();
    let mut sitemaps = Vec::new();
    if let Some(path) = &config.outputs.sitemap {
        let newest = posts.iter().map(|p| p.updated()).max();
        let mut urls: Vec<SitemapUrl> = Vec::with_capacity(posts.len() + site_urls.len() + 1);
        // A Jekyll site's home page is one of its pages; a plain folder
        // has none, so its home is listed, dated by the newest post.
        if kind == SiteKind::Plain {
            urls.push(SitemapUrl::new(config.base.clone(), newest));
        }
        let alternates = translations(posts);
        urls.extend(posts.iter().filter(|p| p.in_sitemap).map(|p| {
            SitemapUrl {
                loc: p.url.clone(),
                lastmod: Some(p.updated()),
                changefreq: p.changefreq.or(config.changefreq),
                priority: p.priority.or(config.priority),
                images: p.image.iter().chain(&p.images).cloned().collect(),
                alternates: alternates
                    .get(p.file.relative_path.as_str())
                    .cloned()
                    .unwrap_or_default(),
            }
        }));
        // A page at a post's URL (or listed twice) is listed once.
        let mut seen: std::collections::HashSet<&str> =
            urls.iter().map(|u| u.loc.as_str()).collect();
        let extra: Vec<SitemapUrl> = site_urls
            .iter()
            .filter(|u| seen.insert(u.loc.as_str()))
            .cloned()
            .collect();
        urls.extend(extra);
        files.extend(sitemap_files(site, &styles, path, &urls)?);
        sitemaps.push(path.as_str());
    }
    let mut news_absent = None;
    if let Some(news) = &config.news {
        let urls = news_urls(select::news(posts, site.now));
        if urls.is_empty() {
            news_absent = Some(news.path.clone());
        } else {
            let publication = crate::sitemap::NewsPublication {
                name: news.name.clone(),
                language: news.language.clone(),
            };
            files.push(Planned {
                path: news.path.clone(),
                bytes: styles.finish_sitemap(
                    crate::sitemap::news_to_string(&publication, &urls).into_bytes(),
                ),
            });
            sitemaps.push(news.path.as_str());
        }
    }
    // Never overwrite a robots.txt the user wrote.
    if !sitemaps.is_empty() && !site.source.join("robots.txt").exists() {
        let lines: String = sitemaps
            .iter()
            .filter_map(|p| config.site_url(p).ok())
            .map(|u| format!("Sitemap: {u}\n"))
            .collect();
        files.push(Planned {
            path: "robots.txt".into(),
            bytes: lines.into_bytes(),
        });
    }
    Ok((files, news_absent))
}

/// The news sitemap's articles.
fn news_urls(posts: Vec<&PostMeta>) -> Vec<crate::sitemap::NewsUrl> {
    posts
        .into_iter()
        .map(|p| crate::sitemap::NewsUrl {
            loc: p.url.clone(),
            title: p.title.clone(),
            published: p.date,
        })
        .collect()
}

/// hreflang alternates: posts that share a translation key (`ref`) and each
/// name a language list every member of their group, themselves included.
fn translations<'a>(
    posts: &[&'a PostMeta],
) -> std::collections::HashMap<&'a str, Vec<crate::sitemap::Alternate>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&PostMeta>> = Default::default();
    for p in posts.iter().filter(|p| p.in_sitemap) {
        if let (Some(key), Some(_)) = (&p.translation_key, &p.lang) {
            groups.entry(key.as_str()).or_default().push(p);
        }
    }
    let mut out = std::collections::HashMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let links: Vec<crate::sitemap::Alternate> = members
            .iter()
            .map(|m| crate::sitemap::Alternate {
                hreflang: m.lang.clone().unwrap_or_default(),
                href: m.url.clone(),
            })
            .collect();
        for m in members {
            out.insert(m.file.relative_path.as_str(), links.clone());
        }
    }
    out
}

/// The sitemap as one file, or, past the protocol's limits, as an index at
/// `path` listing parts `NAME-1.xml` … `NAME-N.xml` (`.xml.gz` when
/// `feedwright.sitemap_gzip` is set).
fn sitemap_files(
    site: &Site,
    styles: &crate::style::Styles,
    path: &str,
    urls: &[SitemapUrl],
) -> Result<Vec<Planned>, Error> {
    let config = &site.config;
    let parts = crate::sitemap::split(urls, styles.sitemap_limits());
    if parts.len() == 1 {
        return Ok(vec![Planned {
            path: path.to_string(),
            bytes: styles.finish_sitemap(crate::sitemap::to_string(urls).into_bytes()),
        }]);
    }
    let stem = path.strip_suffix(".xml").unwrap_or(path);
    let mut files = Vec::with_capacity(parts.len() + 1);
    let mut index = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let name = if config.sitemap_gzip {
            format!("{stem}-{}.xml.gz", i + 1)
        } else {
            format!("{stem}-{}.xml", i + 1)
        };
        let xml = styles.finish_sitemap(crate::sitemap::to_string(part).into_bytes());
        let bytes = if config.sitemap_gzip { gzip(&xml) } else { xml };
        index.push(SitemapUrl::new(
            config.site_url(&name).map_err(|e| Error::Config {
                at: Location::new(&site.config_file, None),
                message: format!("the sitemap part `{name}` does not make a valid URL: {e}"),
            })?,
            part.iter().filter_map(|u| u.lastmod).max(),
        ));
        files.push(Planned { path: name, bytes });
    }
    let index =
        crate::sitemap::write_index(&index, Vec::new()).expect("writing to memory does not fail");
    files.insert(
        0,
        Planned {
            path: path.to_string(),
            bytes: styles.finish_sitemap(index),
        },
    );
    Ok(files)
}

/// Gzip with a fixed header (no name, no time), so equal input gives equal bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)
        .expect("compressing in memory does not fail");
    enc.finish().expect("compressing in memory does not fail")
}

/// Two outputs at one path (or at paths a case-insensitive file system
/// merges) would overwrite each other: refuse the configuration.
pub(super) fn check_distinct_paths(config: &Path, files: &[Planned]) -> Result<(), Error> {
    let mut seen = std::collections::HashMap::new();
    for f in files {
        if let Some(first) = seen.insert(f.path.to_lowercase(), &f.path) {
            return Err(Error::Config {
                at: Location::new(config, None),
                message: format!("two outputs would be written to the same file (`{first}` and `{}`); give one of them another path", f.path),
            });
        }
    }
    Ok(())
}
