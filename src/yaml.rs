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

    #[test]
    fn tags_anchors_and_aliases_read_as_before() {
        let text = "n: &n Ann\nwho: *n\nt: !foo bar\nlist: [1, two]\n";
        let (ours, dups) = parse_mapping_noting(text).unwrap();
        let theirs: Value = yaml_serde::from_str(text).unwrap();
        assert_eq!(Value::Mapping(ours), theirs);
        assert!(dups.is_empty());
    }
}
