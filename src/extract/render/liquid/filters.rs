//! Jekyll's filters (lib/jekyll/filters.rb, filters/url_filters.rb,
//! filters/date_filters.rb), and Liquid's own made lenient as Ruby's are.

use super::state::{PostState, Shared};
use super::value;
use chrono::{DateTime, FixedOffset};
use liquid_core::error::Result;
use liquid_core::model::{KString, ScalarCow};
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::runtime::StackFrame;
use liquid_core::{
    Expression, Filter, FilterReflection, Object, ParseFilter, Renderable, Runtime, Template,
    Value, ValueView,
};
use std::fmt;
use std::sync::Arc;

/// Jekyll's filters, by name.
pub(super) const JEKYLL: &[&str] = &[
    "relative_url",
    "absolute_url",
    "date_to_xmlschema",
    "date_to_rfc822",
    "date_to_string",
    "date_to_long_string",
    "markdownify",
    "smartify",
    "sassify",
    "scssify",
    "slugify",
    "xml_escape",
    "cgi_escape",
    "uri_escape",
    "normalize_whitespace",
    "number_of_words",
    "array_to_sentence_string",
    "jsonify",
    "where",
    "where_exp",
    "find",
    "find_exp",
    "group_by",
    "to_integer",
    "sort",
    "pop",
    "push",
    "shift",
    "unshift",
    "sample",
    "inspect",
];

/// A Liquid standard filter that hands back its input where the crate's
/// would stop the render (Ruby's filters mostly return what they cannot
/// work on; a failed filter must not cost the post its Liquid).
#[derive(Clone)]
pub(super) struct Lenient(pub Box<dyn ParseFilter>);

impl ParseFilter for Lenient {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        let date = self.0.reflection().name() == "date";
        Ok(Box::new(LenientFilter(self.0.parse(arguments)?, date)))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self.0.reflection()
    }
}

/// The filter, and whether it is `date`, whose `"now"` / `"today"` is the
/// build's time (`site.time`), not the machine's clock: the library never
/// reads the clock, so the same input and build date give the same output.
#[derive(Debug)]
struct LenientFilter(Box<dyn Filter>, bool);

impl fmt::Display for LenientFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Filter for LenientFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        if self.1 && input.is_scalar() {
            let word = input.to_kstr();
            if word == "now" || word == "today" {
                let path = [ScalarCow::new("site"), ScalarCow::new("time")];
                if let Some(time) = runtime.try_get(&path) {
                    let time = time.to_value();
                    return Ok(self
                        .0
                        .evaluate(&time, runtime)
                        .unwrap_or_else(|_| input.to_value()));
                }
            }
        }
        Ok(self
            .0
            .evaluate(input, runtime)
            .unwrap_or_else(|_| input.to_value()))
    }
}

/// One of Jekyll's filters.
#[derive(Clone)]
pub(super) struct Jekyll {
    name: &'static str,
    shared: Arc<Shared>,
}

impl Jekyll {
    pub(super) fn new(name: &'static str, shared: Arc<Shared>) -> Self {
        Jekyll { name, shared }
    }
}

