//! kramdown's syntax beyond GFM, around the Markdown renderer.
//!
//! Jekyll renders Markdown with kramdown, whose syntax has more than the CommonMark renderer
//! knows: inline attribute lists (`{: .class #id key="v"}`) and their definitions
//! (`{:name: .class}`), abbreviations (`*[HTML]: Hyper Text Markup Language`), extensions
//! (`{::comment}`, `{::nomarkdown}`, `{::options /}`), end-of-block markers (`^`), header ids
//! (`## Title {#id}`), `markdown="1"` on HTML blocks and backslash escapes of its own.
//!
//! Two passes wrap the renderer. [`before_parse`] reads the source once, line by line (code is left
//! alone), takes out what the renderer would print as text and leaves in its place a marker, an
//! HTML comment `<!--kd:N-->` that any CommonMark renderer passes through: on a line of its own it
//! ends a paragraph as kramdown's IAL line does. [`after_render`] then walks the rendered
//! HTML once and does what each marker stands for: attributes onto the element the IAL belongs
//! to (the one that just closed, the next one, or the enclosing one), raw text back in place,
//! and the abbreviations wrapped in `<abbr>`. The rules are kramdown 2.4's
//! (lib/kramdown/parser/kramdown/extensions.rb, abbreviation.rb, eob.rb, escaped_chars.rb and
//! kramdown-parser-gfm's escapes).

use crate::config::kramdown::KramdownOptions;
use std::borrow::Cow;
use std::collections::HashMap;

/// An inline attribute list: attributes in the order written (classes gathered in one
/// `class`) and references to attribute list definitions.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Ial {
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) refs: Vec<String>,
}

impl Ial {
    /// kramdown's `parse_attribute_list`: `.class`, `#id`, `key="value"` (or `'value'`) and
    /// bare names (references to definitions), each separated by white space; anything else
    /// is ignored, as kramdown ignores it (with a warning it does not show under Jekyll).
    pub(crate) fn parse(text: &str) -> Ial {
        let mut ial = Ial::default();
        ial.add(text);
        ial
    }

    fn add(&mut self, text: &str) {
        let t = text.trim();
        if t.is_empty() || t == ":" {
            return;
        }
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if i > 0 && !is_space(b[i - 1]) {
                i += 1;
                continue;
            }
            // A token starts after white space; a match must end before white space or the end.
            let start = if is_space(b[i]) { i + 1 } else { i };
            if start >= b.len() {
                break;
            }
            if let Some(end) = self.token(text, start) {
                i = end;
            } else {
                i = start.max(i + 1);
            }
        }
    }

    /// Reads one token at `start`; its end, or `None` when no form matches there.
    fn token(&mut self, text: &str, start: usize) -> Option<usize> {
        let b = text.as_bytes();
        let name_end = name_end(b, start);
        // key="value": the value ends at the first closing quote followed by white space or
        // the end (kramdown's lazy `*?` with its lookahead).
        if name_end > start && b.get(name_end) == Some(&b'=') {
            if let Some(&q) = b.get(name_end + 1).filter(|&&q| q == b'"' || q == b'\'') {
                let vstart = name_end + 2;
                let mut j = vstart;
                while j < b.len() {
                    if b[j] == b'\\' && j + 1 < b.len() && (b[j + 1] == b'}' || b[j + 1] == q) {
                        j += 2;
                        continue;
                    }
                    if b[j] == b'}' {
                        break;
                    }
                    if b[j] == q && (j + 1 == b.len() || is_space(b[j + 1])) {
                        let raw = &text[vstart..j];
                        let value = raw
                            .replace("\\}", "}")
                            .replace(&format!("\\{}", q as char), &(q as char).to_string());
                        self.set(&text[start..name_end], value);
                        return Some(j + 1);
                    }
                    j += 1;
                }
            }
        }
        // A bare name: a reference to a definition.
        if name_end > start && (name_end == b.len() || is_space(b[name_end])) {
            self.refs.push(text[start..name_end].to_string());
            return Some(name_end);
        }
        // One or more #id and .class glued together.
        let mut j = start;
        let mut found: Vec<(bool, &str)> = Vec::new();
        while j < b.len() && (b[j] == b'#' || b[j] == b'.') {
            let k = j + 1;
            let end = if b[j] == b'#' {
                if k < b.len() && b[k].is_ascii_alphabetic() {
                    let mut e = k + 1;
                    while e < b.len() && (is_word(b[e]) || b[e] == b':' || b[e] == b'-') {
                        e += 1;
                    }
                    e
                } else {
                    k
                }
            } else {
                // A class name is anything but white space, `.` and `#`.
                let rest = &text[k..];
                k + rest
                    .find(|c: char| c.is_ascii_whitespace() || c == '\u{b}' || c == '.' || c == '#')
                    .unwrap_or(rest.len())
            };
            if end == k {
                break;
            }
            found.push((b[j] == b'#', &text[k..end]));
            j = end;
        }
        if !found.is_empty() && (j == b.len() || is_space(b[j])) {
            for (is_id, v) in found {
                if is_id {
                    self.set("id", v.to_string());
                } else {
                    self.add_class(v);
                }
            }
            return Some(j);
        }
        None
    }

    fn set(&mut self, key: &str, value: String) {
        if key == "class" {
            return self.add_class(&value);
        }
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((key.to_string(), value)),
        }
    }

    fn add_class(&mut self, class: &str) {
        match self.attrs.iter_mut().find(|(k, _)| k == "class") {
            Some(slot) => {
                let joined = format!("{} {}", slot.1, class);
                slot.1 = joined.trim_start().to_string();
            }
            None => self
                .attrs
                .push(("class".into(), class.trim_start().to_string())),
        }
    }

    /// Another list for the same element: its classes appended, its other keys replacing.
    fn merge(&mut self, other: &Ial) {
        self.refs.extend(other.refs.iter().cloned());
        for (k, v) in &other.attrs {
            self.set(k, v.clone());
        }
    }

    fn refers_to_toc(&self) -> bool {
        self.refs.iter().any(|r| r == "toc")
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Ruby's `\w` on a UTF-8 string without the `u` flag is ASCII only.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of kramdown's `ALD_ID_NAME` (`\w[\w-]*`) at `start` (`start` itself when none).
fn name_end(b: &[u8], start: usize) -> usize {
    if start >= b.len() || !is_word(b[start]) {
        return start;
    }
    let mut e = start + 1;
    while e < b.len() && (is_word(b[e]) || b[e] == b'-') {
        e += 1;
    }
    e
}

/// What a marker left in the source stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    /// A block IAL right after its block: for the element that closed before the marker,
    /// white space between allowed.
    AfterBlock(Ial),
    /// A span IAL right after an emphasis, link, image, code span or HTML element: for the
    /// element that closed right at the marker; with none there, kramdown prints the text.
    AfterSpan(Ial, String),
    /// A block IAL before its block (after a blank line): for the next element.
    Before(Ial),
    /// A header id (`## Title {#id}`): for the element the marker is in.
    Enclosing(Ial),
    /// A list item's IAL (`* {:.cls} item`, `: {:.cls} definition`): for the `li` or `dd`
    /// the marker is in.
    Item(Ial),
    /// Raw text put back as it was (`{::nomarkdown}`, `{::comment}` as an HTML comment).
    Raw(String),
    /// A block boundary that prints nothing (`^`, a definition, `{::options /}`).
    Boundary,
    /// The next element, if a paragraph, loses its `<p>` tags (a definition list's term, and
    /// its definition when no blank line comes before it: kramdown's transparent paragraph).
    Unwrap,
}

