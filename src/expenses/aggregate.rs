//! Filtering and aggregation in one pass over the ledger, then the chart models built
//! from the sums. This is the hot path of a filter change (50,000 rows in a few
//! milliseconds): the filter is compiled to index lookups and bounds first, the loop
//! touches only the compact rows, and text search runs last, on rows that passed the
//! rest.
//!
//! Sign convention: on the wire a negative amount is money out. Here *spending* is the
//! sum of money out (debits) shown as a positive number, *income* the sum of money in
//! (credits); a refund is income. Pending transactions are left out of totals and
//! charts unless `include_pending` is set; they are always listed. Transfers between
//! the user's own accounts and loan repayments are listed but counted apart
//! ([`Summary::own_transfers`], [`Summary::loan_repayments`]): the rule is
//! `tally_api::spending`, which the server's expenses summary reads too.

use std::fmt::Write as _;
use std::sync::Arc;

use super::day::{self, Day, Month};
use super::filter::{Direction, FilterState, Status};
use super::ledger::{Ledger, CREDIT, LOAN_REPAYMENT, OWN_TRANSFER, PENDING};
use crate::num::fixed;

/// A filter turned into cheap checks against a ledger's interned ids.
pub struct Compiled {
    from: Day,
    to: Day,
    flag_mask: u8,
    flag_value: u8,
    accounts: Option<Vec<bool>>,
    connections: Option<Vec<bool>>,
    institutions: Option<Vec<bool>>,
    categories: Option<Vec<bool>>,
    min: i64,
    max: i64,
    terms: Vec<String>,
    /// The month series' first month and length.
    first_month: Month,
    months: usize,
    basis: Direction,
}

fn id_set(ids: &[String], dict: &super::ledger::Dict) -> Option<Vec<bool>> {
    if ids.is_empty() {
        return None;
    }
    let mut set = vec![false; dict.len()];
    for id in ids {
        if let Some(i) = dict.get(id) {
            set[i as usize] = true;
        }
    }
    Some(set)
}

/// At most this many months are charted (ten years).
pub const MAX_MONTHS: usize = 120;

impl Compiled {
    pub fn new(f: &FilterState, ledger: &Ledger, today: Day) -> Compiled {
        let (from, to) = f.date.resolve(today);
        let mut flag_mask = 0;
        let mut flag_value = 0;
        match f.status {
            Some(Status::Pending) => (flag_mask, flag_value) = (PENDING, PENDING),
            Some(Status::Posted) => flag_mask = PENDING,
            None => {}
        }
        match f.direction {
            Some(Direction::Income) => (flag_mask, flag_value) = (flag_mask | CREDIT, flag_value | CREDIT),
            Some(Direction::Spending) => flag_mask |= CREDIT,
            None => {}
        }
        // Months charted: the date filter's span, else the data's (capped at today).
        let span_from = from.or(ledger.day_range.map(|r| r.0));
        let span_to = to.or(ledger.day_range.map(|r| r.1));
        let (first_month, months) = match (span_from, span_to) {
            (Some(a), Some(b)) if a <= b => {
                let (fm, lm) = (day::month_of(a), day::month_of(b));
                let n = ((lm - fm + 1) as usize).min(MAX_MONTHS);
                (lm + 1 - n as Month, n)
            }
            _ => (0, 0),
        };
        Compiled {
            from: from.unwrap_or(Day::MIN),
            to: to.unwrap_or(Day::MAX),
            flag_mask,
            flag_value,
            accounts: id_set(&f.accounts, &ledger.accounts),
            connections: id_set(&f.connections, &ledger.connections),
            institutions: id_set(&f.institutions, &ledger.institutions),
            categories: id_set(&f.categories, &ledger.categories),
            min: f.amount_min.map(|a| a.0).unwrap_or(0),
            max: f.amount_max.map(|a| a.0).unwrap_or(i64::MAX),
            terms: f.search.split_whitespace().map(str::to_lowercase).collect(),
            first_month,
            months,
            basis: if f.direction == Some(Direction::Income) { Direction::Income } else { Direction::Spending },
        }
    }
}

/// Spending and income of one month (positive cents).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthTotal {
    pub month: Month,
    pub spending: i64,
    pub income: i64,
}

