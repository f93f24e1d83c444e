//! The connect flow as a state machine: choose a bank → sign in or upload a statement
//! (whichever the bank offers, or the user's pick when it offers both) → progress → an
//! honest end. The component renders `Flow` and calls these methods; every transition
//! is unit-tested here.

use tally_api::ConnectMethod;

use crate::credentials::fields::{Draft, FieldKind};
use crate::job::advice::{Advice, NextAction};
use crate::job::steps::Outcome;

/// How the user brings a bank's data in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// Credentials; a connector fetches and refreshes.
    SignIn,
    /// An exported statement file; nothing is fetched later.
    Statement,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Choosing a bank.
    Search,
    /// The bank offers both ways: the user picks one.
    ChooseWay,
    /// Filling in credentials; `errors` per field, `failure` from the last attempt.
    Credentials { errors: Vec<(FieldKind, String)>, failure: Option<Advice> },
    /// Choosing a statement file (and sending it); `failure` from the last attempt, e.g.
    /// the server's "line 14: '32/13/2026' is not a date".
    Upload { failure: Option<Advice> },
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
    /// The way chosen (the bank's only one, or the user's pick).
    pub way: Way,
    /// The bank offers both ways (so "Back" returns to the choice).
    pub both_ways: bool,
    /// The existing connection this flow works on: new credentials for it, or a newer
    /// statement. No search then.
    pub existing: Option<String>,
    /// The connection the job works on, once known (the job's `links.source`).
    pub connection_id: Option<String>,
}

fn form() -> Stage {
    Stage::Credentials { errors: vec![], failure: None }
}

fn upload() -> Stage {
    Stage::Upload { failure: None }
}

impl Flow {
    /// A new connection, starting with the bank search.
    pub fn new() -> Self {
        Flow { stage: Stage::Search, institution_id: None, draft: Draft::default(), way: Way::SignIn, both_ways: false, existing: None, connection_id: None }
    }

    /// New credentials for `connection_id` at `institution_id`: straight to the form.
    pub fn reconnect(connection_id: String, institution_id: String) -> Self {
        Flow { stage: form(), institution_id: Some(institution_id), existing: Some(connection_id.clone()), connection_id: Some(connection_id), ..Flow::new() }
    }

    /// A newer statement for the statement connection `connection_id` at
    /// `institution_id`: straight to the file.
    pub fn newer_statement(connection_id: String, institution_id: String) -> Self {
        Flow { way: Way::Statement, ..Flow::reconnect(connection_id, institution_id) }.with_stage(upload())
    }

    fn with_stage(mut self, stage: Stage) -> Self {
        self.stage = stage;
        self
    }

    /// The bank `institution_id` was chosen; `methods` are the ways it offers. A bank
    /// that says nothing offers sign-in, as the contract's default has it.
    pub fn choose(&mut self, institution_id: String, methods: &[ConnectMethod]) {
        if self.institution_id.as_deref() != Some(&institution_id) {
            self.draft = Draft::default();
        }
        self.institution_id = Some(institution_id);
        let login = methods.contains(&ConnectMethod::Login);
        let statement = methods.contains(&ConnectMethod::Statement);
        self.both_ways = login && statement;
        self.stage = match (login, statement) {
            (true, true) => Stage::ChooseWay,
            (false, true) => self.pick(Way::Statement),
            _ => self.pick(Way::SignIn),
        };
    }

    /// The user picked `way` (or the bank has only that one).
    pub fn choose_way(&mut self, way: Way) {
        self.stage = self.pick(way);
    }

    fn pick(&mut self, way: Way) -> Stage {
        self.way = way;
        match way {
            Way::SignIn => form(),
            Way::Statement => upload(),
        }
    }

    /// Back from the form or the file to the choice of way, or to the search. Returns
    /// false when there is nowhere to go back to (one existing connection's flow): the
    /// caller closes the flow.
    pub fn back(&mut self) -> bool {
        if self.existing.is_some() {
            return false;
        }
        self.stage = match self.stage {
            Stage::Credentials { .. } | Stage::Upload { .. } if self.both_ways => Stage::ChooseWay,
            _ => Stage::Search,
        };
        true
    }

    pub fn invalid(&mut self, errors: Vec<(FieldKind, String)>) {
        self.stage = Stage::Credentials { errors, failure: None };
    }

    pub fn submitting(&mut self) {
        self.stage = Stage::Submitting;
    }

