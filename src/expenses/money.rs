//! Money as integer cents: the contract's decimal strings are parsed once on load and
//! every sum is exact (`i64`), never `f64`.

/// Parses a decimal amount such as `-12.34`, `+5`, `1,234.5` or `0.005` into cents
/// (the contract's [`tally_api::Money`]); anything else is `None`, never a panic.
pub fn parse_cents(s: &str) -> Option<i64> {
    tally_api::Money::parse(s).map(tally_api::Money::cents)
}

/// `-5` → `"-0.05"` (the contract's decimal string form).
pub fn to_decimal(cents: i64) -> String {
    tally_api::Money(cents).to_string()
}

/// For people: `$1,234.50`, `-$5.00`.
pub fn display(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{:02}", a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_contract_strings() {
        assert_eq!(parse_cents("-12.34"), Some(-1234));
        assert_eq!(parse_cents("12.3"), Some(1230));
        assert_eq!(parse_cents("12"), Some(1200));
        assert_eq!(parse_cents("+0.05"), Some(5));
        assert_eq!(parse_cents(".5"), Some(50));
        assert_eq!(parse_cents("1,234.56"), Some(123_456));
        assert_eq!(parse_cents(" -0.005 "), Some(-1));
        assert_eq!(parse_cents("0.004"), Some(0));
        assert_eq!(parse_cents("5."), Some(500));
    }

    #[test]
    fn bad_strings_are_none_not_panics() {
        for bad in ["", "-", "+", ".", "abc", "1.2.3", "12,34.5x", "1e5", "--1", "١٢", "99999999999999999999", ",5", "1 000"] {
            assert_eq!(parse_cents(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(to_decimal(-5), "-0.05");
        assert_eq!(to_decimal(123_450), "1234.50");
        assert_eq!(display(123_456_789), "$1,234,567.89");
        assert_eq!(display(-500), "-$5.00");
        assert_eq!(display(0), "$0.00");
    }
}
