//! Value checks shared by the format validators, and the diagnostics collector.

pub use super::iri::is_iri_chars;
use super::shared::{Diagnostic, Severity};
use super::xml::Element;
use chrono::{Datelike, NaiveDate};

/// Collects diagnostics.
#[derive(Default)]
pub struct Out {
    pub list: Vec<Diagnostic>,
}

impl Out {
    pub fn push(
        &mut self,
        el: &Element,
        severity: Severity,
        code: &str,
        message: &str,
        spec: &str,
    ) {
        self.list.push(Diagnostic::new(
            el.line, el.column, severity, code, message, spec,
        ));
    }
    pub fn error(&mut self, el: &Element, code: &str, message: &str, spec: &str) {
        self.push(el, Severity::Error, code, message, spec);
    }
    pub fn warn(&mut self, el: &Element, code: &str, message: &str, spec: &str) {
        self.push(el, Severity::Warning, code, message, spec);
    }
    /// Reports an error when the attribute `name` is present and `valid` rejects its value.
    pub fn check_attr(
        &mut self,
        el: &Element,
        name: &str,
        valid: impl Fn(&str) -> bool,
        code: &str,
        message: impl Fn(&str) -> String,
        spec: &str,
    ) {
        if let Some(v) = el.attr(name) {
            if !valid(v) {
                self.error(el, code, &message(v), spec);
            }
        }
    }
}

/// True when a self link `href` (resolved against `served_at`) is the URL the document is served from.
pub fn self_link_matches(served_at: &url::Url, href: &str) -> bool {
    served_at
        .join(href)
        .is_ok_and(|u| u.as_str() == served_at.as_str())
}

/// The shape of an RFC 3339 `date-time`: digits and separators where they
/// stand, optional fractional seconds, a `Z` or `±hh:mm` zone. The length
/// of the part before the zone (19 without fractions), or `None`.
fn rfc3339_shape(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let zone_ok = match &b[i..] {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
                && (*h1 - b'0') * 10 + (*h2 - b'0') < 24
                && (*m1 - b'0') * 10 + (*m2 - b'0') < 60
        }
        _ => false,
    };
    zone_ok.then_some(i)
}

/// RFC 3339 `date-time` (Atom dates): `2003-12-13T18:30:02Z`, `…02.25+01:00`.
pub fn is_rfc3339(s: &str) -> bool {
    let Some(i) = rfc3339_shape(s) else {
        return false;
    };
    let b = s.as_bytes();
    // The usual shape (whole seconds, not a leap second) is the field
    // ranges and a calendar date, which is all chrono's parse then checks;
    // sitemaps ask this for every URL. Anything else is parsed.
    let n = |r: std::ops::Range<usize>| b[r].iter().fold(0, |v, d| v * 10 + u32::from(d - b'0'));
    if i == 19 && n(17..19) < 60 {
        return n(11..13) < 24
            && n(14..16) < 60
            && NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10)).is_some();
    }
    chrono::DateTime::parse_from_rfc3339(s).is_ok() || leap_second_ok(s)
}

fn leap_second_ok(s: &str) -> bool {
    // chrono rejects :60; RFC 3339 allows it at the end of a minute.
    s.get(17..19) == Some("60")
        && chrono::DateTime::parse_from_rfc3339(&format!("{}59{}", &s[..17], &s[19..])).is_ok()
}

/// Outcome of reading an RFC 822 date.
#[derive(Debug, PartialEq, Eq)]
pub enum Rfc822 {
    /// Fine.
    Valid,
    /// Not an RFC 822 date.
    Invalid,
    /// The day of the week does not match the date.
    WrongWeekday,
}

