//! The transaction list's order and its keyset cursor, pure.
//!
//! Order (contract): by account, then pending first, then post date newest first. It
//! is encoded in one text `page_key` per row (indexed with the owner), so "the next
//! page" is `page_key > $cursor ORDER BY page_key LIMIT n`: no OFFSET, constant cost
//! however deep the page.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Datelike, NaiveDate};

/// Default and largest page size.
pub const MAX_LIMIT: u32 = 500;

/// Turns a date into a key that sorts newest first.
fn descending(date: NaiveDate) -> String {
    let n = date.year() as i64 * 10_000 + date.month() as i64 * 100 + date.day() as i64;
    format!("{:08}", 99_999_999 - n)
}

/// The sort key of a transaction row.
pub fn page_key(account_id: &str, pending: bool, post_date: Option<NaiveDate>, transaction_date: Option<NaiveDate>, id: &str) -> String {
    let group = if pending { '0' } else { '1' };
    let date = post_date.or(transaction_date).map(descending).unwrap_or_else(|| "99999999".into());
    format!("{account_id}|{group}|{date}|{id}")
}

/// The opaque `next` cursor of a page ending at `last_key`.
pub fn encode_cursor(last_key: &str) -> String {
    URL_SAFE_NO_PAD.encode(last_key)
}

/// Reads a cursor back; None when it was not made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    let key = String::from_utf8(raw).ok()?;
    (key.split('|').count() >= 4).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn orders_by_account_then_pending_then_newest() {
        let mut keys = [
            page_key("b", false, d("2024-01-02"), d("2024-01-01"), "1"),
            page_key("a", false, d("2024-01-01"), d("2024-01-01"), "2"),
            page_key("a", false, d("2024-03-01"), d("2024-03-01"), "3"),
            page_key("a", true, None, d("2024-03-05"), "4"),
            page_key("a", true, None, d("2024-03-07"), "5"),
        ];
        keys.sort();
        let ids: Vec<&str> = keys.iter().map(|k| k.rsplit('|').next().unwrap()).collect();
        assert_eq!(ids, ["5", "4", "3", "2", "1"]);
    }

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let k = page_key("acc", false, d("2024-01-01"), None, "tx");
        assert_eq!(decode_cursor(&encode_cursor(&k)).unwrap(), k);
        assert!(decode_cursor("!!!").is_none());
        assert!(decode_cursor(&encode_cursor("no-bars")).is_none());
    }
}
