//! Typed filter builders: write `?filter=` conditions with field names, operators and
//! values checked by the compiler, and get exactly the contract's filter text (the
//! text [`Filter`]'s parser reads back, which the property tests check).
//!
//! ```
//! use tally_api::client::filter_builder::{Cmp, Date, TransactionFilter, TransactionStatus};
//! let f = TransactionFilter::new()
//!     .account_id(Cmp::eq("a1"))
//!     .post_date(Cmp::between(Date::new(2018, 1, 1).unwrap(), Date::new(2018, 2, 1).unwrap()))
//!     .status(Cmp::eq(TransactionStatus::Posted));
//! assert_eq!(
//!     f.to_string(),
//!     "account.id.eq('a1'),transaction.postDate.bt('2018-01-01','2018-02-01'),transaction.status.eq('posted')"
//! );
//! ```

use std::fmt;
use std::str::FromStr;

use crate::filter::{Condition, FieldSpec, Filter, FilterError, Op, ACCOUNT_FIELDS, CONNECTION_FIELDS, JOB_FIELDS, TRANSACTION_FIELDS};

/// A value that can stand in a filter: its text on the wire.
pub trait FilterValue {
    /// The value as the filter language carries it (before quoting).
    fn filter_text(&self) -> String;
}

impl FilterValue for &str {
    fn filter_text(&self) -> String {
        (*self).to_string()
    }
}

impl FilterValue for String {
    fn filter_text(&self) -> String {
        self.clone()
    }
}

