//! The one place feedwright touches its YAML library (`yaml_serde`, the YAML
//! organisation's maintained fork of serde_yaml), so swapping it stays a
//! one-file change.

pub use yaml_serde::{Mapping, Value};

/// A YAML syntax or shape error, with its position inside the YAML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the YAML text, when the parser knows it.
    pub line: Option<usize>,
    /// 1-based column, when the parser knows it.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Deepest `[`/`{` nesting accepted. The YAML scanner's time grows with the
/// square of flow nesting (100,000 brackets take 20 s), and no front matter
/// needs more than a few levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The first place where `[`/`{` nesting (outside quoted scalars) passes
/// `MAX_FLOW_DEPTH`, as a 1-based line.
fn too_deep(text: &str) -> Option<usize> {
    // Nesting cannot pass the limit with fewer brackets than that; this
    // count vectorises, so the usual front matter skips the scan below.
    let brackets = text
        .bytes()
        .fold(0usize, |n, b| n + usize::from(b == b'[' || b == b'{'));
    if brackets <= MAX_FLOW_DEPTH {
        return None;
    }
    let (mut depth, mut line) = (0usize, 1usize);
    let mut quote: Option<u8> = None;
    let mut prev = b'\n';
    // Bytes, not chars: every byte that matters is ASCII, and UTF-8
    // continuation bytes never equal one.
    for &c in text.as_bytes() {
        let after = prev;
        prev = c;
        match (quote, c) {
            // Quote state ends with the line: over-counting a multi-line
            // quoted scalar is harmless, while trusting a stray apostrophe
            // could hide a deep nest.
            (_, b'\n') => {
                line += 1;
                quote = None;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            // A quote opens a scalar only where a scalar can start (not in `it's`).
            (None, b'"' | b'\'') if after.is_ascii_whitespace() || b"[{,:-".contains(&after) => {
                quote = Some(c)
            }
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(line);
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parses YAML text that must be a mapping (or empty, which gives an empty
/// mapping). A key given twice keeps its last value, as Ruby's YAML (Psych)
/// and so Jekyll keep it (see [`parse_mapping_noting`] to hear of them).
pub fn parse_mapping(text: &str) -> Result<Mapping, YamlError> {
    parse_mapping_noting(text).map(|(m, _)| m)
}

/// [`parse_mapping`], also returning the keys given more than once (at any
/// depth), in the order their repeats appear.
/// Alias bombs stop at yaml_serde's repetition limit and block nesting at its
/// recursion limit; flow nesting is bounded here first.
pub fn parse_mapping_noting(text: &str) -> Result<(Mapping, Vec<String>), YamlError> {
    if text.trim().is_empty() {
        return Ok((Mapping::new(), Vec::new()));
    }
    if let Some(map) = simple_mapping(text) {
        return Ok((map, Vec::new()));
    }
    let (parsed, duplicates) = parse_bounded(text)?;
    match parsed {
        Value::Mapping(m) => Ok((m, duplicates)),
        Value::Null => Ok((Mapping::new(), duplicates)),
        other => Err(YamlError {
            line: Some(1),
            column: Some(1),
            message: format!(
                "front matter must be a set of `key: value` lines, found {}",
                kind(&other)
            ),
        }),
    }
}

/// Parses YAML text of any shape (a `_data` file may be a list), with the
/// same bounds as [`parse_mapping`].
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    parse_bounded(text).map(|(value, _)| value)
}

/// YAML text of any shape, nesting bounded, a repeated key keeping its last
/// value; and the repeated keys.
fn parse_bounded(text: &str) -> Result<(Value, Vec<String>), YamlError> {
    if let Some(line) = too_deep(text) {
        return Err(YamlError {
            line: Some(line),
            column: None,
            message: format!("lists or maps are nested more than {MAX_FLOW_DEPTH} levels deep"),
        });
    }
    let duplicates = std::cell::RefCell::new(Vec::new());
    let parsed = serde::de::DeserializeSeed::deserialize(
        LastWins(&duplicates),
        yaml_serde::Deserializer::from_str(text),
    )
    .map_err(|e| {
        let loc = e.location();
        YamlError {
            line: loc.as_ref().map(|l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
            message: e.to_string(),
        }
    })?;
    Ok((parsed, duplicates.into_inner()))
}

/// Front matter in the shape nearly every post has, read without the YAML
/// library: top-level `key: value` lines whose values are one-line plain,
/// single- or double-quoted scalars, one-line flow lists of such scalars,
/// block lists of them, or `>`/`|` block scalars of evenly indented lines.
/// Setting up libyaml's scanner for each post cost more than the rest of
/// reading a post. Anything outside that shape (escapes, tabs, comments
/// after values, nesting, anchors, tags, repeated keys, scalars that may be
/// numbers other than plain integers, text yaml_serde would refuse) gives
/// `None`, and yaml_serde reads it: where this answers, it answers exactly
/// what yaml_serde does (`the_simple_reader_agrees_with_yaml_serde`).
fn simple_mapping(text: &str) -> Option<Mapping> {
    if !text.ends_with('\n') || !plain_chars(text) {
        return None;
    }
    let mut lines = Vec::with_capacity(32);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..end]);
        start = end + 1;
    }
    // A key per line that starts with a letter or `_`: the map is made once
    // at its size (a bucket holds two `Value`s, so slack is dear).
    let keys = lines
        .iter()
        .filter(|l| {
            l.as_bytes()
                .first()
                .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        })
        .count();
    let mut out = Mapping::with_capacity(keys);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if is_blank(line) || line.starts_with('#') {
            continue;
        }
        let (key, rest) = simple_key(line)?;
        let v = rest.trim_matches(' ');
        let value = match v.as_bytes().first() {
            None => match lines.get(i).map(|l| (l, indent(l))) {
                Some((l, n)) if l[n..].starts_with("- ") => {
                    let mut items = Vec::new();
                    while let Some(item) = lines
                        .get(i)
                        .filter(|l| indent(l) == n)
                        .and_then(|l| l[n..].strip_prefix("- "))
                    {
                        items.push(block_scalar_item(item.trim_matches(' '))?);
                        i += 1;
                    }
                    Value::Sequence(items)
                }
                Some((l, n)) if n > 0 && !is_blank(l) => return None,
                _ => Value::Null,
            },
            Some(b'"' | b'\'') => {
                let (s, after) = quoted(v)?;
                if !after.is_empty() {
                    return None;
                }
                Value::String(s)
            }
            Some(b'[') => flow_list(v.strip_prefix('[')?.strip_suffix(']')?)?,
            Some(b'>' | b'|') => {
                let folded = v.starts_with('>');
                let clip = match &v[1..] {
                    "" => true,
                    "-" => false,
                    _ => return None,
                };
                let n = indent(lines.get(i)?);
                let mut parts = Vec::new();
                while let Some(l) = lines.get(i).filter(|l| n > 0 && indent(l) == n) {
                    if is_blank(l) || l.ends_with(' ') {
                        return None;
                    }
                    parts.push(&l[n..]);
                    i += 1;
                }
                // A spaces-only line after the text may still belong to it.
                if parts.is_empty() || lines.get(i).is_some_and(|l| l.starts_with(' ')) {
                    return None;
                }
                // Built at its exact size: records keep these strings.
                let len = parts.iter().map(|p| p.len() + 1).sum::<usize>() - usize::from(!clip);
                let mut s = String::with_capacity(len);
                for (k, p) in parts.iter().enumerate() {
                    if k > 0 {
                        s.push(if folded { ' ' } else { '\n' });
                    }
                    s.push_str(p);
                }
                if clip {
                    s.push('\n');
                }
                Value::String(s)
            }
            Some(_) => block_scalar_item(v)?,
        };
        // What follows a value starts a new key, at the left edge: an
        // indented line would continue or nest, which is yaml_serde's to read.
        if lines
            .get(i)
            .is_some_and(|l| l.starts_with(' ') && !is_blank(l))
        {
            return None;
        }
        if out.insert(Value::String(key.to_owned()), value).is_some() {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Only characters libyaml reads as printable, none it reads as a line
/// break or a byte-order mark besides `\n`, and no tab (tabs may not indent).
fn plain_chars(text: &str) -> bool {
    let b = text.as_bytes();
    // C0 controls but `\n`, and DEL: one byte scan that vectorises.
    if b.iter().fold(false, |bad, &c| {
        bad | ((c < b' ' && c != b'\n') || c == 0x7F)
    }) {
        return false;
    }
    // The rest start with one of three lead bytes: U+0080–U+009F (0xC2),
    // U+2028 and U+2029 (0xE2), U+FEFF, U+FFFE and U+FFFF (0xEF).
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).all(|i| match (b[i], b.get(i + 1), b.get(i + 2)) {
        (0xC2, Some(&c), _) => c >= 0xA0,
        (0xE2, Some(0x80), Some(0xA8 | 0xA9)) => false,
        (0xEF, Some(0xBB), Some(0xBF)) | (0xEF, Some(0xBF), Some(0xBE | 0xBF)) => false,
        _ => true,
    })
}

/// `key:` at the left edge, the key a plain word that reads as a string;
/// and the rest of the line.
fn simple_key(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if !b.first()?.is_ascii_alphabetic() && b[0] != b'_' {
        return None;
    }
    let end = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))?;
    let key = &line[..end];
    // libyaml looks no further than 1,024 characters for a key's colon.
    if key.len() > 128 {
        return None;
    }
    let rest = line[end..].strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || resolves_to_non_string(key) {
        return None;
    }
    Some((key, rest))
}

fn resolves_to_non_string(word: &str) -> bool {
    matches!(
        word,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// A quoted scalar at the start of `v` (closed on its line; in double
/// quotes, only the escapes `\"`, `\\`, `\/`, `\n` and `\t`), and what follows
/// it with spaces trimmed.
fn quoted(v: &str) -> Option<(String, &str)> {
    let q = v.as_bytes()[0];
    let body = &v[1..];
    if q == b'"' {
        let mut s = String::new();
        let mut rest = body;
        loop {
            let end = rest.find(['"', '\\'])?;
            if rest.as_bytes()[end] == b'"' {
                // Without escapes, one copy of the exact size.
                if s.is_empty() {
                    s = rest[..end].to_owned();
                } else {
                    s.push_str(&rest[..end]);
                    s.shrink_to_fit();
                }
                return Some((s, rest[end + 1..].trim_start_matches(' ')));
            }
            s.push_str(&rest[..end]);
            s.push(match rest.as_bytes().get(end + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'n' => '\n',
                b't' => '\t',
                _ => return None,
            });
            rest = &rest[end + 2..];
        }
    }
    let mut s = String::new();
    let mut rest = body;
    loop {
        let end = rest.find('\'')?;
        s.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix('\'') {
            Some(more) => {
                s.push('\'');
                rest = more;
            }
            None => {
                s.shrink_to_fit();
                return Some((s, rest.trim_start_matches(' ')));
            }
        }
    }
}

/// One scalar of a block list or a key's value, trimmed.
fn block_scalar_item(v: &str) -> Option<Value> {
    match v.as_bytes().first()? {
        b'"' | b'\'' => match quoted(v)? {
            (s, "") => Some(Value::String(s)),
            _ => None,
        },
        _ => {
            if v.contains(": ") || v.contains(" #") || v.ends_with(':') {
                return None;
            }
            plain_scalar(v)
        }
    }
}

/// The items of a one-line flow list (between its brackets).
fn flow_list(inner: &str) -> Option<Value> {
    let mut items = Vec::new();
    let mut rest = inner.trim_start_matches(' ');
    if rest.is_empty() {
        return Some(Value::Sequence(items));
    }
    loop {
        let (item, after) = match rest.as_bytes()[0] {
            b'"' | b'\'' => {
                let (s, after) = quoted(rest)?;
                (Value::String(s), after)
            }
            _ => {
                let end = rest.find(',').unwrap_or(rest.len());
                let word = rest[..end].trim_end_matches(' ');
                if word.contains(['[', ']', '{', '}', '#', ':']) {
                    return None;
                }
                (plain_scalar(word)?, &rest[end..])
            }
        };
        items.push(item);
        match after.strip_prefix(',') {
            None if after.is_empty() => return Some(Value::Sequence(items)),
            None => return None,
            Some(more) => {
                rest = more.trim_start_matches(' ');
                if rest.is_empty() {
                    return None;
                }
            }
        }
    }
}

/// A one-line plain scalar, resolved as yaml_serde resolves it: null and
/// boolean words, decimal integers, strings. `None` for a scalar that may
/// be another number (or is empty, or starts with an indicator).
fn plain_scalar(v: &str) -> Option<Value> {
    let first = *v.as_bytes().first()?;
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first) {
        return None;
    }
    match v {
        "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        // yaml_serde: a leading zero makes digits a string (YAML 1.2).
        if v.len() > 1 && v.starts_with('0') {
            return Some(Value::String(v.to_owned()));
        }
        return v.parse::<u64>().ok().map(|n| Value::Number(n.into()));
    }
    // yaml_serde's numbers (integers in any base, floats, `.inf`) start
    // with a digit, a sign or a dot, and hold only letters, digits, dots
    // and signs, a sign only first or after an exponent's `e`.
    let b = v.as_bytes();
    let may_be_number = matches!(first, b'0'..=b'9' | b'+' | b'.')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
        && b.iter()
            .enumerate()
            .skip(1)
            .all(|(i, c)| !b"+-".contains(c) || matches!(b[i - 1], b'e' | b'E'));
    (!may_be_number).then(|| Value::String(v.to_owned()))
}

/// Builds a [`Value`] as yaml_serde's own `Deserialize` does, except that a
/// repeated key replaces the earlier value (noting the key) instead of
/// failing: Ruby's YAML keeps the last, and Jekyll publishes such posts.
struct LastWins<'a>(&'a std::cell::RefCell<Vec<String>>);

impl<'de> serde::de::DeserializeSeed<'de> for LastWins<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for LastWins<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(LastWins(self.0))? {
            out.push(v);
        }
        Ok(Value::Sequence(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some(k) = map.next_key_seed(LastWins(self.0))? {
            let v = map.next_value_seed(LastWins(self.0))?;
            let name = scalar_string(&k);
            if out.insert(k, v).is_some() {
                self.0.borrow_mut().push(name.unwrap_or_else(|| "?".into()));
            }
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (tag, contents) = data.variant::<String>()?;
        let value = contents.newtype_variant_seed(LastWins(self.0))?;
        Ok(Value::Tagged(Box::new(yaml_serde::value::TaggedValue {
            tag: yaml_serde::value::Tag::new(tag),
            value,
        })))
    }
}

/// A short name for the kind of a YAML value, for error messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The value at `key` in `map`. Front matter holds a handful of keys, and
/// comparing them beats hashing the key (yaml_serde's maps use SipHash) on
/// each of the twenty-odd lookups a post needs.
pub fn get<'a>(map: &'a Mapping, key: &str) -> Option<&'a Value> {
    if map.len() > 16 {
        return map.get(key);
    }
    map.iter()
        .find_map(|(k, v)| (k.as_str() == Some(key)).then_some(v))
}

