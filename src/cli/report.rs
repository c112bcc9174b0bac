//! How every command prints its findings: the one place that renders the
//! library's typed diagnostics and notices as text, JSON, GitHub workflow
//! commands or SARIF. Commands collect [`Message`]s; a [`Reporter`] prints
//! text and GitHub lines as they come and the JSON and SARIF documents at
//! the end, so each format holds every message, unreadable files included.

use std::io::{IsTerminal as _, Write};

/// The output formats of `build`, `check` and `validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: severity[code]: message`, for people (with the source line for `validate`).
    Text,
    /// A JSON array of messages.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`), shown as annotations.
    Github,
    /// A SARIF 2.1.0 log, for code-scanning dashboards.
    Sarif,
}

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something failed: a rejected post, an invalid document, a file that could not be read.
    Error,
    /// Worth a look; nothing failed.
    Warning,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// One finding, wherever it came from.
#[derive(Clone, Debug)]
pub struct Message {
    /// The file, as the user named it (`-` for standard input).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    pub level: Level,
    /// A stable code, such as `atom-missing-id`; a build's notices about
    /// posts have none (their text is the message).
    pub code: Option<String>,
    pub message: String,
    /// The spec section the rule rests on, when there is one.
    pub spec: Option<String>,
}

impl Message {
    /// A message about a whole file (no line).
    pub fn file(file: impl Into<String>, level: Level, code: &str, message: String) -> Message {
        Message {
            file: file.into(),
            line: None,
            column: None,
            level,
            code: Some(code.into()),
            message,
            spec: None,
        }
    }

    /// A validator finding in `file`; `None` for the severities that are
    /// not shown (informational notes).
    pub fn diagnostic(file: &str, d: feedwright::validate::Diagnostic) -> Option<Message> {
        let level = match d.severity {
            feedwright::Severity::Error => Level::Error,
            feedwright::Severity::Warning => Level::Warning,
            _ => return None,
        };
        Some(Message {
            file: file.to_string(),
            line: Some(d.line),
            column: Some(d.column),
            level,
            code: Some(d.code),
            message: d.message,
            spec: Some(d.spec),
        })
    }

    /// A build's notice about a post or file.
    pub fn notice(n: &feedwright::site::Notice) -> Message {
        let level = match n.severity {
            feedwright::Severity::Error => Level::Error,
            _ => Level::Warning,
        };
        Message {
            file: n.at.path.display().to_string(),
            line: n.at.line,
            column: None,
            level,
            code: None,
            message: n.message.clone(),
            spec: None,
        }
    }

    /// An error that stopped a build before anything was written; `text` is
    /// its message as the command line says it (with the flag that fixes it).
    pub fn fatal(e: &feedwright::site::Error, text: String, source: &std::path::Path) -> Message {
        use feedwright::site::Error as E;
        let (path, line, code) = match e {
            E::Config { at, .. } => (at.path.as_path(), at.line, "config"),
            E::ConfigFile { path, .. } => (path.as_path(), None, "config"),
            E::NoUrl { config } => (config.as_path(), None, "no-url"),
            E::Source { path, .. } => (path.as_path(), None, "source"),
            E::Io { path, .. } => (path.as_path(), None, "io"),
            E::InvalidOutput { path, .. } => (path.as_path(), None, "invalid-output"),
            E::UnsafeOutput { path, .. } => (path.as_path(), None, "unsafe-output"),
            E::Locked { path } => (path.as_path(), None, "locked"),
            _ => (source, None, "build"),
        };
        let file = path.display().to_string();
        // The library's text starts with the place; the formats carry it apart.
        let prefix = match line {
            Some(l) => format!("{file}:{l}: "),
            None => format!("{file}: "),
        };
        let message = text
            .strip_prefix(&prefix)
            .map(str::to_string)
            .unwrap_or(text);
        Message {
            line,
            ..Message::file(file, Level::Error, code, message)
        }
    }

    fn text_line(&self) -> String {
        let mut at = self.file.clone();
        if let Some(l) = self.line {
            at.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                at.push_str(&format!(":{c}"));
            }
        }
        let spec = self
            .spec
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let code = self
            .code
            .as_ref()
            .map(|c| format!("[{c}]"))
            .unwrap_or_default();
        format!(
            "{at}: {}{code}: {}{spec}",
            self.level.as_str(),
            self.message
        )
    }

    /// The SARIF rule: the code, or for a build's notices one rule per level.
    fn rule_id(&self) -> String {
        self.code
            .clone()
            .unwrap_or_else(|| format!("post-{}", self.level.as_str()))
    }
}

