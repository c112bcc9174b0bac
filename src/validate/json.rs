//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), and 1.0 documents.
//!
//! JSON has no line numbers once parsed, so one linear pass over the text
//! (after serde_json has accepted it) records where each top-level member,
//! each item and each item's members start; each finding points at its
//! member's key (or, for a missing member, at its object's `{`), with the
//! exact line and column. A 50,000-item feed costs two passes, not one pass
//! per item.

use super::checks::is_rfc3339;
use super::shared::{Diagnostic, Severity};
use serde_json::{Map, Value};

const SPEC: &str = "JSON Feed 1.1";
/// The version URLs this validator knows.
pub const VERSIONS: [&str; 2] = [
    "https://jsonfeed.org/version/1.1",
    "https://jsonfeed.org/version/1",
];

/// Where things start in the text, as byte offsets.
#[derive(Default)]
struct Spans {
    /// The root object's `{`.
    root: usize,
    /// The root's member keys (the opening quote), first occurrence of each.
    top: Vec<(String, usize)>,
    /// Each element of the root's `items` array: its start and, for objects, its keys.
    items: Vec<(usize, Vec<(String, usize)>)>,
}

/// Which object a member belongs to.
#[derive(Clone, Copy)]
enum Loc {
    Top,
    Item(usize),
}

struct Out {
    spans: Spans,
    /// Findings by byte offset; turned into lines and columns at the end.
    list: Vec<(usize, Severity, &'static str, String)>,
}

impl Out {
    /// The offset of `key` in the object at `loc`, else of that object.
    fn at(&self, loc: Loc, key: &str) -> usize {
        let (start, keys) = match loc {
            Loc::Top => (self.spans.root, &self.spans.top),
            Loc::Item(i) => match self.spans.items.get(i) {
                Some((start, keys)) => (*start, keys),
                None => return self.spans.root,
            },
        };
        keys.iter()
            .find(|(k, _)| k == key)
            .map_or(start, |(_, at)| *at)
    }
    fn push(&mut self, at: usize, severity: Severity, code: &'static str, message: String) {
        self.list.push((at, severity, code, message));
    }
}

/// Records [`Spans`] in one pass over text serde_json has already accepted,
/// so the scanner can trust the syntax: it needs to tell strings (and whether
/// a string is a key) from structure, nothing more.
fn spans(text: &str) -> Spans {
    #[derive(Clone, Copy, PartialEq)]
    enum Role {
        Root,
        Items,
        Item,
        Other,
    }
    struct Frame {
        object: bool,
        role: Role,
        expect_key: bool,
        /// The last key read (root only: to find `items`).
        items_key: bool,
    }
    let b = text.as_bytes();
    let mut spans = Spans::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // A value starts here: count it when it is an element of `items`.
        let value_start = matches!(
            c,
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
        );
        let in_items = stack.last().is_some_and(|f| f.role == Role::Items);
        let is_key = stack.last().is_some_and(|f| f.object && f.expect_key) && c == b'"';
        if value_start && in_items {
            spans.items.push((i, Vec::new()));
        }
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if is_key {
                    let raw = &text[start..=i.min(b.len() - 1)];
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(raw).unwrap_or_default()
                    } else {
                        raw[1..raw.len() - 1].to_string()
                    };
                    let frame = stack.last_mut().expect("a key is inside an object");
                    frame.expect_key = false;
                    match frame.role {
                        Role::Root => {
                            frame.items_key = key == "items";
                            if !spans.top.iter().any(|(k, _)| *k == key) {
                                spans.top.push((key, start));
                            }
                        }
                        Role::Item => {
                            if let Some((_, keys)) = spans.items.last_mut() {
                                keys.push((key, start));
                            }
                        }
                        _ => {}
                    }
                }
            }
            b'{' | b'[' => {
                let role = match stack.last() {
                    None => Role::Root,
                    Some(f) if f.role == Role::Root && f.items_key && c == b'[' => Role::Items,
                    Some(f) if f.role == Role::Items && c == b'{' => Role::Item,
                    _ => Role::Other,
                };
                if role == Role::Root {
                    spans.root = i;
                }
                stack.push(Frame {
                    object: c == b'{',
                    role,
                    expect_key: c == b'{',
                    items_key: false,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                // A number or literal: skip to its end so it counts as one value.
                while i + 1 < b.len()
                    && !matches!(b[i + 1], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    i += 1;
                }
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    f.expect_key = f.object;
                    if f.role == Role::Root {
                        f.items_key = false;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

/// Byte offsets (in increasing order) → 1-based lines and columns in characters, in one pass.
fn positions(text: &str, offsets: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let (mut from, mut line, mut column) = (0usize, 1usize, 0usize);
    offsets
        .map(|at| {
            let at = at.min(text.len());
            let between = &text.as_bytes()[from..at];
            match between.iter().rposition(|&b| b == b'\n') {
                Some(nl) => {
                    line += between.iter().filter(|&&b| b == b'\n').count();
                    column = utf8_chars(&between[nl + 1..]);
                }
                None => column += utf8_chars(between),
            }
            from = at;
            (line, column + 1)
        })
        .collect()
}

fn utf8_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c & 0xC0) != 0x80).count()
}

/// Validates a JSON Feed document.
pub fn validate(text: &str) -> Vec<Diagnostic> {
    // serde_json stops at 128 levels of nesting, so hostile depth is an error, not a crash.
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Diagnostic::new(
                e.line().max(1),
                e.column().max(1),
                Severity::Error,
                "json-syntax",
                &format!("not valid JSON: {e}"),
                SPEC,
            )];
        }
    };
    let mut out = Out {
        spans: spans(text),
        list: Vec::new(),
    };
    match &doc {
        Value::Object(feed) => top_level(feed, &mut out),
        _ => out.push(
            out.spans.root,
            Severity::Error,
            "jsonfeed-not-object",
            "a JSON Feed is a JSON object".into(),
        ),
    }
    out.list.sort_by_key(|d| d.0);
    let at = positions(text, out.list.iter().map(|d| d.0));
    out.list
        .into_iter()
        .zip(at)
        .map(|((_, severity, code, message), (line, column))| {
            Diagnostic::new(line, column, severity, code, &message, SPEC)
        })
        .collect()
}

