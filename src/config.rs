//! Site configuration: `_config.yml` (Jekyll's keys, jekyll-feed's `feed:` map,
//! and feedwright's own `feedwright:` map) with command-line overrides on top.

use crate::error::{Error, Location, Notice, Severity};
use crate::model::{AbsUrl, Person};
use crate::model::{ChangeFreq, Priority};
use crate::yaml::{self, Mapping, Value};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};

mod files;
pub(crate) mod kramdown;
mod options;
pub(crate) use files::{config_path, DEFAULT_CONFIG_FILES};
pub use options::BuildOptions;

/// Where each output goes, relative to the destination; `None` turns it off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputPaths {
    /// The Atom feed (jekyll-feed's `feed.path`, default `feed.xml`).
    pub atom: Option<String>,
    /// The RSS 2.0 feed (`feedwright.rss`, default `rss.xml`).
    pub rss: Option<String>,
    /// The JSON Feed 1.1 (`feedwright.json`, default `feed.json`).
    pub json: Option<String>,
    /// The sitemap (`feedwright.sitemap`, default `sitemap.xml`).
    pub sitemap: Option<String>,
}

/// A feed of one category's posts (jekyll-feed's `feed.categories`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryFeed {
    /// The category, exactly as posts name it.
    pub category: String,
    /// The Atom feed's path (jekyll-feed's `feed/<category>.xml` unless
    /// configured); the RSS and JSON feeds sit beside it as `.rss` and `.json`.
    pub path: String,
}

/// A feed of one collection's documents (jekyll-feed's `feed.collections`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionFeed {
    /// The collection's label.
    pub label: String,
    /// The Atom feed's path: the collection's `path`, else jekyll-feed's
    /// `feed/<label>.xml`.
    pub path: String,
    /// Its categories' feeds, each at `feed/<label>/<category>.xml`.
    pub categories: Vec<CategoryFeed>,
}

/// Which tags get feeds (jekyll-feed's `feed.tags`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagFeeds {
    /// Only these tags (`only`); every tag when `None`.
    pub only: Option<Vec<String>>,
    /// Never these tags (`except`).
    pub except: Vec<String>,
    /// The folder the tag feeds go in (`path`, default `feed/by_tag/`), ending in `/`.
    pub dir: String,
}

/// The Google News sitemap (`feedwright.news`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewsConfig {
    /// The publication's name, exactly as Google News knows it.
    pub name: String,
    /// The publication's language (ISO 639, such as `ko`).
    pub language: String,
    /// Where the news sitemap goes (default `sitemap-news.xml`).
    pub path: String,
}

/// One set of Jekyll's front-matter `defaults:`.
#[derive(Clone, Debug, PartialEq)]
pub struct DefaultSet {
    /// `scope.path` as written (a leading `/` removed); empty for every file.
    pub path: String,
    /// `scope.type`: `posts`, `pages`, `drafts` or a collection's label
    /// (Jekyll's deprecated singular `post`/`page`/`draft` made plural).
    pub kind: Option<String>,
    /// `values`.
    pub values: Mapping,
}

/// A collection (`collections:`), `posts` included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collection {
    /// The label: the folder is `_<label>` under `collections_dir`.
    pub label: String,
    /// `output: true`: each document is a page of its own.
    pub output: bool,
    /// The collection's own `permalink` template, if set.
    pub permalink: Option<String>,
}

/// The site's configuration, resolved and checked.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// Site title (`title`, else `name`).
    pub title: String,
    /// Site description.
    pub description: Option<String>,
    /// The site's absolute URL including `baseurl`, always ending in `/`.
    pub base: AbsUrl,
    /// The site time zone (`timezone`); UTC when unset.
    pub timezone: Tz,
    /// `lang`.
    pub language: Option<String>,
    /// The permalink template for posts (a style name already expanded).
    pub permalink: String,
    /// The site's author.
    pub author: Option<Person>,
    /// `excerpt_separator`, default a blank line.
    pub excerpt_separator: String,
    /// `future`: publish posts dated after the build date.
    pub future: bool,
    /// jekyll-feed's `feed.posts_limit` (default 10).
    pub posts_limit: usize,
    /// jekyll-feed's `feed.excerpt_only`.
    pub excerpt_only: bool,
    /// Where each output goes.
    pub outputs: OutputPaths,
    /// Write a split sitemap's parts gzipped (`feedwright.sitemap_gzip`).
    pub sitemap_gzip: bool,
    /// Most URLs in one sitemap file before it is split into parts
    /// (`feedwright.sitemap_urls`, at most the protocol's 50,000).
    pub sitemap_urls: usize,
    /// Site-wide `changefreq` for sitemap entries (`feedwright.changefreq`).
    pub changefreq: Option<ChangeFreq>,
    /// Site-wide `priority` for sitemap entries (`feedwright.priority`).
    pub priority: Option<Priority>,
    /// Feeds per category.
    pub category_feeds: Vec<CategoryFeed>,
    /// Feeds per collection other than `posts` (`feed.collections`).
    pub collection_feeds: Vec<CollectionFeed>,
    /// Feeds per tag, when enabled.
    pub tag_feeds: Option<TagFeeds>,
    /// WebSub hubs (`feedwright.hub`: a URL or a list).
    pub hubs: Vec<AbsUrl>,
    /// The feeds' large image (`feedwright.icon`).
    pub icon: Option<AbsUrl>,
    /// The feeds' small image (`feedwright.favicon`).
    pub favicon: Option<AbsUrl>,
    /// The Google News sitemap, when configured.
    pub news: Option<NewsConfig>,
    /// `exclude`: paths (relative to the source) to leave out.
    pub exclude: Vec<String>,
    /// Write feedwright's stylesheets and link them from the feeds and
    /// sitemaps (`feedwright.xsl`).
    pub xsl: bool,
    /// Indent the XML outputs (`feedwright.pretty`).
    pub pretty: bool,
    /// `include`: names Jekyll reads although they start with `.` or `_`.
    pub include: Vec<String>,
    /// Front-matter `defaults:`, in the order written.
    pub defaults: Vec<DefaultSet>,
    /// Collections other than `posts`, in the order written.
    pub collections: Vec<Collection>,
    /// `collections.posts.permalink`, which comes before the site's `permalink`.
    pub posts_permalink: Option<String>,
    /// `collections_dir` (no surrounding `/`), empty for the source itself.
    pub collections_dir: String,
    /// The site's `permalink` as written (a style name or a template): the
    /// suffix of page and collection URLs follows it.
    pub permalink_style: String,
    /// jekyll-last-modified-at is among `plugins` (or `gems`): a post's
    /// `last_modified_at` defaults to its file's last commit.
    pub git_last_modified: bool,
    /// `_data/authors.{yml,yaml,json}` (jekyll-feed's `site.data.authors`).
    pub authors: Option<Mapping>,
    /// `kramdown:`: how Markdown is rendered.
    pub(crate) kramdown: kramdown::KramdownOptions,
    /// Warnings about the configuration (values dropped or mended).
    pub notices: Vec<Notice>,
}