/// A scalar as text: strings as they are, numbers and booleans written out.
/// `None` for null, lists and maps.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_string(&t.value),
        _ => None,
    }
}

/// A boolean, accepting YAML booleans only.
pub fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// A non-negative integer.
pub fn as_usize(v: &Value) -> Option<usize> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_is_reported() {
        let (m, dups) = parse_mapping_noting("a: 1\nb: {x: 1, x: 2}\na: last\n").unwrap();
        assert_eq!(
            get(&m, "a").and_then(scalar_string).as_deref(),
            Some("last")
        );
        let b = get(&m, "b").and_then(Value::as_mapping).unwrap();
        assert_eq!(get(b, "x").and_then(scalar_string).as_deref(), Some("2"));
        assert_eq!(dups, ["x", "a"]);
        // The repeated key keeps its first place, as in a Ruby Hash.
        let keys: Vec<_> = m.keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["a", "b"]);
    }

    /// yaml_serde's reading of `text`, as `parse_mapping_noting` gave it
    /// before the simple reader.
    fn by_yaml_serde(text: &str) -> Result<(Mapping, Vec<String>), YamlError> {
        match parse_bounded(text)? {
            (Value::Mapping(m), d) => Ok((m, d)),
            (Value::Null, d) => Ok((Mapping::new(), d)),
            (other, _) => Err(YamlError {
                line: None,
                column: None,
                message: kind(&other).into(),
            }),
        }
    }

    #[test]
    fn front_matter_of_the_usual_shapes_is_read_without_yaml_serde_and_alike() {
        for text in [
            "title: \"소비자물가, 하락세 전환\"\ncategories:\n  - \"부동산\"\n  - \"스포츠\"\ntags: [\"반도체\", \"코스피\", \"삼성전자\"]\nexcerpt: >\n  플랫폼이 인공지능가 물가에서.\nfeature_text: >\n  투자자에서 교육보다\n  실적에 밝혔다.\nimage: https://cdn.example.com/images/a.webp\nlast_modified_at: 2012-01-20T06:23:34+09:00\n",
            "layout: post\ntitle:  Welcome to Jekyll!\ndate:   2015-11-10 14:30:00 +0900\ncategories: jekyll update\n",
            "title: 'It''s here'\ndate: 2024-03-15\npublished: false\ntags:\n- a\n- b c\n\n# a comment\ncount: 12\nzip: 01234\nnothing:\nsummary: |-\n  line one\n  line two\n",
            "tags: []\nlist: [a, 'b', \"c d\", 3, true, ~]\n",
            "title: \"[단독] 정부, 하락세 전환 \\\"시장 과열\\\" & market\"\nauthor: \"Sam O'Neil\"\n",
        ] {
            let fast = simple_mapping(text).unwrap_or_else(|| panic!("not simple: {text:?}"));
            assert!(!fast.is_empty());
            assert_eq!(Ok((fast, Vec::new())), by_yaml_serde(text), "{text:?}");
        }
    }

    #[test]
    fn front_matter_beyond_the_simple_shapes_is_left_to_yaml_serde() {
        for text in [
            "title: \"a \\u00e9\"\n",
            "title: a\n  continued\n",
            "a: 1\na: 2\n",
            "sitemap:\n  changefreq: daily\n",
            "title: x # comment\n",
            "n: &n Ann\nwho: *n\n",
            "t: !foo bar\n",
            "f: 1.5\n",
            "h: 0x1F\n",
            "title:\tx\n",
            "text: |\n  a\n    b\n",
            "text: |\n  a\n    \n",
            "true: x\n",
            "list: [a, [b]]\n",
            "list: [a,\n  b]\n",
            "title: x\r\n",
            "- a\n- b\n",
        ] {
            assert_eq!(simple_mapping(text), None, "{text:?}");
        }
    }

    /// Values after a key, one line or several, of the shapes the simple
    /// reader takes.
    const SIMPLE: &[&str] = &[
        ": Hello",
        ": \"a, b\"",
        ": 'it''s'",
        ":",
        ": ",
        ":  x  ",
        ": 2024-03-15 10:00:00 +0900",
        ": 2012-01-20T06:23:34+09:00",
        ": 12",
        ": 012",
        ": 0",
        ": ~",
        ": null",
        ": True",
        ": yes",
        ": C#",
        ": a:b",
        ": it's",
        ": é 한국어",
        ": [a, \"b\", 'c', 2]",
        ": []",
        ": [ ]",
        ": [\"x]\", y]",
        ": [a b, c]",
        ": [\"a\" ,b ]",
        ": ['a'', b']",
        ": >\n  one\n  two",
        ": |\n  one\n  two",
        ": >-\n  one",
        ": |-\n  one\n  two",
        ": >\n  # not a comment\n  b",
        ":\n  - a\n  - \"b\"",
        ":\n- a\n- 'b'",
        ":\n  - 7",
        ": ''",
        ": \"\"",
        ": x:y",
        ": \"a \\\"b\\\" & c\"",
        ": \"\\\\ \\/ \\n \\t\"",
        ": [\"\\\"\", '\\']",
    ];

    /// Values just beyond those shapes, and mistakes.
    const BEYOND: &[&str] = &[
        ": a: b",
        ": a #b",
        ": 2024-03-15",
        ": -3",
        ": 1e3",
        ": .inf",
        ": 99999999999999999999",
        ": +5",
        ": x:",
        ": [a,]",
        ": [a, [b]]",
        ": [a",
        ": [-a]",
        ": {a: 1}",
        ": |+\n  one",
        ": >2\n  one",
        ": > # c\n  one",
        ": >\n  one\n    deeper",
        ": >\n  one\n\n  two",
        ": >\n  one\n   ",
        ": >\n  one \n  two",
        ": >\n",
        ": |\n\n  one",
        ":\n  - c: d",
        ":\n  -",
        ":\n  - a\n   - e",
        ":\n  - a\n  b",
        ":\n- - x",
        ":\n  key: v",
        ":\n\n  - a",
        ":\n  - [a]",
        ": \"a\" b",
        ": &a b",
        ": *a",
        ": !t b",
        ": @b",
        ": `b",
        ": %b",
        ": ? b",
        ": - a",
        ": \"a\nb\"",
        ": plain\n  more",
        "  : x",
        ":x",
        ": \"a\\tb\"",
        ": \"a\\\"",
        ": \"\\x41\\u00e9\\\nb\"",
        ": \"a\\ b\"",
        ": \"\\\\\"\"",
    ];

    fn entry() -> impl proptest::strategy::Strategy<Value = (String, &'static str, &'static str)> {
        use proptest::prelude::*;
        use proptest::sample::select;
        (
            prop_oneof![
                4 => (0..1000u32).prop_map(|n| format!("key{n}")),
                1 => select(vec!["title", "k-e_y", "_k", "null", "1k", "a b", "False"]).prop_map(String::from),
            ],
            prop_oneof![4 => select(SIMPLE), 1 => select(BEYOND)],
            prop_oneof![6 => Just(""), 1 => select(vec!["\n", "# note\n", "  \n", "  stray\n", "- x\n"])],
        )
    }

    proptest::proptest! {
        #[test]
        fn the_simple_reader_agrees_with_yaml_serde(
            entries in proptest::collection::vec(entry(), 1..10)
        ) {
            let text: String = entries.iter().map(|(k, v, after)| format!("{k}{v}\n{after}")).collect();
            if let Some(fast) = simple_mapping(&text) {
                proptest::prop_assert_eq!(Ok((fast, Vec::new())), by_yaml_serde(&text), "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_for_printable_text_follows_the_character_rule(
            text in "[\\x00-\\x7f\u{80}-\u{a0}\u{2027}-\u{202a}\u{feff}\u{fffd}-\u{ffff}한é\u{10000}]{0,12}"
        ) {
            let by_chars = text.chars().all(|c| {
                matches!(c, '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
                    && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
            });
            proptest::prop_assert_eq!(plain_chars(&text), by_chars, "{:?}", text);
        }
    }

    #[test]
    fn tags_anchors_and_aliases_read_as_before() {
        let text = "n: &n Ann\nwho: *n\nt: !foo bar\nlist: [1, two]\n";
        let (ours, dups) = parse_mapping_noting(text).unwrap();
        let theirs: Value = yaml_serde::from_str(text).unwrap();
        assert_eq!(Value::Mapping(ours), theirs);
        assert!(dups.is_empty());
    }
}
