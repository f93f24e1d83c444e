//! The cascade: corrections → directories → MCC → structure → generic words → model.
//!
//! Each source is tried in order of how much we trust it and the first that
//! settles the category wins, with its name and a confidence level in the
//! result, so the server (and the person reading the widget) can tell a
//! user's own choice from a guess.
//!
//! The directories are the curated Australian one (`data/merchants.tsv`), the
//! international billers with no shops on a map (`data/world.tsv`: utilities,
//! telcos, insurers, airlines, transit, charities, tax offices, each with the
//! countries where its names mean it) and the world brand table from
//! OpenStreetMap's name-suggestion-index (`data/brands.tsv`); all report
//! `Source::Directory`. A payment wrapper
//! (`SQ *`, `PAYPAL *`, `DOORDASH*`) is peeled first so the inner merchant
//! decides. When the statement is from a country other than Australia, a brand
//! that trades there beats an Australian entry of the same name (7-Eleven sells
//! fuel in Australia and groceries in the US), and the model, trained on
//! Australian descriptions only, is never more than `medium` sure: on the
//! hand-written held-out set its `high` answers on foreign statements were
//! right about two times in three. Where no merchant is known, a generic word
//! of the description (`APOTHEKE`, `GASOLINERA`; `src/keywords.rs`) decides
//! before a model that is not sure, and with no word at all but bank noise the
//! answer is `other`, `low`.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::brands::Brands;
pub use crate::confidence::Confidence;
pub use crate::country::Country;
use crate::directory::Directory;
use crate::keywords::Keywords;
use crate::mcc::category_for_mcc;
use crate::model::{extract, Model};
use crate::normalise::Normalised;
use crate::structure::{analyse, TxClass};
use crate::taxonomy::{category_at, category_by_slug, Category};
use crate::wrappers::{peel, Peeled, Wrapper};
use crate::{Error, Result};

/// The committed model, embedded so the server needs no file at run time.
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../model/model-v1.bin");

/// Which source decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The user's own correction for this merchant.
    Correction,
    /// The merchant directory.
    Directory,
    /// The card scheme's merchant category code.
    Mcc,
    /// The words of the description: their shape decides the class; a
    /// generic word (`APOTHEKE`, `data/keywords.tsv`) the category when no
    /// merchant is known, and with nothing to go on the category is `other`.
    Structure,
    /// The trained model.
    Model,
}

impl Source {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Correction => "correction",
            Source::Directory => "directory",
            Source::Mcc => "mcc",
            Source::Structure => "structure",
            Source::Model => "model",
        }
    }
}

/// One transaction to classify.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The bank's description, as is.
    pub description: &'a str,
    /// Amount in cents; negative is money out. 0 means unknown and is
    /// treated as money out.
    pub amount_cents: i64,
    /// ISO 18245 merchant category code, when the connector has one.
    pub mcc: Option<u16>,
    /// Where the account is (the institution's country, else the user's):
    /// brands that trade there are preferred (7-Eleven sells fuel in
    /// Australia, convenience goods in the US).
    pub country: Option<Country>,
}

impl<'a> Input<'a> {
    /// A description with an unknown amount and no MCC.
    pub fn new(description: &'a str) -> Self {
        Input {
            description,
            amount_cents: 0,
            mcc: None,
            country: None,
        }
    }

    /// The same input with an amount in cents (negative is money out).
    pub fn with_amount(self, amount_cents: i64) -> Self {
        Input {
            amount_cents,
            ..self
        }
    }

    /// The same input, from an account in `country`.
    pub fn in_country(self, country: Option<Country>) -> Self {
        Input { country, ..self }
    }
}

/// A user's corrections: merchant key → category. The server stores them
/// per user and passes them in; a correction applies to every later payment
/// with the same `merchant_key`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corrections {
    map: HashMap<String, &'static Category>,
}

impl Corrections {
    /// No corrections.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set the category for a merchant key (from `Classification::merchant_key`).
    pub fn insert(&mut self, merchant_key: impl Into<String>, category_slug: &str) -> Result<()> {
        let cat = category_by_slug(category_slug)
            .ok_or_else(|| Error::UnknownCategory(category_slug.into()))?;
        self.map.insert(merchant_key.into(), cat);
        Ok(())
    }

