//! The connect flow: choose a bank → sign in or upload a statement (whichever the bank
//! offers; the user picks when it offers both) → live step progress → an honest end
//! state that says what the user can do. Also updates the credentials of an invalid
//! connection, and takes a newer statement for a statement connection (no search). The
//! states live in [`machine`].

pub mod machine;
mod way;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use tally_api::{Institution, Job};

use crate::backend::BackendContext;
use crate::credentials::fields;
use crate::credentials::{self, CredentialsFormProps};
use crate::host::Host;
use crate::job::advice::{advise, NextAction};
use crate::job::steps::{connection_id, Outcome};
use crate::job::{self, JobProgressProps};
use crate::split::deferred;
use crate::institutions::InstitutionSearch;
use crate::upload::{self, StatementUploadProps};
use machine::{Flow, Stage, Way};
use way::WayChoice;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Search,
    Way,
    Form,
    Upload,
    Job,
}

/// The contract's word for how a flow brings data in (`tally:*` events carry it).
fn method(way: Way) -> &'static str {
    match way {
        Way::SignIn => "login",
        Way::Statement => "statement",
    }
}

#[component]
pub fn ConnectFlow(
    /// Every bank the user may connect.
    institutions: Signal<Vec<Institution>>,
    /// Where the flow starts: `Flow::new()`, `Flow::reconnect(…)` or `Flow::newer_statement(…)`.
    start: Flow,
    /// Whether the flow can be closed (false when there is nothing else to show).
    #[prop(optional)]
    closable: bool,
    /// Called when the user leaves the flow (after `tally:exit`).
    on_exit: Callback<()>,
    /// Called when a connection was created or repaired.
    on_connected: Callback<()>,
) -> impl IntoView {
    let host = Host::get();
    let s = host.strings;
    let backend = expect_context::<BackendContext>().0;
    // What the user most likely opens next: a bank's sign-in form (its chunk, `connect`,
    // also holds the upload and the job's progress).
    crate::split::prefetch_when_idle(credentials::chunk());
    let flow = RwSignal::new(start);
    let draft = RwSignal::new(flow.with_untracked(|f| f.draft.clone()));

    let screen = Memo::new(move |_| flow.with(|f| match f.stage {
        Stage::Search => Screen::Search,
        Stage::ChooseWay => Screen::Way,
        Stage::Credentials { .. } | Stage::Submitting => Screen::Form,
        Stage::Upload { .. } => Screen::Upload,
        _ => Screen::Job,
    }));
    let statement = Memo::new(move |_| flow.with(|f| f.way == Way::Statement));
    let job_id = Memo::new(move |_| flow.with(|f| match &f.stage {
        Stage::Progress { job_id } | Stage::Connected { job_id } | Stage::Failed { job_id: Some(job_id), .. } => Some(job_id.clone()),
        _ => None,
    }));
    let institution = Memo::new(move |_| {
        let id = flow.with(|f| f.institution_id.clone());
        institutions.with(|l| l.iter().find(|i| Some(&i.id) == id.as_ref()).cloned())
    });
    let bank_name = move || institution.with_untracked(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default());

    let exit = move |reason: &str| {
        host.emit("exit", json!({ "reason": reason }));
        on_exit.run(());
    };
    let on_choose = Callback::new(move |id: String| {
        let methods = institutions.with_untracked(|l| l.iter().find(|i| i.id == id).map(|i| i.methods.clone())).unwrap_or_default();
        flow.update(|f| f.choose(id, &methods));
        draft.set(flow.with_untracked(|f| f.draft.clone()));
    });
    let on_way = Callback::new(move |way: Way| flow.update(|f| f.choose_way(way)));
    // The server took the request: its job runs. A new connection is announced (not a
    // repaired one, nor a newer statement for one the user already has).
    let started = move |job: Job| {
        let (existing, way, inst) = flow.with_untracked(|f| (f.existing.clone(), f.way, f.institution_id.clone()));
        if existing.is_none() {
            host.emit("connection-created", json!({
                "jobId": job.id, "institutionId": inst, "connectionId": connection_id(&job), "method": method(way),
            }));
        }
        let _ = flow.try_update(|f| f.started(job.id.clone(), connection_id(&job)));
    };
    let rejected = move |e: crate::backend::BackendError| {
        host.error(&e.code, &e.message);
        let advice = advise(s, &e.code, &e.message);
        let _ = flow.try_update(|f| f.rejected(advice));
        draft.set(flow.with_untracked(|f| f.draft.clone()));
    };
    let on_upload_started = Callback::new(started);
    let on_upload_rejected = Callback::new(rejected);
    let on_back = Callback::new(move |_| {
        flow.update(|f| f.draft = draft.get_untracked());
        if !flow.try_update(|f| f.back()).unwrap_or(false) {
            exit("cancel");
        }
    });
    let on_submit = {
        move |_| {
            let Some(inst) = institution.get_untracked() else { return };
            let d = draft.get_untracked();
            let fields = fields::fields(&inst);
            let body = match fields::validate(s, &inst, &fields, &d) {
                Ok(b) => b,
                Err(errors) => return flow.update(|f| f.invalid(errors)),
            };
            flow.update(|f| {
                f.draft = d;
                f.submitting();
            });
            let backend = backend.get_value();
            spawn_local(async move {
                let result = match flow.with_untracked(|f| f.existing.clone()) {
                    Some(cid) => backend.update_connection(&cid, body).await,
                    None => backend.create_connection(body).await,
                };
                match result {
                    Ok(job) => started(job),
                    Err(e) if e.code == "aborted" => {}
                    Err(e) => rejected(e),
                }
            });
        }
    };
    let on_submit = Callback::new(on_submit);
    // A new connection brings new transactions: the Expenses view must load afresh.
    let expenses = crate::expenses::ExpensesContext::data();
    let on_outcome = Callback::new(move |o: Outcome| {
        let before = flow.with_untracked(|f| f.stage.clone());
        flow.update(|f| f.job(&o, |code, detail| advise(s, code, detail)));
        let after = flow.with_untracked(|f| f.stage.clone());
        if before == after {
            return;
        }
        match (&o, &after) {
            (Outcome::Succeeded, Stage::Connected { job_id }) => {
                let (inst, conn, way) = flow.with_untracked(|f| (f.institution_id.clone(), f.connection_id.clone(), f.way));
                host.emit("connected", json!({ "jobId": job_id, "institutionId": inst, "connectionId": conn, "method": method(way) }));
                host.announce(if way == Way::Statement { (s.imported)(&bank_name()) } else { (s.connected)(&bank_name()) });
                expenses.changed();
                on_connected.run(());
            }
            (Outcome::Failed(f), _) => {
                host.error(&f.code, f.message());
                host.announce(advise(s, &f.code, &f.detail).message);
                draft.set(flow.with_untracked(|f| f.draft.clone()));
            }
            _ => {}
        }
    });
    let on_lost = Callback::new(move |e: crate::backend::BackendError| {
        host.error(&e.code, &e.message);
        flow.update(|f| f.lost(advise(s, &e.code, &e.message)));
    });

    let errors = Signal::derive(move || flow.with(|f| match &f.stage { Stage::Credentials { errors, .. } => errors.clone(), _ => vec![] }));
    let failure = Signal::derive(move || flow.with(|f| match &f.stage { Stage::Credentials { failure, .. } => failure.clone(), _ => None }));
    let busy = Signal::derive(move || flow.with(|f| f.stage == Stage::Submitting));
    let upload_failure = Signal::derive(move || flow.with(|f| match &f.stage { Stage::Upload { failure } => failure.clone(), _ => None }));
    let submit_label = if flow.with_untracked(|f| f.existing.is_some()) { s.update_button } else { s.connect_button };
    // Focus follows the user to the next screen when the control they used is gone.
    let root = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |prev: Option<Screen>| {
        let now = screen.get();
        if let (Some(p), Some(el)) = (prev, root.get_untracked()) {
            if p != now {
                crate::focus::keep_in(el);
            }
        }
        now
    });

    view! {
        <section class="connect-flow" aria-label=s.connect_title node_ref=root>
            {move || match screen.get() {
                Screen::Search => view! {
                    <h3>{s.connect_title}</h3>
                    <InstitutionSearch institutions=institutions on_choose=on_choose/>
                    {closable.then(|| view! { <div class="actions"><button type="button" on:click=move |_| exit("cancel")>{s.cancel}</button></div> })}
                }.into_any(),
                Screen::Way => view! { <WayChoice bank=bank_name() on_pick=on_way on_back=on_back/> }.into_any(),
                Screen::Form => match institution.get() {
                    Some(inst) => deferred(credentials::chunk, CredentialsFormProps {
                        institution: inst, draft, errors, failure, submit_label, busy, on_submit, on_back,
                    }),
                    None => view! { <p class="muted">{s.loading_banks}</p> }.into_any(),
                },
                Screen::Upload => match institution.get() {
                    Some(inst) => deferred(upload::chunk, StatementUploadProps {
                        institution: inst, failure: upload_failure,
                        on_started: on_upload_started, on_rejected: on_upload_rejected, on_back,
                    }),
                    None => view! { <p class="muted">{s.loading_banks}</p> }.into_any(),
                },
                Screen::Job => view! {
                    <h3>{move || {
                        let bank = institution.with(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default());
                        if statement.get() { (s.import_title)(&bank) } else { (s.progress_title)(&bank) }
                    }}</h3>
                    {move || job_id.get().map(|job_id| deferred(job::chunk, JobProgressProps {
                        job_id, connection_id: flow.with_untracked(|f| f.connection_id.clone()), compact: false,
                        statement: statement.get_untracked(), on_outcome, on_lost,
                    }))}
                    {move || end_state(flow, s, bank_name, exit)}
                }.into_any(),
            }}
        </section>
    }
}

