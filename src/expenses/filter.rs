//! The filter state: what the user (or the host page) has chosen. Plain data, JSON
//! friendly (it is what `WidgetHandle.filters()` returns and `tally:filter-change`
//! carries), with the removable chips it shows as, and the server-side subset rendered
//! in the Connect API's filter language.

use serde::{Deserialize, Serialize};
use tally_api::{Condition, Filter, Op, TransactionStatus};

use super::day::{self, Day};
use super::ledger::Ledger;
use super::money;
use crate::i18n::Strings;

/// pending | posted
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pending,
    Posted,
}

/// Spending is money out (debits, negative amounts); income is money in (credits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    #[default]
    Spending,
    Income,
}

/// The date filter. Presets are calendar based and resolved against "today": "last 3
/// months" is the current month and the two before it, "last 12 months" the current
/// month and the eleven before it; each ends today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateFilter {
    #[default]
    All,
    ThisMonth,
    LastMonth,
    Last3Months,
    YearToDate,
    Last12Months,
    /// Inclusive bounds; an open end is unbounded.
    Custom { from: Option<Day>, to: Option<Day> },
}

impl DateFilter {
    /// Each preset and its key; their names are [`Strings::ex_date_presets`], in this order.
    pub const PRESETS: [(DateFilter, &'static str); 6] = [
        (DateFilter::All, "all"),
        (DateFilter::ThisMonth, "this-month"),
        (DateFilter::LastMonth, "last-month"),
        (DateFilter::Last3Months, "last-3-months"),
        (DateFilter::YearToDate, "year-to-date"),
        (DateFilter::Last12Months, "last-12-months"),
    ];

    /// The preset's key (`this-month`…), `custom` for a range.
    pub fn key(&self) -> &'static str {
        Self::PRESETS.iter().find(|(d, _)| d == self).map(|(_, k)| *k).unwrap_or("custom")
    }

    pub fn from_key(key: &str) -> Option<DateFilter> {
        Self::PRESETS.iter().find(|(_, k)| *k == key).map(|(d, _)| *d)
    }

    /// Inclusive `(from, to)` days; `None` ends are open.
    pub fn resolve(&self, today: Day) -> (Option<Day>, Option<Day>) {
        let this = day::month_of(today);
        match *self {
            DateFilter::All => (None, None),
            DateFilter::ThisMonth => (Some(day::first_of(this)), Some(today)),
            DateFilter::LastMonth => (Some(day::first_of(this - 1)), Some(day::last_of(this - 1))),
            DateFilter::Last3Months => (Some(day::first_of(this - 2)), Some(today)),
            DateFilter::YearToDate => (Some(day::first_of(this - this.rem_euclid(12))), Some(today)),
            DateFilter::Last12Months => (Some(day::first_of(this - 11)), Some(today)),
            DateFilter::Custom { from, to } => (from, to),
        }
    }

    /// For chips: "Last 3 months", "1 Jan 2024 – 31 Mar 2024", "From 1 Jan 2024".
    pub fn label(&self, s: &Strings) -> String {
        match *self {
            DateFilter::Custom { from, to } => match (from, to) {
                (Some(f), Some(t)) => (s.ex_date_range)(&day::display(f), &day::display(t)),
                (Some(f), None) => (s.ex_date_from)(&day::display(f)),
                (None, Some(t)) => (s.ex_date_until)(&day::display(t)),
                (None, None) => s.ex_date_presets[0].into(),
            },
            _ => Self::PRESETS.iter().position(|(d, _)| d == self).map(|i| s.ex_date_presets[i].to_string()).unwrap_or_default(),
        }
    }
}

/// `{"preset":"last-3-months"}` or `{"preset":"custom","from":"2024-01-01","to":"2024-03-31"}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateJson {
    preset: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
}