impl FilterReflection for Jekyll {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        ""
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for Jekyll {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        Ok(Box::new(JekyllCall {
            name: self.name,
            shared: self.shared.clone(),
            args: arguments.positional.collect(),
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

struct JekyllCall {
    name: &'static str,
    shared: Arc<Shared>,
    args: Vec<Expression>,
}

impl fmt::Debug for JekyllCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl fmt::Display for JekyllCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl Filter for JekyllCall {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args: Vec<Value> = self
            .args
            .iter()
            .map(|e| {
                e.try_evaluate(runtime)
                    .map_or(Value::Nil, |v| v.into_owned())
            })
            .collect();
        Ok(apply(self.name, &self.shared, input, &args, runtime))
    }
}

fn text(v: &dyn ValueView) -> String {
    if v.is_nil() {
        String::new()
    } else {
        v.to_kstr().to_string()
    }
}

fn arg_text(args: &[Value], i: usize) -> Option<String> {
    args.get(i).filter(|v| !v.is_nil()).map(|v| text(v))
}

fn integer(v: Option<&Value>, default: i64) -> i64 {
    v.and_then(|v| v.as_scalar())
        .and_then(|s| s.to_integer().or_else(|| s.to_kstr().trim().parse().ok()))
        .unwrap_or(default)
}

fn array(input: &dyn ValueView) -> Option<Vec<Value>> {
    if let Some(a) = input.as_array() {
        Some(a.values().map(|v| v.to_value()).collect())
    } else {
        input
            .as_object()
            .map(|o| o.values().map(|v| v.to_value()).collect())
    }
}

/// Runs Jekyll's filter `name`.
pub(super) fn apply(
    name: &str,
    shared: &Shared,
    input: &dyn ValueView,
    args: &[Value],
    runtime: &dyn Runtime,
) -> Value {
    let s = || text(input);
    match name {
        "relative_url" if input.is_nil() => Value::Nil,
        "relative_url" => Value::scalar(relative_url(shared, &s())),
        "absolute_url" if input.is_nil() => Value::Nil,
        "absolute_url" => Value::scalar(absolute_url(shared, &s())),
        "date_to_xmlschema" | "date_to_rfc822" | "date_to_string" | "date_to_long_string" => {
            if s().is_empty() {
                return input.to_value();
            }
            let Some(d) = date_of(input, shared.tz) else {
                return input.to_value();
            };
            let out = match name {
                "date_to_xmlschema" => d.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                "date_to_rfc822" => d.format("%a, %d %b %Y %H:%M:%S %z").to_string(),
                _ => {
                    let month = if name == "date_to_string" { "%b" } else { "%B" };
                    stringify_date(
                        d,
                        month,
                        arg_text(args, 0).as_deref(),
                        arg_text(args, 1).as_deref(),
                    )
                }
            };
            Value::scalar(out)
        }
        "markdownify" => Value::scalar(crate::extract::render::markdown::markdown_to_html(
            &s(),
            &shared.kramdown,
        )),
        "smartify" => Value::scalar(smartify(&s())),
        // Stylesheets have no place in a feed entry.
        "sassify" | "scssify" => input.to_value(),
        "slugify" => Value::scalar(slugify(&s(), arg_text(args, 0).as_deref())),
        "xml_escape" => Value::scalar(xml_escape(&s())),
        "cgi_escape" => Value::scalar(cgi_escape(&s())),
        "uri_escape" => Value::scalar(normalize_component(&s())),
        "normalize_whitespace" => {
            Value::scalar(s().split_whitespace().collect::<Vec<_>>().join(" "))
        }
        "number_of_words" => {
            Value::scalar(number_of_words(&s(), arg_text(args, 0).as_deref()) as i64)
        }
        "array_to_sentence_string" => {
            let items: Vec<String> = array(input)
                .unwrap_or_default()
                .iter()
                .map(|v| text(v))
                .collect();
            let connector = arg_text(args, 0).unwrap_or_else(|| "and".into());
            Value::scalar(match items.len() {
                0 => String::new(),
                1 => items[0].clone(),
                2 => format!("{} {connector} {}", items[0], items[1]),
                n => format!(
                    "{}, {connector} {}",
                    items[..n - 1].join(", "),
                    items[n - 1]
                ),
            })
        }
        "jsonify" => Value::scalar(jsonify(input)),
        "where" | "find" => {
            let Some(property) = arg_text(args, 0) else {
                return input.to_value();
            };
            let target = args.get(1).cloned().unwrap_or(Value::Nil);
            if target.as_array().is_some() || target.as_object().is_some() {
                return input.to_value();
            }
            let Some(items) = array(input) else {
                return input.to_value();
            };
            let mut hits = items
                .into_iter()
                .filter(|item| matches_target(item_property(item, &property).as_ref(), &target));
            if name == "find" {
                hits.next().unwrap_or(Value::Nil)
            } else {
                Value::Array(hits.collect())
            }
        }
        "where_exp" | "find_exp" => {
            let (Some(var), Some(expr)) = (arg_text(args, 0), arg_text(args, 1)) else {
                return input.to_value();
            };
            let Some(items) = array(input) else {
                return input.to_value();
            };
            let lang = runtime.registers().get_mut::<PostState>().lang.clone();
            let Some(lang) = lang else {
                return input.to_value();
            };
            let Ok(cond) =
                liquid_core::parser::parse(&format!("{{% if {expr} %}}1{{% endif %}}"), &lang)
            else {
                return input.to_value();
            };
            let cond = Template::new(cond);
            let mut hits = items.into_iter().filter(|item| {
                let mut scope = Object::new();
                scope.insert(KString::from(var.clone()), item.clone());
                let frame = super::state::Lax(StackFrame::new(runtime, &scope));
                let mut out = Vec::new();
                cond.render_to(&mut out, &frame).is_ok() && out == b"1"
            });
            if name == "find_exp" {
                hits.next().unwrap_or(Value::Nil)
            } else {
                Value::Array(hits.collect())
            }
        }
        "group_by" => {
            let (Some(property), Some(items)) = (arg_text(args, 0), array(input)) else {
                return input.to_value();
            };
            let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
            for item in items {
                let key = item_property(&item, &property).map_or(String::new(), |v| text(&v));
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, g)) => g.push(item),
                    None => groups.push((key, vec![item])),
                }
            }
            Value::Array(
                groups
                    .into_iter()
                    .map(|(name, items)| {
                        let mut o = Object::new();
                        o.insert("name".into(), Value::scalar(name));
                        o.insert("size".into(), Value::scalar(items.len() as i64));
                        o.insert("items".into(), Value::Array(items));
                        Value::Object(o)
                    })
                    .collect(),
            )
        }
        "to_integer" => match input.as_scalar().and_then(|s| s.to_bool()) {
            Some(b) => Value::scalar(i64::from(b)),
            None => Value::scalar(ruby_to_i(&s())),
        },
        "sort" => {
            let Some(mut items) = array(input) else {
                return input.to_value();
            };
            match arg_text(args, 0) {
                None => items.sort_by(|a, b| compare(Some(a), Some(b))),
                Some(property) => {
                    let nils_last = arg_text(args, 1).as_deref() == Some("last");
                    let mut keyed: Vec<(Option<Value>, Value)> = items
                        .into_iter()
                        .map(|i| (item_property(&i, &property).filter(|v| !v.is_nil()), i))
                        .collect();
                    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
                        (Some(_), None) if nils_last => std::cmp::Ordering::Less,
                        (Some(_), None) => std::cmp::Ordering::Greater,
                        (None, Some(_)) if nils_last => std::cmp::Ordering::Greater,
                        (None, Some(_)) => std::cmp::Ordering::Less,
                        _ => compare(a.as_ref(), b.as_ref()),
                    });
                    items = keyed.into_iter().map(|(_, i)| i).collect();
                }
            }
            Value::Array(items)
        }
        "push" | "unshift" | "pop" | "shift" => {
            let Some(mut items) = input
                .as_array()
                .map(|a| a.values().map(|v| v.to_value()).collect::<Vec<_>>())
            else {
                return input.to_value();
            };
            match name {
                "push" => items.push(args.first().cloned().unwrap_or(Value::Nil)),
                "unshift" => items.insert(0, args.first().cloned().unwrap_or(Value::Nil)),
                "pop" => {
                    let n = integer(args.first(), 1).max(0) as usize;
                    items.truncate(items.len().saturating_sub(n));
                }
                _ => {
                    let n = (integer(args.first(), 1).max(0) as usize).min(items.len());
                    items.drain(..n);
                }
            }
            Value::Array(items)
        }
        // Jekyll picks at random; a feed must not change from one build to
        // the next, so the first items are taken.
        "sample" => match array(input) {
            Some(items) => match integer(args.first(), 1) {
                1 => items.into_iter().next().unwrap_or(Value::Nil),
                n => Value::Array(items.into_iter().take(n.max(0) as usize).collect()),
            },
            None => input.to_value(),
        },
        "inspect" => Value::scalar(xml_escape(&inspect(input))),
        _ => input.to_value(),
    }
}

