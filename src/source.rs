//! Finding the post files of a site.
//!
//! A Jekyll site (it has `_config.yml` or `_posts/`) publishes the files under
//! every `_posts/` folder, recursively; folders above a `_posts/` become
//! categories, as in Jekyll. A plain folder publishes every post-like file in it.

use crate::error::{Error, Location, Notice, Severity};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The kind of source folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// `_config.yml` and/or `_posts/`: Jekyll's rules apply (dated file names).
    Jekyll,
    /// A folder that itself holds the posts; dates in names are optional.
    Plain,
}

/// Extensions of files that can be posts in a plain folder.
pub const POST_EXTENSIONS: &[&str] = &[
    "md", "markdown", "mkd", "mkdn", "mdown", "html", "htm", "txt",
];

/// Extensions rendered as Markdown (Jekyll's `markdown_ext`).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mkd", "mkdn", "mdown", "mkdown"];

/// One post file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostFile {
    /// The file on disk.
    pub path: PathBuf,
    /// The path relative to the source folder, with `/` separators (Jekyll's `relative_path`).
    pub relative_path: String,
    /// Categories from the folders above `_posts/` (Jekyll site only).
    pub path_categories: Vec<String>,
    /// Size in bytes, when it was read: by discovery, or from the opened
    /// file when the build cache keeps it. 0 otherwise.
    pub size: u64,
    /// Modification time, when it was read (as `size`), or when the post has
    /// no date in its name and may need it for one.
    pub modified: Option<std::time::SystemTime>,
}

/// The result of looking through a source folder.
///
/// Kept compact (one name per file, folders shared) because an unchanged
/// re-run needs nothing more than names, sizes and times: [`PostFile`]s are
/// made only when posts are read.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The folders that hold posts, in walk order (sorted by name at each level).
    pub dirs: Vec<PostDir>,
    /// The post files, folder by folder in `dirs` order, sorted by name within
    /// one ([`discover`] sorts them; [`Discovery::sort`] does it again).
    pub files: Vec<Found>,
    /// Files passed over that a user may have meant as posts.
    pub notices: Vec<Notice>,
}

/// A folder that holds posts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDir {
    /// The folder on disk.
    pub path: PathBuf,
    /// Its path relative to the source, `/`-separated (empty for the source itself).
    pub relative: String,
    /// Categories from the folders above `_posts/` (Jekyll site only).
    pub categories: Vec<String>,
}

/// One post file as discovery saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index into [`Discovery::dirs`].
    pub dir: u32,
    /// The file name.
    pub name: Box<str>,
    /// Size in bytes (0 when it could not be read).
    pub size: u64,
    /// Modification time, when it could be read.
    pub modified: Option<std::time::SystemTime>,
}

impl Discovery {
    /// How many post files were found.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Puts the files in walk order: folder by folder, by name within one.
    pub fn sort(&mut self) {
        rayon::slice::ParallelSliceMut::par_sort_unstable_by(&mut self.files[..], |a, b| {
            a.dir.cmp(&b.dir).then_with(|| a.name.cmp(&b.name))
        });
    }

    /// The full record of one found file.
    pub fn post_file(&self, f: &Found) -> PostFile {
        let dir = &self.dirs[f.dir as usize];
        PostFile {
            path: join_name(&dir.path, &f.name),
            relative_path: if dir.relative.is_empty() {
                f.name.to_string()
            } else {
                let mut r = String::with_capacity(dir.relative.len() + 1 + f.name.len());
                r.push_str(&dir.relative);
                r.push('/');
                r.push_str(&f.name);
                r
            },
            path_categories: dir.categories.clone(),
            size: f.size,
            modified: f.modified,
        }
    }
}

