//! The expenses summary: pure aggregation behind `POST /users/{id}/expenses`.
//!
//! The server loads a user's transactions in the month range and hands us
//! `(month, amount, class, category)`; we return per-category totals,
//! monthly averages, shares of the total and per-month history, plus the
//! groups that are not spending categories (cash withdrawals, bank fees,
//! loan interest, loan repayments, external transfers). No I/O, no clock:
//! the same items always give the same summary.
//!
//! Conventions (amounts in cents, negative = money out, as on the wire):
//! - spending is reported as a positive number;
//! - categories are also grouped by their expense division
//!   ([`ExpenseSummary::divisions`]); the wire form (money as decimal strings) is the
//!   server's to write;
//! - a `payment` credit or a `refund` with a category reduces that
//!   category (a refund without a category cannot be attributed and is
//!   left out);
//! - a payment without a category counts as `other`;
//! - what counts as spending is `tally_api::spending::Kind`, the one rule the widget's
//!   totals read too: only outgoing transfers to other people count as external
//!   transfers; money moved between the user's own accounts (`own_transfer`) is left
//!   out of every group and reported on its own ([`ExpenseSummary::own_transfers`]);
//!   incoming money (`interest`, `direct-credit`, incoming transfers) is not an expense;
//! - every month of the range appears in each history, zero or not, so a
//!   chart needs no gap filling.

use std::collections::BTreeMap;

use tally_api::spending::Kind;

use crate::structure::TxClass;
use crate::taxonomy::{all_categories, category_by_slug, Category};
use crate::{Error, Result};

/// Longest range accepted (100 years), so a typo cannot allocate the world.
const MAX_MONTHS: u32 = 1200;

/// One transaction as the aggregation needs it.
#[derive(Clone, Copy, Debug)]
pub struct ExpenseItem<'a> {
    /// `YYYY-MM` of the transaction (post date, or transaction date while pending).
    pub month: &'a str,
    /// Amount in cents, negative = money out.
    pub amount_cents: i64,
    pub class: TxClass,
    /// Category slug (payments and refunds).
    pub category: Option<&'a str>,
    /// One side of a transfer between the user's own accounts (the server matched it).
    pub own_transfer: bool,
}

/// One month's amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthAmount {
    pub month: String,
    pub amount_cents: i64,
}

/// The contract's `subClass`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubClass {
    pub code: &'static str,
    pub title: &'static str,
}

/// Spending in one category.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryExpense {
    pub category: &'static str,
    pub title: &'static str,
    pub sub_class: SubClass,
    pub total_cents: i64,
    pub average_monthly_cents: i64,
    /// Share of all category spending, in percent, 2 decimals.
    pub percentage: f64,
    pub history: Vec<MonthAmount>,
}

/// Spending in one expense division (the taxonomy's `division` column), derived from
/// the summary's categories by [`ExpenseSummary::divisions`].
#[derive(Clone, Debug, PartialEq)]
pub struct DivisionExpense<'a> {
    pub division: &'static str,
    pub total_cents: i64,
    pub average_monthly_cents: i64,
    /// Share of all category spending, in percent, 2 decimals.
    pub percentage: f64,
    /// Its categories, largest first.
    pub categories: Vec<&'a CategoryExpense>,
}

/// A non-category group (cash withdrawals, fees, …).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupExpense {
    pub total_cents: i64,
    pub average_monthly_cents: i64,
    pub history: Vec<MonthAmount>,
}

/// The whole summary, in cents; the server writes it in the contract's form.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpenseSummary {
    pub from_month: String,
    pub to_month: String,
    /// Months in the range, inclusive.
    pub months: u32,
    /// All category spending.
    pub total_cents: i64,
    pub average_monthly_cents: i64,
    /// Categories with any activity, largest first (slug order on ties).
    pub categories: Vec<CategoryExpense>,
    pub cash_withdrawals: GroupExpense,
    pub bank_fees: GroupExpense,
    pub loan_interest: GroupExpense,
    pub loan_repayments: GroupExpense,
    pub external_transfers: GroupExpense,
    /// Money moved out to the user's own accounts: in no group above nor the total.
    pub own_transfers: GroupExpense,
}