impl Serialize for DateFilter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (from, to) = match *self {
            DateFilter::Custom { from, to } => (from.map(day::format), to.map(day::format)),
            _ => (None, None),
        };
        DateJson { preset: self.key().to_string(), from, to }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for DateFilter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let j = DateJson::deserialize(d)?;
        if j.preset == "custom" {
            let day = |s: Option<String>| -> Result<Option<Day>, D::Error> {
                match s.filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(s) => day::parse(&s).map(Some).ok_or_else(|| D::Error::custom(format!("date \"{s}\" is not YYYY-MM-DD"))),
                }
            };
            let (from, to) = (day(j.from)?, day(j.to)?);
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(D::Error::custom("the custom range's \"from\" is after its \"to\""));
                }
            }
            return Ok(DateFilter::Custom { from, to });
        }
        if j.from.is_some() || j.to.is_some() {
            return Err(D::Error::custom("\"from\"/\"to\" need \"preset\":\"custom\""));
        }
        DateFilter::from_key(&j.preset).ok_or_else(|| {
            D::Error::custom(format!(
                "unknown date preset \"{}\": use all, this-month, last-month, last-3-months, year-to-date, last-12-months or custom",
                j.preset
            ))
        })
    }
}

/// An amount in cents; in JSON a decimal string (`"12.50"`), a number is accepted too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub i64);

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money::to_decimal(self.0))
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            N(f64),
        }
        match Raw::deserialize(d)? {
            Raw::S(s) => money::parse_cents(&s).map(Amount).ok_or_else(|| D::Error::custom(format!("amount \"{s}\" is not a decimal number"))),
            Raw::N(n) if n.is_finite() && n.abs() < 1e15 => Ok(Amount((n * 100.0).round() as i64)),
            Raw::N(n) => Err(D::Error::custom(format!("amount {n} is out of range"))),
        }
    }
}

/// Every client-side filter; all combine with AND, values inside one list with OR.
/// Empty lists and `None` mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FilterState {
    /// Account ids.
    pub accounts: Vec<String>,
    /// Connection ids.
    pub connections: Vec<String>,
    /// Institution ids (`AU00000`).
    pub institutions: Vec<String>,
    pub status: Option<Status>,
    pub date: DateFilter,
    /// Category slugs (`groceries`; `uncategorised` for none).
    pub categories: Vec<String>,
    pub direction: Option<Direction>,
    /// Smallest amount, by size (sign ignored), inclusive.
    pub amount_min: Option<Amount>,
    /// Largest amount, by size (sign ignored), inclusive.
    pub amount_max: Option<Amount>,
    /// Words that must all appear in the description or the merchant (any case).
    pub search: String,
}

/// What a chip removes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ChipKey {
    Account(String),
    Connection(String),
    Institution(String),
    Status,
    Date,
    Category(String),
    Direction,
    AmountMin,
    AmountMax,
    Search,
}

/// One active filter, shown as a removable chip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chip {
    pub key: ChipKey,
    /// "Account: Everyday ••1234"
    pub label: String,
}

impl FilterState {
    pub fn is_empty(&self) -> bool {
        *self == FilterState::default()
    }