/// `dir.join(name)` for a name from a folder listing (one component, never
/// absolute), in one allocation: `Path::join` copies the folder, then grows
/// the copy, for each of a build's post files.
fn join_name(dir: &Path, name: &str) -> PathBuf {
    #[cfg(unix)]
    {
        let d = dir.as_os_str();
        let mut p = std::ffi::OsString::with_capacity(d.len() + 1 + name.len());
        p.push(d);
        if !d.is_empty() && !d.as_encoded_bytes().ends_with(b"/") {
            p.push("/");
        }
        p.push(name);
        PathBuf::from(p)
    }
    #[cfg(not(unix))]
    dir.join(name)
}

/// Decides whether `source` is a Jekyll site or a plain folder of posts.
pub fn site_kind(source: &Path) -> SiteKind {
    let config = crate::config::DEFAULT_CONFIG_FILES
        .iter()
        .any(|name| source.join(name).is_file());
    if config || source.join("_posts").is_dir() {
        SiteKind::Jekyll
    } else {
        SiteKind::Plain
    }
}

/// The parts of a Jekyll post file name `YYYY-MM-DD-slug.ext`: (date, slug, extension).
/// Asked of every post file several times, so it reads bytes; its plain
/// spelling is kept beside it as a test.
pub fn split_dated_name(file_name: &str) -> Option<(&str, &str, &str)> {
    let dot = memchr::memrchr(b'.', file_name.as_bytes()).filter(|&i| i + 1 < file_name.len())?;
    let (stem, ext) = (&file_name[..dot], &file_name[dot + 1..]);
    let b = stem.as_bytes();
    // `lo..=hi` digits from `at`, then `-`: where the next part starts.
    let part = |at: usize, lo: usize, hi: usize| {
        let n = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        ((lo..=hi).contains(&n) && b.get(at + n) == Some(&b'-')).then_some(at + n + 1)
    };
    let month = part(0, 2, 4)?;
    let day = part(month, 1, 2)?;
    let slug = part(day, 1, 2)?;
    Some((&stem[..slug - 1], &stem[slug..], ext))
}

/// Jekyll leaves out names starting with `.`, `_` or `#`, and backups ending in `~`.
fn is_special(name: &str) -> bool {
    name.starts_with(['.', '_', '#']) || name.ends_with('~')
}

/// Finds the posts of `source`, never looking inside `dest`, leaving the
/// files of each folder in the order the folder listed them (see [`Discovery::sort`]). An unchanged re-run needs only the
/// set of files, and at 100,000 posts sorting them was a tenth of its time.
pub(crate) fn discover_unsorted(
    source: &Path,
    dest: &Path,
    kind: SiteKind,
    exclude: &[String],
    stat: StatFiles,
) -> Result<Discovery, Error> {
    if !source.is_dir() {
        return Err(Error::Source {
            path: source.to_path_buf(),
            message: "is not a folder; pass the site folder (with _config.yml or _posts/) or a folder of posts".into(),
        });
    }
    let mut out = Discovery::default();
    let walker = Walker {
        root: source,
        dest: dest.canonicalize().unwrap_or_else(|_| dest.to_path_buf()),
        exclude,
        stat,
    };
    match kind {
        SiteKind::Jekyll => walker.find_posts_dirs(source, &mut Vec::new(), &mut out),
        SiteKind::Plain => walker.collect(source, &[], kind, &mut out),
    }
    out.notices.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(out)
}

/// When discovery reads each post file's size and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatFiles {
    /// While listing the folders: a cache will be checked against them.
    Now,
    /// Not at all: with no cache to check, every post is opened anyway, and
    /// asking the open file is cheaper than looking its name up again
    /// (see [`Opener::open`]).
    WhenOpened,
}

struct Walker<'a> {
    root: &'a Path,
    dest: PathBuf,
    exclude: &'a [String],
    stat: StatFiles,
}