/// The merged configuration files with every key, as Liquid's `site` sees
/// them; empty when they cannot be read (loading the [`SiteConfig`] has
/// said why already).
pub(crate) fn raw_config(opts: &BuildOptions) -> Mapping {
    files::load(opts).map(|(m, _)| m).unwrap_or_default()
}

/// The templates behind Jekyll's named permalink styles.
pub fn permalink_style(name: &str) -> Option<&'static str> {
    Some(match name {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        _ => return None,
    })
}

impl SiteConfig {
    /// Reads the configuration for `opts`: the config files if there are any
    /// (they are optional for a plain folder), then the overrides.
    pub fn load(opts: &BuildOptions) -> Result<SiteConfig, Error> {
        let (map, files) = files::load(opts)?;
        let mut config = Self::from_files(&map, &files, opts.url.as_deref())?;
        let path = files
            .last()
            .cloned()
            .unwrap_or_else(|| opts.source.join("_config.yml"));
        // Ruby's YAML keeps the last of a repeated key, and so does the
        // merge above; say so, file by file.
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            if let Ok((_, repeated)) =
                yaml::parse_mapping_noting(text.trim_start_matches('\u{feff}'))
            {
                for key in repeated {
                    config.notices.push(Notice {
                        severity: Severity::Warning,
                        at: Location::new(file, find_key_line(file, &key)),
                        message: format!("`{key}` is given more than once; the last value is used, as Jekyll does. Remove the others"),
                    });
                }
            }
        }
        let data_dir = map
            .get("data_dir")
            .and_then(yaml::scalar_string)
            .unwrap_or_else(|| "_data".into());
        config.authors = read_authors(&opts.source.join(data_dir.trim()), &mut config.notices);
        // jekyll-feed looks the site's author up in `site.data.authors` too.
        if let Some(v) = map.get("author") {
            config.author = config.feed_author(v);
            let looked_up = match (v, &config.authors) {
                (Value::String(k), Some(a)) => a.get(k.as_str()).unwrap_or(v),
                _ => v,
            };
            if config.author.is_some() && unnamed_author(looked_up) {
                config.notices.push(Notice {
                    severity: Severity::Warning,
                    at: Location::new(&path, find_key_line(&path, "author")),
                    message: "the site's author has no `name`, so jekyll-feed writes the whole map as the name, and so does feedwright; add `name:`".into(),
                });
            }
        }
        Ok(config)
    }

    /// Resolves a parsed configuration. `path` is only used in error messages.
    // The fuzz targets' way in (see `fuzzing` in lib.rs).
    #[cfg_attr(not(fuzzing), allow(dead_code))]
    pub fn from_mapping(
        map: &Mapping,
        path: &Path,
        url_override: Option<&str>,
    ) -> Result<SiteConfig, Error> {
        Self::from_files(map, &[path.to_path_buf()], url_override)
    }

    /// Resolves the configuration merged from `files` (only used in error
    /// messages: a key is blamed on the last file that sets it).
    fn from_files(
        map: &Mapping,
        files: &[PathBuf],
        url_override: Option<&str>,
    ) -> Result<SiteConfig, Error> {
        let path = files
            .last()
            .map_or(Path::new("_config.yml"), PathBuf::as_path);
        let err = |key: &str, message: String| Error::Config {
            at: files
                .iter()
                .rev()
                .find_map(|p| Some(Location::new(p, Some(find_key_line(p, key)?))))
                .unwrap_or_else(|| Location::new(path, None)),
            message,
        };
        let string = |key: &str| {
            map.get(key)
                .and_then(yaml::scalar_string)
                .filter(|s| !s.trim().is_empty())
        };

        let url = url_override
            .map(str::to_string)
            .or_else(|| string("url"))
            .ok_or_else(|| Error::NoUrl {
                config: path.to_path_buf(),
            })?;
        let mut baseurl = string("baseurl")
            .unwrap_or_default()
            .trim()
            .trim_end_matches('/')
            .to_string();
        if !baseurl.is_empty() && !baseurl.starts_with('/') {
            baseurl.insert(0, '/');
        }
        let root = AbsUrl::parse(url.trim_end_matches('/')).map_err(|e| {
            err(
                "url",
                format!("{e}; set `url` to the site's address, such as https://example.com"),
            )
        })?;
        let base = AbsUrl::parse(&format!(
            "{}{}/",
            root.as_str().trim_end_matches('/'),
            baseurl
        ))
        .map_err(|e| err("baseurl", format!("{e}; `baseurl` should look like /blog")))?;

        let timezone = match string("timezone") {
            None => Tz::UTC,
            Some(name) => name.trim().parse::<Tz>().map_err(|_| {
                err(
                    "timezone",
                    format!("unknown time zone `{name}`; use an IANA name such as Asia/Seoul"),
                )
            })?,
        };
        let permalink = match string("permalink") {
            None => permalink_style("date").unwrap().to_string(),
            Some(p) => match permalink_style(p.trim()) {
                Some(t) => t.to_string(),
                None if p.contains('/') || p.contains(':') => p,
                None => {
                    return Err(err(
                        "permalink",
                        format!("`{p}` is neither a permalink style (date, pretty, ordinal, weekdate, none) nor a template such as /:year/:title/"),
                    ))
                }
            },
        };

        // jekyll-feed's `normalize_posts_meta`: `feed.collections.posts`'
        // `path` and `categories` stand for `feed.path` and `feed.categories`
        // when those are not set.
        let feed_owned = map
            .get("feed")
            .and_then(Value::as_mapping)
            .map(with_posts_collection);
        let feed = feed_owned.as_ref();
        let fw = map.get("feedwright").and_then(Value::as_mapping);
        let posts_limit = feed
            .and_then(|f| f.get("posts_limit"))
            .map(|v| {
                yaml::as_usize(v).ok_or_else(|| {
                    err(
                        "posts_limit",
                        "`feed.posts_limit` must be a whole number".into(),
                    )
                })
            })
            .transpose()?
            .unwrap_or(10);
        let excerpt_only = feed
            .and_then(|f| f.get("excerpt_only"))
            .and_then(yaml::as_bool)
            .unwrap_or(false);
        let output =
            |m: Option<&Mapping>, key: &str, default: &str| -> Result<Option<String>, Error> {
                match m.and_then(|m| m.get(key)) {
                    None | Some(Value::Null) => Ok(Some(default.to_string())),
                    Some(Value::Bool(false)) => Ok(None),
                    Some(Value::Bool(true)) => Ok(Some(default.to_string())),
                    Some(v) => match yaml::scalar_string(v) {
                        Some(s) if !s.trim().is_empty() => {
                            Ok(Some(s.trim().trim_start_matches('/').to_string()))
                        }
                        _ => Err(err(key, format!("`{key}` must be a file path or false"))),
                    },
                }
            };
        let outputs = OutputPaths {
            atom: output(feed, "path", "feed.xml")?,
            rss: output(fw, "rss", "rss.xml")?,
            json: output(fw, "json", "feed.json")?,
            sitemap: output(fw, "sitemap", "sitemap.xml")?,
        };
        for p in [&outputs.atom, &outputs.rss, &outputs.json, &outputs.sitemap]
            .into_iter()
            .flatten()
        {
            check_output_path(p).map_err(|m| err("path", m))?;
        }
        let fw_get = |key: &str| fw.and_then(|m| m.get(key)).filter(|v| !v.is_null());
        let link = |key: &str| -> Result<Option<AbsUrl>, Error> {
            fw_get(key)
                .map(|v| {
                    yaml::scalar_string(v)
                        .ok_or_else(|| format!("must be a URL, but it is {}", yaml::kind(v)))
                        .and_then(|u| base.join(&u).map_err(|e| e.to_string()))
                        .map_err(|m| err(key, format!("`feedwright.{key}` {m}")))
                })
                .transpose()
        };
        let hubs = match fw_get("hub") {
            None => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(v) => vec![v],
        }
        .into_iter()
        .map(|v| {
            let raw = yaml::scalar_string(v).unwrap_or_default();
            AbsUrl::parse(&raw).map_err(|e| {
                err(
                    "hub",
                    format!(
                        "`feedwright.hub` must be the hub's absolute URL or a list of them: {e}"
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
        let changefreq = fw_get("changefreq")
            .map(|v| {
                yaml::scalar_string(v)
                    .and_then(|s| s.parse::<ChangeFreq>().ok())
                    .ok_or_else(|| {
                        err(
                            "changefreq",
                            format!(
                                "`feedwright.changefreq` must be one of {}",
                                ChangeFreq::NAMES
                            ),
                        )
                    })
            })
            .transpose()?;
        let priority = fw_get("priority")
            .map(|v| {
                yaml::scalar_string(v)
                    .and_then(|s| s.parse::<Priority>().ok())
                    .ok_or_else(|| {
                        err(
                            "priority",
                            "`feedwright.priority` must be a number from 0.0 to 1.0".into(),
                        )
                    })
            })
            .transpose()?;
        let category_feeds = category_feeds(feed.and_then(|f| f.get("categories")))
            .map_err(|m| err("categories", m))?;
        let tag_feeds = tag_feeds(feed.and_then(|f| f.get("tags"))).map_err(|m| err("tags", m))?;
        let collection_feeds = collection_feeds(feed.and_then(|f| f.get("collections")))
            .map_err(|m| err("collections", m))?;
        let news = match fw_get("news") {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Mapping(m)) => {
                let s = |k: &str| {
                    m.get(k)
                        .and_then(yaml::scalar_string)
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                };
                let name = s("name").ok_or_else(|| err("news", "`feedwright.news.name` is required: the publication's name exactly as Google News knows it".into()))?;
                let language = s("language")
                    .or_else(|| {
                        string("lang").map(|l| {
                            l.split(['-', '_'])
                                .next()
                                .unwrap_or("")
                                .to_ascii_lowercase()
                        })
                    })
                    .ok_or_else(|| {
                        err(
                            "news",
                            "`feedwright.news.language` is required (such as ko or en)".into(),
                        )
                    })?;
                let path = s("path")
                    .map(|p| p.trim_start_matches('/').to_string())
                    .unwrap_or_else(|| "sitemap-news.xml".into());
                check_output_path(&path).map_err(|m| err("news", m))?;
                Some(NewsConfig {
                    name,
                    language,
                    path,
                })
            }
            Some(v) => {
                return Err(err(
                    "news",
                    format!(
                        "`feedwright.news` must be a map with `name` and `language`, but it is {}",
                        yaml::kind(v)
                    ),
                ))
            }
        };

        let switch = |key: &str| match fw_get(key) {
            None => Ok(false),
            Some(v) => yaml::as_bool(v).ok_or_else(|| {
                err(
                    key,
                    format!(
                        "`feedwright.{key}` must be true or false, but it is {}",
                        yaml::kind(v)
                    ),
                )
            }),
        };
        let (xsl, pretty) = (switch("xsl")?, switch("pretty")?);
        let author = map.get("author").and_then(|v| person_from_yaml(v, &base));
        let names = |key: &str| -> Vec<String> {
            match map.get(key) {
                Some(Value::Sequence(items)) => {
                    items.iter().filter_map(yaml::scalar_string).collect()
                }
                Some(v) => yaml::scalar_string(v).into_iter().collect(),
                None => Vec::new(),
            }
        };
        let exclude = names("exclude");
        let include = names("include");
        let mut notices = Vec::new();
        let mut warn = |key: &str, message: String| {
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(path, find_key_line(path, key)),
                message,
            })
        };
        // jekyll-feed writes `site.lang`; jekyll-seo-tag and many themes set
        // `locale` (often as a POSIX locale, `en_US`).
        let language = ["lang", "locale"].iter().find_map(|&key| {
            let raw = string(key)?;
            match crate::lang::normalize(&raw) {
                Some(tag) => Some(tag),
                None => {
                    warn(key, format!("`{key}: {raw}` is not a language tag such as ko or en-US; the feeds carry no site language"));
                    None
                }
            }
        });
        for (k, _) in map {
            let Some(k) = k.as_str() else { continue };
            if let Some(known) = near_miss(k, JEKYLL_CONFIG_KEYS) {
                warn(k, format!("`{k}` is not a key Jekyll knows, so it is ignored; did you mean `{known}`?"));
            }
        }
        for (name, known) in [("feed", JEKYLL_FEED_KEYS), ("feedwright", FEEDWRIGHT_KEYS)] {
            if let Some(m) = map.get(name).and_then(Value::as_mapping) {
                for (k, _) in m {
                    let Some(k) = k.as_str() else { continue };
                    if !known.contains(&k) {
                        let hint = near_miss(k, known).map_or_else(
                            || format!("the keys are {}", known.join(", ")),
                            |n| format!("did you mean `{n}`?"),
                        );
                        warn(
                            k,
                            format!(
                                "`{name}.{k}` is not a key of `{name}`, so it is ignored; {hint}"
                            ),
                        );
                    }
                }
            }
        }
        let kramdown = match map.get("kramdown") {
            Some(Value::Mapping(m)) => {
                let (options, problems) = kramdown::KramdownOptions::from_config(m);
                for (key, message) in problems {
                    warn(&key, message);
                }
                options
            }
            _ => Default::default(),
        };
        let sitemap_urls = match fw.and_then(|m| m.get("sitemap_urls")) {
            None | Some(Value::Null) => crate::model::SITEMAP_MAX_URLS,
            Some(v) => match yaml::as_usize(v) {
                Some(n @ 1..=crate::model::SITEMAP_MAX_URLS) => n,
                _ => {
                    warn(
                        "sitemap_urls",
                        format!(
                            "`feedwright.sitemap_urls` must be a whole number from 1 to 50,000 (the sitemap protocol's limit), but it is {}; using 50,000",
                            yaml::kind(v)
                        ),
                    );
                    crate::model::SITEMAP_MAX_URLS
                }
            },
        };
        let defaults = defaults(map.get("defaults"), &mut warn);
        let (collections, posts_permalink) = collections(map.get("collections"), &mut warn);
        let collections_dir = string("collections_dir")
            .map(|d| d.trim().trim_matches('/').to_string())
            .unwrap_or_default();
        Ok(SiteConfig {
            title: string("title")
                .or_else(|| string("name"))
                .unwrap_or_else(|| root.to_url().host_str().unwrap_or("").to_string()),
            description: string("description"),
            icon: link("icon")?,
            favicon: link("favicon")?,
            base,
            timezone,
            language,
            permalink,
            author,
            excerpt_separator: string("excerpt_separator").unwrap_or_else(|| "\n\n".to_string()),
            future: map.get("future").and_then(yaml::as_bool).unwrap_or(false),
            posts_limit,
            excerpt_only,
            outputs,
            sitemap_gzip: fw
                .and_then(|m| m.get("sitemap_gzip"))
                .and_then(yaml::as_bool)
                .unwrap_or(false),
            sitemap_urls,
            changefreq,
            priority,
            category_feeds,
            collection_feeds,
            tag_feeds,
            hubs,
            news,
            exclude,
            xsl,
            pretty,
            include,
            defaults,
            collections,
            posts_permalink,
            collections_dir,
            permalink_style: string("permalink")
                .map_or_else(|| "date".into(), |p| p.trim().to_string()),
            git_last_modified: ["plugins", "gems"].iter().any(|k| {
                names(k)
                    .iter()
                    .any(|p| p.trim() == "jekyll-last-modified-at")
            }),
            authors: None,
            kramdown,
            notices,
        })
    }

    /// An author as jekyll-feed finds it: a name that is a key of
    /// `_data/authors` stands for that entry; then `name` (a map without one
    /// is written whole, as Ruby prints it), `email` and `uri`.
    pub fn feed_author(&self, v: &Value) -> Option<Person> {
        let looked_up = match (v, &self.authors) {
            (Value::String(key), Some(authors)) => authors.get(key.as_str()).unwrap_or(v),
            _ => v,
        };
        person_from_yaml(looked_up, &self.base)
    }

    /// The `posts` template: the collection's `permalink`, else the site's.
    pub fn posts_template(&self) -> String {
        match &self.posts_permalink {
            Some(p) => permalink_style(p.trim()).map_or_else(|| p.clone(), str::to_string),
            None => self.permalink.clone(),
        }
    }

    /// Jekyll's front-matter defaults for the file at `relative_path` (from
    /// the source, `/`-separated) of type `kind` (`posts`, `pages`, a
    /// collection's label), merged as `FrontmatterDefaults#all` merges them:
    /// a set with a longer scope path, or as long and with a `type`, takes
    /// precedence; maps are merged deeply.
    pub fn defaults_for(&self, relative_path: &str, kind: &str) -> Mapping {
        let mut merged = Mapping::new();
        let mut old: Option<&DefaultSet> = None;
        for set in &self.defaults {
            if !self.scope_applies(set, relative_path, kind) {
                continue;
            }
            let precedes = match old {
                None => true,
                Some(o) if set.path.len() != o.path.len() => set.path.len() >= o.path.len(),
                Some(o) => set.kind.is_some() || o.kind.is_none(),
            };
            if precedes {
                merged = deep_merge(&merged, &set.values);
                old = Some(set);
            } else {
                merged = deep_merge(&set.values, &merged);
            }
        }
        merged
    }

    fn scope_applies(&self, set: &DefaultSet, relative_path: &str, kind: &str) -> bool {
        if set.kind.as_deref().is_some_and(|k| k != kind) {
            return false;
        }
        if set.path.is_empty() {
            return true;
        }
        let path = relative_path.trim_start_matches('/');
        // Jekyll matches a document's path below `collections_dir`.
        let scope = match self.collections_dir.as_str() {
            "" => set.path.as_str(),
            dir => set
                .path
                .strip_prefix(dir)
                .and_then(|p| p.strip_prefix('/'))
                .unwrap_or(&set.path),
        };
        if scope.contains('*') {
            // Jekyll globs the scope in the source and asks whether the file
            // lies at or below a match: so try the file and its folders.
            let Ok(glob) = globset::GlobBuilder::new(scope)
                .literal_separator(true)
                .build()
            else {
                return false;
            };
            let m = glob.compile_matcher();
            let mut prefix = String::new();
            for part in path.split('/') {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                if m.is_match(&prefix) {
                    return true;
                }
            }
            false
        } else {
            // A string prefix, as Jekyll's `path_is_subpath?` tests it.
            path.starts_with(scope)
        }
    }

    /// The absolute URL of a site path such as `/2024/01/02/post/` (baseurl is added).
    pub fn site_url(&self, path: &str) -> Result<AbsUrl, crate::model::UrlError> {
        self.base.join_path(path)
    }
}

/// Jekyll's own configuration keys (`Configuration::DEFAULTS`) and the ones
/// jekyll-feed, jekyll-sitemap and jekyll-seo-tag read: a key a letter or
/// two away from one of these is most likely a typo of it.
const JEKYLL_CONFIG_KEYS: &[&str] = &[
    "source",
    "destination",
    "collections_dir",
    "cache_dir",
    "plugins_dir",
    "layouts_dir",
    "data_dir",
    "includes_dir",
    "collections",
    "safe",
    "include",
    "exclude",
    "keep_files",
    "encoding",
    "markdown_ext",
    "strict_front_matter",
    "show_drafts",
    "limit_posts",
    "future",
    "unpublished",
    "whitelist",
    "plugins",
    "markdown",
    "highlighter",
    "lsi",
    "excerpt_separator",
    "incremental",
    "detach",
    "port",
    "host",
    "baseurl",
    "show_dir_listing",
    "permalink",
    "paginate_path",
    "timezone",
    "quiet",
    "verbose",
    "defaults",
    "liquid",
    "kramdown",
    "url",
    "title",
    "description",
    "author",
    "lang",
    "locale",
    "feed",
    "feedwright",
    "paginate",
    "gems",
    "theme",
    "name",
    "logo",
    "social",
    "twitter",
    "facebook",
    "webmaster_verifications",
    "tagline",
    "date_format",
];

/// jekyll-feed's `feed:` keys.
const JEKYLL_FEED_KEYS: &[&str] = &[
    "path",
    "posts_limit",
    "excerpt_only",
    "categories",
    "tags",
    "collections",
    "disable_in_development",
];

/// feedwright's own `feedwright:` keys.
const FEEDWRIGHT_KEYS: &[&str] = &[
    "rss",
    "json",
    "sitemap",
    "sitemap_gzip",
    "sitemap_urls",
    "changefreq",
    "priority",
    "hub",
    "icon",
    "favicon",
    "news",
    "xsl",
    "pretty",
];

/// The known key `key` most likely misspells: not itself known, and within
/// one edit (keys up to five letters) or two (longer ones) of a known key.
pub fn near_miss(key: &str, known: &[&'static str]) -> Option<&'static str> {
    if known.contains(&key) || key.len() < 3 {
        return None;
    }
    // Every post's own keys pass through here, and a site's posts repeat the
    // same few (`feature_text` in each of 100,000 posts): each thread answers
    // a key once.
    thread_local! {
        static ANSWERS: std::cell::RefCell<std::collections::HashMap<(usize, String), Option<&'static str>>> =
            Default::default();
    }
    let list = known.as_ptr() as usize;
    if let Some(answer) = ANSWERS.with(|a| a.borrow().get(&(list, key.to_string())).copied()) {
        return answer;
    }
    let limit = if key.len() <= 5 { 1 } else { 2 };
    // An edit distance is never below the difference in length.
    let chars = key.chars().count();
    let answer = known
        .iter()
        .filter(|k| k.chars().count().abs_diff(chars) <= limit)
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(d, _)| *d > 0 && *d <= limit)
        .min()
        .map(|(_, k)| k);
    ANSWERS.with(|a| {
        let mut a = a.borrow_mut();
        // Bounded: a site whose every post has keys of its own gains nothing.
        if a.len() < 4096 {
            a.insert((list, key.to_string()), answer);
        }
    });
    answer
}

/// Ruby's `Utils.deep_merge_hashes`: `over`'s values win; maps in both are merged.
pub fn deep_merge(base: &Mapping, over: &Mapping) -> Mapping {
    let mut out = base.clone();
    for (k, v) in over {
        let merged = match (out.get(k), v) {
            (Some(Value::Mapping(a)), Value::Mapping(b)) => Value::Mapping(deep_merge(a, b)),
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    out
}

/// `defaults:`: a list of `{scope: {path, type}, values: {...}}`. A set
/// Jekyll would refuse (no `values` map) is dropped with a warning, as Jekyll does.
fn defaults(v: Option<&Value>, warn: &mut impl FnMut(&str, String)) -> Vec<DefaultSet> {
    let items = match v {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(other) => {
            warn("defaults", format!("`defaults` must be a list of sets with `scope` and `values`, but it is {}; it was ignored", yaml::kind(other)));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(set) = item.as_mapping() else {
            warn(
                "defaults",
                format!(
                    "set {} of `defaults` is not a map with `scope` and `values`; it was ignored",
                    i + 1
                ),
            );
            continue;
        };
        let Some(values) = set.get("values").and_then(Value::as_mapping) else {
            warn(
                "defaults",
                format!(
                    "set {} of `defaults` has no `values` map; it was ignored",
                    i + 1
                ),
            );
            continue;
        };
        let scope = set.get("scope").and_then(Value::as_mapping);
        let path = scope
            .and_then(|s| s.get("path"))
            .and_then(yaml::scalar_string)
            .unwrap_or_default();
        let kind = scope
            .and_then(|s| s.get("type"))
            .and_then(yaml::scalar_string)
            .map(|t| match t.as_str() {
                "post" => "posts".to_string(),
                "page" => "pages".to_string(),
                "draft" => "drafts".to_string(),
                _ => t,
            });
        out.push(DefaultSet {
            path: path.strip_prefix('/').unwrap_or(&path).to_string(),
            kind,
            values: values.clone(),
        });
    }
    out
}

/// `collections:`: a list of labels or a map from label to metadata.
/// Returns the collections other than `posts`, and `posts`' own permalink.
fn collections(
    v: Option<&Value>,
    warn: &mut impl FnMut(&str, String),
) -> (Vec<Collection>, Option<String>) {
    let entries: Vec<(String, Option<&Mapping>)> = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(yaml::scalar_string)
            .map(|l| (l, None))
            .collect(),
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((yaml::scalar_string(k)?, v.as_mapping())))
            .collect(),
        Some(other) => {
            warn(
                "collections",
                format!(
                    "`collections` must be a list of names or a map, but it is {}; it was ignored",
                    yaml::kind(other)
                ),
            );
            Vec::new()
        }
    };
    let mut posts_permalink = None;
    let mut out = Vec::new();
    for (label, meta) in entries {
        let permalink = meta
            .and_then(|m| m.get("permalink"))
            .and_then(yaml::scalar_string)
            .filter(|p| !p.trim().is_empty());
        if label == "posts" {
            posts_permalink = permalink;
            continue;
        }
        out.push(Collection {
            output: meta
                .and_then(|m| m.get("output"))
                .and_then(yaml::as_bool)
                .unwrap_or(false),
            label,
            permalink,
        });
    }
    (out, posts_permalink)
}

/// jekyll-feed's `feed.categories`: a list of categories (each at
/// `feed/<category>.xml`) or a map from category to `{path: ...}`.
fn category_feeds(v: Option<&Value>) -> Result<Vec<CategoryFeed>, String> {
    let default_path = |c: &str| format!("feed/{c}.xml");
    let feeds: Vec<CategoryFeed> = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|i| {
                let c =
                    yaml::scalar_string(i).ok_or("`feed.categories` must list category names")?;
                Ok(CategoryFeed {
                    path: default_path(&c),
                    category: c,
                })
            })
            .collect::<Result<_, String>>()?,
        Some(Value::Mapping(m)) => m
            .iter()
            .map(|(k, v)| {
                let c = yaml::scalar_string(k)
                    .ok_or("`feed.categories` keys must be category names")?;
                let path = v
                    .as_mapping()
                    .and_then(|m| m.get("path"))
                    .and_then(yaml::scalar_string)
                    .map(|p| p.trim().trim_start_matches('/').to_string())
                    .unwrap_or_else(|| default_path(&c));
                Ok(CategoryFeed { category: c, path })
            })
            .collect::<Result<_, String>>()?,
        Some(v) => {
            return Err(format!(
                "`feed.categories` must be a list of category names, but it is {}",
                yaml::kind(v)
            ))
        }
    };
    for f in &feeds {
        if f.category.trim().is_empty() || f.category.chars().any(char::is_control) {
            return Err(format!(
                "`feed.categories` has an empty or unprintable category `{}`",
                f.category.escape_debug()
            ));
        }
        check_output_path(&f.path)
            .map_err(|m| format!("the feed of category `{}`: {m}", f.category))?;
    }
    Ok(feeds)
}

/// `feed` with `feed.collections.posts`' `path` and `categories` filled in
/// where `feed` itself has none (jekyll-feed's `normalize_posts_meta`).
fn with_posts_collection(feed: &Mapping) -> Mapping {
    let mut feed = feed.clone();
    let posts = match feed.get("collections") {
        Some(Value::Mapping(c)) => c.get("posts").and_then(Value::as_mapping).cloned(),
        _ => None,
    };
    for key in ["path", "categories"] {
        let set = feed.get(key).is_some_and(|v| !v.is_null());
        if let Some(v) = posts
            .as_ref()
            .and_then(|p| p.get(key))
            .filter(|v| !v.is_null())
        {
            if !set {
                feed.insert(Value::String(key.into()), v.clone());
            }
        }
    }
    feed
}

/// jekyll-feed's `feed.collections`: a list of labels, or a map from label
/// to `{path, categories}`. `posts` is the main feed (see
/// [`with_posts_collection`]), so it is not listed here.
fn collection_feeds(v: Option<&Value>) -> Result<Vec<CollectionFeed>, String> {
    let label_of = |k: &Value| {
        yaml::scalar_string(k)
            .map(|l| l.trim().to_string())
            .filter(|l| {
                !l.is_empty() && !l.contains(['/', '\\']) && !l.chars().any(char::is_control)
            })
            .ok_or_else(|| {
                format!(
                    "`feed.collections` must name collections, but it has `{}`",
                    yaml::scalar_string(k)
                        .unwrap_or_else(|| yaml::kind(k).into())
                        .escape_debug()
                )
            })
    };
    let default_path = |l: &str| format!("feed/{l}.xml");
    let feeds: Vec<CollectionFeed> = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|i| {
                let label = label_of(i)?;
                Ok(CollectionFeed {
                    path: default_path(&label),
                    label,
                    categories: Vec::new(),
                })
            })
            .collect::<Result<_, String>>()?,
        Some(Value::Mapping(m)) => m
            .iter()
            .map(|(k, v)| {
                let label = label_of(k)?;
                let meta = v.as_mapping();
                let path = meta
                    .and_then(|m| m.get("path"))
                    .and_then(yaml::scalar_string)
                    .map(|p| p.trim().trim_start_matches('/').to_string())
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| default_path(&label));
                let categories = category_feeds(meta.and_then(|m| m.get("categories")))
                    .map_err(|m| format!("`{label}`: {m}"))?
                    .into_iter()
                    .map(|c| CategoryFeed {
                        // jekyll-feed's `feed_path`: within a collection a
                        // category's feed is always `feed/<label>/<category>.xml`.
                        path: format!("feed/{label}/{}.xml", c.category),
                        category: c.category,
                    })
                    .collect();
                Ok(CollectionFeed {
                    label,
                    path,
                    categories,
                })
            })
            .collect::<Result<_, String>>()?,
        Some(v) => {
            return Err(format!(
                "`feed.collections` must be a list of collection names or a map, but it is {}",
                yaml::kind(v)
            ))
        }
    };
    let feeds: Vec<CollectionFeed> = feeds.into_iter().filter(|f| f.label != "posts").collect();
    for f in &feeds {
        check_output_path(&f.path)
            .map_err(|m| format!("the feed of collection `{}`: {m}", f.label))?;
        for c in &f.categories {
            check_output_path(&c.path).map_err(|m| {
                format!(
                    "the feed of category `{}` of `{}`: {m}",
                    c.category, f.label
                )
            })?;
        }
    }
    Ok(feeds)
}

