//! Markdown as Jekyll renders it: kramdown 2.4 with the GFM parser
//! (kramdown-parser-gfm 1.1) and Jekyll's default options
//! (`lib/jekyll/configuration.rb`), which a site's `kramdown:` map changes.

use crate::config::kramdown::KramdownOptions;
use comrak::html::{format_document_with_formatter, format_node_default, ChildRendering, Context};
use comrak::nodes::{
    AstNode, NodeCodeBlock, NodeFootnoteDefinition, NodeHtmlBlock, NodeMath, NodeValue,
};
use comrak::options::Plugins;
use comrak::{Arena, Node, Options};
use escape::escape_into;
use std::fmt::{self, Write as _};

/// Renders a post's Markdown to HTML as Jekyll's kramdown does.
pub fn markdown_to_html(md: &str, opts: &KramdownOptions) -> String {
    let (md, toc) = toc::take_marker(md);
    let md = tables::headerless(&md);
    let (source, kept) = html_blocks::set_aside(&md.source, !opts.parse_block_html, opts.mathjax);
    let mut pass = kramdown::Pass::default();
    let source = kramdown::before_parse(&source, opts, &mut pass);
    let html = render(&source, &md.headerless_rows, opts);
    let html = kramdown::after_render(html, opts, &pass);
    let html = html_blocks::put_back(html, &kept);
    match toc {
        Some((list, class)) => toc::insert(&html, list, &class, opts),
        None => html,
    }
}

mod escape;
mod html_blocks;
pub(crate) mod kramdown;
#[cfg(test)]
mod kramdown_tests;
pub(super) mod rouge;
mod tables;
mod toc;
mod typography;

/// The engine's options: GFM as kramdown-parser-gfm reads it. Bare URLs are
/// not links in kramdown, and smart punctuation is kramdown's own
/// (`typography`), not CommonMark's.
fn engine_options(opts: &KramdownOptions) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    // kramdown strikes through `~~` only; a single `~` (`20~30`) is text.
    // comrak reads it as subscript, which `rewrite` turns back into text.
    o.extension.subscript = true;
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.math_dollars = opts.mathjax;
    // kramdown closes `**` before a Hangul particle (`**굵게**은`), where
    // CommonMark's flanking rules leave the asterisks as text.
    o.extension.cjk_friendly_emphasis = true;
    o.render.hardbreaks = opts.hard_wrap;
    o.render.r#unsafe = true;
    o
}

/// What the formatter needs beyond the tree: the heading ids in document
/// order, and the footnote options.
#[derive(Default)]
struct Formatting {
    ids: std::collections::VecDeque<Option<String>>,
    header_offset: i8,
    footnote_nr: usize,
    footnote_prefix: String,
}

fn render(md: &str, headerless_rows: &[usize], opts: &KramdownOptions) -> String {
    let arena = Arena::new();
    let options = engine_options(opts);
    let root = comrak::parse_document(&arena, md, &options);
    tables::mark_headerless(root, headerless_rows);
    let ids = rewrite(&arena, root, md, opts);
    let mut out = String::with_capacity(md.len() + md.len() / 4);
    let formatting = Formatting {
        ids: ids.into(),
        header_offset: opts.header_offset,
        footnote_nr: opts.footnote_nr,
        footnote_prefix: opts.footnote_prefix.clone(),
    };
    // Writing to a String cannot fail.
    let _ = format_document_with_formatter(
        root,
        &options,
        &mut out,
        &Plugins::default(),
        format,
        formatting,
    );
    out
}

