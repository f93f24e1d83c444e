//! The fixture corpus: one realistic file per layout and quirk, with the values it must
//! read as. Encoded fixtures are real bytes (written once by `make_encoded_fixtures.py`).

use chrono::NaiveDate;
use tally_import::{
    import, Account, AccountKind, Format, Hints, ImportError, Statement, Transaction,
};

fn bytes(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_with(name: &str, hints: &Hints) -> Statement {
    import(&bytes(name), hints).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read(name: &str) -> Statement {
    read_with(name, &Hints::default())
}

fn refuse(name: &str) -> ImportError {
    match import(&bytes(name), &Hints::default()) {
        Ok(s) => panic!("{name} imported: {s:?}"),
        Err(e) => e,
    }
}

/// The only account of a statement.
fn only(s: &Statement) -> &Account {
    assert_eq!(
        s.accounts.len(),
        1,
        "{:?}",
        s.accounts.iter().map(|a| &a.key).collect::<Vec<_>>()
    );
    &s.accounts[0]
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn amounts(a: &Account) -> Vec<i64> {
    a.transactions.iter().map(|t| t.amount).collect()
}

fn descriptions(a: &Account) -> Vec<&str> {
    a.transactions
        .iter()
        .map(|t| t.description.as_str())
        .collect()
}

fn post_dates(a: &Account) -> Vec<NaiveDate> {
    a.transactions.iter().map(|t| t.post_date).collect()
}

fn lines(a: &Account) -> Vec<usize> {
    a.transactions.iter().map(|t| t.line).collect()
}

fn keys(a: &Account) -> Vec<&str> {
    a.transactions.iter().map(|t| t.key.as_str()).collect()
}

/// `row:<16 hex>:<n>` with the `<16 hex>` part and `n`.
fn row_key(t: &Transaction) -> (&str, u32) {
    let rest = t
        .key
        .strip_prefix("row:")
        .unwrap_or_else(|| panic!("not a row key: {}", t.key));
    let (hash, n) = rest.split_once(':').unwrap();
    assert_eq!(hash.len(), 16);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    (hash, n.parse().unwrap())
}

// ---------------------------------------------------------------------------------- OFX

#[test]
fn an_ofx1_sgml_file_with_unclosed_tags_reads_accounts_balances_and_transactions() {
    let s = read("ofx1_sgml_unclosed.ofx");
    assert_eq!(s.format, Format::Ofx1);
    let a = only(&s);
    assert_eq!(a.key, "ofx:062000:12345678");
    assert_eq!(a.number, "XXXX5678");
    assert_eq!(a.name, "Account 5678");
    assert_eq!(a.kind, AccountKind::Transaction);
    assert_eq!(a.currency, "AUD");
    assert_eq!(a.balance, Some(491_580));
    assert_eq!(a.available, Some(481_580));
    assert_eq!(amounts(a), [-8420, 325_000, -450]);
    assert_eq!(
        post_dates(a),
        [d(2026, 8, 18), d(2026, 8, 19), d(2026, 8, 20)]
    );
    assert_eq!(a.transactions[0].transaction_date, d(2026, 8, 16), "DTUSER");
    assert_eq!(
        a.transactions[1].transaction_date,
        d(2026, 8, 19),
        "no DTUSER: the post date"
    );
    // NAME + MEMO, padding collapsed; a MEMO equal to the NAME is not repeated.
    assert_eq!(
        descriptions(a),
        [
            "WOOLWORTHS 1234 SYDNEY NS AUS",
            "SALARY ACME PTY LTD",
            "MYKI TRAM"
        ]
    );
    assert_eq!(
        keys(a),
        [
            "fitid:2026081800001",
            "fitid:2026081900002",
            "fitid:2026082000003"
        ]
    );
    assert_eq!(lines(a), [39, 48, 56]);
    assert!(a.transactions.iter().all(|t| t.balance.is_none()));
}

#[test]
fn a_well_formed_ofx2_xml_savings_statement_reads_the_same_way() {
    let s = read("ofx2_xml.ofx");
    assert_eq!(s.format, Format::Ofx2);
    let a = only(&s);
    assert_eq!(a.key, "ofx:033000:987654321");
    assert_eq!(a.number, "XXXXX4321");
    assert_eq!(
        (a.kind, a.name.as_str()),
        (AccountKind::Savings, "Savings 4321")
    );
    assert_eq!((a.balance, a.available), (Some(1_051_234), None));
    assert_eq!(amounts(a), [50_000, 1234]);
    assert_eq!(post_dates(a), [d(2026, 7, 15), d(2026, 7, 31)]);
    assert_eq!(
        descriptions(a),
        [
            "TRANSFER FROM 12345678 Saving for Bali trip",
            "INTEREST PAID"
        ]
    );
    assert_eq!(keys(a), ["fitid:TFR88231", "fitid:INT202607"]);
    assert_eq!(lines(a), [25, 33]);
}

#[test]
fn an_anz_credit_card_qfx_with_an_xml_header_over_an_sgml_body_is_a_credit_card() {
    let s = read("ofx2_xml_header_sgml_body_anz.qfx");
    assert_eq!(s.format, Format::Ofx2);
    let a = only(&s);
    assert_eq!(a.kind, AccountKind::CreditCard);
    assert_eq!(a.key, "ofx:4564123456789012");
    assert_eq!(a.number, "XXXXXXXXXXXX9012");
    assert_eq!(a.name, "Credit card 9012");
    assert_eq!((a.balance, a.available), (Some(-123_456), Some(876_544)));
    assert_eq!(amounts(a), [-12_995, -1899, 50_000]);
    assert_eq!(a.transactions[0].post_date, d(2026, 8, 3));
    assert_eq!(a.transactions[0].transaction_date, d(2026, 8, 2));
    assert_eq!(
        descriptions(a),
        [
            "JB HI FI GEORGE ST SYDNEY AU",
            "NETFLIX.COM MELBOURNE AU",
            "PAYMENT - THANK YOU"
        ]
    );
}

#[test]
fn cdata_sections_in_a_suncorp_ofx_are_read_as_text() {
    let a = &read("ofx_cdata_suncorp.ofx").accounts[0];
    assert_eq!(
        descriptions(a),
        ["COLES 0423 & CO BRISBANE QLD <EFTPOS>", "GUZMAN Y GOMEZ"]
    );
    assert_eq!(amounts(a), [-6315, -780]);
    assert_eq!(a.balance, Some(234_567));
}

#[test]
fn a_fitid_of_1_on_every_row_falls_back_to_content_keys_and_keeps_identical_tram_taps() {
    let a = &read("ofx_fitid_one_every_row.ofx").accounts[0];
    assert_eq!(a.transactions.len(), 4, "no row is merged");
    let k: Vec<(&str, u32)> = a.transactions.iter().map(row_key).collect();
    assert_eq!(k[0].0, k[1].0, "the two taps of the 12th hash alike");
    assert_eq!((k[0].1, k[1].1), (1, 2), "and are counted");
    assert_ne!(k[2].0, k[0].0, "the 13th's tap is another day");
    assert_eq!((k[2].1, k[3].1), (1, 1));
    let unique: std::collections::HashSet<&str> = keys(a).into_iter().collect();
    assert_eq!(unique.len(), 4);
}

#[test]
fn a_one_line_ofx_file_reads_with_every_row_on_line_1() {
    let a = &read("ofx_one_line.ofx").accounts[0];
    assert_eq!(a.key, "ofx:012003:44448888");
    assert_eq!(amounts(a), [-5460, -1150]);
    assert_eq!(
        descriptions(a),
        ["BUNNINGS 7012 ALEXANDRIA NSW", "CAFE SIENNA SURRY HILLS"]
    );
    assert_eq!(lines(a), [1, 1]);
    assert_eq!(a.balance, Some(77_777));
}

#[test]
fn self_closing_empty_tags_are_empty_fields() {
    let a = &read("ofx_self_closing_empty_tags.ofx").accounts[0];
    assert_eq!(
        descriptions(a),
        ["TELSTRA PREPAID", "SPOTIFY P1F2E3 SYDNEY"],
        "<MEMO/> adds nothing; <NAME/> leaves the memo"
    );
    assert_eq!(
        a.transactions[0].transaction_date,
        d(2026, 8, 11),
        "<DTUSER/> falls back to the post date"
    );
    assert_eq!(amounts(a), [-4200, -999]);
}

#[test]
fn a_bare_ampersand_in_a_memo_is_kept_and_entities_are_resolved() {
    let a = &read("ofx_bare_ampersand_memo.ofx").accounts[0];
    assert_eq!(
        descriptions(a),
        ["FISH & CHIPS CO M&M MEATS & DELI", "AT&T"]
    );
}

#[test]
fn an_empty_dtstart_and_all_zero_dates_in_fields_that_do_not_matter_are_ignored() {
    let a = &read("ofx_empty_dtstart_zero_dates.ofx").accounts[0];
    assert_eq!(post_dates(a), [d(2026, 8, 14)]);
    assert_eq!(
        a.transactions[0].transaction_date,
        d(2026, 8, 14),
        "DTUSER 00000000"
    );
    assert_eq!(a.balance, Some(92_875), "DTASOF 00000000000000.000");
}

#[test]
fn every_ofx_date_form_seen_in_real_files_reads_as_the_date_written() {
    let a = &read("ofx_date_forms.ofx").accounts[0];
    assert_eq!(
        post_dates(a),
        [
            d(2009, 12, 17),
            d(2018, 8, 4),
            d(2026, 8, 21),
            d(2026, 8, 22),
            d(2026, 8, 23)
        ],
        "20091217162416.000[-5:EST], 20180804093914:014, [-3:GMT], [-:EST], plain"
    );
    assert_eq!(
        a.transactions[4].transaction_date,
        d(2026, 8, 20),
        "DTUSER 20260820101010.123[+10:AEST]"
    );
}

#[test]
fn several_statements_in_one_ofx_file_are_several_accounts_with_their_kinds() {
    let s = read("ofx_multi_account.ofx");
    let summary: Vec<(&str, AccountKind, Option<i64>, usize)> = s
        .accounts
        .iter()
        .map(|a| (a.key.as_str(), a.kind, a.balance, a.transactions.len()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "ofx:062000:11112222",
                AccountKind::Transaction,
                Some(150_000),
                2
            ),
            (
                "ofx:062000:33334444",
                AccountKind::Savings,
                Some(2_030_000),
                1
            ),
            ("ofx:062000:55556666", AccountKind::Loan, Some(-504_567), 1),
            (
                "ofx:5353000011112222",
                AccountKind::CreditCard,
                Some(-6540),
                1
            ),
        ]
    );
    // FITID 7 appears in two accounts, once in each: unique within its account.
    assert_eq!(s.accounts[0].transactions[0].key, "fitid:7");
    assert_eq!(s.accounts[1].transactions[0].key, "fitid:7");
    assert_eq!(s.accounts[1].name, "Savings 4444");
    assert_eq!(s.accounts[2].name, "Loan 6666");
    assert_eq!(s.accounts[3].name, "Credit card 2222");
}

#[test]
fn the_bank_part_of_a_file_with_an_investment_statement_is_imported_and_the_rest_ignored() {
    let s = read("ofx_mixed_bank_and_investment.ofx");
    let a = only(&s);
    assert_eq!(a.key, "ofx:062000:12121212");
    assert_eq!(
        amounts(a),
        [-45_100, -1200],
        "the investment account's cash row is not here"
    );
}

#[test]
fn a_windows_1252_ofx_declared_by_charset_reads_accents_euros_and_decimal_commas() {
    let a = &read("ofx1_charset_1252.ofx").accounts[0];
    assert_eq!(
        descriptions(a),
        ["Café Müller Wien 12,50 €", "Compra cartão Lisboa"]
    );
    assert_eq!(amounts(a), [-1250, -3000], "TRNAMT -30,00");
    assert_eq!((a.currency.as_str(), a.balance), ("EUR", Some(95_750)));
    assert_eq!(a.key, "ofx:30003:FR7630003000");
}

#[test]
fn a_windows_1252_ofx_that_does_not_say_so_is_still_read_without_replacement_characters() {
    let a = &read("ofx_undeclared_1252.ofx").accounts[0];
    assert_eq!(
        descriptions(a),
        ["Café Müller Wien 12,50 €", "Compra cartão Lisboa"]
    );
    assert!(a
        .transactions
        .iter()
        .all(|t| !t.description.contains('\u{fffd}')));
}

#[test]
fn an_ofx2_file_with_an_iso_8859_1_encoding_attribute_reads_its_accents() {
    let a = &read("ofx2_encoding_iso8859_1.ofx").accounts[0];
    assert_eq!(
        descriptions(a),
        ["Bäckerei Müller Straße 5, München", "Livraria cartão"]
    );
    assert_eq!(a.number, "XXXXXXXXXXXXXXXXXX3000");
}

#[test]
fn an_investment_only_ofx_is_refused_clearly() {
    let e = refuse("ofx_investment_only.ofx");
    assert_eq!(
        e.to_string(),
        "investment statements (INVSTMTMSGSRSV1) are not supported; export a bank or credit-card statement"
    );
}

#[test]
fn a_truncated_ofx_names_the_open_transaction_and_every_missing_end_tag() {
    let e = refuse("ofx_truncated.ofx");
    assert_eq!(e.line, Some(46));
    assert_eq!(e.field.as_deref(), Some("STMTTRN"));
    assert_eq!(
        e.detail,
        "the file ends early (truncated?): <STMTTRN> opened here is never closed; missing </STMTTRN>, \
         </BANKTRANLIST>, </STMTRS>, </STMTTRNRS>, </BANKMSGSRSV1>, </OFX>"
    );
}

#[test]
fn an_ofx_with_a_balance_but_no_transactions_is_refused() {
    let e = refuse("ofx_no_transactions.ofx");
    assert_eq!(
        e.to_string(),
        "the file holds no transactions (its account has none); export a period that has some"
    );
}

#[test]
fn an_unreadable_trnamt_is_refused_at_its_line() {
    let e = refuse("ofx_bad_trnamt.ofx");
    assert_eq!(e.to_string(), "line 49: 'abc' is not an amount");
    assert_eq!(e.field.as_deref(), Some("TRNAMT"));
}

#[test]
fn a_transaction_without_dtposted_is_refused_at_its_start() {
    let e = refuse("ofx_missing_dtposted.ofx");
    assert_eq!(
        e.to_string(),
        "line 39: the transaction (<STMTTRN>) has no DTPOSTED (posted date)"
    );
}

// ---------------------------------------------------------------------------------- QIF

#[test]
fn a_qif_bank_file_with_dd_mm_yy_dates_decides_the_order_from_the_whole_file() {
    let s = read("qif_bank_ddmmyy.qif");
    assert_eq!(s.format, Format::Qif);
    let a = only(&s);
    assert_eq!(
        (a.key.as_str(), a.kind, a.balance),
        ("file", AccountKind::Transaction, None)
    );
    // 21/08 and 22/08 make the file day-first, so 03/09/26 is 3 September, not 9 March.
    assert_eq!(
        post_dates(a),
        [d(2026, 8, 21), d(2026, 8, 22), d(2026, 9, 3)]
    );
    assert_eq!(amounts(a), [-8420, 325_000, -450]);
    assert_eq!(
        descriptions(a),
        [
            "WOOLWORTHS 1234 SYDNEY NS",
            "SALARY ACME PTY LTD",
            "MYKI TRAM"
        ]
    );
    assert_eq!(lines(a), [2, 7, 12]);
    assert!(a.transactions.iter().all(|t| t.key.starts_with("row:")));
}

#[test]
fn a_qif_credit_card_file_with_mm_dd_apostrophe_years_is_a_credit_card() {
    let a = &read("qif_ccard_mmdd_apostrophe.qif").accounts[0];
    assert_eq!(a.kind, AccountKind::CreditCard);
    assert_eq!(
        post_dates(a),
        [d(2026, 8, 21), d(2026, 9, 2), d(2026, 9, 15)]
    );
    assert_eq!(amounts(a), [-12_995, -1899, 50_000]);
    assert_eq!(
        descriptions(a),
        [
            "JB HI FI GEORGE ST SYDNEY",
            "NETFLIX.COM",
            "PAYMENT THANK YOU"
        ]
    );
}

#[test]
fn a_qif_account_header_names_the_account() {
    let a = &read("qif_account_header.qif").accounts[0];
    assert_eq!(
        (a.key.as_str(), a.name.as_str()),
        ("qif:Everyday Account", "Everyday Account")
    );
    assert_eq!(amounts(a), [-1200, -450]);
}

#[test]
fn an_investment_only_qif_is_refused() {
    let e = refuse("qif_investment_only.qif");
    assert!(
        e.detail.contains("!Type:Invst") && e.detail.contains("not supported"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------- CSV

#[test]
fn a_commbank_csv_without_header_reads_signed_amounts_and_balance() {
    let s = read("csv_commbank_noheader.csv");
    assert_eq!(s.format, Format::Csv);
    let a = only(&s);
    assert_eq!(
        (a.key.as_str(), a.number.as_str(), a.name.as_str()),
        ("file", "", "Statement account")
    );
    assert_eq!(amounts(a), [-8420, -450, 325_000, -1230]);
    assert_eq!(
        post_dates(a),
        [
            d(2026, 8, 21),
            d(2026, 8, 20),
            d(2026, 8, 19),
            d(2026, 8, 18)
        ]
    );
    assert_eq!(
        a.transactions[0].description,
        "WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234 Value Date: 19/08/2026"
    );
    assert_eq!(a.transactions[3].description, "CAFE SIENNA SURRY HILLS");
    let balances: Vec<Option<i64>> = a.transactions.iter().map(|t| t.balance).collect();
    assert_eq!(
        balances,
        [Some(491_580), Some(500_000), Some(500_450), Some(175_450)]
    );
    // Newest first: the closing balance is the first row's.
    assert_eq!(a.balance, Some(491_580));
    assert_eq!(lines(a), [1, 2, 3, 4]);
}

#[test]
fn an_anz_csv_without_header_has_amounts_and_no_balance() {
    let a = &read("csv_anz_noheader.csv").accounts[0];
    assert_eq!(amounts(a), [-8420, -650, 120_000]);
    assert_eq!(
        descriptions(a),
        [
            "WOOLWORTHS 1234 SYDNEY",
            "ANZ ATM FEE",
            "TRANSFER FROM J SMITH"
        ]
    );
    assert_eq!(a.balance, None);
}

#[test]
fn a_westpac_csv_with_debit_and_credit_columns_and_an_account_column() {
    let a = &read("csv_westpac_header.csv").accounts[0];
    assert_eq!(a.key, "csv:032-000 123456");
    assert_eq!(a.number, "XXX-XXX XX3456");
    assert_eq!(a.name, "Account 3456");
    assert_eq!(amounts(a), [-8420, 325_000, -15_000], "debit is money out");
    assert_eq!(
        descriptions(a),
        [
            "WOOLWORTHS 1234 SYDNEY",
            "SALARY ACME PTY LTD",
            "CHEQUE 000123"
        ]
    );
    assert_eq!(a.balance, Some(491_580));
    assert_eq!(lines(a), [2, 3, 4]);
}

#[test]
fn a_westpac_csv_with_two_account_numbers_is_two_accounts_with_their_own_balances() {
    let s = read("csv_westpac_two_accounts.csv");
    let summary: Vec<(&str, Vec<i64>, Option<i64>)> = s
        .accounts
        .iter()
        .map(|a| (a.key.as_str(), amounts(a), a.balance))
        .collect();
    assert_eq!(
        summary,
        [
            ("csv:032-000 123456", vec![-8420, -50_000], Some(491_580)),
            ("csv:032-000 654321", vec![321, 50_000], Some(1_000_321)),
        ]
    );
    assert_eq!(lines(&s.accounts[1]), [3, 5]);
}

#[test]
fn a_nab_csv_with_short_month_names_and_an_account_number_column() {
    let a = &read("csv_nab_header.csv").accounts[0];
    assert_eq!(a.key, "csv:083-123 456789012");
    assert_eq!(
        post_dates(a),
        [d(2026, 8, 21), d(2026, 8, 22), d(2026, 8, 24)]
    );
    assert_eq!(amounts(a), [-8420, -2350, 150_000]);
    assert_eq!(
        descriptions(a),
        [
            "WOOLWORTHS 3340 SYDNEY AU",
            "UBER *TRIP HELP.UBER.COM AU",
            "ONLINE J SMITH RENT SHARE"
        ],
        "Transaction Details, not the type, category or merchant columns"
    );
    assert_eq!(a.balance, Some(639_230));
}

#[test]
fn a_neobank_csv_with_iso_timestamps_uses_total_aud_and_the_settled_date() {
    let a = &read("csv_neobank_iso_timestamps.csv").accounts[0];
    assert_eq!(a.key, "csv:633-123 123456789");
    assert_eq!(a.currency, "AUD");
    assert_eq!(
        amounts(a),
        [-8500, -450, 25_000],
        "Total (AUD), round-up included"
    );
    assert_eq!(
        descriptions(a),
        [
            "Woolworths Metro Sydney",
            "Myki Tram Melbourne",
            "Transfer from J Smith"
        ]
    );
    let t = &a.transactions;
    assert_eq!(
        (t[0].post_date, t[0].transaction_date),
        (d(2026, 8, 22), d(2026, 8, 21))
    );
    // Pending: no settled date yet, so the time of the purchase.
    assert_eq!(
        (t[1].post_date, t[1].transaction_date),
        (d(2026, 8, 21), d(2026, 8, 21))
    );
    assert_eq!(a.balance, None);
}

#[test]
fn a_european_csv_with_semicolons_and_decimal_commas_reads_euros() {
    let a = &read("csv_european_semicolon_decimal_comma.csv").accounts[0];
    assert_eq!(a.currency, "EUR", "from the € on the amounts");
    assert_eq!(
        amounts(a),
        [-11_070, 250_000, -450],
        "-110,70 €, 2.500,00 €, -4,5 €"
    );
    assert_eq!(post_dates(a), [d(2026, 8, 1), d(2026, 8, 3), d(2026, 8, 5)]);
    assert_eq!(a.transactions[0].balance, Some(123_456), "1.234,56");
    assert_eq!(a.balance, Some(373_006));
    assert_eq!(a.transactions[2].description, "Café Müller Wien");
}

#[test]
fn a_csv_of_one_day_listed_newest_first_takes_its_balance_from_the_running_balance() {
    let a = &read("csv_same_day_newest_first.csv").accounts[0];
    assert_eq!(a.balance, Some(9520));
}

#[test]
fn ambiguous_dates_follow_the_institution_country() {
    let a = &read("csv_ambiguous_dates.csv").accounts[0];
    assert_eq!(
        post_dates(a),
        [d(2026, 4, 3), d(2026, 6, 5)],
        "day first outside the US"
    );
    let us = Hints {
        country: Some("US".into()),
        ..Hints::default()
    };
    let a = &read_with("csv_ambiguous_dates.csv", &us).accounts[0];
    assert_eq!(post_dates(a), [d(2026, 3, 4), d(2026, 5, 6)]);
}

#[test]
fn one_month_first_date_makes_the_whole_file_month_first() {
    let a = &read("csv_mmdd_decided_by_file.csv").accounts[0];
    assert_eq!(
        post_dates(a),
        [d(2026, 3, 4), d(2026, 8, 21), d(2026, 4, 5)]
    );
}

#[test]
fn a_file_mixing_day_first_and_month_first_dates_is_refused_at_the_contradiction() {
    let e = refuse("csv_mixed_date_orders.csv");
    assert_eq!(e.line, Some(3));
    assert_eq!(
        e.detail,
        "'08/22/2026' can only be month/day, but line 2 has '21/08/2026', which can only be day/month: \
         one file uses one date order"
    );
}

#[test]
fn parentheses_dr_cr_and_currency_signs_give_signed_cents() {
    let a = &read("csv_parentheses_dr_cr.csv").accounts[0];
    assert_eq!(amounts(a), [100_000, -1250, -104_500, 2000, 10_000]);
    let balances: Vec<Option<i64>> = a.transactions.iter().map(|t| t.balance).collect();
    assert_eq!(
        balances,
        [
            Some(100_000),
            Some(98_750),
            Some(-5750),
            Some(-3750),
            Some(6250)
        ]
    );
    assert_eq!(a.balance, Some(6250));
    assert_eq!(a.currency, "AUD", "A$");
}

#[test]
fn a_tab_separated_file_with_debit_and_credit_columns() {
    let a = &read("csv_tab_delimited.csv").accounts[0];
    assert_eq!(amounts(a), [-8420, 10_000]);
    assert_eq!(a.balance, Some(101_580));
}

#[test]
fn a_dr_cr_column_signs_an_unsigned_amount_column() {
    let a = &read("csv_signs_in_separate_column.csv").accounts[0];
    assert_eq!(amounts(a), [-8420, 325_000]);
}

#[test]
fn without_a_header_the_running_balance_tells_credit_from_debit() {
    let a = &read("csv_debit_credit_noheader.csv").accounts[0];
    assert_eq!(amounts(a), [325_000, -8420, -450]);
    assert_eq!(
        descriptions(a),
        ["SALARY ACME PTY LTD", "WOOLWORTHS 1234 SYDNEY", "MYKI TRAM"]
    );
    assert_eq!(a.balance, Some(491_130));
}

#[test]
fn identical_tram_taps_on_one_day_are_separate_transactions_counted_in_their_keys() {
    let a = &read("csv_identical_tram_taps.csv").accounts[0];
    let k: Vec<(&str, u32)> = a.transactions.iter().map(row_key).collect();
    assert_eq!(k.len(), 4);
    assert!(
        k[0].0 == k[1].0 && k[1].0 == k[2].0,
        "the padded third tap is the same text"
    );
    assert_eq!((k[0].1, k[1].1, k[2].1), (1, 2, 3));
    assert_eq!(k[3].1, 1);
    assert_ne!(k[3].0, k[0].0);
}

#[test]
fn an_overlapping_second_export_reproduces_the_keys_of_the_rows_already_imported() {
    let first = read("overlap_1_aug_01_to_15.csv");
    let second = read("overlap_2_aug_10_to_31.csv");
    let (a, b) = (only(&first), only(&second));
    let overlap = |t: &&Transaction| t.post_date >= d(2026, 8, 10) && t.post_date <= d(2026, 8, 15);
    let in_first: Vec<&str> = a
        .transactions
        .iter()
        .filter(overlap)
        .map(|t| t.key.as_str())
        .collect();
    let in_second: Vec<&str> = b
        .transactions
        .iter()
        .filter(overlap)
        .map(|t| t.key.as_str())
        .collect();
    assert_eq!(in_first.len(), 4, "10th, two taps on the 12th, 15th");
    assert_eq!(in_first, in_second);
    let first_keys: std::collections::HashSet<&str> = keys(a).into_iter().collect();
    let new: Vec<&str> = b
        .transactions
        .iter()
        .filter(|t| !first_keys.contains(t.key.as_str()))
        .map(|t| t.description.as_str())
        .collect();
    assert_eq!(
        new,
        ["COLES 0423", "ORIGIN ENERGY"],
        "only the rows after the 15th are new"
    );
    // And the same file twice gives the same statement.
    assert_eq!(read("overlap_2_aug_10_to_31.csv"), second);
}

// ------------------------------------------------------------------------------ encodings

const ENCODED_CSV: [&str; 5] = [
    "csv_utf8_bom.csv",
    "csv_utf16le_bom.csv",
    "csv_utf16le_nobom.csv",
    "csv_utf16be_bom.csv",
    "csv_utf16be_nobom.csv",
];

#[test]
fn utf8_with_bom_and_utf16_in_both_byte_orders_with_and_without_bom_read_alike() {
    for name in ENCODED_CSV {
        let a = &read(name).accounts[0];
        assert_eq!(
            descriptions(a),
            ["Bäckerei Müller München", "Café Sienna € card"],
            "{name}"
        );
        assert_eq!(amounts(a), [-450, -1200], "{name}");
        assert_eq!(a.balance, Some(98_350), "{name}");
        assert_eq!(lines(a), [2, 3], "{name}");
    }
}

#[test]
fn an_undeclared_windows_1252_csv_keeps_cafe_muller_cartao_and_the_euro_sign() {
    let a = &read("csv_windows1252_undeclared.csv").accounts[0];
    assert_eq!(
        descriptions(a),
        [
            "Café Sienna Surry Hills",
            "Bäckerei Müller Wien €",
            "Compra cartão Lisboa"
        ]
    );
}

#[test]
fn an_undeclared_iso_8859_1_csv_keeps_its_accents() {
    let a = &read("csv_iso8859_1_undeclared.csv").accounts[0];
    assert_eq!(descriptions(a), ["Pão de Açúcar cartão", "Bäckerei Müller"]);
}

// ------------------------------------------------------------------------------ bad files

#[test]
fn a_bad_date_is_refused_with_its_line_and_value() {
    let e = refuse("bad_date_line14.csv");
    assert_eq!(e.to_string(), "line 14: '32/13/2026' is not a date");
    assert_eq!(e.field.as_deref(), Some("Date"));
}

#[test]
fn a_bad_amount_is_refused_with_its_line_and_value() {
    let e = refuse("bad_amount_line9.csv");
    assert_eq!(e.to_string(), "line 9: 'abc' is not an amount");
    assert_eq!(e.field.as_deref(), Some("Amount"));
}

#[test]
fn a_csv_without_a_date_column_says_which_columns_it_found() {
    let e = refuse("csv_no_date_column.csv");
    assert_eq!(
        e.to_string(),
        "found columns: Description (text), Reference (numbers), Amount (amounts); no date column"
    );
}

#[test]
fn a_csv_without_an_amount_column_says_which_columns_it_found() {
    let e = refuse("csv_no_amount_column.csv");
    assert_eq!(
        e.to_string(),
        "found columns: Date (dates), Description (text), Reference (numbers); no amount column (a signed amount, or debit and credit)"
    );
}

#[test]
fn a_csv_with_only_a_header_has_no_transactions() {
    let e = refuse("csv_header_only_no_transactions.csv");
    assert_eq!(
        e.to_string(),
        "the file holds no transactions (only a header row: Date, Description, Amount, Balance)"
    );
}

#[test]
fn empty_and_blank_files_are_empty() {
    assert_eq!(refuse("empty.csv").to_string(), "the file is empty");
    assert_eq!(refuse("blank_lines.csv").to_string(), "the file is empty");
}

#[test]
fn a_pdf_statement_is_refused_with_what_to_export_instead() {
    assert_eq!(
        refuse("statement.pdf").to_string(),
        "PDF statements are not supported yet; export OFX, QIF or CSV from your bank"
    );
}

#[test]
fn random_bytes_are_refused_as_binary() {
    assert_eq!(
        refuse("random_bytes.bin").to_string(),
        "the file is not a text statement (it holds binary data); export OFX, QIF or CSV from your bank"
    );
}

// ---------------------------------------------------------------------- the whole corpus

#[test]
fn every_fixture_imports_the_same_twice_and_no_description_holds_a_replacement_character() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let once = import(&bytes, &Hints::default());
        assert_eq!(
            once,
            import(&bytes, &Hints::default()),
            "{}",
            path.display()
        );
        if let Ok(s) = once {
            for a in &s.accounts {
                let mut keys = std::collections::HashSet::new();
                for t in &a.transactions {
                    assert!(
                        !t.description.contains('\u{fffd}'),
                        "{}: {}",
                        path.display(),
                        t.description
                    );
                    assert!(
                        keys.insert(t.key.clone()),
                        "{}: duplicate key {}",
                        path.display(),
                        t.key
                    );
                    assert!(t.line >= 1);
                }
            }
        }
        seen += 1;
    }
    assert!(seen >= 55, "{seen} fixtures");
}

#[test]
fn an_html_page_saved_as_xls_is_refused_as_a_web_page() {
    assert_eq!(
        refuse("html_saved_as.xls").to_string(),
        "the file is a web page (HTML), not a statement export; export OFX, QIF or CSV from your bank"
    );
}

#[test]
fn plain_text_without_dates_and_amounts_is_not_a_statement() {
    assert_eq!(
        refuse("letter_not_a_statement.txt").to_string(),
        "the file is not a statement export: not OFX or QIF, and no rows with dates and amounts; export OFX, QIF or CSV from your bank"
    );
}
