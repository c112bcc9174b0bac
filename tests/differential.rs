//! Cached equals fresh: random sequences of changes to a generated site, and
//! after every step EVERY output of the cached build (the default command,
//! cache in `SOURCE/.feedwright-cache/`) compared byte for byte with a
//! `--no-cache` build of the same state into another folder. Through the CLI
//! binary only, as cron runs it.
//!
//! A run is a seed: the site (a Jekyll site with pages and `_data/`, or a
//! plain folder with undated posts and its configuration beside it) and
//! every change come from a seeded generator, so a failure names the seed and
//! the step list that reproduce it (a `kill -9` lands where the clock puts it,
//! so a kill step reproduces only its intent). `cargo test` runs a short
//! sequence; `.ci/differential.sh` runs thousands of steps through these
//! variables:
//!
//! - `FEEDWRIGHT_DIFF_SEED`: run this one seed (default: the fixed list below);
//! - `FEEDWRIGHT_DIFF_STEPS`: changes per seed;
//! - `FEEDWRIGHT_DIFF_POSTS`: posts the site starts with;
//! - `FEEDWRIGHT_DIFF_SECONDS`: keep running new seeds (from the first seed
//!   up) until this many seconds have passed;
//! - `FEEDWRIGHT_DIFF_BIN`: the feedwright binary to drive (default: this
//!   test's own debug build; CI passes the release build, for more steps).

use crate::util::read;
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

/// splitmix64: small, seeded, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    fn some<T: Copy + PartialEq>(&mut self, items: &[T], most: u64) -> Vec<T> {
        let n = self.below(most + 1);
        let mut out: Vec<T> = Vec::new();
        for _ in 0..n {
            let x = self.pick(items);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

const CATEGORIES: &[&str] = &["News", "Tech", "정책", "Sport"];
const TAGS: &[&str] = &["rust", "web", "feeds", "세금", "ai", "misc"];
const AUTHORS: &[&str] = &["kim", "lee"];

/// Jekyll site: `_config.yml`, `_posts/`, pages, `_data/authors.yml`. Plain
/// folder: post files (dated in the name or front matter, or not at all, so
/// dated by their file time) and the configuration outside it (`--config`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Jekyll,
    Plain,
}

#[derive(Clone, Debug)]
struct Post {
    id: usize,
    /// Relative to the source.
    path: String,
    /// A `date:` in the front matter.
    date: Option<DateTime<FixedOffset>>,
    title: String,
    categories: Vec<&'static str>,
    tags: Vec<&'static str>,
    author: Option<&'static str>,
    published: bool,
    sitemap: bool,
    last_modified: Option<DateTime<FixedOffset>>,
    body: u32,
    /// A front matter feedwright rejects (the post is an error).
    broken: bool,
    /// The file time, for posts dated by it (set explicitly, nanoseconds and all).
    mtime: Option<SystemTime>,
    /// Liquid in the body (Jekyll sites): an include, `_data/`, other
    /// posts' titles, another post's URL.
    liquid: Option<String>,
}

#[derive(Clone, Debug)]
struct Config {
    title: String,
    description: String,
    posts_limit: u32,
    future: bool,
    categories: Vec<&'static str>,
    tags: bool,
    news: bool,
    permalink: &'static str,
    timezone: &'static str,
    lang: Option<&'static str>,
    xsl: bool,
    pretty: bool,
    /// A `notes` collection with a feed (Jekyll sites): its undated
    /// documents are dated by the build date, as Jekyll's `site.time`.
    notes: bool,
    exclude: bool,
    /// `feedwright.sitemap_urls`: small, so the sitemap is cut into parts
    /// (and a cached build keeps the parts that did not change).
    sitemap_urls: Option<u32>,
}

struct Sim {
    kind: Kind,
    seed: u64,
    rng: Rng,
    root: tempfile::TempDir,
    posts: Vec<Post>,
    next_id: usize,
    config: Config,
    authors: u32,
    about: Option<u32>,
    now: DateTime<FixedOffset>,
    steps: Vec<String>,
    /// How long the last cached build took (where a kill lands).
    last_build: std::time::Duration,
}

/// The middle of the site's dates: posts fall around it, and the build
/// date wanders around it, across future posts and the news window.
fn base() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2024-03-15T12:00:00+09:00").unwrap()
}