/// What one filter change computes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Matching row indices, newest first (the list sorts a copy when asked).
    pub matched: Arc<Vec<u32>>,
    pub pending_count: usize,
    /// Money out of matching rows counted in totals, as a positive number.
    pub spending: i64,
    /// Money in of matching rows counted in totals.
    pub income: i64,
    /// Money out/in of matching pending rows (counted only with `include_pending`).
    pub pending_spending: i64,
    pub pending_income: i64,
    /// Money moved out to the user's own accounts, left out of `spending` (and its
    /// matching credit out of `income`).
    pub own_transfers: i64,
    /// Loan repayments, left out of `spending` and shown apart.
    pub loan_repayments: i64,
    pub include_pending: bool,
    /// The breakdown's basis: spending, or income when the filter asks for income only.
    pub basis: Direction,
    /// Basis amount per category index, under every filter except the category one (so
    /// the chart keeps showing the other categories to click).
    pub by_category: Vec<i64>,
    pub months: Vec<MonthTotal>,
}

impl Summary {
    pub fn count(&self) -> usize {
        self.matched.len()
    }
    pub fn net(&self) -> i64 {
        self.income - self.spending
    }
}

/// Filters and aggregates in one pass.
pub fn summarise(ledger: &Ledger, f: &FilterState, today: Day, include_pending: bool) -> Summary {
    let c = Compiled::new(f, ledger, today);
    let mut matched = Vec::with_capacity(ledger.len() / 4);
    let mut s = Summary {
        include_pending,
        basis: c.basis,
        by_category: vec![0; ledger.categories.len()],
        months: (0..c.months).map(|i| MonthTotal { month: c.first_month + i as Month, ..Default::default() }).collect(),
        ..Default::default()
    };
    let income_basis = c.basis == Direction::Income;
    for (i, r) in ledger.rows.iter().enumerate() {
        if r.day < c.from || r.day > c.to || r.flags & c.flag_mask != c.flag_value {
            continue;
        }
        let size = r.cents.abs();
        if size < c.min || size > c.max {
            continue;
        }
        if let Some(set) = &c.accounts {
            if !set[r.account as usize] {
                continue;
            }
        }
        if let Some(set) = &c.connections {
            if !set[r.connection as usize] {
                continue;
            }
        }
        if let Some(set) = &c.institutions {
            if !set[r.institution as usize] {
                continue;
            }
        }
        if !c.terms.is_empty() {
            let text = ledger.search_text(i);
            if !c.terms.iter().all(|t| text.contains(t.as_str())) {
                continue;
            }
        }
        let pending = r.flags & PENDING != 0;
        let credit = r.flags & CREDIT != 0;
        let counted = include_pending || !pending;
        // Money out is negative on the wire; spending is shown positive.
        let value = if credit { r.cents } else { -r.cents };
        let apart = r.flags & (OWN_TRANSFER | LOAN_REPAYMENT);
        if counted && apart == 0 && credit == income_basis {
            s.by_category[r.category as usize] += value;
        }
        if let Some(set) = &c.categories {
            if !set[r.category as usize] {
                continue;
            }
        }
        matched.push(i as u32);
        if pending {
            s.pending_count += 1;
            if credit {
                s.pending_income += value;
            } else {
                s.pending_spending += value;
            }
        }
        if !counted {
            continue;
        }
        if apart & OWN_TRANSFER != 0 {
            if !credit {
                s.own_transfers += value;
            }
            continue;
        }
        if apart & LOAN_REPAYMENT != 0 {
            s.loan_repayments += value;
            continue;
        }
        let bucket = r.month.wrapping_sub(c.first_month) as u32 as usize;
        if credit {
            s.income += value;
            if let Some(m) = s.months.get_mut(bucket) {
                m.income += value;
            }
        } else {
            s.spending += value;
            if let Some(m) = s.months.get_mut(bucket) {
                m.spending += value;
            }
        }
    }
    s.matched = Arc::new(matched);
    s
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    DateDesc,
    DateAsc,
    /// Largest amounts (by size) first.
    AmountDesc,
    AmountAsc,
}

