//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), and 1.0 documents.
//!
//! JSON has no line numbers once parsed, so each finding's message names the
//! member by its JSON path (`items[3].id`) and points at the line where that
//! item or member starts, found from the text.

use super::{checks::is_rfc3339, Diagnostic, Severity};
use serde_json::{Map, Value};

const SPEC: &str = "JSON Feed 1.1";
/// The version URLs this validator knows.
pub const VERSIONS: [&str; 2] = [
    "https://jsonfeed.org/version/1.1",
    "https://jsonfeed.org/version/1",
];

struct Out<'a> {
    text: &'a str,
    list: Vec<Diagnostic>,
}

impl Out<'_> {
    /// The line and column of the `n`th occurrence of `"key"` as a key, a
    /// cheap locator good enough to take a reader to the member.
    fn locate(&self, key: &str, n: usize) -> (usize, usize) {
        let needle = format!("\"{key}\"");
        let Some((pos, _)) = self.text.match_indices(&needle).nth(n) else {
            return (1, 1);
        };
        let before = &self.text[..pos];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }
    fn push(&mut self, at: (usize, usize), severity: Severity, code: &str, message: String) {
        self.list
            .push(Diagnostic::new(at.0, at.1, severity, code, &message, SPEC));
    }
}

/// Validates a JSON Feed document.
pub fn validate(text: &str) -> Vec<Diagnostic> {
    let mut out = Out {
        text,
        list: Vec::new(),
    };
    // serde_json stops at 128 levels of nesting, so hostile depth is an error, not a crash.
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.push(
                (e.line().max(1), e.column().max(1)),
                Severity::Error,
                "json-syntax",
                format!("not valid JSON: {e}"),
            );
            return out.list;
        }
    };
    let Value::Object(feed) = &doc else {
        out.push(
            (1, 1),
            Severity::Error,
            "jsonfeed-not-object",
            "a JSON Feed is a JSON object".into(),
        );
        return out.list;
    };
    top_level(feed, &mut out);
    out.list.sort_by_key(|d| (d.line, d.column));
    out.list
}

fn top_level(feed: &Map<String, Value>, out: &mut Out) {
    let at = |out: &Out, k: &str| out.locate(k, 0);
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
            (1, 1),
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
            (1, 1),
            Severity::Error,
            "jsonfeed-missing-title",
            "`title` is required".into(),
        ),
    }
    for key in ["home_page_url", "feed_url", "next_url", "icon", "favicon"] {
        url_member(feed, key, "", 0, out);
    }
    if !feed.contains_key("feed_url") {
        out.push(
            (1, 1),
            Severity::Warning,
            "jsonfeed-missing-feed-url",
            "`feed_url` should be present so readers can find the feed again".into(),
        );
    }
    for key in ["description", "user_comment", "language"] {
        string_member(feed, key, "", 0, out);
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
    authors(feed, "", 0, out);
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
                        let a = at(out, "items");
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
            (1, 1),
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
    // Each item has one `id`; its position is the item's anchor.
    let anchor = out.locate("id", i);
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
        url_member(item, key, &path, anchor.0, out);
    }
    for key in [
        "title",
        "content_html",
        "content_text",
        "summary",
        "language",
    ] {
        string_member(item, key, &path, anchor.0, out);
    }
    for key in ["date_published", "date_modified"] {
        match item.get(key) {
            None => {}
            Some(Value::String(d)) if is_rfc3339(d) => {}
            Some(v) => out.push((anchor.0, 1), Severity::Error, "jsonfeed-bad-date", format!("`{path}.{key}` must be an RFC 3339 date such as 2024-03-16T10:00:00+09:00, found {v}")),
        }
    }
    match item.get("tags") {
        None => {}
        Some(Value::Array(tags)) if tags.iter().all(Value::is_string) => {}
        Some(_) => out.push(
            (anchor.0, 1),
            Severity::Error,
            "jsonfeed-bad-tags",
            format!("`{path}.tags` must be an array of strings"),
        ),
    }
    authors(item, &path, anchor.0, out);
    if let Some(a) = item.get("attachments") {
        let ok = a.as_array().is_some_and(|list| {
            list.iter().all(|x| {
                x.get("url").and_then(Value::as_str).is_some_and(is_url)
                    && x.get("mime_type").is_some_and(Value::is_string)
            })
        });
        if !ok {
            out.push((anchor.0, 1), Severity::Error, "jsonfeed-bad-attachment", format!("`{path}.attachments` must be an array of objects with an absolute `url` and a `mime_type`"));
        }
    }
    for key in item.keys() {
        if !KNOWN_ITEM.contains(&key.as_str()) && !key.starts_with('_') {
            out.push(
                (anchor.0, 1),
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

fn where_(out: &Out, key: &str, line: usize) -> (usize, usize) {
    if line == 0 {
        out.locate(key, 0)
    } else {
        (line, 1)
    }
}

fn url_member(map: &Map<String, Value>, key: &str, path: &str, line: usize, out: &mut Out) {
    let name = if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    };
    match map.get(key) {
        None => {}
        Some(Value::String(u)) if is_url(u) => {}
        Some(v) => {
            let a = where_(out, key, line);
            out.push(
                a,
                Severity::Error,
                "jsonfeed-bad-url",
                format!("`{name}` must be an absolute URL, found {v}"),
            )
        }
    }
}

fn string_member(map: &Map<String, Value>, key: &str, path: &str, line: usize, out: &mut Out) {
    if let Some(v) = map.get(key).filter(|v| !v.is_string()) {
        let name = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let a = where_(out, key, line);
        out.push(
            a,
            Severity::Error,
            "jsonfeed-not-string",
            format!("`{name}` must be a string, found {v}"),
        );
    }
}

fn authors(map: &Map<String, Value>, path: &str, line: usize, out: &mut Out) {
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
            let a = where_(out, "authors", line);
            out.push(a, Severity::Error, "jsonfeed-bad-author", format!("`{prefix}authors` must be an array of objects with a `name`, `url` or `avatar`"));
        }
    }
    if let Some(one) = map.get("author") {
        let a = where_(out, "author", line);
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
