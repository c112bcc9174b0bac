//! Rewriting the links in HTML content (the `html` feature): feeds are read
//! far from the page, so a relative link in an entry's content means
//! nothing to a reader.

use lol_html::{element, HtmlRewriter, Settings};
use std::cell::RefCell;

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
}
