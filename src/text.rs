//! Text clean-up shared by every serialiser.
//!
//! Invariant: every string that reaches XML goes through [`xml_safe`], so no
//! output ever carries a character XML 1.0 forbids (Jekyll's feed does, and is
//! then not well-formed).

use std::borrow::Cow;

/// True for characters allowed in an XML 1.0 document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Removes characters that XML 1.0 forbids (C0 controls other than tab, line
/// feed and carriage return; U+FFFE; U+FFFF), and turns `\r\n` and lone `\r`
/// into `\n` as every XML parser would, so what a reader gets back is
/// exactly this text.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    // In a Rust string only C0 controls, U+FFFE and U+FFFF can break the
    // character rule; the last two start with byte 0xEF, which Korean and
    // Latin text rarely holds. One byte scan, in chunks without an early
    // exit so it vectorises, clears nearly every string.
    let suspect = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0xEF;
    let clean = !s
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |seen, &b| seen | suspect(b)));
    if clean || s.chars().all(|c| is_xml_char(c) && c != '\r') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// Collapses every run of white space to one space and trims the ends.
#[cfg(feature = "site")]
pub fn normalize_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Shortens `s` to at most `max_chars` characters, at a word boundary where
/// one is near, ending with an ellipsis that counts as one of the
/// `max_chars`. Never cuts inside a character.
#[cfg(feature = "site")]
pub fn truncate_chars(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        None => s.to_string(),
        Some(_) => {
            // One character is left for the ellipsis, so the result is never
            // longer than `max_chars`.
            let cut = s
                .char_indices()
                .nth(max_chars.saturating_sub(1))
                .map_or(s.len(), |(i, _)| i);
            let head = &s[..cut];
            // Prefer the last space in the final fifth, so words stay whole.
            let min = head.len() - head.len() / 5;
            let end = match head.rfind(' ') {
                Some(i) if i >= min => i,
                _ => cut,
            };
            format!("{}…", head[..end].trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_drops_a_bell_and_turns_crlf_into_lf() {
        assert_eq!(xml_safe("Bell \u{7} here\r\nnext"), "Bell  here\nnext");
    }

    #[test]
    #[cfg(feature = "site")]
    fn truncation_ends_at_a_word_with_an_ellipsis_within_the_limit() {
        assert_eq!(truncate_chars("한국 정부와 7개국", 6), "한국 정부…");
        assert_eq!(truncate_chars("한국 정부와 7개국", 7), "한국 정부와…");
        assert_eq!(truncate_chars("short", 10), "short");
    }

    proptest::proptest! {
        #[test]
        fn xml_safe_keeps_exactly_the_characters_xml_allows(
            s in "[a한\t\n\r\u{0}\u{1f}\u{7f}\u{fffd}\u{fffe}\u{ffff}\u{f000}\u{10000}]{0,12}"
        ) {
            let safe = xml_safe(&s);
            proptest::prop_assert!(safe.chars().all(|c| is_xml_char(c) && c != '\r'));
            let kept: String = s.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|&c| is_xml_char(c)).collect();
            proptest::prop_assert_eq!(safe.as_ref(), kept.as_str());
        }
    }
}