/// jekyll-feed's `feed.tags`: `true`, or a map with `only`, `except`, `path`.
fn tag_feeds(v: Option<&Value>) -> Result<Option<TagFeeds>, String> {
    let names = |v: Option<&Value>| -> Option<Vec<String>> {
        match v? {
            Value::Sequence(items) => Some(items.iter().filter_map(yaml::scalar_string).collect()),
            other => yaml::scalar_string(other).map(|s| vec![s]),
        }
    };
    let dir = |p: Option<String>| -> Result<String, String> {
        let p = p.unwrap_or_else(|| "feed/by_tag/".into());
        let p = p.trim().trim_matches('/');
        check_output_path(p).map_err(|m| format!("`feed.tags.path`: {m}"))?;
        Ok(format!("{p}/"))
    };
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(None),
        Some(Value::Bool(true)) => Ok(Some(TagFeeds {
            dir: dir(None)?,
            ..TagFeeds::default()
        })),
        Some(Value::Mapping(m)) => Ok(Some(TagFeeds {
            only: names(m.get("only")),
            except: names(m.get("except")).unwrap_or_default(),
            dir: dir(m.get("path").and_then(yaml::scalar_string))?,
        })),
        Some(v) => Err(format!(
            "`feed.tags` must be true or a map with `only`, `except` and `path`, but it is {}",
            yaml::kind(v)
        )),
    }
}