/// Rewrites the tree into what kramdown writes: typographic text, math,
/// code as rouge wraps it, footnote back links. Returns the headings' ids in
/// document order.
fn rewrite<'a>(
    arena: &'a Arena<'a>,
    root: Node<'a>,
    md: &str,
    opts: &KramdownOptions,
) -> Vec<Option<String>> {
    let mut ids = Vec::new();
    let mut used = std::collections::HashMap::new();
    let nodes: Vec<Node<'a>> = root.descendants().collect();
    // Ids come from the heading's text before code and math become HTML.
    for &node in &nodes {
        if matches!(node.data().value, NodeValue::Heading(_)) {
            ids.push(
                opts.auto_ids
                    .then(|| heading_id(node, &mut used, opts))
                    .flatten(),
            );
        }
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(md.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for &node in &nodes {
        if let Some(mark) = underscore_kramdown_refuses(node, md, &line_starts) {
            unwrap_between(arena, node, mark);
        }
    }
    let nodes: Vec<Node<'a>> = root.descendants().collect();
    let mut prev: Option<char> = None;
    for &node in &nodes {
        let mut data = node.data_mut();
        let replacement = match &mut data.value {
            NodeValue::Text(text) => {
                let starts_run = !node.previous_sibling().is_some_and(|p| {
                    matches!(
                        p.data().value,
                        NodeValue::Text(_) | NodeValue::SoftBreak | NodeValue::LineBreak
                    )
                });
                if starts_run {
                    prev = None;
                }
                let typeset = typography::typeset(text, prev, opts);
                prev = text.chars().last();
                *text = typeset.into();
                None
            }
            NodeValue::SoftBreak | NodeValue::LineBreak => {
                prev = Some('\n');
                None
            }
            NodeValue::Code(code) => Some(NodeValue::HtmlInline(code_span(&code.literal, opts))),
            NodeValue::CodeBlock(block) => Some(NodeValue::HtmlBlock(NodeHtmlBlock {
                block_type: 0,
                literal: code_block(block, opts),
            })),
            NodeValue::Subscript => {
                drop(data);
                unwrap_between(arena, node, "~");
                continue;
            }
            NodeValue::Math(math) => {
                let (value, alone) = math_html(node, math, opts);
                if alone {
                    // A formula that is a paragraph of its own is kramdown's
                    // block math: no `<p>` around it.
                    if let Some(p) = node.parent() {
                        p.data_mut().value = value;
                    }
                    drop(data);
                    node.detach();
                    continue;
                }
                Some(value)
            }
            _ => None,
        };
        if let Some(value) = replacement {
            data.value = value;
        }
        drop(data);
        if let NodeValue::FootnoteDefinition(def) = &node.data().value {
            backlinks(arena, node, def, opts);
        }
    }
    ids
}

/// kramdown's `_` emphasis cannot open after a letter or `-`, nor close
/// before a letter or digit (`parser/kramdown/emphasis.rb`), where
/// CJK-friendly CommonMark lets `_강조_는` close: such an emphasis is text
/// again. Returns its delimiter.
fn underscore_kramdown_refuses(
    node: Node<'_>,
    md: &str,
    line_starts: &[usize],
) -> Option<&'static str> {
    let data = node.data();
    let mark = match data.value {
        NodeValue::Emph => "_",
        NodeValue::Strong => "__",
        _ => return None,
    };
    let offset = |line: usize, column: usize| -> Option<usize> {
        Some(line_starts.get(line.checked_sub(1)?)? + column.checked_sub(1)?)
    };
    let start = offset(data.sourcepos.start.line, data.sourcepos.start.column)?;
    let end = offset(data.sourcepos.end.line, data.sourcepos.end.column)?;
    if md.as_bytes().get(start) != Some(&b'_') {
        return None;
    }
    let before = md.get(..start)?.chars().next_back();
    let after = md.get(end + 1..)?.chars().next();
    let opens = !before.is_some_and(|c| c.is_alphabetic() || c == '-');
    let closes = !after.is_some_and(char::is_alphanumeric);
    (!(opens && closes)).then_some(mark)
}

/// Replaces `node` by its children between two texts `mark`.
fn unwrap_between<'a>(arena: &'a Arena<'a>, node: Node<'a>, mark: &str) {
    let text =
        |s: &str| -> Node<'a> { arena.alloc(AstNode::from(NodeValue::Text(s.to_string().into()))) };
    node.insert_before(text(mark));
    while let Some(child) = node.first_child() {
        node.insert_before(child);
    }
    node.insert_before(text(mark));
    node.detach();
}

/// kramdown-parser-gfm's header id: the heading's text (code and math
/// included), lower-cased, without what is not a word character, `-`, space
/// or tab, spaces and tabs made `-`; a repeated id gets `-1`, `-2`… An empty
/// id is no id.
fn heading_id(
    node: Node<'_>,
    used: &mut std::collections::HashMap<String, usize>,
    opts: &KramdownOptions,
) -> Option<String> {
    let mut raw = String::new();
    heading_text(node, &mut raw, opts);
    let mut id: String = raw
        .to_lowercase()
        .chars()
        .filter(|&c| is_word(c) || matches!(c, '-' | ' ' | '\t'))
        .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
        .collect();
    let n = used.entry(id.clone()).and_modify(|n| *n += 1).or_insert(0);
    if *n > 0 {
        id.push_str(&format!("-{n}"));
    }
    (!id.is_empty()).then(|| format!("{}{id}", opts.auto_id_prefix))
}

