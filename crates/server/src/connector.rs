//! What the job worker needs from an institution, whatever it is: the sandbox today,
//! screen-scrapers or open-banking clients later. One [`InstitutionConnector`] per
//! institution, found through [`Connectors`].

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tally_api::Institution;

/// A connection's credentials, as sealed at rest (see `crypto::Keys::seal`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub login_id: String,
    pub password: String,
    #[serde(default)]
    pub security_code: Option<String>,
    #[serde(default)]
    pub secondary_login_id: Option<String>,
}

impl std::fmt::Debug for Credentials {
    /// Never print a password, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("login_id", &self.login_id).finish_non_exhaustive()
    }
}

/// Context of one call: which job asks, and what day it is (from the server's clock).
#[derive(Debug, Clone)]
pub struct Ctx {
    pub job_id: String,
    pub today: NaiveDate,
}

/// A multi-factor challenge the institution asks the user to answer.
#[derive(Debug, Clone, PartialEq)]
pub struct MfaChallenge {
    /// `token` (one-time code) or `security-questions`.
    pub method: &'static str,
    pub description: String,
    /// One prompt per answer expected.
    pub input: Vec<String>,
}

/// The outcome of logging in.
#[derive(Debug, Clone, PartialEq)]
pub enum Login {
    Ok,
    Mfa(MfaChallenge),
}

/// Why a step failed, in the contract's words (`code` is e.g. `invalid-credentials`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct ConnectorError {
    pub code: &'static str,
    pub title: String,
    pub detail: String,
}

impl ConnectorError {
    pub fn new(code: &'static str, title: &str, detail: &str) -> Self {
        ConnectorError { code, title: title.into(), detail: detail.into() }
    }

    /// Whether the stored credentials are the problem (the connection becomes invalid).
    pub fn invalidates_credentials(&self) -> bool {
        matches!(self.code, "invalid-credentials" | "account-not-accessible-requires-user-action")
    }
}

/// An account as fetched. Money in cents.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountData {
    pub external_id: String,
    pub account_no: String,
    pub name: String,
    pub currency: String,
    pub balance: i64,
    pub available_funds: i64,
    /// False when the source does not know the balance (a statement without a balance
    /// column): a stored balance is then kept, and a new account starts at zero.
    pub balance_known: bool,
    pub class_type: String,
    pub product: String,
}

/// A transaction as fetched. `external_id` is only meaningful for posted ones.
#[derive(Debug, Clone, PartialEq)]
pub struct TransactionData {
    pub account_external_id: String,
    pub external_id: String,
    pub pending: bool,
    pub description: String,
    pub amount: i64,
    pub class: String,
    pub balance: Option<i64>,
    pub transaction_date: NaiveDate,
    pub post_date: Option<NaiveDate>,
    pub mcc: Option<u16>,
}

/// One institution's way of logging in and reading data.
#[async_trait::async_trait]
pub trait InstitutionConnector: Send + Sync {
    /// The institution as the API lists it.
    fn institution(&self) -> Institution;

    /// Checks the credentials; `mfa_answer` is the user's answer to a challenge this
    /// returned earlier in the same job.
    async fn login(&self, ctx: &Ctx, creds: &Credentials, mfa_answer: Option<&[String]>) -> Result<Login, ConnectorError>;

    async fn accounts(&self, ctx: &Ctx, creds: &Credentials) -> Result<Vec<AccountData>, ConnectorError>;

    /// Every transaction of the readable history, all accounts.
    async fn transactions(&self, ctx: &Ctx, creds: &Credentials) -> Result<Vec<TransactionData>, ConnectorError>;
}

/// The institutions this server knows, by id: those a connector signs in to, and
/// those whose data comes only from uploaded statements.
#[derive(Clone, Default)]
pub struct Connectors {
    by_id: HashMap<String, Arc<dyn InstitutionConnector>>,
    statement_only: HashMap<String, Institution>,
    order: Vec<String>,
}

impl Connectors {
    pub fn add(&mut self, c: Arc<dyn InstitutionConnector>) {
        let id = c.institution().id;
        if !self.by_id.contains_key(&id) && !self.statement_only.contains_key(&id) {
            self.order.push(id.clone());
        }
        self.statement_only.remove(&id);
        self.by_id.insert(id, c);
    }

    /// An institution without a connector: users upload its statements.
    pub fn add_statement_only(&mut self, i: Institution) {
        if self.by_id.contains_key(&i.id) {
            return;
        }
        if !self.statement_only.contains_key(&i.id) {
            self.order.push(i.id.clone());
        }
        self.statement_only.insert(i.id.clone(), i);
    }

    /// The connector that signs in to `id`, if it has one.
    pub fn get(&self, id: &str) -> Option<Arc<dyn InstitutionConnector>> {
        self.by_id.get(id).cloned()
    }

    /// Any institution this server knows, with or without a connector.
    pub fn institution(&self, id: &str) -> Option<Institution> {
        self.by_id.get(id).map(|c| c.institution()).or_else(|| self.statement_only.get(id).cloned())
    }

    /// Every institution, in the order they were added.
    pub fn institutions(&self) -> Vec<Institution> {
        self.order.iter().filter_map(|id| self.institution(id)).collect()
    }
}
