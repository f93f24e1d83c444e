//! The sandbox institutions as an [`InstitutionConnector`]: the contract's test users
//! (good ones and the ones that fail with their codes), MFA on Pied Piper Bank (always)
//! and Nucleus Bank (every other job, by job id), with a configurable delay per step
//! so a demo shows progress and tests run at full speed.

use std::sync::Arc;
use std::time::Duration;

use tally_api::Institution;

use super::{data, institutions, rng};
use crate::connector::{AccountData, ConnectorError, Connectors, Credentials, Ctx, InstitutionConnector, Login, MfaChallenge, TransactionData};

/// The contract's sandbox users: (login, password).
pub const GOOD_USERS: &[(&str, &str)] =
    &[("gavinBelson", "hooli2016"), ("jared", "django"), ("richard", "tabsnotspaces"), ("Wentworth-Smith", "whislter")];

/// Users that always fail the same way: (login, password, error code).
pub const FAILING_USERS: &[(&str, &str, &str)] = &[
    ("bighead", "password", "invalid-credentials"),
    ("erlich", "aviato", "account-not-accessible-requires-user-action"),
    ("jianYang", "nothotdog", "service-unavailable"),
];

pub const MFA_OTP: &str = "1234";
pub const MFA_QUESTION: &str = "What's your first company?";
pub const MFA_ANSWER: &str = "Hooli";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mfa {
    Never,
    Always,
    /// Half the jobs, decided by the job id so a retry of the same job is consistent.
    Sometimes,
}

pub struct SandboxConnector {
    institution_id: &'static str,
    mfa: Mfa,
    latency: Duration,
}

impl SandboxConnector {
    /// Every sandbox institution, each step taking `latency`.
    pub fn all(latency: Duration) -> Connectors {
        let mut c = Connectors::default();
        for (id, mfa) in [("AU00000", Mfa::Never), ("AU00001", Mfa::Always), ("AU00002", Mfa::Sometimes)] {
            c.add(Arc::new(SandboxConnector { institution_id: id, mfa, latency }));
        }
        c
    }

    async fn pause(&self) {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
    }

    fn wants_mfa(&self, job_id: &str) -> bool {
        match self.mfa {
            Mfa::Never => false,
            Mfa::Always => true,
            Mfa::Sometimes => rng::hash(&[job_id]).is_multiple_of(2),
        }
    }

    fn challenge(&self) -> MfaChallenge {
        if self.institution_id == "AU00002" {
            MfaChallenge {
                method: "security-questions",
                description: "Answer your security question".into(),
                input: vec![MFA_QUESTION.into()],
            }
        } else {
            MfaChallenge {
                method: "token",
                description: "Enter the one-time code sent to your phone".into(),
                input: vec!["One-time code".into()],
            }
        }
    }

    /// The login's data, or the error the contract says this user gets.
    fn check(creds: &Credentials) -> Result<(), ConnectorError> {
        if let Some((_, _, code)) = FAILING_USERS.iter().find(|(l, p, _)| *l == creds.login_id && *p == creds.password) {
            return Err(match *code {
                "invalid-credentials" => invalid(),
                "account-not-accessible-requires-user-action" => ConnectorError::new(
                    code,
                    "Account not accessible.",
                    "The institution requires you to log in to its website and take an action (e.g. accept new terms) before the account can be read.",
                ),
                _ => ConnectorError::new(
                    "service-unavailable",
                    "Institution service unavailable.",
                    "The institution's service is temporarily unavailable; try again later.",
                ),
            });
        }
        if GOOD_USERS.iter().any(|(l, p)| *l == creds.login_id && *p == creds.password) {
            Ok(())
        } else {
            Err(invalid())
        }
    }
}

fn invalid() -> ConnectorError {
    ConnectorError::new(
        "invalid-credentials",
        "Cannot login to target institution using supplied credentials.",
        "The login id or password is wrong: check them and update the connection's credentials.",
    )
}

#[async_trait::async_trait]
impl InstitutionConnector for SandboxConnector {
    fn institution(&self) -> Institution {
        institutions::by_id(self.institution_id).expect("sandbox institution is listed")
    }

    async fn login(&self, ctx: &Ctx, creds: &Credentials, mfa_answer: Option<&[String]>) -> Result<Login, ConnectorError> {
        self.pause().await;
        Self::check(creds)?;
        if !self.wants_mfa(&ctx.job_id) {
            return Ok(Login::Ok);
        }
        let Some(answer) = mfa_answer else { return Ok(Login::Mfa(self.challenge())) };
        let expected = if self.challenge().method == "token" { MFA_OTP } else { MFA_ANSWER };
        if answer.len() == 1 && answer[0].trim().eq_ignore_ascii_case(expected) {
            Ok(Login::Ok)
        } else {
            Err(ConnectorError::new(
                "invalid-credentials",
                "The multi-factor answer was not accepted.",
                "The answer to the challenge is wrong; start the connection again to get a new challenge.",
            ))
        }
    }

    async fn accounts(&self, ctx: &Ctx, creds: &Credentials) -> Result<Vec<AccountData>, ConnectorError> {
        self.pause().await;
        Self::check(creds)?;
        Ok(data::snapshot(&creds.login_id, ctx.today)
            .accounts
            .into_iter()
            .map(|a| AccountData {
                external_id: a.external_id,
                account_no: a.account_no,
                name: a.name,
                currency: "AUD".into(),
                balance: a.balance,
                available_funds: a.available,
                balance_known: true,
                class_type: a.class_type.into(),
                product: a.product,
            })
            .collect())
    }

    async fn transactions(&self, ctx: &Ctx, creds: &Credentials) -> Result<Vec<TransactionData>, ConnectorError> {
        self.pause().await;
        Self::check(creds)?;
        Ok(data::snapshot(&creds.login_id, ctx.today)
            .transactions
            .into_iter()
            .map(|t| TransactionData {
                account_external_id: t.account_external_id,
                external_id: t.external_id,
                pending: t.pending,
                description: t.description,
                amount: t.amount,
                class: t.class.into(),
                balance: t.balance,
                transaction_date: t.transaction_date,
                post_date: t.post_date,
                mcc: t.mcc,
            })
            .collect())
    }
}
