//! kramdown's syntax beyond GFM through the whole renderer: each test
//! renders Markdown with `markdown::kramdown`'s two passes around the engine.

use super::markdown_to_html;
use crate::config::kramdown::KramdownOptions;

/// The Markdown renderer with both passes around it.
fn render(md: &str) -> String {
    markdown_to_html(md, &KramdownOptions::default())
}

#[test]
fn a_block_ial_after_a_paragraph_gives_it_attributes_and_prints_nothing() {
    assert_eq!(
        render("A notice.\n{: .notice--info #n1}\n"),
        "<p class=\"notice--info\" id=\"n1\">A notice.</p>\n"
    );
}

#[test]
fn a_block_ial_after_a_blank_line_is_for_the_next_block() {
    assert_eq!(
        render("First.\n\n{: .lead}\nSecond.\n"),
        "<p>First.</p>\n<p class=\"lead\">Second.</p>\n"
    );
}

#[test]
fn a_block_ial_after_a_list_a_heading_a_quote_and_a_code_block_reaches_each() {
    let html = render(
        "* a\n* b\n{: .ul}\n\n## Head\n{: .h}\n\n> quoted\n{: .q}\n\n```\ncode\n```\n{: .c}\n",
    );
    assert!(html.contains("<ul class=\"ul\">"), "{html}");
    assert!(
        html.contains("<h2 id=\"head\" class=\"h\">Head</h2>"),
        "{html}"
    );
    assert!(html.contains("<blockquote class=\"q\">"), "{html}");
    assert!(
        html.contains("<div class=\"language-plaintext c highlighter-rouge\">"),
        "{html}"
    );
    assert!(!html.contains("{:") && !html.contains("kd:"), "{html}");
}

#[test]
fn two_block_ials_in_a_row_go_to_the_same_block() {
    assert_eq!(
        render("Text\n{: .a}\n{: .b #i}\n"),
        "<p class=\"a b\" id=\"i\">Text</p>\n"
    );
}

#[test]
fn span_ials_reach_links_images_emphasis_and_code() {
    let html = render(
        "[Go](#link){: .btn .btn--info} ![i](a.png){: width=\"512\"} **b**{: .x} `c`{:.lang}",
    );
    assert_eq!(
        html,
        "<p><a href=\"#link\" class=\"btn btn--info\">Go</a> <img src=\"a.png\" alt=\"i\" \
         width=\"512\" /> <strong class=\"x\">b</strong> <code \
         class=\"language-plaintext lang highlighter-rouge\">c</code></p>\n"
    );
}

#[test]
fn a_span_ial_broken_across_a_line_reaches_its_image() {
    let out = render("[![A](http://x.test/a.gif){:\n.icon width=\"70\"}][1] Text after.\n\n[1]: http://y.test/\n");
    assert_eq!(
        out,
        "<p><a href=\"http://y.test/\"><img src=\"http://x.test/a.gif\" alt=\"A\" class=\"icon\" width=\"70\" /></a> Text after.</p>\n"
    );
}

#[test]
fn a_span_ial_after_text_stays_text_as_kramdown_leaves_it() {
    assert_eq!(
        render("plain {: .x} text.{: .y}"),
        "<p>plain {: .x} text.{: .y}</p>\n"
    );
}

#[test]
fn an_ial_in_code_is_code() {
    let html = render("`{: .notice}` shows it.\n\n```\n{: .notice}\n```\n\n    {: .x}\n");
    assert_eq!(html.matches("{: .notice}").count(), 2, "{html}");
    assert!(html.contains("<code>{: .x}\n</code>"), "{html}");
}

#[test]
fn definitions_are_used_by_name_before_or_after_they_are_defined() {
    let html = render(
        "{:note: .notice title=\"n\"}\n\nText\n{: note .more}\n\n*a*{: later}\n\n{:later: #l}\n",
    );
    assert!(
        html.contains("<p class=\"notice more\" title=\"n\">Text</p>"),
        "{html}"
    );
    assert!(html.contains("<em id=\"l\">a</em>"), "{html}");
    assert!(!html.contains("{:") && !html.contains("kd:"), "{html}");
}

#[test]
fn a_definition_that_refers_to_itself_does_not_loop() {
    let html = render("{:a: a .x}\n\nText\n{: a}\n");
    assert!(html.starts_with("<p class=\""), "{html}");
}

#[test]
fn a_list_item_ial_goes_on_its_item() {
    assert_eq!(
        render("* {:.first} one\n* two\n"),
        "<ul>\n<li class=\"first\">one</li>\n<li>two</li>\n</ul>\n"
    );
}

#[test]
fn a_header_id_in_braces_is_the_heading_id() {
    assert_eq!(
        render("## Custom {#my-id}\n"),
        "<h2 id=\"my-id\">Custom</h2>\n"
    );
}

#[test]
fn abbreviations_are_wrapped_where_they_stand_as_words_but_not_in_code() {
    let html = render("HTML and XHTML, HTMLs, `HTML`.\n\n*[HTML]: Hyper Text Markup Language\n");
    assert_eq!(
        html,
        "<p><abbr title=\"Hyper Text Markup Language\">HTML</abbr> and XHTML, HTMLs, \
         <code class=\"language-plaintext highlighter-rouge\">HTML</code>.</p>\n"
    );
}

#[test]
fn the_longest_abbreviation_wins_and_an_ial_after_a_definition_is_for_its_abbr() {
    let html = render(
        "Use CSS Grid or CSS.\n\n*[CSS]: Cascading Style Sheets\n*[CSS Grid]: Grid\n{: .g}\n",
    );
    assert_eq!(
        html,
        "<p>Use <abbr title=\"Grid\" class=\"g\">CSS Grid</abbr> or \
         <abbr title=\"Cascading Style Sheets\">CSS</abbr>.</p>\n"
            .replace("title=\"Grid\" class=\"g\"", "class=\"g\" title=\"Grid\"")
    );
}

