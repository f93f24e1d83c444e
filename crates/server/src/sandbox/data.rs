//! The sandbox's bank data: a pure function of (login, date).
//!
//! Each test user has a small, believable Australian financial life: a salary paid
//! fortnightly into an everyday account, rent, groceries, cafés, fuel and public
//! transport, bills by BPAY and direct debit, ATM withdrawals, fees, a savings account
//! the spare cash is swept into, a credit card paid off monthly and, for some, a home
//! loan. It is simulated day by day from a fixed epoch so that
//! - what happened on a day never depends on the day you look (posted transactions
//!   and their balances are stable; new ones appear as days pass);
//! - card purchases stay pending for a day or three, then post (pending ones have no
//!   stable key: the store gives them fresh ids on each refresh, as the contract says);
//! - balances stay bounded, because sweeps and card repayments follow the balances.

// Money literals are written dollars_cents (`2_500_00` is $2,500.00) on purpose.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::rng::{hash, Rng};

/// How far back an institution lets us read: a little over 13 months.
pub const HISTORY_DAYS: u64 = 400;

/// The simulation starts here (or earlier, for clocks set before 2021).
fn epoch_for(as_of: NaiveDate) -> NaiveDate {
    let fixed = NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date");
    let needed = as_of - Days::new(HISTORY_DAYS + 60);
    fixed.min(needed)
}

/// Kinds of sandbox account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    Everyday,
    Savings,
    CreditCard,
    HomeLoan,
}

/// An account as the institution shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxAccount {
    pub kind: AccountKind,
    /// Stable key of the account at the institution.
    pub external_id: String,
    pub account_no: String,
    pub name: String,
    /// Contract account class: transaction | savings | credit-card | mortgage.
    pub class_type: &'static str,
    pub product: String,
    pub balance: i64,
    pub available: i64,
}

/// A transaction as the institution shows it. Amounts in cents, negative = money out.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxTransaction {
    pub account_external_id: String,
    /// Stable for posted transactions; pending ones get a key that marks them pending.
    pub external_id: String,
    pub pending: bool,
    pub description: String,
    pub amount: i64,
    pub class: &'static str,
    pub balance: Option<i64>,
    pub transaction_date: NaiveDate,
    pub post_date: Option<NaiveDate>,
    pub mcc: Option<u16>,
}

/// Everything the institution shows for one login on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub accounts: Vec<SandboxAccount>,
    pub transactions: Vec<SandboxTransaction>,
}

/// A persona: numbers that make each login's data its own.
struct Persona {
    seed: String,
    card: u32,
    salary: i64,
    rent: i64,
    employer: &'static str,
    suburb: &'static str,
    has_loan: bool,
}

const EMPLOYERS: &[&str] = &["HOOLI PTY LTD", "PIED PIPER INC", "RAVIGA CAPITAL", "BACHMANITY PTY LTD", "ENDFRAME AU"];
const SUBURBS: &[&str] = &["BONDI JUNCTION", "SURRY HILLS", "NEWTOWN", "PARRAMATTA", "CHATSWOOD", "MARRICKVILLE", "MANLY"];

fn persona(login: &str) -> Persona {
    let mut r = Rng::from_parts(&["persona", login]);
    let card = r.range(1000, 9999) as u32;
    let salary = r.range(2_900, 4_600) * 100 + r.range(0, 99);
    let rent = r.range(18, 30) * 2_500;
    let employer = *r.pick(EMPLOYERS);
    let suburb = *r.pick(SUBURBS);
    Persona {
        seed: login.to_string(),
        card,
        salary,
        rent,
        employer,
        suburb,
        has_loan: r.chance(0.5),
    }
}

struct Merchant {
    name: &'static str,
    mcc: u16,
    min: i64,
    max: i64,
}