impl Walker<'_> {
    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(self.root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Why a symbolic link in a posts folder is not followed, if it is not:
    /// links to folders (they can loop) and links that leave the site (a
    /// post must not publish a file from elsewhere on the machine). A
    /// dangling link is followed, so reading it fails with an error.
    fn refuse_link(&self, path: &Path) -> Option<String> {
        let root = self.root.canonicalize().ok()?;
        match path.canonicalize() {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Some(format!("is a symbolic link that cannot be followed ({e}); remove it")),
            Err(_) => None,
            Ok(target) if target.is_dir() => Some(format!(
                "is a symbolic link to a folder ({}); feedwright does not follow folder links, which can loop; move the posts here instead",
                target.display()
            )),
            Ok(target) if !target.is_file() => Some(format!(
                "is a symbolic link to {}, which is not a regular file; skipped",
                target.display()
            )),
            Ok(target) if !target.starts_with(&root) => Some(format!(
                "is a symbolic link to {}, outside the site; not published (a post may not publish a file from elsewhere on the machine)",
                target.display()
            )),
            Ok(_) => None,
        }
    }

    fn skip_dir(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        path.canonicalize().map(|p| p == self.dest).unwrap_or(false)
            || self.exclude.iter().any(|e| rel == e.trim_matches('/'))
            || matches!(
                rel.as_str(),
                "node_modules" | "vendor" | "_site" | ".feedwright-cache"
            )
    }

    /// Sorted entries of a folder.
    fn entries(
        &self,
        dir: &Path,
        out: &mut Discovery,
    ) -> Vec<(String, std::fs::DirEntry, std::fs::FileType)> {
        let Some(rd) = read_dir(dir, out) else {
            return Vec::new();
        };
        let mut v: Vec<_> = rd
            .filter_map(Result::ok)
            .filter_map(|e| {
                let ft = e.file_type().ok()?;
                Some((e.file_name().to_string_lossy().into_owned(), e, ft))
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn find_posts_dirs(&self, dir: &Path, cats: &mut Vec<String>, out: &mut Discovery) {
        for (name, entry, ft) in self.entries(dir, out) {
            let path = entry.path();
            // Symbolic links to folders are not followed: a link loop must not hang the build.
            if !ft.is_dir() || self.skip_dir(&path) {
                continue;
            }
            if name == "_posts" {
                self.collect(&path, cats, SiteKind::Jekyll, out);
            } else if !is_special(&name) {
                cats.push(name);
                self.find_posts_dirs(&path, cats, out);
                cats.pop();
            }
        }
    }

    fn collect(&self, dir: &Path, cats: &[String], kind: SiteKind, out: &mut Discovery) {
        let Some(rd) = read_dir(dir, out) else {
            return;
        };
        let index = out.dirs.len() as u32;
        out.dirs.push(PostDir {
            path: dir.to_path_buf(),
            relative: self.relative(dir),
            categories: cats.to_vec(),
        });
        let mut subdirs = Vec::new();
        let mut found: Vec<Found> = Vec::new();
        // Size and modification time key the build cache, and on a warm
        // re-run statting every post is most of the work: stat batches on the
        // thread pool while this thread goes on reading the folder. Nothing
        // here waits on the batches but the scope's end, which runs any the
        // pool has not taken: a pool of one thread (one core) must not block.
        let statted = std::sync::Mutex::new(Vec::new());
        rayon::scope(|scope| {
            let mut batch = Vec::with_capacity(STAT_BATCH);
            for entry in rd.filter_map(Result::ok) {
                let Ok(ft) = entry.file_type() else { continue };
                let name = entry
                    .file_name()
                    .into_string()
                    .unwrap_or_else(|os| os.to_string_lossy().into_owned());
                if is_special(&name) {
                    continue;
                }
                if ft.is_dir() {
                    subdirs.push((name, entry.path()));
                    continue;
                }
                if !ft.is_file() && !ft.is_symlink() {
                    // A FIFO or device would block or never end when read.
                    out.notices.push(Notice {
                        severity: Severity::Warning,
                        at: Location::new(&entry.path(), None),
                        message: "is not a regular file (a pipe, socket or device); skipped".into(),
                    });
                    continue;
                }
                if ft.is_symlink() {
                    if let Some(message) = self.refuse_link(&entry.path()) {
                        out.notices.push(Notice {
                            severity: Severity::Warning,
                            at: Location::new(&entry.path(), None),
                            message,
                        });
                        continue;
                    }
                }
                let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
                let post_like = POST_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(ext));
                let accept = match kind {
                    SiteKind::Jekyll => {
                        let dated = split_dated_name(&name).is_some();
                        if !dated && post_like && !ext.eq_ignore_ascii_case("txt") {
                            out.notices.push(Notice {
                                severity: Severity::Warning,
                                at: Location::new(&entry.path(), None),
                                message: "not published: a post's file name must start with its date, as in 2024-03-15-title.md".into(),
                            });
                        }
                        dated
                    }
                    SiteKind::Plain => post_like,
                };
                if !accept {
                    continue;
                }
                if self.stat == StatFiles::WhenOpened {
                    found.push(Found {
                        dir: index,
                        name: name.into_boxed_str(),
                        size: 0,
                        modified: None,
                    });
                    continue;
                }
                batch.push((name, ft.is_symlink()));
                if batch.len() == STAT_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(STAT_BATCH));
                    let statted = &statted;
                    scope.spawn(move |_| {
                        let done = stat_batch(dir, index, full);
                        statted.lock().unwrap_or_else(|e| e.into_inner()).push(done);
                    });
                }
            }
            found.extend(stat_batch(dir, index, batch));
        });
        for done in statted.into_inner().unwrap_or_else(|e| e.into_inner()) {
            found.extend(done);
        }
        out.files.append(&mut found);
        subdirs.sort();
        for (_, path) in subdirs {
            if !self.skip_dir(&path) {
                self.collect(&path, cats, kind, out);
            }
        }
    }
}

