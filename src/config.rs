//! Site configuration: `_config.yml` (Jekyll's keys, jekyll-feed's `feed:` map,
//! and feedwright's own `feedwright:` map) with command-line overrides on top.

use crate::error::{Error, Location};
use crate::model::{AbsUrl, Person};
use crate::sitemap::{ChangeFreq, Priority};
use crate::yaml::{self, Mapping, Value};
use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};

mod files;
pub(crate) use files::{config_path, DEFAULT_CONFIG_FILES};

/// Everything a build needs to know, gathered once by the caller (the CLI
/// parses its flags into this; the library never sees the command line).
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The site folder: a Jekyll site, or a plain folder of posts.
    pub source: PathBuf,
    /// Where outputs go; `SOURCE/_site` when `None`.
    pub dest: Option<PathBuf>,
    /// The configuration files, merged in order as Jekyll merges several
    /// (later wins); when empty, the first of `_config.yml`, `_config.yaml`
    /// and `_config.toml` in the source that exists.
    pub config_files: Vec<PathBuf>,
    /// Overrides the configuration's `url`.
    pub url: Option<String>,
    /// "Now": decides which posts are in the future and dates posts that have
    /// none. The library never reads the clock; the caller passes this in.
    pub now: DateTime<FixedOffset>,
    /// Use the build cache in `SOURCE/.feedwright-cache/` (read and write).
    pub cache: bool,
    /// How long to wait for another build that holds the destination's lock.
    pub lock_wait: std::time::Duration,
}

impl BuildOptions {
    /// Options for building `source` into its default destination at `now`:
    /// cache on, waiting up to a minute for another build.
    pub fn new(source: impl Into<PathBuf>, now: DateTime<FixedOffset>) -> Self {
        BuildOptions {
            source: source.into(),
            dest: None,
            config_files: Vec::new(),
            url: None,
            now,
            cache: true,
            lock_wait: std::time::Duration::from_secs(60),
        }
    }
}

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
    /// Site-wide `changefreq` for sitemap entries (`feedwright.changefreq`).
    pub changefreq: Option<ChangeFreq>,
    /// Site-wide `priority` for sitemap entries (`feedwright.priority`).
    pub priority: Option<Priority>,
    /// Feeds per category.
    pub category_feeds: Vec<CategoryFeed>,
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
        Self::from_files(&map, &files, opts.url.as_deref())
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

        let feed = map.get("feed").and_then(Value::as_mapping);
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

        let author = map.get("author").and_then(|v| person_from_yaml(v, &base));
        let exclude = match map.get("exclude") {
            Some(Value::Sequence(items)) => items.iter().filter_map(yaml::scalar_string).collect(),
            _ => Vec::new(),
        };
        Ok(SiteConfig {
            title: string("title")
                .or_else(|| string("name"))
                .unwrap_or_else(|| root.as_url().host_str().unwrap_or("").to_string()),
            description: string("description"),
            icon: link("icon")?,
            favicon: link("favicon")?,
            base,
            timezone,
            language: string("lang").or_else(|| string("locale")),
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
            changefreq,
            priority,
            category_feeds,
            tag_feeds,
            hubs,
            news,
            exclude,
        })
    }

    /// The absolute URL of a site path such as `/2024/01/02/post/` (baseurl is added).
    pub fn site_url(&self, path: &str) -> Result<AbsUrl, crate::model::UrlError> {
        self.base.join_path(path)
    }

    /// [`SiteConfig::site_url`] as text, without a URL parse for a plain path
    /// (see [`AbsUrl::join_path_text`]): for Atom ids, which stay text.
    pub fn site_url_text(&self, path: &str) -> Result<String, crate::model::UrlError> {
        self.base.join_path_text(path)
    }
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
/// (or `url`). A relative `uri` is resolved against the site.
pub fn person_from_yaml(v: &Value, base: &AbsUrl) -> Option<Person> {
    match v {
        Value::Mapping(m) => {
            let s = |k: &str| {
                m.get(k)
                    .and_then(yaml::scalar_string)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            let name = s("name").or_else(|| s("email"))?;
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

/// The line of a top-level key in a YAML file, for error messages.
fn find_key_line(path: &Path, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .map(|i| i + 1)
}
