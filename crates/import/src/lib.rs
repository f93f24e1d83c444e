//! `tally-import`: a bank's statement export (OFX/QFX, QIF, CSV), as bytes, in; the
//! accounts and transactions it holds, or the first place it cannot be read, out.
//!
//! Pure: no I/O, no clock, no database. The server stores what [`import`] returns and
//! runs it inside a job's `verify-credentials` step; everything here is tested natively
//! against the fixture corpus under `tests/fixtures`.
//!
//! All or nothing: a file with one unreadable row is an [`ImportError`] naming the line
//! and the field, never a partial statement.

use chrono::NaiveDate;

mod amounts;
pub mod bench;
mod csv_layout;
mod dates;
mod decode;
mod detect;
mod keys;
mod markup;
mod ofx;
mod qif;
mod text;

pub use amounts::DecimalMark;
pub use dates::DateOrder;

/// What the importer may know beyond the bytes.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// The institution's country (`Australia`, `AU`, `United States`, …): breaks a
    /// day/month tie when every date of a file could be read either way.
    pub country: Option<String>,
    /// Currency when the file names none (ISO 4217, e.g. `AUD`).
    pub currency: Option<String>,
}

/// The format recognised from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OFX 1.x: SGML body, `KEY:VALUE` header (also QFX).
    Ofx1,
    /// OFX 2.x: XML with an `<?OFX …?>` processing instruction (also QFX).
    Ofx2,
    /// Quicken Interchange Format (`!Type:Bank`, `!Type:CCard`).
    Qif,
    /// Comma-, semicolon- or tab-separated values, with or without a header row.
    Csv,
}

/// Kind of account, in the contract's `class.type` words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Transaction,
    Savings,
    CreditCard,
    Mortgage,
    Loan,
}

impl AccountKind {
    /// The contract's word (`transaction`, `savings`, `credit-card`, `mortgage`, `loan`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Transaction => "transaction",
            AccountKind::Savings => "savings",
            AccountKind::CreditCard => "credit-card",
            AccountKind::Mortgage => "mortgage",
            AccountKind::Loan => "loan",
        }
    }
}

/// A parsed statement: one or more accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub format: Format,
    pub accounts: Vec<Account>,
}

/// One account of a statement. Money is integer cents.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Stable key of the account across uploads of the same institution: from the
    /// file's own account id when it has one (`BANKID` + `ACCTID`, a CSV account
    /// column), else `"file"` (a CSV or QIF export of one unnamed account).
    pub key: String,
    /// The account number as shown, masked but for its last 4 characters
    /// (`XXXX XXXX 1234`); empty when the file has none.
    pub number: String,
    /// A display name, e.g. `Credit card 1234`, `Account 1234`, `Statement account`.
    pub name: String,
    pub kind: AccountKind,
    /// ISO 4217 currency (`CURDEF`, a currency column, a hint, else `AUD`).
    pub currency: String,
    /// Closing balance (`LEDGERBAL`, the last row's balance column), if the file has one.
    pub balance: Option<i64>,
    /// `AVAILBAL`, if the file has one.
    pub available: Option<i64>,
    /// Every row of the account, in file order.
    pub transactions: Vec<Transaction>,
}

/// One transaction row.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    /// Stable across re-uploads and unique within its account: `fitid:<FITID>` when
    /// the bank's id is unique in the file, else `row:<hash of date, amount, text>:<n>`
    /// where `n` counts identical rows (two tram taps on one day are `…:1` and `…:2`).
    pub key: String,
    /// The date the bank posted it (`DTPOSTED`, the CSV date).
    pub post_date: NaiveDate,
    /// The date the user made it (`DTUSER`), else the post date.
    pub transaction_date: NaiveDate,
    /// Signed cents: negative is money out.
    pub amount: i64,
    /// NAME + MEMO (or the CSV description), padding and repeated spaces removed.
    pub description: String,
    /// Running balance after this row, when the file has one.
    pub balance: Option<i64>,
    /// 1-based line of the file where the row starts.
    pub line: usize,
}

/// Why a file cannot be imported, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ImportError {
    /// 1-based line, when the problem is at one place.
    pub line: Option<usize>,
    /// The field or column, e.g. `date`, `TRNAMT`, `amount`.
    pub field: Option<String>,
    /// What is wrong, e.g. `'32/13/2026' is not a date`.
    pub detail: String,
}

impl ImportError {
    /// A problem with the file as a whole (no line to point at).
    pub(crate) fn file(detail: impl Into<String>) -> Self {
        ImportError {
            line: None,
            field: None,
            detail: detail.into(),
        }
    }

    /// A problem at one line, in one field.
    pub(crate) fn at(line: usize, field: impl Into<String>, detail: impl Into<String>) -> Self {
        ImportError {
            line: Some(line),
            field: Some(field.into()),
            detail: detail.into(),
        }
    }

    /// `'<value>' is not a date` at `line`, in `field`.
    pub(crate) fn not_a_date(line: usize, field: impl Into<String>, value: &str) -> Self {
        Self::at(
            line,
            field,
            format!("'{}' is not a date", text::excerpt(value)),
        )
    }

    /// `'<value>' is not an amount` at `line`, in `field`.
    pub(crate) fn not_an_amount(line: usize, field: impl Into<String>, value: &str) -> Self {
        Self::at(
            line,
            field,
            format!("'{}' is not an amount", text::excerpt(value)),
        )
    }

    /// `line 14: '32/13/2026' is not a date`, or just the detail.
    pub fn message(&self) -> String {
        match self.line {
            Some(l) => format!("line {l}: {}", self.detail),
            None => self.detail.clone(),
        }
    }
}

/// Reads a statement file. The format is recognised from the content.
///
/// ```
/// let csv = b"21/08/2026,-84.20,WOOLWORTHS 1234 SYDNEY,+4915.80\n";
/// let statement = tally_import::import(csv, &tally_import::Hints::default()).unwrap();
/// assert_eq!(statement.format, tally_import::Format::Csv);
/// assert_eq!(statement.accounts[0].transactions[0].amount, -8420);
/// assert_eq!(statement.accounts[0].balance, Some(491580));
/// ```
pub fn import(bytes: &[u8], hints: &Hints) -> Result<Statement, ImportError> {
    detect::refuse_known_binaries(bytes)?;
    let text = decode::decode(bytes);
    if text.trim().is_empty() {
        return Err(ImportError::file("the file is empty"));
    }
    if detect::is_binary(&text) {
        return Err(ImportError::file(
            "the file is not a text statement (it holds binary data); export OFX, QIF or CSV from your bank",
        ));
    }
    detect::refuse_known_texts(&text)?;
    let statement = match detect::format(&text) {
        Format::Ofx1 | Format::Ofx2 => ofx::read(&text, hints)?,
        Format::Qif => qif::read(&text, hints)?,
        Format::Csv => csv_layout::read(&text, hints)?,
    };
    if statement.accounts.iter().all(|a| a.transactions.is_empty()) {
        let accounts = statement.accounts.len();
        let what = if accounts == 1 {
            "its account has".to_string()
        } else {
            format!("its {accounts} accounts have")
        };
        return Err(ImportError::file(format!(
            "the file holds no transactions ({what} none); export a period that has some"
        )));
    }
    Ok(statement)
}
