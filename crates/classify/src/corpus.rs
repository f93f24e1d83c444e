//! The synthetic labelled corpus: reproducible, generated in the crate.
//!
//! There is no public labelled set of Australian bank descriptions, so we
//! write what banks write. Payments come from two kinds of merchant:
//! - **chains** from the directory, through their aliases;
//! - **local businesses** with made-up names built the way real small
//!   businesses name themselves: a proper-name part (`MARIOS`, `BONDI`,
//!   `KOOKABURRA`) plus a category word from `data/local_words.tsv`
//!   (`PIZZA`, `DENTAL`, `BOTTLESHOP`), sometimes glued, sometimes with
//!   `PTY LTD`, and ~10% opaque names with no category word at all
//!   (`NGUYEN & CO`), which no model can get right from the text.
//!
//! Each description is then dressed in one of the banks' formats (`VISA
//! PURCHASE … Card xx1234`, `EFTPOS …`, `SQ *…`, `BPAY … 123456`, `DIRECT
//! DEBIT …`, `PAYPAL *…`, online and overseas forms), with truncation and
//! squashed spaces as banks do. Non-payments (transfers, fees, ATM, interest,
//! loans, salary, refunds) are mixed in for the class rules.
//!
//! Honesty of the "unseen merchants" split is structural, not by promise:
//! - 15% of directory merchants (chosen by a stable hash of the name) are
//!   held out: they produce no training example, and the evaluation removes
//!   them from the directory (`Directory::without(is_held_out_chain)`);
//! - the proper-name words and place names used to build local-business
//!   names are split into a training pool and an unseen pool by a stable
//!   hash, so an unseen local business shares no name part with any training
//!   merchant, only the generic category words (as real ones do);
//! - the unseen split carries no MCC, so it measures the text alone.
//!
//! Randomness is `ChaCha8Rng::seed_from_u64`: same seed, same corpus, on
//! every platform.

use std::collections::HashSet;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::directory::{Directory, Merchant};
use crate::hash::{finish, hash_str};
use crate::mcc::sample_codes;
use crate::normalise::Normalised;
use crate::structure::TxClass;
use crate::taxonomy::{all_categories, category_by_slug, Category};
use crate::{Error, Result};

const LOCAL_WORDS_TSV: &str = include_str!("../data/local_words.tsv");
const NAMES_TXT: &str = include_str!("../data/names.txt");
const PLACES_TSV: &str = include_str!("../data/places.tsv");

/// Where a labelled example's merchant came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A directory chain.
    Chain,
    /// A synthetic local business.
    Local,
    /// Not a merchant payment (transfer, fee, …).
    None,
}

/// One labelled transaction.
#[derive(Clone, Debug)]
pub struct Example {
    pub description: String,
    pub amount_cents: i64,
    pub mcc: Option<u16>,
    pub class: TxClass,
    /// Expected category (payments only).
    pub category: Option<&'static Category>,
    /// The merchant's name (chain or local business).
    pub merchant: Option<String>,
    pub origin: Origin,
}

impl Example {
    /// What the classifier sees of this example (the label stays out of reach).
    pub fn input(&self) -> crate::Input<'_> {
        crate::Input { description: &self.description, amount_cents: self.amount_cents, mcc: self.mcc, country: None }
    }
}

/// The three splits.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Training transactions (known merchants + non-payments).
    pub train: Vec<Example>,
    /// Held-out transactions of the same merchants, never trained on.
    pub heldout: Vec<Example>,
    /// Transactions of merchants absent from training and from the
    /// evaluation directory.
    pub unseen: Vec<Example>,
    /// Transactions of world-table brands held out of training and of the
    /// evaluation brand table (a split of their own, so `unseen` stays
    /// comparable with the figures measured before the brands came in).
    pub unseen_brands: Vec<Example>,
}

