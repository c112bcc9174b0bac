//! kramdown's block HTML: an element that starts a block runs to its closing
//! tag, blank lines and all (`parser/kramdown/html.rb`), where CommonMark
//! ends most HTML blocks at the first blank line and reads the rest as
//! Markdown. Such an element is set aside before parsing and put back
//! as written. Elements with a `markdown` attribute, and every element when
//! `parse_block_html` is on, are left to `render::kramdown`. A `$$` formula
//! standing as a block, which kramdown reads as one block of math whatever
//! its lines look like, is set aside the same way, as MathJax's `\[…\]`.

/// Private-use delimiters keep the stand-in from meaning anything to the
/// Markdown parser.
const MARK: char = '\u{f8fe}';

/// kramdown's `HTML_SPAN_ELEMENTS`: these never start a block.
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];

/// The source with each block element that holds a blank line replaced by a
/// stand-in paragraph, and the elements' text in order.
pub(super) fn set_aside(md: &str, html: bool, math: bool) -> (String, Vec<String>) {
    let mut out = String::with_capacity(md.len());
    let mut kept = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut at_block_start = true;
    let mut pos = 0;
    while pos < md.len() {
        let line_end = md[pos..].find('\n').map_or(md.len(), |n| pos + n + 1);
        let line = &md[pos..line_end];
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if indent < 4 && run >= len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
        } else if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let ch = trimmed.chars().next().unwrap_or('`');
            fence = Some((ch, trimmed.chars().take_while(|&c| c == ch).count()));
        } else if at_block_start && indent < 4 && math && trimmed.starts_with("$$") {
            if let Some((end, formula)) = math_block(md, pos + indent) {
                out.push_str(&format!("{MARK}{}{MARK}\n\n", kept.len()));
                let mut html = String::from("\\[");
                super::escape::escape_into(&mut html, formula.trim());
                html.push_str("\\]");
                kept.push(html);
                pos = end;
                at_block_start = true;
                continue;
            }
        } else if at_block_start && indent < 4 && html {
            if let Some(end) = element_end(md, pos + indent) {
                let end = md[end..].find('\n').map_or(md.len(), |n| end + n + 1);
                let element = &md[pos..end];
                if has_blank_line(element.trim_end()) {
                    out.push_str(&format!("{MARK}{}{MARK}\n\n", kept.len()));
                    kept.push(element.trim_end_matches('\n').to_string());
                    pos = end;
                    at_block_start = true;
                    continue;
                }
            }
        }
        at_block_start = fence.is_none() && line.trim().is_empty();
        out.push_str(line);
        pos = line_end;
    }
    (out, kept)
}

/// kramdown's block math starting at `at` (`$$`): where it ends (past the
/// line of its closing `$$`) and the formula, when a blank line or the end
/// follows (`parse_block_math`: a block boundary on both sides). Every such
/// formula is set aside, not only one holding a blank line: a formula line
/// of `=` or `-` would otherwise make the lines above it a setext heading,
/// and `#`, `>` or `-` at a line's start another block.
fn math_block(md: &str, at: usize) -> Option<(usize, &str)> {
    let body_start = at + 2;
    let close = body_start + md[body_start..].find("$$")?;
    let formula = &md[body_start..close];
    let after = close + 2;
    let line_end = md[after..].find('\n').map_or(md.len(), |n| after + n + 1);
    if !md[after..line_end].trim().is_empty() {
        return None;
    }
    let next_blank = md[line_end..]
        .split('\n')
        .next()
        .is_none_or(|l| l.trim().is_empty());
    next_blank.then_some((line_end, formula))
}

/// A line of nothing but white space (the first and last excepted).
fn has_blank_line(text: &str) -> bool {
    let mut lines = text.split('\n');
    lines.next();
    let inner: Vec<&str> = lines.collect();
    inner.len() > 1 && inner[..inner.len() - 1].iter().any(|l| l.trim().is_empty())
}