/// RFC 822 dates as RSS uses them (`Sat, 07 Sep 2002 00:00:01 GMT`), with
/// RFC 2822's four-digit years; the weekday is optional but must be right.
/// Names are read in any case (RFC 822 §3.4.7), and a zone may be any
/// military letter but J (§5.1).
pub fn rfc822(s: &str) -> Rfc822 {
    let s = s.trim();
    let (dow, rest) = match s.split_once(',') {
        Some((d, r)) => (Some(d.trim()), r.trim()),
        None => (None, s),
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    if parts.len() != 5 {
        return Rfc822::Invalid;
    }
    let day: u32 = match parts[0].parse() {
        Ok(d) if parts[0].len() <= 2 => d,
        _ => return Rfc822::Invalid,
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some(month) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(parts[1])) else {
        return Rfc822::Invalid;
    };
    let year: i32 = match (parts[2].len(), parts[2].parse::<i32>()) {
        (4, Ok(y)) => y,
        (2, Ok(y)) => 1900 + y + if y < 50 { 100 } else { 0 },
        _ => return Rfc822::Invalid,
    };
    let time: Vec<&str> = parts[3].split(':').collect();
    if !(2..=3).contains(&time.len())
        || time
            .iter()
            .any(|t| t.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit()))
    {
        return Rfc822::Invalid;
    }
    let (h, m): (u32, u32) = (time[0].parse().unwrap(), time[1].parse().unwrap());
    let sec: u32 = time.get(2).map_or(0, |s| s.parse().unwrap());
    if h > 23 || m > 59 || sec > 60 {
        return Rfc822::Invalid;
    }
    let zone = parts[4].to_ascii_uppercase();
    let zone_ok = matches!(
        zone.as_str(),
        "UT" | "GMT" | "EST" | "EDT" | "CST" | "CDT" | "MST" | "MDT" | "PST" | "PDT"
    ) || (zone.len() == 1 && zone.as_bytes()[0].is_ascii_uppercase() && zone != "J")
        || (zone.len() == 5
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone[1..].bytes().all(|b| b.is_ascii_digit()));
    if !zone_ok {
        return Rfc822::Invalid;
    }
    let Some(date) = NaiveDate::from_ymd_opt(year, month as u32 + 1, day) else {
        return Rfc822::Invalid;
    };
    match dow {
        None => Rfc822::Valid,
        Some(d) => {
            const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            match DAYS.iter().position(|x| x.eq_ignore_ascii_case(d)) {
                None => Rfc822::Invalid,
                Some(i) if i == date.weekday().num_days_from_monday() as usize => Rfc822::Valid,
                Some(_) => Rfc822::WrongWeekday,
            }
        }
    }
}

/// W3C datetime (sitemaps' `lastmod`): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a
/// date with `Thh:mm[:ss[.s]]` and a zone.
pub fn is_w3c_datetime(s: &str) -> bool {
    // Every W3C datetime is ASCII; checking that first also keeps the byte
    // positions below on character boundaries.
    if !s.is_ascii() {
        return false;
    }
    // Digits by position, not a strftime pattern: sitemaps repeat this check
    // 50,000 times per file.
    let num = |d: &str| -> Option<u32> {
        d.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| d.parse().ok())
            .flatten()
    };
    let ymd = |y: &str, m: &str, d: &str| -> bool {
        match (num(y), num(m), num(d)) {
            (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d).is_some(),
            _ => false,
        }
    };
    let ok_date = |d: &str| {
        let b = d.as_bytes();
        match d.len() {
            4 => num(d).is_some(),
            7 => b[4] == b'-' && ymd(&d[..4], &d[5..7], "01"),
            10 => b[4] == b'-' && b[7] == b'-' && d.is_ascii() && ymd(&d[..4], &d[5..7], &d[8..]),
            _ => false,
        }
    };
    match s.split_once('T') {
        None => ok_date(s),
        Some((d, _)) if d.len() != 10 || !ok_date(d) => false,
        Some(_) => {
            // With a time: RFC 3339, or without seconds.
            is_rfc3339(s) || {
                let with_secs = if s.len() > 16 && s.as_bytes()[16] != b':' {
                    format!("{}:00{}", &s[..16], &s[16..])
                } else {
                    s.to_string()
                };
                is_rfc3339(&with_secs)
            }
        }
    }
}

