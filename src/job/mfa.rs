//! The answer form of an MFA challenge: a one-time code or security questions, with
//! the time left before the challenge expires.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::advice::advise;
use super::steps::MfaPrompt;
use crate::backend::BackendContext;
use crate::host::Host;

#[derive(Clone, PartialEq)]
enum Sending {
    Idle,
    Sending,
    Sent,
    Failed(String),
}

#[component]
pub fn MfaForm(
    /// The job waiting for the answer.
    job_id: String,
    /// The challenge, as the job's `mfa-challenge` step describes it.
    prompt: MfaPrompt,
    /// When the widget first saw the challenge (its expiry counts from there).
    issued_at_ms: f64,
) -> impl IntoView {
    let host = Host::get();
    let s = host.strings;
    let backend = BackendContext::get();
    let answers = RwSignal::new(vec![String::new(); prompt.input.len()]);
    let state = RwSignal::new(Sending::Idle);
    let now = RwSignal::new(js_sys::Date::now());
    let ticker = set_interval_with_handle(move || { let _ = now.try_set(js_sys::Date::now()); }, std::time::Duration::from_millis(1000)).ok();
    on_cleanup(move || if let Some(t) = ticker { t.clear() });
    let expires_at = prompt.expiry_ms.map(|ms| issued_at_ms + ms as f64);
    let left_s = move || expires_at.map(|e| ((e - now.get()) / 1000.0).max(0.0).ceil() as u64);
    let expired = move || left_s() == Some(0);
    host.announce(s.mfa_title.to_string());
    // The challenge interrupts the flow: put the cursor where the answer goes.
    let first = NodeRef::<leptos::html::Input>::new();
    // Where focus goes when the answer is taken and this form leaves: the connect flow
    // around it (its heading; see crate::focus).
    let flow_root = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
            let around = input.closest("section").ok().flatten().and_then(|e| wasm_bindgen::JsCast::dyn_into(e).ok());
            flow_root.set_value(around);
        }
    });
    on_cleanup(move || {
        if let Some(Some(el)) = flow_root.try_get_value() {
            crate::focus::keep_in(el);
        }
    });

    let job = job_id.clone();
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if expired() || state.get_untracked() == Sending::Sending {
            return;
        }
        let values = answers.get_untracked();
        if values.iter().any(|v| v.trim().is_empty()) {
            state.set(Sending::Failed((s.required)(s.mfa_code_label)));
            return;
        }
        state.set(Sending::Sending);
        let (backend, job) = (backend.clone(), job.clone());
        spawn_local(async move {
            let r = backend.answer_mfa(&job, values.into_iter().map(|v| v.trim().to_string()).collect()).await;
            let _ = state.try_set(match r {
                Ok(()) => Sending::Sent,
                Err(e) => Sending::Failed(advise(s, &e.code, &e.message).message),
            });
        });
    };
    let is_token = prompt.method != "security-questions";
    view! {
        <form class="mfa" on:submit=submit novalidate>
            <h3>{s.mfa_title}</h3>
            {(!prompt.description.is_empty()).then(|| view! { <p class="muted">{prompt.description.clone()}</p> })}
            {prompt.input.iter().enumerate().map(|(i, question)| {
                let label = if is_token || question.is_empty() { if question.is_empty() { s.mfa_code_label.to_string() } else { question.clone() } } else { question.clone() };
                let id = format!("mfa-{job_id}-{i}");
                let node = if i == 0 { first } else { NodeRef::new() };
                view! {
                    <div class="field">
                        <label for=id.clone()>{label}</label>
                        <input node_ref=node id=id type="text" name=format!("mfa-{i}")
                            autocomplete=if is_token { "one-time-code" } else { "off" }
                            inputmode=if is_token { "numeric" } else { "text" }
                            prop:value=move || answers.with(|a| a.get(i).cloned().unwrap_or_default())
                            on:input=move |e| { let v = event_target_value(&e); answers.update(|a| if let Some(x) = a.get_mut(i) { *x = v }); }/>
                    </div>
                }
            }).collect_view()}
            <p class="muted mfa-expiry" aria-live="off">{move || match left_s() {
                Some(0) => s.mfa_expired.to_string(),
                Some(n) => (s.mfa_expires_in)(n),
                None => String::new(),
            }}</p>
            {move || match state.get() {
                Sending::Failed(m) => Some(view! { <p class="error" role="alert">{m}</p> }.into_any()),
                Sending::Sent => Some(view! { <p class="muted" role="status">{s.mfa_sent}</p> }.into_any()),
                _ => None,
            }}
            <button type="submit" class="primary" disabled=move || expired() || matches!(state.get(), Sending::Sending | Sending::Sent)>{s.mfa_submit}</button>
        </form>
    }
}
