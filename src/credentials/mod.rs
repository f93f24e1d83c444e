//! The credentials form, built from the institution's captions (login, password,
//! security code…). It only renders and edits the draft; the connect flow validates
//! (with [`fields::validate`]) and submits.

pub mod fields;

use leptos::prelude::*;
use tally_api::Institution;

use crate::host::Host;
use crate::job::advice::Advice;
use fields::{Draft, FieldKind};

crate::split::split_view! {
    /// The form's constructor, in a chunk with the `split` feature.
    pub fn chunk(CredentialsFormProps) => CredentialsForm as connect
}

#[component]
pub fn CredentialsForm(
    /// The bank being signed in to; its captions name the fields.
    institution: Institution,
    /// What the user typed so far (kept across retries, secrets cleared after a failure).
    draft: RwSignal<Draft>,
    /// A message per invalid field.
    errors: Signal<Vec<(FieldKind, String)>>,
    /// Why the last attempt failed, shown above the fields.
    failure: Signal<Option<Advice>>,
    /// The submit button's text ("Connect" or "Update credentials").
    submit_label: &'static str,
    /// True while the request is on its way (the button is disabled).
    busy: Signal<bool>,
    /// Called when the form is submitted.
    on_submit: Callback<()>,
    /// Called by the Back/Cancel button.
    on_back: Callback<()>,
) -> impl IntoView {
    let s = Host::get().strings;
    let fields = fields::fields(&institution);
    // Keyboard users land on the first field after choosing a bank.
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let error_of = move |k: FieldKind| errors.with(|e| e.iter().find(|(f, _)| *f == k).map(|(_, m)| m.clone()));
    view! {
        <form class="credentials" novalidate on:submit=move |e: web_sys::SubmitEvent| { e.prevent_default(); on_submit.run(()); }>
            <h3>{(s.credentials_title)(&institution.name)}</h3>
            {move || failure.get().map(|a| view! { <p class="error" role="alert" data-code=a.code.clone()>{a.message.clone()}</p> })}
            {fields.into_iter().enumerate().map(|(i, f)| {
                let id = format!("cred-{:?}", f.kind).to_lowercase();
                let err_id = format!("{id}-error");
                let kind = f.kind;
                let node = if i == 0 { first } else { NodeRef::new() };
                view! {
                    <div class="field">
                        <label for=id.clone()>{f.label.clone()}</label>
                        <input node_ref=node id=id.clone() name=id.clone() type=if f.secret { "password" } else { "text" } required
                            autocomplete=f.autocomplete
                            aria-invalid=move || error_of(kind).is_some().to_string()
                            aria-describedby=err_id.clone()
                            prop:value=move || draft.with(|d| d.get(kind).to_string())
                            on:input=move |e| { let v = event_target_value(&e); draft.update(|d| d.set(kind, v)); }/>
                        <span class="field-error" id=err_id>{move || error_of(kind)}</span>
                    </div>
                }
            }).collect_view()}
            <p class="muted small">{s.credentials_note}</p>
            <p class="muted small consent">{s.consent_note}</p>
            <div class="actions">
                <button type="button" on:click=move |_| on_back.run(())>{s.back}</button>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { s.submitting } else { submit_label }}
                </button>
            </div>
        </form>
    }
}
