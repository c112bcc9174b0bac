//! The body of a post: rendering Markdown, the plain-text excerpt, the first image.

use lol_html::{doc_text, element, HtmlRewriter, Settings};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The text of an HTML fragment, as a reader sees it: tags removed (with
/// `script`, `style` and comments), entities decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let text = RefCell::new(String::with_capacity(html.len() / 2));
    let hidden = Rc::new(Cell::new(0usize));
    let h = hidden.clone();
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!(
                "script, style, template, noscript",
                move |el| {
                    h.set(h.get() + 1);
                    let h2 = h.clone();
                    if let Some(handlers) = el.end_tag_handlers() {
                        let on_end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                            h2.set(h2.get().saturating_sub(1));
                            Ok(())
                        });
                        handlers.push(on_end);
                    }
                    Ok(())
                }
            ))
            .append_document_content_handler(doc_text!(|t| {
                if hidden.get() == 0 {
                    let mut s = text.borrow_mut();
                    s.push_str(t.as_str());
                    // Block boundaries separate words even without white space.
                    if t.last_in_text_node() {
                        s.push(' ');
                    }
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    // The rewriter only fails on memory limits or handler errors; neither applies here.
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    let raw = text.into_inner();
    crate::text::normalize_whitespace(&html_escape::decode_html_entities(&raw))
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

/// The excerpt's source, Jekyll-style: the body up to the separator. When the
/// separator is the default blank line and the first block has no text (an
/// image-only paragraph, say), the first block that has text is taken instead.
pub fn excerpt_source<'a>(body: &'a str, separator: &str, markdown: bool) -> String {
    let body = body.trim_start_matches(['\n', '\r']);
    if separator != "\n\n" {
        return body.split(separator).next().unwrap_or("").to_string();
    }
    for chunk in body.split("\n\n") {
        let html = if markdown {
            crate::render::markdown::markdown_to_html(chunk, &Default::default())
        } else {
            chunk.to_string()
        };
        if !plain_text(&html).is_empty() {
            return chunk.to_string();
        }
    }
    String::new()
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
    fn plain_text_drops_tags_and_scripts_and_decodes_entities() {
        assert_eq!(
            plain_text("<p>A &amp; <b>B</b></p>\n<script>x()</script><p>C&nbsp;D</p>"),
            "A & B C D"
        );
    }

    #[test]
    fn excerpt_skips_an_image_only_first_paragraph() {
        let body = "\n<p><img src=\"x.jpg\"></p>\n\n<h2>Heading</h2>\n\n<p>Text</p>";
        assert_eq!(excerpt_source(body, "\n\n", false), "<h2>Heading</h2>");
    }

    #[test]
    fn excerpt_stops_at_a_custom_separator() {
        let body = "Intro.\n\nStill intro.<!--more-->\n\nAfter.";
        assert_eq!(
            plain_text(&crate::render::markdown::markdown_to_html(
                &excerpt_source(body, "<!--more-->", true),
                &Default::default()
            )),
            "Intro. Still intro."
        );
    }
}