fn top_level(feed: &Map<String, Value>, out: &mut Out) {
    let at = |out: &Out, k: &str| out.at(Loc::Top, k);
    match feed.get("version") {
        Some(Value::String(v)) if v == VERSIONS[0] => {}
        Some(Value::String(v)) if v == VERSIONS[1] => {
            let a = at(out, "version");
            out.push(
                a,
                Severity::Info,
                "jsonfeed-version-1.0",
                "a JSON Feed 1.0 document; 1.1 adds `authors` and `language`".into(),
            )
        }
        Some(v) => {
            let a = at(out, "version");
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-version",
                format!(
                    "`version` must be {} (or the 1.0 URL), found {v}",
                    VERSIONS[0]
                ),
            )
        }
        None => out.push(
            out.spans.root,
            Severity::Error,
            "jsonfeed-missing-version",
            "`version` is required: \"https://jsonfeed.org/version/1.1\"".into(),
        ),
    }
    match feed.get("title") {
        Some(Value::String(t)) if !t.trim().is_empty() => {}
        Some(Value::String(_)) => {
            let a = at(out, "title");
            out.push(
                a,
                Severity::Warning,
                "jsonfeed-empty-title",
                "`title` is empty; readers show the feed without a name".into(),
            )
        }
        Some(_) => {
            let a = at(out, "title");
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-title",
                "`title` must be a string".into(),
            )
        }
        None => out.push(
            out.spans.root,
            Severity::Error,
            "jsonfeed-missing-title",
            "`title` is required".into(),
        ),
    }
    for key in ["home_page_url", "feed_url", "next_url", "icon", "favicon"] {
        url_member(feed, key, "", Loc::Top, out);
    }
    if !feed.contains_key("feed_url") {
        out.push(
            out.spans.root,
            Severity::Warning,
            "jsonfeed-missing-feed-url",
            "`feed_url` should be present so readers can find the feed again".into(),
        );
    }
    for key in ["description", "user_comment", "language"] {
        string_member(feed, key, "", Loc::Top, out);
    }
    if let Some(v) = feed.get("expired").filter(|v| !v.is_boolean()) {
        let a = at(out, "expired");
        out.push(
            a,
            Severity::Error,
            "jsonfeed-bad-expired",
            format!("`expired` must be true or false, found {v}"),
        );
    }
    authors(feed, "", Loc::Top, out);
    match feed.get("hubs") {
        None => {}
        Some(Value::Array(hubs)) => {
            for (i, h) in hubs.iter().enumerate() {
                let ok = h.get("type").is_some_and(Value::is_string)
                    && h.get("url").and_then(Value::as_str).is_some_and(is_url);
                if !ok {
                    let a = at(out, "hubs");
                    out.push(a, Severity::Error, "jsonfeed-bad-hub", format!("`hubs[{i}]` must be an object with a string `type` and an absolute `url`"));
                }
            }
        }
        Some(_) => {
            let a = at(out, "hubs");
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-hubs",
                "`hubs` must be an array of {type, url} objects".into(),
            )
        }
    }
    for key in feed.keys() {
        if !KNOWN_TOP.contains(&key.as_str()) && !key.starts_with('_') {
            let a = at(out, key);
            out.push(
                a,
                Severity::Warning,
                "jsonfeed-unknown-key",
                format!("`{key}` is not a JSON Feed member; extensions start with `_`"),
            );
        }
    }
    match feed.get("items") {
        Some(Value::Array(items)) => {
            let mut ids = std::collections::HashMap::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(item) => self::item(item, i, &mut ids, out),
                    _ => {
                        let a = out
                            .spans
                            .items
                            .get(i)
                            .map_or_else(|| at(out, "items"), |s| s.0);
                        out.push(
                            a,
                            Severity::Error,
                            "jsonfeed-bad-item",
                            format!("`items[{i}]` must be an object"),
                        )
                    }
                }
            }
        }
        Some(_) => {
            let a = at(out, "items");
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-items",
                "`items` must be an array".into(),
            )
        }
        None => out.push(
            out.spans.root,
            Severity::Error,
            "jsonfeed-missing-items",
            "`items` is required (an empty array when there are none)".into(),
        ),
    }
}