/// Refuses output paths that could escape the destination folder.
pub fn check_output_path(p: &str) -> Result<(), String> {
    let path = Path::new(p);
    let escapes = path.is_absolute()
        || p.starts_with('\\')
        || path.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if escapes || p.is_empty() {
        Err(format!("output path `{p}` must stay inside the destination folder (no `..`, no absolute paths)"))
    } else {
        Ok(())
    }
}

/// An author given as a string (a name) or a map with `name`, `email`, `uri`
/// (or `url`). A relative `uri` is resolved against the site. A map without
/// `name` is named by the whole map as Ruby prints it, which is what
/// jekyll-feed writes (`{"twitter"=>"me"}`); [`unnamed_author`] tells when.
pub fn person_from_yaml(v: &Value, base: &AbsUrl) -> Option<Person> {
    match v {
        Value::Mapping(m) => {
            let s = |k: &str| {
                m.get(k)
                    .and_then(yaml::scalar_string)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            // jekyll-feed: `post_author.name | default: post_author`.
            let name = s("name").unwrap_or_else(|| ruby_inspect(v));
            Some(Person {
                name,
                email: s("email"),
                uri: s("uri")
                    .or_else(|| s("url"))
                    .and_then(|u| base.join(&u).ok()),
            })
        }
        Value::Sequence(items) => items.first().and_then(|v| person_from_yaml(v, base)),
        other => yaml::scalar_string(other)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .map(Person::named),
    }
}

/// True when `v` is an author map without a `name` (see [`person_from_yaml`]).
pub fn unnamed_author(v: &Value) -> bool {
    match v {
        Value::Mapping(m) => m
            .get("name")
            .and_then(yaml::scalar_string)
            .is_none_or(|n| n.trim().is_empty()),
        Value::Sequence(items) => items.first().is_some_and(unnamed_author),
        _ => false,
    }
}

/// A YAML value as Ruby's `inspect` prints the same data (Ruby 3.1).
fn ruby_inspect(v: &Value) -> String {
    match v {
        Value::Null => "nil".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    '#' => out.push('#'),
                    c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Value::Sequence(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(ruby_inspect)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Value::Mapping(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}=>{}", ruby_inspect(k), ruby_inspect(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Tagged(t) => ruby_inspect(&t.value),
    }
}

/// `DATA_DIR/authors.{yaml,yml,json,csv,tsv}` as Jekyll reads data files:
/// each that exists replaces the one before, in that order. jekyll-feed
/// looks authors up by name, which a table (CSV, TSV: a list of rows)
/// cannot answer, so a table is reported and not used.
fn read_authors(dir: &Path, notices: &mut Vec<Notice>) -> Option<Mapping> {
    let mut found: Option<Mapping> = None;
    for ext in ["yaml", "yml", "json", "csv", "tsv"] {
        let path = dir.join(format!("authors.{ext}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut warn = |line: Option<usize>, message: String| {
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&path, line),
                message,
            })
        };
        let parsed: Result<Value, (Option<usize>, String)> = match ext {
            "json" => serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| (Some(e.line()), e.to_string()))
                .and_then(|j| yaml_serde::to_value(j).map_err(|e| (None, e.to_string()))),
            "csv" | "tsv" => {
                warn(None, "jekyll-feed looks authors up by name in `site.data.authors`, which a table cannot answer; authors are not looked up. Write _data/authors.yml (name: {name: …, email: …}) instead".into());
                found = None;
                continue;
            }
            _ => yaml::parse_mapping_noting(text.trim_start_matches('\u{feff}'))
                .map(|(m, _)| Value::Mapping(m))
                .map_err(|e| (e.line, e.message)),
        };
        match parsed {
            Ok(Value::Mapping(m)) => found = Some(m),
            Ok(other) => {
                warn(None, format!("jekyll-feed looks authors up by name, so this file must be a map from name to author, but it is {}; authors are not looked up", yaml::kind(&other)));
                found = None;
            }
            Err((line, e)) => {
                warn(
                    line,
                    format!("{e}; authors are not looked up until the file is fixed"),
                );
                found = None;
            }
        }
    }
    found
}

