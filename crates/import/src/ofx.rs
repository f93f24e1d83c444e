//! OFX / QFX statements (1.x SGML and 2.x XML, through [`crate::markup`]): one account
//! per `STMTRS` (bank) or `CCSTMTRS` (credit card), its `STMTTRN` rows, its ledger and
//! available balances. Investment statements (`INVSTMTRS`) are not bank data: they are
//! skipped beside bank statements and refused when they are all a file holds.

use std::borrow::Cow;

use crate::markup::{self, Node, Tag};
use crate::{
    amounts, dates, keys, text, Account, AccountKind, Hints, ImportError, Statement, Transaction,
};

/// One `STMTRS` / `CCSTMTRS` being read.
#[derive(Default)]
struct AccountDraft {
    credit_card: bool,
    bank_id: String,
    account_id: String,
    account_type: String,
    currency: String,
    ledger: Option<i64>,
    available: Option<i64>,
    transactions: Vec<Transaction>,
    fitids: Vec<Option<String>>,
}

/// One `STMTTRN` being read; fields keep their line for errors.
#[derive(Default)]
struct TxDraft {
    line: usize,
    posted: Option<(String, usize)>,
    user: Option<String>,
    amount: Option<(String, usize)>,
    fitid: Option<String>,
    name: Option<String>,
    payee: Option<String>,
    memo: Option<String>,
    kind: Option<String>,
    check: Option<String>,
}

/// Where the reader is, as far as it matters.
#[derive(Default)]
struct State {
    path: Vec<Tag>,
    accounts: Vec<AccountDraft>,
    current: Option<AccountDraft>,
    tx: Option<TxDraft>,
    saw_ofx: bool,
    investment: usize,
}

const AGGREGATES: [&str; 6] = [
    "STMTTRN",
    "STMTRS",
    "CCSTMTRS",
    "BANKTRANLIST",
    "INVSTMTRS",
    "OFX",
];

pub(crate) fn read(text: &str, hints: &Hints) -> Result<Statement, ImportError> {
    let format = crate::detect::format(text);
    let mut st = State::default();
    let unclosed = markup::walk(text, |node, line| st.node(node, line))?;
    if !st.saw_ofx {
        return Err(ImportError::file(
            "the file has an OFX header but no <OFX> body (truncated?); export the statement again",
        ));
    }
    if let Some((first, first_line)) = unclosed.last() {
        let missing: Vec<String> = unclosed
            .iter()
            .rev()
            .map(|(t, _)| format!("</{}>", t.name()))
            .collect();
        return Err(ImportError::at(
            *first_line,
            first.name(),
            format!(
                "the file ends early (truncated?): <{}> opened here is never closed; missing {}",
                first.name(),
                missing.join(", ")
            ),
        ));
    }
    if st.accounts.is_empty() {
        return Err(ImportError::file(if st.investment > 0 {
            "investment statements (INVSTMTMSGSRSV1) are not supported; export a bank or credit-card statement"
        } else {
            "the OFX file holds no bank or credit-card statement (no <STMTRS> or <CCSTMTRS>)"
        }));
    }
    let mut accounts: Vec<(Account, Vec<Option<String>>)> = Vec::new();
    let single = st.accounts.len() == 1;
    for (i, draft) in st.accounts.into_iter().enumerate() {
        let (account, fitids) = finish_account(draft, i, single, hints);
        // Two statements of one account in one file (two periods): one account, keyed
        // as a whole so its keys stay unique.
        if let Some((same, ids)) = accounts.iter_mut().find(|(a, _)| a.key == account.key) {
            same.transactions.extend(account.transactions);
            ids.extend(fitids);
            same.balance = account.balance.or(same.balance);
            same.available = account.available.or(same.available);
        } else {
            accounts.push((account, fitids));
        }
    }
    let accounts = accounts
        .into_iter()
        .map(|(mut account, fitids)| {
            keys::assign(&mut account.transactions, &fitids);
            account
        })
        .collect();
    Ok(Statement { format, accounts })
}