/// Where the text format goes: a validator's findings are its output
/// (stdout); a build's notices are side remarks about its work (stderr).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextTo {
    Stdout,
    Stderr,
}

/// Prints messages in one format and counts them.
pub struct Reporter {
    format: Format,
    text_to: TextTo,
    kept: Vec<Message>,
    pub errors: usize,
    pub warnings: usize,
}

impl Reporter {
    pub fn new(format: Format, text_to: TextTo) -> Reporter {
        Reporter {
            format,
            text_to,
            kept: Vec::new(),
            errors: 0,
            warnings: 0,
        }
    }

    /// Reports `m`; in the text format, `source` (the document it is about)
    /// adds the offending line with a caret under the column.
    pub fn report(&mut self, m: Message, source: Option<&mut Source<'_>>) -> std::io::Result<()> {
        match m.level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
        }
        match self.format {
            Format::Text => {
                let mut text = m.text_line();
                text.push('\n');
                if let (Some(src), Some(line)) = (source, m.line) {
                    text.push_str(&src.snippet(line, m.column.unwrap_or(1), m.level));
                }
                match self.text_to {
                    TextTo::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
                    TextTo::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
                }
            }
            Format::Github => writeln!(std::io::stdout().lock(), "{}", github_command(&m)),
            Format::Json | Format::Sarif => {
                self.kept.push(m);
                Ok(())
            }
        }
    }

    /// Prints the JSON or SARIF document (the other formats are already out).
    pub fn finish(self) -> std::io::Result<()> {
        let doc = match self.format {
            Format::Text | Format::Github => return Ok(()),
            Format::Json => json(&self.kept),
            Format::Sarif => sarif(&self.kept),
        };
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)
    }
}

fn json(messages: &[Message]) -> serde_json::Value {
    messages
        .iter()
        .map(|m| {
            serde_json::json!({
                "file": m.file,
                "line": m.line,
                "column": m.column,
                "severity": m.level.as_str(),
                "code": m.code,
                "message": m.message,
                "spec": m.spec,
            })
        })
        .collect()
}

