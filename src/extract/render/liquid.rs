//! Liquid, as Jekyll 4.3 runs it on a post before Markdown: Liquid 4 in
//! `:warn` mode, `strict_variables` and `strict_filters` off (an unknown
//! variable is empty, an unknown filter passes its input through), with
//! `site`, `page`, `site.data` and Jekyll's own tags and filters.
//!
//! The engine is the `liquid` crate's core. It is strict where Jekyll is
//! lax, so [`scan`] hands it only what it can run (dropping the rest tag by
//! tag, with a warning) and [`Lax`] makes a missing variable nil. Whatever
//! still fails costs the post its Liquid (the text with every tag removed),
//! never its place in the feed.

mod filters;
mod scan;
mod state;
mod tags;
mod value;

use crate::config::SiteConfig;
use crate::error::{Location, Notice, Severity};
use crate::extract::meta::PostMeta;
use crate::yaml::{self, Mapping};
use chrono::{DateTime, FixedOffset};
use liquid_core::runtime::{RuntimeBuilder, StackFrame};
use liquid_core::{Language, Object, Runtime, Value};
use scan::tag_kind;
use state::may_read_the_clock;
use state::{brief, Lax, PostRef, PostState, Shared};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What Liquid needs to know of the site, given once per build and shared by
/// every post rendered in it. The Liquid `site` (every post's URL, title
/// and date, `_data/`) is made when the first post that uses Liquid is
/// rendered: a build whose feed posts have none pays nothing for it.
pub struct SiteContext<'a> {
    config: &'a SiteConfig,
    raw: &'a Mapping,
    source: &'a Path,
    posts: &'a [&'a PostMeta],
    site_files: &'a [crate::source::SiteFile],
    now: DateTime<FixedOffset>,
    built: std::sync::OnceLock<Built>,
    /// Set when a rendered template (a body or an include) may print the
    /// build's time: its output then holds at this build date only.
    clock: Arc<AtomicBool>,
}

/// The Liquid side of [`SiteContext`].
struct Built {
    /// `{"site": …}`.
    globals: Object,
    lang: Arc<Language>,
}

/// A post's `page` object.
pub(crate) struct Page {
    root: Object,
    /// `render_with_liquid: false`.
    pub(crate) liquid: bool,
}

impl<'a> SiteContext<'a> {
    /// `raw` is the merged configuration with every key; `posts` every post
    /// of the site (not only those in feeds); `site_files` its pages and
    /// static files; `now` the build's time (`site.time`).
    pub(crate) fn new(
        config: &'a SiteConfig,
        raw: &'a Mapping,
        source: &'a Path,
        posts: &'a [&'a PostMeta],
        site_files: &'a [crate::source::SiteFile],
        now: DateTime<FixedOffset>,
    ) -> Self {
        SiteContext {
            config,
            raw,
            source,
            posts,
            site_files,
            now,
            built: std::sync::OnceLock::new(),
            clock: Arc::new(AtomicBool::new(false)),
        }
    }

    /// True when some template rendered in this build may have printed the
    /// build's time (`site.time`, `"now"`, `"today"`): what it made holds at
    /// this build date only, so no later build may reuse it.
    pub(crate) fn read_the_clock(&self) -> bool {
        self.clock.load(Ordering::Relaxed)
    }

    /// True when some post was rendered with the Liquid `site` (which lists
    /// every post given to [`SiteContext::new`]).
    pub(crate) fn used_the_site(&self) -> bool {
        self.built.get().is_some()
    }

    /// The Liquid side, made by the first caller; a warning about a
    /// `_data` file goes to that caller's notices.
    fn built(&self, notices: &mut Vec<Notice>) -> &Built {
        self.built.get_or_init(|| {
            Built::new(
                self.config,
                self.raw,
                self.source,
                self.posts,
                self.site_files,
                self.now,
                self.clock.clone(),
                notices,
            )
        })
    }
}