/// The text kramdown-parser-gfm makes a heading's id from: text, code and
/// math as written, entities as their characters, quotes and dashes as
/// kramdown prints them (and then drops: they are not word characters).
fn heading_text(node: Node<'_>, out: &mut String, opts: &KramdownOptions) {
    for child in node.children() {
        match &child.data().value {
            NodeValue::Text(t) => out.push_str(&typography::typeset(t, None, opts)),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::Math(m) => out.push_str(m.literal.trim()),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
            NodeValue::HtmlInline(_) | NodeValue::Image(_) | NodeValue::FootnoteReference(_) => {}
            _ => heading_text(child, out, opts),
        }
    }
}

/// Ruby's `\p{Word}`: letters, marks, decimal digits, connector punctuation.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || is_mark(c)
        || matches!(
            c,
            '\u{203f}' | '\u{2040}' | '\u{2054}' | '\u{fe33}' | '\u{fe34}' | '\u{fe4d}'
                ..='\u{fe4f}' | '\u{ff3f}'
        )
}

/// Combining marks (Unicode category M) in the ranges text uses: Latin,
/// Indic, Hangul and Kana combining marks and variation selectors.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05bd}'
        | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0900}'..='\u{0903}'
        | '\u{093a}'..='\u{094f}' | '\u{0e31}' | '\u{0e34}'..='\u{0e3a}' | '\u{0e47}'..='\u{0e4e}'
        | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}'
        | '\u{302a}'..='\u{302f}' | '\u{3099}' | '\u{309a}' | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// A code span as kramdown writes it with rouge: the default language's
/// class.
fn code_span(code: &str, opts: &KramdownOptions) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    match &opts.default_lang {
        Some(lang) if rouge::knows(lang) => {
            out.push_str("<code class=\"language-");
            escape_into(&mut out, lang);
            out.push_str(" highlighter-rouge\">");
        }
        _ => out.push_str("<code>"),
    }
    escape_into(&mut out, code);
    out.push_str("</code>");
    out
}

/// A code block as kramdown writes it with rouge (`<div class="language-x
/// highlighter-rouge">…`); a language rouge does not know gets a plain
/// `<pre><code class="language-x">`. The language is the info string's first
/// word, up to a `?`.
fn code_block(block: &NodeCodeBlock, opts: &KramdownOptions) -> String {
    let word = block.info.split_whitespace().next().unwrap_or("");
    let word = word.split('?').next().unwrap_or("");
    let lang = if word.is_empty() {
        opts.default_lang.as_deref()
    } else {
        Some(word)
    };
    let mut out = String::with_capacity(block.literal.len() + 128);
    match lang {
        Some(lang) if rouge::knows(lang) => {
            out.push_str("<div class=\"language-");
            escape_into(&mut out, lang);
            out.push_str(
                " highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>",
            );
            match opts.block_line_numbers {
                Some(start) => {
                    // rouge's table formatter: a gutter of line numbers beside the code.
                    let lines = block.literal.lines().count().max(1);
                    out.push_str("<table class=\"rouge-table\"><tbody><tr><td class=\"rouge-gutter gl\"><pre class=\"lineno\">");
                    for n in start..start + lines {
                        out.push_str(&format!("{n}\n"));
                    }
                    out.push_str("</pre></td><td class=\"rouge-code\"><pre>");
                    escape_into(&mut out, &block.literal);
                    out.push_str("</pre></td></tr></tbody></table>");
                }
                None => escape_into(&mut out, &block.literal),
            }
            out.push_str("</code></pre></div></div>\n");
        }
        Some(lang) => {
            out.push_str("<pre><code class=\"language-");
            escape_into(&mut out, &lang.replace('"', "&quot;"));
            out.push_str("\">");
            escape_into(&mut out, &block.literal);
            out.push_str("</code></pre>\n");
        }
        None => {
            out.push_str("<pre><code>");
            escape_into(&mut out, &block.literal);
            out.push_str("</code></pre>\n");
        }
    }
    out
}

