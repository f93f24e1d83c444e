//! Money as banks write it, to exact integer cents (never through a float): `+1,234.56`,
//! `-84.20`, `(12.50)`, `12.50 DR` / `12.50 CR`, `$`, `A$`, `€`, `£`, ISO codes before or
//! after, a trailing minus, and decimal commas (`1.234,56`, `-110,7 €`).
//!
//! Whether `,` or `.` is the decimal mark is decided per file from every value (see
//! [`evidence`]), like the day/month order of dates: `1,234` alone could be either.

/// Which character separates whole units from cents in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,234.56`
    Point,
    /// `1.234,56`
    Comma,
}

/// A money value taken apart: sign, the digits with their separators, and the currency
/// it named, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    pub negative: bool,
    /// Digits and separators only, e.g. `1.234,56`.
    pub body: &'a str,
    /// ISO code of a currency sign or code written with the value (`€` → `EUR`); empty
    /// for a sign that names no one currency (`$`).
    pub currency: Option<&'a str>,
    /// The value carried a sign, a currency, parentheses or DR/CR: it is money, not an id.
    pub marked: bool,
}

/// Length of the space at the start of `b`: ASCII whitespace, NBSP or narrow NBSP
/// (`1 234,56` is often written with one of the latter).
fn space_at(b: &[u8]) -> usize {
    match b {
        [b' ' | b'\t' | b'\r' | b'\n', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        [0xE2, 0x80, 0xAF, ..] => 3,
        _ => 0,
    }
}

/// Length of the space at the end of `b`.
fn space_before(b: &[u8]) -> usize {
    match b {
        [.., b' ' | b'\t' | b'\r' | b'\n'] => 1,
        [.., 0xC2, 0xA0] => 2,
        [.., 0xE2, 0x80, 0xAF] => 3,
        _ => 0,
    }
}

fn trim_start(mut s: &str) -> &str {
    loop {
        match space_at(s.as_bytes()) {
            0 => return s,
            n => s = &s[n..],
        }
    }
}

fn trim_end(mut s: &str) -> &str {
    loop {
        match space_before(s.as_bytes()) {
            0 => return s,
            n => s = &s[..s.len() - n],
        }
    }
}

fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

/// Sign prefixes and currency signs, longest first.
const SIGNS: [(&str, Option<&str>); 13] = [
    ("AU$", Some("AUD")),
    ("US$", Some("USD")),
    ("NZ$", Some("NZD")),
    ("CA$", Some("CAD")),
    ("A$", Some("AUD")),
    ("C$", Some("CAD")),
    ("$", None),
    ("€", Some("EUR")),
    ("£", Some("GBP")),
    ("¥", Some("JPY")),
    ("₹", Some("INR")),
    ("Fr.", Some("CHF")),
    ("kr", None),
];

/// Takes a money value apart; `None` if it is not one.
pub(crate) fn split(value: &str) -> Option<Parts<'_>> {
    // Cheap refusals first: CSV column recognition asks this of every description.
    let letters = value.bytes().filter(u8::is_ascii_alphabetic).count();
    if letters > 6 || !value.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut s = trim(value);
    let (mut minus, mut parens, mut debit, mut credit) = (false, false, false, false);
    let mut currency = None;
    let mut marked = false;
    // DR / CR suffix, after a digit, a space or a parenthesis.
    let b = s.as_bytes();
    let n = b.len();
    if n > 2 && matches!(b[n - 3], b'0'..=b'9' | b' ' | b')' | 0xA0 | 0xAF) {
        let tail = &b[n - 2..];
        if tail.eq_ignore_ascii_case(b"dr") {
            debit = true;
        } else if tail.eq_ignore_ascii_case(b"cr") {
            credit = true;
        }
        if debit || credit {
            s = trim_end(&s[..n - 2]);
        }
    }
    if s.len() >= 2 && s.as_bytes()[0] == b'(' && s.as_bytes()[s.len() - 1] == b')' {
        parens = true;
        s = trim(&s[1..s.len() - 1]);
    }
    // Prefixes: a sign and a currency, in either order.
    for _ in 0..2 {
        let minus_len = match s.as_bytes() {
            [b'-', ..] => 1,
            [0xE2, 0x88, 0x92, ..] => 3, // U+2212 MINUS SIGN
            _ => 0,
        };
        if minus_len > 0 {
            if minus {
                return None;
            }
            minus = true;
            marked = true;
            s = trim_start(&s[minus_len..]);
        } else if s.as_bytes().first() == Some(&b'+') {
            marked = true;
            s = trim_start(&s[1..]);
        }
        if let Some((r, code)) = strip_currency_prefix(s) {
            if currency.is_some() {
                return None;
            }
            currency = Some(code);
            s = trim_start(r);
        }
    }
    // Suffixes: a currency, a trailing minus.
    for _ in 0..2 {
        if let Some((r, code)) = strip_currency_suffix(s) {
            if currency.is_some() {
                return None;
            }
            currency = Some(code);
            s = trim_end(r);
        }
        if s.as_bytes().last() == Some(&b'-') {
            if minus {
                return None;
            }
            minus = true;
            marked = true;
            s = trim_end(&s[..s.len() - 1]);
        }
    }
    let negative = minus || parens || debit;
    if credit && (minus || parens) {
        return None;
    }
    let b = s.as_bytes();
    let edge = |c: Option<&u8>| matches!(c, Some(b'0'..=b'9' | b'.' | b','));
    if !edge(b.first()) || !edge(b.last()) {
        return None;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' | b'.' | b',' | b'\'' | b' ' => i += 1,
            _ => match space_at(&b[i..]) {
                0 => return None,
                len => i += len,
            },
        }
    }
    marked |= parens || debit || credit || currency.is_some();
    Some(Parts {
        negative,
        body: s,
        currency,
        marked,
    })
}