/// Opens a folder; an unreadable one is reported, not fatal.
fn read_dir(dir: &Path, out: &mut Discovery) -> Option<std::fs::ReadDir> {
    match std::fs::read_dir(dir) {
        Ok(rd) => Some(rd),
        Err(e) => {
            out.notices.push(Notice {
                severity: Severity::Error,
                at: Location::new(dir, None),
                message: format!("could not read this folder ({e}); check its permissions"),
            });
            None
        }
    }
}

const STAT_BATCH: usize = 2048;

/// Fills in size and modification time of files in the folder `path`,
/// statting them by name relative to the folder (no full path walk), and
/// symbolic links by their target.
fn stat_batch(path: &Path, dir: u32, batch: Vec<(String, bool)>) -> Vec<Found> {
    let stat = Folder::open(path);
    batch
        .into_iter()
        .map(|(name, link)| {
            let (size, modified) = stat.size_and_time(&name, link).unwrap_or((0, None));
            Found {
                dir,
                name: name.into_boxed_str(),
                size,
                modified,
            }
        })
        .collect()
}

/// One folder, opened to stat and open its files by name.
struct Folder<'a> {
    /// Each batch opens the folder itself: threads sharing the listing's
    /// descriptor contend on its reference count in every call (an
    /// unchanged 100,000-post re-run took a fifth longer).
    #[cfg(unix)]
    fd: std::io::Result<rustix::fd::OwnedFd>,
    #[cfg_attr(unix, allow(dead_code))]
    path: &'a Path,
}

impl<'a> Folder<'a> {
    fn open(path: &'a Path) -> Self {
        Folder {
            #[cfg(unix)]
            fd: rustix::fs::open(
                path,
                rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            )
            .map_err(std::io::Error::from),
            path,
        }
    }

    #[cfg(unix)]
    fn size_and_time(&self, name: &str, follow: bool) -> Option<(u64, Option<SystemTime>)> {
        use rustix::fs::{statat, AtFlags};
        let fd = self.fd.as_ref().ok()?;
        let flags = if follow {
            AtFlags::empty()
        } else {
            AtFlags::SYMLINK_NOFOLLOW
        };
        let st = statat(fd, name, flags).ok()?;
        #[allow(clippy::unnecessary_cast)] // the field types differ between systems
        let time = system_time(st.st_mtime as i64, st.st_mtime_nsec as u32);
        Some((st.st_size as u64, time))
    }