    /// The server took the request: its job runs, on `connection_id` when the job says.
    pub fn started(&mut self, job_id: String, connection_id: Option<String>) {
        if connection_id.is_some() {
            self.connection_id = connection_id;
        }
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
            Outcome::Failed(f) => self.fail(advise(&f.code, f.message()), Some(job_id)),
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
        self.stage = match (self.way, advice.action) {
            (_, NextAction::ChooseAnother) => Stage::Failed { advice, job_id },
            // Wrong details: straight back to the form, login kept, with the message.
            (Way::SignIn, NextAction::EditCredentials) => Stage::Credentials { errors: vec![], failure: Some(advice) },
            // A file that could not be read (or sent): what was wrong, and another file.
            (Way::Statement, _) => Stage::Upload { failure: Some(advice) },
            (Way::SignIn, _) => Stage::Failed { advice, job_id },
        };
    }

    /// The failure's next action was taken.
    pub fn retry(&mut self) {
        match &self.stage {
            Stage::Failed { advice, .. } if advice.action == NextAction::ChooseAnother && self.existing.is_none() => self.stage = Stage::Search,
            Stage::Failed { .. } | Stage::StillRunning => self.stage = self.pick(self.way),
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

    const LOGIN: &[ConnectMethod] = &[ConnectMethod::Login];
    const STATEMENT: &[ConnectMethod] = &[ConnectMethod::Statement];
    const BOTH: &[ConnectMethod] = &[ConnectMethod::Login, ConnectMethod::Statement];

    fn running() -> Flow {
        let mut f = Flow::new();
        f.choose("AU00000".into(), LOGIN);
        f.draft.login = "bighead".into();
        f.draft.password = "password".into();
        f.submitting();
        f.started("j1".into(), Some("c1".into()));
        f
    }

    fn uploading() -> Flow {
        let mut f = Flow::new();
        f.choose("AU10001".into(), STATEMENT);
        f.started("j2".into(), Some("c2".into()));
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
        n.choose("A".into(), LOGIN);
        n.draft.login = "x".into();
        n.choose("B".into(), LOGIN);
        assert!(n.draft.login.is_empty(), "another bank, another login");
    }

    #[test]
    fn the_banks_methods_decide_the_way_in() {
        let mut f = Flow::new();
        f.choose("AU10001".into(), STATEMENT);
        assert_eq!((f.stage.clone(), f.way), (Stage::Upload { failure: None }, Way::Statement), "statement-only: straight to the file");
        f.back();
        f.choose("AU00000".into(), &[]);
        assert_eq!((f.stage.clone(), f.way), (Stage::Credentials { errors: vec![], failure: None }, Way::SignIn), "no methods said: sign in");
        f.back();
        f.choose("AU20000".into(), BOTH);
        assert_eq!(f.stage, Stage::ChooseWay);
        f.choose_way(Way::Statement);
        assert_eq!(f.stage, Stage::Upload { failure: None });
        assert!(f.back());
        assert_eq!(f.stage, Stage::ChooseWay, "back to the choice, not the search");
        f.back();
        assert_eq!(f.stage, Stage::Search);
    }

    #[test]
    fn an_unreadable_file_goes_back_to_the_file_with_the_servers_detail() {
        let mut f = uploading();
        let unreadable = Outcome::Failed(Failure { code: "statement-not-readable".into(), title: "The statement could not be read.".into(), detail: "line 14: '32/13/2026' is not a date".into() });
        f.job(&unreadable, |c, d| advise(&EN, c, d));
        match &f.stage {
            Stage::Upload { failure: Some(a) } => assert!(a.message.contains("line 14"), "{a:?}"),
            s => panic!("{s:?}"),
        }
        let mut g = uploading();
        g.lost(advise(&EN, "network", ""));
        assert!(matches!(g.stage, Stage::Upload { failure: Some(_) }), "a lost upload job: pick the file again");
        let mut h = uploading();
        h.job(&failed("institution-not-supported"), |c, d| advise(&EN, c, d));
        h.retry();
        assert_eq!(h.stage, Stage::Search, "a bank that takes no statements: choose another");
    }

    #[test]
    fn the_flow_knows_its_connection_from_the_job() {
        let f = running();
        assert_eq!(f.connection_id.as_deref(), Some("c1"));
        let mut n = Flow::newer_statement("c7".into(), "AU10001".into());
        assert_eq!(n.stage, Stage::Upload { failure: None });
        assert!(!n.back(), "a newer statement for one connection has no search");
        n.started("j3".into(), None);
        assert_eq!(n.connection_id.as_deref(), Some("c7"), "kept when the job does not say");
    }
}