const GROCERS: &[Merchant] = &[
    Merchant { name: "WOOLWORTHS", mcc: 5411, min: 2_500, max: 18_000 },
    Merchant { name: "COLES", mcc: 5411, min: 2_000, max: 16_000 },
    Merchant { name: "ALDI STORES", mcc: 5411, min: 3_000, max: 12_000 },
    Merchant { name: "HARRIS FARM MARKETS", mcc: 5411, min: 1_500, max: 7_000 },
    Merchant { name: "IGA", mcc: 5411, min: 800, max: 4_500 },
];
const CAFES: &[Merchant] = &[
    Merchant { name: "SINGLE O", mcc: 5814, min: 450, max: 1_800 },
    Merchant { name: "GLORIA JEANS", mcc: 5814, min: 450, max: 1_200 },
    Merchant { name: "MCDONALDS", mcc: 5814, min: 600, max: 2_200 },
    Merchant { name: "GUZMAN Y GOMEZ", mcc: 5814, min: 1_400, max: 3_200 },
    Merchant { name: "BOOST JUICE", mcc: 5814, min: 700, max: 1_200 },
];
const TRANSPORT: &[Merchant] = &[
    Merchant { name: "TRANSPORTFORNSW OPAL", mcc: 4111, min: 320, max: 1_600 },
    Merchant { name: "AMPOL", mcc: 5541, min: 4_500, max: 9_500 },
    Merchant { name: "BP CONNECT", mcc: 5541, min: 4_000, max: 9_000 },
    Merchant { name: "UBER *TRIP", mcc: 4121, min: 1_200, max: 4_500 },
];
const CARD_SHOPS: &[Merchant] = &[
    Merchant { name: "UBER *EATS", mcc: 5812, min: 2_200, max: 6_500 },
    Merchant { name: "AMAZON AU MARKETPLACE", mcc: 5999, min: 1_500, max: 15_000 },
    Merchant { name: "JB HI-FI", mcc: 5732, min: 2_000, max: 40_000 },
    Merchant { name: "DAN MURPHYS", mcc: 5921, min: 2_500, max: 12_000 },
    Merchant { name: "BUNNINGS WAREHOUSE", mcc: 5200, min: 1_000, max: 25_000 },
    Merchant { name: "KMART", mcc: 5311, min: 1_000, max: 9_000 },
    Merchant { name: "CHEMIST WAREHOUSE", mcc: 5912, min: 800, max: 6_000 },
    Merchant { name: "EVENT CINEMAS", mcc: 7832, min: 1_800, max: 5_500 },
    Merchant { name: "THE GROUNDS OF ALEXANDRIA", mcc: 5812, min: 3_500, max: 14_000 },
    Merchant { name: "QANTAS AIRWAYS", mcc: 4511, min: 15_000, max: 65_000 },
];
const FRIENDS: &[&str] = &["J SMITH", "A NGUYEN", "M PATEL", "S WILLIAMS", "L CHEN", "K OBRIEN"];
const ATMS: &[&str] = &["CBA ATM", "WESTPAC ATM", "NAB ATM", "ANZ ATM"];

/// One money movement before it gets its description's final form.
struct Event {
    account: AccountKind,
    date: NaiveDate,
    post_lag: u64,
    description: String,
    amount: i64,
    class: &'static str,
    mcc: Option<u16>,
}

