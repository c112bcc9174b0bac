//! A small, bounded XML reader for the validator: bytes → a tree of elements
//! with namespaces and line/column positions, or a diagnostic saying where the
//! document stops being well-formed.
//!
//! It never fetches or reads external entities, never expands entities
//! without a bound, and refuses nesting deeper than [`MAX_DEPTH`], so hostile
//! documents cost bounded time and memory.

use super::shared::{Diagnostic, Severity};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::HashMap;
use std::rc::Rc;

/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 1000;
/// Most text produced by expanding internal entities, in bytes.
pub const MAX_ENTITY_EXPANSION: usize = 1 << 20;

/// The XML namespace (for `xml:lang`, `xml:base`).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// An attribute.
#[derive(Clone, Debug)]
pub struct Attr {
    /// Namespace URI (`""` for none).
    pub ns: Rc<str>,
    /// Local name.
    pub name: String,
    /// The value, entities resolved.
    pub value: String,
}

/// An element with its position.
#[derive(Clone, Debug, Default)]
pub struct Element {
    /// Namespace URI (`""` for none).
    pub ns: Rc<str>,
    /// Local name.
    pub name: String,
    /// The qualified name as written (`atom:link`).
    pub qname: String,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Child elements.
    pub children: Vec<Element>,
    /// The element's own text (all text children joined), entities resolved.
    pub text: String,
    /// True when some text child was in a CDATA section.
    pub has_cdata: bool,
    /// 1-based line of the start tag.
    pub line: usize,
    /// 1-based column of the start tag.
    pub column: usize,
}

impl Element {
    /// The value of an attribute in no namespace.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_empty() && a.name == name)
            .map(|a| a.value.as_str())
    }
    /// The value of an `xml:` attribute.
    pub fn xml_attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.ns == XML_NS && a.name == name)
            .map(|a| a.value.as_str())
    }
    /// Children with this namespace and local name.
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| &*c.ns == ns && c.name == name)
    }
    /// The first child with this namespace and local name.
    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| &*c.ns == ns && c.name == name)
    }
}

/// A parsed document.
#[derive(Debug)]
pub struct Document {
    /// The root element.
    pub root: Element,
    /// Notes about the prolog (encoding, DOCTYPE) that are not fatal.
    pub notes: Vec<Diagnostic>,
}

/// Turns byte offsets into line and column.
///
/// Offsets are asked for in document order, so the last answer is kept and
/// the next one is counted on from there: newlines with a vectorised byte
/// count, then characters since the last newline (or since the last answer,
/// on the same line). A document costs one pass however many positions are
/// asked for, even a sitemap on a single line, and needs no table of line
/// starts (a 50,000-URL sitemap has 200,000 lines).
struct Lines {
    /// The last offset asked for, its 1-based line and 0-based column in characters.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl Lines {
    fn new() -> Self {
        Lines {
            last: std::cell::Cell::new((0, 1, 0)),
        }
    }
    fn at(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (mut from, mut line, mut column) = self.last.get();
        if offset < from {
            // Out of order (an error found after a look-back): start over.
            (from, line, column) = (0, 1, 0);
        }
        let between = &text.as_bytes()[from..offset];
        let chars = |b: &[u8]| b.iter().filter(|&&c| c & 0xC0 != 0x80).count();
        match memchr::memrchr(b'\n', between) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', &between[..last]).count() + 1;
                column = chars(&between[last + 1..]);
            }
            None => column += chars(between),
        }
        self.last.set((offset, line, column));
        (line, column + 1)
    }
}

fn fatal(lines: &Lines, text: &str, offset: usize, code: &str, message: &str) -> Diagnostic {
    let (l, c) = lines.at(text, offset);
    Diagnostic::new(l, c, Severity::Error, code, message, "XML 1.0 §2")
}

/// Receives the root's children one at a time while the document is read, so
/// a large flat document (a 50,000-URL sitemap) is checked without holding its
/// tree: memory stays at one child, not the whole file's elements.
pub trait Sink {
    /// Called once the root's start tag is read. Returning true streams the
    /// root's children to [`Sink::child`]; they are then not kept in the tree.
    fn stream_children(&mut self, root: &Element) -> bool;
    /// One finished child of the root, with its subtree.
    fn child(&mut self, root: &Element, child: Element);
    /// Forget everything handed over so far: the reader starts over from
    /// the first byte (its fast path declined the document part-way).
    fn restart(&mut self);
}

/// Parses text into a [`Document`], or returns the first well-formedness
/// error; offers the root's children to `sink` as they finish.
pub fn parse_with(text: &str, sink: &mut dyn Sink) -> Result<Document, Diagnostic> {
    let lines = Lines::new();
    check_chars(text, &lines)?;
    // The usual shape (every sitemap feedwright writes) takes a plain scan.
    if let Some(root) = simple(text, sink) {
        return Ok(Document {
            root,
            notes: Vec::new(),
        });
    }
    // Declined: whatever the scan handed the sink is forgotten, so the
    // general reader's answer is the only one.
    sink.restart();
    general(text, sink, &lines)
}

