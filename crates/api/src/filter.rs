//! The contract's filter language: `account.id.eq('a1'),transaction.postDate.bt('2018-01-01','2018-02-01')`.
//!
//! Pure code shared by the server (which turns a [`Filter`] into SQL) and the widget
//! (which evaluates the same filter client-side with [`Condition::matches`]), so both
//! agree on what a filter means and on which filters are malformed.
//!
//! Grammar (comma = AND; whitespace around tokens is ignored):
//! ```text
//! filter    := condition ("," condition)*
//! condition := field "." op "(" value ("," value)* ")"
//! field     := segment ("." segment)*        e.g. transaction.postDate
//! value     := "'" ( [^'] | "''" )* "'"      a quote inside a value is doubled
//! ```

use std::fmt;

/// A comparison operator of the filter language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Equal to the value (`eq`).
    Eq,
    /// Not equal to the value (`ne`); also holds when the field has no value.
    Ne,
    /// Greater than the value (`gt`), comparing as strings.
    Gt,
    /// Greater than or equal to the value (`gteq`), comparing as strings.
    Gteq,
    /// Less than the value (`lt`), comparing as strings.
    Lt,
    /// Less than or equal to the value (`lteq`), comparing as strings.
    Lteq,
    /// Between, inclusive at both ends: exactly two values.
    Bt,
    /// One of the values: at least one.
    In,
}

impl Op {
    /// Every operator, in the order the contract lists them.
    pub const ALL: [Op; 8] = [Op::Eq, Op::Ne, Op::Gt, Op::Gteq, Op::Lt, Op::Lteq, Op::Bt, Op::In];

    /// The operator's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Gteq => "gteq",
            Op::Lt => "lt",
            Op::Lteq => "lteq",
            Op::Bt => "bt",
            Op::In => "in",
        }
    }

    /// Parses an operator name (`eq`, `bt`, …).
    pub fn parse(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == name)
    }

    /// Whether `n` values suit this operator.
    fn accepts_arity(self, n: usize) -> bool {
        match self {
            Op::Bt => n == 2,
            Op::In => n >= 1,
            _ => n == 1,
        }
    }

    fn arity_text(self) -> &'static str {
        match self {
            Op::Bt => "exactly two values",
            Op::In => "at least one value",
            _ => "exactly one value",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `field.op(values)` term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Dotted field name, e.g. `transaction.postDate`.
    pub field: String,
    /// The comparison to apply.
    pub op: Op,
    /// The values, unquoted (a doubled quote already undone to one).
    pub values: Vec<String>,
}

impl Condition {
    /// Builds a condition (no validation: [`Filter::validate`] does that).
    pub fn new(field: impl Into<String>, op: Op, values: &[&str]) -> Self {
        Condition { field: field.into(), op, values: values.iter().map(|v| v.to_string()).collect() }
    }

    /// Evaluates the condition against a field's value, comparing as strings (ids, enums
    /// and `YYYY-MM-DD` dates all order correctly that way). Dates are compared on
    /// their first ten characters so `2018-01-01T00:00:00Z` matches `eq('2018-01-01')`.
    /// A missing value (e.g. the post date of a pending transaction) matches only `ne`.
    pub fn matches(&self, value: Option<&str>) -> bool {
        let Some(value) = value else { return self.op == Op::Ne };
        // `get`, not `[..10]`: a value with a multi-byte character there must not panic.
        let date_like = |s: &str| s.get(..10).is_some_and(is_date);
        let norm = |s: &'_ str| -> String {
            if date_like(s) && self.values.iter().all(|v| v.len() == 10 && is_date(v)) {
                s[..10].to_string()
            } else {
                s.to_string()
            }
        };
        let v = norm(value);
        let v = v.as_str();
        let first = self.values.first().map(String::as_str).unwrap_or("");
        match self.op {
            Op::Eq => v == first,
            Op::Ne => v != first,
            Op::Gt => v > first,
            Op::Gteq => v >= first,
            Op::Lt => v < first,
            Op::Lteq => v <= first,
            Op::Bt => self.values.len() == 2 && v >= first && v <= self.values[1].as_str(),
            Op::In => self.values.iter().any(|x| x == v),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}(", self.field, self.op)?;
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "'{}'", v.replace('\'', "''"))?;
        }
        f.write_str(")")
    }
}

