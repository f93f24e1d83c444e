//! Dates as banks write them. The day/month order of numeric dates (`03/04/2026`) is a
//! property of the file, not of a row: it is decided once from every date of the file
//! (a first part above 12 can only be a day, a second part above 12 only a day too), and
//! only when no row settles it does the institution's country decide (US: month first,
//! else day first). Deciding row by row silently swaps days and months in the same file.
//!
//! Reading is in two steps so the decision can see all rows: [`scan`] reads the shape of
//! a value without deciding the order, [`OrderVotes`] collects what the rows say, and
//! [`RawDate::resolve`] turns a shape into a calendar date once the order is known.

use chrono::NaiveDate;

use crate::{Hints, ImportError};

/// The order of day and month in a file's numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `21/08/2026`: most of the world.
    DayMonth,
    /// `08/21/2026`: the United States.
    MonthDay,
}

/// A date as read, before the file's day/month order is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawDate {
    /// The value says which part is the month (ISO, `21 Aug 26`, year first).
    Known(NaiveDate),
    /// `a/b/y`: either `a` or `b` is the month.
    Numeric { first: u32, second: u32, year: i32 },
}

impl RawDate {
    /// The calendar date under `order`; `None` for e.g. `31/02/2026`.
    pub(crate) fn resolve(self, order: DateOrder) -> Option<NaiveDate> {
        match self {
            RawDate::Known(d) => Some(d),
            RawDate::Numeric {
                first,
                second,
                year,
            } => {
                let (d, m) = match order {
                    DateOrder::DayMonth => (first, second),
                    DateOrder::MonthDay => (second, first),
                };
                NaiveDate::from_ymd_opt(year, m, d)
            }
        }
    }
}

/// What a file's numeric dates say about their order: the first row that can only be
/// day/month, and the first that can only be month/day.
#[derive(Debug, Default, Clone)]
pub(crate) struct OrderVotes {
    day_first: Option<(usize, String)>,
    month_first: Option<(usize, String)>,
}

impl OrderVotes {
    pub(crate) fn add(&mut self, raw: RawDate, line: usize, value: &str) {
        if let RawDate::Numeric { first, second, .. } = raw {
            if first > 12 && self.day_first.is_none() {
                self.day_first = Some((line, value.trim().to_string()));
            }
            if second > 12 && self.month_first.is_none() {
                self.month_first = Some((line, value.trim().to_string()));
            }
        }
    }

    /// Adds another column's votes (the earliest line of each kind wins).
    pub(crate) fn merge(&mut self, other: &OrderVotes) {
        for (mine, theirs) in [
            (&mut self.day_first, &other.day_first),
            (&mut self.month_first, &other.month_first),
        ] {
            if let Some(t) = theirs {
                if mine.as_ref().is_none_or(|m| m.0 > t.0) {
                    *mine = Some(t.clone());
                }
            }
        }
    }

    /// The file's order; an error at the later of two rows that contradict each other.
    pub(crate) fn decide(&self, hints: &Hints, field: &str) -> Result<DateOrder, ImportError> {
        match (&self.day_first, &self.month_first) {
            (Some(dm), Some(md)) => {
                let (late, early, late_reads, early_reads) = if md.0 > dm.0 {
                    (md, dm, "month/day", "day/month")
                } else {
                    (dm, md, "day/month", "month/day")
                };
                Err(ImportError::at(
                    late.0,
                    field,
                    format!(
                        "'{}' can only be {late_reads}, but line {} has '{}', which can only be {early_reads}: one file uses one date order",
                        late.1, early.0, early.1
                    ),
                ))
            }
            (Some(_), None) => Ok(DateOrder::DayMonth),
            (None, Some(_)) => Ok(DateOrder::MonthDay),
            (None, None) => Ok(order_for_country(hints)),
        }
    }
}