/// An absolute URI/IRI: a scheme, then characters a URI may hold (non-ASCII allowed for IRIs).
pub fn is_absolute_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    scheme_ok
        && !rest.is_empty()
        && is_iri_chars(s)
        && (!matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
            || url::Url::parse(s).is_ok_and(|u| u.host().is_some()))
}

/// An e-mail address (RFC 2822 addr-spec, in the common form).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let domain_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    local_ok && domain_ok
}

/// A MIME type `type/subtype` with optional parameters.
pub fn is_mime_type(s: &str) -> bool {
    let main = s.split(';').next().unwrap_or("").trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    matches!(main.split_once('/'), Some((t, st)) if token(t) && token(st))
}

/// A language tag (RFC 3066 / BCP 47 shape): `en`, `en-US`, `zh-Hant-TW`.
pub fn is_language(s: &str) -> bool {
    crate::lang::is_well_formed(s)
}

/// A non-negative integer written in digits only.
pub fn is_non_negative_integer(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {

    /// [`is_rfc3339`] as it was spelled before its shortcut: the shape,
    /// then chrono's parse for every date.
    fn is_rfc3339_parsed(s: &str) -> bool {
        rfc3339_shape(s).is_some()
            && (chrono::DateTime::parse_from_rfc3339(s).is_ok() || leap_second_ok(s))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// The shortcut for whole seconds says what chrono's parse says, for
        /// dates and times in and out of range, fractions, leap seconds and zones.
        #[test]
        fn rfc3339_without_chrono_for_whole_seconds_agrees_with_chrono(
            y in 0u32..10_000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62, sec in 0u32..62,
            fraction in proptest::option::of("[0-9]{1,12}"),
            zone in proptest::sample::select(vec!["Z", "+09:00", "-00:00", "+23:59", "-12:30", "+24:00", "+05:60", "z", "", "+0900"]),
        ) {
            let s = format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}{}{zone}",
                fraction.map(|f| format!(".{f}")).unwrap_or_default()
            );
            proptest::prop_assert_eq!(is_rfc3339(&s), is_rfc3339_parsed(&s), "{}", s);
        }
    }
    use super::*;

    #[test]
    fn rfc3339_accepts_the_forms_atom_allows_and_nothing_else() {
        for ok in [
            "2003-12-13T18:30:02Z",
            "2003-12-13T18:30:02.25Z",
            "2003-12-13T18:30:02+01:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2003-12-13t18:30:02z",
            "2003-12-13T18:30Z",
            "2003-12-13 18:30:02Z",
            "2003-12-13T18:30:02",
            "2003-12-13T18:30:02+0100",
            "2003-02-30T18:30:02Z",
            "2003-12-13T25:30:02Z",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn rfc822_checks_the_weekday() {
        assert_eq!(rfc822("Sat, 07 Sep 2002 00:00:01 GMT"), Rfc822::Valid);
        assert_eq!(
            rfc822("Sun, 07 Sep 2002 00:00:01 GMT"),
            Rfc822::WrongWeekday
        );
        assert_eq!(rfc822("07 Sep 2002 00:00 +0900"), Rfc822::Valid);
        assert_eq!(rfc822("2002-09-07T00:00:01Z"), Rfc822::Invalid);
    }

    #[test]
    fn w3c_datetime_forms() {
        for ok in [
            "2024",
            "2024-03",
            "2024-03-15",
            "2024-03-15T10:00+09:00",
            "2024-03-15T10:00:00Z",
        ] {
            assert!(is_w3c_datetime(ok), "{ok}");
        }
        for bad in [
            "2024-13",
            "2024-03-15T10:00",
            "15/03/2024",
            "2024-03-15 10:00:00",
        ] {
            assert!(!is_w3c_datetime(bad), "{bad}");
        }
    }
}