/// A parsed filter: all conditions must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The conditions in the order written; all must hold (an empty list matches everything).
    pub conditions: Vec<Condition>,
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.conditions.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// Why a filter was refused. The message names the problem and where it is, so it can
/// go straight into an error's `detail`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    /// What is wrong, for a human; names the character position when the problem is local.
    pub message: String,
    /// Byte offset in the filter text where the problem was found, when it is local.
    pub position: Option<usize>,
}

impl FilterError {
    fn at(position: usize, message: impl Into<String>) -> Self {
        FilterError { message: format!("{} (at character {})", message.into(), position + 1), position: Some(position) }
    }
    fn whole(message: impl Into<String>) -> Self {
        FilterError { message: message.into(), position: None }
    }
}

/// What kind of values a filterable field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An opaque id: any non-empty string.
    Id,
    /// A calendar date `YYYY-MM-DD` (a full RFC 3339 timestamp is also accepted and
    /// compared by its date).
    Date,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
}

/// A field a resource can be filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name in filter text, e.g. `transaction.postDate`.
    pub name: &'static str,
    /// What values the field accepts.
    pub kind: FieldKind,
}

/// Most values one filter may carry, all conditions together: each becomes a bound
/// parameter of one SQL statement, and databases cap those (SQLite at 32,766).
pub const MAX_VALUES: usize = 1000;

/// Fields of `GET /users/{id}/transactions?filter=`.
pub const TRANSACTION_FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "account.id", kind: FieldKind::Id },
    FieldSpec { name: "connection.id", kind: FieldKind::Id },
    FieldSpec { name: "institution.id", kind: FieldKind::Id },
    FieldSpec { name: "transaction.id", kind: FieldKind::Id },
    FieldSpec { name: "transaction.postDate", kind: FieldKind::Date },
    FieldSpec { name: "transaction.transactionDate", kind: FieldKind::Date },
    FieldSpec { name: "transaction.status", kind: FieldKind::Enum(crate::TransactionStatus::WORDS) },
    FieldSpec { name: "transaction.direction", kind: FieldKind::Enum(crate::Direction::WORDS) },
    FieldSpec { name: "transaction.class", kind: FieldKind::Enum(crate::TransactionClass::WORDS) },
];

/// Fields of `GET /users/{id}/accounts?filter=`.
pub const ACCOUNT_FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "account.id", kind: FieldKind::Id },
    FieldSpec { name: "connection.id", kind: FieldKind::Id },
    FieldSpec { name: "institution.id", kind: FieldKind::Id },
];

/// Fields of `GET /users/{id}/connections?filter=`.
pub const CONNECTION_FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "connection.id", kind: FieldKind::Id },
    FieldSpec { name: "institution.id", kind: FieldKind::Id },
    FieldSpec { name: "connection.status", kind: FieldKind::Enum(crate::ConnectionStatus::WORDS) },
];

/// Fields of `GET /connectors?filter=` (3.0).
pub const CONNECTOR_FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "connector.id", kind: FieldKind::Id },
    FieldSpec { name: "connector.method", kind: FieldKind::Enum(&["web", "csv"]) },
    FieldSpec { name: "connector.stage", kind: FieldKind::Id },
];

/// Fields of `GET /events?filter=` (3.0).
pub const EVENT_FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "user.id", kind: FieldKind::Id },
    FieldSpec { name: "event.entity", kind: FieldKind::Enum(&["connection", "consent"]) },
    FieldSpec { name: "event.type", kind: FieldKind::Enum(&["created", "updated", "deleted", "revoked", "expired", "archived"]) },
];

/// Fields of `GET /users/{id}/jobs?filter=`.
pub const JOB_FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "connection.id", kind: FieldKind::Id },
    FieldSpec { name: "job.id", kind: FieldKind::Id },
];

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

