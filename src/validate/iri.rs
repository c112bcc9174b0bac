//! IRI characters: the one rule the XML reader (namespace names) and the
//! value checks (`checks`, which re-exports it) share, below both.

/// A relative or absolute IRI reference (no spaces or characters a URI forbids).
pub fn is_iri_chars(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
        })
        && percent_ok(s)
}

fn percent_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}