/// Corpus size and seed.
#[derive(Clone, Copy, Debug)]
pub struct CorpusConfig {
    pub seed: u64,
    /// Descriptions per training-side chain.
    pub per_chain: usize,
    /// Local businesses per category on the training side.
    pub locals_per_category: usize,
    /// Descriptions per training-side local business.
    pub per_local: usize,
    /// Descriptions per held-out chain.
    pub per_unseen_chain: usize,
    /// Unseen local businesses per category.
    pub unseen_locals_per_category: usize,
    /// Descriptions per unseen local business.
    pub per_unseen_local: usize,
    /// Non-payment transactions.
    pub non_payments: usize,
    /// Fraction of known-merchant transactions kept for the held-out split.
    pub heldout_fraction: f64,
    /// Fraction of card payments that carry an MCC (train/held-out only).
    pub mcc_rate: f64,
    /// Training descriptions per world-table brand (0: none).
    pub per_brand: usize,
    /// Descriptions per held-out world-table brand.
    pub per_unseen_brand: usize,
}

impl CorpusConfig {
    /// The corpus `train`, `eval` and `bench` use.
    pub fn standard() -> Self {
        CorpusConfig {
            seed: 20240501,
            per_chain: 8,
            locals_per_category: 400,
            per_local: 3,
            per_unseen_chain: 6,
            unseen_locals_per_category: 50,
            per_unseen_local: 3,
            non_payments: 4000,
            heldout_fraction: 0.2,
            mcc_rate: 0.15,
            per_brand: 1,
            per_unseen_brand: 1,
        }
    }

    /// Same distribution, another seed: for choosing training settings
    /// without looking at the standard evaluation splits.
    pub fn validation() -> Self {
        CorpusConfig {
            seed: Self::standard().seed + 1,
            ..Self::standard()
        }
    }

    /// A small corpus for fast tests.
    pub fn small() -> Self {
        CorpusConfig {
            per_chain: 2,
            locals_per_category: 8,
            per_local: 2,
            per_unseen_chain: 1,
            unseen_locals_per_category: 4,
            per_unseen_local: 1,
            non_payments: 100,
            per_brand: 0,
            per_unseen_brand: 0,
            ..Self::standard()
        }
    }
}

/// True for directory merchants held out of training and of the evaluation
/// directory (a stable 15% by name).
pub fn is_held_out_chain(name: &str) -> bool {
    finish(hash_str(name)) % 100 < 15
}

/// True for name parts reserved for unseen local businesses (a stable 30%).
fn is_unseen_part(word: &str) -> bool {
    finish(hash_str(&format!("name-part:{word}"))) % 100 < 30
}

struct Pools {
    words: Vec<(&'static Category, Vec<&'static str>)>,
    names_train: Vec<&'static str>,
    names_unseen: Vec<&'static str>,
    places: Vec<(&'static str, &'static str)>,
    places_train: Vec<&'static str>,
    places_unseen: Vec<&'static str>,
}

fn pools() -> Result<Pools> {
    let mut words = Vec::new();
    for (i, line) in LOCAL_WORDS_TSV.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (cat, list) = line.split_once('\t').ok_or_else(|| Error::Data {
            file: "local_words.tsv",
            line: i + 1,
            detail: "expected category<TAB>words".into(),
        })?;
        let cat = category_by_slug(cat).ok_or_else(|| Error::Data {
            file: "local_words.tsv",
            line: i + 1,
            detail: format!("unknown category `{cat}`"),
        })?;
        words.push((
            cat,
            list.split('|')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect(),
        ));
    }
    let names: Vec<&str> = NAMES_TXT
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect::<Vec<_>>();
    let mut names = names;
    names.sort_unstable(); // HashSet order is not stable; the corpus must be
    let places: Vec<(&str, &str)> = PLACES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let (names_unseen, names_train) = names.iter().partition(|w| is_unseen_part(w));
    let (places_unseen, places_train) = places.iter().map(|p| p.0).partition(|w| is_unseen_part(w));
    Ok(Pools {
        words,
        names_train,
        names_unseen,
        places,
        places_train,
        places_unseen,
    })
}

