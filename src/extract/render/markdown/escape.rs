//! Text escaped for HTML as kramdown escapes it, for the renderer and its
//! block passes alike.

/// HTML-escapes text as kramdown's `escape_html` and rouge do: `<`, `>`,
/// `&` (and `"`, which only attribute values here can hold).
pub(super) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}
