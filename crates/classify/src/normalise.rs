//! Description → tokens.
//!
//! Bank descriptions are upper/lower-case soup with card numbers, store
//! numbers, dates, state codes and punctuation glued onto the merchant
//! (`WOOLWORTHS1234 SYDNEY NS AUS Card xx1234`, `SQ *BLUE BOTTLE`,
//! `Spotify P0A1B2C3 Stockholm SE`). Every later stage (structure, directory,
//! model, merchant key) works on the same token list, so they agree on what a
//! "word" is:
//! - ASCII letters are upper-cased; apostrophes vanish (`MARIO'S` → `MARIOS`);
//! - every other byte separates tokens (including non-ASCII: never panics);
//! - a letter↔digit boundary splits (`WOOLWORTHS1234` → `WOOLWORTHS`, `1234`),
//!   so card and store numbers fall off as `Number` tokens.
//!
//! The scratch struct is reusable (`normalise_into`) so the hot path does not
//! allocate once its buffers have grown.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::hash::{fnv, hash_str, IdentityBuild, FNV_OFFSET};

/// What kind of token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
}

/// A token: a span of `Normalised::text`, with the FNV-1a hash of its text
/// so that word tables (noise, structure cues) are one probe, not a string
/// comparison chain.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
    pub hash: u64,
}

impl Token {
    /// A word that can be part of a merchant's name: two letters or more, not
    /// bank noise. The one definition `merchant_words`, the brand table's
    /// first word and the generic-word lexicon share.
    pub fn is_merchant_word(&self) -> bool {
        self.kind == Kind::Word && self.end - self.start >= 2 && !noise_set().contains(&self.hash)
    }
}

/// A normalised description: upper-cased text with its token spans.
#[derive(Default, Debug, Clone)]
pub struct Normalised {
    text: String,
    tokens: Vec<Token>,
}

impl Normalised {
    /// Normalise a description into a new value.
    pub fn new(description: &str) -> Self {
        let mut n = Self::default();
        n.fill(description);
        n
    }

    /// Normalise into this value, reusing its buffers.
    pub fn fill(&mut self, description: &str) {
        // Work on the bytes (only ASCII is ever written) and hand the buffer
        // back as a String at the end: no per-char UTF-8 encoding, no copy.
        let mut text = std::mem::take(&mut self.text).into_bytes();
        text.clear();
        self.tokens.clear();
        // Cap pathological input: bank descriptions are < 200 bytes; the cap
        // keeps the hot path bounded whatever the caller sends.
        let bytes = &description.as_bytes()[..description.len().min(512)];
        let mut current: Option<Kind> = None;
        let mut start = 0u32;
        let mut hash = FNV_OFFSET;
        for &b in bytes {
            let kind = if b.is_ascii_alphabetic() {
                Some(Kind::Word)
            } else if b.is_ascii_digit() {
                Some(Kind::Number)
            } else if b == b'\'' || b == 0x60 {
                continue; // MARIO'S → MARIOS
            } else {
                None
            };
            if kind != current {
                if let Some(k) = current {
                    self.tokens.push(Token {
                        start,
                        end: text.len() as u32,
                        kind: k,
                        hash,
                    });
                }
                hash = FNV_OFFSET;
                if kind.is_some() {
                    // Tokens are separated by one space in `text` so that the
                    // text reads naturally in debugging and merchant keys.
                    if !text.is_empty() {
                        text.push(b' ');
                    }
                    start = text.len() as u32;
                }
                current = kind;
            }
            if kind.is_some() {
                let up = b.to_ascii_uppercase();
                hash = fnv(hash, &[up]);
                text.push(up);
            }
        }
        if let Some(k) = current {
            self.tokens.push(Token {
                start,
                end: text.len() as u32,
                kind: k,
                hash,
            });
        }
        // Cannot fail (ASCII only); an empty text rather than a panic if it did.
        self.text = String::from_utf8(text).unwrap_or_default();
    }

    /// The token spans.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The text of one token.
    #[inline(always)]
    pub fn text_of(&self, t: &Token) -> &str {
        // Spans are produced by `fill` over ASCII bytes only, so they are
        // always valid char boundaries; `get` keeps this panic-free anyway.
        self.text
            .get(t.start as usize..t.end as usize)
            .unwrap_or("")
    }

    /// The words that describe the merchant: words that are not bank noise,
    /// payment-structure words or single letters. Used by the model and the
    /// merchant key.
    pub fn merchant_words(&self) -> impl Iterator<Item = &str> + '_ {
        self.merchant_words_from(0)
    }

    /// `merchant_words` of the tokens from `start` on (after a payment wrapper).
    pub fn merchant_words_from(&self, start: usize) -> impl Iterator<Item = &str> + '_ {
        self.tokens
            .get(start..)
            .unwrap_or_default()
            .iter()
            .filter(|t| t.is_merchant_word())
            .map(|t| self.text_of(t))
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the description had no letters or digits at all.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// `is_noise` for a token, by the hash it already carries.
pub fn is_noise_token(t: &Token) -> bool {
    noise_set().contains(&t.hash)
}

