//! The merchant directory: Australian merchants and chains, with the ways
//! they appear in bank descriptions (`data/merchants.tsv`).
//!
//! Matching is on *squashed* token windows: the tokens of a window are
//! concatenated without spaces and hashed, so `MC DONALDS`, `MCDONALDS` and
//! `McDonald's` all hit the alias `MCDONALDS`, and `7-ELEVEN`/`7ELEVEN1234`
//! hit `7ELEVEN`. Every start token and window length up to `MAX_WINDOW` is
//! tried (hashing incrementally, no allocation) and the longest alias wins, so
//! `UBER EATS` (dining) beats `UBER` (transport) and `WOOLWORTHS PETROL`
//! beats `WOOLWORTHS`.
//!
//! The index stores 64-bit hashes only: with ~3,000 aliases a false hit needs
//! a 64-bit collision, which we accept rather than storing and comparing
//! strings in the hot path.

use std::collections::HashMap;

use crate::country::Country;
use crate::hash::{fnv, IdentityBuild, FNV_OFFSET};
use crate::normalise::Normalised;
use crate::taxonomy::{category_by_slug, Category};
use crate::{Error, Result};

/// The directory shipped with the crate.
pub const MERCHANTS_TSV: &str = include_str!("../data/merchants.tsv");

/// International merchants and billers the brand table cannot list because they
/// have no shops on the map (utilities, telcos, insurers, airlines, transit,
/// streaming, marketplaces, charities, tax offices), each with the countries
/// where its name means it. Kept apart from `merchants.tsv` because the
/// synthetic corpus is generated from that file.
pub const WORLD_TSV: &str = include_str!("../data/world.tsv");

/// Longest alias, in tokens, that is looked for.
const MAX_WINDOW: usize = 5;

/// One merchant.
#[derive(Debug, Clone)]
pub struct Merchant {
    /// Display name (becomes `enrich.merchant`).
    pub name: String,
    /// Its category.
    pub category: &'static Category,
    /// Stable key for corrections (`woolworths`, `7-eleven`).
    pub key: String,
    /// Aliases as written in the data file.
    pub aliases: Vec<String>,
    /// Where its names mean it (`MERCURY` is an electricity retailer in New
    /// Zealand, `EE` a mobile network in Britain); empty means anywhere.
    pub countries: Vec<Country>,
    /// Listed for statements from abroad (`world.tsv`, whose rows say where
    /// they trade): on such a statement it wins a tie with a brand-table name
    /// of the same length, and its answers are `medium` (see the engine).
    pub abroad: bool,
}

impl Merchant {
    /// Whether a statement from `country` may name it. A merchant listed for
    /// some countries is not named by a statement from nowhere known: its
    /// names are other things elsewhere (`EE`, `SKY`, `IRS`).
    pub fn trades_in(&self, country: Option<Country>) -> bool {
        self.countries.is_empty() || country.is_some_and(|c| self.countries.contains(&c))
    }
}

/// A directory hit.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub merchant: &'a Merchant,
    /// Length in bytes of the squashed alias that matched (longer = surer).
    pub alias_len: usize,
    /// The token the alias starts at.
    pub at: usize,
    /// The token after it.
    pub end: usize,
}

/// An indexed set of merchants.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    merchants: Vec<Merchant>,
    index: HashMap<u64, (u32, u16), IdentityBuild>,
}

/// Squashed form of an alias: its normalised tokens concatenated.
pub fn squash(text: &str) -> String {
    let n = Normalised::new(text);
    n.tokens().iter().map(|t| n.text_of(t)).collect()
}

/// A correction key from a display name: lower-case words joined by `-`.
pub fn key_of(name: &str) -> String {
    let n = Normalised::new(name);
    let words: Vec<String> = n
        .tokens()
        .iter()
        .map(|t| n.text_of(t).to_ascii_lowercase())
        .collect();
    words.join("-")
}

impl Directory {
    /// The directory shipped in `data/merchants.tsv`.
    pub fn builtin() -> Result<Self> {
        Self::parse(MERCHANTS_TSV)
    }

    /// The international additions in `data/world.tsv`.
    pub fn world() -> Result<Self> {
        Self::parse_file("world.tsv", WORLD_TSV)
    }

    /// This directory and then `other` (this one keeps a shared alias).
    pub fn merged(self, other: Directory) -> Self {
        let mut merchants = self.merchants;
        merchants.extend(other.merchants);
        Self::from_merchants(merchants)
    }

    /// Parse `name<TAB>category<TAB>alias|alias…` rows (`#` lines are comments).
    pub fn parse(tsv: &str) -> Result<Self> {
        Self::parse_file("merchants.tsv", tsv)
    }

