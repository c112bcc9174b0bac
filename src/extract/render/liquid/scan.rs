//! Liquid's own tokenizer (Ruby Liquid 4's `{%.*?%}` / `{{.*?}}`), run before
//! the `liquid` crate sees a template, so that what Jekyll would run reaches
//! the engine and what it cannot is removed with a warning, one tag at a time:
//!
//! - `raw` blocks and the tags whose markup is free text in Jekyll (`include`,
//!   `include_relative`, `link`, `post_url`, `highlight`) become a numbered
//!   call (`{% include 3 %}`): the crate's tag grammar would refuse
//!   `2010-07-21-name` or `file.html param="v"`, and raw text must not be
//!   tokenized at all;
//! - `comment` blocks are dropped;
//! - tags and filters the engine does not know are dropped (Jekyll's
//!   `strict_filters` is off: an unknown filter passes its input through);
//! - each remaining tag and output is parsed on its own, so one that the
//!   engine refuses costs only itself.

use liquid_core::Language;

/// How a tag name is handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    /// A Liquid tag the engine runs as written.
    Engine,
    /// A block tag the engine runs (`if`, `for`, ...): checked with its end tag.
    EngineBlock,
    /// The middle or end of a block (`else`, `endif`, ...).
    Inner,
    /// A Jekyll tag whose markup is kept aside as a numbered call.
    Call,
    /// Not known: removed.
    Unknown,
}

/// The template for the engine, with what was set aside and what was dropped.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    /// What the engine parses.
    pub template: String,
    /// The text with every Liquid tag and output removed (raw text kept):
    /// what is published when the template as a whole cannot run.
    pub stripped: String,
    /// Markup set aside, by number: (tag name, markup or raw text, 0-based line).
    pub calls: Vec<(&'static str, String, usize)>,
    /// What was removed: (0-based line, message).
    pub warnings: Vec<(usize, String)>,
    /// The template cut where no block is open: each part is parsed and
    /// run on its own, so an error costs only its part.
    pub segments: Vec<Segment>,
}

/// A part of the template that holds whole blocks.
#[derive(Debug, Clone)]
pub(super) struct Segment {
    /// Its range in [`Scanned::template`].
    pub template: std::ops::Range<usize>,
    /// The same text without Liquid, in [`Scanned::stripped`].
    pub stripped: std::ops::Range<usize>,
    /// 0-based source line where it starts.
    pub line: usize,
}

impl Scanned {
    /// Starts a new segment at the current end (when none is open).
    fn cut(&mut self, line: usize, trim_left: bool) {
        // `{%-` trims the white space before it, which must stay in the
        // same part as the tag for the engine to see it.
        let mut end = if trim_left {
            self.template.trim_end_matches([' ', '\n', '\r']).len()
        } else {
            self.template.len()
        };
        if let Some(last) = self.segments.last_mut() {
            end = end.max(last.template.start);
            if last.template.start == end && last.stripped.start == self.stripped.len() {
                last.line = line;
                return;
            }
            last.template.end = end;
            last.stripped.end = self.stripped.len();
        }
        self.segments.push(Segment {
            template: end..self.template.len(),
            stripped: self.stripped.len()..self.stripped.len(),
            line,
        });
    }

    fn finish(&mut self) {
        if let Some(last) = self.segments.last_mut() {
            last.template.end = self.template.len();
            last.stripped.end = self.stripped.len();
        }
    }
}

fn line_of(text: &str, at: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count()
}

/// A `{% ... %}` or `{{ ... }}` found in the text.
struct Token<'a> {
    /// The whole token, delimiters included.
    all: &'a str,
    /// Between the delimiters and the `-` whitespace controls.
    inner: &'a str,
    trim_left: bool,
    trim_right: bool,
}

/// The token starting at `text[at..]` (which starts with `{%` or `{{`), if closed.
fn token(text: &str, at: usize, tag: bool) -> Option<Token<'_>> {
    let close = if tag { "%}" } else { "}}" };
    let end = at + 2 + text[at + 2..].find(close)? + 2;
    let all = &text[at..end];
    let mut inner = &all[2..all.len() - 2];
    let trim_left = inner.starts_with('-');
    if trim_left {
        inner = &inner[1..];
    }
    let trim_right = inner.ends_with('-');
    if trim_right {
        inner = &inner[..inner.len() - 1];
    }
    Some(Token {
        all,
        inner,
        trim_left,
        trim_right,
    })
}