/// A local business.
struct Local {
    name: String,
    category: &'static Category,
}

fn local_name(rng: &mut ChaCha8Rng, names: &[&str], places: &[&str], g: &str) -> String {
    let p = *names.choose(rng).unwrap_or(&"ACME");
    let p2 = *names.choose(rng).unwrap_or(&"ACME");
    let place = *places.choose(rng).unwrap_or(&"CITY");
    match rng.random_range(0..100) {
        0..35 => format!("{p} {g}"),
        35..45 => format!("{p} {p2} {g}"),
        45..58 => format!("{place} {g}"),
        58..64 => format!("{g} {place}"),
        64..72 if !g.contains(' ') => format!("{p}{g}"),
        64..72 => format!("{p} {g}"),
        72..80 => format!("{p} {g} PTY LTD"),
        80..86 => format!("THE {p} {g}"),
        86..90 => format!("{p}S {g}"),
        // Opaque names: no category word at all.
        90..94 => format!("{p} {p2} PTY LTD"),
        94..97 => format!("{p} & CO"),
        _ => {
            let suffix = [
                "ENTERPRISES",
                "TRADING",
                "HOLDINGS",
                "GROUP",
                "SERVICES",
                "INVESTMENTS",
            ];
            format!("{p} {}", suffix.choose(rng).unwrap_or(&"GROUP"))
        }
    }
}

fn make_locals(
    rng: &mut ChaCha8Rng,
    pools: &Pools,
    directory: &Directory,
    unseen: bool,
    per_category: usize,
    taken: &mut HashSet<String>,
) -> Vec<Local> {
    let (names, places) = if unseen {
        (&pools.names_unseen, &pools.places_unseen)
    } else {
        (&pools.names_train, &pools.places_train)
    };
    let mut out = Vec::new();
    for (cat, generic) in &pools.words {
        let mut made = 0;
        let mut tries = 0;
        while made < per_category && tries < per_category * 50 {
            tries += 1;
            // Each category word in turn, not at random: drawn at random, some
            // words came out once in the standard corpus (`TRATTORIA`: one
            // business, so the model never learned it) and others twenty times.
            let g = generic.get(tries % generic.len().max(1)).copied().unwrap_or("SHOP");
            let name = local_name(rng, names, places, g);
            // A local name that hits the directory would be labelled twice
            // (and would not be "unseen"): reject it.
            if directory.lookup(&Normalised::new(&name)).is_some() || !taken.insert(name.clone()) {
                continue;
            }
            out.push(Local {
                name,
                category: cat,
            });
            made += 1;
        }
    }
    out
}

/// Channel mix per category: (card, bill, online).
fn channels(slug: &str) -> (u32, u32, u32) {
    match slug {
        "utilities" | "insurance" | "housing" | "government" => (10, 75, 15),
        "telecommunications" => (20, 55, 25),
        "education" | "charity" => (25, 45, 30),
        "subscriptions-software" => (5, 15, 80),
        "travel" => (35, 0, 65),
        "entertainment" => (45, 10, 45),
        "shopping" => (70, 0, 30),
        "health" => (80, 10, 10),
        _ => (90, 0, 10),
    }
}

/// Typical amount range in dollars.
fn amount_range(slug: &str) -> (f64, f64) {
    match slug {
        "groceries" => (5.0, 250.0),
        "dining" => (4.0, 120.0),
        "alcohol" => (15.0, 150.0),
        "fuel" => (20.0, 150.0),
        "transport" => (3.0, 80.0),
        "travel" => (50.0, 1500.0),
        "utilities" => (50.0, 600.0),
        "telecommunications" => (20.0, 150.0),
        "housing" => (300.0, 3000.0),
        "education" => (20.0, 5000.0),
        "government" => (10.0, 2000.0),
        "subscriptions-software" => (5.0, 50.0),
        "insurance" => (30.0, 500.0),
        _ => (10.0, 300.0),
    }
}

