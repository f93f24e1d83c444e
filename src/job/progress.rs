//! Live progress of one job: a row per step (pending / in progress / done / failed),
//! its elapsed time and result as they arrive, the MFA form when the bank asks, a
//! `tally:job-step` event and a live-region announcement for every step change.

use leptos::prelude::*;
use tally_api::Job;

use super::clock::StepClock;
use super::mfa::MfaForm;
use super::steps::{self, Outcome, StepResult, StepRow, StepStatus, StepTitle};
use super::watch::{watch, Watched};
use crate::backend::BackendContext;
use crate::host::Host;
use crate::i18n::Strings;

/// A step's name for people. An uploaded statement's first step reads the file: the
/// contract calls it `verify-credentials` too, but there are no credentials to verify.
pub fn step_label(s: &Strings, kind: &StepTitle, statement: bool) -> String {
    match kind {
        StepTitle::VerifyCredentials if statement => s.step_read_file.into(),
        StepTitle::VerifyCredentials => s.step_verify.into(),
        StepTitle::MfaChallenge => s.step_mfa.into(),
        StepTitle::RetrieveAccounts => s.step_accounts.into(),
        StepTitle::RetrieveTransactions => s.step_transactions.into(),
        StepTitle::Unknown(t) => t.replace('-', " "),
    }
}

pub fn status_label(s: &Strings, status: StepStatus) -> &'static str {
    match status {
        StepStatus::Pending => s.status_pending,
        StepStatus::InProgress => s.status_in_progress,
        StepStatus::Done => s.status_done,
        StepStatus::Failed => s.status_failed,
    }
}

/// What a row's result says, in words.
fn result_text(s: &Strings, row: &StepRow, statement: bool) -> String {
    match (&row.result, row.status) {
        (StepResult::Failed(f), _) => f.message().to_string(),
        (StepResult::Mfa(_), _) => s.result_waiting_answer.into(),
        (_, StepStatus::Done) => match row.kind {
            StepTitle::VerifyCredentials if statement => s.result_read_file.into(),
            StepTitle::VerifyCredentials => s.result_verify.into(),
            StepTitle::MfaChallenge => s.result_mfa.into(),
            StepTitle::RetrieveAccounts => s.result_accounts.into(),
            StepTitle::RetrieveTransactions => s.result_transactions.into(),
            StepTitle::Unknown(_) => String::new(),
        },
        _ => String::new(),
    }
}

crate::split::split_view! {
    /// Job progress's constructor, in a chunk with the `split` feature.
    pub fn chunk(JobProgressProps) => JobProgress as connect
}

#[component]
pub fn JobProgress(
    /// The job to follow.
    job_id: String,
    /// The connection the job works on, when the caller knows it (else read from the job).
    #[prop(default = None)]
    connection_id: Option<String>,
    /// A single line of step chips instead of the full list (connections panel).
    #[prop(optional)]
    compact: bool,
    /// The job reads an uploaded statement (its first step reads the file).
    #[prop(optional)]
    statement: bool,
    /// Called whenever the job's overall outcome changes.
    on_outcome: Callback<Outcome>,
    /// Called when watching stopped before the job ended (server gone, ran too long).
    on_lost: Callback<crate::backend::BackendError>,
) -> impl IntoView {
    let host = Host::get();
    let s = host.strings;
    let backend = BackendContext::get();
    let rows: RwSignal<Vec<StepRow>> = RwSignal::new(vec![]);
    let outcome = RwSignal::new(Outcome::Running);
    let clock = StoredValue::new(StepClock::default());
    let now = RwSignal::new(js_sys::Date::now());
    let mfa_seen_at = StoredValue::new(None::<f64>);

    let id = job_id.clone();
    let conn = StoredValue::new(connection_id);
    let on_job = move |job: Job| {
        if conn.with_value(|c| c.is_none()) {
            conn.set_value(steps::connection_id(&job));
        }
        let new_rows = steps::rows(&job);
        let t = js_sys::Date::now();
        let old = rows.get_untracked();
        for r in steps::changed(&old, &new_rows) {
            let result = job.steps.iter().find(|st| st.title.as_str() == r.kind.as_str()).and_then(|st| st.result.clone());
            host.emit("job-step", serde_json::json!({
                "jobId": id, "connectionId": conn.get_value(),
                "step": r.kind.as_str(), "status": r.status.wire(), "result": result,
            }));
            host.announce((s.announce_step)(&step_label(s, &r.kind, statement), status_label(s, r.status)));
        }
        clock.update_value(|c| c.observe(&new_rows, t));
        let o = steps::outcome(&new_rows);
        if matches!(o, Outcome::NeedsMfa(_)) && mfa_seen_at.get_value().is_none() {
            mfa_seen_at.set_value(Some(t));
        }
        rows.set(new_rows);
        now.set(t);
        if o != outcome.get_untracked() {
            outcome.set(o.clone());
            on_outcome.run(o);
        }
    };
    let w = watch(backend, job_id.clone(), move |w| match w {
        Watched::Job(job) => on_job(job),
        Watched::Lost(e) => on_lost.run(e),
    });
    let w = StoredValue::new_local(Some(w));
    // Tick the elapsed times while the job runs.
    let ticker = set_interval_with_handle(move || { let _ = now.try_set(js_sys::Date::now()); }, std::time::Duration::from_millis(500)).ok();
    on_cleanup(move || {
        w.try_update_value(|w| w.take());
        if let Some(t) = ticker {
            t.clear();
        }
    });

    let elapsed = move |kind: &StepTitle| clock.with_value(|c| c.elapsed_s(kind, now.get())).map(s.elapsed).unwrap_or_default();
    let list_class = if compact { "steps compact" } else { "steps" };
    view! {
        <ol class=list_class data-job=job_id.clone()>
            <For each=move || rows.get() key=|r| (r.kind.as_str().to_string(), r.status) let:row>
                {
                    let kind = row.kind.clone();
                    let label = step_label(s, &row.kind, statement);
                    let status = status_label(s, row.status);
                    let result = result_text(s, &row, statement);
                    let title = row.kind.as_str().to_string();
                    view! {
                        <li class="step" data-step=title data-status=row.status.wire()>
                            <span class="step-icon" aria-hidden="true"></span>
                            <span class="step-label">{label}</span>
                            <span class="step-status">{status}</span>
                            {(!compact).then(|| view! {
                                <span class="step-time muted">{move || elapsed(&kind)}</span>
                                <span class="step-result">{result}</span>
                            })}
                        </li>
                    }
                }
            </For>
        </ol>
        {move || match outcome.get() {
            Outcome::NeedsMfa(prompt) => Some(view! {
                <MfaForm job_id=job_id.clone() prompt=prompt issued_at_ms=mfa_seen_at.get_value().unwrap_or_else(js_sys::Date::now)/>
            }),
            _ => None,
        }}
    }
}
