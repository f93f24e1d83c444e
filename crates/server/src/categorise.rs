//! Categorisation of transactions as they are stored, by tally-classify.
//!
//! The classifier is loaded once per process (its model is embedded) and shared. A
//! user's corrections, keyed by merchant, go into every classification of theirs, so a
//! correction carries to later transactions of the same merchant.

use std::sync::{Arc, OnceLock};

use sqlx::AnyConnection;
use tally_classify::{Classifier, Corrections, Country, Input};

use crate::connector::TransactionData;
use crate::store;
use crate::store::transactions::Enrichment;
use crate::AppState;

/// The shared classifier; None (and a logged error) if its embedded model is unusable,
/// in which case transactions are stored uncategorised rather than not at all.
pub fn classifier() -> Option<Arc<Classifier>> {
    static ENGINE: OnceLock<Option<Arc<Classifier>>> = OnceLock::new();
    ENGINE
        .get_or_init(|| match Classifier::load() {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                tracing::error!(error = %e, "the categorisation model could not be loaded; storing transactions uncategorised");
                None
            }
        })
        .clone()
}

/// A user's corrections as the classifier takes them.
pub async fn corrections(conn: &mut AnyConnection, user_id: Option<&str>) -> Result<Corrections, sqlx::Error> {
    let mut c = Corrections::new();
    if let Some(u) = user_id {
        for (merchant_key, slug) in store::corrections::for_user(conn, u).await? {
            // A slug the taxonomy no longer knows is skipped, not fatal.
            let _ = c.insert(merchant_key, &slug);
        }
    }
    Ok(c)
}

/// The country of an institution, for the classifier's brand table (a brand counts
/// only where it trades). Institutions name their country ("Australia"); "Other bank"
/// names none, so a file from anywhere is not assumed to be Australian.
pub fn country_of(state: &AppState, institution_id: &str) -> Option<Country> {
    let name = state.connectors.institution(institution_id)?.country;
    let code = match name.trim() {
        "Australia" => "AU",
        "New Zealand" => "NZ",
        other => other,
    };
    Country::from_code(code)
}

/// Classifies one transaction: its class, category, ANZSIC group and merchant.
pub fn classify(engine: &Classifier, t: &mut TransactionData, corrections: &Corrections, country: Option<Country>) -> Enrichment {
    let r = engine.classify(&Input { description: &t.description, amount_cents: t.amount, mcc: t.mcc, country }, Some(corrections));
    t.class = r.class.as_str().to_string();
    Enrichment {
        sub_class_code: r.category.map(|c| c.anzsic_code.to_string()),
        sub_class_title: r.category.map(|c| c.anzsic_title.to_string()),
        category_id: r.category.map(|c| c.slug.to_string()),
        category_title: r.category.map(|c| c.title.to_string()),
        category_confidence: r.category.map(|_| r.confidence.as_str().to_string()),
        category_source: r.category.map(|_| r.source.as_str().to_string()),
        merchant_name: r.merchant.clone(),
        merchant_key: r.merchant_key.clone(),
    }
}

/// Pairs each transaction with its categorisation (honouring the user's corrections).
pub async fn enrich(
    state: &AppState,
    conn: &mut AnyConnection,
    user_id: Option<&str>,
    institution_id: &str,
    txs: Vec<TransactionData>,
) -> Result<Vec<(TransactionData, Enrichment)>, sqlx::Error> {
    let country = country_of(state, institution_id);
    let Some(engine) = classifier() else {
        return Ok(txs.into_iter().map(|t| (t, Enrichment::default())).collect());
    };
    let corrections = corrections(conn, user_id).await?;
    Ok(txs
        .into_iter()
        .map(|mut t| {
            let e = classify(&engine, &mut t, &corrections, country);
            (t, e)
        })
        .collect())
}
