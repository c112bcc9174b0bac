//! What the format validators and their caller share, below them all: a
//! finding ([`Diagnostic`], [`Severity`]) and the settings ([`Options`]).
//! `validate` re-exports them.

use std::fmt;

/// How serious a finding is: a validator's [`Diagnostic`] or a site
/// build's notice (which uses `Warning` and `Error`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// Worth knowing; never fails validation.
    Info,
    /// A SHOULD of the spec or a best practice is not followed.
    Warning,
    /// A MUST of the spec is broken: the document is invalid.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// 1-based line (for a missing child: its parent's start tag).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// How serious.
    pub severity: Severity,
    /// A stable code, such as `atom-missing-id`.
    pub code: String,
    /// What is wrong, for a person.
    pub message: String,
    /// The spec section the rule rests on.
    pub spec: String,
}

impl Diagnostic {
    /// A new diagnostic.
    pub fn new(
        line: usize,
        column: usize,
        severity: Severity,
        code: &str,
        message: &str,
        spec: &str,
    ) -> Self {
        Diagnostic {
            line,
            column,
            severity,
            code: code.into(),
            message: message.into(),
            spec: spec.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {} ({})",
            self.line,
            self.column,
            self.severity.as_str(),
            self.code,
            self.message,
            self.spec
        )
    }
}

/// Settings for a validation.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// The URL the document is served from: checked against self links and sitemap hosts.
    pub(crate) base: Option<url::Url>,
    /// The `charset` of the Content-Type the document was served with: it
    /// decides the encoding over the XML declaration (RFC 7303 §3), and a
    /// disagreement between the two is reported.
    pub charset: Option<String>,
}

impl Options {
    /// Checks self links and sitemap hosts against `url`, where the document is served from.
    pub fn base(mut self, url: &crate::model::AbsUrl) -> Self {
        self.base = Some(url.to_url());
        self
    }

    /// Served with this `charset` (see [`Options::charset`]).
    pub fn charset(mut self, charset: impl Into<String>) -> Self {
        self.charset = Some(charset.into());
        self
    }
}