/// The tag's name (Ruby Liquid's `\w+`) and its markup.
fn name_and_markup(inner: &str) -> (&str, &str) {
    let s = inner.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (&s[..end], s[end..].trim())
}

/// Splits `a | b: 1 | c` at the `|`s outside quotes.
fn split_filters(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '|') => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// The markup without the filters the engine does not know, and their names.
fn known_filters<'a>(markup: &'a str, lang: &Language) -> (String, Vec<&'a str>) {
    let parts = split_filters(markup);
    let mut out = parts[0].to_string();
    let mut dropped = Vec::new();
    for f in &parts[1..] {
        let name = f.trim_start();
        let name = &name[..name
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(name.len())];
        if lang.filters.get(name).is_some() {
            out.push('|');
            out.push_str(f);
        } else {
            dropped.push(name);
        }
    }
    (out, dropped)
}

fn delimit(tag: bool, left: bool, right: bool, inner: &str) -> String {
    let (open, close) = if tag { ("{%", "%}") } else { ("{{", "}}") };
    format!(
        "{open}{}{inner}{}{close}",
        if left { "-" } else { "" },
        if right { "-" } else { "" }
    )
}

/// True when the engine parses `snippet` (a tag, or a block with its end).
fn parses(snippet: &str, lang: &Language) -> Result<(), String> {
    liquid_core::parser::parse(snippet, lang)
        .map(drop)
        .map_err(|e| first_line(&e.to_string()))
}

fn first_line(msg: &str) -> String {
    super::state::brief(msg)
}

/// The position after the end tag of a `raw` or `comment` block opened
/// before `from`, and where that end tag starts.
fn block_end(text: &str, from: usize, end_name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = text[at..].find("{%") {
        let start = at + i;
        let t = token(text, start, true)?;
        if name_and_markup(t.inner).0 == end_name {
            return Some((start, start + t.all.len()));
        }
        at = start + 2;
    }
    None
}