/// Jekyll's `item_property`: the (dotted) property of an item, numbers in
/// text read as numbers (`parse_sort_input`).
fn item_property(item: &Value, property: &str) -> Option<Value> {
    let mut cur = item.clone();
    for key in property.split('.') {
        let next = match &cur {
            Value::Object(o) => o.get(key).cloned(),
            Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i).cloned()),
            _ => None,
        };
        cur = next?;
    }
    if let Some(s) = cur.as_scalar() {
        let t = s.to_kstr();
        let t = t.trim();
        let digits = t.strip_prefix('-').unwrap_or(t);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(i) = t.parse::<i64>() {
                return Some(Value::scalar(i));
            }
        }
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.matches('.').count() == 1
        {
            if let Ok(f) = t.parse::<f64>() {
                return Some(Value::scalar(f));
            }
        }
    }
    Some(cur)
}

/// Jekyll's `compare_property_vs_target`.
fn matches_target(property: Option<&Value>, target: &Value) -> bool {
    if target.is_nil() {
        return property.is_none_or(|p| p.is_nil());
    }
    if let Some(state) = target.as_state() {
        // `empty` / `blank`: Ruby's `to_s` of the literal is "".
        let _ = state;
        return match property {
            None => false,
            Some(p) if p.is_nil() => false,
            Some(Value::Array(a)) => a.iter().map(|v| text(v)).collect::<String>().is_empty(),
            Some(p) => text(p).is_empty(),
        };
    }
    let target = text(target);
    match property {
        None => false,
        Some(Value::Array(a)) => a.iter().any(|v| text(v) == target),
        Some(p) if p.is_nil() => false,
        Some(p) => text(p) == target,
    }
}

