//! A job's steps as the widget shows them: one row per step in the contract's order,
//! its status, and what its result means. Derived from the server's job JSON only
//! ("honest progress": a step is done when the server says so), never guessed.

use tally_api::Job;

/// Which step a row is about (the contract's word). Unknown titles are kept, not dropped.
pub use tally_api::StepTitle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepStatus {
    Pending,
    InProgress,
    Done,
    Failed,
}

impl StepStatus {
    /// How a row shows the contract's status. Unknown statuses read as pending: never
    /// claim progress the server didn't report.
    pub fn from_wire(s: &tally_api::StepStatus) -> Self {
        match s {
            tally_api::StepStatus::InProgress => StepStatus::InProgress,
            tally_api::StepStatus::Success => StepStatus::Done,
            tally_api::StepStatus::Failed => StepStatus::Failed,
            tally_api::StepStatus::Pending | tally_api::StepStatus::Unknown(_) => StepStatus::Pending,
        }
    }

    /// The contract's word for it (what `tally:job-step` events carry).
    pub fn wire(self) -> &'static str {
        let word = match self {
            StepStatus::Pending => tally_api::StepStatus::Pending,
            StepStatus::InProgress => tally_api::StepStatus::InProgress,
            StepStatus::Done => tally_api::StepStatus::Success,
            StepStatus::Failed => tally_api::StepStatus::Failed,
        };
        word.word().unwrap_or_default()
    }
}

/// A failure as the server reports it in a failed step's result (the contract's type).
pub type Failure = tally_api::StepFailure;

/// An MFA challenge: a one-time code or security questions (the contract's type).
pub type MfaPrompt = tally_api::MfaChallenge;

/// What a step's result means (the contract's type, read leniently).
pub use tally_api::StepResult;

#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    pub kind: StepTitle,
    pub status: StepStatus,
    pub result: StepResult,
}

/// Where a job stands overall.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Running,
    /// The bank asks the user something; the job waits.
    NeedsMfa(MfaPrompt),
    Succeeded,
    Failed(Failure),
}

/// The rows of `job`, in display order.
pub fn rows(job: &Job) -> Vec<StepRow> {
    let mut rows: Vec<StepRow> = job
        .steps
        .iter()
        .map(|s| {
            let status = StepStatus::from_wire(&s.status);
            StepRow { kind: s.title.clone(), status, result: s.outcome() }
        })
        .collect();
    rows.sort_by_key(|r| r.kind.rank()); // stable: unknown steps keep the server's order
    rows
}

/// The job's overall state: a failed step ends it, an open challenge pauses it, and it
/// succeeded only when every step did.
pub fn outcome(rows: &[StepRow]) -> Outcome {
    if let Some(f) = rows.iter().find_map(|r| match (&r.status, &r.result) {
        (StepStatus::Failed, StepResult::Failed(f)) => Some(f.clone()),
        (StepStatus::Failed, _) => Some(Failure::new("unknown", "", "")),
        _ => None,
    }) {
        return Outcome::Failed(f);
    }
    if let Some(p) = rows.iter().find_map(|r| match (&r.status, &r.result) {
        (StepStatus::InProgress, StepResult::Mfa(p)) => Some(p.clone()),
        _ => None,
    }) {
        return Outcome::NeedsMfa(p);
    }
    if !rows.is_empty() && rows.iter().all(|r| r.status == StepStatus::Done) {
        return Outcome::Succeeded;
    }
    Outcome::Running
}

/// The rows whose status changed since `before` (all rows when there was no before):
/// what `tally:job-step` events and the live region report.
pub fn changed<'a>(before: &[StepRow], after: &'a [StepRow]) -> Vec<&'a StepRow> {
    after
        .iter()
        .filter(|r| !before.iter().any(|b| b.kind == r.kind && b.status == r.status))
        .collect()
}

