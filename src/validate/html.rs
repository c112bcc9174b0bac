//! HTML carried inside feeds (RSS descriptions, `content:encoded`, Atom text
//! constructs of type `html`): the warnings the W3C validator gives, because
//! feed readers strip or refuse such markup, or resolve its links against the
//! wrong base.
//!
//! A small tag scanner, not an HTML parser: it reads start tags and their
//! attributes, which is all these rules look at.

use super::checks::Out;
use super::xml::Element;

const SPEC: &str = "RSS Advisory Board best practices §HTML; RFC 4287 §8.1";

/// Elements feed readers keep (the W3C validator's list, from the sanitizers of
/// the common readers).
const SAFE: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "data",
    "datagrid",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "eventsource",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "font",
    "form",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "keygen",
    "kbd",
    "label",
    "legend",
    "li",
    "m",
    "main",
    "map",
    "mark",
    "menu",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "ol",
    "output",
    "optgroup",
    "option",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "sound",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "time",
    "tfoot",
    "th",
    "thead",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "noscript",
    "wbr",
    // MathML and SVG Tiny, which readers also keep.
    "math",
    "svg",
];

/// HTML elements readers remove: scripts, frames, plug-ins, document-level markup.
const UNSAFE: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "noframes",
    "object",
    "embed",
    "applet",
    "param",
    "style",
    "link",
    "meta",
    "base",
    "basefont",
    "html",
    "head",
    "body",
    "title",
    "xmp",
    "plaintext",
    "listing",
    "isindex",
    "bgsound",
    "blink",
    "marquee",
    "slot",
    "portal",
];

/// CSS that can run code or move content out of its box.
const DANGEROUS_CSS: &[&str] = &[
    "expression",
    "javascript:",
    "vbscript:",
    "url(",
    "behavior",
    "-moz-binding",
    "@import",
    "\\",
    "position",
];

/// Checks the HTML in `el`'s text. `relative_ok` when an `xml:base` gives
/// relative references a base.
pub fn check(el: &Element, html: &str, relative_ok: bool, out: &mut Out) {
    if !html.contains('<') {
        return;
    }
    let mut said: Vec<String> = Vec::new();
    let mut say = |out: &mut Out, code: &str, message: String| {
        if !said.contains(&message) {
            out.warn(el, code, &message, SPEC);
            said.push(message);
        }
    };
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .map_or(html.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let attrs = attributes(html, &mut i);
        let local = name.rsplit(':').next().unwrap_or(&name);
        if UNSAFE.contains(&local) {
            say(
                out,
                "html-unsafe-element",
                format!(
                    "<{}> contains a <{name}> element, which feed readers remove",
                    el.qname
                ),
            );
        } else if !SAFE.contains(&local) && !name.contains(':') && !name.contains('-') {
            say(out, "html-not-html", format!("<{}> contains <{name}>, which is not an HTML element; escape the `<` as &lt; if it is text", el.qname));
        }
        for (attr, value) in attrs {
            if attr.starts_with("on") && attr.len() > 2 {
                say(
                    out,
                    "html-event-attribute",
                    format!(
                        "<{}> contains an `{attr}` attribute (a script), which feed readers remove",
                        el.qname
                    ),
                );
            } else if attr == "style" {
                let lower = value.to_ascii_lowercase();
                if DANGEROUS_CSS.iter().any(|d| lower.contains(d)) {
                    say(
                        out,
                        "html-dangerous-style",
                        format!(
                            "<{}> contains the style `{value}`, which feed readers remove",
                            el.qname
                        ),
                    );
                }
            } else if matches!((local, attr.as_str()), ("a", "href") | ("img", "src")) {
                let v = value.trim();
                let scheme = v.split_once(':').is_some_and(|(s, _)| {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if v.to_ascii_lowercase().starts_with("javascript:") {
                    say(
                        out,
                        "html-unsafe-element",
                        format!(
                            "<{}> contains a javascript: link, which feed readers remove",
                            el.qname
                        ),
                    );
                } else if !scheme && !v.is_empty() && !v.starts_with('#') && !relative_ok {
                    say(out, "html-relative-reference", format!("<{}> links to `{v}`, a relative reference readers resolve against the feed's address, not the page's; write the full URL", el.qname));
                }
            }
        }
    }
}

/// Reads a start tag's attributes from `i` to its `>`, leaving `i` after it.
fn attributes(html: &str, i: &mut usize) -> Vec<(String, String)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    loop {
        while *i < b.len() && (b[*i].is_ascii_whitespace() || b[*i] == b'/') {
            *i += 1;
        }
        if *i >= b.len() || b[*i] == b'>' {
            *i = (*i + 1).min(b.len());
            return out;
        }
        let start = *i;
        while *i < b.len() && !matches!(b[*i], b'=' | b'>' | b'/') && !b[*i].is_ascii_whitespace() {
            *i += 1;
        }
        let name = html[start..*i].to_ascii_lowercase();
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
        let mut value = String::new();
        if *i < b.len() && b[*i] == b'=' {
            *i += 1;
            while *i < b.len() && b[*i].is_ascii_whitespace() {
                *i += 1;
            }
            if *i < b.len() && matches!(b[*i], b'"' | b'\'') {
                let q = b[*i];
                let from = *i + 1;
                let end = b[from..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |e| from + e);
                value = html[from..end].to_string();
                *i = (end + 1).min(b.len());
            } else {
                let from = *i;
                while *i < b.len() && !b[*i].is_ascii_whitespace() && b[*i] != b'>' {
                    *i += 1;
                }
                value = html[from..*i].to_string();
            }
        }
        if name.is_empty() {
            *i = (*i + 1).min(b.len());
        } else {
            out.push((name, decode_entities(&value)));
        }
    }
}

/// The few character references that matter in a URL or style.
fn decode_entities(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    v.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(html: &str) -> Vec<String> {
        let el = Element {
            qname: "description".into(),
            line: 1,
            column: 1,
            ..Element::default()
        };
        let mut out = Out::default();
        check(&el, html, false, &mut out);
        out.list.into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn what_readers_remove_is_named() {
        assert_eq!(codes("<p>Hello <a href=\"https://e.com/\">there</a> <img src='https://e.com/a.png'/></p>"), Vec::<String>::new());
        assert_eq!(
            codes("<p>x</p><script>alert(1)</script>"),
            ["html-unsafe-element"]
        );
        assert_eq!(
            codes("<iframe src=\"https://e.com/\"></iframe>"),
            ["html-unsafe-element"]
        );
        assert_eq!(
            codes("<img src=\"https://e.com/a\" onerror=\"x()\">"),
            ["html-event-attribute"]
        );
        assert_eq!(
            codes("<p style=\"color: red; background: url(javascript:x)\">"),
            ["html-dangerous-style"]
        );
        assert_eq!(codes("<p style='color: red'>ok</p>"), Vec::<String>::new());
        assert_eq!(
            codes("<a href=\"/about\">about</a>"),
            ["html-relative-reference"]
        );
        assert_eq!(
            codes("<a href=\"#top\">top</a><a href=mailto:a@e.com>m</a>"),
            Vec::<String>::new()
        );
        assert_eq!(codes("if a <b and c> d then <foo>"), ["html-not-html"]);
        assert_eq!(codes("<!-- <script> --> 1 < 2"), Vec::<String>::new());
        // Cut off mid-tag, mid-attribute, mid-comment, beside non-ASCII text.
        for cut in ["<p", "<p a", "<p a=", "<p a=\"é", "<!-- é", "<é", "<p =é>"] {
            let _ = codes(cut);
        }
    }
}
