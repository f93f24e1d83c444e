//! An uploaded file standing in for an institution's connector, so the job worker runs
//! an upload through the very same steps, storage and classification as a sign-in:
//! `login` is reading the file, `accounts` and `transactions` are what it holds.
//!
//! The file is parsed once per job, on a blocking thread (a 10 MB file takes about
//! 0.2 s at the importer's speed: too long to hold an async worker thread), and only
//! when a step needs it, so a job resumed after a restart parses again.

use std::sync::Arc;

use tally_api::Institution;
use tally_import::{Hints, Statement};
use tokio::sync::OnceCell;

use crate::connector::{AccountData, ConnectorError, Credentials, Ctx, InstitutionConnector, Login, TransactionData};

/// The failure code of a file that cannot be read (the contract has no statement
/// code of its own; the detail says what and where).
pub const NOT_READABLE: &str = "statement-not-readable";

pub struct StatementSource {
    institution: Institution,
    bytes: Vec<u8>,
    parsed: OnceCell<Result<Arc<Statement>, ConnectorError>>,
}

impl StatementSource {
    pub fn new(institution: Institution, bytes: Vec<u8>) -> Self {
        StatementSource { institution, bytes, parsed: OnceCell::new() }
    }

    async fn statement(&self) -> Result<Arc<Statement>, ConnectorError> {
        self.parsed
            .get_or_init(|| async {
                let bytes = self.bytes.clone();
                let hints = Hints { country: Some(self.institution.country.clone()).filter(|c| !c.is_empty()), currency: None };
                match tokio::task::spawn_blocking(move || tally_import::import(&bytes, &hints)).await {
                    Ok(Ok(s)) => Ok(Arc::new(s)),
                    Ok(Err(e)) => Err(ConnectorError::new(NOT_READABLE, "The statement could not be read.", &e.message())),
                    Err(_) => Err(ConnectorError::new(NOT_READABLE, "The statement could not be read.", "The file could not be read; try exporting it again.")),
                }
            })
            .await
            .clone()
    }
}

/// No credentials: a statement connection has nothing to sign in to.
pub fn no_credentials() -> Credentials {
    Credentials { login_id: String::new(), password: String::new(), security_code: None, secondary_login_id: None }
}

#[async_trait::async_trait]
impl InstitutionConnector for StatementSource {
    fn institution(&self) -> Institution {
        self.institution.clone()
    }

    async fn login(&self, _ctx: &Ctx, _creds: &Credentials, _mfa: Option<&[String]>) -> Result<Login, ConnectorError> {
        self.statement().await.map(|_| Login::Ok)
    }

    async fn accounts(&self, _ctx: &Ctx, _creds: &Credentials) -> Result<Vec<AccountData>, ConnectorError> {
        Ok(accounts_of(&*self.statement().await?, &self.institution))
    }

    async fn transactions(&self, _ctx: &Ctx, _creds: &Credentials) -> Result<Vec<TransactionData>, ConnectorError> {
        Ok(transactions_of(&*self.statement().await?))
    }
}

/// The statement's accounts as the store takes them.
pub fn accounts_of(s: &Statement, institution: &Institution) -> Vec<AccountData> {
    s.accounts
        .iter()
        .map(|a| AccountData {
            external_id: a.key.clone(),
            account_no: a.number.clone(),
            name: a.name.clone(),
            currency: a.currency.clone(),
            balance: a.balance.unwrap_or(0),
            available_funds: a.available.or(a.balance).unwrap_or(0),
            balance_known: a.balance.is_some(),
            class_type: a.kind.as_str().into(),
            product: format!("{} {}", institution.short_name, a.name),
        })
        .collect()
}

/// Every row of every account, posted; `class` is left to the classifier.
pub fn transactions_of(s: &Statement) -> Vec<TransactionData> {
    s.accounts
        .iter()
        .flat_map(|a| {
            a.transactions.iter().map(|t| TransactionData {
                account_external_id: a.key.clone(),
                external_id: t.key.clone(),
                pending: false,
                description: t.description.clone(),
                amount: t.amount,
                class: String::new(),
                balance: t.balance,
                transaction_date: t.transaction_date,
                post_date: Some(t.post_date),
                mcc: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use tally_import::{Account, AccountKind, Format, Transaction};

    fn statement(balance: Option<i64>) -> Statement {
        let d = NaiveDate::from_ymd_opt(2026, 8, 21).unwrap();
        let t = |key: &str, amount| Transaction {
            key: key.into(),
            post_date: d,
            transaction_date: d,
            amount,
            description: "WOOLWORTHS 1234 SYDNEY".into(),
            balance: None,
            line: 1,
        };
        Statement {
            format: Format::Csv,
            accounts: vec![Account {
                key: "file".into(),
                number: "XXXX1234".into(),
                name: "Statement account".into(),
                kind: AccountKind::Transaction,
                currency: "AUD".into(),
                balance,
                available: None,
                transactions: vec![t("row:ab:1", -450), t("row:ab:2", -450)],
            }],
        }
    }

    #[test]
    fn identical_rows_of_a_file_stay_two_posted_transactions_of_its_account() {
        let txs = transactions_of(&statement(None));
        assert_eq!(txs.len(), 2);
        assert!(txs.iter().all(|t| !t.pending && t.account_external_id == "file" && t.post_date.is_some()));
        assert_ne!(txs[0].external_id, txs[1].external_id);
    }

    #[test]
    fn a_file_without_a_balance_does_not_claim_one() {
        let inst = crate::sandbox::institutions::all().remove(0);
        assert!(!accounts_of(&statement(None), &inst)[0].balance_known);
        let a = &accounts_of(&statement(Some(12_345)), &inst)[0];
        assert!(a.balance_known && a.balance == 12_345 && a.available_funds == 12_345);
    }
}