/// What [`before_parse`] learnt from a post's source, for [`after_render`].
#[derive(Debug, Default)]
pub(crate) struct Pass {
    markers: Vec<Marker>,
    /// Attribute list definitions by name (`{:name: .class}`).
    alds: HashMap<String, Ial>,
    /// Abbreviations and their titles (`*[HTML]: Hyper Text Markup Language`).
    abbrevs: Vec<(String, String, Ial)>,
}

const MARKER_OPEN: &str = "<!--kd:";
const MARKER_CLOSE: &str = "-->";

impl Pass {
    fn mark(&mut self, marker: Marker) -> String {
        self.markers.push(marker);
        format!("{MARKER_OPEN}{}{MARKER_CLOSE}", self.markers.len() - 1)
    }

    /// Whether [`after_render`] has anything to do.
    fn is_empty(&self) -> bool {
        self.markers.is_empty() && self.abbrevs.is_empty()
    }
}

/// What the line before held, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// The start of the document, a blank line, or a boundary (`^`, a definition): a block
    /// IAL here is for the next block.
    Boundary,
    /// Block content: a block IAL here is for that block.
    Content,
    /// A block IAL for the block before: another one joins it.
    IalAfter,
    /// A link or footnote definition: kramdown gives it the IAL, which no output shows.
    Definition,
    /// An abbreviation definition: an IAL here gives its `<abbr>` elements attributes.
    Abbrev,
}

/// The source pass: the Markdown the renderer reads (kramdown syntax replaced by markers,
/// escapes kramdown does not know made literal) and what [`after_render`] needs.
pub(crate) fn before_parse<'a>(
    md: &'a str,
    opts: &KramdownOptions,
    pass: &mut Pass,
) -> Cow<'a, str> {
    let (source, learnt) = prepare(md, opts.parse_block_html);
    *pass = learnt;
    source
}

/// The HTML pass: each marker's work done and the marker removed, abbreviations wrapped.
pub(crate) fn after_render(html: String, _opts: &KramdownOptions, pass: &Pass) -> String {
    if pass.is_empty() {
        return html;
    }
    pass.finish(&html)
}

/// [`before_parse`] with `parse_block_html`, the option that makes every block HTML element
/// read as if it had `markdown="1"`.
fn prepare(md: &str, parse_block_html: bool) -> (Cow<'_, str>, Pass) {
    let mut kd = Pass::default();
    if !might_have_syntax(md) && !(parse_block_html && md.contains('<')) {
        return (Cow::Borrowed(md), kd);
    }
    let mut lines: Vec<String> = md.split('\n').map(str::to_string).collect();
    if md.contains("\n:") || md.contains("\n :") || md.contains("\n  :") || md.contains("\n   :") {
        lines = definition_lists(lines, &mut kd);
    }
    let mut out = String::with_capacity(md.len() + 64);
    let mut prev = Prev::Boundary;
    let mut fence: Option<(u8, usize)> = None;
    let mut math = false;
    let mut indented_code = false;
    let mut in_list = false;
    // A code span or a span IAL that continues on a later line: (line, byte) where the scan
    // resumes, and whether that line's text before it was taken (the IAL's end) or is copied.
    let mut resume: Option<(usize, usize, bool)> = None;
    let mut i = 0;
    while i < lines.len() {
        // A span IAL that took the line break: the lines join.
        if i > 0 && !matches!(resume, Some((line, _, true)) if line == i) {
            out.push('\n');
        }
        let line = lines[i].clone();
        let body = line.strip_suffix('\r').unwrap_or(&line);
        let eol = &line[body.len()..];
        if let Some((ch, len)) = fence {
            out.push_str(&line);
            if closes_fence(body, ch, len) {
                fence = None;
            }
            prev = Prev::Content;
            i += 1;
            continue;
        }
        if math {
            out.push_str(&line);
            math = !body.contains("$$");
            i += 1;
            continue;
        }
        if let Some((rl, rc, taken)) = resume {
            if rl > i {
                out.push_str(&line);
                i += 1;
                continue;
            }
            if !taken {
                out.push_str(&body[..rc]);
            }
            let (text, next) = spans(&mut kd, &lines, i, rc);
            out.push_str(&text);
            resume = next;
            out.push_str(eol);
            prev = Prev::Content;
            i += 1;
            continue;
        }
        if body.trim().is_empty() {
            out.push_str(&line);
            prev = Prev::Boundary;
            i += 1;
            continue;
        }
        let indent = columns(body);
        if indented_code && indent >= 4 {
            out.push_str(&line);
            i += 1;
            continue;
        }
        indented_code = false;
        if indent >= 4 && prev == Prev::Boundary && !in_list {
            indented_code = true;
            out.push_str(&line);
            i += 1;
            continue;
        }
        let start = container_prefix(body);
        let (prefix, rest) = body.split_at(start);
        let rest_end = rest.trim_end();
        if let Some(f) = opens_fence(rest) {
            fence = Some(f);
            out.push_str(&line);
            prev = Prev::Content;
            i += 1;
            continue;
        }
        if rest.starts_with("$$") && !rest[2..].contains("$$") {
            math = true;
            out.push_str(&line);
            prev = Prev::Content;
            i += 1;
            continue;
        }
        if indent == 0 && prev == Prev::Boundary {
            in_list = false;
        }
        if is_list_start(rest) || rest.starts_with(": ") || rest.starts_with("[^") {
            in_list = true;
        }
        // Block-level forms, each alone on its line.
        if rest_end == "^" {
            out.push_str(prefix);
            out.push_str(&kd.mark(Marker::Boundary));
            out.push_str(eol);
            prev = Prev::Boundary;
            i += 1;
            continue;
        }
        if rest.starts_with("{:") && !rest.starts_with("{::") {
            if let Some((name, list)) = ald(rest_end) {
                let ial = Ial::parse(list);
                kd.alds.entry(name.to_string()).or_default().merge(&ial);
                out.push_str(prefix);
                out.push_str(&kd.mark(Marker::Boundary));
                out.push_str(eol);
                prev = Prev::Boundary;
                i += 1;
                continue;
            }
            if let Some(list) = block_ial(rest_end) {
                let ial = Ial::parse(list);
                if ial.refers_to_toc() {
                    // `{:toc}` is the Markdown renderer's.
                    out.push_str(&line);
                    prev = Prev::Content;
                    i += 1;
                    continue;
                }
                let (marker, next) = match prev {
                    Prev::Content | Prev::IalAfter => {
                        (Some(Marker::AfterBlock(ial)), Prev::IalAfter)
                    }
                    Prev::Boundary => (Some(Marker::Before(ial)), Prev::Boundary),
                    Prev::Definition => (None, Prev::Definition),
                    Prev::Abbrev => {
                        if let Some(last) = kd.abbrevs.last_mut() {
                            last.2.merge(&ial);
                        }
                        (None, Prev::Abbrev)
                    }
                };
                out.push_str(prefix);
                let m = kd.mark(marker.unwrap_or(Marker::Boundary));
                out.push_str(&m);
                out.push_str(eol);
                prev = next;
                i += 1;
                continue;
            }
        }
        if rest.starts_with("{::") || rest.starts_with("{:/") {
            if let Some((marker, last)) = block_extension(&lines, i, start) {
                out.push_str(prefix);
                out.push_str(&kd.mark(marker));
                out.push_str(eol);
                prev = Prev::Boundary;
                i = last + 1;
                continue;
            }
        }
        if prev != Prev::Content && start <= 3 {
            if let Some((abbr, title)) = abbrev_definition(rest_end) {
                kd.abbrevs.retain(|(a, _, _)| a != abbr);
                kd.abbrevs
                    .push((abbr.to_string(), title.to_string(), Ial::default()));
                out.push_str(prefix);
                out.push_str(&kd.mark(Marker::Boundary));
                out.push_str(eol);
                prev = Prev::Abbrev;
                i += 1;
                continue;
            }
        }
        if is_link_definition(rest) {
            out.push_str(&line);
            prev = Prev::Definition;
            i += 1;
            continue;
        }
        if rest.starts_with('<') {
            if let Some(replacement) = markdown_attribute(&lines, i, start, parse_block_html) {
                let (first, last, new) = replacement;
                lines.splice(first..=last, new.split('\n').map(str::to_string));
                // The line is read again, its `markdown` attribute gone.
                if i > 0 {
                    out.pop();
                }
                continue;
            }
        }
        out.push_str(prefix);
        let mut from = 0;
        if let Some(id) = header_id(rest_end) {
            // `## Title {#id}`: kramdown's header id, for the heading the marker ends up in.
            let head = &rest_end[..rest_end.len() - id.len() - 3];
            let mut ial = Ial::default();
            ial.set("id", id.to_string());
            out.push_str(head.trim_end());
            out.push_str(&kd.mark(Marker::Enclosing(ial)));
            out.push_str(eol);
            prev = Prev::Content;
            i += 1;
            continue;
        }
        let mut item = None;
        if let Some((marker_end, ial_end)) = list_item_ial(rest) {
            out.push_str(&rest[..marker_end]);
            item = Some(Ial::parse(&rest[marker_end + 2..ial_end - 1]));
            from = ial_end;
            while rest[from..].starts_with([' ', '\t']) {
                from += 1;
            }
        }
        let (text, next) = spans(&mut kd, &lines, i, start + from);
        out.push_str(&text);
        resume = next;
        // At the end of the item's first line: at its start the marker would begin an HTML
        // block and take the line with it.
        if let (Some(ial), None) = (item, resume) {
            out.push_str(&kd.mark(Marker::Item(ial)));
        }
        out.push_str(eol);
        prev = Prev::Content;
        i += 1;
    }
    if kd.markers.is_empty() && out == md {
        return (Cow::Borrowed(md), kd);
    }
    (Cow::Owned(out), kd)
}

