//! Post URLs and Atom ids, exactly as Jekyll 4.3 and jekyll-feed make them.

use crate::model::path_safe;
use chrono::{DateTime, Datelike, FixedOffset, Timelike};

/// How [`slugify`] treats characters (Jekyll's slugify modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlugMode {
    /// Letters, marks and digits kept; everything else becomes `-`; lower-cased.
    Default,
    /// Also keeps `._~!$&'()+,;=@`; case kept. Used for `:title`.
    Pretty,
}

/// Jekyll's `Utils.slugify`.
pub fn slugify(s: &str, mode: SlugMode) -> String {
    let mut out = String::with_capacity(s.len());
    slugify_into(s, mode, &mut out);
    out
}

/// Appends [`slugify`]'s answer to `out`.
fn slugify_into(s: &str, mode: SlugMode, out: &mut String) {
    let keep = |c: char| {
        c.is_alphanumeric()
            || is_mark(c)
            || (mode == SlugMode::Pretty && "._~!$&'()+,;=@".contains(c))
    };
    let start = out.len();
    // A dash is written only before a kept character, so none leads or
    // trails: Jekyll strips one leading and one trailing hyphen, and a run of
    // dropped characters (one hyphen) is all a slug can start or end with.
    let mut pending_dash = false;
    for c in s.chars() {
        if keep(c) {
            if pending_dash && out.len() > start {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    if mode == SlugMode::Default {
        let changes = |c: char| {
            let mut lower = c.to_lowercase();
            lower.next() != Some(c) || lower.next().is_some()
        };
        if out[start..].chars().any(changes) {
            // `str::to_lowercase`, for its context rules (a final sigma).
            let lower = out[start..].to_lowercase();
            out.truncate(start);
            out.push_str(&lower);
        }
    }
}

fn is_mark(c: char) -> bool {
    // Combining marks (Unicode category M) in the ranges Korean, Latin and
    // other common scripts use; enough for slugs, where they follow a letter.
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0x302A..=0x302F | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// Jekyll's title from a slug: `hello-world` → `Hello World`
/// (Ruby's `capitalize`: first letter upper-case, the rest lower-case).
pub fn titleize_slug(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Appends `%XX` for a byte.
fn push_escaped(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// Jekyll's `URL.escape_path`: percent-encodes a placeholder value (a `%` too).
#[cfg(test)]
pub fn escape_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped_path(&mut out, s);
    out
}

/// Appends `s` escaped as [`escape_path`] does.
fn push_escaped_path(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if path_safe(b) {
            out.push(b as char);
        } else {
            push_escaped(out, b);
        }
    }
}

/// Addressable's path normalisation, as in Jekyll's `absolute_url` filter:
/// keeps valid `%XX` escapes (upper-case), encodes what a path may not hold.
pub fn normalize_path(s: &str) -> String {
    let bytes = s.as_bytes();
    // Nearly every path is already normal: only bytes kept as they are.
    if bytes.iter().all(|&b| path_safe(b)) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            out.push('%');
            out.push(bytes[i + 1].to_ascii_uppercase() as char);
            out.push(bytes[i + 2].to_ascii_uppercase() as char);
            i += 3;
            continue;
        }
        if path_safe(b) {
            out.push(b as char);
        } else {
            push_escaped(&mut out, b);
        }
        i += 1;
    }
    out
}

/// What a permalink template can refer to.
#[derive(Clone, Debug)]
pub struct Placeholders<'a> {
    /// The post's slug: front-matter `slug`, else from the file name.
    pub slug: &'a str,
    /// The file name without its extension (`2024-03-15-hello`).
    pub basename: &'a str,
    /// The path inside the collection without extension (`/2024/2024-03-15-hello`), for `:path`.
    pub path: &'a str,
    /// The post's categories, in order.
    pub categories: &'a [String],
    /// The post's date in the site time zone.
    pub date: DateTime<FixedOffset>,
    /// The output extension, `.html`.
    pub output_ext: &'a str,
    /// The collection's label (`posts` for posts).
    pub collection: &'a str,
}

/// Why a permalink template could not be expanded.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown permalink placeholder `:{0}`; see Jekyll's list (:year, :month, :day, :title, :slug, :categories, …)")]
pub struct UnknownPlaceholder(pub String);

impl Placeholders<'_> {
    #[cfg(test)]
    fn value(&self, name: &str) -> Option<String> {
        let mut out = String::new();
        self.write_value(name, &mut out).then_some(out)
    }

    /// Appends the value of the placeholder `name` (unescaped) to `out`;
    /// false when there is no such placeholder.
    fn write_value(&self, name: &str, out: &mut String) -> bool {
        use std::fmt::Write as _;
        let d = &self.date;
        // Writing to a String cannot fail.
        let mut f = |fmt: &str| _ = write!(out, "{}", d.format(fmt));
        match name {
            "title" => slugify_into(self.slug, SlugMode::Pretty, out),
            "slug" => slugify_into(self.slug, SlugMode::Default, out),
            "name" => slugify_into(self.basename, SlugMode::Default, out),
            "path" => out.push_str(self.path),
            // A page's file name without its extension (`Page#url_placeholders`).
            "basename" => out.push_str(self.basename),
            "collection" => out.push_str(self.collection),
            "output_ext" => out.push_str(self.output_ext),
            "categories" => {
                let mut seen: Vec<String> = Vec::new();
                for c in self.categories {
                    let c = c.to_lowercase();
                    if !seen.contains(&c) {
                        seen.push(c);
                    }
                }
                out.push_str(&seen.join("/"))
            }
            "slugified_categories" => {
                let mut seen: Vec<String> = Vec::new();
                for c in self.categories {
                    let c = slugify(c, SlugMode::Default);
                    if !seen.contains(&c) {
                        seen.push(c);
                    }
                }
                out.push_str(&seen.join("/"))
            }
            // The numbers directly: every post's URL has some, and chrono
            // parses its format string on each call. (Dates are checked to
            // years 1-9999, where `%Y` is four digits.)
            "year" => push_padded(out, d.year().unsigned_abs(), 4),
            "month" => push_padded(out, d.month(), 2),
            "day" => push_padded(out, d.day(), 2),
            "hour" => push_padded(out, d.hour(), 2),
            "minute" => push_padded(out, d.minute(), 2),
            "second" => push_padded(out, d.second(), 2),
            "i_day" => _ = write!(out, "{}", d.day()),
            "i_month" => _ = write!(out, "{}", d.month()),
            "short_month" => f("%b"),
            "long_month" => f("%B"),
            "short_year" => f("%y"),
            "w_year" => f("%G"),
            "week" => f("%V"),
            "w_day" => f("%u"),
            "short_day" => f("%a"),
            "long_day" => f("%A"),
            "y_day" => f("%j"),
            _ => return false,
        }
        true
    }
}

