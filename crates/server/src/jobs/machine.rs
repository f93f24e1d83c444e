//! The job state machine, pure: which step runs next, and what each outcome does to
//! the steps the client sees. The worker (jobs/worker.rs) only does the I/O around it.
//!
//! Steps run in order: `verify-credentials`, then `mfa-challenge` when the institution
//! asks for one (inserted right after verification), `retrieve-accounts`,
//! `retrieve-transactions`. The first failure ends the job; later steps stay pending.

use tally_api::{MfaChallenge, Step, StepFailure, StepResult, StepStatus, StepTitle};

/// A step's failure, shown as the step's `result` (the contract's type).
pub type Failure = StepFailure;

/// The job row's state, which decides who may pick it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// A worker holds its lease.
    Running,
    /// Waiting for the user to answer an MFA challenge.
    AwaitingMfa,
    Success,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::AwaitingMfa => "awaiting-mfa",
            JobState::Success => "success",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [JobState::Queued, JobState::Running, JobState::AwaitingMfa, JobState::Success, JobState::Failed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Success | JobState::Failed)
    }
}

/// What the worker should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Run this step.
    Run(StepTitle),
    /// The MFA step is open: wait for the user's answer (or check it, if given).
    Mfa,
    /// Nothing left: the job succeeded or failed.
    Finished(JobState),
}

/// The worker lost the job (crash, restart) too many times.
pub fn timed_out() -> Failure {
    Failure::new(
        "job-timed-out",
        "The job took too long.",
        "The job was interrupted and could not be completed; refresh the connection to try again.",
    )
}

/// The connection was deleted while its job ran; nothing more is stored for it.
pub fn gone() -> Failure {
    Failure::new("resource-not-found", "The connection is gone.", "The connection was deleted while the job ran.")
}

/// The steps of one job, as the wire shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Steps(pub Vec<Step>);

impl Steps {
    /// A fresh job: the three standard steps, all pending.
    pub fn new() -> Self {
        Steps(
            [StepTitle::VerifyCredentials, StepTitle::RetrieveAccounts, StepTitle::RetrieveTransactions]
                .into_iter()
                .map(|title| Step { title, status: StepStatus::Pending, result: None })
                .collect(),
        )
    }

    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text).map(Steps)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("steps serialise")
    }

    fn find_mut(&mut self, title: &StepTitle) -> Option<&mut Step> {
        self.0.iter_mut().find(|s| s.title == *title)
    }

    pub fn get(&self, title: &StepTitle) -> Option<&Step> {
        self.0.iter().find(|s| s.title == *title)
    }

    /// What to do next.
    pub fn next(&self) -> Next {
        if self.0.iter().any(|s| s.status == StepStatus::Failed) {
            return Next::Finished(JobState::Failed);
        }
        match self.0.iter().find(|s| s.status != StepStatus::Success) {
            None => Next::Finished(JobState::Success),
            Some(s) if s.title == StepTitle::MfaChallenge => Next::Mfa,
            Some(s) => Next::Run(s.title.clone()),
        }
    }

    /// The state a job with these steps is in, given whether a worker holds it.
    pub fn state(&self, held: bool) -> JobState {
        match self.next() {
            Next::Finished(s) => s,
            Next::Mfa => JobState::AwaitingMfa,
            Next::Run(_) if held => JobState::Running,
            Next::Run(_) => JobState::Queued,
        }
    }

    pub fn start(&mut self, title: &StepTitle) {
        if let Some(s) = self.find_mut(title) {
            s.status = StepStatus::InProgress;
            s.result = None;
        }
    }

    pub fn succeed(&mut self, title: &StepTitle, result: StepResult) {
        if let Some(s) = self.find_mut(title) {
            s.status = StepStatus::Success;
            s.result = result.to_json();
        }
    }

    pub fn fail(&mut self, title: &StepTitle, failure: &Failure) {
        if let Some(s) = self.find_mut(title) {
            s.status = StepStatus::Failed;
            s.result = StepResult::Failed(failure.clone()).to_json();
        }
    }

    /// The institution asked for MFA: verification passed as far as it goes, and an
    /// open `mfa-challenge` step carrying the challenge follows it.
    pub fn challenge(&mut self, verified: StepResult, challenge: MfaChallenge) {
        self.succeed(&StepTitle::VerifyCredentials, verified);
        let step = Step { title: StepTitle::MfaChallenge, status: StepStatus::InProgress, result: StepResult::Mfa(challenge).to_json() };
        match self.0.iter().position(|s| s.title == StepTitle::MfaChallenge) {
            Some(i) => self.0[i] = step,
            None => {
                let at = self.0.iter().position(|s| s.title == StepTitle::VerifyCredentials).map(|i| i + 1).unwrap_or(0);
                self.0.insert(at, step);
            }
        }
    }

    /// Fails whatever step is current (used for time-outs and lost jobs).
    pub fn fail_current(&mut self, failure: &Failure) {
        if let Some(s) = self.0.iter_mut().find(|s| !s.status.is_final()) {
            s.status = StepStatus::Failed;
            s.result = StepResult::Failed(failure.clone()).to_json();
        }
    }

    /// The step currently in progress, if any.
    pub fn current(&self) -> Option<&Step> {
        self.0.iter().find(|s| s.status == StepStatus::InProgress)
    }
}

