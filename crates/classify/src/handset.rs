//! The hand-written multi-country evaluation sets (`data/eval/*.tsv`).
//!
//! The synthetic corpus (`corpus.rs`) is generated from the same directory
//! and templates the rules were written with, so it cannot say how the
//! engine does on a real export from Paris or Ohio. These files can:
//! descriptions written by hand the way banks in AU, NZ, UK, US, DE, FR, ES,
//! NL and IT print them, each with the category a person would give.
//!
//! - `holdout.tsv` (397 rows) was written before the world-merchant work began and
//!   is never tuned to: its score is the honest one.
//! - `tuning.tsv` (82 rows: the quoted failures and others) is the
//!   one to look at while writing rules; its score flatters.
//! - `fresh.tsv` (429 rows) was written for the second round of issue 15,
//!   before that round changed the engine and without looking at the other
//!   two sets, and is never tuned to. By then the held-out set's totals had
//!   been watched while rules were written; this one had not.
//! - `fresh2.tsv` (575 rows) was written on 2026-12-07, blind: without reading
//!   the engine, its data tables or the other sets, before that round's engine
//!   changes, and is never tuned to. 38 first-draft rows that repeated rows of
//!   the other sets word for word were replaced (only those were compared).
//!
//! - `dev.tsv` (496 rows) was written on 2026-12-07, blind like fresh2, for
//!   the fourth round to be tuned to: `misses dev` prints the rows the engine
//!   gets wrong, which the other sets never do. 44 first-draft rows that
//!   repeated a description of another set were dropped unread.
//!
//! Rows are `country<TAB>description<TAB>category`; `XX` means no country
//! (descriptions that carry no merchant at all, whose right answer is
//! `other`). Every row is scored as money out with no MCC, the way a
//! statement upload arrives.

use crate::engine::{Classifier, Country, Input};
use crate::eval::{is_right, score_answers, SplitReport};
use crate::taxonomy::{category_by_slug, Category};
use crate::{Error, Result};

/// The held-out set, never tuned to.
pub const HOLDOUT_TSV: &str = include_str!("../data/eval/holdout.tsv");
/// The tuning set.
pub const TUNING_TSV: &str = include_str!("../data/eval/tuning.tsv");
/// The fresh set, never tuned to.
pub const FRESH_TSV: &str = include_str!("../data/eval/fresh.tsv");
/// The second fresh set, written blind on 2026-12-07, never tuned to.
pub const FRESH2_TSV: &str = include_str!("../data/eval/fresh2.tsv");
/// The development set, written blind on 2026-12-07; it may be tuned to.
pub const DEV_TSV: &str = include_str!("../data/eval/dev.tsv");

/// One hand-labelled description.
#[derive(Clone, Debug)]
pub struct HandExample {
    /// Where the statement comes from (`None` for `XX`).
    pub country: Option<Country>,
    pub description: String,
    pub category: &'static Category,
}

impl HandExample {
    /// What the classifier sees: money out, no MCC, the statement's country.
    pub fn input(&self) -> Input<'_> {
        Input {
            description: &self.description,
            amount_cents: -1234,
            mcc: None,
            country: self.country,
        }
    }
}

/// Parse a hand set (`#` lines are comments).
pub fn parse(file: &'static str, tsv: &str) -> Result<Vec<HandExample>> {
    let mut rows = Vec::new();
    for (i, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |detail: String| Error::Data {
            file,
            line: i + 1,
            detail,
        };
        let cols: Vec<&str> = line.split('\t').collect();
        let [country, description, slug] = cols[..] else {
            return Err(err("expected 3 tab-separated columns".into()));
        };
        let category =
            category_by_slug(slug).ok_or_else(|| err(format!("unknown category `{slug}`")))?;
        let country = match country {
            "XX" => None,
            c => Some(Country::from_code(c).ok_or_else(|| err(format!("bad country `{c}`")))?),
        };
        rows.push(HandExample {
            country,
            description: description.to_string(),
            category,
        });
    }
    Ok(rows)
}

/// Scores on one hand set: all rows, and per country.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HandReport {
    pub all: SplitReport,
    /// (country code or `XX`, rows, right).
    pub by_country: Vec<(String, usize, usize)>,
}

/// Score `rows` with `classifier`.
pub fn score_hand(classifier: &Classifier, rows: &[HandExample]) -> HandReport {
    let answers: Vec<_> = rows.iter().map(|r| (classifier.classify(&r.input(), None), r.category)).collect();
    let mut by_country: Vec<(String, usize, usize)> = Vec::new();
    for (r, (answer, truth)) in rows.iter().zip(&answers) {
        let code = r.country.map_or("XX".to_string(), |c| c.as_str().to_string());
        let ok = is_right(answer, truth);
        match by_country.iter_mut().find(|(c, _, _)| *c == code) {
            Some(e) => {
                e.1 += 1;
                e.2 += ok as usize;
            }
            None => by_country.push((code, 1, ok as usize)),
        }
    }
    HandReport { all: score_answers(answers), by_country }
}

/// The held-out set, parsed.
pub fn holdout() -> Result<Vec<HandExample>> {
    parse("eval/holdout.tsv", HOLDOUT_TSV)
}

