//! Categorisation of transactions as they are stored.
//!
//! The engine (tally-classify, issue 5) is being built in parallel; until it lands
//! this stores no category (the columns stay NULL and `subClass`/`enrich` are null on
//! the wire). Wiring it in means filling [`Enrichment`] here, nothing else.

use sqlx::AnyConnection;

use crate::connector::TransactionData;
use crate::store::transactions::Enrichment;
use crate::AppState;

/// Pairs each transaction with its categorisation (honouring the user's corrections).
pub async fn enrich(
    _state: &AppState,
    _conn: &mut AnyConnection,
    _user_id: Option<&str>,
    txs: Vec<TransactionData>,
) -> Result<Vec<(TransactionData, Enrichment)>, sqlx::Error> {
    Ok(txs.into_iter().map(|t| (t, Enrichment::default())).collect())
}