fn strip_currency_prefix(s: &str) -> Option<(&str, &str)> {
    if s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    for (sign, code) in SIGNS {
        if let Some(r) = s.strip_prefix(sign) {
            return Some((r, code.unwrap_or("")));
        }
    }
    let b = s.as_bytes();
    let code =
        b.len() > 3 && b[..3].iter().all(u8::is_ascii_uppercase) && !b[3].is_ascii_alphabetic();
    code.then(|| (&s[3..], &s[..3]))
}

fn strip_currency_suffix(s: &str) -> Option<(&str, &str)> {
    if s.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    for (sign, code) in SIGNS {
        if let Some(r) = s.strip_suffix(sign) {
            return Some((r, code.unwrap_or("")));
        }
    }
    let b = s.as_bytes();
    let n = b.len();
    let code =
        n > 3 && b[n - 3..].iter().all(u8::is_ascii_uppercase) && !b[n - 4].is_ascii_alphabetic();
    code.then(|| (&s[..n - 3], &s[n - 3..]))
}

/// What one value says about the file's decimal mark: `1.234,56`, `-110,7` and
/// `1.234.567` say comma; `1,234.56`, `84.20` and `1,234,567` say point; `1,234`,
/// `1.234` and `1234` say nothing.
pub(crate) fn evidence(body: &str) -> Option<DecimalMark> {
    let b = body.as_bytes();
    let (dot, comma) = (
        b.iter().rposition(|&c| c == b'.'),
        b.iter().rposition(|&c| c == b','),
    );
    let digits_after = |i: usize| b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let once = |c: u8| b.iter().filter(|&&x| x == c).count() == 1;
    match (dot, comma) {
        (Some(d), Some(c)) => Some(if d > c {
            DecimalMark::Point
        } else {
            DecimalMark::Comma
        }),
        (None, Some(_)) if !once(b',') => Some(DecimalMark::Point),
        (None, Some(c)) => matches!(digits_after(c), 0..=2).then_some(DecimalMark::Comma),
        (Some(_), None) if !once(b'.') => Some(DecimalMark::Comma),
        (Some(d), None) => matches!(digits_after(d), 0..=2).then_some(DecimalMark::Point),
        (None, None) => None,
    }
}

/// What a file's values say about its decimal mark: the first value read each way (line,
/// value, field). A file with both is an error at the later one, the first value that
/// contradicts what came before.
#[derive(Debug, Default, Clone)]
pub(crate) struct MarkVotes {
    point: Option<(usize, String, String)>,
    comma: Option<(usize, String, String)>,
}

impl MarkVotes {
    /// Notes what a value (taken apart by [`split`]) says; never fails.
    pub(crate) fn note(&mut self, parts: &Parts<'_>, line: usize, value: &str, field: &str) {
        let slot = match evidence(parts.body) {
            Some(DecimalMark::Point) => &mut self.point,
            Some(DecimalMark::Comma) => &mut self.comma,
            None => return,
        };
        if slot.as_ref().is_none_or(|s| s.0 > line) {
            *slot = Some((line, crate::text::excerpt(value), field.to_string()));
        }
    }

    /// Adds another column's votes.
    pub(crate) fn merge(&mut self, other: &MarkVotes) {
        for (mine, theirs) in [
            (&mut self.point, &other.point),
            (&mut self.comma, &other.comma),
        ] {
            if let Some(t) = theirs {
                if mine.as_ref().is_none_or(|m| m.0 > t.0) {
                    *mine = Some(t.clone());
                }
            }
        }
    }