/// kramdown's math, with `$$` only (a single `$` is text) and MathJax's
/// delimiters: `\[…\]` for a formula that is a paragraph of its own, `\(…\)`
/// in running text.
fn math_html(node: Node<'_>, math: &NodeMath, opts: &KramdownOptions) -> (NodeValue, bool) {
    if !math.display_math {
        let text = typography::typeset(&format!("${}$", math.literal), None, opts);
        return (NodeValue::Text(text.into()), false);
    }
    let mut out = String::with_capacity(math.literal.len() + 8);
    let alone = node.previous_sibling().is_none()
        && node.next_sibling().is_none()
        && node
            .parent()
            .is_some_and(|p| matches!(p.data().value, NodeValue::Paragraph));
    let (open, close) = if alone {
        ("\\[", "\\]")
    } else {
        ("\\(", "\\)")
    };
    out.push_str(open);
    escape_into(&mut out, math.literal.trim());
    out.push_str(close);
    if alone {
        out.push('\n');
        return (
            NodeValue::HtmlBlock(NodeHtmlBlock {
                block_type: 0,
                literal: out,
            }),
            true,
        );
    }
    (NodeValue::HtmlInline(out), false)
}

/// kramdown's back links at the end of a footnote's last paragraph (a new
/// paragraph when the note ends otherwise): one per reference.
fn backlinks<'a>(
    arena: &'a Arena<'a>,
    def: Node<'a>,
    nfd: &NodeFootnoteDefinition,
    opts: &KramdownOptions,
) {
    if opts.footnote_backlink.is_empty() {
        return;
    }
    let name = format!("{}{}", opts.footnote_prefix, nfd.name);
    let text = &opts.footnote_backlink;
    let mut html = String::new();
    for n in 0..nfd.total_references.max(1) {
        let gap = if n == 0 { "" } else { "\u{a0}" };
        if n == 0 {
            html.push_str(&format!("{gap}<a href=\"#fnref:{name}\" class=\"reversefootnote\" role=\"doc-backlink\">{text}</a>"));
        } else {
            html.push_str(&format!("{gap}<a href=\"#fnref:{name}:{n}\" class=\"reversefootnote\" role=\"doc-backlink\">{text}<sup>{}</sup></a>", n + 1));
        }
    }
    let last_para = def
        .last_child()
        .filter(|c| matches!(c.data().value, NodeValue::Paragraph));
    let para = match last_para {
        Some(p) => {
            html.insert(0, '\u{a0}');
            p
        }
        None => {
            let p: Node<'a> = arena.alloc(AstNode::from(NodeValue::Paragraph));
            def.append(p);
            p
        }
    };
    para.append(arena.alloc(AstNode::from(NodeValue::HtmlInline(html))));
}

