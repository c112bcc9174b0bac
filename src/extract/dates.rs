//! Dates, by Jekyll's rules.
//!
//! - A date in a file name is midnight in the site time zone.
//! - A front-matter date with an offset is that instant.
//! - A front-matter date without an offset is read in the site time zone,
//!   except an *unquoted* full YAML timestamp (`2024-03-15 23:30:00`), which
//!   YAML (Ruby's Psych) reads as UTC.
//!
//! Every result is expressed in the site time zone, as Jekyll does
//! (`Time#localtime`), which decides the day in a permalink.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

/// How the date was written in the front matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quoting {
    /// Inside quotes: always a string to Jekyll.
    Quoted,
    /// Bare: YAML may read it as a timestamp.
    Plain,
}

/// Converts a local date-time in `tz` to an instant in `tz`. A time that does
/// not exist (skipped by a daylight-saving change) moves forward an hour.
pub fn in_zone(tz: Tz, local: NaiveDateTime) -> DateTime<FixedOffset> {
    let resolved = tz
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .unwrap_or_else(|| tz.from_utc_datetime(&local));
    resolved.with_timezone(&resolved.offset().fix())
}

/// Expresses an instant in the site time zone.
pub fn to_zone(tz: Tz, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let z = t.with_timezone(&tz);
    z.with_timezone(&z.offset().fix())
}

/// Parses `YYYY-MM-DD` (one-digit month and day allowed, as in Jekyll file
/// names). A day past the month's end but no later than the 31st runs into
/// the next month (`2016-06-31` is July 1st), as Ruby's `Time` reads it
/// and so Jekyll dates and files the post; [`rolls_over`] tells when.
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let (y, m, d) = ymd_parts(s)?;
    NaiveDate::from_ymd_opt(y, m, d).or_else(|| {
        (1..=31)
            .contains(&d)
            .then(|| NaiveDate::from_ymd_opt(y, m, 1))
            .flatten()
            .and_then(|first| first.checked_add_days(chrono::Days::new(u64::from(d - 1))))
    })
}

fn ymd_parts(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    Some((y, m, d))
}

/// True when the date at the start of `s` names a day its month does not
/// have (`2016-06-31`), which [`parse_ymd`] runs into the next month.
pub fn rolls_over(s: &str) -> bool {
    let date = s.trim().split(['T', 't', ' ']).next().unwrap_or("");
    ymd_parts(date).is_some_and(|(y, m, d)| {
        NaiveDate::from_ymd_opt(y, m, d).is_none() && parse_ymd(date).is_some()
    })
}

/// A file-name date: midnight in the site time zone.
pub fn from_file_name(s: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    parse_ymd(s).map(|d| in_zone(tz, d.and_time(NaiveTime::MIN)))
}

/// Why a date could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum DateError {
    /// It looks like a date, but that day or time does not exist.
    Impossible,
    /// It is not in a form feedwright reads.
    Unreadable,
    /// The year is outside 1–9999, which RFC 3339 and RFC 822 dates cannot carry.
    OutOfRange,
}

/// Parses a front-matter date in the forms Jekyll sites use:
/// `2024-03-15`, `2024-03-15 10:00`, `2024-03-15 10:00:00`, `2024-03-15T10:00:00.5`,
/// each optionally followed by `Z`, `UTC`, `+0900`, `+09:00` or `+09`; and RFC 2822.
pub fn parse_front_matter_date(
    raw: &str,
    quoting: Quoting,
    tz: Tz,
) -> Result<DateTime<FixedOffset>, DateError> {
    parse_front_matter_date_noting(raw, quoting, tz).map(|(t, _)| t)
}

/// [`parse_front_matter_date`], also returning what followed the clock time
/// when it is not a zone: Ruby's `Time.parse` (and so Jekyll) ignores such
/// text (`+/-0900`, `2023 -0800`) and reads the time in the site's zone.
pub fn parse_front_matter_date_noting(
    raw: &str,
    quoting: Quoting,
    tz: Tz,
) -> Result<(DateTime<FixedOffset>, Option<&str>), DateError> {
    use chrono::Datelike;
    let (t, ignored) = parse_any_date(raw, quoting, tz)?;
    if (1..=9999).contains(&t.year()) {
        Ok((t, ignored))
    } else {
        Err(DateError::OutOfRange)
    }
}