    /// Opens a file of the folder for reading.
    #[cfg(unix)]
    fn open_file(&self, name: &str) -> std::io::Result<std::fs::File> {
        use rustix::fs::{openat, Mode, OFlags};
        let fd = self
            .fd
            .as_ref()
            .map_err(|e| std::io::Error::new(e.kind(), e.to_string()))?;
        Ok(openat(fd, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?.into())
    }

    #[cfg(not(unix))]
    fn open_file(&self, name: &str) -> std::io::Result<std::fs::File> {
        std::fs::File::open(self.path.join(name))
    }

    #[cfg(not(unix))]
    fn size_and_time(&self, name: &str, follow: bool) -> Option<(u64, Option<SystemTime>)> {
        let path = self.path.join(name);
        let m = if follow {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        m.ok().map(|m| (m.len(), m.modified().ok()))
    }
}

/// Opens found post files, relative to folder descriptors of its own (see
/// [`Folder`]): one per thread, so make one per parallel task.
pub(crate) struct Opener<'a> {
    found: &'a Discovery,
    folders: Vec<Option<Folder<'a>>>,
}

impl<'a> Opener<'a> {
    pub(crate) fn new(found: &'a Discovery) -> Self {
        Opener {
            found,
            folders: Vec::new(),
        }
    }

    /// Opens `f` for reading, without walking its full path.
    pub(crate) fn open(&mut self, f: &Found) -> std::io::Result<std::fs::File> {
        let i = f.dir as usize;
        if self.folders.len() <= i {
            self.folders.resize_with(i + 1, || None);
        }
        let found = self.found;
        self.folders[i]
            .get_or_insert_with(|| Folder::open(&found.dirs[i].path))
            .open_file(&f.name)
    }
}

/// A file time from seconds and nanoseconds since 1970, as the standard
/// library reads it (`-1 s + 0.5 s` is half a second before 1970).
#[cfg_attr(not(unix), allow(dead_code))]
fn system_time(secs: i64, nanos: u32) -> Option<SystemTime> {
    let whole = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    whole?.checked_add(Duration::from_nanos(u64::from(nanos)))
}

/// When each file of a git work tree was added and last changed, by commit
/// time: what dates a post that has no date anywhere, and (with
/// jekyll-last-modified-at) its `last_modified_at`, the same in every clone
/// whatever its file times.
#[derive(Debug, Default)]
pub struct GitDates {
    /// Path relative to the source → (first commit, last commit), Unix seconds.
    files: std::collections::HashMap<String, (i64, i64)>,
    /// A shallow clone: the oldest commit it holds stands for all history.
    pub shallow: bool,
}

impl GitDates {
    /// (added, last changed) of the file at `relative` (from the source).
    pub fn of(&self, relative: &str) -> Option<(i64, i64)> {
        self.files.get(relative).copied()
    }
}

/// Reads the commit dates of every file under `source`, in one `git log`
/// pass (one process for the whole site, not one per file). `None` when
/// `source` is not inside a git work tree or git cannot be run.
///
/// The git command line rather than a library: it is what made the
/// checkout, so it reads every repository format and configuration the
/// user's clone has, and it costs the build no dependency.
pub fn git_dates(source: &Path) -> Option<GitDates> {
    // Cheap first: no `.git` above the source, no process at all.
    let abs = source.canonicalize().ok()?;
    if !abs.ancestors().any(|a| a.join(".git").exists()) {
        return None;
    }
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(&abs)
            .args(["-c", "core.quotepath=off"])
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let shallow = git(&["rev-parse", "--is-shallow-repository"])?;
    let shallow = String::from_utf8_lossy(&shallow.stdout).trim() == "true";
    // Newest first: a file's first sighting is its last change, its last
    // sighting the commit that added it.
    let log = git(&[
        "log",
        "--format=%x01%ct",
        "--name-only",
        "--relative",
        "--",
        ".",
    ])?;
    let mut files: std::collections::HashMap<String, (i64, i64)> = Default::default();
    let mut time = None;
    for line in String::from_utf8_lossy(&log.stdout).lines() {
        if let Some(t) = line.strip_prefix('\u{1}') {
            time = t.trim().parse::<i64>().ok();
        } else if let (Some(t), false) = (time, line.is_empty()) {
            files
                .entry(line.to_string())
                .and_modify(|e| e.0 = t)
                .or_insert((t, t));
        }
    }
    Some(GitDates { files, shallow })
}

/// A file of a Jekyll site other than a post, as Jekyll's reader sorts it:
/// a page (front matter, outside collections), a document of an `output`
/// collection, or a static file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// The file on disk.
    pub path: PathBuf,
    /// The path from the source, `/`-separated.
    pub relative: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time.
    pub modified: Option<SystemTime>,
    /// True when the file starts with a `---` line (Jekyll's `has_yaml_header?`).
    pub front_matter: bool,
    /// The collection of a document (with the collection's folder, relative
    /// to the source); `None` for pages and static files.
    pub collection: Option<(String, String)>,
}