/// [`parse_with`] without its fast path: what the fast path is tested against.
#[cfg(test)]
pub(super) fn parse_general(text: &str, sink: &mut dyn Sink) -> Result<Document, Diagnostic> {
    let lines = Lines::new();
    check_chars(text, &lines)?;
    general(text, sink, &lines)
}

/// XML's character rule, for both readers.
fn check_chars(text: &str, lines: &Lines) -> Result<(), Diagnostic> {
    // Byte-level fast path before the per-character search: in a Rust string
    // only C0 controls, U+FFFE and U+FFFF can break XML's character rule.
    // In chunks without an early exit, so the compiler vectorises the scan.
    let control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    let suspicious = text
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |seen, &b| seen | control(b)))
        || text.contains('\u{FFFE}')
        || text.contains('\u{FFFF}');
    if let Some((i, c)) = suspicious
        .then(|| {
            text.char_indices()
                .find(|&(_, c)| !crate::text::is_xml_char(c))
        })
        .flatten()
    {
        return Err(fatal(
            lines,
            text,
            i,
            "xml-illegal-char",
            &format!(
                "U+{:04X} is not allowed anywhere in an XML document; remove it",
                c as u32
            ),
        ));
    }
    Ok(())
}

/// [`parse_with`]'s general path: quick-xml's reader for everything.
fn general(text: &str, sink: &mut dyn Sink, lines: &Lines) -> Result<Document, Diagnostic> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let mut notes = Vec::new();
    let mut entities: HashMap<String, String> = HashMap::new();
    let mut expanded = 0usize;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut streaming = false;
    let mut seen_decl = false;
    // Namespace URIs repeat on every element; share one allocation per URI.
    let mut namespaces: Vec<Rc<str>> = Vec::new();
    let empty_ns: Rc<str> = Rc::from("");
    loop {
        let pos = reader.buffer_position() as usize;
        let event = match reader.read_resolved_event() {
            Ok(ev) => ev,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(fatal(
                    lines,
                    text,
                    at,
                    "xml-not-well-formed",
                    &format!("not well-formed XML: {e}"),
                ));
            }
        };
        let empty = matches!(event.1, Event::Empty(_));
        match event {
            (ns, Event::Start(e)) | (ns, Event::Empty(e)) => {
                let start = pos + text[pos..].find('<').unwrap_or(0);
                let (line, column) = lines.at(text, start);
                if root.is_some() {
                    return Err(fatal(
                        lines,
                        text,
                        start,
                        "xml-not-well-formed",
                        "content after the root element; a document has exactly one root element",
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(fatal(lines, text, start, "xml-too-deep", &format!("elements are nested more than {MAX_DEPTH} deep; no feed or sitemap needs that")));
                }
                let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let ns = match ns {
                    ResolveResult::Bound(n) => intern(&mut namespaces, n.as_ref()),
                    ResolveResult::Unbound => empty_ns.clone(),
                    ResolveResult::Unknown(p) => {
                        return Err(fatal(
                            lines,
                            text,
                            start,
                            "xml-undeclared-prefix",
                            &format!(
                                "the prefix `{}` is used but never declared; add xmlns:{}=\"…\"",
                                String::from_utf8_lossy(&p),
                                String::from_utf8_lossy(&p)
                            ),
                        ));
                    }
                };
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| {
                        fatal(
                            lines,
                            text,
                            start,
                            "xml-not-well-formed",
                            &format!("bad attribute: {err}"),
                        )
                    })?;
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    if !seen.insert(key.clone()) {
                        return Err(fatal(
                            lines,
                            text,
                            start,
                            "xml-not-well-formed",
                            &format!("attribute `{key}` appears twice"),
                        ));
                    }
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        let raw = String::from_utf8_lossy(&a.value);
                        let uri = resolve_refs(&raw, &entities, &mut expanded)
                            .map_err(|(code, m)| fatal(lines, text, start, code, &m))?;
                        if let Some(why) = namespace_name_fault(&key, &uri) {
                            return Err(Diagnostic::new(
                                line,
                                column,
                                Severity::Error,
                                "xml-namespace-not-uri",
                                &format!("`{key}=\"{uri}\"`: {why}"),
                                "Namespaces in XML 1.0 §2.2",
                            ));
                        }
                        continue;
                    }
                    let (ans, aname) = match reader.resolver().resolve_attribute(a.key) {
                        (ResolveResult::Bound(n), l) => (
                            intern(&mut namespaces, n.as_ref()),
                            String::from_utf8_lossy(l.as_ref()).into_owned(),
                        ),
                        (ResolveResult::Unbound, l) => (
                            empty_ns.clone(),
                            String::from_utf8_lossy(l.as_ref()).into_owned(),
                        ),
                        (ResolveResult::Unknown(p), _) => {
                            return Err(fatal(
                                lines,
                                text,
                                start,
                                "xml-undeclared-prefix",
                                &format!(
                                    "the attribute prefix `{}` is never declared",
                                    String::from_utf8_lossy(&p)
                                ),
                            ));
                        }
                    };
                    let raw = String::from_utf8_lossy(&a.value).into_owned();
                    if raw.contains('<') {
                        return Err(fatal(
                            lines,
                            text,
                            start,
                            "xml-not-well-formed",
                            &format!("attribute `{key}` contains a raw `<`; write &lt;"),
                        ));
                    }
                    let value = resolve_refs(&raw, &entities, &mut expanded)
                        .map_err(|(code, m)| fatal(lines, text, start, code, &m))?;
                    // Attribute-value normalisation: white space characters become spaces.
                    let value = value.replace(['\t', '\n', '\r'], " ");
                    attrs.push(Attr {
                        ns: ans,
                        name: aname,
                        value,
                    });
                }
                let el = Element {
                    ns,
                    name: local,
                    qname,
                    attrs,
                    line,
                    column,
                    ..Element::default()
                };
                if stack.is_empty() {
                    streaming = sink.stream_children(&el);
                }
                if empty {
                    attach(&mut stack, &mut root, el, streaming, sink);
                } else {
                    stack.push(el);
                }
            }
            (_, Event::End(_)) => {
                let el = stack.pop().expect("quick-xml checks end tags");
                attach(&mut stack, &mut root, el, streaming, sink);
            }
            (_, Event::Text(t)) => {
                let raw = t
                    .decode()
                    .map_err(|e| fatal(lines, text, pos, "xml-encoding", &e.to_string()))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&raw),
                    None if raw.trim().is_empty() => {}
                    None => {
                        return Err(fatal(
                            lines,
                            text,
                            pos,
                            "xml-not-well-formed",
                            "text outside the root element",
                        ))
                    }
                }
            }
            (_, Event::CData(t)) => {
                let raw = t
                    .decode()
                    .map_err(|e| fatal(lines, text, pos, "xml-encoding", &e.to_string()))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&raw);
                    top.has_cdata = true;
                }
            }
            (_, Event::GeneralRef(r)) => {
                let name = r
                    .decode()
                    .map_err(|e| fatal(lines, text, pos, "xml-encoding", &e.to_string()))?;
                let value = resolve_refs(&format!("&{name};"), &entities, &mut expanded)
                    .map_err(|(code, m)| fatal(lines, text, pos, code, &m))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&value),
                    None => {
                        return Err(fatal(
                            lines,
                            text,
                            pos,
                            "xml-not-well-formed",
                            "a reference outside the root element",
                        ))
                    }
                }
            }
            (_, Event::DocType(d)) => {
                let decl = String::from_utf8_lossy(&d).into_owned();
                read_internal_entities(&decl, &mut entities);
                if decl.contains("SYSTEM") || decl.contains("PUBLIC") {
                    let (l, c) = lines.at(text, pos);
                    notes.push(Diagnostic::new(
                        l,
                        c,
                        Severity::Info,
                        "xml-external-dtd",
                        "the DOCTYPE names an external DTD; it is not fetched",
                        "XML 1.0 §2.8",
                    ));
                }
            }
            (_, Event::Decl(d)) => {
                let at = pos + text[pos..].find("<?").unwrap_or(0);
                let first = at == 0 || (at == 3 && text.starts_with('\u{feff}'));
                if seen_decl || !first {
                    let what = if seen_decl {
                        "a second XML declaration; a document has at most one"
                    } else if text[..at].trim_start_matches('\u{feff}').trim().is_empty() {
                        "white space before the XML declaration; the declaration must be the very first thing in the file (remove the blank line or spaces before `<?xml`)"
                    } else {
                        "an XML declaration after the start of the document; it may only come first"
                    };
                    return Err(Diagnostic::new(
                        lines.at(text, at).0,
                        lines.at(text, at).1,
                        Severity::Error,
                        "xml-misplaced-declaration",
                        what,
                        "XML 1.0 §2.8 [22], §2.6",
                    ));
                }
                seen_decl = true;
                if let Ok(v) = d.version() {
                    if v.as_ref() != b"1.0" && v.as_ref() != b"1.1" {
                        return Err(fatal(
                            lines,
                            text,
                            pos,
                            "xml-version",
                            "the XML declaration's version must be 1.0",
                        ));
                    }
                }
            }
            (_, Event::PI(p)) => {
                if p.target().eq_ignore_ascii_case(b"xml") {
                    return Err(fatal(
                        lines,
                        text,
                        pos,
                        "xml-misplaced-declaration",
                        "a processing instruction named `xml` is reserved for the XML declaration at the very start",
                    ));
                }
            }
            (_, Event::Eof) => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(Diagnostic::new(
            open.line,
            open.column,
            Severity::Error,
            "xml-not-well-formed",
            &format!("<{}> is never closed", open.qname),
            "XML 1.0 §2",
        ));
    }
    match root {
        Some(root) => Ok(Document { root, notes }),
        None => Err(Diagnostic::new(
            1,
            1,
            Severity::Error,
            "xml-no-root",
            "the document has no root element",
            "XML 1.0 §2.1",
        )),
    }
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    el: Element,
    streaming: bool,
    sink: &mut dyn Sink,
) {
    match stack {
        [only] if streaming => sink.child(only, el),
        [.., parent] => parent.children.push(el),
        [] => *root = Some(el),
    }
}

