//! Wire types of `basiq-version: 3.0`, where its shape differs from 2.0's.
//!
//! Basiq's published 3.0 documents require fields 2.0 left optional or did not have
//! (`accountHolder`, `transactionIntervals`, `reference`, `currency`, `expiryDate`,
//! a user's names, lists' `links` and `size`) and change two types: an account's
//! `class` is a string (2.0: `{type, product}`), and text fields are `""` rather than
//! `null` where the document says `string`. Everything else (money as decimal strings,
//! the vocabulary in [`crate::vocab`], error objects, references) is shared with 2.0,
//! so these types reuse the 2.0 ones wherever the shapes agree. A server picks 2.0's or
//! 3.0's type from the token's version; the data behind them is the same.

use serde::{Deserialize, Serialize};

use crate::{ConnectionStatus, Direction, Links, ResourceRef, Step, SubClass, TransactionClass, TransactionStatus};

/// A user (3.0): names and contact details are `""` when not given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Always `user`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The user's id.
    pub id: String,
    /// Email address; `""` when none.
    pub email: String,
    /// Mobile number; `""` when none.
    pub mobile: String,
    /// First, middle and last names joined; `""` when none.
    pub name: String,
    /// First name; `""` when none.
    pub first_name: String,
    /// Middle name; `""` when none.
    pub middle_name: String,
    /// Last name; `""` when none.
    pub last_name: String,
    /// References to the user's connections.
    pub connections: crate::List<ResourceRef>,
    /// References to the user's accounts.
    pub accounts: crate::List<ResourceRef>,
    /// `self`, `accounts`, `connections`, `transactions`.
    pub links: Links,
}

/// The dates between which an account's transactions are held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionInterval {
    /// First day held (`YYYY-MM-DD`).
    pub from: String,
    /// Last day held (`YYYY-MM-DD`).
    pub to: String,
}

/// An account (3.0): `class` is a string; the product name is in `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Always `account`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The account's id.
    pub id: String,
    /// BSB and number, or a masked card number.
    pub account_no: String,
    /// Account name.
    pub name: String,
    /// The account holder's name as the institution gives it; null when unknown.
    pub account_holder: Option<String>,
    /// Whether the user owns the account (Tally holds only the user's own accounts).
    pub is_owned: bool,
    /// `UNKNOWN` unless the institution says (Tally's sources do not).
    pub account_ownership: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Balance, a decimal string.
    pub balance: Option<String>,
    /// Available funds, a decimal string.
    pub available_funds: Option<String>,
    /// Credit limit; null when the institution gives none.
    pub credit_limit: Option<String>,
    /// transaction | savings | credit-card | mortgage | loan | investment | term-deposit | insurance | foreign | unknown
    pub class: String,
    /// available | unavailable
    pub status: String,
    /// When last refreshed (RFC 3339 UTC).
    pub last_updated: String,
    /// The connection's id.
    pub connection: String,
    /// The institution's id.
    pub institution: String,
    /// The span of transactions held; empty when none are.
    pub transaction_intervals: Vec<TransactionInterval>,
    /// `self`, `transactions`, `connection`, `institution`.
    pub links: Links,
}

/// Where the categoriser's answer came from, and the ANZSIC class behind it (3.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EnrichCategory {
    /// Tally's category slug, e.g. `groceries` (as on 2.0).
    pub id: String,
    /// The category's title (as on 2.0).
    pub title: String,
    /// very-high | high | medium | low (as on 2.0).
    pub confidence: String,
    /// Which source decided (as on 2.0).
    pub source: String,
    /// merchantFull | merchantPartial | mcc | ml | none
    pub match_type: String,
    /// The ANZSIC subclass of the category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anzsic: Option<Anzsic>,
}

/// `{subclass: {code, title}}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Anzsic {
    /// The ANZSIC subclass.
    pub subclass: SubClass,
}

/// A merchant (3.0 requires every field; Tally knows the name, the rest is `""`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Merchant {
    /// Tally's merchant key.
    pub id: String,
    /// The merchant's name.
    #[serde(rename = "businessName")]
    pub business_name: String,
    /// Australian Business Number; `""` when unknown.
    #[serde(rename = "ABN")]
    pub abn: String,
    /// Logo URL; `""` when none.
    #[serde(rename = "logoMaster")]
    pub logo_master: String,
    /// Small logo URL; `""` when none.
    #[serde(rename = "logoThumb")]
    pub logo_thumb: String,
    /// Web site; `""` when unknown.
    pub website: String,
}

/// `enrich` (3.0): every key present, null when unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Enrich {
    /// The description without bank noise (Tally: the description as given).
    pub clean_description: String,
    /// Tags (Tally adds none).
    pub tags: Vec<String>,
    /// Where it happened; null (Tally has no location source).
    pub location: Option<serde_json::Value>,
    /// The merchant; null when none was recognised.
    pub merchant: Option<Merchant>,
    /// The category; null when uncategorised.
    pub category: Option<EnrichCategory>,
}

/// A transaction (3.0): `reference`, `currency`, `subClass` and `enrich` always present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// Always `transaction`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The transaction's id.
    pub id: String,
    /// pending | posted
    pub status: TransactionStatus,
    /// The description as the institution gives it.
    pub description: String,
    /// The institution's reference; `""` when none.
    pub reference: String,
    /// Signed amount, a decimal string.
    pub amount: String,
    /// The account's currency.
    pub currency: String,
    /// The account's id.
    pub account: String,
    /// Balance after it, a decimal string; absent when the institution gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<String>,
    /// debit | credit
    pub direction: Direction,
    /// payment | transfer | bank-fee | …
    pub class: TransactionClass,
    /// The institution's id.
    pub institution: String,
    /// The connection's id.
    pub connection: String,
    /// When it happened (RFC 3339); `""` when unknown.
    pub transaction_date: String,
    /// When it posted (RFC 3339); `""` while pending.
    pub post_date: String,
    /// ANZSIC subclass; `{}` when unknown.
    pub sub_class: SubClass3,
    /// What the categoriser found.
    pub enrich: Enrich,
    /// `self`, `account`, `institution`, `connection`.
    pub links: Links,
}