/// Where the block element starting at `at` ends (just past its closing
/// tag), if it is one kramdown reads as a block and its end is found.
fn element_end(md: &str, at: usize) -> Option<usize> {
    let rest = md[at..].strip_prefix('<')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || SPAN_ELEMENTS.contains(&name.as_str())
    {
        return None;
    }
    let tag_end = rest.find('>')?;
    let tag = &rest[..tag_end];
    if tag.contains("markdown=") || tag.ends_with('/') {
        return None;
    }
    // Find the matching close tag, counting nested elements of the same name.
    let lower = md[at..].to_ascii_lowercase();
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 0usize;
    let mut i = 0;
    while i < lower.len() {
        let o = lower[i..].find(&open).map(|n| i + n);
        let c = lower[i..].find(&close).map(|n| i + n);
        match (o, c) {
            (Some(o), Some(c)) if o < c => {
                let after = lower[o + open.len()..].chars().next();
                if after.is_some_and(|ch| ch == '>' || ch.is_whitespace() || ch == '/') {
                    depth += 1;
                }
                i = o + open.len();
            }
            (_, Some(c)) => {
                depth = depth.saturating_sub(1);
                let gt = lower[c..].find('>')?;
                if depth == 0 {
                    return Some(at + c + gt + 1);
                }
                i = c + gt + 1;
            }
            _ => return None,
        }
    }
    None
}

/// The HTML with each stand-in paragraph replaced by its element.
pub(super) fn put_back(html: String, kept: &[String]) -> String {
    if kept.is_empty() {
        return html;
    }
    let mut out = html;
    for (n, element) in kept.iter().enumerate() {
        let stand_in = format!("<p>{MARK}{n}{MARK}</p>");
        out = out.replacen(&stand_in, element, 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_with_blank_lines_is_kept_whole() {
        let md = "Intro\n\n<div class=\"x\">\n\n*not emphasis*\n\n<div>inner</div>\n</div>\n\nAfter *em*\n";
        let (src, kept) = set_aside(md, true, true);
        assert_eq!(
            kept,
            ["<div class=\"x\">\n\n*not emphasis*\n\n<div>inner</div>\n</div>"]
        );
        assert_eq!(src, "Intro\n\n\u{f8fe}0\u{f8fe}\n\n\nAfter *em*\n");
        assert_eq!(
            put_back("<p>Intro</p>\n<p>\u{f8fe}0\u{f8fe}</p>\n".into(), &kept),
            format!("<p>Intro</p>\n{}\n", kept[0])
        );
    }

    #[test]
    fn a_formula_across_a_blank_line_is_one_block_of_math() {
        let (src, kept) = set_aside("$$\nx = 1 < 2\\\n\ny = 2\n$$\n\nText\n", true, true);
        assert_eq!(kept, ["\\[x = 1 &lt; 2\\\n\ny = 2\\]"]);
        assert_eq!(src, "\u{f8fe}0\u{f8fe}\n\n\nText\n");
        assert!(set_aside("$$\na\n\nb\n$$\n", true, false).1.is_empty());
    }

    #[test]
    fn a_formula_with_a_line_of_equals_is_math_not_a_setext_heading() {
        let (src, kept) = set_aside("Text.\n\n$$\nM & J\\\\\n=\n-x\n$$\n\nAfter.\n", false, true);
        assert_eq!(kept, ["\\[M &amp; J\\\\\n=\n-x\\]"]);
        assert_eq!(src, "Text.\n\n\u{f8fe}0\u{f8fe}\n\n\nAfter.\n");
    }

    #[test]
    fn span_elements_markdown_attributes_and_code_are_left_to_the_parser() {
        for md in [
            "<span>a\n\nb</span>\n",
            "<div markdown=\"1\">\n\n*a*\n\n</div>\n",
            "```\n<div>\n\n</div>\n```\n",
            "text\n<div>\n\n</div>\n",
        ] {
            let (src, kept) = set_aside(md, true, true);
            assert!(kept.is_empty(), "{md:?}");
            assert_eq!(src, md);
        }
    }
}