/// The XML declarations feedwright writes (with and without a stylesheet).
const SIMPLE_DECLS: [&str; 2] = [
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<?xml version=\"1.0\"?>",
];
/// Deepest nesting the simple scan takes; deeper documents go to quick-xml.
const SIMPLE_DEPTH: usize = 64;

fn simple_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

fn simple_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')
}

/// An ASCII NCName that does not start with `xml` (reserved prefixes and
/// names are left to the general reader).
fn simple_ncname(s: &str) -> bool {
    let b = s.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && b.iter().all(|&c| simple_name_byte(c) && c != b':')
        && !(b.len() >= 3 && b[..3].eq_ignore_ascii_case(b"xml"))
}

/// Where the run of name characters from `i` ends, and its one colon if any
/// (a second colon ends the run, and the tag is then declined).
fn simple_name_end(b: &[u8], mut i: usize) -> (usize, Option<usize>) {
    let mut colon = None;
    while let Some(&c) = b.get(i) {
        if c == b':' && colon.is_none() {
            colon = Some(i);
        } else if !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')) {
            break;
        }
        i += 1;
    }
    (i, colon)
}

/// For a run of name characters without a colon: whether it is an NCName
/// the simple scan takes (it starts as a name must and not with `xml`).
fn simple_ncname_start(s: &str) -> bool {
    let b = s.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && !(b.len() >= 3 && b[..3].eq_ignore_ascii_case(b"xml"))
}