/// The matching rows in `sort` order (the ledger is newest first, so dates are free;
/// amounts sort stably, newest first among equal amounts).
pub fn sorted(ledger: &Ledger, matched: &Arc<Vec<u32>>, sort: Sort) -> Arc<Vec<u32>> {
    match sort {
        Sort::DateDesc => matched.clone(),
        Sort::DateAsc => {
            // Reverse, keeping rows of the same day in their original order.
            let mut v: Vec<u32> = matched.iter().rev().copied().collect();
            v.sort_by_key(|&i| ledger.rows[i as usize].day);
            Arc::new(v)
        }
        Sort::AmountDesc | Sort::AmountAsc => {
            let mut v: Vec<(i64, u32)> = matched.iter().map(|&i| (ledger.rows[i as usize].cents.abs(), i)).collect();
            if sort == Sort::AmountDesc {
                v.sort_by_key(|x| std::cmp::Reverse(x.0));
            } else {
                v.sort_by_key(|x| x.0);
            }
            Arc::new(v.into_iter().map(|(_, i)| i).collect())
        }
    }
}

// ------------------------------------------------------------------ chart models

/// Categories below this share (in basis points, 1/100 of a percent) fold into "Other".
pub const FOLD_BELOW_BP: i64 = 300;
/// At most this many slices, "Other" included.
pub const MAX_SLICES: usize = 8;

/// One slice of the category breakdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    /// The category slug, or `other` for the folded slice.
    pub slug: String,
    pub title: String,
    /// The category indices this slice stands for (several for "Other").
    pub members: Vec<u16>,
    /// The slugs of `members` (what clicking the slice filters by).
    pub member_slugs: Vec<String>,
    pub cents: i64,
    /// Share of the total in basis points (sums to 10,000 up to rounding).
    pub share_bp: i64,
    /// Colour index 0..MAX_SLICES (the stylesheet has a colour per index).
    pub colour: usize,
    /// SVG path of the donut segment, in a 200×200 view box.
    pub path: String,
    /// Whether the category filter currently selects every member.
    pub selected: bool,
}

impl Slice {
    /// "12.3%"
    pub fn share_label(&self) -> String {
        format!("{}.{}%", self.share_bp / 100, (self.share_bp % 100) / 10)
    }
}

/// The category breakdown chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Breakdown {
    pub total: i64,
    pub basis: Direction,
    pub slices: Vec<Slice>,
}

/// One bar of the month chart.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthBar {
    pub month: Month,
    /// "Mar 2024"
    pub label: String,
    /// "Mar"
    pub short: &'static str,
    pub cents: i64,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// The month-by-month chart of the basis (spending, or income).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthChart {
    pub basis: Direction,
    pub max: i64,
    pub bars: Vec<MonthBar>,
}

pub const MONTH_CHART_W: f32 = 320.0;
pub const MONTH_CHART_H: f32 = 120.0;

/// Both charts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Charts {
    pub breakdown: Breakdown,
    pub months: MonthChart,
}

/// Builds the chart models from a summary.
pub fn charts(ledger: &Ledger, s: &Summary, f: &FilterState) -> Charts {
    Charts { breakdown: breakdown(ledger, s, f), months: month_chart(s) }
}