    /// Forget a correction.
    pub fn remove(&mut self, merchant_key: &str) -> Option<&'static Category> {
        self.map.remove(merchant_key)
    }

    /// The corrected category for a merchant key.
    pub fn get(&self, merchant_key: &str) -> Option<&'static Category> {
        self.map.get(merchant_key).copied()
    }

    /// Number of corrections.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The result for one transaction.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    /// The contract's class.
    pub class: TxClass,
    /// The expense category; `None` for anything that is not a payment.
    pub category: Option<&'static Category>,
    /// The merchant's display name when the directory knows it.
    pub merchant: Option<String>,
    /// The key corrections are stored under: the directory's merchant key,
    /// or the first words of the description's merchant part.
    pub merchant_key: Option<String>,
    /// How sure the deciding source is.
    pub confidence: Confidence,
    /// Which source decided.
    pub source: Source,
}

/// From this probability the model at home decides over a weak brand hit and
/// over the generic-word lexicon: it is right 99.9% of the time on the
/// synthetic held-out split and 98.8% on unseen merchants.
const MODEL_SURE: f32 = 0.9;
/// From this one it calls its answer `high`. Fitted on the split of world
/// brands held out of training and of the brand table (names it has never
/// seen, the way a statement from abroad looks), never on the hand-written
/// sets: p ≥ 0.9 was right 92.2% of the time there (386 answers), p ≥ 0.96
/// 94.3%, p ≥ 0.98 95.1% (222); on the synthetic splits 99.6–100%. Since the
/// transit networks joined the table (and the split), 93.0%, 95.2% and 96.1%
/// (257). So below 0.98 a sure model is `medium`: the answer stays, the
/// promise shrinks.
const MODEL_HIGH: f32 = 0.98;
/// Below this it is `low`: right about half the time on the held-out split,
/// one time in four on unseen merchants.
const MODEL_MEDIUM: f32 = 0.6;

/// The model's confidence level for probability `p`, where `high` is allowed.
fn model_confidence(p: f32, may_be_high: bool) -> Confidence {
    if p >= MODEL_HIGH && may_be_high {
        Confidence::High
    } else if p >= MODEL_MEDIUM {
        Confidence::Medium
    } else {
        Confidence::Low
    }
}

struct Scratch {
    normalised: Normalised,
    features: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        normalised: Normalised::default(),
        features: Vec::with_capacity(256),
    });
}

/// The engine. Cheap to share behind an `Arc` (it is `Send + Sync` and
/// immutable); `classify` takes `&self`.
#[derive(Clone, Debug)]
pub struct Classifier {
    directory: Directory,
    brands: Brands,
    keywords: Keywords,
    model: Model,
}

/// Australia: the country the curated directory and the model know.
const AU: Country = Country::AU;

impl Classifier {
    /// The shipped directories and brand table and the embedded model.
    pub fn load() -> Result<Self> {
        Self::with_model(Model::from_bytes(EMBEDDED_MODEL)?)
    }

    /// The shipped directories and brand table with another model.
    pub fn with_model(model: Model) -> Result<Self> {
        Ok(Classifier {
            directory: Directory::builtin()?.merged(Directory::world()?),
            brands: Brands::builtin()?,
            keywords: Keywords::builtin()?,
            model,
        })
    }

    /// Build from parts (evaluation uses a directory without held-out
    /// merchants), with the shipped brand table.
    pub fn from_parts(directory: Directory, model: Model) -> Self {
        Self::with_brands(directory, Brands::builtin().unwrap_or_default(), model)
    }

    /// Build from all three parts (an empty `Brands` measures the engine
    /// without the world brand table).
    pub fn with_brands(directory: Directory, brands: Brands, model: Model) -> Self {
        Classifier {
            directory,
            brands,
            keywords: Keywords::builtin().unwrap_or_default(),
            model,
        }
    }