fn amount(rng: &mut ChaCha8Rng, slug: &str) -> i64 {
    let (lo, hi) = amount_range(slug);
    let v = (lo.ln() + rng.random::<f64>() * (hi.ln() - lo.ln())).exp();
    (v * 100.0).round() as i64
}

fn digits(rng: &mut ChaCha8Rng, lo: usize, hi: usize) -> String {
    let n = rng.random_range(lo..hi);
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(|x| x.to_lowercase()))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the merchant's name survives the bank's systems.
fn mangle(rng: &mut ChaCha8Rng, name: &str) -> String {
    let mut m = name.to_string();
    if m.contains(' ') && rng.random_bool(0.1) {
        m.retain(|c| c != ' ');
    }
    // Card schemes carry the merchant name in a fixed-width field (25
    // characters for Visa, less at some banks): long names are cut there,
    // mid-word. Short names survive whole.
    let width = rng.random_range(18..=25);
    if m.len() > width && rng.random_bool(0.8) {
        m.truncate(width);
        m = m.trim_end().to_string();
    }
    m
}

const INTL: &[&str] = &[
    "DUBLIN IE",
    "SAN FRANCISCO US",
    "SINGAPORE SG",
    "LONDON GB",
    "AMSTERDAM NL",
    "LUXEMBOURG LU",
    "SEATTLE US",
    "AUCKLAND NZ",
    "LOS GATOS US",
    "STOCKHOLM SE",
    "MOUNTAIN VIEW US",
    "HONG KONG HK",
];

fn payment_description(
    rng: &mut ChaCha8Rng,
    pools: &Pools,
    m: &str,
    slug: &str,
    local: bool,
) -> String {
    let (place, state) = *pools.places.choose(rng).unwrap_or(&("SYDNEY", "NS"));
    let card = digits(rng, 4, 5);
    let store = digits(rng, 2, 6);
    let (c, b, o) = channels(slug);
    let pick = rng.random_range(0..c + b + o);
    let d = if pick < c {
        // Card present; local businesses often through a facilitator.
        if local && rng.random_bool(0.35) {
            match rng.random_range(0..7) {
                0 | 1 => format!("SQ *{m} {place}"),
                2 => format!("SQ *{m}"),
                3 => format!("ZLR*{m} {place}"),
                4 => format!("SMP*{m} {place} {state}"),
                5 => format!("LS {m} {place}"),
                _ => format!("SUMUP *{m} {place}"),
            }
        } else {
            match rng.random_range(0..12) {
                0 => format!("VISA PURCHASE {m} {place} {state} AUS Card xx{card}"),
                1 => format!(
                    "{m} {store} {place} {state}AUS Card xx{card} Value Date: {:02}/{:02}/2024",
                    rng.random_range(1..29),
                    rng.random_range(1..13)
                ),
                2 => format!("EFTPOS {m} {store} {place}"),
                3 => format!("EFTPOS PURCHASE {m} {place} {state}"),
                4 => format!("POS AUTHORISATION {m} {place} {state}"),
                5 => format!("VISA DEBIT PURCHASE CARD {card} {m} {place}"),
                6 => format!("{m} {place}"),
                7 => format!("DEBIT CARD PURCHASE {m} {place} AUS"),
                8 => format!("{m}{store} {place}"),
                9 => format!("TAP AND PAY {m} {place} {state}"),
                10 => title_case(&format!("{m} {place} {state}")),
                _ => format!("{m} {store} {place} {state} AUS"),
            }
        }
    } else if pick < c + b {
        let reference = digits(rng, 6, 11);
        match rng.random_range(0..7) {
            0 | 1 => format!("BPAY {m} {reference}"),
            2 => format!("DIRECT DEBIT {reference} {m}"),
            3 => format!("{m} DIRECT DEBIT {reference}"),
            4 => format!("DD {m} {reference}"),
            5 => format!("{m} {reference}"),
            _ => format!("RECURRING PAYMENT {m} {reference}"),
        }
    } else {
        let glued: String = m.chars().filter(|c| *c != ' ').collect();
        match rng.random_range(0..8) {
            0 => format!("{m} SYDNEY AU"),
            1 => format!("{glued}.COM.AU"),
            2 => format!("WWW.{glued}.COM.AU {place}"),
            3 => format!("{m} ONLINE AU"),
            4 => format!("PAYPAL *{glued}"),
            5 => format!("{m} {}", INTL.choose(rng).unwrap_or(&"LONDON GB")),
            6 => format!(
                "VISA PURCHASE {m} {} Card xx{card}",
                INTL.choose(rng).unwrap_or(&"LONDON GB")
            ),
            _ => title_case(&format!("{m} {place}")),
        }
    };
    if rng.random_bool(0.1) {
        d.to_lowercase()
    } else {
        d
    }
}