fn format<'a>(
    context: &mut Context<Formatting>,
    node: Node<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    match &node.data().value {
        NodeValue::Heading(h) => {
            let level = (i16::from(h.level) + i16::from(context.user.header_offset)).clamp(1, 6);
            if entering {
                context.cr()?;
                write!(context, "<h{level}")?;
                if let Some(Some(id)) = context.user.ids.pop_front() {
                    context.write_str(" id=\"")?;
                    context.escape(&id)?;
                    context.write_str("\"")?;
                }
                context.write_str(">")?;
            } else {
                write!(context, "</h{level}>")?;
                context.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::TableRow(false) if entering && node.previous_sibling().is_none() => {
            // A header-less table's first row opens the body.
            context.cr()?;
            context.write_str("<tbody>\n")?;
            format_node_default(context, node, entering)
        }
        NodeValue::FootnoteReference(r) => {
            if entering {
                let name = format!("{}{}", context.user.footnote_prefix, r.name);
                let repeat = if r.ref_num > 1 {
                    format!(":{}", r.ref_num - 1)
                } else {
                    String::new()
                };
                let number = context.user.footnote_nr + r.ix as usize - 1;
                context.write_str("<sup id=\"fnref:")?;
                context.escape(&name)?;
                context.write_str(&repeat)?;
                context.write_str("\" role=\"doc-noteref\"><a href=\"#fn:")?;
                context.escape(&name)?;
                write!(
                    context,
                    "\" class=\"footnote\" rel=\"footnote\">{number}</a></sup>"
                )?;
            }
            Ok(ChildRendering::Skip)
        }
        NodeValue::FootnoteDefinition(d) => {
            let first = !node
                .previous_sibling()
                .is_some_and(|p| matches!(p.data().value, NodeValue::FootnoteDefinition(_)));
            let last = !node
                .next_sibling()
                .is_some_and(|p| matches!(p.data().value, NodeValue::FootnoteDefinition(_)));
            if entering {
                if first {
                    context.cr()?;
                    context.write_str("<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol")?;
                    if context.user.footnote_nr != 1 {
                        let nr = context.user.footnote_nr;
                        write!(context, " start=\"{nr}\"")?;
                    }
                    context.write_str(">\n")?;
                }
                let name = format!("{}{}", context.user.footnote_prefix, d.name);
                context.write_str("    <li id=\"fn:")?;
                context.escape(&name)?;
                context.write_str("\" role=\"doc-endnote\">")?;
            } else {
                context.write_str("</li>\n")?;
                if last {
                    context.write_str("  </ol>\n</div>\n")?;
                }
            }
            Ok(ChildRendering::HTML)
        }
        _ => format_node_default(context, node, entering),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        markdown_to_html(md, &KramdownOptions::default())
    }

    #[test]
    fn emphasis_closes_before_a_hangul_particle_as_in_kramdown() {
        assert_eq!(
            html("**굵게**은 **\"인용\"**은 **마침.**은"),
            "<p><strong>굵게</strong>은 <strong>“인용”</strong>은 <strong>마침.</strong>은</p>\n"
        );
    }

    #[test]
    fn underscores_next_to_letters_stay_text_as_in_kramdown() {
        assert_eq!(
            html("_인라인_과 _참조_ 두 형식"),
            "<p>_인라인_과 <em>참조</em> 두 형식</p>\n"
        );
        assert_eq!(
            html("a__b__ and __bold__."),
            "<p>a__b__ and <strong>bold</strong>.</p>\n"
        );
    }

    #[test]
    fn a_single_tilde_is_text_and_a_double_one_strikes_through() {
        assert_eq!(html("20~30% ~~gone~~"), "<p>20~30% <del>gone</del></p>\n");
    }

    #[test]
    fn a_number_and_parenthesis_is_text_not_a_list() {
        assert_eq!(
            html("1) first\n2) second\n"),
            "<p>1) first\n2) second</p>\n"
        );
    }

    #[test]
    fn headings_get_kramdown_parser_gfm_ids_numbered_when_repeated() {
        assert_eq!(
            html("## Install `fw` & run\n\n## 설치 방법\n\n## Install `fw` & run\n\n### It's \"so\" -- ok...\n\n## ***"),
            "<h2 id=\"install-fw--run\">Install <code class=\"language-plaintext highlighter-rouge\">fw</code> &amp; run</h2>\n\
             <h2 id=\"설치-방법\">설치 방법</h2>\n\
             <h2 id=\"install-fw--run-1\">Install <code class=\"language-plaintext highlighter-rouge\">fw</code> &amp; run</h2>\n\
             <h3 id=\"its-so--ok\">It’s “so” – ok…</h3>\n\
             <h2>***</h2>\n"
        );
    }

    #[test]
    fn auto_ids_off_and_a_prefix_are_honoured() {
        let mut o = KramdownOptions::default();
        o.auto_ids = false;
        assert_eq!(markdown_to_html("# A", &o), "<h1>A</h1>\n");
        o.auto_ids = true;
        o.auto_id_prefix = "s-".into();
        o.header_offset = 1;
        assert_eq!(markdown_to_html("# A", &o), "<h2 id=\"s-a\">A</h2>\n");
    }

    #[test]
    fn double_dollar_math_is_mathjax_and_single_dollars_are_money() {
        assert_eq!(
            html("Inline $$a * b * c < d$$ and $5 or $10.\n\n$$\nx_1 * y_1\n$$\n"),
            "<p>Inline \\(a * b * c &lt; d\\) and $5 or $10.</p>\n\\[x_1 * y_1\\]\n"
        );
    }

    #[test]
    fn code_is_wrapped_as_jekyll_and_rouge_wrap_it() {
        assert_eq!(
            html("```ruby\na < b\n```\n\n    plain\n\n```nosuchlang\nx\n```\n"),
            "<div class=\"language-ruby highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>a &lt; b\n</code></pre></div></div>\n\
             <div class=\"language-plaintext highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>plain\n</code></pre></div></div>\n\
             <pre><code class=\"language-nosuchlang\">x\n</code></pre>\n"
        );
    }

    #[test]
    fn line_numbers_make_rouges_table_when_the_site_asks_for_them() {
        let (o, problems) = KramdownOptions::from_config(
            &crate::yaml::parse_mapping(
                "syntax_highlighter_opts: {span: {line_numbers: false}, block: {line_numbers: true, start_line: 1}}",
            )
            .unwrap(),
        );
        assert!(problems.is_empty());
        assert_eq!(
            markdown_to_html("```python\na = 1\nb = 2\n```\n", &o),
            "<div class=\"language-python highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>\
             <table class=\"rouge-table\"><tbody><tr><td class=\"rouge-gutter gl\"><pre class=\"lineno\">1\n2\n</pre></td>\
             <td class=\"rouge-code\"><pre>a = 1\nb = 2\n</pre></td></tr></tbody></table></code></pre></div></div>\n"
        );
    }

    #[test]
    fn footnotes_are_written_as_kramdown_writes_them() {
        let out = html("A[^n] b[^n].\n\n[^n]: The note.\n");
        assert_eq!(
            out,
            "<p>A<sup id=\"fnref:n\" role=\"doc-noteref\"><a href=\"#fn:n\" class=\"footnote\" rel=\"footnote\">1</a></sup> \
             b<sup id=\"fnref:n:1\" role=\"doc-noteref\"><a href=\"#fn:n\" class=\"footnote\" rel=\"footnote\">1</a></sup>.</p>\n\
             <div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n    <li id=\"fn:n\" role=\"doc-endnote\">\n\
             <p>The note.\u{a0}<a href=\"#fnref:n\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a>\
             \u{a0}<a href=\"#fnref:n:1\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;<sup>2</sup></a> </p>\n\
             </li>\n  </ol>\n</div>\n"
        );
    }

    #[test]
    fn a_table_without_a_header_row_is_all_body() {
        assert_eq!(
            html("| a | 1 |\n| b | 2 |\n"),
            "<table>\n<tbody>\n<tr>\n<td>a</td>\n<td>1</td>\n</tr>\n<tr>\n<td>b</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
        );
    }

    #[test]
    fn a_toc_list_is_replaced_by_the_headings() {
        let out = html("* TOC\n{:toc}\n\n# One\n\n## Two\n");
        assert!(
            out.starts_with(
                "<ul id=\"markdown-toc\">\n<li><a href=\"#one\" id=\"markdown-toc-one\">One</a><ul>\n\
                 <li><a href=\"#two\" id=\"markdown-toc-two\">Two</a></li>\n</ul>\n</li>\n</ul>\n<h1 id=\"one\">"
            ),
            "{out}"
        );
        assert!(!out.contains("{:toc}") && !out.contains("TOC"));
        let out = html(
            "<aside>\n<nav class=\"toc\" markdown=\"1\">\n<header><h4>Contents</h4></header>\n* TOC\n{:toc .menu}\n</nav>\n</aside>\n\n## One\n",
        );
        assert!(
            out.contains("<ul class=\"menu\" id=\"markdown-toc\">\n<li><a href=\"#one\"")
                && !out.contains("{:"),
            "{out}"
        );
        let out = html("* TOC\n{:toc .toc__menu}\n\n## One\n");
        assert!(
            out.starts_with("<ul class=\"toc__menu\" id=\"markdown-toc\">\n<li><a href=\"#one\""),
            "{out}"
        );
    }

    #[test]
    fn a_block_element_with_blank_lines_is_kept_as_written() {
        assert_eq!(
            html("<div>\n\n*raw*\n\n</div>\n\nAfter *em*.\n"),
            "<div>\n\n*raw*\n\n</div>\n<p>After <em>em</em>.</p>\n"
        );
    }

    #[test]
    fn hard_wrap_makes_line_breaks() {
        let mut o = KramdownOptions::default();
        assert_eq!(markdown_to_html("a\nb", &o), "<p>a\nb</p>\n");
        o.hard_wrap = true;
        assert_eq!(markdown_to_html("a\nb", &o), "<p>a<br />\nb</p>\n");
    }

    #[test]
    fn deep_nesting_and_long_delimiter_runs_stay_bounded() {
        let bomb = format!("{}{}", "> ".repeat(5_000), "*".repeat(10_000));
        let out = html(&bomb);
        assert!(out.contains("<blockquote>"));
        let stars = "*a".repeat(20_000);
        assert!(html(&stars).contains("<em>"));
    }

    #[test]
    fn markdown_keeps_raw_html() {
        assert!(markdown_to_html(
            "<figure><img src=\"a.png\"></figure>\n\n*hi*",
            &KramdownOptions::default()
        )
        .contains("<figure><img src=\"a.png\"></figure>"));
    }
}