/// Ruby's `<=>` on Liquid values, falling back to comparing text.
fn compare(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    let num = |v: Option<&Value>| {
        v.and_then(|v| v.as_scalar())
            .and_then(|s| match s.to_integer() {
                Some(i) if !matches!(s.to_kstr().as_str(), "true" | "false") => Some(i as f64),
                _ => s.to_float().filter(|_| s.to_kstr().parse::<f64>().is_ok()),
            })
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => {
            let t = |v: Option<&Value>| v.map_or(String::new(), |v| text(v));
            t(a).cmp(&t(b))
        }
    }
}

/// A date as Jekyll's date filters read it: a date value, or text Ruby's
/// `Time.parse` reads (in the site's time zone when it names none).
fn date_of(input: &dyn ValueView, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    let scalar = input.as_scalar()?;
    let t = scalar.to_kstr();
    let parsed = crate::extract::dates::parse_front_matter_date(
        t.trim(),
        crate::extract::dates::Quoting::Quoted,
        tz,
    )
    .ok()
    .or_else(|| scalar.to_date_time().and_then(|d| value::to_chrono(&d)))?;
    // Jekyll's `time(input)` ends in `localtime`, and Jekyll sets the
    // process's zone to the site's.
    Some(parsed.with_timezone(&tz).fixed_offset())
}

/// Jekyll's `stringify_date`.
fn stringify_date(
    d: DateTime<FixedOffset>,
    month: &str,
    kind: Option<&str>,
    style: Option<&str>,
) -> String {
    use chrono::Datelike;
    if kind == Some("ordinal") {
        let day = d.day();
        let suffix = match (day % 100, day % 10) {
            (11..=13, _) => "th",
            (_, 1) => "st",
            (_, 2) => "nd",
            (_, 3) => "rd",
            _ => "th",
        };
        let ordinal = format!("{day}{suffix}");
        if style == Some("US") {
            return format!("{} {ordinal}, {}", d.format(month), d.format("%Y"));
        }
        return format!("{ordinal} {} {}", d.format(month), d.format("%Y"));
    }
    d.format(&format!("%d {month} %Y")).to_string()
}

/// Jekyll's `relative_url`: the baseurl before a site path; absolute URLs
/// as they are.
pub(super) fn relative_url(shared: &Shared, input: &str) -> String {
    if is_absolute(input) {
        return input.to_string();
    }
    let lead = |s: &str| {
        if s.is_empty() || s.starts_with('/') {
            s.to_string()
        } else {
            format!("/{s}")
        }
    };
    normalize_component(&format!("{}{}", lead(&shared.baseurl), lead(input)))
}

/// Jekyll's `absolute_url`: the site's `url` before `relative_url`.
pub(super) fn absolute_url(shared: &Shared, input: &str) -> String {
    if is_absolute(input) {
        return input.to_string();
    }
    let rel = relative_url(shared, input);
    if shared.url.is_empty() {
        return rel;
    }
    format!("{}{rel}", shared.url)
}