fn payment(
    rng: &mut ChaCha8Rng,
    pools: &Pools,
    alias: &str,
    name: &str,
    cat: &'static Category,
    origin: Origin,
    mcc_rate: f64,
) -> Example {
    let m = mangle(rng, alias);
    let description = payment_description(rng, pools, &m, cat.slug, origin == Origin::Local);
    let mcc = if rng.random_bool(mcc_rate) {
        if rng.random_bool(0.3) {
            Some(*[5999u16, 7399, 8999].choose(rng).unwrap_or(&5999))
        } else {
            sample_codes(cat.slug).choose(rng).copied()
        }
    } else {
        None
    };
    // A few refunds: money back from the same merchant.
    if rng.random_bool(0.02) {
        return Example {
            description: format!(
                "REFUND {m} {}",
                pools.places.choose(rng).map_or("SYDNEY", |p| p.0)
            ),
            amount_cents: amount(rng, cat.slug),
            mcc: None,
            class: TxClass::Refund,
            category: None,
            merchant: Some(name.to_string()),
            origin,
        };
    }
    Example {
        description,
        amount_cents: -amount(rng, cat.slug),
        mcc,
        class: TxClass::Payment,
        category: Some(cat),
        merchant: Some(name.to_string()),
        origin,
    }
}

fn non_payment(rng: &mut ChaCha8Rng, pools: &Pools) -> Example {
    let surname = *pools.names_train.choose(rng).unwrap_or(&"SMITH");
    let initial = char::from(b'A' + rng.random_range(0..26u8));
    let (place, _) = *pools.places.choose(rng).unwrap_or(&("SYDNEY", "NS"));
    let reference = digits(rng, 6, 10);
    let banks = [
        "WESTPAC",
        "CBA",
        "ANZ",
        "NAB",
        "ST GEORGE",
        "BANKWEST",
        "SUNCORP",
        "BENDIGO BANK",
    ];
    let bank = *banks.choose(rng).unwrap_or(&"NAB");
    let small = rng.random_range(100..3000i64);
    let big = rng.random_range(5000..500000i64);
    let (description, amount, class) = match rng.random_range(0..20) {
        0 => (
            format!("OSKO PAYMENT TO {initial} {surname}"),
            -big,
            TxClass::Transfer,
        ),
        1 => (
            format!("TRANSFER TO {initial} {surname} NETBANK RENT"),
            -big,
            TxClass::Transfer,
        ),
        2 => (
            format!("INTERNET TRANSFER {initial} {surname} {reference}"),
            -big,
            TxClass::Transfer,
        ),
        3 => (
            format!("TRANSFER FROM {initial} {surname}"),
            big,
            TxClass::Transfer,
        ),
        4 => (
            format!("FAST TRANSFER FROM {initial} {surname} DINNER"),
            small,
            TxClass::Transfer,
        ),
        5 => (
            format!("PAY ANYONE {initial} {surname} {reference}"),
            -big,
            TxClass::Transfer,
        ),
        6 => (
            [
                "MONTHLY ACCOUNT FEE",
                "ACCOUNT KEEPING FEE",
                "ATM OPERATOR FEE",
                "INTERNATIONAL TRANSACTION FEE",
                "OVERDRAWN FEE",
                "DISHONOUR FEE",
                "LATE PAYMENT FEE",
                "ANNUAL CARD FEE",
            ]
            .choose(rng)
            .unwrap_or(&"MONTHLY ACCOUNT FEE")
            .to_string(),
            -small,
            TxClass::BankFee,
        ),
        7 => (
            format!("ATM WITHDRAWAL {bank} {place}"),
            -big.min(100000),
            TxClass::CashWithdrawal,
        ),
        8 => (
            format!("WDL ATM {bank} {place} {reference}"),
            -big.min(100000),
            TxClass::CashWithdrawal,
        ),
        9 => (
            format!("CASH WITHDRAWAL {place} BRANCH"),
            -big,
            TxClass::CashWithdrawal,
        ),
        10 => (
            ["CREDIT INTEREST", "INTEREST PAID", "BONUS INTEREST"]
                .choose(rng)
                .unwrap_or(&"CREDIT INTEREST")
                .to_string(),
            small,
            TxClass::Interest,
        ),
        11 => (
            [
                "INTEREST CHARGED",
                "DEBIT INTEREST",
                "LOAN INTEREST",
                "INTEREST ON PURCHASES",
            ]
            .choose(rng)
            .unwrap_or(&"INTEREST CHARGED")
            .to_string(),
            -small,
            TxClass::LoanInterest,
        ),
        12 => (
            format!("HOME LOAN REPAYMENT {reference}"),
            -big,
            TxClass::LoanRepayment,
        ),
        13 => (
            format!("LOAN REPAYMENT {bank} {reference}"),
            -big,
            TxClass::LoanRepayment,
        ),
        14 => (
            format!("SALARY {surname} PTY LTD"),
            big,
            TxClass::DirectCredit,
        ),
        15 => (
            format!("PAYROLL {surname} GROUP {reference}"),
            big,
            TxClass::DirectCredit,
        ),
        16 => (
            format!("DIRECT CREDIT {reference} {surname} HOLDINGS"),
            big,
            TxClass::DirectCredit,
        ),
        17 => (
            format!("CENTRELINK {reference}"),
            big,
            TxClass::DirectCredit,
        ),
        18 => (
            "PAYMENT RECEIVED THANK YOU".to_string(),
            big,
            TxClass::Transfer,
        ),
        _ => (
            format!("OSKO PAYMENT TO {surname} PLUMBING {reference}"),
            -big,
            TxClass::Transfer,
        ),
    };
    Example {
        description,
        amount_cents: amount,
        mcc: None,
        class,
        category: None,
        merchant: None,
        origin: Origin::None,
    }
}