/// The character a reference stands for: the five predefined entities and
/// character references (`&#65;`, `&#x41;`) that name a character XML
/// allows. `rest` starts after the `&`; returns the character and the
/// length of the reference after the `&`. Anything else is left to the
/// general reader (it reports it, or reads the DTD it needs).
fn simple_ref(rest: &str) -> Option<(char, usize)> {
    let end = rest.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let name = &rest[..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = if let Some(h) = name.strip_prefix("#x") {
                if h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u32::from_str_radix(h, 16).ok()?
            } else {
                let d = name.strip_prefix('#')?;
                if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                d.parse().ok()?
            };
            char::from_u32(code).filter(|c| crate::text::is_xml_char(*c))?
        }
    };
    Some((c, end + 1))
}

/// Appends `raw` to `out` with its references resolved, counting what they
/// expand to against [`MAX_ENTITY_EXPANSION`] as the general reader does;
/// `None` on anything [`simple_ref`] does not take, a `]`, or past the limit.
fn simple_text(raw: &str, out: &mut String, expanded: &mut usize) -> Option<()> {
    let mut rest = raw;
    // `]]>` may not stand in text: a `]` is rare enough to leave to the
    // general reader. Most text is the line break between two tags, too
    // short to be worth a vectorised search.
    let special = |s: &str| match s.len() {
        0..16 => s.bytes().position(|b| b == b'&' || b == b']'),
        _ => memchr::memchr2(b'&', b']', s.as_bytes()),
    };
    while let Some(i) = special(rest) {
        if rest.as_bytes()[i] == b']' {
            return None;
        }
        let (c, len) = simple_ref(&rest[i + 1..])?;
        *expanded += c.len_utf8();
        if *expanded > MAX_ENTITY_EXPANSION {
            return None;
        }
        out.push_str(&rest[..i]);
        out.push(c);
        rest = &rest[i + 1 + len..];
    }
    out.push_str(rest);
    Some(())
}