    /// Reads the host's JSON. Unknown fields and bad values are errors that say which.
    /// Parsed the way the SDK reads the server's answers (the browser's `JSON.parse` in
    /// the widget), so the wasm carries no JSON parser of its own; then read from a
    /// `Value`, because serde-wasm-bindgen looks up only the fields it knows and would
    /// let a misspelt filter pass unnoticed.
    pub fn from_json(s: &str) -> Result<FilterState, String> {
        let invalid = |e: String| format!("Invalid filters: {e}");
        let value: serde_json::Value = tally_api::client::request::from_json(s).map_err(invalid)?;
        let f: FilterState = serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?;
        Ok(f.normalised())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Sorted, de-duplicated lists; min/max swapped when reversed; trimmed search.
    pub fn normalised(mut self) -> FilterState {
        for list in [&mut self.accounts, &mut self.connections, &mut self.institutions, &mut self.categories] {
            list.retain(|s| !s.is_empty());
            list.sort();
            list.dedup();
        }
        if let (Some(a), Some(b)) = (self.amount_min, self.amount_max) {
            if a > b {
                self.amount_min = Some(b);
                self.amount_max = Some(a);
            }
        }
        self.amount_min = self.amount_min.map(|a| Amount(a.0.abs()));
        self.amount_max = self.amount_max.map(|a| Amount(a.0.abs()));
        let trimmed = self.search.trim();
        if trimmed.len() != self.search.len() {
            self.search = trimmed.to_string();
        }
        self
    }

    /// Adds `id` to a list, or removes it when present.
    pub fn toggle(list: &mut Vec<String>, id: &str) {
        match list.iter().position(|x| x == id) {
            Some(i) => {
                list.remove(i);
            }
            None => {
                list.push(id.to_string());
                list.sort();
            }
        }
    }

    /// The active filters as chips, in a stable order; labels use the ledger's names
    /// and the locale's words.
    pub fn chips(&self, ledger: &Ledger, s: &Strings) -> Vec<Chip> {
        let mut out = Vec::new();
        let mut push = |key, label: String| out.push(Chip { key, label });
        for a in &self.accounts {
            push(ChipKey::Account(a.clone()), (s.ex_chip_account)(ledger.accounts.label_of(a)));
        }
        for c in &self.connections {
            push(ChipKey::Connection(c.clone()), (s.ex_chip_connection)(ledger.connections.label_of(c)));
        }
        for i in &self.institutions {
            push(ChipKey::Institution(i.clone()), (s.ex_chip_bank)(ledger.institutions.label_of(i)));
        }
        if let Some(status) = self.status {
            push(ChipKey::Status, if status == Status::Pending { s.ex_pending_only.into() } else { s.ex_posted_only.into() });
        }
        if self.date != DateFilter::All {
            push(ChipKey::Date, self.date.label(s));
        }
        for c in &self.categories {
            let label = match ledger.categories.get(c) {
                Some(i) => ledger.categories.label(i).to_string(),
                None => tally_api::taxonomy::title_of(c).unwrap_or(c).to_string(),
            };
            push(ChipKey::Category(c.clone()), (s.ex_chip_category)(&label));
        }
        if let Some(d) = self.direction {
            push(ChipKey::Direction, if d == Direction::Spending { s.ex_spending_only.into() } else { s.ex_income_only.into() });
        }
        if let Some(a) = self.amount_min {
            push(ChipKey::AmountMin, (s.ex_at_least)(&money::display(a.0)));
        }
        if let Some(a) = self.amount_max {
            push(ChipKey::AmountMax, (s.ex_at_most)(&money::display(a.0)));
        }
        if !self.search.is_empty() {
            push(ChipKey::Search, (s.ex_chip_search)(&self.search));
        }
        out
    }

    /// Removes the filter a chip stands for.
    pub fn remove(&mut self, key: &ChipKey) {
        let drop = |list: &mut Vec<String>, id: &str| list.retain(|x| x != id);
        match key {
            ChipKey::Account(id) => drop(&mut self.accounts, id),
            ChipKey::Connection(id) => drop(&mut self.connections, id),
            ChipKey::Institution(id) => drop(&mut self.institutions, id),
            ChipKey::Category(id) => drop(&mut self.categories, id),
            ChipKey::Status => self.status = None,
            ChipKey::Date => self.date = DateFilter::All,
            ChipKey::Direction => self.direction = None,
            ChipKey::AmountMin => self.amount_min = None,
            ChipKey::AmountMax => self.amount_max = None,
            ChipKey::Search => self.search.clear(),
        }
    }
}

/// What the Expenses view asks the server for, to hold every transaction from `from`
/// on: one walk of pages per filter. The posted transactions by post date, and the
/// pending ones apart: they have no `postDate` yet, so the date condition would drop
/// them, while client-side a pending transaction is dated by its `transactionDate` and
/// recent ones must show. With no date limit, one unfiltered walk (`None`) returns both.
/// Every other filter applies client-side, to what these load.
pub fn loads_from(from: Option<Day>) -> Vec<Option<Filter>> {
    let status = |s: TransactionStatus| Condition::new("transaction.status", Op::Eq, &[s.as_str()]);
    let Some(from) = from else { return vec![None] };
    let posted = Condition::new("transaction.postDate", Op::Gteq, &[&day::format(from)]);
    vec![
        Some(Filter { conditions: vec![posted, status(TransactionStatus::Posted)] }),
        Some(Filter { conditions: vec![status(TransactionStatus::Pending)] }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        day::parse(s).unwrap()
    }

    #[test]
    fn date_presets_resolve_against_an_injected_today() {
        let today = d("2024-03-15");
        let r = |f: DateFilter| {
            let (a, b) = f.resolve(today);
            (a.map(day::format), b.map(day::format))
        };
        let s = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
        assert_eq!(r(DateFilter::All), (None, None));
        assert_eq!(r(DateFilter::ThisMonth), s("2024-03-01", "2024-03-15"));
        assert_eq!(r(DateFilter::LastMonth), s("2024-02-01", "2024-02-29"));
        assert_eq!(r(DateFilter::Last3Months), s("2024-01-01", "2024-03-15"));
        assert_eq!(r(DateFilter::YearToDate), s("2024-01-01", "2024-03-15"));
        assert_eq!(r(DateFilter::Last12Months), s("2023-04-01", "2024-03-15"));
        // January: last month is in the previous year.
        let jan = d("2025-01-10");
        assert_eq!(DateFilter::LastMonth.resolve(jan), (Some(d("2024-12-01")), Some(d("2024-12-31"))));
        assert_eq!(DateFilter::YearToDate.resolve(jan).0, Some(d("2025-01-01")));
    }

    #[test]
    fn json_round_trip_and_clear_errors() {
        let f = FilterState {
            accounts: vec!["a1".into()],
            status: Some(Status::Posted),
            date: DateFilter::Custom { from: Some(d("2024-01-01")), to: None },
            direction: Some(Direction::Spending),
            amount_min: Some(Amount(1050)),
            search: "coffee".into(),
            ..Default::default()
        };
        let j = f.to_json();
        assert!(j.contains(r#""date":{"preset":"custom","from":"2024-01-01"}"#), "{j}");
        assert!(j.contains(r#""amountMin":"10.50""#), "{j}");
        assert_eq!(FilterState::from_json(&j).unwrap(), f);
        let host = FilterState::from_json(r#"{"categories":["fuel","dining","fuel"],"amountMax":20,"amountMin":"50","date":{"preset":"this-month"}}"#).unwrap();
        assert_eq!(host.categories, ["dining", "fuel"]);
        assert_eq!((host.amount_min, host.amount_max), (Some(Amount(2000)), Some(Amount(5000))), "reversed range swapped");
        assert_eq!(host.date, DateFilter::ThisMonth);
        assert_eq!(FilterState::from_json("{}").unwrap(), FilterState::default());
        for (bad, says) in [
            (r#"{"acounts":[]}"#, "acounts"),
            (r#"{"status":"done"}"#, "done"),
            (r#"{"date":{"preset":"soon"}}"#, "soon"),
            (r#"{"date":{"preset":"custom","from":"2024-13-01"}}"#, "2024-13-01"),
            (r#"{"amountMin":"ten"}"#, "ten"),
            ("[1]", "Invalid"),
        ] {
            let e = FilterState::from_json(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn chips_list_and_remove_each_filter() {
        let mut f = FilterState {
            accounts: vec!["a1".into(), "a2".into()],
            connections: vec!["c1".into()],
            institutions: vec!["AU00000".into()],
            status: Some(Status::Pending),
            date: DateFilter::LastMonth,
            categories: vec!["dining".into()],
            direction: Some(Direction::Income),
            amount_min: Some(Amount(100)),
            amount_max: Some(Amount(200)),
            search: "uber".into(),
        };
        let ledger = Ledger::default();
        let chips = f.chips(&ledger, &crate::i18n::EN);
        assert_eq!(chips.len(), 11);
        assert_eq!(chips[0].label, "Account: a1");
        assert!(chips.iter().any(|c| c.label == "Category: Dining out"));
        assert!(chips.iter().any(|c| c.label == "At least $1.00"));
        f.remove(&ChipKey::Account("a1".into()));
        assert_eq!(f.accounts, ["a2"]);
        for c in f.chips(&ledger, &crate::i18n::EN) {
            f.remove(&c.key);
        }
        assert!(f.is_empty());
    }

    #[test]
    fn contract_filter_renders_the_server_side_subset() {
        let text = |from| loads_from(from).into_iter().map(|f| f.map(|f| f.to_string())).collect::<Vec<_>>();
        // Byte for byte what the view has always sent.
        let posted = "transaction.postDate.gteq('2024-01-01'),transaction.status.eq('posted')";
        assert_eq!(text(Some(d("2024-01-01"))), [Some(posted.to_string()), Some("transaction.status.eq('pending')".to_string())]);
        assert_eq!(text(None), [None]);
        // What we send is what the server's parser accepts, and reads back the same.
        for f in loads_from(Some(d("2024-01-01"))).into_iter().flatten() {
            assert_eq!(Filter::parse_for(&f.to_string(), tally_api::filter::TRANSACTION_FIELDS).unwrap(), f);
        }
    }

    /// What the view loads with (the server's filters, evaluated by tally-api) holds
    /// every row the client-side date filter keeps from that day on, and of the posted
    /// rows exactly those: pending rows are loaded whatever their date.
    #[test]
    fn client_filter_means_what_the_server_filter_means() {
        use super::super::aggregate::summarise;
        use super::super::ledger::tests::tx;
        let today = d("2024-03-20");
        let txs: Vec<_> = [
            ("2024-03-02", "-50.00", "posted"),
            ("2024-02-29", "12.00", "posted"),
            ("2024-02-01", "-2.00", "posted"),
            ("2024-01-01", "-3.00", "posted"),
            ("2023-12-31", "-8.00", "posted"),
            ("2024-03-19", "-1.00", "pending"),
            ("2023-12-30", "-4.00", "pending"),
        ]
        .into_iter()
        .enumerate()
        .map(|(n, (date, amount, status))| tx(&format!("t{n}"), Some(date), amount, status, Some("fuel")))
        .collect();
        let ledger = Ledger::from_wire(&[], &txs);
        for from in [None, Some(d("2024-01-01")), Some(d("2024-02-01")), Some(d("2024-03-03"))] {
            let mut loaded: Vec<&tally_api::Transaction> = txs
                .iter()
                .filter(|t| {
                    loads_from(from).iter().any(|f| {
                        f.as_ref().is_none_or(|f| {
                            f.matches(|field| match field {
                                "transaction.postDate" => t.post_date.as_deref(),
                                "transaction.status" => Some(t.status.as_str()),
                                _ => None,
                            })
                        })
                    })
                })
                .collect();
            loaded.sort_by_key(|t| t.id.clone());
            let client = FilterState { date: DateFilter::Custom { from, to: None }, ..Default::default() };
            let s = summarise(&ledger, &client, today, true);
            let shown: Vec<&str> = s.matched.iter().map(|&i| ledger.ids[i as usize].as_str()).collect();
            for id in &shown {
                assert!(loaded.iter().any(|t| t.id == *id), "{id} shown but not loaded from {from:?}");
            }
            for t in loaded.iter().filter(|t| t.status == TransactionStatus::Posted) {
                assert!(shown.contains(&t.id.as_str()), "{} loaded but not shown from {from:?}", t.id);
            }
            assert!(loaded.iter().filter(|t| t.status == TransactionStatus::Pending).count() == 2, "pending rows load whatever their date");
        }
    }
}