/// What the institution shows for `login` on `as_of`.
pub fn snapshot(login: &str, as_of: NaiveDate) -> Snapshot {
    let p = persona(login);
    let kinds: Vec<AccountKind> = {
        let mut k = vec![AccountKind::Everyday, AccountKind::Savings, AccountKind::CreditCard];
        if p.has_loan {
            k.push(AccountKind::HomeLoan);
        }
        k
    };
    let epoch = epoch_for(as_of);
    let window_start = as_of - Days::new(HISTORY_DAYS);

    // Balances by account, in posting order, and the output.
    let mut balance = |k: AccountKind| -> usize { kinds.iter().position(|x| *x == k).unwrap_or(0) };
    let mut balances: Vec<i64> = kinds
        .iter()
        .map(|k| match k {
            AccountKind::Everyday => 2_500_00,
            AccountKind::Savings => 10_000_00,
            AccountKind::CreditCard => 0,
            AccountKind::HomeLoan => -450_000_00,
        })
        .collect();
    let mut out: Vec<SandboxTransaction> = Vec::new();
    // Events that happened but have not posted yet, by posting date.
    let mut in_flight: Vec<(NaiveDate, usize, Event)> = Vec::new();
    let mut seq_by_day: std::collections::HashMap<(AccountKind, NaiveDate), usize> = Default::default();

    let mut day = epoch;
    while day <= as_of {
        for e in day_events(&p, day, &balances, &kinds, &mut balance) {
            let post = e.date + Days::new(e.post_lag);
            let seq = seq_by_day.entry((e.account, e.date)).or_insert(0);
            *seq += 1;
            in_flight.push((post, *seq, e));
        }
        // Post everything due today, in a fixed order.
        in_flight.sort_by_key(|a| (a.0, a.2.date, a.1, a.2.account as u8));
        let due = in_flight.iter().take_while(|(post, _, _)| *post <= day).count();
        for (post, seq, e) in in_flight.drain(..due) {
            let idx = balance(e.account);
            balances[idx] += e.amount;
            if e.date >= window_start {
                out.push(materialise(&p, &kinds, e, seq, Some(post), Some(balances[idx])));
            }
        }
        day = day + Days::new(1);
    }
    // What has happened but not posted by `as_of` is pending.
    let mut pending_total = vec![0i64; kinds.len()];
    for (_, seq, e) in in_flight {
        pending_total[balance(e.account)] += e.amount;
        if e.date >= window_start {
            out.push(materialise(&p, &kinds, e, seq, None, None));
        }
    }

    let accounts = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| account(&p, *k, balances[i], balances[i] + pending_total[i]))
        .collect();
    Snapshot { accounts, transactions: out }
}

fn account_key(p: &Persona, k: AccountKind) -> String {
    let tag = match k {
        AccountKind::Everyday => "EVD",
        AccountKind::Savings => "SAV",
        AccountKind::CreditCard => "CC",
        AccountKind::HomeLoan => "HL",
    };
    format!("{tag}-{:08x}", hash(&[&p.seed, tag]) as u32)
}

fn account(p: &Persona, k: AccountKind, balance: i64, with_pending: i64) -> SandboxAccount {
    let h = hash(&[&p.seed, "accno", &format!("{k:?}")]);
    let bsb_acc = format!("062-{:03} {:04} {:04}", h % 1000, (h >> 10) % 10_000, (h >> 24) % 10_000);
    let (name, class_type, product, account_no, available) = match k {
        AccountKind::Everyday => ("Everyday Account", "transaction", "Hooli Everyday", bsb_acc, with_pending),
        AccountKind::Savings => ("NetSaver", "savings", "Hooli NetSaver", bsb_acc, with_pending),
        AccountKind::CreditCard => {
            let limit = 8_000_00;
            ("Platinum Visa", "credit-card", "Hooli Platinum Visa", format!("4622 XXXX XXXX {}", p.card), limit + with_pending)
        }
        AccountKind::HomeLoan => ("Home Loan", "mortgage", "Hooli Variable Home Loan", bsb_acc, 0),
    };
    SandboxAccount {
        kind: k,
        external_id: account_key(p, k),
        account_no,
        name: name.into(),
        class_type,
        product: product.into(),
        balance,
        available,
    }
}

fn materialise(
    p: &Persona,
    kinds: &[AccountKind],
    e: Event,
    seq: usize,
    post: Option<NaiveDate>,
    balance: Option<i64>,
) -> SandboxTransaction {
    let acc = account_key(p, e.account);
    debug_assert!(kinds.contains(&e.account));
    let external_id = match post {
        Some(_) => format!("{acc}-{}-{seq}", e.date.format("%Y%m%d")),
        None => format!("{acc}-{}-{seq}-pending", e.date.format("%Y%m%d")),
    };
    SandboxTransaction {
        account_external_id: acc,
        external_id,
        pending: post.is_none(),
        description: e.description,
        amount: e.amount,
        class: e.class,
        balance,
        transaction_date: e.date,
        post_date: post,
        mcc: e.mcc,
    }
}