/// A cheap look for anything [`before_parse`] would change.
fn might_have_syntax(md: &str) -> bool {
    md.contains("{:")
        || md.contains("*[")
        || md.contains("markdown=")
        || md.contains("{#")
        || md.contains('\\')
        || md.starts_with('^')
        || md.contains("\n^")
        || md.contains("\n ^")
        || md.contains("\n:")
        || md.contains("\n :")
        || md.contains("\n  :")
        || md.contains("\n   :")
}

/// kramdown's `DEFINITION_LIST_START` (`^ {0,3}:[\t| ]`): where the definition's text starts.
fn definition_start(line: &str) -> Option<usize> {
    let t = line.trim_start_matches(' ');
    let indent = line.len() - t.len();
    let rest = t.strip_prefix(':')?;
    (indent <= 3 && rest.starts_with(['\t', ' ', '|'])).then(|| {
        let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        indent + 1 + ws
    })
}

/// Whether a line can start a paragraph (and so be a definition list's term).
fn starts_paragraph(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    line.len() - t.len() <= 3
        && !t.is_empty()
        && !t.starts_with(['#', '>', '<', '|', '{', '\t'])
        && !is_list_start(t)
        && opens_fence(t).is_none()
        && definition_start(line).is_none()
        && !t.starts_with("[^")
}

/// Definition lists (kramdown's `parse_definition_list`): each line of the paragraph before
/// `: definition` is a term. They become `<dl>`, `<dt>` and `<dd>` lines with the terms and
/// definitions between blank lines, so the renderer reads those as Markdown; a term, and a
/// definition with no blank line before it, lose the paragraph around them (`Unwrap`).
fn definition_lists(lines: Vec<String>, kd: &mut Pass) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 16);
    let mut fence: Option<(u8, usize)> = None;
    // Where the paragraph before this line starts in `out`, if it can hold terms; and whether
    // one blank line then followed it.
    let mut para: Option<usize> = None;
    let mut para_ok = false;
    let mut blank_after_para = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].strip_suffix('\r').unwrap_or(&lines[i]);
        if let Some((ch, len)) = fence {
            if closes_fence(line, ch, len) {
                fence = None;
            }
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        if let Some(f) = opens_fence(line.trim_start_matches(' ')) {
            fence = Some(f);
            para = None;
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        let def = definition_start(line);
        if let (Some(start), Some(first), true) = (def, para, para_ok) {
            let terms: Vec<String> = out
                .drain(first..)
                .filter(|l| !l.trim().is_empty())
                .collect();
            let mut first_as_para = blank_after_para;
            // A list right after another (blank lines between) continues it, as kramdown joins them.
            let blanks = out.iter().rev().take_while(|l| l.trim().is_empty()).count();
            let mut new = if out.len() > blanks && out[out.len() - blanks - 1] == "</dl>" {
                out.truncate(out.len() - blanks - 1);
                Vec::new()
            } else {
                vec!["<dl>".to_string(), String::new()]
            };
            for t in &terms {
                new.extend(["<dt>".to_string(), String::new(), kd.mark(Marker::Unwrap)]);
                new.extend([
                    t.trim().to_string(),
                    String::new(),
                    "</dt>".into(),
                    String::new(),
                ]);
            }
            let mut k = i;
            let mut start = start;
            loop {
                let indent = start.min(lines[k].len());
                let mut item = vec![lines[k][start..].to_string()];
                let mut last_blank = false;
                let mut next_as_para = false;
                k += 1;
                let mut next = None;
                while k < lines.len() {
                    let l = lines[k].strip_suffix('\r').unwrap_or(&lines[k]);
                    if let Some(s) = definition_start(l) {
                        next = Some(s);
                        break;
                    }
                    if l.trim().is_empty() {
                        item.push(String::new());
                        last_blank = true;
                        next_as_para = true;
                    } else if columns(l) >= indent {
                        item.push(l[l.len() - l.trim_start().len()..].to_string());
                        last_blank = false;
                        next_as_para = false;
                    } else if !last_blank && !l.trim_start().starts_with("{:") {
                        item.push(l.to_string());
                        next_as_para = false;
                    } else {
                        break;
                    }
                    k += 1;
                }
                while item.last().is_some_and(|l| l.trim().is_empty()) {
                    item.pop();
                }
                new.extend(["<dd>".to_string(), String::new()]);
                if !first_as_para {
                    new.push(kd.mark(Marker::Unwrap));
                }
                new.extend(item);
                new.extend([String::new(), "</dd>".to_string(), String::new()]);
                match next {
                    Some(s) => {
                        start = s;
                        first_as_para = next_as_para;
                    }
                    None => break,
                }
            }
            new.push("</dl>".into());
            out.extend(new);
            // The blank lines the definitions ended with are read again.
            while k > i && lines[k - 1].trim().is_empty() {
                k -= 1;
            }
            if k < lines.len() && !lines[k].trim().is_empty() {
                out.push(String::new());
            }
            i = k;
            para = None;
            continue;
        }
        if line.trim().is_empty() {
            blank_after_para = para.is_some()
                && !blank_after_para
                && out.last().is_some_and(|l| !l.trim().is_empty());
            if !blank_after_para {
                para = None;
            }
        } else {
            if para.is_none() || blank_after_para {
                para = Some(out.len());
                para_ok = starts_paragraph(line);
            } else {
                // A list, heading, quote or HTML block ends the paragraph: no terms above it.
                let t = line.trim_start_matches(' ');
                para_ok &= !is_list_start(t) && !t.starts_with(['#', '>', '<', '|']);
            }
            blank_after_para = false;
        }
        out.push(lines[i].clone());
        i += 1;
    }
    out
}

