//! Typed errors. Each carries the file (and line where there is one) and says
//! what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file: the path and, where known, a 1-based line.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
}

impl Location {
    /// A location in `path`, at `line` if known.
    pub fn new(path: &Path, line: Option<usize>) -> Self {
        Location {
            path: path.to_path_buf(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.path.display(), l),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// A problem with one post. The post is left out; every other post is still published.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{at}: {message}")]
pub struct PostError {
    /// Where.
    pub at: Location,
    /// What is wrong and what to do about it.
    pub message: String,
}

/// How serious a build [`Notice`] is: `Warning` when something was guessed
/// or filled in and the post is published, `Error` when it was rejected.
pub use crate::validate::Severity;

/// A message about one post or file, from a build.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Notice {
    /// How serious.
    pub severity: Severity,
    /// Where.
    pub at: Location,
    /// What happened and what to do.
    pub message: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.at,
            self.severity.as_str(),
            self.message
        )
    }
}

/// Errors that stop a build before anything is written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is wrong.
    #[error("{at}: {message}")]
    Config {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A configuration file the build was given is not there (or is a folder).
    #[error("{}: {}; check the configuration file's path", path.display(), if *folder { "is a folder, not a configuration file" } else { "does not exist" })]
    ConfigFile {
        /// The file asked for.
        path: PathBuf,
        /// True when the path is a folder.
        folder: bool,
    },
    /// No site URL anywhere.
    #[error("{}: the site has no URL, so feeds cannot carry absolute links; add `url: https://your.site` to {} or give the build the site's URL", config.display(), config.file_name().map_or("_config.yml".into(), |n| n.to_string_lossy()))]
    NoUrl {
        /// The configuration file that was looked at (it may not exist).
        config: PathBuf,
    },
    /// The source folder cannot be used.
    #[error("{}: {message}", path.display())]
    Source {
        /// The folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: could not {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done ("read the configuration", "write the feed").
        action: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
    /// A generated file failed validation; nothing was replaced.
    #[error("{}: generated output is invalid, nothing was written:\n{}", path.display(), diagnostics.join("\n"))]
    InvalidOutput {
        /// The output that would have been written.
        path: PathBuf,
        /// The validator's findings.
        diagnostics: Vec<String>,
    },
    /// Writing an output would leave the destination folder or touch the source.
    #[error("{}: {message}", path.display())]
    UnsafeOutput {
        /// The output (or destination) in question.
        path: PathBuf,
        /// Why it is refused and what to do.
        message: String,
    },
    /// Another feedwright run holds the destination's lock.
    #[error("{}: another feedwright build has been writing this destination for longer than the lock wait; try again when it has finished, or wait longer for the lock", path.display())]
    Locked {
        /// The destination folder.
        path: PathBuf,
    },
}
