//! Wire types of the Connect API v2 contract (field names exactly as existing clients
//! expect them: camelCase, money as decimal strings, `type` tags on every resource).

use serde::{Deserialize, Serialize};

/// `{"type":"list","data":[…]}` with the optional paging fields of transaction lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List<T> {
    /// Always `list`.
    #[serde(rename = "type")]
    pub kind: String,
    /// How many items `data` holds (on a paged list: on this page); may be absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// How many items match in all, across every page; set on paged transaction lists only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The items (on a paged list: one page of them).
    pub data: Vec<T>,
    /// `self`, plus `next` while more pages follow; absent on unpaged lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List::of(Vec::new())
    }
}

impl<T> List<T> {
    /// An unpaged list of everything at `self_link`, with its `count` and `size`.
    pub fn all(data: Vec<T>, self_link: String) -> Self {
        let n = data.len() as u64;
        List { kind: "list".into(), count: Some(n), size: Some(n), data, links: Some(Links { self_: Some(self_link), ..Links::default() }) }
    }

    /// A plain list without paging information.
    pub fn of(data: Vec<T>) -> Self {
        List { kind: "list".into(), count: None, size: None, data, links: None }
    }
}

/// The `links` object: `self` plus whatever related resources a resource points at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    /// This resource's own URL path, e.g. `/users/{id}` (wire name `self`).
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    /// Next page of a paged list; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// On a connection: its user, `/users/{id}`; absent for a 1.0 connection without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The accounts under this resource (a list URL, possibly with a `filter`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<String>,
    /// The transactions under this resource (a list URL, possibly with a `filter`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<String>,
    /// On a job: the connection the job works on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The institution, `/institutions/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    /// On a transaction: the account it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// On an account: the connection it was retrieved through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    /// URL of a logo image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// On a transaction moving money between two of the user's own accounts: the
    /// other side, `/users/{id}/transactions/{id}`. Such a transaction is neither
    /// spending nor income (see [`crate::spending`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<String>,
    /// On a user (3.0): their connections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections: Option<String>,
    /// On a user (3.0): where Basiq's hosted consent page would be; Tally answers
    /// there that its own widget does this (see the README).
    #[serde(rename = "auth_link", default, skip_serializing_if = "Option::is_none")]
    pub auth_link: Option<String>,
}

/// `POST /token` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// The bearer token to send as `Authorization: Bearer <token>` on later calls.
    pub access_token: String,
    /// Seconds until the token expires (e.g. `3600`).
    pub expires_in: u64,
    /// Always `Bearer`.
    pub token_type: String,
}

/// What a host backend's `token-url` returns to the widget: a CLIENT_ACCESS token bound
/// to the signed-in user, plus that user's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientToken {
    /// A CLIENT_ACCESS bearer token; it reaches only `user_id`'s data.
    pub access_token: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    /// Id of the user the token is bound to.
    pub user_id: String,
}

/// One error of the contract's error list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorItem {
    /// Always `error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Machine-readable error code, e.g. `parameter-not-valid`, `resource-not-found`, `access-denied`.
    pub code: String,
    /// Short human-readable summary of the kind of error.
    pub title: String,
    /// Human-readable explanation of this occurrence, e.g. which value was wrong.
    pub detail: String,
    /// The part of the request at fault; absent when the error is not tied to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ErrorSource>,
}

/// Where in the request an error was found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorSource {
    /// JSON Pointer into the request body (e.g. `/` for the whole body); absent when the body is not at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Name of the query parameter at fault, e.g. `filter`; absent when no parameter is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// The body of every 4xx/5xx answer:
/// `{"type":"list","correlationId":"…","data":[{"type":"error",…}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Always `list`.
    #[serde(rename = "type")]
    pub kind: String,
    /// UUID of this request, to quote when reporting a problem (wire name `correlationId`).
    #[serde(rename = "correlationId")]
    pub correlation_id: String,
    /// The errors, usually one.
    pub data: Vec<ErrorItem>,
}

/// Logo links of an institution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Logo {
    /// Resource type tag, `image`; empty when the server sends none.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// URLs of the logo images.
    pub links: LogoLinks,
}

/// URLs of an institution's logo images.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoLinks {
    /// URL of the full-size logo.
    pub full: String,
    /// URL of the square logo (for icons).
    pub square: String,
}

