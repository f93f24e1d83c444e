//! Wire types of the Connect API v2 contract (field names exactly as existing clients
//! expect them: camelCase, money as decimal strings, `type` tags on every resource).

use serde::{Deserialize, Serialize};

/// `{"type":"list","data":[…]}` with the optional paging fields of transaction lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List<T> {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub data: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

impl<T> List<T> {
    /// A plain list without paging information.
    pub fn of(data: Vec<T>) -> Self {
        List { kind: "list".into(), count: None, size: None, data, links: None }
    }
}

/// The `links` object: `self` plus whatever related resources a resource points at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// `POST /token` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    pub expires_in: u64,
    pub token_type: String,
}

/// What a host backend's `token-url` returns to the widget: a CLIENT_ACCESS token bound
/// to the signed-in user, plus that user's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientToken {
    pub access_token: String,
    pub expires_in: u64,
    pub user_id: String,
}

/// One error of the contract's error list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorItem {
    #[serde(rename = "type")]
    pub kind: String,
    pub code: String,
    pub title: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ErrorSource>,
}

/// Where in the request an error was found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// The body of every 4xx/5xx answer:
/// `{"type":"list","correlationId":"…","data":[{"type":"error",…}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "correlationId")]
    pub correlation_id: String,
    pub data: Vec<ErrorItem>,
}

/// Logo links of an institution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Logo {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub links: LogoLinks,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoLinks {
    pub full: String,
    pub square: String,
}

/// Average step durations the institution has shown, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AverageDurationMs {
    pub verify_credentials: u64,
    pub retrieve_accounts: u64,
    pub retrieve_transactions: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstitutionStats {
    pub average_duration_ms: AverageDurationMs,
}

/// An institution (bank) a user can connect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Institution {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub institution_type: String,
    pub country: String,
    pub login_id_caption: String,
    pub password_caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code_caption: Option<String>,
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
    pub logo: Logo,
    #[serde(default)]
    pub stats: InstitutionStats,
    #[serde(default)]
    pub links: Links,
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
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

/// A user of an application (2.0 API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections: Option<List<ResourceRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<List<ResourceRef>>,
    #[serde(default)]
    pub links: Links,
}

/// `POST /users` and `POST /users/{id}` body: at least one of email or mobile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

/// `POST /users/{id}/link` body item (migration of 1.0 connections).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkConnection {
    pub connection_id: String,
}

/// `POST /users/{id}/connections` body. Credentials go in, never come out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewConnection {
    pub login_id: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_login_id: Option<String>,
    pub institution: InstitutionId,
}

/// `{"id":"AU00000"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionId {
    pub id: String,
}

/// A connection between a user and an institution. Never carries credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// pending | active | invalid
    pub status: String,
    pub created_date: String,
    #[serde(default)]
    pub last_used: Option<String>,
    #[serde(default)]
    pub mfa_enabled: bool,
    pub institution: ResourceRef,
    #[serde(default)]
    pub accounts: Option<List<ResourceRef>>,
    /// When the stored data was last refreshed from the institution (Tally extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_refreshed: Option<String>,
    /// When the scheduler will next refresh it (Tally extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_scheduled_refresh: Option<String>,
    #[serde(default)]
    pub links: Links,
}

/// One step of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// verify-credentials | retrieve-accounts | retrieve-transactions | mfa-challenge
    pub title: String,
    /// pending | in-progress | success | failed
    pub status: String,
    /// A link on success, an error `{code,title,detail}` on failure, an MFA challenge
    /// while `mfa-challenge` is in progress; null otherwise.
    #[serde(default)]
    pub result: Option<serde_json::Value>,
}

/// An asynchronous job (connect, refresh, update credentials).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
    /// What started the job: `user` (an API call) or `scheduled` (the scheduler's
    /// background refresh). A Tally extension; absent from older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    #[serde(default)]
    pub links: Links,
}

impl Job {
    /// A job is over when a step failed or every step succeeded.
    pub fn is_finished(&self) -> bool {
        self.steps.iter().any(|s| s.status == "failed")
            || (!self.steps.is_empty() && self.steps.iter().all(|s| s.status == "success"))
    }
}

/// `class` of an account: `{"type":"transaction","product":"Everyday Account"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountClass {
    #[serde(rename = "type")]
    pub kind: String,
    pub product: String,
}

/// A bank account. Money is a decimal string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub account_no: String,
    pub name: String,
    pub currency: String,
    pub balance: String,
    pub available_funds: String,
    pub class: AccountClass,
    pub status: String,
    pub last_updated: String,
    pub connection: String,
    pub institution: String,
    #[serde(default)]
    pub links: Links,
}

/// ANZSIC classification of a transaction: `{"code":"451","title":"Cafes, …"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubClass {
    pub code: String,
    pub title: String,
}

/// The enrichment block: category (Tally slug + title + how sure), merchant, location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrich {
    #[serde(default)]
    pub category: Option<EnrichCategory>,
    #[serde(default)]
    pub merchant: Option<EnrichMerchant>,
    #[serde(default)]
    pub location: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrichCategory {
    /// Slug from tally-classify's taxonomy, e.g. `groceries`.
    pub id: String,
    pub title: String,
    /// very-high | high | medium | low
    #[serde(default)]
    pub confidence: String,
    /// Which source decided: user | directory | mcc | structure | model
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrichMerchant {
    #[serde(rename = "businessName")]
    pub business_name: String,
}

/// A transaction. `amount` is a decimal string, negative for money out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// pending | posted
    pub status: String,
    pub description: String,
    pub amount: String,
    /// debit | credit
    pub direction: String,
    pub class: String,
    pub account: String,
    pub institution: String,
    pub connection: String,
    #[serde(default)]
    pub balance: Option<String>,
    pub transaction_date: Option<String>,
    pub post_date: Option<String>,
    #[serde(default)]
    pub sub_class: Option<SubClass>,
    #[serde(default)]
    pub enrich: Option<Enrich>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_login_id: Option<String>,
}

/// `POST /jobs/{id}/mfa` body: the answers to an `mfa-challenge` step, in the order
/// of the challenge's `input` list (one OTP, or one answer per security question).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaResponse {
    #[serde(rename = "mfa-response")]
    pub mfa_response: Vec<String>,
}

/// `PUT /users/{id}/transactions/{txid}/category` body: the category slug the user
/// says is right. It also applies to that user's later transactions of the merchant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCorrection {
    pub category: String,
}

/// `POST /users/{id}/expenses` body: months as `YYYY-MM`, inclusive; optionally only
/// some accounts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExpensesRequest {
    pub from_month: String,
    pub to_month: String,
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
    /// Money transferred out.
    pub external_transfers: ExpenseGroup,
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
