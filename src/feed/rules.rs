//! What every writer shares, below them all: the check that refuses what
//! would make a document invalid ([`FeedError`]), the generator's name, and
//! the writers' UTF-8 output.

use crate::model::{Feed, Person};
use std::collections::HashMap;
use std::fmt;

/// The name written in every feed's `generator`.
pub const GENERATOR: &str = "feedwright";
/// feedwright's home page, written in Atom's `generator uri`.
pub const GENERATOR_URI: &str = "https://crates.io/crates/feedwright";

/// What kind of problem stopped a feed from being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FeedErrorKind {
    /// The feed's or an entry's title is empty (or only white space).
    EmptyTitle,
    /// An entry's id is not an absolute URI (RFC 4287 §4.2.6).
    InvalidId,
    /// Two entries have the same id (or, in RSS, the same URL, its `guid`).
    DuplicateId,
    /// A language is not a language tag (BCP 47 with a two- or three-letter
    /// language, as RSS also requires: `en`, `en-US`, `zh-Hant-TW`; not
    /// `english`, not the POSIX locale `en_US`, for which the message
    /// suggests `en-US`).
    InvalidLanguage,
    /// An author has no name.
    EmptyName,
    /// An Atom feed has no entries and no [`empty_updated`](crate::model::FeedMeta::empty_updated) date.
    MissingDate,
    /// The writer given to `write` failed.
    Io,
}

/// Why a feed was not written: the [kind](FeedError::kind) of problem, the
/// [entry](FeedError::entry) it is in (by position) and the offending value.
#[derive(Debug)]
pub struct FeedError {
    kind: FeedErrorKind,
    entry: Option<usize>,
    value: String,
    io: Option<std::io::Error>,
}

impl FeedError {
    fn new(kind: FeedErrorKind, entry: Option<usize>, value: impl Into<String>) -> Self {
        FeedError {
            kind,
            entry,
            value: value.into(),
            io: None,
        }
    }

    pub(crate) fn io(e: std::io::Error) -> Self {
        FeedError {
            kind: FeedErrorKind::Io,
            entry: None,
            value: String::new(),
            io: Some(e),
        }
    }

    /// What kind of problem.
    pub fn kind(&self) -> FeedErrorKind {
        self.kind
    }

    /// The position in [`Feed::entries`] of the entry at fault; `None` when
    /// the problem is the feed's own.
    pub fn entry(&self) -> Option<usize> {
        self.entry
    }

    /// The offending value (the id, the language, …), empty when there is none.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry {
            Some(i) => write!(f, "entry {i}: ")?,
            None if self.kind != FeedErrorKind::Io => f.write_str("feed: ")?,
            None => {}
        }
        let v = &self.value;
        match self.kind {
            FeedErrorKind::EmptyTitle => f.write_str("the title is empty; every feed and entry needs a title readers can see"),
            FeedErrorKind::InvalidId => write!(f, "the id `{v}` is not an absolute URI; use the post's permanent URL or a `tag:` URI"),
            FeedErrorKind::DuplicateId => write!(f, "`{v}` is also the id of an earlier entry; readers would show only one of them, so give each entry its own"),
            FeedErrorKind::InvalidLanguage => match crate::lang::normalize(v) {
                Some(tag) => write!(f, "`{v}` is not a language tag; write `{tag}`"),
                None => write!(f, "`{v}` is not a language tag; write one such as `en`, `en-US` or `ko`"),
            },
            FeedErrorKind::EmptyName => f.write_str("an author's name is empty; give the person a name"),
            FeedErrorKind::MissingDate => f.write_str("an Atom feed needs a date, and this one has no entries to take it from; set the feed's `empty_updated`"),
            FeedErrorKind::Io => match &self.io {
                Some(e) => write!(f, "could not write the feed: {e}"),
                None => f.write_str("could not write the feed"),
            },
        }
    }
}

impl std::error::Error for FeedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.io.as_ref().map(|e| e as _)
    }
}

/// Which format is being written: the rules differ a little.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Atom,
    Rss,
    Json,
}

/// Checks what would make `feed` an invalid document in `format`. The rules
/// are the validator's (one rule per spec concept), so what passes here
/// passes `validate` too.
pub(crate) fn check(feed: &Feed, format: Format) -> Result<(), FeedError> {
    use crate::validate::checks::is_absolute_iri;
    // The one language rule (`lang`), in the form every format accepts: a
    // tag RSS refuses (`english` is well-formed BCP 47, but no language)
    // is refused for Atom and JSON Feed too, since one Feed is all three.
    let is_language = crate::lang::is_rss_language;
    use FeedErrorKind::*;
    let meta = &feed.meta;
    let blank = |s: &str| crate::text::xml_safe(s).trim().is_empty();
    if blank(&meta.title) {
        return Err(FeedError::new(EmptyTitle, None, ""));
    }
    let language = |lang: &Option<String>, entry| match lang {
        Some(l) if !is_language(l) => Err(FeedError::new(InvalidLanguage, entry, l.as_str())),
        _ => Ok(()),
    };
    let person = |p: &Option<Person>, entry| match p {
        Some(p) if blank(&p.name) => Err(FeedError::new(EmptyName, entry, "")),
        _ => Ok(()),
    };
    language(&meta.language, None)?;
    person(&meta.author, None)?;
    if format == Format::Atom {
        if feed.updated().is_none() {
            return Err(FeedError::new(MissingDate, None, ""));
        }
        let id = feed.atom_id();
        if !is_absolute_iri(id) {
            return Err(FeedError::new(InvalidId, None, id));
        }
    }
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(feed.entries.len());
    for (i, e) in feed.entries.iter().enumerate() {
        let entry = Some(i);
        if blank(&e.title) {
            return Err(FeedError::new(EmptyTitle, entry, ""));
        }
        if !is_absolute_iri(e.id.trim()) {
            return Err(FeedError::new(InvalidId, entry, e.id.as_str()));
        }
        // RSS's guid is the entry's URL.
        let key = if format == Format::Rss {
            e.url.as_str()
        } else {
            e.id.trim()
        };
        if ids.insert(key, i).is_some() {
            return Err(FeedError::new(DuplicateId, entry, key));
        }
        language(&e.language, entry)?;
        person(&e.author, entry)?;
    }
    Ok(())
}

/// Bytes from a writer into a `String` (every writer emits UTF-8).
pub(super) fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("feed writers emit UTF-8")
}