/// Jekyll's default `exclude` entries (`Configuration::DEFAULT_EXCLUDES`).
const DEFAULT_EXCLUDES: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

/// Jekyll's `EntryFilter`: which names its reader passes over.
struct EntryFilter {
    exclude: Vec<globset::GlobMatcher>,
    exclude_raw: Vec<String>,
    include: Vec<globset::GlobMatcher>,
    include_raw: Vec<String>,
}

impl EntryFilter {
    fn new(exclude: &[String], include: &[String]) -> Self {
        // `File.fnmatch?` without flags: `*` crosses `/`.
        let glob = |p: &String| {
            globset::GlobBuilder::new(p)
                .literal_separator(false)
                .build()
                .ok()
                .map(|g| g.compile_matcher())
        };
        let clean = |p: &String| p.trim_start_matches('/').to_string();
        let exclude_raw: Vec<String> = exclude
            .iter()
            .chain(
                &DEFAULT_EXCLUDES
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            )
            .filter(|e| !include.contains(e))
            .map(clean)
            .collect();
        let include_raw: Vec<String> = include.iter().map(clean).collect();
        EntryFilter {
            exclude: exclude_raw.iter().filter_map(glob).collect(),
            include: include_raw.iter().filter_map(glob).collect(),
            exclude_raw,
            include_raw,
        }
    }

    /// `glob_include?`: a glob match, a string prefix, or the folder itself.
    fn matches(globs: &[globset::GlobMatcher], raw: &[String], entry: &str, is_dir: bool) -> bool {
        globs.iter().any(|g| g.is_match(entry))
            || raw
                .iter()
                .any(|p| entry.starts_with(p.as_str()) || (is_dir && *p == format!("{entry}/")))
    }

    /// Whether the reader passes over `name`, found in the folder `dir`
    /// (relative to the source, empty for the source itself).
    fn rejects(&self, dir: &str, name: &str, is_dir: bool) -> bool {
        if name.ends_with('.') {
            return true;
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        let included = Self::matches(&self.include, &self.include_raw, name, is_dir)
            || Self::matches(&self.include, &self.include_raw, base, is_dir);
        let relative = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        if !included && Self::matches(&self.exclude, &self.exclude_raw, &relative, is_dir) {
            return true;
        }
        if included {
            return false;
        }
        let special = |s: &str| s.starts_with(['.', '_', '#', '~']);
        special(name) || special(base) || name.ends_with('~')
    }
}

/// Jekyll's `Utils.has_yaml_header?`: the file starts with `---`, optional
/// white space, and a line end.
fn has_yaml_header(path: &Path) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 64];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut buf).unwrap_or(0);
    let head = &buf[..n];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.starts_with(b"---")
        && head[3..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .any(|&b| b == b'\n')
}