/// Generate the corpus from the shipped directory.
pub fn generate(cfg: &CorpusConfig) -> Result<Corpus> {
    let directory = Directory::builtin()?;
    let pools = pools()?;
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut taken = HashSet::new();
    let locals_train = make_locals(
        &mut rng,
        &pools,
        &directory,
        false,
        cfg.locals_per_category,
        &mut taken,
    );
    let locals_unseen = make_locals(
        &mut rng,
        &pools,
        &directory,
        true,
        cfg.unseen_locals_per_category,
        &mut taken,
    );

    let mut known = Vec::new();
    let mut unseen = Vec::new();
    let chain = |rng: &mut ChaCha8Rng, m: &Merchant, mcc_rate: f64| {
        let alias = m
            .aliases
            .choose(rng)
            .map_or(m.name.as_str(), String::as_str)
            .to_string();
        payment(
            rng,
            &pools,
            &alias,
            &m.name,
            m.category,
            Origin::Chain,
            mcc_rate,
        )
    };
    for m in directory.merchants() {
        if is_held_out_chain(&m.name) {
            for _ in 0..cfg.per_unseen_chain {
                unseen.push(chain(&mut rng, m, 0.0));
            }
        } else {
            for _ in 0..cfg.per_chain {
                known.push(chain(&mut rng, m, cfg.mcc_rate));
            }
        }
    }
    for l in &locals_train {
        for _ in 0..cfg.per_local {
            known.push(payment(
                &mut rng,
                &pools,
                &l.name,
                &l.name,
                l.category,
                Origin::Local,
                cfg.mcc_rate,
            ));
        }
    }
    for l in &locals_unseen {
        for _ in 0..cfg.per_unseen_local {
            unseen.push(payment(
                &mut rng,
                &pools,
                &l.name,
                &l.name,
                l.category,
                Origin::Local,
                0.0,
            ));
        }
    }
    for _ in 0..cfg.non_payments {
        known.push(non_payment(&mut rng, &pools));
    }
    known.shuffle(&mut rng);
    let cut = ((known.len() as f64) * cfg.heldout_fraction).round() as usize;
    let heldout = known.split_off(known.len() - cut.min(known.len()));
    // World brands come last, from a stream of their own, so the splits above
    // are the same as before they came in.
    let mut train = known;
    let mut unseen_brands = Vec::new();
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0xB4A7D5);
    for b in unambiguous_brands(&directory)? {
        let (n, out) = if b.is_held_out() {
            (cfg.per_unseen_brand, &mut unseen_brands)
        } else {
            (cfg.per_brand, &mut train)
        };
        for _ in 0..n {
            let alias = b.names.choose(&mut rng).copied().unwrap_or(b.names[0]);
            out.push(payment(&mut rng, &pools, alias, b.names[0], b.category, Origin::Chain, 0.0));
        }
    }
    train.shuffle(&mut rng);
    Ok(Corpus {
        train,
        heldout,
        unseen,
        unseen_brands,
    })
}