impl Built {
    fn new(
        config: &SiteConfig,
        raw: &Mapping,
        source: &Path,
        posts: &[&PostMeta],
        site_files: &[crate::source::SiteFile],
        now: DateTime<FixedOffset>,
        clock: Arc<AtomicBool>,
        notices: &mut Vec<Notice>,
    ) -> Built {
        let baseurl = {
            let b = config.base.path().trim_end_matches('/');
            b.to_string()
        };
        let url = config
            .base
            .as_str()
            .trim_end_matches('/')
            .strip_suffix(baseurl.as_str())
            .unwrap_or(config.base.as_str())
            .to_string();
        let setting = |key: &str, default: &str| {
            raw.get(key)
                .and_then(yaml::scalar_string)
                .unwrap_or_else(|| default.into())
        };
        let includes_dir = source.join(setting("includes_dir", "_includes").trim());
        let data_dir = source.join(setting("data_dir", "_data").trim());

        let url_path = |m: &PostMeta| m.url.path().to_string();
        let mut files = HashMap::new();
        let mut refs = Vec::with_capacity(posts.len());
        for m in posts {
            files.insert(m.file.relative_path.clone(), url_path(m));
            let name = m.file.relative_path.rsplit('/').next().unwrap_or("");
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            let slug = crate::source::split_dated_name(name).map_or(stem, |(_, s, _)| s);
            use chrono::Datelike;
            refs.push(PostRef {
                relative_path: m.file.relative_path.clone(),
                url: url_path(m),
                ymd: (m.date.year(), m.date.month(), m.date.day()),
                slug: slug.to_string(),
            });
        }
        for f in site_files {
            files
                .entry(f.relative.clone())
                .or_insert_with(|| page_url(config, f));
        }
        let shared = Arc::new(Shared {
            includes_dir,
            clock,
            url,
            baseurl,
            tz: config.timezone,
            kramdown: config.kramdown.clone(),
            posts: refs,
            files,
            includes: Mutex::new(HashMap::new()),
        });
        let lang = Arc::new(language(&shared));

        let mut site = value::object_from_yaml(raw);
        site.insert("url".into(), Value::scalar(shared.url.clone()));
        site.insert(
            "baseurl".into(),
            raw.get("baseurl")
                .map_or(Value::scalar(""), value::from_yaml),
        );
        site.insert("time".into(), value::date(now));
        site.insert(
            "data".into(),
            Value::Object(value::read_data(&data_dir, notices)),
        );
        // Newest first, as Jekyll's `site.posts`; a few keys each, for
        // archives and "recent posts" lists in bodies.
        let list: Vec<Value> = posts
            .iter()
            .rev()
            .map(|m| {
                let mut o = Object::new();
                o.insert("title".into(), Value::scalar(m.title.clone()));
                o.insert(
                    "url".into(),
                    Value::scalar(strip_base(&url_path(m), &shared.baseurl)),
                );
                o.insert("date".into(), value::date(m.date));
                o.insert(
                    "id".into(),
                    Value::scalar(strip_base(&url_path(m), &shared.baseurl)),
                );
                o.insert("path".into(), Value::scalar(m.file.relative_path.clone()));
                o.insert("categories".into(), strings(&m.categories));
                o.insert("tags".into(), strings(&m.tags));
                Value::Object(o)
            })
            .collect();
        site.insert("posts".into(), Value::Array(list));
        let mut globals = Object::new();
        globals.insert("site".into(), Value::Object(site));
        // Jekyll's `jekyll.environment`: JEKYLL_ENV is unset in a plain build.
        let mut jekyll = Object::new();
        jekyll.insert("environment".into(), Value::scalar("development"));
        globals.insert("jekyll".into(), Value::Object(jekyll));
        Built { globals, lang }
    }
}