/// Columns of leading white space, tabs to the next multiple of four.
fn columns(line: &str) -> usize {
    let mut col = 0;
    for b in line.bytes() {
        match b {
            b' ' => col += 1,
            b'\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// The length of the leading white space and blockquote markers.
fn container_prefix(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t', '>']).len()
}

fn opens_fence(rest: &str) -> Option<(u8, usize)> {
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    if len < 3 || (ch == b'`' && rest[len..].contains('`')) {
        return None;
    }
    Some((ch, len))
}

fn closes_fence(body: &str, ch: u8, len: usize) -> bool {
    let rest = body.trim_start_matches([' ', '\t', '>']);
    let n = rest.bytes().take_while(|&b| b == ch).count();
    n >= len && rest[n..].trim().is_empty()
}

fn is_list_start(rest: &str) -> bool {
    let b = rest.as_bytes();
    let after = if matches!(b.first(), Some(b'*' | b'+' | b'-')) {
        1
    } else {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 9 || !matches!(b.get(digits), Some(b'.' | b')')) {
            return false;
        }
        digits + 1
    };
    matches!(b.get(after), None | Some(b' ' | b'\t'))
}

/// `[name]: url` or `[^note]: text`.
fn is_link_definition(rest: &str) -> bool {
    rest.starts_with('[')
        && rest
            .find("]:")
            .is_some_and(|e| e > 1 && !rest[1..e].contains(']'))
}

/// The end of an IAL's text (kramdown's `ALD_ANY_CHARS+` then `}`) in `s` from `from`:
/// the index of the closing `}`.
fn list_end(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let b = &b[..b.len().min(from + SCAN_BYTES)];
    let mut j = from;
    while j < b.len() {
        match b[j] {
            b'\\' if b.get(j + 1) == Some(&b'}') => j += 2,
            b'}' => return (j > from).then_some(j),
            _ => j += 1,
        }
    }
    None
}

/// `{:name: list}` alone on a line: the name and the list.
fn ald(rest: &str) -> Option<(&str, &str)> {
    let s = rest.strip_prefix("{:")?;
    let n = name_end(s.as_bytes(), 0);
    if n == 0 || s.as_bytes().get(n) != Some(&b':') {
        return None;
    }
    let end = list_end(s, n + 1)?;
    (end + 1 == s.len()).then(|| (&s[..n], &s[n + 1..end]))
}

/// `{: list}` alone on a line (not `{::` or `{:/`): the list.
fn block_ial(rest: &str) -> Option<&str> {
    let s = rest.strip_prefix("{:")?;
    if s.starts_with([':', '/']) {
        return None;
    }
    let end = list_end(s, 0)?;
    (end + 1 == s.len()).then(|| &s[..end])
}

/// `*[abbr]: title` (kramdown's `ABBREV_DEFINITION_START`).
fn abbrev_definition(rest: &str) -> Option<(&str, &str)> {
    let s = rest.strip_prefix("*[")?;
    let end = s.find("]:")?;
    (end > 0).then(|| (&s[..end], s[end + 2..].trim()))
}

/// `## Title {#id}`: the id.
fn header_id(rest: &str) -> Option<&str> {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) || !rest[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let s = rest.strip_suffix('}')?;
    let open = s.rfind("{#")?;
    let id = &s[open + 2..];
    let ok = open > hashes
        && s.as_bytes()[open - 1].is_ascii_whitespace()
        && id.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && id.bytes().all(|b| is_word(b) || b == b':' || b == b'-');
    ok.then_some(id)
}

/// `* {:.cls} item`: where the IAL starts (after the list marker and its white space) and ends.
fn list_item_ial(rest: &str) -> Option<(usize, usize)> {
    if !is_list_start(rest) && !rest.starts_with(": ") {
        return None;
    }
    let marker = rest.find([' ', '\t'])?;
    let ws = rest[marker..].len() - rest[marker..].trim_start_matches([' ', '\t']).len();
    let at = marker + ws;
    let s = &rest[at..];
    if !s.starts_with("{:") || s.starts_with("{::") || s.starts_with("{:/") {
        return None;
    }
    // `{:name:` would be a definition, not an IAL.
    let n = name_end(s.as_bytes(), 2);
    if n > 2 && s.as_bytes().get(n) == Some(&b':') {
        return None;
    }
    let end = list_end(s, 2)?;
    if Ial::parse(&s[2..end]).refers_to_toc() {
        return None;
    }
    Some((at, at + end + 1))
}

/// `{::name list}…{:/name}` (or `{:/}`), `{::name list /}`, each tag alone on its line, from
/// line `i`: the marker it becomes and the last line it takes. `None` leaves the lines as text,
/// as kramdown does with an unknown extension or one without its end tag.
fn block_extension(lines: &[String], i: usize, start: usize) -> Option<(Marker, usize)> {
    let first = lines[i][start..].trim_end();
    let s = first.strip_prefix("{::")?;
    let n = s.bytes().take_while(|&b| is_word(b)).count();
    let name = &s[..n];
    let inner = s[n..].strip_suffix('}')?;
    let (list, closed) = match inner.strip_suffix('/') {
        Some(l) => (l, true),
        None => (inner, false),
    };
    if n == 0 || !(list.is_empty() || list.starts_with(char::is_whitespace)) {
        return None;
    }
    let ial = Ial::parse(list);
    let (body, last) = if closed {
        (None, i)
    } else {
        let stop = (i + 1..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            let t = l.trim_start_matches(' ');
            l.len() - t.len() <= 3 && (t == "{:/}" || t == format!("{{:/{name}}}"))
        })?;
        (Some(lines[i + 1..stop].join("\n")), stop)
    };
    let marker = match (name, body) {
        ("comment", Some(b)) => Marker::Raw(format!("<!-- {b} -->")),
        ("nomarkdown", Some(b)) => {
            let html = is_html_output(&ial);
            if html {
                Marker::Raw(b)
            } else {
                Marker::Boundary
            }
        }
        ("comment" | "nomarkdown", None) | ("options", _) => Marker::Boundary,
        _ => return None,
    };
    Some((marker, last))
}

/// The characters kramdown's GFM parser takes after a backslash as themselves
/// (`ESCAPED_CHARS_GFM`); CommonMark takes every ASCII punctuation character, so a backslash
/// before any other one is printed by kramdown and doubled here for the renderer. (A
/// backslash at the end of a line is a line break in both.)
const KRAMDOWN_ESCAPES: &[u8] = b"\\.*_+`<>()[]{}#!:|\"'$=-~";

/// The span-level pass over line `i` from byte `from`: escapes, span IALs and span extensions,
/// code spans and `$$` math left alone. A code span that closes on a later line gives where
/// the scan resumes.
fn spans(
    kd: &mut Pass,
    lines: &[String],
    i: usize,
    from: usize,
) -> (String, Option<(usize, usize, bool)>) {
    let line = lines[i].strip_suffix('\r').unwrap_or(&lines[i]);
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len() - from);
    let html_line = line[from..].starts_with('<');
    let mut copied = from;
    let mut j = from;
    // Backtick run lengths with no closing run after them: a later run of the same length has
    // none either, so a line of unmatched backticks is read once, not once per backtick.
    let mut unclosed: Vec<usize> = Vec::new();
    let last_close_brace = line.rfind('}');
    let last_math = line.rfind("$$");
    while j < b.len() {
        match b[j] {
            b'\\' => match b.get(j + 1) {
                Some(&c)
                    if c.is_ascii_punctuation() && !KRAMDOWN_ESCAPES.contains(&c) && !html_line =>
                {
                    out.push_str(&line[copied..j]);
                    out.push_str("\\\\");
                    copied = j + 1;
                    j += 2;
                }
                _ => j += 2,
            },
            b'`' => {
                let n = b[j..].iter().take_while(|&&c| c == b'`').count();
                if unclosed.contains(&n) {
                    j += n;
                    continue;
                }
                if let Some(end) = closing_ticks(line, j + n, n) {
                    j = end;
                    continue;
                }
                unclosed.push(n);
                // The span may close on a later line of the paragraph.
                for (k, later) in lines.iter().enumerate().skip(i + 1).take(SCAN_LINES) {
                    if later.trim().is_empty() {
                        break;
                    }
                    if let Some(end) = closing_ticks(later, 0, n) {
                        out.push_str(&line[copied..]);
                        return (out, Some((k, end, false)));
                    }
                }
                j += n;
            }
            b']' if b.get(j + 1) == Some(&b'(') => {
                // kramdown takes white space in a link's URL (`![a](/img/my photo.png)`);
                // CommonMark only in `<…>`.
                if let Some((url_end, url)) = spaced_url(line, j + 2) {
                    out.push_str(&line[copied..j + 2]);
                    out.push('<');
                    out.push_str(url.trim());
                    out.push('>');
                    copied = url_end;
                    j = url_end;
                    continue;
                }
                j += 1;
            }
            b'$' if b.get(j + 1) == Some(&b'$') => {
                j = match last_math.filter(|&m| m > j + 1) {
                    Some(_) => line[j + 2..].find("$$").map_or(j + 2, |e| j + 2 + e + 2),
                    None => j + 2,
                };
            }
            // A span IAL broken across a line (`![a](b){:` + newline + `.c width="7"}`):
            // kramdown's `\{:(…)\}` takes the newline.
            b'{' if b.get(j + 1) == Some(&b':')
                && last_close_brace.is_none_or(|c| c < j)
                && j > from
                && b"*_)]>~`".contains(&b[j - 1])
                && !line[j + 2..].starts_with([':', '/']) =>
            {
                let next = lines.get(i + 1).map(|l| l.strip_suffix('\r').unwrap_or(l));
                if let Some((next, e)) = next
                    .filter(|n| !n.trim().is_empty())
                    .and_then(|n| list_end(n, 0).map(|e| (n, e)))
                {
                    let list = format!("{} {}", &line[j + 2..], &next[..e]);
                    let ial = Ial::parse(&list);
                    if !ial.refers_to_toc() {
                        out.push_str(&line[copied..j]);
                        let literal = format!("{}\n{}", &line[j..], &next[..=e]);
                        out.push_str(&kd.mark(Marker::AfterSpan(ial, literal)));
                        return (out, Some((i + 1, e + 1, true)));
                    }
                }
                j += 2;
            }
            b'{' if b.get(j + 1) == Some(&b':') && last_close_brace.is_some_and(|c| c > j) => {
                if let Some((marker, end)) = span_extension(line, j) {
                    out.push_str(&line[copied..j]);
                    out.push_str(&kd.mark(marker));
                    copied = end;
                    j = end;
                    continue;
                }
                let after_element = j > from && b"*_)]>~`".contains(&b[j - 1]);
                if let (true, Some(e)) = (after_element, list_end(line, j + 2)) {
                    let ial = Ial::parse(&line[j + 2..e]);
                    if !ial.refers_to_toc() && !line[j + 2..].starts_with([':', '/']) {
                        out.push_str(&line[copied..j]);
                        let literal = line[j..=e].to_string();
                        out.push_str(&kd.mark(Marker::AfterSpan(ial, literal)));
                        copied = e + 1;
                        j = e + 1;
                        continue;
                    }
                }
                j += 2;
            }
            _ => j += 1,
        }
    }
    out.push_str(&line[copied..]);
    (out, None)
}

/// A link's URL with white space in it, from `from` (after `](`): where it ends (before the
/// title or the closing parenthesis) and the URL. `None` for a URL without white space, in
/// `<…>`, or without its closing parenthesis on the line.
fn spaced_url(line: &str, from: usize) -> Option<(usize, &str)> {
    let b = line.as_bytes();
    let b = &b[..b.len().min(from + SCAN_BYTES)];
    let mut depth = 1;
    let mut k = from;
    let mut url_end = None;
    while k < b.len() {
        match b[k] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'"' | b'\'' if k > from && b[k - 1].is_ascii_whitespace() && url_end.is_none() => {
                url_end = Some(k - 1)
            }
            b'<' | b'>' | b'`' => return None,
            _ => {}
        }
        k += 1;
    }
    if k >= b.len() {
        return None;
    }
    let end = url_end.unwrap_or(k);
    let url = &line[from..end];
    (url.trim().contains(char::is_whitespace)).then_some((end, url))
}