/// `subClass` (3.0): both fields optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubClass3 {
    /// ANZSIC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// ANZSIC title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A connection (3.0): `method` is Basiq's connector method, with `expiryDate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// Always `connection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The connection's id.
    pub id: String,
    /// `web` (a bank login, refreshed by Tally) or `csv` (uploaded statements).
    pub method: String,
    /// active | pending | invalid
    pub status: ConnectionStatus,
    /// When created (RFC 3339 UTC).
    pub created_date: String,
    /// When the user's consent for it ends (RFC 3339 UTC).
    pub expiry_date: String,
    /// When the institution last accepted its credentials; absent until it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
    /// Whether the institution asks this login for multi-factor authentication
    /// (Tally's, as on 2.0).
    pub mfa_enabled: bool,
    /// When its data was last refreshed (Tally's, as on 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_refreshed: Option<String>,
    /// When the scheduler will refresh it next (Tally's, as on 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_scheduled_refresh: Option<String>,
    /// The institution, with `links.self`.
    pub institution: ResourceRef,
    /// Its accounts, summarised.
    pub accounts: ConnectionAccounts,
    /// `self`, `institution`, `accounts`, `transactions`, `user`.
    pub links: Links,
}

/// A connection's accounts (3.0): `{type: "list", data}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionAccounts {
    /// Always `list`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The accounts.
    pub data: Vec<ConnectionAccount>,
}

/// An account as a connection lists it (3.0): `class` is `{type, product}` here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionAccount {
    /// Always `account`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The account's id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Type and product.
    pub class: crate::AccountClass,
    /// BSB and number, or a masked card number.
    pub account_no: String,
    /// Available funds, a decimal string.
    pub available_funds: Option<String>,
    /// Balance, a decimal string.
    pub balance: Option<String>,
    /// When last refreshed (RFC 3339 UTC).
    pub last_updated: String,
    /// available | unavailable
    pub status: String,
    /// `self`, `transactions`.
    pub links: Links,
}

/// A job as listed (3.0): with its `institution`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// Always `job`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The job's id.
    pub id: String,
    /// When created (RFC 3339 UTC).
    pub created: String,
    /// When last changed (RFC 3339 UTC).
    pub updated: String,
    /// The institution the job works with.
    pub institution: ResourceRef,
    /// Its steps; a step without a result has `result: {}` (3.0 requires an object).
    pub steps: Vec<Step>,
    /// `self` and `source` (the connection).
    pub links: Links,
}

/// What happened to a user's data, kept for `GET /events` (3.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event<D> {
    /// Always `event`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The event's id.
    pub id: String,
    /// When it happened (RFC 3339 UTC).
    pub created_date: String,
    /// connection | consent
    pub entity: String,
    /// created | updated | deleted | revoked
    pub event_type: String,
    /// The user it concerns.
    pub user_id: String,
    /// The resource it concerns, a path.
    pub data_ref: String,
    /// The resource as it was: JSON text in a list, the object on its own.
    pub data: D,
    /// `self` (`/events/{id}`).
    pub links: Links,
}

/// A kind of event (`GET /events/types`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventType {
    /// Always `type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `entity.eventType`, e.g. `connection.created`.
    pub id: String,
    /// What it means.
    pub description: String,
    /// `self`.
    pub links: Links,
}

/// A consent the user gave (3.0): what it lets the application read, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    /// Always `consent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The consent's id.
    pub id: String,
    /// When given (RFC 3339 UTC).
    pub created: String,
    /// When last changed (RFC 3339 UTC).
    pub updated: String,
    /// When it ends (RFC 3339 UTC).
    pub expiry_date: String,
    /// Where it was given: `widget` (the connect flow) or `api`.
    pub origin: String,
    /// active | revoked | expired
    pub status: String,
    /// Why the data is read.
    pub purpose: serde_json::Value,
    /// What may be read and for how long it is kept.
    pub data: serde_json::Value,
    /// When revoked; absent while active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<String>,
    /// `self`.
    pub links: Links,
}

/// A way to connect to an institution (3.0's `connector`): Tally's institutions, one
/// connector per method (`web` for a bank login, `csv` for statement uploads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connector {
    /// Always `connector`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The institution's id.
    pub id: String,
    /// web | csv
    pub method: String,
    /// live | beta | alpha
    pub stage: String,
    /// operational | degraded-performance | …
    pub status: String,
    /// The institution.
    pub institution: ConnectorInstitution,
    /// CDR scopes (Tally connects without CDR: none).
    pub scopes: Vec<String>,
    /// How the user signs in.
    pub authorization: ConnectorAuthorization,
    /// How long a connection's steps take.
    pub stats: crate::InstitutionStats,
    /// `self`.
    pub links: Links,
}

/// The institution behind a connector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectorInstitution {
    /// Bank | Credit Union | Test Bank | …
    #[serde(rename = "type")]
    pub kind: String,
    /// Full name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// 1 to 4.
    pub tier: String,
    /// Country name.
    pub country: String,
    /// Logo.
    pub logo: crate::Logo,
}

/// How a connector's user signs in, with the captions of the login form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectorAuthorization {
    /// user | user-mfa | other
    #[serde(rename = "type")]
    pub kind: String,
    /// The login form's captions.
    pub meta: serde_json::Value,
}