/// `n` in decimal, zero-padded to `width` digits (`format!("{n:0width$}")`
/// for the numbers a date has: years 1-9999, months, days, hours...).
fn push_padded(out: &mut String, n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let start = at.min(digits.len() - width.min(digits.len()));
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

/// Expands a permalink template into a site path, as Jekyll's `URL#to_s` does
/// (`generate_url_from_drop`, then `sanitize_url`).
pub fn expand(template: &str, p: &Placeholders<'_>) -> Result<String, UnknownPlaceholder> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut value = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let name = &after[..len];
        // Jekyll lets `:name_` stand for `:name` so a placeholder can touch text after it.
        value.clear();
        let known = p.write_value(name, &mut value)
            || name
                .strip_suffix('_')
                .is_some_and(|n| p.write_value(n, &mut value));
        if !known {
            return Err(UnknownPlaceholder(name.to_string()));
        }
        push_escaped_path(&mut out, &value);
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(sanitize(out))
}

/// `sanitize_url(squeeze_slashes(s))`. Nearly every URL is already clean,
/// and then that changes nothing but a missing leading `/`.
fn sanitize(mut s: String) -> String {
    if s.contains("//") || s.contains("..") || s.contains("./") {
        return sanitize_url(&squeeze_slashes(&s));
    }
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    s
}

fn squeeze_slashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Jekyll's `URL#sanitize_url`: a leading `/`, no `..`, no `./`, no `//`.
fn sanitize_url(s: &str) -> String {
    let with_slash = format!("/{s}").replace("..", "/").replace("./", "");
    squeeze_slashes(&with_slash)
}

/// Jekyll's document id: the URL's folder joined with the raw slug. jekyll-feed
/// uses it, made absolute, as each Atom entry's `id`.
pub fn document_id(url: &str, slug: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let dir = match trimmed.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &trimmed[..i],
    };
    if dir.ends_with('/') {
        format!("{dir}{slug}")
    } else {
        format!("{dir}/{slug}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_padded_number_is_what_format_pads(n in 0u32..100_000, width in 1usize..6) {
            let mut out = String::from("x");
            push_padded(&mut out, n, width);
            proptest::prop_assert_eq!(out, format!("x{n:0width$}"));
        }
    }

    #[test]
    fn a_document_id_is_the_url_folder_plus_the_slug() {
        assert_eq!(
            document_id("/2024/03/24/My-Custom-Slug/", "My Custom Slug"),
            "/2024/03/24/My Custom Slug"
        );
        assert_eq!(
            document_id("/2024/03/24/post.html", "post"),
            "/2024/03/24/post"
        );
    }

    #[test]
    fn placeholders_expand_percent_encoded() {
        let date = chrono::DateTime::parse_from_rfc3339("2024-03-16T10:00:00+09:00").unwrap();
        let cats = vec!["정책".to_string()];
        let p = Placeholders {
            slug: "한글-제목",
            basename: "2024-03-16-한글-제목",
            path: "",
            categories: &cats,
            date,
            output_ext: ".html",
            collection: "posts",
        };
        assert_eq!(
            expand("/:categories/:year/:month/:day/:title:output_ext", &p).unwrap(),
            "/%EC%A0%95%EC%B1%85/2024/03/16/%ED%95%9C%EA%B8%80-%EC%A0%9C%EB%AA%A9.html"
        );
    }

    #[test]
    fn slugs_follow_jekylls_modes_and_keep_hangul() {
        assert_eq!(
            slugify("My Custom Slug", SlugMode::Pretty),
            "My-Custom-Slug"
        );
        assert_eq!(slugify("C++ & Rust!", SlugMode::Default), "c-rust");
        assert_eq!(slugify("한글 제목?", SlugMode::Pretty), "한글-제목");
    }

    fn ph<'a>(slug: &'a str, cats: &'a [String]) -> Placeholders<'a> {
        Placeholders {
            slug,
            basename: "2024-03-25-x",
            path: "/2024-03-25-x",
            categories: cats,
            date: DateTime::parse_from_rfc3339("2024-03-25T00:00:00+09:00").unwrap(),
            output_ext: ".html",
            collection: "posts",
        }
    }

    #[test]
    fn pretty_slug_keeps_the_characters_jekyll_keeps() {
        // Checked against Jekyll 4.3.1's Utils.slugify(mode: "pretty", cased: true).
        assert_eq!(
            slugify("Caps_and.dots.v2", SlugMode::Pretty),
            "Caps_and.dots.v2"
        );
        assert_eq!(slugify("a__b--c", SlugMode::Pretty), "a__b-c");
        assert_eq!(slugify("C++ & Rust!", SlugMode::Pretty), "C++-&-Rust!");
        assert_eq!(slugify("Ünïcode café", SlugMode::Pretty), "Ünïcode-café");
        assert_eq!(slugify("x:y/z#q", SlugMode::Pretty), "x-y-z-q");
        assert_eq!(slugify("Ünïcode café", SlugMode::Default), "ünïcode-café");
    }

    #[test]
    fn categories_are_lowercased_and_deduplicated_in_urls() {
        let cats = vec![
            "Ignored".to_string(),
            "Also".into(),
            "Solo".into(),
            "ALSO".into(),
        ];
        let url = expand(
            "/:categories/:year/:month/:day/:title/",
            &ph("Caps_and.dots.v2", &cats),
        )
        .unwrap();
        assert_eq!(url, "/ignored/also/solo/2024/03/25/Caps_and.dots.v2/");
    }

    #[test]
    fn empty_categories_leave_no_double_slash() {
        let url = expand("/:categories/:year/:title:output_ext", &ph("x", &[])).unwrap();
        assert_eq!(url, "/2024/x.html");
    }

    #[test]
    fn every_named_style_expands() {
        let cats = vec!["News".to_string()];
        let p = ph("hello", &cats);
        let cases = [
            ("date", "/news/2024/03/25/hello.html"),
            ("pretty", "/news/2024/03/25/hello/"),
            ("ordinal", "/news/2024/085/hello.html"),
            ("weekdate", "/news/2024/W13/Mon/hello.html"),
            ("none", "/news/hello.html"),
        ];
        for (style, want) in cases {
            let t = crate::config::permalink_style(style).unwrap();
            assert_eq!(expand(t, &p).unwrap(), want, "{style}");
        }
    }

    #[test]
    fn unknown_placeholder_is_an_error() {
        assert_eq!(
            expand("/:yaer/:title/", &ph("x", &[])),
            Err(UnknownPlaceholder("yaer".into()))
        );
    }

    #[test]
    fn escape_path_encodes_percent_and_spaces() {
        assert_eq!(escape_path("100% sure"), "100%25%20sure");
        assert_eq!(normalize_path("/a b/%ed%95%9c"), "/a%20b/%ED%95%9C");
    }

    #[test]
    fn numeric_date_placeholders_write_what_chrono_formats() {
        let pairs = [
            ("year", "%Y"),
            ("month", "%m"),
            ("day", "%d"),
            ("hour", "%H"),
            ("minute", "%M"),
            ("second", "%S"),
            ("i_day", "%-d"),
            ("i_month", "%-m"),
        ];
        for date in [
            "0001-01-01T00:00:00+00:00",
            "0999-02-03T04:05:06+09:00",
            "2024-12-31T23:59:59-05:00",
            "9999-10-09T10:20:30+14:00",
        ] {
            let p = Placeholders {
                date: DateTime::parse_from_rfc3339(date).unwrap(),
                ..ph("x", &[])
            };
            for (name, fmt) in pairs {
                assert_eq!(
                    p.value(name).unwrap(),
                    p.date.format(fmt).to_string(),
                    "{name} of {date}"
                );
            }
        }
    }

    /// Jekyll's slugify spelled out step by step: dashes for dropped runs,
    /// one leading and one trailing dash stripped, then lower-cased.
    fn reference_slugify(s: &str, mode: SlugMode) -> String {
        let keep = |c: char| {
            c.is_alphanumeric()
                || is_mark(c)
                || (mode == SlugMode::Pretty && "._~!$&'()+,;=@".contains(c))
        };
        let mut out = String::new();
        let mut pending_dash = false;
        for c in s.chars() {
            if keep(c) {
                if pending_dash {
                    out.push('-');
                    pending_dash = false;
                }
                out.push(c);
            } else {
                pending_dash = true;
            }
        }
        if pending_dash {
            out.push('-');
        }
        let out = out.strip_prefix('-').unwrap_or(&out);
        let out = out.strip_suffix('-').unwrap_or(out);
        match mode {
            SlugMode::Default => out.to_lowercase(),
            SlugMode::Pretty => out.to_string(),
        }
    }

    proptest::proptest! {
        #[test]
        fn slugify_writes_what_the_step_by_step_rules_give(
            s in "[ -~가-힣ÄäΣσς\u{0301}ǅ]{0,16}"
        ) {
            for mode in [SlugMode::Default, SlugMode::Pretty] {
                proptest::prop_assert_eq!(slugify(&s, mode), reference_slugify(&s, mode));
            }
        }

        #[test]
        fn sanitizing_a_clean_url_takes_the_short_way_to_the_same_answer(
            s in "[/.a%-]{0,12}"
        ) {
            proptest::prop_assert_eq!(sanitize(s.clone()), sanitize_url(&squeeze_slashes(&s)));
        }
    }

    #[test]
    fn titleize_matches_ruby_capitalize() {
        assert_eq!(titleize_slug("crlf-bom"), "Crlf Bom");
        assert_eq!(titleize_slug("hello-WORLD"), "Hello World");
    }
}
