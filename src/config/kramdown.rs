//! The `kramdown:` keys of `_config.yml`: configuration, read with the rest
//! of it; `extract::render::markdown` renders by them.

use crate::yaml::{self, Mapping, Value};

/// The `kramdown:` options of `_config.yml` that change the HTML, with
/// Jekyll's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KramdownOptions {
    /// `input`: `GFM` (Jekyll's default) or `kramdown`.
    pub input: Input,
    /// `auto_ids`: headings get ids made from their text.
    pub auto_ids: bool,
    /// `auto_id_prefix`.
    pub auto_id_prefix: String,
    /// `transliterated_header_ids`.
    pub transliterated_header_ids: bool,
    /// `toc_levels`: bit `n` set when `<hn>` is listed in a `{:toc}`.
    pub toc_levels: u8,
    /// `smart_quotes`, as the characters (or entity) written for a left
    /// single, right single, left double and right double quote.
    pub smart_quotes: [String; 4],
    /// `typographic_symbols`: replacements for kramdown's symbol names
    /// (`hellip`, `mdash`, `ndash`, `laquo`, `raquo`, `laquo_space`,
    /// `raquo_space`).
    pub typographic_symbols: Vec<(String, String)>,
    /// `hard_wrap`: a line break in a paragraph is a `<br />` (GFM's own
    /// default; Jekyll sets it off).
    pub hard_wrap: bool,
    /// `footnote_nr`: the number of the first footnote.
    pub footnote_nr: usize,
    /// `footnote_backlink`.
    pub footnote_backlink: String,
    /// `footnote_prefix`.
    pub footnote_prefix: String,
    /// `header_offset`.
    pub header_offset: i8,
    /// `parse_block_html`: Markdown inside block HTML is parsed.
    pub parse_block_html: bool,
    /// `parse_span_html`: Markdown inside span HTML is parsed.
    pub parse_span_html: bool,
    /// `math_engine` is `mathjax` (kramdown's default): math is written as
    /// `\(…\)` and `\[…\]`; otherwise it is kept as written.
    pub mathjax: bool,
    /// `syntax_highlighter_opts.default_lang` (Jekyll sets `plaintext`): the
    /// language of a code block that names none.
    pub default_lang: Option<String>,
    /// `gfm_quirks` includes `paragraph_end` (the default).
    pub gfm_paragraph_end: bool,
    /// `syntax_highlighter_opts` `line_numbers` (for blocks: `block.line_numbers`, as
    /// Chirpy sets it): rouge writes code blocks as a table with a line-number gutter
    /// starting at this number.
    pub block_line_numbers: Option<usize>,
}

/// kramdown's `input` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// kramdown-parser-gfm.
    Gfm,
    /// kramdown's own parser.
    Kramdown,
}

impl Default for KramdownOptions {
    fn default() -> Self {
        KramdownOptions {
            input: Input::Gfm,
            auto_ids: true,
            auto_id_prefix: String::new(),
            transliterated_header_ids: false,
            toc_levels: 0b0111_1110,
            smart_quotes: ["‘", "’", "“", "”"].map(String::from),
            typographic_symbols: Vec::new(),
            hard_wrap: false,
            footnote_nr: 1,
            footnote_backlink: "&#8617;".into(),
            footnote_prefix: String::new(),
            header_offset: 0,
            parse_block_html: false,
            parse_span_html: true,
            mathjax: true,
            default_lang: Some("plaintext".into()),
            gfm_paragraph_end: true,
            block_line_numbers: None,
        }
    }
}