/// The fast path of [`parse_with`]: a plain scan of the subset of XML that
/// feedwright's writers emit. Its declaration (or none), `<?xml-stylesheet?>`
/// instructions, a root whose start tag declares the namespaces, elements
/// with ASCII names and unprefixed attributes, text with the predefined
/// entities and character references, LF line ends, white space around the
/// root. On anything else (comments, CDATA, a DOCTYPE, other instructions,
/// CR, prefixed or `xml`-named names, namespace declarations below the
/// root, an error of any kind) it returns `None` and quick-xml's reader
/// decides, so an error is always reported by that one reader.
///
/// What it accepts it builds as the general reader builds it, handing the
/// sink the same elements in the same order. It reads in one pass, so it
/// may decline after handing the sink some children: the caller then calls
/// [`Sink::restart`] before the general reader starts over.
fn simple(text: &str, sink: &mut dyn Sink) -> Option<Element> {
    let b = text.as_bytes();
    if memchr::memchr(b'\r', b).is_some() {
        return None;
    }
    let mut i = SIMPLE_DECLS
        .iter()
        .find(|d| text.starts_with(*d))
        .map_or(0, |d| d.len());
    // The prolog: white space and stylesheet instructions.
    loop {
        while b.get(i).copied().is_some_and(simple_space) {
            i += 1;
        }
        const PI: &str = "<?xml-stylesheet";
        if text[i..].starts_with(PI) && b.get(i + PI.len()).copied().is_some_and(simple_space) {
            i += memchr::memmem::find(&b[i..], b"?>")? + 2;
            continue;
        }
        break;
    }
    let lines = Lines::new();
    let empty_ns: Rc<str> = Rc::from("");
    let mut default_ns: Option<Rc<str>> = None;
    let mut prefixes: Vec<(&str, Rc<str>)> = Vec::new();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    let mut streaming = false;
    let mut expanded = 0usize;
    if b.get(i) != Some(&b'<') {
        return None;
    }
    loop {
        // Here b[i] is `<`.
        match b.get(i + 1) {
            Some(b'/') => {
                let name = &stack.last()?.qname;
                let close = i + 2 + name.len();
                if !text[i + 2..].starts_with(name.as_str()) || b.get(close) != Some(&b'>') {
                    return None;
                }
                i = close + 1;
                let el = stack.pop().expect("the element just closed");
                attach(&mut stack, &mut root, el, streaming, sink);
                if stack.is_empty() {
                    break;
                }
            }
            Some(b'!' | b'?') | None => return None,
            Some(_) => {
                if stack.len() >= SIMPLE_DEPTH {
                    return None;
                }
                let is_root = stack.is_empty();
                let start = i;
                let (mut j, colon) = simple_name_end(b, i + 1);
                let qname = &text[i + 1..j];
                let (prefix, local) = match colon {
                    Some(c) => (Some(&text[i + 1..c]), &text[c + 1..j]),
                    None => (None, qname),
                };
                if !simple_ncname_start(prefix.unwrap_or(local)) || !simple_ncname_start(local) {
                    return None;
                }
                attrs.clear();
                let empty = loop {
                    let before = j;
                    while b.get(j).copied().is_some_and(simple_space) {
                        j += 1;
                    }
                    match b.get(j) {
                        Some(b'>') => {
                            j += 1;
                            break false;
                        }
                        Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                            j += 2;
                            break true;
                        }
                        _ if j == before => return None,
                        _ => {}
                    }
                    let key_start = j;
                    while b.get(j).copied().is_some_and(simple_name_byte) {
                        j += 1;
                    }
                    let key = &text[key_start..j];
                    let quote = *b.get(j + 1)?;
                    if b.get(j) != Some(&b'=') || !matches!(quote, b'"' | b'\'') {
                        return None;
                    }
                    let value_start = j + 2;
                    let value_end = value_start + memchr::memchr(quote, &b[value_start..])?;
                    let value = &text[value_start..value_end];
                    if memchr::memchr2(b'<', b'>', value.as_bytes()).is_some()
                        || attrs.iter().any(|(k, _)| *k == key)
                    {
                        return None;
                    }
                    j = value_end + 1;
                    let declared = if key == "xmlns" {
                        Some(None)
                    } else {
                        key.strip_prefix("xmlns:").map(Some)
                    };
                    match declared {
                        // Namespaces are declared on the root only.
                        Some(p) if is_root => {
                            if p.is_some_and(|p| !simple_ncname(p))
                                || value.is_empty()
                                || value == XML_NS
                                || value == "http://www.w3.org/2000/xmlns/"
                                || value.contains('&')
                                || namespace_name_fault(key, value).is_some()
                            {
                                return None;
                            }
                            let uri: Rc<str> = Rc::from(value);
                            match p {
                                Some(p) => prefixes.push((p, uri)),
                                None => default_ns = Some(uri),
                            }
                        }
                        Some(_) => return None,
                        None if simple_ncname(key) => {}
                        None => return None,
                    }
                    attrs.push((key, value));
                };
                let ns = match prefix {
                    Some(p) => prefixes.iter().find(|(q, _)| *q == p)?.1.clone(),
                    None => default_ns.clone().unwrap_or_else(|| empty_ns.clone()),
                };
                let mut el_attrs = Vec::new();
                for &(key, value) in &attrs {
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let mut resolved = String::new();
                    simple_text(value, &mut resolved, &mut expanded)?;
                    // Attribute-value normalisation, as the general reader does it.
                    el_attrs.push(Attr {
                        ns: empty_ns.clone(),
                        name: key.to_string(),
                        value: resolved.replace(['\t', '\n'], " "),
                    });
                }
                i = j;
                let (line, column) = lines.at(text, start);
                let el = Element {
                    ns,
                    name: local.to_string(),
                    qname: qname.to_string(),
                    attrs: el_attrs,
                    line,
                    column,
                    ..Element::default()
                };
                if is_root {
                    streaming = sink.stream_children(&el);
                }
                if empty {
                    attach(&mut stack, &mut root, el, streaming, sink);
                    if is_root {
                        break;
                    }
                } else {
                    stack.push(el);
                }
            }
        }
        // Text up to the next tag: mostly a line break, too short for a vectorised search.
        let next = i + match b[i..].iter().take(8).position(|&c| c == b'<') {
            Some(k) => k,
            None => memchr::memchr(b'<', &b[i..])?,
        };
        let raw = &text[i..next];
        if !raw.is_empty() {
            simple_text(raw, &mut stack.last_mut()?.text, &mut expanded)?;
        }
        i = next;
    }
    // After the root: white space only.
    if !b[i..].iter().all(|&c| simple_space(c)) {
        return None;
    }
    root
}

fn intern(seen: &mut Vec<Rc<str>>, uri: &[u8]) -> Rc<str> {
    if let Some(known) = seen.iter().find(|s| s.as_bytes() == uri) {
        return known.clone();
    }
    let new: Rc<str> = Rc::from(String::from_utf8_lossy(uri).as_ref());
    seen.push(new.clone());
    new
}