/// Average step durations the institution has shown, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AverageDurationMs {
    /// The `verify-credentials` step, in milliseconds.
    pub verify_credentials: u64,
    /// The `retrieve-accounts` step, in milliseconds.
    pub retrieve_accounts: u64,
    /// The `retrieve-transactions` step, in milliseconds.
    pub retrieve_transactions: u64,
    /// A whole connection job, in milliseconds.
    pub total: u64,
}

/// Connection statistics of an institution (its `stats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstitutionStats {
    /// Average step durations, in milliseconds (wire name `averageDurationMs`).
    pub average_duration_ms: AverageDurationMs,
}

/// An institution (bank) a user can connect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Institution {
    /// Always `institution`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Institution id, e.g. `AU00000` (the sandbox bank Hooli).
    pub id: String,
    /// Full display name, e.g. `Pied Piper Bank`.
    pub name: String,
    /// Short display name, e.g. `Pied Piper`.
    pub short_name: String,
    /// Kind of institution, e.g. `Bank`.
    pub institution_type: String,
    /// Country the institution serves, e.g. `Australia`.
    pub country: String,
    /// Label for the login-id input of a connect form, e.g. `Login ID`.
    pub login_id_caption: String,
    /// Label for the password input of a connect form, e.g. `Password`.
    pub password_caption: String,
    /// Label for the security-code input; absent when the institution asks for no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code_caption: Option<String>,
    /// Label for the secondary login-id input; absent when the institution needs none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_login_id_caption: Option<String>,
    /// "1".."4", a string on the wire.
    pub tier: String,
    /// `user` or `user-mfa`.
    pub authorization: String,
    /// `live` or `beta`.
    pub stage: String,
    /// operational | degraded-performance | major-outage | under-maintenance
    pub status: String,
    /// The institution's logo.
    pub logo: Logo,
    /// How long connecting to it usually takes; zeros when the server sends none.
    #[serde(default)]
    pub stats: InstitutionStats,
    /// How a user can bring this institution's data in: `login` (sign in to the
    /// bank through a connector) and/or `statement` (upload an exported file with
    /// `POST /users/{id}/statements`). Absent from older servers: then `login`.
    #[serde(default = "ConnectMethod::login_only")]
    pub methods: Vec<ConnectMethod>,
    /// `self`, `/institutions/{id}`.
    #[serde(default)]
    pub links: Links,
}

/// A way of bringing an institution's data in (Tally extension; Basiq 3.0's connector
/// `method` has `web`, `openbanking`, `csv`, `pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ConnectMethod {
    /// The user signs in to the bank; a connector fetches the data, and refreshes it
    /// (3.0 calls it `web`).
    #[serde(alias = "web")]
    Login,
    /// The user uploads the bank's statement export (OFX/QFX, QIF or CSV); nothing is
    /// re-fetched later (3.0 calls it `csv`).
    #[serde(alias = "csv")]
    Statement,
    /// A word from a newer server this client does not know.
    #[serde(other)]
    Unknown,
}

impl ConnectMethod {
    /// `login`, the default of a connection.
    pub fn login() -> ConnectMethod {
        ConnectMethod::Login
    }

    /// The default for institutions from servers that do not say: sign in only.
    pub fn login_only() -> Vec<ConnectMethod> {
        vec![ConnectMethod::Login]
    }

    /// The contract's word.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectMethod::Login => "login",
            ConnectMethod::Statement => "statement",
            ConnectMethod::Unknown => "unknown",
        }
    }
}

impl Institution {
    /// Whether a user can sign in to it (a live connector).
    pub fn has_login(&self) -> bool {
        self.methods.contains(&ConnectMethod::Login)
    }

    /// Whether it takes uploaded statements.
    pub fn takes_statements(&self) -> bool {
        self.methods.contains(&ConnectMethod::Statement)
    }
}

impl Institution {
    /// True when the institution works but slower or less reliably than usual.
    pub fn is_degraded(&self) -> bool {
        self.status != "operational"
    }
}

/// A reference to another resource: `{"type":"institution","id":"AU00000","links":{…}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceRef {
    /// Type of the referenced resource, e.g. `institution`, `connection`, `account`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Id of the referenced resource.
    pub id: String,
    /// `self` link of the referenced resource; absent when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

