//! QIF (Quicken Interchange Format): `!Type:Bank` / `!Type:CCard` sections of records,
//! one field per line (`D` date, `T` or `U` amount, `P` payee, `M` memo, `N` number,
//! `^` end of record). Dates come in local forms (`dd/mm/yy`, `mm/dd'yy`, …), so they
//! are read in two passes: the file's day/month order first, then the dates.

use crate::amounts::{self, DecimalMark, MarkVotes};
use crate::dates::{self, OrderVotes, RawDate};
use crate::{keys, text, Account, AccountKind, Format, Hints, ImportError, Statement, Transaction};

/// A record as read, before dates and amounts are settled.
struct Record<'a> {
    line: usize,
    account: usize,
    date: Option<(&'a str, usize, RawDate)>,
    amount: Option<(&'a str, usize)>,
    payee: &'a str,
    memo: &'a str,
    number: &'a str,
}

/// An account the records belong to: from `!Account` (`N` name, `T` type), or the file.
struct Section {
    name: String,
    kind: AccountKind,
}

fn kind_of(type_line: &str) -> Option<AccountKind> {
    let t = type_line.trim().to_ascii_lowercase();
    Some(match t.as_str() {
        "bank" | "cash" => AccountKind::Transaction,
        "ccard" | "credit card" => AccountKind::CreditCard,
        "oth l" => AccountKind::Loan,
        "oth a" => AccountKind::Savings,
        _ => return None,
    })
}

pub(crate) fn read(text: &str, hints: &Hints) -> Result<Statement, ImportError> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<usize> = None; // section receiving records
    let mut in_account_block = false;
    let mut block_name = String::new();
    let mut block_kind: Option<AccountKind> = None;
    let mut skipped: Vec<String> = Vec::new();
    let mut records: Vec<Record<'_>> = Vec::new();
    let mut draft: Option<Record<'_>> = None;
    let mut votes = OrderVotes::default();
    let mut marks = MarkVotes::default();

    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw
            .trim_end_matches(['\r', ' ', '\t'])
            .trim_start_matches([' ', '\t']);
        if l.is_empty() {
            continue;
        }
        if let Some(header) = l.strip_prefix('!') {
            finish(&mut draft, &mut records);
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("account") {
                in_account_block = true;
                block_name.clear();
                block_kind = None;
                current = None;
            } else if let Some(t) = lower.strip_prefix("type:") {
                in_account_block = false;
                current = match kind_of(t) {
                    Some(kind) => {
                        let name = block_name.clone();
                        let kind = block_kind.unwrap_or(kind);
                        let index =
                            sections
                                .iter()
                                .position(|s| s.name == name)
                                .unwrap_or_else(|| {
                                    sections.push(Section { name, kind });
                                    sections.len() - 1
                                });
                        Some(index)
                    }
                    None => {
                        skipped.push(header[5..].trim().to_string());
                        None
                    }
                };
            }
            // !Option:AutoSwitch, !Clear:AutoSwitch: no data.
            continue;
        }
        let (code, value) = l.split_at(l.chars().next().map_or(0, char::len_utf8));
        if in_account_block {
            match code {
                "N" => block_name = value.trim().to_string(),
                "T" => block_kind = kind_of(value),
                _ => {}
            }
            continue;
        }
        let Some(account) = current else { continue };
        if code == "^" {
            finish(&mut draft, &mut records);
            continue;
        }
        let r = draft.get_or_insert(Record {
            line,
            account,
            date: None,
            amount: None,
            payee: "",
            memo: "",
            number: "",
        });
        match code {
            "D" => {
                let raw = dates::scan(value)
                    .ok_or_else(|| ImportError::not_a_date(line, "date", value))?;
                votes.add(raw, line, value);
                r.date = Some((value, line, raw));
            }
            "T" => r.amount = Some((value, line)),
            "U" if r.amount.is_none() => r.amount = Some((value, line)),
            "P" => r.payee = value,
            "M" => r.memo = value,
            "N" => r.number = value,
            _ => {}
        }
        if matches!(code, "T" | "U") {
            marks.add(
                value,
                line,
                if code == "T" { "amount" } else { "U (amount)" },
            )?;
        }
    }
    finish(&mut draft, &mut records);

    if sections.is_empty() || (records.is_empty() && !skipped.is_empty()) {
        let what = if skipped.is_empty() {
            "no !Type:Bank or !Type:CCard section".to_string()
        } else {
            format!(
                "only {} sections",
                skipped
                    .iter()
                    .map(|s| format!("!Type:{s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(ImportError::file(format!(
            "the QIF file holds {what}; investment and list exports are not supported, export a bank or credit-card account"
        )));
    }
    let order = votes.decide(hints, "date")?;
    let mark = marks.decide(DecimalMark::Point);
    let mut accounts: Vec<(Vec<Transaction>, Vec<Option<String>>)> =
        sections.iter().map(|_| (vec![], vec![])).collect();
    for r in records {
        let (value, line, raw) = r
            .date
            .ok_or_else(|| ImportError::at(r.line, "date", "the record has no date (D line)"))?;
        let post_date = raw
            .resolve(order)
            .ok_or_else(|| ImportError::not_a_date(line, "date", value))?;
        let (amount, line) = r.amount.ok_or_else(|| {
            ImportError::at(r.line, "amount", "the record has no amount (T line)")
        })?;
        let amount = amounts::split(amount)
            .and_then(|p| amounts::cents(&p, mark))
            .ok_or_else(|| ImportError::not_an_amount(line, "amount", amount))?;
        let payee = text::clean(r.payee);
        let memo = text::clean(r.memo);
        let mut description = payee;
        if !memo.is_empty() && !memo.eq_ignore_ascii_case(&description) {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(&memo);
        }
        if description.is_empty() && !r.number.trim().is_empty() {
            description = format!("Cheque {}", r.number.trim());
        }
        let (txs, ids) = &mut accounts[r.account];
        txs.push(Transaction {
            key: String::new(),
            post_date,
            transaction_date: post_date,
            amount,
            description,
            balance: None,
            line: r.line,
        });
        ids.push(None);
    }
    let accounts = sections
        .into_iter()
        .zip(accounts)
        .map(|(section, (mut transactions, ids))| {
            keys::assign(&mut transactions, &ids);
            let named = !section.name.is_empty();
            Account {
                key: if named {
                    format!("qif:{}", section.name)
                } else {
                    "file".to_string()
                },
                number: String::new(),
                name: if named {
                    section.name
                } else {
                    "Statement account".to_string()
                },
                kind: section.kind,
                currency: hints
                    .currency
                    .clone()
                    .unwrap_or_else(|| "AUD".to_string())
                    .to_ascii_uppercase(),
                balance: None,
                available: None,
                transactions,
            }
        })
        .collect();
    Ok(Statement {
        format: Format::Qif,
        accounts,
    })
}

/// Ends the record being read (at `^`, a new section, or the end of the file).
fn finish<'a>(draft: &mut Option<Record<'a>>, records: &mut Vec<Record<'a>>) {
    if let Some(r) = draft.take() {
        records.push(r);
    }
}
