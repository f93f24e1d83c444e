//! Payment wrappers: the processor or marketplace a bank prints before the
//! merchant (`SQ *BLUE BOTTLE`, `PAYPAL *EBAY`, `DOORDASH*PANDA EXPRESS`,
//! `AMZN Mktp US*2K3L4`). They are peeled off before matching so the inner
//! merchant decides.
//!
//! Two kinds, because they mean different things when nothing follows them:
//! - a **processor** (Square, Zeller, PayPal, Klarna, Stripe, SumUp, Toast,
//!   Google's billing) carries payments for anyone, so alone it never decides a
//!   category: `PAYPAL EUROPE`, `KLARNA UK LTD` and `GOOGLE *` are `other`. A
//!   directory name that spans more than the wrapper still counts
//!   (`GOOGLE STORAGE`);
//! - a **marketplace** (DoorDash, Instacart, Uber Eats, Grubhub, Amazon
//!   Marketplace) is itself a merchant of one kind, so when the inner name is
//!   not known the marketplace's own directory entry stands.
//!
//! A wrapper is recognised only at the start of the merchant part, after
//! card-channel words (`VISA PURCHASE`, `CB`, dates and numbers).

use crate::hash::hash_str;
use std::sync::OnceLock;

use crate::normalise::{is_noise_token, Kind, Normalised};

/// What kind of wrapper was peeled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    Processor,
    Marketplace,
}

/// Wrapper token sequences (as normalised words) and their kind.
const WRAPPERS: &[(&[&str], Wrapper)] = &[
    (&["SQ"], Wrapper::Processor),
    (&["SQU"], Wrapper::Processor),
    (&["ZLR"], Wrapper::Processor),
    (&["PAYPAL"], Wrapper::Processor),
    (&["PP"], Wrapper::Processor),
    (&["KLARNA"], Wrapper::Processor),
    (&["SP"], Wrapper::Processor),
    (&["TST"], Wrapper::Processor),
    (&["SUMUP"], Wrapper::Processor),
    (&["SMP"], Wrapper::Processor),
    (&["IZ"], Wrapper::Processor),
    (&["IZETTLE"], Wrapper::Processor),
    (&["STRIPE"], Wrapper::Processor),
    (&["CLEARPAY"], Wrapper::Processor),
    (&["AFTERPAY"], Wrapper::Processor),
    // European processors and card wallets (Zettle, Curve, Mollie, Adyen, PayU,
    // Satispay, PayPlug), as they prefix the merchant (`CRV*PRET A MANGER`).
    (&["ZETTLE"], Wrapper::Processor),
    (&["CRV"], Wrapper::Processor),
    (&["MOLLIE"], Wrapper::Processor),
    (&["ADYEN"], Wrapper::Processor),
    (&["PAYU"], Wrapper::Processor),
    (&["SATISPAY"], Wrapper::Processor),
    (&["PAYPLUG"], Wrapper::Processor),
    (&["DOORDASH"], Wrapper::Marketplace),
    (&["INSTACART"], Wrapper::Marketplace),
    (&["GRUBHUB"], Wrapper::Marketplace),
    (&["UBER", "EATS"], Wrapper::Marketplace),
    (&["UBEREATS"], Wrapper::Marketplace),
    (&["GOOGLE"], Wrapper::Processor),
    (&["AMZN", "MKTP"], Wrapper::Marketplace),
    (&["AMAZON", "MKTPLACE"], Wrapper::Marketplace),
    (&["AMZNMKTPLACE"], Wrapper::Marketplace),
];

/// A peeled wrapper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peeled {
    pub kind: Wrapper,
    /// The first token after the wrapper.
    pub inner: usize,
    /// Length in bytes of the wrapper's squashed words (`UBEREATS`: 8).
    pub len: usize,
}

/// The wrapper at the start of the description's merchant part. Card-channel
/// noise and numbers before the wrapper are skipped.
pub fn peel(n: &Normalised) -> Option<Peeled> {
    let table = hashed();
    let tokens = n.tokens();
    // Words a bank prints before the merchant: noise that is not itself a wrapper.
    let start = tokens.iter().position(|t| {
        let wrapper_word = table.iter().any(|(w, _, _)| w.len() == 1 && w[0] == t.hash);
        t.kind == Kind::Word && (!is_noise_token(t) || wrapper_word)
    })?;
    table.iter().find_map(|(words, kind, len)| {
        let window = tokens.get(start..start + words.len())?;
        let same = window.iter().zip(words).all(|(t, w)| t.hash == *w);
        // A wrapper with nothing after it is still peeled: nothing inside decides.
        same.then_some(Peeled {
            kind: *kind,
            inner: start + words.len(),
            len: *len,
        })
    })
}

/// `WRAPPERS` with each word's token hash and the squashed length, computed once.
fn hashed() -> &'static [(Vec<u64>, Wrapper, usize)] {
    static TABLE: OnceLock<Vec<(Vec<u64>, Wrapper, usize)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        WRAPPERS
            .iter()
            .map(|(words, kind)| {
                (
                    words.iter().map(|w| hash_str(w)).collect(),
                    *kind,
                    words.iter().map(|w| w.len()).sum(),
                )
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(d: &str) -> Option<(Wrapper, String)> {
        let n = Normalised::new(d);
        peel(&n).map(|p| {
            let rest: Vec<&str> = n.tokens()[p.inner..].iter().map(|t| n.text_of(t)).collect();
            (p.kind, rest.join(" "))
        })
    }

    #[test]
    fn processors_and_marketplaces_are_peeled_after_card_words() {
        assert_eq!(inner("SQ *BLUE BOTTLE COFFEE"), Some((Wrapper::Processor, "BLUE BOTTLE COFFEE".into())));
        assert_eq!(inner("VISA PURCHASE ZLR*SMITHS BAKERY"), Some((Wrapper::Processor, "SMITHS BAKERY".into())));
        assert_eq!(inner("DOORDASH*PANDA EXPRESS"), Some((Wrapper::Marketplace, "PANDA EXPRESS".into())));
        assert_eq!(inner("UBER *EATS PENDING"), Some((Wrapper::Marketplace, "PENDING".into())));
        assert_eq!(inner("AMZN Mktp US*2K3L4"), Some((Wrapper::Marketplace, "US 2 K 3 L 4".into())));
        assert_eq!(inner("PAYPAL *JOHNSMITH"), Some((Wrapper::Processor, "JOHNSMITH".into())));
        assert_eq!(inner("CRV*BAR ROMA 1"), Some((Wrapper::Processor, "BAR ROMA 1".into())));
        assert_eq!(inner("ZETTLE_*KAFFEBAR"), Some((Wrapper::Processor, "KAFFEBAR".into())));
    }

    #[test]
    fn a_wrapper_word_later_in_the_description_is_not_a_wrapper() {
        assert_eq!(inner("WOOLWORTHS 1234 SYDNEY"), None);
        assert_eq!(inner("BLUE BOTTLE PAYPAL"), None);
        assert_eq!(inner("UBER *TRIP"), None);
    }
}