/// The line of a top-level key in a YAML file, for error messages.
fn find_key_line(path: &Path, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `near_miss` without the length filter: the rule it shortcuts.
    fn near_miss_plain(key: &str, known: &[&'static str]) -> Option<&'static str> {
        if known.contains(&key) || key.len() < 3 {
            return None;
        }
        let limit = if key.len() <= 5 { 1 } else { 2 };
        known
            .iter()
            .map(|k| (strsim::damerau_levenshtein(key, k), *k))
            .filter(|(d, _)| *d > 0 && *d <= limit)
            .min()
            .map(|(_, k)| k)
    }

    #[test]
    fn near_miss_suggests_the_key_a_typo_meant() {
        assert_eq!(near_miss("timezon", JEKYLL_CONFIG_KEYS), Some("timezone"));
        assert_eq!(near_miss("timezone", JEKYLL_CONFIG_KEYS), None);
        assert_eq!(near_miss("feature_text", JEKYLL_CONFIG_KEYS), None);
    }

    proptest! {
        #[test]
        fn the_length_filter_never_changes_a_suggestion(
            key in "[a-z_]{0,14}|[가-힣a-z]{1,8}",
            pick in 0usize..200,
            edit in "[a-z_]?",
        ) {
            // Keys near known ones as well as random ones.
            let mut key = key;
            if pick < JEKYLL_CONFIG_KEYS.len() {
                key = format!("{}{edit}", &JEKYLL_CONFIG_KEYS[pick][1..]);
            }
            for known in [JEKYLL_CONFIG_KEYS, FEEDWRIGHT_KEYS] {
                prop_assert_eq!(near_miss(&key, known), near_miss_plain(&key, known));
            }
        }
    }
}