    fn parse_file(file: &'static str, tsv: &str) -> Result<Self> {
        let mut merchants = Vec::new();
        for (i, line) in tsv.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |detail: String| Error::Data {
                file,
                line: i + 1,
                detail,
            };
            let cols: Vec<&str> = line.split('\t').collect();
            // `name, category, aliases`, or with `countries` (`NZ`, `GB,IE`, `*`)
            // before the aliases.
            let abroad = file == "world.tsv";
            let (name, cat, countries, aliases) = match cols[..] {
                [name, cat, aliases] => (name, cat, "*", aliases),
                [name, cat, countries, aliases] => (name, cat, countries, aliases),
                _ => return Err(err("expected 3 or 4 tab-separated columns".into())),
            };
            let countries = match countries {
                "*" => Vec::new(),
                list => list
                    .split(',')
                    .map(|c| Country::from_code(c.trim()).ok_or_else(|| err(format!("bad country `{c}`"))))
                    .collect::<Result<Vec<_>>>()?,
            };
            let category =
                category_by_slug(cat).ok_or_else(|| err(format!("unknown category `{cat}`")))?;
            let aliases: Vec<String> = aliases
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect();
            if aliases.is_empty() {
                return Err(err("no aliases".into()));
            }
            merchants.push(Merchant {
                name: name.to_string(),
                category,
                key: key_of(name),
                aliases,
                countries,
                abroad,
            });
        }
        Ok(Self::from_merchants(merchants))
    }

    /// Index a list of merchants. When two merchants share an alias the first
    /// keeps it (the data test forbids this in the shipped file).
    pub fn from_merchants(merchants: Vec<Merchant>) -> Self {
        let mut index =
            HashMap::with_capacity_and_hasher(merchants.len() * 4, IdentityBuild::default());
        for (i, m) in merchants.iter().enumerate() {
            for a in &m.aliases {
                let s = squash(a);
                if s.is_empty() {
                    continue;
                }
                let len = s.len().min(u16::MAX as usize) as u16;
                index
                    .entry(fnv(FNV_OFFSET, s.as_bytes()))
                    .or_insert((i as u32, len));
            }
        }
        Directory { merchants, index }
    }

    /// A copy without the merchants `exclude` picks: how the evaluation hides
    /// held-out merchants from the cascade.
    pub fn without(&self, exclude: impl Fn(&Merchant) -> bool) -> Self {
        Self::from_merchants(
            self.merchants
                .iter()
                .filter(|m| !exclude(m))
                .cloned()
                .collect(),
        )
    }

    /// All merchants.
    pub fn merchants(&self) -> &[Merchant] {
        &self.merchants
    }

    /// Number of merchants.
    pub fn len(&self) -> usize {
        self.merchants.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.merchants.is_empty()
    }

    /// The longest alias found in the description, earliest on ties.
    pub fn lookup(&self, n: &Normalised) -> Option<Hit<'_>> {
        self.lookup_from(n, 0)
    }

    /// `lookup` over the tokens from `start` on (after a payment wrapper).
    pub fn lookup_from(&self, n: &Normalised, start: usize) -> Option<Hit<'_>> {
        self.lookup_in(n, start, None)
    }

    /// `lookup_from` of the merchants a statement from `country` may name.
    pub fn lookup_in(&self, n: &Normalised, start: usize, country: Option<Country>) -> Option<Hit<'_>> {
        let tokens = n.tokens();
        let mut best: Option<(u32, u16, usize, usize)> = None;
        for i in start..tokens.len() {
            let mut h = FNV_OFFSET;
            for (w, t) in tokens[i..tokens.len().min(i + MAX_WINDOW)].iter().enumerate() {
                h = fnv(h, n.text_of(t).as_bytes());
                if let Some(&(m, len)) = self.index.get(&h) {
                    if best.is_none_or(|(_, l, _, _)| len > l)
                        && self.merchants.get(m as usize).is_some_and(|m| m.trades_in(country))
                    {
                        best = Some((m, len, i, i + w + 1));
                    }
                }
            }
        }
        let (m, len, at, end) = best?;
        self.merchants.get(m as usize).map(|merchant| Hit {
            merchant,
            alias_len: len as usize,
            at,
            end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn find(d: &Directory, s: &str) -> Option<(String, &'static str)> {
        d.lookup(&Normalised::new(s))
            .map(|h| (h.merchant.name.clone(), h.merchant.category.slug))
    }

    #[test]
    fn world_billers_share_no_alias_and_short_ones_say_where() {
        let au = Directory::builtin().unwrap();
        let world = Directory::world().unwrap();
        assert!(world.len() >= 500, "{}", world.len());
        let mut owner: HashMap<String, String> = HashMap::new();
        for m in au.merchants() {
            for a in &m.aliases {
                owner.insert(squash(a), m.name.clone());
            }
        }
        for m in world.merchants() {
            assert!(m.abroad);
            for a in &m.aliases {
                let s = squash(a);
                assert!(s.len() >= 2, "{}: alias `{a}`", m.name);
                assert!(s.len() > 2 || !m.countries.is_empty(), "{}: a two-letter alias `{a}` needs countries", m.name);
                if let Some(other) = owner.insert(s, m.name.clone()) {
                    panic!("`{a}` is both {other} and {}", m.name);
                }
            }
        }
    }

    #[test]
    fn a_merchant_listed_for_some_countries_is_found_only_on_their_statements() {
        let d = Directory::parse("Mercury\tutilities\tNZ\tMERCURY|MERCURY NZ\nRyanair\ttravel\t*\tRYANAIR\n").unwrap();
        let n = Normalised::new("MERCURY NZ LTD DD 88120733");
        let nz = Country::from_code("NZ");
        assert_eq!(d.lookup_in(&n, 0, nz).unwrap().merchant.name, "Mercury");
        assert!(d.lookup_in(&n, 0, Country::from_code("US")).is_none());
        // From nowhere known: not a name listed for some countries.
        assert!(d.lookup_in(&n, 0, None).is_none());
        assert!(d.lookup_in(&Normalised::new("RYANAIR DAC"), 0, Country::from_code("IT")).is_some());
        assert!(Directory::parse("X\ttravel\tNZL\tX\n").is_err());
    }

    #[test]
    fn shipped_directory_has_at_least_500_merchants_with_unique_aliases() {
        let d = Directory::builtin().unwrap();
        assert!(d.len() >= 500, "{}", d.len());
        let mut names = HashSet::new();
        let mut owner: HashMap<String, &str> = HashMap::new();
        for m in d.merchants() {
            assert!(
                names.insert(m.name.as_str()),
                "duplicate merchant {}",
                m.name
            );
            for a in &m.aliases {
                let s = squash(a);
                assert!(!s.is_empty(), "{} alias {a} is empty", m.name);
                if let Some(prev) = owner.insert(s.clone(), &m.name) {
                    assert_eq!(prev, m.name, "alias {s} is shared by {prev} and {}", m.name);
                }
            }
        }
    }

    #[test]
    fn finds_merchants_through_bank_noise() {
        let d = Directory::builtin().unwrap();
        assert_eq!(
            find(
                &d,
                "VISA PURCHASE WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234"
            )
            .unwrap()
            .0,
            "Woolworths"
        );
        assert_eq!(
            find(&d, "EFTPOS COLES 0456 BONDI JUNCTION").unwrap().0,
            "Coles"
        );
        assert_eq!(find(&d, "BPAY AGL ENERGY 123456").unwrap().0, "AGL");
        assert_eq!(
            find(&d, "DIRECT DEBIT TELSTRA 1234567").unwrap().0,
            "Telstra"
        );
        assert_eq!(find(&d, "PAYPAL *EBAY AU").unwrap().0, "eBay");
        assert_eq!(
            find(&d, "Mc Donald's 0123 Parramatta").unwrap().0,
            "McDonald's"
        );
        assert_eq!(find(&d, "7-ELEVEN 2045 SURRY HILLS").unwrap().0, "7-Eleven");
        assert_eq!(find(&d, "NETFLIX.COM LOS GATOS US").unwrap().0, "Netflix");
        assert!(find(&d, "OSKO PAYMENT TO J SMITH").is_none());
    }

    #[test]
    fn longest_alias_wins() {
        let d = Directory::builtin().unwrap();
        assert_eq!(find(&d, "UBER *EATS SYDNEY").unwrap().1, "dining");
        assert_eq!(find(&d, "UBER *TRIP HELP.UBER.COM").unwrap().1, "transport");
        assert_eq!(find(&d, "WOOLWORTHS PETROL 1234").unwrap().1, "fuel");
        assert_eq!(find(&d, "AMAZON PRIME AU").unwrap().1, "entertainment");
    }

    #[test]
    fn without_hides_merchants() {
        let d = Directory::builtin().unwrap().without(|m| m.name == "Coles");
        assert!(find(&d, "COLES 1234").is_none());
        assert!(find(&d, "WOOLWORTHS 1234").is_some());
    }

    #[test]
    fn malformed_rows_are_errors() {
        assert!(Directory::parse("Foo\tnot-a-category\tFOO\n").is_err());
        assert!(Directory::parse("Foo\tgroceries\n").is_err());
        assert!(Directory::parse("# comment\nFoo\tgroceries\tFOO|FOO BAR\n").is_ok());
    }

    #[test]
    fn keys_are_kebab_case() {
        assert_eq!(key_of("7-Eleven"), "7-eleven");
        assert_eq!(key_of("McDonald's"), "mcdonalds");
    }
}