impl ExpenseSummary {
    /// The categories grouped by expense division, largest first; a division's
    /// categories keep their order (largest first), and ties keep the order of their
    /// largest category.
    pub fn divisions(&self) -> Vec<DivisionExpense<'_>> {
        let mut out: Vec<DivisionExpense<'_>> = Vec::new();
        for c in &self.categories {
            let division = category_by_slug(c.category).map(|k| k.division).unwrap_or("Other payment");
            match out.iter_mut().find(|d| d.division == division) {
                Some(d) => {
                    d.total_cents = d.total_cents.saturating_add(c.total_cents);
                    d.categories.push(c);
                }
                None => out.push(DivisionExpense { division, total_cents: c.total_cents, average_monthly_cents: 0, percentage: 0.0, categories: vec![c] }),
            }
        }
        for d in &mut out {
            d.average_monthly_cents = average(d.total_cents, self.months);
            d.percentage = share(d.total_cents, self.total_cents);
        }
        out.sort_by_key(|d| std::cmp::Reverse(d.total_cents));
        out
    }
}

/// `part` as a percentage of `total`, 2 decimals; 0 when there is no total.
fn share(part: i64, total: i64) -> f64 {
    if total > 0 {
        (part as f64 / total as f64 * 10000.0).round() / 100.0
    } else {
        0.0
    }
}

/// A month as a count of months since year 0.
fn parse_month(s: &str) -> Result<u32> {
    let b = s.as_bytes();
    let bad = || Error::InvalidMonth(s.to_string());
    if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let year: u32 = s[..4].parse().map_err(|_| bad())?;
    let month: u32 = s[5..].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) {
        return Err(bad());
    }
    Ok(year * 12 + month - 1)
}

fn format_month(m: u32) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

fn average(total: i64, months: u32) -> i64 {
    // Round half away from zero.
    let (t, m) = (total as i128, months.max(1) as i128);
    let q = (t.abs() * 2 + m) / (2 * m);
    (if t < 0 { -q } else { q }) as i64
}

struct Series {
    per_month: Vec<i64>,
}

impl Series {
    fn new(months: u32) -> Self {
        Series {
            per_month: vec![0; months as usize],
        }
    }
    fn add(&mut self, i: usize, spent: i64) {
        if let Some(v) = self.per_month.get_mut(i) {
            *v = v.saturating_add(spent);
        }
    }
    fn total(&self) -> i64 {
        self.per_month
            .iter()
            .fold(0i64, |a, &v| a.saturating_add(v))
    }
    fn history(&self, first: u32) -> Vec<MonthAmount> {
        self.per_month
            .iter()
            .enumerate()
            .map(|(i, &v)| MonthAmount {
                month: format_month(first + i as u32),
                amount_cents: v,
            })
            .collect()
    }
    fn group(&self, first: u32, months: u32) -> GroupExpense {
        let total = self.total();
        GroupExpense {
            total_cents: total,
            average_monthly_cents: average(total, months),
            history: self.history(first),
        }
    }
}

