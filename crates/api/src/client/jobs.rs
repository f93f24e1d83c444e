//! Reading a job's progress: which step it is at, whether a step is done, failed or
//! waits for a multi-factor answer. Pure; [`Client::wait_for_step`] and
//! [`Client::job_updates`] use it over the network.
//!
//! [`Client::wait_for_step`]: super::Client::wait_for_step
//! [`Client::job_updates`]: super::Client::job_updates

use super::error::Error;
use super::sse::SseEvent;
use crate::{Job, MfaChallenge, StepStatus, StepTitle};

/// The open multi-factor challenge of a job, if it waits for one ([`Job::mfa_challenge`]).
pub fn mfa_challenge(job: &Job) -> Option<MfaChallenge> {
    job.mfa_challenge()
}

/// What one server-sent event of `GET /jobs/{id}/events` says: `job` (or an unnamed
/// `message`) is the job as it is now, `deleted` means it is gone (a
/// `resource-not-found` error), and other names say nothing (`None`). A `job` event
/// that is not a job is an `unexpected-response` error. Shared by
/// [`Client::job_updates`](super::Client::job_updates) and the browser widget.
pub fn job_event(event: &SseEvent) -> Option<Result<Job, Error>> {
    match event.event.as_str() {
        "job" | "message" => Some(super::request::from_json(&event.data).map_err(|e| Error::unexpected(format!("A job event is not a job: {e}")))),
        "deleted" => {
            let gone = br#"{"type":"list","correlationId":"","data":[{"type":"error","code":"resource-not-found","title":"Job deleted","detail":"The job was deleted while it was being followed."}]}"#;
            Some(Err(Error::from_response(404, gone)))
        }
        _ => None,
    }
}

/// Where a job stands with respect to one step.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Not there yet.
    Waiting,
    /// The step succeeded (for [`StepTitle::MfaChallenge`]: the challenge is open).
    Reached,
    /// A step failed, or the job ended without the step: the error says which and why.
    Failed(Error),
    /// The job waits for a multi-factor answer before it can go on.
    NeedsMfa,
}

/// Where `job` stands with respect to `step`.
pub fn progress(job: &Job, step: &StepTitle) -> Progress {
    if let Some(failed) = job.failed_step() {
        return Progress::Failed(Error::job_failed(job, failed.title.as_str(), failed.result.as_ref()));
    }
    let target = job.steps.iter().find(|s| s.title == *step);
    match (step, target) {
        (_, Some(s)) if s.status == StepStatus::Success => return Progress::Reached,
        (StepTitle::MfaChallenge, Some(s)) if s.status == StepStatus::InProgress && s.result.is_some() => return Progress::Reached,
        _ => {}
    }
    if job.mfa_challenge().is_some() {
        return Progress::NeedsMfa;
    }
    if job.is_finished() {
        let detail = format!("Job '{}' finished without a '{}' step.", job.id, step.as_str());
        return Progress::Failed(Error { kind: super::error::ErrorKind::JobFailed, job: Some(Box::new(job.clone())), ..Error::unexpected(detail) });
    }
    Progress::Waiting
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::error::ErrorKind;

    fn job(steps: &[(&str, &str)]) -> Job {
        let steps: Vec<serde_json::Value> = steps.iter().map(|(t, s)| serde_json::json!({"title": t, "status": s, "result": null})).collect();
        serde_json::from_value(serde_json::json!({"type": "job", "id": "j1", "steps": steps})).unwrap()
    }

    #[test]
    fn follows_steps_in_order() {
        let j = job(&[("verify-credentials", "success"), ("retrieve-accounts", "in-progress"), ("retrieve-transactions", "pending")]);
        assert_eq!(progress(&j, &StepTitle::VerifyCredentials), Progress::Reached);
        assert_eq!(progress(&j, &StepTitle::RetrieveAccounts), Progress::Waiting);
        assert_eq!(progress(&j, &StepTitle::RetrieveTransactions), Progress::Waiting);
    }

    #[test]
    fn a_failed_step_fails_every_wait() {
        let mut j = job(&[("verify-credentials", "failed"), ("retrieve-accounts", "pending")]);
        j.steps[0].result = Some(serde_json::json!({"code": "invalid-credentials", "title": "Bad login", "detail": "Check it"}));
        let Progress::Failed(e) = progress(&j, &StepTitle::RetrieveAccounts) else { panic!("expected failure") };
        assert_eq!((e.kind, e.code()), (ErrorKind::JobFailed, "invalid-credentials"));
    }

    #[test]
    fn an_open_challenge_needs_an_answer() {
        let mut j = job(&[("verify-credentials", "success"), ("mfa-challenge", "in-progress"), ("retrieve-accounts", "pending")]);
        j.steps[1].result = Some(serde_json::json!({"type": "mfa", "method": "token", "description": "Code?", "input": ["One-time code"], "expiryMs": 120000, "links": {"response": "/jobs/j1/mfa"}}));
        assert_eq!(progress(&j, &StepTitle::RetrieveAccounts), Progress::NeedsMfa);
        assert_eq!(progress(&j, &StepTitle::MfaChallenge), Progress::Reached);
        let ch = mfa_challenge(&j).unwrap();
        assert_eq!((ch.method.as_str(), ch.input.len(), ch.response.as_deref()), ("token", 1, Some("/jobs/j1/mfa")));
    }

    #[test]
    fn reads_the_events_of_a_job_stream() {
        let ev = |event: &str, data: &str| SseEvent { event: event.into(), data: data.into(), id: None };
        let snapshot = job_event(&ev("job", r#"{"type":"job","id":"j1","steps":[]}"#));
        assert_eq!(snapshot.and_then(Result::ok).map(|j| j.id), Some("j1".into()));
        assert!(matches!(job_event(&ev("message", r#"{"type":"job","id":"j2","steps":[]}"#)), Some(Ok(_))));
        let gone = job_event(&ev("deleted", "{}")).and_then(Result::err).unwrap();
        assert_eq!((gone.code(), gone.status), ("resource-not-found", Some(404)));
        assert_eq!(job_event(&ev("job", "not json")).and_then(Result::err).map(|e| e.kind), Some(ErrorKind::UnexpectedResponse));
        assert!(job_event(&ev("ping", "")).is_none());
    }

    #[test]
    fn a_finished_job_without_the_step_is_an_error() {
        let j = job(&[("verify-credentials", "success")]);
        assert!(matches!(progress(&j, &StepTitle::RetrieveTransactions), Progress::Failed(_)));
    }
}