fn parse_any_date(
    raw: &str,
    quoting: Quoting,
    tz: Tz,
) -> Result<(DateTime<FixedOffset>, Option<&str>), DateError> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Ok((to_zone(tz, t), None));
    }
    let (date_part, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], s[i + 1..].trim_start()),
        None => (s, ""),
    };
    let looks_like_date = date_part.splitn(3, '-').count() == 3
        && date_part.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !looks_like_date {
        return Err(DateError::Unreadable);
    }
    let date = parse_ymd(date_part).ok_or(DateError::Impossible)?;
    if rest.is_empty() {
        return Ok((in_zone(tz, date.and_time(NaiveTime::MIN)), None));
    }
    // Split the clock time from the zone that may follow it.
    let zone_at = rest
        .find(['Z', 'z', '+', '-', ' ', 'U', 'G'])
        .unwrap_or(rest.len());
    let (clock, zone) = (&rest[..zone_at], rest[zone_at..].trim());
    let mut parts = clock.split(':');
    let num = |p: Option<&str>| -> Result<u32, DateError> {
        p.ok_or(DateError::Unreadable)?
            .parse::<u32>()
            .map_err(|_| DateError::Unreadable)
    };
    let hour = num(parts.next())?;
    let minute = num(parts.next())?;
    let (second, nanos, has_seconds) = match parts.next() {
        None => (0, 0, false),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let whole: u32 = whole.parse().map_err(|_| DateError::Unreadable)?;
            let digits: String = frac.chars().take(9).collect();
            let nanos = if digits.is_empty() {
                0
            } else {
                digits.parse::<u32>().map_err(|_| DateError::Unreadable)?
                    * 10u32.pow(9 - digits.len() as u32)
            };
            (whole, nanos, true)
        }
    };
    if parts.next().is_some() {
        return Err(DateError::Unreadable);
    }
    let time =
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or(DateError::Impossible)?;
    let local = date.and_time(time);
    let (offset, ignored) = match zone {
        "" => (None, None),
        "Z" | "z" | "UTC" | "GMT" => (Some(0), None),
        z => match parse_offset(z) {
            Some(o) => (Some(o), None),
            None => (None, Some(z)),
        },
    };
    let t = match offset {
        Some(secs) => {
            let fixed = FixedOffset::east_opt(secs).ok_or(DateError::Impossible)?;
            let t = fixed
                .from_local_datetime(&local)
                .single()
                .ok_or(DateError::Impossible)?;
            to_zone(tz, t)
        }
        // Psych reads a bare `YYYY-MM-DD HH:MM:SS` as a UTC timestamp (not
        // when other text follows: then it is a string to Psych).
        None if quoting == Quoting::Plain && has_seconds && ignored.is_none() => {
            to_zone(tz, chrono::Utc.from_utc_datetime(&local).fixed_offset())
        }
        None => in_zone(tz, local),
    };
    Ok((t, ignored))
}