#[test]
fn a_comment_extension_becomes_an_html_comment_and_nomarkdown_stays_raw() {
    let html = render("{::comment}\nhidden *text*\n{:/comment}\n\n{::nomarkdown}\n*raw* <b>x</b>\n{:/}\n\nA {::comment}gone{:/} B {::nomarkdown}*n*{:/nomarkdown}\n");
    assert!(html.contains("<!-- hidden *text* -->"), "{html}");
    assert!(html.contains("*raw* <b>x</b>"), "{html}");
    assert!(html.contains("<p>A <!-- gone --> B *n*</p>"), "{html}");
    assert!(!html.contains("{:") && !html.contains("kd:"), "{html}");
}

#[test]
fn an_options_extension_and_an_end_of_block_marker_print_nothing() {
    let html = render("{::options auto_ids=\"false\" /}\n\n* a\n^\n* b\n");
    assert_eq!(html, "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>\n");
}

#[test]
fn a_markdown_attribute_on_a_block_element_renders_its_content() {
    let html = render("<div class=\"notice--primary\" markdown=\"1\">\n**Note:** text\n</div>\n\n<div markdown=\"0\"><a href=\"#\">*x*</a></div>\n");
    assert!(
        html.starts_with(
            "<div class=\"notice--primary\">\n<p><strong>Note:</strong> text</p>\n</div>"
        ),
        "{html}"
    );
    assert!(html.contains("<div><a href=\"#\">*x*</a></div>"), "{html}");
    assert!(!html.contains("markdown="), "{html}");
}

#[test]
fn nested_markdown_blocks_find_their_own_end_tags() {
    let html = render("<div markdown=\"1\">\n<div markdown=\"1\">\n*in*\n</div>\n*out*\n</div>\n");
    assert!(html.contains("<p><em>in</em></p>"), "{html}");
    assert!(html.contains("<p><em>out</em></p>"), "{html}");
}

#[test]
fn backslashes_kramdown_does_not_know_are_printed() {
    assert_eq!(render(r"50\% \& \: \| \*"), "<p>50\\% \\&amp; : | *</p>\n");
}

#[test]
fn a_definition_list_has_a_term_per_line_and_plain_definitions() {
    assert_eq!(
        render("Sun\nStar\n: the star *we* orbit\n: a second one\n\nAfter.\n").replace('\n', ""),
        "<dl><dt>Sun</dt><dt>Star</dt><dd>the star <em>we</em> orbit</dd><dd>a second one</dd></dl><p>After.</p>"
    );
}

#[test]
fn a_definition_after_a_blank_line_is_a_paragraph_and_may_hold_blocks() {
    assert_eq!(
        render("Term\n\n: First para\n\n  Second para\n\n  * item\n").replace('\n', ""),
        "<dl><dt>Term</dt><dd><p>First para</p><p>Second para</p><ul><li>item</li></ul></dd></dl>"
    );
}

#[test]
fn a_definition_takes_lazy_lines_and_a_list_after_its_colon() {
    assert_eq!(
        render("Names\n: 1. one\n: lazy start\nmore text\n").replace('\n', ""),
        "<dl><dt>Names</dt><dd><ol><li>one</li></ol></dd><dd>lazy startmore text</dd></dl>"
    );
}

#[test]
fn a_colon_line_in_code_is_no_definition() {
    let html = render("```\nterm\n: code\n```\n\n    term\n    : indented code\n");
    assert!(!html.contains("<dl>") && html.contains(": code"), "{html}");
}

#[test]
fn parse_block_html_reads_markdown_in_every_block_element_but_not_in_raw_ones() {
    let md = "<div class=\"x\">*a*\n<section>\n**b**\n</section>\n</div>\n\n<table><tr><td>*c*</td></tr></table>\n";
    let opts = KramdownOptions {
        parse_block_html: true,
        ..KramdownOptions::default()
    };
    let html = markdown_to_html(md, &opts);
    assert!(html.contains("<p><em>a</em></p>"), "{html}");
    assert!(html.contains("<p><strong>b</strong></p>"), "{html}");
    assert!(html.contains("<td>*c*</td>"), "{html}");
    assert!(render(md).contains("*a*"), "off by default");
}

#[test]
fn a_link_url_with_spaces_is_a_link_as_in_kramdown() {
    let html = render("![fig](/a/b c.png){: width=\"300\"} [x](a b \"t\") [y](plain)");
    assert!(
        html.contains("<img src=\"/a/b%20c.png\" alt=\"fig\" width=\"300\" />"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"a%20b\" title=\"t\">x</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"plain\">y</a>"), "{html}");
}

#[test]
fn unclosed_backticks_braces_and_links_in_a_long_line_stay_linear() {
    let line = "`{:x ](a b ".repeat(20_000) + "\n\n*[a]: b\n";
    let started = std::time::Instant::now();
    let html = render(&line);
    assert!(html.contains("{:x"), "the text is kept");
    // Quadratic work on this line would take minutes; linear work takes milliseconds.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn markdown_after_a_whole_html_element_in_a_markdown_block_is_still_markdown() {
    let html = render("<aside>\n<nav class=\"toc\" markdown=\"1\">\n<header><h4>T</h4></header>\n* item\n</nav>\n</aside>\n");
    assert!(html.contains("<header><h4>T</h4></header>"), "{html}");
    assert!(html.contains("<li>item</li>"), "{html}");
    assert!(!html.contains("markdown="), "{html}");
}