const KNOWN_TOP: [&str; 15] = [
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "author",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
];
const KNOWN_ITEM: [&str; 17] = [
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "author",
    "authors",
    "tags",
    "language",
    "attachments",
    "_",
];

fn item(
    item: &Map<String, Value>,
    i: usize,
    ids: &mut std::collections::HashMap<String, usize>,
    out: &mut Out,
) {
    let path = format!("items[{i}]");
    let loc = Loc::Item(i);
    // The item's `id` is its anchor (its `{` when it has none).
    let anchor = out.at(loc, "id");
    match item.get("id") {
        Some(Value::String(id)) if !id.is_empty() => {
            if let Some(first) = ids.insert(id.clone(), i) {
                out.push(anchor, Severity::Warning, "jsonfeed-duplicate-id", format!("`{path}.id` repeats the id of items[{first}]; readers will show only one of them"));
            }
        }
        Some(Value::Number(_)) => out.push(
            anchor,
            Severity::Warning,
            "jsonfeed-numeric-id",
            format!("`{path}.id` is a number; JSON Feed 1.1 ids are strings"),
        ),
        Some(_) => out.push(
            anchor,
            Severity::Error,
            "jsonfeed-bad-id",
            format!("`{path}.id` must be a non-empty string"),
        ),
        None => out.push(
            anchor,
            Severity::Error,
            "jsonfeed-missing-id",
            format!("`{path}` has no `id`; every item needs a unique string id"),
        ),
    }
    let has_content = ["content_html", "content_text"]
        .iter()
        .any(|k| item.get(*k).is_some_and(Value::is_string));
    if !has_content {
        out.push(
            anchor,
            Severity::Error,
            "jsonfeed-missing-content",
            format!("`{path}` needs `content_html` or `content_text` (or both)"),
        );
    }
    for key in ["url", "external_url", "image", "banner_image"] {
        url_member(item, key, &path, loc, out);
    }
    for key in [
        "title",
        "content_html",
        "content_text",
        "summary",
        "language",
    ] {
        string_member(item, key, &path, loc, out);
    }
    for key in ["date_published", "date_modified"] {
        match item.get(key) {
            None => {}
            Some(Value::String(d)) if is_rfc3339(d) => {}
            Some(v) => out.push(out.at(loc, key), Severity::Error, "jsonfeed-bad-date", format!("`{path}.{key}` must be an RFC 3339 date such as 2024-03-16T10:00:00+09:00, found {v}")),
        }
    }
    match item.get("tags") {
        None => {}
        Some(Value::Array(tags)) if tags.iter().all(Value::is_string) => {}
        Some(_) => out.push(
            out.at(loc, "tags"),
            Severity::Error,
            "jsonfeed-bad-tags",
            format!("`{path}.tags` must be an array of strings"),
        ),
    }
    authors(item, &path, loc, out);
    if let Some(a) = item.get("attachments") {
        let ok = a.as_array().is_some_and(|list| {
            list.iter().all(|x| {
                x.get("url").and_then(Value::as_str).is_some_and(is_url)
                    && x.get("mime_type").is_some_and(Value::is_string)
            })
        });
        if !ok {
            out.push(out.at(loc, "attachments"), Severity::Error, "jsonfeed-bad-attachment", format!("`{path}.attachments` must be an array of objects with an absolute `url` and a `mime_type`"));
        }
    }
    for key in item.keys() {
        if !KNOWN_ITEM.contains(&key.as_str()) && !key.starts_with('_') {
            out.push(
                out.at(loc, key),
                Severity::Warning,
                "jsonfeed-unknown-key",
                format!("`{path}.{key}` is not a JSON Feed member; extensions start with `_`"),
            );
        }
    }
}

