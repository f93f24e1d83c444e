//! The generic-word lexicon (`data/keywords.tsv`): words that say what kind of
//! business a merchant is (`APOTHEKE`, `BOULANGERIE`, `GASOLINERA`,
//! `RISTORANTE`, `TANDARTS`), in French, German, Spanish, Italian and Dutch.
//!
//! Why: most of what a statement from Lyon or Utrecht says is not a chain. The
//! brand table knows chains; the model knows the category words of the
//! Australian corpus it was trained on (`data/local_words.tsv`: `CAFE`,
//! `PHARMACY`, `PLUMBING`), so on `PHARMACIE DU CENTRE` or `BAECKEREI SCHMIDT`
//! it guesses from letter n-grams. Before this lexicon, on the hand-written
//! multi-country sets the model's answers were right 43–47% of the time.
//!
//! How:
//! - entries are normalised like descriptions (bank noise and single letters
//!   dropped) and squashed, so `CAVE A VIN` matches `CAVE-A-VIN` and
//!   `STATION SERVICE` matches `STATION-SERVICE`;
//! - windows of up to three merchant words are looked up; the longest entry wins
//!   (`PELUQUERIA CANINA` is pets, `PELUQUERIA` personal care), and two entries
//!   of the same length that disagree give no answer;
//! - German and Dutch glue words together, so their entries of five letters or
//!   more also match at the start or end of a longer word (`STADTAPOTHEKE`,
//!   `TIERARZTPRAXIS`, `ZORGVERZEKERING`), leaving at least three letters over.
//!
//! The engine asks it only when no directory, brand or MCC knows the merchant,
//! after a model that is sure at home, and its answers are `medium`: a word
//! says what kind of shop, not which one, and the synthetic splits cannot
//! measure it (no entry may fire on a `local_words.tsv` phrase; a test checks),
//! so it is not allowed to claim more.

use std::collections::HashMap;

use crate::hash::{fnv, IdentityBuild, FNV_OFFSET};
use crate::normalise::{is_noise_token, Kind, Normalised};
use crate::taxonomy::{category_by_slug, Category};
use crate::{Error, Result};

/// The lexicon shipped with the crate.
pub const KEYWORDS_TSV: &str = include_str!("../data/keywords.tsv");
/// The generic words generated from OpenStreetMap's iD tagging schema
/// (`cargo xtask words`).
pub const OSM_WORDS_TSV: &str = include_str!("../data/osm_words.tsv");

/// Longest entry, in words.
const MAX_WINDOW: usize = 3;
/// Shortest entry that matches inside a compound, and the fewest letters the
/// rest of the compound must have.
const COMPOUND_MIN: usize = 5;
const COMPOUND_REST: usize = 3;

/// One entry: its category, length, whether it matches inside compounds, and
/// whether it is asked only on statements from abroad.
#[derive(Debug, Clone, Copy)]
struct Entry {
    category: &'static Category,
    len: u16,
    inside: bool,
    abroad: bool,
}

/// The indexed lexicon.
#[derive(Debug, Clone, Default)]
pub struct Keywords {
    /// Squashed-entry hash → entry.
    index: HashMap<u64, Entry, IdentityBuild>,
}

impl Keywords {
    /// The lexicon in `data/keywords.tsv`, then the generated words of
    /// `data/osm_words.tsv` the reviewed list does not already have. The
    /// generated words are asked only on statements from abroad: at home the
    /// model knows the words of Australian names, and OSM's `HOTEL` is a
    /// place to sleep where an Australian `HOTEL` is often a pub.
    pub fn builtin() -> Result<Self> {
        let mut k = Self::parse(KEYWORDS_TSV)?;
        k.add(OSM_WORDS_TSV, "osm_words.tsv", false)?;
        Ok(k)
    }

    /// Parse `category<TAB>language<TAB>entry|entry…` rows (`#` lines are comments).
    pub fn parse(tsv: &str) -> Result<Self> {
        let mut k = Keywords::default();
        k.add(tsv, "keywords.tsv", true)?;
        Ok(k)
    }

