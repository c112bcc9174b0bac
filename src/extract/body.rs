//! The body of a post as jekyll-feed derives things from it: the excerpt
//! (Jekyll 4's `Excerpt`), the summary text (Liquid's `strip_html`, then
//! `normalize_whitespace`), and, for plain folders only, the first image.

use lol_html::{element, HtmlRewriter, Settings};
use std::cell::RefCell;

/// Liquid's `strip_html`, exactly: first every `<script…</script>`,
/// `<!--…-->` and `<style…</style>` (case-sensitive, leftmost first), then
/// every `<…>`, each replaced by nothing. No space is put where a tag was, so
/// `<b>업데이트</b>가` stays one word; line breaks between blocks, which
/// Markdown renderers write, are what separates words.
pub fn strip_html(html: &str) -> String {
    const BLOCKS: [(&str, &str); 3] = [
        ("<script", "</script>"),
        ("<!--", "-->"),
        ("<style", "</style>"),
    ];
    let mut without_blocks = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let tail = &rest[lt..];
        let end = BLOCKS.iter().find_map(|(open, close)| {
            tail.strip_prefix(open)?
                .find(close)
                .map(|i| open.len() + i + close.len())
        });
        match end {
            Some(end) => {
                without_blocks.push_str(&rest[..lt]);
                rest = &tail[end..];
            }
            None => {
                without_blocks.push_str(&rest[..lt + 1]);
                rest = &tail[1..];
            }
        }
    }
    without_blocks.push_str(rest);

    // `<.*?>`: a `<` with no `>` after it is text, and so is every `<` after it.
    let mut out = String::with_capacity(without_blocks.len());
    let mut rest = without_blocks.as_str();
    while let Some(lt) = rest.find('<') {
        match rest[lt..].find('>') {
            Some(gt) => {
                out.push_str(&rest[..lt]);
                rest = &rest[lt + gt + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// Ruby's `\s`: ASCII white space only (a no-break space is a character).
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// Jekyll's `normalize_whitespace`: every run of Ruby white space becomes one
/// space, and the ends are trimmed.
pub fn normalize_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_ruby_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A summary as jekyll-feed writes it (`strip_html | normalize_whitespace`,
/// inside an HTML text construct), as the plain text a reader is shown: the
/// entities that construct carries decoded once.
pub fn summary_text(html: &str) -> String {
    let text = normalize_whitespace(&strip_html(html));
    let decoded = html_escape::decode_html_entities(&text);
    // A decoded `&#10;` is white space to an HTML reader too.
    normalize_whitespace(&decoded)
}

/// A document's content as Jekyll reads it: its front-matter pattern ends
/// with `\s*$\n?`, so the blank lines after the closing `---` (and white
/// space on them) are not part of the content.
pub fn jekyll_content(body: &str) -> &str {
    let blank = body.len() - body.trim_start_matches(is_ruby_space).len();
    if blank == body.len() {
        return "";
    }
    match body[..blank].rfind('\n') {
        Some(nl) => &body[nl + 1..],
        None => body,
    }
}

/// Liquid block tags (Liquid 5 and Jekyll's `highlight`): the tags whose end
/// tag Jekyll adds when the excerpt separator falls inside one.
const LIQUID_BLOCKS: &[&str] = &[
    "capture",
    "case",
    "comment",
    "for",
    "if",
    "ifchanged",
    "raw",
    "tablerow",
    "unless",
    "highlight",
];

/// The excerpt's source, as Jekyll 4's `Excerpt#extract_excerpt` cuts it
/// from a document's content (see [`jekyll_content`]): everything before the
/// first `separator`; when text follows it, Liquid blocks left open are
/// closed and the link reference definitions (footnote definitions too) that
/// the excerpt uses are appended.
pub fn excerpt_source(content: &str, separator: &str) -> String {
    let (head, tail) = match content.split_once(separator) {
        Some((head, tail)) if !tail.is_empty() => (head, tail),
        Some((head, _)) => return head.to_string(),
        None => return content.to_string(),
    };
    let mut head = head.to_string();
    if head.contains("{%") {
        close_liquid_blocks(&mut head);
    }
    let definitions = link_reference_definitions(&head, tail);
    if !definitions.is_empty() {
        head.push_str("\n\n");
        head.push_str(&definitions.join("\n"));
    }
    head
}

/// The names of the Liquid tags in `text`, in order: Jekyll's
/// `{%-?\s*(\w+)\s*.*?-?%}` (multi-line).
fn liquid_tag_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let inner = after.strip_prefix('-').unwrap_or(after);
        let inner = inner.trim_start_matches(is_ruby_space);
        // Ruby's `\w`: ASCII letters, digits and `_`.
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let name = &inner[..name_len];
        match inner[name_len..].find("%}") {
            Some(close) if !name.is_empty() => {
                names.push(name);
                rest = &inner[name_len + close + 2..];
            }
            // No tag starts at this `{%`: look from the next character.
            _ => rest = after,
        }
    }
    names
}

/// Jekyll's `sanctify_liquid_tags`: for each block tag in the head, last
/// first, whose end tag the head does not hold, `{% endNAME %}` is appended.
fn close_liquid_blocks(head: &mut String) {
    let names: Vec<String> = liquid_tag_names(head)
        .into_iter()
        .map(str::to_string)
        .collect();
    for name in names.iter().rev() {
        if !LIQUID_BLOCKS.contains(&name.as_str()) || has_end_tag(head, name) {
            continue;
        }
        head.push_str(&format!("\n{{% end{name} %}}"));
    }
}

/// Whether `text` holds `{%-?\s*endNAME.*?\s*-?%}`.
fn has_end_tag(text: &str, name: &str) -> bool {
    let end = format!("end{name}");
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let inner = after.strip_prefix('-').unwrap_or(after);
        let inner = inner.trim_start_matches(is_ruby_space);
        if inner.starts_with(&end) && inner[end.len()..].contains("%}") {
            return true;
        }
        rest = after;
    }
    false
}

/// Jekyll's `extract_markdown_link_reference_definitions`: each line of
/// `tail` of the form ` {0,3}[label]:rest` whose `[label]` the head contains.
fn link_reference_definitions(head: &str, tail: &str) -> Vec<String> {
    tail.split('\n')
        .filter_map(|line| {
            let indent = line.len() - line.trim_start_matches(' ').len();
            if indent > 3 {
                return None;
            }
            let def = &line[indent..];
            let rest = def.strip_prefix('[')?;
            let close = rest.find(']')?;
            if close == 0 {
                return None;
            }
            let label = &def[..close + 2];
            let after = &def[close + 2..];
            // `(:.+)$`: a colon and at least one more character on the line.
            (after.starts_with(':') && after.len() > 1 && head.contains(label))
                .then(|| def.to_string())
        })
        .collect()
}

/// For plain folders (feedwright's own rule, not Jekyll's): the first block
/// of the body, up to a blank line, that has text once rendered, so an
/// image-only first paragraph does not leave the summary empty.
pub fn first_block_with_text(body: &str, render: impl Fn(&str) -> String) -> String {
    body.split("\n\n")
        .find(|chunk| !summary_text(&render(chunk)).is_empty())
        .unwrap_or("")
        .to_string()
}

/// The `src` of the first `<img>` in an HTML fragment.
pub fn first_image(html: &str) -> Option<String> {
    let found: RefCell<Option<String>> = RefCell::new(None);
    let mut rewriter = HtmlRewriter::new(
        Settings::new().append_element_content_handler(element!("img[src]", |el| {
            let mut f = found.borrow_mut();
            if f.is_none() {
                *f = el
                    .get_attribute("src")
                    .map(|s| html_escape::decode_html_entities(&s).trim().to_string());
            }
            Ok(())
        })),
        |_: &[u8]| {},
    );
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    found.into_inner().filter(|s| !s.is_empty())
}

pub use crate::html::absolutize_urls;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_img_src_is_found() {
        assert_eq!(
            first_image("<p><img alt=x src=\"/a.png\"><img src=b.png></p>").as_deref(),
            Some("/a.png")
        );
    }

    #[test]
    fn strip_html_adds_no_space_where_an_inline_tag_was() {
        assert_eq!(
            strip_html("<p><strong>업데이트</strong>가 [<a href=\"x\">클릭</a>]</p>"),
            "업데이트가 [클릭]"
        );
        assert_eq!(
            summary_text("<p>by <em>Frank</em>, then</p>\n<p>more</p>"),
            "by Frank, then more"
        );
    }

    #[test]
    fn strip_html_removes_scripts_comments_and_styles_whole_then_every_tag() {
        assert_eq!(
            strip_html("a<script>if (x < y) {}</script>b<!-- <p> -->c<style>p>q{}</style>d"),
            "abcd"
        );
        // As Liquid: an unclosed block is only its opening tag; a `<` runs to the next `>`,
        // and one with no `>` after it stays.
        assert_eq!(strip_html("a<script src=x>b"), "ab");
        assert_eq!(strip_html("1 < 2 <b>and</b> 3 < 4"), "1 and 3 < 4");
        assert_eq!(strip_html("<SCRIPT>x</SCRIPT>"), "x");
    }

    #[test]
    fn summary_text_decodes_entities_once_and_keeps_no_break_spaces() {
        assert_eq!(
            summary_text("<p>Tom &amp;amp; Jerry&nbsp;!</p>"),
            "Tom &amp; Jerry\u{a0}!"
        );
        assert_eq!(summary_text("  \n<p>\tx\u{b}y  </p>\r\n"), "x y");
    }

    #[test]
    fn jekyll_content_starts_after_the_blank_lines_below_the_front_matter() {
        assert_eq!(
            jekyll_content("\n \n\t\n  Indented.\n\nNext"),
            "  Indented.\n\nNext"
        );
        assert_eq!(jekyll_content("\r\n\r\nText"), "Text");
        assert_eq!(jekyll_content("Text\n"), "Text\n");
        assert_eq!(jekyll_content(" \n "), "");
    }

    #[test]
    fn the_excerpt_is_the_content_up_to_the_first_separator() {
        let content = "First [link][1] and [^n].\n\nSecond.\n\n[1]: https://x.org/\n   [^n]: A note.\n    [2]: https://y.org/";
        assert_eq!(
            excerpt_source(content, "\n\n"),
            "First [link][1] and [^n].\n\n[1]: https://x.org/\n[^n]: A note."
        );
        assert_eq!(
            excerpt_source("Intro.<!--more-->After.", "<!--more-->"),
            "Intro."
        );
        assert_eq!(
            excerpt_source("No separator here.", "<!--more-->"),
            "No separator here."
        );
        // Nothing after the separator: the head as it is, no definitions looked for.
        assert_eq!(
            excerpt_source("One {% if x %}\n\n", "\n\n"),
            "One {% if x %}"
        );
        // CRLF text holds no "\n\n": the whole content is the excerpt, as in Jekyll.
        assert_eq!(excerpt_source("A\r\n\r\nB", "\n\n"), "A\r\n\r\nB");
    }

    #[test]
    fn liquid_blocks_cut_by_the_separator_are_closed_last_opened_first() {
        assert_eq!(
            excerpt_source("{% for p in x %}{%- if p -%}\n\nlater {% endif %}", "\n\n"),
            "{% for p in x %}{%- if p -%}\n{% endif %}\n{% endfor %}"
        );
        // A block closed in the head, and tags that are not blocks, are left alone.
        assert_eq!(
            excerpt_source(
                "{% if a %}b{% endif %} {% include x.html %} {% assign y = 1 %}\n\nc",
                "\n\n"
            ),
            "{% if a %}b{% endif %} {% include x.html %} {% assign y = 1 %}"
        );
        assert_eq!(
            excerpt_source(
                "{% highlight ruby %}\nx = 1\n\ny = 2\n{% endhighlight %}",
                "\n\n"
            ),
            "{% highlight ruby %}\nx = 1\n{% endhighlight %}"
        );
    }
}