/// The end of the flow: success, or what went wrong and the one thing to do next.
fn end_state(flow: RwSignal<Flow>, s: &'static crate::i18n::Strings, bank_name: impl Fn() -> String + 'static, exit: impl Fn(&str) + Copy + 'static) -> Option<AnyView> {
    let (stage, way) = flow.with(|f| (f.stage.clone(), f.way));
    let retry = move |_| flow.update(|f| f.retry());
    Some(match stage {
        Stage::Connected { .. } => view! {
            <div class="end success" role="status">
                <p>{if way == Way::Statement { (s.imported)(&bank_name()) } else { (s.connected)(&bank_name()) }}</p>
                <button type="button" class="primary" on:click=move |_| exit("done")>{s.done}</button>
            </div>
        }.into_any(),
        Stage::Failed { advice, .. } => {
            let action = match advice.action {
                NextAction::EditCredentials => s.edit_and_retry,
                NextAction::ChooseAnother => s.choose_another_bank,
                NextAction::ActionAtBank | NextAction::TryLater | NextAction::Retry => s.try_again,
            };
            view! {
                <div class="end failed" data-code=advice.code.clone()>
                    <p class="error" role="alert">{advice.message.clone()}</p>
                    <div class="actions">
                        <button type="button" on:click=move |_| exit("failed")>{s.cancel}</button>
                        <button type="button" class="primary" on:click=retry>{action}</button>
                    </div>
                </div>
            }.into_any()
        }
        Stage::StillRunning => view! {
            <div class="end" role="status">
                <p>{s.still_running}</p>
                <button type="button" on:click=move |_| exit("still-running")>{s.done}</button>
            </div>
        }.into_any(),
        _ => return None,
    })
}
