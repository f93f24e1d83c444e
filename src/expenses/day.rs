//! Calendar days as compact integers: parsed once on load so filtering compares `i32`s.
//! A [`Day`] is the number of days since 1970-01-01 (proleptic Gregorian calendar).

/// Days since 1970-01-01.
pub type Day = i32;

/// A month as `year * 12 + (month - 1)`, so consecutive months are consecutive integers.
pub type Month = i32;

/// Days from a civil date (Howard Hinnant's `days_from_civil`).
pub fn from_civil(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// The civil date `(year, month 1..=12, day 1..=31)` of a day number.
pub fn to_civil(z: Day) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Parses the `YYYY-MM-DD` prefix of a date or timestamp (`2024-03-05T10:00:00Z` works).
/// Anything else, including impossible dates like `2024-02-30`, is `None`.
pub fn parse(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
    };
    let (y, m, d) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b' ' | b't') {
        return None;
    }
    Some(from_civil(y, m, d))
}

/// `YYYY-MM-DD`.
pub fn format(day: Day) -> String {
    let (y, m, d) = to_civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The month a day falls in.
pub fn month_of(day: Day) -> Month {
    let (y, m, _) = to_civil(day);
    y * 12 + m as i32 - 1
}

/// The first day of a month.
pub fn first_of(month: Month) -> Day {
    from_civil(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
}

/// The last day of a month.
pub fn last_of(month: Month) -> Day {
    first_of(month + 1) - 1
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `Mar 2024`.
pub fn month_label(month: Month) -> String {
    format!("{} {}", MONTHS[month.rem_euclid(12) as usize], month.div_euclid(12))
}

/// `Mar` (for chart axes).
pub fn month_short(month: Month) -> &'static str {
    MONTHS[month.rem_euclid(12) as usize]
}

/// `5 Mar 2024`.
pub fn display(day: Day) -> String {
    let (y, m, d) = to_civil(day);
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_values() {
        assert_eq!(from_civil(1970, 1, 1), 0);
        assert_eq!(from_civil(2000, 3, 1), 11_017);
        for day in [-800_000, -1, 0, 59, 10_000, 19_782, 60_000] {
            let (y, m, d) = to_civil(day);
            assert_eq!(from_civil(y, m, d), day);
        }
        assert_eq!(format(parse("2024-02-29").unwrap()), "2024-02-29");
    }

    #[test]
    fn parse_accepts_timestamps_and_rejects_garbage() {
        assert_eq!(parse("2024-03-05T10:00:00Z"), parse("2024-03-05"));
        assert_eq!(parse("2024-03-05 10:00"), parse("2024-03-05"));
        for bad in ["", "2024-3-5", "2023-02-29", "2024-13-01", "2024-00-10", "abcd-ef-gh", "2024-03-05x", "２０２４-03-05"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months() {
        let d = parse("2024-01-15").unwrap();
        let m = month_of(d);
        assert_eq!(month_label(m), "Jan 2024");
        assert_eq!(month_label(m - 1), "Dec 2023");
        assert_eq!(format(first_of(m - 1)), "2023-12-01");
        assert_eq!(format(last_of(m + 1)), "2024-02-29");
        assert_eq!(display(d), "15 Jan 2024");
    }
}