impl KramdownOptions {
    /// The options a site's `kramdown:` map sets over Jekyll's defaults.
    /// A value kramdown would refuse keeps the default and comes back as a
    /// message naming the key, for a warning.
    pub(crate) fn from_config(map: &Mapping) -> (Self, Vec<(String, String)>) {
        let mut o = KramdownOptions::default();
        let mut problems = Vec::new();
        for (k, v) in map {
            let Some(key) = k.as_str() else { continue };
            let mut bad = |what: &str| {
                problems.push((
                    key.to_string(),
                    format!(
                        "`kramdown.{key}` must be {what}, but it is {}; Jekyll's default is used",
                        describe(v)
                    ),
                ))
            };
            let flag = |v: &Value| yaml::as_bool(v);
            match key {
                "input" => match yaml::scalar_string(v).as_deref() {
                    Some("GFM") => o.input = Input::Gfm,
                    Some("kramdown" | "Kramdown") => o.input = Input::Kramdown,
                    _ => bad("`GFM` or `kramdown`"),
                },
                "auto_ids" => flag(v).map_or_else(|| bad("true or false"), |b| o.auto_ids = b),
                "transliterated_header_ids" => flag(v)
                    .map_or_else(|| bad("true or false"), |b| o.transliterated_header_ids = b),
                "hard_wrap" => flag(v).map_or_else(|| bad("true or false"), |b| o.hard_wrap = b),
                "parse_block_html" => {
                    flag(v).map_or_else(|| bad("true or false"), |b| o.parse_block_html = b)
                }
                "parse_span_html" => {
                    flag(v).map_or_else(|| bad("true or false"), |b| o.parse_span_html = b)
                }
                "auto_id_prefix" => match yaml::scalar_string(v) {
                    Some(s) => o.auto_id_prefix = s,
                    None => bad("a string"),
                },
                "footnote_backlink" => match yaml::scalar_string(v) {
                    Some(s) => o.footnote_backlink = s,
                    None => bad("a string"),
                },
                "footnote_prefix" => match yaml::scalar_string(v) {
                    Some(s) => o.footnote_prefix = s,
                    None => bad("a string"),
                },
                "footnote_nr" => match yaml::as_usize(v) {
                    Some(n) => o.footnote_nr = n,
                    None => bad("a whole number"),
                },
                "header_offset" => match yaml::scalar_string(v).and_then(|s| s.trim().parse().ok())
                {
                    Some(n) => o.header_offset = n,
                    None => bad("a whole number"),
                },
                "math_engine" => {
                    o.mathjax = matches!(yaml::scalar_string(v).as_deref(), Some("mathjax"))
                }
                "toc_levels" => match toc_levels(v) {
                    Some(bits) => o.toc_levels = bits,
                    None => bad("levels from 1 to 6, such as `1..3` or `2,3`"),
                },
                "smart_quotes" => match smart_quotes(v) {
                    Some(q) => o.smart_quotes = q,
                    None => {
                        bad("four entity names or code points, such as `lsquo,rsquo,ldquo,rdquo`")
                    }
                },
                "typographic_symbols" => match v {
                    Value::Mapping(m) => {
                        o.typographic_symbols = m
                            .iter()
                            .filter_map(|(k, v)| {
                                Some((yaml::scalar_string(k)?, yaml::scalar_string(v)?))
                            })
                            .collect()
                    }
                    _ => bad("a map such as `{hellip: ...}`"),
                },
                "syntax_highlighter_opts" => {
                    let Some(m) = v.as_mapping() else {
                        bad("a map");
                        continue;
                    };
                    if let Some(lang) = yaml::get(m, "default_lang") {
                        o.default_lang = yaml::scalar_string(lang).filter(|l| !l.is_empty());
                    }
                    // `block:` settings win over the general ones.
                    let block = yaml::get(m, "block").and_then(Value::as_mapping);
                    let setting = |key: &str| {
                        block
                            .and_then(|b| yaml::get(b, key))
                            .or_else(|| yaml::get(m, key))
                    };
                    if setting("line_numbers").and_then(yaml::as_bool) == Some(true) {
                        let start = setting("start_line").and_then(yaml::as_usize).unwrap_or(1);
                        o.block_line_numbers = Some(start);
                    }
                }
                "gfm_quirks" => {
                    let quirks: Vec<String> = match v {
                        Value::Sequence(items) => {
                            items.iter().filter_map(yaml::scalar_string).collect()
                        }
                        other => yaml::scalar_string(other)
                            .map(|s| s.split(',').map(|q| q.trim().to_string()).collect())
                            .unwrap_or_default(),
                    };
                    o.gfm_paragraph_end = quirks.iter().any(|q| q == "paragraph_end");
                }
                _ => {}
            }
        }
        (o, problems)
    }
}

