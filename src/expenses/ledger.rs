//! The transactions in memory, laid out for a tight filter loop: one compact [`Row`] per
//! transaction (interned `u16` ids, cents, day numbers, flag bits), the text columns
//! beside it, and all lowercase search text in one string. Built once per load from
//! the wire types; the only mutation afterwards is re-categorising a row.

use std::collections::{HashMap, HashSet};

use tally_api::spending::Kind;
use tally_api::{Account, Transaction};

use super::categories::{self, UNCATEGORISED, UNCATEGORISED_TITLE};
use super::day::{self, Day, Month};
use super::money;

/// Row flag: the transaction is pending (not posted yet).
pub const PENDING: u8 = 1;
/// Row flag: money in (a credit); otherwise money out (a debit).
pub const CREDIT: u8 = 2;
/// Row flag: neither `postDate` nor `transactionDate` could be read.
pub const NO_DATE: u8 = 4;
/// Row flag: `amount` could not be read; the row counts as zero.
pub const BAD_AMOUNT: u8 = 8;
/// Row flag: one side of a transfer between the user's own accounts (the server's
/// `links.transfer`): neither spending nor income (`tally_api::spending`).
pub const OWN_TRANSFER: u8 = 16;
/// Row flag: paying off a loan: shown apart from spending, as the server's expenses
/// summary does.
pub const LOAN_REPAYMENT: u8 = 32;

/// One transaction, compact. `cents` keeps the wire's sign: negative is money out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub cents: i64,
    /// `postDate`, or `transactionDate` while pending; `i32::MIN` when neither is readable.
    pub day: Day,
    pub month: Month,
    pub account: u16,
    pub connection: u16,
    pub institution: u16,
    pub category: u16,
    pub flags: u8,
}

impl Row {
    pub fn pending(&self) -> bool {
        self.flags & PENDING != 0
    }
    pub fn credit(&self) -> bool {
        self.flags & CREDIT != 0
    }
}

/// Interned ids with their display labels: the index is the `u16` stored in rows.
#[derive(Clone, Debug, Default)]
pub struct Dict {
    ids: Vec<String>,
    labels: Vec<String>,
    map: HashMap<String, u16>,
}

impl Dict {
    /// The index of `id`, adding it (labelled `label()`) when new. Past `u16::MAX` ids
    /// everything shares the last index rather than panicking.
    pub fn intern(&mut self, id: &str, label: impl FnOnce() -> String) -> u16 {
        if let Some(&i) = self.map.get(id) {
            return i;
        }
        if self.ids.len() >= u16::MAX as usize {
            return u16::MAX - 1;
        }
        let i = self.ids.len() as u16;
        self.ids.push(id.to_string());
        self.labels.push(label());
        self.map.insert(id.to_string(), i);
        i
    }
    pub fn get(&self, id: &str) -> Option<u16> {
        self.map.get(id).copied()
    }
    pub fn id(&self, i: u16) -> &str {
        self.ids.get(i as usize).map(String::as_str).unwrap_or("")
    }
    pub fn label(&self, i: u16) -> &str {
        self.labels.get(i as usize).map(String::as_str).unwrap_or("")
    }
    /// The label of an id, or the id itself when unknown.
    pub fn label_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map(|i| self.label(i)).unwrap_or(id)
    }
    pub fn set_label(&mut self, id: &str, label: String) {
        if let Some(i) = self.get(id) {
            self.labels[i as usize] = label;
        }
    }
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// `(index, id, label)` in interning order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &str, &str)> {
        self.ids.iter().zip(&self.labels).enumerate().map(|(i, (id, l))| (i as u16, id.as_str(), l.as_str()))
    }
}

/// All loaded transactions, newest first.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pub rows: Vec<Row>,
    pub ids: Vec<String>,
    pub descriptions: Vec<String>,
    pub merchants: Vec<String>,
    search: String,
    search_end: Vec<u32>,
    pub accounts: Dict,
    pub connections: Dict,
    pub institutions: Dict,
    pub categories: Dict,
    /// How many rows had an amount that could not be read (counted as zero).
    pub bad_amounts: usize,
    /// How many rows had no readable date (only shown when no date filter is set).
    pub bad_dates: usize,
    /// First and last day present.
    pub day_range: Option<(Day, Day)>,
}

/// Everything needed to build one row, independent of the wire type (the bench and the
/// tests build rows without JSON).
pub struct NewRow<'a> {
    pub id: &'a str,
    pub day: Option<Day>,
    pub cents: Option<i64>,
    pub pending: bool,
    pub credit: bool,
    /// Where it lands in totals: the rule the server's expenses summary shares.
    pub kind: Kind,
    pub account: &'a str,
    pub connection: &'a str,
    pub institution: &'a str,
    pub category: Option<(&'a str, &'a str)>,
    pub description: &'a str,
    pub merchant: &'a str,
}