/// A GitHub workflow command. Values are escaped as actions/toolkit's
/// command.ts escapes them: `%`, CR and LF in the message; those and `:`
/// and `,` in properties, which a file name may hold.
pub fn github_command(m: &Message) -> String {
    let mut props = format!("file={}", escape_property(workspace_relative(&m.file)));
    if let Some(l) = m.line {
        props.push_str(&format!(",line={l}"));
        if let Some(c) = m.column {
            props.push_str(&format!(",col={c}"));
        }
    }
    if let Some(code) = &m.code {
        props.push_str(&format!(",title={}", escape_property(code)));
    }
    let spec = m
        .spec
        .as_ref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    format!(
        "::{} {props}::{}",
        m.level.as_str(),
        escape_data(&format!("{}{spec}", m.message))
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF 2.1.0 log (OASIS standard, sarif-schema-2.1.0.json): one run,
/// a rule per code, a result per message. Columns count Unicode code
/// points, as the validator's do.
fn sarif(messages: &[Message]) -> serde_json::Value {
    let mut rules: Vec<&Message> = Vec::new();
    let results: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| {
            let index = match rules.iter().position(|r| r.rule_id() == m.rule_id()) {
                Some(i) => i,
                None => {
                    rules.push(m);
                    rules.len() - 1
                }
            };
            let mut location = serde_json::json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": artifact_uri(workspace_relative(&m.file)) },
                }
            });
            if let Some(line) = m.line {
                let mut region = serde_json::json!({ "startLine": line });
                if let Some(c) = m.column {
                    region["startColumn"] = c.into();
                }
                location["physicalLocation"]["region"] = region;
            }
            serde_json::json!({
                "ruleId": m.rule_id(),
                "ruleIndex": index,
                "level": m.level.as_str(),
                "message": { "text": m.message },
                "locations": [location],
            })
        })
        .collect();
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|m| {
            let mut rule = serde_json::json!({
                "id": m.rule_id(),
                "shortDescription": { "text": m.rule_id() },
            });
            if let Some(spec) = &m.spec {
                rule["help"] = serde_json::json!({ "text": format!("See {spec}.") });
            }
            rule
        })
        .collect();
    let mut driver = serde_json::json!({
        "name": "feedwright",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    let home = env!("CARGO_PKG_REPOSITORY");
    if !home.is_empty() {
        driver["informationUri"] = home.into();
    }
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A path as annotations name it: `./_posts/a.md` (a build of `.`) is
/// `_posts/a.md`, the form GitHub and code scanning match against the
/// checkout's files.
fn workspace_relative(file: &str) -> &str {
    let mut f = file;
    while let Some(rest) = f.strip_prefix("./") {
        f = rest.trim_start_matches('/');
    }
    f
}

/// A file name as a SARIF `artifactLocation.uri`: a relative reference for a
/// relative path (code scanning resolves it against the checkout), a `file:`
/// URL for an absolute one; either way percent-encoded.
fn artifact_uri(file: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    // RFC 3986 pchar minus the sub-delims that tools mishandle.
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b'\\')
        .add(b']')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}')
        .add(b':');
    let path = std::path::Path::new(file);
    // SARIF forbids dot-segments (SARIF1002): a path through `..`, such as
    // `site/../shared/a.xml`, is named by the absolute path it reaches.
    let dotted = path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir));
    if path.is_absolute() || dotted {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let mut clean = std::path::PathBuf::new();
        for c in absolute.components() {
            match c {
                std::path::Component::ParentDir => {
                    clean.pop();
                }
                std::path::Component::CurDir => {}
                other => clean.push(other),
            }
        }
        if let Ok(u) = url::Url::from_file_path(&clean) {
            return u.to_string();
        }
    }
    file.split(std::path::MAIN_SEPARATOR)
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// A document being reported on, for source snippets. Its lines are found
/// once, when the first snippet is asked for; findings come in document
/// order, so the place of each column is found from the one before, and a
/// document of one 50 MiB line costs one pass, not one per finding.
pub struct Source<'a> {
    bytes: &'a [u8],
    /// The text and its line starts; `None` until asked for, and no text
    /// for a document that is not UTF-8 (the validator's columns count
    /// characters of the decoded text, so a snippet from raw bytes would lie).
    lines: Option<Option<(&'a str, Vec<usize>)>>,
    /// The last place found: line, column (in characters), byte offset.
    cursor: (usize, usize, usize),
}

/// Characters shown each side of the column on a long line.
const WINDOW: usize = 60;

impl<'a> Source<'a> {
    pub fn new(bytes: &'a [u8]) -> Source<'a> {
        Source {
            bytes,
            lines: None,
            cursor: (0, 0, 0),
        }
    }

    /// The text around `column` of 1-based `line` (at most [`WINDOW`]
    /// characters each side, marked `...` where cut) and the byte range of
    /// the character at the column within it.
    fn place(&mut self, line: usize, column: usize) -> Option<(String, std::ops::Range<usize>)> {
        let bytes = self.bytes;
        let (text, starts) = self
            .lines
            .get_or_insert_with(|| {
                let text = simdutf8::basic::from_utf8(bytes).ok()?;
                let starts = std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
                    .collect();
                Some((text, starts))
            })
            .as_ref()?;
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |&e| e - 1);
        let row = text[start..end.max(start)].trim_end_matches('\r');
        let want = column.saturating_sub(1);
        let (mut col, mut at) = match self.cursor {
            (l, c, b) if l == line && c <= want => (c, b),
            // Where the line is ASCII up to the column, characters are bytes.
            _ if row.len() >= want && row.as_bytes()[..want].is_ascii() => (want, want),
            _ => (0, 0),
        };
        for ch in row[at..].chars() {
            if col == want {
                break;
            }
            col += 1;
            at += ch.len_utf8();
        }
        self.cursor = (line, col, at);
        let from = row[..at]
            .char_indices()
            .rev()
            .nth(WINDOW - 1)
            .map_or(0, |(i, _)| i);
        let to = row[at..]
            .char_indices()
            .nth(WINDOW)
            .map_or(row.len(), |(i, _)| at + i);
        let lead = if from > 0 { "..." } else { "" };
        let tail = if to < row.len() { "..." } else { "" };
        let shown = format!("{lead}{}{tail}", &row[from..to]);
        let caret = lead.len() + at - from;
        let width = row[at..to].chars().next().map_or(0, char::len_utf8);
        Some((shown, caret..caret + width))
    }