    /// Notes a value and fails if it contradicts an earlier one.
    pub(crate) fn add(
        &mut self,
        value: &str,
        line: usize,
        field: &str,
    ) -> Result<(), crate::ImportError> {
        if let Some(parts) = split(value) {
            self.note(&parts, line, value, field);
        }
        self.check().map(|_| ())
    }

    /// The file's mark, or an error if its values disagree.
    pub(crate) fn check(&self) -> Result<Option<DecimalMark>, crate::ImportError> {
        match (&self.point, &self.comma) {
            (Some(p), Some(c)) => {
                let (late, early, reads, they_read) = if c.0 > p.0 {
                    (c, p, "a decimal comma", "a decimal point")
                } else {
                    (p, c, "a decimal point", "a decimal comma")
                };
                Err(crate::ImportError::at(
                    late.0,
                    late.2.clone(),
                    format!(
                        "'{}' has {reads}, but line {} has '{}' with {they_read}; one file uses one decimal mark",
                        late.1, early.0, early.1
                    ),
                ))
            }
            (Some(_), None) => Ok(Some(DecimalMark::Point)),
            (None, Some(_)) => Ok(Some(DecimalMark::Comma)),
            (None, None) => Ok(None),
        }
    }

    /// The file's mark; `otherwise` when no value says (call [`Self::check`] first).
    pub(crate) fn decide(&self, otherwise: DecimalMark) -> DecimalMark {
        self.check().ok().flatten().unwrap_or(otherwise)
    }
}

/// Exact cents of a value taken apart by [`split`], under the file's decimal mark. More
/// than two decimals are allowed only when the extra ones are zeros (`-12.5000`): a
/// fraction of a cent is refused rather than rounded.
pub(crate) fn cents(parts: &Parts<'_>, mark: DecimalMark) -> Option<i64> {
    let (decimal, group) = match mark {
        DecimalMark::Point => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    let (decimal, group) = (decimal as u8, group as u8);
    let mut units: i64 = 0;
    let mut frac: i64 = 0;
    let mut frac_digits = 0;
    let mut in_frac = false;
    let mut digits = 0;
    let mut prev_digit = false;
    // Digits since the last thousands separator: 3 (or 2 inside Indian lakh grouping).
    let mut group_run: Option<usize> = None;
    let b = parts.body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let mut step = 1;
        if c.is_ascii_digit() {
            let d = i64::from(c - b'0');
            digits += 1;
            if digits > 15 {
                return None;
            }
            if in_frac {
                frac_digits += 1;
                if frac_digits <= 2 {
                    frac = frac * 10 + d;
                } else if d != 0 {
                    return None;
                }
            } else {
                units = units * 10 + d;
                if let Some(run) = group_run.as_mut() {
                    *run += 1;
                }
            }
            prev_digit = true;
        } else if c == decimal {
            if in_frac || group_run.is_some_and(|run| run != 3) {
                return None;
            }
            in_frac = true;
            prev_digit = false;
        } else {
            let space = space_at(&b[i..]);
            if c != group && c != b'\'' && space == 0 {
                return None;
            }
            if in_frac || !prev_digit || group_run.is_some_and(|run| run != 2 && run != 3) {
                return None;
            }
            step = space.max(1);
            group_run = Some(0);
            prev_digit = false;
        }
        i += step;
    }
    if digits == 0
        || (!prev_digit && !in_frac)
        || (!in_frac && group_run.is_some_and(|run| run != 3))
    {
        return None;
    }
    if frac_digits == 1 {
        frac *= 10;
    }
    let total = units.checked_mul(100)?.checked_add(frac)?;
    Some(if parts.negative { -total } else { total })
}

/// Reads one value whose decimal mark is its own business: an OFX `TRNAMT` (`-12.50`,
/// or `-12,50` from European banks; OFX has no thousands separators).
pub(crate) fn standalone(value: &str) -> Option<i64> {
    let parts = split(value)?;
    let mark = if parts.body.contains(',') && !parts.body.contains('.') {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    };
    cents(&parts, mark)
}

/// Whether a value looks like money, like a bare number (an id, a serial), or neither:
/// how CSV columns are recognised by what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Money,
    Integer,
    Other,
}