/// The pages, static files and `output` collection documents of a Jekyll
/// site, walked as Jekyll's `Reader` walks it (its `EntryFilter`: `_`, `.`,
/// `#` and `~` names, `exclude` and `include`; `_posts` are found by
/// [`discover`]). Sorted by path.
pub fn discover_site_files(
    source: &Path,
    dest: &Path,
    exclude: &[String],
    include: &[String],
    collections: &[(String, String)],
) -> Vec<SiteFile> {
    let filter = EntryFilter::new(exclude, include);
    let dest = dest.canonicalize().unwrap_or_else(|_| dest.to_path_buf());
    let mut out = Vec::new();
    walk_pages(source, "", &dest, &filter, &mut out);
    for (label, dir) in collections {
        let root = source.join(dir);
        walk_collection(
            &root,
            dir,
            "",
            &filter,
            &(label.clone(), dir.clone()),
            &mut out,
        );
    }
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    out
}

/// The documents (files with front matter) of one collection, whether or
/// not it has `output: true`: jekyll-feed's collection feeds list them all.
pub fn discover_collection(
    source: &Path,
    exclude: &[String],
    include: &[String],
    label: &str,
    dir: &str,
) -> Vec<SiteFile> {
    let filter = EntryFilter::new(exclude, include);
    let mut out = Vec::new();
    walk_collection(
        &source.join(dir),
        dir,
        "",
        &filter,
        &(label.to_string(), dir.to_string()),
        &mut out,
    );
    out.retain(|f| f.front_matter);
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    out
}

fn site_file(
    path: PathBuf,
    relative: String,
    collection: Option<(String, String)>,
) -> Option<SiteFile> {
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    // Only files that can be listed need their first line read: a page
    // whose output is HTML, or a static file jekyll-sitemap lists. Images,
    // fonts and scripts are never opened (a cron re-run walks them all).
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let listable = MARKDOWN_EXTENSIONS.contains(&ext.as_str())
        || matches!(
            ext.as_str(),
            "html" | "htm" | "xhtml" | "pdf" | "xml" | "json" | "txt"
        );
    Some(SiteFile {
        front_matter: listable && has_yaml_header(&path),
        size: meta.len(),
        modified: meta.modified().ok(),
        path,
        relative,
        collection,
    })
}

/// A folder's entries in name order, as Jekyll walks them; an unreadable
/// folder has none.
fn sorted_entries(dir: &Path) -> Vec<std::fs::DirEntry> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).collect())
        .unwrap_or_default();
    entries.sort_by_key(|e| e.file_name());
    entries
}

fn walk_pages(dir: &Path, rel: &str, dest: &Path, filter: &EntryFilter, out: &mut Vec<SiteFile>) {
    for e in sorted_entries(dir) {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        // Folder links are followed by Jekyll, but they can loop: not here.
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if filter.rejects(rel, &name, is_dir) {
            continue;
        }
        let relative = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if is_dir {
            if path.canonicalize().is_ok_and(|p| p == dest) || name == "_posts" {
                continue;
            }
            walk_pages(&path, &relative, dest, filter, out);
        } else if let Some(f) = site_file(path, relative, None) {
            out.push(f);
        }
    }
}