/// A calendar date, `YYYY-MM-DD` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, when it exists (leap years included).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year <= 9999 && (1..=days).contains(&day)).then_some(Date { year, month, day })
    }

    /// Year, month (1–12) and day (1–31).
    pub fn parts(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// The date `days` days after 1970-01-01 (negative: before), e.g. today from the
    /// system clock: `Date::from_unix_days(secs_since_epoch / 86_400)`. `None` outside
    /// years 0–9999.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month, day)
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_unix_days`]).
    pub fn to_unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `n` days later (earlier when negative), if still in years 0–9999.
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_unix_days(self.to_unix_days().checked_add(n)?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = FilterError;

    /// Reads `YYYY-MM-DD` (or the date part of an RFC 3339 timestamp).
    fn from_str(s: &str) -> Result<Date, FilterError> {
        let bad = || FilterError { message: format!("'{s}' is not a date; expected YYYY-MM-DD."), position: None };
        let d = s.get(..10).ok_or_else(bad)?;
        let b = d.as_bytes();
        if b[4] != b'-' || b[7] != b'-' || (s.len() > 10 && s.as_bytes()[10] != b'T') {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| d.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit())).and_then(|p| p.parse::<u16>().ok());
        let (y, m, dd) = (num(0..4).ok_or_else(bad)?, num(5..7).ok_or_else(bad)?, num(8..10).ok_or_else(bad)?);
        Date::new(y, m as u8, dd as u8).ok_or_else(bad)
    }
}

impl FilterValue for Date {
    fn filter_text(&self) -> String {
        self.to_string()
    }
}

/// Declares a closed set of filter words as an enum.
// The words a filter compares with are the contract's own (`crate::vocab`): a value
// this version does not know (`Unknown`) is sent as it is.
macro_rules! filter_words {
    ($($name:ident),+) => {
        $(impl FilterValue for crate::vocab::$name {
            fn filter_text(&self) -> String {
                self.as_str().to_string()
            }
        })+
    };
}

filter_words!(TransactionStatus, Direction, TransactionClass, ConnectionStatus);
pub use crate::vocab::{ConnectionStatus, Direction, TransactionClass, TransactionStatus};

/// A comparison on one field: an operator with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmp<V> {
    op: Op,
    values: Vec<V>,
}

impl<V: FilterValue> Cmp<V> {
    fn one(op: Op, v: V) -> Self {
        Cmp { op, values: vec![v] }
    }
    /// `eq`: equal to `v`.
    pub fn eq(v: V) -> Self {
        Cmp::one(Op::Eq, v)
    }
    /// `ne`: not equal to `v`.
    pub fn ne(v: V) -> Self {
        Cmp::one(Op::Ne, v)
    }
    /// `gt`: after / greater than `v`.
    pub fn gt(v: V) -> Self {
        Cmp::one(Op::Gt, v)
    }
    /// `gteq`: `v` or after.
    pub fn gteq(v: V) -> Self {
        Cmp::one(Op::Gteq, v)
    }
    /// `lt`: before / less than `v`.
    pub fn lt(v: V) -> Self {
        Cmp::one(Op::Lt, v)
    }
    /// `lteq`: `v` or before.
    pub fn lteq(v: V) -> Self {
        Cmp::one(Op::Lteq, v)
    }
    /// `bt`: from `low` to `high`, both included. The server refuses a reversed range.
    pub fn between(low: V, high: V) -> Self {
        Cmp { op: Op::Bt, values: vec![low, high] }
    }
    /// `in`: any of `values`. An empty list makes a filter the server refuses.
    pub fn one_of(values: impl IntoIterator<Item = V>) -> Self {
        Cmp { op: Op::In, values: values.into_iter().collect() }
    }

    fn on(&self, field: &str) -> Condition {
        Condition { field: field.to_string(), op: self.op, values: self.values.iter().map(FilterValue::filter_text).collect() }
    }
}

/// Anything a list endpoint accepts as its filter: a builder, a parsed [`Filter`],
/// or `()` for none.
pub trait ToFilter {
    /// The conditions to send (none means no `filter` parameter).
    fn to_filter(&self) -> Filter;
}

impl ToFilter for Filter {
    fn to_filter(&self) -> Filter {
        self.clone()
    }
}

impl ToFilter for () {
    fn to_filter(&self) -> Filter {
        Filter::default()
    }
}

impl<T: ToFilter> ToFilter for &T {
    fn to_filter(&self) -> Filter {
        (*self).to_filter()
    }
}

impl<T: ToFilter> ToFilter for Option<T> {
    fn to_filter(&self) -> Filter {
        self.as_ref().map(ToFilter::to_filter).unwrap_or_default()
    }
}

/// Declares a builder for one resource's filterable fields.
macro_rules! builder {
    ($(#[$doc:meta])* $name:ident, $fields:expr, { $($(#[$fdoc:meta])* $method:ident : $ty:ty = $field:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            filter: Filter,
        }

        impl $name {
            /// An empty filter (everything matches).
            pub fn new() -> Self {
                Self::default()
            }

            $(
                $(#[$fdoc])*
                pub fn $method(mut self, cmp: Cmp<$ty>) -> Self {
                    self.filter.conditions.push(cmp.on($field));
                    self
                }
            )+

            /// The fields this resource can be filtered on.
            pub fn fields() -> &'static [FieldSpec] {
                $fields
            }

            /// The filter as the parser's type.
            pub fn build(&self) -> Filter {
                self.filter.clone()
            }

            /// Checks the values as the server will (dates real, ranges in order, `in`
            /// not empty), so a mistake shows before the request goes out.
            pub fn validate(&self) -> Result<(), FilterError> {
                self.filter.validate($fields)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.filter, f)
            }
        }

        impl ToFilter for $name {
            fn to_filter(&self) -> Filter {
                self.build()
            }
        }

        impl From<$name> for Filter {
            fn from(b: $name) -> Filter {
                b.filter
            }
        }
    };
}

builder!(
    /// Filter of `GET /users/{id}/transactions`.
    TransactionFilter, TRANSACTION_FIELDS, {
        /// `account.id`
        account_id: &str = "account.id",
        /// `connection.id`
        connection_id: &str = "connection.id",
        /// `institution.id`
        institution_id: &str = "institution.id",
        /// `transaction.id`
        transaction_id: &str = "transaction.id",
        /// `transaction.postDate` (pending transactions have none)
        post_date: Date = "transaction.postDate",
        /// `transaction.transactionDate`
        transaction_date: Date = "transaction.transactionDate",
        /// `transaction.status`
        status: TransactionStatus = "transaction.status",
        /// `transaction.direction`
        direction: Direction = "transaction.direction",
        /// `transaction.class`
        class: TransactionClass = "transaction.class",
    }
);

builder!(
    /// Filter of `GET /users/{id}/accounts`.
    AccountFilter, ACCOUNT_FIELDS, {
        /// `account.id`
        account_id: &str = "account.id",
        /// `connection.id`
        connection_id: &str = "connection.id",
        /// `institution.id`
        institution_id: &str = "institution.id",
    }
);

builder!(
    /// Filter of `GET /users/{id}/connections`.
    ConnectionFilter, CONNECTION_FIELDS, {
        /// `connection.id`
        connection_id: &str = "connection.id",
        /// `institution.id`
        institution_id: &str = "institution.id",
        /// `connection.status`
        status: ConnectionStatus = "connection.status",
    }
);

builder!(
    /// Filter of `GET /users/{id}/jobs`.
    JobFilter, JOB_FIELDS, {
        /// `connection.id`
        connection_id: &str = "connection.id",
        /// `job.id`
        job_id: &str = "job.id",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2023, 13, 1).is_none());
        assert_eq!("2020-03-04".parse::<Date>().unwrap().to_string(), "2020-03-04");
        assert_eq!("2020-03-04T10:00:00Z".parse::<Date>().unwrap().parts(), (2020, 3, 4));
        for bad in ["2020-3-4", "20200304", "2020-02-30", "", "2020-03-04x", "२०२०-03-04"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn converts_days_since_the_epoch() {
        assert_eq!(Date::from_unix_days(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(19_782).unwrap().to_string(), "2024-02-29");
        assert_eq!(Date::new(2024, 3, 1).unwrap().add_days(-1).unwrap().to_string(), "2024-02-29");
        for days in (-719_000..2_900_000).step_by(997) {
            assert_eq!(Date::from_unix_days(days).unwrap().to_unix_days(), days);
        }
        assert!(Date::from_unix_days(i64::MAX).is_none());
    }

    #[test]
    fn builds_the_contract_text_for_each_resource() {
        let j = JobFilter::new().connection_id(Cmp::eq("c1"));
        assert_eq!(j.to_string(), "connection.id.eq('c1')");
        let c = ConnectionFilter::new().status(Cmp::one_of([ConnectionStatus::Active, ConnectionStatus::Pending]));
        assert_eq!(c.to_string(), "connection.status.in('active','pending')");
        let a = AccountFilter::new().institution_id(Cmp::ne("AU00000"));
        assert_eq!(a.to_string(), "institution.id.ne('AU00000')");
        let t = TransactionFilter::new().account_id(Cmp::eq("it's")).class(Cmp::eq(TransactionClass::BankFee));
        assert_eq!(t.to_string(), "account.id.eq('it''s'),transaction.class.eq('bank-fee')");
        assert_eq!(Filter::parse(&t.to_string()).unwrap(), t.build());
        t.validate().unwrap();
    }

    #[test]
    fn validation_catches_what_the_server_would_refuse() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let reversed = TransactionFilter::new().post_date(Cmp::between(d("2020-02-01"), d("2020-01-01")));
        assert!(reversed.validate().unwrap_err().message.contains("reversed"));
        let empty = TransactionFilter::new().account_id(Cmp::one_of(Vec::<&str>::new()));
        assert!(empty.validate().is_err());
    }

    #[test]
    fn anything_filter_like_converts() {
        assert_eq!(().to_filter(), Filter::default());
        assert_eq!(None::<JobFilter>.to_filter(), Filter::default());
        let j = JobFilter::new().job_id(Cmp::eq("j"));
        assert_eq!(Some(&j).to_filter(), Filter::from(j.clone()));
    }
}
