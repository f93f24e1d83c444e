//! Institution search: a type-ahead combobox over name and short name, navigable with
//! the keyboard (WAI-ARIA combobox pattern), showing each bank's tier and status and
//! flagging degraded ones. The matching and keyboard rules live in [`search`].

pub mod search;

use leptos::prelude::*;
use tally_api::Institution;

use crate::host::Host;
use crate::i18n::Strings;
use search::{filter, on_key, Key, KeyOutcome};

/// The status of an institution in words.
pub fn status_label(s: &Strings, status: &str) -> &'static str {
    match status {
        "operational" => s.status_operational,
        "major-outage" => s.status_outage,
        "under-maintenance" => s.status_maintenance,
        _ => s.status_degraded,
    }
}

#[component]
pub fn InstitutionSearch(
    /// Every bank the user may connect.
    institutions: Signal<Vec<Institution>>,
    /// Called with the chosen institution's id.
    on_choose: Callback<String>,
) -> impl IntoView {
    let s = Host::get().strings;
    let query = RwSignal::new(String::new());
    let highlight = RwSignal::new(None::<usize>);
    let results = Memo::new(move |_| {
        let q = query.get();
        institutions.with(|list| filter(list, &q).into_iter().map(|i| list[i].clone()).collect::<Vec<_>>())
    });
    let choose = move |pos: usize| {
        if let Some(inst) = results.with_untracked(|r| r.get(pos).cloned()) {
            on_choose.run(inst.id);
        }
    };
    let on_keydown = move |e: web_sys::KeyboardEvent| {
        let Some(key) = Key::from_dom(&e.key()) else { return };
        match on_key(key, highlight.get_untracked(), results.with_untracked(Vec::len)) {
            KeyOutcome::Highlight(h) => {
                e.prevent_default();
                highlight.set(h);
            }
            KeyOutcome::Choose(i) => {
                e.prevent_default();
                choose(i);
            }
            KeyOutcome::Clear => {
                e.prevent_default();
                query.set(String::new());
                highlight.set(None);
            }
            KeyOutcome::Ignore => {}
        }
    };
    let option_id = |i: usize| format!("bank-option-{i}");
    view! {
        <div class="search">
            <label for="bank-search">{s.search_label}</label>
            <input id="bank-search" type="search" role="combobox" autocomplete="off"
                aria-autocomplete="list" aria-controls="bank-results" aria-describedby="bank-search-hint"
                aria-expanded=move || (!results.with(Vec::is_empty)).to_string()
                aria-activedescendant=move || highlight.get().map(option_id)
                placeholder=s.search_placeholder
                prop:value=move || query.get()
                on:input=move |e| { query.set(event_target_value(&e)); highlight.set(None); }
                on:keydown=on_keydown/>
            <p id="bank-search-hint" class="muted small">{s.search_hint}</p>
            <p class="sr-only" aria-live="polite">{move || {
                let n = results.with(Vec::len);
                if n == 0 && !query.with(String::is_empty) { (s.no_match)(&query.get()) } else { (s.matches)(n) }
            }}</p>
            {move || results.with(Vec::is_empty).then(|| view! { <p class="muted">{(s.no_match)(&query.get())}</p> })}
            <ul id="bank-results" role="listbox" class="institutions" aria-label=s.search_label>
                {move || results.get().into_iter().enumerate().map(|(i, inst)| {
                    let degraded = inst.is_degraded();
                    let statement_only = inst.takes_statements() && !inst.has_login();
                    let status = status_label(s, &inst.status);
                    let id = inst.id.clone();
                    view! {
                        <li role="option" id=option_id(i) data-id=id
                            class:highlighted=move || highlight.get() == Some(i)
                            aria-selected=move || (highlight.get() == Some(i)).to_string()
                            on:mousedown=|e| e.prevent_default()
                            on:click=move |_| choose(i)>
                            <span class="name">{inst.name.clone()}
                                {(inst.short_name != inst.name && !inst.short_name.is_empty()).then(|| view! { <span class="muted">" (" {inst.short_name.clone()} ")"</span> })}
                            </span>
                            <span class="meta">
                                {statement_only.then(|| view! { <span class="badge statement">{s.badge_statement}</span> " " })}
                                <span class="muted">{(s.tier)(&inst.tier)}</span>
                                " "
                                <span class="badge" class:degraded=degraded title=move || degraded.then_some(s.degraded_warning)>{status}</span>
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