/// The connection a job works on, from `links.source` (`…/connections/{cid}`).
pub fn connection_id(job: &Job) -> Option<String> {
    let source = job.links.source.as_deref()?;
    let (head, id) = source.trim_end_matches('/').rsplit_once('/')?;
    (head.ends_with("/connections") && !id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use serde_json::json;

    fn job(steps: Value) -> Job {
        serde_json::from_value(json!({"type":"job","id":"j1","steps":steps,"links":{"source":"/users/u1/connections/c9"}})).unwrap()
    }

    #[test]
    fn rows_follow_the_contract_order_with_mfa_after_verify() {
        let j = job(json!([
            {"title":"retrieve-transactions","status":"pending","result":null},
            {"title":"verify-credentials","status":"success","result":null},
            {"title":"retrieve-accounts","status":"pending","result":null},
            {"title":"mfa-challenge","status":"in-progress","result":{"type":"mfa","method":"token","description":"Code sent","input":["Enter the code"],"expiryMs":120000}},
        ]));
        let r = rows(&j);
        let titles: Vec<&str> = r.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(titles, ["verify-credentials", "mfa-challenge", "retrieve-accounts", "retrieve-transactions"]);
        match outcome(&r) {
            Outcome::NeedsMfa(p) => {
                assert_eq!(p.method, "token");
                assert_eq!(p.input, ["Enter the code"]);
                assert_eq!(p.expiry_ms, Some(120_000));
            }
            o => panic!("expected MFA, got {o:?}"),
        }
        assert_eq!(connection_id(&j).as_deref(), Some("c9"));
    }

    #[test]
    fn failure_wins_and_success_needs_every_step() {
        let failed = job(json!([
            {"title":"verify-credentials","status":"failed","result":{"code":"invalid-credentials","title":"Bad","detail":"Wrong password"}},
            {"title":"retrieve-accounts","status":"pending"},
        ]));
        assert_eq!(outcome(&rows(&failed)), Outcome::Failed(Failure { code: "invalid-credentials".into(), title: "Bad".into(), detail: "Wrong password".into() }));
        let running = job(json!([{"title":"verify-credentials","status":"success","result":{"type":"link","url":"/x"}},{"title":"retrieve-accounts","status":"in-progress"}]));
        assert_eq!(outcome(&rows(&running)), Outcome::Running);
        assert_eq!(rows(&running)[0].result, StepResult::Link("/x".into()));
        let done = job(json!([{"title":"verify-credentials","status":"success"},{"title":"retrieve-accounts","status":"success"}]));
        assert_eq!(outcome(&rows(&done)), Outcome::Succeeded);
        assert_eq!(outcome(&[]), Outcome::Running, "no steps yet is not success");
    }

    #[test]
    fn odd_server_data_never_panics() {
        let j = job(json!([{"title":"weird","status":"exploded","result":[1,2]},{"title":"mfa-challenge","status":"in-progress","result":{"type":"mfa","input":[{"question":"First company?"}, 3]}}]));
        let r = rows(&j);
        assert_eq!(r[1].status, StepStatus::Pending);
        assert_eq!(r[1].kind, StepTitle::Unknown("weird".into()));
        match outcome(&r) {
            Outcome::NeedsMfa(p) => assert_eq!(p.input, ["First company?"]),
            o => panic!("{o:?}"),
        }
        let bare = job(json!([{"title":"verify-credentials","status":"failed"}]));
        assert!(matches!(outcome(&rows(&bare)), Outcome::Failed(f) if f.code == "unknown"));
    }

    #[test]
    fn only_changed_steps_are_reported() {
        let a = rows(&job(json!([{"title":"verify-credentials","status":"in-progress"},{"title":"retrieve-accounts","status":"pending"}])));
        let b = rows(&job(json!([{"title":"verify-credentials","status":"success"},{"title":"retrieve-accounts","status":"pending"}])));
        let c: Vec<&str> = changed(&a, &b).iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(c, ["verify-credentials"]);
        assert_eq!(changed(&[], &b).len(), 2);
    }
}