impl Sim {
    fn new(seed: u64, posts: usize) -> Sim {
        let mut rng = Rng(seed);
        let kind = if seed.is_multiple_of(2) {
            Kind::Jekyll
        } else {
            Kind::Plain
        };
        let root = tempfile::tempdir().unwrap();
        let posts_dir = match kind {
            Kind::Jekyll => "site/_posts",
            Kind::Plain => "site",
        };
        std::fs::create_dir_all(root.path().join(posts_dir)).unwrap();
        let config = Config {
            title: "Differential".into(),
            description: "Cached equals fresh".into(),
            posts_limit: 5,
            future: false,
            categories: vec!["News", "정책"],
            tags: true,
            news: rng.chance(70),
            permalink: "date",
            timezone: "Asia/Seoul",
            lang: None,
            xsl: false,
            pretty: false,
            notes: false,
            exclude: false,
            sitemap_urls: rng.chance(50).then(|| rng.range(8, 60) as u32),
        };
        let mut sim = Sim {
            kind,
            seed,
            rng,
            root,
            posts: Vec::new(),
            next_id: 0,
            config,
            authors: 0,
            about: None,
            now: base(),
            steps: Vec::new(),
            last_build: std::time::Duration::from_millis(50),
        };
        sim.write_config();
        if kind == Kind::Jekyll {
            sim.write_authors();
            sim.write_include(0);
            std::fs::write(
                sim.source().join("index.md"),
                "---\ntitle: Home\n---\nHome.\n",
            )
            .unwrap();
        }
        for i in 0..posts {
            // Most posts long past; the newest few around the build date.
            let recent = i + 12 >= posts;
            let p = sim.new_post(recent);
            sim.write_post(&p);
            sim.posts.push(p);
        }
        sim
    }

    fn source(&self) -> PathBuf {
        self.root.path().join("site")
    }

    fn config_file(&self) -> PathBuf {
        match self.kind {
            Kind::Jekyll => self.source().join("_config.yml"),
            Kind::Plain => self.root.path().join("config.yml"),
        }
    }

    fn write_config(&self) {
        let c = &self.config;
        let mut y = format!(
            "title: {:?}\ndescription: {:?}\nurl: https://example.com\ntimezone: {}\npermalink: {}\nfuture: {}\nfeed:\n  posts_limit: {}\n",
            c.title, c.description, c.timezone, c.permalink, c.future, c.posts_limit
        );
        if !c.categories.is_empty() {
            let _ = writeln!(y, "  categories: [{}]", c.categories.join(", "));
        }
        if c.tags {
            y.push_str("  tags: true\n");
        }
        if c.notes && self.kind == Kind::Jekyll {
            y.push_str("  collections: [notes]\ncollections:\n  notes:\n    output: true\n");
        }
        if let Some(lang) = c.lang {
            let _ = writeln!(y, "lang: {lang}");
        }
        if c.exclude {
            // Leaves out every post whose name ends in 7.
            y.push_str("exclude: [\"*7.md\", \"_posts/*7.md\"]\n");
        }
        y.push_str("feedwright:\n");
        if c.news {
            y.push_str("  news:\n    name: Differential News\n    language: ko\n");
        }
        let _ = writeln!(y, "  xsl: {}\n  pretty: {}", c.xsl, c.pretty);
        if let Some(n) = c.sitemap_urls {
            let _ = writeln!(y, "  sitemap_urls: {n}");
        }
        std::fs::write(self.config_file(), y).unwrap();
    }

    fn write_authors(&self) {
        let dir = self.source().join("_data");
        std::fs::create_dir_all(&dir).unwrap();
        let y: String = AUTHORS
            .iter()
            .map(|a| {
                format!(
                    "{a}:\n  name: {a} v{}\n  email: {a}@example.com\n",
                    self.authors
                )
            })
            .collect();
        std::fs::write(dir.join("authors.yml"), y).unwrap();
    }