impl Default for Steps {
    fn default() -> Self {
        Steps::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_api::StepTitle::{MfaChallenge as MFA, RetrieveAccounts as ACCOUNTS, RetrieveTransactions as TRANSACTIONS, VerifyCredentials as VERIFY};

    #[test]
    fn runs_the_standard_steps_in_order() {
        let mut s = Steps::new();
        assert_eq!(s.state(false), JobState::Queued);
        for title in [VERIFY, ACCOUNTS, TRANSACTIONS] {
            assert_eq!(s.next(), Next::Run(title.clone()));
            s.start(&title);
            assert_eq!(s.state(true), JobState::Running);
            assert_eq!(s.current().unwrap().title, title);
            s.succeed(&title, StepResult::Link("/x".into()));
        }
        assert_eq!(s.next(), Next::Finished(JobState::Success));
        assert!(s.0.iter().all(|x| x.status == StepStatus::Success));
    }

    #[test]
    fn first_failure_ends_the_job_and_leaves_the_rest_pending() {
        let mut s = Steps::new();
        s.start(&VERIFY);
        s.fail(&VERIFY, &Failure::new("invalid-credentials", "t", "d"));
        assert_eq!(s.next(), Next::Finished(JobState::Failed));
        assert_eq!(s.0[0].result.as_ref().unwrap()["code"], "invalid-credentials");
        assert_eq!(s.0[1].status, StepStatus::Pending);
        assert_eq!(s.0[2].status, StepStatus::Pending);
    }

    #[test]
    fn mfa_inserts_a_step_after_verification() {
        let mut s = Steps::new();
        s.start(&VERIFY);
        s.challenge(StepResult::Link("/x".into()), MfaChallenge::default());
        let titles: Vec<StepTitle> = s.0.iter().map(|x| x.title.clone()).collect();
        assert_eq!(titles, [VERIFY, MFA, ACCOUNTS, TRANSACTIONS]);
        assert_eq!(s.next(), Next::Mfa);
        assert_eq!(s.state(false), JobState::AwaitingMfa);
        s.succeed(&MFA, StepResult::None);
        assert_eq!(s.next(), Next::Run(ACCOUNTS));
        // A second challenge replaces the step instead of adding another.
        s.challenge(StepResult::Link("/x".into()), MfaChallenge::default());
        assert_eq!(s.0.iter().filter(|x| x.title == MFA).count(), 1);
    }

    #[test]
    fn lost_jobs_fail_their_current_step() {
        let mut s = Steps::new();
        s.start(&VERIFY);
        s.succeed(&VERIFY, StepResult::Link("/x".into()));
        s.start(&ACCOUNTS);
        s.fail_current(&timed_out());
        assert_eq!(s.get(&ACCOUNTS).unwrap().result.as_ref().unwrap()["code"], "job-timed-out");
        assert_eq!(s.next(), Next::Finished(JobState::Failed));
    }

    #[test]
    fn round_trips_through_json() {
        let mut s = Steps::new();
        s.start(&VERIFY);
        assert_eq!(Steps::from_json(&s.to_json()).unwrap(), s);
    }
}
