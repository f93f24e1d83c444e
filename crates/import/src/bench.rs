//! Large, realistic statement files generated deterministically, for throughput and
//! memory measurements (`examples/throughput.rs`, `cargo xtask bench`): the same `n` and
//! `seed` give the same bytes on every machine, with no files to ship.

use std::fmt::Write;

use chrono::{Days, NaiveDate};

/// Merchants as Australian statements print them, with a typical spend in cents.
const MERCHANTS: [(&str, &str, i64); 24] = [
    ("WOOLWORTHS 1234", "SYDNEY NS AUS", 8_420),
    ("COLES 0423", "MELBOURNE VI AUS", 6_315),
    ("ALDI STORES 45", "PARRAMATTA NS", 4_210),
    ("MYKI TRAM", "MELBOURNE VI", 520),
    ("OPAL TRANSPORT", "SYDNEY NS", 480),
    ("UBER *TRIP", "SYDNEY NS AUS", 2_350),
    ("BP NEWTOWN", "NEWTOWN NS", 7_890),
    ("AMPOL FOODARY", "BRISBANE QL", 6_540),
    ("CHEMIST WAREHOUSE", "BONDI JUNCTION", 2_799),
    ("BUNNINGS 7012", "ALEXANDRIA NS", 5_460),
    ("KMART 1098", "CHADSTONE VI", 3_500),
    ("JB HI FI", "GEORGE ST SYDNEY", 19_900),
    ("NETFLIX.COM", "MELBOURNE AU", 1_899),
    ("SPOTIFY P1F2E3", "SYDNEY", 1_399),
    ("TELSTRA PREPAID", "MELBOURNE", 4_500),
    ("ORIGIN ENERGY", "DIRECT DEBIT", 18_230),
    ("SYDNEY WATER", "BPAY", 9_120),
    ("CAFE SIENNA", "SURRY HILLS", 1_150),
    ("GUZMAN Y GOMEZ", "NEWTOWN", 1_790),
    ("DAN MURPHYS 4411", "RANDWICK", 5_499),
    ("TRANSFER TO J SMITH", "NETBANK", 25_000),
    ("ATM WITHDRAWAL", "CBA ATM MARTIN PL", 10_000),
    ("LIDL BERLIN", "DE", 2_345),
    ("CAFÉ MÜLLER", "WIEN AT", 890),
];

/// Splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One generated row: date, signed cents, merchant, place, running balance after it.
struct Row {
    date: NaiveDate,
    amount: i64,
    merchant: &'static str,
    place: &'static str,
    balance: i64,
}

fn rows(n: usize, seed: u64) -> impl Iterator<Item = Row> {
    let mut rng = Rng(seed);
    let mut date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut balance: i64 = 250_000;
    (0..n).map(move |i| {
        if rng.below(4) == 0 {
            date = date.checked_add_days(Days::new(1)).unwrap_or(date);
        }
        let (merchant, place, typical, amount) = if i % 14 == 13 {
            (
                "SALARY ACME PTY LTD",
                "PAYROLL",
                0,
                325_000 + rng.below(20_000) as i64,
            )
        } else {
            let (m, p, t) = MERCHANTS[rng.below(MERCHANTS.len() as u64) as usize];
            (m, p, t, 0)
        };
        let amount = if typical > 0 {
            -(typical / 2 + rng.below(typical as u64) as i64)
        } else {
            amount
        };
        balance += amount;
        Row {
            date,
            amount,
            merchant,
            place,
            balance,
        }
    })
}

fn money(out: &mut String, cents: i64, plus: bool) {
    let sign = if cents < 0 {
        "-"
    } else if plus {
        "+"
    } else {
        ""
    };
    let c = cents.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", c / 100, c % 100);
}

/// An OFX 1.x (SGML, unclosed leaf tags) bank statement of `n` transactions, as an
/// Australian bank exports it.
pub fn generate_ofx(n: usize, seed: u64) -> Vec<u8> {
    let mut out = String::with_capacity(n * 260 + 1024);
    out.push_str(
        "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n\
         COMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n<OFX>\r\n<SIGNONMSGSRSV1><SONRS>\
         <STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260821120000[+10:AEST]<LANGUAGE>ENG</SONRS>\
         </SIGNONMSGSRSV1>\r\n<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\r\n\
         <STMTRS><CURDEF>AUD<BANKACCTFROM><BANKID>062000<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n\
         <BANKTRANLIST><DTSTART>20240101<DTEND>20261231\r\n",
    );
    let mut last = 0;
    for (i, r) in rows(n, seed).enumerate() {
        let d = r.date.format("%Y%m%d");
        out.push_str("<STMTTRN>\r\n<TRNTYPE>");
        out.push_str(if r.amount < 0 { "DEBIT" } else { "CREDIT" });
        let _ = write!(
            out,
            "\r\n<DTPOSTED>{d}000000[+10:AEST]\r\n<DTUSER>{d}\r\n<TRNAMT>"
        );
        money(&mut out, r.amount, false);
        let _ = write!(
            out,
            "\r\n<FITID>{}{:08}\r\n<NAME>{}\r\n<MEMO>{} {}\r\n</STMTTRN>\r\n",
            d, i, r.merchant, r.merchant, r.place
        );
        last = r.balance;
    }
    out.push_str("</BANKTRANLIST>\r\n<LEDGERBAL><BALAMT>");
    money(&mut out, last, false);
    out.push_str(
        "<DTASOF>20261231</LEDGERBAL>\r\n</STMTRS></STMTTRNRS></BANKMSGSRSV1>\r\n</OFX>\r\n",
    );
    // The header says Windows-1252, as real exports do; so are the bytes.
    encoding_rs::WINDOWS_1252.encode(&out).0.into_owned()
}

/// A CommBank-style CSV (no header; date, signed amount, description, running balance)
/// of `n` transactions.
pub fn generate_csv(n: usize, seed: u64) -> Vec<u8> {
    let mut out = String::with_capacity(n * 80);
    for r in rows(n, seed) {
        let _ = write!(out, "\"{}\",\"", r.date.format("%d/%m/%Y"));
        money(&mut out, r.amount, true);
        let _ = write!(out, "\",\"{} {}\",\"", r.merchant, r.place);
        money(&mut out, r.balance, true);
        out.push_str("\"\r\n");
    }
    out.into_bytes()
}