/// How far an attribute list, a link's URL or an extension's body is looked for, and how many
/// lines ahead a code span's end: longer ones are taken as text, so that no input makes the
/// source pass quadratic.
const SCAN_BYTES: usize = 4096;
const SCAN_LINES: usize = 1000;

/// Where a run of exactly `n` backticks in `s` from `from` ends.
fn closing_ticks(s: &str, from: usize, n: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut j = from;
    while j < b.len() {
        if b[j] == b'`' {
            let m = b[j..].iter().take_while(|&&c| c == b'`').count();
            if m == n {
                return Some(j + m);
            }
            j += m;
        } else {
            j += 1;
        }
    }
    None
}

/// A span extension at `at` in `line`: `{::name list}body{:/name}` (or `{:/}`) or
/// `{::name list /}`; the marker and where it ends.
fn span_extension(line: &str, at: usize) -> Option<(Marker, usize)> {
    let s = line[at..].strip_prefix("{::")?;
    let n = s.bytes().take_while(|&b| is_word(b)).count();
    let name = &s[..n];
    let close = list_end(s, n).or_else(|| (s.as_bytes().get(n) == Some(&b'}')).then_some(n))?;
    let inner = &s[n..close];
    let (list, closed) = match inner.strip_suffix('/') {
        Some(l) => (l, true),
        None => (inner, false),
    };
    if n == 0 || !(list.is_empty() || list.starts_with(char::is_whitespace)) {
        return None;
    }
    let open_end = at + 3 + close + 1;
    let (body, end) = if closed {
        (None, open_end)
    } else {
        let mut cut = line.len().min(open_end + SCAN_BYTES);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let rest = &line[open_end..cut];
        let named = format!("{{:/{name}}}");
        let (pos, len) = [
            rest.find(&named).map(|p| (p, named.len())),
            rest.find("{:/}").map(|p| (p, 4)),
        ]
        .into_iter()
        .flatten()
        .min()?;
        (Some(&rest[..pos]), open_end + pos + len)
    };
    let marker = match (name, body) {
        ("comment", Some(b)) => Marker::Raw(format!("<!-- {b} -->")),
        ("nomarkdown", Some(b)) => {
            let ial = Ial::parse(list);
            let html = is_html_output(&ial);
            if html {
                Marker::Raw(b.to_string())
            } else {
                Marker::Raw(String::new())
            }
        }
        ("comment" | "nomarkdown", None) | ("options", _) => Marker::Raw(String::new()),
        _ => return None,
    };
    Some((marker, end))
}

