//! The choice of way in, for a bank that offers both: sign in (kept up to date) or
//! upload a statement (a file, nothing fetched later). Each option says what it means,
//! so the user does not have to know what a "connector" is.

use leptos::prelude::*;

use super::machine::Way;
use crate::host::Host;

#[component]
pub fn WayChoice(
    /// The bank's name.
    bank: String,
    /// Called with the way the user picked.
    on_pick: Callback<Way>,
    /// Called by the Back button.
    on_back: Callback<()>,
) -> impl IntoView {
    let s = Host::get().strings;
    let option = move |way: Way, title: String, note: &'static str, class: &'static str| {
        view! {
            <li>
                <button type="button" class=class on:click=move |_| on_pick.run(way)>
                    <span class="way-title">{title}</span>
                    <span class="muted small">{note}</span>
                </button>
            </li>
        }
    };
    view! {
        <div class="way-choice" role="group" aria-labelledby="way-title">
            <h3 id="way-title">{(s.way_title)(&bank)}</h3>
            <ul class="ways">
                {option(Way::SignIn, (s.way_sign_in)(&bank), s.way_sign_in_note, "way sign-in")}
                {option(Way::Statement, s.way_statement.to_string(), s.way_statement_note, "way statement")}
            </ul>
            <div class="actions"><button type="button" on:click=move |_| on_back.run(())>{s.back}</button></div>
        </div>
    }
}