/// A user of an application (2.0 API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Always `user`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The user's id, used in every `/users/{id}/…` path.
    pub id: String,
    /// The user's email address; null when none was given.
    #[serde(default)]
    pub email: Option<String>,
    /// The user's mobile phone number; null when none was given.
    #[serde(default)]
    pub mobile: Option<String>,
    /// References to the user's connections; may be absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections: Option<List<ResourceRef>>,
    /// References to the user's accounts; may be absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<List<ResourceRef>>,
    /// `self`, plus the user's `accounts` and `transactions` lists.
    #[serde(default)]
    pub links: Links,
}

/// `POST /users` and `POST /users/{id}` body: at least one of email or mobile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    /// Email address; at least one of `email` and `mobile` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile phone number; at least one of `email` and `mobile` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// First name (shown on 3.0).
    #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Middle name (shown on 3.0).
    #[serde(rename = "middleName", default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Last name (shown on 3.0).
    #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// `POST /users/{id}/link` body item (migration of 1.0 connections).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkConnection {
    /// Id of an existing 1.0 connection to attach to the user (wire name `connectionId`).
    pub connection_id: String,
}

/// `POST /users/{id}/connections` body. Credentials go in, never come out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewConnection {
    /// The user's login id at the institution.
    pub login_id: String,
    /// The user's password at the institution; never returned by the API.
    pub password: String,
    /// Extra security code, for institutions that show a `securityCodeCaption`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code: Option<String>,
    /// Secondary login id, for institutions that show a `secondaryLoginIdCaption`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_login_id: Option<String>,
    /// The institution to connect to.
    pub institution: InstitutionId,
}

/// `{"id":"AU00000"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionId {
    /// Institution id, e.g. `AU00000`.
    pub id: String,
}

/// A connection between a user and an institution. Never carries credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// Always `connection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The connection's id.
    pub id: String,
    /// pending | active | invalid
    pub status: crate::ConnectionStatus,
    /// When the connection was created: an RFC 3339 UTC timestamp, e.g. `2024-03-10T09:30:00Z`.
    pub created_date: String,
    /// When the institution last accepted its credentials (RFC 3339 UTC); null until it first has.
    #[serde(default)]
    pub last_used: Option<String>,
    /// Whether the institution asks this login for multi-factor authentication; false when absent.
    #[serde(default)]
    pub mfa_enabled: bool,
    /// The institution it connects to (`type` `institution`).
    pub institution: ResourceRef,
    /// How its data came in: `login` (refreshed from the bank) or `statement`
    /// (uploaded files; refresh and the scheduler skip it). `login` when absent.
    #[serde(default = "ConnectMethod::login")]
    pub method: ConnectMethod,
    /// References to the accounts retrieved through it; null when not given.
    #[serde(default)]
    pub accounts: Option<List<ResourceRef>>,
    /// When the stored data was last refreshed from the institution (Tally extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_refreshed: Option<String>,
    /// When the scheduler will next refresh it (Tally extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_scheduled_refresh: Option<String>,
    /// `self`, `user`, and its `accounts` and `transactions` lists.
    #[serde(default)]
    pub links: Links,
}

/// One step of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// verify-credentials | retrieve-accounts | retrieve-transactions | mfa-challenge
    pub title: crate::StepTitle,
    /// pending | in-progress | success | failed
    pub status: crate::StepStatus,
    /// A link on success, an error `{code,title,detail}` on failure, an MFA challenge
    /// while `mfa-challenge` is in progress; null otherwise.
    #[serde(default)]
    pub result: Option<serde_json::Value>,
}

/// An asynchronous job (connect, refresh, update credentials).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    /// Always `job`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The job's id, for `GET /jobs/{id}`.
    pub id: String,
    /// When the job was created (RFC 3339 UTC); absent from servers that omit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When the job last changed (RFC 3339 UTC); absent from servers that omit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Its steps in the order they run; empty when none were sent.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// What started the job: `user` (an API call) or `scheduled` (the scheduler's
    /// background refresh). A Tally extension; absent from older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// `self` (`/jobs/{id}`) and `source` (the connection the job works on).
    #[serde(default)]
    pub links: Links,
}

impl Step {
    /// What its `result` says.
    pub fn outcome(&self) -> crate::StepResult {
        crate::StepResult::read(&self.status, self.result.as_ref())
    }
}

