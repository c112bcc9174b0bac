//! kramdown's table of contents: a list followed by the attribute list
//! `{:toc}` is replaced by a list of the headings (`toc_levels`, none with
//! the class `no_toc`), nested by level, each a link to the heading's id
//! (`converter/html.rb`, `generate_toc_tree`).

use crate::config::kramdown::KramdownOptions;
use std::borrow::Cow;

/// Stands for the list until the headings are known; a private-use
/// character keeps it from meaning anything to the Markdown parser.
const MARKER: &str = "\u{f8ff}kramdown-toc\u{f8ff}";

/// Whether the table of contents is a `<ul>` or an `<ol>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum List {
    Unordered,
    Ordered,
}

/// The source with the first `{:toc}` list replaced by a marker paragraph,
/// and the list's kind and the classes its attribute list gives it
/// (`{:toc .toc__menu}`, as Minimal Mistakes writes it).
pub(super) fn take_marker(md: &str) -> (Cow<'_, str>, Option<(List, String)>) {
    if !md.contains("toc") {
        return (Cow::Borrowed(md), None);
    }
    let lines: Vec<&str> = md.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(class) = toc_ial_classes(line) else {
            continue;
        };
        // The list: the non-blank lines right above, starting with an item;
        // inside a `markdown="1"` element, lines of HTML may come first
        // (`<nav markdown="1">`, `<header>…</header>`, then the list).
        let mut top = i;
        while top > 0 && !lines[top - 1].trim().is_empty() {
            top -= 1;
        }
        let mut start = top;
        while start < i
            && list_kind(lines[start]).is_none()
            && lines[start].trim_start().starts_with('<')
        {
            start += 1;
        }
        // Markdown inside HTML is read only in a `markdown` element.
        if start == i || (start > top && !lines[top..start].iter().any(|l| l.contains("markdown=")))
        {
            continue;
        }
        let Some(kind) = list_kind(lines[start]) else {
            continue;
        };
        let mut out = String::with_capacity(md.len());
        lines[..start].iter().for_each(|l| out.push_str(l));
        if start == top {
            out.push('\n');
            out.push_str(MARKER);
            out.push_str("\n\n");
        } else {
            // Within the element: no blank line, which would end its HTML
            // block early; the element's own pass makes the marker a block.
            out.push_str(MARKER);
            out.push('\n');
        }
        lines[i + 1..].iter().for_each(|l| out.push_str(l));
        return (Cow::Owned(out), Some((kind, class)));
    }
    (Cow::Borrowed(md), None)
}

/// `{:toc}` (or `{: toc}`, `{:toc .a .b}`) alone on a line: the classes
/// given beside the `toc` reference, space-separated (empty for none).
fn toc_ial_classes(line: &str) -> Option<String> {
    let l = line.trim();
    let inner = l.strip_prefix("{:")?.strip_suffix('}')?;
    let mut words = inner.split_whitespace();
    if words.next()? != "toc" {
        return None;
    }
    let mut classes = Vec::new();
    for w in words {
        classes.push(
            w.strip_prefix('.')
                .filter(|c| !c.is_empty() && !c.contains(['"', '<', '>', '&']))?,
        );
    }
    Some(classes.join(" "))
}

fn list_kind(line: &str) -> Option<List> {
    let l = line.trim_start();
    if l.starts_with(['*', '-', '+']) && l[1..].starts_with([' ', '\t']) {
        return Some(List::Unordered);
    }
    let digits = l.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && l[digits..].starts_with(". ")).then_some(List::Ordered)
}

struct Entry {
    level: u8,
    id: String,
    html: String,
}

/// The HTML with the marker paragraph replaced by the table of contents of
/// its headings.
pub(super) fn insert(html: &str, list: List, class: &str, opts: &KramdownOptions) -> String {
    let para = format!("<p>{MARKER}</p>\n");
    let Some(at) = html.find(&para) else {
        return html.replace(MARKER, "");
    };
    let entries = headings(html, opts);
    let toc = if entries.is_empty() {
        String::new()
    } else {
        tree(&entries, list, class)
    };
    let mut out = String::with_capacity(html.len() + toc.len());
    out.push_str(&html[..at]);
    out.push_str(&toc);
    out.push_str(&html[at + para.len()..]);
    out
}