    fn write_include(&self, rev: u64) {
        let dir = self.source().join("_includes");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("note.html"),
            format!("<p class=\"note\">Note, revision {rev}.</p>\n"),
        )
        .unwrap();
    }

    fn write_about(&self) {
        let path = self.source().join("about.md");
        match self.about {
            Some(rev) => std::fs::write(
                path,
                format!("---\ntitle: About {rev}\nlast_modified_at: 2024-03-0{} 10:00:00 +0900\n---\nAbout us, revision {rev}.\n", rev % 9 + 1),
            )
            .unwrap(),
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// A date for a post: long past, or (`recent`) within a few days of the
    /// middle date, some after it.
    fn post_date(&mut self, recent: bool) -> DateTime<FixedOffset> {
        let minutes = if recent {
            self.rng.range(-4 * 24 * 60, 3 * 24 * 60)
        } else {
            self.rng.range(-400 * 24 * 60, -5 * 24 * 60)
        };
        base() + Duration::minutes(minutes)
    }

    fn new_post(&mut self, recent: bool) -> Post {
        let id = self.next_id;
        self.next_id += 1;
        let date = self.post_date(recent);
        // Plain folders: a third of the posts carry no date at all.
        let undated = self.kind == Kind::Plain && self.rng.chance(35);
        let in_front_matter = !undated && self.rng.chance(50);
        let path = self.post_path(id, (!undated).then_some(date));
        let mut p = Post {
            id,
            path,
            date: in_front_matter.then_some(date),
            title: format!("Post {id}"),
            categories: self.rng.some(CATEGORIES, 2),
            tags: self.rng.some(TAGS, 3),
            author: if self.kind == Kind::Jekyll && self.rng.chance(30) {
                Some(self.rng.pick(AUTHORS))
            } else {
                None
            },
            published: !self.rng.chance(3),
            sitemap: !self.rng.chance(3),
            last_modified: self
                .rng
                .chance(10)
                .then(|| date + Duration::hours(self.rng.range(1, 72))),
            body: 0,
            broken: self.rng.chance(2),
            mtime: None,
            liquid: None,
        };
        if undated {
            p.mtime = Some(self.file_time(recent));
        }
        if self.kind == Kind::Jekyll && self.rng.chance(40) {
            p.liquid = Some(match self.rng.below(4) {
                0 => "{% include note.html %}".to_string(),
                1 => "By {{ site.data.authors.kim.name }}.".to_string(),
                2 => "On {{ site.title }}; latest: {% for q in site.posts limit:2 %}{{ q.title }}, {% endfor %}".to_string(),
                _ => match self.posts.last() {
                    // Another post's URL; once that post is renamed or
                    // deleted, this one is an error, in both builds alike.
                    Some(q) => {
                        let stem = q.path.trim_start_matches("_posts/").trim_end_matches(".md").to_string();
                        format!("See [the other one]({{% post_url {stem} %}}).")
                    }
                    None => "{{ site.description }}".to_string(),
                },
            });
        }
        p
    }

    /// A file time near the site's dates, to the nanosecond (so two edits of
    /// one size never share one).
    fn file_time(&mut self, recent: bool) -> SystemTime {
        let d = self.post_date(recent);
        let nanos = self.rng.below(1_000_000_000) as u32;
        SystemTime::from(d.to_utc()) + std::time::Duration::new(0, nanos)
    }

    fn post_path(&self, id: usize, date: Option<DateTime<FixedOffset>>) -> String {
        let name = match date {
            // Dates are made at +09:00, the site's zone: the name's day is local.
            Some(d) => format!("{}-p{id}.md", d.format("%Y-%m-%d")),
            None => format!("p{id}.md"),
        };
        match self.kind {
            Kind::Jekyll => format!("_posts/{name}"),
            Kind::Plain => name,
        }
    }

    fn text(p: &Post) -> String {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "title: \"{}\"", p.title);
        if let Some(d) = p.date {
            let _ = writeln!(s, "date: {}", d.format("%Y-%m-%d %H:%M:%S %z"));
        }
        if !p.categories.is_empty() {
            let _ = writeln!(s, "categories: [{}]", p.categories.join(", "));
        }
        if !p.tags.is_empty() {
            let _ = writeln!(s, "tags: [{}]", p.tags.join(", "));
        }
        if let Some(a) = p.author {
            let _ = writeln!(s, "author: {a}");
        }
        if !p.published {
            s.push_str("published: false\n");
        }
        if !p.sitemap {
            s.push_str("sitemap: false\n");
        }
        if let Some(d) = p.last_modified {
            let _ = writeln!(s, "last_modified_at: {}", d.format("%Y-%m-%d %H:%M:%S %z"));
        }
        if p.broken {
            s.push_str("date: [not, a, date]\n");
        }
        let _ = write!(
            s,
            "---\nBody of post {} (revision {}). <a href=\"/about/\">About</a>\n\n{}\n",
            p.id,
            p.body,
            "More words. ".repeat(p.body as usize % 5 + 1)
        );
        if let Some(l) = &p.liquid {
            let _ = writeln!(s, "\n{l}");
        }
        s
    }

    fn write_post(&self, p: &Post) {
        let path = self.source().join(&p.path);
        std::fs::write(&path, Self::text(p)).unwrap();
        if let Some(t) = p.mtime {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
    }

    fn remove_post(&self, p: &Post) {
        std::fs::remove_file(self.source().join(&p.path)).unwrap();
    }

    fn cli(&self, dest: &str, cache: bool) -> Command {
        let mut c = Command::new(binary());
        c.arg("build")
            .arg(self.source())
            .arg("--dest")
            .arg(self.root.path().join(dest))
            .arg("--build-date")
            .arg(self.now.to_rfc3339())
            .arg("--quiet")
            .arg("--format")
            .arg("json")
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null());
        if self.kind == Kind::Plain {
            c.arg("--config").arg(self.config_file());
        }
        if !cache {
            c.arg("--no-cache");
        }
        c
    }

    /// Applies one random change and names it.
    fn change(&mut self) -> String {
        let roll = self.rng.below(100);
        let n = self.posts.len();
        if n == 0 || roll < 14 {
            let recent = self.rng.chance(60);
            let p = self.new_post(recent);
            self.write_post(&p);
            let what = format!("add {} ({})", p.path, Self::describe(&p));
            self.posts.push(p);
            return what;
        }
        let i = self.rng.below(n as u64) as usize;
        match roll {
            14..=23 => {
                let p = self.posts.remove(i);
                self.remove_post(&p);
                format!("delete {}", p.path)
            }
            24..=31 => {
                let mut p = self.posts[i].clone();
                p.body += 1;
                self.write_post(&p);
                self.posts[i] = p.clone();
                format!("edit the body of {}", p.path)
            }
            32..=45 => {
                let mut p = self.posts[i].clone();
                let what = match self.rng.below(8) {
                    0 => {
                        p.title = format!("Post {} retitled {}", p.id, self.rng.below(1000));
                        "title"
                    }
                    1 => {
                        p.categories = self.rng.some(CATEGORIES, 2);
                        "categories"
                    }
                    2 => {
                        p.tags = self.rng.some(TAGS, 3);
                        "tags"
                    }
                    3 => {
                        let recent = self.rng.chance(70);
                        p.date = Some(self.post_date(recent));
                        "date"
                    }
                    4 => {
                        p.published = !p.published;
                        "published"
                    }
                    5 => {
                        p.sitemap = !p.sitemap;
                        "sitemap"
                    }
                    6 => {
                        p.broken = !p.broken;
                        "broken front matter"
                    }
                    _ => {
                        p.author = match (self.kind, p.author) {
                            (Kind::Jekyll, None) => Some(self.rng.pick(AUTHORS)),
                            _ => None,
                        };
                        "author"
                    }
                };
                self.write_post(&p);
                let path = p.path.clone();
                self.posts[i] = p;
                format!("edit the front matter of {path}: {what}")
            }
            46..=51 => {
                // A new name: a new date in it, or none (plain folders).
                let mut p = self.posts[i].clone();
                self.remove_post(&p);
                let recent = self.rng.chance(60);
                let dated = self.kind == Kind::Jekyll || self.rng.chance(50);
                let date = dated.then(|| self.post_date(recent));
                let old = p.path.clone();
                p.path = self.post_path(p.id, date);
                if !dated {
                    p.date = None;
                    p.mtime = Some(self.file_time(recent));
                } else {
                    p.mtime = None;
                }
                self.write_post(&p);
                self.posts[i] = p.clone();
                format!("rename {old} to {}", p.path)
            }
            52..=59 => {
                // The same bytes; a new file time (which dates an undated post).
                let path = self.source().join(&self.posts[i].path);
                let t = if self.posts[i].mtime.is_some() {
                    let recent = self.rng.chance(60);
                    let t = self.file_time(recent);
                    self.posts[i].mtime = Some(t);
                    t
                } else {
                    SystemTime::now()
                };
                std::fs::File::options()
                    .write(true)
                    .open(&path)
                    .unwrap()
                    .set_modified(t)
                    .unwrap();
                format!("touch {}", self.posts[i].path)
            }
            60..=77 => {
                // The build date moves: hours or days, either way, across
                // future posts and the news sitemap's two-day window.
                let hours = if self.rng.chance(50) {
                    self.rng.range(-6, 6)
                } else {
                    self.rng.range(-72, 72)
                };
                let minutes = hours * 60 + self.rng.range(-30, 30);
                let mut now = self.now + Duration::minutes(minutes);
                if (now - base()).num_days().abs() > 5 {
                    now = base() + Duration::minutes(self.rng.range(-2 * 24 * 60, 2 * 24 * 60));
                }
                self.now = now;
                format!("build date {}", now.to_rfc3339())
            }
            78..=85 => {
                let c = &mut self.config;
                let what = match self.rng.below(15) {
                    0 => {
                        c.title = format!("Differential {}", self.rng.below(100));
                        "title"
                    }
                    1 => {
                        c.posts_limit = self.rng.range(1, 12) as u32;
                        "feed.posts_limit"
                    }
                    2 => {
                        c.future = !c.future;
                        "future"
                    }
                    3 => {
                        c.categories = self.rng.some(CATEGORIES, 3);
                        "feed.categories"
                    }
                    4 => {
                        c.tags = !c.tags;
                        "feed.tags"
                    }
                    5 => {
                        c.news = !c.news;
                        "feedwright.news"
                    }
                    6 => {
                        c.permalink = self.rng.pick(&[
                            "date",
                            "pretty",
                            "/:categories/:title/",
                            "/:year/:slug.html",
                        ]);
                        "permalink"
                    }
                    7 => {
                        c.timezone = self.rng.pick(&["Asia/Seoul", "UTC", "America/New_York"]);
                        "timezone"
                    }
                    8 => {
                        c.lang = self.rng.pick(&[None, Some("ko"), Some("en_US")]);
                        "lang"
                    }
                    9 => {
                        c.xsl = !c.xsl;
                        "feedwright.xsl"
                    }
                    10 => {
                        c.pretty = !c.pretty;
                        "feedwright.pretty"
                    }
                    11 => {
                        c.notes = !c.notes;
                        "feed.collections: notes"
                    }
                    12 => {
                        c.exclude = !c.exclude;
                        "exclude"
                    }
                    13 => {
                        c.sitemap_urls = match c.sitemap_urls {
                            Some(_) if self.rng.chance(50) => None,
                            _ => Some(self.rng.range(8, 60) as u32),
                        };
                        "feedwright.sitemap_urls"
                    }
                    _ => {
                        c.description =
                            format!("Cached equals fresh, take {}", self.rng.below(100));
                        "description"
                    }
                };
                self.write_config();
                format!("configuration: {what}")
            }
            86..=94 if self.kind == Kind::Jekyll => {
                let roll = self.rng.below(100);
                if roll < 20 {
                    // A collection document: dated, or undated (dated by the build).
                    let dir = self.source().join("_notes");
                    std::fs::create_dir_all(&dir).unwrap();
                    let n = self.rng.below(3);
                    let path = dir.join(format!("note-{n}.md"));
                    if path.exists() && self.rng.chance(30) {
                        std::fs::remove_file(&path).unwrap();
                        return format!("delete _notes/note-{n}.md");
                    }
                    let date = if self.rng.chance(50) {
                        let d = self.post_date(true);
                        format!("date: {}\n", d.format("%Y-%m-%d %H:%M:%S %z"))
                    } else {
                        String::new()
                    };
                    let rev = self.rng.below(100);
                    std::fs::write(
                        &path,
                        format!("---\ntitle: Note {n}.{rev}\n{date}---\nA note.\n"),
                    )
                    .unwrap();
                    return format!(
                        "write _notes/note-{n}.md ({})",
                        if date.is_empty() {
                            "undated"
                        } else {
                            date.trim()
                        }
                    );
                }
                if roll < 35 {
                    // The user's own stylesheets and robots.txt, which the outputs link or yield to.
                    let name = self
                        .rng
                        .pick(&["feed.xslt.xml", "sitemap.xsl", "robots.txt"]);
                    let path = self.source().join(name);
                    if path.exists() {
                        std::fs::remove_file(&path).unwrap();
                        return format!("delete the source's {name}");
                    }
                    let text = match name {
                        "robots.txt" => "User-agent: *\nDisallow:\n",
                        _ => "<?xml version=\"1.0\"?>\n<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"/>\n",
                    };
                    std::fs::write(&path, text).unwrap();
                    return format!("write the source's {name}");
                }
                if roll < 50 {
                    let rev = self.rng.below(1000);
                    self.write_include(rev);
                    return format!("_includes/note.html: revision {rev}");
                }
                if roll < 75 {
                    self.authors += 1;
                    self.write_authors();
                    format!("_data/authors.yml: names v{}", self.authors)
                } else {
                    self.about = match self.about {
                        Some(_) if self.rng.chance(30) => None,
                        Some(r) => Some(r + 1),
                        None => Some(0),
                    };
                    self.write_about();
                    format!("page about.md: {:?}", self.about)
                }
            }
            _ => {
                // kill -9 somewhere in a cached build; the next build recovers.
                let at = self.rng.below(self.last_build.as_millis() as u64 + 1);
                let mut child = self
                    .cli("cached", true)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                std::thread::sleep(std::time::Duration::from_millis(at));
                let _ = child.kill();
                let _ = child.wait();
                format!("kill -9 a cached build after {at} ms")
            }
        }
    }

    fn describe(p: &Post) -> String {
        let mut d = match (p.date, p.mtime) {
            (Some(d), _) => format!("date {}", d.to_rfc3339()),
            (None, Some(t)) => format!(
                "undated, file time {}",
                DateTime::<chrono::Utc>::from(t).to_rfc3339()
            ),
            (None, None) => "dated by its name".into(),
        };
        if !p.published {
            d.push_str(", unpublished");
        }
        if p.broken {
            d.push_str(", broken");
        }
        d
    }

    /// Builds with the cache and without, and compares every output.
    fn check(&mut self) -> Result<(), String> {
        let t = Instant::now();
        let cached = self.cli("cached", true).output().unwrap();
        self.last_build = t.elapsed();
        // A fresh build: no cache and an empty folder (a `--no-cache` build
        // keeps what earlier builds left, having no record of them).
        let _ = std::fs::remove_dir_all(self.root.path().join("fresh"));
        let fresh = self.cli("fresh", false).output().unwrap();
        let mut diff = String::new();
        if cached.status.code() != fresh.status.code() {
            let _ = writeln!(
                diff,
                "exit codes differ: cached {:?}, --no-cache {:?}\ncached: {}{}\n--no-cache: {}{}",
                cached.status.code(),
                fresh.status.code(),
                String::from_utf8_lossy(&cached.stdout),
                String::from_utf8_lossy(&cached.stderr),
                String::from_utf8_lossy(&fresh.stdout),
                String::from_utf8_lossy(&fresh.stderr)
            );
        }
        if fresh.status.code() == Some(2) {
            let _ = writeln!(
                diff,
                "the --no-cache build failed: {}{}",
                String::from_utf8_lossy(&fresh.stdout),
                String::from_utf8_lossy(&fresh.stderr)
            );
        }
        // What the user is told must not depend on the cache either.
        let notices = |o: &std::process::Output| {
            String::from_utf8_lossy(&o.stdout).replace(&*self.root.path().to_string_lossy(), "ROOT")
        };
        if notices(&cached).replace("ROOT/cached", "ROOT/DEST")
            != notices(&fresh).replace("ROOT/fresh", "ROOT/DEST")
        {
            let _ = writeln!(
                diff,
                "the notices differ:\n  cached:     {}\n  --no-cache: {}",
                notices(&cached),
                notices(&fresh)
            );
        }
        if !self.root.path().join("fresh/feed.xml").is_file() {
            let _ = writeln!(
                diff,
                "the --no-cache build wrote no feed.xml: nothing was compared"
            );
        }
        diff.push_str(&compare_trees(
            &self.root.path().join("cached"),
            &self.root.path().join("fresh"),
        ));
        if self.steps.len().is_multiple_of(5) {
            diff.push_str(&self.check_meta());
        }
        if diff.is_empty() {
            Ok(())
        } else {
            Err(diff)
        }
    }

    /// `meta --tags` with the cache as the last build left it equals
    /// `meta --tags --no-cache`, and names only feeds the build wrote.
    fn check_meta(&self) -> String {
        let run =
            |cache: bool| {
                // The cached variant sees the cache (and manifest) of the cached build's folder.
                let mut c = self.cli(if cache { "cached" } else { "fresh" }, cache);
                let args: Vec<_> = c.get_args().skip(1).map(|a| a.to_owned()).collect();
                c = Command::new(binary());
                c.arg("meta").arg("--tags").args(args.iter().filter(|a| {
                    !["--quiet", "--format", "json"].contains(&a.to_str().unwrap_or(""))
                }));
                let out = c.output().unwrap();
                (
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout).into_owned(),
                )
            };
        let (cached, fresh) = (run(true), run(false));
        let mut diff = String::new();
        if cached != fresh {
            let _ = writeln!(
                diff,
                "meta --tags differs:\n  cached:\n{}\n  --no-cache:\n{}",
                cached.1, fresh.1
            );
        }
        for line in fresh.1.lines() {
            let href = line
                .split("href=\"https://example.com/")
                .nth(1)
                .and_then(|h| h.strip_suffix("\">"));
            let path = href.map(|h| {
                percent_encoding::percent_decode_str(h)
                    .decode_utf8_lossy()
                    .into_owned()
            });
            if !path
                .as_ref()
                .is_some_and(|p| self.root.path().join("fresh").join(p).is_file())
            {
                let _ = writeln!(diff, "meta names a feed the build did not write: {line}");
            }
        }
        diff
    }

    fn report(&self, diff: &str) -> String {
        let mut s = format!(
            "cached output differs from a --no-cache build after step {} (seed {}, {:?} site, {} posts now, build date {})\n{diff}\nsteps:\n",
            self.steps.len(),
            self.seed,
            self.kind,
            self.posts.len(),
            self.now.to_rfc3339(),
        );
        for (i, step) in self.steps.iter().enumerate() {
            let _ = writeln!(s, "  {}. {step}", i + 1);
        }
        let _ = writeln!(
            s,
            "replay: FEEDWRIGHT_DIFF_SEED={} FEEDWRIGHT_DIFF_STEPS={} FEEDWRIGHT_DIFF_POSTS=<as run> cargo test --test main differential",
            self.seed,
            self.steps.len()
        );
        s
    }
}