impl Job {
    /// A job is over when a step failed or every step succeeded.
    pub fn is_finished(&self) -> bool {
        self.failed_step().is_some() || (!self.steps.is_empty() && self.steps.iter().all(|s| s.status == crate::StepStatus::Success))
    }

    /// The step that failed (the first failure ends a job), if any.
    pub fn failed_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == crate::StepStatus::Failed)
    }

    /// Why the job failed, if it did; a failed step without a readable result is
    /// `unknown`.
    pub fn failure(&self) -> Option<crate::StepFailure> {
        let step = self.failed_step()?;
        Some(match step.outcome() {
            crate::StepResult::Failed(f) => f,
            _ => crate::StepFailure::new("unknown", "", ""),
        })
    }

    /// The open multi-factor challenge, if the job waits for an answer.
    pub fn mfa_challenge(&self) -> Option<crate::MfaChallenge> {
        self.steps.iter().find(|s| s.title == crate::StepTitle::MfaChallenge && s.status == crate::StepStatus::InProgress).and_then(|s| match s.outcome() {
            crate::StepResult::Mfa(m) => Some(m),
            _ => None,
        })
    }
}

/// `class` of an account: `{"type":"transaction","product":"Everyday Account"}`. Read
/// from 3.0's plain `"transaction"` too (no product then), so one type serves both.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountClass {
    /// Account class, e.g. `transaction`, `savings`, `credit-card`, `mortgage`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The institution's product name, e.g. `Hooli NetSaver`.
    pub product: String,
}

impl<'de> Deserialize<'de> for AccountClass {
    /// A visitor rather than `#[serde(untagged)]`, which buffers the value first and
    /// costs the widget's wasm more.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = AccountClass;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an account class: a word or {type, product}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AccountClass, E> {
                Ok(AccountClass { kind: v.to_string(), product: String::new() })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<AccountClass, A::Error> {
                let mut class = AccountClass::default();
                let mut kind = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "type" => kind = Some(map.next_value()?),
                        "product" => class.product = map.next_value()?,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                class.kind = kind.ok_or_else(|| serde::de::Error::missing_field("type"))?;
                Ok(class)
            }
        }
        d.deserialize_any(Either)
    }
}

#[cfg(test)]
mod account_class_tests {
    use super::AccountClass;

    #[test]
    fn an_account_class_reads_from_3_0s_word_and_2_0s_pair() {
        let word: AccountClass = serde_json::from_str("\"savings\"").unwrap();
        assert_eq!((word.kind.as_str(), word.product.as_str()), ("savings", ""));
        let pair: AccountClass = serde_json::from_str(r#"{"type":"savings","product":"NetSaver","x":1}"#).unwrap();
        assert_eq!((pair.kind.as_str(), pair.product.as_str()), ("savings", "NetSaver"));
        assert!(serde_json::from_str::<AccountClass>(r#"{"product":"NetSaver"}"#).is_err());
        assert!(serde_json::from_str::<AccountClass>("7").is_err());
    }

    #[test]
    fn a_pending_transactions_empty_3_0_post_date_reads_as_none() {
        let t = serde_json::json!({"type": "transaction", "id": "t", "status": "pending", "description": "x", "amount": "-1.00",
            "direction": "debit", "class": "payment", "account": "a", "institution": "i", "connection": "c",
            "transactionDate": "2024-01-02", "postDate": ""});
        let t: super::Transaction = serde_json::from_value(t).unwrap();
        assert_eq!((t.post_date, t.transaction_date.as_deref()), (None, Some("2024-01-02")));
    }
}

/// Text that 3.0 writes as `""` where 2.0 writes null: both read as `None`.
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

/// A bank account. Money is a decimal string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Always `account`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The account's id.
    pub id: String,
    /// Account number as the institution shows it (BSB and number, or a masked card number).
    pub account_no: String,
    /// Account name, e.g. `Everyday Account`.
    pub name: String,
    /// ISO 4217 currency code, e.g. `AUD`.
    pub currency: String,
    /// Current balance as a decimal string, e.g. `1520.75`.
    pub balance: String,
    /// Money that can be spent now (including any unused credit limit), as a decimal string.
    pub available_funds: String,
    /// Account class and product name.
    pub class: AccountClass,
    /// Account status, e.g. `available`.
    pub status: String,
    /// When the account's data was last retrieved from the institution (RFC 3339 UTC).
    pub last_updated: String,
    /// Id of the connection the account was retrieved through.
    pub connection: String,
    /// Id of the account's institution, e.g. `AU00000`.
    pub institution: String,
    /// `self`, its `transactions`, its `connection` and its `institution`.
    #[serde(default)]
    pub links: Links,
}

/// ANZSIC classification of a transaction: `{"code":"451","title":"Cafes, …"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubClass {
    /// ANZSIC group code, e.g. `451` (3.0 may send `{}`: empty then).
    #[serde(default)]
    pub code: String,
    /// ANZSIC group title, e.g. `Cafes, Restaurants and Takeaway Food Services`.
    #[serde(default)]
    pub title: String,
}

/// The enrichment block: category (Tally slug + title + how sure), merchant, location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrich {
    /// The spending category; null when the transaction is not categorised.
    #[serde(default)]
    pub category: Option<EnrichCategory>,
    /// The merchant; null when none was recognised.
    #[serde(default)]
    pub merchant: Option<EnrichMerchant>,
    /// The merchant's location as free-form JSON; null when unknown (this server sends none).
    #[serde(default)]
    pub location: Option<serde_json::Value>,
}

