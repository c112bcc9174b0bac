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
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use read::Records;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
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
    liquid: Option<&crate::extract::render::liquid::SiteContext>,
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

/// The sitemap outputs of the last build that may be left as they are: each
/// output's key (what it was made from) and whether the file is still as
/// that build left it.
pub(super) struct Reuse {
    keys: std::collections::HashMap<String, u64>,
}

impl Reuse {
    /// Nothing to reuse: every output is made.
    pub fn none() -> Self {
        Reuse {
            keys: Default::default(),
        }
    }

    /// The outputs of `keys` (path, key) whose files in `dest` still hold
    /// `stamps`.
    pub fn of(dest: &Path, keys: &[(String, u64)], stamps: &[super::survey::Stamp]) -> Self {
        let keys = keys
            .iter()
            .filter(|(path, _)| {
                stamps.iter().any(|s| {
                    &s.path == path && super::survey::Stamp::of(dest, path).as_ref() == Some(s)
                })
            })
            .cloned()
            .collect();
        Reuse { keys }
    }

    fn holds(&self, path: &str, key: u64) -> bool {
        self.keys.get(path) == Some(&key)
    }
}

/// The sitemap outputs: those made, those left as they are, and each one's
/// key; the news sitemap's path when it has no posts to list.
pub(super) struct Sitemaps {
    pub files: Vec<Planned>,
    pub kept: Vec<String>,
    pub keys: Vec<(String, u64)>,
    pub news_absent: Option<String>,
}

/// One URL of the sitemap: a post's row, or an entry made here (a page, the
/// home page, a post with alternates). Small, as a sitemap lists every post.
#[derive(Clone, Copy)]
enum Item {
    Row(usize),
    Own(usize),
}

/// An entry made here: its fragment and what cutting and keying need.
struct Own {
    bytes: Vec<u8>,
    loc: String,
    url: u64,
    hash: u64,
    lastmod: Option<DateTime<FixedOffset>>,
    needs: (bool, bool),
}

impl Own {
    fn new(u: &SitemapUrl) -> Self {
        let bytes = crate::sitemap::url_fragment(u);
        Own {
            url: crate::cache::url_hash(u.loc.as_str()),
            hash: crate::cache::hash_of(&bytes[..]),
            lastmod: u.lastmod,
            needs: crate::sitemap::fragment_needs(u),
            loc: u.loc.to_string(),
            bytes,
        }
    }
}

/// What the sitemap's items are made of.
struct Items<'r, 'a> {
    records: &'r Records<'a>,
    own: Vec<Own>,
}

impl Items<'_, '_> {
    fn len(&self, it: Item) -> usize {
        match it {
            Item::Row(i) => self.records.fragment_len(i),
            Item::Own(k) => self.own[k].bytes.len(),
        }
    }

    fn url(&self, it: Item) -> u64 {
        match it {
            Item::Row(i) => self.records.row(i).facts.url,
            Item::Own(k) => self.own[k].url,
        }
    }

    fn hash(&self, it: Item) -> u64 {
        match it {
            Item::Row(i) => self.records.row(i).facts.fragment,
            Item::Own(k) => self.own[k].hash,
        }
    }

    fn needs(&self, it: Item) -> (bool, bool) {
        match it {
            Item::Row(i) => (self.records.row(i).facts.images, false),
            Item::Own(k) => self.own[k].needs,
        }
    }

    fn fragment(&self, it: Item) -> Cow<'_, [u8]> {
        match it {
            Item::Row(i) => self.records.fragment(i),
            Item::Own(k) => Cow::Borrowed(&self.own[k].bytes),
        }
    }

    /// The newest `lastmod` of `part` (the last of equal ones, as
    /// `Iterator::max` picks).
    fn newest(&self, part: &[Item]) -> Option<DateTime<FixedOffset>> {
        let mut best: Option<(i128, Item)> = None;
        for &it in part {
            let t = match it {
                Item::Row(i) => Some(self.records.updated_instant(i)),
                Item::Own(k) => self.own[k].lastmod.map(read::instant),
            };
            if let Some(t) = t {
                if best.is_none_or(|(b, _)| t >= b) {
                    best = Some((t, it));
                }
            }
        }
        best.and_then(|(_, it)| match it {
            Item::Row(i) => Some(self.records.updated(i)),
            Item::Own(k) => self.own[k].lastmod,
        })
    }
}