/// kramdown's block content models (lib/kramdown/parser/html.rb): the elements whose
/// `markdown="1"` content is read as blocks.
const BLOCK_CONTENT: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "figcaption",
    "footer",
    "form",
    "header",
    "hgroup",
    "iframe",
    "li",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "section",
    "summary",
    "td",
];

/// An HTML block start tag at line `i` with a `markdown` attribute: the lines it replaces
/// (first, last) and their new text. The attribute goes; with block content (`"1"` on a block
/// element, `"block"`) the content is set apart by blank lines so the renderer reads it as
/// Markdown, as kramdown does.
fn markdown_attribute(
    lines: &[String],
    i: usize,
    start: usize,
    parse_block_html: bool,
) -> Option<(usize, usize, String)> {
    let line = &lines[i];
    let b = line.as_bytes();
    let name_len = b[start + 1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !b[start + 1].is_ascii_alphabetic() {
        return None;
    }
    let name = line[start + 1..start + 1 + name_len].to_ascii_lowercase();
    let tag_end = tag_end(line, start + 1 + name_len)?;
    let tag = &line[start..tag_end];
    let (new_tag, block) = match find_attribute(tag, "markdown") {
        Some((attr_start, attr_end, value)) => {
            let block = match value.as_str() {
                "1" => BLOCK_CONTENT.contains(&name.as_str()),
                "block" => true,
                "0" | "span" => false,
                _ => parse_block_html && BLOCK_CONTENT.contains(&name.as_str()),
            };
            (format!("{}{}", &tag[..attr_start], &tag[attr_end..]), block)
        }
        None => {
            // Set apart already (or read again after that): nothing to do.
            let apart = line[tag_end..].trim().is_empty()
                && lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
            if !parse_block_html || apart || !BLOCK_CONTENT.contains(&name.as_str()) {
                return None;
            }
            (tag.to_string(), true)
        }
    };
    let plain = format!("{}{}{}", &line[..start], new_tag, &line[tag_end..]);
    if !block || line[..start].contains('>') {
        return Some((i, i, plain));
    }
    let joined = lines[i..lines.len().min(i + SCAN_LINES)].join("\n");
    let Some((close_start, close_end)) = find_close(&joined, tag_end, &name) else {
        return Some((i, i, plain));
    };
    let last = i + joined[..close_end].matches('\n').count();
    let after = joined[close_end..].split('\n').next().unwrap_or("");
    let inner = joined[tag_end..close_start].trim_matches(['\n', '\r']);
    let mut new = format!("{}{}\n\n", &line[..start], new_tag);
    if !inner.trim().is_empty() {
        new.push_str(&end_html_elements(inner));
        new.push_str("\n\n");
    }
    new.push_str(&joined[close_start..close_end]);
    if !after.trim().is_empty() {
        new.push('\n');
        new.push_str(after);
    }
    // What follows the element is read as blocks again, not as more of the HTML block.
    if lines.get(last + 1).is_some_and(|l| !l.trim().is_empty()) {
        new.push('\n');
    }
    Some((i, last, new))
}

/// Markdown content with a blank line after each line that is a whole HTML element
/// (`<header>…</header>`) and is followed by Markdown: kramdown ends such an element at its
/// end tag, CommonMark's HTML block only at a blank line, and would take the Markdown with it.
fn end_html_elements(inner: &str) -> String {
    let lines: Vec<&str> = inner.split('\n').collect();
    let mut out = String::with_capacity(inner.len() + 8);
    for (k, l) in lines.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(l);
        let t = l.trim();
        let name: String = t
            .strip_prefix('<')
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let whole = !name.is_empty()
            && t.to_ascii_lowercase()
                .ends_with(&format!("</{}>", name.to_ascii_lowercase()));
        let next = lines.get(k + 1).map(|n| n.trim());
        if whole && next.is_some_and(|n| !n.is_empty() && !n.starts_with('<')) {
            out.push('\n');
        }
    }
    out
}

/// The end (after `>`) of the start tag whose attributes begin at `from`.
fn tag_end(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut quote = None;
    for (j, &c) in b.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(j + 1),
            None => {}
        }
    }
    None
}

/// An attribute in a start tag: its span (from the white space before it) and its value.
fn find_attribute(tag: &str, name: &str) -> Option<(usize, usize, String)> {
    let attrs = parse_tag(tag)?;
    let a = attrs
        .attrs
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))?;
    Some((a.span.0, a.span.1, a.value.clone().unwrap_or_default()))
}

/// The matching end tag of `name` in `s` after `from`, nested elements of the same name
/// counted: its span.
fn find_close(s: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let lower = s.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut depth = 1usize;
    let mut j = from;
    while let Some(p) = lower[j..].find('<') {
        let at = j + p;
        let (closing, n) = if b.get(at + 1) == Some(&b'/') {
            (true, at + 2)
        } else {
            (false, at + 1)
        };
        let boundary = b
            .get(n + name.len())
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/');
        if lower[n..].starts_with(name) && boundary {
            let end = tag_end(s, n + name.len())?;
            if closing {
                depth -= 1;
                if depth == 0 {
                    return Some((at, end));
                }
            } else if !s[..end].ends_with("/>") {
                depth += 1;
            }
            j = end;
        } else {
            j = at + 1;
        }
    }
    None
}

/// An attribute of a start tag as written: its value without quotes (still escaped) and its
/// span in the tag, from the white space before it.
#[derive(Debug)]
struct Attr {
    name: String,
    value: Option<String>,
    span: (usize, usize),
}

#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<Attr>,
    /// Where the attributes end (`>` or `/>`).
    tail: usize,
}

/// Reads a start tag `<name attr="v" attr='v' attr=v attr>`.
fn parse_tag(tag: &str) -> Option<Tag> {
    let b = tag.as_bytes();
    if b.first() != Some(&b'<') || !b.get(1)?.is_ascii_alphabetic() {
        return None;
    }
    let mut j = 1;
    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
        j += 1;
    }
    let name = tag[1..j].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        let ws = j;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() || b[j] == b'>' || (b[j] == b'/' && b.get(j + 1) == Some(&b'>')) {
            return Some(Tag {
                name,
                attrs,
                tail: ws,
            });
        }
        let n0 = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'>' | b'=' | b'/') {
            j += 1;
        }
        if j == n0 {
            j += 1;
            continue;
        }
        let attr_name = tag[n0..j].to_string();
        let mut k = j;
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        let mut value = None;
        if b.get(k) == Some(&b'=') {
            k += 1;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            match b.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let e = tag[k + 1..].find(q as char).map_or(b.len(), |e| k + 1 + e);
                    value = Some(tag[k + 1..e].to_string());
                    j = (e + 1).min(b.len());
                }
                _ => {
                    let e = tag[k..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(b.len(), |e| k + e);
                    value = Some(tag[k..e].to_string());
                    j = e;
                }
            }
        }
        attrs.push(Attr {
            name: attr_name,
            value,
            span: (ws, j),
        });
    }
}