impl<'a> NewRow<'a> {
    /// Reads a wire transaction. Direction comes from `direction`, or from the amount's
    /// sign when `direction` is neither `debit` nor `credit`.
    pub fn from_wire(t: &'a Transaction) -> Self {
        let cents = money::parse_cents(&t.amount);
        let day = t.post_date.as_deref().and_then(day::parse).or_else(|| t.transaction_date.as_deref().and_then(day::parse));
        let credit = match t.direction {
            tally_api::Direction::Credit => true,
            tally_api::Direction::Debit => false,
            tally_api::Direction::Unknown(_) => cents.unwrap_or(0) > 0,
        };
        let enrich = t.enrich.as_ref();
        NewRow {
            id: &t.id,
            day,
            cents,
            pending: t.status == tally_api::TransactionStatus::Pending,
            credit,
            kind: Kind::of(&t.class, cents.unwrap_or(0), t.links.transfer.is_some()),
            account: &t.account,
            connection: &t.connection,
            institution: &t.institution,
            category: enrich
                .and_then(|e| e.category.as_ref())
                .filter(|c| !c.id.is_empty())
                .map(|c| (c.id.as_str(), c.title.as_str()))
                .or_else(|| categories::for_class(&t.class)),
            description: &t.description,
            merchant: enrich.and_then(|e| e.merchant.as_ref()).map(|m| m.business_name.as_str()).unwrap_or(""),
        }
    }
}

impl Ledger {
    /// Builds the ledger from the accounts (for their names) and the transactions of all
    /// pages. Duplicates (same id twice) are kept once.
    pub fn from_wire(accounts: &[Account], transactions: &[Transaction]) -> Ledger {
        let mut ledger = Ledger::with_accounts(accounts);
        let mut seen = HashSet::with_capacity(transactions.len());
        let rows: Vec<NewRow> = transactions.iter().filter(|t| seen.insert(t.id.as_str())).map(NewRow::from_wire).collect();
        ledger.push_all(rows);
        ledger
    }

    /// An empty ledger that knows the accounts' names, connections and institutions.
    pub fn with_accounts(accounts: &[Account]) -> Ledger {
        let mut l = Ledger::default();
        for a in accounts {
            let digits: String = a.account_no.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            let label = if digits.is_empty() { a.name.clone() } else { format!("{} ••{}", a.name, digits) };
            l.accounts.intern(&a.id, || label);
            l.institutions.intern(&a.institution, || a.institution.clone());
            l.connections.intern(&a.connection, || a.connection.clone());
        }
        l
    }

    /// Appends rows, then re-sorts everything newest first (undated rows last).
    pub fn push_all(&mut self, rows: Vec<NewRow>) {
        let mut order: Vec<(Day, usize)> = rows.iter().enumerate().map(|(i, r)| (r.day.unwrap_or(Day::MIN), i)).collect();
        order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let n = self.rows.len() + rows.len();
        self.rows.reserve(n);
        self.ids.reserve(n);
        self.descriptions.reserve(n);
        self.merchants.reserve(n);
        self.search_end.reserve(n);
        for (_, i) in order {
            self.push(&rows[i]);
        }
        if self.rows.len() != rows.len() {
            self.resort();
        }
    }

    fn push(&mut self, r: &NewRow) {
        let account = self.accounts.intern(r.account, || r.account.to_string());
        let connection = self.connections.intern(r.connection, || r.connection.to_string());
        let institution = self.institutions.intern(r.institution, || r.institution.to_string());
        let category = match r.category {
            Some((slug, title)) => self.categories.intern(slug, || {
                if title.is_empty() { tally_api::taxonomy::title_of(slug).unwrap_or(slug).to_string() } else { title.to_string() }
            }),
            None => self.categories.intern(UNCATEGORISED, || UNCATEGORISED_TITLE.to_string()),
        };
        let mut flags = 0;
        if r.pending {
            flags |= PENDING;
        }
        if r.credit {
            flags |= CREDIT;
        }
        match r.kind {
            Kind::OwnTransfer => flags |= OWN_TRANSFER,
            Kind::LoanRepayment => flags |= LOAN_REPAYMENT,
            _ => {}
        }
        let day = match r.day {
            Some(d) => {
                self.day_range = Some(match self.day_range {
                    Some((a, b)) => (a.min(d), b.max(d)),
                    None => (d, d),
                });
                d
            }
            None => {
                flags |= NO_DATE;
                self.bad_dates += 1;
                Day::MIN
            }
        };
        let cents = r.cents.unwrap_or_else(|| {
            flags |= BAD_AMOUNT;
            self.bad_amounts += 1;
            0
        });
        let month = if flags & NO_DATE != 0 { Month::MIN } else { day::month_of(day) };
        self.rows.push(Row { cents, day, month, account, connection, institution, category, flags });
        self.ids.push(r.id.to_string());
        self.descriptions.push(r.description.to_string());
        self.merchants.push(r.merchant.to_string());
        for c in r.description.chars().flat_map(char::to_lowercase) {
            self.search.push(c);
        }
        self.search.push('\n');
        for c in r.merchant.chars().flat_map(char::to_lowercase) {
            self.search.push(c);
        }
        self.search_end.push(self.search.len() as u32);
    }

