//! kramdown's smart quotes and typographic symbols
//! (`parser/kramdown/smart_quotes.rb`, `typographic_symbol.rb`), applied to
//! a run of text as the HTML converter prints them with
//! `entity_output: as_char`.

use crate::config::kramdown::KramdownOptions;

/// The text with `'` and `"` made curly by kramdown's rules and `---`,
/// `--`, `...`, `<<`, `>>` made symbols. `prev` is the character before the
/// run when it continues one (after a line break), `None` at its start.
pub(super) fn typeset(text: &str, prev: Option<char>, opts: &KramdownOptions) -> String {
    if !text.contains(['\'', '"', '-', '.', '<', '>']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest = &chars[i..];
        if c == '\'' || c == '"' {
            // Two quotes before a word: `"'word` and `'"word`.
            if let Some(&second) = rest.get(1) {
                if second != c
                    && matches!(second, '\'' | '"')
                    && rest.get(2).is_some_and(|&n| is_word(n))
                {
                    let before = if i == 0 { prev } else { Some(chars[i - 1]) };
                    if before.is_none_or(char::is_whitespace) || i > 0 {
                        out.push_str(quote(opts, c, Side::Left));
                        out.push_str(quote(opts, second, Side::Left));
                        i += 2;
                        continue;
                    }
                }
            }
            let before = if i == 0 { prev } else { Some(chars[i - 1]) };
            out.push_str(quote(opts, c, side(before, rest)));
            i += 1;
            continue;
        }
        let symbol = if rest.starts_with(&['-', '-', '-']) {
            Some(("mdash", 3))
        } else if rest.starts_with(&['-', '-']) {
            Some(("ndash", 2))
        } else if rest.starts_with(&['.', '.', '.']) {
            Some(("hellip", 3))
        } else if rest.starts_with(&['<', '<', ' ']) {
            Some(("laquo_space", 3))
        } else if rest.starts_with(&[' ', '>', '>']) {
            Some(("raquo_space", 3))
        } else if rest.starts_with(&['<', '<']) {
            Some(("laquo", 2))
        } else if rest.starts_with(&['>', '>']) {
            Some(("raquo", 2))
        } else {
            None
        };
        match symbol {
            Some((name, len)) => {
                out.push_str(&symbol_text(opts, name));
                i += len;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Left,
    Right,
}

/// Which way a quote at the start of `rest` turns, by kramdown's `SQ_RULES`
/// in their order. `before` is the character before it in the same run.
fn side(before: Option<char>, rest: &[char]) -> Side {
    let q = rest[0];
    let next = rest.get(1).copied();
    let after = |n: usize| rest.get(n).copied();
    match before {
        None => {
            // `("|')(?=[_*]{1,2}\S)`: before emphasis.
            if next.is_some_and(|c| c == '_' || c == '*') {
                let k = if after(2).is_some_and(|c| c == '_' || c == '*') {
                    3
                } else {
                    2
                };
                if after(k).is_some_and(|c| !c.is_whitespace()) {
                    return Side::Left;
                }
            }
            // `("|')(?=PUNCT(?!\.\.)\B)`: before punctuation.
            if let Some(p) = next {
                if is_sq_punct(p)
                    && !(after(2) == Some('.') && after(3) == Some('.'))
                    && !after(2).is_some_and(is_word)
                {
                    return Side::Right;
                }
            }
            // `(\s?)'(?=\d\ds)`: '80s.
            if q == '\''
                && next.is_some_and(|c| c.is_ascii_digit())
                && after(2).is_some_and(|c| c.is_ascii_digit())
                && after(3) == Some('s')
            {
                return Side::Right;
            }
            // `("|')(?=\s|s\b|$)`.
            if closes(rest) {
                return Side::Right;
            }
            Side::Left
        }
        Some(b) => {
            if b.is_whitespace() {
                if q == '\''
                    && next.is_some_and(|c| c.is_ascii_digit())
                    && after(2).is_some_and(|c| c.is_ascii_digit())
                    && after(3) == Some('s')
                {
                    return Side::Right;
                }
                // `(\s)('|")(?=\w)`.
                if next.is_some_and(is_word) {
                    return Side::Left;
                }
                return Side::Left;
            }
            // `(SQ_CLOSE)('|")`: after anything but `\`, `[`, `{`, `(`, `-`.
            if !matches!(b, '\\' | '[' | '{' | '(' | '-') {
                return Side::Right;
            }
            Side::Left
        }
    }
}

/// `(?=\s|s\b|$)`.
fn closes(rest: &[char]) -> bool {
    match rest.get(1) {
        None => true,
        Some(c) if c.is_whitespace() => true,
        Some('s') => !rest.get(2).is_some_and(|&c| is_word(c)),
        _ => false,
    }
}

/// kramdown's `SQ_PUNCT`.
fn is_sq_punct(c: char) -> bool {
    "!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~".contains(c)
}

/// Ruby's `\w` in kramdown's regexes: ASCII letters, digits and `_` (Ruby's
/// `\w` is ASCII-only), so a quote before Hangul is not "before a word".
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn quote(opts: &KramdownOptions, q: char, side: Side) -> &str {
    let i = match (q, side) {
        ('\'', Side::Left) => 0,
        ('\'', Side::Right) => 1,
        (_, Side::Left) => 2,
        (_, Side::Right) => 3,
    };
    &opts.smart_quotes[i]
}

/// A symbol as the converter prints it: the site's `typographic_symbols`
/// replacement, else its character(s).
fn symbol_text(opts: &KramdownOptions, name: &str) -> String {
    if let Some((_, v)) = opts.typographic_symbols.iter().find(|(k, _)| k == name) {
        return v.clone();
    }
    match name {
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "laquo_space" => "«\u{a0}",
        "raquo_space" => "\u{a0}»",
        "laquo" => "«",
        _ => "»",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        typeset(s, None, &KramdownOptions::default())
    }

    #[test]
    fn quotes_turn_as_kramdown_turns_them() {
        assert_eq!(t("\"quotes\" and it's"), "“quotes” and it’s");
        assert_eq!(t("'single' and the '80s"), "‘single’ and the ’80s");
        assert_eq!(t("say \"hi.\" then"), "say “hi.” then");
        assert_eq!(t("(\"in parens\")"), "(“in parens”)");
        assert_eq!(t("\"'nested' word\""), "“‘nested’ word”");
    }

    #[test]
    fn dashes_ellipses_and_guillemets_become_symbols() {
        assert_eq!(t("a -- b --- c... << d >>"), "a – b — c… «\u{a0}d\u{a0}»");
        assert_eq!(t("<<x>>"), "«x»");
        assert_eq!(t("----"), "—-");
    }

    #[test]
    fn the_sites_symbols_and_quotes_are_used() {
        let (o, _) = KramdownOptions::from_config(
            &crate::yaml::parse_mapping(
                "smart_quotes: [sbquo, lsquo, bdquo, ldquo]\ntypographic_symbols: {hellip: '...', mdash: '---'}",
            )
            .unwrap(),
        );
        assert_eq!(
            typeset("\"a\" -- b... c --- 'd'", None, &o),
            "„a“ – b... c --- ‚d‘"
        );
    }
}