/// US institutions write month first; everyone else day first.
pub(crate) fn order_for_country(hints: &Hints) -> DateOrder {
    let us = hints.country.as_deref().map(str::trim).is_some_and(|c| {
        [
            "us",
            "usa",
            "united states",
            "united states of america",
            "en-us",
        ]
        .iter()
        .any(|u| c.eq_ignore_ascii_case(u))
    });
    if us {
        DateOrder::MonthDay
    } else {
        DateOrder::DayMonth
    }
}

/// The OFX date form `YYYYMMDD[HHMMSS[.XXX]][[-5:EST]]` and its real-world variants
/// (`20180804093914:014`, `[-3:GMT]`, `[-:EST]`): the first eight digits are the date as
/// the bank wrote it; the time and zone are not needed for a statement date. `None` for
/// an empty or all-zero value.
pub(crate) fn ofx(value: &str) -> Option<NaiveDate> {
    let b = value.trim().as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits >= 8 {
        let n = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        return NaiveDate::from_ymd_opt(n(0..4) as i32, n(4..6), n(6..8));
    }
    // A few exporters write ISO dates into OFX.
    match scan(value) {
        Some(RawDate::Known(d)) => Some(d),
        _ => None,
    }
}

/// Reads the shape of a CSV or QIF date: `dd/mm/yyyy`, `dd/mm/yy`, `mm/dd'yy` (QIF),
/// `dd.mm.yyyy`, `dd-mm-yyyy`, ISO `2026-08-21` (with or without a time, e.g.
/// `2026-08-21T10:15:00+10:00`), `2026/08/21`, `20260821`, `21 Aug 26`, `21-Aug-2026`,
/// `Aug 21, 2026`. A time after the date is allowed and ignored. `None` if the value is
/// not a date at all (including `32/13/2026`: neither part can be the month).
pub(crate) fn scan(value: &str) -> Option<RawDate> {
    let mut c = Cursor {
        b: value.trim().as_bytes(),
        i: 0,
    };
    if c.b.first().is_some_and(u8::is_ascii_alphabetic) {
        // Aug 21, 2026
        let month = c.month()?;
        c.skip(b" -.");
        let (day, _) = c.number(2)?;
        c.skip(b" ,-.");
        let year = c.year()?;
        return c.finish(known(year, month, day));
    }
    let (n1, len1) = c.number(8)?;
    match len1 {
        8 => c.finish(known((n1 / 10000) as i32, n1 / 100 % 100, n1 % 100)),
        4 => {
            let sep = c.sep(b"-/.")?;
            let (m, _) = c.number(2)?;
            c.expect(sep)?;
            let (d, _) = c.number(2)?;
            c.finish(known(n1 as i32, m, d))
        }
        1 | 2 => {
            let before = c.i;
            c.skip(b" -.");
            if let Some(month) = c.month() {
                c.skip(b" -.,");
                let year = c.year()?;
                return c.finish(known(year, month, n1));
            }
            c.i = before;
            c.skip(b" ");
            let sep = c.sep(b"/.-")?;
            c.skip(b" ");
            let (n2, _) = c.number(2)?;
            // QIF writes mm/dd'yy for years from 2000.
            let apostrophe = c.peek() == Some(b'\'');
            if apostrophe {
                c.i += 1;
            } else {
                c.expect(sep)?;
            }
            c.skip(b" ");
            let (y, ylen) = c.number(4)?;
            let year = match (ylen, apostrophe) {
                (4, _) => y as i32,
                (1 | 2, true) => 2000 + y as i32,
                (2, false) => pivot(y),
                _ => return None,
            };
            let plausible =
                (1..=31).contains(&n1) && (1..=31).contains(&n2) && (n1 <= 12 || n2 <= 12);
            if !plausible {
                return None;
            }
            c.finish(Some(RawDate::Numeric {
                first: n1,
                second: n2,
                year,
            }))
        }
        _ => None,
    }
}