pub fn breakdown(ledger: &Ledger, s: &Summary, f: &FilterState) -> Breakdown {
    let total: i64 = s.by_category.iter().filter(|&&v| v > 0).sum();
    let mut cats: Vec<(u16, i64)> = s.by_category.iter().enumerate().filter(|(_, &v)| v > 0).map(|(i, &v)| (i as u16, v)).collect();
    cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| ledger.categories.label(a.0).cmp(ledger.categories.label(b.0))));
    let share = |v: i64| if total > 0 { (v as i128 * 10_000 / total as i128) as i64 } else { 0 };
    let other_idx = ledger.categories.get("other");
    let mut kept: Vec<(u16, i64)> = Vec::new();
    let mut folded: Vec<(u16, i64)> = Vec::new();
    for &(i, v) in &cats {
        if Some(i) != other_idx && kept.len() < MAX_SLICES - 1 && share(v) >= FOLD_BELOW_BP {
            kept.push((i, v));
        } else {
            folded.push((i, v));
        }
    }
    // Folding a single category into "Other" hides its name for nothing.
    if folded.len() == 1 && Some(folded[0].0) != other_idx && kept.len() < MAX_SLICES {
        kept.push(folded.pop().unwrap());
    }
    let selected = |members: &[u16]| {
        !f.categories.is_empty() && members.iter().all(|&m| f.categories.iter().any(|c| c == ledger.categories.id(m)))
    };
    let mut slices: Vec<Slice> = kept
        .iter()
        .map(|&(i, v)| Slice {
            slug: ledger.categories.id(i).to_string(),
            title: ledger.categories.label(i).to_string(),
            members: vec![i],
            member_slugs: vec![ledger.categories.id(i).to_string()],
            cents: v,
            share_bp: share(v),
            colour: 0,
            path: String::new(),
            selected: selected(&[i]),
        })
        .collect();
    if !folded.is_empty() {
        let members: Vec<u16> = folded.iter().map(|x| x.0).collect();
        let v: i64 = folded.iter().map(|x| x.1).sum();
        slices.push(Slice {
            slug: "other".into(),
            title: "Other".into(),
            member_slugs: members.iter().map(|&m| ledger.categories.id(m).to_string()).collect(),
            selected: selected(&members),
            members,
            cents: v,
            share_bp: share(v),
            colour: 0,
            path: String::new(),
        });
    }
    let mut start = 0i64;
    for (n, sl) in slices.iter_mut().enumerate() {
        sl.colour = if sl.slug == "other" { MAX_SLICES - 1 } else { n.min(MAX_SLICES - 2) };
        let end = start + sl.cents;
        sl.path = donut_path(start as f64 / total as f64, end as f64 / total as f64);
        start = end;
    }
    Breakdown { total, basis: s.basis, slices }
}

/// An SVG donut segment between two fractions of a turn (0 = 12 o'clock, clockwise).
pub fn donut_path(a: f64, b: f64) -> String {
    const C: f64 = 100.0;
    const R: f64 = 90.0;
    const IR: f64 = 56.0;
    let point = |r: f64, t: f64| {
        let ang = t * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
        let (cos, sin) = crate::num::cos_sin(ang);
        (C + r * cos, C + r * sin)
    };
    let mut d = String::with_capacity(120);
    if b - a >= 0.9999 {
        // A full ring: two half arcs, outer clockwise and inner back.
        let [c, r, ir, top, bottom, itop, ibottom] = [C, R, IR, C - R, C + R, C - IR, C + IR].map(|v| fixed(v, 0));
        let _ = write!(
            d,
            "M{c} {top}A{r} {r} 0 1 1 {c} {bottom}A{r} {r} 0 1 1 {c} {top}ZM{c} {itop}A{ir} {ir} 0 1 0 {c} {ibottom}A{ir} {ir} 0 1 0 {c} {itop}Z"
        );
        return d;
    }
    let large = if b - a > 0.5 { 1 } else { 0 };
    let (x0, y0) = point(R, a);
    let (x1, y1) = point(R, b);
    let (x2, y2) = point(IR, b);
    let (x3, y3) = point(IR, a);
    let [x0, y0, x1, y1, x2, y2, x3, y3] = [x0, y0, x1, y1, x2, y2, x3, y3].map(|v| fixed(v, 2));
    let (r, ir) = (fixed(R, 0), fixed(IR, 0));
    let _ = write!(d, "M{x0} {y0}A{r} {r} 0 {large} 1 {x1} {y1}L{x2} {y2}A{ir} {ir} 0 {large} 0 {x3} {y3}Z");
    d
}

pub fn month_chart(s: &Summary) -> MonthChart {
    let value = |m: &MonthTotal| if s.basis == Direction::Income { m.income } else { m.spending };
    let max = s.months.iter().map(value).max().unwrap_or(0).max(0);
    let n = s.months.len().max(1) as f32;
    let slot = MONTH_CHART_W / n;
    let width = (slot * 0.7).max(1.0);
    let bars = s
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let v = value(m).max(0);
            let height = if max > 0 { (v as f64 / max as f64) as f32 * (MONTH_CHART_H - 4.0) } else { 0.0 };
            MonthBar {
                month: m.month,
                label: day::month_label(m.month),
                short: day::month_short(m.month),
                cents: value(m),
                x: i as f32 * slot + (slot - width) / 2.0,
                y: MONTH_CHART_H - height,
                width,
                height,
            }
        })
        .collect();
    MonthChart { basis: s.basis, max, bars }
}