    /// The directory in use.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Classify one transaction. Never panics, whatever the input.
    pub fn classify(&self, input: &Input<'_>, corrections: Option<&Corrections>) -> Classification {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.classify_with(input, corrections, &mut s),
            // Re-entrant use on one thread (not something we do): fall back
            // to fresh buffers rather than panicking.
            Err(_) => self.classify_with(
                input,
                corrections,
                &mut Scratch {
                    normalised: Normalised::default(),
                    features: Vec::new(),
                },
            ),
        })
    }

    fn classify_with(
        &self,
        input: &Input<'_>,
        corrections: Option<&Corrections>,
        s: &mut Scratch,
    ) -> Classification {
        let Scratch {
            normalised: n,
            features,
        } = s;
        n.fill(input.description);
        let structure = analyse(n, input.amount_cents);
        let wrapper = peel(n);
        let inner = wrapper.map_or(0, |w| w.inner);
        let foreign = input.country.is_some_and(|c| c != AU);
        let known = self.find_merchant(n, wrapper, input.country);
        let merchant = known.map(|k| k.name.to_string());
        let merchant_key = match known {
            Some(k) => Some(k.key.to_string()),
            None => description_key(n, inner),
        };
        let mut class = structure.class;
        // A credit with no cue of its own but from a known merchant is money
        // coming back from a shop: a refund.
        if class == TxClass::DirectCredit
            && structure.confidence <= Confidence::Medium
            && known.is_some()
        {
            class = TxClass::Refund;
        }
        let result = |category, confidence, source| Classification {
            class,
            category,
            merchant: merchant.clone(),
            merchant_key: merchant_key.clone(),
            confidence,
            source,
        };
        if class != TxClass::Payment {
            return result(None, structure.confidence, Source::Structure);
        }
        if let (Some(c), Some(k)) = (corrections, merchant_key.as_deref()) {
            if let Some(cat) = c.get(k) {
                return result(Some(cat), Confidence::VeryHigh, Source::Correction);
            }
        }
        if let Some(k) = known {
            // A medium brand-table hit at home (one plain word such as `Morgan`
            // or `Power`, or rows that disagree) yields to a model that is sure:
            // `MORGAN PLUMBING` is a plumber.
            if k.from_brands && k.confidence <= Confidence::Medium && !foreign {
                features.clear();
                extract(n.merchant_words_from(inner), self.model.mask(), features);
                let p = self.model.predict(features);
                if let Some(cat) = category_at(p.label).filter(|_| p.probability >= MODEL_SURE) {
                    return result(Some(cat), model_confidence(p.probability, true), Source::Model);
                }
            }
            // A name that is only `medium` (found after a word of the merchant's
            // own, a short or plain word, rows that disagree, a `world.tsv` row)
            // yields to a word around it that says what kind of business it is:
            // `RESTAURANTE EL RINCON` is a restaurant whatever `El Rincon` is,
            // `ALPINE VIEW MOTEL` a motel. The name's own words do not count.
            if k.confidence <= Confidence::Medium {
                let word = self.keywords.lookup_outside(n, inner, k.span.0..k.span.1, foreign);
                if let Some(cat) = word.filter(|c| c.slug != k.category.slug) {
                    return result(Some(cat), Confidence::Medium, Source::Structure);
                }
            }
            return result(Some(k.category), k.confidence, Source::Directory);
        }
        if let Some(cat) = input.mcc.and_then(category_for_mcc) {
            return result(Some(cat), Confidence::High, Source::Mcc);
        }
        features.clear();
        extract(n.merchant_words_from(inner), self.model.mask(), features);
        if features.len() <= 1 {
            // Only the bias: nothing describes the merchant.
            return result(
                category_by_slug("other"),
                Confidence::Low,
                Source::Structure,
            );
        }
        let p = self.model.predict(features);
        let sure_at_home = p.probability >= MODEL_SURE && !foreign;
        // A generic word (`APOTHEKE`, `GASOLINERA`) beats a model that is not
        // sure, and any model abroad: it learned the words of Australian names.
        if !sure_at_home {
            if let Some(cat) = self.keywords.lookup(n, inner, foreign) {
                return result(Some(cat), Confidence::Medium, Source::Structure);
            }
        }
        let conf = model_confidence(p.probability, !foreign);
        match category_at(p.label) {
            Some(cat) => result(Some(cat), conf, Source::Model),
            None => result(category_by_slug("other"), Confidence::Low, Source::Model),
        }
    }
}