/// The headings with an id, in order, that belong in the table.
fn headings(html: &str, opts: &KramdownOptions) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find("<h") {
        rest = &rest[p + 2..];
        let Some(level) = rest.chars().next().and_then(|c| c.to_digit(10)) else {
            continue;
        };
        if !(1..=6).contains(&level) || !rest[1..].starts_with([' ', '>']) {
            continue;
        }
        let Some(tag_end) = rest.find('>') else { break };
        let attrs = &rest[1..tag_end];
        let close = format!("</h{level}>");
        let Some(inner_end) = rest[tag_end + 1..].find(&close) else {
            continue;
        };
        let inner = &rest[tag_end + 1..tag_end + 1 + inner_end];
        rest = &rest[tag_end + 1 + inner_end..];
        let Some(id) = attribute(attrs, "id") else {
            continue;
        };
        let excluded =
            attribute(attrs, "class").is_some_and(|c| c.split_whitespace().any(|w| w == "no_toc"));
        let level = level as u8;
        if excluded || opts.toc_levels & (1 << level) == 0 {
            continue;
        }
        entries.push(Entry {
            level,
            id: id.to_string(),
            html: entry_html(inner),
        });
    }
    entries
}

fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = attrs.find(&key)? + key.len();
    let len = attrs[start..].find('"')?;
    Some(&attrs[start..start + len])
}

/// A heading's HTML as a TOC entry: links unwrapped, footnote references
/// removed (`fix_for_toc_entry`).
fn entry_html(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        if rest.starts_with("<sup id=\"fnref:") {
            match rest.find("</sup>") {
                Some(e) => rest = &rest[e + 6..],
                None => break,
            }
        } else if rest.starts_with("<a ") || rest.starts_with("<a>") || rest.starts_with("</a>") {
            match rest.find('>') {
                Some(e) => rest = &rest[e + 1..],
                None => break,
            }
        } else {
            match rest.find('>') {
                Some(e) => {
                    out.push_str(&rest[..=e]);
                    rest = &rest[e + 1..];
                }
                None => break,
            }
        }
    }
    out.push_str(rest);
    out
}

/// kramdown's nesting: an entry goes under the nearest earlier entry of a
/// lower level, else at the top.
fn tree(entries: &[Entry], list: List, class: &str) -> String {
    let tag = match list {
        List::Unordered => "ul",
        List::Ordered => "ol",
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&s| entries[s].level >= e.level) {
            stack.pop();
        }
        match stack.last() {
            Some(&parent) => children[parent].push(n),
            None => top.push(n),
        }
        stack.push(n);
    }
    let mut out = String::new();
    write_list(
        &mut out,
        &top,
        entries,
        &children,
        tag,
        Some(("markdown-toc", class)),
    );
    out
}

fn write_list(
    out: &mut String,
    items: &[usize],
    entries: &[Entry],
    children: &[Vec<usize>],
    tag: &str,
    id: Option<(&str, &str)>,
) {
    match id {
        Some((id, "")) => out.push_str(&format!("<{tag} id=\"{id}\">\n")),
        Some((id, class)) => out.push_str(&format!("<{tag} class=\"{class}\" id=\"{id}\">\n")),
        None => out.push_str(&format!("<{tag}>\n")),
    }
    for &n in items {
        let e = &entries[n];
        out.push_str(&format!(
            "<li><a href=\"#{id}\" id=\"markdown-toc-{id}\">{html}</a>",
            id = e.id,
            html = e.html
        ));
        if !children[n].is_empty() {
            write_list(out, &children[n], entries, children, tag, None);
        }
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{tag}>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toc_list_becomes_the_nested_headings() {
        let (md, list) = take_marker("* TOC\n{:toc}\n\n# One\n");
        assert_eq!(list, Some((List::Unordered, String::new())));
        assert!(!md.contains("{:toc}") && md.contains(MARKER));
        let html = format!(
            "<p>{MARKER}</p>\n<h1 id=\"one\">One</h1>\n<h2 id=\"two\">Two <a href=\"x\">link</a></h2>\n\
             <h3 class=\"no_toc\" id=\"three\">Three</h3>\n<h1 id=\"four\">Four</h1>\n<h6 id=\"six\">Six</h6>\n"
        );
        let out = insert(&html, List::Unordered, "", &KramdownOptions::default());
        assert!(out.starts_with(
            "<ul id=\"markdown-toc\">\n<li><a href=\"#one\" id=\"markdown-toc-one\">One</a><ul>\n\
             <li><a href=\"#two\" id=\"markdown-toc-two\">Two link</a></li>\n</ul>\n</li>\n\
             <li><a href=\"#four\" id=\"markdown-toc-four\">Four</a><ul>\n\
             <li><a href=\"#six\" id=\"markdown-toc-six\">Six</a></li>\n</ul>\n</li>\n</ul>\n<h1"
        ), "{out}");
    }

    #[test]
    fn toc_levels_limit_the_entries() {
        let mut o = KramdownOptions::default();
        o.toc_levels = 0b0000_0100;
        let html = format!("<p>{MARKER}</p>\n<h1 id=\"a\">A</h1>\n<h2 id=\"b\">B</h2>\n");
        let out = insert(&html, List::Ordered, "", &o);
        assert!(
            out.starts_with("<ol id=\"markdown-toc\">\n<li><a href=\"#b\""),
            "{out}"
        );
        assert!(!out.contains("#a\""));
    }
}
