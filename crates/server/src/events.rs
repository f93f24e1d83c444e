//! 3.0's event feed and consents: what happened to a user's data, kept so an
//! application can ask (`GET /events`) instead of being told.
//!
//! Who writes what:
//! - the job worker, when a job ends: `connection.created` after a connection's first
//!   job, `connection.updated` after every later one (a refresh, whether the user's or
//!   the scheduler's, which runs through the worker; the connection's `status` in the
//!   event's data says whether it worked);
//! - removing a connection: `connection.deleted`;
//! - a user's first connection (through the widget or the API) gives a consent:
//!   `consent.created`; revoking it deletes the connections made under it and their
//!   data: `consent.revoked`, and `connection.deleted` for each.
//!
//! Events are kept [`KEPT_DAYS`] days, as Basiq's feed is.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::AnyConnection;

pub use crate::clock::stamp;
use crate::store;
use crate::store::consents::ConsentRow;
use crate::store::events::EventRow;

/// How long events are kept and listed.
pub const KEPT_DAYS: i64 = 7;

/// How long a consent lasts.
pub const CONSENT_DAYS: i64 = 365;

/// The kinds of event written, `entity.eventType`, with what each means.
pub const TYPES: &[(&str, &str)] = &[
    ("connection.created", "when a connection's first job has ended (its data is the connection)"),
    ("connection.updated", "when a later job of a connection has ended: a refresh, the user's or the scheduler's; the data's status says whether it worked"),
    ("connection.deleted", "when a connection is removed, by the user or by revoking the consent it was made under"),
    ("consent.created", "when a user first connects and so consents to share their data"),
    ("consent.revoked", "when a user's consent is revoked; the data it brought is deleted"),
];

/// Where events older than the feed keeps start, for listing.
pub fn since(now: DateTime<Utc>) -> String {
    stamp(now - Duration::days(KEPT_DAYS))
}

/// After a job of `c` ends: `connection.created` after its first job, else
/// `connection.updated`, with the connection as it is now (nothing when it is gone,
/// e.g. a refused first upload's, or has no user, a 1.0 connection).
pub async fn job_ended(state: &crate::AppState, c: &crate::store::connections::ConnRow) -> Result<(), sqlx::Error> {
    let Some(user) = &c.user_id else { return Ok(()) };
    let mut tx = crate::db::begin_write(&state.db).await?;
    let Some(now) = store::connections::lock_current(&mut tx, &c.id).await? else { return Ok(()) };
    let kind = if store::jobs::count_for_connection(&mut tx, &c.id).await? <= 1 { "connection.created" } else { "connection.updated" };
    let accounts = store::accounts::ids_for_connection(&mut tx, &c.id).await?;
    let data = crate::views::connection(&now, &accounts);
    record(&mut tx, &c.app_id, user, kind, format!("/users/{user}/connections/{}", c.id), &data, state.clock.now()).await?;
    tx.commit().await
}

/// Writes one event.
pub async fn record(
    conn: &mut AnyConnection,
    app_id: &str,
    user_id: &str,
    kind: &str,
    data_ref: String,
    data: &impl Serialize,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let (entity, event_type) = kind.split_once('.').unwrap_or((kind, ""));
    let row = EventRow {
        id: store::new_id(),
        app_id: app_id.into(),
        user_id: user_id.into(),
        entity: entity.into(),
        event_type: event_type.into(),
        data_ref,
        data: serde_json::to_string(data).unwrap_or_else(|_| "{}".into()),
        created: stamp(now),
    };
    store::events::prune(conn, app_id, &since(now)).await?;
    store::events::insert(conn, &row).await
}

/// The user's consent in force, made now if there is none (`origin`: `widget` for a
/// CLIENT_ACCESS token, the connect flow; `api` for the application's own calls).
pub async fn consent_for(conn: &mut AnyConnection, app_id: &str, user_id: &str, origin: &str, now: DateTime<Utc>) -> Result<ConsentRow, sqlx::Error> {
    if let Some(c) = store::consents::active(conn, app_id, user_id, &stamp(now)).await? {
        return Ok(c);
    }
    let c = ConsentRow {
        id: store::new_id(),
        app_id: app_id.into(),
        user_id: user_id.into(),
        origin: origin.into(),
        status: "active".into(),
        created: stamp(now),
        updated: stamp(now),
        expiry: stamp(now + Duration::days(CONSENT_DAYS)),
        revoked: None,
    };
    store::consents::insert(conn, &c).await?;
    record(conn, app_id, user_id, "consent.created", format!("/users/{user_id}/consents/{}", c.id), &consent_view(&c), now).await?;
    Ok(c)
}

/// Ties a new connection to the user's consent, giving one if none is in force.
/// `client`: the caller holds a CLIENT_ACCESS token, i.e. the user is in the widget.
pub async fn under_consent(conn: &mut AnyConnection, app_id: &str, user_id: &str, connection_id: &str, client: bool, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let consent = consent_for(conn, app_id, user_id, if client { "widget" } else { "api" }, now).await?;
    store::consents::attach(conn, connection_id, &consent.id).await
}

/// A consent as 3.0 writes it: what the connect flow asks the user to share, and why.
pub fn consent_view(c: &ConsentRow) -> tally_api::v3::Consent {
    let permission = |scope: &str, entity: &str, name: &str, description: &str, attributes: &[&str]| {
        json!({
            "scope": scope, "required": true, "consented": true, "entity": entity,
            "information": {"name": name, "description": description, "attributeList": attributes},
            "purpose": {"title": name, "description": description},
        })
    };
    tally_api::v3::Consent {
        kind: "consent".into(),
        id: c.id.clone(),
        created: c.created.clone(),
        updated: c.updated.clone(),
        expiry_date: c.expiry.clone(),
        origin: c.origin.clone(),
        status: c.status.clone(),
        purpose: json!({"primary": {"title": "See your spending", "description": "Your accounts and transactions are read to show your categorised spending."}, "other": Value::Null}),
        data: json!({
            "retainData": true,
            "initialRetrievalDays": 365,
            "organisation": Value::Null,
            "permissions": [
                permission("account.basic", "account", "Account name, type and balance", "Your list of accounts and their balances.", &["Name of account", "Type of account", "Account balance"]),
                permission("transaction.detail", "transaction", "Transaction details", "The transactions of your accounts, to categorise your spending.", &["Amounts", "Dates", "Descriptions of transactions"]),
            ],
        }),
        revoked: c.revoked.clone(),
        links: tally_api::Links { self_: Some(format!("/users/{}/consents/{}", c.user_id, c.id)), ..tally_api::Links::default() },
    }
}