/// The account and its rows' FITIDs (keys are set once accounts are merged).
fn finish_account(
    d: AccountDraft,
    index: usize,
    single: bool,
    hints: &Hints,
) -> (Account, Vec<Option<String>>) {
    let kind = if d.credit_card {
        AccountKind::CreditCard
    } else {
        match d.account_type.to_ascii_uppercase().as_str() {
            "SAVINGS" | "MONEYMRKT" => AccountKind::Savings,
            "CREDITLINE" => AccountKind::Loan,
            "CC" => AccountKind::CreditCard,
            _ => AccountKind::Transaction,
        }
    };
    let id = d.account_id.trim();
    let key = match (d.bank_id.trim(), id) {
        (_, "") if single => "file".to_string(),
        (_, "") => format!("file:{}", index + 1),
        ("", id) => format!("ofx:{id}"),
        (bank, id) => format!("ofx:{bank}:{id}"),
    };
    let tail = text::last4(id);
    let name = match (kind, tail.is_empty()) {
        (_, true) => "Statement account".to_string(),
        (AccountKind::CreditCard, _) => format!("Credit card {tail}"),
        (AccountKind::Savings, _) => format!("Savings {tail}"),
        (AccountKind::Loan | AccountKind::Mortgage, _) => format!("Loan {tail}"),
        (AccountKind::Transaction, _) => format!("Account {tail}"),
    };
    let currency = [
        d.currency.trim(),
        hints.currency.as_deref().unwrap_or("").trim(),
        "AUD",
    ]
    .into_iter()
    .find(|c| !c.is_empty())
    .unwrap_or("AUD")
    .to_ascii_uppercase();
    let account = Account {
        key,
        number: text::mask(id),
        name,
        kind,
        currency,
        balance: d.ledger,
        available: d.available,
        transactions: d.transactions,
    };
    (account, d.fitids)
}

impl State {
    fn parent(&self) -> Option<&Tag> {
        self.path.last()
    }

    fn inside(&self, name: &str) -> bool {
        self.path.iter().any(|t| t.is(name))
    }

    fn node(&mut self, node: Node<'_>, line: usize) -> Result<(), ImportError> {
        match node {
            Node::Open(tag) => {
                let investing = self.inside("INVSTMTRS");
                self.path.push(tag);
                match tag.as_bytes() {
                    b"OFX" => self.saw_ofx = true,
                    b"INVSTMTRS" => self.investment += 1,
                    b"STMTRS" | b"CCSTMTRS" if !investing => {
                        self.current = Some(AccountDraft {
                            credit_card: tag.is("CCSTMTRS"),
                            ..Default::default()
                        });
                    }
                    b"STMTTRN" if self.current.is_some() && !investing => {
                        self.tx = Some(TxDraft {
                            line,
                            ..Default::default()
                        });
                    }
                    _ => {}
                }
            }
            Node::Close(tag) => {
                self.path.pop();
                match tag.as_bytes() {
                    b"STMTTRN" => {
                        if let (Some(tx), Some(acc)) = (self.tx.take(), self.current.as_mut()) {
                            let (transaction, fitid) = finish_tx(tx)?;
                            acc.transactions.push(transaction);
                            acc.fitids.push(fitid);
                        }
                    }
                    b"STMTRS" | b"CCSTMTRS" => {
                        if let Some(acc) = self.current.take() {
                            self.accounts.push(acc);
                        }
                    }
                    _ => {}
                }
            }
            Node::Leaf(tag, value) => self.leaf(tag, value, line)?,
        }
        Ok(())
    }