    /// Add rows. A `strict` table's malformed entries and entries that another
    /// row files elsewhere are errors; otherwise (a generated table, asked
    /// only abroad) they are skipped, and an entry already indexed keeps its
    /// category. English entries are asked only abroad in any table.
    fn add(&mut self, tsv: &str, file: &'static str, strict: bool) -> Result<()> {
        let index = &mut self.index;
        let before: std::collections::HashSet<u64> = index.keys().copied().collect();
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
            let [slug, language, entries] = cols[..] else {
                return Err(err("expected 3 tab-separated columns".into()));
            };
            let category =
                category_by_slug(slug).ok_or_else(|| err(format!("unknown category `{slug}`")))?;
            let compounds = matches!(language, "de" | "nl");
            let abroad = language == "en" || !strict;
            for entry in entries.split('|').map(str::trim).filter(|e| !e.is_empty()) {
                let n = Normalised::new(entry);
                let words: Vec<&str> = n.merchant_words().collect();
                if words.is_empty() || words.len() > MAX_WINDOW {
                    if strict {
                        return Err(err(format!("`{entry}` must have 1 to {MAX_WINDOW} words")));
                    }
                    continue;
                }
                let squashed: String = words.concat();
                let h = fnv(FNV_OFFSET, squashed.as_bytes());
                let inside = compounds && words.len() == 1 && squashed.len() >= COMPOUND_MIN;
                let new = Entry {
                    category,
                    len: squashed.len() as u16,
                    inside,
                    abroad,
                };
                match index.get(&h) {
                    Some(e) if !std::ptr::eq(e.category, category) => {
                        if strict {
                            return Err(err(format!("`{entry}` is also `{}`", e.category.slug)));
                        }
                    }
                    // A generated word the reviewed list has keeps the list's entry.
                    Some(_) if before.contains(&h) => {}
                    Some(&e) => {
                        index.insert(
                            h,
                            Entry {
                                inside: inside || e.inside,
                                abroad: abroad && e.abroad,
                                ..new
                            },
                        );
                    }
                    None => {
                        index.insert(h, new);
                    }
                }
            }
        }
        Ok(())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The category the merchant words from token `start` on name, if any.
    /// Entries marked `abroad` count only on statements from abroad (`foreign`).
    pub fn lookup(&self, n: &Normalised, start: usize, foreign: bool) -> Option<&'static Category> {
        let mut words = [""; 12];
        let mut k = 0;
        for t in n.tokens().get(start..).unwrap_or_default() {
            if t.kind == Kind::Word && t.end - t.start >= 2 && !is_noise_token(t) {
                words[k] = n.text_of(t);
                k += 1;
                if k == words.len() {
                    break;
                }
            }
        }
        // (length, category, disagreement at that length)
        let mut best: Option<(usize, &'static Category, bool)> = None;
        let mut offer = |len: usize, cat: &'static Category| match best {
            Some((l, _, _)) if l > len => {}
            Some((l, c, _)) if l == len => {
                if !std::ptr::eq(c, cat) {
                    best = Some((l, c, true));
                }
            }
            _ => best = Some((len, cat, false)),
        };
        for i in 0..k {
            let mut h = FNV_OFFSET;
            for w in &words[i..k.min(i + MAX_WINDOW)] {
                h = fnv(h, w.as_bytes());
                if let Some(e) = self.index.get(&h).filter(|e| foreign || !e.abroad) {
                    offer(e.len as usize, e.category);
                }
            }
            let word = words[i].as_bytes();
            if word.len() < COMPOUND_MIN + COMPOUND_REST {
                continue;
            }
            // Inside a compound: a prefix, then a suffix.
            let mut h = FNV_OFFSET;
            for (j, &b) in word[..word.len() - COMPOUND_REST].iter().enumerate() {
                h = fnv(h, &[b]);
                if j + 1 >= COMPOUND_MIN {
                    self.offer_inside(h, foreign, &mut offer);
                }
            }
            for from in COMPOUND_REST..=word.len() - COMPOUND_MIN {
                self.offer_inside(fnv(FNV_OFFSET, &word[from..]), foreign, &mut offer);
            }
        }
        match best {
            Some((_, cat, false)) => Some(cat),
            _ => None,
        }
    }

    fn offer_inside(&self, h: u64, foreign: bool, offer: &mut impl FnMut(usize, &'static Category)) {
        if let Some(e) = self.index.get(&h).filter(|e| e.inside && (foreign || !e.abroad)) {
            offer(e.len as usize, e.category);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says(d: &str) -> Option<&'static str> {
        Keywords::builtin().unwrap().lookup(&Normalised::new(d), 0, true).map(|c| c.slug)
    }

    #[test]
    fn generic_words_in_five_languages_name_a_category() {
        assert_eq!(says("PHARMACIE DU CENTRE"), Some("health"));
        assert_eq!(says("GASOLINERA LOS ALAMOS"), Some("fuel"));
        assert_eq!(says("TRATTORIA ROSSI RISTORANTE"), Some("dining"));
        assert_eq!(says("JANSEN LOODGIETER"), Some("home"));
        assert_eq!(says("LOODGIETERSBEDRIJF JANSEN"), Some("home"));
    }

    #[test]
    fn phrases_and_compounds_match_and_the_longest_entry_wins() {
        assert_eq!(says("STATION-SERVICE AVIA"), Some("fuel"));
        assert_eq!(says("CAVE A VIN DU PORT"), Some("alcohol"));
        assert_eq!(says("PELUQUERIA CANINA GUAU"), Some("pets"));
        assert_eq!(says("PELUQUERIA MARISA"), Some("personal-care"));
        assert_eq!(says("STADTAPOTHEKE"), Some("health"));
        assert_eq!(says("TIERARZTPRAXIS DR MEIER"), Some("pets"));
        assert_eq!(says("ONVZ ZORGVERZEKERING"), Some("insurance"));
    }

    #[test]
    fn generated_and_english_words_are_asked_only_abroad() {
        let k = Keywords::builtin().unwrap();
        let says = |d: &str, foreign| k.lookup(&Normalised::new(d), 0, foreign).map(|c| c.slug);
        // From data/osm_words.tsv (iD's Dutch name for shop=books).
        assert_eq!(says("BOEKENWINKEL DE SLEGTE", true), Some("shopping"));
        assert_eq!(says("BOEKENWINKEL DE SLEGTE", false), None);
        assert_eq!(says("HARBOUR FISHMONGER", true), Some("groceries"));
        assert_eq!(says("HARBOUR FISHMONGER", false), None);
        // The reviewed list is asked at home too.
        assert_eq!(says("APOTHEKE AM MARKT", false), Some("health"));
    }

    #[test]
    fn bank_noise_and_unknown_words_say_nothing() {
        assert_eq!(says("POS DEBIT 12345"), None);
        assert_eq!(says("CARTE BANCAIRE 12/03"), None);
        assert_eq!(says("NGUYEN & CO"), None);
    }

    /// The synthetic corpus builds local business names from
    /// `data/local_words.tsv`; a lexicon that knew those words would score
    /// the synthetic splits on its own reading of them.
    #[test]
    fn the_lexicon_is_silent_on_every_synthetic_local_word() {
        let k = Keywords::builtin().unwrap();
        let mut heard = Vec::new();
        for line in include_str!("../data/local_words.tsv").lines().filter(|l| !l.starts_with('#')) {
            for phrase in line.split('\t').nth(1).unwrap_or("").split('|') {
                if let Some(c) = k.lookup(&Normalised::new(phrase), 0, false) {
                    heard.push(format!("{phrase} -> {}", c.slug));
                }
            }
        }
        assert!(heard.is_empty(), "the lexicon reads local_words.tsv phrases: {heard:?}");
    }

    #[test]
    fn malformed_rows_are_errors_with_their_line() {
        assert!(Keywords::parse("health\tde\tAPOTHEKE\n").is_ok());
        assert!(Keywords::parse("nope\tde\tAPOTHEKE\n").is_err());
        assert!(Keywords::parse("health\tAPOTHEKE\n").is_err());
        assert!(Keywords::parse("health\tde\tAPOTHEKE\npets\tde\tAPOTHEKE\n").is_err());
        assert!(Keywords::parse("health\tde\tA B C D E\n").is_err());
    }
}