/// Scans `text`; `kind` says how each tag name is handled.
pub(super) fn scan(text: &str, lang: &Language, kind: &dyn Fn(&str) -> TagKind) -> Scanned {
    let mut s = Scanned::default();
    s.cut(0, false);
    let mut at = 0;
    // Open blocks: a segment ends only where none is.
    let mut depth = 0usize;
    let push = |s: &mut Scanned, piece: &str, _from: usize, stripped: bool| {
        s.template.push_str(piece);
        if stripped {
            s.stripped.push_str(piece);
        }
    };
    let bytes = text.as_bytes();
    while at < text.len() {
        let next = memchr::memmem::find_iter(&bytes[at..], b"{")
            .map(|i| at + i)
            .find(|&i| matches!(bytes.get(i + 1), Some(b'%' | b'{')));
        let Some(start) = next else {
            push(&mut s, &text[at..], at, true);
            break;
        };
        push(&mut s, &text[at..start], at, true);
        let is_tag = bytes[start + 1] == b'%';
        let line = line_of(text, start);
        let Some(t) = token(text, start, is_tag) else {
            s.warnings.push((
                line,
                format!(
                    "`{}` is never closed with `{}`, so Liquid cannot run it; it was removed. Close it, or wrap literal braces in {{% raw %}}…{{% endraw %}}",
                    &text[start..start + 2],
                    if is_tag { "%}" } else { "}}" }
                ),
            ));
            at = start + 2;
            continue;
        };
        let after = start + t.all.len();
        if depth == 0 {
            s.cut(line, t.trim_left);
        }
        if !is_tag {
            let (markup, dropped) = known_filters(t.inner, lang);
            for f in dropped {
                s.warnings.push((line, format!("`{f}` is not a Liquid or Jekyll filter feedwright knows; the value is used without it, as Jekyll does with an unknown filter")));
            }
            let out = delimit(false, t.trim_left, t.trim_right, &markup);
            match parses(&out, lang) {
                Ok(()) => push(&mut s, &out, start, false),
                Err(e) => s.warnings.push((
                    line,
                    format!("`{}` could not be run ({e}); it was removed", t.all.trim()),
                )),
            }
            at = after;
            continue;
        }
        let (name, markup) = name_and_markup(t.inner);
        match name {
            "raw" | "comment" => {
                let end_name = if name == "raw" {
                    "endraw"
                } else {
                    "endcomment"
                };
                let (inner_end, block_end) = block_end(text, after, end_name).unwrap_or_else(|| {
                    s.warnings.push((line, format!("`{{% {name} %}}` is never closed with `{{% {end_name} %}}`; everything after it is taken as its content")));
                    (text.len(), text.len())
                });
                if name == "raw" {
                    let content = &text[after..inner_end];
                    let n = s.calls.len();
                    s.calls.push(("raw", content.to_string(), line));
                    s.stripped.push_str(content);
                    let close = token(text, inner_end, true);
                    let right = close.as_ref().is_some_and(|c| c.trim_right);
                    let out = delimit(true, t.trim_left, right, &format!(" fwraw {n} "));
                    push(&mut s, &out, start, false);
                } else {
                    let right = token(text, inner_end, true).is_some_and(|c| c.trim_right);
                    if t.trim_left || right {
                        // Keep the whitespace control the comment asked for.
                        let out = delimit(true, t.trim_left, right, " comment ");
                        push(&mut s, &format!("{out}{{% endcomment %}}"), start, false);
                    }
                }
                at = block_end;
                continue;
            }
            _ => {}
        }
        match kind(name) {
            TagKind::Call => {
                let n = s.calls.len();
                let name: &'static str = match name {
                    "include" => "include",
                    "include_relative" => "include_relative",
                    "link" => "link",
                    "post_url" => "post_url",
                    "highlight" => "highlight",
                    _ => "endhighlight",
                };
                let inner = if name == "endhighlight" {
                    depth = depth.saturating_sub(1);
                    " endhighlight ".to_string()
                } else {
                    if name == "highlight" {
                        depth += 1;
                    }
                    s.calls.push((name, markup.to_string(), line));
                    format!(" {name} {n} ")
                };
                push(
                    &mut s,
                    &delimit(true, t.trim_left, t.trim_right, &inner),
                    start,
                    false,
                );
            }
            TagKind::Unknown => {
                let shown = if name.is_empty() { t.all.trim() } else { name };
                s.warnings.push((line, format!("`{{% {shown} %}}` is not a tag feedwright can run (a plugin's or a theme's tag?); it was removed")));
            }
            k @ (TagKind::Engine | TagKind::EngineBlock | TagKind::Inner) => {
                let markup = if matches!(name, "assign" | "echo") {
                    let (m, dropped) = known_filters(markup, lang);
                    for f in dropped {
                        s.warnings.push((line, format!("`{f}` is not a Liquid or Jekyll filter feedwright knows; the value is used without it, as Jekyll does with an unknown filter")));
                    }
                    m
                } else {
                    markup.to_string()
                };
                let out = delimit(
                    true,
                    t.trim_left,
                    t.trim_right,
                    &format!(" {name} {markup} "),
                );
                let check = match (k, name) {
                    (TagKind::Engine, _) => Some(out.clone()),
                    (TagKind::EngineBlock, "case") => {
                        Some(format!("{out}{{% when 0 %}}{{% endcase %}}"))
                    }
                    (TagKind::EngineBlock, _) => Some(format!("{out}{{% end{name} %}}")),
                    (_, "elsif") => Some(format!("{{% if true %}}{out}{{% endif %}}")),
                    (_, "when") => Some(format!("{{% case 0 %}}{out}{{% endcase %}}")),
                    _ => None,
                };
                match check.map_or(Ok(()), |c| parses(&c, lang)) {
                    Ok(()) => {
                        if k == TagKind::EngineBlock {
                            depth += 1;
                        } else if name.starts_with("end") {
                            depth = depth.saturating_sub(1);
                        }
                        push(&mut s, &out, start, false)
                    }
                    Err(e) => s.warnings.push((
                        line,
                        format!("`{}` could not be run ({e}); it was removed", t.all.trim()),
                    )),
                }
            }
        }
        at = after;
    }
    s.finish();
    s
}

/// How the scanner treats a tag name.
pub(super) fn tag_kind(lang: &Language, name: &str) -> TagKind {
    match name {
        "include" | "include_relative" | "link" | "post_url" | "highlight" | "endhighlight" => {
            TagKind::Call
        }
        "else" | "elsif" | "when" => TagKind::Inner,
        _ if lang.blocks.get(name).is_some() => TagKind::EngineBlock,
        _ if lang.tags.get(name).is_some() => TagKind::Engine,
        _ => match name.strip_prefix("end") {
            Some(b) if lang.blocks.get(b).is_some() => TagKind::Inner,
            _ => TagKind::Unknown,
        },
    }
}
