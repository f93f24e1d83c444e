//! Transfers between a user's own accounts, marked where they are stored.
//!
//! After a job stores posted transactions (a connection's refresh or a statement
//! upload), the user's posted transactions within [`pairing::MAX_DAYS_APART`] days of
//! them, across every connection, are paired by [`pairing::pairs`]. Both sides of a
//! pair get `transfer_id` (the other side's id; on the wire `links.transfer`) and the
//! class `transfer`, or `loan-repayment` for money paid into a loan account. What that
//! means for spending is `tally_api::spending`, shared with the widget.
//!
//! Pairs are made once and kept: posted rows are never rewritten by a refresh. When a
//! connection is removed its rows go, and the other side of each of their pairs is
//! unmarked here the next time its user's transactions are paired (its class stays
//! `transfer`: the categoriser's first answer is not kept).

pub mod pairing;

use chrono::{Duration, NaiveDate};
use sqlx::AnyConnection;
use tally_api::TransactionClass;
use tally_classify::Source;

use pairing::{Candidate, MAX_DAYS_APART};

use crate::store;

/// Sources that tie a debit to a merchant: a purchase, never a transfer.
const MERCHANT_SOURCES: [Source; 3] = [Source::Correction, Source::Directory, Source::Mcc];

/// Account classes money is paid into to repay a loan.
const LOAN_ACCOUNTS: [&str; 2] = ["mortgage", "loan"];

/// Pairs `user_id`'s posted transactions around the posted dates `first..=last`;
/// returns how many new pairs were marked.
pub async fn rematch(conn: &mut AnyConnection, user_id: &str, first: NaiveDate, last: NaiveDate) -> Result<usize, sqlx::Error> {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let (from, to) = (day(first - Duration::days(MAX_DAYS_APART)), day(last + Duration::days(MAX_DAYS_APART)));
    let rows = store::transactions::transfer_candidates(conn, user_id, &from, &to).await?;
    let epoch = NaiveDate::default();
    let candidates: Vec<Candidate> = rows
        .into_iter()
        .filter_map(|r| {
            let day = NaiveDate::parse_from_str(&r.post_date, "%Y-%m-%d").ok()?.signed_duration_since(epoch).num_days();
            let class = TransactionClass::parse(&r.class);
            Some(Candidate {
                merchant_purchase: class == TransactionClass::Payment
                    && r.category_source.as_deref().is_some_and(|s| MERCHANT_SOURCES.iter().any(|m| m.as_str() == s)),
                loan_account: LOAN_ACCOUNTS.contains(&r.class_type.as_str()),
                paired: r.transfer_id.is_some(),
                id: r.id,
                account: r.account_id,
                amount: r.amount,
                day,
                class,
            })
        })
        .collect();
    let pairs = pairing::pairs(&candidates);
    for p in &pairs {
        for (id, other, class) in [(&p.debit, &p.credit, p.debit_class.as_str()), (&p.credit, &p.debit, TransactionClass::Transfer.as_str())] {
            store::transactions::set_transfer(conn, id, other, class).await?;
        }
    }
    Ok(pairs.len())
}