/// `<!ENTITY name "value">` declarations of the internal subset. External
/// entities (SYSTEM/PUBLIC) are never read.
fn read_internal_entities(decl: &str, into: &mut HashMap<String, String>) {
    let mut rest = decl;
    while let Some(i) = rest.find("<!ENTITY") {
        rest = &rest[i + 8..];
        let mut it = rest.trim_start();
        if it.starts_with('%') {
            continue;
        }
        let name_end = it.find(char::is_whitespace).unwrap_or(it.len());
        let name = it[..name_end].to_string();
        it = it[name_end..].trim_start();
        if let Some(q) = it.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(end) = it[1..].find(q) {
                into.entry(name)
                    .or_insert_with(|| it[1..1 + end].to_string());
            }
        }
    }
}

/// Why a namespace declaration's value is not a namespace name, if it is not.
fn namespace_name_fault(key: &str, uri: &str) -> Option<&'static str> {
    if uri.is_empty() {
        // Namespaces 1.0 has no way to undeclare a prefix; only `xmlns=""` may be empty.
        return (key != "xmlns").then_some("a prefix cannot be bound to the empty namespace name");
    }
    if uri.chars().any(char::is_whitespace) {
        return Some("a namespace name is a URI reference and cannot contain white space");
    }
    if !super::iri::is_iri_chars(uri) {
        return Some("a namespace name must be a URI reference (RFC 3986); percent-encode the characters a URI cannot hold");
    }
    None
}

