//! Transaction keys: what makes a re-upload (the same file again, or next month's export
//! overlapping this one) land on the rows already stored instead of doubling them, while
//! two real identical rows in one file (two tram taps of the same fare on one day) stay
//! two transactions.
//!
//! A row's key is the bank's `FITID` when that id is present and unique within its
//! account in the file (`fitid:<FITID>`). Otherwise, and for formats without ids, it is
//! `row:<h>:<n>`: `h` the first 16 hex digits of SHA-256 over `post date|cents|normalised
//! description`, and `n` = 1, 2, … counting rows with the same `h` in file order. Banks
//! that repeat or recycle FITIDs (`1` on every row) therefore fall back to the content,
//! row by row, rather than collapsing rows.

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::Datelike;
use sha2::{Digest, Sha256};

use crate::Transaction;

/// Sets `key` on every transaction of one account; `fitids[i]` is row `i`'s FITID.
pub(crate) fn assign(transactions: &mut [Transaction], fitids: &[Option<String>]) {
    let mut fitid_count: HashMap<&str, u32> = HashMap::new();
    for id in fitids.iter().flatten() {
        *fitid_count.entry(id.as_str()).or_default() += 1;
    }
    let mut content_count: HashMap<u64, u32, BuildHasherDefault<Passthrough>> =
        HashMap::with_capacity_and_hasher(transactions.len(), BuildHasherDefault::default());
    let mut buf = String::new();
    for (i, tx) in transactions.iter_mut().enumerate() {
        match fitids.get(i).and_then(Option::as_deref) {
            Some(id) if fitid_count.get(id) == Some(&1) => {
                tx.key = format!("fitid:{id}");
            }
            _ => {
                let h = content_hash(tx, &mut buf);
                let n = content_count.entry(u64::from_be_bytes(h)).or_default();
                *n += 1;
                let mut key = String::with_capacity(4 + 16 + 1 + 3);
                key.push_str("row:");
                for b in h {
                    key.push(HEX[usize::from(b >> 4)] as char);
                    key.push(HEX[usize::from(b & 15)] as char);
                }
                key.push(':');
                push_number(&mut key, u64::from(*n));
                tx.key = key;
            }
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// The content hashes are SHA-256 output already: hashing them again is wasted work.
#[derive(Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// SHA-256 of `2026-08-21|-420|myki tram`, first 8 bytes. The description is lower-cased
/// (it is already trimmed and single-spaced), so a bank changing case between exports
/// does not change keys.
fn content_hash(tx: &Transaction, buf: &mut String) -> [u8; 8] {
    buf.clear();
    let d = tx.post_date;
    let _ = write!(
        buf,
        "{:04}-{:02}-{:02}|{}|",
        d.year(),
        d.month(),
        d.day(),
        tx.amount
    );
    if tx.description.is_ascii() {
        buf.extend(
            tx.description
                .bytes()
                .map(|b| b.to_ascii_lowercase() as char),
        );
    } else {
        for c in tx.description.chars() {
            buf.extend(c.to_lowercase());
        }
    }
    let digest = Sha256::digest(buf.as_bytes());
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn tx(day: u32, amount: i64, description: &str) -> Transaction {
        let date = NaiveDate::from_ymd_opt(2026, 8, day).unwrap();
        Transaction {
            key: String::new(),
            post_date: date,
            transaction_date: date,
            amount,
            description: description.into(),
            balance: None,
            line: 1,
        }
    }

    #[test]
    fn identical_rows_are_counted_not_merged() {
        let mut rows = vec![
            tx(21, -420, "MYKI TRAM"),
            tx(21, -420, "myki tram"),
            tx(22, -420, "MYKI TRAM"),
        ];
        assign(&mut rows, &[None, None, None]);
        let (a, b) = (&rows[0].key, &rows[1].key);
        assert!(a.starts_with("row:") && a.ends_with(":1"), "{a}");
        assert_eq!(a.len(), "row:".len() + 16 + 2);
        assert_eq!(&a[..a.len() - 1], &b[..b.len() - 1]);
        assert!(b.ends_with(":2"));
        assert!(rows[2].key.ends_with(":1") && rows[2].key != *a);
    }

    #[test]
    fn unique_fitids_are_used_repeated_ones_are_not() {
        let mut rows = vec![tx(21, -100, "A"), tx(21, -200, "B"), tx(22, -300, "C")];
        let ids = [
            Some("1".to_string()),
            Some("1".to_string()),
            Some("X9".to_string()),
        ];
        assign(&mut rows, &ids);
        assert!(rows[0].key.starts_with("row:"));
        assert!(rows[1].key.starts_with("row:"));
        assert_eq!(rows[2].key, "fitid:X9");
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0u64, 1, 9, 10, 1234, u64::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn keys_are_stable() {
        let mut a = vec![tx(21, -420, "MYKI TRAM")];
        let mut b = vec![tx(21, -420, "MYKI TRAM")];
        assign(&mut a, &[None]);
        assign(&mut b, &[None]);
        assert_eq!(a, b);
        // Pinned: a change here changes every stored row key.
        assert_eq!(
            a[0].key,
            format!("row:{}:1", &hex_sha("2026-08-21|-420|myki tram")[..16])
        );
    }

    fn hex_sha(s: &str) -> String {
        Sha256::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