/// The tuning set, parsed.
pub fn tuning() -> Result<Vec<HandExample>> {
    parse("eval/tuning.tsv", TUNING_TSV)
}

/// The fresh set, parsed.
pub fn fresh() -> Result<Vec<HandExample>> {
    parse("eval/fresh.tsv", FRESH_TSV)
}

/// The second fresh set, parsed.
pub fn fresh2() -> Result<Vec<HandExample>> {
    parse("eval/fresh2.tsv", FRESH2_TSV)
}

/// The development set, parsed.
pub fn dev() -> Result<Vec<HandExample>> {
    parse("eval/dev.tsv", DEV_TSV)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_held_out_and_fresh_sets_have_at_least_300_rows_from_nine_countries() {
        for rows in [holdout().unwrap(), fresh().unwrap(), fresh2().unwrap()] {
            assert!(rows.len() >= 300, "{}", rows.len());
            let countries: HashSet<&str> = rows
                .iter()
                .filter_map(|r| r.country.as_ref().map(|c| c.as_str()))
                .collect();
            for c in ["AU", "NZ", "GB", "US", "DE", "FR", "ES", "NL", "IT"] {
                assert!(countries.contains(c), "{c} missing");
            }
        }
        assert!(!tuning().unwrap().is_empty());
    }

    #[test]
    fn the_sets_share_no_description() {
        let mut seen: HashSet<String> = HashSet::new();
        for rows in [holdout().unwrap(), tuning().unwrap(), fresh().unwrap(), fresh2().unwrap(), dev().unwrap()] {
            let this: HashSet<String> = rows.into_iter().map(|r| r.description).collect();
            let shared: Vec<&String> = this.intersection(&seen).collect();
            assert!(shared.is_empty(), "{} descriptions in two sets", shared.len());
            seen.extend(this);
        }
    }

    /// The figures BENCHMARKS.md reports, as floors: the engine may get
    /// better, never worse. Measured 2026-12-04: held-out set
    /// 47.86% before, 78.34% after (77.08% before the model was retrained
    /// with the world brands); its `high`/`very-high` answers 84.4% right
    /// before, 93.8% after. Second round (2026-12-06, generic-word lexicon,
    /// calibrated model `high`, multilingual noise, transit networks):
    /// held-out 80.60% and 93.8%; fresh set 77.62% → 84.62%, its
    /// `high`/`very-high` 97.8%. Third round (2026-12-07, NSI's operators
    /// and more of its trees, operators never `high`, accented names
    /// folded, transit operators): held-out 84.13% and 94.4%, fresh 86.95% and 97.3% (97.8%
    /// before the accented names); with a name found after a word of the
    /// merchant's own kept to `medium`, held-out 94.9% and fresh 97.8%
    /// `high`/`very-high`. Fourth round (2026-12-07: the development set,
    /// bank phrases as noise, brand departments, a medium name yields to a
    /// kind-of-business word, world.tsv's billers at `medium`, category
    /// words in turn in the corpus): held-out 91.18% and 95.4%, fresh 94.17%
    /// and 98.3%, fresh2 88.00% and 89.7%
    /// (its rows labelled `other` that the engine reads as no payment
    /// counted right, `eval::is_right`).
    #[test]
    fn the_engine_does_not_fall_below_its_measured_multi_country_scores() {
        let c = Classifier::load().unwrap();
        let held = score_hand(&c, &holdout().unwrap()).all;
        eprintln!(
            "held-out: accuracy {:.4}, high/very-high {:?} = {:.4}",
            held.accuracy,
            held.confident(),
            held.confident_precision()
        );
        assert!(held.accuracy >= 0.911, "held-out accuracy {}", held.accuracy);
        assert!(
            held.confident_precision() >= 0.953,
            "held-out high/very-high precision {}",
            held.confident_precision()
        );
        let tuning = score_hand(&c, &tuning().unwrap()).all;
        assert!(tuning.accuracy >= 0.86, "tuning accuracy {}", tuning.accuracy);
        let fresh = score_hand(&c, &fresh().unwrap()).all;
        assert!(fresh.accuracy >= 0.941, "fresh accuracy {}", fresh.accuracy);
        assert!(
            fresh.confident_precision() >= 0.982,
            "fresh high/very-high precision {}",
            fresh.confident_precision()
        );
        // The blind set (79.65% and 78.9% once the third round was in).
        let fresh2 = score_hand(&c, &fresh2().unwrap()).all;
        assert!(fresh2.accuracy >= 0.879, "fresh2 accuracy {}", fresh2.accuracy);
        assert!(fresh2.confident_precision() >= 0.896, "fresh2 high/very-high precision {}", fresh2.confident_precision());
    }

    #[test]
    fn malformed_rows_are_errors_with_their_line() {
        assert!(parse("t", "AU\tWOOLWORTHS\tnot-a-slug\n").is_err());
        assert!(parse("t", "AUS\tWOOLWORTHS\tgroceries\n").is_err());
        assert!(parse("t", "AU\tWOOLWORTHS\n").is_err());
        let ok = parse("t", "# c\nuk\tTESCO\tgroceries\nXX\tPOS 1\tother\n").unwrap();
        assert_eq!(ok[0].country.unwrap().as_str(), "GB");
        assert!(ok[1].country.is_none());
    }
}