fn describe(v: &Value) -> String {
    match yaml::scalar_string(v) {
        Some(s) => format!("`{s}`"),
        None => yaml::kind(v).to_string(),
    }
}

/// kramdown's `toc_levels`: `1..3`, `1,2,3` or a list.
fn toc_levels(v: &Value) -> Option<u8> {
    let levels: Vec<u64> = match v {
        Value::Sequence(items) => items
            .iter()
            .map(|i| yaml::scalar_string(i)?.trim().parse().ok())
            .collect::<Option<_>>()?,
        other => {
            let s = yaml::scalar_string(other)?;
            let s = s.trim();
            if let Some((a, b)) = s.split_once("..") {
                let (a, b): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
                (a..=b).collect()
            } else {
                s.split(',')
                    .map(|p| p.trim().parse().ok())
                    .collect::<Option<_>>()?
            }
        }
    };
    levels.iter().try_fold(0u8, |bits, &l| {
        (1..=6).contains(&l).then(|| bits | (1 << l))
    })
}

/// kramdown's `smart_quotes`: four entity names or code points.
fn smart_quotes(v: &Value) -> Option<[String; 4]> {
    let items: Vec<String> = match v {
        Value::Sequence(items) => items
            .iter()
            .map(yaml::scalar_string)
            .collect::<Option<_>>()?,
        other => yaml::scalar_string(other)?
            .split(',')
            .map(|s| s.trim().to_string())
            .collect(),
    };
    let chars: Vec<String> = items
        .iter()
        .map(|item| match item.parse::<u32>() {
            Ok(cp) => char::from_u32(cp).map(String::from),
            Err(_) => {
                let entity = format!("&{item};");
                let decoded = html_escape::decode_html_entities(&entity);
                (decoded != entity).then(|| decoded.into_owned())
            }
        })
        .collect::<Option<_>>()?;
    chars.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(yaml: &str) -> (KramdownOptions, Vec<(String, String)>) {
        KramdownOptions::from_config(&yaml::parse_mapping(yaml).unwrap())
    }

    #[test]
    fn jekyll_defaults_hold_when_the_site_sets_nothing() {
        let (o, problems) = options("{}");
        assert!(problems.is_empty());
        assert_eq!(o, KramdownOptions::default());
        assert!(o.auto_ids && !o.hard_wrap && o.input == Input::Gfm);
        assert_eq!(o.smart_quotes, ["‘", "’", "“", "”"]);
        assert_eq!(o.toc_levels, 0b0111_1110);
    }

    #[test]
    fn site_options_are_read_in_kramdowns_syntaxes() {
        let (o, problems) = options(
            "auto_ids: false\ntoc_levels: 2..3\nsmart_quotes: sbquo,lsquo,bdquo,171\n\
             hard_wrap: true\nfootnote_nr: 5\nauto_id_prefix: sec-\n\
             typographic_symbols: {hellip: '...'}\nsyntax_highlighter_opts: {default_lang: text}",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!o.auto_ids && o.hard_wrap);
        assert_eq!(o.toc_levels, 0b0000_1100);
        assert_eq!(o.smart_quotes, ["‚", "‘", "„", "«"]);
        assert_eq!(o.footnote_nr, 5);
        assert_eq!(o.auto_id_prefix, "sec-");
        assert_eq!(o.typographic_symbols, [("hellip".into(), "...".into())]);
        assert_eq!(o.default_lang.as_deref(), Some("text"));
        assert_eq!(options("toc_levels: [1, 4]").0.toc_levels, 0b0001_0010);
        assert_eq!(options("toc_levels: '1,2'").0.toc_levels, 0b0000_0110);
    }

    #[test]
    fn a_value_kramdown_refuses_keeps_the_default_and_names_the_key() {
        let (o, problems) = options("toc_levels: 0..9\nsmart_quotes: a,b\nauto_ids: maybe");
        assert_eq!(o, KramdownOptions::default());
        let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["toc_levels", "smart_quotes", "auto_ids"]);
        assert!(problems[2]
            .1
            .contains("`kramdown.auto_ids` must be true or false"));
    }
}
