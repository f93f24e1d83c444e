//! One connection in the panel: bank, status, last and next refresh, its refresh job's
//! steps while one runs, and its actions. A connection made from uploaded statements
//! says so and offers a newer statement instead of a refresh: there is nothing for the
//! server to fetch again.

use leptos::prelude::*;
use tally_api::{ConnectMethod, Connection};

use crate::backend::BackendError;
use crate::host::Host;
use crate::i18n::Strings;
use crate::job::steps::Outcome;
use crate::job::{self, JobProgressProps};
use crate::time::{parse_iso, relative};

fn status_label(s: &Strings, status: &str) -> &'static str {
    match status {
        "active" => s.conn_active,
        "invalid" => s.conn_invalid,
        _ => s.conn_pending,
    }
}

fn when(s: &Strings, iso: Option<&str>) -> String {
    iso.and_then(parse_iso).map(|t| relative(s, t, js_sys::Date::now())).unwrap_or_else(|| s.never.to_string())
}

crate::split::split_view! {
    /// The row's constructor, in a chunk with the `split` feature.
    pub fn chunk(ConnectionRowProps) => ConnectionRow as connect
}

#[component]
pub fn ConnectionRow(
    /// The connection as last loaded (`None` briefly while it is being removed).
    connection: Signal<Option<Connection>>,
    /// Names an institution id.
    bank_name: Callback<String, String>,
    /// The latest refresh job of this connection in this run (running or ended): its
    /// steps stay on the row so the user sees how it went.
    job: Memo<Option<String>>,
    /// True while that job is still running: refresh is disabled only then.
    refreshing: Memo<bool>,
    /// Refresh this connection (its id).
    on_refresh: Callback<String>,
    /// Update credentials: (connection id, institution id).
    on_update: Callback<(String, String)>,
    /// Upload a newer statement (a statement connection): (connection id, institution id).
    on_newer_statement: Callback<(String, String)>,
    /// Delete, after the user confirmed (connection id).
    on_delete: Callback<String>,
    /// A refresh job ended: (job id, outcome).
    on_job_end: Callback<(String, Outcome)>,
    /// Watching a refresh job stopped early: (job id, why).
    on_job_lost: Callback<(String, BackendError)>,
) -> impl IntoView {
    let s = Host::get().strings;
    let confirming = RwSignal::new(false);
    // Each part reads the connection on its own, so a reload (after a refresh) updates
    // the text without re-creating the job progress below.
    let field = move |f: fn(&Connection) -> String| Memo::new(move |_| connection.with(|c| c.as_ref().map(f).unwrap_or_default()));
    let id = field(|c| c.id.clone());
    let inst = field(|c| c.institution.id.clone());
    let status = field(|c| c.status.as_str().to_string());
    let name = Memo::new(move |_| bank_name.run(inst.get()));
    let from_file = Memo::new(move |_| connection.with(|c| c.as_ref().is_some_and(|c| c.method == ConnectMethod::Statement)));
    let invalid = move || status.get() == tally_api::ConnectionStatus::Invalid.as_str();
    let refreshed = move || connection.with(|c| c.as_ref().map(|c| when(s, c.last_refreshed.as_deref().or(c.last_used.as_deref()))).unwrap_or_default());
    let next = move || connection.with(|c| c.as_ref().map(|c| when(s, c.next_scheduled_refresh.as_deref())).unwrap_or_default());
    let ids = move || (id.get_untracked(), inst.get_untracked());
    view! {
        <li class="connection" data-id=move || id.get() data-status=move || status.get() data-method=move || if from_file.get() { "statement" } else { "login" }>
            <div class="connection-head">
                <span class="name">{move || name.get()}</span>
                <span class="badge" class:invalid=invalid>{move || status_label(s, &status.get())}</span>
            </div>
            {move || if from_file.get() {
                view! { <p class="muted small">{s.conn_from_file} " · " {(s.last_imported)(&refreshed())}</p> }.into_any()
            } else {
                view! { <p class="muted small">{(s.last_refreshed)(&refreshed())} " · " {(s.next_refresh)(&next())}</p> }.into_any()
            }}
            {move || invalid().then(|| view! { <p class="small">{s.invalid_hint}</p> })}
            {move || job.get().map(|job_id| {
                let (a, b) = (job_id.clone(), job_id.clone());
                crate::split::deferred(job::chunk, JobProgressProps {
                    job_id, compact: true, connection_id: Some(id.get_untracked()), statement: false,
                    on_outcome: Callback::new(move |o| on_job_end.run((a.clone(), o))),
                    on_lost: Callback::new(move |e| on_job_lost.run((b.clone(), e))),
                })
            })}
            <div class="actions">
                {move || if from_file.get() {
                    view! { <button type="button" class="newer-statement"
                        on:click=move |_| on_newer_statement.run(ids())>{(s.upload_newer)(&name.get())}</button> }.into_any()
                } else if invalid() {
                    view! { <button type="button" class="primary update"
                        on:click=move |_| on_update.run(ids())>{(s.update_credentials)(&name.get())}</button> }.into_any()
                } else {
                    view! { <button type="button" class="refresh" disabled=move || refreshing.get()
                        on:click=move |_| on_refresh.run(id.get_untracked())>{(s.refresh)(&name.get())}</button> }.into_any()
                }}
                <button type="button" class="danger delete" aria-expanded=move || confirming.get().to_string()
                    on:click=move |_| confirming.set(true)>{move || (s.delete)(&name.get())}</button>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-label=move || (s.delete)(&name.get())>
                    <p>{move || (s.confirm_delete)(&name.get())}</p>
                    <button type="button" on:click=move |_| confirming.set(false)>{s.cancel}</button>
                    <button type="button" class="danger confirm-delete"
                        on:click=move |_| { confirming.set(false); on_delete.run(id.get_untracked()); }>{s.confirm_delete_yes}</button>
                </div>
            </Show>
        </li>
    }
}
