//! Timestamps for people: the contract's ISO 8601 strings, shown relative to now.
//! Parsing uses the browser's `Date` (no date crate in the widget: size matters).

use crate::i18n::Strings;

/// Milliseconds since the epoch of an ISO 8601 timestamp; `None` when unreadable.
pub fn parse_iso(s: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(s);
    ms.is_finite().then_some(ms)
}

/// `then_ms` relative to `now_ms` in words ("5 min ago", "in 3 h").
pub fn relative(s: &Strings, then_ms: f64, now_ms: f64) -> String {
    (s.relative)(((then_ms - now_ms) / 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(&EN, 0.0, 30_000.0), "just now");
        assert_eq!(relative(&EN, 0.0, 300_000.0), "5 min ago");
        assert_eq!(relative(&EN, 3.0 * 3_600_000.0, 0.0), "in 3 h");
        assert_eq!(relative(&EN, 0.0, 2.0 * 86_400_000.0), "2 d ago");
    }
}