/// Classes added to a `class` attribute. Code that rouge highlights has its classes
/// (`language-x highlighter-rouge`) set after the IAL's, as kramdown's converter sets them: an
/// IAL's own `language-y` names the language, its other classes go between; a language rouge
/// does not know is not highlighted, and the code keeps the IAL's classes only.
fn add_classes(old: &str, new: &str) -> String {
    let Some(base) = old.strip_suffix("highlighter-rouge").map(str::trim_end) else {
        return format!("{old} {new}").trim_start().to_string();
    };
    let mut language = base.split_whitespace().find(|c| c.starts_with("language-"));
    let mut middle: Vec<&str> = base
        .split_whitespace()
        .filter(|c| !c.starts_with("language-"))
        .collect();
    for c in new.split_whitespace() {
        if c.starts_with("language-") {
            language = Some(c);
        } else {
            middle.push(c);
        }
    }
    let known = language.is_none_or(|l| super::rouge::knows(&l["language-".len()..]));
    if !known {
        return new.to_string();
    }
    language
        .into_iter()
        .chain(middle)
        .chain(["highlighter-rouge"])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a `{::nomarkdown}` body is for the HTML converter: no `type`,
/// or one that names `html`.
fn is_html_output(ial: &Ial) -> bool {
    ial.attrs
        .iter()
        .find(|(k, _)| k == "type")
        .is_none_or(|(_, v)| v.trim().is_empty() || v.split_whitespace().any(|t| t == "html"))
}

/// kramdown's `escape_html(v, :attribute)`: `& < > "`.
fn escape_attribute(v: &str) -> String {
    html_escape::encode_double_quoted_attribute(v).into_owned()
}

fn escape_text(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose text kramdown leaves as it is (its raw content model): no abbreviations.
const RAW_TEXT: &[&str] = &[
    "script", "style", "math", "option", "textarea", "pre", "code", "kbd", "samp", "var",
];

impl Pass {
    /// The HTML pass: each marker's work done and the marker removed, abbreviations wrapped.
    fn finish(&self, html: &str) -> String {
        if self.is_empty() {
            return html.to_string();
        }
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut targets: Vec<(usize, Ial)> = Vec::new();
        let target = |at: usize, ial: &Ial, targets: &mut Vec<(usize, Ial)>| match targets
            .iter_mut()
            .find(|(p, _)| *p == at)
        {
            Some((_, merged)) => merged.merge(ial),
            None => targets.push((at, ial.clone())),
        };
        let mut stack: Vec<(String, usize)> = Vec::new();
        // Paragraphs whose tags go (a definition's first paragraph): their start tags' places.
        let mut unwrapped: Vec<usize> = Vec::new();
        let mut unwrap_next = false;
        // The element that closed last: where its start tag is, where it ended.
        let mut last_closed: Option<(usize, usize)> = None;
        let mut before: Vec<&Ial> = Vec::new();
        let mut raw_depth = 0usize;
        let b = html.as_bytes();
        let mut text_from = 0;
        let mut j = 0;
        let text = |from: usize,
                    to: usize,
                    raw: bool,
                    last_closed: &mut Option<(usize, usize)>,
                    edits: &mut Vec<(usize, usize, String)>| {
            if from >= to {
                return;
            }
            let t = &html[from..to];
            if !t.trim().is_empty() {
                *last_closed = None;
                if !raw && !self.abbrevs.is_empty() {
                    if let Some(new) = self.abbreviate(t) {
                        edits.push((from, to, new));
                    }
                }
            }
        };
        while let Some(p) = html[j..].find('<') {
            let at = j + p;
            if html[at..].starts_with(MARKER_OPEN) {
                let Some(len) = html[at..].find(MARKER_CLOSE) else {
                    break;
                };
                let end = at + len + MARKER_CLOSE.len();
                text(text_from, at, raw_depth > 0, &mut last_closed, &mut edits);
                let n: Option<usize> = html[at + MARKER_OPEN.len()..at + len].parse().ok();
                let mut replacement = String::new();
                match n.and_then(|n| self.markers.get(n)) {
                    Some(Marker::AfterBlock(ial)) => {
                        if let Some((start, _)) = last_closed {
                            target(start, ial, &mut targets);
                        }
                    }
                    Some(Marker::AfterSpan(ial, literal)) => match last_closed {
                        Some((start, closed_at)) if closed_at == at => {
                            target(start, ial, &mut targets)
                        }
                        _ => replacement = escape_text(literal),
                    },
                    Some(Marker::Before(ial)) => before.push(ial),
                    Some(Marker::Enclosing(ial)) => {
                        if let Some((_, start)) = stack.last() {
                            target(*start, ial, &mut targets);
                        }
                    }
                    Some(Marker::Item(ial)) => {
                        let item = stack.iter().rev().find(|(n, _)| n == "li" || n == "dd");
                        if let Some((_, start)) = item {
                            target(*start, ial, &mut targets);
                        }
                    }
                    Some(Marker::Raw(s)) => replacement = s.clone(),
                    Some(Marker::Unwrap) => unwrap_next = true,
                    Some(Marker::Boundary) | None => {}
                }
                if !replacement.is_empty() {
                    last_closed = None;
                }
                // A marker alone on its line leaves no empty line behind.
                let line_start = html[..at].rfind('\n').map_or(0, |p| p + 1);
                let own_line =
                    html[line_start..at].trim().is_empty() && html[end..].starts_with('\n');
                let end = if own_line && replacement.is_empty() {
                    end + 1
                } else {
                    end
                };
                let start = if own_line && replacement.is_empty() {
                    line_start
                } else {
                    at
                };
                edits.push((start, end, replacement));
                j = end;
                text_from = end;
                continue;
            }
            if html[at..].starts_with("<!--") {
                text(text_from, at, raw_depth > 0, &mut last_closed, &mut edits);
                j = html[at + 4..]
                    .find("-->")
                    .map_or(html.len(), |e| at + 4 + e + 3);
                text_from = j;
                continue;
            }
            let closing = b.get(at + 1) == Some(&b'/');
            let name_at = if closing { at + 2 } else { at + 1 };
            if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                j = at + 1;
                continue;
            }
            let Some(end) = tag_end(html, name_at) else {
                break;
            };
            text(text_from, at, raw_depth > 0, &mut last_closed, &mut edits);
            let name_len = b[name_at..end]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
            let name = html[name_at..name_at + name_len].to_ascii_lowercase();
            if closing {
                if let Some(k) = stack.iter().rposition(|(n, _)| *n == name) {
                    let start = stack[k].1;
                    stack.truncate(k);
                    if unwrapped.contains(&start) {
                        edits.push((at, end, String::new()));
                    }
                    last_closed = Some((start, end));
                    if RAW_TEXT.contains(&name.as_str()) {
                        raw_depth = raw_depth.saturating_sub(1);
                    }
                }
            } else {
                for ial in before.drain(..) {
                    target(at, ial, &mut targets);
                }
                if std::mem::take(&mut unwrap_next) && name == "p" {
                    edits.push((at, end, String::new()));
                    unwrapped.push(at);
                }
                if VOID.contains(&name.as_str()) || html[..end].ends_with("/>") {
                    last_closed = Some((at, end));
                } else {
                    stack.push((name.clone(), at));
                    if RAW_TEXT.contains(&name.as_str()) {
                        raw_depth += 1;
                    }
                    if name == "script" || name == "style" {
                        // Their text is not HTML: skip to the end tag.
                        let close = format!("</{name}");
                        if let Some(c) = html[end..].to_ascii_lowercase().find(&close) {
                            j = end + c;
                            text_from = j;
                            continue;
                        }
                    }
                }
            }
            j = end;
            text_from = end;
        }
        text(
            text_from,
            html.len(),
            raw_depth > 0,
            &mut last_closed,
            &mut edits,
        );
        for (at, ial) in &targets {
            let Some(end) = tag_end(html, at + 1) else {
                continue;
            };
            if let Some(new) = self.with_attributes(&html[*at..end], ial) {
                edits.push((*at, end, new));
            }
        }
        edits.sort_by_key(|e| e.0);
        let mut out = String::with_capacity(html.len() + 64);
        let mut copied = 0;
        for (start, end, new) in edits {
            if start < copied {
                continue;
            }
            out.push_str(&html[copied..start]);
            out.push_str(&new);
            copied = end;
        }
        out.push_str(&html[copied..]);
        out
    }

    /// A start tag with an IAL applied, as kramdown's `update_attr_with_ial` applies it: the
    /// referenced definitions first, then the list's own attributes; classes are appended,
    /// other keys replace.
    fn with_attributes(&self, tag: &str, ial: &Ial) -> Option<String> {
        let parsed = parse_tag(tag)?;
        let mut attrs: Vec<(String, Option<String>)> = parsed
            .attrs
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.value.as_ref().map(|v| v.replace('"', "&quot;")),
                )
            })
            .collect();
        self.apply(&mut attrs, ial, 0);
        let mut out = format!("<{}", &tag[1..1 + parsed.name.len()]);
        for (k, v) in &attrs {
            match v {
                Some(v) if k == "id" && v.trim().is_empty() => {}
                Some(v) => {
                    out.push_str(&format!(" {k}=\"{v}\""));
                }
                None => {
                    out.push(' ');
                    out.push_str(k);
                }
            }
        }
        out.push_str(tag[parsed.tail..].trim_start());
        if out.ends_with("/>") && !out.ends_with(" />") {
            out.insert(out.len() - 2, ' ');
        }
        Some(out)
    }

    fn apply(&self, attrs: &mut Vec<(String, Option<String>)>, ial: &Ial, depth: usize) {
        // Definitions may refer to each other; a cycle stops here rather than recursing forever.
        if depth < 16 {
            for r in &ial.refs {
                if let Some(def) = self.alds.get(r) {
                    self.apply(attrs, def, depth + 1);
                }
            }
        }
        for (k, v) in &ial.attrs {
            let v = escape_attribute(v);
            match attrs
                .iter_mut()
                .find(|(name, _)| name.eq_ignore_ascii_case(k))
            {
                Some((_, Some(old))) if k == "class" => *old = add_classes(old, &v),
                Some((_, slot)) => *slot = Some(v),
                None => attrs.push((k.clone(), Some(v))),
            }
        }
    }

    /// A text node (as HTML) with the abbreviations wrapped in `<abbr>`, or `None` if it has
    /// none. An abbreviation counts only as a whole word: not after or before an ASCII word
    /// character (Ruby's `\w`); the longest abbreviation wins where several start.
    fn abbreviate(&self, text: &str) -> Option<String> {
        let mut sorted: Vec<(String, &str, &Ial)> = self
            .abbrevs
            .iter()
            .map(|(a, t, ial)| (escape_text(a), t.as_str(), ial))
            .collect();
        sorted.sort_by_key(|(a, _, _)| std::cmp::Reverse(a.len()));
        let firsts: Vec<u8> = sorted
            .iter()
            .filter_map(|(a, _, _)| a.bytes().next())
            .collect();
        let b = text.as_bytes();
        let mut out = String::new();
        let mut copied = 0;
        let mut j = 0;
        while j < b.len() {
            if !firsts.contains(&b[j]) {
                j += 1;
                continue;
            }
            let word_before = j > 0 && is_word(b[j - 1]);
            let found = (!word_before)
                .then(|| {
                    sorted.iter().find(|(a, _, _)| {
                        text[j..].starts_with(a.as_str())
                            && !b.get(j + a.len()).is_some_and(|&c| is_word(c))
                    })
                })
                .flatten();
            match found {
                Some((a, title, ial)) => {
                    out.push_str(&text[copied..j]);
                    let mut abbr = Ial::default();
                    abbr.merge(ial);
                    let mut attrs = Vec::new();
                    self.apply(&mut attrs, &abbr, 0);
                    if !title.is_empty() {
                        attrs.retain(|(k, _)| k != "title");
                        attrs.push(("title".into(), Some(escape_attribute(title))));
                    }
                    out.push_str("<abbr");
                    for (k, v) in attrs {
                        out.push_str(&format!(" {k}=\"{}\"", v.unwrap_or_default()));
                    }
                    out.push('>');
                    out.push_str(a);
                    out.push_str("</abbr>");
                    j += a.len();
                    copied = j;
                }
                None => j += text[j..].chars().next().map_or(1, char::len_utf8),
            }
        }
        (copied > 0).then(|| {
            out.push_str(&text[copied..]);
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(text: &str) -> Vec<(String, String)> {
        Ial::parse(text).attrs
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_attribute_list_reads_classes_ids_and_quoted_values() {
        assert_eq!(
            attrs(".a #x .b key=\"v w\" other='it''s' .c#y"),
            pairs(&[
                ("class", "a b c"),
                ("id", "y"),
                ("key", "v w"),
                ("other", "it''s")
            ])
        );
    }

    #[test]
    fn an_attribute_list_keeps_names_as_references_and_ignores_what_it_cannot_read() {
        let ial = Ial::parse("ref1 .cls =bad # key=unquoted ref-2");
        assert_eq!(ial.refs, ["ref1", "ref-2"]);
        assert_eq!(ial.attrs, pairs(&[("class", "cls")]));
    }

    #[test]
    fn an_attribute_value_may_hold_escaped_braces_and_its_quote() {
        assert_eq!(
            attrs(r#"title="a \} \"b\" c""#),
            pairs(&[("title", "a } \"b\" c")])
        );
    }

    #[test]
    fn dollar_math_keeps_its_backslashes_for_the_renderer() {
        let md = "Inline $$a\\%b$$ and\n\n$$\n\\begin{x} 5\\%\n$$\n";
        assert_eq!(prepare(md, false).0, md);
    }

    #[test]
    fn a_toc_list_is_left_to_the_markdown_renderer() {
        let (md, kd) = prepare("* TOC\n{:toc}\n", false);
        assert_eq!(md, "* TOC\n{:toc}\n");
        assert!(kd.is_empty());
    }

    #[test]
    fn a_source_without_kramdown_syntax_is_not_copied() {
        assert!(matches!(
            prepare("# Plain\n\nText *with* [a](b).\n", false).0,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_marker_without_its_element_prints_its_text_or_nothing() {
        let kd = Pass {
            markers: vec![
                Marker::AfterSpan(Ial::parse(".x"), "{: .x}".into()),
                Marker::AfterBlock(Ial::parse(".y")),
            ],
            ..Pass::default()
        };
        assert_eq!(
            kd.finish("<p>a <!--kd:0--></p>\ntext\n<!--kd:1-->\n"),
            "<p>a {: .x}</p>\ntext\n"
        );
    }

    #[test]
    fn classes_on_highlighted_code_sit_between_the_language_and_the_highlighter() {
        let old = "language-plaintext highlighter-rouge";
        assert_eq!(
            add_classes(old, "lang"),
            "language-plaintext lang highlighter-rouge"
        );
        assert_eq!(
            add_classes(old, "language-ruby x"),
            "language-ruby x highlighter-rouge"
        );
        assert_eq!(add_classes(old, "language-plain"), "language-plain");
        assert_eq!(add_classes("a", "b c"), "a b c");
    }
}