    fn leaf(&mut self, tag: Tag, value: Cow<'_, str>, line: usize) -> Result<(), ImportError> {
        if !value.is_empty() && AGGREGATES.iter().any(|a| tag.is(a)) {
            return Err(ImportError::at(
                line,
                tag.name(),
                format!(
                    "<{}> holds text ('{}') where its elements belong",
                    tag.name(),
                    text::excerpt(&value)
                ),
            ));
        }
        if tag.is("OFX") {
            self.saw_ofx = true;
        }
        let Some(parent) = self.parent().copied() else {
            return Ok(());
        };
        if let Some(tx) = self.tx.as_mut() {
            let owned = || Some(value.to_string());
            match (parent.as_bytes(), tag.as_bytes()) {
                (b"STMTTRN", b"DTPOSTED") => tx.posted = Some((value.to_string(), line)),
                (b"STMTTRN", b"DTUSER") => tx.user = owned(),
                (b"STMTTRN", b"TRNAMT") => tx.amount = Some((value.to_string(), line)),
                (b"STMTTRN", b"FITID") => tx.fitid = owned(),
                (b"STMTTRN", b"NAME") => tx.name = owned(),
                (b"PAYEE", b"NAME") => tx.payee = owned(),
                (b"STMTTRN", b"MEMO") => tx.memo = owned(),
                (b"STMTTRN", b"TRNTYPE") => tx.kind = owned(),
                (b"STMTTRN", b"CHECKNUM") => tx.check = owned(),
                _ => {}
            }
            return Ok(());
        }
        let Some(acc) = self.current.as_mut() else {
            return Ok(());
        };
        match (parent.as_bytes(), tag.as_bytes()) {
            (b"STMTRS" | b"CCSTMTRS", b"CURDEF") => acc.currency = value.into_owned(),
            (b"BANKACCTFROM" | b"CCACCTFROM", b"BANKID") => acc.bank_id = value.into_owned(),
            (b"BANKACCTFROM" | b"CCACCTFROM", b"ACCTID") => acc.account_id = value.into_owned(),
            (b"BANKACCTFROM", b"ACCTTYPE") => acc.account_type = value.into_owned(),
            (b"LEDGERBAL", b"BALAMT") => acc.ledger = balance(&value, line)?,
            (b"AVAILBAL", b"BALAMT") => acc.available = balance(&value, line)?,
            _ => {}
        }
        Ok(())
    }
}

fn balance(value: &str, line: usize) -> Result<Option<i64>, ImportError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    amounts::standalone(value)
        .map(Some)
        .ok_or_else(|| ImportError::not_an_amount(line, "BALAMT", value))
}

fn finish_tx(tx: TxDraft) -> Result<(Transaction, Option<String>), ImportError> {
    let missing = |field: &str, what: &str| {
        ImportError::at(
            tx.line,
            field,
            format!("the transaction (<STMTTRN>) has no {field} ({what})"),
        )
    };
    let (posted, posted_line) = tx
        .posted
        .as_ref()
        .filter(|(v, _)| !v.is_empty())
        .ok_or_else(|| missing("DTPOSTED", "posted date"))?;
    let post_date = dates::ofx(posted)
        .ok_or_else(|| ImportError::not_a_date(*posted_line, "DTPOSTED", posted))?;
    let (amount, amount_line) = tx
        .amount
        .as_ref()
        .filter(|(v, _)| !v.is_empty())
        .ok_or_else(|| missing("TRNAMT", "amount"))?;
    let amount = amounts::standalone(amount)
        .ok_or_else(|| ImportError::not_an_amount(*amount_line, "TRNAMT", amount))?;
    // DTUSER is optional: an empty, all-zero or unreadable one falls back to the post date.
    let transaction_date = tx.user.as_deref().and_then(dates::ofx).unwrap_or(post_date);
    let name = text::clean(tx.name.as_deref().or(tx.payee.as_deref()).unwrap_or(""));
    let memo = text::clean(tx.memo.as_deref().unwrap_or(""));
    let mut description = name;
    if !memo.is_empty() && !memo.eq_ignore_ascii_case(&description) {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&memo);
    }
    if description.is_empty() {
        description = match (
            tx.check.as_deref().map(str::trim),
            tx.kind.as_deref().map(str::trim),
        ) {
            (Some(n), _) if !n.is_empty() => format!("Cheque {n}"),
            (_, Some(k)) => k.to_string(),
            _ => String::new(),
        };
    }
    let fitid = tx
        .fitid
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty());
    let transaction = Transaction {
        key: String::new(),
        post_date,
        transaction_date,
        amount,
        description,
        balance: None,
        line: tx.line,
    };
    Ok((transaction, fitid))
}
