//! Calendar dates as the Query API writes them (`YYYY-MM-DD`, UTC) and the time buckets of
//! segmentation (`unit`).

use time::{Date, Duration, Month, OffsetDateTime};

/// Longest `from_date`..`to_date` range the emulator answers, in days (about 100 years).
pub(crate) const MAX_RANGE_DAYS: i64 = 36_600;

/// The current UTC date as `YYYY-MM-DD`, the format of the Query API's `from_date`/`to_date`
/// and of segmentation series.
pub fn today_utc() -> String {
    format_date(OffsetDateTime::now_utc().date())
}

/// Writes `date` as `YYYY-MM-DD`.
pub(crate) fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses a strict `YYYY-MM-DD` date; the error says what is wrong.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(format!("'{text}' is not a date in the format YYYY-MM-DD"));
    }
    let number = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|digits| digits.parse::<u16>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| format!("'{text}' is not a valid date: no month {month}"))?;
    let day = u8::try_from(day).unwrap_or(0);
    Date::from_calendar_date(i32::from(year), month, day)
        .map_err(|_| format!("'{text}' is not a valid date: {month} {year} has no day {day}"))
}

/// The UTC date of a unix timestamp in seconds, `None` outside the supported range.
pub(crate) fn utc_date_of(unix_seconds: i64) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .map(OffsetDateTime::date)
}

/// The time unit of a segmentation series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// One bucket per calendar day.
    Day,
    /// One bucket per week, starting on Monday.
    Week,
    /// One bucket per calendar month, starting on its first day.
    Month,
}

impl Unit {
    /// The first day of the bucket holding `date`, `None` if it is before the earliest date.
    pub(crate) fn bucket_start(self, date: Date) -> Option<Date> {
        match self {
            Self::Day => Some(date),
            Self::Week => date.checked_sub(Duration::days(i64::from(
                date.weekday().number_days_from_monday(),
            ))),
            Self::Month => date.replace_day(1).ok(),
        }
    }

    /// The first day of the bucket after the one starting at `start`.
    fn next_start(self, start: Date) -> Option<Date> {
        match self {
            Self::Day => start.next_day(),
            Self::Week => start.checked_add(Duration::weeks(1)),
            Self::Month => {
                let (year, month) = match start.month() {
                    Month::December => (start.year().checked_add(1)?, Month::January),
                    month => (start.year(), month.next()),
                };
                Date::from_calendar_date(year, month, 1).ok()
            }
        }
    }

    /// The starts of every bucket that overlaps `from..=to`, in order.
    pub(crate) fn series(self, from: Date, to: Date) -> Vec<Date> {
        let mut out = Vec::new();
        let mut current = self.bucket_start(from).unwrap_or(from);
        while current <= to {
            out.push(current);
            match self.next_start(current) {
                Some(next) => current = next,
                None => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_strict_dates() {
        assert_eq!(parse_date("2026-11-01"), Ok(date!(2026 - 11 - 01)));
        assert_eq!(parse_date("2024-02-29"), Ok(date!(2024 - 02 - 29)));
        for bad in [
            "2026-1-01",
            "2026/11/01",
            "20261101",
            "2026-11-01T00",
            "+026-11-01",
            "２０２６-11-01",
        ] {
            assert!(
                parse_date(bad).unwrap_err().contains("format YYYY-MM-DD"),
                "{bad}"
            );
        }
        assert!(parse_date("2025-02-29").unwrap_err().contains("no day 29"));
        assert!(
            parse_date("2025-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(parse_date("2025-00-10").is_err());
        assert!(parse_date("2025-01-00").is_err());
    }

    #[test]
    fn formats_dates() {
        assert_eq!(format_date(date!(0033 - 01 - 05)), "0033-01-05");
        assert_eq!(
            utc_date_of(0).map(format_date).as_deref(),
            Some("1970-01-01")
        );
        assert_eq!(utc_date_of(i64::MAX), None);
        assert_eq!(today_utc().len(), 10);
    }

    #[test]
    fn buckets_by_unit() {
        // 2026-11-04 is a Wednesday.
        let (from, to) = (date!(2026 - 11 - 04), date!(2026 - 12 - 08));
        assert_eq!(Unit::Day.series(from, from), vec![from]);
        assert_eq!(Unit::Day.series(from, to).len(), 35);
        assert_eq!(
            Unit::Week.series(from, to).first().copied(),
            Some(date!(2026 - 11 - 02))
        );
        assert_eq!(Unit::Week.series(from, to).len(), 6);
        assert_eq!(
            Unit::Month.series(from, date!(2027 - 01 - 01)),
            vec![
                date!(2026 - 11 - 01),
                date!(2026 - 12 - 01),
                date!(2027 - 01 - 01)
            ]
        );
        assert_eq!(
            Unit::Month
                .series(date!(9999 - 12 - 31), date!(9999 - 12 - 31))
                .len(),
            1
        );
        assert_eq!(
            Unit::Day
                .series(date!(9999 - 12 - 31), date!(9999 - 12 - 31))
                .len(),
            1
        );
    }
}