/// Every regular file under `dir`, by `/`-separated relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let e = e.unwrap();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Empty when both folders hold the same files with the same bytes; else
/// what differs (for a changed file, its first differing line).
fn compare_trees(cached: &Path, fresh: &Path) -> String {
    let (a, b) = (tree(cached), tree(fresh));
    let mut out = String::new();
    for (path, bytes) in &a {
        match b.get(path) {
            None => {
                let _ = writeln!(out, "{path}: only in the cached build's output");
            }
            Some(other) if other != bytes => {
                let (x, y) = (
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(other),
                );
                let line = x
                    .lines()
                    .zip(y.lines())
                    .position(|(l, r)| l != r)
                    .unwrap_or(x.lines().count().min(y.lines().count()));
                let _ = writeln!(
                    out,
                    "{path}: differs at line {}\n  cached:     {}\n  --no-cache: {}",
                    line + 1,
                    x.lines().nth(line).unwrap_or("(end)"),
                    y.lines().nth(line).unwrap_or("(end)")
                );
            }
            Some(_) => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        let _ = writeln!(out, "{path}: only in the --no-cache build's output");
    }
    out
}

fn binary() -> PathBuf {
    std::env::var_os("FEEDWRIGHT_DIFF_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_feedwright")))
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
    })
}

