//! THE language-tag rule: extraction, configuration, the writers and the
//! validator all ask here, so a tag one of them accepts is never refused by
//! another (a `lang: en_US` that extraction kept and the validator then
//! refused used to cost the whole build).
//!
//! Well-formed means the ABNF of BCP 47 (RFC 5646 §2.1), case-insensitive:
//! `language[-extlang][-script][-region](-variant)*(-extension)*[-x-private]`,
//! a private-use tag (`x-…`), or one of the grandfathered tags.
//! [`normalize`] mends what people commonly write instead: POSIX locales
//! (`en_US`, `en_US.UTF-8`, `de_DE@euro`), and puts each subtag in its
//! conventional case (`EN-us` → `en-US`, `zh-hant-tw` → `zh-Hant-TW`).

/// Irregular and regular grandfathered tags (RFC 5646 §2.1), lower case.
const GRANDFATHERED: &[&str] = &[
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];

fn alpha(s: &str, lo: usize, hi: usize) -> bool {
    (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn alnum(s: &str, lo: usize, hi: usize) -> bool {
    (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// `privateuse = "x" 1*("-" (1*8alphanum))`, given the subtags after `x`.
fn private_use(rest: &[&str]) -> bool {
    !rest.is_empty() && rest.iter().all(|p| alnum(p, 1, 8))
}

/// True when `tag` is a well-formed BCP 47 language tag.
pub fn is_well_formed(tag: &str) -> bool {
    if tag.is_empty() || tag.len() > 255 {
        return false;
    }
    let lower = tag.to_ascii_lowercase();
    if GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let parts: Vec<&str> = lower.split('-').collect();
    if parts[0] == "x" {
        return private_use(&parts[1..]);
    }
    let mut i = 0;
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
    let language = parts[0];
    if !alpha(language, 2, 8) {
        return false;
    }
    i += 1;
    if language.len() <= 3 {
        // extlang = 3ALPHA *2("-" 3ALPHA)
        let mut ext = 0;
        while ext < 3 && i < parts.len() && alpha(parts[i], 3, 3) {
            i += 1;
            ext += 1;
        }
    }
    if i < parts.len() && alpha(parts[i], 4, 4) {
        i += 1; // script
    }
    if i < parts.len() && (alpha(parts[i], 2, 2) || digits(parts[i], 3)) {
        i += 1; // region
    }
    // variant = 5*8alphanum / (DIGIT 3alphanum)
    while i < parts.len()
        && (alnum(parts[i], 5, 8)
            || parts[i].len() == 4
                && parts[i].as_bytes()[0].is_ascii_digit()
                && alnum(parts[i], 4, 4))
    {
        i += 1;
    }
    // extension = singleton 1*("-" (2*8alphanum))
    while i < parts.len() && parts[i].len() == 1 && parts[i] != "x" && alnum(parts[i], 1, 1) {
        i += 1;
        let start = i;
        while i < parts.len() && alnum(parts[i], 2, 8) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if i < parts.len() && parts[i] == "x" {
        return private_use(&parts[i + 1..]);
    }
    i == parts.len()
}

/// True when `tag` is what RSS 2.0's `<language>` allows: a well-formed tag
/// whose primary subtag is a two- or three-letter code (RFC 1766's shape,
/// which the RSS specification's list of codes follows), or `i-`/`x-`.
pub fn is_rss_language(tag: &str) -> bool {
    let first = tag.split('-').next().unwrap_or("");
    let primary =
        alpha(first, 2, 3) || first.eq_ignore_ascii_case("i") || first.eq_ignore_ascii_case("x");
    primary && is_well_formed(tag)
}

/// What people write, as a well-formed tag; `None` when it cannot be mended
/// (then the caller drops the value with a warning).
///
/// Mended: surrounding spaces, `_` for `-` (`en_US`), a POSIX locale's
/// encoding and modifier (`en_US.UTF-8`, `de_DE@euro`). Case is kept as
/// written: tags are case-insensitive (RFC 5646 §2.1.1) and jekyll-feed
/// copies the value, so `zh-cn` stays `zh-cn` as in Jekyll's feed.
/// The result is always a tag RSS accepts too ([`is_rss_language`]).
#[cfg_attr(not(feature = "site"), allow(dead_code))]
pub fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.split(['.', '@']).next().unwrap_or("");
    let s = s.replace('_', "-");
    // The ABNF allows 4- to 8-letter language subtags, but none is
    // registered: `english` is a word, not a tag, so it is not "mended".
    is_rss_language(&s).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcp47_well_formed_tags_are_accepted() {
        for ok in [
            "en",
            "ko",
            "en-US",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "es-419",
            "de-CH-1901",
            "sl-rozaj-biske",
            "en-a-bbb-x-a-ccc",
            "x-whatever",
            "i-klingon",
            "zh-yue-HK",
            "haw",
            "tlh-Latn",
        ] {
            assert!(is_well_formed(ok), "{ok}");
        }
    }

    #[test]
    fn malformed_tags_are_refused() {
        for bad in [
            "",
            "e",
            "en_US",
            "en-",
            "-en",
            "en--US",
            "123",
            "en-US-x",
            "en-a",
            "toolongtag",
            "en-US.UTF-8",
            "english language",
            "a-DE",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn what_people_write_is_mended_to_a_well_formed_tag_keeping_its_case() {
        for (raw, want) in [
            ("en_US", "en-US"),
            (" ko ", "ko"),
            ("EN-us", "EN-us"),
            ("zh-cn", "zh-cn"),
            ("en_US.UTF-8", "en-US"),
            ("de_DE@euro", "de-DE"),
            ("zh-hant-tw", "zh-hant-tw"),
            ("pt_BR", "pt-BR"),
            ("es-419", "es-419"),
            ("en-a-bb-x-yy", "en-a-bb-x-yy"),
        ] {
            assert_eq!(normalize(raw).as_deref(), Some(want), "{raw}");
        }
        for bad in ["english", "한국어", "en US", "1", ""] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn rss_language_wants_a_two_or_three_letter_primary_subtag() {
        assert!(is_rss_language("en-US"));
        assert!(is_rss_language("x-klingon"));
        assert!(!is_rss_language("english"));
        assert!(!is_rss_language("en_US"));
    }

    proptest::proptest! {
        #[test]
        fn a_normalised_tag_is_well_formed_and_normalises_to_itself(raw in "[a-zA-Z0-9_.@ -]{0,20}") {
            if let Some(t) = normalize(&raw) {
                proptest::prop_assert!(is_well_formed(&t) && is_rss_language(&t));
                let again = normalize(&t);
                proptest::prop_assert_eq!(again.as_deref(), Some(t.as_str()));
            }
        }
    }
}
