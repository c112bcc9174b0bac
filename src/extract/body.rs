//! The body of a post: rendering Markdown, the plain-text excerpt, the first image.

use lol_html::{doc_text, element, HtmlRewriter, Settings};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Renders a Markdown body to HTML, CommonMark with the GitHub extensions
/// (tables, strikethrough, task lists, footnotes), raw HTML passed through as
/// kramdown does.
pub fn markdown_to_html(md: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(md.len() + md.len() / 4);
    html::push_html(&mut out, Parser::new_ext(md, opts));
    out
}

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
            markdown_to_html(chunk)
        } else {
            chunk.to_string()
        };
        if !plain_text(&html).is_empty() {
            return chunk.to_string();
        }
    }
    String::new()
}

/// The URL attributes that point at other documents and media.
const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// Makes every `href`, `src`, `srcset` and `poster` in an HTML fragment
/// absolute, resolved against `base` (the post's URL). Links with schemes
/// other than http, https, mailto and tel (`javascript:`, `data:`, …) are
/// removed; the removed values come back beside the HTML.
pub fn absolutize_urls(html: &str, base: &url::Url) -> (String, Vec<String>) {
    let dropped = RefCell::new(Vec::new());
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    let resolve = |raw: &str| -> Option<String> {
        let raw = raw.trim();
        match base.join(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto" | "tel") => Some(u.into()),
            // Not a URL the parser understands: leave the author's text alone
            // unless it names a scheme.
            Err(_) if !raw.contains(':') => Some(raw.to_string()),
            _ => None,
        }
    };
    let mut rewriter = HtmlRewriter::new(
        Settings::new().append_element_content_handler(element!(
            "[href], [src], [srcset], [poster]",
            |el| {
                for name in URL_ATTRIBUTES {
                    if let Some(v) = el.get_attribute(name) {
                        match resolve(&html_escape::decode_html_entities(&v)) {
                            Some(abs) => el.set_attribute(name, &abs.replace('&', "&amp;"))?,
                            None => {
                                el.remove_attribute(name);
                                dropped.borrow_mut().push(v);
                            }
                        }
                    }
                }
                if let Some(v) = el.get_attribute("srcset") {
                    let decoded = html_escape::decode_html_entities(&v).into_owned();
                    let mut parts = Vec::new();
                    for candidate in decoded.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                        let (u, descriptor) = candidate
                            .split_once(char::is_whitespace)
                            .map_or((candidate, ""), |(u, d)| (u, d.trim()));
                        match resolve(u) {
                            Some(abs) if descriptor.is_empty() => parts.push(abs),
                            Some(abs) => parts.push(format!("{abs} {descriptor}")),
                            None => dropped.borrow_mut().push(u.to_string()),
                        }
                    }
                    if parts.is_empty() {
                        el.remove_attribute("srcset");
                    } else {
                        el.set_attribute("srcset", &parts.join(", ").replace('&', "&amp;"))?;
                    }
                }
                Ok(())
            }
        )),
        |chunk: &[u8]| out.extend_from_slice(chunk),
    );
    // The handlers above fail only on invalid attribute names, which these are not.
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    let html = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (html, dropped.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_become_absolute_and_unsafe_schemes_are_dropped() {
        let base = url::Url::parse("https://example.com/2024/03/post/").unwrap();
        let (html, dropped) = absolutize_urls(
            r#"<img src="/img/a.png" srcset="b.png 2x, /c.png 3x"><a href="javascript:alert(1)">x</a>"#,
            &base,
        );
        assert_eq!(
            html,
            r#"<img src="https://example.com/img/a.png" srcset="https://example.com/2024/03/post/b.png 2x, https://example.com/c.png 3x"><a>x</a>"#
        );
        assert_eq!(dropped, ["javascript:alert(1)"]);
    }

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
            plain_text(&markdown_to_html(&excerpt_source(
                body,
                "<!--more-->",
                true
            ))),
            "Intro. Still intro."
        );
    }

    #[test]
    fn markdown_keeps_raw_html() {
        assert!(
            markdown_to_html("<figure><img src=\"a.png\"></figure>\n\n*hi*")
                .contains("<figure><img src=\"a.png\"></figure>")
        );
    }
}
