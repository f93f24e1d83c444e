//! `tally-classify`: Tally's expense categorisation engine.
//!
//! Every transaction gets the contract's `class` (payment, transfer,
//! bank-fee, …) and, for payments, one expense category with its ANZSIC
//! group, the merchant when known, a confidence level and the source that
//! decided. Sources run in a cascade, most trusted first:
//!
//! 1. the user's own **corrections** (by merchant key), passed in by the caller;
//! 2. the **merchant directory** (`data/merchants.tsv`, ~900 Australian merchants);
//! 3. the **MCC** (ISO 18245) when a connector supplies one;
//! 4. the description's **structure** (`ATM`, `OSKO`, `BPAY`, `… FEE`), which
//!    decides the class;
//! 5. a trained **model** over character n-grams for everything else, so
//!    merchants never seen before still get a category.
//!
//! The model is embedded (`model/model-v1.bin`, versioned) and rebuilt
//! reproducibly with `cargo run -p tally-classify -- train`. No file and no
//! network is needed at run time. This crate depends on nothing else of
//! Tally's.
//!
//! # Usage
//! ```
//! use std::sync::Arc;
//! use tally_classify::{Classifier, Corrections, Input, TxClass};
//!
//! let engine = Arc::new(Classifier::load()?); // once, at start-up
//! let r = engine.classify(
//!     &Input { description: "VISA PURCHASE WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234", amount_cents: -4520, mcc: None, country: None },
//!     None,
//! );
//! assert_eq!(r.class, TxClass::Payment);
//! assert_eq!(r.category.map(|c| c.slug), Some("groceries"));
//! assert_eq!(r.category.map(|c| c.anzsic_code), Some("411"));
//!
//! // A user moves this merchant to another category; it sticks for later ones.
//! let mut corrections = Corrections::new();
//! corrections.insert(r.merchant_key.unwrap(), "home")?;
//! let later = engine.classify(&Input::new("WOOLWORTHS 0042 BONDI"), Some(&corrections));
//! assert_eq!(later.category.map(|c| c.slug), Some("home"));
//! # Ok::<(), tally_classify::Error>(())
//! ```
//!
//! The expenses summary behind `POST /users/{id}/expenses` is
//! [`expenses::summarise`].

pub mod cli;
pub mod corpus;
pub mod directory;
mod engine;
mod error;
pub mod eval;
pub mod expenses;
pub mod handset;
mod hash;
pub mod mcc;
pub mod model;
pub mod normalise;
mod structure;
mod taxonomy;
pub mod train;

pub use engine::{
    Classification, Classifier, Confidence, Corrections, Country, Input, Source, EMBEDDED_MODEL,
};
pub use error::{Error, Result};
pub use expenses::{summarise, CategoryExpense, DivisionExpense, ExpenseItem, ExpenseSummary, GroupExpense, MonthAmount};
pub use structure::TxClass;
pub use taxonomy::{all_categories, category_by_slug, Category};