impl SiteContext<'_> {
    /// The post's `page`: its front matter (`defaults` applied) and what
    /// Jekyll adds.
    pub(crate) fn page(&self, meta: &PostMeta, front_matter: &Mapping) -> Page {
        let mut page = value::object_from_yaml(front_matter);
        let baseurl = self.config.base.path().trim_end_matches('/');
        let url = strip_base(meta.url.path(), baseurl);
        let name = meta.file.relative_path.rsplit('/').next().unwrap_or("");
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let slug = crate::source::split_dated_name(name).map_or(stem, |(_, s, _)| s);
        page.insert("url".into(), Value::scalar(url.clone()));
        page.insert(
            "id".into(),
            Value::scalar(url.trim_end_matches(".html").to_string()),
        );
        page.insert("date".into(), value::date(meta.date));
        page.insert("title".into(), Value::scalar(meta.title.clone()));
        page.insert("categories".into(), strings(&meta.categories));
        page.insert("tags".into(), strings(&meta.tags));
        page.insert(
            "path".into(),
            Value::scalar(meta.file.relative_path.clone()),
        );
        page.insert(
            "relative_path".into(),
            Value::scalar(meta.file.relative_path.clone()),
        );
        page.insert("slug".into(), Value::scalar(slug.to_string()));
        page.insert("ext".into(), Value::scalar(format!(".{ext}")));
        page.insert("collection".into(), Value::scalar("posts"));
        let liquid = !matches!(
            yaml::get(front_matter, "render_with_liquid"),
            Some(yaml::Value::Bool(false))
        );
        let mut root = Object::new();
        root.insert("page".into(), Value::Object(page));
        Page { root, liquid }
    }

    /// Renders `text` (a post body, or a front-matter value) as Jekyll does.
    /// `path` is the post file and `first_line` the 1-based line of the file
    /// where `text` starts, for the warnings.
    pub(crate) fn render(
        &self,
        page: &Page,
        text: &str,
        path: &Path,
        first_line: usize,
        notices: &mut Vec<Notice>,
    ) -> String {
        if !page.liquid || !has_liquid(text) {
            return text.to_string();
        }
        if may_read_the_clock(text) {
            self.clock.store(true, Ordering::Relaxed);
        }
        let built = self.built(notices);
        let mut warn = |line: Option<usize>, message: String| {
            notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(path, line.map(|l| l + first_line)),
                message,
            })
        };
        let mut scanned = scan::scan(text, &built.lang, &|n| tag_kind(&built.lang, n));
        for (line, message) in &scanned.warnings {
            warn(Some(*line), message.clone());
        }
        let runtime = RuntimeBuilder::new().set_globals(&built.globals).build();
        let runtime = StackFrame::new(runtime, &page.root);
        let runtime = Lax(runtime);
        {
            let mut state = runtime.registers().get_mut::<PostState>();
            state.calls = Arc::new(std::mem::take(&mut scanned.calls));
            state.lang = Some(built.lang.clone());
            state.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        let mut out = Vec::with_capacity(text.len() + text.len() / 4);
        // Part by part (each holds whole blocks): an error costs its part
        // the Liquid in it, never the post's other parts.
        for seg in &scanned.segments {
            let stripped = &scanned.stripped[seg.stripped.clone()];
            let elements = match liquid_core::parser::parse(
                &scanned.template[seg.template.clone()],
                &built.lang,
            ) {
                Ok(e) => e,
                Err(e) => {
                    let msg = e.to_string();
                    let line = seg.line + error_line(&msg).unwrap_or(1) - 1;
                    warn(Some(line), format!("this Liquid could not be run ({}), so its tags were removed; Jekyll stops on such an error. Fix the tag (a block left open?)", brief(&msg)));
                    out.extend_from_slice(stripped.as_bytes());
                    continue;
                }
            };
            let mut part = Vec::new();
            let result = elements
                .iter()
                .try_for_each(|e| e.render_to(&mut part, &runtime));
            match result {
                Ok(()) => out.extend_from_slice(&part),
                Err(e) => {
                    warn(Some(seg.line), format!("this Liquid could not be run ({}), so its tags were removed; Jekyll stops on such an error. Fix the tag", brief(&e.to_string())));
                    out.extend_from_slice(stripped.as_bytes());
                }
            }
        }
        let warnings = std::mem::take(&mut runtime.registers().get_mut::<PostState>().warnings);
        for (line, message) in warnings {
            warn(Some(line), message);
        }
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// The files Liquid may read besides posts (`_includes/`, `_data/`, or
/// where `includes_dir` and `data_dir` put them): (path, size, modified),
/// so a change to one is a change to the site's input.
pub(crate) fn inputs(
    source: &Path,
    raw: &Mapping,
) -> Vec<(String, u64, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    for (key, default) in [("includes_dir", "_includes"), ("data_dir", "_data")] {
        let dir = raw
            .get(key)
            .and_then(yaml::scalar_string)
            .unwrap_or_else(|| default.into());
        walk(&source.join(dir.trim()), &mut out);
    }
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<(String, u64, Option<std::time::SystemTime>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        if meta.is_dir() {
            walk(&e.path(), out);
        } else {
            out.push((
                e.path().to_string_lossy().into_owned(),
                meta.len(),
                meta.modified().ok(),
            ));
        }
    }
}

/// Jekyll's `Utils.has_liquid_construct?`: without `{%` or `{{` there is
/// nothing to run (and no front matter to read again for `page`).
pub(crate) fn has_liquid(text: &str) -> bool {
    text.contains("{%") || text.contains("{{")
}

/// Liquid's standard tags and filters (each filter lenient: Ruby's filters
/// hand back what they cannot work on), then Jekyll's, which override
/// Liquid's of the same name as they do in Jekyll.
fn language(shared: &Arc<Shared>) -> Language {
    use liquid_lib::stdlib;
    let mut lang = Language::empty();
    let tags: Vec<Box<dyn liquid_core::ParseTag>> = vec![
        Box::new(stdlib::AssignTag),
        Box::new(stdlib::BreakTag),
        Box::new(stdlib::ContinueTag),
        Box::new(stdlib::CycleTag),
        Box::new(stdlib::IncrementTag),
        Box::new(stdlib::DecrementTag),
    ];
    for t in tags {
        lang.tags.register(t.reflection().tag().to_string(), t);
    }
    let blocks: Vec<Box<dyn liquid_core::ParseBlock>> = vec![
        Box::new(stdlib::IfBlock),
        Box::new(stdlib::UnlessBlock),
        Box::new(stdlib::IfChangedBlock),
        Box::new(stdlib::ForBlock),
        Box::new(stdlib::TableRowBlock),
        Box::new(stdlib::CommentBlock),
        Box::new(stdlib::CaptureBlock),
        Box::new(stdlib::CaseBlock),
    ];
    for b in blocks {
        lang.blocks
            .register(b.reflection().start_tag().to_string(), b);
    }
    let std_filters: Vec<Box<dyn liquid_core::ParseFilter>> = vec![
        Box::new(stdlib::Abs),
        Box::new(stdlib::Append),
        Box::new(stdlib::AtLeast),
        Box::new(stdlib::AtMost),
        Box::new(stdlib::Capitalize),
        Box::new(stdlib::Ceil),
        Box::new(stdlib::Compact),
        Box::new(stdlib::Concat),
        Box::new(stdlib::Date),
        Box::new(stdlib::Default),
        Box::new(stdlib::DividedBy),
        Box::new(stdlib::Downcase),
        Box::new(stdlib::Escape),
        Box::new(stdlib::EscapeOnce),
        Box::new(stdlib::First),
        Box::new(stdlib::Floor),
        Box::new(stdlib::Join),
        Box::new(stdlib::Last),
        Box::new(stdlib::Lstrip),
        Box::new(stdlib::Map),
        Box::new(stdlib::Minus),
        Box::new(stdlib::Modulo),
        Box::new(stdlib::NewlineToBr),
        Box::new(stdlib::Plus),
        Box::new(stdlib::Prepend),
        Box::new(stdlib::Remove),
        Box::new(stdlib::RemoveFirst),
        Box::new(stdlib::Replace),
        Box::new(stdlib::ReplaceFirst),
        Box::new(stdlib::Reverse),
        Box::new(stdlib::Round),
        Box::new(stdlib::Rstrip),
        Box::new(stdlib::Size),
        Box::new(stdlib::Slice),
        Box::new(stdlib::SortNatural),
        Box::new(stdlib::Split),
        Box::new(stdlib::Strip),
        Box::new(stdlib::StripHtml),
        Box::new(stdlib::StripNewlines),
        Box::new(stdlib::Times),
        Box::new(stdlib::Truncate),
        Box::new(stdlib::TruncateWords),
        Box::new(stdlib::Uniq),
        Box::new(stdlib::Upcase),
        Box::new(stdlib::UrlDecode),
        Box::new(stdlib::UrlEncode),
    ];
    for f in std_filters {
        let name = f.reflection().name().to_string();
        lang.filters.register(name, Box::new(filters::Lenient(f)));
    }
    for name in filters::JEKYLL {
        lang.filters.register(
            name.to_string(),
            Box::new(filters::Jekyll::new(name, shared.clone())),
        );
    }
    tags::register(&mut lang, shared);
    lang
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::scalar(s.clone())).collect())
}