/// `+0900`, `+09:00`, `+09`, `-0530` → seconds east of UTC.
fn parse_offset(z: &str) -> Option<i32> {
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

/// A post's dates as the build cache keeps them: numbers (seconds,
/// nanoseconds, offset), not chrono's RFC 3339 text, which took most of the
/// time of encoding a record.
pub mod compact {
    use chrono::{DateTime, FixedOffset, TimeZone};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Parts = (i64, u32, i32);

    fn parts(d: &DateTime<FixedOffset>) -> Parts {
        (
            d.timestamp(),
            d.timestamp_subsec_nanos(),
            d.offset().local_minus_utc(),
        )
    }

    fn date<E: serde::de::Error>((secs, nanos, offset): Parts) -> Result<DateTime<FixedOffset>, E> {
        FixedOffset::east_opt(offset)
            .and_then(|o| o.timestamp_opt(secs, nanos).single())
            .ok_or_else(|| E::custom("a date out of range"))
    }

    /// Serializes a date as its parts.
    pub fn serialize<S: Serializer>(d: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        parts(d).serialize(s)
    }

    /// Deserializes a date from its parts.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        date(Parts::deserialize(d)?)
    }

    /// The same for an optional date.
    pub mod option {
        use super::*;

        /// Serializes an optional date as its parts.
        pub fn serialize<S: Serializer>(
            d: &Option<DateTime<FixedOffset>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            d.as_ref().map(parts).serialize(s)
        }

        /// Deserializes an optional date from its parts.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            Option::<Parts>::deserialize(d)?.map(date).transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const SEOUL: Tz = chrono_tz::Asia::Seoul;

    fn rfc(t: DateTime<FixedOffset>) -> String {
        t.to_rfc3339()
    }

    #[test]
    fn unquoted_naive_timestamp_is_utc_like_psych() {
        let t = parse_front_matter_date("2024-03-15 23:30:00", Quoting::Plain, SEOUL).unwrap();
        assert_eq!(rfc(t), "2024-03-16T08:30:00+09:00");
    }

    #[test]
    fn quoted_naive_timestamp_is_site_local() {
        let t = parse_front_matter_date("2024-03-17 09:00:00", Quoting::Quoted, SEOUL).unwrap();
        assert_eq!(rfc(t), "2024-03-17T09:00:00+09:00");
    }

    #[test]
    fn offsets_in_every_spelling_give_the_same_instant() {
        for s in [
            "2024-03-28 00:30:00 -0500",
            "2024-03-28T00:30:00-05:00",
            "2024-03-28 00:30:00 -05",
        ] {
            let t = parse_front_matter_date(s, Quoting::Plain, SEOUL).unwrap();
            assert_eq!(rfc(t), "2024-03-28T14:30:00+09:00", "{s}");
        }
        let z = parse_front_matter_date("2024-03-27T01:00:00Z", Quoting::Plain, SEOUL).unwrap();
        assert_eq!(rfc(z), "2024-03-27T10:00:00+09:00");
    }

    #[test]
    fn date_only_is_midnight_site_time() {
        let t = parse_front_matter_date("2024-03-22", Quoting::Plain, SEOUL).unwrap();
        assert_eq!(rfc(t), "2024-03-22T00:00:00+09:00");
    }

    #[test]
    fn impossible_and_unreadable_dates_are_told_apart() {
        assert_eq!(
            parse_front_matter_date("2024-02-32", Quoting::Plain, SEOUL),
            Err(DateError::Impossible)
        );
        assert_eq!(
            parse_front_matter_date("2024-01-01 25:00", Quoting::Plain, SEOUL),
            Err(DateError::Impossible)
        );
        assert_eq!(
            parse_front_matter_date("last tuesday", Quoting::Plain, SEOUL),
            Err(DateError::Unreadable)
        );
    }

    #[test]
    fn text_after_the_time_that_is_no_offset_is_ignored_as_ruby_does() {
        for (raw, zone) in [
            ("2022-01-14 15:28:00 +/-0900", "+/-0900"),
            ("2023-01-29 18:30:22 2023 -0800", "2023 -0800"),
        ] {
            let (t, ignored) = parse_front_matter_date_noting(raw, Quoting::Plain, SEOUL).unwrap();
            assert_eq!(ignored, Some(zone));
            assert_eq!(
                rfc(t),
                format!("{}T{}+09:00", &raw[..10], &raw[11..19]),
                "{raw}"
            );
        }
    }

    #[test]
    fn a_day_past_the_end_of_its_month_runs_into_the_next_as_in_ruby() {
        let t = parse_front_matter_date("2016-06-31", Quoting::Plain, SEOUL).unwrap();
        assert_eq!(rfc(t), "2016-07-01T00:00:00+09:00");
        assert!(rolls_over("2016-06-31 10:00"));
        assert!(!rolls_over("2016-06-30"));
        assert_eq!(parse_ymd("2016-02-30"), NaiveDate::from_ymd_opt(2016, 3, 1));
        assert_eq!(parse_ymd("2016-06-32"), None);
        assert_eq!(parse_ymd("2016-13-01"), None);
    }

    #[test]
    fn rfc2822_dates_are_read() {
        let t = parse_front_matter_date("Fri, 15 Mar 2024 10:00:00 +0000", Quoting::Plain, SEOUL)
            .unwrap();
        assert_eq!(rfc(t), "2024-03-15T19:00:00+09:00");
    }
}