/// Two-digit years: `26` is 2026, `97` is 1997.
fn pivot(y: u32) -> i32 {
    if y < 70 {
        2000 + y as i32
    } else {
        1900 + y as i32
    }
}

fn known(year: i32, month: u32, day: u32) -> Option<RawDate> {
    NaiveDate::from_ymd_opt(year, month, day).map(RawDate::Known)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Up to `max` digits; their value and count.
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut n = 0u32;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            if self.i - start == max {
                return None;
            }
            n = n * 10 + u32::from(d - b'0');
            self.i += 1;
        }
        let len = self.i - start;
        (len > 0).then_some((n, len))
    }

    fn year(&mut self) -> Option<i32> {
        match self.number(4)? {
            (y, 4) => Some(y as i32),
            (y, 2) => Some(pivot(y)),
            _ => None,
        }
    }

    fn sep(&mut self, allowed: &[u8]) -> Option<u8> {
        let b = self.peek().filter(|b| allowed.contains(b))?;
        self.i += 1;
        Some(b)
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }

    fn skip(&mut self, set: &[u8]) {
        while self.peek().is_some_and(|b| set.contains(&b)) {
            self.i += 1;
        }
    }

    /// An English (or German) month name or its abbreviation.
    fn month(&mut self) -> Option<u32> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphabetic() || b >= 0x80)
        {
            self.i += 1;
        }
        let word = &self.b[start..self.i];
        // Lower-cased first three letters; `Ä`/`ä` (two bytes) as one.
        let mut head = [0u8; 4];
        let mut n = 0;
        let mut j = 0;
        while n < 3 && j < word.len() {
            if word[j] == 0xC3 && matches!(word.get(j + 1), Some(0x84 | 0xA4)) {
                head[n] = b'a' | 0x80; // a marker for ä
                j += 2;
            } else {
                head[n] = word[j].to_ascii_lowercase();
                j += 1;
            }
            n += 1;
        }
        const NAMES: [(&[u8; 3], u32); 17] = [
            (b"jan", 1),
            (b"feb", 2),
            (b"mar", 3),
            (&[b'm', b'a' | 0x80, b'r'], 3),
            (b"mrz", 3),
            (b"apr", 4),
            (b"may", 5),
            (b"mai", 5),
            (b"jun", 6),
            (b"jul", 7),
            (b"aug", 8),
            (b"sep", 9),
            (b"oct", 10),
            (b"okt", 10),
            (b"nov", 11),
            (b"dec", 12),
            (b"dez", 12),
        ];
        let found = if n == 3 && word.len() <= 10 {
            NAMES
                .iter()
                .find(|(abbr, _)| head[..3] == abbr[..])
                .map(|&(_, m)| m)
        } else {
            None
        };
        if found.is_none() {
            self.i = start;
        }
        found
    }

    /// Nothing left but a time (`10:15`, `T10:15:00+10:00`, ` 10:15 AM`).
    fn finish(&self, date: Option<RawDate>) -> Option<RawDate> {
        let rest = &self.b[self.i..];
        let ok = match rest.first() {
            None => true,
            Some(b'T' | b' ') => rest[1..]
                .iter()
                .find(|b| **b != b' ')
                .is_some_and(u8::is_ascii_digit),
            _ => false,
        };
        if ok {
            date
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn resolve(s: &str, order: DateOrder) -> Option<NaiveDate> {
        scan(s)?.resolve(order)
    }

    #[test]
    fn numeric_dates_follow_the_order() {
        use DateOrder::*;
        assert_eq!(resolve("21/08/2026", DayMonth), Some(d(2026, 8, 21)));
        assert_eq!(resolve("03/04/2026", DayMonth), Some(d(2026, 4, 3)));
        assert_eq!(resolve("03/04/2026", MonthDay), Some(d(2026, 3, 4)));
        assert_eq!(resolve("3/4/26", DayMonth), Some(d(2026, 4, 3)));
        assert_eq!(resolve("21.08.2026", DayMonth), Some(d(2026, 8, 21)));
        assert_eq!(resolve("21-08-2026", DayMonth), Some(d(2026, 8, 21)));
        assert_eq!(resolve("21/08/97", DayMonth), Some(d(1997, 8, 21)));
        assert_eq!(resolve("21/08/2026 10:15", DayMonth), Some(d(2026, 8, 21)));
        assert_eq!(resolve("31/02/2026", DayMonth), None);
    }

    #[test]
    fn qif_apostrophe_years_are_2000s() {
        assert_eq!(
            resolve("12/25'06", DateOrder::MonthDay),
            Some(d(2006, 12, 25))
        );
        assert_eq!(
            resolve(" 1/ 5'07", DateOrder::MonthDay),
            Some(d(2007, 1, 5))
        );
        assert_eq!(
            resolve("8/21'26", DateOrder::MonthDay),
            Some(d(2026, 8, 21))
        );
    }

    #[test]
    fn named_months_and_iso_need_no_order() {
        for s in [
            "21 Aug 26",
            "21 Aug 2026",
            "21-Aug-2026",
            "21 August 2026",
            "Aug 21, 2026",
            "2026-08-21",
            "2026-08-21T10:15:00+10:00",
            "2026-08-21 10:15:00",
            "2026/08/21",
            "20260821",
            "21 Okt 2026",
            "21 MÄR 2026",
        ] {
            let want = if s.contains("Okt") {
                d(2026, 10, 21)
            } else if s.contains("MÄR") {
                d(2026, 3, 21)
            } else {
                d(2026, 8, 21)
            };
            assert_eq!(scan(s), Some(RawDate::Known(want)), "{s}");
        }
    }

    #[test]
    fn non_dates_are_refused() {
        for s in [
            "32/13/2026",
            "13/13/2026",
            "0/5/2026",
            "abc",
            "",
            "-84.20",
            "21/08",
            "21/08/2026x",
            "2026-13-01",
            "21 Foo 2026",
            "1234.56",
            "21/08/202",
            "00000000",
        ] {
            assert_eq!(scan(s), None, "{s}");
        }
    }

    #[test]
    fn the_order_is_decided_once_from_all_rows() {
        let hints = Hints::default();
        let us = Hints {
            country: Some("United States".into()),
            ..Hints::default()
        };
        let mut votes = OrderVotes::default();
        for (line, s) in [(1, "03/04/2026"), (2, "05/06/2026")] {
            votes.add(scan(s).unwrap(), line, s);
        }
        assert_eq!(votes.decide(&hints, "date").unwrap(), DateOrder::DayMonth);
        assert_eq!(votes.decide(&us, "date").unwrap(), DateOrder::MonthDay);
        votes.add(scan("08/21/2026").unwrap(), 3, "08/21/2026");
        assert_eq!(votes.decide(&hints, "date").unwrap(), DateOrder::MonthDay);
        votes.add(scan("21/08/2026").unwrap(), 7, "21/08/2026");
        let err = votes.decide(&hints, "date").unwrap_err();
        assert_eq!(err.line, Some(7));
        assert!(err.detail.contains("line 3"), "{}", err.detail);
    }

    #[test]
    fn ofx_dates_in_every_form_seen() {
        for s in [
            "20260821",
            "20260821101500",
            "20260821101500.000",
            "20091217162416.000[-5:EST]",
            "20180804093914:014",
            "20260821120000[-3:GMT]",
            "20260821[-:EST]",
            " 20260821 ",
        ] {
            assert!(ofx(s).is_some(), "{s}");
        }
        assert_eq!(ofx("20091217162416.000[-5:EST]"), Some(d(2009, 12, 17)));
        assert_eq!(ofx("00000000"), None);
        assert_eq!(ofx("00000000000000.000"), None);
        assert_eq!(ofx(""), None);
        assert_eq!(ofx("2026-08-21"), Some(d(2026, 8, 21)));
    }
}
