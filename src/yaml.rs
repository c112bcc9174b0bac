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

/// Parses YAML text that must be a mapping (or empty, which gives an empty mapping).
/// Alias bombs stop at yaml_serde's repetition limit and block nesting at its
/// recursion limit; flow nesting is bounded here first.
pub fn parse_mapping(text: &str) -> Result<Mapping, YamlError> {
    if text.trim().is_empty() {
        return Ok(Mapping::new());
    }
    if let Some(line) = too_deep(text) {
        return Err(YamlError {
            line: Some(line),
            column: None,
            message: format!("lists or maps are nested more than {MAX_FLOW_DEPTH} levels deep"),
        });
    }
    match yaml_serde::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(other) => Err(YamlError {
            line: Some(1),
            column: Some(1),
            message: format!(
                "front matter must be a set of `key: value` lines, found {}",
                kind(&other)
            ),
        }),
        Err(e) => {
            let loc = e.location();
            Err(YamlError {
                line: loc.as_ref().map(|l| l.line()),
                column: loc.as_ref().map(|l| l.column()),
                message: e.to_string(),
            })
        }
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