/// The sitemap (or its index and parts), the news sitemap, and robots.txt.
/// A sitemap file whose key (its URLs' fragments, in order, and how it is
/// styled) is the one the last build wrote it with, and which is still as
/// that build left it, is not made again.
pub(super) fn sitemap_and_robots(
    site: &Site,
    records: &Records<'_>,
    posts: &[usize],
    site_urls: &[SitemapUrl],
    reuse: &Reuse,
) -> Result<Sitemaps, Error> {
    let config = &site.config;
    let kind = site.kind;
    let styles = crate::style::Styles::for_site(config, &site.source);
    let mut out = Sitemaps {
        files: Vec::new(),
        kept: Vec::new(),
        keys: Vec::new(),
        news_absent: None,
    };
    let mut sitemaps = Vec::new();
    if let Some(path) = &config.outputs.sitemap {
        let mut items: Vec<Item> = Vec::with_capacity(posts.len() + site_urls.len() + 1);
        let mut own = Vec::new();
        // A Jekyll site's home page is one of its pages; a plain folder
        // has none, so its home is listed, dated by the newest post.
        if kind == SiteKind::Plain {
            let newest = posts.iter().map(|&i| records.updated(i)).max();
            items.push(Item::Own(own.len()));
            own.push(Own::new(&SitemapUrl::new(config.base.clone(), newest)));
        }
        let alternates = translations(records, posts);
        for &i in posts.iter().filter(|&&i| records.row(i).facts.in_sitemap) {
            if let Some(links) = alternates.get(&i) {
                let record = records.record(i);
                if let Ok(Some(meta)) = &record.outcome {
                    let mut u = super::read::sitemap_url(meta, config);
                    u.alternates = links.clone();
                    items.push(Item::Own(own.len()));
                    own.push(Own::new(&u));
                    continue;
                }
            }
            items.push(Item::Row(i));
        }
        let mut all = Items { records, own };
        // A page at a post's URL (or listed twice) is listed once.
        let mut post_urls: Vec<(u64, usize)> = if site_urls.is_empty() {
            Vec::new()
        } else {
            items
                .iter()
                .enumerate()
                .map(|(k, &it)| (all.url(it), k))
                .collect()
        };
        post_urls.sort_unstable();
        let loc_of = |it: Item, all: &Items| -> String {
            match it {
                Item::Row(i) => match &records.record(i).outcome {
                    Ok(Some(m)) => m.url.to_string(),
                    _ => String::new(),
                },
                Item::Own(k) => all.own[k].loc.clone(),
            }
        };
        let mut own_locs: std::collections::HashSet<&str> = Default::default();
        let mut extra = Vec::new();
        for u in site_urls {
            let loc = u.loc.as_str();
            let hash = crate::cache::url_hash(loc);
            let from = post_urls.partition_point(|&(h, _)| h < hash);
            let taken = post_urls[from..]
                .iter()
                .take_while(|&&(h, _)| h == hash)
                .any(|&(_, k)| loc_of(items[k], &all) == loc);
            if !taken && own_locs.insert(loc) {
                extra.push(Own::new(u));
            }
        }
        for o in extra {
            items.push(Item::Own(all.own.len()));
            all.own.push(o);
        }
        sitemap_files(site, &all, &styles, path, &items, reuse, &mut out)?;
        sitemaps.push(path.as_str());
    }
    if let Some(news) = &config.news {
        let urls = news_urls(records, select::news(records, posts, site.now));
        if urls.is_empty() {
            out.news_absent = Some(news.path.clone());
        } else {
            let publication = crate::sitemap::NewsPublication {
                name: news.name.clone(),
                language: news.language.clone(),
            };
            out.files.push(Planned {
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
        out.files.push(Planned {
            path: "robots.txt".into(),
            bytes: lines.into_bytes(),
        });
    }
    Ok(out)
}

/// The news sitemap's articles.
fn news_urls(records: &Records<'_>, rows: Vec<usize>) -> Vec<crate::sitemap::NewsUrl> {
    rows.into_iter()
        .filter_map(|i| match records.record(i).into_owned().outcome {
            Ok(Some(p)) => Some(crate::sitemap::NewsUrl {
                loc: p.url,
                title: p.title,
                published: p.date,
            }),
            _ => None,
        })
        .collect()
}

/// hreflang alternates: posts that share a translation key (`ref`) and each
/// name a language list every member of their group, themselves included.
/// By row.
fn translations(
    records: &Records<'_>,
    posts: &[usize],
) -> std::collections::HashMap<usize, Vec<crate::sitemap::Alternate>> {
    let mut groups: std::collections::BTreeMap<String, Vec<(usize, PostMeta)>> = Default::default();
    for &i in posts {
        let facts = &records.row(i).facts;
        if !(facts.in_sitemap && facts.translated) {
            continue;
        }
        if let Ok(Some(p)) = records.record(i).into_owned().outcome {
            if let (Some(key), Some(_)) = (&p.translation_key, &p.lang) {
                groups.entry(key.clone()).or_default().push((i, p));
            }
        }
    }
    let mut out = std::collections::HashMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let links: Vec<crate::sitemap::Alternate> = members
            .iter()
            .map(|(_, m)| crate::sitemap::Alternate {
                hreflang: m.lang.clone().unwrap_or_default(),
                href: m.url.clone(),
            })
            .collect();
        for (i, _) in members {
            out.insert(*i, links.clone());
        }
    }
    out
}

/// The sitemap as one file, or, past the protocol's limits, as an index at
/// `path` listing parts `NAME-1.xml` … `NAME-N.xml` (`.xml.gz` when
/// `feedwright.sitemap_gzip` is set), cut where they stay put as posts come
/// and go ([`crate::sitemap::split_stable`]).
fn sitemap_files(
    site: &Site,
    all: &Items<'_, '_>,
    styles: &crate::style::Styles,
    path: &str,
    items: &[Item],
    reuse: &Reuse,
    out: &mut Sitemaps,
) -> Result<(), Error> {
    let config = &site.config;
    let mut limits = styles.sitemap_limits();
    limits.max_urls = config.sitemap_urls;
    let frame = crate::sitemap::to_string(&[]).len();
    let bytes: usize = items.iter().map(|&it| all.len(it)).sum();
    let styled = format!("{styles:?}");
    let key = |name: &str, part: &[Item]| {
        let mut h = crate::cache::hasher();
        (site.key_of_config, name, &styled, config.sitemap_gzip).hash(&mut h);
        for &it in part {
            all.hash(it).hash(&mut h);
        }
        h.finish()
    };
    let make = |part: &[Item]| -> Vec<u8> {
        let needs = part.iter().fold((false, false), |n, &it| {
            let m = all.needs(it);
            (n.0 | m.0, n.1 | m.1)
        });
        let fragments: Vec<Cow<[u8]>> = part.par_iter().map(|&it| all.fragment(it)).collect();
        let size = fragments.iter().map(|f| f.len()).sum();
        styles.finish_sitemap(
            crate::sitemap::from_fragments(needs, fragments.iter().map(|f| &f[..]), size)
                .into_bytes(),
        )
    };
    if items.len() <= limits.max_urls.max(1) && frame + bytes <= limits.max_bytes {
        let k = key(path, items);
        out.keys.push((path.to_string(), k));
        if reuse.holds(path, k) {
            out.kept.push(path.to_string());
        } else {
            out.files.push(Planned {
                path: path.to_string(),
                bytes: make(items),
            });
        }
        return Ok(());
    }
    let entries: Vec<(u64, usize)> = items.iter().map(|&it| (all.url(it), all.len(it))).collect();
    let parts = crate::sitemap::split_stable(&entries, limits);
    drop(entries);
    let stem = path.strip_suffix(".xml").unwrap_or(path);
    let mut index = Vec::with_capacity(parts.len());
    let mut made = Vec::new();
    for (n, range) in parts.into_iter().enumerate() {
        let part = &items[range];
        let name = if config.sitemap_gzip {
            format!("{stem}-{}.xml.gz", n + 1)
        } else {
            format!("{stem}-{}.xml", n + 1)
        };
        index.push(SitemapUrl::new(
            config.site_url(&name).map_err(|e| Error::Config {
                at: Location::new(&site.config_file, None),
                message: format!("the sitemap part `{name}` does not make a valid URL: {e}"),
            })?,
            all.newest(part),
        ));
        let k = key(&name, part);
        out.keys.push((name.clone(), k));
        if reuse.holds(&name, k) {
            out.kept.push(name);
        } else {
            made.push((name, part));
        }
    }
    let index =
        crate::sitemap::write_index(&index, Vec::new()).expect("writing to memory does not fail");
    out.files.push(Planned {
        path: path.to_string(),
        bytes: styles.finish_sitemap(index),
    });
    let gzip_on = config.sitemap_gzip;
    let parts: Vec<Planned> = made
        .into_par_iter()
        .map(|(name, part)| {
            let xml = make(part);
            Planned {
                path: name,
                bytes: if gzip_on { gzip(&xml) } else { xml },
            }
        })
        .collect();
    out.files.extend(parts);
    Ok(())
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