/// Summarise `items` over `from_month..=to_month` (`YYYY-MM`). Items outside
/// the range are skipped; a malformed month or an unknown category slug is an
/// error, never a silent default.
pub fn summarise<'a>(
    items: impl IntoIterator<Item = ExpenseItem<'a>>,
    from_month: &str,
    to_month: &str,
) -> Result<ExpenseSummary> {
    let first = parse_month(from_month)?;
    let last = parse_month(to_month)?;
    let range_err = |detail| Error::InvalidRange {
        from: from_month.into(),
        to: to_month.into(),
        detail,
    };
    if last < first {
        return Err(range_err("fromMonth is after toMonth"));
    }
    let months = last - first + 1;
    if months > MAX_MONTHS {
        return Err(range_err("range is longer than 1200 months"));
    }
    let mut categories: BTreeMap<&'static str, (&'static Category, Series)> = BTreeMap::new();
    let mut cash = Series::new(months);
    let mut fees = Series::new(months);
    let mut loan_interest = Series::new(months);
    let mut repayments = Series::new(months);
    let mut transfers = Series::new(months);
    let mut own = Series::new(months);

    for item in items {
        let m = parse_month(item.month)?;
        if m < first || m > last {
            continue;
        }
        let i = (m - first) as usize;
        // Spending is positive: money out counts up, money back counts down.
        let spent = item.amount_cents.saturating_neg();
        let category = match item.category {
            Some(slug) => Some(
                category_by_slug(slug).ok_or_else(|| Error::UnknownCategory(slug.to_string()))?,
            ),
            None => None,
        };
        let class = tally_api::TransactionClass::parse(item.class.as_str());
        match Kind::of(&class, item.amount_cents, item.own_transfer) {
            Kind::Category => {
                let cat = match (item.class, category) {
                    (_, Some(c)) => c,
                    (TxClass::Payment, None) => category_by_slug("other")
                        .ok_or_else(|| Error::UnknownCategory("other".into()))?,
                    _ => continue, // a refund we cannot attribute
                };
                categories
                    .entry(cat.slug)
                    .or_insert_with(|| (cat, Series::new(months)))
                    .1
                    .add(i, spent);
            }
            Kind::CashWithdrawal => cash.add(i, spent),
            Kind::BankFee => fees.add(i, spent),
            Kind::LoanInterest => loan_interest.add(i, spent),
            Kind::LoanRepayment => repayments.add(i, spent),
            Kind::ExternalTransfer => transfers.add(i, spent),
            Kind::OwnTransfer if item.amount_cents < 0 => own.add(i, spent),
            Kind::OwnTransfer | Kind::Income => {}
        }
    }

    let total: i64 = categories
        .values()
        .fold(0i64, |a, (_, s)| a.saturating_add(s.total()));
    let mut out: Vec<CategoryExpense> = categories
        .values()
        .map(|(cat, s)| {
            let t = s.total();
            let percentage = share(t, total);
            CategoryExpense {
                category: cat.slug,
                title: cat.title,
                sub_class: SubClass {
                    code: cat.anzsic_code,
                    title: cat.anzsic_title,
                },
                total_cents: t,
                average_monthly_cents: average(t, months),
                percentage,
                history: s.history(first),
            }
        })
        .collect();
    // Largest first; table order breaks ties so the output is stable.
    let order = |slug: &str| {
        all_categories()
            .iter()
            .position(|c| c.slug == slug)
            .unwrap_or(usize::MAX)
    };
    out.sort_by(|a, b| {
        b.total_cents
            .cmp(&a.total_cents)
            .then(order(a.category).cmp(&order(b.category)))
    });

    Ok(ExpenseSummary {
        from_month: format_month(first),
        to_month: format_month(last),
        months,
        total_cents: total,
        average_monthly_cents: average(total, months),
        categories: out,
        cash_withdrawals: cash.group(first, months),
        bank_fees: fees.group(first, months),
        loan_interest: loan_interest.group(first, months),
        loan_repayments: repayments.group(first, months),
        external_transfers: transfers.group(first, months),
        own_transfers: own.group(first, months),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(
        month: &'static str,
        amount: i64,
        class: TxClass,
        category: Option<&'static str>,
    ) -> ExpenseItem<'static> {
        ExpenseItem {
            month,
            amount_cents: amount,
            class,
            category,
            own_transfer: false,
        }
    }

    #[test]
    fn transfers_between_own_accounts_are_left_out_and_reported_apart() {
        use TxClass::*;
        let own = |amount, class| ExpenseItem { own_transfer: true, ..item("2019-07", amount, class, None) };
        let items = vec![
            own(-285_000, LoanRepayment), // everyday account pays the home loan
            own(285_000, Transfer),       // the loan's matching credit
            own(-40_000, Transfer),       // sweep to savings
            own(40_000, Transfer),
            item("2019-07", -5_000, Transfer, None), // to a friend
            item("2019-07", -2_000, Payment, Some("dining")),
        ];
        let s = summarise(items, "2019-07", "2019-07").unwrap();
        assert_eq!(s.total_cents, 2_000);
        assert_eq!(s.loan_repayments.total_cents, 285_000, "the loan's credit does not cancel the repayment");
        assert_eq!(s.external_transfers.total_cents, 5_000, "only money sent to other people");
        assert_eq!(s.own_transfers.total_cents, 40_000, "reported, so a reader knows what was left out");
    }

    #[test]
    fn totals_averages_percentages_and_history() {
        use TxClass::*;
        let items = vec![
            item("2019-05", -10000, Payment, Some("groceries")),
            item("2019-06", -5000, Payment, Some("groceries")),
            item("2019-06", -5000, Payment, Some("dining")),
            item("2019-07", 1000, Refund, Some("dining")),
            item("2019-07", 2000, Refund, None), // unattributable: ignored
            item("2019-07", -2000, Payment, None), // → other
            item("2019-05", -20000, CashWithdrawal, None),
            item("2019-05", -500, BankFee, None),
            item("2019-06", -900, LoanInterest, None),
            item("2019-06", -150000, LoanRepayment, None),
            item("2019-07", -30000, Transfer, None),
            item("2019-07", 30000, Transfer, None), // incoming: not an expense
            item("2019-07", 500000, DirectCredit, None),
            item("2019-04", -99999, Payment, Some("groceries")), // out of range
        ];
        let s = summarise(items, "2019-05", "2019-07").unwrap();
        assert_eq!(s.months, 3);
        assert_eq!(s.total_cents, 15000 + 4000 + 2000);
        assert_eq!(s.categories[0].category, "groceries");
        assert_eq!(s.categories[0].total_cents, 15000);
        assert_eq!(s.categories[0].average_monthly_cents, 5000);
        assert_eq!(s.categories[0].sub_class.code, "411");
        assert_eq!(s.categories[0].history.len(), 3);
        assert_eq!(
            s.categories[0].history[1],
            MonthAmount {
                month: "2019-06".into(),
                amount_cents: 5000
            }
        );
        assert_eq!(s.categories[1].category, "dining");
        assert_eq!(s.categories[1].total_cents, 4000);
        assert_eq!(s.categories[2].category, "other");
        assert!((s.categories[0].percentage - 71.43).abs() < 1e-9);
        let pct: f64 = s.categories.iter().map(|c| c.percentage).sum();
        assert!((pct - 100.0).abs() < 0.05);
        assert_eq!(s.cash_withdrawals.total_cents, 20000);
        assert_eq!(s.bank_fees.total_cents, 500);
        assert_eq!(s.loan_interest.total_cents, 900);
        assert_eq!(s.loan_repayments.total_cents, 150000);
        assert_eq!(s.loan_repayments.average_monthly_cents, 50000);
        assert_eq!(s.external_transfers.total_cents, 30000);
        assert_eq!(s.external_transfers.history[2].amount_cents, 30000);
        // Divisions: groceries (food), then dining, then other.
        let divisions = s.divisions();
        let seen: Vec<(&str, i64, usize)> = divisions.iter().map(|d| (d.division, d.total_cents, d.categories.len())).collect();
        assert_eq!(seen, [("Food and non-alcoholic beverages", 15000, 1), ("Restaurants, cafes and takeaway", 4000, 1), ("Other payment", 2000, 1)]);
        assert_eq!(divisions[0].average_monthly_cents, 5000);
    }

    #[test]
    fn divisions_gather_their_categories() {
        let items = vec![
            item("2020-01", -300, TxClass::Payment, Some("fuel")),
            item("2020-01", -100, TxClass::Payment, Some("transport")),
            item("2020-01", -250, TxClass::Payment, Some("groceries")),
        ];
        let s = summarise(items, "2020-01", "2020-01").unwrap();
        let divisions = s.divisions();
        assert_eq!(divisions[0].division, "Transport");
        assert_eq!(divisions[0].total_cents, 400);
        let cats: Vec<&str> = divisions[0].categories.iter().map(|c| c.category).collect();
        assert_eq!(cats, ["fuel", "transport"]);
        assert!((divisions[0].percentage - 61.54).abs() < 1e-9);
    }

    #[test]
    fn bad_input_is_an_error() {
        let ok = || vec![item("2020-01", -100, TxClass::Payment, Some("fuel"))];
        assert!(matches!(
            summarise(ok(), "2020-13", "2020-12"),
            Err(Error::InvalidMonth(_))
        ));
        assert!(matches!(
            summarise(ok(), "2020-1", "2020-12"),
            Err(Error::InvalidMonth(_))
        ));
        assert!(matches!(
            summarise(ok(), "2020-05", "2020-01"),
            Err(Error::InvalidRange { .. })
        ));
        assert!(matches!(
            summarise(ok(), "1000-01", "9999-12"),
            Err(Error::InvalidRange { .. })
        ));
        let bad = vec![item("2020-01", -100, TxClass::Payment, Some("nope"))];
        assert!(matches!(
            summarise(bad, "2020-01", "2020-01"),
            Err(Error::UnknownCategory(_))
        ));
        let bad = vec![item("Jan 2020", -100, TxClass::Payment, None)];
        assert!(matches!(
            summarise(bad, "2020-01", "2020-01"),
            Err(Error::InvalidMonth(_))
        ));
    }

    #[test]
    fn spans_years_and_never_overflows() {
        let items = vec![
            item("2019-12", i64::MIN, TxClass::Payment, Some("travel")),
            item("2020-01", i64::MIN, TxClass::Payment, Some("travel")),
        ];
        let s = summarise(items, "2019-11", "2020-02").unwrap();
        assert_eq!(s.months, 4);
        assert_eq!(
            s.categories[0]
                .history
                .iter()
                .map(|h| h.month.as_str())
                .collect::<Vec<_>>(),
            ["2019-11", "2019-12", "2020-01", "2020-02"]
        );
        assert_eq!(s.categories[0].total_cents, i64::MAX);
    }
}