/// A merchant one of the directories knows.
#[derive(Clone, Copy)]
struct Known<'a> {
    name: &'a str,
    key: &'a str,
    category: &'static Category,
    confidence: Confidence,
    /// Found in the world brand table (not the curated directory).
    from_brands: bool,
    /// A directory row listed for statements from abroad (`world.tsv`).
    abroad: bool,
    /// The tokens of the name found.
    span: (usize, usize),
}

impl Classifier {
    /// The merchant behind the description, from the tokens after any
    /// wrapper. The longest name wins; on a tie the Australian directory
    /// wins unless the statement is from elsewhere, where the brand table wins
    /// over it but not over `world.tsv`'s billers. A marketplace stands for
    /// itself when nothing inside it is known; a processor never does, though
    /// a directory name longer than it does (`GOOGLE STORAGE`).
    fn find_merchant(
        &self,
        n: &Normalised,
        wrapper: Option<Peeled>,
        country: Option<Country>,
    ) -> Option<Known<'_>> {
        let inner = wrapper.map_or(0, |w| w.inner);
        let foreign = country.is_some_and(|c| c != AU);
        // A name found after a word of the merchant's own (`HARRY RITCHIES`,
        // `APEX CLEAN ENERGY`, `REGIO MOBIL`) may be part of another merchant's
        // name, so it is no more than `medium`. Bank noise, numbers and words
        // of up to three letters (`TAP AND PAY`, `THE`) do not count.
        let after_a_word = |start: usize, at: usize| {
            n.tokens().get(start..at).unwrap_or_default().iter().any(|t| t.is_merchant_word() && t.end - t.start >= 4)
        };
        let dir = |start| {
            self.directory.lookup_in(n, start, country).map(|h| {
                (
                    h.alias_len,
                    Known {
                        name: &h.merchant.name,
                        key: &h.merchant.key,
                        category: h.merchant.category,
                        // A `world.tsv` row is one reviewer's memory of a biller and
                        // its category (is a train ticket transport or travel?): on
                        // the development set its answers were right 52 times in 56
                        // (93%), short of what `high` promises, so it says `medium`.
                        confidence: if after_a_word(start, h.at) || h.merchant.abroad {
                            Confidence::Medium
                        } else if h.alias_len >= 4 {
                            Confidence::VeryHigh
                        } else {
                            Confidence::High
                        },
                        from_brands: false,
                        abroad: h.merchant.abroad,
                        span: (h.at, h.end),
                    },
                )
            })
        };
        let brand = self.brands.lookup(n, inner, country).map(|h| {
            (
                h.alias_len,
                Known {
                    name: &h.brand.name,
                    key: &h.brand.key,
                    category: h.category,
                    confidence: if after_a_word(inner, h.at) {
                        h.confidence.min(Confidence::Medium)
                    } else {
                        h.confidence
                    },
                    from_brands: true,
                    abroad: false,
                    span: (h.at, h.end),
                },
            )
        });
        // On a tie abroad the brand table wins over the Australian directory,
        // not over a row listed for statements from abroad (`world.tsv`).
        let chosen = match (dir(inner), brand) {
            (Some(d), Some(b)) if b.0 > d.0 || (foreign && b.0 == d.0 && !d.1.abroad) => Some(b),
            (Some(d), _) => Some(d),
            (None, b) => b,
        };
        match (chosen, wrapper) {
            (Some((_, k)), _) => Some(k),
            (None, Some(w)) => dir(0)
                .filter(|(len, _)| w.kind == Wrapper::Marketplace || *len > w.len)
                .map(|(_, k)| k),
            (None, None) => None,
        }
    }
}