    /// The line with a caret under `column` (in characters), as rustc shows it.
    fn snippet(&mut self, line: usize, column: usize, level: Level) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level as L, Renderer, Snippet};
        let Some((text, span)) = self.place(line, column) else {
            return String::new();
        };
        let level = match level {
            Level::Error => L::ERROR,
            Level::Warning => L::WARNING,
        };
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let report = [Group::with_level(level).element(
            Snippet::source(text.as_str())
                .line_start(line)
                .annotation(AnnotationKind::Primary.span(span)),
        )];
        let mut out = renderer.render(&report);
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(file: &str, text: &str) -> Message {
        Message {
            file: file.into(),
            line: Some(3),
            column: Some(7),
            level: Level::Error,
            code: Some("x-y".into()),
            message: text.into(),
            spec: None,
        }
    }

    #[test]
    fn github_properties_escape_colon_comma_and_the_message_newline_and_percent() {
        let cmd = github_command(&message("a,b:c%.xml", "50% off\r\nnext line"));
        assert_eq!(
            cmd,
            "::error file=a%2Cb%3Ac%25.xml,line=3,col=7,title=x-y::50%25 off%0D%0Anext line"
        );
    }

    #[test]
    fn annotations_name_a_path_under_dot_as_the_checkout_does() {
        let cmd = github_command(&message("./_posts/a.md", "bad"));
        assert!(cmd.starts_with("::error file=_posts/a.md,line=3"), "{cmd}");
        assert_eq!(workspace_relative(".//./x/y.xml"), "x/y.xml");
        assert_eq!(workspace_relative("../x.xml"), "../x.xml");
        assert_eq!(artifact_uri(workspace_relative("./a b.md")), "a%20b.md");
    }

    #[test]
    fn snippet_puts_the_caret_under_the_column_counted_in_characters() {
        let doc = "first\nsecond\n  <가나 bad=1>\n";
        let mut src = Source::new(doc.as_bytes());
        let shown = src.snippet(3, 7, Level::Error);
        let lines: Vec<&str> = shown.lines().collect();
        let code = lines.iter().find(|l| l.contains("<가나")).expect(&shown);
        let caret = lines.iter().find(|l| l.contains('^')).expect(&shown);
        assert!(code.starts_with("3 |"), "{shown}");
        // Column 7 is the `b` after two wide characters: the caret sits under it
        // on screen (each Hangul syllable is two columns wide).
        let code_col = code.find("bad").unwrap();
        let caret_col = caret.find('^').unwrap();
        let wide_extra = "가나".len() - 4; // bytes beyond the 4 screen columns
        assert_eq!(caret_col, code_col - wide_extra, "{shown}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_column_and_the_caret_stays_under_it() {
        let line = format!("{}<bad/>{}", "a".repeat(10_000), "z".repeat(10_000));
        let mut src = Source::new(line.as_bytes());
        let (shown, span) = src.place(1, 10_002).unwrap();
        assert!(
            shown.starts_with("...a") && shown.ends_with("z..."),
            "{shown}"
        );
        assert_eq!(&shown[span], "b");
        assert!(shown.len() < 2 * WINDOW + 10, "{shown}");
        // An earlier column on the same line after a later one is found again.
        let (shown, span) = src.place(1, 10_001).unwrap();
        assert_eq!(&shown[span], "<");
    }

    #[test]
    fn a_document_that_is_not_utf8_gets_no_snippet() {
        let mut src = Source::new(b"<a>\xff\xfe</a>");
        assert_eq!(src.snippet(1, 2, Level::Error), "");
    }

    #[test]
    fn a_line_past_the_end_shows_no_snippet() {
        let mut src = Source::new(b"one line");
        assert_eq!(src.snippet(5, 1, Level::Warning), "");
    }

    #[test]
    fn artifact_uris_are_percent_encoded_relative_references_or_file_urls() {
        assert_eq!(artifact_uri("site/a b#1.xml"), "site/a%20b%231.xml");
        assert_eq!(artifact_uri("/tmp/x y.xml"), "file:///tmp/x%20y.xml");
        assert_eq!(
            artifact_uri("/work/main/../shared/a.xml"),
            "file:///work/shared/a.xml"
        );
        assert!(!artifact_uri("../x.xml").contains(".."));
    }
}