#[cfg(test)]
mod tests {
    use super::super::filter::{Amount, DateFilter};
    use super::super::ledger::NewRow;
    use super::*;
    use tally_api::spending::Kind;

    #[test]
    fn transfers_between_own_accounts_and_loan_repayments_are_listed_but_not_spending() {
        let own = |id, cents, account| T { kind: Kind::OwnTransfer, account, ..t(id, "2024-03-02", cents, "transfers") };
        let rows = [
            T { kind: Kind::LoanRepayment, ..t("loan-pay", "2024-03-01", -285_000, "loan-repayments") },
            own("loan-credit", 285_000, "home-loan"),
            own("sweep-out", -40_000, "a1"),
            own("sweep-in", 40_000, "savings"),
            t("coffee", "2024-03-03", -450, "dining"),
            t("salary", "2024-03-04", 500_000, "income"),
        ];
        let l = ledger(&rows);
        let s = summarise(&l, &FilterState::default(), day::parse("2024-03-31").unwrap(), false);
        assert_eq!(s.count(), 6, "every row is still listed");
        assert_eq!((s.spending, s.income), (450, 500_000));
        assert_eq!((s.own_transfers, s.loan_repayments), (40_000, 285_000));
        let donut: i64 = s.by_category.iter().sum();
        assert_eq!(donut, 450, "the Spending donut holds spending only");
    }

    struct T {
        id: &'static str,
        day: &'static str,
        cents: i64,
        pending: bool,
        account: &'static str,
        connection: &'static str,
        institution: &'static str,
        cat: &'static str,
        desc: &'static str,
        merchant: &'static str,
        kind: Kind,
    }

    fn t(id: &'static str, day: &'static str, cents: i64, cat: &'static str) -> T {
        T { id, day, cents, pending: false, account: "a1", connection: "c1", institution: "AU00000", cat, desc: "card purchase", merchant: "", kind: Kind::Category }
    }

    fn ledger(rows: &[T]) -> Ledger {
        let mut l = Ledger::default();
        l.push_all(
            rows.iter()
                .map(|r| NewRow {
                    id: r.id,
                    day: day::parse(r.day),
                    cents: Some(r.cents),
                    pending: r.pending,
                    credit: r.cents > 0,
                    kind: r.kind,
                    account: r.account,
                    connection: r.connection,
                    institution: r.institution,
                    category: Some((r.cat, "")),
                    description: r.desc,
                    merchant: r.merchant,
                })
                .collect(),
        );
        l
    }

    fn today() -> Day {
        day::parse("2024-03-20").unwrap()
    }

    fn sample() -> Ledger {
        ledger(&[
            T { merchant: "Woolworths", ..t("g1", "2024-03-02", -5_000, "groceries") },
            T { merchant: "Coles", ..t("g2", "2024-02-10", -3_000, "groceries") },
            T { desc: "Uber trip", account: "a2", connection: "c2", institution: "AU00001", ..t("u1", "2024-03-05", -2_000, "transport") },
            T { pending: true, ..t("p1", "2024-03-19", -1_000, "dining") },
            t("s1", "2024-03-01", 100_000, "other"),
            t("d1", "2024-01-15", -500, "dining"),
            T { desc: "REFUND café", ..t("r1", "2024-03-03", 700, "shopping") },
            t("old", "2023-01-01", -9_999, "fuel"),
        ])
    }

    fn ids(l: &Ledger, s: &Summary) -> Vec<String> {
        s.matched.iter().map(|&i| l.ids[i as usize].clone()).collect()
    }

    fn run(l: &Ledger, f: FilterState) -> Vec<String> {
        ids(l, &summarise(l, &f, today(), false))
    }