/// World-table brands whose names all belong to one category (a name shared
/// by a supermarket and a petrol station would teach the model both) and
/// that the directory does not know (its chains are in the corpus already,
/// and a held-out brand must not be a training chain).
fn unambiguous_brands(directory: &Directory) -> Result<Vec<crate::brands::BrandRow<'static>>> {
    let known: HashSet<String> = directory
        .merchants()
        .iter()
        .flat_map(|m| m.aliases.iter().chain(std::iter::once(&m.name)))
        .map(|a| crate::directory::squash(a))
        .collect();
    let rows: Vec<_> = crate::brands::rows(crate::brands::BRANDS_TSV)?
        .into_iter()
        .filter(|r| r.names.iter().all(|n| !known.contains(&crate::directory::squash(n))))
        .collect();
    let mut category_of: std::collections::HashMap<String, Option<&'static Category>> =
        std::collections::HashMap::new();
    for r in &rows {
        for n in &r.names {
            let e = category_of.entry(crate::directory::squash(n)).or_insert(Some(r.category));
            if *e != Some(r.category) {
                *e = None;
            }
        }
    }
    Ok(rows
        .into_iter()
        .filter(|r| r.names.iter().all(|n| category_of[&crate::directory::squash(n)].is_some()))
        .collect())
}