fn walk_collection(
    dir: &Path,
    rel: &str,
    inside: &str,
    filter: &EntryFilter,
    label: &(String, String),
    out: &mut Vec<SiteFile>,
) {
    for e in sorted_entries(dir) {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        // Jekyll filters a collection's entries by their path inside it.
        let entry = if inside.is_empty() {
            name.clone()
        } else {
            format!("{inside}/{name}")
        };
        let collection_dir = &label.1;
        if filter.rejects(collection_dir, &entry, is_dir) {
            continue;
        }
        let relative = format!("{rel}/{name}");
        if is_dir {
            walk_collection(&e.path(), &relative, &entry, filter, label, out);
        } else if let Some(f) = site_file(e.path(), relative, Some(label.clone())) {
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Folder;

    proptest::proptest! {
        #[test]
        fn a_listed_name_joins_its_folder_as_path_join_does(
            dir in "[a-z/.]{0,8}",
            name in "[a-z.-]{1,8}",
        ) {
            let dir = std::path::Path::new(&dir);
            let (ours, std) = (super::join_name(dir, &name), dir.join(&name));
            proptest::prop_assert_eq!(ours.as_os_str(), std.as_os_str());
        }
    }

    /// `split_dated_name` as first written, with `str` methods.
    fn split_dated_name_plainly(file_name: &str) -> Option<(&str, &str, &str)> {
        let dot = file_name.rfind('.').filter(|&i| i + 1 < file_name.len())?;
        let (stem, ext) = (&file_name[..dot], &file_name[dot + 1..]);
        let mut parts = stem.splitn(4, '-');
        let (y, m, d, slug) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, lo: usize, hi: usize| {
            (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        (digits(y, 2, 4) && digits(m, 1, 2) && digits(d, 1, 2))
            .then(|| (&stem[..y.len() + m.len() + d.len() + 2], slug, ext))
    }

    proptest::proptest! {
        #[test]
        fn a_dated_name_splits_as_the_plain_spelling_splits_it(
            name in "[0-9]{0,5}-[0-9]{0,3}-[0-9]{0,3}(-[a-z0-9.-]{0,6})?(\\.[a-z]{0,3})?|[0-9a-z.\\-한]{0,16}"
        ) {
            proptest::prop_assert_eq!(super::split_dated_name(&name), split_dated_name_plainly(&name));
        }
    }

    #[test]
    fn the_entry_filter_passes_over_what_jekylls_reader_passes_over() {
        let f = super::EntryFilter::new(
            &["vendor".into(), "*.gem".into(), "docs/".into()],
            &["_pages".into(), ".htaccess".into()],
        );
        for (dir, name, is_dir) in [
            ("", "_drafts", true),
            ("", ".git", true),
            ("", "vendor", true),
            ("", "vendorish", true),
            ("sub", "x.gem", false),
            ("", "docs", true),
            ("", "node_modules", true),
            ("", "notes.md~", false),
            ("", "#tmp", false),
            ("", "a.", false),
        ] {
            assert!(f.rejects(dir, name, is_dir), "{dir}/{name}");
        }
        for (dir, name, is_dir) in [
            ("", "_pages", true),
            ("", ".htaccess", false),
            ("", "about.md", false),
            ("blog", "index.html", false),
        ] {
            assert!(!f.rejects(dir, name, is_dir), "{dir}/{name}");
        }
    }
    use std::time::{Duration, UNIX_EPOCH};

    /// Sizes and times (before 1970 too, and through a symbolic link) read
    /// relative to a folder descriptor equal what `std::fs::metadata` reads:
    /// the build cache compares one with the other across versions.
    #[test]
    fn statting_by_folder_reads_what_the_standard_library_reads() {
        let dir = tempfile::tempdir().unwrap();
        let times = [
            UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789),
            UNIX_EPOCH - Duration::new(86_400, 0) + Duration::new(0, 500_000_000),
            UNIX_EPOCH,
        ];
        for (i, t) in times.iter().enumerate() {
            let path = dir.path().join(format!("2024-01-0{i}-post.md"));
            std::fs::write(&path, "x".repeat(i * 7 + 1)).unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(*t).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            dir.path().join("2024-01-00-post.md"),
            dir.path().join("link.md"),
        )
        .unwrap();
        let stat = Folder::open(dir.path());
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let link = entry.file_type().unwrap().is_symlink();
            let std_meta = std::fs::metadata(entry.path()).unwrap();
            assert_eq!(
                stat.size_and_time(&name, link),
                Some((std_meta.len(), Some(std_meta.modified().unwrap()))),
                "{name}"
            );
        }
        assert_eq!(stat.size_and_time("missing.md", false), None);
    }
}