pub(crate) fn shape(value: &str) -> Shape {
    match split(value) {
        Some(p) if p.marked || p.body.contains(['.', ',']) => Shape::Money,
        Some(_) => Shape::Integer,
        None => Shape::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::*;

    fn point(s: &str) -> Option<i64> {
        cents(&split(s)?, Point)
    }

    fn comma(s: &str) -> Option<i64> {
        cents(&split(s)?, Comma)
    }

    #[test]
    fn signed_and_grouped_values() {
        assert_eq!(point("+1,234.56"), Some(123456));
        assert_eq!(point("-84.20"), Some(-8420));
        assert_eq!(point("84.2"), Some(8420));
        assert_eq!(point("84"), Some(8400));
        assert_eq!(point(".50"), Some(50));
        assert_eq!(point("0.00"), Some(0));
        assert_eq!(point("12.50-"), Some(-1250));
        assert_eq!(point("\u{2212}3.00"), Some(-300));
        assert_eq!(point("-12.5000"), Some(-1250));
        assert_eq!(point("1,234,567.89"), Some(123456789));
    }

    #[test]
    fn parentheses_and_dr_cr() {
        assert_eq!(point("(12.50)"), Some(-1250));
        assert_eq!(point("12.50 DR"), Some(-1250));
        assert_eq!(point("12.50DR"), Some(-1250));
        assert_eq!(point("12.50 CR"), Some(1250));
        assert_eq!(point("1,234.56 cr"), Some(123456));
        assert_eq!(point("-12.50 CR"), None);
    }

    #[test]
    fn currency_signs_and_codes() {
        assert_eq!(point("$12.50"), Some(1250));
        assert_eq!(point("-$12.50"), Some(-1250));
        assert_eq!(point("$-12.50"), Some(-1250));
        assert_eq!(point("A$1,000.00"), Some(100000));
        assert_eq!(point("£3.20"), Some(320));
        assert_eq!(point("AUD 12.50"), Some(1250));
        assert_eq!(point("12.50 AUD"), Some(1250));
        assert_eq!(split("-110,70 €").unwrap().currency, Some("EUR"));
        assert_eq!(split("A$5").unwrap().currency, Some("AUD"));
        assert_eq!(split("$5").unwrap().currency, Some(""));
    }

    #[test]
    fn decimal_commas() {
        assert_eq!(comma("1.234,56"), Some(123456));
        assert_eq!(comma("-110,7 €"), Some(-11070));
        assert_eq!(comma("-110,70 €"), Some(-11070));
        assert_eq!(comma("1 234,56"), Some(123456));
        assert_eq!(comma("1\u{a0}234,56"), Some(123456));
        assert_eq!(standalone("-12,50"), Some(-1250));
        assert_eq!(standalone("-12.50"), Some(-1250));
    }

    #[test]
    fn not_amounts() {
        for s in [
            "abc",
            "",
            "-",
            "$",
            "1.2.3",
            "12.345",
            "1,2",
            "--5",
            "12..5",
            "12 DR CR",
            "(5",
            "5 ,",
            "1e5",
            "9999999999999999",
            "21/08/2026",
        ] {
            assert_eq!(point(s), None, "{s}");
        }
        assert_eq!(comma("1,2,3"), None);
        assert_eq!(point("1,23,456.00"), Some(12345600));
        assert_eq!(point("1,2345.00"), None);
    }

    #[test]
    fn evidence_for_the_decimal_mark() {
        assert_eq!(evidence("1.234,56"), Some(Comma));
        assert_eq!(evidence("110,7"), Some(Comma));
        assert_eq!(evidence("1.234.567"), Some(Comma));
        assert_eq!(evidence("1,234.56"), Some(Point));
        assert_eq!(evidence("84.20"), Some(Point));
        assert_eq!(evidence("1,234,567"), Some(Point));
        assert_eq!(evidence("1,234"), None);
        assert_eq!(evidence("1.234"), None);
        assert_eq!(evidence("1234"), None);
    }

    #[test]
    fn the_mark_is_decided_once_per_file() {
        let mut votes = MarkVotes::default();
        votes.add("1,234", 1, "amount").unwrap();
        assert_eq!(votes.decide(Point), Point);
        assert_eq!(votes.decide(Comma), Comma);
        votes.add("-110,70 €", 2, "amount").unwrap();
        votes.add("1.234,56", 3, "amount").unwrap();
        assert_eq!(votes.decide(Point), Comma);
        let err = votes.add("12.50", 4, "amount").unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.detail.contains("line 2"), "{}", err.detail);
    }

    #[test]
    fn shapes_tell_money_from_ids() {
        assert_eq!(shape("-84.20"), Shape::Money);
        assert_eq!(shape("+4915.80"), Shape::Money);
        assert_eq!(shape("$5"), Shape::Money);
        assert_eq!(shape("123456"), Shape::Integer);
        assert_eq!(shape("WOOLWORTHS"), Shape::Other);
        assert_eq!(shape("062-000 123456"), Shape::Other);
    }
}