/// Count of categories, for sanity checks.
pub fn category_count() -> usize {
    all_categories().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_reproducible() {
        let a = generate(&CorpusConfig::small()).unwrap();
        let b = generate(&CorpusConfig::small()).unwrap();
        let d = |c: &Corpus| {
            c.train
                .iter()
                .chain(&c.heldout)
                .chain(&c.unseen)
                .map(|e| e.description.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(d(&a), d(&b));
        assert!(!a.train.is_empty() && !a.heldout.is_empty() && !a.unseen.is_empty());
    }

    #[test]
    fn held_out_world_brands_never_reach_training_or_the_evaluation_brand_table() {
        let c = generate(&CorpusConfig {
            per_brand: 1,
            per_unseen_brand: 1,
            ..CorpusConfig::small()
        })
        .unwrap();
        assert!(c.unseen_brands.len() > 1000, "{}", c.unseen_brands.len());
        let trained: HashSet<_> = c.train.iter().filter_map(|e| e.merchant.clone()).collect();
        let rows = crate::brands::rows(crate::brands::BRANDS_TSV).unwrap();
        let held: HashSet<&str> = rows.iter().filter(|r| r.is_held_out()).map(|r| r.names[0]).collect();
        let brands = crate::brands::Brands::builtin_without_held_out().unwrap();
        for e in &c.unseen_brands {
            let m = e.merchant.as_ref().unwrap();
            assert!(held.contains(m.as_str()) && !trained.contains(m), "{m} leaks into training");
            let hit = brands.lookup(&Normalised::new(&e.description), 0, None);
            assert!(hit.is_none_or(|h| !held.contains(h.brand.name.as_str())), "{m} is in the evaluation table");
        }
        // A department goes with its brand.
        let ikea = |name: &str| rows.iter().find(|r| r.names[0] == name).unwrap().is_held_out();
        assert_eq!(ikea("IKEA Cafe"), ikea("IKEA Restaurant"));
    }

    #[test]
    fn unseen_merchants_never_reach_training() {
        let c = generate(&CorpusConfig::small()).unwrap();
        let train_merchants: HashSet<_> = c
            .train
            .iter()
            .chain(&c.heldout)
            .filter_map(|e| e.merchant.clone())
            .collect();
        for e in &c.unseen {
            let m = e.merchant.as_ref().unwrap();
            assert!(!train_merchants.contains(m), "{m} leaks into training");
            assert!(e.mcc.is_none());
            if e.origin == Origin::Chain {
                assert!(is_held_out_chain(m));
            }
        }
        // The evaluation directory cannot see held-out chains.
        let eval_dir = Directory::builtin()
            .unwrap()
            .without(|m| is_held_out_chain(&m.name));
        for e in c.unseen.iter().filter(|e| e.origin == Origin::Chain) {
            let hit = eval_dir.lookup(&Normalised::new(&e.description));
            assert!(hit.is_none_or(|h| !is_held_out_chain(&h.merchant.name)));
        }
    }

    #[test]
    fn name_pools_are_disjoint() {
        let p = pools().unwrap();
        let train: HashSet<_> = p.names_train.iter().chain(&p.places_train).collect();
        assert!(p
            .names_unseen
            .iter()
            .chain(&p.places_unseen)
            .all(|w| !train.contains(w)));
        assert!(p.names_unseen.len() > 50 && p.names_train.len() > 150);
        assert_eq!(p.words.len(), category_count());
    }

    #[test]
    fn place_names_never_hit_the_directory() {
        // Location noise must not read as a merchant (BENDIGO was once both).
        let d = Directory::builtin().unwrap();
        for (place, state) in pools().unwrap().places {
            let hit = d.lookup(&Normalised::new(&format!("{place} {state}")));
            assert!(
                hit.is_none(),
                "{place} hits {:?}",
                hit.map(|h| &h.merchant.name)
            );
        }
    }

    #[test]
    fn labels_are_consistent() {
        let c = generate(&CorpusConfig::small()).unwrap();
        for e in c.train.iter().chain(&c.heldout).chain(&c.unseen) {
            assert_eq!(e.category.is_some(), e.class == TxClass::Payment, "{e:?}");
            match e.class {
                TxClass::Payment
                | TxClass::BankFee
                | TxClass::CashWithdrawal
                | TxClass::LoanInterest
                | TxClass::LoanRepayment => assert!(e.amount_cents < 0, "{e:?}"),
                TxClass::Refund | TxClass::Interest | TxClass::DirectCredit => {
                    assert!(e.amount_cents > 0, "{e:?}")
                }
                TxClass::Transfer => {}
            }
        }
    }
}