/// The spending category of a transaction, and who decided it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrichCategory {
    /// Slug from tally-classify's taxonomy, e.g. `groceries`.
    pub id: String,
    /// Human-readable category name, e.g. `Groceries`.
    pub title: String,
    /// very-high | high | medium | low
    #[serde(default)]
    pub confidence: String,
    /// Which source decided: user | directory | mcc | structure | model
    #[serde(default)]
    pub source: String,
}

/// The merchant of a transaction, as recognised from its description.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrichMerchant {
    /// The merchant's business name, e.g. `WOOLWORTHS` (wire name `businessName`).
    #[serde(rename = "businessName")]
    pub business_name: String,
}

/// A transaction. `amount` is a decimal string, negative for money out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// Always `transaction`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The transaction's id; a pending transaction gets a new id on each refresh, a posted one keeps its id.
    pub id: String,
    /// pending | posted
    pub status: crate::TransactionStatus,
    /// Description as the institution shows it, e.g. on the statement.
    pub description: String,
    /// Decimal string, negative for money out, e.g. `-4.50`.
    pub amount: String,
    /// debit | credit
    pub direction: crate::Direction,
    /// Transaction class: `payment`, `transfer`, `bank-fee`, `cash-withdrawal`, `interest`,
    /// `direct-credit`, `refund`, `loan-interest` or `loan-repayment`.
    pub class: crate::TransactionClass,
    /// Id of the account it belongs to.
    pub account: String,
    /// Id of the account's institution.
    pub institution: String,
    /// Id of the connection it was retrieved through.
    pub connection: String,
    /// Account balance after the transaction, as a decimal string; null when unknown (e.g. while pending).
    #[serde(default)]
    pub balance: Option<String>,
    /// Date the transaction was made, `YYYY-MM-DD`; null when unknown (3.0's `""` reads
    /// as null too).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub transaction_date: Option<String>,
    /// Date the institution posted it, `YYYY-MM-DD`; null while pending (3.0 writes `""`,
    /// which reads as null too).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub post_date: Option<String>,
    /// ANZSIC classification; null when unknown.
    #[serde(default)]
    pub sub_class: Option<SubClass>,
    /// Category and merchant; null when neither is known.
    #[serde(default)]
    pub enrich: Option<Enrich>,
    /// `self`, its `account` and its `institution`.
    #[serde(default)]
    pub links: Links,
}

/// `POST /users/{id}/connections/{cid}` body: new credentials for an existing
/// connection (e.g. after the user changed their password). Every field is optional;
/// what is given replaces what was stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateConnection {
    /// New login id; absent keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    /// New password; absent keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// New security code; absent keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code: Option<String>,
    /// New secondary login id; absent keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_login_id: Option<String>,
}

/// `POST /jobs/{id}/mfa` body: the answers to an `mfa-challenge` step, in the order
/// of the challenge's `input` list (one OTP, or one answer per security question).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaResponse {
    /// The answers, e.g. `["1234"]` for an OTP (wire name `mfa-response`).
    #[serde(rename = "mfa-response")]
    pub mfa_response: Vec<String>,
}

