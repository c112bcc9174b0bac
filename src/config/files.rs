//! Which configuration files a site has and how they merge: Jekyll's
//! default names and order, and `--config a.yml,b.yml` deep-merged as
//! Jekyll merges them (lib/jekyll/configuration.rb, lib/jekyll/utils.rb).

use super::options::BuildOptions;
use crate::error::{Error, Location};
use crate::yaml::{self, Mapping, Value};
use std::path::{Path, PathBuf};

/// Jekyll's default configuration files, in the order it looks for them
/// (`Configuration#config_files`): the first that exists is read.
pub const DEFAULT_CONFIG_FILES: [&str; 3] = ["_config.yml", "_config.yaml", "_config.toml"];

/// The configuration file Jekyll reads in `source` when `--config` is not
/// given: the first of [`DEFAULT_CONFIG_FILES`] that exists, else `_config.yml`.
pub fn default_config_file(source: &Path) -> PathBuf {
    DEFAULT_CONFIG_FILES
        .iter()
        .map(|name| source.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| source.join(DEFAULT_CONFIG_FILES[0]))
}

/// The configuration file that messages about the configuration name: the
/// last `--config` file (its keys win), else the default one.
pub(crate) fn config_path(opts: &BuildOptions) -> PathBuf {
    opts.config_files
        .last()
        .cloned()
        .unwrap_or_else(|| default_config_file(&opts.source))
}

/// Checks the source folder, then reads and merges the configuration files
/// as Jekyll does (`Configuration#read_config_files`): each file deep-merged
/// over the ones before it. Returns the merged map and the files read (or,
/// when none exists, the default file's path, for messages).
pub(super) fn load(opts: &BuildOptions) -> Result<(Mapping, Vec<PathBuf>), Error> {
    check_source(&opts.source, opts.config_files.is_empty())?;
    let explicit = !opts.config_files.is_empty();
    let files: Vec<PathBuf> = if explicit {
        opts.config_files.clone()
    } else {
        vec![default_config_file(&opts.source)]
    };
    let mut merged = Mapping::new();
    for path in &files {
        if !path.is_file() {
            if explicit {
                return Err(Error::ConfigFile {
                    path: path.clone(),
                    folder: path.is_dir(),
                });
            }
            continue;
        }
        let toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if toml {
            return Err(Error::Config {
                at: Location::new(path, None),
                message: "feedwright reads YAML configuration only; convert this file to _config.yml (Jekyll reads either)".into(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.clone(),
            action: "read the configuration",
            source: e,
        })?;
        let map = yaml::parse_mapping(text.trim_start_matches('\u{feff}')).map_err(|e| {
            Error::Config {
                at: Location::new(path, e.line),
                message: format!("{}; fix the YAML syntax", e.message),
            }
        })?;
        deep_merge(&mut merged, map);
    }
    Ok((merged, files))
}

/// Jekyll's `Utils.deep_merge_hashes`: `over`'s keys win, maps merge key by
/// key, and a null in `over` keeps the value before it.
fn deep_merge(base: &mut Mapping, over: Mapping) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(_), Value::Null) => {}
            (Some(Value::Mapping(old)), Value::Mapping(new)) => deep_merge(old, new),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// A source that does not exist, is a file, or is a Jekyll site's `_posts`
/// folder (run from inside it) gets its own message instead of "no URL".
fn check_source(source: &Path, default_config: bool) -> Result<(), Error> {
    let fail = |message: String| Error::Source {
        path: source.to_path_buf(),
        message,
    };
    match std::fs::metadata(source) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail("the source folder does not exist; pass the site's folder (the one with _config.yml or _posts/), or run feedwright inside it".into()))
        }
        Err(e) => {
            return Err(Error::Io {
                path: source.to_path_buf(),
                action: "read the source folder",
                source: e,
            })
        }
        Ok(m) if !m.is_dir() => {
            return Err(fail("is not a folder; pass the site's folder (the one with _config.yml or _posts/) or a folder of posts".into()))
        }
        Ok(_) => {}
    }
    let has_config = DEFAULT_CONFIG_FILES
        .iter()
        .any(|n| source.join(n).is_file());
    if default_config && !has_config {
        let full = source
            .canonicalize()
            .unwrap_or_else(|_| source.to_path_buf());
        if let Some(depth) = full
            .ancestors()
            .position(|a| a.file_name().is_some_and(|n| n == "_posts"))
        {
            let root = full.ancestors().nth(depth + 1).unwrap_or(Path::new("/"));
            let suggestion =
                up_from(source, depth + 1).unwrap_or_else(|| root.display().to_string());
            return Err(fail(format!(
                "is inside a Jekyll site's _posts folder, not a site; run feedwright on the site's root folder instead: {suggestion}"
            )));
        }
    }
    Ok(())
}

/// `source` with `levels` folders taken off, as a person would type it
/// (`.` → `..`, `_posts` → `.`, `site/_posts/2024` → `site`); `None` for a
/// path with `..` or an absolute one, where the absolute root reads better.
fn up_from(source: &Path, levels: usize) -> Option<String> {
    use std::path::Component;
    let mut parts = Vec::new();
    for c in source.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let kept = parts.len().saturating_sub(levels);
    let ups = levels.saturating_sub(parts.len());
    parts.truncate(kept);
    parts.extend(std::iter::repeat_n("..".into(), ups));
    Some(if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::up_from;
    use std::path::Path;

    #[test]
    fn the_site_root_is_suggested_as_a_person_would_type_it() {
        let up = |p: &str, n| up_from(Path::new(p), n);
        assert_eq!(up(".", 1).as_deref(), Some(".."));
        assert_eq!(up(".", 2).as_deref(), Some("../.."));
        assert_eq!(up("_posts", 1).as_deref(), Some("."));
        assert_eq!(up("site/_posts/2024", 2).as_deref(), Some("site"));
        assert_eq!(up("./_posts/2024", 3).as_deref(), Some(".."));
        assert_eq!(up("../_posts", 1), None);
        assert_eq!(up("/srv/site/_posts", 1), None);
    }
}