    #[test]
    fn no_filter_matches_all_and_totals_exclude_pending_by_default() {
        let l = sample();
        let s = summarise(&l, &FilterState::default(), today(), false);
        assert_eq!(ids(&l, &s), ["p1", "u1", "r1", "g1", "s1", "g2", "d1", "old"]);
        assert_eq!(s.spending, 5_000 + 3_000 + 2_000 + 500 + 9_999);
        assert_eq!(s.income, 100_700);
        assert_eq!((s.pending_count, s.pending_spending), (1, 1_000));
        assert_eq!(s.net(), 100_700 - 20_499);
        let with = summarise(&l, &FilterState::default(), today(), true);
        assert_eq!(with.spending, s.spending + 1_000, "the toggle counts pending rows");
        assert_eq!(with.by_category[l.categories.get("dining").unwrap() as usize], 1_500);
    }

    #[test]
    fn each_filter_kind() {
        let l = sample();
        let f = FilterState::default;
        assert_eq!(run(&l, FilterState { accounts: vec!["a2".into()], ..f() }), ["u1"]);
        assert_eq!(run(&l, FilterState { connections: vec!["c2".into()], ..f() }), ["u1"]);
        assert_eq!(run(&l, FilterState { institutions: vec!["AU00001".into()], ..f() }), ["u1"]);
        assert_eq!(run(&l, FilterState { institutions: vec!["nope".into()], ..f() }), Vec::<String>::new(), "unknown id matches nothing");
        assert_eq!(run(&l, FilterState { status: Some(Status::Pending), ..f() }), ["p1"]);
        assert_eq!(run(&l, FilterState { status: Some(Status::Posted), ..f() }).len(), 7);
        assert_eq!(run(&l, FilterState { date: DateFilter::LastMonth, ..f() }), ["g2"]);
        assert_eq!(run(&l, FilterState { date: DateFilter::ThisMonth, ..f() }), ["p1", "u1", "r1", "g1", "s1"]);
        assert_eq!(run(&l, FilterState { date: DateFilter::Last12Months, ..f() }).len(), 7);
        let custom = DateFilter::Custom { from: day::parse("2024-01-01"), to: day::parse("2024-02-10") };
        assert_eq!(run(&l, FilterState { date: custom, ..f() }), ["g2", "d1"], "bounds are inclusive");
        assert_eq!(run(&l, FilterState { categories: vec!["groceries".into()], ..f() }), ["g1", "g2"]);
        assert_eq!(run(&l, FilterState { direction: Some(Direction::Income), ..f() }), ["r1", "s1"]);
        assert_eq!(run(&l, FilterState { direction: Some(Direction::Spending), ..f() }).len(), 6);
        assert_eq!(run(&l, FilterState { amount_min: Some(Amount(2_000)), amount_max: Some(Amount(5_000)), ..f() }), ["u1", "g1", "g2"], "by size, inclusive");
        assert_eq!(run(&l, FilterState { search: "WOOL".into(), ..f() }), ["g1"], "merchant, any case");
        assert_eq!(run(&l, FilterState { search: "café refund".into(), ..f() }), ["r1"], "all words, any order");
        assert_eq!(run(&l, FilterState { search: "uber".into(), ..f() }), ["u1"], "description");
    }

    #[test]
    fn filters_combine() {
        let l = sample();
        let f = FilterState {
            date: DateFilter::Last3Months,
            direction: Some(Direction::Spending),
            categories: vec!["groceries".into(), "dining".into()],
            amount_min: Some(Amount(1_000)),
            ..Default::default()
        };
        let s = summarise(&l, &f, today(), false);
        assert_eq!(ids(&l, &s), ["p1", "g1", "g2"]);
        assert_eq!(s.spending, 8_000);
        // The breakdown ignores the category filter itself: transport still shows.
        assert_eq!(s.by_category[l.categories.get("transport").unwrap() as usize], 2_000);
        let ch = charts(&l, &s, &f);
        assert!(ch.breakdown.slices.iter().find(|x| x.slug == "groceries").unwrap().selected);
        assert!(!ch.breakdown.slices.iter().find(|x| x.slug == "transport").unwrap().selected);
    }