/// `PUT /users/{id}/transactions/{txid}/category` body: the category slug the user
/// says is right. It also applies to that user's later transactions of the merchant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCorrection {
    /// Category slug from tally-classify's taxonomy, e.g. `groceries`.
    pub category: String,
}

/// `POST /users/{id}/expenses` body: months as `YYYY-MM`, inclusive; optionally only
/// some accounts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExpensesRequest {
    /// First month of the range, `YYYY-MM`.
    pub from_month: String,
    /// Last month of the range, `YYYY-MM` (included).
    pub to_month: String,
    /// Ids of the accounts to count; absent means all the user's accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Vec<String>>,
}

/// An expenses summary (`POST /users/{id}/expenses`, `GET /users/{id}/expenses/{snapshotId}`).
/// Money is a decimal string with two places, spending counted positive; categories sit
/// under their expense division in `payments`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Expenses {
    /// Always `expenses`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The snapshot's id, for `GET /users/{id}/expenses/{snapshotId}`.
    pub id: String,
    /// First month, `YYYY-MM`.
    pub from_month: String,
    /// Last month, `YYYY-MM`.
    pub to_month: String,
    /// Months in the range, both ends included.
    pub months: u32,
    /// All category spending.
    pub total: String,
    /// `total` over the months.
    pub average_monthly: String,
    /// Spending by expense division, largest first.
    pub payments: Vec<ExpenseDivision>,
    /// Money taken out as cash.
    pub cash_withdrawals: ExpenseGroup,
    /// Fees the bank charged.
    pub bank_fees: ExpenseGroup,
    /// Interest paid on loans.
    pub loan_interests: ExpenseGroup,
    /// Loan repayments.
    pub loan_repayments: ExpenseGroup,
    /// Money transferred out to other people.
    pub external_transfers: ExpenseGroup,
    /// Money moved out to the user's own accounts (the credit card, savings, a loan's
    /// credit side): not in `total` nor any group above; said so that a reader knows
    /// what was left out.
    #[serde(default)]
    pub own_transfers: ExpenseGroup,
    /// `self`.
    #[serde(default)]
    pub links: Links,
}

/// One expense division ("Transport") and the categories in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExpenseDivision {
    /// Its name.
    pub division: String,
    /// Spending in it over the range.
    pub total: String,
    /// `total` over the months.
    pub average_monthly: String,
    /// Share of all category spending, percent.
    pub percentage_total: f64,
    /// Its categories, largest first.
    pub sub_category: Vec<ExpenseCategory>,
}

/// Spending in one category of a division.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExpenseCategory {
    /// The category's slug (`groceries`).
    pub category: String,
    /// Its title.
    pub title: String,
    /// Its ANZSIC group.
    pub sub_class: SubClass,
    /// Spending in it over the range.
    pub total: String,
    /// `total` over the months.
    pub average_monthly: String,
    /// Share of all category spending, percent.
    pub percentage_total: f64,
    /// Every month of the range, in order.
    pub history: Vec<MonthlyAmount>,
}

/// Money that is not category spending (cash, fees, loans, transfers out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExpenseGroup {
    /// Over the range.
    pub total: String,
    /// `total` over the months.
    pub average_monthly: String,
    /// Every month of the range, in order.
    pub history: Vec<MonthlyAmount>,
}

/// One month's amount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyAmount {
    /// `YYYY-MM`.
    pub date: String,
    /// Decimal string.
    pub amount: String,
}

/// The `multipart/form-data` body of `POST /users/{id}/statements` (Basiq's "Create a
/// statement"): the institution the file comes from, and the file. The answer is a
/// [`Job`] with the same three steps as a connection.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(rename_all = "camelCase"))]
pub struct StatementUpload {
    /// An institution whose `methods` include `statement`, e.g. `AU10001`.
    pub institution_id: String,
    /// The bank's export: OFX/QFX, QIF or CSV, recognised from its content.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Binary))]
    pub statement: Vec<u8>,
}

impl StatementUpload {
    /// The form part naming the institution.
    pub const INSTITUTION_ID: &'static str = "institutionId";
    /// The form part holding the file.
    pub const STATEMENT: &'static str = "statement";
    /// The largest file a server takes: 10 MiB (a decade of a busy account as OFX).
    pub const MAX_BYTES: usize = 10 * 1024 * 1024;
}
