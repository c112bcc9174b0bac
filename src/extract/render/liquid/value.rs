//! Site values as Liquid sees them: YAML (front matter, `_config.yml`), JSON
//! and CSV/TSV (`_data/`) turned into Liquid values.

use crate::error::{Location, Notice, Severity};
use crate::yaml::{self, Value as Yaml};
use chrono::{DateTime, FixedOffset};
use liquid_core::model::{KString, Scalar};
use liquid_core::{Object, Value};
use std::path::Path;

/// A YAML value as Liquid sees it (Jekyll hands Liquid the parsed YAML).
pub(super) fn from_yaml(v: &Yaml) -> Value {
    match v {
        Yaml::Null => Value::Nil,
        Yaml::Bool(b) => Value::scalar(*b),
        Yaml::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::scalar(i),
            (None, Some(f)) => Value::scalar(f),
            _ => Value::scalar(n.to_string()),
        },
        Yaml::String(s) => Value::scalar(s.clone()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(from_yaml).collect()),
        Yaml::Mapping(m) => Value::Object(object_from_yaml(m)),
        Yaml::Tagged(t) => from_yaml(&t.value),
    }
}

/// A YAML mapping as a Liquid object; keys that are not scalars are skipped.
pub(super) fn object_from_yaml(m: &yaml::Mapping) -> Object {
    let mut o = Object::new();
    for (k, v) in m {
        if let Some(k) = yaml::scalar_string(k) {
            o.insert(KString::from(k), from_yaml(v));
        }
    }
    o
}

/// A date as Liquid's date scalar (which prints as Ruby's `Time#to_s` does).
pub(super) fn date(d: DateTime<FixedOffset>) -> Value {
    let offset = time::UtcOffset::from_whole_seconds(d.offset().local_minus_utc());
    let instant = time::OffsetDateTime::from_unix_timestamp(d.timestamp())
        .and_then(|t| t.replace_nanosecond(d.timestamp_subsec_nanos()));
    match (instant, offset) {
        (Ok(t), Ok(o)) => {
            let mut out = liquid_core::model::DateTime::from_ymd(1970, 1, 1);
            *out = t.to_offset(o);
            Value::scalar(Scalar::new(out))
        }
        _ => Value::Nil,
    }
}

/// A Liquid date scalar back as a chrono date.
pub(super) fn to_chrono(d: &liquid_core::model::DateTime) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_str(&d.to_string(), "%Y-%m-%d %H:%M:%S %z")
        .or_else(|_| DateTime::parse_from_str(&d.to_string(), "%Y-%m-%d %H:%M:%S%.f %z"))
        .ok()
}

/// Jekyll's `site.data`: every `.yml`, `.yaml`, `.json`, `.csv` and `.tsv`
/// file under `dir`, a sub-folder becoming a nested object. A file that
/// cannot be read costs its own key, with a warning.
pub(super) fn read_data(dir: &Path, notices: &mut Vec<Notice>) -> Object {
    let mut out = Object::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            out.insert(
                KString::from(name.to_string()),
                Value::Object(read_data(&path, notices)),
            );
            continue;
        }
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        let ext = ext.to_ascii_lowercase();
        if !matches!(ext.as_str(), "yml" | "yaml" | "json" | "csv" | "tsv") {
            continue;
        }
        match read_data_file(&path, &ext) {
            Ok(v) => {
                out.insert(KString::from(stem.to_string()), v);
            }
            Err((line, message)) => notices.push(Notice {
                severity: Severity::Warning,
                at: Location::new(&path, line),
                message: format!("this data file could not be read ({message}), so `site.data.{stem}` is empty in Liquid; fix the file"),
            }),
        }
    }
    out
}

fn read_data_file(path: &Path, ext: &str) -> Result<Value, (Option<usize>, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| (None, e.to_string()))?;
    let text = text.trim_start_matches('\u{feff}');
    match ext {
        "json" => {
            let v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| (Some(e.line()), e.to_string()))?;
            Ok(from_json(&v))
        }
        "csv" | "tsv" => {
            // Jekyll reads them with `headers: true`: a list of rows keyed
            // by the first row's names.
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(if ext == "tsv" { b'\t' } else { b',' })
                .flexible(true)
                .from_reader(text.as_bytes());
            let headers = reader.headers().map_err(|e| (None, e.to_string()))?.clone();
            let mut rows = Vec::new();
            for record in reader.records() {
                let record =
                    record.map_err(|e| (e.position().map(|p| p.line() as usize), e.to_string()))?;
                let mut row = Object::new();
                for (i, h) in headers.iter().enumerate() {
                    let cell = record
                        .get(i)
                        .map_or(Value::Nil, |c| Value::scalar(c.to_string()));
                    row.insert(KString::from(h.to_string()), cell);
                }
                rows.push(Value::Object(row));
            }
            Ok(Value::Array(rows))
        }
        _ => yaml::parse_value(text)
            .map(|v| from_yaml(&v))
            .map_err(|e| (e.line, e.message)),
    }
}

/// A JSON value as Liquid sees it.
pub(super) fn from_json(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::scalar(*b),
        J::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::scalar(i),
            (None, Some(f)) => Value::scalar(f),
            _ => Value::scalar(n.to_string()),
        },
        J::String(s) => Value::scalar(s.clone()),
        J::Array(a) => Value::Array(a.iter().map(from_json).collect()),
        J::Object(o) => {
            let mut out = Object::new();
            for (k, v) in o {
                out.insert(KString::from(k.clone()), from_json(v));
            }
            Value::Object(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::ValueView;

    #[test]
    fn data_files_of_every_kind_become_nested_objects() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("team")).unwrap();
        std::fs::write(dir.path().join("nav.yml"), "- title: Home\n  url: /\n").unwrap();
        std::fs::write(
            dir.path().join("team/lead.json"),
            r#"{"name": "Kim", "age": 40}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("prices.csv"), "item,price\ntea,\"1,50\"\n").unwrap();
        std::fs::write(dir.path().join("words.tsv"), "ko\ten\n책\tbook\n").unwrap();
        std::fs::write(dir.path().join("broken.yml"), "a: [\n").unwrap();
        let mut notices = Vec::new();
        let data = read_data(dir.path(), &mut notices);
        let nav = data.get("nav").unwrap().as_array().unwrap();
        assert_eq!(
            nav.get(0)
                .unwrap()
                .as_object()
                .unwrap()
                .get("title")
                .unwrap()
                .to_kstr(),
            "Home"
        );
        let lead = data
            .get("team")
            .unwrap()
            .as_object()
            .unwrap()
            .get("lead")
            .unwrap();
        assert_eq!(
            lead.as_object().unwrap().get("age").unwrap().to_kstr(),
            "40"
        );
        let price = data
            .get("prices")
            .unwrap()
            .as_array()
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(
            price.as_object().unwrap().get("price").unwrap().to_kstr(),
            "1,50"
        );
        let word = data
            .get("words")
            .unwrap()
            .as_array()
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(
            word.as_object().unwrap().get("en").unwrap().to_kstr(),
            "book"
        );
        assert!(data.get("broken").is_none());
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].at.path.ends_with("broken.yml"));
    }

    #[test]
    fn dates_print_as_ruby_times_and_come_back_unchanged() {
        let d = DateTime::parse_from_rfc3339("2024-03-15T10:00:00+09:00").unwrap();
        let v = date(d);
        assert_eq!(v.to_kstr(), "2024-03-15 10:00:00 +0900");
        let back = v.as_scalar().unwrap().to_date_time().unwrap();
        assert_eq!(to_chrono(&back), Some(d));
    }
}
