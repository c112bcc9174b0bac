//! What the renderer (`liquid.rs`) and its tags and filters share, below
//! them all: the build's `Shared` data, a render's `PostState`, the lax
//! runtime, the clock guess and the gist of an engine error.

use liquid_core::model::{KString, ScalarCow, ValueCow};
use liquid_core::{Language, Runtime, Template, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// What Jekyll's tags and filters read while rendering.
pub(super) struct Shared {
    /// `_includes/` (the `includes_dir` setting).
    pub(super) includes_dir: PathBuf,
    /// `SiteContext`'s clock flag, for includes.
    pub(crate) clock: Arc<AtomicBool>,
    /// `url`, without a trailing `/` (jekyll's `site.config["url"]`).
    pub(super) url: String,
    /// `baseurl`, without a trailing `/`.
    pub(super) baseurl: String,
    /// For dates given as text.
    pub(super) tz: chrono_tz::Tz,
    /// For `markdownify`.
    pub(super) kramdown: crate::config::kramdown::KramdownOptions,
    /// Every post, for `post_url`.
    pub(super) posts: Vec<PostRef>,
    /// Site path (posts, pages, static files) → URL path, for `link`.
    pub(super) files: HashMap<String, String>,
    /// Parsed includes by path; `None` for a file that cannot be read.
    pub(super) includes: Mutex<HashMap<PathBuf, Option<Arc<Included>>>>,
}

/// A post as `post_url` matches it.
pub(super) struct PostRef {
    pub(super) relative_path: String,
    /// Its URL path (baseurl included: `relative_url(post)`).
    pub(super) url: String,
    pub(super) ymd: (i32, u32, u32),
    pub(super) slug: String,
}

/// An include file, scanned and parsed once per build.
pub(super) struct Included {
    pub(super) template: Template,
    pub(super) calls: Arc<Vec<(&'static str, String, usize)>>,
    pub(super) warnings: Vec<(usize, String)>,
}

/// Per-render state, kept in the runtime's registers for the tags.
#[derive(Default)]
pub(super) struct PostState {
    pub(super) calls: Arc<Vec<(&'static str, String, usize)>>,
    pub(super) lang: Option<Arc<Language>>,
    /// Folder of the file being rendered (`include_relative`).
    pub(super) dir: PathBuf,
    /// (0-based line in the post, message).
    pub(super) warnings: Vec<(usize, String)>,
    /// Include nesting, bounded as Jekyll's stack is.
    pub(super) depth: usize,
    /// Inside an include: the post line of the outermost include.
    pub(super) include_line: Option<usize>,
}

/// Jekyll's error for an include that includes itself forever.
pub(super) const MAX_INCLUDE_DEPTH: usize = 32;

/// Whether a template may print the build's time: `site.time`, or a date
/// filter on Liquid's `"now"` / `"today"`. A textual guess that errs on the
/// side of "yes": a false yes only costs a reused build.
pub(super) fn may_read_the_clock(text: &str) -> bool {
    text.contains("site.time")
        || ["now", "today"]
            .iter()
            .any(|w| text.contains(&format!("\"{w}\"")) || text.contains(&format!("'{w}'")))
}

/// Makes a missing variable nil, as Liquid does with `strict_variables` off.
pub(super) struct Lax<R>(pub(super) R);

impl<R: Runtime> Runtime for Lax<R> {
    fn partials(&self) -> &dyn liquid_core::runtime::PartialStore {
        self.0.partials()
    }
    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        self.0.name()
    }
    fn roots(&self) -> std::collections::BTreeSet<liquid_core::model::KStringCow<'_>> {
        self.0.roots()
    }
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.0.try_get(path)
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> liquid_core::Result<ValueCow<'_>> {
        Ok(self.0.try_get(path).unwrap_or(ValueCow::Owned(Value::Nil)))
    }
    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.0.set_global(name, val)
    }
    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.0.set_index(name, val)
    }
    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.0.get_index(name)
    }
    fn registers(&self) -> &liquid_core::runtime::Registers {
        self.0.registers()
    }
}

/// The gist of an engine error: its first line, without pest's drawing.
pub(super) fn brief(msg: &str) -> String {
    let lines: Vec<&str> = msg
        .lines()
        .map(|l| l.trim().trim_start_matches("liquid:").trim())
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("-->")
                && !l.starts_with('|')
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .collect();
    let line = lines
        .iter()
        .find(|l| l.starts_with("= "))
        .or(lines.first())
        .copied()
        .unwrap_or("a syntax error");
    line.trim_start_matches("= ").to_string()
}