/// The day's money movements. `balances` are the posted balances so far (used for the
/// sweeps and repayments that keep the simulation bounded).
fn day_events(
    p: &Persona,
    day: NaiveDate,
    balances: &[i64],
    kinds: &[AccountKind],
    index: &mut impl FnMut(AccountKind) -> usize,
) -> Vec<Event> {
    use AccountKind::*;
    let mut r = Rng::from_parts(&["day", &p.seed, &day.to_string()]);
    let mut ev = Vec::new();
    let card = format!("Card xx{}", p.card);
    let ds = day.format("%d%b").to_string().to_uppercase();
    let mut push = |account, post_lag, description: String, amount: i64, class, mcc| {
        ev.push(Event { account, date: day, post_lag, description, amount, class, mcc });
    };
    let store_no = |name: &str| hash(&[&p.seed, name]) % 9000 + 1000;
    let suburb = p.suburb;

    // Salary: every second Thursday.
    let days_since = (day - NaiveDate::from_ymd_opt(2019, 12, 26).expect("date")).num_days();
    if day.weekday() == Weekday::Thu && days_since.rem_euclid(14) == 0 {
        push(Everyday, 0, format!("SALARY {} PAYROLL {}", p.employer, p.card), p.salary, "direct-credit", None);
    }
    // Rent on the 1st (those with a loan pay it instead, from the everyday account).
    if day.day() == 1 {
        if p.has_loan {
            push(Everyday, 0, "TRANSFER TO HOME LOAN REPAYMENT".into(), -2_850_00, "transfer", None);
            push(HomeLoan, 0, "LOAN REPAYMENT THANK YOU".into(), 2_850_00, "loan-repayment", None);
        } else {
            push(Everyday, 0, format!("OSKO PAYMENT TO RAY WHITE {suburb} RENT"), -p.rent * 4, "payment", None);
        }
        push(Everyday, 0, "MONTHLY ACCOUNT FEE".into(), -5_00, "bank-fee", None);
    }
    if p.has_loan && day.day() == 28 {
        let owed = -balances[index(HomeLoan)];
        push(HomeLoan, 0, "INTEREST CHARGED".into(), -(owed * 6 / 100 / 12), "loan-interest", None);
    }
    // Monthly bills on fixed days.
    match day.day() {
        3 => push(Everyday, 0, "DIRECT DEBIT TELSTRA".into(), -(89_00 + r.range(0, 1) * 10_00), "payment", None),
        7 => push(Everyday, 0, "DIRECT DEBIT NETFLIX.COM".into(), -18_99, "payment", None),
        9 => push(Everyday, 1, format!("VISA PURCHASE SPOTIFY P{} SYDNEY NS AUS {card}", store_no("SPOTIFY")), -13_99, "payment", Some(5815)),
        12 => push(Everyday, 0, "DIRECT DEBIT ANYTIME FITNESS".into(), -69_95, "payment", None),
        20 => push(Everyday, 0, "DIRECT DEBIT OPTUS MOBILE".into(), -45_00, "payment", None),
        _ => {}
    }
    // Quarterly utilities.
    if day.day() == 15 && day.month().is_multiple_of(3) {
        push(Everyday, 0, "BPAY AGL ENERGY".into(), -r.range(280_00, 520_00), "payment", None);
    }
    if day.day() == 22 && day.month() % 3 == 1 {
        push(Everyday, 0, "BPAY SYDNEY WATER".into(), -r.range(160_00, 240_00), "payment", None);
    }
    // Groceries two or three times a week.
    if r.chance(0.38) {
        let m = r.pick(GROCERS);
        let amount = -r.range(m.min, m.max);
        let desc = if r.chance(0.5) {
            format!("VISA PURCHASE {} {} SYDNEY NS AUS {card}", m.name, store_no(m.name))
        } else {
            format!("EFTPOS {} {:04} {suburb}", m.name, store_no(m.name) % 1000)
        };
        push(Everyday, r.range(1, 3) as u64, desc, amount, "payment", Some(m.mcc));
    }
    // Coffee and lunch on weekdays.
    if day.weekday().number_from_monday() <= 5 && r.chance(0.55) {
        let m = r.pick(CAFES);
        push(
            Everyday,
            r.range(1, 2) as u64,
            format!("VISA PURCHASE {} {suburb} NS AUS {card}", m.name),
            -r.range(m.min, m.max),
            "payment",
            Some(m.mcc),
        );
    }
    if r.chance(0.3) {
        let m = r.pick(TRANSPORT);
        push(
            Everyday,
            r.range(1, 3) as u64,
            format!("VISA PURCHASE {} {} SYDNEY NS AUS {card}", m.name, store_no(m.name)),
            -r.range(m.min, m.max),
            "payment",
            Some(m.mcc),
        );
    }
    // Credit card spending.
    if r.chance(0.33) {
        let m = r.pick(CARD_SHOPS);
        push(CreditCard, r.range(1, 3) as u64, format!("{} SYDNEY AU {ds}", m.name), -r.range(m.min, m.max), "payment", Some(m.mcc));
    }
    if r.chance(0.02) {
        push(CreditCard, 2, format!("REFUND AMAZON AU MARKETPLACE SYDNEY {ds}"), r.range(15_00, 80_00), "refund", Some(5999));
    }
    // Cash, friends, the odd fee.
    if r.chance(0.05) {
        let atm = r.pick(ATMS);
        push(Everyday, 0, format!("ATM WITHDRAWAL {atm} {suburb} NS"), -r.range(1, 4) * 50_00, "cash-withdrawal", Some(6011));
        if !atm.starts_with("CBA") && r.chance(0.5) {
            push(Everyday, 0, "ATM OPERATOR FEE".into(), -3_00, "bank-fee", None);
        }
    }
    if r.chance(0.06) {
        let who = r.pick(FRIENDS);
        let what = *r.pick(&["DINNER", "BIRTHDAY GIFT", "CONCERT TIX", "UBER SPLIT", "FOOTY TIPS"]);
        push(Everyday, 0, format!("OSKO PAYMENT TO {who} {what}"), -r.range(15_00, 120_00), "transfer", None);
    }
    if r.chance(0.03) {
        let who = r.pick(FRIENDS);
        push(Everyday, 0, format!("OSKO DEPOSIT FROM {who} THANKS"), r.range(15_00, 90_00), "transfer", None);
    }
    // Savings interest at month end.
    if day.succ_opt().map(|d| d.day() == 1).unwrap_or(false) {
        let sav = balances[index(Savings)].max(0);
        push(Savings, 0, "CREDIT INTEREST".into(), sav * 45 / 1000 / 12, "interest", None);
    }
    // Card repaid in full on the 16th.
    if day.day() == 16 {
        let owed = -balances[index(CreditCard)];
        if owed > 0 {
            push(Everyday, 0, format!("PAYMENT TO CREDIT CARD {}", p.card), -owed, "transfer", None);
            push(CreditCard, 0, "PAYMENT RECEIVED THANK YOU".into(), owed, "transfer", None);
        }
    }
    // Sweep spare cash to savings the day after payday; top up when low.
    let everyday = balances[index(Everyday)];
    if day.weekday() == Weekday::Fri && everyday > 6_000_00 {
        let sweep = (everyday - 4_000_00) / 100_00 * 100_00;
        push(Everyday, 0, "TRANSFER TO NETSAVER".into(), -sweep, "transfer", None);
        push(Savings, 0, "TRANSFER FROM EVERYDAY ACCOUNT".into(), sweep, "transfer", None);
    } else if everyday < 500_00 && balances[index(Savings)] > 2_000_00 {
        push(Everyday, 0, "TRANSFER FROM NETSAVER".into(), 1_500_00, "transfer", None);
        push(Savings, 0, "TRANSFER TO EVERYDAY ACCOUNT".into(), -1_500_00, "transfer", None);
    }
    debug_assert!(ev.iter().all(|e| kinds.contains(&e.account)));
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(snapshot("gavinBelson", d("2024-06-30")), snapshot("gavinBelson", d("2024-06-30")));
        assert_ne!(snapshot("gavinBelson", d("2024-06-30")), snapshot("jared", d("2024-06-30")));
    }

    #[test]
    fn has_several_accounts_and_a_year_of_realistic_history() {
        let s = snapshot("richard", d("2024-06-30"));
        let classes: Vec<&str> = s.accounts.iter().map(|a| a.class_type).collect();
        for c in ["transaction", "savings", "credit-card"] {
            assert!(classes.contains(&c), "{classes:?}");
        }
        let first = s.transactions.iter().map(|t| t.transaction_date).min().unwrap();
        assert!(first <= d("2023-06-30"), "at least 12 months: {first}");
        assert!(s.transactions.len() > 600, "{}", s.transactions.len());
        for needle in ["WOOLWORTHS", "EFTPOS COLES", "BPAY AGL ENERGY", "DIRECT DEBIT TELSTRA", "OSKO PAYMENT TO", "SALARY", "TRANSFER TO NETSAVER", "ATM WITHDRAWAL", "MONTHLY ACCOUNT FEE", "CREDIT INTEREST"] {
            assert!(s.transactions.iter().any(|t| t.description.contains(needle)), "missing {needle}");
        }
        assert!(s.transactions.iter().any(|t| t.description.starts_with("VISA PURCHASE WOOLWORTHS") && t.description.contains(" Card xx")));
    }

    #[test]
    fn balances_stay_believable() {
        for login in ["gavinBelson", "jared", "richard", "Wentworth-Smith"] {
            let s = snapshot(login, d("2026-01-15"));
            for a in &s.accounts {
                match a.kind {
                    AccountKind::Everyday => assert!((-2_000_00..20_000_00).contains(&a.balance), "{login} {a:?}"),
                    AccountKind::CreditCard => assert!((-9_000_00..=0).contains(&a.balance), "{login} {a:?}"),
                    AccountKind::Savings => assert!(a.balance > 0, "{login} {a:?}"),
                    AccountKind::HomeLoan => assert!(a.balance < 0, "{login} {a:?}"),
                }
            }
        }
    }

    #[test]
    fn pending_posts_later_and_posted_history_is_stable() {
        let day1 = snapshot("gavinBelson", d("2024-03-10"));
        let day2 = snapshot("gavinBelson", d("2024-03-14"));
        let pending: Vec<_> = day1.transactions.iter().filter(|t| t.pending).collect();
        assert!(!pending.is_empty());
        assert!(pending.iter().all(|t| t.post_date.is_none() && t.balance.is_none()));
        // Every pending one of day 1 is posted by day 2, same date, amount and text.
        for p in &pending {
            assert!(
                day2.transactions.iter().any(|t| !t.pending
                    && t.transaction_date == p.transaction_date
                    && t.amount == p.amount
                    && t.description == p.description),
                "{p:?} did not post"
            );
        }
        // Posted transactions of day 1 are unchanged on day 2 (inside both windows).
        let posted2: std::collections::HashMap<&str, &SandboxTransaction> =
            day2.transactions.iter().filter(|t| !t.pending).map(|t| (t.external_id.as_str(), t)).collect();
        let mut compared = 0;
        for t in day1.transactions.iter().filter(|t| !t.pending && t.transaction_date >= d("2023-03-01")) {
            assert_eq!(posted2.get(t.external_id.as_str()), Some(&t), "{t:?}");
            compared += 1;
        }
        assert!(compared > 500);
        assert!(day2.transactions.len() > day1.transactions.len() - 20, "new days bring new transactions");
        assert!(day2.transactions.iter().any(|t| t.transaction_date > d("2024-03-10")));
    }

    #[test]
    fn posted_keys_are_unique_per_account() {
        let s = snapshot("jared", d("2025-02-01"));
        let mut seen = std::collections::HashSet::new();
        for t in &s.transactions {
            assert!(seen.insert((&t.account_external_id, &t.external_id)), "duplicate {t:?}");
        }
    }
}