    /// Restores newest-first order after appending to a non-empty ledger.
    fn resort(&mut self) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by(|&a, &b| self.rows[b].day.cmp(&self.rows[a].day).then(a.cmp(&b)));
        let old = std::mem::take(self);
        let mut fresh = Ledger {
            accounts: old.accounts.clone(),
            connections: old.connections.clone(),
            institutions: old.institutions.clone(),
            categories: old.categories.clone(),
            bad_amounts: old.bad_amounts,
            bad_dates: old.bad_dates,
            day_range: old.day_range,
            ..Ledger::default()
        };
        for i in order {
            fresh.rows.push(old.rows[i]);
            fresh.ids.push(old.ids[i].clone());
            fresh.descriptions.push(old.descriptions[i].clone());
            fresh.merchants.push(old.merchants[i].clone());
            fresh.search.push_str(old.search_text(i));
            fresh.search_end.push(fresh.search.len() as u32);
        }
        *self = fresh;
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Lowercase `description\nmerchant` of row `i`.
    pub fn search_text(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.search_end[i - 1] as usize };
        &self.search[start..self.search_end[i] as usize]
    }

    /// The row index of a transaction id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// Gives row `i` the category `slug`; returns the previous slug (to undo on failure).
    pub fn set_category(&mut self, i: usize, slug: &str) -> Option<String> {
        let title = tally_api::taxonomy::title_of(slug).unwrap_or(slug).to_string();
        let c = self.categories.intern(slug, || title);
        let row = self.rows.get_mut(i)?;
        let old = row.category;
        row.category = c;
        Some(self.categories.id(old).to_string())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn tx(id: &str, date: Option<&str>, amount: &str, status: &str, cat: Option<&str>) -> Transaction {
        serde_json::from_value(serde_json::json!({
            "type": "transaction", "id": id, "status": status, "description": format!("DESC {id}"),
            "amount": amount, "direction": if amount.starts_with('-') { "debit" } else { "credit" },
            "class": "payment", "account": "a1", "institution": "AU00000", "connection": "c1",
            "transactionDate": date, "postDate": if status == "posted" { date } else { None },
            "enrich": cat.map(|c| serde_json::json!({"category": {"id": c, "title": ""}, "merchant": {"businessName": "Café Ünï"}})),
        }))
        .unwrap()
    }

    #[test]
    fn builds_sorted_interned_rows_and_counts_bad_values() {
        let txs = vec![
            tx("t1", Some("2024-01-05"), "-10.00", "posted", Some("groceries")),
            tx("t2", Some("2024-03-01"), "oops", "posted", None),
            tx("t3", None, "5.5", "pending", Some("groceries")),
            tx("t1", Some("2024-01-05"), "-10.00", "posted", Some("groceries")),
            tx("t4", Some("2024-02-10T09:00:00Z"), "-1.00", "pending", Some("my-own")),
        ];
        let l = Ledger::from_wire(&[], &txs);
        assert_eq!(l.len(), 4, "duplicate id kept once");
        assert_eq!(l.ids, ["t2", "t4", "t1", "t3"]);
        assert_eq!((l.bad_amounts, l.bad_dates), (1, 1));
        assert_eq!(l.rows[0].flags & BAD_AMOUNT, BAD_AMOUNT);
        assert_eq!(l.rows[0].cents, 0);
        assert!(l.rows[1].pending() && !l.rows[1].credit());
        assert!(l.rows[3].credit());
        assert_eq!(l.categories.label_of("groceries"), "Groceries", "empty titles come from the taxonomy");
        assert_eq!(l.categories.label_of(UNCATEGORISED), UNCATEGORISED_TITLE);
        assert_eq!(l.search_text(2), "desc t1\ncafé ünï");
    }

    #[test]
    fn appending_keeps_newest_first_and_recategorising_returns_the_old_slug() {
        let mut l = Ledger::from_wire(&[], &[tx("a", Some("2024-01-01"), "-1", "posted", Some("fuel"))]);
        let more = [tx("b", Some("2024-05-01"), "-2", "posted", None)];
        l.push_all(more.iter().map(NewRow::from_wire).collect());
        assert_eq!(l.ids, ["b", "a"]);
        assert_eq!(l.search_text(1), "desc a\ncafé ünï");
        assert_eq!(l.set_category(1, "travel").as_deref(), Some("fuel"));
        assert_eq!(l.categories.id(l.rows[1].category), "travel");
        assert_eq!(l.set_category(99, "travel"), None);
    }
}