/// Runs one seed; Err is the failure report.
fn run_seed(seed: u64, posts: usize, steps: usize) -> Result<(), String> {
    let mut sim = Sim::new(seed, posts);
    sim.check().map_err(|d| sim.report(&d))?;
    for _ in 0..steps {
        let step = sim.change();
        sim.steps.push(step);
        sim.check().map_err(|d| sim.report(&d))?;
    }
    Ok(())
}

/// The acceptance, short enough for `cargo test`: random changes to
/// a Jekyll site with category and tag feeds, pages, authors and a news
/// sitemap, and to a plain folder with undated posts, with the build date
/// moving; never a cached output that differs from a fresh build.
#[test]
fn a_cached_build_equals_a_fresh_one_after_every_random_change() {
    let posts = env_number("FEEDWRIGHT_DIFF_POSTS").unwrap_or(60) as usize;
    let steps = env_number("FEEDWRIGHT_DIFF_STEPS").unwrap_or(24) as usize;
    let budget = env_number("FEEDWRIGHT_DIFF_SECONDS");
    let seeds: Vec<u64> = match env_number("FEEDWRIGHT_DIFF_SEED") {
        Some(s) => vec![s],
        None => vec![16, 17],
    };
    let started = Instant::now();
    let mut ran = 0;
    // Seeds after the listed ones count up, so sites alternate between kinds.
    let mut seed = seeds.iter().copied().max().unwrap_or(0) + 1000;
    for s in seeds.iter().copied().chain(std::iter::from_fn(|| {
        // With a time budget, more seeds after the listed ones.
        let more = budget.is_some_and(|b| started.elapsed().as_secs() < b);
        more.then(|| {
            seed += 1;
            seed
        })
    })) {
        if let Err(report) = run_seed(s, posts, steps) {
            panic!("{report}");
        }
        ran += 1;
    }
    eprintln!(
        "differential: {ran} seed(s) × {steps} steps on {posts}-post sites, every output equal, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

const FEATURES_DAY_AFTER: &str = "2024-03-17T09:00:00+09:00";

fn meta(site: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
        .arg("meta")
        .arg(site)
        .args(["--build-date", FEATURES_DAY_AFTER])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// `meta` prints what it printed before the incremental engine (pinned in
/// `fixtures/meta-features-site.txt`, from the build that read every post),
/// however the cache stands: none, after a build, after an unchanged re-run.
#[test]
fn meta_answers_as_before_with_or_without_a_warm_cache() {
    let pinned = read(&crate::util::fixture("meta-features-site.txt"));
    let untagged: String = pinned.lines().take(9).map(|l| format!("{l}\n")).collect();
    assert!(pinned.lines().count() == 33 && untagged.contains("feed/News.xml"));
    let site = crate::util::fixture_copy("features-site");
    let dest = tempfile::tempdir().unwrap();
    assert_eq!(
        meta(site.path(), &["--tags", "--no-cache"]),
        (Some(0), pinned.clone())
    );
    assert_eq!(meta(site.path(), &["--tags"]), (Some(0), pinned.clone()));
    for _ in 0..2 {
        let built = Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .arg("build")
            .arg(site.path())
            .args(["--quiet", "--build-date", FEATURES_DAY_AFTER, "--dest"])
            .arg(dest.path())
            .output()
            .unwrap();
        assert_eq!(built.status.code(), Some(0), "{built:?}");
        assert!(site.path().join(".feedwright-cache").is_dir());
        assert_eq!(
            meta(
                site.path(),
                &["--tags", "--dest"]
                    .iter()
                    .copied()
                    .chain([dest.path().to_str().unwrap()])
                    .collect::<Vec<_>>()
            ),
            (Some(0), pinned.clone())
        );
        assert_eq!(
            meta(site.path(), &["--dest", dest.path().to_str().unwrap()]),
            (Some(0), untagged.clone())
        );
    }
}

/// Builds `source` into `dest` through the CLI at `date`; the outputs.
fn build_at(source: &Path, dest: &Path, date: &str, cache: bool) -> BTreeMap<String, Vec<u8>> {
    let mut c = Command::new(env!("CARGO_BIN_EXE_feedwright"));
    c.arg("build")
        .arg(source)
        .arg("--dest")
        .arg(dest)
        .args([
            "--quiet",
            "--url",
            "https://example.com",
            "--build-date",
            date,
        ])
        .env_remove("SOURCE_DATE_EPOCH");
    if !cache {
        c.arg("--no-cache");
    }
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    tree(dest)
}

/// Regression (differential seed 16, F1 in findings-16): a build date that
/// goes back (`--build-date`, or SOURCE_DATE_EPOCH from an older commit)
/// before a published post's date must not reuse outputs that list it.
#[test]
fn outputs_reused_after_the_build_date_goes_back_equal_a_fresh_build() {
    let site = tempfile::tempdir().unwrap();
    let posts = site.path().join("_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(
        site.path().join("_config.yml"),
        "title: Back\nurl: https://example.com\ntimezone: Asia/Seoul\nfeedwright:\n  news:\n    name: Back\n    language: ko\n",
    )
    .unwrap();
    std::fs::write(
        posts.join("2024-03-10-old.md"),
        "---\ntitle: Old\n---\nOld.\n",
    )
    .unwrap();
    std::fs::write(
        posts.join("2024-03-17-new.md"),
        "---\ntitle: New\n---\nNew.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let later = build_at(site.path(), out.path(), "2024-03-17T05:48:00+09:00", true);
    assert!(String::from_utf8_lossy(&later["feed.xml"]).contains("<title>New</title>"));
    let back = "2024-03-16T07:04:00+09:00";
    let cached = build_at(site.path(), out.path(), back, true);
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = build_at(site.path(), fresh_dir.path(), back, false);
    assert!(!String::from_utf8_lossy(&fresh["feed.xml"]).contains("<title>New</title>"));
    assert_eq!(compare_trees(out.path(), fresh_dir.path()), "");
    assert_eq!(cached, fresh);
}

/// Regression (the known case): a post with no date, outside git,
/// is dated by its file time, and a build date before that time dates it by
/// the build date instead; a record cached at a later build date must not
/// keep the file time.
#[test]
fn an_undated_post_follows_the_build_date_back_before_its_file_time() {
    let site = tempfile::tempdir().unwrap();
    let post = site.path().join("undated.md");
    std::fs::write(&post, "---\ntitle: Undated\n---\nNo date anywhere.\n").unwrap();
    std::fs::write(
        site.path().join("2024-03-01-dated.md"),
        "---\ntitle: Dated\n---\nDated.\n",
    )
    .unwrap();
    let file_time = DateTime::parse_from_rfc3339("2024-03-15T00:00:00Z").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&post)
        .unwrap()
        .set_modified(SystemTime::from(file_time.to_utc()))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let later = build_at(site.path(), out.path(), "2024-03-16T00:00:00Z", true);
    assert!(String::from_utf8_lossy(&later["feed.xml"]).contains("2024-03-15T00:00:00"));
    let back = "2024-03-14T00:00:00Z";
    let cached = build_at(site.path(), out.path(), back, true);
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = build_at(site.path(), fresh_dir.path(), back, false);
    let feed = String::from_utf8_lossy(&fresh["feed.xml"]).into_owned();
    assert!(
        feed.contains("<title>Undated</title>") && feed.contains("2024-03-14T00:00:00"),
        "{feed}"
    );
    assert_eq!(compare_trees(out.path(), fresh_dir.path()), "");
    assert_eq!(cached, fresh);
}
/// `build --ping` builds once: it opens each post file as often as `build`
/// alone does (counted by inotify on the posts' folder), and then tells the
/// hub about every feed.
#[cfg(target_os = "linux")]
#[test]
fn build_with_ping_opens_each_post_as_often_as_build_alone() {
    use rustix::fs::inotify;
    fn opens(site: &Path, args: &[&str]) -> (std::process::Output, BTreeMap<String, usize>) {
        let fd =
            inotify::init(inotify::CreateFlags::CLOEXEC | inotify::CreateFlags::NONBLOCK).unwrap();
        // Close events are watched too, only so that two opens of one file
        // are never adjacent in the queue: the kernel merges an event
        // identical to the one before it, which made the counts depend on
        // how the build's threads interleaved.
        inotify::add_watch(
            &fd,
            site.join("_posts"),
            inotify::WatchFlags::OPEN | inotify::WatchFlags::CLOSE,
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_feedwright"))
            .args(args)
            .args(["--build-date", FEATURES_DAY_AFTER])
            .arg(site)
            .output()
            .unwrap();
        let mut counts = BTreeMap::new();
        let mut buf = vec![std::mem::MaybeUninit::<u8>::uninit(); 1 << 16];
        let mut events = inotify::Reader::new(&fd, &mut buf);
        while let Ok(e) = events.next() {
            if !e.events().contains(inotify::ReadFlags::OPEN) {
                continue;
            }
            if let Some(name) = e.file_name() {
                *counts
                    .entry(name.to_string_lossy().into_owned())
                    .or_insert(0) += 1;
            }
        }
        (out, counts)
    }
    let (url, server) = crate::features::hub(204, 9);
    let configure = |site: &Path| {
        let config = site.join("_config.yml");
        let text = read(&config)
            .replace("hub: https://hub.example/", &format!("hub: {url}"))
            .replace("  tags: true\n", "");
        std::fs::write(&config, text).unwrap();
    };
    let alone = crate::util::fixture_copy("features-site");
    configure(alone.path());
    let pinged = crate::util::fixture_copy("features-site");
    configure(pinged.path());

    let (out, alone_opens) = opens(alone.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let (out, ping_opens) = opens(pinged.path(), &["build", "--ping"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said.lines().filter(|l| l.starts_with("pinged ")).count(),
        9,
        "{said}"
    );
    assert_eq!(server.join().unwrap().len(), 9);
    assert!(
        alone_opens.len() >= 3,
        "the posts were opened: {alone_opens:?}"
    );
    assert_eq!(
        ping_opens, alone_opens,
        "post files opened by `build --ping` vs `build`"
    );
}

/// Regression (differential seed 16, F3 in findings-16): an empty feed is
/// dated by the build date, so outputs holding one are never reused, not
/// even when the build date goes back.
#[test]
fn an_empty_feed_is_dated_anew_when_the_build_date_goes_back() {
    let site = tempfile::tempdir().unwrap();
    let posts = site.path().join("_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(
        site.path().join("_config.yml"),
        "title: Empty\nurl: https://example.com\nfeed:\n  categories: [Nothing]\n",
    )
    .unwrap();
    std::fs::write(
        posts.join("2024-03-10-post.md"),
        "---\ntitle: Post\n---\nText.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build_at(site.path(), out.path(), "2024-03-17T08:03:00+09:00", true);
    let back = "2024-03-17T02:35:00+09:00";
    let cached = build_at(site.path(), out.path(), back, true);
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = build_at(site.path(), fresh_dir.path(), back, false);
    let empty = String::from_utf8_lossy(&fresh["feed/Nothing.xml"]).into_owned();
    assert!(
        empty.contains("<updated>2024-03-17T02:35:00+09:00</updated>"),
        "{empty}"
    );
    assert_eq!(compare_trees(out.path(), fresh_dir.path()), "");
    assert_eq!(cached, fresh);
}
