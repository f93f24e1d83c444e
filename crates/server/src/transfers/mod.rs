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

/// Sources that tie a debit to a merchant: a purchase, never a transfer.
const MERCHANT_SOURCES: [Source; 3] = [Source::Correction, Source::Directory, Source::Mcc];

/// Account classes money is paid into to repay a loan.
const LOAN_ACCOUNTS: [&str; 2] = ["mortgage", "loan"];

type Row = (String, String, i64, String, String, Option<String>, Option<String>, String);

/// Pairs `user_id`'s posted transactions around the posted dates `first..=last`;
/// returns how many new pairs were marked.
pub async fn rematch(conn: &mut AnyConnection, user_id: &str, first: NaiveDate, last: NaiveDate) -> Result<usize, sqlx::Error> {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let (from, to) = (day(first - Duration::days(MAX_DAYS_APART)), day(last + Duration::days(MAX_DAYS_APART)));
    // Unmark a side whose partner is gone (its connection was removed), so it can pair again.
    sqlx::query(
        "UPDATE transactions SET transfer_id = NULL WHERE user_id = $1 AND transfer_id IS NOT NULL AND post_date >= $2 AND post_date <= $3 \
         AND NOT EXISTS (SELECT 1 FROM transactions o WHERE o.id = transactions.transfer_id)",
    )
    .bind(user_id)
    .bind(&from)
    .bind(&to)
    .execute(&mut *conn)
    .await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.account_id, t.amount, t.post_date, t.class, t.category_source, t.transfer_id, a.class_type \
         FROM transactions t JOIN accounts a ON a.id = t.account_id \
         WHERE t.user_id = $1 AND t.status = 'posted' AND t.post_date >= $2 AND t.post_date <= $3",
    )
    .bind(user_id)
    .bind(&from)
    .bind(&to)
    .fetch_all(&mut *conn)
    .await?;
    let epoch = NaiveDate::default();
    let candidates: Vec<Candidate> = rows
        .iter()
        .filter_map(|(id, account, amount, post_date, class, source, transfer_id, account_class)| {
            let day = NaiveDate::parse_from_str(post_date, "%Y-%m-%d").ok()?.signed_duration_since(epoch).num_days();
            let class = TransactionClass::parse(class);
            Some(Candidate {
                id: id.clone(),
                account: account.clone(),
                amount: *amount,
                day,
                merchant_purchase: class == TransactionClass::Payment && source.as_deref().is_some_and(|s| MERCHANT_SOURCES.iter().any(|m| m.as_str() == s)),
                class,
                loan_account: LOAN_ACCOUNTS.contains(&account_class.as_str()),
                paired: transfer_id.is_some(),
            })
        })
        .collect();
    let pairs = pairing::pairs(&candidates);
    for p in &pairs {
        for (id, other, class) in [(&p.debit, &p.credit, p.debit_class.as_str()), (&p.credit, &p.debit, TransactionClass::Transfer.as_str())] {
            sqlx::query("UPDATE transactions SET transfer_id = $1, class = $2 WHERE id = $3").bind(other).bind(class).bind(id).execute(&mut *conn).await?;
        }
    }
    Ok(pairs.len())
}