    #[test]
    fn month_series_covers_the_period_and_skips_pending() {
        let l = sample();
        let f = FilterState { date: DateFilter::Last3Months, ..Default::default() };
        let s = summarise(&l, &f, today(), false);
        let labels: Vec<String> = s.months.iter().map(|m| day::month_label(m.month)).collect();
        assert_eq!(labels, ["Jan 2024", "Feb 2024", "Mar 2024"]);
        assert_eq!(s.months.iter().map(|m| m.spending).collect::<Vec<_>>(), [500, 3_000, 7_000]);
        assert_eq!(s.months[2].income, 100_700);
        let chart = month_chart(&s);
        assert_eq!(chart.max, 7_000);
        assert!((chart.bars[2].height - (MONTH_CHART_H - 4.0)).abs() < 0.01);
        assert_eq!(chart.bars[0].short, "Jan");
        // No date filter: the data's own span, Jan 2023 .. Mar 2024.
        assert_eq!(summarise(&l, &FilterState::default(), today(), false).months.len(), 15);
        let inc = month_chart(&summarise(&l, &FilterState { direction: Some(Direction::Income), ..f }, today(), false));
        assert_eq!((inc.basis, inc.max), (Direction::Income, 100_700));
    }

    #[test]
    fn small_categories_fold_into_other() {
        let mut rows = vec![t("big", "2024-03-01", -90_000, "housing"), t("o", "2024-03-01", -3_000, "other")];
        let small = ["fuel", "pets", "charity"];
        for (n, c) in small.iter().enumerate() {
            rows.push(T { id: ["s0", "s1", "s2"][n], ..t("x", "2024-03-01", -1_000, c) });
        }
        rows.push(t("mid", "2024-03-01", -4_000, "travel"));
        let l = ledger(&rows);
        let f = FilterState::default();
        let b = breakdown(&l, &summarise(&l, &f, today(), false), &f);
        let names: Vec<&str> = b.slices.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(names, ["housing", "travel", "other"]);
        let other = b.slices.last().unwrap();
        assert_eq!(other.cents, 6_000, "the 'other' category and the small ones");
        assert_eq!(other.member_slugs.len(), 4);
        assert_eq!(b.total, 100_000);
        assert_eq!(b.slices[0].share_bp, 9_000);
        assert_eq!(b.slices[0].share_label(), "90.0%");
        assert_eq!(b.slices.iter().map(|s| s.share_bp).sum::<i64>(), 10_000);
        assert!(b.slices.iter().all(|s| s.path.starts_with('M') && s.path.ends_with('Z')));
        // Selecting every folded member marks "Other" as selected.
        let sel = FilterState { categories: other.member_slugs.clone(), ..Default::default() };
        let b2 = breakdown(&l, &summarise(&l, &sel, today(), false), &sel);
        assert!(b2.slices.last().unwrap().selected);
        // A single small category is shown by name, not folded.
        let l2 = ledger(&[t("a", "2024-03-01", -99_000, "housing"), t("b", "2024-03-01", -1_000, "pets")]);
        let b3 = breakdown(&l2, &summarise(&l2, &f, today(), false), &f);
        assert_eq!(b3.slices.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>(), ["housing", "pets"]);
        // One category is a full ring; nothing at all is an empty chart.
        let l3 = ledger(&[t("a", "2024-03-01", -1, "housing")]);
        assert!(breakdown(&l3, &summarise(&l3, &f, today(), false), &f).slices[0].path.contains("ZM"));
        assert!(breakdown(&Ledger::default(), &Summary::default(), &f).slices.is_empty());
    }

    #[test]
    fn sorting() {
        let l = sample();
        let s = summarise(&l, &FilterState::default(), today(), false);
        let order = |sort| sorted(&l, &s.matched, sort).iter().map(|&i| l.ids[i as usize].clone()).collect::<Vec<_>>();
        assert_eq!(order(Sort::DateDesc), ids(&l, &s));
        assert_eq!(order(Sort::DateAsc), ["old", "d1", "g2", "s1", "g1", "r1", "u1", "p1"]);
        assert_eq!(order(Sort::AmountDesc)[..3], ["s1", "old", "g1"]);
        assert_eq!(order(Sort::AmountAsc)[..2], ["d1", "r1"]);
    }
}
