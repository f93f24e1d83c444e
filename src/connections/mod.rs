//! The connections panel: every connection with its bank, status, last and next
//! refresh; "Refresh all" with each connection's steps advancing side by side; refresh
//! one, update the credentials of an invalid one, a newer statement for one made from
//! files, delete with confirmation; and the connect flow to add a bank.

pub mod refresh;
mod row;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use tally_api::{ConnectMethod, Connection, Institution};

use crate::backend::BackendContext;
use crate::connect_flow::machine::Flow;
use crate::connect_flow::ConnectFlow;
use crate::host::Host;
use crate::job::steps::Outcome;
use crate::job::{self, JobProgressProps};
use crate::split::deferred;
use refresh::RefreshRun;
use row::ConnectionRowProps;

/// Loading state of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Loaded(T),
    Failed(String),
}

#[component]
pub fn ConnectionsPanel() -> impl IntoView {
    let host = Host::get();
    let s = host.strings;
    let backend = expect_context::<BackendContext>().0;
    let institutions = RwSignal::new(Load::<Vec<Institution>>::Loading);
    let connections = RwSignal::new(Load::<Vec<Connection>>::Loading);
    // The open connect flow, with a generation so reopening starts afresh.
    let flow = RwSignal::new(None::<(u32, Flow)>);
    let run = RwSignal::new(RefreshRun::default());
    let ready_sent = StoredValue::new(false);

    {
        let backend = backend.get_value();
        spawn_local(async move {
            let r = backend.institutions().await;
            if let Err(e) = &r {
                if e.code == "aborted" {
                    return;
                }
                host.error(&e.code, &e.message);
            }
            let _ = institutions.try_set(match r {
                Ok(l) => Load::Loaded(l),
                Err(e) => Load::Failed(e.message),
            });
        });
    }
    let load_connections = {
        move || {
            let backend = backend.get_value();
            spawn_local(async move {
                let r = backend.connections().await;
                match &r {
                    Err(e) if e.code == "aborted" => return,
                    Err(e) => host.error(&e.code, &e.message),
                    Ok(list) if !ready_sent.try_get_value().unwrap_or(true) => {
                        ready_sent.set_value(true);
                        // With connections, the Expenses tab is what the user opens next.
                        if !list.is_empty() {
                            crate::split::prefetch_when_idle(crate::expenses::chunk());
                        }
                        host.emit("ready", json!({ "connections": list.len() }));
                    }
                    Ok(_) => {}
                }
                let _ = connections.try_set(match r {
                    Ok(l) => Load::Loaded(l),
                    Err(e) => Load::Failed(e.message),
                });
            });
        }
    };
    load_connections();
    let reload = Callback::new(move |_: ()| load_connections());

    let bank_list = Signal::derive(move || institutions.with(|l| match l { Load::Loaded(v) => v.clone(), _ => vec![] }));
    let bank_name = move |id: &str| institutions.with_untracked(|l| match l {
        Load::Loaded(v) => v.iter().find(|i| i.id == id).map(|i| i.name.clone()),
        _ => None,
    }).unwrap_or_else(|| id.to_string());

    // Fresh data after a refresh: the Expenses view reloads instead of showing its copy.
    let expenses = crate::expenses::ExpensesContext::data();
    // A refresh job ended: record it; when the whole run is over, say so and reload.
    let job_ended = Callback::new(move |(job_id, o): (String, Outcome)| {
        let ok = match o {
            Outcome::Succeeded => true,
            Outcome::Failed(_) => false,
            _ => return,
        };
        let was_running = run.with_untracked(RefreshRun::is_running);
        run.update(|r| r.finish(&job_id, ok));
        if let (true, Some((good, bad))) = (was_running, run.with_untracked(RefreshRun::summary)) {
            let ids: Vec<String> = run.with_untracked(|r| r.jobs.iter().map(|j| j.job_id.clone()).collect());
            host.emit("refresh-complete", json!({ "jobIds": ids, "succeeded": good, "failed": bad }));
            host.announce((s.refresh_done)(good, bad));
            expenses.changed();
            reload.run(());
        }
    });
    let job_lost = Callback::new(move |(job_id, e): (String, crate::backend::BackendError)| {
        host.error(&e.code, &e.message);
        job_ended.run((job_id, Outcome::Failed(crate::job::steps::Failure { code: e.code, title: String::new(), detail: e.message })));
    });

    let refresh_all = {
        move |_| {
            if run.with_untracked(RefreshRun::is_running) {
                return;
            }
            host.announce(s.refreshing.to_string());
            let backend = backend.get_value();
            spawn_local(async move {
                match backend.refresh_all().await {
                    Ok(jobs) => {
                        let _ = run.try_set(RefreshRun::new(&jobs, None));
                    }
                    Err(e) if e.code == "aborted" => {}
                    Err(e) => host.error(&e.code, &e.message),
                }
            });
        }
    };
    let refresh_one = Callback::new({
        move |cid: String| {
            let backend = backend.get_value();
            spawn_local(async move {
                match backend.refresh_connection(&cid).await {
                    Ok(job) => {
                        let _ = run.try_update(|r| r.add(&job, &cid));
                    }
                    Err(e) if e.code == "aborted" => {}
                    Err(e) => host.error(&e.code, &e.message),
                }
            });
        }
    });
    let delete = Callback::new({
        move |cid: String| {
            let backend = backend.get_value();
            spawn_local(async move {
                let name = connections.with_untracked(|c| match c {
                    Load::Loaded(v) => v.iter().find(|c| c.id == cid).map(|c| c.institution.id.clone()),
                    _ => None,
                });
                match backend.delete_connection(&cid).await {
                    Ok(()) => {
                        host.announce((s.deleted)(&bank_name(&name.unwrap_or_default())));
                        reload.run(());
                    }
                    Err(e) if e.code == "aborted" => {}
                    Err(e) => host.error(&e.code, &e.message),
                }
            });
        }
    });
    let next_gen = move || flow.with_untracked(|f| f.as_ref().map(|f| f.0 + 1).unwrap_or(0));
    let update_credentials = Callback::new(move |(cid, inst): (String, String)| flow.set(Some((next_gen(), Flow::reconnect(cid, inst)))));
    let newer_statement = Callback::new(move |(cid, inst): (String, String)| flow.set(Some((next_gen(), Flow::newer_statement(cid, inst)))));
    let open_flow = move |_| flow.set(Some((next_gen(), Flow::new())));
    let close_flow = Callback::new(move |_: ()| flow.set(None));

    let ids = Memo::new(move |_| connections.with(|c| match c {
        Load::Loaded(v) => v.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        _ => vec![],
    }));
    let empty = Memo::new(move |_| connections.with(|c| matches!(c, Load::Loaded(v) if v.is_empty())));
    // Statement connections have nothing to refresh (the server skips them).
    let refreshable = Memo::new(move |_| connections.with(|c| matches!(c, Load::Loaded(v) if v.iter().any(|c| c.method == ConnectMethod::Login))));
    let unassigned = Memo::new(move |_| run.with(|r| r.jobs.iter().filter(|j| j.connection_id.is_none()).map(|j| j.job_id.clone()).collect::<Vec<_>>()));
    let running = Memo::new(move |_| run.with(RefreshRun::is_running));
    // Nothing connected yet: the connect flow is the whole panel.
    Effect::new(move |_| {
        if empty.get() && flow.with_untracked(Option::is_none) {
            flow.set(Some((next_gen(), Flow::new())));
        }
    });

    // Closing the connect flow ("Done", "Cancel") removes the button that had focus:
    // it goes to the list's heading (see crate::focus).
    let root = NodeRef::<leptos::html::Section>::new();
    let flow_open = Memo::new(move |_| flow.with(Option::is_some));
    Effect::new(move |was_open: Option<bool>| {
        let open = flow_open.get();
        if let (Some(true), false, Some(el)) = (was_open, open, root.get_untracked()) {
            crate::focus::keep_in(el);
        }
        open
    });

    view! {
        <section class="connections" aria-labelledby="connections-title" node_ref=root>
            <div class="panel-head">
                <h3 id="connections-title">{s.connections_title}</h3>
                <div class="actions">
                    <button type="button" class="refresh-all" on:click=refresh_all
                        disabled=move || running.get() || !refreshable.get() aria-busy=move || running.get().to_string()>
                        {move || if running.get() { s.refreshing } else { s.refresh_all }}
                    </button>
                    <button type="button" class="add" on:click=open_flow>{s.add_bank}</button>
                </div>
            </div>
            {move || match institutions.get() {
                Load::Failed(m) => Some(view! { <p class="error" role="alert">{m}</p> }.into_any()),
                _ => None,
            }}
            {move || match connections.get() {
                Load::Loading => view! { <p class="muted">{s.loading_connections}</p> }.into_any(),
                Load::Failed(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
                Load::Loaded(v) if v.is_empty() => view! { <p class="muted">{s.no_connections}</p> }.into_any(),
                Load::Loaded(_) => ().into_any(),
            }}
            <ul class="connection-list">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    {
                        let conn = Signal::derive({
                            let id = id.clone();
                            move || connections.with(|c| match c {
                                Load::Loaded(v) => v.iter().find(|c| c.id == id).cloned(),
                                _ => None,
                            })
                        });
                        let job = Memo::new({
                            let id = id.clone();
                            move |_| run.with(|r| r.job_for(&id).map(|j| j.job_id.clone()))
                        });
                        let refreshing = Memo::new({
                            let id = id.clone();
                            move |_| run.with(|r| r.is_refreshing(&id))
                        });
                        deferred(row::chunk, ConnectionRowProps {
                            connection: conn, bank_name: Callback::new(move |i: String| bank_name(&i)), job, refreshing,
                            on_refresh: refresh_one, on_update: update_credentials, on_newer_statement: newer_statement, on_delete: delete,
                            on_job_end: job_ended, on_job_lost: job_lost,
                        })
                    }
                </For>
            </ul>
            <For each=move || unassigned.get() key=|id| id.clone() let:job_id>
                {
                    let (a, b) = (job_id.clone(), job_id.clone());
                    view! {
                        <div class="refresh-job">
                            {deferred(job::chunk, JobProgressProps {
                                job_id, compact: true, connection_id: None, statement: false,
                                on_outcome: Callback::new(move |o| job_ended.run((a.clone(), o))),
                                on_lost: Callback::new(move |e| job_lost.run((b.clone(), e))),
                            })}
                        </div>
                    }
                }
            </For>
            {move || flow.get().map(|(_, start)| view! {
                <ConnectFlow institutions=bank_list start=start closable=!empty.get_untracked() on_exit=close_flow on_connected=reload/>
            })}
        </section>
    }
}