impl Filter {
    /// Parses filter text. Empty (or all-blank) text is the empty filter.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        Parser { s: text, pos: 0 }.filter()
    }

    /// Parses and validates against the fields a resource allows.
    pub fn parse_for(text: &str, fields: &[FieldSpec]) -> Result<Filter, FilterError> {
        let f = Filter::parse(text)?;
        f.validate(fields)?;
        Ok(f)
    }

    /// Checks every condition names an allowed field and carries values of the right
    /// kind and number. Dates are normalised to `YYYY-MM-DD` by [`Filter::normalised`].
    pub fn validate(&self, fields: &[FieldSpec]) -> Result<(), FilterError> {
        let values: usize = self.conditions.iter().map(|c| c.values.len()).sum();
        if values > MAX_VALUES {
            return Err(FilterError::whole(format!("A filter takes at most {MAX_VALUES} values in all, got {values}.")));
        }
        for c in &self.conditions {
            let Some(spec) = fields.iter().find(|f| f.name == c.field) else {
                let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                return Err(FilterError::whole(format!(
                    "Unknown filter field '{}'; expected one of {}.",
                    c.field,
                    names.join(", ")
                )));
            };
            if !c.op.accepts_arity(c.values.len()) {
                return Err(FilterError::whole(format!(
                    "Operator '{}' on '{}' takes {}, got {}.",
                    c.op,
                    c.field,
                    c.op.arity_text(),
                    c.values.len()
                )));
            }
            for v in &c.values {
                match spec.kind {
                    FieldKind::Id if v.is_empty() => {
                        return Err(FilterError::whole(format!("Empty value for '{}'.", c.field)));
                    }
                    FieldKind::Date if !v.get(..10).is_some_and(is_date) || !(v.len() == 10 || v.as_bytes()[10] == b'T') => {
                        return Err(FilterError::whole(format!(
                            "'{v}' is not a date for '{}'; expected YYYY-MM-DD.",
                            c.field
                        )));
                    }
                    FieldKind::Enum(words) if !words.contains(&v.as_str()) => {
                        return Err(FilterError::whole(format!(
                            "'{v}' is not a valid value for '{}'; expected one of {}.",
                            c.field,
                            words.join(", ")
                        )));
                    }
                    _ => {}
                }
            }
            if c.op == Op::Bt && c.values[0] > c.values[1] {
                return Err(FilterError::whole(format!(
                    "Range for '{}' is reversed: '{}' is after '{}'.",
                    c.field, c.values[0], c.values[1]
                )));
            }
        }
        Ok(())
    }

    /// The same filter with date values cut to `YYYY-MM-DD`, as stored.
    pub fn normalised(&self, fields: &[FieldSpec]) -> Filter {
        let mut f = self.clone();
        for c in &mut f.conditions {
            if fields.iter().any(|s| s.name == c.field && s.kind == FieldKind::Date) {
                for v in &mut c.values {
                    v.truncate(10);
                }
            }
        }
        f
    }

    /// The conditions on one field.
    pub fn on<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions.iter().filter(move |c| c.field == field)
    }

    /// Whether every condition holds, looking each field's value up with `value_of`.
    pub fn matches<'v>(&self, value_of: impl Fn(&str) -> Option<&'v str>) -> bool {
        self.conditions.iter().all(|c| c.matches(value_of(&c.field)))
    }
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    fn skip_ws(&mut self) {
        while let Some(c) = self.rest().chars().next() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn expect(&mut self, want: char, what: &str) -> Result<(), FilterError> {
        self.skip_ws();
        match self.peek() {
            Some(c) if c == want => {
                self.pos += 1;
                Ok(())
            }
            Some(c) => Err(FilterError::at(self.pos, format!("Expected {what} but found '{c}'"))),
            None => Err(FilterError::at(self.pos, format!("Expected {what} but the filter ended"))),
        }
    }

    fn filter(mut self) -> Result<Filter, FilterError> {
        let mut conditions = Vec::new();
        self.skip_ws();
        if self.peek().is_none() {
            return Ok(Filter { conditions });
        }
        loop {
            conditions.push(self.condition()?);
            self.skip_ws();
            match self.peek() {
                None => break,
                Some(',') => self.pos += 1,
                Some(c) => return Err(FilterError::at(self.pos, format!("Expected ',' between conditions but found '{c}'"))),
            }
        }
        Ok(Filter { conditions })
    }

    /// `a.b.op(` : the dotted path up to the parenthesis; the last segment is the operator.
    fn condition(&mut self) -> Result<Condition, FilterError> {
        self.skip_ws();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                self.pos += 1;
            } else {
                break;
            }
        }
        let path = &self.s[start..self.pos];
        if path.is_empty() {
            return match self.peek() {
                Some(c) => Err(FilterError::at(self.pos, format!("Expected a field name but found '{c}'"))),
                None => Err(FilterError::at(self.pos, "Expected a condition after ','")),
            };
        }
        let Some((field, op_name)) = path.rsplit_once('.') else {
            return Err(FilterError::at(start, format!("'{path}' lacks an operator; write e.g. {path}.eq('…')")));
        };
        if field.is_empty() || field.split('.').any(str::is_empty) {
            return Err(FilterError::at(start, format!("'{path}' is not a field name")));
        }
        let Some(op) = Op::parse(op_name) else {
            self.skip_ws();
            if self.peek() != Some('(') {
                return Err(FilterError::at(start, format!("'{path}' lacks an operator; write e.g. {path}.eq('…')")));
            }
            return Err(FilterError::at(
                start + field.len() + 1,
                format!("Unknown operator '{op_name}'; expected one of eq, ne, gt, gteq, lt, lteq, bt, in"),
            ));
        };
        self.expect('(', "'(' after the operator")?;
        let mut values = Vec::new();
        self.skip_ws();
        if self.peek() != Some(')') {
            loop {
                values.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => break,
                    Some(c) => return Err(FilterError::at(self.pos, format!("Expected ',' or ')' but found '{c}'"))),
                    None => return Err(FilterError::at(self.pos, "Missing ')'")),
                }
            }
        }
        self.expect(')', "')'")?;
        if !op.accepts_arity(values.len()) {
            return Err(FilterError::at(start, format!("Operator '{op}' takes {}, got {}", op.arity_text(), values.len())));
        }
        Ok(Condition { field: field.to_string(), op, values })
    }

    fn value(&mut self) -> Result<String, FilterError> {
        self.skip_ws();
        let open = self.pos;
        match self.peek() {
            Some('\'') => self.pos += 1,
            Some(c) => return Err(FilterError::at(self.pos, format!("Values must be single-quoted, found '{c}'"))),
            None => return Err(FilterError::at(self.pos, "Expected a quoted value but the filter ended")),
        }
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(FilterError::at(open, "Unterminated quoted value"));
            };
            self.pos += c.len_utf8();
            if c == '\'' {
                if self.peek() == Some('\'') {
                    self.pos += 1;
                    out.push('\'');
                } else {
                    return Ok(out);
                }
            } else {
                out.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Any text, however odd, is a filter or an error: never a panic (the server
        /// and the widget both parse what users type).
        #[test]
        fn any_text_parses_or_errs_without_panicking(text in "\\PC{0,40}", value in "\\PC{0,14}") {
            for fields in [TRANSACTION_FIELDS, ACCOUNT_FIELDS] {
                if let Ok(f) = Filter::parse_for(&text, fields) {
                    for c in &f.conditions {
                        let _ = c.matches(Some(&value));
                    }
                }
            }
            let date = format!("transaction.postDate.eq('{value}')");
            let _ = Filter::parse_for(&date, TRANSACTION_FIELDS);
            let _ = Condition::new("transaction.postDate", Op::Eq, &["2018-01-01"]).matches(Some(&value));
        }
    }

    #[test]
    fn a_filter_has_a_bounded_number_of_values() {
        let ids = |n: usize| (0..n).map(|i| format!("'a{i}'")).collect::<Vec<_>>().join(",");
        assert!(Filter::parse_for(&format!("account.id.in({})", ids(MAX_VALUES)), TRANSACTION_FIELDS).is_ok());
        let e = Filter::parse_for(&format!("account.id.in({})", ids(40_000)), TRANSACTION_FIELDS).unwrap_err();
        assert!(e.to_string().contains("at most 1000 values"), "{e}");
    }

    #[test]
    fn multi_byte_characters_in_dates_are_errors_not_panics() {
        for bad in ["2018-01-0é", "2018-01-é1", "ééééééééééé", "2018-01-01é"] {
            let e = Filter::parse_for(&format!("transaction.postDate.eq('{bad}')"), TRANSACTION_FIELDS).unwrap_err();
            assert!(e.to_string().contains("not a date"), "{bad}: {e}");
        }
        let c = Condition::new("transaction.postDate", Op::Eq, &["2018-01-01"]);
        assert!(!c.matches(Some("2018-01-0é")));
        assert!(c.matches(Some("2018-01-01T10:00:00Z")));
    }

    #[test]
    fn parses_the_contract_example() {
        let f = Filter::parse("account.id.eq('a1'),transaction.postDate.bt('2018-01-01','2018-02-01')").unwrap();
        assert_eq!(
            f.conditions,
            vec![
                Condition::new("account.id", Op::Eq, &["a1"]),
                Condition::new("transaction.postDate", Op::Bt, &["2018-01-01", "2018-02-01"]),
            ]
        );
        f.validate(TRANSACTION_FIELDS).unwrap();
    }

    #[test]
    fn every_operator_parses_and_round_trips() {
        for op in Op::ALL {
            let vals: &[&str] = match op {
                Op::Bt => &["2020-01-01", "2020-02-01"],
                Op::In => &["2020-01-01", "2020-01-05", "2020-01-09"],
                _ => &["2020-01-01"],
            };
            let c = Condition::new("transaction.postDate", op, vals);
            let text = c.to_string();
            let f = Filter::parse_for(&text, TRANSACTION_FIELDS).unwrap();
            assert_eq!(f.conditions, vec![c], "{text}");
        }
    }

    #[test]
    fn tolerates_whitespace_and_doubled_quotes() {
        let f = Filter::parse(" connection.id.in( 'a' , 'b''c' ) , transaction.status.eq('posted') ").unwrap();
        assert_eq!(f.conditions[0].values, vec!["a", "b'c"]);
        assert_eq!(f.to_string(), "connection.id.in('a','b''c'),transaction.status.eq('posted')");
    }

    #[test]
    fn empty_text_is_the_empty_filter() {
        assert_eq!(Filter::parse("").unwrap(), Filter::default());
        assert_eq!(Filter::parse("   ").unwrap(), Filter::default());
    }

    #[test]
    fn malformed_filters_say_what_is_wrong() {
        let cases = [
            ("account.id", "lacks an operator"),
            ("account.id.eq", "'('"),
            ("account.id.eq('a'", "Missing ')'"),
            ("account.id.eq('a)", "Unterminated"),
            ("account.id.eq(a)", "single-quoted"),
            ("account.id.like('a')", "Unknown operator 'like'"),
            ("account.id.eq('a'),", "Expected a condition"),
            ("account.id.eq('a') account.id.eq('b')", "Expected ','"),
            ("account.id.bt('a')", "exactly two values"),
            ("account.id.eq('a','b')", "exactly one value"),
            ("account.id.in()", "at least one value"),
            (".eq('a')", "field name"),
            ("account..id.eq('a')", "not a field name"),
            ("(", "field name"),
        ];
        for (text, want) in cases {
            let err = Filter::parse(text).expect_err(text);
            assert!(err.message.contains(want), "{text}: {}", err.message);
        }
    }

    #[test]
    fn validation_checks_fields_and_values() {
        let bad = [
            ("account.name.eq('x')", "Unknown filter field 'account.name'"),
            ("transaction.postDate.eq('yesterday')", "not a date"),
            ("transaction.postDate.eq('2020-13-01')", "not a date"),
            ("transaction.status.eq('cleared')", "expected one of pending, posted"),
            ("transaction.direction.in('debit','sideways')", "sideways"),
            ("transaction.postDate.bt('2020-02-01','2020-01-01')", "reversed"),
            ("account.id.eq('')", "Empty value"),
        ];
        for (text, want) in bad {
            let err = Filter::parse_for(text, TRANSACTION_FIELDS).expect_err(text);
            assert!(err.message.contains(want), "{text}: {}", err.message);
        }
        Filter::parse_for("transaction.postDate.gteq('2020-01-01T00:00:00Z')", TRANSACTION_FIELDS).unwrap();
    }

    #[test]
    fn normalises_timestamps_to_dates() {
        let f = Filter::parse("transaction.postDate.lt('2020-01-01T10:00:00Z')").unwrap();
        assert_eq!(f.normalised(TRANSACTION_FIELDS).conditions[0].values, vec!["2020-01-01"]);
    }

    #[test]
    fn evaluates_client_side() {
        let f = Filter::parse("account.id.eq('a1'),transaction.postDate.bt('2018-01-01','2018-02-01')").unwrap();
        let row = |acc: &'static str, date: Option<&'static str>| {
            move |field: &str| match field {
                "account.id" => Some(acc),
                "transaction.postDate" => date,
                _ => None,
            }
        };
        assert!(f.matches(row("a1", Some("2018-02-01"))), "bt is inclusive");
        assert!(f.matches(row("a1", Some("2018-01-15T00:00:00Z"))));
        assert!(!f.matches(row("a1", Some("2018-02-02"))));
        assert!(!f.matches(row("a2", Some("2018-01-15"))));
        assert!(!f.matches(row("a1", None)), "pending has no post date");
        let ne = Filter::parse("transaction.postDate.ne('2018-01-01')").unwrap();
        assert!(ne.matches(|_| None));
        let isin = Filter::parse("account.id.in('a','b')").unwrap();
        assert!(isin.matches(|_| Some("b")) && !isin.matches(|_| Some("c")));
    }
}
