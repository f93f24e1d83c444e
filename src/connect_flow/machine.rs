//! The connect flow as a state machine: choose a bank → credentials → progress → an
//! honest end. The component renders `Flow` and calls these methods; every transition
//! is unit-tested here.

use crate::credentials::fields::{Draft, FieldKind};
use crate::job::advice::{Advice, NextAction};
use crate::job::steps::Outcome;

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Choosing a bank.
    Search,
    /// Filling in credentials; `errors` per field, `failure` from the last attempt.
    Credentials { errors: Vec<(FieldKind, String)>, failure: Option<Advice> },
    /// The connect request is on its way.
    Submitting,
    /// The job runs; its steps are shown live.
    Progress { job_id: String },
    Connected { job_id: String },
    Failed { advice: Advice, job_id: Option<String> },
    /// We stopped watching but the job may still finish on the server.
    StillRunning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub stage: Stage,
    pub institution_id: Option<String>,
    pub draft: Draft,
    /// Set when updating the credentials of this existing connection.
    pub reconnect: Option<String>,
}

impl Flow {
    /// A new connection, starting with the bank search.
    pub fn new() -> Self {
        Flow { stage: Stage::Search, institution_id: None, draft: Draft::default(), reconnect: None }
    }

    /// New credentials for `connection_id` at `institution_id`: straight to the form.
    pub fn reconnect(connection_id: String, institution_id: String) -> Self {
        Flow { stage: Stage::Credentials { errors: vec![], failure: None }, institution_id: Some(institution_id), draft: Draft::default(), reconnect: Some(connection_id) }
    }

    pub fn choose(&mut self, institution_id: String) {
        if self.institution_id.as_deref() != Some(&institution_id) {
            self.draft = Draft::default();
        }
        self.institution_id = Some(institution_id);
        self.stage = Stage::Credentials { errors: vec![], failure: None };
    }

    /// Back from the form to the search. Returns false when there is nowhere to go back
    /// to (updating one connection's credentials): the caller closes the flow.
    pub fn back(&mut self) -> bool {
        if self.reconnect.is_some() {
            return false;
        }
        self.stage = Stage::Search;
        true
    }

    pub fn invalid(&mut self, errors: Vec<(FieldKind, String)>) {
        self.stage = Stage::Credentials { errors, failure: None };
    }

    pub fn submitting(&mut self) {
        self.stage = Stage::Submitting;
    }

    pub fn started(&mut self, job_id: String) {
        self.stage = Stage::Progress { job_id };
    }

    /// The connect request itself failed.
    pub fn rejected(&mut self, advice: Advice) {
        self.fail(advice, None);
    }

    /// A new snapshot of the job's outcome. `advise` turns a failure code into advice.
    pub fn job(&mut self, outcome: &Outcome, advise: impl Fn(&str, &str) -> Advice) {
        let Stage::Progress { job_id } = &self.stage else { return };
        let job_id = job_id.clone();
        match outcome {
            Outcome::Succeeded => self.stage = Stage::Connected { job_id },
            Outcome::Failed(f) => self.fail(advise(&f.code, if f.detail.is_empty() { &f.title } else { &f.detail }), Some(job_id)),
            Outcome::Running | Outcome::NeedsMfa(_) => {}
        }
    }

    /// Watching stopped: a timeout means "still going", anything else is a failure.
    pub fn lost(&mut self, advice: Advice) {
        if !matches!(self.stage, Stage::Progress { .. }) {
            return;
        }
        if advice.code == "job-timed-out" {
            self.stage = Stage::StillRunning;
        } else {
            self.fail(advice, None);
        }
    }

    fn fail(&mut self, advice: Advice, job_id: Option<String>) {
        self.draft.password.clear();
        self.draft.security_code.clear();
        if advice.action == NextAction::EditCredentials {
            // Wrong details: straight back to the form, login kept, with the message.
            self.stage = Stage::Credentials { errors: vec![], failure: Some(advice) };
        } else {
            self.stage = Stage::Failed { advice, job_id };
        }
    }

    /// The failure's next action was taken.
    pub fn retry(&mut self) {
        match &self.stage {
            Stage::Failed { advice, .. } if advice.action == NextAction::ChooseAnother => self.stage = Stage::Search,
            Stage::Failed { .. } | Stage::StillRunning => self.stage = Stage::Credentials { errors: vec![], failure: None },
            _ => {}
        }
    }

    /// True once the flow reached an end the user can only acknowledge or retry.
    pub fn is_over(&self) -> bool {
        matches!(self.stage, Stage::Connected { .. } | Stage::Failed { .. } | Stage::StillRunning)
    }
}

impl Default for Flow {
    fn default() -> Self {
        Flow::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;
    use crate::job::advice::advise;
    use crate::job::steps::Failure;

    fn failed(code: &str) -> Outcome {
        Outcome::Failed(Failure { code: code.into(), title: "t".into(), detail: String::new() })
    }

    fn running() -> Flow {
        let mut f = Flow::new();
        f.choose("AU00000".into());
        f.draft.login = "bighead".into();
        f.draft.password = "password".into();
        f.submitting();
        f.started("j1".into());
        f
    }

    #[test]
    fn happy_path() {
        let mut f = running();
        f.job(&Outcome::Running, |c, d| advise(&EN, c, d));
        assert_eq!(f.stage, Stage::Progress { job_id: "j1".into() });
        f.job(&Outcome::Succeeded, |c, d| advise(&EN, c, d));
        assert_eq!(f.stage, Stage::Connected { job_id: "j1".into() });
        assert!(f.is_over());
    }

    #[test]
    fn wrong_credentials_go_back_to_the_form_keeping_the_login() {
        let mut f = running();
        f.job(&failed("invalid-credentials"), |c, d| advise(&EN, c, d));
        match &f.stage {
            Stage::Credentials { failure: Some(a), .. } => assert_eq!(a.action, NextAction::EditCredentials),
            s => panic!("{s:?}"),
        }
        assert_eq!(f.draft.login, "bighead");
        assert!(f.draft.password.is_empty(), "secrets are not kept after a failure");
    }

    #[test]
    fn bank_side_failures_end_with_advice_and_retry_returns_to_the_form() {
        let mut f = running();
        f.job(&failed("service-unavailable"), |c, d| advise(&EN, c, d));
        assert!(matches!(&f.stage, Stage::Failed { advice, job_id: Some(_) } if advice.action == NextAction::TryLater));
        f.retry();
        assert!(matches!(f.stage, Stage::Credentials { .. }));
        let mut g = running();
        g.job(&failed("institution-not-supported"), |c, d| advise(&EN, c, d));
        g.retry();
        assert_eq!(g.stage, Stage::Search);
    }

    #[test]
    fn losing_the_job_is_honest() {
        let mut f = running();
        f.lost(advise(&EN, "job-timed-out", ""));
        assert_eq!(f.stage, Stage::StillRunning);
        let mut g = running();
        g.lost(advise(&EN, "network", ""));
        assert!(matches!(g.stage, Stage::Failed { .. }));
    }

    #[test]
    fn updating_credentials_skips_the_search() {
        let mut f = Flow::reconnect("c1".into(), "AU00000".into());
        assert!(matches!(f.stage, Stage::Credentials { .. }));
        assert!(!f.back(), "no search to go back to");
        let mut n = Flow::new();
        n.choose("A".into());
        n.draft.login = "x".into();
        n.choose("B".into());
        assert!(n.draft.login.is_empty(), "another bank, another login");
    }
}
