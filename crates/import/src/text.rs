//! Small text helpers the readers share: cleaning a description (banks pad fields to a
//! fixed width and repeat spaces), masking an account number, and quoting a bad value in
//! an error without echoing a whole line back.

/// Collapses every run of whitespace or control characters to one space and trims.
pub(crate) fn clean(s: &str) -> String {
    if s.is_ascii() {
        // The common case, byte by byte.
        let mut out = Vec::with_capacity(s.len());
        let mut gap = false;
        for &b in s.as_bytes() {
            if b <= b' ' || b == 0x7f {
                gap = !out.is_empty();
                continue;
            }
            if gap {
                out.push(b' ');
                gap = false;
            }
            out.push(b);
        }
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.push(c);
    }
    out
}

/// `12345678` → `XXXX5678`; `4564 1234 5678 9012` → `XXXX XXXX XXXX 9012`. Separators
/// stay; numbers of 4 characters or fewer are shown as they are.
pub(crate) fn mask(number: &str) -> String {
    let number = number.trim();
    let total = number.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if seen + 4 <= total {
                    return 'X';
                }
            }
            c
        })
        .collect()
}

/// The last 4 letters or digits of an account number (for a display name).
pub(crate) fn last4(number: &str) -> String {
    let tail: Vec<char> = number.chars().filter(|c| c.is_alphanumeric()).collect();
    tail[tail.len().saturating_sub(4)..].iter().collect()
}

/// A value as quoted in an error: trimmed, at most 40 characters.
pub(crate) fn excerpt(value: &str) -> String {
    let value = value.trim();
    if value.chars().count() <= 40 {
        return value.to_string();
    }
    let mut s: String = value.chars().take(40).collect();
    s.push('…');
    s
}

/// Case-insensitive search for an ASCII needle in bytes.
pub(crate) fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_padding_and_controls() {
        assert_eq!(
            clean("  WOOLWORTHS   1234\t SYDNEY \r\n"),
            "WOOLWORTHS 1234 SYDNEY"
        );
        assert_eq!(clean(""), "");
        assert_eq!(clean("Café\u{a0}\u{a0}Müller"), "Café Müller");
    }

    #[test]
    fn mask_keeps_the_last_four_and_separators() {
        assert_eq!(mask("12345678"), "XXXX5678");
        assert_eq!(mask("4564 1234 5678 9012"), "XXXX XXXX XXXX 9012");
        assert_eq!(mask("1234"), "1234");
        assert_eq!(mask("062-000 123456"), "XXX-XXX XX3456");
        assert_eq!(last4("062-000 123456"), "3456");
        assert_eq!(last4("12"), "12");
    }

    #[test]
    fn excerpt_shortens_long_values() {
        assert_eq!(excerpt(" abc "), "abc");
        assert_eq!(excerpt(&"x".repeat(50)).chars().count(), 41);
    }
}