fn is_url(s: &str) -> bool {
    url::Url::parse(s).is_ok()
}

fn url_member(map: &Map<String, Value>, key: &str, path: &str, loc: Loc, out: &mut Out) {
    let name = if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    };
    match map.get(key) {
        None => {}
        Some(Value::String(u)) if is_url(u) => {}
        Some(v) => {
            let a = out.at(loc, key);
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-url",
                format!("`{name}` must be an absolute URL, found {v}"),
            )
        }
    }
}

fn string_member(map: &Map<String, Value>, key: &str, path: &str, loc: Loc, out: &mut Out) {
    if let Some(v) = map.get(key).filter(|v| !v.is_string()) {
        let name = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let a = out.at(loc, key);
        out.push(
            a,
            Severity::Error,
            "jsonfeed-not-string",
            format!("`{name}` must be a string, found {v}"),
        );
    }
}

fn authors(map: &Map<String, Value>, path: &str, loc: Loc, out: &mut Out) {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    let good = |a: &Value| {
        a.as_object().is_some_and(|o| {
            ["name", "url", "avatar"]
                .iter()
                .any(|k| o.get(*k).is_some_and(Value::is_string))
        })
    };
    if let Some(list) = map.get("authors") {
        let ok = list.as_array().is_some_and(|l| l.iter().all(good));
        if !ok {
            let a = out.at(loc, "authors");
            out.push(a, Severity::Error, "jsonfeed-bad-author", format!("`{prefix}authors` must be an array of objects with a `name`, `url` or `avatar`"));
        }
    }
    if let Some(one) = map.get("author") {
        let a = out.at(loc, "author");
        if !good(one) {
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-author",
                format!("`{prefix}author` must be an object with a `name`, `url` or `avatar`"),
            );
        } else if !map.contains_key("authors") {
            out.push(
                a,
                Severity::Warning,
                "jsonfeed-author-deprecated",
                format!("`{prefix}author` is deprecated in JSON Feed 1.1; add `authors`"),
            );
        }
    }
}