/// A URL path without the site's baseurl (Jekyll's `page.url`).
fn strip_base(path: &str, baseurl: &str) -> String {
    match path.strip_prefix(baseurl) {
        Some(rest) if !baseurl.is_empty() && rest.starts_with('/') => rest.to_string(),
        _ => path.to_string(),
    }
}

/// A page's or static file's URL path for `link`: a page is published as
/// `.html` at its own path (Jekyll's default page permalink), a static file
/// at its own path.
fn page_url(config: &SiteConfig, f: &crate::source::SiteFile) -> String {
    let base = config.base.path().trim_end_matches('/').to_string();
    let rel = &f.relative;
    let converted = f.front_matter
        && [".md", ".markdown", ".mkdown", ".mkd", ".mkdn", ".html"]
            .iter()
            .any(|e| rel.ends_with(e));
    if !converted {
        return format!("{base}/{rel}");
    }
    let stem = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
    if stem == "index" || stem.ends_with("/index") {
        return format!("{base}/{}", stem.trim_end_matches("index"));
    }
    if config.permalink_style == "pretty" || config.permalink.ends_with('/') {
        format!("{base}/{stem}/")
    } else {
        format!("{base}/{stem}.html")
    }
}

/// The 1-based line a pest error message points at (`--> 3:5`).
fn error_line(msg: &str) -> Option<usize> {
    let at = msg.find("--> ")?;
    msg[at + 4..].split(':').next()?.trim().parse().ok()
}