/// Key for a merchant the directories do not know: the first three merchant
/// words after any wrapper, lower-case, joined by `-` (`SQ *BLUE BOTTLE CAFE
/// NEWTOWN` → `blue-bottle-cafe`).
fn description_key(n: &Normalised, start: usize) -> Option<String> {
    let mut key = String::new();
    for w in n.merchant_words_from(start).take(3) {
        if !key.is_empty() {
            key.push('-');
        }
        key.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    }
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn engine() -> Classifier {
        Classifier::load().expect("embedded model loads")
    }

    fn out(c: &Classifier, d: &str) -> Classification {
        c.classify(
            &Input {
                description: d,
                amount_cents: -1234,
                mcc: None,
                country: None,
            },
            None,
        )
    }

    #[test]
    fn is_send_sync_and_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Classifier>();
        let c = Arc::new(engine());
        let c2 = Arc::clone(&c);
        let h = std::thread::spawn(move || out(&c2, "WOOLWORTHS 1234").category.map(|c| c.slug));
        assert_eq!(h.join().unwrap(), Some("groceries"));
    }

    #[test]
    fn a_name_after_a_word_of_the_merchant_is_only_medium() {
        let c = engine();
        for d in ["TAP AND PAY DYMOCKS PENRITH NS", "VISA PURCHASE THE DYMOCKS 1234"] {
            let r = out(&c, d);
            assert_eq!(r.merchant.as_deref(), Some("Dymocks"), "{d}");
            assert_eq!(r.confidence, Confidence::VeryHigh, "{d}");
        }
        // Another merchant whose name ends in a known one.
        let r = out(&c, "MEGALODON DYMOCKS NOOSA HEADS");
        assert_eq!(r.merchant.as_deref(), Some("Dymocks"));
        assert_eq!(r.confidence, Confidence::Medium);
    }

    #[test]
    fn directory_decides_known_merchants() {
        let r = out(
            &engine(),
            "VISA PURCHASE WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234",
        );
        assert_eq!(r.class, TxClass::Payment);
        assert_eq!(r.category.unwrap().slug, "groceries");
        assert_eq!(r.merchant.as_deref(), Some("Woolworths"));
        assert_eq!(r.merchant_key.as_deref(), Some("woolworths"));
        assert_eq!(r.source, Source::Directory);
        assert_eq!(r.confidence, Confidence::VeryHigh);
    }

    #[test]
    fn correction_beats_directory_and_carries_to_later_transactions() {
        let c = engine();
        let first = out(&c, "EFTPOS WOOLWORTHS 1234 BONDI");
        let mut corr = Corrections::new();
        corr.insert(first.merchant_key.clone().unwrap(), "home")
            .unwrap();
        let later = c.classify(
            &Input {
                description: "WOOLWORTHS 9999 NEWTOWN NS",
                amount_cents: -500,
                mcc: None,
                country: None,
            },
            Some(&corr),
        );
        assert_eq!(later.category.unwrap().slug, "home");
        assert_eq!(later.source, Source::Correction);
        assert_eq!(later.confidence, Confidence::VeryHigh);
        // Unknown merchants are keyed by their words.
        let blue = out(&c, "SQ *BLUE BOTTLE CAFE NEWTOWN");
        assert_eq!(blue.merchant_key.as_deref(), Some("blue-bottle-cafe"));
        corr.insert("blue-bottle-cafe", "entertainment").unwrap();
        let again = c.classify(&Input::new("SQ *BLUE BOTTLE CAFE NEWTOWN"), Some(&corr));
        assert_eq!(again.category.unwrap().slug, "entertainment");
        assert!(corr.insert("x", "not-a-category").is_err());
    }

    #[test]
    fn directory_beats_mcc_and_mcc_beats_model() {
        let c = engine();
        // Directory wins over a contradicting MCC.
        let r = c.classify(
            &Input {
                description: "COLES 1234",
                amount_cents: -1,
                mcc: Some(5812),
                country: None,
            },
            None,
        );
        assert_eq!(
            (r.category.unwrap().slug, r.source),
            ("groceries", Source::Directory)
        );
        // Unknown merchant + MCC: MCC decides.
        let r = c.classify(
            &Input {
                description: "ZZQX HOLDINGS 1234",
                amount_cents: -1,
                mcc: Some(5541),
                country: None,
            },
            None,
        );
        assert_eq!((r.category.unwrap().slug, r.source), ("fuel", Source::Mcc));
        // A catch-all MCC does not decide.
        let r = c.classify(
            &Input {
                description: "ZZQX HOLDINGS 1234",
                amount_cents: -1,
                mcc: Some(5999),
                country: None,
            },
            None,
        );
        assert_eq!(r.source, Source::Model);
    }

    #[test]
    fn model_categorises_merchants_never_seen() {
        let c = engine();
        for (d, want) in [
            ("SQ *BLUE BOTTLE CAFE NEWTOWN", "dining"),
            ("SQ *KOOKABURRA LANE CAFE MARRICKVILLE", "dining"),
            ("EFTPOS WALLABY CREEK PHARMACY 123 TOOWOOMBA", "health"),
            ("VISA PURCHASE GRIMSHAW PLUMBING SUPPLIES PENRITH", "home"),
        ] {
            let r = out(&c, d);
            assert_eq!(r.source, Source::Model, "{d}");
            assert_eq!(r.category.unwrap().slug, want, "{d}");
            assert!(r.merchant.is_none());
        }
    }

    #[test]
    fn non_payments_have_no_category() {
        let c = engine();
        for (d, amount, class) in [
            (
                "ATM WITHDRAWAL WESTPAC MARTIN PL",
                -2000,
                TxClass::CashWithdrawal,
            ),
            ("OSKO PAYMENT TO J SMITH", -5000, TxClass::Transfer),
            ("MONTHLY ACCOUNT FEE", -500, TxClass::BankFee),
            ("INTEREST CHARGED", -900, TxClass::LoanInterest),
            ("SALARY ACME PTY LTD", 500000, TxClass::DirectCredit),
            ("JB HI FI 0123 SYDNEY", 12900, TxClass::Refund),
        ] {
            let r = c.classify(
                &Input {
                    description: d,
                    amount_cents: amount,
                    mcc: None,
                    country: None,
                },
                None,
            );
            assert_eq!(r.class, class, "{d}");
            assert!(r.category.is_none());
            assert_eq!(r.source, Source::Structure);
        }
    }

    #[test]
    fn garbage_in_is_not_a_panic() {
        let c = engine();
        for d in [
            "",
            "   ",
            "💳💳💳",
            "1234 5678",
            &"X".repeat(100_000),
            "\u{0}",
        ] {
            let r = c.classify(
                &Input {
                    description: d,
                    amount_cents: i64::MIN,
                    mcc: Some(u16::MAX),
                    country: None,
                },
                None,
            );
            let _ = serde_json::to_string(&r).unwrap();
        }
        let r = out(&c, "1234 5678");
        assert_eq!(
            (r.category.unwrap().slug, r.confidence),
            ("other", Confidence::Low)
        );
    }

    #[test]
    fn enums_serialise_kebab_case() {
        assert_eq!(
            serde_json::to_value(Confidence::VeryHigh).unwrap(),
            "very-high"
        );
        assert_eq!(serde_json::to_value(Source::Mcc).unwrap(), "mcc");
        let v = serde_json::to_value(out(&engine(), "NETFLIX.COM")).unwrap();
        assert_eq!(v["category"]["slug"], "entertainment");
        assert_eq!(v["merchantKey"], "netflix");
    }

    fn abroad(c: &Classifier, d: &str, country: &str) -> Classification {
        c.classify(&Input::new(d).with_amount(-1234).in_country(Country::from_code(country)), None)
    }

    #[test]
    fn a_generic_word_decides_abroad_when_no_merchant_is_known() {
        let c = engine();
        for (d, country, slug) in [
            ("APOTHEKE AM SCHLOSSPARK", "DE", "health"),
            ("GASOLINERA LOS PINOS", "ES", "fuel"),
            ("TANDARTSPRAKTIJK DE VRIES", "NL", "health"),
        ] {
            let r = abroad(&c, d, country);
            assert_eq!(r.category.map(|c| c.slug), Some(slug), "{d}");
            assert_eq!((r.confidence, r.source), (Confidence::Medium, Source::Structure), "{d}");
        }
    }

    #[test]
    fn bank_noise_in_any_language_is_other_and_low() {
        let c = engine();
        for d in ["TRANSACTIE 0042 12-03", "ACQUISTO CARTA 17/03", "KARTENZAHLUNG UMSATZ 4411", "OPERACION TARJ 9912"] {
            let r = abroad(&c, d, "FR");
            assert_eq!(r.category.map(|c| c.slug), Some("other"), "{d}");
            assert_eq!(r.confidence, Confidence::Low, "{d}");
        }
    }
}