/// Addressable's `URI#absolute?`: the text starts with a scheme.
fn is_absolute(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Addressable's `normalize_component`: characters outside the URI's
/// reserved and unreserved sets percent-encoded (UTF-8), `%XX` kept.
pub(super) fn normalize_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?#[]%".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Ruby's `CGI.escape`: everything but `a-zA-Z0-9_.-~` percent-encoded,
/// spaces as `+`.
fn cgi_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b' ' => out.push('+'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Jekyll's `xml_escape`: Ruby's `encode(xml: :attr)` without the quotes
/// it adds (`& < > "`).
fn xml_escape(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// Jekyll's `Utils.slugify` for the filter (lower-cased).
fn slugify(s: &str, mode: Option<&str>) -> String {
    use crate::extract::permalink::{slugify, SlugMode};
    let out = match mode {
        Some("none") => s.to_string(),
        Some("raw") => s.split_whitespace().collect::<Vec<_>>().join("-"),
        Some("pretty") => slugify(s, SlugMode::Pretty),
        Some("ascii") | Some("latin") => {
            let mut out = String::new();
            let mut dash = false;
            for c in s.chars() {
                if c.is_ascii_alphanumeric() {
                    if dash && !out.is_empty() {
                        out.push('-');
                    }
                    dash = false;
                    out.push(c);
                } else {
                    dash = true;
                }
            }
            out
        }
        _ => slugify(s, SlugMode::Default),
    };
    out.to_lowercase()
}

/// Jekyll's `number_of_words`.
fn number_of_words(s: &str, mode: Option<&str>) -> usize {
    let cjk = |c: char| {
        matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF
            | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0x3040..=0x309F | 0xAC00..=0xD7AF | 0x1100..=0x11FF
            | 0x3130..=0x318F)
    };
    let cjk_count = s.chars().filter(|&c| cjk(c)).count();
    let other_words = || {
        s.split(|c: char| c.is_whitespace() || cjk(c))
            .filter(|w| !w.is_empty())
            .count()
    };
    match mode {
        Some("cjk") => cjk_count + other_words(),
        Some("auto") if cjk_count > 0 => cjk_count + other_words(),
        _ => s.split_whitespace().count(),
    }
}

/// Ruby's `String#to_i`: the leading integer, else 0.
fn ruby_to_i(s: &str) -> i64 {
    let t = s.trim_start();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().map_or(0, |n| sign * n)
}

/// kramdown's SmartyPants, as Jekyll's `smartify` runs it: quotes, dashes
/// and ellipses as HTML entities.
fn smartify(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{-".contains(p));
        match c {
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push_str("&hellip;");
                i += 3;
                continue;
            }
            '-' if chars.get(i + 1) == Some(&'-') && chars.get(i + 2) == Some(&'-') => {
                out.push_str("&mdash;");
                i += 3;
                continue;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                out.push_str("&ndash;");
                i += 2;
                continue;
            }
            '"' => out.push_str(if opens { "&ldquo;" } else { "&rdquo;" }),
            '\'' => out.push_str(if opens { "&lsquo;" } else { "&rsquo;" }),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Jekyll's `jsonify` (Ruby's `to_json`: no spaces, text as UTF-8).
fn jsonify(input: &dyn ValueView) -> String {
    serde_json::to_string(&to_json(&input.to_value())).unwrap_or_default()
}

fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Nil | Value::State(_) => J::Null,
        Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        Value::Object(o) => {
            // Liquid's objects are hash maps: sorted keys keep the output
            // the same from one build to the next.
            let mut keys: Vec<_> = o.keys().collect();
            keys.sort();
            J::Object(
                keys.into_iter()
                    .map(|k| {
                        (
                            k.to_string(),
                            to_json(o.get(k.as_str()).unwrap_or(&Value::Nil)),
                        )
                    })
                    .collect(),
            )
        }
        Value::Scalar(s) => {
            let t = s.to_kstr();
            if let Some(b) = bool_of(s.as_ref()) {
                J::Bool(b)
            } else if s.to_date_time().is_some() && t.parse::<f64>().is_err() {
                J::String(t.to_string())
            } else if let (Some(i), true) = (s.to_integer(), t.parse::<i64>().is_ok()) {
                J::from(i)
            } else if let (Some(f), true) = (s.to_float(), t.parse::<f64>().is_ok()) {
                serde_json::Number::from_f64(f).map_or(J::Null, J::Number)
            } else {
                J::String(t.to_string())
            }
        }
    }
}

fn bool_of(s: ScalarCow<'_>) -> Option<bool> {
    // A scalar made from a boolean renders as true/false; text "true" is
    // text in Ruby, but Liquid's scalars do not keep the difference.
    match s.to_kstr().as_str() {
        "true" | "false" if s.to_bool().is_some() => s.to_bool(),
        _ => None,
    }
}

/// Ruby's `inspect` of a Liquid value.
fn inspect(v: &dyn ValueView) -> String {
    match v.to_value() {
        Value::Nil | Value::State(_) => "nil".into(),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(|i| inspect(i)).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(o) => {
            let mut keys: Vec<_> = o.keys().collect();
            keys.sort();
            format!(
                "{{{}}}",
                keys.iter()
                    .map(|k| format!(
                        "{:?}=>{}",
                        k.as_str(),
                        inspect(o.get(k.as_str()).unwrap_or(&Value::Nil))
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Value::Scalar(s) => match serde_json::to_value(s.to_kstr().as_str()) {
            _ if bool_of(s.as_ref()).is_some() => s.to_kstr().to_string(),
            _ if s.to_kstr().parse::<f64>().is_ok()
                && s.to_integer().is_some() | s.to_float().is_some() =>
            {
                s.to_kstr().to_string()
            }
            Ok(j) => j.to_string(),
            Err(_) => s.to_kstr().to_string(),
        },
    }
}