/// Which guard stopped an entity reference, and why.
type RefFault = (&'static str, String);

/// Resolves character and entity references in `raw`, counting expansion
/// against [`MAX_ENTITY_EXPANSION`]. Each guard has its own code, so a test
/// (or a reader) can tell which one fired.
fn resolve_refs(
    raw: &str,
    entities: &HashMap<String, String>,
    expanded: &mut usize,
) -> Result<String, RefFault> {
    resolve_depth(raw, entities, expanded, 0)
}

/// Deepest nesting of entity references inside entity values.
const MAX_ENTITY_NESTING: usize = 8;

fn resolve_depth(
    raw: &str,
    entities: &HashMap<String, String>,
    expanded: &mut usize,
    depth: usize,
) -> Result<String, RefFault> {
    if !raw.contains('&') {
        return Ok(raw.to_string());
    }
    if depth > MAX_ENTITY_NESTING {
        return Err(("xml-entity-nesting", format!("entities nest more than {MAX_ENTITY_NESTING} deep; this looks like an entity-expansion attack")));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .filter(|&e| e > 0 && !after[..e].contains(|c: char| c.is_whitespace() || c == '&'))
            .ok_or_else(|| {
                (
                    "xml-stray-ampersand",
                    "a `&` that does not start a reference; write &amp;".to_string(),
                )
            })?;
        let name = &after[..end];
        let value = match name {
            "amp" => "&".to_string(),
            "lt" => "<".to_string(),
            "gt" => ">".to_string(),
            "quot" => "\"".to_string(),
            "apos" => "'".to_string(),
            n if n.starts_with('#') => {
                let code = if let Some(h) = n.strip_prefix("#x") { u32::from_str_radix(h, 16) } else { n[1..].parse() };
                match code.ok().and_then(char::from_u32).filter(|c| crate::text::is_xml_char(*c)) {
                    Some(c) => c.to_string(),
                    None => return Err(("xml-invalid-char-ref", format!("`&{n};` is not a character XML allows"))),
                }
            }
            n => match entities.get(n) {
                Some(v) => resolve_depth(v, entities, expanded, depth + 1)?,
                None => return Err(("xml-undefined-entity", format!("the entity `&{n};` is not defined (XML knows only &amp; &lt; &gt; &quot; &apos;); write the character itself or a numeric reference"))),
            },
        };
        *expanded += value.len();
        if *expanded > MAX_ENTITY_EXPANSION {
            return Err(("xml-entity-expansion", "entity expansion passed 1 MiB; this looks like an entity-expansion attack (billion laughs)".into()));
        }
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Line and column counted from the start of the text, one character at a time.
    fn counted(text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[start..].chars().count() + 1)
    }

    proptest::proptest! {
        /// Short and long steps, in order and back, on lines of every length.
        #[test]
        fn positions_asked_in_any_order_match_counting_from_the_start(
            pieces in proptest::collection::vec(proptest::sample::select(vec!["\n", "a", "한", "<b c='d'>", "\n\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]), 0..60),
            offsets in proptest::collection::vec(0usize..1200, 1..30),
            sorted: bool,
        ) {
            let text = pieces.concat();
            let mut offsets = offsets;
            if sorted {
                offsets.sort();
            }
            let lines = Lines::new();
            for offset in offsets {
                proptest::prop_assert_eq!(lines.at(&text, offset), counted(&text, offset), "offset {}", offset);
            }
        }
    }

    #[test]
    fn positions_counted_on_from_the_last_answer_match_counting_from_the_start() {
        let text = "<a>\n  <한글 b='x'>\n\n텍스트 <c/></한글>\n</a>";
        let lines = Lines::new();
        // In order, twice on one line, then back to the start and past the end.
        let offsets = [
            0,
            1,
            4,
            6,
            9,
            20,
            21,
            22,
            30,
            31,
            3,
            0,
            45,
            text.len() + 5,
            2,
        ];
        for offset in offsets {
            assert_eq!(
                lines.at(text, offset),
                counted(text, offset),
                "offset {offset}"
            );
        }
    }
    /// Records what a reader hands its sink, streaming the children of a
    /// `<urlset>` (as the sitemap checker does) and keeping any other tree.
    #[derive(Default)]
    struct Record(Vec<String>);

    impl Sink for Record {
        fn stream_children(&mut self, root: &Element) -> bool {
            self.0.push(format!("root {root:?}"));
            root.name == "urlset"
        }
        fn child(&mut self, root: &Element, child: Element) {
            self.0.push(format!("child of {} {child:?}", root.qname));
        }
        fn restart(&mut self) {
            self.0.clear();
        }
    }

    /// Whether the fast path reads `text` (rather than declining it).
    fn takes(text: &str) -> bool {
        simple(text, &mut Record::default()).is_some()
    }

    /// What a reader makes of `text`: the document or the error, then every sink call.
    fn read(text: &str, reader: fn(&str, &mut dyn Sink) -> Result<Document, Diagnostic>) -> String {
        let mut record = Record::default();
        let result = reader(text, &mut record);
        format!("{result:?}\n{}", record.0.join("\n"))
    }

    /// Text pieces for `<loc>` values: plain, escaped, references, and the
    /// characters that break the simple scan's rules.
    pub(crate) fn piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "https://example.com/2024/03/15/a/",
            "x",
            "?a=1&amp;b=2",
            "&lt;",
            "&gt;",
            "&quot;",
            "&apos;",
            "&#233;",
            "&#xE9;",
            "&#x1F600;",
            "한글",
            "é",
            " ",
            "\n",
            "\t",
            ">",
        ])
    }

    /// A sitemap in the writer's shape (declaration, optional stylesheet,
    /// namespaces on the root, `<url>` with loc, lastmod, image and
    /// hreflang links), built from `urls` pieces.
    pub(crate) fn sitemap_like(stylesheet: bool, urls: &[(Vec<&str>, bool, bool, bool)]) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if stylesheet {
            s.push_str("<?xml-stylesheet type=\"text/xsl\" href=\"/sitemap.xsl\"?>\n");
        }
        s.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        for (loc, lastmod, image, link) in urls {
            s.push_str("<url>\n<loc>");
            s.push_str(&loc.concat());
            s.push_str("</loc>\n");
            if *lastmod {
                s.push_str("<lastmod>2024-03-15T10:00:00+09:00</lastmod>\n");
            }
            if *link {
                s.push_str("<xhtml:link rel=\"alternate\" hreflang='ko' href=\"https://example.com/ko/?a=1&amp;b=&#10;2\"/>\n");
            }
            if *image {
                s.push_str("<image:image>\n<image:loc>https://cdn.example.com/a.png</image:loc>\n</image:image>\n");
            }
            s.push_str("</url>\n");
        }
        s.push_str("</urlset>\n");
        s
    }

    /// What the mutations insert: each breaks the subset, the document, or neither.
    pub(crate) const MUTATIONS: &[&str] = &[
        "</url>",
        "<url>",
        "</loc>",
        "&",
        "<",
        "&foo;",
        "&#0;",
        "&#X41;",
        "&#+65;",
        "&#65",
        "<!-- a comment -->",
        "<![CDATA[x]]>",
        "<?pi x?>",
        "<!DOCTYPE urlset>",
        "\r\n",
        "\r",
        "<p:x/>",
        "<image:x/>",
        "<xml:x/>",
        "<a b='1' b='2'/>",
        "<a b=\"1\"/>",
        "<a b=1/>",
        "<a xmlns:q=\"urn:q\"/>",
        " x=\"1\"",
        " xml:lang=\"ko\"",
        " xmlns:z=\"urn:z\"",
        " xmlns:e=\"\"",
        "é",
        "]]>",
        "text",
        "<url/>",
        "<1a/>",
        "< a/>",
        "<a >",
        "</url >",
        "<a\tb='&lt;'\n/>",
        "<a b='<'/>",
        "<a b='>'/>",
        "\u{a0}",
        "<?xml version=\"1.0\"?>",
        "<urlset/>",
        "<x:y:z/>",
        "<a.b-c_d/>",
        "<_/>",
        "\n",
    ];

    fn mutated(text: &str, at: usize, what: usize, cut: usize) -> String {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut out = text[..at].to_string();
        if what < MUTATIONS.len() {
            out.push_str(MUTATIONS[what]);
            out.push_str(&text[at..]);
        } else {
            // Or cut a few bytes out.
            let mut end = (at + cut % 8).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            out.push_str(&text[end..]);
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The fast path hands the sink exactly what quick-xml's reader hands
        /// it (every element with its namespace, names, attributes, text and
        /// position, in the same order) and returns the same document, or it
        /// declines and the general reader answers (errors included); and it
        /// does take the writer's shape.
        #[test]
        fn the_simple_scan_reads_what_the_general_reader_reads(
            stylesheet: bool,
            urls in proptest::collection::vec(
                (proptest::collection::vec(piece(), 1..4), proptest::bool::ANY, proptest::bool::ANY, proptest::bool::ANY),
                0..4,
            ),
            mutations in proptest::collection::vec((0usize..10_000, 0usize..MUTATIONS.len() + 4, 0usize..8), 0..3),
        ) {
            let clean = sitemap_like(stylesheet, &urls);
            proptest::prop_assert!(takes(&clean), "declined the writer's shape:\n{}", clean);
            let mut text = clean;
            for (at, what, cut) in mutations {
                text = mutated(&text, at, what, cut);
            }
            proptest::prop_assert_eq!(read(&text, parse_with), read(&text, parse_general), "{}", text);
        }
    }

    #[test]
    fn the_simple_scan_takes_the_sitemaps_feedwright_writes() {
        use crate::model::AbsUrl;
        use crate::sitemap::{to_string, SitemapUrl};
        let when = chrono::DateTime::parse_from_rfc3339("2024-03-15T10:00:00+09:00").unwrap();
        let mut urls = Vec::new();
        for i in 0..3 {
            let mut u = SitemapUrl::new(
                AbsUrl::parse(&format!("https://example.com/{i}/?a=1&b=%ED%95%9C")).unwrap(),
                Some(when),
            );
            u.images
                .push(AbsUrl::parse("https://cdn.example.com/a.png").unwrap());
            urls.push(u);
        }
        let text = to_string(&urls);
        assert!(
            text.contains("&amp;") && text.contains("<image:loc>"),
            "{text}"
        );
        assert!(takes(&text), "{text}");
        let styled = format!(
            "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"/sitemap.xsl\"?>\n{}",
            text.split_once("?>\n").unwrap().1
        );
        assert!(takes(&styled), "{styled}");
        // And what it builds is what quick-xml's reader builds.
        assert_eq!(read(&text, parse_with), read(&text, parse_general));
        assert_eq!(read(&styled, parse_with), read(&styled, parse_general));
    }

    #[test]
    fn the_simple_scan_declines_what_it_does_not_read() {
        let ok = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"urn:s\" xmlns:i=\"urn:i\">\n<url><loc a='1'>x &amp; &#233;</loc><i:image/></url>\n</urlset>\n";
        assert!(takes(ok));
        let declined = [
            ("a comment", ok.replace("<url>", "<!-- c --><url>")),
            ("CDATA", ok.replace("x &amp;", "<![CDATA[x]]>")),
            (
                "a DOCTYPE",
                ok.replace("?>\n<urlset", "?>\n<!DOCTYPE urlset>\n<urlset"),
            ),
            (
                "a processing instruction inside",
                ok.replace("<url>", "<?pi x?><url>"),
            ),
            (
                "another declaration",
                ok.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""),
            ),
            ("a CR", ok.replace('\n', "\r\n")),
            ("an entity it does not know", ok.replace("&amp;", "&nbsp;")),
            ("a stray ampersand", ok.replace("&amp;", "&")),
            (
                "a character reference to a forbidden character",
                ok.replace("&#233;", "&#0;"),
            ),
            ("a raw < in text", ok.replace("x &amp;", "x < y")),
            ("]]> in text", ok.replace("x &amp;", "]]>")),
            ("a missing end tag", ok.replace("</loc>", "")),
            ("a wrong end tag", ok.replace("</loc>", "</lox>")),
            ("an end tag with a space", ok.replace("</loc>", "</loc >")),
            (
                "an undeclared prefix",
                ok.replace("<i:image/>", "<p:image/>"),
            ),
            ("a prefixed attribute", ok.replace("a='1'", "xml:lang='ko'")),
            (
                "a namespace declared below the root",
                ok.replace("a='1'", "xmlns:q='urn:q'"),
            ),
            ("a duplicate attribute", ok.replace("a='1'", "a='1' a='2'")),
            ("an unquoted attribute", ok.replace("a='1'", "a=1")),
            ("a < in an attribute", ok.replace("a='1'", "a='<'")),
            (
                "a name that is not ASCII",
                ok.replace("<url>", "<ürl>").replace("</url>", "</ürl>"),
            ),
            (
                "a name that starts with xml",
                ok.replace("<url>", "<xmlurl>")
                    .replace("</url>", "</xmlurl>"),
            ),
            (
                "an empty namespace name",
                ok.replace("xmlns:i=\"urn:i\"", "xmlns:i=\"\""),
            ),
            (
                "a namespace name with a space",
                ok.replace("urn:i", "urn: i"),
            ),
            ("text after the root", format!("{ok}x")),
            ("an element after the root", format!("{ok}<a/>")),
            ("no root", "<?xml version=\"1.0\"?>\n".to_string()),
            ("white space before the declaration", format!(" {ok}")),
        ];
        for (what, text) in declined {
            assert!(!takes(&text), "took {what}: {text}");
        }
        let deep = format!(
            "{}{}",
            "<a>".repeat(SIMPLE_DEPTH + 1),
            "</a>".repeat(SIMPLE_DEPTH + 1)
        );
        assert!(!takes(&deep), "took nesting deeper than {SIMPLE_DEPTH}");
        assert!(!takes(&"<a/>".repeat(2)), "took a second root");
    }
}