/// Words that say how a payment travelled or where a card was, not who was
/// paid. They are dropped from merchant words (model features and keys).
pub fn is_noise(word: &str) -> bool {
    noise_set().contains(&hash_str(word))
}

fn noise_set() -> &'static HashSet<u64, IdentityBuild> {
    static SET: OnceLock<HashSet<u64, IdentityBuild>> = OnceLock::new();
    SET.get_or_init(|| {
        // Card numbers masked with X (`XXXXX4417`, `5402XXXXXXXX1234`), any length.
        let masks = (2..=16).map(|n| hash_str(&"X".repeat(n)));
        NOISE_WORDS.iter().map(|w| hash_str(w)).chain(masks).collect()
    })
}

const NOISE_WORDS: &[&str] = &[
    // card / channel
    "VISA",
    "MASTERCARD",
    "EFTPOS",
    "POS",
    "PURCHASE",
    "PURCHASES",
    "DEBIT",
    "CARD",
    "AUTHORISATION",
    "AUTHORIZATION",
    "AUTH",
    "PENDING",
    "TAP",
    "CONTACTLESS",
    "PAYWAVE",
    "PAYPASS",
    "RECURRING",
    "ONLINE",
    "PAYMENT",
    "PMT",
    "BPAY",
    "DIRECT",
    "DD",
    "REF",
    "RECEIPT",
    "TRAN",
    "TXN",
    "VALUE",
    "DATE",
    "INTL",
    "FOREIGN",
    "CURRENCY",
    "AMT",
    "APPROVED",
    "TERMINAL",
    "TERM",
    "NO",
    "ID",
    // payment facilitators (SQ *, SP *, ZLR*, PAYPAL *)
    "SQ",
    "SP",
    "ZLR",
    "SMP",
    "LS",
    "IZ",
    "SUMUP",
    "PAYPAL",
    "PP",
    "STRIPE",
    "TYRO",
    "EWAY",
    // places and web noise
    "AUS",
    "AU",
    "AUSTRALIA",
    "NSW",
    "NS",
    "VIC",
    "VI",
    "QLD",
    "QL",
    "WA",
    "SA",
    "TAS",
    "TA",
    "ACT",
    "AC",
    "NT",
    "WWW",
    "COM",
    "NET",
    "ORG",
    "HTTP",
    "HTTPS",
    "PTY",
    "LTD",
    "THE",
    "AND",
    "OF",
    // Card channels as banks in Europe print them (FR, DE, ES, IT, NL).
    "CB",
    "CARTE",
    "BANCAIRE",
    "PRLV",
    "SEPA",
    "ACHAT",
    "PAIEMENT",
    "KARTE",
    "KARTENZAHLUNG",
    "LASTSCHRIFT",
    "GIROCARD",
    "COMPRA",
    "TARJETA",
    "PAGO",
    "PAGAMENTO",
    "BETALING",
    "PINBETALING",
    "BEA",
    "CHECKCARD",
    // Company forms and country words say nothing about what was bought.
    "GMBH",
    "AG",
    "SAU",
    "SL",
    "SARL",
    "SAS",
    "BV",
    "NV",
    "PLC",
    "LLC",
    "INC",
    "DAC",
    "SPA",
    "SRL",
    "LIMITED",
    "UK",
    "GB",
    "US",
    "USA",
    "EUROPE",
    "KLARNA",
    "CLEARPAY",
    "ZETTLE",
    "CRV",
    "MOLLIE",
    "ADYEN",
    "PAYU",
    "SATISPAY",
    "PAYPLUG",
    // The same for card channels, references and invoices in more of Europe's
    // languages: bank noise, not who was paid (issue 15: a line with only these
    // is `other`, low, not the model's best guess at noise).
    "TRANSACTION",
    "TRANSACTIE",
    "TRX",
    "OPERATION",
    "OPERACION",
    "OPERAZIONE",
    "ACQUISTO",
    "ACQUISTI",
    "CARTA",
    "ADDEBITO",
    "BANCOMAT",
    "PAGOBANCOMAT",
    "BETAALAUTOMAAT",
    "BETAALPAS",
    "PASNR",
    "TARJ",
    "RECIBO",
    "ADEUDO",
    "DOMICILIACION",
    "FACTURE",
    "FACTURA",
    "FATTURA",
    "EINKAUF",
    "UMSATZ",
    "ZAHLUNG",
    "DEBITKARTE",
    "KREDITKARTE",
    "KONTAKTLOS",
    "MAESTRO",
    "VPAY",
    "ELV",
    "REFERENCE",
    "REFERENZ",
    "REFERENCIA",
    "RIFERIMENTO",
    "KENMERK",
    "NR",
    "NUMERO",
    // The words banks put before the merchant (`PURCHASE AUTHORIZED ON 11/12
    // KROGER`, `POS W/D COUNTDOWN`, `DIRECT DEBIT PAYMENT TO EE`, `PAGO EN CEPSA`)
    // and around a SEPA direct debit (`SEPA Incasso algemeen doorlopend
    // Incassant: NL42ZZZ302… Naam: Eneco`, `LASTSCHRIFT EINZUG`, `ADDEBITO SDD …
    // RIF`). (Card numbers masked with X are noise at any length: `noise_set`.)
    "AUTHORIZED",
    "AUTHORISED",
    "ON",
    "AT",
    "TO",
    "EN",
    "INCASSO",
    "INCASSANT",
    "ALGEMEEN",
    "DOORLOPEND",
    "MACHTIGING",
    "NAAM",
    "ZZZ",
    "EINZUG",
    "SDD",
    "RIF",
    // More company forms (DE, FR, ES, IT, NL, Nordic, US).
    "SE",
    "KG",
    "KGAA",
    "OHG",
    "UG",
    "MBH",
    "GBR",
    "SNC",
    "EURL",
    "SASU",
    "SLU",
    "LTDA",
    "SCARL",
    "BVBA",
    "VOF",
    "AB",
    "ASA",
    "OY",
    "CORP",
    "CORPORATION",
    "LLP",
    "PLLC",
    // Country names as statements print them.
    "DEUTSCHLAND",
    "FRANCE",
    "ESPANA",
    "ITALIA",
    "NEDERLAND",
    "IRELAND",
    // Large cities of the countries Tally reads statements from, outside
    // Australia (whose suburbs the corpus teaches the model). A city says where,
    // never what: the model trained on Australian names only guesses from them.
    "LONDON",
    "MANCHESTER",
    "BIRMINGHAM",
    "LEEDS",
    "GLASGOW",
    "EDINBURGH",
    "LIVERPOOL",
    "BRISTOL",
    "CARDIFF",
    "BELFAST",
    "DUBLIN",
    "AUCKLAND",
    "WELLINGTON",
    "CHRISTCHURCH",
    "DUNEDIN",
    "TAURANGA",
    "CHICAGO",
    "HOUSTON",
    "PHILADELPHIA",
    "DALLAS",
    "SEATTLE",
    "DENVER",
    "ATLANTA",
    "MIAMI",
    "BERLIN",
    "HAMBURG",
    "MUENCHEN",
    "MUNCHEN",
    "KOELN",
    "KOLN",
    "FRANKFURT",
    "STUTTGART",
    "DUESSELDORF",
    "DUSSELDORF",
    "LEIPZIG",
    "DRESDEN",
    "HANNOVER",
    "NUERNBERG",
    "NURNBERG",
    "PARIS",
    "MARSEILLE",
    "LYON",
    "TOULOUSE",
    "NANTES",
    "STRASBOURG",
    "MONTPELLIER",
    "BORDEAUX",
    "LILLE",
    "RENNES",
    "MADRID",
    "BARCELONA",
    "VALENCIA",
    "SEVILLA",
    "ZARAGOZA",
    "MALAGA",
    "BILBAO",
    "ALICANTE",
    "AMSTERDAM",
    "ROTTERDAM",
    "UTRECHT",
    "EINDHOVEN",
    "GRONINGEN",
    "HAARLEM",
    "ROMA",
    "MILANO",
    "NAPOLI",
    "TORINO",
    "PALERMO",
    "GENOVA",
    "BOLOGNA",
    "FIRENZE",
    "VENEZIA",
    "VERONA",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let n = Normalised::new(s);
        n.tokens()
            .iter()
            .map(|t| n.text_of(t).to_string())
            .collect()
    }

    #[test]
    fn splits_letters_from_digits_and_uppercases() {
        assert_eq!(
            words("Woolworths1234 Sydney NS"),
            ["WOOLWORTHS", "1234", "SYDNEY", "NS"]
        );
        assert_eq!(words("7-Eleven 2045"), ["7", "ELEVEN", "2045"]);
        assert_eq!(words("SQ *Mario's Pizza"), ["SQ", "MARIOS", "PIZZA"]);
    }

    #[test]
    fn merchant_words_drop_noise() {
        let n = Normalised::new("VISA PURCHASE WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234");
        let w: Vec<_> = n.merchant_words().collect();
        assert_eq!(w, ["WOOLWORTHS", "SYDNEY"]);
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "",
            "   ",
            "💳💳",
            "é'ü",
            "''''",
            &"A".repeat(10_000),
            "\u{0}\u{7f}",
        ] {
            let n = Normalised::new(s);
            for t in n.tokens() {
                let _ = n.text_of(t);
            }
        }
        assert!(Normalised::new("💳 *** ").is_empty());
    }

    #[test]
    fn reuse_clears_previous_tokens() {
        let mut n = Normalised::new("ONE TWO THREE");
        n.fill("FOUR");
        assert_eq!(n.len(), 1);
        assert_eq!(n.text_of(&n.tokens()[0]), "FOUR");
    }
}
